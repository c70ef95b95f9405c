-- The fit check of 031, in one pass over the rows a statement wrote (make bench-ingest,
-- EXPLAIN (ANALYZE, BUFFERS) of a 100,000-row submission): 031 scanned the transition
-- table six times, and its first query was planned as a nested loop that compared every
-- row with every metric (3.2 million joins, 0.5 to 1 s a batch). Here the rows are first
-- grouped by what the checks look at (metric, area, breakdown, submission, partner; per
-- group the lowest and highest value, whether all are whole, and the months used), a
-- few hundred groups however many rows, and every check runs over the groups. The
-- guarantees and the messages are 031's: when a group breaks its metric's unit or
-- frequency, 031's own row query names the first offending row.
CREATE OR REPLACE FUNCTION observations_check_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad text;
    unfit text; -- a metric some of whose rows break its unit or frequency
BEGIN
    WITH g AS MATERIALIZED (
        SELECT metric, area, breakdown, submission_id, partner,
               min(value) AS lo, max(value) AS hi, bool_and(value = trunc(value)) AS whole,
               bit_or(1 << (extract(month FROM period_start)::int - 1)) AS months
          FROM new_rows
         GROUP BY metric, area, breakdown, submission_id, partner)
    SELECT (SELECT g.metric
              FROM g JOIN metrics m ON m.code = g.metric
             WHERE (m.unit = 'count' AND (g.lo < 0 OR NOT g.whole))
                OR (m.unit = 'percent' AND (g.lo < 0 OR g.hi > 100))
                -- months are bits 0..11: January, April, July, October are 0, 3, 6, 9
                OR (m.frequency = 'quarterly' AND g.months & ~(1 | 8 | 64 | 512) <> 0)
                OR (m.frequency = 'annual' AND g.months & ~(1 | 8) <> 0)
             LIMIT 1),
           coalesce(
             (SELECT format('metric %s does not exist', d.metric)
                FROM (SELECT DISTINCT metric FROM g) d
               WHERE NOT EXISTS (SELECT 1 FROM metrics x WHERE x.code = d.metric)
               LIMIT 1),
             (SELECT format('area %s does not exist', d.area)
                FROM (SELECT DISTINCT area FROM g) d
               WHERE NOT EXISTS (SELECT 1 FROM areas x WHERE x.code = d.area)
               LIMIT 1),
             (SELECT format('%s breakdown %s: not among the metric''s dimensions and categories',
                            d.metric, d.breakdown)
                FROM (SELECT DISTINCT metric, breakdown FROM g
                       WHERE breakdown <> '{}'::jsonb) d
               WHERE EXISTS (SELECT 1 FROM jsonb_each_text(d.breakdown) b
                              WHERE NOT EXISTS (SELECT 1 FROM metric_dimensions md
                                                 WHERE md.metric = d.metric AND md.dimension = b.key)
                                 OR NOT EXISTS (SELECT 1 FROM dimension_categories c
                                                 WHERE c.dimension = b.key AND c.code = b.value))
               LIMIT 1),
             (SELECT format('submission %s does not exist', s.submission_id)
                FROM (SELECT DISTINCT submission_id FROM g WHERE submission_id IS NOT NULL) s
               WHERE NOT EXISTS (SELECT 1 FROM submissions x WHERE x.id = s.submission_id)
               LIMIT 1),
             (SELECT format('partner %s does not exist', p.partner)
                FROM (SELECT DISTINCT partner FROM g WHERE partner IS NOT NULL) p
               WHERE NOT EXISTS (SELECT 1 FROM partners x WHERE x.code = p.partner)
               LIMIT 1))
      INTO unfit, bad;
    -- 031 checked unit and frequency first, so their message wins as it did.
    IF unfit IS NOT NULL THEN
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
         WHERE n.metric = unfit
           AND ((m.unit = 'count' AND (n.value < 0 OR n.value <> trunc(n.value)))
                OR (m.unit = 'percent' AND (n.value < 0 OR n.value > 100))
                OR (m.frequency = 'quarterly' AND extract(month FROM n.period_start)::int % 3 <> 1)
                OR (m.frequency = 'annual' AND extract(month FROM n.period_start)::int NOT IN (1, 4)))
         LIMIT 1;
        bad := coalesce(bad, format('%s: a figure does not fit the metric''s unit or frequency',
                                    unfit));
    END IF;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'observation does not fit: %', bad USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
