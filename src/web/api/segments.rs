//! `GET /api/segments/{id}`: one segment with everything that happened to it.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use uuid::Uuid;

use super::comments::CommentJson;
use super::reviews::ReviewJson;
use super::revisions::RevisionJson;
use super::{parse_id, ApiUser};
use crate::db;
use crate::web::{AppError, AppState};

#[derive(Serialize)]
struct SegmentJson {
    id: Uuid,
    chapter: Uuid,
    chapter_number: i32,
    /// 1-based place among the chapter's live segments; `null` once retired.
    ordinal: Option<i64>,
    kind: String,
    thai: String,
    english: Option<String>,
    status: String,
    current_revision: Option<Uuid>,
    /// The text a reviewer approved (readers see it while an edit waits for review).
    approved_revision: Option<Uuid>,
    source_changed: bool,
    /// Gone from the source text; kept for its English.
    retired: bool,
    /// Newest first.
    history: Vec<RevisionJson>,
    /// Review decisions, newest first.
    reviews: Vec<ReviewJson>,
    /// Comments in thread order: each thread's first comment, then its replies.
    comments: Vec<CommentJson>,
}

pub async fn show_segment(
    _user: ApiUser,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let segment = db::segments::get_segment_in_context(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let history = db::revisions::list_history(&mut conn, id).await?;
    let reviews = db::reviews::list_reviews(&mut conn, id).await?;
    let comments = db::comments::list_comments(&mut conn, id).await?;
    drop(conn);
    let approved_revision = history.iter().find(|r| r.is_approved).map(|r| r.id);
    Ok(HttpResponse::Ok().json(SegmentJson {
        id: segment.id,
        chapter: segment.chapter_id,
        chapter_number: segment.chapter_number,
        ordinal: segment.ordinal,
        kind: segment.kind,
        thai: segment.source_th,
        english: segment.english,
        status: segment.status,
        current_revision: segment.current_revision_id,
        approved_revision,
        source_changed: segment.source_changed_at.is_some(),
        retired: segment.retired_at.is_some(),
        history: history
            .into_iter()
            .map(|r| RevisionJson::in_history(id, r))
            .collect(),
        reviews: reviews.into_iter().map(Into::into).collect(),
        comments: comments.into_iter().map(Into::into).collect(),
    }))
}
