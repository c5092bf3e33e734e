//! `GET /api/chapters` and `GET /api/chapters/{id}/segments`: what there is to translate.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use uuid::Uuid;

use super::{parse_id, ApiUser};
use crate::db;
use crate::db::pages::ChapterHeader;
use crate::db::segments::ChapterSegment;
use crate::web::{AppError, AppState};

/// A chapter in the list, with its progress (retired segments do not count).
#[derive(Serialize)]
struct ChapterJson {
    id: Uuid,
    /// The book's slug.
    book: String,
    number: i32,
    title_th: String,
    title_en: Option<String>,
    segments: i64,
    /// Segments with any English (any status past `untranslated`).
    translated_segments: i64,
    approved_segments: i64,
}

/// Every chapter of every book, in reading order.
pub async fn list_chapters(
    _user: ApiUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.acquire().await?;
    let mut chapters = Vec::new();
    for book in db::books::list_books(&mut conn).await? {
        let progress = db::chapters::chapter_progress(&mut conn, book.id).await?;
        chapters.extend(progress.into_iter().map(|c| ChapterJson {
            id: c.id,
            book: book.slug.clone(),
            number: c.number,
            title_th: c.title_th,
            title_en: c.title_en,
            segments: c.segments,
            translated_segments: c.translated_segments,
            approved_segments: c.approved_segments,
        }));
    }
    Ok(HttpResponse::Ok().json(serde_json::json!({ "chapters": chapters })))
}

#[derive(Serialize)]
struct ChapterHeading {
    id: Uuid,
    book: String,
    number: i32,
    title_th: String,
    title_en: Option<String>,
}

impl From<ChapterHeader> for ChapterHeading {
    fn from(header: ChapterHeader) -> ChapterHeading {
        ChapterHeading {
            id: header.chapter_id,
            book: header.book_slug,
            number: header.number,
            title_th: header.title_th,
            title_en: header.title_en,
        }
    }
}

/// A segment of the chapter with its current English.
#[derive(Serialize)]
struct SegmentRowJson {
    id: Uuid,
    position: i32,
    kind: String,
    thai: String,
    /// The current revision's text; `null` before anyone has written English.
    english: Option<String>,
    status: String,
    current_revision: Option<Uuid>,
    /// The Thai changed under this English since a reviewer last approved it.
    source_changed: bool,
}

impl From<ChapterSegment> for SegmentRowJson {
    fn from(s: ChapterSegment) -> SegmentRowJson {
        SegmentRowJson {
            id: s.id,
            position: s.position,
            kind: s.kind,
            thai: s.source_th,
            english: s.english,
            status: s.status,
            current_revision: s.current_revision_id,
            source_changed: s.source_changed_at.is_some(),
        }
    }
}

/// A chapter's live segments in reading order.
pub async fn list_chapter_segments(
    _user: ApiUser,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let header = db::pages::chapter_header(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let segments = db::segments::list_chapter_segments(&mut conn, id).await?;
    let segments: Vec<SegmentRowJson> = segments.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "chapter": ChapterHeading::from(header),
        "segments": segments,
    })))
}
