-- The fleet catalog, version 5: model releases.
-- model_release_acks: each device's latest retained models/{name}/ack per model version (so a
-- version that was rolled back keeps its reasons after the next version arrives). Replaced only by
-- an ack at least as new (by the device's own time), as trigger-set acks are.
-- model_rollouts: staged rollouts of a release, the plan kept as a document the fleet service
-- writes (the catalog does not read it); revision guards concurrent promote/halt.

CREATE TABLE model_release_acks (
    fleet               text COLLATE "C" NOT NULL,
    device              text COLLATE "C" NOT NULL,
    name                text COLLATE "C" NOT NULL,
    version             integer NOT NULL CHECK (version >= 0),
    sha256              text,
    stage               text NOT NULL CHECK (stage IN ('downloading', 'refused', 'probation', 'active', 'rolledBack')),
    reason_codes        text[] NOT NULL,
    reason_messages     text[] NOT NULL,
    active_version      integer NOT NULL CHECK (active_version >= 0),
    active_sha256       text,
    bytes_received      bigint,
    probation_frames    integer,
    probation_errors    integer,
    latency_p50_ms      double precision,
    latency_p95_ms      double precision,
    resident_bytes      bigint,
    memory_limit_bytes  bigint,
    at                  timestamptz NOT NULL,
    PRIMARY KEY (fleet, device, name, version)
);

CREATE INDEX model_release_acks_by_name ON model_release_acks (fleet, name, version);

CREATE TABLE model_rollouts (
    id          text COLLATE "C" PRIMARY KEY,
    fleet       text COLLATE "C" NOT NULL,
    name        text COLLATE "C" NOT NULL,
    version     integer NOT NULL,
    revision    bigint NOT NULL,
    document    text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE INDEX model_rollouts_by_name ON model_rollouts (fleet, name, created_at);
