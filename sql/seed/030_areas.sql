-- Areas by ONS GSS code: the WMCA's seven constituent and ten non-constituent members
-- (docs/design.md, "Areas and their hierarchy"), the counties that contain the
-- non-constituent districts, the West Midlands region and the WMCA itself.
--
-- Memberships carry a role. WMCA members are 'constituent' (the 7 metropolitan
-- districts) or 'non_constituent' (10 councils); geography is 'contains' (a county
-- contains its districts; the region contains the metropolitan districts, the two
-- unitaries and the three counties, but not the WMCA, which would count people twice).
-- A membership is added only when the child has no membership of that parent at all,
-- so an admin's later correction of its dates is never duplicated by a re-run.
INSERT INTO areas (code, name, type) VALUES
    ('E12000005', 'West Midlands', 'region'),
    ('E47000007', 'West Midlands Combined Authority', 'combined_authority'),
    ('E08000025', 'Birmingham', 'metropolitan_district'),
    ('E08000026', 'Coventry', 'metropolitan_district'),
    ('E08000027', 'Dudley', 'metropolitan_district'),
    ('E08000028', 'Sandwell', 'metropolitan_district'),
    ('E08000029', 'Solihull', 'metropolitan_district'),
    ('E08000030', 'Walsall', 'metropolitan_district'),
    ('E08000031', 'Wolverhampton', 'metropolitan_district'),
    ('E06000051', 'Shropshire', 'unitary'),
    ('E06000020', 'Telford and Wrekin', 'unitary'),
    ('E10000031', 'Warwickshire', 'county'),
    ('E10000028', 'Staffordshire', 'county'),
    ('E10000034', 'Worcestershire', 'county'),
    ('E07000218', 'North Warwickshire', 'non_metropolitan_district'),
    ('E07000219', 'Nuneaton and Bedworth', 'non_metropolitan_district'),
    ('E07000220', 'Rugby', 'non_metropolitan_district'),
    ('E07000221', 'Stratford-on-Avon', 'non_metropolitan_district'),
    ('E07000222', 'Warwick', 'non_metropolitan_district'),
    ('E07000192', 'Cannock Chase', 'non_metropolitan_district'),
    ('E07000199', 'Tamworth', 'non_metropolitan_district'),
    ('E07000236', 'Redditch', 'non_metropolitan_district')
ON CONFLICT (code) DO UPDATE SET name = excluded.name, type = excluded.type;

-- valid_from: the WMCA was established on 17 June 2016 (the West Midlands Combined
-- Authority Order 2016), so no membership of it starts earlier. The papers do not give
-- the date each non-constituent council joined; they are shown from the WMCA's start.
-- Geography starts on 1 April 1974 (the schema's default, when the metropolitan and
-- shire districts were made), except the unitaries: Telford and Wrekin from 1 April
-- 1998 and Shropshire (E06000051) from 1 April 2009.
INSERT INTO area_memberships (child, parent, role, valid_from)
SELECT v.child, v.parent, v.role, v.valid_from::date
  FROM (VALUES
    -- WMCA constituent members: the 7 metropolitan districts.
    ('E08000025', 'E47000007', 'constituent', '2016-06-17'),
    ('E08000026', 'E47000007', 'constituent', '2016-06-17'),
    ('E08000027', 'E47000007', 'constituent', '2016-06-17'),
    ('E08000028', 'E47000007', 'constituent', '2016-06-17'),
    ('E08000029', 'E47000007', 'constituent', '2016-06-17'),
    ('E08000030', 'E47000007', 'constituent', '2016-06-17'),
    ('E08000031', 'E47000007', 'constituent', '2016-06-17'),
    -- WMCA non-constituent members (all 10).
    ('E07000192', 'E47000007', 'non_constituent', '2016-06-17'),
    ('E07000218', 'E47000007', 'non_constituent', '2016-06-17'),
    ('E07000219', 'E47000007', 'non_constituent', '2016-06-17'),
    ('E07000220', 'E47000007', 'non_constituent', '2016-06-17'),
    ('E07000221', 'E47000007', 'non_constituent', '2016-06-17'),
    ('E07000236', 'E47000007', 'non_constituent', '2016-06-17'),
    ('E07000199', 'E47000007', 'non_constituent', '2016-06-17'),
    ('E06000051', 'E47000007', 'non_constituent', '2016-06-17'),
    ('E06000020', 'E47000007', 'non_constituent', '2016-06-17'),
    ('E10000031', 'E47000007', 'non_constituent', '2016-06-17'),
    -- Counties contain their districts (Staffordshire and Worcestershire are not WMCA
    -- members; they are here as the containers of Cannock Chase, Tamworth, Redditch).
    ('E07000218', 'E10000031', 'contains', '1974-04-01'),
    ('E07000219', 'E10000031', 'contains', '1974-04-01'),
    ('E07000220', 'E10000031', 'contains', '1974-04-01'),
    ('E07000221', 'E10000031', 'contains', '1974-04-01'),
    ('E07000222', 'E10000031', 'contains', '1974-04-01'),
    ('E07000192', 'E10000028', 'contains', '1974-04-01'),
    ('E07000199', 'E10000028', 'contains', '1974-04-01'),
    ('E07000236', 'E10000034', 'contains', '1974-04-01'),
    -- The region contains the metropolitan districts, the unitaries and the counties.
    ('E08000025', 'E12000005', 'contains', '1974-04-01'),
    ('E08000026', 'E12000005', 'contains', '1974-04-01'),
    ('E08000027', 'E12000005', 'contains', '1974-04-01'),
    ('E08000028', 'E12000005', 'contains', '1974-04-01'),
    ('E08000029', 'E12000005', 'contains', '1974-04-01'),
    ('E08000030', 'E12000005', 'contains', '1974-04-01'),
    ('E08000031', 'E12000005', 'contains', '1974-04-01'),
    ('E06000051', 'E12000005', 'contains', '2009-04-01'),
    ('E06000020', 'E12000005', 'contains', '1998-04-01'),
    ('E10000031', 'E12000005', 'contains', '1974-04-01'),
    ('E10000028', 'E12000005', 'contains', '1974-04-01'),
    ('E10000034', 'E12000005', 'contains', '1974-04-01')
  ) AS v (child, parent, role, valid_from)
 WHERE NOT EXISTS (SELECT 1 FROM area_memberships m
                    WHERE m.child = v.child AND m.parent = v.parent);
