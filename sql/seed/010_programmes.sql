-- The three programmes of the WMCA Wellbeing Board (docs/design.md, "Programmes"), named
-- and described from the board papers (WMCA Wellbeing Board pack, 18 January 2019; WMCA
-- Public Service Reform overview). sort_order follows the board's headline metrics
-- (MHFA, Thrive, On the Move), which is the order the dashboard shows them in.
-- Re-running updates the wording in place.
INSERT INTO programmes (code, name, description, sort_order) VALUES
    ('mhfa', 'Mental Health First Aid',
     'Mental Health First Aid (MHFA) training across the West Midlands, part of the Thrive '
     'mental health awareness work: an ambition to train 500,000 people over 10 years from '
     'January 2017, including staff in secondary schools (WMCA Wellbeing Board, 18 January '
     '2019, Thrive update, para 8.1).',
     1),
    ('thrive', 'Thrive West Midlands',
     'The mental health programme launched in January 2017 after the WMCA Mental Health '
     'Commission report: Thrive into Work (the Individual Placement Support health-led '
     'trial, live since June 2018), Thrive at Work (the workplace wellbeing commitment and '
     'the fiscal incentive trial for SMEs), mental health and justice (the Mental Health '
     'Treatment Requirement testbed in Birmingham) and mental health awareness (This is Me) '
     '(WMCA Wellbeing Board, 18 January 2019, Thrive update, paras 3.1 to 8.3).',
     2),
    ('on_the_move', 'West Midlands on the Move',
     'The WMCA physical activity strategy, developed with local authorities, Public Health '
     'England and the County Sports Partnerships: making it easier to move around the '
     'region, to be outdoors, improving how streets and communities feel, and improving life '
     'chances; social movements such as GoodGym, disability and physical activity, and a '
     'Sport England partnership (WMCA Public Service Reform overview; WMCA Wellbeing Board, '
     '18 January 2019, On the Move progress).',
     3)
ON CONFLICT (code) DO UPDATE
    SET name = excluded.name, description = excluded.description, sort_order = excluded.sort_order;
