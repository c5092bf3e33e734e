//! Quality checks and the glossary on the pages: the editor's panel (the glossary terms of
//! the Thai, highlighted with their English; the open findings of the checks, each with a
//! form to dismiss it; the dismissals with their reasons), the counts on the chapter page,
//! and dismissing a check (`POST /segments/{id}/checks/{check}/dismiss`).
//!
//! The checks are pure functions, computed when a page renders (after a save the user lands
//! on the editor page and sees them), never on the save path.
//!
//! Who may dismiss: anyone signed in may dismiss a warning; an error only a reviewer or an
//! admin. Errors block approval, so letting the translator who wrote the text wave one
//! away would take the decision from the person who approves.

use std::collections::HashSet;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use uuid::Uuid;

use super::csrf::CsrfForm;
use super::footnotes::{split_footnotes, Part};
use super::notice::{see_other, When};
use super::page::segment_path;
use super::segments::{segment_id, show_again, Typed};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::accounts::Role;
use crate::checks::{self, ApprovedTerm, Context, Counts, Finding, Severity};
use crate::db;
use crate::db::checks::Dismissal;
use crate::db::glossary::Term;
use crate::db::workspace::WorkspaceSegment;
use crate::glossary;
use crate::text::normalize::normalize_inline;

/// What the editor's panel needs from the database (signed-in users only).
pub struct QualityData {
    /// Glossary terms found in the segment's Thai.
    pub terms: Vec<Term>,
    pub dismissals: Vec<Dismissal>,
    pub book_ratio: Option<f64>,
}

impl QualityData {
    pub async fn load(
        conn: &mut sqlx::PgConnection,
        segment_id: Uuid,
        chapter_id: Uuid,
        thai: &str,
    ) -> Result<QualityData, sqlx::Error> {
        Ok(QualityData {
            terms: db::glossary::terms_in_text(conn, thai).await?,
            dismissals: db::checks::dismissals_of_segment(conn, segment_id).await?,
            book_ratio: db::checks::book_ratio(conn, chapter_id).await?,
        })
    }
}

/// A piece of the Thai on the editor page: text, a glossary term, or a footnote reference.
pub enum Marked<'a> {
    Text(&'a str),
    Term(TermMark<'a>),
    Footnote(&'a str),
}

pub struct TermMark<'a> {
    pub text: &'a str,
    pub english: &'a str,
    pub approved: bool,
}

pub struct FindingView {
    pub finding: Finding,
    pub may_dismiss: bool,
}

impl FindingView {
    pub fn severity(&self) -> &'static str {
        self.finding.severity.as_str()
    }
}

/// The editor's quality panel.
pub struct QualityPanel<'a> {
    pub segment_id: Uuid,
    pub csrf: String,
    pub thai: Vec<Marked<'a>>,
    pub terms: &'a [Term],
    pub findings: Vec<FindingView>,
    pub dismissed: Vec<(&'a Dismissal, When)>,
    /// The current English was checked (there is some).
    pub has_english: bool,
}

impl<'a> QualityPanel<'a> {
    pub fn new(
        data: &'a QualityData,
        segment_id: Uuid,
        thai: &'a str,
        english: Option<&str>,
        user: &CurrentUser,
    ) -> QualityPanel<'a> {
        let approved: Vec<ApprovedTerm> = data
            .terms
            .iter()
            .filter(|t| t.status == "approved")
            .map(|t| ApprovedTerm {
                thai: t.thai_key.clone(),
                english: t.english.clone(),
            })
            .collect();
        let ctx = Context {
            terms: &approved,
            book_ratio: data.book_ratio,
        };
        let findings = checks::check_segment(thai, english, &ctx)
            .into_iter()
            .filter(|f| !data.dismissals.iter().any(|d| d.check_id == f.id))
            .map(|finding| FindingView {
                may_dismiss: may_dismiss(user.role, finding.severity),
                finding,
            })
            .collect();
        QualityPanel {
            segment_id,
            csrf: user.csrf_token().unwrap_or_default().to_string(),
            thai: mark(thai, &data.terms),
            terms: &data.terms,
            findings,
            dismissed: data
                .dismissals
                .iter()
                .map(|d| (d, When(d.dismissed_at)))
                .collect(),
            has_english: english.is_some(),
        }
    }
}

/// The Thai split into text, glossary terms and footnote references.
pub fn mark<'a>(thai: &'a str, terms: &'a [Term]) -> Vec<Marked<'a>> {
    let keys: Vec<&str> = terms.iter().map(|t| t.thai_key.as_str()).collect();
    let mut out = Vec::new();
    for part in split_footnotes(thai) {
        let text = match part {
            Part::Footnote(n) => {
                out.push(Marked::Footnote(n));
                continue;
            }
            Part::Text(text) => text,
        };
        let mut at = 0;
        for o in glossary::find_terms(text, &keys) {
            if o.start > at {
                out.push(Marked::Text(&text[at..o.start]));
            }
            let term = &terms[o.term];
            out.push(Marked::Term(TermMark {
                text: &text[o.start..o.end],
                english: &term.english,
                approved: term.status == "approved",
            }));
            at = o.end;
        }
        if at < text.len() {
            out.push(Marked::Text(&text[at..]));
        }
    }
    out
}

pub fn may_dismiss(role: Role, severity: Severity) -> bool {
    severity == Severity::Warning || role.can_review()
}

/// What the chapter page's counts need: loaded once per render of a workspace page.
pub struct ChapterChecks {
    terms: Vec<ApprovedTerm>,
    dismissed: HashSet<(Uuid, String)>,
    ratio: Option<f64>,
}

impl ChapterChecks {
    /// Three queries: the approved terms, the chapter's dismissals, the book's ratio.
    pub async fn load(
        conn: &mut sqlx::PgConnection,
        chapter_id: Uuid,
    ) -> Result<ChapterChecks, sqlx::Error> {
        let terms = db::glossary::approved_terms(conn)
            .await?
            .into_iter()
            .map(|(thai, english)| ApprovedTerm { thai, english })
            .collect();
        let dismissed = db::checks::dismissed_in_chapter(conn, chapter_id)
            .await?
            .into_iter()
            .collect();
        let ratio = db::checks::book_ratio(conn, chapter_id).await?;
        Ok(ChapterChecks {
            terms,
            dismissed,
            ratio,
        })
    }

    /// The open findings of a segment, counted.
    pub fn counts(&self, segment: &WorkspaceSegment) -> Counts {
        let ctx = Context {
            terms: &self.terms,
            book_ratio: self.ratio,
        };
        let findings = checks::check_segment(&segment.source_th, segment.english.as_deref(), &ctx);
        Counts::of(
            findings
                .iter()
                .filter(|f| !self.dismissed.contains(&(segment.id, f.id.to_string()))),
        )
    }
}

#[derive(Deserialize)]
pub struct DismissForm {
    #[serde(default)]
    reason: String,
}

/// The longest reason (the database says the same).
const MAX_REASON_CHARS: usize = 1000;

pub async fn dismiss_check(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CsrfForm<DismissForm>,
) -> Result<HttpResponse, AppError> {
    let (raw_id, check) = path.into_inner();
    let id = segment_id(&raw_id)?;
    let user = form.user()?;
    let severity = checks::severity_of(&check).ok_or(AppError::NotFound)?;
    let check_id = checks::CHECKS
        .iter()
        .find(|(known, _)| *known == check)
        .map(|(known, _)| *known)
        .ok_or(AppError::NotFound)?;
    user.require(may_dismiss(user.role, severity))?;
    let reason = normalize_inline(&form.reason);
    let refusal = match reason.chars().count() {
        0 => Some("Say why this check does not apply: the reason is recorded.".to_string()),
        n if n > MAX_REASON_CHARS => Some(format!(
            "The reason is {n} characters long; the limit is {MAX_REASON_CHARS}."
        )),
        _ => None,
    };
    if let Some(message) = refusal {
        let typed = Typed {
            notice: Some(super::notice::Notice::error(message)),
            ..Typed::default()
        };
        return show_again(
            &state,
            id,
            user,
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            typed,
        )
        .await;
    }
    let mut conn = state.pool.acquire().await?;
    if db::checks::segment_thai(&mut conn, id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    db::checks::dismiss(&mut conn, id, check_id, &reason, user.id).await?;
    tracing::info!(user = %user.username, segment = %id, check = check_id, "dismissed a check");
    Ok(see_other(&format!(
        "{}?done=dismissed#checks",
        segment_path(id)
    )))
}
