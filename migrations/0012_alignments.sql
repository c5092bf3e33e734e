-- Alignments: an English translation made elsewhere, uploaded for a chapter and paired with
-- its Thai segments, waiting for its uploader to check the pairing and accept it.
--
-- Why it looks like this:
--   * The pending work lives here, not in an app instance's memory, so any instance serves
--     the review page and a restart loses nothing.
--   * It belongs to the user who uploaded it (user_id): only they see it, change it and
--     accept it.
--   * segment_ids are the chapter's live segments, in order, when the text was aligned:
--     the beads' Thai indices point into this list, so a re-import of the chapter
--     meanwhile cannot make a bead point at another paragraph (a segment retired meanwhile
--     is refused at accept time by the workflow).
--   * paragraphs are the uploaded English, split at blank lines and normalized, as they
--     will be saved; the beads (JSON: [{"th": [..], "en": [..], "score": s}, ...]) cover
--     both lists in order, as the aligner made them and the user edited them.
--   * version goes up with every edit, so a form from a page shown before another edit
--     (a second tab) is refused instead of moving the wrong bead.
--   * Accepting writes the drafts (revisions, through the workflow, noting "imported from
--     FILE on DATE") and sets accepted_at in the same transaction; an accepted alignment
--     is kept as a record and can no longer change.

CREATE TABLE alignments (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    chapter_id   uuid NOT NULL REFERENCES chapters (id),
    user_id      uuid NOT NULL REFERENCES users (id),
    file_name    text NOT NULL
                 CHECK (file_name ~ '[^[:space:]]' AND char_length(file_name) <= 255),
    segment_ids  uuid[] NOT NULL,
    paragraphs   text[] NOT NULL,
    beads        jsonb NOT NULL CHECK (jsonb_typeof(beads) = 'array'),
    version      integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    accepted_at  timestamptz,
    CONSTRAINT alignments_accepted_after_created CHECK (accepted_at >= created_at)
);

-- "My pending alignments of this chapter".
CREATE INDEX alignments_user_chapter_idx ON alignments (user_id, chapter_id, created_at);
