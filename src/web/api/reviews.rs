//! `POST /api/segments/{id}/submit` and `POST /api/segments/{id}/review`: asking for
//! review, and the reviewer's decision.
//!
//! Both act on a revision: the one named in the body (`"revision"`), so that nobody submits
//! or approves a text they have not read (409 if it is no longer current), or, left out,
//! the segment's current revision at the time of the request.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::comments::CommentJson;
use super::{actor, optional_json, parse_id, ApiUser};
use crate::db;
use crate::db::reviews::{Review, ReviewEntry};
use crate::web::{AppError, AppState};
use crate::workflow::{self, Verdict, WorkflowError};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    #[serde(default)]
    revision: Option<Uuid>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// `"approve"` or `"request_changes"`.
    verdict: Verdict,
    /// Required to request changes; it opens a thread on the segment.
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    revision: Option<Uuid>,
}

/// A review decision.
#[derive(Debug, Serialize)]
pub struct ReviewJson {
    pub id: Uuid,
    pub revision: Uuid,
    pub reviewer: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewer_name: Option<String>,
    /// `approved` or `changes_requested`.
    pub verdict: String,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<Review> for ReviewJson {
    fn from(r: Review) -> ReviewJson {
        ReviewJson {
            id: r.id,
            revision: r.revision_id,
            reviewer: r.reviewer_id,
            reviewer_name: None,
            verdict: r.verdict,
            comment: r.comment,
            created_at: r.created_at,
        }
    }
}

impl From<ReviewEntry> for ReviewJson {
    fn from(r: ReviewEntry) -> ReviewJson {
        ReviewJson {
            id: r.id,
            revision: r.revision_id,
            reviewer: r.reviewer_id,
            reviewer_name: Some(r.reviewer_name),
            verdict: r.verdict,
            comment: r.comment,
            created_at: r.created_at,
        }
    }
}

/// The revision to act on: the one named, or the current one (422 if there is none).
async fn revision_to_act_on(
    state: &AppState,
    segment_id: Uuid,
    named: Option<Uuid>,
) -> Result<Uuid, AppError> {
    if let Some(id) = named {
        return Ok(id);
    }
    let mut conn = state.pool.acquire().await?;
    match db::segments::current_revision_id(&mut conn, segment_id).await? {
        None => Err(WorkflowError::NotFound("segment").into()),
        Some(None) => Err(WorkflowError::Invalid("this segment has no English yet".into()).into()),
        Some(Some(current)) => Ok(current),
    }
}

/// The segment was found before its revision was looked for, so a missing revision is the
/// one the body named: the request's mistake (422), not a missing page.
fn named_revision_error(e: WorkflowError) -> AppError {
    match e {
        WorkflowError::NotFound("revision") => {
            AppError::Unprocessable("revision is not a revision of this segment".into())
        }
        other => other.into(),
    }
}

/// 200 `{"status": "submitted", "revision": …}`. The body may be left out.
pub async fn submit(
    user: ApiUser,
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let segment_id = parse_id(&id)?;
    let body: SubmitRequest = optional_json(&request, &body)?;
    let revision = revision_to_act_on(&state, segment_id, body.revision).await?;
    let mut conn = state.pool.acquire().await?;
    let status = workflow::submit(&mut conn, &actor(&user), segment_id, revision)
        .await
        .map_err(named_revision_error)?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "status": status.as_str(),
        "revision": revision,
    })))
}

/// 200 with the new status, the decision, and the thread its comment opened (if any).
pub async fn review(
    user: ApiUser,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<ReviewRequest>,
) -> Result<HttpResponse, AppError> {
    let segment_id = parse_id(&id)?;
    let revision = revision_to_act_on(&state, segment_id, body.revision).await?;
    let mut conn = state.pool.acquire().await?;
    let outcome = workflow::review(
        &mut conn,
        &actor(&user),
        segment_id,
        revision,
        body.verdict,
        body.comment.as_deref(),
    )
    .await
    .map_err(named_revision_error)?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "status": outcome.status.as_str(),
        "review": ReviewJson::from(outcome.review),
        "comment": outcome.comment.map(CommentJson::from),
    })))
}
