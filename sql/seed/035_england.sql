-- England (ONS GSS E92000001), the benchmark Fingertips compares every area with, as a
-- country that contains the West Midlands region. A country's totals are never made
-- from its members here (the region is one of nine): England carries only the figures
-- published for England. Its own file so that 030_areas.sql stays as it is; the
-- membership is added only when none exists, as 030 does, and starts with the
-- region's own geography on 1 April 1974.
INSERT INTO areas (code, name, type) VALUES ('E92000001', 'England', 'country')
ON CONFLICT (code) DO UPDATE SET name = excluded.name, type = excluded.type;

INSERT INTO area_memberships (child, parent, role, valid_from)
SELECT 'E12000005', 'E92000001', 'contains', DATE '1974-04-01'
 WHERE NOT EXISTS (SELECT 1 FROM area_memberships m
                    WHERE m.child = 'E12000005' AND m.parent = 'E92000001');
