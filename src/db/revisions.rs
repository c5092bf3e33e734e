//! Revisions: the append-only history of a segment's English text.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Revision {
    pub id: Uuid,
    pub segment_id: Uuid,
    pub author_id: Option<Uuid>,
    pub text: String,
    pub base_revision_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// Where the text came from when it was not typed: "restored from revision …".
    pub note: Option<String>,
    /// The revision a restore copied.
    pub restored_from_id: Option<Uuid>,
}

const REVISION_COLUMNS: &str =
    "id, segment_id, author_id, text, base_revision_id, created_at, note, restored_from_id";

/// Appends a revision. It does not make it the segment's current text nor change the
/// segment's status: that is the workflow's decision.
pub async fn insert_revision(
    conn: &mut PgConnection,
    segment_id: Uuid,
    author_id: Option<Uuid>,
    text: &str,
    base_revision_id: Option<Uuid>,
) -> Result<Revision, sqlx::Error> {
    let new = NewRevision {
        segment_id,
        author_id,
        text,
        base_revision_id,
        note: None,
        restored_from_id: None,
    };
    append_revision(conn, &new).await
}

/// A revision to append, with its provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRevision<'a> {
    pub segment_id: Uuid,
    pub author_id: Option<Uuid>,
    pub text: &'a str,
    pub base_revision_id: Option<Uuid>,
    pub note: Option<&'a str>,
    pub restored_from_id: Option<Uuid>,
}

/// [`insert_revision`] with a provenance note and the revision a restore copied.
pub async fn append_revision(
    conn: &mut PgConnection,
    new: &NewRevision<'_>,
) -> Result<Revision, sqlx::Error> {
    sqlx::query_as::<_, Revision>(&format!(
        "INSERT INTO revisions
                (segment_id, author_id, text, base_revision_id, note, restored_from_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING {REVISION_COLUMNS}"
    ))
    .bind(new.segment_id)
    .bind(new.author_id)
    .bind(new.text)
    .bind(new.base_revision_id)
    .bind(new.note)
    .bind(new.restored_from_id)
    .fetch_one(conn)
    .await
}

pub async fn get_revision(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Revision>, sqlx::Error> {
    sqlx::query_as::<_, Revision>(&format!(
        "SELECT {REVISION_COLUMNS} FROM revisions WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
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

/// One entry of a segment's history page: a revision with its author's name and what it
/// is to the segment now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct HistoryEntry {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    /// `None` for text the system wrote (an import).
    pub author_name: Option<String>,
    pub text: String,
    pub base_revision_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub note: Option<String>,
    pub restored_from_id: Option<Uuid>,
    /// The segment's current text.
    pub is_current: bool,
    /// The text a reviewer approved, still shown to readers.
    pub is_approved: bool,
}

/// A segment's history, newest first.
pub async fn list_history(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    sqlx::query_as::<_, HistoryEntry>(
        "SELECT r.id, r.author_id, u.display_name AS author_name, r.text, r.base_revision_id,
                r.created_at, r.note, r.restored_from_id,
                r.id IS NOT DISTINCT FROM s.current_revision_id AS is_current,
                r.id IS NOT DISTINCT FROM s.approved_revision_id AS is_approved
           FROM revisions r
           JOIN segments s ON s.id = r.segment_id
           LEFT JOIN users u ON u.id = r.author_id
          WHERE r.segment_id = $1
          ORDER BY r.created_at DESC, r.id DESC",
    )
    .bind(segment_id)
    .fetch_all(conn)
    .await
}
