-- The fleet catalog, version 5: dataset reports (edgectl dataset build / import), kept whole as JSON
-- for the console; the columns beside the document are what listings filter and sort by.

CREATE TABLE dataset_reports (
    report_id   text COLLATE "C" PRIMARY KEY,
    dataset     text COLLATE "C" NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('build', 'import')),
    created_at  timestamptz NOT NULL,
    posted_by   text NOT NULL,
    posted_at   timestamptz NOT NULL,
    body        jsonb NOT NULL
);

CREATE INDEX dataset_reports_by_dataset ON dataset_reports (dataset, created_at DESC);
