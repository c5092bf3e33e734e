-- Saving a draft is the app's hottest write. Two changes make it cheaper without changing
-- what a save means (see benches/README.md for the figures before and after).
--
-- 1. chapters.content_version is bumped when the transaction commits, not at each
--    statement. The statement-level triggers of 0006/0008 updated the chapter row in the
--    middle of every save, so the row stayed locked until COMMIT and every save in a
--    chapter waited for the one before it. A deferred constraint trigger runs at commit:
--    the chapter row is locked only while the transaction commits. Writers still serialize
--    on the row for that moment, so each committed state of a chapter still has its own
--    version (the reason 0006 chose a counter over max(updated_at)). It is row-level (a
--    constraint trigger cannot be statement-level), so a statement touching n rows bumps n
--    times: imports and bulk changes are rare, saves touch one row.
--
-- 2. save_revision(): the whole save in one round trip. The workflow's Rust code still
--    decides everything it decided before: the text is cleaned in Rust, and the status a
--    save leads to is computed by `workflow::transition` for every status the segment
--    could be in and passed as two arrays, so this function only picks the row for the
--    status it finds under the lock. It does, statement for statement, what
--    `workflow::drafting::save` did over nine round trips.

DROP TRIGGER segments_bump_version_on_insert ON segments;
DROP TRIGGER segments_bump_version_on_update ON segments;
DROP TRIGGER segments_bump_version_on_delete ON segments;
DROP TRIGGER claims_bump_version_on_insert ON claims;
DROP TRIGGER claims_bump_version_on_update ON claims;
DROP TRIGGER claims_bump_version_on_delete ON claims;
DROP TRIGGER comments_bump_version_on_insert ON comments;
DROP TRIGGER comments_bump_version_on_update ON comments;
DROP TRIGGER comments_bump_version_on_delete ON comments;

CREATE FUNCTION bump_chapter_version_at_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- On segments the row names its chapter; on claims and comments its segment does.
    IF TG_TABLE_NAME = 'segments' THEN
        IF TG_OP <> 'DELETE' THEN
            UPDATE chapters SET content_version = content_version + 1 WHERE id = NEW.chapter_id;
        END IF;
        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.chapter_id <> NEW.chapter_id) THEN
            UPDATE chapters SET content_version = content_version + 1 WHERE id = OLD.chapter_id;
        END IF;
    ELSE
        UPDATE chapters SET content_version = content_version + 1
         WHERE id = (SELECT s.chapter_id FROM segments s
                      WHERE s.id = CASE TG_OP WHEN 'DELETE' THEN OLD.segment_id
                                              ELSE NEW.segment_id END);
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER segments_bump_version
    AFTER INSERT OR UPDATE OR DELETE ON segments
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_chapter_version_at_commit();
CREATE CONSTRAINT TRIGGER claims_bump_version
    AFTER INSERT OR UPDATE OR DELETE ON claims
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_chapter_version_at_commit();
CREATE CONSTRAINT TRIGGER comments_bump_version
    AFTER INSERT OR UPDATE OR DELETE ON comments
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_chapter_version_at_commit();

-- The outcome is one of: 'saved' (one row: the new current revision), 'unchanged' (one
-- row: the current revision, whose text is the same), 'conflict' (two rows: 'mine', stored
-- but not current, then 'theirs', the current one), or a refusal with no revision:
-- 'no_segment', 'retired', 'no_base' (the base is not one of this segment's revisions), or
-- 'refused' (the segment's status is not in p_from_status: the rules refuse a save from
-- it; the status is in the text column, and the caller asks the rules why).
CREATE FUNCTION save_revision(
    p_segment uuid, p_author uuid, p_text text, p_base uuid, p_note text,
    p_restored_from uuid, p_event text, p_from_status text[], p_to_status text[])
RETURNS TABLE (outcome text, id uuid, segment_id uuid, author_id uuid, text text,
               base_revision_id uuid, created_at timestamptz, note text,
               restored_from_id uuid)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    seg record;
    cur revisions;
    mine revisions;
    new_status text;
BEGIN
    SELECT s.status, s.current_revision_id, s.retired_at IS NOT NULL AS retired
      INTO seg FROM segments s WHERE s.id = p_segment FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'no_segment', NULL::uuid, NULL::uuid, NULL::uuid, NULL::text,
                            NULL::uuid, NULL::timestamptz, NULL::text, NULL::uuid;
        RETURN;
    END IF;
    IF seg.retired THEN
        RETURN QUERY SELECT 'retired', NULL::uuid, NULL::uuid, NULL::uuid, NULL::text,
                            NULL::uuid, NULL::timestamptz, NULL::text, NULL::uuid;
        RETURN;
    END IF;
    IF p_base IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM revisions r WHERE r.id = p_base AND r.segment_id = p_segment) THEN
        RETURN QUERY SELECT 'no_base', NULL::uuid, NULL::uuid, NULL::uuid, NULL::text,
                            NULL::uuid, NULL::timestamptz, NULL::text, NULL::uuid;
        RETURN;
    END IF;
    new_status := p_to_status[array_position(p_from_status, seg.status)];
    IF new_status IS NULL THEN
        -- The rules refuse a save from this status; the caller asks them why.
        RETURN QUERY SELECT 'refused', NULL::uuid, NULL::uuid, NULL::uuid, seg.status,
                            NULL::uuid, NULL::timestamptz, NULL::text, NULL::uuid;
        RETURN;
    END IF;
    IF seg.current_revision_id IS NOT NULL THEN
        SELECT * INTO cur FROM revisions r WHERE r.id = seg.current_revision_id;
    END IF;

    -- Activity, whatever comes of the save: the holder is working on it.
    UPDATE claims c SET last_activity_at = now()
     WHERE c.segment_id = p_segment AND c.user_id = p_author;

    IF cur.id IS NOT NULL AND cur.text = p_text THEN
        RETURN QUERY SELECT 'unchanged', cur.id, cur.segment_id, cur.author_id, cur.text,
                            cur.base_revision_id, cur.created_at, cur.note,
                            cur.restored_from_id;
        RETURN;
    END IF;

    -- clock_timestamp(), not the column's default now(): a batch (save_revisions) writes
    -- several saves, perhaps of one segment, in one transaction, and the history is
    -- ordered by this time.
    INSERT INTO revisions AS r (segment_id, author_id, text, base_revision_id, note,
                                restored_from_id, created_at)
    VALUES (p_segment, p_author, p_text, p_base, p_note, p_restored_from, clock_timestamp())
    RETURNING r.* INTO mine;

    IF cur.id IS NOT NULL AND cur.id IS DISTINCT FROM p_base THEN
        INSERT INTO events (actor_id, kind, segment_id, revision_id)
        VALUES (p_author, 'saved_in_conflict', p_segment, mine.id);
        RETURN QUERY
            SELECT 'mine', mine.id, mine.segment_id, mine.author_id, mine.text,
                   mine.base_revision_id, mine.created_at, mine.note, mine.restored_from_id
            UNION ALL
            SELECT 'theirs', cur.id, cur.segment_id, cur.author_id, cur.text,
                   cur.base_revision_id, cur.created_at, cur.note, cur.restored_from_id;
        RETURN;
    END IF;

    -- As db::segments::write_workflow_state does: submitted_at/_by follow the status.
    UPDATE segments s
       SET status = new_status, current_revision_id = mine.id,
           submitted_at = CASE WHEN new_status <> 'submitted' THEN NULL
                               WHEN s.status = 'submitted' THEN s.submitted_at
                               ELSE now() END,
           submitted_by = CASE WHEN new_status <> 'submitted' THEN NULL
                               WHEN s.status = 'submitted' THEN s.submitted_by
                               ELSE p_author END
     WHERE s.id = p_segment;
    INSERT INTO events (actor_id, kind, segment_id, revision_id)
    VALUES (p_author, p_event, p_segment, mine.id);
    IF new_status = 'submitted' AND seg.status <> 'submitted' THEN
        INSERT INTO events (actor_id, kind, segment_id, revision_id)
        VALUES (p_author, 'submitted', p_segment, mine.id);
    END IF;
    RETURN QUERY SELECT 'saved', mine.id, mine.segment_id, mine.author_id, mine.text,
                        mine.base_revision_id, mine.created_at, mine.note,
                        mine.restored_from_id;
END;
$$;

-- 3. save_revisions(): several saves in one transaction (the app's group commit, see
--    workflow::save_queue). Each item is exactly one save_revision() call, so a batch
--    means what the same saves one after the other would. The items are taken in the
--    order of their segments in the book (chapter, position), keeping the order of
--    arrival for saves of one segment: every batch, like every import, locks segments and
--    then, at commit, chapter rows in that one order, so two batches cannot deadlock.
--    Rows come back tagged with the item's index in the arrays (1-based).
CREATE FUNCTION save_revisions(
    p_segments uuid[], p_authors uuid[], p_texts text[], p_bases uuid[], p_events text[],
    p_from_status text[], p_to_status text[])
RETURNS TABLE (item integer, outcome text, id uuid, segment_id uuid, author_id uuid,
               text text, base_revision_id uuid, created_at timestamptz, note text,
               restored_from_id uuid)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    i integer;
BEGIN
    FOR i IN
        SELECT u.ord::integer
          FROM unnest(p_segments) WITH ORDINALITY AS u(seg, ord)
          LEFT JOIN segments s ON s.id = u.seg
         ORDER BY s.chapter_id, s.position, u.ord
    LOOP
        RETURN QUERY
            SELECT i, r.outcome, r.id, r.segment_id, r.author_id, r.text,
                   r.base_revision_id, r.created_at, r.note, r.restored_from_id
              FROM save_revision(p_segments[i], p_authors[i], p_texts[i], p_bases[i], NULL,
                                 NULL, p_events[i], p_from_status, p_to_status) AS r;
    END LOOP;
END;
$$;
