-- Revisions: every English text a segment has had, in order, append-only.
--
-- The history is the record of who translated what and what a reviewer approved, so it is
-- never rewritten: a trigger refuses UPDATE, DELETE and TRUNCATE, whatever the application
-- does. A change is a new revision whose base_revision_id names the revision it was edited
-- from (so concurrent edits can be detected). author_id is null for text written by the
-- system (an import of an existing translation, for instance).
--
-- segments.current_revision_id points at the revision shown as the segment's English text.
-- Composite foreign keys make the database check that a base revision and a current
-- revision belong to the same segment.

CREATE TABLE revisions (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- RESTRICT: a segment with English work cannot be deleted (an import retires it).
    segment_id        uuid NOT NULL REFERENCES segments (id) ON DELETE RESTRICT,
    author_id         uuid REFERENCES users (id) ON DELETE RESTRICT,
    text              text NOT NULL,
    base_revision_id  uuid,
    created_at        timestamptz NOT NULL DEFAULT now(),
    -- Target of the composite foreign keys; also serves "this segment's revisions".
    CONSTRAINT revisions_segment_id_key UNIQUE (segment_id, id),
    CONSTRAINT revisions_base_same_segment
        FOREIGN KEY (segment_id, base_revision_id) REFERENCES revisions (segment_id, id),
    CONSTRAINT revisions_base_is_another CHECK (base_revision_id <> id)
);

CREATE INDEX revisions_segment_created_idx ON revisions (segment_id, created_at);
CREATE INDEX revisions_author_idx ON revisions (author_id) WHERE author_id IS NOT NULL;

CREATE FUNCTION revisions_are_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'revisions are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'raise_exception',
              HINT = 'Write a new revision instead of changing or removing an old one.';
END
$$;

CREATE TRIGGER revisions_append_only
    BEFORE UPDATE OR DELETE ON revisions
    FOR EACH ROW EXECUTE FUNCTION revisions_are_append_only();

CREATE TRIGGER revisions_no_truncate
    BEFORE TRUNCATE ON revisions
    FOR EACH STATEMENT EXECUTE FUNCTION revisions_are_append_only();

ALTER TABLE segments
    ADD COLUMN current_revision_id uuid,
    ADD CONSTRAINT segments_current_revision_same_segment
        FOREIGN KEY (id, current_revision_id) REFERENCES revisions (segment_id, id),
    -- Any status past 'untranslated' is about some English text, so there must be one.
    ADD CONSTRAINT segments_status_needs_revision
        CHECK (status = 'untranslated' OR current_revision_id IS NOT NULL);
