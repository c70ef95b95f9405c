-- Stewardship of the record (issue 10): who owes which return, who may change a figure,
-- a third status, history full enough to rebuild the record as it stood at any moment,
-- admin rules across figures, and named board snapshots.

-- ---- statuses ----
-- 'estimated': a figure the partner has modelled rather than counted (DHIS2 and the
-- ONS mark these apart); it is neither provisional nor final.
ALTER TABLE observations DROP CONSTRAINT observations_status_check;
ALTER TABLE observations ADD CONSTRAINT observations_status_check
    CHECK (status IN ('provisional', 'final', 'estimated'));

-- ---- history that can rebuild a figure ----
-- Each row carries the whole state it leaves behind (value, limits, status, note,
-- breakdown), so "the figure as it stood at T" is the newest history row at or before T
-- for its cell, with no replay. old_* say what a change replaced.
ALTER TABLE observation_history
    ADD COLUMN breakdown jsonb CHECK (breakdown IS NULL OR jsonb_typeof(breakdown) = 'object'),
    ADD COLUMN old_lower numeric,
    ADD COLUMN new_lower numeric,
    ADD COLUMN old_upper numeric,
    ADD COLUMN new_upper numeric,
    ADD COLUMN old_note  text CHECK (length(old_note) <= 2000),
    ADD COLUMN new_note  text CHECK (length(new_note) <= 2000),
    ADD CONSTRAINT observation_history_status_check
        CHECK ((old_status IS NULL OR old_status IN ('provisional', 'final', 'estimated'))
           AND (new_status IS NULL OR new_status IN ('provisional', 'final', 'estimated'))),
    -- A delete leaves nothing behind; a create or an update always leaves a status.
    ADD CONSTRAINT observation_history_state_check
        CHECK ((action = 'delete') = (new_status IS NULL));

-- The breakdown object follows from the key ("age_band=16-24;sex=female"), so a writer
-- that names only the key (the seed) still leaves a row that rebuilds the figure.
CREATE FUNCTION breakdown_of_key(k text) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT coalesce(jsonb_object_agg(split_part(kv, '=', 1), split_part(kv, '=', 2)), '{}')
      FROM unnest(string_to_array(nullif(k, ''), ';')) kv
$$;

CREATE FUNCTION observation_history_fill() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.breakdown IS NULL THEN
        NEW.breakdown := breakdown_of_key(NEW.breakdown_key);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER observation_history_fill BEFORE INSERT ON observation_history
    FOR EACH ROW EXECUTE FUNCTION observation_history_fill();

-- Rows written before this migration know only value and status. The newest row of each
-- cell is completed from the figure as it stands (which it produced), so the current
-- record rebuilds exactly; older rows keep what they recorded. The append-only trigger
-- is lifted for this one backfill of new columns and nothing else.
ALTER TABLE observation_history DISABLE TRIGGER observation_history_no_change;
UPDATE observation_history h
   SET breakdown = breakdown_of_key(h.breakdown_key)
 WHERE h.breakdown IS NULL;
UPDATE observation_history h
   SET new_lower = o.lower_ci, new_upper = o.upper_ci, new_note = o.note
  FROM observations o
 WHERE o.metric = h.metric AND o.area = h.area AND o.period_start = h.period_start
   AND o.breakdown_key = h.breakdown_key AND h.action <> 'delete'
   AND h.id = (SELECT max(h2.id) FROM observation_history h2
                WHERE h2.metric = h.metric AND h2.area = h.area
                  AND h2.period_start = h.period_start AND h2.breakdown_key = h.breakdown_key);
ALTER TABLE observation_history ENABLE TRIGGER observation_history_no_change;

-- A figure stored without any history row (none should exist; written by hand) gets its
-- 'create', dated when it was made, so the record as it stood includes it.
INSERT INTO observation_history (metric, area, period_start, breakdown_key, breakdown, action,
                                 new_value, new_lower, new_upper, new_status, new_note, partner,
                                 submission_id, changed_at)
SELECT o.metric, o.area, o.period_start, o.breakdown_key, o.breakdown, 'create', o.value,
       o.lower_ci, o.upper_ci, o.status, o.note, o.partner, o.submission_id, o.created_at
  FROM observations o
 WHERE NOT EXISTS (SELECT 1 FROM observation_history h
                    WHERE h.metric = o.metric AND h.area = o.area
                      AND h.period_start = o.period_start AND h.breakdown_key = o.breakdown_key);

-- As-of reads walk versions newest first: the key of a cell, then time. Every figure read
-- fixes the metric and the breakdown cell (the total unless asked), and often the area,
-- so those lead; a read of one area's every cell has observation_history_cell (metric,
-- area, ...) instead. The planner reads only the asked cells' versions from the index,
-- never the whole history (EXPLAIN in make bench shows it).
CREATE INDEX observation_history_as_of
    ON observation_history (metric, breakdown_key, area, period_start, changed_at DESC, id DESC);
-- The updatedAfter feed's withdrawals and the changes between two snapshots read
-- history by time.
CREATE INDEX observation_history_changed ON observation_history (changed_at);

-- The figures as they stood at t: for every cell, its newest history row at or before t,
-- unless that row withdrew it. A plain SQL function, so the planner inlines it and pushes
-- the caller's metric/area/breakdown filters into the DISTINCT ON (they are its keys).
CREATE FUNCTION observations_as_of(t timestamptz)
RETURNS TABLE (metric text, area text, period_start date, breakdown_key text, breakdown jsonb,
               value numeric, lower_ci numeric, upper_ci numeric, status text, note text,
               partner text, submission_id uuid, updated_at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT h.metric, h.area, h.period_start, h.breakdown_key, h.breakdown, h.new_value,
           h.new_lower, h.new_upper, h.new_status, h.new_note, h.partner, h.submission_id,
           h.changed_at
      FROM (SELECT DISTINCT ON (metric, breakdown_key, area, period_start) *
              FROM observation_history
             WHERE changed_at <= t
             ORDER BY metric, breakdown_key, area, period_start, changed_at DESC, id DESC) h
     WHERE h.action <> 'delete'
$$;

-- What every read selects from: the figures as they stand (t NULL) or as they stood at t.
-- One-time filters on t pick the branch, so a current read plans exactly as a read of
-- observations did.
CREATE FUNCTION observations_at(t timestamptz)
RETURNS TABLE (metric text, area text, period_start date, breakdown_key text, breakdown jsonb,
               value numeric, lower_ci numeric, upper_ci numeric, status text, note text,
               partner text, submission_id uuid, updated_at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT o.metric, o.area, o.period_start, o.breakdown_key, o.breakdown, o.value, o.lower_ci,
           o.upper_ci, o.status, o.note, o.partner, o.submission_id, o.updated_at
      FROM observations o WHERE t IS NULL
    UNION ALL
    SELECT * FROM observations_as_of(t) WHERE t IS NOT NULL
$$;

-- ---- who owes which return ----
-- One row per (metric, area): exactly one partner owes a figure, due on due_day of the
-- month after its period ends. A schedule is an obligation, a grant a permission: a
-- partner can be scheduled only for what a grant lets it send.
CREATE TABLE return_schedules (
    id         bigserial PRIMARY KEY,
    partner    text NOT NULL REFERENCES partners (code) ON DELETE CASCADE,
    metric     text NOT NULL REFERENCES metrics (code) ON DELETE CASCADE,
    area       text NOT NULL REFERENCES areas (code) ON DELETE CASCADE,
    due_day    int  NOT NULL DEFAULT 15 CHECK (due_day BETWEEN 1 AND 28),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (metric, area)
);
CREATE INDEX return_schedules_partner ON return_schedules (partner, metric, area);

CREATE FUNCTION return_schedules_granted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM partner_grants g JOIN metrics m ON m.code = NEW.metric
                    WHERE g.partner = NEW.partner AND g.area = NEW.area
                      AND (g.metric = m.code OR g.programme = m.programme)) THEN
        RAISE EXCEPTION 'partner % has no grant for % in %', NEW.partner, NEW.metric, NEW.area
            USING ERRCODE = 'check_violation', CONSTRAINT = 'return_schedules_granted';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER return_schedules_granted BEFORE INSERT OR UPDATE ON return_schedules
    FOR EACH ROW EXECUTE FUNCTION return_schedules_granted();

-- ---- who may change a figure ----
-- For a figure nobody is scheduled to send: the partner that first wrote it (metric and
-- area), or the one an admin handed it to. A scheduled figure's responsible partner is
-- its schedule's, whatever this table says.
CREATE TABLE figure_responsibility (
    metric     text NOT NULL REFERENCES metrics (code) ON DELETE CASCADE,
    area       text NOT NULL REFERENCES areas (code) ON DELETE CASCADE,
    partner    text NOT NULL REFERENCES partners (code) ON DELETE CASCADE,
    basis      text NOT NULL CHECK (basis IN ('first_write', 'handed_over')),
    since      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (metric, area)
);

-- Every hand-over, kept: who had it, who has it, who decided and why.
CREATE TABLE responsibility_handovers (
    id           bigserial PRIMARY KEY,
    metric       text NOT NULL,
    area         text NOT NULL,
    from_partner text,
    to_partner   text NOT NULL REFERENCES partners (code) ON DELETE CASCADE,
    api_key      uuid REFERENCES api_keys (id) ON DELETE SET NULL,
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    handed_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (from_partner IS DISTINCT FROM to_partner)
);

-- The figures already stored belong to whoever created them first.
INSERT INTO figure_responsibility (metric, area, partner, basis, since)
SELECT DISTINCT ON (h.metric, h.area) h.metric, h.area, h.partner, 'first_write', h.changed_at
  FROM observation_history h
  JOIN partners p ON p.code = h.partner
  JOIN metrics m ON m.code = h.metric
  JOIN areas a ON a.code = h.area
 WHERE h.action = 'create'
 ORDER BY h.metric, h.area, h.id
ON CONFLICT DO NOTHING;

-- ---- rules across figures (DHIS2's validation rules) ----
-- left op right for the same area, period and breakdown. error refuses a batch that
-- breaks it; warning accepts it with a receipt warning.
CREATE TABLE validation_rules (
    name         text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_-]{1,63}$'),
    left_metric  text NOT NULL REFERENCES metrics (code) ON DELETE CASCADE,
    op           text NOT NULL CHECK (op IN ('<=', '==', '>=')),
    right_metric text NOT NULL REFERENCES metrics (code) ON DELETE CASCADE,
    severity     text NOT NULL CHECK (severity IN ('error', 'warning')),
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (left_metric <> right_metric)
);

-- ---- board snapshots ----
-- A name for the record at a moment (a board meeting). The record at as_of is rebuilt
-- from history, so a snapshot stores no figures and never goes stale.
CREATE TABLE board_snapshots (
    name       text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    as_of      timestamptz NOT NULL,
    note       text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by uuid REFERENCES api_keys (id) ON DELETE SET NULL,
    -- A snapshot names a moment that has happened: the future has no record yet.
    CHECK (as_of <= created_at)
);
CREATE INDEX board_snapshots_as_of ON board_snapshots (as_of);
