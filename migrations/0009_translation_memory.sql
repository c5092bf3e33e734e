-- Translation memory: pairs of Thai and English imported from TMX files (`plae import-tmx`),
-- for the translation-memory lookup a later issue adds.
--
-- Why it looks like this:
--   * A unit is a record of what a file said, not work on the book: it points at no segment
--     and changes no status. origin is the file it came from; created_by who imported it
--     (null for an import by the command line without --user); file_created_at and
--     file_created_by are the TMX's own creationdate and creationid, when it had them.
--   * source_normalized is what a lookup compares: the source text as normalized user input
--     (`text::normalize::normalize_inline`: NFC, invisible characters removed, one line,
--     single spaces), written by the importer so every unit is normalized the same way.
--   * Lookups will be by similarity of Thai, which has no spaces between words, so by
--     trigram (pg_trgm, 0001). A server without pg_trgm still runs Plae: the GIN index is
--     created only when the extension is installed, and the lookup can fall back to a scan.
--   * Importing the same file twice adds nothing: a pair (languages, source, target) is
--     stored once. md5 keeps the unique index small whatever the length of the texts.

CREATE TABLE tm_units (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source_lang        text NOT NULL CHECK (source_lang ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$'),
    target_lang        text NOT NULL CHECK (target_lang ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$'),
    source_text        text NOT NULL
                       CHECK (source_text ~ '[^[:space:]]' AND char_length(source_text) <= 50000),
    target_text        text NOT NULL
                       CHECK (target_text ~ '[^[:space:]]' AND char_length(target_text) <= 50000),
    source_normalized  text NOT NULL,
    origin             text NOT NULL CHECK (origin ~ '[^[:space:]]' AND char_length(origin) <= 255),
    created_by         uuid REFERENCES users (id) ON DELETE RESTRICT,
    created_at         timestamptz NOT NULL DEFAULT now(),
    file_created_at    timestamptz,
    file_created_by    text CHECK (char_length(file_created_by) <= 255)
);

CREATE UNIQUE INDEX tm_units_pair_key
    ON tm_units (source_lang, target_lang, md5(source_text), md5(target_text));

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX tm_units_source_trgm_idx
            ON tm_units USING gin (source_normalized gin_trgm_ops);
    END IF;
END
$$;
