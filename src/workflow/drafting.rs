//! Saving English text: every save appends a revision, and none is ever lost to a
//! concurrent edit.
//!
//! A save names the revision the editor started from (`base`). With the segment row locked,
//! the save compares it with the segment's current revision:
//! - the same: the new revision becomes current and the status moves on (`Save` in
//!   `transitions`);
//! - different (someone saved in between): the new revision is stored, with its base, but
//!   not made current, and the caller gets both texts to choose from: keep mine
//!   ([`keep_mine`]: my text again, based on theirs, becomes current), keep theirs (nothing
//!   to do; mine stays in the history), or save a merge based on theirs ([`save_draft`]).
//!
//! Two saves at the same moment are serialized by the row lock: the second sees the first
//! one's revision as current and is reported as a conflict. No last write wins.
//!
//! The save itself is one call of the database function `save_revision` (migration 0015),
//! one round trip instead of nine: saving is the hottest write, and the round trips were
//! most of its cost (`benches/README.md`).

use chrono::SecondsFormat;
use sqlx::PgConnection;
use uuid::Uuid;

use super::MAX_TEXT_CHARS;
use super::{clean_text, retired, stored_status, transition};
use super::{Action, Actor, Facts, Status, WorkflowError};
use crate::db::events::EventKind;
use crate::db::revisions::{self, NewRevision, Revision, Saved};

/// What became of a save.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SaveOutcome {
    /// The new revision is the segment's current text.
    Saved(Revision),
    /// The text is the current text already: nothing was written.
    Unchanged(Revision),
    /// Someone saved since the editor loaded `base`: `mine` is stored (in the history) but
    /// `theirs` is still current. Show both and let the user choose.
    Conflict { mine: Revision, theirs: Revision },
}

/// Saves `text` as a new revision of the segment, based on `base_revision_id` (the
/// revision the editor showed; `None` if it showed no English). Refreshes the actor's claim
/// on the segment, if they hold one.
pub async fn save_draft(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    text: &str,
    base_revision_id: Option<Uuid>,
) -> Result<SaveOutcome, WorkflowError> {
    let text = clean_text(text, MAX_TEXT_CHARS, "translation")?;
    let edit = Edit {
        text: &text,
        base: base_revision_id,
        note: None,
        restored_from: None,
        kind: EventKind::Saved,
    };
    save(conn, actor, segment_id, edit).await
}

/// After a conflict: saves `mine`'s text again, based on `theirs`, so it becomes current
/// (unless yet another save came in meanwhile, which is again a conflict).
pub async fn keep_mine(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    mine: Uuid,
    theirs: Uuid,
) -> Result<SaveOutcome, WorkflowError> {
    let mine = revision_of(conn, segment_id, mine).await?;
    let note = "kept over a concurrent edit";
    let edit = Edit {
        text: &mine.text,
        base: Some(theirs),
        note: Some(note),
        restored_from: None,
        kind: EventKind::Saved,
    };
    save(conn, actor, segment_id, edit).await
}

/// Makes an earlier revision's text current again, as a new revision that says where it
/// came from. `base_revision_id` is the current revision the user saw, as for a save.
pub async fn restore(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    revision_id: Uuid,
    base_revision_id: Option<Uuid>,
) -> Result<SaveOutcome, WorkflowError> {
    let old = revision_of(conn, segment_id, revision_id).await?;
    let note = format!(
        "restored from the revision of {}",
        old.created_at.to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    let edit = Edit {
        text: &old.text,
        base: base_revision_id,
        note: Some(&note),
        restored_from: Some(old.id),
        kind: EventKind::Restored,
    };
    save(conn, actor, segment_id, edit).await
}

/// A revision, checked to be one of this segment's.
async fn revision_of(
    conn: &mut PgConnection,
    segment_id: Uuid,
    id: Uuid,
) -> Result<Revision, WorkflowError> {
    revisions::get_revision(conn, id)
        .await?
        .filter(|r| r.segment_id == segment_id)
        .ok_or(WorkflowError::NotFound("revision"))
}

/// A new text for a segment, with its provenance (also used by `importing`).
pub(super) struct Edit<'a> {
    pub(super) text: &'a str,
    pub(super) base: Option<Uuid>,
    pub(super) note: Option<&'a str>,
    pub(super) restored_from: Option<Uuid>,
    pub(super) kind: EventKind,
}

/// One save, in one round trip (`db::revisions::save_revision`): the statuses a save may
/// lead to are decided here, by the rules, for every status the segment could be in; the
/// database picks the one it finds under the row lock.
pub(super) async fn save(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    edit: Edit<'_>,
) -> Result<SaveOutcome, WorkflowError> {
    let (from_status, to_status) = save_transitions(actor);
    let new = NewRevision {
        segment_id,
        author_id: Some(actor.user_id),
        text: edit.text,
        base_revision_id: edit.base,
        note: edit.note,
        restored_from_id: edit.restored_from,
    };
    let saved =
        revisions::save_revision(conn, &new, edit.kind.as_str(), &from_status, &to_status).await?;
    save_outcome(saved, actor)
}

/// The rules for a save by `actor`, as the database takes them: for each status a save is
/// allowed from, the status it leads to.
pub(super) fn save_transitions(actor: &Actor) -> (Vec<&'static str>, Vec<&'static str>) {
    Status::ALL
        .into_iter()
        .filter_map(|from| {
            let to = transition(from, Action::Save, actor.role, Facts::default()).ok()?;
            Some((from.as_str(), to.as_str()))
        })
        .unzip()
}

/// What the database said of a save, as the workflow answers it.
pub(super) fn save_outcome(saved: Saved, actor: &Actor) -> Result<SaveOutcome, WorkflowError> {
    Ok(match saved {
        Saved::Saved(revision) => SaveOutcome::Saved(revision),
        Saved::Unchanged(revision) => SaveOutcome::Unchanged(revision),
        Saved::Conflict { mine, theirs } => SaveOutcome::Conflict { mine, theirs },
        Saved::NoSegment => return Err(WorkflowError::NotFound("segment")),
        Saved::Retired => return Err(retired()),
        Saved::NoBase => return Err(WorkflowError::NotFound("revision")),
        Saved::Refused(status) => {
            let from = stored_status(&status)?;
            transition(from, Action::Save, actor.role, Facts::default())?;
            // The rules allowed it when the statuses were passed: they cannot change.
            return Err(WorkflowError::Invalid(format!(
                "a save from {status} was refused"
            )));
        }
    })
}
