-- Less work per saved segment row. Measured with a batch of 32 saves in one call (one
-- client, the bench database, benches/README.md), three things PostgreSQL did on every
-- UPDATE of a segment, whatever the UPDATE changed, and each of them read the whole Thai
-- paragraph (stored compressed, so decompressed each time):
--   1. segments_set_updated_at compared the whole old row with the new one;
--   2. source_chars, a stored generated column, was computed again;
--   3. the CHECK that the Thai is not blank was evaluated again.
-- A save changes none of the Thai. Now:
--   1. The trigger runs only when the UPDATE does not set updated_at itself; the batched
--      save sets it (a save always changes the row).
--   2. and 3. One BEFORE trigger on INSERT and on UPDATE OF source_th (or source_chars)
--      counts the characters and refuses blank Thai, with the same error (SQLSTATE 23514,
--      constraint segments_source_th_check) the CHECK gave. It fires on every write that can
--      change the Thai, so the rule and the count hold as before.

DROP TRIGGER segments_set_updated_at ON segments;
CREATE TRIGGER segments_set_updated_at
    BEFORE UPDATE ON segments
    FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
    EXECUTE FUNCTION set_updated_at();

ALTER TABLE segments ALTER COLUMN source_chars DROP EXPRESSION;
ALTER TABLE segments DROP CONSTRAINT segments_source_th_check;

CREATE FUNCTION segments_check_source() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF btrim(NEW.source_th) = '' THEN
        RAISE EXCEPTION 'new row for relation "segments" violates check constraint "segments_source_th_check"'
            USING ERRCODE = 'check_violation', TABLE = 'segments',
                  CONSTRAINT = 'segments_source_th_check';
    END IF;
    NEW.source_chars := char_length(NEW.source_th);
    RETURN NEW;
END
$$;

CREATE TRIGGER segments_check_source
    BEFORE INSERT OR UPDATE OF source_th, source_chars ON segments
    FOR EACH ROW EXECUTE FUNCTION segments_check_source();

-- The batched save of 0017, setting updated_at (1. above); otherwise unchanged.
CREATE OR REPLACE FUNCTION save_revisions(
    p_segments uuid[], p_authors uuid[], p_texts text[], p_bases uuid[], p_events text[],
    p_from_status text[], p_to_status text[])
RETURNS TABLE (item integer, outcome text, id uuid, segment_id uuid, author_id uuid,
               text text, base_revision_id uuid, created_at timestamptz, note text,
               restored_from_id uuid)
LANGUAGE plpgsql
-- The statement below is the same whatever the batch: planned once per connection, not
-- per call (under the benchmark, planning it was 6% of PostgreSQL's time).
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    IF cardinality(p_segments) <> (SELECT count(DISTINCT s) FROM unnest(p_segments) AS s) THEN
        RETURN QUERY SELECT * FROM save_revisions_in_turn(
            p_segments, p_authors, p_texts, p_bases, p_events, p_from_status, p_to_status);
        RETURN;
    END IF;

    PERFORM 1 FROM segments s WHERE s.id = ANY (p_segments)
     ORDER BY s.chapter_id, s.position FOR UPDATE;

    RETURN QUERY
    WITH input AS (
        SELECT i.seg, i.author, i.txt, i.base, i.ev, i.item::integer AS item
          FROM unnest(p_segments, p_authors, p_texts, p_bases, p_events)
               WITH ORDINALITY AS i (seg, author, txt, base, ev, item)
    ), judged AS (
        SELECT i.*, s.id IS NOT NULL AS found, s.retired_at IS NOT NULL AS retired,
               s.status AS old_status, s.current_revision_id AS cur_id,
               (i.base IS NULL OR EXISTS (SELECT 1 FROM revisions r
                                           WHERE r.id = i.base AND r.segment_id = i.seg))
                   AS base_ok,
               p_to_status[array_position(p_from_status, s.status)] AS new_status
          FROM input i LEFT JOIN segments s ON s.id = i.seg
    ), ok AS (
        -- The saves the rules allow, with the current revision and whether this save
        -- makes a new current one (no current yet, or based on it) or is in conflict.
        SELECT j.*, cur.text AS cur_text, cur.author_id AS cur_author,
               cur.base_revision_id AS cur_base, cur.created_at AS cur_created,
               cur.note AS cur_note, cur.restored_from_id AS cur_restored,
               (j.cur_id IS NULL OR j.cur_id IS NOT DISTINCT FROM j.base) AS current
          FROM judged j LEFT JOIN revisions cur ON cur.id = j.cur_id
         WHERE j.found AND NOT j.retired AND j.base_ok AND j.new_status IS NOT NULL
    ), touched AS (
        -- Activity, whatever comes of the save: the holder is working on it.
        UPDATE claims c SET last_activity_at = now()
          FROM ok WHERE c.segment_id = ok.seg AND c.user_id = ok.author
        RETURNING 1
    ), mine AS (
        INSERT INTO revisions AS r (segment_id, author_id, text, base_revision_id,
                                    created_at)
        SELECT ok.seg, ok.author, ok.txt, ok.base, clock_timestamp()
          FROM ok WHERE ok.cur_text IS DISTINCT FROM ok.txt
         ORDER BY ok.item
        RETURNING r.*
    ), moved AS (
        -- As db::segments::write_workflow_state does: submitted_at/_by follow the status.
        UPDATE segments s
           SET status = ok.new_status, current_revision_id = m.id, updated_at = now(),
               submitted_at = CASE WHEN ok.new_status <> 'submitted' THEN NULL
                                   WHEN s.status = 'submitted' THEN s.submitted_at
                                   ELSE now() END,
               submitted_by = CASE WHEN ok.new_status <> 'submitted' THEN NULL
                                   WHEN s.status = 'submitted' THEN s.submitted_by
                                   ELSE ok.author END
          FROM ok JOIN mine m ON m.segment_id = ok.seg
         WHERE s.id = ok.seg AND ok.current
        RETURNING 1
    ), logged AS (
        INSERT INTO events (actor_id, kind, segment_id, revision_id)
        SELECT ok.author, k.kind, ok.seg, m.id
          FROM ok JOIN mine m ON m.segment_id = ok.seg
               CROSS JOIN LATERAL (VALUES
                   (1, CASE WHEN ok.current THEN ok.ev ELSE 'saved_in_conflict' END),
                   (2, CASE WHEN ok.current AND ok.new_status = 'submitted'
                                 AND ok.old_status <> 'submitted' THEN 'submitted' END))
                   AS k (n, kind)
         WHERE k.kind IS NOT NULL
         ORDER BY ok.item, k.n
        RETURNING 1
    )
    -- Refusals: no revision (a refusal by the rules names the status it found).
    SELECT j.item, CASE WHEN NOT j.found THEN 'no_segment'
                        WHEN j.retired THEN 'retired'
                        WHEN NOT j.base_ok THEN 'no_base'
                        ELSE 'refused' END,
           NULL::uuid, NULL::uuid, NULL::uuid,
           CASE WHEN j.found AND NOT j.retired AND j.base_ok THEN j.old_status END,
           NULL::uuid, NULL::timestamptz, NULL::text, NULL::uuid
      FROM judged j
     WHERE NOT (j.found AND NOT j.retired AND j.base_ok AND j.new_status IS NOT NULL)
    UNION ALL
    -- Unchanged: the current revision.
    SELECT ok.item, 'unchanged', ok.cur_id, ok.seg, ok.cur_author, ok.cur_text, ok.cur_base,
           ok.cur_created, ok.cur_note, ok.cur_restored
      FROM ok WHERE ok.cur_text IS NOT DISTINCT FROM ok.txt
    UNION ALL
    -- Saved, or in conflict: this save's revision, then (in conflict) the current one.
    SELECT x.item, x.outcome, x.id, x.segment_id, x.author_id, x.text, x.base_revision_id,
           x.created_at, x.note, x.restored_from_id
      FROM (SELECT ok.item, 1 AS n, CASE WHEN ok.current THEN 'saved' ELSE 'mine' END AS outcome,
                   m.id, m.segment_id, m.author_id, m.text, m.base_revision_id,
                   m.created_at, m.note, m.restored_from_id
              FROM ok JOIN mine m ON m.segment_id = ok.seg
            UNION ALL
            SELECT ok.item, 2, 'theirs', ok.cur_id, ok.seg, ok.cur_author, ok.cur_text,
                   ok.cur_base, ok.cur_created, ok.cur_note, ok.cur_restored
              FROM ok JOIN mine m ON m.segment_id = ok.seg
             WHERE NOT ok.current) AS x
     ORDER BY 1, 2;

    -- The chapters' content_version, in the order of their ids, as the saves one by one
    -- bump them (their segments in book order): bumped here, the deferred triggers of
    -- the rows written above find it done (bump_chapter_version_once). Left to those
    -- triggers, the bumps would follow the order the UPDATE happened to write its rows
    -- in, and two batches spanning two chapters could deadlock.
    -- Only the chapters something was written in (a segment, or a claim's activity):
    -- rows this transaction wrote carry its id as xmin.
    PERFORM bump_chapter_version_once(c.chapter_id)
       FROM (SELECT DISTINCT s.chapter_id FROM segments s
              WHERE s.id = ANY (p_segments)
                AND (s.xmin = pg_current_xact_id()::xid
                     OR EXISTS (SELECT 1 FROM claims cl WHERE cl.segment_id = s.id
                                   AND cl.xmin = pg_current_xact_id()::xid))
              ORDER BY s.chapter_id) AS c;
END;
$$;
