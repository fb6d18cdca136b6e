-- The fleet catalog, version 4: each device's latest trigger-set ack (its retained config/ack).
-- A table of its own, not columns of devices: an ack may arrive before the device's first status.
-- The row is replaced only by an ack at least as new (by the device's own time), so a stale
-- redelivery cannot overwrite a newer decision.

CREATE TABLE trigger_set_acks (
    fleet           text COLLATE "C" NOT NULL,
    device          text COLLATE "C" NOT NULL,
    version         integer CHECK (version >= 0),
    decision        text NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    reason          text,
    active_version  integer NOT NULL CHECK (active_version >= 0),
    at              timestamptz NOT NULL,
    PRIMARY KEY (fleet, device)
);
