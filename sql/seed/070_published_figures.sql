-- The figures published in the board papers, exactly as published: partner
-- 'board-papers', status 'final', all under one seed submission, each with a note naming
-- the paper, its date and paragraph. Area WMCA (E47000007) unless the paper names one.
-- A figure the papers do not state outright is marked derived, its note saying how.
--
-- Idempotent: a figure is inserted (with a 'create' history row) only when its cell is
-- empty. A cell the seed still owns (last written by the seed submission) is brought into
-- line when a later seed version corrects it, with an 'update' history row giving the
-- reason. A cell a partner or an admin has written since is theirs: left alone.
INSERT INTO submissions (id, partner, format, status, http_status, dry_run, reason)
VALUES ('5eed0000-0000-4000-8000-000000000001', 'board-papers', 'seed', 'applied', 201, false,
        'Figures published in the WMCA board papers, loaded by the seed (sql/seed)')
ON CONFLICT (id) DO NOTHING;

CREATE TEMP TABLE seed_figure (
    metric       text NOT NULL,
    area         text NOT NULL,
    period_start date NOT NULL,
    value        numeric NOT NULL,
    derived      boolean NOT NULL,
    note         text NOT NULL,
    PRIMARY KEY (metric, area, period_start)
);

INSERT INTO seed_figure (metric, area, period_start, value, derived, note) VALUES
    -- MHFA (Thrive update, Mental Health Awareness).
    ('mhfa.people_trained', 'E47000007', '2018-12-01', 12013, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 8.1: 12,013 trained since January '
     '2017; 18,251 in total'),
    ('mhfa.people_trained_all_time', 'E47000007', '2018-12-01', 18251, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 8.1: in total 18,251 people in the '
     'West Midlands have been trained (the paper says "MHTR courses", meaning MHFA), 12,013 '
     'of them since January 2017'),
    ('mhfa.secondary_schools_pct', 'E47000007', '2018-12-01', 26, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 8.1: by mid December 2018 twenty '
     'six percent of secondary schools had completed the training'),

    -- Thrive into Work: the IPS health-led trial.
    ('thrive.ips_referrals', 'E47000007', '2018-11-01', 1822, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 4.2: the referral rate at the end '
     'of November 2018 stood at 75% on target (1,822)'),
    ('thrive.ips_referrals_target_pct', 'E47000007', '2018-11-01', 75, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 4.2: the referral rate at the end '
     'of November 2018 stood at 75% on target (1,822 referrals)'),
    ('thrive.ips_job_starts', 'E47000007', '2018-10-01', 52, false,
     'WMCA Wellbeing Board 31 Oct 2018 minutes, item 18 Thrive update (in the 18 Jan 2019 '
     'pack): 52 people had secured employment through the Thrive into Work IPS trial'),
    ('thrive.ips_job_starts', 'E47000007', '2018-11-01', 86, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 4.2: at the end of November 2018, '
     '86 people have secured meaningful employment'),
    ('thrive.ips_average_weekly_wage', 'E47000007', '2018-10-01', 225, false,
     'WMCA Wellbeing Board 31 Oct 2018 minutes, item 18 Thrive update (in the 18 Jan 2019 '
     'pack): the 52 people into work earn an average wage of £225 per week'),
    ('thrive.ips_gp_referrals', 'E47000007', '2018-11-01', 9, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 4.6: only 9 referrals have been '
     'as a result of a direct GP referral. The paragraph gives no date: stored with para '
     '4.2''s end of November 2018 figures'),
    ('thrive.ips_interview_participants', 'E08000028', '2018-11-01', 44, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 4.3: in Sandwell providers have '
     'supported 44 people to attend 104 interviews. No date given: stored with para 4.2''s '
     'end of November 2018 figures'),
    ('thrive.ips_interviews', 'E08000028', '2018-11-01', 104, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 4.3: in Sandwell providers have '
     'supported 44 people to attend 104 interviews. No date given: stored with para 4.2''s '
     'end of November 2018 figures'),
    ('thrive.ips_application_participants', 'E08000028', '2018-11-01', 78, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 4.3: in Sandwell providers have '
     'supported 78 people to produce 814 job applications. No date given: stored with para '
     '4.2''s end of November 2018 figures'),
    ('thrive.ips_job_applications', 'E08000028', '2018-11-01', 814, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 4.3: in Sandwell providers have '
     'supported 78 people to produce 814 job applications. No date given: stored with para '
     '4.2''s end of November 2018 figures'),
    ('thrive.ips_funding_secured', 'E47000007', '2018-11-01', 10200000, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 4.4: in November 2018 the WMCA was '
     'awarded a further £1.825m to extend the trial to 31 October 2019, taking government '
     'investment in Thrive into Work to £10.2m (para 9.2: £8.355m from the Work and Health '
     'Unit over 3 years)'),

    -- Thrive at Work: the fiscal incentive trial and the wellbeing commitment.
    ('thrive.fiscal_incentive_funding_secured', 'E47000007', '2019-01-01', 1382000, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 9.3: £1.382m secured from the '
     'Work and Health Unit of the DWP for the Fiscal Incentive Programme (para 5.3 rounds it '
     'to £1.4m, paid quarterly from April 2018). Stored at January 2019, the month of the '
     'paper'),
    ('thrive.fiscal_incentive_smes', 'E47000007', '2019-01-01', 121, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 6.4: 121 businesses are continuing '
     'on the trial and programme (para 5.1: the trial seeks to work with 148 SMEs). Stored at '
     'January 2019, the month of the paper'),
    ('thrive.taw_organisations', 'E47000007', '2019-01-01', 191, true,
     'Derived: 121 + 70. WMCA Wellbeing Board 18 Jan 2019, Thrive update para 6.4: 121 '
     'businesses continuing on the trial and programme and another 70 signed up for just '
     'the programme; the paper does not state the total. Stored at January 2019, the month '
     'of the paper'),
    ('thrive.taw_employees', 'E47000007', '2019-01-01', 70000, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 6.4: nearly 70,000 employees have '
     'the potential to be positively impacted through the businesses signed up. Stored as '
     '70000, the paper''s round figure ("nearly"), at January 2019, the month of the paper'),

    -- Mental health and justice.
    ('thrive.mhtr_orders', 'E08000025', '2018-10-01', 28, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 7.1: the first phase of the '
     'Mental Health Treatment Requirement testbed pilot in Birmingham was completed at the '
     'end of October 2018 with a total of 28 orders'),
    ('thrive.justice_engager_funding_secured', 'E47000007', '2019-01-01', 80000, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 9.2: £80k from the Police and '
     'Crime Commissioner for the Criminal Justice - Engager Programme, secured to date. '
     'Stored at January 2019, the month of the paper'),

    -- The mental health budget for the financial year 2018/19 (FY2018-19).
    ('thrive.mh_budget', 'E47000007', '2018-04-01', 435000, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 9.1: the 18/19 budget allocated '
     'for mental health is £435,000'),
    ('thrive.mh_budget_resources', 'E47000007', '2018-04-01', 304300, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 9.1: of the 18/19 mental health '
     'budget of £435,000, £304,300 for resources'),
    ('thrive.mh_budget_project_delivery', 'E47000007', '2018-04-01', 100000, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 9.1: of the 18/19 mental health '
     'budget of £435,000, £100,000 for project delivery expenditure'),
    ('thrive.mh_budget_commission_jury', 'E47000007', '2018-04-01', 30700, false,
     'WMCA Wellbeing Board 18 Jan 2019, Thrive update para 9.1: of the 18/19 mental health '
     'budget of £435,000, £30,700 for commission and citizen jury expenses'),

    -- On the Move: GoodGym.
    ('on_the_move.goodgym_launches', 'E08000029', '2018-10-01', 1, false,
     'WMCA Wellbeing Board 31 Oct 2018 minutes, item 19 (in the 18 Jan 2019 pack): launch of '
     'GoodGym in Solihull at the beginning of October 2018, the first as a partnership '
     'between a local authority and the WMCA'),
    ('on_the_move.goodgym_launches', 'E08000026', '2019-01-01', 1, false,
     'WMCA Wellbeing Board 18 Jan 2019, On the Move progress para 2.1.1: GoodGym Coventry in '
     'recruitment and final planning, with first runs scheduled for late January 2019');

-- A later seed version's correction of a cell the seed still owns.
WITH changed AS (
    SELECT o.metric, o.area, o.period_start, o.value AS old_value, o.status AS old_status,
           s.value AS new_value, s.derived, s.note
      FROM observations o
      JOIN seed_figure s ON s.metric = o.metric AND s.area = o.area
                        AND s.period_start = o.period_start
     WHERE o.breakdown_key = ''
       AND o.submission_id = '5eed0000-0000-4000-8000-000000000001'
       AND (o.value, o.derived, o.note, o.status, o.lower_ci, o.upper_ci)
           IS DISTINCT FROM (s.value, s.derived, s.note, 'final', NULL::numeric, NULL::numeric)
), fixed AS (
    UPDATE observations o
       SET value = c.new_value, derived = c.derived, note = c.note, status = 'final',
           lower_ci = NULL, upper_ci = NULL, updated_at = now()
      FROM changed c
     WHERE o.metric = c.metric AND o.area = c.area AND o.period_start = c.period_start
       AND o.breakdown_key = ''
    RETURNING o.metric, o.area, o.period_start, c.old_value, c.old_status, o.value AS new_value,
              o.note AS new_note
)
INSERT INTO observation_history (metric, area, period_start, breakdown_key, action, old_value,
                                 new_value, old_status, new_status, new_note, partner,
                                 submission_id, reason)
SELECT f.metric, f.area, f.period_start, '', 'update', f.old_value, f.new_value, f.old_status,
       'final', f.new_note, 'board-papers', '5eed0000-0000-4000-8000-000000000001',
       'Corrected by a new version of the board papers seed (sql/seed/070_published_figures.sql)'
  FROM fixed f
 WHERE f.old_value <> f.new_value OR f.old_status <> 'final';

-- New figures: inserted only into empty cells, each with its 'create' history row.
WITH ins AS (
    INSERT INTO observations (metric, area, period_start, value, status, note, derived,
                              submission_id, partner)
    SELECT s.metric, s.area, s.period_start, s.value, 'final', s.note, s.derived,
           '5eed0000-0000-4000-8000-000000000001', 'board-papers'
      FROM seed_figure s
    ON CONFLICT (metric, area, period_start, breakdown_key) DO NOTHING
    RETURNING metric, area, period_start, breakdown_key, value, status, note
)
-- new_note too: a history row carries the whole figure it leaves, so the record as it
-- stood at a moment (asOf) can be rebuilt from history alone.
INSERT INTO observation_history (metric, area, period_start, breakdown_key, action, new_value,
                                 new_status, new_note, partner, submission_id)
SELECT metric, area, period_start, breakdown_key, 'create', value, status, note, 'board-papers',
       '5eed0000-0000-4000-8000-000000000001'
  FROM ins;

-- The seed submission's receipt: the rows this version holds, and what the seed has
-- created and corrected over all its versions.
UPDATE submissions
   SET row_count = (SELECT count(*) FROM seed_figure),
       counts = jsonb_build_object(
           'created', (SELECT count(*) FROM observation_history h
                        WHERE h.submission_id = submissions.id AND h.action = 'create'),
           'updated', (SELECT count(*) FROM observation_history h
                        WHERE h.submission_id = submissions.id AND h.action = 'update'),
           'unchanged', 0, 'deleted', 0, 'rejected', 0)
 WHERE id = '5eed0000-0000-4000-8000-000000000001';

DROP TABLE seed_figure;
