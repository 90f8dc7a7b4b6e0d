//! Data use in GA4GH Data Use Ontology (DUO) terms, and DUO's matching rules: does a consent
//! to some terms permit a study's use?
//!
//! A consent names a *data use permission* (GRU, HMB, DS, POA) and *modifiers* that restrict
//! or condition it; a study names its research purpose in the same codes and the modifiers it
//! undertakes to respect. A consent permits a study when
//!
//! - the study's purpose falls under the consented permission, following DUO's hierarchy:
//!   GRU ⊃ HMB ⊃ DS, and GRU ⊃ POA (HMB excludes population origins or ancestry research);
//!   DS of a disease covers DS of that disease and its subtypes — disease codes are ICD-10
//!   codes, whose hierarchy is their prefix ("C50" covers "C50.9");
//! - the study undertakes every condition the consent sets: NPU, NCU, PUB, COL and US by
//!   undertaking the same; GS by working in the same region; MOR by a moratorium that lasts
//!   at least as long; RS by being of the same research type; IRB by an ethics approval;
//! - the consent's time limit on use (TS) has not passed; it also ends any access granted.
//!
//! Modifiers a study undertakes beyond what the consent asks never prevent a match.

use crate::types::Moment;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// The longest disease code.
pub const MAX_DISEASE_CODE_LENGTH: u32 = 16;
/// The longest region code.
pub const MAX_REGION_CODE_LENGTH: u32 = 8;
/// The longest research-type code.
pub const MAX_RESEARCH_TYPE_LENGTH: u32 = 32;
/// The number of kinds of [`Modifier`], which bounds a list of them.
pub const MODIFIER_KINDS: u32 = 10;

/// An ICD-10 disease code ("C50", "E11.9"): a capital letter, then capital letters, digits
/// and dots.
pub type DiseaseCode = BoundedVec<u8, ConstU32<MAX_DISEASE_CODE_LENGTH>>;
/// A region: an ISO 3166 country or subdivision code, or a UN M49 region ("CH", "US-CA",
/// "150"): capital letters, digits and dashes.
pub type RegionCode = BoundedVec<u8, ConstU32<MAX_REGION_CODE_LENGTH>>;
/// A type of research, as a consortium names it ("genomic", "oncology-trial"): letters,
/// digits, dashes, underscores and dots.
pub type ResearchType = BoundedVec<u8, ConstU32<MAX_RESEARCH_TYPE_LENGTH>>;
/// Modifiers: at most one of each kind.
pub type Modifiers = BoundedVec<Modifier, ConstU32<MODIFIER_KINDS>>;

/// A DUO data use permission: the purpose consented to, or a study's research purpose.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum Purpose {
	/// GRU (DUO:0000042): general research use, for any research purpose.
	GeneralResearchUse,
	/// HMB (DUO:0000006): health, medical or biomedical research; not the study of
	/// population origins or ancestry.
	HealthMedicalBiomedical,
	/// DS (DUO:0000007): research related to the disease named.
	DiseaseSpecific(DiseaseCode),
	/// POA (DUO:0000011): the study of population origins or ancestry only.
	PopulationOriginsAncestry,
}

/// A DUO data use modifier. On a consent it is a condition; on a study, an undertaking.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum Modifier {
	/// NPU (DUO:0000018): not-for-profit use only.
	NotForProfitUse,
	/// NCU (DUO:0000046): non-commercial use only.
	NonCommercialUse,
	/// PUB (DUO:0000019): results are to be published.
	PublicationRequired,
	/// COL (DUO:0000020): collaboration with the primary investigators is required.
	CollaborationRequired,
	/// IRB (DUO:0000021): approval by an ethics board is required.
	EthicsApprovalRequired,
	/// GS (DUO:0000022): use is limited to the region named.
	GeographicalRestriction(RegionCode),
	/// MOR (DUO:0000024): no publication before the moment named.
	PublicationMoratorium(Moment),
	/// TS (DUO:0000025): use is allowed until the moment named (exclusive).
	TimeLimitOnUse(Moment),
	/// US (DUO:0000026): use is limited to named, approved researchers.
	UserSpecificRestriction,
	/// RS (DUO:0000012): use is limited to research of the type named.
	ResearchSpecificRestriction(ResearchType),
}

impl Modifier {
	/// Which kind of modifier it is, whatever its parameter: a list holds each kind once.
	pub fn kind(&self) -> u8 {
		match self {
			Modifier::NotForProfitUse => 0,
			Modifier::NonCommercialUse => 1,
			Modifier::PublicationRequired => 2,
			Modifier::CollaborationRequired => 3,
			Modifier::EthicsApprovalRequired => 4,
			Modifier::GeographicalRestriction(_) => 5,
			Modifier::PublicationMoratorium(_) => 6,
			Modifier::TimeLimitOnUse(_) => 7,
			Modifier::UserSpecificRestriction => 8,
			Modifier::ResearchSpecificRestriction(_) => 9,
		}
	}
}

/// A purpose with its modifiers: the terms of a standing consent, or a study's.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct DataUse {
	/// The permission, or the study's purpose.
	pub purpose: Purpose,
	/// Conditions (of a consent) or undertakings (of a study): each kind at most once.
	pub modifiers: Modifiers,
}

/// Why a consent's terms do not cover a study.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum Mismatch {
	/// The study's purpose is outside the permission (HMB consent, POA study, say).
	PurposeNotCovered,
	/// The study is about a disease the consent does not name.
	DiseaseNotCovered,
	/// The consent asks for not-for-profit use (NPU).
	NotForProfitRequired,
	/// The consent asks for non-commercial use (NCU).
	NonCommercialRequired,
	/// The consent asks for publication (PUB).
	PublicationRequired,
	/// The consent asks for collaboration with the primary investigators (COL).
	CollaborationRequired,
	/// The consent asks for ethics approval (IRB).
	EthicsApprovalRequired,
	/// The consent limits use to a region the study does not keep to (GS).
	OutsideRegion,
	/// The study's publication moratorium is shorter than the consent's, or absent (MOR).
	MoratoriumTooShort,
	/// The consent's time limit on use has passed (TS).
	TimeLimitPassed,
	/// The consent limits use to approved researchers (US).
	ApprovedResearchersRequired,
	/// The consent limits use to another type of research (RS).
	ResearchTypeNotCovered,
}

/// Why terms are malformed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Malformed {
	/// A modifier kind appears twice.
	DuplicateModifier,
	/// A disease code is not an ICD-10 code.
	DiseaseCode,
	/// A region code is empty or has other characters than capitals, digits and dashes.
	RegionCode,
	/// A research type is empty or has other characters than letters, digits, `-`, `_`, `.`.
	ResearchType,
	/// A moratorium or time limit is zero.
	Moment,
}

impl Purpose {
	/// Whether consent to this permission covers research for `study`'s purpose.
	pub fn covers(&self, study: &Purpose) -> Result<(), Mismatch> {
		use Purpose::*;
		match (self, study) {
			(GeneralResearchUse, _) => Ok(()),
			(HealthMedicalBiomedical, HealthMedicalBiomedical | DiseaseSpecific(_)) => Ok(()),
			(DiseaseSpecific(consented), DiseaseSpecific(studied)) =>
				if studied.starts_with(consented) {
					Ok(())
				} else {
					Err(Mismatch::DiseaseNotCovered)
				},
			(PopulationOriginsAncestry, PopulationOriginsAncestry) => Ok(()),
			_ => Err(Mismatch::PurposeNotCovered),
		}
	}

	fn check(&self) -> Result<(), Malformed> {
		match self {
			Purpose::DiseaseSpecific(code) => {
				let well_formed = code.first().is_some_and(u8::is_ascii_uppercase) &&
					code.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'.');
				if well_formed {
					Ok(())
				} else {
					Err(Malformed::DiseaseCode)
				}
			},
			_ => Ok(()),
		}
	}
}

impl DataUse {
	/// Terms with `purpose` and `modifiers`, sorted by kind; `None` if a kind appears twice
	/// or there are too many.
	pub fn new(purpose: Purpose, modifiers: alloc::vec::Vec<Modifier>) -> Option<DataUse> {
		let mut modifiers = Modifiers::try_from(modifiers).ok()?;
		modifiers.sort_by_key(Modifier::kind);
		Some(DataUse { purpose, modifiers })
	}

	/// Checks the codes and dates, and that each modifier kind appears once. Sorts the
	/// modifiers by kind, so that equal terms encode alike.
	pub fn validate(&mut self) -> Result<(), Malformed> {
		self.purpose.check()?;
		self.modifiers.sort_by_key(Modifier::kind);
		if self.modifiers.windows(2).any(|w| w[0].kind() == w[1].kind()) {
			return Err(Malformed::DuplicateModifier);
		}
		for modifier in self.modifiers.iter() {
			match modifier {
				Modifier::GeographicalRestriction(region) => {
					let well_formed = !region.is_empty() &&
						region.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'-');
					if !well_formed {
						return Err(Malformed::RegionCode);
					}
				},
				Modifier::ResearchSpecificRestriction(kind) => {
					let well_formed = !kind.is_empty() &&
						kind.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'));
					if !well_formed {
						return Err(Malformed::ResearchType);
					}
				},
				Modifier::PublicationMoratorium(0) | Modifier::TimeLimitOnUse(0) => return Err(Malformed::Moment),
				_ => {},
			}
		}
		Ok(())
	}

	/// The modifier of `kind`, if these terms have one.
	fn modifier(&self, kind: u8) -> Option<&Modifier> {
		self.modifiers.iter().find(|m| m.kind() == kind)
	}

	/// The time limit on use (TS), if any.
	pub fn time_limit(&self) -> Option<Moment> {
		self.modifiers.iter().find_map(|m| match m {
			Modifier::TimeLimitOnUse(until) => Some(*until),
			_ => None,
		})
	}

	/// Whether a consent to these terms permits `study`'s use at `now`; `ethics_approved` says
	/// whether an ethics board approved the study.
	pub fn permits(&self, study: &DataUse, ethics_approved: bool, now: Moment) -> Result<(), Mismatch> {
		self.purpose.covers(&study.purpose)?;
		for condition in self.modifiers.iter() {
			let undertaking = study.modifier(condition.kind());
			let kept = match condition {
				Modifier::EthicsApprovalRequired => ethics_approved,
				Modifier::TimeLimitOnUse(until) => now < *until,
				Modifier::PublicationMoratorium(until) =>
					matches!(undertaking, Some(Modifier::PublicationMoratorium(promised)) if promised >= until),
				// Flags match by kind alone; GS and RS by kind and parameter.
				_ => undertaking == Some(condition),
			};
			if !kept {
				return Err(condition.mismatch());
			}
		}
		Ok(())
	}

	/// Whether these terms are no broader than `before`: every study they permit, `before`
	/// permits too. The permission falls under the old one, and every old condition is kept
	/// at least as strictly.
	pub fn is_within(&self, before: &DataUse) -> bool {
		before.purpose.covers(&self.purpose).is_ok() &&
			before.modifiers.iter().all(|old| {
				let new = self.modifier(old.kind());
				match (old, new) {
					(Modifier::PublicationMoratorium(old), Some(Modifier::PublicationMoratorium(new))) => new >= old,
					(Modifier::TimeLimitOnUse(old), Some(Modifier::TimeLimitOnUse(new))) => new <= old,
					_ => new == Some(old),
				}
			})
	}
}

impl Modifier {
	/// What a study that does not keep this condition lacks.
	fn mismatch(&self) -> Mismatch {
		match self {
			Modifier::NotForProfitUse => Mismatch::NotForProfitRequired,
			Modifier::NonCommercialUse => Mismatch::NonCommercialRequired,
			Modifier::PublicationRequired => Mismatch::PublicationRequired,
			Modifier::CollaborationRequired => Mismatch::CollaborationRequired,
			Modifier::EthicsApprovalRequired => Mismatch::EthicsApprovalRequired,
			Modifier::GeographicalRestriction(_) => Mismatch::OutsideRegion,
			Modifier::PublicationMoratorium(_) => Mismatch::MoratoriumTooShort,
			Modifier::TimeLimitOnUse(_) => Mismatch::TimeLimitPassed,
			Modifier::UserSpecificRestriction => Mismatch::ApprovedResearchersRequired,
			Modifier::ResearchSpecificRestriction(_) => Mismatch::ResearchTypeNotCovered,
		}
	}
}
