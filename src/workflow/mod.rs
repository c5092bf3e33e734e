//! The translate-and-review workflow: the only code that changes a segment's status.
//!
//! Everything a translator or reviewer does to a segment goes through a function here, which
//! checks the rules (`transitions`, pure and tested exhaustively), makes the change in one
//! transaction with the segment row locked, and records an event for the activity feed in
//! that same transaction. The web pages and the JSON API call these functions; SQL stays
//! in `crate::db` (the one statement that writes `segments.status` is
//! `db::segments::write_workflow_state`, called only from here).
//!
//! - `drafting`: [`save_draft`], [`keep_mine`], [`restore`]. Every save appends a revision;
//!   a save based on a revision that is no longer current is stored but not made current,
//!   and the caller gets both texts ([`SaveOutcome::Conflict`]): nobody's work is lost.
//! - `importing`: [`import_translation`]: English from a file (XLIFF), saved like typed
//!   text with a provenance note, and submitted when the file says it is done.
//! - `review`: [`submit`] and [`review`] (approve or request changes, recorded with who,
//!   when, which revision and why).
//! - `claims`: [`claim`], [`release_claims`], [`live_claims_in_chapter`]: a claim tells
//!   others a paragraph is taken; it never blocks saving, and it expires when idle.
//! - `comments`: [`add_comment`], [`edit_comment`], [`resolve_comment`],
//!   [`reopen_comment`], and [`threads`] to group a segment's comments.
//! - `corrections`: [`correct_source`]: a reviewer fixes the Thai (an OCR error), with a
//!   reason kept in the history; the English is flagged for review.
//! - `restructure`: [`merge_with_next`], [`split`], [`undo_last`]: fixing the importer's
//!   segment boundaries without losing any history (`split_points`: where a text may be
//!   cut, pure).
//! - Pure helpers for pages: [`diff_words`] (word/Thai-cluster diff of two revisions) and
//!   [`linkify`] (links in plain-text comments).
//!
//! Each function takes `&mut PgConnection` and runs in its own transaction; given a
//! connection that is already in one (`&mut *tx`), it runs in a savepoint of it.

mod claims;
mod comments;
mod corrections;
mod diff;
mod drafting;
mod importing;
mod linkify;
mod restructure;
mod review;
mod save_queue;
mod split_points;
mod transitions;

pub use claims::{
    claim, claim_expiry, decide_claim, expires_at, is_live, live_claims_in_chapter, may_release,
    release_claims, ClaimDecision, ClaimOutcome, LiveClaim, MAX_CLAIM_RUN,
};
pub use comments::{add_comment, edit_comment, reopen_comment, resolve_comment, threads, Thread};
pub use corrections::{correct_source, status_for_review, Corrected, MAX_REASON_CHARS};
pub use diff::{diff_words, tokenize, DiffOp};
pub use drafting::{keep_mine, restore, save_draft, SaveOutcome};
pub use importing::{import_translation, ImportOutcome, ImportedText};
pub use linkify::{linkify, TextPart};
pub use restructure::{merge_with_next, split, undo_last, Join, SplitPoint, Undone};
pub use review::{review, submit, ReviewOutcome, Verdict};
pub use save_queue::SaveQueue;
pub use split_points::{choices as split_choices, split_at, BadPoint, Choice as SplitChoice};
pub use transitions::{transition, Action, Facts, Refusal, Status};

pub use crate::accounts::Role;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::segments::{self, WorkflowSegment};
use crate::text::normalize::normalize;

/// Who is acting: a signed-in user and their role (the web layer builds it from the
/// session; a disabled user never gets one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Uuid,
    pub role: Role,
}

/// The longest translation of one segment, in characters (the longest Thai paragraph of
/// the corpus is a few thousand).
pub const MAX_TEXT_CHARS: usize = 50_000;
/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;

/// Why a workflow action did not happen. Each maps to one HTTP status: 404, 403, 422
/// (or 400), 409, 500.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// The segment, revision or comment does not exist (what is missing is named).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The actor may not do this.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The request does not make sense as it is (empty text, nothing to submit…).
    #[error("{0}")]
    Invalid(String),
    /// Someone else changed the segment first: reload and decide again. (A conflicting
    /// *save* is not an error: see [`SaveOutcome::Conflict`].)
    #[error("{0}")]
    Conflict(String),
    /// Quality-check errors, not dismissed, stand in the way of an approval (when the
    /// setting says they block): the findings, for the page and the API to show.
    #[error("{}", checks_refusal(.0))]
    ChecksFailed(Vec<crate::checks::Finding>),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

fn checks_refusal(findings: &[crate::checks::Finding]) -> String {
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    format!(
        "this translation cannot be approved while the checks find errors: {} Correct the \
         English, or dismiss an error with a reason if it does not apply",
        messages.join(" ")
    )
}

impl From<Refusal> for WorkflowError {
    fn from(refusal: Refusal) -> WorkflowError {
        match refusal {
            Refusal::Forbidden(why) => WorkflowError::Forbidden(why.to_owned()),
            Refusal::Invalid(why) => WorkflowError::Invalid(why.to_owned()),
        }
    }
}

/// Text typed by a person, as it is stored: normalized like imported text (NFC, no
/// invisible characters, LF line breaks, single spaces; see `text::normalize`), line breaks
/// kept, no blank lines at either end. Refused when empty or longer than `max` characters.
fn clean_text(raw: &str, max: usize, what: &str) -> Result<String, WorkflowError> {
    let text = normalize(raw).trim().to_owned();
    if text.is_empty() {
        return Err(WorkflowError::Invalid(format!("the {what} is empty")));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(WorkflowError::Invalid(format!(
            "the {what} is {chars} characters long; the limit is {max}"
        )));
    }
    Ok(text)
}

/// Optional text (a review's comment): blank counts as none.
fn optional_text(
    raw: Option<&str>,
    max: usize,
    what: &str,
) -> Result<Option<String>, WorkflowError> {
    match raw {
        Some(raw) if !normalize(raw).trim().is_empty() => clean_text(raw, max, what).map(Some),
        _ => Ok(None),
    }
}

/// Reads a segment for a workflow change and locks its row until the transaction ends
/// (see `db::segments::lock_for_workflow`). A retired segment is hidden from readers and
/// translators, so it takes no new work.
async fn lock_live(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<WorkflowSegment, WorkflowError> {
    let segment = segments::lock_for_workflow(conn, segment_id)
        .await?
        .ok_or(WorkflowError::NotFound("segment"))?;
    if segment.retired {
        return Err(retired());
    }
    Ok(segment)
}

/// Why a retired segment takes no new work.
fn retired() -> WorkflowError {
    WorkflowError::Invalid("this segment is no longer in the source text".into())
}

/// A `segments.status` value as a [`Status`]; the database allows no other value, so an
/// unknown one is reported like any other database failure.
fn stored_status(s: &str) -> Result<Status, WorkflowError> {
    Status::parse(s).ok_or_else(|| {
        WorkflowError::Database(sqlx::Error::Decode(
            format!("unknown segment status {s:?}").into(),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_is_normalized_and_trimmed_but_keeps_its_lines() {
        let text = clean_text("\r\n  First  line\r\nsecond\u{200B} line \n\n", 100, "text");
        assert_eq!(text.unwrap(), "First line\nsecond line");
    }

    #[test]
    fn empty_and_too_long_text_is_refused() {
        for blank in ["", "   ", "\n\n", "\u{200B}"] {
            let err = clean_text(blank, 100, "translation").unwrap_err();
            assert!(matches!(err, WorkflowError::Invalid(m) if m == "the translation is empty"));
        }
        assert!(clean_text(&"ก".repeat(100), 100, "text").is_ok());
        assert!(matches!(
            clean_text(&"ก".repeat(101), 100, "text"),
            Err(WorkflowError::Invalid(_))
        ));
    }
}
