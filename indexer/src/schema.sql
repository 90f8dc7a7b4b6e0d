-- HealthChain's event history, as healthchain-indexer keeps it. Applied at every start of the
-- indexer; every statement may run again.

-- Every block indexed: the finalized chain, and unfinalized blocks of the best fork (canonical)
-- or of forks the node has left (not canonical, deleted once their height is finalized).
CREATE TABLE IF NOT EXISTS blocks (
  hash       bytea PRIMARY KEY,
  number     bigint NOT NULL,
  parent     bytea NOT NULL,
  time       timestamptz,
  canonical  boolean NOT NULL,
  finalized  boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS blocks_number ON blocks (number);

-- Every event of every indexed block, its fields as JSON named as in the metadata.
CREATE TABLE IF NOT EXISTS events (
  block_hash   bytea NOT NULL REFERENCES blocks (hash) ON DELETE CASCADE,
  block_number bigint NOT NULL,
  index        integer NOT NULL,
  extrinsic    integer,
  pallet       text NOT NULL,
  name         text NOT NULL,
  fields       jsonb NOT NULL,
  time         timestamptz,
  PRIMARY KEY (block_hash, index)
);
-- By party: fields @> '{"patient": "5F..."}', '{"organisation": 3}', '{"record": 12}'.
CREATE INDEX IF NOT EXISTS events_fields ON events USING gin (fields jsonb_path_ops);
CREATE INDEX IF NOT EXISTS events_kind ON events (pallet, name, block_number);
CREATE INDEX IF NOT EXISTS events_time ON events (time);

-- The chain as the node last showed it: the finalized blocks and the best fork above them.
CREATE OR REPLACE VIEW chain_events AS
  SELECT e.block_number, e.index, e.extrinsic, e.pallet, e.name, e.fields, e.time, b.finalized, e.block_hash
  FROM events e JOIN blocks b ON b.hash = e.block_hash
  WHERE b.canonical;

-- Every read of a patient's records that a custodian released and logged
-- (health-records' RecordAccessed).
CREATE OR REPLACE VIEW record_accesses AS
  SELECT time, block_number, finalized,
         fields->>'patient' AS patient,
         (fields->>'record')::bigint AS record,
         fields->>'accessor' AS accessor,
         fields->'authority' AS authority,
         fields->'purpose' AS purpose,
         fields->'emergency' AS emergency,
         fields->>'released_by' AS released_by
  FROM chain_events
  WHERE pallet = 'HealthRecords' AND name = 'RecordAccessed';
