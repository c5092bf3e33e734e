-- Source corrections, and merging and splitting segments.
--
-- Why it looks like this:
--   * segments.imported_th is the Thai as the import last wrote it. A reviewer's correction
--     (or a merge or split) changes source_th but not imported_th, and a re-import aligns
--     the file with imported_th: the uncorrected file still matches the corrected segment,
--     so the correction is not reverted. NULL: the segment did not come from the import
--     (the second part of a split); a re-import leaves it where it is.
--   * segments.source_version counts the changes of source_th (a trigger, so no writer can
--     forget it). Correction, merge and split forms carry the version they were shown, so a
--     form made stale by someone else's change is refused instead of undoing it.
--   * source_corrections is the history of corrections: who, when, before, after and why.
--     A record, append-only like revisions.
--   * A merge or a split is one row of segment_restructures with one row per segment it
--     touched in restructure_parts, holding that segment's state before (to undo it) and
--     the state it left (an undo checks nothing changed since). Revisions, reviews, comments
--     and events cannot move to another segment (they are append-only and point at their
--     segment), so a merge links instead: the second segment is retired, keeps all its
--     history, and the merged segment's pages reach it through this table.

ALTER TABLE segments
    ADD COLUMN imported_th text,
    ADD COLUMN source_version integer NOT NULL DEFAULT 0;

UPDATE segments SET imported_th = source_th;

CREATE FUNCTION segments_count_source_versions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.source_th IS DISTINCT FROM OLD.source_th THEN
        NEW.source_version := OLD.source_version + 1;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER segments_count_source_versions
    BEFORE UPDATE OF source_th ON segments
    FOR EACH ROW EXECUTE FUNCTION segments_count_source_versions();

CREATE TABLE source_corrections (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    segment_id    uuid NOT NULL REFERENCES segments (id),
    corrected_by  uuid NOT NULL REFERENCES users (id),
    corrected_at  timestamptz NOT NULL DEFAULT now(),
    before_th     text NOT NULL,
    after_th      text NOT NULL CHECK (after_th ~ '[^[:space:]]'),
    reason        text NOT NULL CHECK (reason ~ '[^[:space:]]' AND char_length(reason) <= 2000),
    CONSTRAINT source_corrections_change_something CHECK (before_th <> after_th)
);

CREATE INDEX source_corrections_segment_idx ON source_corrections (segment_id, corrected_at);

CREATE TRIGGER source_corrections_append_only
    BEFORE UPDATE OR DELETE ON source_corrections
    FOR EACH ROW EXECUTE FUNCTION records_are_append_only();
CREATE TRIGGER source_corrections_no_truncate
    BEFORE TRUNCATE ON source_corrections
    FOR EACH STATEMENT EXECUTE FUNCTION records_are_append_only();

CREATE TABLE segment_restructures (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind        text NOT NULL CHECK (kind IN ('merge', 'split')),
    chapter_id  uuid NOT NULL REFERENCES chapters (id),
    -- The segment that keeps its id: the first of a merge, the first part of a split.
    segment_id  uuid NOT NULL REFERENCES segments (id),
    -- The second of a merge (now retired), the new second part of a split.
    other_id    uuid NOT NULL REFERENCES segments (id),
    done_by     uuid NOT NULL REFERENCES users (id),
    done_at     timestamptz NOT NULL DEFAULT now(),
    -- How the Thai was cut or joined, for the record: the join text or the split point.
    detail      text NOT NULL,
    undone_at   timestamptz,
    undone_by   uuid REFERENCES users (id),
    CONSTRAINT segment_restructures_two_segments CHECK (segment_id <> other_id),
    CONSTRAINT segment_restructures_undone_by_someone
        CHECK ((undone_at IS NULL) = (undone_by IS NULL)),
    CONSTRAINT segment_restructures_undone_after_done CHECK (undone_at >= done_at)
);

CREATE INDEX segment_restructures_segment_idx ON segment_restructures (segment_id, done_at);
CREATE INDEX segment_restructures_other_idx ON segment_restructures (other_id, done_at);

-- Each segment an operation touched: its state before (restored by an undo) and after
-- (an undo is refused if the segment's Thai, status or English changed since; compared by
-- content, not version, so undoing a later split brings back the state a merge left). For a split's new part the state
-- before is "did not exist" (existed_before false).
CREATE TABLE restructure_parts (
    restructure_id               uuid NOT NULL REFERENCES segment_restructures (id),
    segment_id                   uuid NOT NULL REFERENCES segments (id),
    existed_before               boolean NOT NULL,
    before_th                    text,
    before_status                text,
    before_current_revision_id   uuid,
    before_approved_revision_id  uuid,
    before_submitted_at          timestamptz,
    before_submitted_by          uuid REFERENCES users (id),
    before_source_changed_at     timestamptz,
    after_th                     text NOT NULL,
    after_status                 text NOT NULL,
    after_current_revision_id    uuid,
    PRIMARY KEY (restructure_id, segment_id),
    CONSTRAINT restructure_parts_before_when_existed
        CHECK (existed_before = (before_th IS NOT NULL AND before_status IS NOT NULL))
);
