-- Sport England Active Lives Adult Survey figures for the On the Move rates, as their
-- publishers reported them: partner 'published-statistics', status 'final', one seed
-- submission of their own (so the board papers' receipt in 070 keeps its own rows).
-- Each note names the release (the 12 months it covers), who reported it, where and
-- when. Rolling 12-month figures are stored at the month the 12 months end, as the
-- metrics say: "November 2022-23" at 2023-11, "May 2018-19" at 2019-05, "November
-- 2016-17" at 2017-11. Percentages exactly as published (some sources round to whole
-- numbers). None of these sources gives confidence limits, so none is stored.
--
-- Left out, because no area here has a code for it or the source cannot be checked:
-- the Black Country (an Active Partnership area, not an ONS area), and England's
-- inactive share for November 2022-23 (Active Black Country's table gives 25.8% and its
-- commentary 25.7% for the same figure). Idempotent in the way 070 is.
INSERT INTO partners (code, name, synthetic) VALUES
    ('published-statistics', 'Published statistics (Sport England Active Lives releases, as reported)', false)
ON CONFLICT (code) DO UPDATE SET name = excluded.name, synthetic = excluded.synthetic;

INSERT INTO submissions (id, partner, format, status, http_status, dry_run, reason)
VALUES ('5eed0000-0000-4000-8000-000000000002', 'published-statistics', 'seed', 'applied', 201,
        false, 'Sport England Active Lives figures as published, loaded by the seed (sql/seed)')
ON CONFLICT (id) DO NOTHING;

CREATE TEMP TABLE seed_active_lives (
    metric       text NOT NULL,
    area         text NOT NULL,
    period_start date NOT NULL,
    value        numeric NOT NULL,
    note         text NOT NULL,
    PRIMARY KEY (metric, area, period_start)
);

INSERT INTO seed_active_lives (metric, area, period_start, value, note)
SELECT v.metric, v.area, v.period_start::date, v.value, v.note
  FROM (VALUES
    -- November 2022-23 (released April 2024), as reported by Active Black Country.
    ('on_the_move.inactive_adults_pct', 'E08000027', '2023-11-01', 31.7, 'nov23'),
    ('on_the_move.fairly_active_adults_pct', 'E08000027', '2023-11-01', 11.1, 'nov23'),
    ('on_the_move.active_adults_pct', 'E08000027', '2023-11-01', 57.2, 'nov23'),
    ('on_the_move.inactive_adults_pct', 'E08000028', '2023-11-01', 38.2, 'nov23'),
    ('on_the_move.fairly_active_adults_pct', 'E08000028', '2023-11-01', 10.5, 'nov23'),
    ('on_the_move.active_adults_pct', 'E08000028', '2023-11-01', 51.4, 'nov23'),
    ('on_the_move.inactive_adults_pct', 'E08000030', '2023-11-01', 33.6, 'nov23'),
    ('on_the_move.fairly_active_adults_pct', 'E08000030', '2023-11-01', 11.1, 'nov23'),
    ('on_the_move.active_adults_pct', 'E08000030', '2023-11-01', 55.2, 'nov23'),
    ('on_the_move.inactive_adults_pct', 'E08000031', '2023-11-01', 35.8, 'nov23'),
    ('on_the_move.fairly_active_adults_pct', 'E08000031', '2023-11-01', 12.3, 'nov23'),
    ('on_the_move.active_adults_pct', 'E08000031', '2023-11-01', 51.9, 'nov23'),
    ('on_the_move.inactive_adults_pct', 'E12000005', '2023-11-01', 28.8, 'nov23 region'),
    ('on_the_move.fairly_active_adults_pct', 'E12000005', '2023-11-01', 11.6, 'nov23 region'),
    ('on_the_move.active_adults_pct', 'E12000005', '2023-11-01', 59.6, 'nov23 region'),
    ('on_the_move.fairly_active_adults_pct', 'E92000001', '2023-11-01', 10.9, 'nov23'),
    ('on_the_move.active_adults_pct', 'E92000001', '2023-11-01', 63.4, 'nov23'),
    -- May 2018-19 (released 17 October 2019): the district figures the WMCA quoted on
    -- 18 October 2019, and England as Active Black Country reported it the same day.
    ('on_the_move.active_adults_pct', 'E07000222', '2019-05-01', 71, 'wmca19'),
    ('on_the_move.active_adults_pct', 'E08000028', '2019-05-01', 51, 'wmca19'),
    ('on_the_move.active_adults_pct', 'E08000025', '2019-05-01', 58, 'wmca19'),
    ('on_the_move.active_adults_pct', 'E08000026', '2019-05-01', 57, 'wmca19'),
    ('on_the_move.active_adults_pct', 'E08000029', '2019-05-01', 61, 'wmca19'),
    ('on_the_move.active_adults_pct', 'E92000001', '2019-05-01', 63.2, 'abc19'),
    ('on_the_move.inactive_adults_pct', 'E92000001', '2019-05-01', 24.8, 'abc19'),
    -- November 2016-17 (released 22 March 2018): the region, as the West Midlands
    -- Intelligence Centre reported it.
    ('on_the_move.active_adults_pct', 'E12000005', '2017-11-01', 57.6, 'wmic18'),
    ('on_the_move.inactive_adults_pct', 'E12000005', '2017-11-01', 29.5, 'wmic18')
  ) AS v (metric, area, period_start, value, note);

-- The notes, one per source, so every figure of a source says the same thing.
UPDATE seed_active_lives SET note = CASE note
    WHEN 'nov23' THEN
        'Sport England Active Lives Adult Survey, November 2022-23 (adults 16+, released April '
        '2024), as published by Active Black Country, "Active Lives Survey - Adults (Latest '
        'Data)", Insight Hub, activeblackcountry.co.uk'
    WHEN 'nov23 region' THEN
        'Sport England Active Lives Adult Survey, November 2022-23 (adults 16+, released April '
        '2024), as published by Active Black Country, "Active Lives Survey - Adults (Latest '
        'Data)", Insight Hub, activeblackcountry.co.uk; its row "West Midlands", taken as the '
        'region beside the row for England'
    WHEN 'wmca19' THEN
        'Sport England Active Lives Adult Survey, May 2018-19 (released 17 October 2019), as '
        'quoted by the WMCA, "West Midlands on the move to boost healthy lives", wmca.org.uk '
        'news, 18 October 2019: the share active (150+ minutes a week), in whole percent as '
        'the WMCA gave it'
    WHEN 'abc19' THEN
        'Sport England Active Lives Adult Survey, May 2018-19 (released 17 October 2019), as '
        'reported by Active Black Country, "The Black Country is moving in the right direction '
        'to getting more people active", activeblackcountry.co.uk news, 18 October 2019'
    WHEN 'wmic18' THEN
        'Sport England Active Lives Adult Survey, November 2016-17 (released 22 March 2018), as '
        'reported by the West Midlands Intelligence Centre, WMIC Issue 21 "Fit and able?", '
        'westmidlandsiep.gov.uk, 28 March 2018: the West Midlands region'
    END;

-- A later seed version's correction of a cell this seed still owns.
WITH changed AS (
    SELECT o.metric, o.area, o.period_start, o.value AS old_value, o.status AS old_status,
           s.value AS new_value, s.note
      FROM observations o
      JOIN seed_active_lives s ON s.metric = o.metric AND s.area = o.area
                              AND s.period_start = o.period_start
     WHERE o.breakdown_key = ''
       AND o.submission_id = '5eed0000-0000-4000-8000-000000000002'
       AND (o.value, o.note, o.status) IS DISTINCT FROM (s.value, s.note, 'final')
), fixed AS (
    UPDATE observations o
       SET value = c.new_value, note = c.note, status = 'final', updated_at = now()
      FROM changed c
     WHERE o.metric = c.metric AND o.area = c.area AND o.period_start = c.period_start
       AND o.breakdown_key = ''
    RETURNING o.metric, o.area, o.period_start, c.old_value, c.old_status, o.value AS new_value
)
INSERT INTO observation_history (metric, area, period_start, breakdown_key, action, old_value,
                                 new_value, old_status, new_status, partner, submission_id,
                                 reason)
SELECT f.metric, f.area, f.period_start, '', 'update', f.old_value, f.new_value, f.old_status,
       'final', 'published-statistics', '5eed0000-0000-4000-8000-000000000002',
       'Corrected by a new version of the Active Lives seed (sql/seed/075_active_lives.sql)'
  FROM fixed f
 WHERE f.old_value <> f.new_value OR f.old_status <> 'final';

-- New figures: inserted only into empty cells, each with its 'create' history row.
WITH ins AS (
    INSERT INTO observations (metric, area, period_start, value, status, note, derived,
                              submission_id, partner)
    SELECT s.metric, s.area, s.period_start, s.value, 'final', s.note, false,
           '5eed0000-0000-4000-8000-000000000002', 'published-statistics'
      FROM seed_active_lives s
    ON CONFLICT (metric, area, period_start, breakdown_key) DO NOTHING
    RETURNING metric, area, period_start, breakdown_key, value, status
)
INSERT INTO observation_history (metric, area, period_start, breakdown_key, action, new_value,
                                 new_status, partner, submission_id)
SELECT metric, area, period_start, breakdown_key, 'create', value, status,
       'published-statistics', '5eed0000-0000-4000-8000-000000000002'
  FROM ins;

UPDATE submissions
   SET row_count = (SELECT count(*) FROM seed_active_lives),
       counts = jsonb_build_object(
           'created', (SELECT count(*) FROM observation_history h
                        WHERE h.submission_id = submissions.id AND h.action = 'create'),
           'updated', (SELECT count(*) FROM observation_history h
                        WHERE h.submission_id = submissions.id AND h.action = 'update'),
           'unchanged', 0, 'deleted', 0, 'rejected', 0)
 WHERE id = '5eed0000-0000-4000-8000-000000000002';

DROP TABLE seed_active_lives;
