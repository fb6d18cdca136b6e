-- The fleet catalog, version 1. Applied once, inside the migrator's transaction (PostgresMigrator).
-- Ids sort byte-wise (COLLATE "C") so keyset paging orders rows the same on every server locale
-- and in the embedded store. Times are timestamptz (UTC, microseconds).

CREATE TABLE devices (
    fleet               text COLLATE "C" NOT NULL,
    device              text COLLATE "C" NOT NULL,
    state               text NOT NULL,
    detail              text,
    trigger_set_version integer,
    status_at           timestamptz,
    first_seen          timestamptz NOT NULL,
    last_seen           timestamptz NOT NULL,
    PRIMARY KEY (fleet, device)
);

CREATE TABLE events (
    event_id            text COLLATE "C" PRIMARY KEY,
    fleet               text COLLATE "C" NOT NULL,
    device              text COLLATE "C" NOT NULL,
    trigger_ids         text[] NOT NULL,
    wall_clock          timestamptz NOT NULL,
    priority            integer NOT NULL,
    dry_run             boolean NOT NULL,
    trigger_set_version integer NOT NULL,
    clip_id             text COLLATE "C",
    received_at         timestamptz NOT NULL
);
CREATE INDEX events_by_time ON events (wall_clock DESC, event_id DESC);
CREATE INDEX events_by_device ON events (fleet, device, wall_clock DESC, event_id DESC);
CREATE INDEX events_by_trigger ON events USING gin (trigger_ids);

CREATE TABLE clips (
    clip_id      text COLLATE "C" PRIMARY KEY,
    fleet        text COLLATE "C" NOT NULL,
    device       text COLLATE "C" NOT NULL,
    file_name    text NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
    sha256       text NOT NULL,
    object_key   text NOT NULL,
    priority     integer NOT NULL,
    trigger_ids  text[] NOT NULL,
    model_sha256 text,
    model_shas   text[] NOT NULL,
    frame_count  integer NOT NULL CHECK (frame_count >= 0),
    start_wall   timestamptz NOT NULL,
    end_wall     timestamptz NOT NULL CHECK (end_wall >= start_wall),
    received_at  timestamptz NOT NULL
);
CREATE INDEX clips_by_time ON clips (start_wall DESC, clip_id DESC);
CREATE INDEX clips_by_device ON clips (fleet, device, start_wall DESC, clip_id DESC);
CREATE INDEX clips_by_trigger ON clips USING gin (trigger_ids);
CREATE INDEX clips_by_model ON clips USING gin (model_shas);

-- Per-trigger counters over time: one row per (device, trigger, bucket, kind), incremented in place.
CREATE TABLE trigger_counts (
    fleet        text COLLATE "C" NOT NULL,
    device       text COLLATE "C" NOT NULL,
    trigger_id   text COLLATE "C" NOT NULL,
    bucket_start timestamptz NOT NULL,
    kind         text COLLATE "C" NOT NULL,
    count        bigint NOT NULL CHECK (count >= 0),
    PRIMARY KEY (fleet, device, trigger_id, bucket_start, kind)
);
CREATE INDEX trigger_counts_by_bucket ON trigger_counts (fleet, bucket_start);

CREATE TABLE pull_requests (
    pull_id      text COLLATE "C" PRIMARY KEY,
    fleet        text COLLATE "C" NOT NULL,
    device       text COLLATE "C" NOT NULL,
    window_from  timestamptz NOT NULL,
    window_to    timestamptz NOT NULL CHECK (window_to > window_from),
    priority     integer NOT NULL,
    state        text NOT NULL,
    detail       text,
    requested_at timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX pull_requests_by_device ON pull_requests (fleet, device, requested_at);
