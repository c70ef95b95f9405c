-- Partners the seed needs. 'board-papers' owns the figures published in the WMCA board
-- papers (070). 'synthetic' is the partner the data generator writes under for
-- benchmarks and demos, flagged synthetic so its figures are never mistaken for real
-- ones; the seed gives it no figures and no grants.
INSERT INTO partners (code, name, synthetic) VALUES
    ('board-papers', 'WMCA board papers (published figures)', false),
    ('synthetic', 'Synthetic data generator (benchmarks and demos, not real figures)', true)
ON CONFLICT (code) DO UPDATE SET name = excluded.name, synthetic = excluded.synthetic;
