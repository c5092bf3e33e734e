//! Segments: reading a chapter for translation, and the writes a re-import makes.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A live segment of a chapter with its current English text.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChapterSegment {
    pub id: Uuid,
    pub position: i32,
    pub kind: String,
    pub source_th: String,
    pub status: String,
    /// The revision shown as the English text; `None` before anyone has written English.
    pub current_revision_id: Option<Uuid>,
    /// The current revision's text; `None` before anyone has written English.
    pub english: Option<String>,
    /// Set when a re-import changed the Thai under existing English: needs review.
    pub source_changed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// A chapter's segments in reading order, without the retired ones.
pub async fn list_chapter_segments(
    conn: &mut PgConnection,
    chapter_id: Uuid,
) -> Result<Vec<ChapterSegment>, sqlx::Error> {
    sqlx::query_as::<_, ChapterSegment>(
        "SELECT s.id, s.position, s.kind, s.source_th, s.status, s.current_revision_id,
                r.text AS english, s.source_changed_at, s.updated_at
           FROM segments s
           LEFT JOIN revisions r ON r.id = s.current_revision_id
          WHERE s.chapter_id = $1 AND s.retired_at IS NULL
          ORDER BY s.position",
    )
    .bind(chapter_id)
    .fetch_all(conn)
    .await
}

/// One segment for its own page: where it is, its English, and its live neighbours.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SegmentInContext {
    pub id: Uuid,
    pub chapter_id: Uuid,
    pub chapter_number: i32,
    pub book_id: Uuid,
    /// 1-based place among the chapter's live segments; `None` for a retired segment.
    pub ordinal: Option<i64>,
    /// How many live segments the chapter has.
    pub live_total: i64,
    pub kind: String,
    pub source_th: String,
    pub status: String,
    pub current_revision_id: Option<Uuid>,
    pub english: Option<String>,
    pub source_changed_at: Option<DateTime<Utc>>,
    pub retired_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub prev_id: Option<Uuid>,
    pub next_id: Option<Uuid>,
}

pub async fn get_segment_in_context(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<SegmentInContext>, sqlx::Error> {
    sqlx::query_as::<_, SegmentInContext>(
        "WITH live AS (
             SELECT l.id,
                    row_number() OVER w AS ordinal,
                    lag(l.id) OVER w AS prev_id,
                    lead(l.id) OVER w AS next_id,
                    count(*) OVER () AS live_total
               FROM segments l
              WHERE l.chapter_id = (SELECT chapter_id FROM segments WHERE id = $1)
                AND l.retired_at IS NULL
             WINDOW w AS (ORDER BY l.position)
         )
         SELECT s.id, s.chapter_id, c.number AS chapter_number, c.book_id, live.ordinal,
                s.kind, s.source_th, s.status, s.current_revision_id, r.text AS english,
                s.source_changed_at, s.retired_at, s.updated_at, live.prev_id, live.next_id,
                COALESCE(live.live_total,
                         (SELECT count(*) FROM segments x
                           WHERE x.chapter_id = s.chapter_id AND x.retired_at IS NULL))
                    AS live_total
           FROM segments s
           JOIN chapters c ON c.id = s.chapter_id
           LEFT JOIN revisions r ON r.id = s.current_revision_id
           LEFT JOIN live ON live.id = s.id
          WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A segment's current revision: `None` if there is no such segment, `Some(None)` if it has
/// no English yet.
pub async fn current_revision_id(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Option<Uuid>>, sqlx::Error> {
    sqlx::query_scalar::<_, Option<Uuid>>("SELECT current_revision_id FROM segments WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// How many live (not retired) segments a chapter has.
pub async fn count_live_segments(
    conn: &mut PgConnection,
    chapter_id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM segments WHERE chapter_id = $1 AND retired_at IS NULL",
    )
    .bind(chapter_id)
    .fetch_one(conn)
    .await
}

/// A segment as a re-import sees it, live or retired.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredSegment {
    pub id: Uuid,
    pub position: i32,
    pub kind: String,
    pub source_th: String,
    pub retired: bool,
    /// Whether anyone has written English for it, or discussed it in a comment (or
    /// corrected, merged or split it): such a segment is never deleted (retired instead),
    /// and a change to its Thai marks it for review.
    pub has_revisions: bool,
    /// The Thai as the import last wrote it, which a re-import matches against; it differs
    /// from `source_th` once a reviewer corrected, merged or split the segment. `None` for
    /// the second part of a split, which no file has.
    pub imported_th: Option<String>,
    /// Retired because it was merged into the segment before it (the merge not undone).
    pub merged_away: bool,
}

/// All of a chapter's segments in order, locked until the import commits: a translator
/// saving a revision meanwhile waits, so `has_revisions` stays true to the end.
pub async fn lock_chapter_segments(
    conn: &mut PgConnection,
    chapter_id: Uuid,
) -> Result<Vec<StoredSegment>, sqlx::Error> {
    sqlx::query_as::<_, StoredSegment>(
        "SELECT s.id, s.position, s.kind, s.source_th, s.retired_at IS NOT NULL AS retired,
                (EXISTS (SELECT 1 FROM revisions r WHERE r.segment_id = s.id)
                 OR EXISTS (SELECT 1 FROM comments m WHERE m.segment_id = s.id)
                 OR EXISTS (SELECT 1 FROM source_corrections c WHERE c.segment_id = s.id)
                 OR EXISTS (SELECT 1 FROM restructure_parts p WHERE p.segment_id = s.id))
                    AS has_revisions,
                s.imported_th,
                EXISTS (SELECT 1 FROM segment_restructures o
                         WHERE o.kind = 'merge' AND o.other_id = s.id AND o.undone_at IS NULL)
                    AS merged_away
           FROM segments s
          WHERE s.chapter_id = $1
          ORDER BY s.position
            FOR UPDATE",
    )
    .bind(chapter_id)
    .fetch_all(conn)
    .await
}

/// A segment to create, at its final position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSegment<'a> {
    pub position: i32,
    pub kind: &'a str,
    pub source_th: &'a str,
}

/// Creates segments in one statement, however many.
pub async fn insert_segments(
    conn: &mut PgConnection,
    chapter_id: Uuid,
    segments: &[NewSegment<'_>],
) -> Result<u64, sqlx::Error> {
    if segments.is_empty() {
        return Ok(0);
    }
    let positions: Vec<i32> = segments.iter().map(|s| s.position).collect();
    let kinds: Vec<&str> = segments.iter().map(|s| s.kind).collect();
    let texts: Vec<&str> = segments.iter().map(|s| s.source_th).collect();
    let done = sqlx::query(
        "INSERT INTO segments (chapter_id, position, kind, source_th, imported_th)
         SELECT $1, n.position, n.kind, n.source_th, n.source_th
           FROM UNNEST($2::int[], $3::text[], $4::text[]) AS n (position, kind, source_th)",
    )
    .bind(chapter_id)
    .bind(&positions)
    .bind(&kinds)
    .bind(&texts)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// New Thai text (and kind) for existing segments. A segment that has English is marked
/// for review; its English is left alone.
pub async fn update_sources(
    conn: &mut PgConnection,
    changes: &[(Uuid, &str, &str)],
) -> Result<u64, sqlx::Error> {
    if changes.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = changes.iter().map(|c| c.0).collect();
    let kinds: Vec<&str> = changes.iter().map(|c| c.1).collect();
    let texts: Vec<&str> = changes.iter().map(|c| c.2).collect();
    let done = sqlx::query(
        "UPDATE segments s
            SET kind = u.kind, source_th = u.source_th, imported_th = u.source_th,
                source_changed_at = CASE
                    WHEN EXISTS (SELECT 1 FROM revisions r WHERE r.segment_id = s.id)
                      OR EXISTS (SELECT 1 FROM comments m WHERE m.segment_id = s.id)
                    THEN now() ELSE s.source_changed_at END
           FROM UNNEST($1::uuid[], $2::text[], $3::text[]) AS u (id, kind, source_th)
          WHERE s.id = u.id",
    )
    .bind(&ids)
    .bind(&kinds)
    .bind(&texts)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The file's text for segments whose Thai a reviewer changed (corrected, merged, split):
/// their Thai stays, and the next re-import matches the file against this text.
pub async fn update_imported(
    conn: &mut PgConnection,
    changes: &[(Uuid, &str)],
) -> Result<u64, sqlx::Error> {
    if changes.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = changes.iter().map(|c| c.0).collect();
    let texts: Vec<&str> = changes.iter().map(|c| c.1).collect();
    let done = sqlx::query(
        "UPDATE segments s SET imported_th = u.imported_th
           FROM UNNEST($1::uuid[], $2::text[]) AS u (id, imported_th)
          WHERE s.id = u.id",
    )
    .bind(&ids)
    .bind(&texts)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Marks segments as gone from the source (they have English, so they are kept).
pub async fn retire_segments(conn: &mut PgConnection, ids: &[Uuid]) -> Result<u64, sqlx::Error> {
    if ids.is_empty() {
        return Ok(0);
    }
    let done = sqlx::query(
        "UPDATE segments SET retired_at = now() WHERE id = ANY($1) AND retired_at IS NULL",
    )
    .bind(ids)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes segments gone from the source. A segment with English or comments is never
/// deleted: the condition here and the foreign keys from `revisions` and `comments` both
/// refuse it. (Its claim, if any, goes with it.)
pub async fn delete_segments(conn: &mut PgConnection, ids: &[Uuid]) -> Result<u64, sqlx::Error> {
    if ids.is_empty() {
        return Ok(0);
    }
    let done = sqlx::query(
        "DELETE FROM segments s WHERE s.id = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.segment_id = s.id)
            AND NOT EXISTS (SELECT 1 FROM comments m WHERE m.segment_id = s.id)
            AND NOT EXISTS (SELECT 1 FROM source_corrections c WHERE c.segment_id = s.id)
            AND NOT EXISTS (SELECT 1 FROM restructure_parts p WHERE p.segment_id = s.id)",
    )
    .bind(ids)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Moves segments to new positions in one statement, writing only the rows that move.
/// Positions are unique per chapter but checked at commit, so any permutation works.
pub async fn set_positions(
    conn: &mut PgConnection,
    moves: &[(Uuid, i32)],
) -> Result<u64, sqlx::Error> {
    if moves.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = moves.iter().map(|m| m.0).collect();
    let positions: Vec<i32> = moves.iter().map(|m| m.1).collect();
    let done = sqlx::query(
        "UPDATE segments s SET position = m.position
           FROM UNNEST($1::uuid[], $2::int[]) AS m (id, position)
          WHERE s.id = m.id AND s.position <> m.position",
    )
    .bind(&ids)
    .bind(&positions)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A segment as the workflow sees it (see `crate::workflow`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WorkflowSegment {
    pub id: Uuid,
    pub chapter_id: Uuid,
    pub status: String,
    pub current_revision_id: Option<Uuid>,
    pub approved_revision_id: Option<Uuid>,
    pub retired: bool,
}

/// Reads a segment and locks its row until the transaction ends, so that the workflow's
/// decisions about it (is my base still the current revision?) cannot race: a second
/// writer waits here and then sees the first one's result.
pub async fn lock_for_workflow(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<WorkflowSegment>, sqlx::Error> {
    sqlx::query_as::<_, WorkflowSegment>(
        "SELECT id, chapter_id, status, current_revision_id, approved_revision_id,
                retired_at IS NOT NULL AS retired
           FROM segments WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Locks several segments; returns the ids found with whether each is retired. They are
/// locked in reading order, the order `lock_chapter_segments` (an import) uses too, so that
/// two transactions locking overlapping sets cannot deadlock.
pub async fn lock_segments(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, bool)>, sqlx::Error> {
    sqlx::query_as::<_, (Uuid, bool)>(
        "SELECT id, retired_at IS NOT NULL FROM segments WHERE id = ANY($1)
          ORDER BY chapter_id, position FOR UPDATE",
    )
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// The state the workflow decided for a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkflowState<'a> {
    pub status: &'a str,
    pub current_revision_id: Option<Uuid>,
    pub approved_revision_id: Option<Uuid>,
    /// Who acted: the submitter when the segment enters `submitted`.
    pub actor_id: Uuid,
    /// A reviewer approved the English against the Thai as it is now: the mark an import
    /// set when the Thai changed is cleared.
    pub source_reviewed: bool,
}

/// The only statement that writes `segments.status`; only `crate::workflow` calls it.
/// `submitted_at`/`submitted_by` follow the status: set on entering `submitted`, kept while
/// it stays there (saving again does not send it to the back of the queue), cleared when
/// it leaves.
pub async fn write_workflow_state(
    conn: &mut PgConnection,
    id: Uuid,
    state: &WorkflowState<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE segments
            SET status = $2, current_revision_id = $3, approved_revision_id = $4,
                submitted_at = CASE WHEN $2 <> 'submitted' THEN NULL
                                    WHEN status = 'submitted' THEN submitted_at
                                    ELSE now() END,
                submitted_by = CASE WHEN $2 <> 'submitted' THEN NULL
                                    WHEN status = 'submitted' THEN submitted_by
                                    ELSE $5 END,
                source_changed_at = CASE WHEN $6 THEN NULL ELSE source_changed_at END
          WHERE id = $1",
    )
    .bind(id)
    .bind(state.status)
    .bind(state.current_revision_id)
    .bind(state.approved_revision_id)
    .bind(state.actor_id)
    .bind(state.source_reviewed)
    .execute(conn)
    .await
    .map(|_| ())
}
