-- What a chapter page shows changes only when one of its segments changes; readers ask on
-- every view whether it did (see web::rendered), so the answer must cost one row, not a
-- pass over the chapter's segments.
--
-- chapters.content_version goes up with every statement that inserts, updates or deletes
-- segments of the chapter. It is a counter on the chapter row, not a max() of timestamps:
-- writers serialize on the row, so each committed state of the chapter has its own value,
-- whatever order transactions commit in (a max(updated_at) would miss a transaction that
-- started earlier but committed later).
--
-- segments.source_chars stores the Thai length the progress bars count by: char_length()
-- over every segment's text on each view of the home page was its main cost.

ALTER TABLE chapters ADD COLUMN content_version bigint NOT NULL DEFAULT 0;

ALTER TABLE segments
    ADD COLUMN source_chars integer GENERATED ALWAYS AS (char_length(source_th)) STORED;

CREATE FUNCTION bump_chapter_content_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Statement-level, with transition tables: one bump per chapter and statement, however
    -- many rows the statement touched. Only the tables this event has are referenced.
    IF TG_OP = 'INSERT' THEN
        UPDATE chapters SET content_version = content_version + 1
         WHERE id IN (SELECT DISTINCT chapter_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE chapters SET content_version = content_version + 1
         WHERE id IN (SELECT DISTINCT chapter_id FROM old_rows);
    ELSE
        UPDATE chapters SET content_version = content_version + 1
         WHERE id IN (SELECT chapter_id FROM new_rows UNION SELECT chapter_id FROM old_rows);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER segments_bump_version_on_insert
    AFTER INSERT ON segments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_chapter_content_version();
CREATE TRIGGER segments_bump_version_on_update
    AFTER UPDATE ON segments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_chapter_content_version();
CREATE TRIGGER segments_bump_version_on_delete
    AFTER DELETE ON segments REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_chapter_content_version();
