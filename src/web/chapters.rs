//! A chapter page: every segment in reading order, Thai beside English.

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use uuid::Uuid;

use super::chrome::{Chrome, UserNav};
use super::display::{Kind, Status};
use super::footnotes::{split_footnotes, Part};
use super::page::{chapter_path, render_string, HTML};
use super::rendered::{self, Rendered, RenderedChapters};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::pages::ChapterHeader;
use crate::db::segments::ChapterSegment;

#[derive(Template)]
#[template(path = "chapters/show.html", whitespace = "minimize")]
pub struct ChapterPage<'a> {
    /// Always anonymous: the page is cached for everyone; a signed-in user's header is
    /// swapped in per request (`rendered::Rendered::with_user_area`).
    pub chrome: Chrome,
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
            chrome: Chrome::Anonymous,
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
    request: HttpRequest,
    state: web::Data<AppState>,
    rendered: web::Data<RenderedChapters>,
    path: web::Path<(String, String)>,
    user: Option<CurrentUser>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.pool.acquire().await?;
    let header = db::pages::chapter_header_by_number(&mut conn, &slug, number)
        .await?
        .ok_or(AppError::NotFound)?;
    // A signed-in user's page differs from everyone's only in the header's user area; its
    // ETag is everyone's combined with that area.
    let user_area = match &user {
        Some(user) => Some(
            UserNav {
                chrome: &Chrome::for_user(Some(user)),
            }
            .render()?,
        ),
        None => None,
    };
    let etag = rendered::etag_for(&header, user_area.as_deref());
    if has_page(&request, &etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    let page = match rendered.get(&header) {
        Some(page) => page,
        None => {
            let segments =
                db::segments::list_chapter_segments(&mut conn, header.chapter_id).await?;
            // Back to the pool before rendering: the connection is not needed for that.
            drop(conn);
            let html = render_string(
                &ChapterPage::new(&header, &segments),
                ChapterPage::size_estimate(&segments),
            )?;
            let page = Rendered::new(Bytes::from(html));
            rendered.put(header, page.clone());
            page
        }
    };
    let mut response = HttpResponse::Ok();
    if let Some(area) = &user_area {
        let html = page.with_user_area(area).unwrap_or(page.html);
        // Not pre-compressed: the Compress middleware gzips it if the browser asks.
        return Ok(response
            .content_type(HTML)
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, "private, no-cache"))
            .body(html));
    }
    response
        .content_type(HTML)
        .insert_header((header::ETAG, etag))
        // Browsers keep the page but ask again each time; the answer is usually a 304.
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::VARY, "Accept-Encoding"));
    if accepts_gzip(&request) {
        response.insert_header((header::CONTENT_ENCODING, "gzip"));
        Ok(response.body(page.gzip))
    } else {
        Ok(response.body(page.html))
    }
}

/// The browser already has this very page (`If-None-Match` names its ETag).
fn has_page(request: &HttpRequest, etag: &str) -> bool {
    request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == etag || tag == "*" || tag.strip_prefix("W/") == Some(etag)
        })
}

fn accepts_gzip(request: &HttpRequest) -> bool {
    request
        .get_header::<header::AcceptEncoding>()
        .is_some_and(|accept| {
            accept
                .ranked()
                .iter()
                .any(|e| *e == header::Preference::Specific(header::Encoding::gzip()))
        })
}
