-- Concordance search over the book (Thai and English) and the translation memory's lookup
-- of approved segments.
--
-- Why it looks like this:
--   * The search columns live in their own table, segment_search, one row per segment, not
--     on segments: saving a draft updates the segment row, and every update that is not
--     HOT writes a new entry into each of the row's indexes. Kept apart, the trigram and
--     word indexes cost a save nothing; they change only when the Thai does (import, a
--     source correction).
--   * folded is the Thai as searched: the stored source (already normalized at import:
--     NFC, sara am, tone order, no invisible characters) lower-cased, with no whitespace,
--     so that an OCR space inside a word does not hide it. The query is folded the same
--     way (`search::fold` in Rust, `fold_for_search` here). A trigram index (pg_trgm,
--     0001) serves substring queries (`LIKE '%…%'`); on a server without pg_trgm the same
--     queries scan the table instead (slower, same answers).
--   * words is the Thai broken into words by Plae (`text::words`, a dictionary the
--     database does not have), joined by spaces and read by the `simple` parser, which
--     splits at spaces only, into a tsvector: whole-word and word-sequence queries. The
--     database cannot compute it, so a trigger sets it to NULL whenever the Thai changes
--     (and folded at once); Plae fills the NULLs (`db::search::fill_words`) after an
--     import, at start-up and before a search. Until then a segment is still found by
--     substring.
--   * The English searched is a revision's text, so the word index is on revisions, an
--     expression index: revisions are append-only, each indexed once when written, and
--     the current text (signed-in users) or the approved one (everyone else) is chosen by
--     the query through segments.current_revision_id / approved_revision_id. Saving a
--     draft stays one INSERT; the index entry is its only extra cost.
--   * The translation memory's lookup reads approved segments straight from here and
--     segments (a UNION with tm_units at query time) rather than copying them into
--     tm_units at approval: always current, nothing to keep in step, and the approval path
--     untouched.
--   * The memory finds its candidates by keys (`tm::keys`: hashes of 8-character n-grams
--     of the folded text, sampled on long texts), int4[] with a GIN index, on tm_units and
--     here, computed by Plae (the importer; `fill_words` for segments, `fill_unit_keys`
--     for units imported before this migration). The trigram index of 0009 was measured
--     at 1–2.6 s a lookup on 100,000 units of one domain: the trigrams of common Thai
--     words are in nearly every unit, and pg_trgm reads all their entries.

CREATE FUNCTION fold_for_search(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT lower(regexp_replace($1, '[[:space:]]+', '', 'g')) $$;

CREATE TABLE segment_search (
    segment_id  uuid PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,
    folded      text NOT NULL,
    -- NULL until Plae has broken the Thai into words (see above); keys likewise.
    words       tsvector,
    keys        int4[]
);

CREATE INDEX segment_search_keys_idx ON segment_search USING gin (keys);

ALTER TABLE tm_units ADD COLUMN source_keys int4[];
CREATE INDEX tm_units_keys_idx ON tm_units USING gin (source_keys);
CREATE INDEX tm_units_unkeyed_idx ON tm_units (id) WHERE source_keys IS NULL;

CREATE INDEX segment_search_words_idx ON segment_search USING gin (words);
-- The segments whose words Plae still has to break: found at once when there are none.
CREATE INDEX segment_search_unbroken_idx ON segment_search (segment_id) WHERE words IS NULL;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX segment_search_folded_trgm_idx
            ON segment_search USING gin (folded gin_trgm_ops);
    END IF;
END
$$;

CREATE INDEX revisions_text_words_idx ON revisions USING gin (to_tsvector('simple', text));

-- New segments: one statement, however many rows (an import inserts a chapter at once).
CREATE FUNCTION segment_search_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO segment_search (segment_id, folded)
    SELECT id, fold_for_search(source_th) FROM new_rows
    ON CONFLICT (segment_id) DO UPDATE SET folded = EXCLUDED.folded, words = NULL, keys = NULL;
    RETURN NULL;
END
$$;

CREATE TRIGGER segments_search_on_insert
    AFTER INSERT ON segments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION segment_search_insert();

-- Changed Thai. Row-level because PostgreSQL allows no transition table with a column
-- list, and the column list is what keeps this trigger off the save path: an UPDATE that
-- does not name source_th (a save, a review) never fires it.
CREATE FUNCTION segment_search_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE segment_search
       SET folded = fold_for_search(NEW.source_th), words = NULL, keys = NULL
     WHERE segment_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER segments_search_on_update
    AFTER UPDATE OF source_th ON segments
    FOR EACH ROW WHEN (OLD.source_th IS DISTINCT FROM NEW.source_th)
    EXECUTE FUNCTION segment_search_update();

INSERT INTO segment_search (segment_id, folded)
SELECT id, fold_for_search(source_th) FROM segments;
