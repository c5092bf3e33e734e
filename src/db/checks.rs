//! What the quality checks need from the database: dismissals (`check_dismissals`,
//! migration 0013) and the book's usual length ratio. The checks themselves are pure
//! (`crate::checks`).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::checks::MIN_SEGMENTS_FOR_RATIO;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Dismissal {
    pub segment_id: Uuid,
    pub check_id: String,
    pub reason: String,
    pub dismissed_by_name: String,
    pub dismissed_at: DateTime<Utc>,
}

pub async fn dismissals_of_segment(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Vec<Dismissal>, sqlx::Error> {
    sqlx::query_as::<_, Dismissal>(
        "SELECT d.segment_id, d.check_id, d.reason, u.username AS dismissed_by_name, d.dismissed_at
           FROM check_dismissals d JOIN users u ON u.id = d.dismissed_by
          WHERE d.segment_id = $1 ORDER BY d.dismissed_at",
    )
    .bind(segment_id)
    .fetch_all(conn)
    .await
}

/// (segment, check id) of every dismissal in a chapter.
pub async fn dismissed_in_chapter(
    conn: &mut PgConnection,
    chapter_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.segment_id, d.check_id FROM check_dismissals d
           JOIN segments s ON s.id = d.segment_id WHERE s.chapter_id = $1",
    )
    .bind(chapter_id)
    .fetch_all(conn)
    .await
}

/// Records a dismissal; `false` if the check was dismissed on this segment already.
pub async fn dismiss(
    conn: &mut PgConnection,
    segment_id: Uuid,
    check_id: &str,
    reason: &str,
    by: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO check_dismissals (segment_id, check_id, reason, dismissed_by)
         VALUES ($1, $2, $3, $4) ON CONFLICT (segment_id, check_id) DO NOTHING",
    )
    .bind(segment_id)
    .bind(check_id)
    .bind(reason)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The median of English characters per Thai character over the live segments with English
/// of the book `chapter_id` belongs to; `None` with fewer than
/// [`MIN_SEGMENTS_FOR_RATIO`] such segments. One aggregate over the book's segments.
pub async fn book_ratio(
    conn: &mut PgConnection,
    chapter_id: Uuid,
) -> Result<Option<f64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CASE WHEN count(*) >= $2 THEN
                    percentile_cont(0.5) WITHIN GROUP
                        (ORDER BY char_length(r.text)::float8 / s.source_chars)
                END
           FROM segments s
           JOIN chapters c ON c.id = s.chapter_id
           JOIN revisions r ON r.id = s.current_revision_id
          WHERE c.book_id = (SELECT book_id FROM chapters WHERE id = $1)
            AND s.retired_at IS NULL AND s.source_chars > 0",
    )
    .bind(chapter_id)
    .bind(MIN_SEGMENTS_FOR_RATIO)
    .fetch_one(conn)
    .await
}

/// A segment's Thai (the workflow checks an approval against it).
pub async fn segment_thai(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT source_th FROM segments WHERE id = $1")
        .bind(segment_id)
        .fetch_optional(conn)
        .await
}
