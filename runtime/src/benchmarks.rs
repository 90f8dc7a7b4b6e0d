//! The pallets whose weights HealthChain measures itself: its own pallets. (The
//! polkadot-sdk pallets use the weights their authors measured.) `scripts/benchmark` runs them.

frame_benchmarking::define_benchmarks!(
	[pallet_health_identity, HealthIdentity]
	[pallet_health_records, HealthRecords]
	[pallet_drug_provenance, DrugProvenance]
	[pallet_prescriptions, Prescriptions]
	[pallet_insurance_claims, InsuranceClaims]
	[pallet_remote_monitoring, RemoteMonitoring]
	[pallet_research_consent, ResearchConsent]
	[pallet_consortium_network, ConsortiumNetwork]
);
