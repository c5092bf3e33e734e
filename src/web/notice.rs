//! Messages after an action, and the workflow's refusals as a page shows them.
//!
//! After a successful POST the handler redirects (303) to a page with `?done=WHAT` (and
//! counts, for claims): the page turns that into a fixed sentence, so nothing a user typed
//! ever travels in the address. A refused action is shown on the page it came from, with
//! the workflow's reason and the status that goes with it.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::AppError;
use crate::workflow::WorkflowError;

/// How a message looks: `form-ok`, `form-error` or `form-notice` in the stylesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub tone: Tone,
    pub text: String,
}

impl Notice {
    pub fn ok(text: impl Into<String>) -> Notice {
        Notice {
            tone: Tone::Ok,
            text: text.into(),
        }
    }

    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            tone: Tone::Error,
            text: text.into(),
        }
    }

    pub fn warning(text: impl Into<String>) -> Notice {
        Notice {
            tone: Tone::Warning,
            text: text.into(),
        }
    }

    pub fn class(&self) -> &'static str {
        match self.tone {
            Tone::Ok => "form-ok",
            Tone::Error => "form-error",
            Tone::Warning => "form-notice",
        }
    }

    /// `alert` for errors (read out at once), `status` otherwise.
    pub fn role(&self) -> &'static str {
        match self.tone {
            Tone::Error => "alert",
            _ => "status",
        }
    }
}

/// The query of a page shown after an action.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    pub done: Option<String>,
    /// How many segments a claim or release covered.
    pub n: Option<String>,
    /// How many were left alone because someone else holds them.
    pub held: Option<String>,
    /// Asked for the next untranslated segment, and none is left.
    pub last: Option<String>,
}

impl Done {
    /// Reads the query leniently: a page never fails over its message.
    pub fn from_query(query: &str) -> Done {
        serde_urlencoded::from_str(query).unwrap_or_default()
    }

    pub fn notice(&self) -> Option<Notice> {
        let count = |v: &Option<String>| v.as_deref().and_then(|v| v.parse::<u32>().ok());
        let segments = |n: u32| match n {
            1 => "1 segment".to_string(),
            n => format!("{n} segments"),
        };
        let text = match self.done.as_deref()? {
            "saved" => "Saved. The new revision is in the history.".into(),
            "unchanged" => "Nothing to save: this is the current text already.".into(),
            "submitted" => "Submitted for review.".into(),
            "restored" => "Restored, as a new revision.".into(),
            "kept_mine" => {
                "Your text is the current text; the other one stays in the history.".into()
            }
            "kept_theirs" => {
                "You kept the other text. Yours stays in the history, where you can restore it."
                    .into()
            }
            "approved" => "Approved.".into(),
            "changes_requested" => {
                "Changes requested: your comment opened a thread on the segment.".into()
            }
            "commented" => "Comment added.".into(),
            "comment_edited" => "Comment updated.".into(),
            "resolved" => "Thread resolved.".into(),
            "reopened" => "Thread reopened.".into(),
            "claimed" => {
                let mut text = format!("Claimed {}.", segments(count(&self.n).unwrap_or(0)));
                if let Some(held) = count(&self.held).filter(|&h| h > 0) {
                    text.push_str(&format!(
                        " {} held by someone else {} left alone.",
                        segments(held),
                        if held == 1 { "was" } else { "were" }
                    ));
                }
                let held = count(&self.held).is_some_and(|h| h > 0);
                return Some(match held {
                    true => Notice::warning(text),
                    false => Notice::ok(text),
                });
            }
            "term_added" => "Term added to the glossary.".into(),
            "term_saved" => "Term saved.".into(),
            "term_approved" => "Term approved: translations are now checked for it.".into(),
            "term_deleted" => "Term deleted.".into(),
            "candidate_accepted" => "Candidate accepted into the glossary, approved.".into(),
            "candidate_rejected" => "Candidate rejected: it will not be offered again.".into(),
            "dismissed" => "Check dismissed for this segment, with your reason.".into(),
            "released" => match count(&self.n).unwrap_or(0) {
                0 => "There was no claim to release.".into(),
                1 => "Released 1 claim.".into(),
                n => format!("Released {n} claims."),
            },
            other => super::restructure::done_notice(other)?.into(),
        };
        let text: String = text;
        Some(Notice::ok(match self.last.is_some() {
            true => format!("{text} No untranslated segment is left in the book."),
            false => text,
        }))
    }
}

/// A refused workflow action as a message and a status (403, 422 or 409); a missing thing
/// or a database failure stays an error of its own.
pub fn refusal(e: WorkflowError) -> Result<(StatusCode, Notice), AppError> {
    let status = match &e {
        WorkflowError::Forbidden(_) => StatusCode::FORBIDDEN,
        WorkflowError::Invalid(_) | WorkflowError::ChecksFailed(_) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        WorkflowError::Conflict(_) => StatusCode::CONFLICT,
        WorkflowError::NotFound(_) => return Err(AppError::NotFound),
        WorkflowError::Database(_) => return Err(AppError::from(e)),
    };
    Ok((status, Notice::error(sentence(&e.to_string()))))
}

/// The workflow's reasons are phrases ("the translation is empty"): shown as sentences.
fn sentence(phrase: &str) -> String {
    let mut chars = phrase.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut text: String = first.to_uppercase().chain(chars).collect();
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

/// 303 to a page (post/redirect/get).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// A time as pages show it: UTC, to the minute (the script shows it in local time).
pub fn time_label(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A time for `<time datetime>`.
pub fn time_iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A moment as pages show it: `<time datetime="{{ w.iso() }}">{{ w.label() }}</time>`
/// (`macros.html` has `when(w)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct When(pub DateTime<Utc>);

impl When {
    pub fn label(&self) -> String {
        time_label(self.0)
    }

    pub fn iso(&self) -> String {
        time_iso(self.0)
    }
}

/// The CSRF field of a form rendered into a cached page's slot.
#[derive(Template)]
#[template(
    source = r#"<input type="hidden" name="csrf" value="{{ token }}">"#,
    ext = "html"
)]
pub struct CsrfField<'a> {
    pub token: &'a str,
}

/// A message rendered into a cached page's slot.
#[derive(Template)]
#[template(
    source = r#"{% if let Some(n) = notice %}<p class="notice {{ n.class() }}" role="{{ n.role() }}">{{ n.text }}</p>{% endif %}"#,
    ext = "html"
)]
pub struct NoticeSlot<'a> {
    pub notice: Option<&'a Notice>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(query: &str) -> Option<Notice> {
        Done::from_query(query).notice()
    }

    #[test]
    fn known_actions_have_a_fixed_message_and_others_none() {
        assert_eq!(done("done=saved").unwrap().tone, Tone::Ok);
        assert!(done("done=%3Cscript%3E").is_none());
        assert!(done("").is_none());
        assert!(
            done("done=saved&n=x&&=").is_some(),
            "a bad count is no error"
        );
    }

    #[test]
    fn a_claim_message_counts_what_was_claimed_and_what_was_held() {
        let all = done("done=claimed&n=3").unwrap();
        assert_eq!(all.text, "Claimed 3 segments.");
        assert_eq!(all.tone, Tone::Ok);
        let some = done("done=claimed&n=1&held=2").unwrap();
        assert_eq!(
            some.text,
            "Claimed 1 segment. 2 segments held by someone else were left alone."
        );
        assert_eq!(some.tone, Tone::Warning);
    }

    #[test]
    fn refusals_are_sentences_with_their_status() {
        let (status, notice) =
            refusal(WorkflowError::Invalid("the translation is empty".into())).unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(notice.text, "The translation is empty.");
        let (status, _) = refusal(WorkflowError::Forbidden("no".into())).unwrap();
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(matches!(
            refusal(WorkflowError::NotFound("segment")),
            Err(AppError::NotFound)
        ));
    }

    #[test]
    fn times_are_shown_to_the_minute_in_utc() {
        let t = DateTime::parse_from_rfc3339("2025-03-04T05:06:59Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(time_label(t), "2025-03-04 05:06 UTC");
        assert_eq!(time_iso(t), "2025-03-04T05:06:59Z");
    }
}
