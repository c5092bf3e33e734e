-- Segments: the units of translation of a chapter, in reading order.
--
-- A re-import aligns the new text with the old segments so that translation work stays
-- attached to its Thai source:
--   * source_changed_at: the Thai text changed under existing English work; the segment is
--     marked for review (the English is never touched by an import).
--   * retired_at: the segment is gone from the source but had English work, so it is kept
--     (never delete a translator's work) and hidden from the chapter.
-- (chapter_id, position) is unique but checked at commit, so a re-import can insert,
-- remove and renumber segments in any order within its one transaction.

CREATE TABLE segments (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    chapter_id         uuid NOT NULL REFERENCES chapters (id),
    position           integer NOT NULL CHECK (position >= 0),
    kind               text NOT NULL CHECK (kind IN
                           ('chapter_title', 'heading', 'paragraph', 'quote', 'footnote')),
    source_th          text NOT NULL CHECK (btrim(source_th) <> ''),
    status             text NOT NULL DEFAULT 'untranslated' CHECK (status IN
                           ('untranslated', 'draft', 'submitted', 'approved',
                            'changes_requested')),
    source_changed_at  timestamptz,
    retired_at         timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT segments_source_changed_after_created CHECK (source_changed_at >= created_at),
    CONSTRAINT segments_retired_after_created CHECK (retired_at >= created_at),
    -- The unique index also serves "this chapter's segments in order".
    CONSTRAINT segments_chapter_position_key UNIQUE (chapter_id, position)
        DEFERRABLE INITIALLY DEFERRED
);

CREATE TRIGGER segments_set_updated_at
    BEFORE UPDATE ON segments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
