//! Alignments waiting for review (migration 0012): an uploaded English text, the chapter's
//! segments it was aligned with, and the beads as the uploader edited them.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::align::Bead;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Alignment {
    pub id: Uuid,
    pub chapter_id: Uuid,
    pub user_id: Uuid,
    pub file_name: String,
    pub segment_ids: Vec<Uuid>,
    pub paragraphs: Vec<String>,
    pub beads: Json<Vec<Bead>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, chapter_id, user_id, file_name, segment_ids, paragraphs, beads, \
                       version, created_at, accepted_at";

/// A new alignment to store.
pub struct NewAlignment<'a> {
    pub chapter_id: Uuid,
    pub user_id: Uuid,
    pub file_name: &'a str,
    pub segment_ids: &'a [Uuid],
    pub paragraphs: &'a [String],
    pub beads: &'a [Bead],
}

pub async fn insert(conn: &mut PgConnection, new: &NewAlignment<'_>) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO alignments (chapter_id, user_id, file_name, segment_ids, paragraphs, beads)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(new.chapter_id)
    .bind(new.user_id)
    .bind(new.file_name)
    .bind(new.segment_ids)
    .bind(new.paragraphs)
    .bind(Json(new.beads))
    .fetch_one(conn)
    .await
}

/// The alignment if it is this user's; `None` for someone else's, as for none at all (a
/// pending alignment is nobody else's business, not even whether it exists).
pub async fn get_own(
    conn: &mut PgConnection,
    id: Uuid,
    user_id: Uuid,
) -> Result<Option<Alignment>, sqlx::Error> {
    sqlx::query_as::<_, Alignment>(&format!(
        "SELECT {COLUMNS} FROM alignments WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// [`get_own`], locking the row until the transaction ends (edits and the accept).
pub async fn lock_own(
    conn: &mut PgConnection,
    id: Uuid,
    user_id: Uuid,
) -> Result<Option<Alignment>, sqlx::Error> {
    sqlx::query_as::<_, Alignment>(&format!(
        "SELECT {COLUMNS} FROM alignments WHERE id = $1 AND user_id = $2 FOR UPDATE"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// Stores edited beads, one version up.
pub async fn update_beads(
    conn: &mut PgConnection,
    id: Uuid,
    beads: &[Bead],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE alignments SET beads = $2, version = version + 1, updated_at = now()
          WHERE id = $1 AND accepted_at IS NULL",
    )
    .bind(id)
    .bind(Json(beads))
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn mark_accepted(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE alignments SET accepted_at = now(), updated_at = now() WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Drops a pending alignment (nothing was saved from it).
pub async fn delete_pending(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM alignments WHERE id = $1 AND accepted_at IS NULL")
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// A segment of the chapter as the review page needs it, in the order of `ids`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlignedSegment {
    pub id: Uuid,
    pub kind: String,
    pub source_th: String,
    pub status: String,
    pub current_revision_id: Option<Uuid>,
    pub english: Option<String>,
    pub retired: bool,
}

/// The segments with these ids, in that order.
pub async fn segments_by_ids(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<AlignedSegment>, sqlx::Error> {
    sqlx::query_as::<_, AlignedSegment>(
        "SELECT s.id, s.kind, s.source_th, s.status, s.current_revision_id,
                r.text AS english, s.retired_at IS NOT NULL AS retired
           FROM unnest($1::uuid[]) WITH ORDINALITY AS wanted (id, ord)
           JOIN segments s ON s.id = wanted.id
           LEFT JOIN revisions r ON r.id = s.current_revision_id
          ORDER BY wanted.ord",
    )
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// A pending alignment in a list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingAlignment {
    pub id: Uuid,
    pub file_name: String,
    pub created_at: DateTime<Utc>,
    pub paragraphs: i32,
}

/// The user's alignments of a chapter that are not accepted yet, newest first.
pub async fn list_pending(
    conn: &mut PgConnection,
    user_id: Uuid,
    chapter_id: Uuid,
) -> Result<Vec<PendingAlignment>, sqlx::Error> {
    sqlx::query_as::<_, PendingAlignment>(
        "SELECT id, file_name, created_at, cardinality(paragraphs) AS paragraphs
           FROM alignments
          WHERE user_id = $1 AND chapter_id = $2 AND accepted_at IS NULL
          ORDER BY created_at DESC, id",
    )
    .bind(user_id)
    .bind(chapter_id)
    .fetch_all(conn)
    .await
}

/// The chapters numbered `number`, in every book (the command line names a chapter by its
/// number alone).
pub async fn chapters_numbered(
    conn: &mut PgConnection,
    number: i32,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM chapters WHERE number = $1 ORDER BY id")
        .bind(number)
        .fetch_all(conn)
        .await
}
