-- The fleet catalog, version 7: clip labels, the object classes a clip's shadow model detected
-- (read from the clip's MCAP at ingest). Clips catalogued before this version keep an empty list.

ALTER TABLE clips ADD COLUMN labels text[] NOT NULL DEFAULT '{}';
CREATE INDEX clips_by_label ON clips USING gin (labels);
