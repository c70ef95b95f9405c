-- The whole domain of DESIGN.md. Constraints here refuse bad data even if the server
-- were wrong: codes have shapes, enumerations are checked, periods start on the first
-- of a month, observations are checked against their metric by trigger, history is
-- append-only.

CREATE TABLE programmes (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z_]{1,31}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    sort_order  int  NOT NULL DEFAULT 0
);

CREATE TABLE dimensions (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z_]{1,31}$'),
    name        text NOT NULL,
    description text NOT NULL DEFAULT ''
);

CREATE TABLE dimension_categories (
    dimension  text NOT NULL REFERENCES dimensions (code) ON UPDATE CASCADE,
    code       text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_+-]{0,39}$'),
    name       text NOT NULL,
    sort_order int  NOT NULL DEFAULT 0,
    PRIMARY KEY (dimension, code)
);

CREATE TABLE metrics (
    code                text PRIMARY KEY CHECK (code ~ '^[a-z][a-z_]*\.[a-z0-9_]{2,63}$'),
    programme           text NOT NULL REFERENCES programmes (code),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description         text NOT NULL DEFAULT '',
    unit                text NOT NULL CHECK (unit IN ('count', 'percent', 'gbp', 'rate_per_1000')),
    frequency           text NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'annual')),
    kind                text NOT NULL CHECK (kind IN ('flow', 'stock', 'rate')),
    polarity            text NOT NULL DEFAULT 'higher_is_better'
                        CHECK (polarity IN ('higher_is_better', 'lower_is_better')),
    decimals            int  NOT NULL DEFAULT 0 CHECK (decimals BETWEEN 0 AND 6),
    source              text NOT NULL DEFAULT '',
    active              boolean NOT NULL DEFAULT true,
    headline            boolean NOT NULL DEFAULT false,
    sort_order          int  NOT NULL DEFAULT 0,
    numerator_metric    text REFERENCES metrics (code),
    denominator_metric  text REFERENCES metrics (code),
    has_confidence      boolean NOT NULL DEFAULT false,
    CHECK (code LIKE programme || '.%'),
    -- Only a rate is a ratio of two other metrics, and it names both or neither.
    CHECK ((numerator_metric IS NULL) = (denominator_metric IS NULL)),
    CHECK (numerator_metric IS NULL OR kind = 'rate'),
    -- A percentage is a rate; a count is never a rate.
    CHECK (unit <> 'percent' OR kind = 'rate'),
    CHECK (unit <> 'count' OR kind IN ('flow', 'stock'))
);

CREATE TABLE metric_dimensions (
    metric    text NOT NULL REFERENCES metrics (code) ON DELETE CASCADE,
    dimension text NOT NULL REFERENCES dimensions (code),
    PRIMARY KEY (metric, dimension)
);

CREATE TABLE areas (
    code text PRIMARY KEY CHECK (code ~ '^[EWSNK][0-9]{8}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    type text NOT NULL CHECK (type IN ('region', 'combined_authority', 'county', 'unitary',
                                       'metropolitan_district', 'non_metropolitan_district'))
);

-- A child area belongs to a parent in a role over a span of dates. A county holds its
-- districts with role 'contains', so totals can tell "inside" from "member of".
CREATE TABLE area_memberships (
    child      text NOT NULL REFERENCES areas (code),
    parent     text NOT NULL REFERENCES areas (code),
    role       text NOT NULL CHECK (role IN ('constituent', 'non_constituent', 'observer', 'contains')),
    valid_from date NOT NULL DEFAULT DATE '1974-04-01',
    valid_to   date,
    PRIMARY KEY (child, parent, valid_from),
    CHECK (child <> parent),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX area_memberships_parent ON area_memberships (parent);

CREATE TABLE partners (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    synthetic  boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per (partner, programme or metric, area): a partner may write a cell only
-- when a row covers its metric (directly or through the programme) and its area.
CREATE TABLE partner_grants (
    id         bigserial PRIMARY KEY,
    partner    text NOT NULL REFERENCES partners (code) ON DELETE CASCADE,
    programme  text REFERENCES programmes (code),
    metric     text REFERENCES metrics (code),
    area       text NOT NULL REFERENCES areas (code),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((programme IS NULL) <> (metric IS NULL))
);
CREATE UNIQUE INDEX partner_grants_unique
    ON partner_grants (partner, coalesce(programme, ''), coalesce(metric, ''), area);

CREATE TABLE api_keys (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The public half of a key, printed inside it, used to find the row; the secret
    -- half is kept only as its SHA-256.
    lookup       text NOT NULL UNIQUE CHECK (lookup ~ '^[0-9a-f]{16}$'),
    secret_hash  bytea NOT NULL CHECK (length(secret_hash) = 32),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    scopes       text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'submit', 'admin']::text[]
                                        AND cardinality(scopes) >= 1),
    partner      text REFERENCES partners (code),
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz,
    -- A submit key writes as a partner; an admin key may write as anyone.
    CHECK (NOT ('submit' = ANY (scopes)) OR partner IS NOT NULL OR 'admin' = ANY (scopes))
);

CREATE TABLE submissions (
    id              uuid PRIMARY KEY,
    partner         text REFERENCES partners (code),
    api_key         uuid REFERENCES api_keys (id),
    received_at     timestamptz NOT NULL DEFAULT now(),
    format          text NOT NULL CHECK (format IN ('json', 'csv', 'seed')),
    idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    body_sha256     bytea CHECK (length(body_sha256) = 32),
    dry_run         boolean NOT NULL DEFAULT false,
    status          text NOT NULL CHECK (status IN ('applied', 'dry_run', 'rejected')),
    http_status     int  NOT NULL CHECK (http_status BETWEEN 200 AND 599),
    row_count       int  NOT NULL DEFAULT 0 CHECK (row_count >= 0),
    counts          jsonb NOT NULL DEFAULT '{}',
    errors          jsonb NOT NULL DEFAULT '[]',
    warnings        jsonb NOT NULL DEFAULT '[]',
    reason          text,
    payload         text,
    UNIQUE (partner, idempotency_key)
);
CREATE INDEX submissions_partner_received ON submissions (partner, received_at DESC);

CREATE TABLE observations (
    metric          text NOT NULL REFERENCES metrics (code),
    area            text NOT NULL REFERENCES areas (code),
    period_start    date NOT NULL CHECK (extract(day FROM period_start) = 1),
    -- Canonical text of the breakdown ("age_band=16-24;sex=female", '' for the total)
    -- so that the key is a plain unique index.
    breakdown_key   text NOT NULL DEFAULT '',
    breakdown       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(breakdown) = 'object'),
    value           numeric NOT NULL CHECK (value <> 'NaN'),
    lower_ci        numeric CHECK (lower_ci <> 'NaN'),
    upper_ci        numeric CHECK (upper_ci <> 'NaN'),
    status          text NOT NULL DEFAULT 'provisional' CHECK (status IN ('provisional', 'final')),
    note            text CHECK (length(note) <= 2000),
    derived         boolean NOT NULL DEFAULT false,
    submission_id   uuid REFERENCES submissions (id),
    partner         text REFERENCES partners (code),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (metric, area, period_start, breakdown_key),
    CHECK (lower_ci IS NULL OR lower_ci <= value),
    CHECK (upper_ci IS NULL OR upper_ci >= value),
    CHECK ((breakdown_key = '') = (breakdown = '{}'::jsonb))
);
CREATE INDEX observations_updated ON observations (updated_at);
CREATE INDEX observations_metric_period ON observations (metric, period_start);

-- Append-only record of every change to an observation.
CREATE TABLE observation_history (
    id            bigserial PRIMARY KEY,
    metric        text NOT NULL,
    area          text NOT NULL,
    period_start  date NOT NULL,
    breakdown_key text NOT NULL DEFAULT '',
    action        text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    old_value     numeric,
    new_value     numeric,
    old_status    text,
    new_status    text,
    partner       text,
    submission_id uuid REFERENCES submissions (id),
    changed_at    timestamptz NOT NULL DEFAULT now(),
    reason        text,
    lock_override boolean NOT NULL DEFAULT false,
    CHECK (action = 'create' OR old_value IS NOT NULL),
    CHECK (action = 'delete' OR new_value IS NOT NULL),
    -- Changing a final figure must say why.
    CHECK (old_status IS DISTINCT FROM 'final' OR action = 'create' OR coalesce(reason, '') <> ''),
    CHECK (NOT lock_override OR coalesce(reason, '') <> '')
);
CREATE INDEX observation_history_cell
    ON observation_history (metric, area, period_start, breakdown_key, id);

CREATE FUNCTION observation_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'observation_history is append-only';
END $$;
CREATE TRIGGER observation_history_no_change BEFORE UPDATE OR DELETE ON observation_history
    FOR EACH ROW EXECUTE FUNCTION observation_history_append_only();

CREATE TABLE targets (
    id            bigserial PRIMARY KEY,
    metric        text NOT NULL REFERENCES metrics (code),
    area          text NOT NULL REFERENCES areas (code),
    start_period  date NOT NULL CHECK (extract(day FROM start_period) = 1),
    end_period    date NOT NULL CHECK (extract(day FROM end_period) = 1),
    value         numeric NOT NULL CHECK (value <> 'NaN'),
    -- The value the trajectory starts from at start_period (0 for a running total
    -- that began with the programme).
    baseline      numeric NOT NULL DEFAULT 0 CHECK (baseline <> 'NaN'),
    basis         text NOT NULL CHECK (basis IN ('cumulative', 'level')),
    amber_within  numeric NOT NULL DEFAULT 0.10 CHECK (amber_within >= 0 AND amber_within < 1),
    source        text NOT NULL DEFAULT '',
    note          text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (end_period >= start_period),
    UNIQUE (metric, area, start_period, end_period)
);

CREATE TABLE target_milestones (
    target_id    bigint NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    period_start date NOT NULL CHECK (extract(day FROM period_start) = 1),
    value        numeric NOT NULL CHECK (value <> 'NaN'),
    PRIMARY KEY (target_id, period_start)
);

CREATE TABLE period_locks (
    id           bigserial PRIMARY KEY,
    programme    text REFERENCES programmes (code),
    metric       text REFERENCES metrics (code),
    period_start date NOT NULL CHECK (extract(day FROM period_start) = 1),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   uuid REFERENCES api_keys (id),
    CHECK ((programme IS NULL) <> (metric IS NULL))
);
CREATE UNIQUE INDEX period_locks_unique
    ON period_locks (coalesce(programme, ''), coalesce(metric, ''), period_start);

-- One row: bumped by every write in its own transaction; the trigger tells every
-- server process (LISTEN data_version) so caches keyed by it stay right.
CREATE TABLE data_version (
    id      int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    version bigint NOT NULL DEFAULT 1 CHECK (version > 0)
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE FUNCTION data_version_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('data_version', NEW.version::text);
    RETURN NEW;
END $$;
CREATE TRIGGER data_version_changed AFTER UPDATE ON data_version
    FOR EACH ROW EXECUTE FUNCTION data_version_notify();

CREATE TABLE metric_reads (
    metric text NOT NULL REFERENCES metrics (code) ON DELETE CASCADE,
    day    date NOT NULL,
    reads  bigint NOT NULL DEFAULT 0 CHECK (reads >= 0),
    PRIMARY KEY (metric, day)
);

-- An observation must fit its metric: counts whole and not negative, percentages
-- within 0..100, only the dimensions the metric declares with known categories, and a
-- period that starts where the metric's frequency starts one. Set-based, once per
-- statement, so a 100,000-row upsert pays for one join rather than 100,000 look-ups.
CREATE FUNCTION observations_check_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad text;
BEGIN
    SELECT format('%s %s %s: %s', n.metric, n.area, n.period_start,
                  CASE
                    WHEN m.unit = 'count' AND (n.value < 0 OR n.value <> trunc(n.value))
                      THEN 'a count must be a whole number, not negative'
                    WHEN m.unit = 'percent' AND (n.value < 0 OR n.value > 100)
                      THEN 'a percentage must be within 0..100'
                    WHEN m.frequency = 'quarterly' AND extract(month FROM n.period_start)::int % 3 <> 1
                      THEN 'a quarterly period starts in January, April, July or October'
                    WHEN m.frequency = 'annual' AND extract(month FROM n.period_start)::int NOT IN (1, 4)
                      THEN 'an annual period starts in January or April'
                    ELSE 'breakdown does not fit the metric''s dimensions and categories'
                  END)
      INTO bad
      FROM new_rows n JOIN metrics m ON m.code = n.metric
     WHERE (m.unit = 'count' AND (n.value < 0 OR n.value <> trunc(n.value)))
        OR (m.unit = 'percent' AND (n.value < 0 OR n.value > 100))
        OR (m.frequency = 'quarterly' AND extract(month FROM n.period_start)::int % 3 <> 1)
        OR (m.frequency = 'annual' AND extract(month FROM n.period_start)::int NOT IN (1, 4))
        OR (n.breakdown <> '{}'::jsonb AND EXISTS (
              SELECT 1 FROM jsonb_each_text(n.breakdown) b
               WHERE NOT EXISTS (SELECT 1 FROM metric_dimensions d
                                  WHERE d.metric = n.metric AND d.dimension = b.key)
                  OR NOT EXISTS (SELECT 1 FROM dimension_categories c
                                  WHERE c.dimension = b.key AND c.code = b.value)))
     LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'observation does not fit its metric: %', bad
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER observations_fit_metric_insert AFTER INSERT ON observations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION observations_check_rows();
CREATE TRIGGER observations_fit_metric_update AFTER UPDATE ON observations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION observations_check_rows();
