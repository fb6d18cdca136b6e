-- The fleet catalog, version 3: clip uploads staged durably while their chunks arrive.
-- A shared subscription hands the chunks of one clip to different receivers, so no receiver may
-- keep them in memory: each chunk is a row here the moment it arrives (its PUBACK follows the
-- commit), and whoever sees the last piece claims the upload (a lease on its row, taken under a
-- row lock), streams the chunks in order into the object store checking SHA-256, then inserts the
-- clips row and deletes the staged rows in one transaction. Staged rows live for minutes.

CREATE TABLE clip_uploads (
    fleet        text COLLATE "C" NOT NULL,
    device       text COLLATE "C" NOT NULL,
    clip_id      text COLLATE "C" NOT NULL,
    manifest     jsonb NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
    chunk_bytes  integer NOT NULL CHECK (chunk_bytes > 0),
    chunk_count  integer NOT NULL CHECK (chunk_count > 0),
    lease_owner  text,
    lease_until  timestamptz,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (fleet, device, clip_id)
);

-- Keyed by the chunk size too: a device that lowers its chunk size restarts the clip, and the
-- chunks of the old size must not mix with the new ones.
CREATE TABLE clip_chunks (
    fleet        text COLLATE "C" NOT NULL,
    device       text COLLATE "C" NOT NULL,
    clip_id      text COLLATE "C" NOT NULL,
    chunk_bytes  integer NOT NULL CHECK (chunk_bytes > 0),
    chunk_index  integer NOT NULL CHECK (chunk_index >= 0),
    chunk_count  integer NOT NULL CHECK (chunk_index < chunk_count),
    data         bytea NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (fleet, device, clip_id, chunk_bytes, chunk_index)
);
-- MCAP chunks and JPEG frames are compressed already: store them out of line, uncompressed.
ALTER TABLE clip_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX clip_chunks_by_age ON clip_chunks (received_at);
