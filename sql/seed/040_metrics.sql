-- The metrics (indicators). Headline metrics are the ten the board view shows
-- (docs/design.md, "Metrics"), in the board's order (sort_order 1 to 10); the board
-- reports running totals, so the headline counts are kind 'stock', monthly, unit 'count'.
-- The other measures the papers name follow them (sort_order 100 and up).
--
-- Choices:
-- * Budgets are 'annual' flows in gbp: the amount for a UK financial year, stored at
--   FY2018-19 and the like; summed over years they give the total allocated.
-- * Grant funding is a one-off award, so it is kept as a monthly 'stock' in gbp: the
--   funding secured to date, which steps up in the month an award is made.
-- * An average (the weekly wage of IPS job starts) is a 'rate' in gbp: never summed.
-- * A rate that can be totalled over areas names its numerator and denominator count
--   metrics, so a WMCA figure is the ratio of the sums, never a mean of percentages.
--   A survey rate that cannot (overweight or obese adults) names neither: its WMCA
--   figure has to be published, not derived.
-- * Active Lives figures carry 95% confidence limits (has_confidence).
--
-- Re-running updates each definition in place but leaves 'active' alone: switching a
-- metric off is an admin's decision that a new seed must not undo.

-- Paper references used in source and description:
--   WB 18 Jan 2019 = WMCA Wellbeing Board pack, Friday 18 January 2019
--   CSR 2020       = "Rebuilding the West Midlands", the WMCA representation to the
--                    Comprehensive Spending Review 2020

-- The counts and amounts first: the rates below refer to some of them.
INSERT INTO metrics (code, programme, name, description, unit, frequency, kind, polarity,
                     decimals, source, headline, sort_order, has_confidence) VALUES
    -- Headline counts (board order).
    ('mhfa.people_trained', 'mhfa', 'People trained in MHFA',
     'Running total of people trained in Mental Health First Aid since January 2017, when '
     'the ambition of 500,000 people over 10 years began, at the end of the month. Partners '
     'send the running total each month; the change from month to month is derived on read.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 8.1', true, 1, false),
    ('thrive.ips_referrals', 'thrive', 'Thrive into Work referrals',
     'Running total of referrals to the Thrive into Work Individual Placement Support (IPS) '
     'health-led trial since it went live in June 2018, at the end of the month.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, paras 4.1 and 4.2', true, 3, false),
    ('thrive.ips_job_starts', 'thrive', 'Thrive into Work job starts',
     'Running total of IPS trial participants who have secured paid employment since June '
     '2018 ("people into work"), at the end of the month.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 4.2; minutes of 31 October 2018, item 18', true, 4, false),
    ('thrive.mhtr_orders', 'thrive', 'Mental Health Treatment Requirement orders',
     'Running total of Mental Health Treatment Requirement (MHTR) orders made by the courts '
     'for offenders with primary-level mental health needs in the testbed pilot (phase 1 in '
     'Birmingham, to the end of October 2018), at the end of the month.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 7.1', true, 5, false),
    ('thrive.taw_organisations', 'thrive', 'Organisations signed up to Thrive at Work',
     'Organisations signed up to the Thrive at Work wellbeing commitment at the end of the '
     'month, counting the businesses continuing on the fiscal incentive trial and those on '
     'the programme alone.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 6.4', true, 6, false),
    ('thrive.taw_employees', 'thrive', 'Employees of Thrive at Work organisations',
     'Employees of the organisations signed up to Thrive at Work at the end of the month: '
     'the people the programme has the potential to reach.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 6.4', true, 7, false),
    ('thrive.this_is_me_organisations', 'thrive', 'Organisations signed up to This is Me',
     'Organisations signed up to This is Me, the campaign against mental health stigma in '
     'the workplace, since its West Midlands launch on 21 January 2019, at the end of the '
     'month.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 8.3', true, 8, false),

    -- MHFA, other measures.
    ('mhfa.people_trained_all_time', 'mhfa', 'People trained in MHFA, all years',
     'Running total of people in the West Midlands trained in Mental Health First Aid, '
     'including those trained before January 2017, at the end of the month.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 8.1', false, 100, false),
    ('mhfa.secondary_schools_trained', 'mhfa', 'Secondary schools that have completed MHFA training',
     'Secondary schools in the area that have completed the MHFA training, at the end of '
     'the month: the numerator of mhfa.secondary_schools_pct.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 8.1', false, 101, false),
    ('mhfa.secondary_schools', 'mhfa', 'Secondary schools',
     'Secondary schools in the area at the end of the month: the denominator of '
     'mhfa.secondary_schools_pct. The paper does not say which register of schools it used.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 8.1 (denominator of the percentage)', false, 102, false),

    -- Thrive into Work (IPS trial), other measures.
    ('thrive.ips_gp_referrals', 'thrive', 'Thrive into Work referrals made directly by GPs',
     'Running total of IPS trial referrals made directly by a GP (part of '
     'thrive.ips_referrals), at the end of the month. The trial is primary-care based, so '
     'the board watches this number.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 4.6', false, 100, false),
    ('thrive.ips_referral_target', 'thrive', 'Thrive into Work referral target to date',
     'The referrals the IPS trial''s contract profile expects by the end of the month: the '
     'denominator of thrive.ips_referrals_target_pct. The papers give only the percentage, '
     'so the seed holds no figure for it.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 4.2', false, 101, false),
    ('thrive.ips_interview_participants', 'thrive', 'Thrive into Work participants supported to interviews',
     'Running total of IPS trial participants whom providers have supported to attend job '
     'interviews, at the end of the month.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 4.3', false, 104, false),
    ('thrive.ips_interviews', 'thrive', 'Thrive into Work job interviews attended',
     'Running total of job interviews attended by IPS trial participants with provider '
     'support, at the end of the month.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 4.3', false, 105, false),
    ('thrive.ips_application_participants', 'thrive', 'Thrive into Work participants supported with applications',
     'Running total of IPS trial participants whom providers have supported to produce job '
     'applications, at the end of the month.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 4.3', false, 106, false),
    ('thrive.ips_job_applications', 'thrive', 'Thrive into Work job applications',
     'Running total of job applications produced by IPS trial participants with provider '
     'support, at the end of the month.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 4.3', false, 107, false),
    ('thrive.ips_funding_secured', 'thrive', 'Government funding secured for Thrive into Work',
     'Running total of government funding secured for Thrive into Work (the IPS trial), in '
     'pounds, at the end of the month. Awards are one-off amounts, so the total steps up in '
     'the month one is made.',
     'gbp', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, paras 4.4 and 9.2', false, 110, false),

    -- Thrive at Work.
    ('thrive.fiscal_incentive_smes', 'thrive', 'SMEs continuing on the fiscal incentive trial',
     'Small and medium enterprises continuing on the Thrive at Work fiscal incentive trial at '
     'the end of the month. The trial, a randomised controlled trial of the point at which '
     'an employer starts wellbeing programmes, was designed to work with 148 SMEs and runs '
     'to December 2019.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, paras 5.1, 5.4.1 and 6.4', false, 120, false),
    ('thrive.fiscal_incentive_funding_secured', 'thrive', 'Funding secured for the fiscal incentive trial',
     'Running total of funding secured from the Work and Health Unit (DWP) Innovation Fund '
     'for the Thrive at Work fiscal incentive trial, in pounds, at the end of the month.',
     'gbp', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, paras 5.3 and 9.3', false, 121, false),

    -- Mental health and justice.
    ('thrive.justice_engager_funding_secured', 'thrive', 'Funding secured for the Criminal Justice Engager programme',
     'Running total of funding secured from the West Midlands Police and Crime Commissioner '
     'for the Criminal Justice Engager programme, in pounds, at the end of the month.',
     'gbp', 'monthly', 'stock', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 9.2', false, 130, false),

    -- The WMCA mental health budget and its lines: annual amounts (financial years).
    ('thrive.mh_budget', 'thrive', 'WMCA mental health budget',
     'The budget the WMCA allocated for mental health in the financial year, in pounds: the '
     'sum of the resources, project delivery, and commission and citizen jury lines.',
     'gbp', 'annual', 'flow', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 9.1', false, 140, false),
    ('thrive.mh_budget_resources', 'thrive', 'Mental health budget: resources',
     'The resources line of the WMCA mental health budget for the financial year, in pounds.',
     'gbp', 'annual', 'flow', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 9.1', false, 141, false),
    ('thrive.mh_budget_project_delivery', 'thrive', 'Mental health budget: project delivery',
     'The project delivery expenditure line of the WMCA mental health budget for the '
     'financial year, in pounds.',
     'gbp', 'annual', 'flow', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 9.1', false, 142, false),
    ('thrive.mh_budget_commission_jury', 'thrive', 'Mental health budget: commission and citizen jury',
     'The commission and citizen jury expenses line of the WMCA mental health budget for '
     'the financial year, in pounds.',
     'gbp', 'annual', 'flow', 'higher_is_better', 0,
     'WB 18 Jan 2019, Thrive update, para 9.1', false, 143, false),

    -- On the Move: Active Lives counts behind the headline rates.
    ('on_the_move.active_adults', 'on_the_move', 'Active adults (estimated number)',
     'Estimated number of adults aged 16 and over doing at least 150 moderate-intensity-'
     'equivalent minutes of physical activity a week, Sport England Active Lives Adult '
     'Survey, rolling 12 months, stored at the month the 12 months end: the numerator of '
     'on_the_move.active_adults_pct.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'Sport England Active Lives Adult Survey (rolling 12 months, published twice a year)',
     false, 100, true),
    ('on_the_move.fairly_active_adults', 'on_the_move', 'Fairly active adults (estimated number)',
     'Estimated number of adults aged 16 and over doing 30 to 149 moderate-intensity-'
     'equivalent minutes a week, Active Lives, rolling 12 months: the numerator of '
     'on_the_move.fairly_active_adults_pct.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'Sport England Active Lives Adult Survey (rolling 12 months, published twice a year)',
     false, 101, true),
    ('on_the_move.inactive_adults', 'on_the_move', 'Inactive adults (estimated number)',
     'Estimated number of adults aged 16 and over doing fewer than 30 moderate-intensity-'
     'equivalent minutes a week, Active Lives, rolling 12 months: the numerator of '
     'on_the_move.inactive_adults_pct.',
     'count', 'monthly', 'stock', 'lower_is_better', 0,
     'Sport England Active Lives Adult Survey (rolling 12 months, published twice a year)',
     false, 102, true),
    ('on_the_move.adult_population', 'on_the_move', 'Adults aged 16 and over',
     'The population aged 16 and over that the Active Lives estimates for the same 12 months '
     'are weighted to (ONS mid-year estimates): the denominator of the activity percentages.',
     'count', 'monthly', 'stock', 'higher_is_better', 0,
     'Sport England Active Lives Adult Survey; ONS mid-year population estimates',
     false, 103, false),
    ('on_the_move.goodgym_launches', 'on_the_move', 'GoodGym groups launched',
     'GoodGym groups launched in the area in the month (a social movement that gets people '
     'active by running to do good deeds, here working with adult social care). A flow: '
     'summed over months it gives the groups launched to date.',
     'count', 'monthly', 'flow', 'higher_is_better', 0,
     'Minutes of the Wellbeing Board of 31 October 2018, item 19; WB 18 Jan 2019, On the Move '
     'progress, para 2.1.1',
     false, 110, false)
ON CONFLICT (code) DO UPDATE
    SET programme = excluded.programme, name = excluded.name, description = excluded.description,
        unit = excluded.unit, frequency = excluded.frequency, kind = excluded.kind,
        polarity = excluded.polarity, decimals = excluded.decimals, source = excluded.source,
        headline = excluded.headline, sort_order = excluded.sort_order,
        has_confidence = excluded.has_confidence;

-- The rates and averages.
INSERT INTO metrics (code, programme, name, description, unit, frequency, kind, polarity,
                     decimals, source, headline, sort_order, numerator_metric,
                     denominator_metric, has_confidence) VALUES
    ('mhfa.secondary_schools_pct', 'mhfa', 'Secondary schools that have completed MHFA training (%)',
     'Percentage of secondary schools that have completed the Mental Health First Aid '
     'training, at the end of the month. Over several areas it is the schools trained over '
     'the schools, summed.',
     'percent', 'monthly', 'rate', 'higher_is_better', 1,
     'WB 18 Jan 2019, Thrive update, para 8.1', true, 2,
     'mhfa.secondary_schools_trained', 'mhfa.secondary_schools', false),
    ('on_the_move.active_adults_pct', 'on_the_move', 'Active adults (%)',
     'Percentage of adults aged 16 and over doing at least 150 moderate-intensity-equivalent '
     'minutes of physical activity a week, with 95% confidence limits. Sport England Active '
     'Lives Adult Survey: rolling 12-month figures, published twice a year, stored at the '
     'month the 12 months end.',
     'percent', 'monthly', 'rate', 'higher_is_better', 1,
     'Sport England Active Lives Adult Survey (rolling 12 months, published twice a year)',
     true, 9, 'on_the_move.active_adults', 'on_the_move.adult_population', true),
    ('on_the_move.inactive_adults_pct', 'on_the_move', 'Inactive adults (%)',
     'Percentage of adults aged 16 and over doing fewer than 30 moderate-intensity-equivalent '
     'minutes of physical activity a week, with 95% confidence limits. Sport England Active '
     'Lives Adult Survey: rolling 12-month figures, published twice a year, stored at the '
     'month the 12 months end. The Black Country has the highest inactivity in the region.',
     'percent', 'monthly', 'rate', 'lower_is_better', 1,
     'Sport England Active Lives Adult Survey (rolling 12 months, published twice a year); '
     'WB 18 Jan 2019, On the Move progress, para 2.2',
     true, 10, 'on_the_move.inactive_adults', 'on_the_move.adult_population', true),
    ('on_the_move.fairly_active_adults_pct', 'on_the_move', 'Fairly active adults (%)',
     'Percentage of adults aged 16 and over doing 30 to 149 moderate-intensity-equivalent '
     'minutes of physical activity a week, with 95% confidence limits. Sport England Active '
     'Lives Adult Survey, rolling 12 months, stored at the month the 12 months end.',
     'percent', 'monthly', 'rate', 'higher_is_better', 1,
     'Sport England Active Lives Adult Survey (rolling 12 months, published twice a year)',
     false, 104, 'on_the_move.fairly_active_adults', 'on_the_move.adult_population', true),
    ('on_the_move.overweight_obese_adults_pct', 'on_the_move', 'Overweight or obese adults (%)',
     'Percentage of adults aged 18 and over classified as overweight or obese (body mass '
     'index 25 or more, from self-reported height and weight in the Active Lives Adult '
     'Survey), with 95% confidence limits; annual. The WMCA asked the 2020 spending review '
     'to fund a 1% fall. No numerator or denominator: a figure for several areas must be '
     'published, never averaged.',
     'percent', 'annual', 'rate', 'lower_is_better', 1,
     'Sport England Active Lives Adult Survey (annual); CSR 2020, Levelling up health',
     false, 105, NULL, NULL, true),
    ('thrive.ips_referrals_target_pct', 'thrive', 'Thrive into Work referrals against target to date (%)',
     'IPS trial referrals to date as a percentage of the referral target to date '
     '(thrive.ips_referrals over thrive.ips_referral_target).',
     'percent', 'monthly', 'rate', 'higher_is_better', 1,
     'WB 18 Jan 2019, Thrive update, para 4.2', false, 102,
     'thrive.ips_referrals', 'thrive.ips_referral_target', false),
    ('thrive.ips_average_weekly_wage', 'thrive', 'Average weekly wage of Thrive into Work job starts',
     'Average weekly wage in pounds of the IPS trial participants who secured employment, at '
     'the end of the month. An average: never summed over areas or months.',
     'gbp', 'monthly', 'rate', 'higher_is_better', 0,
     'Minutes of the Wellbeing Board of 31 October 2018, item 18 (in the WB 18 Jan 2019 pack)',
     false, 103, NULL, NULL, false)
ON CONFLICT (code) DO UPDATE
    SET programme = excluded.programme, name = excluded.name, description = excluded.description,
        unit = excluded.unit, frequency = excluded.frequency, kind = excluded.kind,
        polarity = excluded.polarity, decimals = excluded.decimals, source = excluded.source,
        headline = excluded.headline, sort_order = excluded.sort_order,
        numerator_metric = excluded.numerator_metric,
        denominator_metric = excluded.denominator_metric,
        has_confidence = excluded.has_confidence;

-- People counts of Thrive and MHFA accept the monitoring dimensions (Thrive update para
-- 11.1: age, ethnicity, disability and gender). Organisation counts, amounts and survey
-- estimates take none. A dimension an admin has added since is kept.
INSERT INTO metric_dimensions (metric, dimension)
SELECT m.metric, d.dimension
  FROM (VALUES ('mhfa.people_trained'), ('mhfa.people_trained_all_time'),
               ('thrive.ips_referrals'), ('thrive.ips_job_starts'), ('thrive.mhtr_orders'),
               ('thrive.ips_gp_referrals'), ('thrive.ips_interview_participants'),
               ('thrive.ips_application_participants')) AS m (metric)
 CROSS JOIN (VALUES ('sex'), ('age_band'), ('ethnicity'), ('disability')) AS d (dimension)
ON CONFLICT (metric, dimension) DO NOTHING;
