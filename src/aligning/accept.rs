//! Accepting an alignment: each Thai segment paired with English gets that English as a
//! draft by the uploader, noting "imported from FILE on DATE", through the workflow
//! (`workflow::import_translation`), all in one transaction.
//!
//! A segment that has English already (a draft, text under review, approved text) is a
//! conflict: it keeps its text unless the user chose "add as a newer draft" for it, which
//! saves the import on top of the current text (an approved text stays shown to readers
//! until a reviewer approves the new one, as for any edit). A segment someone saved since
//! the review page was shown, with no choice made, is kept too: nothing is overwritten.

use std::collections::HashMap;

use chrono::Utc;
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use super::proposals;
use crate::db;
use crate::workflow::{self, Actor, ImportOutcome, ImportedText, WorkflowError};

/// What to do with a segment that has English already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Leave its text as it is (the default).
    Keep,
    /// Save the imported English as a newer draft.
    AddAsDraft,
}

/// What an accept did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcceptReport {
    /// Segments that got a new draft.
    pub drafted: usize,
    /// Segments whose English was kept (conflicts left alone).
    pub kept: usize,
    /// Segments whose English was the imported text already.
    pub unchanged: usize,
    /// Segments someone saved meanwhile: the import is in their history, not current.
    pub in_history: usize,
}

pub async fn accept(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    version: i32,
    choices: &HashMap<Uuid, Choice>,
) -> Result<AcceptReport, WorkflowError> {
    let mut tx = conn.begin().await?;
    let alignment = db::alignments::lock_own(&mut tx, id, actor.user_id)
        .await?
        .ok_or(WorkflowError::NotFound("alignment"))?;
    if alignment.accepted_at.is_some() {
        return Err(WorkflowError::Conflict(
            "this alignment was accepted already".into(),
        ));
    }
    if alignment.version != version {
        return Err(WorkflowError::Conflict(
            "the alignment changed since this page was shown (another tab?): check it again before accepting"
                .into(),
        ));
    }
    let segments = db::alignments::segments_by_ids(&mut tx, &alignment.segment_ids).await?;
    if segments.len() != alignment.segment_ids.len() {
        return Err(WorkflowError::Invalid(
            "some of the chapter's segments no longer exist; upload the text again".into(),
        ));
    }
    let note = format!(
        "imported from {} on {}",
        alignment.file_name,
        Utc::now().format("%Y-%m-%d")
    );
    let mut report = AcceptReport::default();
    for proposal in proposals(&alignment.beads.0, &segments, &alignment.paragraphs)
        .into_iter()
        .flatten()
    {
        let Some(english) = &proposal.english else {
            continue;
        };
        let segment = &segments[proposal.segment];
        // The segment as it is now, not as the page showed it.
        let current = db::alignments::segments_by_ids(&mut tx, &[segment.id])
            .await?
            .pop()
            .and_then(|s| s.current_revision_id);
        let choice = choices.get(&segment.id).copied().unwrap_or(Choice::Keep);
        if current.is_some() && choice == Choice::Keep {
            report.kept += 1;
            continue;
        }
        let imported = ImportedText {
            text: english,
            base_revision_id: current,
            note: &note,
            submit: false,
        };
        match workflow::import_translation(&mut tx, actor, segment.id, imported).await? {
            ImportOutcome::Saved { .. } => report.drafted += 1,
            ImportOutcome::Unchanged(_) => report.unchanged += 1,
            ImportOutcome::Conflict { .. } => report.in_history += 1,
        }
    }
    db::alignments::mark_accepted(&mut tx, id).await?;
    tx.commit().await?;
    Ok(report)
}
