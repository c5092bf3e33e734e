//! `POST /api/segments/{id}/comments`: starting a thread on a segment, or replying in one.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{actor, parse_id, segment_location, ApiUser};
use crate::db::comments::{Comment, CommentEntry};
use crate::web::{AppError, AppState};
use crate::workflow::{self, WorkflowError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    /// Plain text, as written (never HTML).
    body: String,
    /// A comment of this segment to answer: the reply joins that comment's thread.
    #[serde(default)]
    reply_to: Option<Uuid>,
}

/// A comment. Threads are one level deep: `reply_to` is the thread's first comment.
#[derive(Debug, Serialize)]
pub struct CommentJson {
    pub id: Uuid,
    pub reply_to: Option<Uuid>,
    pub author: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    pub body: String,
    /// The review decision this comment explains.
    pub review: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// When a thread was resolved, and by whom (always `null` on replies).
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<Uuid>,
}

impl From<Comment> for CommentJson {
    fn from(c: Comment) -> CommentJson {
        CommentJson {
            id: c.id,
            reply_to: c.parent_id,
            author: c.author_id,
            author_name: None,
            body: c.body,
            review: c.review_id,
            created_at: c.created_at,
            edited_at: c.edited_at,
            resolved_at: c.resolved_at,
            resolved_by: c.resolved_by,
        }
    }
}

impl From<CommentEntry> for CommentJson {
    fn from(c: CommentEntry) -> CommentJson {
        CommentJson {
            id: c.id,
            reply_to: c.parent_id,
            author: c.author_id,
            author_name: Some(c.author_name),
            body: c.body,
            review: c.review_id,
            created_at: c.created_at,
            edited_at: c.edited_at,
            resolved_at: c.resolved_at,
            resolved_by: c.resolved_by,
        }
    }
}

/// 201 with the comment.
pub async fn add_comment(
    user: ApiUser,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<CommentRequest>,
) -> Result<HttpResponse, AppError> {
    let segment_id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let added = workflow::add_comment(
        &mut conn,
        &actor(&user),
        segment_id,
        body.reply_to,
        &body.body,
    )
    .await;
    let comment = match added {
        // The segment was found first: the comment missing is the one `reply_to` names.
        Err(WorkflowError::NotFound("comment")) => {
            return Err(AppError::Unprocessable(
                "reply_to is not a comment of this segment".into(),
            ))
        }
        other => other?,
    };
    Ok(HttpResponse::Created()
        .insert_header(segment_location(segment_id))
        .json(CommentJson::from(comment)))
}
