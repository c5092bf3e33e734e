//! Comment threads on segments, their earlier bodies, and open-thread counts.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Comment {
    pub id: Uuid,
    pub segment_id: Uuid,
    /// The thread's first comment; `None` for that first comment itself.
    pub parent_id: Option<Uuid>,
    pub author_id: Uuid,
    pub body: String,
    /// The review decision this comment explains.
    pub review_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<Uuid>,
}

const COMMENT_COLUMNS: &str = "id, segment_id, parent_id, author_id, body, review_id, \
                               created_at, edited_at, resolved_at, resolved_by";

/// A comment to add: a new thread (`parent_id: None`) or a reply to a thread's first
/// comment (the database refuses a reply to a reply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment<'a> {
    pub segment_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub author_id: Uuid,
    pub body: &'a str,
    pub review_id: Option<Uuid>,
}

pub async fn insert_comment(
    conn: &mut PgConnection,
    new: &NewComment<'_>,
) -> Result<Comment, sqlx::Error> {
    sqlx::query_as::<_, Comment>(&format!(
        "INSERT INTO comments (segment_id, parent_id, author_id, body, review_id)
         VALUES ($1, $2, $3, $4, $5) RETURNING {COMMENT_COLUMNS}"
    ))
    .bind(new.segment_id)
    .bind(new.parent_id)
    .bind(new.author_id)
    .bind(new.body)
    .bind(new.review_id)
    .fetch_one(conn)
    .await
}

pub async fn get_comment(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Comment>, sqlx::Error> {
    sqlx::query_as::<_, Comment>(&format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Reads a comment and locks it until the transaction ends (two edits or a resolve and a
/// reopen at once are then applied one after the other).
pub async fn lock_comment(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Comment>, sqlx::Error> {
    sqlx::query_as::<_, Comment>(&format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Replaces a comment's body, keeping the old one in `comment_edits` first.
pub async fn replace_body(
    conn: &mut PgConnection,
    id: Uuid,
    body: &str,
) -> Result<Comment, sqlx::Error> {
    sqlx::query(
        "INSERT INTO comment_edits (comment_id, previous_body)
         SELECT id, body FROM comments WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query_as::<_, Comment>(&format!(
        "UPDATE comments SET body = $2, edited_at = now() WHERE id = $1
         RETURNING {COMMENT_COLUMNS}"
    ))
    .bind(id)
    .bind(body)
    .fetch_one(conn)
    .await
}

/// Resolves a thread (`Some(user)`) or reopens it (`None`).
pub async fn set_resolved(
    conn: &mut PgConnection,
    id: Uuid,
    resolved_by: Option<Uuid>,
) -> Result<Comment, sqlx::Error> {
    sqlx::query_as::<_, Comment>(&format!(
        "UPDATE comments
            SET resolved_by = $2, resolved_at = CASE WHEN $2 IS NULL THEN NULL ELSE now() END
          WHERE id = $1
         RETURNING {COMMENT_COLUMNS}"
    ))
    .bind(id)
    .bind(resolved_by)
    .fetch_one(conn)
    .await
}

/// A comment as a thread shows it, with the names it mentions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct CommentEntry {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub author_id: Uuid,
    pub author_name: String,
    pub body: String,
    pub review_id: Option<Uuid>,
    /// The verdict of the review decision the comment explains.
    pub review_verdict: Option<String>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<Uuid>,
    pub resolver_name: Option<String>,
}

/// A segment's comments in thread order: threads oldest first, each thread's first
/// comment followed by its replies, oldest first.
pub async fn list_comments(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Vec<CommentEntry>, sqlx::Error> {
    sqlx::query_as::<_, CommentEntry>(
        "SELECT m.id, m.parent_id, m.author_id, a.display_name AS author_name, m.body,
                m.review_id, v.verdict AS review_verdict, m.created_at, m.edited_at,
                m.resolved_at, m.resolved_by, r.display_name AS resolver_name
           FROM comments m
           JOIN comments root ON root.id = COALESCE(m.parent_id, m.id)
           JOIN users a ON a.id = m.author_id
           LEFT JOIN users r ON r.id = m.resolved_by
           LEFT JOIN reviews v ON v.id = m.review_id
          WHERE m.segment_id = $1
          ORDER BY root.created_at, root.id, m.parent_id IS NOT NULL, m.created_at, m.id",
    )
    .bind(segment_id)
    .fetch_all(conn)
    .await
}

/// An earlier body of a comment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct CommentEdit {
    pub previous_body: String,
    pub replaced_at: DateTime<Utc>,
}

/// A comment's earlier bodies, oldest first.
pub async fn list_edits(
    conn: &mut PgConnection,
    comment_id: Uuid,
) -> Result<Vec<CommentEdit>, sqlx::Error> {
    sqlx::query_as::<_, CommentEdit>(
        "SELECT previous_body, replaced_at FROM comment_edits
          WHERE comment_id = $1 ORDER BY replaced_at, id",
    )
    .bind(comment_id)
    .fetch_all(conn)
    .await
}

/// How many unresolved threads a segment has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct OpenThreads {
    pub segment_id: Uuid,
    pub open_threads: i64,
}

/// Open-thread counts for every segment of a chapter that has any, in one query (for the
/// chapter page; segments without open threads are left out).
pub async fn open_thread_counts(
    conn: &mut PgConnection,
    chapter_id: Uuid,
) -> Result<Vec<OpenThreads>, sqlx::Error> {
    sqlx::query_as::<_, OpenThreads>(
        "SELECT m.segment_id, count(*) AS open_threads
           FROM comments m
           JOIN segments s ON s.id = m.segment_id
          WHERE s.chapter_id = $1 AND m.parent_id IS NULL AND m.resolved_at IS NULL
          GROUP BY m.segment_id",
    )
    .bind(chapter_id)
    .fetch_all(conn)
    .await
}
