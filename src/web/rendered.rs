//! Chapter pages already rendered, kept by each worker and checked against the database on
//! every request.
//!
//! A chapter page is some 240 KB of Thai text: fetching, decoding and escaping it costs far
//! more than the query that says whether it changed. So a request first reads the chapter's
//! header with a fingerprint of its segments (one small query, see `db::pages`), and serves
//! the page rendered earlier for exactly that header and fingerprint; only when they differ
//! are the segments fetched and the page rendered again. Every request still asks the
//! database, so an instance never serves a page another instance (or an import) has changed.

use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::web::Bytes;
use uuid::Uuid;

use crate::db::pages::ChapterHeader;

/// Pages by chapter. One per worker (registered in `web::routes`, which every worker runs),
/// so the lock is never contended; entries are replaced, never piled up, so the size is
/// bounded by the number of chapters.
#[derive(Default)]
pub struct RenderedChapters {
    pages: Mutex<HashMap<Uuid, (ChapterHeader, Bytes)>>,
}

impl RenderedChapters {
    /// The page rendered for this very header (same titles, neighbours and fingerprint).
    pub fn get(&self, header: &ChapterHeader) -> Option<Bytes> {
        let pages = self.pages.lock().ok()?;
        match pages.get(&header.chapter_id) {
            Some((rendered_for, body)) if rendered_for == header => Some(body.clone()),
            _ => None,
        }
    }

    pub fn put(&self, header: ChapterHeader, body: Bytes) {
        // A poisoned lock only means another request panicked mid-insert: skip caching.
        if let Ok(mut pages) = self.pages.lock() {
            pages.insert(header.chapter_id, (header, body));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(fingerprint: i64) -> ChapterHeader {
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
            live_segments: 74,
            segments_fingerprint: Some(fingerprint),
        }
    }

    #[test]
    fn a_page_is_served_again_only_for_the_same_header_and_fingerprint() {
        let cache = RenderedChapters::default();
        cache.put(header(1), Bytes::from_static(b"page a"));

        assert_eq!(cache.get(&header(1)), Some(Bytes::from_static(b"page a")));
        assert_eq!(cache.get(&header(2)), None, "the segments changed");
        let retitled = ChapterHeader {
            title_en: Some("Joseph Stalin".into()),
            ..header(1)
        };
        assert_eq!(cache.get(&retitled), None, "the title changed");
    }

    #[test]
    fn a_newer_page_replaces_the_older_one() {
        let cache = RenderedChapters::default();
        cache.put(header(1), Bytes::from_static(b"page a"));
        cache.put(header(2), Bytes::from_static(b"page b"));

        assert_eq!(cache.get(&header(1)), None);
        assert_eq!(cache.get(&header(2)), Some(Bytes::from_static(b"page b")));
    }
}
