-- A refused submission keeps its receipt and errors but only the first bytes of its body
-- (WELLBEING_REFUSED_EXCERPT, 64 KiB by default): five refused 15 MB bodies had added
-- 65 MB. body_bytes is the size of the body as sent; NULL when the whole body was kept
-- (every submission before this migration, and every applied or dry-run one), so the
-- kept size, octet_length(payload), is then the sent size too.
ALTER TABLE submissions ADD COLUMN body_bytes bigint CHECK (body_bytes >= 0);
ALTER TABLE submissions ADD CONSTRAINT submissions_excerpt_within_body
    CHECK (body_bytes IS NULL OR payload IS NULL OR octet_length(payload) <= body_bytes);
