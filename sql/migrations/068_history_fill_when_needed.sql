-- observation_history_fill (050) completes a history row's breakdown from its key when a
-- writer leaves it out (the seed). The ingest always sends it, yet the row trigger ran
-- its PL/pgSQL for every row: 1.0 s of a 100,000-row submission (auto_explain of make
-- bench-ingest: calls=100000). With the condition in the trigger's WHEN, PostgreSQL
-- skips the call for a row that has its breakdown; a row without one is filled as before.
DROP TRIGGER observation_history_fill ON observation_history;
CREATE TRIGGER observation_history_fill BEFORE INSERT ON observation_history
    FOR EACH ROW WHEN (NEW.breakdown IS NULL) EXECUTE FUNCTION observation_history_fill();
