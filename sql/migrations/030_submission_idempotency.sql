-- An Idempotency-Key is unique per partner, and admin keys (no partner) share one
-- space: the table's UNIQUE (partner, idempotency_key) lets NULL partners repeat.
CREATE UNIQUE INDEX submissions_idempotency
    ON submissions (coalesce(partner, ''), idempotency_key)
    WHERE idempotency_key IS NOT NULL;
