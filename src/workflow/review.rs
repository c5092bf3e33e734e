//! Submitting a revision for review, and the reviewer's decision.
//!
//! Both name the revision the person looked at. If it is no longer the segment's current
//! one (someone saved meanwhile), nothing happens and the caller gets
//! [`WorkflowError::Conflict`]: a reviewer never approves a text they have not seen.
//!
//! A decision is recorded in `reviews` whatever it is. Its comment, required when
//! requesting changes, also opens a thread on the segment, so the discussion that follows
//! happens where the translator looks. Approving makes the revision the approved text
//! readers and exports see, and clears the mark an import left if the Thai had changed
//! under the English (the reviewer approved it against the Thai as it is now).

use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use super::MAX_COMMENT_CHARS;
use super::{lock_live, optional_text, stored_status, transition};
use super::{Action, Actor, Facts, Status, WorkflowError};
use crate::checks::{self, Finding, Severity};
use crate::db::checks as checks_db;
use crate::db::comments::{self, Comment, NewComment};
use crate::db::events::{self, EventKind, NewEvent};
use crate::db::reviews::{self, Review};
use crate::db::{revisions, segments, settings};

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approve,
    RequestChanges,
}

impl Verdict {
    fn action(self) -> Action {
        match self {
            Verdict::Approve => Action::Approve,
            Verdict::RequestChanges => Action::RequestChanges,
        }
    }

    /// `reviews.verdict`.
    fn stored(self) -> &'static str {
        match self {
            Verdict::Approve => "approved",
            Verdict::RequestChanges => "changes_requested",
        }
    }

    fn event(self) -> EventKind {
        match self {
            Verdict::Approve => EventKind::Approved,
            Verdict::RequestChanges => EventKind::ChangesRequested,
        }
    }
}

/// What a decision wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReviewOutcome {
    pub review: Review,
    /// The thread the decision's comment opened, if it had one.
    pub comment: Option<Comment>,
    pub status: Status,
}

/// Marks the segment's current revision, `revision_id`, as ready for review.
pub async fn submit(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    revision_id: Uuid,
) -> Result<Status, WorkflowError> {
    let mut tx = conn.begin().await?;
    let segment = lock_live(&mut tx, segment_id).await?;
    let from = stored_status(&segment.status)?;
    let to = transition(from, Action::Submit, actor.role, Facts::default())?;
    check_current(&mut tx, &segment, revision_id).await?;
    let state = segments::WorkflowState {
        status: to.as_str(),
        current_revision_id: segment.current_revision_id,
        approved_revision_id: segment.approved_revision_id,
        actor_id: actor.user_id,
        source_reviewed: false,
    };
    segments::write_workflow_state(&mut tx, segment_id, &state).await?;
    let event = NewEvent {
        actor_id: actor.user_id,
        kind: EventKind::Submitted,
        segment_id,
        revision_id: Some(revision_id),
        review_id: None,
        comment_id: None,
    };
    events::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(to)
}

/// Approves the submitted revision `revision_id` or requests changes to it. `comment` is
/// required for `RequestChanges` (a blank one counts as none).
pub async fn review(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    revision_id: Uuid,
    verdict: Verdict,
    comment: Option<&str>,
) -> Result<ReviewOutcome, WorkflowError> {
    let comment = optional_text(comment, MAX_COMMENT_CHARS, "comment")?;
    let mut tx = conn.begin().await?;
    let segment = lock_live(&mut tx, segment_id).await?;
    let revision = revisions::get_revision(&mut tx, revision_id)
        .await?
        .filter(|r| r.segment_id == segment_id)
        .ok_or(WorkflowError::NotFound("revision"))?;
    let settings = settings::get_settings(&mut tx).await?;
    let facts = Facts {
        actor_wrote_revision: revision.author_id == Some(actor.user_id),
        self_approval_allowed: settings.allow_self_approval,
        comment_given: comment.is_some(),
    };
    let from = stored_status(&segment.status)?;
    let to = transition(from, verdict.action(), actor.role, facts)?;
    check_current(&mut tx, &segment, revision_id).await?;
    if verdict == Verdict::Approve && settings.block_approval_on_errors {
        check_before_approval(&mut tx, segment_id, &revision.text).await?;
    }

    let review = reviews::insert_review(
        &mut tx,
        segment_id,
        revision_id,
        actor.user_id,
        verdict.stored(),
        comment.as_deref(),
    )
    .await?;
    let comment = match comment.as_deref() {
        Some(body) => {
            let new = NewComment {
                segment_id,
                parent_id: None,
                author_id: actor.user_id,
                body,
                review_id: Some(review.id),
            };
            Some(comments::insert_comment(&mut tx, &new).await?)
        }
        None => None,
    };
    let approved = verdict == Verdict::Approve;
    let state = segments::WorkflowState {
        status: to.as_str(),
        current_revision_id: segment.current_revision_id,
        approved_revision_id: if approved {
            Some(revision_id)
        } else {
            segment.approved_revision_id
        },
        actor_id: actor.user_id,
        source_reviewed: approved,
    };
    segments::write_workflow_state(&mut tx, segment_id, &state).await?;
    let event = NewEvent {
        actor_id: actor.user_id,
        kind: verdict.event(),
        segment_id,
        revision_id: Some(revision_id),
        review_id: Some(review.id),
        comment_id: comment.as_ref().map(|c| c.id),
    };
    events::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(ReviewOutcome {
        review,
        comment,
        status: to,
    })
}

/// The quality checks' errors that nobody dismissed refuse an approval. Only errors count,
/// and none of them needs the glossary or the book's length ratio, so this is two small
/// queries on the approval path.
async fn check_before_approval(
    conn: &mut PgConnection,
    segment_id: Uuid,
    english: &str,
) -> Result<(), WorkflowError> {
    let thai = checks_db::segment_thai(conn, segment_id)
        .await?
        .ok_or(WorkflowError::NotFound("segment"))?;
    let dismissed = checks_db::dismissals_of_segment(conn, segment_id).await?;
    let errors: Vec<Finding> = checks::check_target(&thai, english, &checks::Context::default())
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .filter(|f| !dismissed.iter().any(|d| d.check_id == f.id))
        .collect();
    match errors.is_empty() {
        true => Ok(()),
        false => Err(WorkflowError::ChecksFailed(errors)),
    }
}

/// The revision the person looked at must still be the current one.
async fn check_current(
    conn: &mut PgConnection,
    segment: &segments::WorkflowSegment,
    revision_id: Uuid,
) -> Result<(), WorkflowError> {
    if segment.current_revision_id == Some(revision_id) {
        return Ok(());
    }
    let known = revisions::get_revision(conn, revision_id)
        .await?
        .is_some_and(|r| r.segment_id == segment.id);
    if known {
        Err(WorkflowError::Conflict(
            "a newer revision was saved since you looked: reload to see it".into(),
        ))
    } else {
        Err(WorkflowError::NotFound("revision"))
    }
}
