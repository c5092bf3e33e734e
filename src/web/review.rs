//! Reviewing: approve or request changes (from a segment's page or the queue), and the
//! review queue, `/review`: the book's submitted segments, oldest submission first,
//! filterable by chapter, with the decision forms beside each. Reviewers and admins only;
//! the workflow's refusals (self-approval, no comment) are shown as messages.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::chrome::Chrome;
use super::csrf::CsrfForm;
use super::footnotes::{split_footnotes, Part};
use super::notice::{refusal, see_other, Done, Notice, When};
use super::page::{render_with_status, segment_path};
use super::segments::{actor_of, segment_id, show_again, Typed};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::reviews::QueueItem;
use crate::workflow::{self, DiffOp, Verdict};

pub const QUEUE_PATH: &str = "/review";
/// Submissions per queue page.
const PAGE_SIZE: i64 = 50;

#[derive(Deserialize)]
pub struct ReviewForm {
    pub revision: String,
    /// `approve` or `request_changes`.
    pub verdict: String,
    #[serde(default)]
    pub comment: String,
    /// `queue`: come back to the queue (with its chapter filter) rather than the segment.
    #[serde(default)]
    pub back: String,
    #[serde(default)]
    pub chapter: String,
}

pub async fn review(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<ReviewForm>,
) -> Result<HttpResponse, AppError> {
    let id = segment_id(&path)?;
    let user = form.user()?;
    user.require(user.role.can_review())?;
    let revision = Uuid::parse_str(form.revision.trim())
        .map_err(|_| AppError::BadRequest("the form names no revision".into()))?;
    let verdict = match form.verdict.as_str() {
        "approve" => Verdict::Approve,
        "request_changes" => Verdict::RequestChanges,
        _ => return Err(AppError::BadRequest("approve or request changes?".into())),
    };
    let comment = Some(form.comment.as_str()).filter(|c| !c.trim().is_empty());
    let mut conn = state.pool.acquire().await?;
    let decided =
        workflow::review(&mut conn, &actor_of(user), id, revision, verdict, comment).await;
    drop(conn);
    let chapter = form.chapter.trim().parse::<i32>().ok();
    let from_queue = form.back == "queue";
    match decided {
        Ok(outcome) => {
            let done = match outcome.status {
                workflow::Status::Approved => "approved",
                _ => "changes_requested",
            };
            Ok(see_other(&match from_queue {
                true => format!("{}&done={done}", queue_href(chapter)),
                false => format!("{}?done={done}", segment_path(id)),
            }))
        }
        Err(e) => {
            let (status, notice) = refusal(e)?;
            match from_queue {
                true => {
                    let typed = QueueTyped {
                        segment: id,
                        comment: form.comment.clone(),
                    };
                    queue_page(&state, user, chapter, 0, Some(notice), Some(typed), status).await
                }
                false => {
                    let typed = Typed {
                        notice: Some(notice),
                        review_comment: Some(form.comment.clone()),
                        ..Typed::default()
                    };
                    show_again(&state, id, user, status, typed).await
                }
            }
        }
    }
}

fn queue_href(chapter: Option<i32>) -> String {
    match chapter {
        Some(n) => format!("{QUEUE_PATH}?chapter={n}"),
        None => format!("{QUEUE_PATH}?chapter="),
    }
}

#[derive(Template)]
#[template(path = "review/queue.html", whitespace = "minimize")]
pub struct QueuePage<'a> {
    pub chrome: Chrome,
    pub csrf: String,
    pub notice: Option<Notice>,
    /// Chapters to filter by: number and Thai title.
    pub chapters: Vec<(i32, String)>,
    pub chapter: Option<i32>,
    pub items: Vec<QueueView<'a>>,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

impl QueuePage<'_> {
    pub fn is_chapter(&self, number: &i32) -> bool {
        self.chapter == Some(*number)
    }

    pub fn chapter_value(&self) -> String {
        self.chapter.map(|n| n.to_string()).unwrap_or_default()
    }
}

pub struct QueueView<'a> {
    pub item: &'a QueueItem,
    pub href: String,
    pub thai: Vec<Part<'a>>,
    pub submitted_at: When,
    /// An edit of approved text: the difference from the approved text.
    pub diff: Option<Vec<DiffOp>>,
    /// A request-changes comment typed and refused, shown again.
    pub comment: String,
}

/// What a reviewer typed in the queue, shown again with a refusal.
struct QueueTyped {
    segment: Uuid,
    comment: String,
}

#[derive(Deserialize, Default)]
struct QueueQuery {
    chapter: Option<String>,
    page: Option<String>,
}

pub async fn show_queue(
    request: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    user.require(user.role.can_review())?;
    let q: QueueQuery = serde_urlencoded::from_str(request.query_string()).unwrap_or_default();
    let chapter = q.chapter.as_deref().and_then(|c| c.trim().parse().ok());
    let page = q
        .page
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(0)
        .clamp(0, 10_000);
    let notice = Done::from_query(request.query_string()).notice();
    queue_page(&state, &user, chapter, page, notice, None, StatusCode::OK).await
}

async fn queue_page(
    state: &AppState,
    user: &CurrentUser,
    chapter: Option<i32>,
    page: i64,
    notice: Option<Notice>,
    typed: Option<QueueTyped>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.acquire().await?;
    let mut chapters = Vec::new();
    let mut items = Vec::new();
    // In practice one book; the queue covers every book, one after the other.
    for book in db::books::list_books(&mut conn).await? {
        let progress = db::chapters::chapter_progress(&mut conn, book.id).await?;
        chapters.extend(progress.into_iter().map(|c| (c.number, c.title_th)));
        let found =
            db::reviews::review_queue(&mut conn, book.id, chapter, PAGE_SIZE + 1, page * PAGE_SIZE)
                .await?;
        items.extend(found);
    }
    drop(conn);
    let more = items.len() as i64 > PAGE_SIZE;
    items.truncate(PAGE_SIZE as usize);
    let page_href = |p: i64| {
        let chapter = chapter.map(|n| n.to_string()).unwrap_or_default();
        format!("{QUEUE_PATH}?chapter={chapter}&page={p}")
    };
    let views = items
        .iter()
        .map(|item| QueueView {
            item,
            href: segment_path(item.segment_id),
            thai: split_footnotes(&item.thai_excerpt),
            submitted_at: When(item.submitted_at),
            diff: item
                .approved_text
                .as_deref()
                .map(|approved| workflow::diff_words(approved, &item.submitted_text)),
            comment: typed
                .as_ref()
                .filter(|t| t.segment == item.segment_id)
                .map(|t| t.comment.clone())
                .unwrap_or_default(),
        })
        .collect();
    let page = QueuePage {
        chrome: Chrome::for_user(Some(user)),
        csrf: user.csrf_token().unwrap_or_default().to_string(),
        notice,
        chapters,
        chapter,
        items: views,
        prev_href: (page > 0).then(|| page_href(page - 1)),
        next_href: more.then(|| page_href(page + 1)),
    };
    let mut response = render_with_status(status, &page)?;
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}
