-- Extensions the schema may use.
--
-- pg_trgm gives trigram indexes for searching Thai text later (Thai has no spaces between
-- words, so word-based full-text search does not work; trigrams do). It ships in
-- postgresql-contrib, which Debian's postgresql package includes, but a server built without
-- contrib must still be able to run Plae: create it only when the server has it.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    END IF;
END
$$;

-- updated_at is kept by the database, not by each UPDATE statement, so that no code path can
-- forget it. It only moves when a row really changes: an UPDATE that writes the same values
-- (for example a re-import of an unchanged file) leaves the timestamp alone.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := now();
    ELSE
        NEW.updated_at := OLD.updated_at;
    END IF;
    RETURN NEW;
END
$$;
