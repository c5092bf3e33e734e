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

/// What `save_revision` (migration 0015) answered: one row per revision it returns.
#[derive(Debug, sqlx::FromRow)]
struct SavedRow {
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
#[allow(clippy::too_many_arguments)]
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
    .await;
    let rows = match rows {
        Ok(rows) => rows,
        Err(sqlx::Error::Database(e)) if e.message() == "save refused" => {
            let status = e
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .and_then(|pg| pg.detail())
                .unwrap_or_default()
                .to_owned();
            return Ok(Saved::Refused(status));
        }
        Err(e) => return Err(e),
    };
    let mut revisions = rows.into_iter().map(|row| {
        let outcome = row.outcome.clone();
        (outcome, row.into_revision())
    });
    let decode = |what: &str| sqlx::Error::Decode(format!("save_revision: {what}").into());
    let (outcome, first) = revisions.next().ok_or_else(|| decode("no row"))?;
    Ok(match (outcome.as_str(), first) {
        ("saved", Some(revision)) => Saved::Saved(revision),
        ("unchanged", Some(revision)) => Saved::Unchanged(revision),
        ("mine", Some(mine)) => match revisions.next() {
            Some((_, Some(theirs))) => Saved::Conflict { mine, theirs },
            _ => return Err(decode("a conflict without the current revision")),
        },
        ("no_segment", _) => Saved::NoSegment,
        ("retired", _) => Saved::Retired,
        ("no_base", _) => Saved::NoBase,
        (other, _) => return Err(decode(&format!("unexpected outcome {other:?}"))),
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
