//! Correcting the Thai source of a segment (an OCR error): reviewers and admins only, with
//! a reason, recorded with who, when, before and after (`source_corrections`).
//!
//! The English of a corrected segment was written against the old Thai, so it is flagged
//! for review: the segment gets the "Thai changed" mark a re-import sets
//! (`source_changed_at`, cleared when a reviewer approves it again), and an approved text
//! goes back to the review queue (`submitted`; readers keep the approved text meanwhile).
//! Other statuses stay: a draft or a text with changes requested is still being worked on,
//! a submitted one is already in the queue. The import's original text stays in
//! `imported_th`, so re-importing the uncorrected file does not revert the correction.

use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use super::{stored_status, Actor, Status, WorkflowError, MAX_TEXT_CHARS};
use crate::db::corrections::{self, SourceSegment};
use crate::db::segments::{self, WorkflowState};
use crate::text::normalize::normalize;

/// The longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 2_000;

/// What a correction did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrected {
    pub correction_id: Uuid,
    /// The English was flagged for review.
    pub flagged: bool,
}

/// Replaces a segment's Thai with `thai` (normalized like imported text) because of
/// `reason`. `version` is the segment's `source_version` the form showed: a correction
/// made on a stale page is refused rather than overwriting someone else's.
pub async fn correct_source(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    thai: &str,
    reason: &str,
    version: i32,
) -> Result<Corrected, WorkflowError> {
    require_reviewer(actor, "correct the Thai")?;
    let thai = clean_thai(thai)?;
    let reason = super::clean_text(reason, MAX_REASON_CHARS, "reason")?;
    let mut tx = conn.begin().await?;
    let segment = lock_one_for_structure(&mut tx, segment_id).await?;
    check_version(&segment, version)?;
    if segment.source_th == thai {
        return Err(WorkflowError::Invalid(
            "the corrected Thai is the same as the current Thai".into(),
        ));
    }
    let correction_id = corrections::record_correction(
        &mut tx,
        segment_id,
        actor.user_id,
        &segment.source_th,
        &thai,
        &reason,
    )
    .await?;
    corrections::set_source(&mut tx, segment_id, &thai).await?;
    let flagged = flag_for_review(&mut tx, actor, &segment).await?;
    tx.commit().await?;
    Ok(Corrected {
        correction_id,
        flagged,
    })
}

/// The status of English whose Thai changed under it: approved text goes back to review,
/// anything else stays where it is.
pub fn status_for_review(from: Status) -> Status {
    match from {
        Status::Approved => Status::Submitted,
        other => other,
    }
}

/// Flags a segment whose Thai changed (see the module comment). Returns whether it had
/// anything to flag (English or comments).
pub(super) async fn flag_for_review(
    conn: &mut PgConnection,
    actor: &Actor,
    segment: &SourceSegment,
) -> Result<bool, WorkflowError> {
    if !segment.has_work {
        return Ok(false);
    }
    corrections::flag_source_changed(conn, segment.id).await?;
    let from = stored_status(&segment.status)?;
    let to = status_for_review(from);
    if to != from {
        let state = WorkflowState {
            status: to.as_str(),
            current_revision_id: segment.current_revision_id,
            approved_revision_id: segment.approved_revision_id,
            actor_id: actor.user_id,
            source_reviewed: false,
        };
        segments::write_workflow_state(conn, segment.id, &state).await?;
    }
    Ok(true)
}

pub(super) fn require_reviewer(actor: &Actor, what: &str) -> Result<(), WorkflowError> {
    match actor.role.can_review() {
        true => Ok(()),
        false => Err(WorkflowError::Forbidden(format!(
            "only reviewers and admins {what}"
        ))),
    }
}

/// Thai typed into a form, as it is stored: normalized, trimmed, not empty.
pub(super) fn clean_thai(raw: &str) -> Result<String, WorkflowError> {
    let thai = normalize(raw).trim().to_owned();
    if thai.is_empty() {
        return Err(WorkflowError::Invalid("the Thai text is empty".into()));
    }
    let chars = thai.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(WorkflowError::Invalid(format!(
            "the Thai text is {chars} characters long; the limit is {MAX_TEXT_CHARS}"
        )));
    }
    Ok(thai)
}

/// Takes the chapter's structure lock, then locks and reads the segment, which must be
/// live.
pub(super) async fn lock_one_for_structure(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<SourceSegment, WorkflowError> {
    let chapter = corrections::chapter_of(conn, segment_id)
        .await?
        .ok_or(WorkflowError::NotFound("segment"))?;
    corrections::lock_chapter_structure(conn, chapter).await?;
    let segment = corrections::lock_sources(conn, &[segment_id])
        .await?
        .pop()
        .ok_or(WorkflowError::NotFound("segment"))?;
    if segment.retired {
        return Err(WorkflowError::Invalid(
            "this segment is no longer in the chapter".into(),
        ));
    }
    Ok(segment)
}

/// The form was made from the segment's Thai as it is now.
pub(super) fn check_version(segment: &SourceSegment, version: i32) -> Result<(), WorkflowError> {
    match segment.source_version == version {
        true => Ok(()),
        false => Err(WorkflowError::Conflict(
            "the Thai of this segment changed since the page was loaded (someone corrected, \
             merged or split it): reload the page and try again"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_approved_english_goes_back_to_review() {
        assert_eq!(status_for_review(Status::Approved), Status::Submitted);
        for status in [
            Status::Untranslated,
            Status::Draft,
            Status::Submitted,
            Status::ChangesRequested,
        ] {
            assert_eq!(status_for_review(status), status);
        }
    }

    #[test]
    fn typed_thai_is_normalized_and_blank_thai_refused() {
        // Sara am typed as nikhahit + sara aa becomes U+0E33; zero-width spaces go.
        assert_eq!(
            clean_thai("  น\u{0E4D}\u{0E32}\u{200B}ตาล \n").unwrap(),
            "น\u{0E33}ตาล"
        );
        for blank in ["", "  ", "\u{200B}\n"] {
            assert!(matches!(clean_thai(blank), Err(WorkflowError::Invalid(_))));
        }
    }
}
