//! A segment's own page. Readers see where it is, its Thai and its English (the approved
//! text while an edit of it waits for review). Signed-in users get the editor: the English
//! in a text area (with the revision it starts from, hidden, so a concurrent save is caught),
//! save and submit, the claim, the review forms for reviewers, and the comment threads.
//!
//! The POST handlers of the other files show a refused action on this page again, with the
//! reason and what the user typed ([`Typed`], [`show_again`]).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use uuid::Uuid;

use super::chapters::ClaimClock;
use super::checks::{QualityData, QualityPanel};
use super::chrome::Chrome;
use super::comments::ThreadsView;
use super::display::{Kind, Status};
use super::footnotes::{split_footnotes, Part};
use super::notice::{Done, Notice, When};
use super::page::{chapter_path, render_with_status, segment_path};
use super::restructure::{SourceTools, SourceView};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::pages::ChapterHeader;
use crate::db::segments::SegmentInContext;
use crate::db::workspace::SegmentState;
use crate::workflow::{self, Actor, DiffOp, Thread};

/// Everything a segment's page is made from.
pub struct SegmentData {
    pub segment: SegmentInContext,
    pub header: ChapterHeader,
    pub state: SegmentState,
    /// Comment threads (signed-in users only).
    pub threads: Vec<Thread>,
    pub settings: db::settings::Settings,
    /// Corrections, merges and splits (signed-in users only).
    pub source: SourceTools,
    /// Translation-memory matches (signed-in users, live segments).
    pub tm: Option<super::tm::TmPanel>,
    /// Glossary terms, dismissals and the book's ratio for the checks (signed-in users).
    pub quality: Option<QualityData>,
}

impl SegmentData {
    pub async fn load(
        conn: &mut sqlx::PgConnection,
        id: Uuid,
        signed_in: bool,
    ) -> Result<SegmentData, AppError> {
        let segment = db::segments::get_segment_in_context(conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let header = db::pages::chapter_header(conn, segment.chapter_id)
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("segment {id} has no chapter")))?;
        let state = db::workspace::segment_state(conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (threads, settings) = match signed_in {
            true => (
                workflow::threads(db::comments::list_comments(conn, id).await?),
                db::settings::get_settings(conn).await?,
            ),
            false => (Vec::new(), db::settings::Settings::default()),
        };
        let source = match signed_in {
            true => {
                let (thai, english) = (&segment.source_th, segment.english.as_deref());
                SourceTools::load(conn, id, thai, english).await?
            }
            false => SourceTools::default(),
        };
        let tm = match signed_in && segment.retired_at.is_none() {
            true => Some(super::tm::load_matches(conn, id, &segment.source_th).await?),
            false => None,
        };
        let quality = match signed_in {
            true => {
                Some(QualityData::load(conn, id, segment.chapter_id, &segment.source_th).await?)
            }
            false => None,
        };
        Ok(SegmentData {
            segment,
            header,
            state,
            threads,
            settings,
            source,
            tm,
            quality,
        })
    }
}

/// What a user typed into one of the page's forms, shown again with a refusal.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub notice: Option<Notice>,
    /// The editor's text and the revision it was based on.
    pub english: Option<(String, Option<Uuid>)>,
    pub next_untranslated: bool,
    pub review_comment: Option<String>,
    pub comment: Option<(CommentForm, String)>,
    /// The Thai correction form's text and reason.
    pub correction: Option<(String, String)>,
}

/// Which comment form a text was typed into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentForm {
    NewThread,
    Reply(Uuid),
    Edit(Uuid),
}

#[derive(Template)]
#[template(path = "segments/show.html", whitespace = "minimize")]
pub struct SegmentPage<'a> {
    pub chrome: Chrome,
    pub header: &'a ChapterHeader,
    pub id: Uuid,
    pub chapter_href: String,
    /// The chapter page, scrolled to this segment's row.
    pub row_href: String,
    /// 1-based place among the chapter's live segments; `None` once retired.
    pub ordinal: Option<i64>,
    /// How many live segments the chapter has.
    pub live_total: i64,
    pub kind: Kind,
    pub status: Status,
    pub source_changed: bool,
    pub thai: Vec<Part<'a>>,
    /// What readers see: the approved text while an edit of it waits for review.
    pub english: Option<Vec<Part<'a>>>,
    /// An edit of the approved text waits for review.
    pub edit_pending: bool,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub notice: Option<Notice>,
    /// The editor and everything else for signed-in users.
    pub work: Option<Workbench<'a>>,
    /// Glossary terms and quality checks (signed-in users).
    pub quality: Option<QualityPanel<'a>>,
}

/// The signed-in part of the page.
pub struct Workbench<'a> {
    pub csrf: String,
    pub retired: bool,
    /// The revision the editor starts from (hidden in the form).
    pub base: Option<Uuid>,
    pub text: String,
    pub next_untranslated: bool,
    /// Saving sends the text to review by itself (it is submitted or approved).
    pub saving_submits: bool,
    pub current_author: Option<&'a str>,
    pub current_when: Option<When>,
    pub submitted: Option<(When, &'a str)>,
    /// The approved text and the difference to the edit waiting for review.
    pub pending: Option<PendingEdit<'a>>,
    pub claim: Option<ClaimView<'a>>,
    pub review: Option<ReviewBox>,
    pub threads: ThreadsView<'a>,
    pub history_href: String,
    pub source: SourceView<'a>,
    pub tm: Option<&'a super::tm::TmPanel>,
}

pub struct PendingEdit<'a> {
    pub approved: &'a str,
    pub current: &'a str,
    pub diff: Vec<DiffOp>,
}

pub struct ClaimView<'a> {
    pub holder: &'a str,
    pub until: When,
    pub mine: bool,
    pub may_release: bool,
}

/// A reviewer's forms, on a submitted segment.
pub struct ReviewBox {
    pub revision_id: Uuid,
    /// The reviewer wrote this revision and self-approval is off: the workflow will refuse.
    pub own_revision: bool,
    pub comment: String,
}

impl<'a> SegmentPage<'a> {
    pub fn new(
        data: &'a SegmentData,
        user: Option<&'a CurrentUser>,
        typed: Typed,
    ) -> SegmentPage<'a> {
        let (segment, header, state) = (&data.segment, &data.header, &data.state);
        let chapter_href = chapter_path(&header.book_slug, header.number);
        let status = Status::parse(&segment.status);
        let reader_text = state
            .approved_english
            .as_deref()
            .or(segment.english.as_deref());
        let reader_status = match state.approved_english {
            Some(_) => Status::Approved,
            None => status,
        };
        let work = user.map(|user| Workbench::new(data, user, &typed));
        let quality = user.zip(data.quality.as_ref()).map(|(user, quality)| {
            QualityPanel::new(
                quality,
                segment.id,
                &segment.source_th,
                segment.english.as_deref(),
                user,
            )
        });
        SegmentPage {
            chrome: Chrome::for_user(user),
            header,
            id: segment.id,
            row_href: format!("{chapter_href}#s-{}", segment.id),
            chapter_href,
            ordinal: segment.ordinal,
            live_total: segment.live_total,
            kind: Kind::parse(&segment.kind),
            status: if work.is_some() {
                status
            } else {
                reader_status
            },
            source_changed: segment.source_changed_at.is_some(),
            thai: split_footnotes(&segment.source_th),
            english: reader_text.map(split_footnotes),
            edit_pending: state.approved_english.is_some(),
            prev_href: segment.prev_id.map(segment_path),
            next_href: segment.next_id.map(segment_path),
            notice: typed.notice,
            work,
            quality,
        }
    }
}

impl<'a> Workbench<'a> {
    fn new(data: &'a SegmentData, user: &'a CurrentUser, typed: &Typed) -> Workbench<'a> {
        let (segment, state) = (&data.segment, &data.state);
        let status = Status::parse(&segment.status);
        let (text, base) = match &typed.english {
            Some((text, base)) => (text.clone(), *base),
            None => (
                segment.english.clone().unwrap_or_default(),
                segment.current_revision_id,
            ),
        };
        let clock = ClaimClock {
            now: state.db_now,
            expiry: workflow::claim_expiry(&data.settings),
        };
        let actor = Actor {
            user_id: user.id,
            role: user.role,
        };
        let claim = match (state.claim_user_id, state.claim_last_activity_at) {
            (Some(holder), Some(last)) if workflow::is_live(last, clock.now, clock.expiry) => {
                Some(ClaimView {
                    holder: state.claim_holder.as_deref().unwrap_or_default(),
                    until: When(workflow::expires_at(last, clock.expiry)),
                    mine: holder == user.id,
                    may_release: workflow::may_release(&actor, holder).is_ok(),
                })
            }
            _ => None,
        };
        let pending = match (&state.approved_english, &segment.english) {
            (Some(approved), Some(current)) => Some(PendingEdit {
                approved,
                current,
                diff: workflow::diff_words(approved, current),
            }),
            _ => None,
        };
        let review = match (status, segment.current_revision_id) {
            (Status::Submitted, Some(revision_id)) if user.role.can_review() => Some(ReviewBox {
                revision_id,
                own_revision: state.current_author_id == Some(user.id)
                    && !data.settings.allow_self_approval,
                comment: typed.review_comment.clone().unwrap_or_default(),
            }),
            _ => None,
        };
        Workbench {
            csrf: user.csrf_token().unwrap_or_default().to_string(),
            retired: segment.retired_at.is_some(),
            base,
            text,
            next_untranslated: typed.next_untranslated,
            saving_submits: matches!(status, Status::Submitted | Status::Approved),
            current_author: state.current_author_name.as_deref(),
            current_when: state.current_created_at.map(When),
            submitted: state
                .submitted_at
                .zip(state.submitter_name.as_deref())
                .map(|(at, by)| (When(at), by)),
            pending,
            claim,
            review,
            threads: ThreadsView::new(&data.threads, user, typed.comment.clone()),
            history_href: format!("{}/history", segment_path(segment.id)),
            source: SourceView::new(
                &data.source,
                user,
                &segment.source_th,
                typed.correction.as_ref(),
            ),
            tm: data.tm.as_ref(),
        }
    }
}

pub async fn show_segment(
    request: HttpRequest,
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let mut conn = state.pool.acquire().await?;
    let data = SegmentData::load(&mut conn, id, user.is_some()).await?;
    // "Insert" from the translation memory: its English in the editor, not yet saved.
    let inserted = match (&user, super::tm::requested(request.query_string())) {
        (Some(_), Some(reference)) => super::tm::target_of(&mut conn, &reference).await?,
        _ => None,
    };
    drop(conn);
    let typed = Typed {
        notice: user
            .as_ref()
            .and_then(|_| Done::from_query(request.query_string()).notice())
            .or_else(|| inserted.as_ref().map(|_| super::tm::inserted_notice())),
        english: inserted.map(|text| (text, data.segment.current_revision_id)),
        ..Typed::default()
    };
    let page = SegmentPage::new(&data, user.as_ref(), typed);
    let mut response = render_with_status(StatusCode::OK, &page)?;
    if user.is_some() {
        response.headers_mut().insert(
            actix_web::http::header::CACHE_CONTROL,
            actix_web::http::header::HeaderValue::from_static("private, no-cache"),
        );
    }
    Ok(response)
}

/// The segment's page again, with a refusal and what the user typed, under `status`.
pub async fn show_again(
    state: &AppState,
    id: Uuid,
    user: &CurrentUser,
    status: StatusCode,
    typed: Typed,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.acquire().await?;
    let data = SegmentData::load(&mut conn, id, true).await?;
    drop(conn);
    render_with_status(status, &SegmentPage::new(&data, Some(user), typed))
}

/// The user of a form, as a workflow actor; 401 if nobody is signed in.
pub fn actor_of(user: &CurrentUser) -> Actor {
    Actor {
        user_id: user.id,
        role: user.role,
    }
}

/// A segment id from the path; a malformed one is no page at all.
pub fn segment_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}
