//! Review decisions (append-only) and the review queue.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A recorded decision about one revision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Review {
    pub id: Uuid,
    pub segment_id: Uuid,
    pub revision_id: Uuid,
    pub reviewer_id: Uuid,
    /// `approved` or `changes_requested`.
    pub verdict: String,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

const REVIEW_COLUMNS: &str =
    "id, segment_id, revision_id, reviewer_id, verdict, comment, created_at";

/// Records a decision. Whether it was allowed is the workflow's business.
pub async fn insert_review(
    conn: &mut PgConnection,
    segment_id: Uuid,
    revision_id: Uuid,
    reviewer_id: Uuid,
    verdict: &str,
    comment: Option<&str>,
) -> Result<Review, sqlx::Error> {
    sqlx::query_as::<_, Review>(&format!(
        "INSERT INTO reviews (segment_id, revision_id, reviewer_id, verdict, comment)
         VALUES ($1, $2, $3, $4, $5) RETURNING {REVIEW_COLUMNS}"
    ))
    .bind(segment_id)
    .bind(revision_id)
    .bind(reviewer_id)
    .bind(verdict)
    .bind(comment)
    .fetch_one(conn)
    .await
}

/// A decision with the reviewer's name, for a segment's history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct ReviewEntry {
    pub id: Uuid,
    pub revision_id: Uuid,
    pub reviewer_id: Uuid,
    pub reviewer_name: String,
    pub verdict: String,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A segment's review decisions, newest first.
pub async fn list_reviews(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Vec<ReviewEntry>, sqlx::Error> {
    sqlx::query_as::<_, ReviewEntry>(
        "SELECT v.id, v.revision_id, v.reviewer_id, u.display_name AS reviewer_name,
                v.verdict, v.comment, v.created_at
           FROM reviews v
           JOIN users u ON u.id = v.reviewer_id
          WHERE v.segment_id = $1
          ORDER BY v.created_at DESC, v.id",
    )
    .bind(segment_id)
    .fetch_all(conn)
    .await
}

/// One submitted segment waiting for a reviewer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct QueueItem {
    pub segment_id: Uuid,
    pub chapter_id: Uuid,
    pub chapter_number: i32,
    pub position: i32,
    /// The beginning of the Thai source, cut after whole characters with their marks.
    pub thai_excerpt: String,
    /// Whether the Thai goes on after the excerpt.
    pub thai_truncated: bool,
    /// The revision to review (the segment's current one) and its text.
    pub revision_id: Uuid,
    pub submitted_text: String,
    /// The revision's author; `None` for system text.
    pub author_id: Option<Uuid>,
    pub author_name: Option<String>,
    /// Who submitted it, and when it entered the queue.
    pub submitter_id: Uuid,
    pub submitter_name: String,
    pub submitted_at: DateTime<Utc>,
    /// The approved text it would replace, if an approved segment was edited.
    pub approved_text: Option<String>,
}

/// How many Thai characters an excerpt keeps (then any marks on the last one).
pub const EXCERPT_CHARS: i32 = 160;

/// The book's submitted segments, oldest submission first, optionally of one chapter
/// (by number). `limit`/`offset` page through a long queue.
pub async fn review_queue(
    conn: &mut PgConnection,
    book_id: Uuid,
    chapter_number: Option<i32>,
    limit: i64,
    offset: i64,
) -> Result<Vec<QueueItem>, sqlx::Error> {
    // The excerpt regex takes up to EXCERPT_CHARS characters and then the Thai marks that
    // sit on the last one, so no vowel or tone mark is cut from its letter.
    sqlx::query_as::<_, QueueItem>(
        "SELECT s.id AS segment_id, c.id AS chapter_id, c.number AS chapter_number, s.position,
                substring(s.source_th FROM
                    '^.{0,' || $5 || '}[\\u0E31\\u0E33-\\u0E3A\\u0E47-\\u0E4E]*') AS thai_excerpt,
                s.source_chars > $5 AS thai_truncated,
                r.id AS revision_id, r.text AS submitted_text,
                r.author_id, au.display_name AS author_name,
                s.submitted_by AS submitter_id, su.display_name AS submitter_name,
                s.submitted_at, ap.text AS approved_text
           FROM segments s
           JOIN chapters c ON c.id = s.chapter_id
           JOIN revisions r ON r.id = s.current_revision_id
           JOIN users su ON su.id = s.submitted_by
           LEFT JOIN users au ON au.id = r.author_id
           LEFT JOIN revisions ap ON ap.id = s.approved_revision_id
          WHERE s.status = 'submitted' AND s.retired_at IS NULL
            AND c.book_id = $1 AND ($2::int IS NULL OR c.number = $2)
          ORDER BY s.submitted_at, s.id
          LIMIT $3 OFFSET $4",
    )
    .bind(book_id)
    .bind(chapter_number)
    .bind(limit)
    .bind(offset)
    .bind(EXCERPT_CHARS)
    .fetch_all(conn)
    .await
}
