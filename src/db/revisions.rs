//! Revisions: the append-only history of a segment's English text.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Revision {
    pub id: Uuid,
    pub segment_id: Uuid,
    pub author_id: Option<Uuid>,
    pub text: String,
    pub base_revision_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

const REVISION_COLUMNS: &str = "id, segment_id, author_id, text, base_revision_id, created_at";

/// Appends a revision. It does not make it the segment's current text nor change the
/// segment's status: that is the workflow's decision.
pub async fn insert_revision(
    conn: &mut PgConnection,
    segment_id: Uuid,
    author_id: Option<Uuid>,
    text: &str,
    base_revision_id: Option<Uuid>,
) -> Result<Revision, sqlx::Error> {
    sqlx::query_as::<_, Revision>(&format!(
        "INSERT INTO revisions (segment_id, author_id, text, base_revision_id)
         VALUES ($1, $2, $3, $4) RETURNING {REVISION_COLUMNS}"
    ))
    .bind(segment_id)
    .bind(author_id)
    .bind(text)
    .bind(base_revision_id)
    .fetch_one(conn)
    .await
}

/// A segment's revisions, oldest first.
pub async fn list_revisions(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Vec<Revision>, sqlx::Error> {
    sqlx::query_as::<_, Revision>(&format!(
        "SELECT {REVISION_COLUMNS} FROM revisions WHERE segment_id = $1 ORDER BY created_at, id"
    ))
    .bind(segment_id)
    .fetch_all(conn)
    .await
}
