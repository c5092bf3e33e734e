//! A chapter page: every segment in reading order, Thai beside English.

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use askama::Template;
use uuid::Uuid;

use super::display::{Kind, Status};
use super::footnotes::{split_footnotes, Part};
use super::page::{chapter_path, html_response, render_string};
use super::rendered::RenderedChapters;
use super::{AppError, AppState};
use crate::db;
use crate::db::pages::ChapterHeader;
use crate::db::segments::ChapterSegment;

#[derive(Template)]
#[template(path = "chapters/show.html", whitespace = "minimize")]
pub struct ChapterPage<'a> {
    pub header: &'a ChapterHeader,
    pub rows: Vec<SegmentRow<'a>>,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

/// One segment as a row of the parallel text.
pub struct SegmentRow<'a> {
    pub id: Uuid,
    /// 1-based place in the chapter, as readers count.
    pub ordinal: usize,
    pub kind: Kind,
    pub status: Status,
    /// The Thai changed under existing English: a reviewer should look again.
    pub source_changed: bool,
    pub thai: Vec<Part<'a>>,
    pub english: Option<Vec<Part<'a>>>,
}

impl<'a> SegmentRow<'a> {
    pub fn new(ordinal: usize, segment: &'a ChapterSegment) -> SegmentRow<'a> {
        SegmentRow {
            id: segment.id,
            ordinal,
            kind: Kind::parse(&segment.kind),
            status: Status::parse(&segment.status),
            source_changed: segment.source_changed_at.is_some(),
            thai: split_footnotes(&segment.source_th),
            english: segment.english.as_deref().map(split_footnotes),
        }
    }
}

impl<'a> ChapterPage<'a> {
    pub fn new(header: &'a ChapterHeader, segments: &'a [ChapterSegment]) -> ChapterPage<'a> {
        let link = |number: Option<i32>| number.map(|n| chapter_path(&header.book_slug, n));
        ChapterPage {
            header,
            rows: segments
                .iter()
                .enumerate()
                .map(|(i, segment)| SegmentRow::new(i + 1, segment))
                .collect(),
            prev_href: link(header.prev_number),
            next_href: link(header.next_number),
        }
    }

    /// Most of the page is the text itself; the markup around each row is about 600 bytes.
    fn size_estimate(segments: &[ChapterSegment]) -> usize {
        let text: usize = segments
            .iter()
            .map(|s| s.source_th.len() + s.english.as_deref().map_or(0, str::len))
            .sum();
        8 * 1024 + text + segments.len() * 640
    }
}

pub async fn show_chapter(
    state: web::Data<AppState>,
    rendered: web::Data<RenderedChapters>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.pool.acquire().await?;
    let header = db::pages::chapter_header_by_number(&mut conn, &slug, number)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(page) = rendered.get(&header) {
        return Ok(html_response(page));
    }
    let segments = db::segments::list_chapter_segments(&mut conn, header.chapter_id).await?;
    // Back to the pool before rendering: the connection is not needed for that.
    drop(conn);
    let page = ChapterPage::new(&header, &segments);
    let html = Bytes::from(render_string(&page, ChapterPage::size_estimate(&segments))?);
    rendered.put(header, html.clone());
    Ok(html_response(html))
}
