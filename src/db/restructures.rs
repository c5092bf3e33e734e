//! Merges and splits of segments: the operations, the state of each segment they touched,
//! and the segment writes they make (called only from `crate::workflow::restructure`).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::corrections::SourceSegment;

/// A merge or a split as recorded.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Restructure {
    pub id: Uuid,
    /// `merge` or `split`.
    pub kind: String,
    pub chapter_id: Uuid,
    pub segment_id: Uuid,
    pub other_id: Uuid,
    pub done_by: Uuid,
    /// The display name of who did it.
    pub done_by_name: String,
    pub done_at: DateTime<Utc>,
    pub detail: String,
    pub undone_at: Option<DateTime<Utc>>,
    pub undone_by_name: Option<String>,
}

const RESTRUCTURE_COLUMNS: &str = "o.id, o.kind, o.chapter_id, o.segment_id, o.other_id, \
     o.done_by, d.display_name AS done_by_name, o.done_at, o.detail, o.undone_at, \
     u.display_name AS undone_by_name";
const RESTRUCTURE_FROM: &str = "segment_restructures o JOIN users d ON d.id = o.done_by \
     LEFT JOIN users u ON u.id = o.undone_by";

/// A new operation.
pub struct NewRestructure<'a> {
    pub kind: &'a str,
    pub chapter_id: Uuid,
    pub segment_id: Uuid,
    pub other_id: Uuid,
    pub done_by: Uuid,
    pub detail: &'a str,
}

pub async fn insert_restructure(
    conn: &mut PgConnection,
    new: &NewRestructure<'_>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar::<_, Uuid>(
        "INSERT INTO segment_restructures (kind, chapter_id, segment_id, other_id, done_by, detail)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(new.kind)
    .bind(new.chapter_id)
    .bind(new.segment_id)
    .bind(new.other_id)
    .bind(new.done_by)
    .bind(new.detail)
    .fetch_one(conn)
    .await
}

/// Records a segment an operation touched: `before` is its state before (`None`: the
/// operation created it), `after` the state the operation left.
pub async fn insert_part(
    conn: &mut PgConnection,
    restructure_id: Uuid,
    before: Option<&SourceSegment>,
    after: &SourceSegment,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO restructure_parts
                (restructure_id, segment_id, existed_before, before_th, before_status,
                 before_current_revision_id, before_approved_revision_id, before_submitted_at,
                 before_submitted_by, before_source_changed_at, after_th, after_status,
                 after_current_revision_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(restructure_id)
    .bind(after.id)
    .bind(before.is_some())
    .bind(before.map(|b| b.source_th.as_str()))
    .bind(before.map(|b| b.status.as_str()))
    .bind(before.and_then(|b| b.current_revision_id))
    .bind(before.and_then(|b| b.approved_revision_id))
    .bind(before.and_then(|b| b.submitted_at))
    .bind(before.and_then(|b| b.submitted_by))
    .bind(before.and_then(|b| b.source_changed_at))
    .bind(&after.source_th)
    .bind(&after.status)
    .bind(after.current_revision_id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// A part as recorded.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Part {
    pub segment_id: Uuid,
    pub existed_before: bool,
    pub before_th: Option<String>,
    pub before_status: Option<String>,
    pub before_current_revision_id: Option<Uuid>,
    pub before_approved_revision_id: Option<Uuid>,
    pub before_submitted_at: Option<DateTime<Utc>>,
    pub before_submitted_by: Option<Uuid>,
    pub before_source_changed_at: Option<DateTime<Utc>>,
    pub after_th: String,
    pub after_status: String,
    pub after_current_revision_id: Option<Uuid>,
}

pub async fn list_parts(
    conn: &mut PgConnection,
    restructure_id: Uuid,
) -> Result<Vec<Part>, sqlx::Error> {
    sqlx::query_as::<_, Part>(
        "SELECT segment_id, existed_before, before_th, before_status,
                before_current_revision_id, before_approved_revision_id, before_submitted_at,
                before_submitted_by, before_source_changed_at, after_th, after_status,
                after_current_revision_id
           FROM restructure_parts WHERE restructure_id = $1",
    )
    .bind(restructure_id)
    .fetch_all(conn)
    .await
}

/// The newest operation not undone that touched the segment.
pub async fn last_live_restructure(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Option<Restructure>, sqlx::Error> {
    sqlx::query_as::<_, Restructure>(&format!(
        "SELECT {RESTRUCTURE_COLUMNS} FROM {RESTRUCTURE_FROM}
          WHERE o.undone_at IS NULL
            AND o.id IN (SELECT restructure_id FROM restructure_parts WHERE segment_id = $1)
          ORDER BY o.done_at DESC, o.id DESC LIMIT 1"
    ))
    .bind(segment_id)
    .fetch_optional(conn)
    .await
}

/// Whether an operation not undone, newer than `than`, touched any of `segments`.
pub async fn later_restructure_exists(
    conn: &mut PgConnection,
    than: Uuid,
    segments: &[Uuid],
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (
             SELECT 1 FROM segment_restructures o, segment_restructures t
              WHERE t.id = $1 AND o.id <> t.id AND o.undone_at IS NULL
                AND (o.done_at, o.id) > (t.done_at, t.id)
                AND o.id IN (SELECT restructure_id FROM restructure_parts
                              WHERE segment_id = ANY($2)))",
    )
    .bind(than)
    .bind(segments)
    .fetch_one(conn)
    .await
}

pub async fn mark_undone(
    conn: &mut PgConnection,
    id: Uuid,
    undone_by: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE segment_restructures SET undone_at = now(), undone_by = $2
          WHERE id = $1 AND undone_at IS NULL",
    )
    .bind(id)
    .bind(undone_by)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Every operation that touched a segment, newest first (for its page).
pub async fn list_for_segment(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Vec<Restructure>, sqlx::Error> {
    sqlx::query_as::<_, Restructure>(&format!(
        "SELECT {RESTRUCTURE_COLUMNS} FROM {RESTRUCTURE_FROM}
          WHERE o.segment_id = $1 OR o.other_id = $1
          ORDER BY o.done_at DESC, o.id DESC"
    ))
    .bind(segment_id)
    .fetch_all(conn)
    .await
}

/// The segments merged into this one (and, through them, into it before), not undone:
/// their histories belong to this segment's now. Oldest merge first.
pub async fn merged_into(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar::<_, Uuid>(
        "WITH RECURSIVE absorbed (id, done_at) AS (
             SELECT other_id, done_at FROM segment_restructures
              WHERE kind = 'merge' AND undone_at IS NULL AND segment_id = $1
             UNION
             SELECT o.other_id, o.done_at FROM segment_restructures o
               JOIN absorbed a ON o.segment_id = a.id
              WHERE o.kind = 'merge' AND o.undone_at IS NULL
         )
         SELECT id FROM absorbed ORDER BY done_at, id",
    )
    .bind(segment_id)
    .fetch_all(conn)
    .await
}

/// Moves the segments after `position` one place down, to make room for a new one.
pub async fn make_room_after(
    conn: &mut PgConnection,
    chapter_id: Uuid,
    position: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE segments SET position = position + 1 WHERE chapter_id = $1 AND position > $2",
    )
    .bind(chapter_id)
    .bind(position)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The second part of a split: not from the import (`imported_th` is null), so a re-import
/// leaves it where it stands.
pub async fn insert_split_part(
    conn: &mut PgConnection,
    chapter_id: Uuid,
    position: i32,
    kind: &str,
    thai: &str,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar::<_, Uuid>(
        "INSERT INTO segments (chapter_id, position, kind, source_th, imported_th)
         VALUES ($1, $2, $3, $4, NULL) RETURNING id",
    )
    .bind(chapter_id)
    .bind(position)
    .bind(kind)
    .bind(thai)
    .fetch_one(conn)
    .await
}

/// Retires a segment merged into another (or the part of an undone split): kept with all
/// its history, hidden from the chapter.
pub async fn retire(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE segments SET retired_at = now() WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Gives a merged segment's claim to the merged one, unless that one is claimed already.
pub async fn carry_claim(conn: &mut PgConnection, from: Uuid, to: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE claims SET segment_id = $2
          WHERE segment_id = $1 AND NOT EXISTS (SELECT 1 FROM claims WHERE segment_id = $2)",
    )
    .bind(from)
    .bind(to)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Whether anyone commented on a segment.
pub async fn has_comments(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM comments WHERE segment_id = $1)")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Puts a segment's Thai and submission back as an undone operation found it, live again.
/// Its status, English and approval are put back first, through the one writer of
/// statuses (`segments::write_workflow_state`); this restores what that statement derives
/// (when and by whom it was submitted) and the "Thai changed" mark.
pub async fn restore_source(conn: &mut PgConnection, part: &Part) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE segments
            SET source_th = $2, submitted_at = $3, submitted_by = $4,
                source_changed_at = $5, retired_at = NULL
          WHERE id = $1",
    )
    .bind(part.segment_id)
    .bind(&part.before_th)
    .bind(part.before_submitted_at)
    .bind(part.before_submitted_by)
    .bind(part.before_source_changed_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// A segment merged into another, as that one's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MergedSegment {
    pub id: Uuid,
    pub source_th: String,
    pub revisions: i64,
}

pub async fn merged_segments(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<MergedSegment>, sqlx::Error> {
    sqlx::query_as::<_, MergedSegment>(
        "SELECT s.id, s.source_th,
                (SELECT count(*) FROM revisions r WHERE r.segment_id = s.id) AS revisions
           FROM segments s WHERE s.id = ANY($1)
          ORDER BY array_position($1, s.id)",
    )
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// A comment of a merged segment, with its author's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LinkedComment {
    pub segment_id: Uuid,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub is_reply: bool,
    pub resolved: bool,
}

pub async fn comments_of(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<LinkedComment>, sqlx::Error> {
    sqlx::query_as::<_, LinkedComment>(
        "SELECT c.segment_id, u.display_name AS author_name, c.body, c.created_at,
                c.parent_id IS NOT NULL AS is_reply, c.resolved_at IS NOT NULL AS resolved
           FROM comments c
           JOIN users u ON u.id = c.author_id
           JOIN comments root ON root.id = COALESCE(c.parent_id, c.id)
          WHERE c.segment_id = ANY($1)
          ORDER BY c.segment_id, root.created_at, root.id, c.created_at, c.id",
    )
    .bind(ids)
    .fetch_all(conn)
    .await
}
