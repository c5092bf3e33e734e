-- The translate-and-review workflow: provenance of revisions, the approved text, review
-- decisions, comment threads, claims and the activity feed.
--
-- Why it looks like this:
--   * segments.current_revision_id is the newest accepted text; approved_revision_id is the
--     text a reviewer approved. They differ while an edit of approved text waits for review,
--     and readers and exports keep showing the approved one meanwhile.
--   * Only src/workflow.rs writes segments.status (and the columns below that go with it);
--     the CHECKs make the combinations it may write the only ones the database accepts.
--   * Review decisions, comment edits and events are records: append-only, like revisions,
--     whatever the application does. Comments themselves can be edited (by their author)
--     and resolved, but each earlier body is kept in comment_edits.
--   * A claim is one row per segment. It expires after a period of inactivity that is a
--     setting, so the expiry is computed when read (last_activity_at + the setting), never
--     stored: changing the setting applies to every claim at once.
--   * Claims and comments change what a chapter page shows (who holds a paragraph, how many
--     open threads it has), so they bump chapters.content_version like segments do (0006).

-- Revisions: where a text came from, and the limits every text must meet.
ALTER TABLE revisions
    -- Human-readable provenance: "restored from revision … of …", "imported from FILE".
    ADD COLUMN note text CHECK (note ~ '[^[:space:]]'),
    -- The revision a restore copied; the same segment's, like base_revision_id.
    ADD COLUMN restored_from_id uuid,
    ADD CONSTRAINT revisions_restored_from_same_segment
        FOREIGN KEY (segment_id, restored_from_id) REFERENCES revisions (segment_id, id),
    ADD CONSTRAINT revisions_text_not_blank CHECK (text ~ '[^[:space:]]'),
    ADD CONSTRAINT revisions_text_length CHECK (char_length(text) <= 50000);

-- Segments: the approved text and the pending submission.
ALTER TABLE segments
    ADD COLUMN approved_revision_id uuid,
    -- When the segment entered 'submitted' and who put it there: the review queue's order
    -- and its "submitted by". Saving again while submitted keeps both (the wait goes on).
    ADD COLUMN submitted_at timestamptz,
    ADD COLUMN submitted_by uuid REFERENCES users (id),
    ADD CONSTRAINT segments_approved_revision_same_segment
        FOREIGN KEY (id, approved_revision_id) REFERENCES revisions (segment_id, id),
    -- 'approved' means the text shown is the approved one.
    ADD CONSTRAINT segments_approved_is_current
        CHECK (status <> 'approved'
               OR approved_revision_id IS NOT DISTINCT FROM current_revision_id),
    ADD CONSTRAINT segments_submission_when_submitted
        CHECK ((status = 'submitted') = (submitted_at IS NOT NULL)),
    ADD CONSTRAINT segments_submission_has_submitter
        CHECK ((submitted_at IS NULL) = (submitted_by IS NULL));

-- The review queue: submitted segments, oldest submission first.
CREATE INDEX segments_review_queue_idx ON segments (submitted_at, id)
    WHERE status = 'submitted';

-- Records are never rewritten (the same guard as revisions, for any table).
CREATE FUNCTION records_are_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'raise_exception',
              HINT = 'Add a new row instead of changing or removing an old one.';
END
$$;

-- Review decisions: who decided what about which revision, and why.
CREATE TABLE reviews (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    segment_id   uuid NOT NULL REFERENCES segments (id),
    revision_id  uuid NOT NULL,
    reviewer_id  uuid NOT NULL REFERENCES users (id),
    verdict      text NOT NULL CHECK (verdict IN ('approved', 'changes_requested')),
    comment      text CHECK (comment ~ '[^[:space:]]' AND char_length(comment) <= 10000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Target of the comments' foreign key.
    CONSTRAINT reviews_segment_id_key UNIQUE (segment_id, id),
    CONSTRAINT reviews_revision_same_segment
        FOREIGN KEY (segment_id, revision_id) REFERENCES revisions (segment_id, id),
    CONSTRAINT reviews_changes_requested_say_which
        CHECK (verdict <> 'changes_requested' OR comment IS NOT NULL)
);

CREATE INDEX reviews_segment_created_idx ON reviews (segment_id, created_at);

CREATE TRIGGER reviews_append_only
    BEFORE UPDATE OR DELETE ON reviews
    FOR EACH ROW EXECUTE FUNCTION records_are_append_only();
CREATE TRIGGER reviews_no_truncate
    BEFORE TRUNCATE ON reviews
    FOR EACH STATEMENT EXECUTE FUNCTION records_are_append_only();

-- Comment threads: a root comment per thread, replies point at the root (one level: a
-- reply to a reply joins the root's thread). Plain text as written.
CREATE TABLE comments (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    segment_id      uuid NOT NULL REFERENCES segments (id),
    parent_id       uuid,
    author_id       uuid NOT NULL REFERENCES users (id),
    body            text NOT NULL
                    CHECK (body ~ '[^[:space:]]' AND char_length(body) <= 10000),
    -- The review decision this comment explains ("request changes" writes one).
    review_id       uuid UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    edited_at       timestamptz,
    resolved_at     timestamptz,
    resolved_by     uuid REFERENCES users (id),
    -- Only for the foreign key below: a parent must be a root of the same segment.
    is_root         boolean NOT NULL GENERATED ALWAYS AS (parent_id IS NULL) STORED,
    parent_is_root  boolean GENERATED ALWAYS AS
                        (CASE WHEN parent_id IS NOT NULL THEN true END) STORED,
    CONSTRAINT comments_segment_id_key UNIQUE (segment_id, id),
    CONSTRAINT comments_thread_key UNIQUE (segment_id, id, is_root),
    CONSTRAINT comments_parent_is_root_of_same_segment
        FOREIGN KEY (segment_id, parent_id, parent_is_root)
        REFERENCES comments (segment_id, id, is_root),
    CONSTRAINT comments_review_same_segment
        FOREIGN KEY (segment_id, review_id) REFERENCES reviews (segment_id, id),
    -- A review's comment opens a thread of its own.
    CONSTRAINT comments_review_opens_thread CHECK (review_id IS NULL OR parent_id IS NULL),
    -- Threads are resolved, not single replies.
    CONSTRAINT comments_only_threads_resolve CHECK (parent_id IS NULL OR resolved_at IS NULL),
    CONSTRAINT comments_resolved_by_someone CHECK ((resolved_at IS NULL) = (resolved_by IS NULL)),
    CONSTRAINT comments_edited_after_created CHECK (edited_at >= created_at),
    CONSTRAINT comments_resolved_after_created CHECK (resolved_at >= created_at)
);

CREATE INDEX comments_segment_created_idx ON comments (segment_id, created_at);
-- Open-thread counts for a chapter page.
CREATE INDEX comments_open_threads_idx ON comments (segment_id)
    WHERE parent_id IS NULL AND resolved_at IS NULL;

-- Every body a comment had before an edit, so an edit loses nothing.
CREATE TABLE comment_edits (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    comment_id     uuid NOT NULL REFERENCES comments (id),
    previous_body  text NOT NULL,
    replaced_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX comment_edits_comment_idx ON comment_edits (comment_id, replaced_at);

CREATE TRIGGER comment_edits_append_only
    BEFORE UPDATE OR DELETE ON comment_edits
    FOR EACH ROW EXECUTE FUNCTION records_are_append_only();
CREATE TRIGGER comment_edits_no_truncate
    BEFORE TRUNCATE ON comment_edits
    FOR EACH STATEMENT EXECUTE FUNCTION records_are_append_only();

-- Claims: "I am translating this". At most one per segment (the primary key); an expired
-- one stays until someone claims the segment again or it is released. A claim on a
-- segment that leaves the source means nothing, so it goes with the segment.
CREATE TABLE claims (
    segment_id        uuid PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,
    user_id           uuid NOT NULL REFERENCES users (id),
    claimed_at        timestamptz NOT NULL DEFAULT now(),
    last_activity_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT claims_activity_after_claim CHECK (last_activity_at >= claimed_at)
);

CREATE INDEX claims_user_idx ON claims (user_id);

-- The activity feed: one row per save, submission, review decision and comment action,
-- written by the workflow in the transaction that did it.
CREATE TABLE events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at   timestamptz NOT NULL DEFAULT now(),
    actor_id     uuid NOT NULL REFERENCES users (id),
    kind         text NOT NULL CHECK (kind IN
                     ('saved', 'saved_in_conflict', 'restored', 'submitted', 'approved',
                      'changes_requested', 'commented', 'comment_edited',
                      'comment_resolved', 'comment_reopened')),
    segment_id   uuid NOT NULL REFERENCES segments (id),
    revision_id  uuid,
    review_id    uuid,
    comment_id   uuid,
    CONSTRAINT events_revision_same_segment
        FOREIGN KEY (segment_id, revision_id) REFERENCES revisions (segment_id, id),
    CONSTRAINT events_review_same_segment
        FOREIGN KEY (segment_id, review_id) REFERENCES reviews (segment_id, id),
    CONSTRAINT events_comment_same_segment
        FOREIGN KEY (segment_id, comment_id) REFERENCES comments (segment_id, id),
    -- Each kind names what it is about.
    CONSTRAINT events_revision_kinds_name_it CHECK (
        kind NOT IN ('saved', 'saved_in_conflict', 'restored', 'submitted', 'approved',
                     'changes_requested') OR revision_id IS NOT NULL),
    CONSTRAINT events_review_kinds_name_it CHECK (
        kind NOT IN ('approved', 'changes_requested') OR review_id IS NOT NULL),
    CONSTRAINT events_comment_kinds_name_it CHECK (
        kind NOT IN ('commented', 'comment_edited', 'comment_resolved', 'comment_reopened')
        OR comment_id IS NOT NULL)
);

-- Newest first, book-wide and per user (the feed pages by (created_at, id)).
CREATE INDEX events_recent_idx ON events (created_at DESC, id DESC);
CREATE INDEX events_actor_recent_idx ON events (actor_id, created_at DESC, id DESC);

CREATE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION records_are_append_only();
CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION records_are_append_only();

-- Claims and comments bump their chapter's content_version, one bump per chapter and
-- statement, like segments (0006). The chapter is found through the segment.
CREATE FUNCTION bump_chapter_content_version_of_segments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE chapters SET content_version = content_version + 1
         WHERE id IN (SELECT s.chapter_id FROM segments s
                       WHERE s.id IN (SELECT segment_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE chapters SET content_version = content_version + 1
         WHERE id IN (SELECT s.chapter_id FROM segments s
                       WHERE s.id IN (SELECT segment_id FROM old_rows));
    ELSE
        UPDATE chapters SET content_version = content_version + 1
         WHERE id IN (SELECT s.chapter_id FROM segments s
                       WHERE s.id IN (SELECT segment_id FROM new_rows
                                      UNION SELECT segment_id FROM old_rows));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER claims_bump_version_on_insert
    AFTER INSERT ON claims REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_chapter_content_version_of_segments();
CREATE TRIGGER claims_bump_version_on_update
    AFTER UPDATE ON claims REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_chapter_content_version_of_segments();
CREATE TRIGGER claims_bump_version_on_delete
    AFTER DELETE ON claims REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_chapter_content_version_of_segments();

CREATE TRIGGER comments_bump_version_on_insert
    AFTER INSERT ON comments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_chapter_content_version_of_segments();
CREATE TRIGGER comments_bump_version_on_update
    AFTER UPDATE ON comments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_chapter_content_version_of_segments();
CREATE TRIGGER comments_bump_version_on_delete
    AFTER DELETE ON comments REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_chapter_content_version_of_segments();
