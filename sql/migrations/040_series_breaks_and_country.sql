-- Judgements (issue 9). Two schema changes:
--
-- 1. England (E92000001) joins the areas as the benchmark every comparison needs, so
--    the area types gain 'country'. The check is re-made with the same name.
ALTER TABLE areas DROP CONSTRAINT areas_type_check;
ALTER TABLE areas ADD CONSTRAINT areas_type_check
    CHECK (type IN ('country', 'region', 'combined_authority', 'county', 'unitary',
                    'metropolitan_district', 'non_metropolitan_district'));

-- 2. A break in a metric's series: from this period on the process is taken to be a new
--    one (a definition changed, a service was recommissioned), so statistical process
--    control uses only the figures from the latest break on. Kept as the start date of a
--    period of the metric's own frequency, with why and who, as period locks are.
CREATE TABLE series_breaks (
    id           bigserial PRIMARY KEY,
    metric       text NOT NULL REFERENCES metrics (code) ON DELETE CASCADE,
    period_start date NOT NULL CHECK (extract(day FROM period_start) = 1),
    reason       text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   uuid REFERENCES api_keys (id),
    UNIQUE (metric, period_start)
);
