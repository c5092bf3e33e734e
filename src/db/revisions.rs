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

/// What `save_revision` and `save_revisions` (migration 0015) answer: one row per revision
/// they return (`item`: which save of a batch, 1-based; 1 for a single save).
#[derive(Debug, sqlx::FromRow)]
struct SavedRow {
    #[sqlx(default)]
    item: Option<i32>,
    outcome: String,
    id: Option<Uuid>,
    segment_id: Option<Uuid>,
    author_id: Option<Uuid>,
    text: Option<String>,
    base_revision_id: Option<Uuid>,
    created_at: Option<DateTime<Utc>>,
    note: Option<String>,
    restored_from_id: Option<Uuid>,
}

/// What became of [`save_revision`].
#[derive(Debug)]
pub enum Saved {
    /// The new revision is current.
    Saved(Revision),
    /// The current revision has this text already; nothing was written.
    Unchanged(Revision),
    /// `mine` is stored but `theirs` is still current.
    Conflict {
        mine: Revision,
        theirs: Revision,
    },
    NoSegment,
    Retired,
    /// The base is not one of this segment's revisions.
    NoBase,
    /// The rules give no status for a save from this one (passed as it is stored).
    Refused(String),
}

/// A save in one round trip (the function `save_revision`, migration 0015): lock the
/// segment, check the base, touch the author's claim, append the revision and, unless
/// someone saved since `base`, make it current with the status `to_status[i]` for the
/// segment's status `from_status[i]`, recording the events. Only `crate::workflow` calls
/// it, with the statuses its rules decide.
pub async fn save_revision(
    conn: &mut PgConnection,
    new: &NewRevision<'_>,
    event_kind: &str,
    from_status: &[&str],
    to_status: &[&str],
) -> Result<Saved, sqlx::Error> {
    let rows = sqlx::query_as::<_, SavedRow>(
        "SELECT * FROM save_revision($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new.segment_id)
    .bind(new.author_id)
    .bind(new.text)
    .bind(new.base_revision_id)
    .bind(new.note)
    .bind(new.restored_from_id)
    .bind(event_kind)
    .bind(from_status)
    .bind(to_status)
    .fetch_all(conn)
    .await?;
    saved(rows)
}

/// One save of a batch: typed text (no note, no restore).
#[derive(Debug, Clone)]
pub struct BatchedSave {
    pub segment_id: Uuid,
    pub author_id: Uuid,
    pub text: String,
    pub base_revision_id: Option<Uuid>,
    pub event_kind: &'static str,
}

/// Several saves in one statement (the function `save_revisions`: migration 0017 writes
/// saves on distinct segments as a set, 0015 one after the other when a segment comes
/// twice), each exactly as [`save_revision`] would do it; the answers in the order of
/// `saves`. One statement is one transaction unless the caller opened one.
pub async fn save_revisions(
    conn: &mut PgConnection,
    saves: &[&BatchedSave],
    from_status: &[&str],
    to_status: &[&str],
) -> Result<Vec<Saved>, sqlx::Error> {
    let column =
        |f: fn(&BatchedSave) -> Option<Uuid>| saves.iter().map(|s| f(s)).collect::<Vec<_>>();
    let rows =
        sqlx::query_as::<_, SavedRow>("SELECT * FROM save_revisions($1, $2, $3, $4, $5, $6, $7)")
            .bind(column(|s| Some(s.segment_id)))
            .bind(column(|s| Some(s.author_id)))
            .bind(saves.iter().map(|s| s.text.as_str()).collect::<Vec<_>>())
            .bind(column(|s| s.base_revision_id))
            .bind(saves.iter().map(|s| s.event_kind).collect::<Vec<_>>())
            .bind(from_status)
            .bind(to_status)
            .fetch_all(conn)
            .await?;
    let mut per_item: Vec<Vec<SavedRow>> = saves.iter().map(|_| Vec::new()).collect();
    for row in rows {
        let slot = row
            .item
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| per_item.get_mut(i))
            .ok_or_else(|| decode_error("an item out of range"))?;
        slot.push(row);
    }
    per_item.into_iter().map(saved).collect()
}

fn decode_error(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("save_revision: {what}").into())
}

/// One save's rows as its outcome.
fn saved(rows: Vec<SavedRow>) -> Result<Saved, sqlx::Error> {
    let status = rows.first().and_then(|row| row.text.clone());
    let mut revisions = rows.into_iter().map(|row| {
        let outcome = row.outcome.clone();
        (outcome, row.into_revision())
    });
    let (outcome, first) = revisions.next().ok_or_else(|| decode_error("no row"))?;
    Ok(match (outcome.as_str(), first) {
        ("saved", Some(revision)) => Saved::Saved(revision),
        ("unchanged", Some(revision)) => Saved::Unchanged(revision),
        ("mine", Some(mine)) => match revisions.next() {
            Some((_, Some(theirs))) => Saved::Conflict { mine, theirs },
            _ => return Err(decode_error("a conflict without the current revision")),
        },
        ("no_segment", _) => Saved::NoSegment,
        ("retired", _) => Saved::Retired,
        ("no_base", _) => Saved::NoBase,
        ("refused", _) => Saved::Refused(status.unwrap_or_default()),
        (other, _) => return Err(decode_error(&format!("unexpected outcome {other:?}"))),
    })
}

impl SavedRow {
    fn into_revision(self) -> Option<Revision> {
        Some(Revision {
            id: self.id?,
            segment_id: self.segment_id?,
            author_id: self.author_id,
            text: self.text?,
            base_revision_id: self.base_revision_id,
            created_at: self.created_at?,
            note: self.note,
            restored_from_id: self.restored_from_id,
        })
    }
}
