-- Targets the board papers state with a value, an end and a start point. MHFA is
-- inserted first so that, on a fresh database, it is target 1.
--
-- Not here, for want of a figure the papers give:
-- * the IPS referral target: the papers give only "75% on target" at 1,822 referrals,
--   a rounded share, so the target itself is not known (somewhere near 2,400 to
--   2,450), and inventing one would put a false figure on the dashboard;
-- * the 148 SMEs of the fiscal incentive trial: the size the trial was designed for,
--   reached ("recruited above the required number"), not a level to be reached later;
-- * the 2020 spending review's 7% increase in active people and 1% fall in overweight
--   or obese adults: relative changes with no baseline, period or window in the papers.
INSERT INTO targets (metric, area, start_period, end_period, value, baseline, basis, source, note)
VALUES
    ('mhfa.people_trained', 'E47000007', DATE '2017-01-01', DATE '2026-12-01', 500000, 0, 'level',
     'WMCA Wellbeing Board, 18 January 2019, Thrive update, para 8.1',
     'Training for 500,000 people over 10 years, counted from January 2017 (the running '
     'total starts at 0 then).'),
    ('thrive.this_is_me_organisations', 'E47000007', DATE '2019-01-01', DATE '2020-01-01', 50, 0,
     'level',
     'WMCA Wellbeing Board, 18 January 2019, Thrive update, para 8.3',
     'WMCA aims to get 50 organisations signed up to This is Me in the first year after the '
     'West Midlands launch on 21 January 2019.')
ON CONFLICT (metric, area, start_period, end_period) DO UPDATE
    SET value = excluded.value, baseline = excluded.baseline, basis = excluded.basis,
        source = excluded.source, note = excluded.note;
