//! `POST /api/segments/{id}/revisions`: saving English text, and the revision as JSON.
//!
//! A save names the revision it was edited from (`base_revision`; left out or `null` when
//! the segment had no English). If someone saved since, the new text is stored anyway, in
//! the history, and the answer is a 409 with both texts (`workflow::save_draft`): nothing
//! is lost, and the client decides (save a merge based on `theirs`, or keep theirs).

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{actor, parse_id, segment_location, ApiUser};
use crate::db::revisions::{HistoryEntry, Revision};
use crate::web::{AppError, AppState};
use crate::workflow::{SaveOutcome, WorkflowError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveRequest {
    text: String,
    /// The revision the text was edited from: the segment's `current_revision` as read.
    #[serde(default)]
    base_revision: Option<Uuid>,
}

/// A revision: one text a segment had.
#[derive(Debug, Serialize)]
pub struct RevisionJson {
    pub id: Uuid,
    pub segment: Uuid,
    pub text: String,
    /// The user who wrote it; `null` for text the system wrote (an import).
    pub author: Option<Uuid>,
    /// Their display name (in a history; not in a save's answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    pub base_revision: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// Where the text came from when it was not typed ("restored from …").
    pub note: Option<String>,
    pub restored_from: Option<Uuid>,
    /// In a history: whether it is the segment's current text, and the approved one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved: Option<bool>,
}

impl From<Revision> for RevisionJson {
    fn from(r: Revision) -> RevisionJson {
        RevisionJson {
            id: r.id,
            segment: r.segment_id,
            text: r.text,
            author: r.author_id,
            author_name: None,
            base_revision: r.base_revision_id,
            created_at: r.created_at,
            note: r.note,
            restored_from: r.restored_from_id,
            current: None,
            approved: None,
        }
    }
}

impl RevisionJson {
    /// An entry of `segment`'s history.
    pub fn in_history(segment: Uuid, r: HistoryEntry) -> RevisionJson {
        RevisionJson {
            id: r.id,
            segment,
            text: r.text,
            author: r.author_id,
            author_name: r.author_name,
            base_revision: r.base_revision_id,
            created_at: r.created_at,
            note: r.note,
            restored_from: r.restored_from_id,
            current: Some(r.is_current),
            approved: Some(r.is_approved),
        }
    }
}

/// 201 with the new current revision; 200 if the text was already the current text; 409
/// with `mine` (stored, not current) and `theirs` (current) if someone saved since
/// `base_revision`.
pub async fn save_revision(
    user: ApiUser,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<SaveRequest>,
) -> Result<HttpResponse, AppError> {
    let segment_id = parse_id(&id)?;
    let saved = state
        .saves
        .save_draft(&actor(&user), segment_id, &body.text, body.base_revision)
        .await;
    let outcome = match saved {
        // The segment exists (it was found first), so a missing revision is the body's.
        Err(WorkflowError::NotFound("revision")) => {
            return Err(AppError::Unprocessable(
                "base_revision is not a revision of this segment".into(),
            ))
        }
        other => other?,
    };
    Ok(match outcome {
        SaveOutcome::Saved(revision) => HttpResponse::Created()
            .insert_header(segment_location(segment_id))
            .json(serde_json::json!({
                "outcome": "saved",
                "revision": RevisionJson::from(revision),
            })),
        SaveOutcome::Unchanged(revision) => HttpResponse::Ok().json(serde_json::json!({
            "outcome": "unchanged",
            "revision": RevisionJson::from(revision),
        })),
        SaveOutcome::Conflict { mine, theirs } => {
            HttpResponse::Conflict().json(serde_json::json!({
                "error": "someone saved this segment since your base_revision: your text is kept \
                          in its history, theirs is still current",
                "outcome": "conflict",
                "mine": RevisionJson::from(mine),
                "theirs": RevisionJson::from(theirs),
            }))
        }
    })
}
