//! Source corrections: a segment's Thai as the workflow sees it when correcting or
//! restructuring it, the correction history, and the writes of corrections.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A segment's Thai and workflow state, locked for a correction, merge, split or undo.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SourceSegment {
    pub id: Uuid,
    pub chapter_id: Uuid,
    pub position: i32,
    pub kind: String,
    pub source_th: String,
    pub source_version: i32,
    pub status: String,
    pub current_revision_id: Option<Uuid>,
    pub approved_revision_id: Option<Uuid>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<Uuid>,
    pub source_changed_at: Option<DateTime<Utc>>,
    pub retired: bool,
    /// Someone wrote English for it or discussed it: a change of its Thai needs review.
    pub has_work: bool,
}

const SOURCE_COLUMNS: &str = "s.id, s.chapter_id, s.position, s.kind, s.source_th, \
     s.source_version, s.status, s.current_revision_id, s.approved_revision_id, \
     s.submitted_at, s.submitted_by, s.source_changed_at, s.retired_at IS NOT NULL AS retired, \
     (EXISTS (SELECT 1 FROM revisions r WHERE r.segment_id = s.id) \
      OR EXISTS (SELECT 1 FROM comments m WHERE m.segment_id = s.id)) AS has_work";

/// Serializes corrections, merges and splits within a chapter (they renumber positions and
/// read neighbours), until the transaction ends. Taken before any row lock, and only by
/// them, so it cannot deadlock with saves or imports.
pub async fn lock_chapter_structure(
    conn: &mut PgConnection,
    chapter_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('plae-structure:' || $1::text, 0))")
        .bind(chapter_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The chapter of a segment, unlocked (to take the chapter's structure lock first).
pub async fn chapter_of(conn: &mut PgConnection, id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar::<_, Uuid>("SELECT chapter_id FROM segments WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Reads segments and locks them in reading order (the order imports and the workflow
/// lock in, so overlapping lockers cannot deadlock).
pub async fn lock_sources(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<SourceSegment>, sqlx::Error> {
    sqlx::query_as::<_, SourceSegment>(&format!(
        "SELECT {SOURCE_COLUMNS} FROM segments s WHERE s.id = ANY($1)
          ORDER BY s.chapter_id, s.position FOR UPDATE OF s"
    ))
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// Locks a chapter's segments from `position` to the end, in reading order: a split
/// renumbers all of them.
pub async fn lock_from_position(
    conn: &mut PgConnection,
    chapter_id: Uuid,
    position: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "SELECT id FROM segments WHERE chapter_id = $1 AND position >= $2
          ORDER BY position FOR UPDATE",
    )
    .bind(chapter_id)
    .bind(position)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The live segment after `position` in the chapter, if any.
pub async fn next_live(
    conn: &mut PgConnection,
    chapter_id: Uuid,
    position: i32,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar::<_, Uuid>(
        "SELECT id FROM segments
          WHERE chapter_id = $1 AND position > $2 AND retired_at IS NULL
          ORDER BY position LIMIT 1",
    )
    .bind(chapter_id)
    .bind(position)
    .fetch_optional(conn)
    .await
}

/// New Thai for a segment (the import's text, `imported_th`, stays); returns the new
/// source version.
pub async fn set_source(conn: &mut PgConnection, id: Uuid, thai: &str) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar::<_, i32>(
        "UPDATE segments SET source_th = $2 WHERE id = $1 RETURNING source_version",
    )
    .bind(id)
    .bind(thai)
    .fetch_one(conn)
    .await
}

/// Marks a segment's English for review against changed Thai (the badge "Thai changed";
/// a reviewer's approval clears it, see `segments::write_workflow_state`).
pub async fn flag_source_changed(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE segments SET source_changed_at = now() WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// One correction of a segment's Thai.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Correction {
    pub id: Uuid,
    pub segment_id: Uuid,
    pub corrected_by: Uuid,
    /// The corrector's display name.
    pub corrector: String,
    pub corrected_at: DateTime<Utc>,
    pub before_th: String,
    pub after_th: String,
    pub reason: String,
}

pub async fn record_correction(
    conn: &mut PgConnection,
    segment_id: Uuid,
    corrected_by: Uuid,
    before_th: &str,
    after_th: &str,
    reason: &str,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar::<_, Uuid>(
        "INSERT INTO source_corrections (segment_id, corrected_by, before_th, after_th, reason)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(segment_id)
    .bind(corrected_by)
    .bind(before_th)
    .bind(after_th)
    .bind(reason)
    .fetch_one(conn)
    .await
}

/// A segment's corrections, newest first.
pub async fn list_corrections(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Vec<Correction>, sqlx::Error> {
    sqlx::query_as::<_, Correction>(
        "SELECT c.id, c.segment_id, c.corrected_by, u.display_name AS corrector,
                c.corrected_at, c.before_th, c.after_th, c.reason
           FROM source_corrections c
           JOIN users u ON u.id = c.corrected_by
          WHERE c.segment_id = $1
          ORDER BY c.corrected_at DESC, c.id DESC",
    )
    .bind(segment_id)
    .fetch_all(conn)
    .await
}

/// The segment's source version, and the live segment after it with its version and Thai
/// (what a merge form offers).
pub async fn structure_facts(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<StructureFacts>, sqlx::Error> {
    sqlx::query_as::<_, StructureFacts>(
        "SELECT s.source_version, n.id AS next_id, n.source_version AS next_version,
                n.source_th AS next_th
           FROM segments s
           LEFT JOIN LATERAL (
               SELECT x.id, x.source_version, x.source_th FROM segments x
                WHERE x.chapter_id = s.chapter_id AND x.position > s.position
                  AND x.retired_at IS NULL
                ORDER BY x.position LIMIT 1) n ON true
          WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StructureFacts {
    pub source_version: i32,
    pub next_id: Option<Uuid>,
    pub next_version: Option<i32>,
    pub next_th: Option<String>,
}
