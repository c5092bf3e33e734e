//! `GET /api/search?q=&chapter=&status=&words=1`: the concordance as JSON (the page is
//! `web::search`), and `GET /api/segments/{id}/tm`: a segment's translation-memory matches
//! (the editor's panel is `web::tm`). Signed-in users, like every API read: the current
//! English, drafts included.

use actix_web::{web, HttpResponse};
use serde_json::json;

use super::{parse_id, ApiUser};
use crate::db;
use crate::web::search::{self, SearchParams};
use crate::web::{AppError, AppState};

pub async fn search(
    _user: ApiUser,
    state: web::Data<AppState>,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, AppError> {
    let checked = params.check().map_err(AppError::Unprocessable)?;
    let Some(query) = &checked.query else {
        return Err(AppError::Unprocessable(
            "q is empty: give a Thai or English word or phrase to look for".into(),
        ));
    };
    let mut conn = state.pool.acquire().await?;
    let (hits, total) = search::run(&mut conn, &checked, query, true).await?;
    Ok(HttpResponse::Ok().json(json!({
        "query": query.text,
        "total": total,
        "shown": hits.len(),
        "hits": hits,
    })))
}

pub async fn segment_tm(
    _user: ApiUser,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let segment = db::segments::get_segment_in_context(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let panel = crate::web::tm::load_matches(&mut conn, id, &segment.source_th).await?;
    Ok(HttpResponse::Ok().json(panel))
}
