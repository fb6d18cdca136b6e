-- The fleet catalog, version 2: trigger counters are kept as the devices report them.
-- A device publishes CUMULATIVE counts since it started counting (TriggerCountersReport.startedAt);
-- version 1 added deltas in place, so a QoS 1 redelivery or a second receiver counted twice.
-- Now each report's snapshot is inserted once, keyed by what makes it unique (ON CONFLICT DO NOTHING),
-- and per-bucket counts are derived at read time from consecutive snapshots of one startedAt
-- (the first snapshot of a startedAt counts from zero: the agent restarted).
-- trigger_counts is dropped: nothing wrote to it before version 2 (no tracker existed).

DROP TABLE trigger_counts;

CREATE TABLE trigger_counter_snapshots (
    fleet                text COLLATE "C" NOT NULL,
    device               text COLLATE "C" NOT NULL,
    trigger_id           text COLLATE "C" NOT NULL,
    started_at           timestamptz NOT NULL,
    at                   timestamptz NOT NULL,
    trigger_set_version  integer NOT NULL,
    evaluations          bigint NOT NULL CHECK (evaluations >= 0),
    fires                bigint NOT NULL CHECK (fires >= 0),
    dry_run_fires        bigint NOT NULL CHECK (dry_run_fires >= 0),
    suppressed_cooldown  bigint NOT NULL CHECK (suppressed_cooldown >= 0),
    suppressed_budget    bigint NOT NULL CHECK (suppressed_budget >= 0),
    suppressed_sampling  bigint NOT NULL CHECK (suppressed_sampling >= 0),
    suppressed_duplicate bigint NOT NULL CHECK (suppressed_duplicate >= 0),
    missing_signal       bigint NOT NULL CHECK (missing_signal >= 0),
    PRIMARY KEY (fleet, device, trigger_id, started_at, at)
);
CREATE INDEX trigger_counter_snapshots_by_time ON trigger_counter_snapshots (fleet, at);
