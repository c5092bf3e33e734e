//! Chapter pages already rendered, kept by each worker and checked against the database on
//! every request.
//!
//! A chapter page is some 240 KB of Thai text: fetching, decoding and escaping it costs far
//! more than the query that says whether it changed. So a request first reads the chapter's
//! header (one row: titles, neighbours and `content_version`, see `db::pages`) and serves the
//! page rendered earlier for exactly that header; only when it differs are the segments
//! fetched and the page rendered again. Every request still asks the database, so an
//! instance never serves a page another instance (or an import) has changed, and none needs
//! another's memory.
//!
//! Each page is kept twice: as is and gzip-compressed once (browsers ask for gzip, and
//! compressing 240 KB on every request would cost more than rendering it). Its ETag is
//! derived from the header alone, so a browser that has the page gets a 304 without the page
//! being rendered or even looked up.
//!
//! The page is rendered for an anonymous reader. A signed-in user's copy is the same bytes
//! with the header's user area (between `chrome::USER_AREA_START` and `USER_AREA_END`)
//! replaced by theirs: a copy per request, but no rendering and no query beyond the session.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::sync::{LazyLock, Mutex};

use actix_web::web::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::chrome::{USER_AREA_END, USER_AREA_START};
use crate::db::pages::ChapterHeader;

/// One rendered chapter page.
#[derive(Clone)]
pub struct Rendered {
    pub html: Bytes,
    pub gzip: Bytes,
    /// Where the anonymous user area is in `html`, marks included.
    user_area: Option<Range<usize>>,
}

impl Rendered {
    pub fn new(html: Bytes) -> Rendered {
        let mut encoder =
            GzEncoder::new(Vec::with_capacity(html.len() / 3), Compression::default());
        // Writing into a Vec cannot fail.
        let gzip = encoder
            .write_all(&html)
            .and_then(|()| encoder.finish())
            .map(Bytes::from)
            .unwrap_or_default();
        let user_area = find_user_area(&html);
        Rendered {
            html,
            gzip,
            user_area,
        }
    }

    /// The page with `user_area` (rendered `partials/user_nav.html`) in place of the
    /// anonymous one; `None` if the page has no user area.
    pub fn with_user_area(&self, user_area: &str) -> Option<Bytes> {
        let area = self.user_area.clone()?;
        let mut page = Vec::with_capacity(self.html.len() + user_area.len());
        page.extend_from_slice(&self.html[..area.start]);
        page.extend_from_slice(USER_AREA_START.as_bytes());
        page.extend_from_slice(user_area.as_bytes());
        page.extend_from_slice(USER_AREA_END.as_bytes());
        page.extend_from_slice(&self.html[area.end..]);
        Some(Bytes::from(page))
    }
}

/// The first user area: the header's, which comes before any text of the book.
fn find_user_area(html: &[u8]) -> Option<Range<usize>> {
    let find = |needle: &str, from: usize| {
        html[from..]
            .windows(needle.len())
            .position(|w| w == needle.as_bytes())
            .map(|at| from + at)
    };
    let start = find(USER_AREA_START, 0)?;
    let end = find(USER_AREA_END, start)? + USER_AREA_END.len();
    Some(start..end)
}

/// Pages by chapter. One per worker (registered in `web::routes`, which every worker runs),
/// so the lock is never contended; entries are replaced, never piled up, so the size is
/// bounded by the number of chapters.
#[derive(Default)]
pub struct RenderedChapters {
    pages: Mutex<HashMap<Uuid, (ChapterHeader, Rendered)>>,
}

impl RenderedChapters {
    /// The page rendered for this very header (same titles, neighbours and version).
    pub fn get(&self, header: &ChapterHeader) -> Option<Rendered> {
        let pages = self.pages.lock().ok()?;
        match pages.get(&header.chapter_id) {
            Some((rendered_for, page)) if rendered_for == header => Some(page.clone()),
            _ => None,
        }
    }

    pub fn put(&self, header: ChapterHeader, page: Rendered) {
        // A poisoned lock only means another request panicked mid-insert: skip caching.
        if let Ok(mut pages) = self.pages.lock() {
            pages.insert(header.chapter_id, (header, page));
        }
    }
}

/// What the page is made from besides the data: the templates and the program version. A
/// new release with changed templates must not answer 304 to a page rendered by the old one.
static TEMPLATES: LazyLock<String> = LazyLock::new(|| {
    let sources = [
        include_str!("../../templates/base.html"),
        include_str!("../../templates/macros.html"),
        include_str!("../../templates/chapters/show.html"),
        include_str!("../../templates/partials/segment_row.html"),
        include_str!("../../templates/partials/user_nav.html"),
    ];
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION"));
    for source in sources {
        hash.update(source);
    }
    hex::encode(&hash.finalize()[..8])
});

/// A strong ETag for the page of this header: the same on every instance.
pub fn etag(header: &ChapterHeader) -> String {
    let mut hash = Sha256::new();
    hash.update(TEMPLATES.as_bytes());
    hash.update(format!("{header:?}"));
    format!("\"{}\"", hex::encode(&hash.finalize()[..12]))
}

/// The ETag of the page as a signed-in user sees it (`user_area`: their header's user area),
/// or as everyone sees it.
pub fn etag_for(header: &ChapterHeader, user_area: Option<&str>) -> String {
    let everyones = etag(header);
    let Some(area) = user_area else {
        return everyones;
    };
    let mut hash = Sha256::new();
    hash.update(everyones.as_bytes());
    hash.update(area.as_bytes());
    format!("\"{}\"", hex::encode(&hash.finalize()[..12]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;
    use std::io::Read;

    fn header(version: i64) -> ChapterHeader {
        ChapterHeader {
            book_slug: "book".into(),
            book_title_th: "หนังสือ".into(),
            book_title_en: "Book".into(),
            chapter_id: Uuid::nil(),
            number: 4,
            title_th: "สตาลิน".into(),
            title_en: Some("Stalin".into()),
            prev_number: Some(3),
            next_number: None,
            content_version: version,
        }
    }

    fn page(text: &'static str) -> Rendered {
        Rendered::new(Bytes::from_static(text.as_bytes()))
    }

    #[test]
    fn a_page_is_served_again_only_for_the_same_header_and_version() {
        let cache = RenderedChapters::default();
        cache.put(header(1), page("page a"));

        assert_eq!(
            cache.get(&header(1)).map(|p| p.html),
            Some(Bytes::from_static(b"page a"))
        );
        assert!(cache.get(&header(2)).is_none(), "the segments changed");
        let retitled = ChapterHeader {
            title_en: Some("Joseph Stalin".into()),
            ..header(1)
        };
        assert!(cache.get(&retitled).is_none(), "the title changed");
    }

    #[test]
    fn a_newer_page_replaces_the_older_one() {
        let cache = RenderedChapters::default();
        cache.put(header(1), page("page a"));
        cache.put(header(2), page("page b"));

        assert!(cache.get(&header(1)).is_none());
        assert_eq!(
            cache.get(&header(2)).map(|p| p.html),
            Some(Bytes::from_static(b"page b"))
        );
    }

    #[test]
    fn the_gzip_copy_decompresses_to_the_page() {
        let text = "สตาลิน ".repeat(1000);
        let rendered = Rendered::new(Bytes::from(text.clone()));
        let mut back = String::new();
        GzDecoder::new(&rendered.gzip[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        assert!(rendered.gzip.len() < text.len() / 4);
    }

    #[test]
    fn a_signed_in_copy_swaps_only_the_user_area() {
        let page = page("<nav>a<!--user--><a>Sign in</a><!--/user--></nav><p>text</p>");
        let mine = page.with_user_area("<span>Ann</span>").unwrap();
        assert_eq!(
            mine,
            Bytes::from_static(b"<nav>a<!--user--><span>Ann</span><!--/user--></nav><p>text</p>")
        );
        assert!(self::page("no marks").with_user_area("x").is_none());
    }

    #[test]
    fn the_etag_changes_with_the_content_version_and_nothing_else_random() {
        assert_eq!(etag(&header(1)), etag(&header(1)));
        assert_ne!(etag(&header(1)), etag(&header(2)));
        assert!(etag(&header(1)).starts_with('"'));
    }
}
