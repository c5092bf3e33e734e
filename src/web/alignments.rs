//! Importing an existing translation, as pages: the upload form of a chapter, and the
//! review page of an alignment, where its uploader checks each bead side by side, fixes the
//! pairing with a form per bead (join, split, unmatched, move a boundary), chooses what
//! happens to segments that have English already, and accepts it into drafts.
//!
//! A pending alignment is its uploader's alone: anyone else gets a 404 for it, as for one
//! that does not exist. The work itself is in `aligning`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::chrome::Chrome;
use super::csrf::CsrfForm;
use super::display::Status;
use super::notice::{see_other, Notice, When};
use super::page::{chapter_path, render_with_status};
use super::segments::actor_of;
use super::session::CurrentUser;
use super::upload::UploadForm;
use super::{AppError, AppState};
use crate::accounts::Role;
use crate::align::{Bead, Edit};
use crate::aligning::{self, Choice, Proposal};
use crate::db;
use crate::db::alignments::{AlignedSegment, Alignment, PendingAlignment};
use crate::db::pages::ChapterHeader;
use crate::workflow::WorkflowError;

#[derive(Template)]
#[template(path = "align/upload.html", whitespace = "minimize")]
pub struct UploadPage<'a> {
    pub chrome: Chrome,
    pub header: &'a ChapterHeader,
    pub chapter_href: String,
    pub action: String,
    pub csrf: String,
    pub segments: usize,
    pub notice: Option<Notice>,
    /// What was pasted, shown again with a refusal.
    pub pasted: String,
    pub pending: Vec<(PendingAlignment, When)>,
}

#[derive(Template)]
#[template(path = "align/review.html", whitespace = "minimize")]
pub struct AlignmentPage<'a> {
    pub chrome: Chrome,
    pub header: &'a ChapterHeader,
    pub chapter_href: String,
    pub href: String,
    pub csrf: String,
    pub version: i32,
    pub file_name: &'a str,
    pub created: When,
    pub accepted: bool,
    pub notice: Option<Notice>,
    pub rows: Vec<BeadRow<'a>>,
    /// Beads below the confidence threshold.
    pub doubtful: usize,
    /// Segments that would get a draft, and those that have English already.
    pub drafts: usize,
    pub conflicts: usize,
}

/// One bead of the review page.
pub struct BeadRow<'a> {
    pub index: usize,
    pub score: String,
    pub doubtful: bool,
    pub thai: Vec<ThaiCell<'a>>,
    pub english: Vec<(usize, &'a str)>,
    pub can_join: bool,
    pub can_split: bool,
    pub can_unmatch: bool,
    pub can_thai_up: bool,
    pub can_thai_down: bool,
    pub can_english_up: bool,
    pub can_english_down: bool,
}

/// A Thai segment in a bead, with what it would get.
pub struct ThaiCell<'a> {
    pub id: Uuid,
    /// 1-based place in the chapter.
    pub ordinal: usize,
    pub text: &'a str,
    pub status: Status,
    pub existing: Option<&'a str>,
    pub proposal: Option<String>,
    pub conflict: bool,
    /// Shown only when the bead divides one English text among several segments.
    pub divided: bool,
}

impl ThaiCell<'_> {
    /// The Thai to show: all of it when the segment gets English (to compare), else its
    /// beginning (the whole is on the segment's page).
    pub fn shown(&self) -> String {
        const EXCERPT: usize = 160;
        match self.proposal.is_some() || self.text.chars().count() <= EXCERPT {
            true => self.text.to_string(),
            false => {
                let start: String = self.text.chars().take(EXCERPT).collect();
                format!("{start}…")
            }
        }
    }
}

fn alignment_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

fn alignment_path(id: Uuid) -> String {
    format!("/alignments/{id}")
}

async fn chapter(
    conn: &mut sqlx::PgConnection,
    slug: &str,
    number: i32,
) -> Result<ChapterHeader, AppError> {
    db::pages::chapter_header_by_number(conn, slug, number)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show_upload(
    state: web::Data<AppState>,
    path: web::Path<(String, i32)>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    user.require_role(Role::Translator)?;
    let (slug, number) = path.into_inner();
    upload_page(&state, &user, &slug, number, None, String::new()).await
}

async fn upload_page(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    number: i32,
    refused: Option<String>,
    pasted: String,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.acquire().await?;
    let header = chapter(&mut conn, slug, number).await?;
    let segments = db::segments::list_chapter_segments(&mut conn, header.chapter_id)
        .await?
        .len();
    let pending = db::alignments::list_pending(&mut conn, user.id, header.chapter_id).await?;
    drop(conn);
    let chapter_href = chapter_path(&header.book_slug, header.number);
    let status = match refused {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    render_with_status(
        status,
        &UploadPage {
            chrome: Chrome::for_user(Some(user)),
            header: &header,
            action: format!("{chapter_href}/align"),
            chapter_href,
            csrf: user.csrf_token().unwrap_or_default().to_string(),
            segments,
            notice: refused.map(Notice::error),
            pasted,
            pending: pending
                .into_iter()
                .map(|p| {
                    let when = When(p.created_at);
                    (p, when)
                })
                .collect(),
        },
    )
}

/// The upload: a file, or pasted text. Refused text shows the form again with the reason;
/// nothing is stored.
pub async fn upload(
    state: web::Data<AppState>,
    path: web::Path<(String, i32)>,
    form: UploadForm,
) -> Result<HttpResponse, AppError> {
    let user = form.user()?;
    user.require_role(Role::Translator)?;
    let (slug, number) = path.into_inner();
    let pasted = form.field("text");
    let (name, bytes) = match &form.file {
        Some(file) => (file.name.as_str(), file.bytes.as_slice()),
        None => ("pasted text", pasted.as_bytes()),
    };
    let mut conn = state.pool.acquire().await?;
    let header = chapter(&mut conn, &slug, number).await?;
    let started = aligning::start(&mut conn, user.id, header.chapter_id, name, bytes).await?;
    drop(conn);
    match started {
        Ok(id) => Ok(see_other(&alignment_path(id))),
        Err(refused) => {
            let pasted = pasted.to_string();
            upload_page(
                &state,
                user,
                &slug,
                number,
                Some(refused.to_string()),
                pasted,
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
struct AcceptedQuery {
    drafted: Option<usize>,
    kept: Option<usize>,
    unchanged: Option<usize>,
    in_history: Option<usize>,
}

pub async fn show_alignment(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let id = alignment_id(&path)?;
    let query: AcceptedQuery =
        serde_urlencoded::from_str(request.query_string()).unwrap_or_default();
    let notice = query.drafted.map(|drafted| {
        Notice::ok(format!(
            "Accepted: {drafted} new {}; {} kept as they were; {} already had this text; {} saved meanwhile by someone else (the import is in their history).",
            if drafted == 1 { "draft" } else { "drafts" },
            query.kept.unwrap_or(0),
            query.unchanged.unwrap_or(0),
            query.in_history.unwrap_or(0),
        ))
    });
    review_page(&state, &user, id, notice, StatusCode::OK).await
}

async fn review_page(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.acquire().await?;
    let alignment = db::alignments::get_own(&mut conn, id, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let header = db::pages::chapter_header(&mut conn, alignment.chapter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let segments = db::alignments::segments_by_ids(&mut conn, &alignment.segment_ids).await?;
    drop(conn);
    if segments.len() != alignment.segment_ids.len() {
        return Err(AppError::Internal(anyhow::anyhow!(
            "alignment {id} names segments that do not exist"
        )));
    }
    let proposals = aligning::proposals(&alignment.beads.0, &segments, &alignment.paragraphs);
    let rows = rows(&alignment, &segments, proposals);
    let cells = rows.iter().flat_map(|r| &r.thai);
    let drafts = cells.clone().filter(|c| c.proposal.is_some()).count();
    let conflicts = cells.filter(|c| c.proposal.is_some() && c.conflict).count();
    let page = AlignmentPage {
        chrome: Chrome::for_user(Some(user)),
        header: &header,
        chapter_href: chapter_path(&header.book_slug, header.number),
        href: alignment_path(id),
        csrf: user.csrf_token().unwrap_or_default().to_string(),
        version: alignment.version,
        file_name: &alignment.file_name,
        created: When(alignment.created_at),
        accepted: alignment.accepted_at.is_some(),
        notice,
        doubtful: rows.iter().filter(|r| r.doubtful).count(),
        drafts,
        conflicts,
        rows,
    };
    render_with_status(status, &page)
}

fn rows<'a>(
    alignment: &'a Alignment,
    segments: &'a [AlignedSegment],
    proposals: Vec<Vec<Proposal>>,
) -> Vec<BeadRow<'a>> {
    let beads: &[Bead] = &alignment.beads.0;
    let last = beads.len().saturating_sub(1);
    beads
        .iter()
        .zip(proposals)
        .enumerate()
        .map(|(index, (bead, proposals))| {
            let divided = bead.th.len() > 1;
            BeadRow {
                index,
                score: format!("{:.2}", bead.score),
                doubtful: !bead.is_confident(),
                thai: proposals
                    .into_iter()
                    .map(|p| {
                        let s = &segments[p.segment];
                        ThaiCell {
                            id: s.id,
                            ordinal: p.segment + 1,
                            text: &s.source_th,
                            status: Status::parse(&s.status),
                            existing: s.english.as_deref(),
                            proposal: p.english,
                            conflict: p.conflict,
                            divided,
                        }
                    })
                    .collect(),
                english: bead
                    .en
                    .iter()
                    .map(|&j| (j + 1, alignment.paragraphs[j].as_str()))
                    .collect(),
                can_join: index < last,
                can_split: bead.th.len() > 1 || bead.en.len() > 1,
                can_unmatch: !bead.th.is_empty() && !bead.en.is_empty(),
                can_thai_up: index > 0 && !bead.th.is_empty(),
                can_thai_down: index < last && !bead.th.is_empty(),
                can_english_up: index > 0 && !bead.en.is_empty(),
                can_english_down: index < last && !bead.en.is_empty(),
            }
        })
        .collect()
}

#[derive(Deserialize)]
pub struct EditForm {
    pub bead: usize,
    pub action: String,
    pub version: i32,
}

/// One fix to one bead; back to the page at that bead.
pub async fn edit_alignment(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<EditForm>,
) -> Result<HttpResponse, AppError> {
    let id = alignment_id(&path)?;
    let user = form.user()?;
    let edit = Edit::parse(&form.action)
        .ok_or_else(|| AppError::BadRequest(format!("unknown action {:?}", form.action)))?;
    let mut conn = state.pool.acquire().await?;
    let edited = aligning::edit(&mut conn, user.id, id, form.version, form.bead, edit).await;
    drop(conn);
    match edited {
        Ok(()) => {
            let at = form.bead.saturating_sub(1);
            Ok(see_other(&format!("{}#bead-{at}", alignment_path(id))))
        }
        Err(e) => refused(&state, user, id, e).await,
    }
}

/// A refusal shown on the review page (or the error page for a missing alignment).
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    e: WorkflowError,
) -> Result<HttpResponse, AppError> {
    let status = match &e {
        WorkflowError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        WorkflowError::Conflict(_) => StatusCode::CONFLICT,
        _ => return Err(e.into()),
    };
    let text = e.to_string();
    review_page(
        state,
        user,
        id,
        Some(Notice::error(capitalize(&text))),
        status,
    )
    .await
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Accepts the alignment: `version`, and `choice-SEGMENT` = `keep` | `add` for segments
/// that have English already (missing: keep).
pub async fn accept_alignment(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = alignment_id(&path)?;
    let user = form.user()?;
    let mut version = None;
    let mut choices = HashMap::new();
    for (name, value) in form.iter() {
        if name == "version" {
            version = value.parse::<i32>().ok();
        } else if let Some(segment) = name.strip_prefix("choice-") {
            let segment = Uuid::parse_str(segment)
                .map_err(|_| AppError::BadRequest(format!("{name} names no segment")))?;
            let choice = match value.as_str() {
                "keep" => Choice::Keep,
                "add" => Choice::AddAsDraft,
                other => return Err(AppError::BadRequest(format!("unknown choice {other:?}"))),
            };
            choices.insert(segment, choice);
        }
    }
    let version = version.ok_or_else(|| AppError::BadRequest("the form has no version".into()))?;
    let mut conn = state.pool.acquire().await?;
    let accepted = aligning::accept(&mut conn, &actor_of(user), id, version, &choices).await;
    drop(conn);
    match accepted {
        Ok(r) => Ok(see_other(&format!(
            "{}?drafted={}&kept={}&unchanged={}&in_history={}",
            alignment_path(id),
            r.drafted,
            r.kept,
            r.unchanged,
            r.in_history
        ))),
        Err(e) => refused(&state, user, id, e).await,
    }
}

/// Drops a pending alignment; back to the chapter's upload page.
pub async fn discard_alignment(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let id = alignment_id(&path)?;
    let user = form.user()?;
    let mut conn = state.pool.acquire().await?;
    let alignment = db::alignments::get_own(&mut conn, id, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let header = db::pages::chapter_header(&mut conn, alignment.chapter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !db::alignments::delete_pending(&mut conn, id).await? {
        drop(conn);
        let e =
            WorkflowError::Conflict("this alignment was accepted; it is kept as a record".into());
        return refused(&state, user, id, e).await;
    }
    let chapter_href = chapter_path(&header.book_slug, header.number);
    Ok(see_other(&format!("{chapter_href}/align")))
}
