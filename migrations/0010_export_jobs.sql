-- PDF builds: an edition's LaTeX compiled to PDF by XeLaTeX in the background, recorded here
-- so that any app instance can serve the result (and none compiles the same text twice).
--
-- Why it looks like this:
--   * A build is keyed by the SHA-256 of its LaTeX source (source_sha256): the content hash
--     is the cache key. The same text with the same options is built once, whoever asks and
--     whichever instance serves them; when the text changes the hash changes and a new
--     build is made. Old builds stay (a few MB each) until someone deletes them.
--   * The source itself is stored (tex) so that the instance that claims the job needs
--     nothing but this row.
--   * state: queued → running → done | failed. A worker claims the oldest queued job with
--     FOR UPDATE SKIP LOCKED; a job left running past the time limit (its instance died) is
--     claimed again (started_at says since when it runs, attempts how many times).
--   * done keeps the PDF (bytea) and XeLaTeX's warnings (missing characters, overfull boxes,
--     as JSON); failed keeps the tail of the LaTeX log for the page that explains it.
--   * requested_by: who asked first (null for an anonymous request of a public edition).

CREATE TABLE pdf_builds (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source_sha256  text NOT NULL UNIQUE CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
    tex            text NOT NULL,
    state         text NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'running', 'done', 'failed')),
    pdf            bytea,
    runs           integer,
    warnings       jsonb NOT NULL DEFAULT '{}'::jsonb,
    log_tail       text,
    attempts       integer NOT NULL DEFAULT 0,
    requested_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    finished_at    timestamptz,
    CHECK ((state = 'done') = (pdf IS NOT NULL)),
    CHECK (state <> 'failed' OR log_tail IS NOT NULL),
    CHECK (state NOT IN ('running', 'done', 'failed') OR started_at IS NOT NULL),
    CHECK ((state IN ('done', 'failed')) = (finished_at IS NOT NULL))
);

-- The workers' queue: the queued and running jobs, oldest first.
CREATE INDEX pdf_builds_pending ON pdf_builds (created_at) WHERE state IN ('queued', 'running');
