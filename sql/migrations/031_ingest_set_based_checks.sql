-- Bulk ingest, measured (make bench-ingest, 100,000 rows): each foreign key on
-- observations fires one lookup per row, about 0.5 s per key per batch, and the fit
-- check looked up every row's breakdown. The same guarantees are kept, set-based: the
-- statement trigger checks the distinct metrics, areas, submissions and partners a
-- statement writes (a handful, however many rows), and the referenced tables refuse
-- to delete or rename a row that figures point at.

ALTER TABLE observations DROP CONSTRAINT observations_submission_id_fkey;
ALTER TABLE observations DROP CONSTRAINT observations_partner_fkey;
ALTER TABLE observations DROP CONSTRAINT observations_metric_fkey;
ALTER TABLE observations DROP CONSTRAINT observations_area_fkey;
ALTER TABLE observation_history DROP CONSTRAINT observation_history_submission_id_fkey;

-- The key in the order reads and checks walk it: one series (metric, area, breakdown)
-- in period order. The upsert's conflict target is the same set of columns.
ALTER TABLE observations DROP CONSTRAINT observations_pkey;
ALTER TABLE observations ADD PRIMARY KEY (metric, area, breakdown_key, period_start);

CREATE FUNCTION catalogue_keep_if_used() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    col text := TG_ARGV[0];
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.code = OLD.code THEN
        RETURN NEW;
    END IF;
    IF (col = 'metric' AND EXISTS (SELECT 1 FROM observations WHERE metric = OLD.code))
       OR (col = 'area' AND EXISTS (SELECT 1 FROM observations WHERE area = OLD.code)) THEN
        RAISE EXCEPTION '% % has figures: it cannot be deleted or renamed', col, OLD.code
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER metrics_keep_if_used BEFORE DELETE OR UPDATE OF code ON metrics
    FOR EACH ROW EXECUTE FUNCTION catalogue_keep_if_used('metric');
CREATE TRIGGER areas_keep_if_used BEFORE DELETE OR UPDATE OF code ON areas
    FOR EACH ROW EXECUTE FUNCTION catalogue_keep_if_used('area');

-- A receipt is permanent: figures and history point at it.
CREATE FUNCTION submissions_keep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'submissions are permanent receipts and cannot be deleted'
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER submissions_no_delete BEFORE DELETE ON submissions
    FOR EACH ROW EXECUTE FUNCTION submissions_keep();

CREATE FUNCTION partners_keep_if_used() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM observations WHERE partner = OLD.code)
       OR EXISTS (SELECT 1 FROM observation_history WHERE partner = OLD.code) THEN
        RAISE EXCEPTION 'partner % has figures or history and cannot be deleted', OLD.code
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER partners_no_delete_if_used BEFORE DELETE ON partners
    FOR EACH ROW EXECUTE FUNCTION partners_keep_if_used();

-- The fit check, now over distinct values: a batch has a few metrics, breakdowns,
-- submissions and partners however many rows it has.
CREATE OR REPLACE FUNCTION observations_check_rows() RETURNS trigger
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
                    ELSE 'an annual period starts in January or April'
                  END)
      INTO bad
      FROM new_rows n JOIN metrics m ON m.code = n.metric
     WHERE (m.unit = 'count' AND (n.value < 0 OR n.value <> trunc(n.value)))
        OR (m.unit = 'percent' AND (n.value < 0 OR n.value > 100))
        OR (m.frequency = 'quarterly' AND extract(month FROM n.period_start)::int % 3 <> 1)
        OR (m.frequency = 'annual' AND extract(month FROM n.period_start)::int NOT IN (1, 4))
     LIMIT 1;
    IF bad IS NULL THEN
        SELECT format('metric %s does not exist', d.metric) INTO bad
          FROM (SELECT DISTINCT metric FROM new_rows) d
         WHERE NOT EXISTS (SELECT 1 FROM metrics x WHERE x.code = d.metric)
         LIMIT 1;
    END IF;
    IF bad IS NULL THEN
        SELECT format('area %s does not exist', d.area) INTO bad
          FROM (SELECT DISTINCT area FROM new_rows) d
         WHERE NOT EXISTS (SELECT 1 FROM areas x WHERE x.code = d.area)
         LIMIT 1;
    END IF;
    IF bad IS NULL THEN
        SELECT format('%s breakdown %s: not among the metric''s dimensions and categories',
                      d.metric, d.breakdown)
          INTO bad
          FROM (SELECT DISTINCT metric, breakdown FROM new_rows
                 WHERE breakdown <> '{}'::jsonb) d
         WHERE EXISTS (SELECT 1 FROM jsonb_each_text(d.breakdown) b
                        WHERE NOT EXISTS (SELECT 1 FROM metric_dimensions md
                                           WHERE md.metric = d.metric AND md.dimension = b.key)
                           OR NOT EXISTS (SELECT 1 FROM dimension_categories c
                                           WHERE c.dimension = b.key AND c.code = b.value))
         LIMIT 1;
    END IF;
    IF bad IS NULL THEN
        SELECT format('submission %s does not exist', s.submission_id) INTO bad
          FROM (SELECT DISTINCT submission_id FROM new_rows WHERE submission_id IS NOT NULL) s
         WHERE NOT EXISTS (SELECT 1 FROM submissions x WHERE x.id = s.submission_id)
         LIMIT 1;
    END IF;
    IF bad IS NULL THEN
        SELECT format('partner %s does not exist', p.partner) INTO bad
          FROM (SELECT DISTINCT partner FROM new_rows WHERE partner IS NOT NULL) p
         WHERE NOT EXISTS (SELECT 1 FROM partners x WHERE x.code = p.partner)
         LIMIT 1;
    END IF;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'observation does not fit: %', bad USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION observation_history_check_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    missing uuid;
BEGIN
    SELECT s.submission_id INTO missing
      FROM (SELECT DISTINCT submission_id FROM new_rows WHERE submission_id IS NOT NULL) s
     WHERE NOT EXISTS (SELECT 1 FROM submissions x WHERE x.id = s.submission_id)
     LIMIT 1;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'history names submission %, which does not exist', missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER observation_history_submission_exists AFTER INSERT ON observation_history
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION observation_history_check_rows();

-- Payloads are kept whole; lz4 compresses them several times faster than pglz.
ALTER TABLE submissions ALTER COLUMN payload SET COMPRESSION lz4;
