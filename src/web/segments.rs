//! A segment's own page: where it is in its chapter, its Thai and its English.

use actix_web::{web, HttpResponse};
use askama::Template;
use uuid::Uuid;

use super::chrome::Chrome;
use super::display::{Kind, Status};
use super::footnotes::{split_footnotes, Part};
use super::page::{chapter_path, render, segment_path};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::pages::ChapterHeader;
use crate::db::segments::SegmentInContext;

#[derive(Template)]
#[template(path = "segments/show.html", whitespace = "minimize")]
pub struct SegmentPage<'a> {
    pub chrome: Chrome,
    pub header: &'a ChapterHeader,
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
    pub english: Option<Vec<Part<'a>>>,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

impl<'a> SegmentPage<'a> {
    pub fn new(header: &'a ChapterHeader, segment: &'a SegmentInContext) -> SegmentPage<'a> {
        let chapter_href = chapter_path(&header.book_slug, header.number);
        SegmentPage {
            chrome: Chrome::Anonymous,
            header,
            row_href: format!("{chapter_href}#s-{}", segment.id),
            chapter_href,
            ordinal: segment.ordinal,
            live_total: segment.live_total,
            kind: Kind::parse(&segment.kind),
            status: Status::parse(&segment.status),
            source_changed: segment.source_changed_at.is_some(),
            thai: split_footnotes(&segment.source_th),
            english: segment.english.as_deref().map(split_footnotes),
            prev_href: segment.prev_id.map(segment_path),
            next_href: segment.next_id.map(segment_path),
        }
    }
}

pub async fn show_segment(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let mut conn = state.pool.acquire().await?;
    let segment = db::segments::get_segment_in_context(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let header = db::pages::chapter_header(&mut conn, segment.chapter_id)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("segment {id} has no chapter")))?;
    drop(conn);
    render(&SegmentPage {
        chrome: Chrome::for_user(user.as_ref()),
        ..SegmentPage::new(&header, &segment)
    })
}
