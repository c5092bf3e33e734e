//! English that comes from a file (an XLIFF translated in a CAT tool) rather than from the
//! editor: the same save as typing it ([`save_draft`](super::save_draft)), with a note
//! saying where it came from, and, when the file says the translator is done, a
//! submission for review.
//!
//! The rules are the editor's, so an import can do nothing a person could not: an edit of
//! approved text waits for review (the approved text stays shown), a text based on a
//! revision that is no longer current is kept but not made current (a conflict), and
//! nothing is ever approved.

use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use super::drafting::{save, Edit};
use super::{clean_text, lock_live, stored_status, submit, MAX_TEXT_CHARS};
use super::{Actor, SaveOutcome, Status, WorkflowError};
use crate::db::events::EventKind;
use crate::db::revisions::Revision;

/// A text from a file, and what to do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportedText<'a> {
    pub text: &'a str,
    /// The revision the text was edited from (what the file was exported with; `None`:
    /// there was no English), as for a typed save.
    pub base_revision_id: Option<Uuid>,
    /// Provenance for the revision: "imported from chapter-4.xlf on 2026-11-23".
    pub note: &'a str,
    /// Submit it for review once saved.
    pub submit: bool,
}

/// What became of an imported text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// The text is the segment's new current text; `status` is the segment's status now.
    Saved { revision: Revision, status: Status },
    /// The text is the current text already: nothing was written.
    Unchanged(Revision),
    /// Someone saved in Plae since the file was exported: the imported text is stored
    /// (`mine`, in the history) but `theirs` stays current.
    Conflict { mine: Revision, theirs: Revision },
}

/// Saves an imported text as the actor's, with its note; submits it if asked and the
/// status allows (a draft or a text with changes requested; a segment already waiting for
/// review stays so). One transaction (a savepoint in the caller's).
pub async fn import_translation(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    imported: ImportedText<'_>,
) -> Result<ImportOutcome, WorkflowError> {
    let text = clean_text(imported.text, MAX_TEXT_CHARS, "translation")?;
    let mut tx = conn.begin().await?;
    let edit = Edit {
        text: &text,
        base: imported.base_revision_id,
        note: Some(imported.note),
        restored_from: None,
        kind: EventKind::Saved,
    };
    let outcome = match save(&mut tx, actor, segment_id, edit).await? {
        SaveOutcome::Saved(revision) => {
            let mut status = stored_status(&lock_live(&mut tx, segment_id).await?.status)?;
            if imported.submit && matches!(status, Status::Draft | Status::ChangesRequested) {
                status = submit(&mut tx, actor, segment_id, revision.id).await?;
            }
            ImportOutcome::Saved { revision, status }
        }
        SaveOutcome::Unchanged(revision) => ImportOutcome::Unchanged(revision),
        SaveOutcome::Conflict { mine, theirs } => ImportOutcome::Conflict { mine, theirs },
    };
    tx.commit().await?;
    Ok(outcome)
}
