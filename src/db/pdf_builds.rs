//! PDF builds (`pdf_builds`, migration 0010): the queue the PDF workers take jobs from, and
//! the finished PDFs every instance serves. Keyed by the SHA-256 of the LaTeX source.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// A build as a request sees it (without the source).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PdfBuild {
    pub id: Uuid,
    pub state: String,
    pub pdf: Option<Vec<u8>>,
    pub warnings: serde_json::Value,
    pub log_tail: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A job a worker claimed: its source.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedBuild {
    pub id: Uuid,
    pub source_sha256: String,
    pub tex: String,
    pub attempts: i32,
}

/// The build of this source, if any.
pub async fn find_build(
    conn: &mut PgConnection,
    source_sha256: &str,
) -> Result<Option<PdfBuild>, sqlx::Error> {
    sqlx::query_as::<_, PdfBuild>(
        "SELECT id, state, pdf, warnings, log_tail, created_at, finished_at
           FROM pdf_builds WHERE source_sha256 = $1",
    )
    .bind(source_sha256)
    .fetch_optional(conn)
    .await
}

/// Queues a build of this source unless there is one already (whatever its state).
pub async fn enqueue_build(
    conn: &mut PgConnection,
    source_sha256: &str,
    tex: &str,
    requested_by: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pdf_builds (source_sha256, tex, requested_by) VALUES ($1, $2, $3)
         ON CONFLICT (source_sha256) DO NOTHING",
    )
    .bind(source_sha256)
    .bind(tex)
    .bind(requested_by)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Claims the oldest queued job, or a job running for longer than `stale_after_seconds`
/// (its instance died): marks it running and returns it. `None`: nothing to do.
pub async fn claim_next_build(
    pool: &PgPool,
    stale_after_seconds: i64,
) -> Result<Option<ClaimedBuild>, sqlx::Error> {
    sqlx::query_as::<_, ClaimedBuild>(
        "UPDATE pdf_builds
            SET state = 'running', started_at = now(), attempts = attempts + 1
          WHERE id = (
                SELECT id FROM pdf_builds
                 WHERE state = 'queued'
                    OR (state = 'running'
                        AND started_at < now() - make_interval(secs => $1::double precision))
                 ORDER BY created_at
                 FOR UPDATE SKIP LOCKED
                 LIMIT 1)
         RETURNING id, source_sha256, tex, attempts",
    )
    .bind(stale_after_seconds as f64)
    .fetch_optional(pool)
    .await
}

/// Stores a finished PDF. Only a job still running is changed.
pub async fn finish_build(
    pool: &PgPool,
    id: Uuid,
    pdf: &[u8],
    runs: i32,
    warnings: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE pdf_builds
            SET state = 'done', pdf = $2, runs = $3, warnings = $4, finished_at = now()
          WHERE id = $1 AND state = 'running'",
    )
    .bind(id)
    .bind(pdf)
    .bind(runs)
    .bind(warnings)
    .execute(pool)
    .await
    .map(|_| ())
}

/// Records a failed build with the end of its log.
pub async fn fail_build(pool: &PgPool, id: Uuid, log_tail: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE pdf_builds
            SET state = 'failed', log_tail = $2, finished_at = now()
          WHERE id = $1 AND state = 'running'",
    )
    .bind(id)
    .bind(log_tail)
    .execute(pool)
    .await
    .map(|_| ())
}
