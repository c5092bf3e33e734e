//! Comment threads on a segment's page: start a thread, reply, edit one's own comment,
//! resolve and reopen a thread. Bodies are plain text; links are made clickable with
//! `workflow::linkify` and everything else is escaped (never `|safe`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use uuid::Uuid;

use super::csrf::CsrfForm;
use super::notice::{refusal, see_other, When};
use super::page::segment_path;
use super::segments::{actor_of, segment_id, show_again, CommentForm, Typed};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::comments::CommentEntry;
use crate::workflow::{self, linkify, TextPart, Thread, WorkflowError};

/// A segment's threads as its page shows them.
pub struct ThreadsView<'a> {
    pub threads: Vec<ThreadView<'a>>,
    /// Text typed into the form for a new thread, shown again after a refusal.
    pub new_thread: String,
    /// Text typed into a reply or edit form, shown again (that form is open).
    pub typed: Option<(CommentForm, String)>,
}

pub struct ThreadView<'a> {
    pub first: CommentView<'a>,
    pub replies: Vec<CommentView<'a>>,
    pub open: bool,
    pub resolved: Option<(When, &'a str)>,
}

pub struct CommentView<'a> {
    pub id: Uuid,
    pub author: &'a str,
    /// The viewer wrote it: they may edit it.
    pub mine: bool,
    pub body: &'a str,
    pub parts: Vec<TextPart>,
    pub when: When,
    pub edited: bool,
    /// The review decision the comment explains.
    pub verdict: Option<&'static str>,
}

impl<'a> CommentView<'a> {
    fn new(entry: &'a CommentEntry, viewer: Uuid) -> CommentView<'a> {
        CommentView {
            id: entry.id,
            author: &entry.author_name,
            mine: entry.author_id == viewer,
            body: &entry.body,
            parts: linkify(&entry.body),
            when: When(entry.created_at),
            edited: entry.edited_at.is_some(),
            verdict: match entry.review_verdict.as_deref() {
                Some("changes_requested") => Some("Requested changes"),
                Some("approved") => Some("Approved"),
                _ => None,
            },
        }
    }
}

impl<'a> ThreadsView<'a> {
    pub fn new(
        threads: &'a [Thread],
        viewer: &CurrentUser,
        typed: Option<(CommentForm, String)>,
    ) -> ThreadsView<'a> {
        let (new_thread, typed) = match typed {
            Some((CommentForm::NewThread, text)) => (text, None),
            other => (String::new(), other),
        };
        ThreadsView {
            threads: threads
                .iter()
                .map(|thread| ThreadView {
                    first: CommentView::new(&thread.first, viewer.id),
                    replies: thread
                        .replies
                        .iter()
                        .map(|reply| CommentView::new(reply, viewer.id))
                        .collect(),
                    open: thread.is_open(),
                    resolved: thread.first.resolved_at.map(|at| {
                        (
                            When(at),
                            thread.first.resolver_name.as_deref().unwrap_or(""),
                        )
                    }),
                })
                .collect(),
            new_thread,
            typed,
        }
    }

    pub fn open_count(&self) -> usize {
        self.threads.iter().filter(|t| t.open).count()
    }

    /// What was typed into the reply form of this thread (empty if nothing).
    pub fn reply_text(&self, thread: &Uuid) -> &str {
        match &self.typed {
            Some((CommentForm::Reply(id), text)) if id == thread => text,
            _ => "",
        }
    }

    /// What the edit form of this comment holds: the text typed after a refusal, or the
    /// comment as it is.
    pub fn edit_text<'b>(&'b self, comment: &'b CommentView<'_>) -> &'b str {
        match &self.typed {
            Some((CommentForm::Edit(id), text)) if *id == comment.id => text,
            _ => comment.body,
        }
    }

    /// Whether this thread's reply form was the one refused (it is shown open).
    pub fn reply_typed(&self, thread: &Uuid) -> bool {
        matches!(&self.typed, Some((CommentForm::Reply(id), _)) if id == thread)
    }

    /// Whether this comment's edit form was the one refused (it is shown open).
    pub fn edit_typed(&self, comment: &Uuid) -> bool {
        matches!(&self.typed, Some((CommentForm::Edit(id), _)) if id == comment)
    }
}

#[derive(Deserialize)]
pub struct CommentBody {
    pub body: String,
    /// The thread answered; empty for a new thread.
    #[serde(default)]
    pub reply_to: String,
}

fn optional_id(raw: &str) -> Result<Option<Uuid>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        id => Uuid::parse_str(id)
            .map(Some)
            .map_err(|_| AppError::BadRequest("the form names no valid comment".into())),
    }
}

/// Starts a thread or replies to one.
pub async fn add_comment(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<CommentBody>,
) -> Result<HttpResponse, AppError> {
    let id = segment_id(&path)?;
    let user = form.user()?;
    let reply_to = optional_id(&form.reply_to)?;
    let mut conn = state.pool.acquire().await?;
    let result = workflow::add_comment(&mut conn, &actor_of(user), id, reply_to, &form.body).await;
    drop(conn);
    match result {
        Ok(comment) => Ok(see_other(&format!(
            "{}?done=commented#c-{}",
            segment_path(id),
            comment.id
        ))),
        Err(e) => {
            let target = reply_to.map_or(CommentForm::NewThread, CommentForm::Reply);
            refused(&state, id, user, e, target, &form.body).await
        }
    }
}

#[derive(Deserialize)]
pub struct EditBody {
    pub body: String,
}

/// Replaces the body of one's own comment.
pub async fn edit_comment(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<EditBody>,
) -> Result<HttpResponse, AppError> {
    let comment_id = segment_id(&path)?;
    let user = form.user()?;
    let mut conn = state.pool.acquire().await?;
    let segment = segment_of(&mut conn, comment_id).await?;
    let result = workflow::edit_comment(&mut conn, &actor_of(user), comment_id, &form.body).await;
    drop(conn);
    match result {
        Ok(_) => Ok(see_other(&format!(
            "{}?done=comment_edited#c-{comment_id}",
            segment_path(segment)
        ))),
        Err(e) => {
            let target = CommentForm::Edit(comment_id);
            refused(&state, segment, user, e, target, &form.body).await
        }
    }
}

#[derive(Deserialize)]
pub struct Nothing {}

pub async fn resolve_comment(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    set_resolved(&state, &path, form.user()?, true).await
}

pub async fn reopen_comment(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    set_resolved(&state, &path, form.user()?, false).await
}

async fn set_resolved(
    state: &AppState,
    path: &str,
    user: &CurrentUser,
    resolved: bool,
) -> Result<HttpResponse, AppError> {
    let comment_id = segment_id(path)?;
    let actor = actor_of(user);
    let mut conn = state.pool.acquire().await?;
    let segment = segment_of(&mut conn, comment_id).await?;
    let result = match resolved {
        true => workflow::resolve_comment(&mut conn, &actor, comment_id).await,
        false => workflow::reopen_comment(&mut conn, &actor, comment_id).await,
    };
    drop(conn);
    let done = if resolved { "resolved" } else { "reopened" };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "{}?done={done}#c-{comment_id}",
            segment_path(segment)
        ))),
        Err(e) => {
            let (status, notice) = refusal(e)?;
            let typed = Typed {
                notice: Some(notice),
                ..Typed::default()
            };
            show_again(state, segment, user, status, typed).await
        }
    }
}

/// The segment a comment is on.
async fn segment_of(conn: &mut sqlx::PgConnection, comment_id: Uuid) -> Result<Uuid, AppError> {
    db::comments::get_comment(conn, comment_id)
        .await?
        .map(|c| c.segment_id)
        .ok_or(AppError::NotFound)
}

/// The segment's page again with the comment form's text and the reason.
async fn refused(
    state: &AppState,
    segment: Uuid,
    user: &CurrentUser,
    e: WorkflowError,
    target: CommentForm,
    body: &str,
) -> Result<HttpResponse, AppError> {
    let (status, notice): (StatusCode, _) = refusal(e)?;
    let typed = Typed {
        notice: Some(notice),
        comment: Some((target, body.to_string())),
        ..Typed::default()
    };
    show_again(state, segment, user, status, typed).await
}
