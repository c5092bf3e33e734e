//! What the translation workspace shows: a chapter's segments with their text, claim and
//! open threads in one query, one segment's workflow state, and where to go next.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A live segment as a row of the chapter workspace.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WorkspaceSegment {
    pub id: Uuid,
    pub position: i32,
    pub kind: String,
    pub source_th: String,
    pub source_chars: i32,
    pub status: String,
    pub current_revision_id: Option<Uuid>,
    /// The current revision's text; `None` before anyone has written English.
    pub english: Option<String>,
    pub english_author_id: Option<Uuid>,
    /// The approved text when it is not the current one (an edit of it waits for review):
    /// what readers keep seeing meanwhile.
    pub approved_english: Option<String>,
    pub source_changed_at: Option<DateTime<Utc>>,
    /// The segment's claim, live or expired (`workflow::is_live` decides).
    pub claim_user_id: Option<Uuid>,
    pub claim_holder: Option<String>,
    pub claim_last_activity_at: Option<DateTime<Utc>>,
    /// Unresolved comment threads.
    pub open_threads: i64,
}

/// A chapter's live segments in reading order, with everything its workspace shows.
pub async fn chapter_workspace(
    conn: &mut PgConnection,
    chapter_id: Uuid,
) -> Result<Vec<WorkspaceSegment>, sqlx::Error> {
    sqlx::query_as::<_, WorkspaceSegment>(
        "SELECT s.id, s.position, s.kind, s.source_th, s.source_chars, s.status,
                s.current_revision_id, r.text AS english, r.author_id AS english_author_id,
                ap.text AS approved_english, s.source_changed_at,
                k.user_id AS claim_user_id, u.display_name AS claim_holder,
                k.last_activity_at AS claim_last_activity_at,
                (SELECT count(*) FROM comments m
                  WHERE m.segment_id = s.id AND m.parent_id IS NULL
                    AND m.resolved_at IS NULL) AS open_threads
           FROM segments s
           LEFT JOIN revisions r ON r.id = s.current_revision_id
           LEFT JOIN revisions ap ON ap.id = s.approved_revision_id
                                 AND s.approved_revision_id <> s.current_revision_id
           LEFT JOIN claims k ON k.segment_id = s.id
           LEFT JOIN users u ON u.id = k.user_id
          WHERE s.chapter_id = $1 AND s.retired_at IS NULL
          ORDER BY s.position",
    )
    .bind(chapter_id)
    .fetch_all(conn)
    .await
}

/// One segment's workflow state beyond what its page header needs.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SegmentState {
    pub approved_revision_id: Option<Uuid>,
    /// The approved text when it is not the current one.
    pub approved_english: Option<String>,
    pub current_author_id: Option<Uuid>,
    pub current_author_name: Option<String>,
    pub current_created_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitter_name: Option<String>,
    pub claim_user_id: Option<Uuid>,
    pub claim_holder: Option<String>,
    pub claim_last_activity_at: Option<DateTime<Utc>>,
    /// The database's clock, which claim expiry is judged against.
    pub db_now: DateTime<Utc>,
}

pub async fn segment_state(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Option<SegmentState>, sqlx::Error> {
    sqlx::query_as::<_, SegmentState>(
        "SELECT s.approved_revision_id,
                CASE WHEN s.approved_revision_id <> s.current_revision_id
                     THEN ap.text END AS approved_english,
                r.author_id AS current_author_id, ra.display_name AS current_author_name,
                r.created_at AS current_created_at,
                s.submitted_at, su.display_name AS submitter_name,
                k.user_id AS claim_user_id, ku.display_name AS claim_holder,
                k.last_activity_at AS claim_last_activity_at,
                now() AS db_now
           FROM segments s
           LEFT JOIN revisions r ON r.id = s.current_revision_id
           LEFT JOIN users ra ON ra.id = r.author_id
           LEFT JOIN revisions ap ON ap.id = s.approved_revision_id
           LEFT JOIN users su ON su.id = s.submitted_by
           LEFT JOIN claims k ON k.segment_id = s.id
           LEFT JOIN users ku ON ku.id = k.user_id
          WHERE s.id = $1",
    )
    .bind(segment_id)
    .fetch_optional(conn)
    .await
}

/// The next live untranslated segment after this one in the book's reading order (later
/// chapters included), else the first one before it; `None` when none is left.
pub async fn next_untranslated(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar::<_, Uuid>(
        "WITH here AS (
             SELECT c.book_id, c.position AS chapter_position, s.position
               FROM segments s JOIN chapters c ON c.id = s.chapter_id
              WHERE s.id = $1
         )
         SELECT s.id
           FROM segments s
           JOIN chapters c ON c.id = s.chapter_id
           JOIN here ON here.book_id = c.book_id
          WHERE s.status = 'untranslated' AND s.retired_at IS NULL AND s.id <> $1
          ORDER BY (c.position, s.position) <= (here.chapter_position, here.position),
                   c.position, s.position
          LIMIT 1",
    )
    .bind(segment_id)
    .fetch_optional(conn)
    .await
}

/// Ids of a chapter's live segments whose 1-based place in the chapter is within
/// `from..=to` (the chapter page's "segments 12 to 20").
pub async fn segments_by_ordinal(
    conn: &mut PgConnection,
    chapter_id: Uuid,
    from: i64,
    to: i64,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar::<_, Uuid>(
        "SELECT id FROM (
             SELECT id, row_number() OVER (ORDER BY position) AS ordinal
               FROM segments WHERE chapter_id = $1 AND retired_at IS NULL
         ) live
          WHERE ordinal BETWEEN $2 AND $3
          ORDER BY ordinal",
    )
    .bind(chapter_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
}
