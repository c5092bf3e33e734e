//! The activity feed: an append-only record of what people did, written by the workflow in
//! the same transaction as the change itself, read newest first a page at a time.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// What happened. The database accepts exactly these (`events.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A revision became the segment's text.
    Saved,
    /// A revision was stored but someone else had saved first (see `SaveOutcome::Conflict`).
    SavedInConflict,
    /// An earlier revision's text became current again.
    Restored,
    Submitted,
    Approved,
    ChangesRequested,
    Commented,
    CommentEdited,
    CommentResolved,
    CommentReopened,
}

impl EventKind {
    pub const ALL: [EventKind; 10] = [
        EventKind::Saved,
        EventKind::SavedInConflict,
        EventKind::Restored,
        EventKind::Submitted,
        EventKind::Approved,
        EventKind::ChangesRequested,
        EventKind::Commented,
        EventKind::CommentEdited,
        EventKind::CommentResolved,
        EventKind::CommentReopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Saved => "saved",
            EventKind::SavedInConflict => "saved_in_conflict",
            EventKind::Restored => "restored",
            EventKind::Submitted => "submitted",
            EventKind::Approved => "approved",
            EventKind::ChangesRequested => "changes_requested",
            EventKind::Commented => "commented",
            EventKind::CommentEdited => "comment_edited",
            EventKind::CommentResolved => "comment_resolved",
            EventKind::CommentReopened => "comment_reopened",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An event to record; the ids say what it is about (the database checks each kind has
/// the ones it needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewEvent {
    pub actor_id: Uuid,
    pub kind: EventKind,
    pub segment_id: Uuid,
    pub revision_id: Option<Uuid>,
    pub review_id: Option<Uuid>,
    pub comment_id: Option<Uuid>,
}

pub async fn record(conn: &mut PgConnection, event: &NewEvent) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO events (actor_id, kind, segment_id, revision_id, review_id, comment_id)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(event.actor_id)
    .bind(event.kind.as_str())
    .bind(event.segment_id)
    .bind(event.revision_id)
    .bind(event.review_id)
    .bind(event.comment_id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// An event as the feed shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct FeedEvent {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    /// One of [`EventKind::as_str`]; see [`EventKind::parse`].
    pub kind: String,
    pub actor_id: Uuid,
    pub actor_name: String,
    /// For a link to the actor's own feed.
    pub actor_username: String,
    pub segment_id: Uuid,
    pub chapter_id: Uuid,
    pub chapter_number: i32,
    pub position: i32,
    pub revision_id: Option<Uuid>,
    pub review_id: Option<Uuid>,
    pub comment_id: Option<Uuid>,
}

impl FeedEvent {
    /// Where the next page starts: pass it as `before`.
    pub fn cursor(&self) -> EventCursor {
        EventCursor {
            created_at: self.created_at,
            id: self.id,
        }
    }
}

/// A position in the feed: the events strictly older than this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EventCursor {
    pub created_at: DateTime<Utc>,
    pub id: i64,
}

const FEED_SELECT: &str = "
    SELECT e.id, e.created_at, e.kind, e.actor_id, u.display_name AS actor_name,
           u.username AS actor_username, e.segment_id, s.chapter_id, c.number AS chapter_number, s.position,
           e.revision_id, e.review_id, e.comment_id
      FROM events e
      JOIN users u ON u.id = e.actor_id
      JOIN segments s ON s.id = e.segment_id
      JOIN chapters c ON c.id = s.chapter_id";

/// The book's latest events, newest first, `limit` of them older than `before`.
pub async fn recent_in_book(
    conn: &mut PgConnection,
    book_id: Uuid,
    before: Option<EventCursor>,
    limit: i64,
) -> Result<Vec<FeedEvent>, sqlx::Error> {
    feed_page(conn, "c.book_id", book_id, before, limit).await
}

/// One user's latest events (in any book), newest first.
pub async fn recent_by_user(
    conn: &mut PgConnection,
    user_id: Uuid,
    before: Option<EventCursor>,
    limit: i64,
) -> Result<Vec<FeedEvent>, sqlx::Error> {
    feed_page(conn, "e.actor_id", user_id, before, limit).await
}

/// A page of the feed filtered on one id column (`column` is one of the fixed names above,
/// never input).
async fn feed_page(
    conn: &mut PgConnection,
    column: &'static str,
    id: Uuid,
    before: Option<EventCursor>,
    limit: i64,
) -> Result<Vec<FeedEvent>, sqlx::Error> {
    sqlx::query_as::<_, FeedEvent>(&format!(
        "{FEED_SELECT}
          WHERE {column} = $1
            AND ($2::timestamptz IS NULL OR (e.created_at, e.id) < ($2, $3))
          ORDER BY e.created_at DESC, e.id DESC
          LIMIT $4"
    ))
    .bind(id)
    .bind(before.map(|c| c.created_at))
    .bind(before.map_or(0, |c| c.id))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// A segment's events, newest first (its page's activity list).
pub async fn recent_on_segment(
    conn: &mut PgConnection,
    segment_id: Uuid,
    limit: i64,
) -> Result<Vec<FeedEvent>, sqlx::Error> {
    sqlx::query_as::<_, FeedEvent>(&format!(
        "{FEED_SELECT}
          WHERE e.segment_id = $1
          ORDER BY e.created_at DESC, e.id DESC
          LIMIT $2"
    ))
    .bind(segment_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}
