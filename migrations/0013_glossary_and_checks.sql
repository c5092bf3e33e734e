-- The glossary, the glossary candidates reviewers turned down, and quality checks a person
-- dismissed on a segment.
--
-- Why it looks like this:
--   * One glossary for the workbench (one book so far). A term is a Thai form and its
--     English rendering, with a note and a status: 'proposed' (anyone's suggestion, shown
--     but not enforced) or 'approved' (the "approved glossary term not used" check holds
--     translators to it). thai_key is the Thai as matching compares it
--     (`text::normalize::normalize_inline`), written by the application; a pair (Thai,
--     English in any letter case) is stored once.
--   * Candidates are mined from the corpus on request (`glossary::mining`, pure), never
--     stored; a rejection is stored so the pair is not offered again, keyed like a term.
--   * A dismissal says "this check does not apply to this segment, because…": who, when,
--     why, per segment and check id. One live dismissal per segment and check; the row is a
--     record: never rewritten, so withdrawing one is not offered (it goes only with its
--     segment, when a re-import deletes a segment that has no English work).
--   * The chapter page shows each segment's open findings and is cached by
--     chapters.content_version (0006, 0008): a dismissal bumps its segment's chapter, and
--     any change to the glossary bumps every chapter (approved terms feed a check).

CREATE TABLE glossary_terms (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    thai        text NOT NULL CHECK (thai ~ '[^[:space:]]' AND char_length(thai) <= 200),
    english     text NOT NULL CHECK (english ~ '[^[:space:]]' AND char_length(english) <= 200),
    note        text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
    -- Not called `status`: that word is segments.status, which only the workflow writes
    -- (tests/workflow/invariants.rs greps for assignments to it).
    term_status text NOT NULL CHECK (term_status IN ('proposed', 'approved')),
    thai_key    text NOT NULL CHECK (thai_key ~ '[^[:space:]]'),
    created_by  uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  uuid REFERENCES users (id),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX glossary_terms_pair_key ON glossary_terms (thai_key, lower(english));

CREATE TABLE glossary_rejections (
    thai_key     text NOT NULL,
    english_key  text NOT NULL,
    rejected_by  uuid NOT NULL REFERENCES users (id),
    rejected_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (thai_key, english_key)
);

CREATE TABLE check_dismissals (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- A segment a re-import deletes (no English work) takes its dismissals with it.
    segment_id    uuid NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    check_id      text NOT NULL CHECK (check_id ~ '^[a-z][a-z0-9_.]{0,63}$'),
    reason        text NOT NULL CHECK (reason ~ '[^[:space:]]' AND char_length(reason) <= 1000),
    dismissed_by  uuid NOT NULL REFERENCES users (id),
    dismissed_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT check_dismissals_once UNIQUE (segment_id, check_id)
);

CREATE TRIGGER check_dismissals_append_only
    BEFORE UPDATE ON check_dismissals
    FOR EACH ROW EXECUTE FUNCTION records_are_append_only();

CREATE TRIGGER check_dismissals_bump_version_on_insert
    AFTER INSERT ON check_dismissals REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_chapter_content_version_of_segments();

-- The glossary is the whole book's: every chapter's findings may change.
CREATE FUNCTION bump_every_chapter_content_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE chapters SET content_version = content_version + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER glossary_terms_bump_versions
    AFTER INSERT OR UPDATE OR DELETE ON glossary_terms
    FOR EACH STATEMENT EXECUTE FUNCTION bump_every_chapter_content_version();
