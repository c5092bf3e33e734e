//! Chapter pages already rendered, kept by each worker and checked against the database on
//! every request.
//!
//! A chapter page is some 240 KB of Thai text: fetching, decoding and escaping it costs far
//! more than the query that says whether it changed. So a request first reads the chapter's
//! header (one row: titles, neighbours, `content_version` and the claim-expiry setting, see
//! `db::pages`) and serves the page rendered earlier for exactly that header; only when it
//! differs are the segments fetched and the page rendered again. Every request still asks
//! the database, so an instance never serves a page another instance (or an import) has
//! changed, and none needs another's memory. Claims and comments bump `content_version` too
//! (migration 0008).
//!
//! A page is kept per [`Variant`]: what readers see, what translators see (claim
//! checkboxes, claim holders, open threads, edit links) and what reviewers see (also review
//! links). Everything in it is the same for everyone of that variant; what belongs to one
//! person (the header's user area, the CSRF token of the claim form, a message after an
//! action) sits in [`Slot`]s, between marks, filled per request by [`Rendered::personalize`]:
//! a copy per request, but no rendering and no query beyond the session.
//!
//! One thing changes without a write: a claim expires. A page that shows claims is valid
//! only until the earliest expiry it shows (`valid_until`, judged by this server's clock,
//! which is assumed to agree with the database's to a few seconds).
//!
//! The readers' page is also kept gzip-compressed once (browsers ask for gzip, and
//! compressing 240 KB on every request would cost more than rendering it). Its ETag is
//! derived from the header alone, so a browser that has the page gets a 304 without the
//! page being rendered or even looked up. A personal page's ETag comes from its content and
//! the slots filled in.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex};

use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::chrome::{USER_AREA_END, USER_AREA_START};
use super::gzip_parts::GzipParts;
use super::session::CurrentUser;
use crate::db::pages::ChapterHeader;

/// Who a cached page is for: the rows differ by role, not by person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Not signed in: the parallel text and its statuses.
    Reader,
    /// Signed in: the workspace (claims, open threads, claim checkboxes, edit links).
    Translator,
    /// Reviewers and admins: the workspace with review links.
    Reviewer,
}

impl Variant {
    pub fn for_user(user: Option<&CurrentUser>) -> Variant {
        match user {
            None => Variant::Reader,
            Some(user) if user.role.can_review() => Variant::Reviewer,
            Some(_) => Variant::Translator,
        }
    }

    /// Shows the workspace: claims, threads, forms.
    pub fn is_workspace(self) -> bool {
        self != Variant::Reader
    }

    pub fn can_review(self) -> bool {
        self == Variant::Reviewer
    }
}

/// A part of a cached page that belongs to one person, between two HTML comments. Askama
/// escapes `<` in data, so text from the book cannot contain the marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub start: &'static str,
    pub end: &'static str,
}

/// The header's user area (see `chrome`).
pub const USER_AREA: Slot = Slot {
    start: USER_AREA_START,
    end: USER_AREA_END,
};
/// The CSRF field of the chapter's claim form.
pub const CSRF_FIELD: Slot = Slot {
    start: "<!--csrf-->",
    end: "<!--/csrf-->",
};
/// A message after an action ("Claimed 5 segments").
pub const NOTICE: Slot = Slot {
    start: "<!--notice-->",
    end: "<!--/notice-->",
};

const SLOTS: [Slot; 3] = [USER_AREA, CSRF_FIELD, NOTICE];

/// Which compressed copies a page keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gzip {
    /// None: rendered for one response (a filtered view); compressed on the way out.
    None,
    /// The page as it is: readers' pages are served unchanged.
    Whole,
    /// The parts around the slots: a personal copy is compressed by compressing only what
    /// fills the slots (`gzip_parts`).
    AroundSlots,
}

/// One rendered chapter page.
#[derive(Clone)]
pub struct Rendered {
    pub html: Bytes,
    /// The page compressed, for readers' pages (served as they are).
    pub gzip: Option<Bytes>,
    /// The page compressed around its slots, for personal copies.
    gzip_parts: Option<Arc<GzipParts>>,
    /// Where each of [`SLOTS`] is in `html`, marks included (the first of each), in order.
    slots: Vec<(Slot, Range<usize>)>,
    /// The page shows a claim that expires then: it must be rendered again after.
    pub valid_until: Option<DateTime<Utc>>,
    /// Identifies the content, for the ETags of personal copies.
    pub digest: String,
}

impl Rendered {
    /// A page as rendered, with the compressed copies `compress` asks for.
    pub fn new(html: Bytes, compress: Gzip, valid_until: Option<DateTime<Utc>>) -> Rendered {
        let mut slots: Vec<(Slot, Range<usize>)> = SLOTS
            .iter()
            .filter_map(|slot| find_slot(&html, *slot).map(|range| (*slot, range)))
            .collect();
        slots.sort_by_key(|(_, range)| range.start);
        // Overlapping marks cannot come from the templates; drop any, to be safe.
        let mut end = 0;
        slots.retain(|(_, range)| {
            let keep = range.start >= end;
            end = end.max(range.end);
            keep
        });
        let gzip = (compress == Gzip::Whole).then(|| gzip(&html));
        let gzip_parts = (compress == Gzip::AroundSlots).then(|| {
            let gaps: Vec<Range<usize>> = slots.iter().map(|(_, r)| r.clone()).collect();
            Arc::new(GzipParts::new(&html, &gaps))
        });
        let digest = hex::encode(&Sha256::digest(&html)[..12]);
        Rendered {
            html,
            gzip,
            gzip_parts,
            slots,
            valid_until,
            digest,
        }
    }

    /// Whether the page may still be served at `now`.
    pub fn is_valid_at(&self, now: DateTime<Utc>) -> bool {
        self.valid_until.is_none_or(|until| now < until)
    }

    /// The page with these slots filled (the content between their marks replaced); slots
    /// not given keep what the page has, slots the page lacks are skipped.
    pub fn personalize(&self, fills: &[(Slot, &str)]) -> Bytes {
        let extra: usize = fills.iter().map(|(_, content)| content.len()).sum();
        let mut page = Vec::with_capacity(self.html.len() + extra);
        let mut at = 0;
        for (range, filled) in self.filled_slots(fills) {
            page.extend_from_slice(&self.html[at..range.start]);
            page.extend_from_slice(&filled);
            at = range.end;
        }
        page.extend_from_slice(&self.html[at..]);
        Bytes::from(page)
    }

    /// [`personalize`](Self::personalize), gzip-compressed, if the page keeps its parts
    /// compressed (`Gzip::AroundSlots`).
    pub fn personalize_gzip(&self, fills: &[(Slot, &str)]) -> Option<Bytes> {
        let parts = self.gzip_parts.as_ref()?;
        let filled: Vec<Vec<u8>> = self
            .filled_slots(fills)
            .into_iter()
            .map(|(_, filled)| filled)
            .collect();
        let filled: Vec<&[u8]> = filled.iter().map(Vec::as_slice).collect();
        Some(parts.fill(&filled))
    }

    /// Every slot of the page in order, with what goes there (marks included): the fill
    /// given for it, or what the page has.
    fn filled_slots(&self, fills: &[(Slot, &str)]) -> Vec<(Range<usize>, Vec<u8>)> {
        self.slots
            .iter()
            .map(|(slot, range)| {
                let filled = match fills.iter().find(|(s, _)| s == slot) {
                    Some((_, content)) => [
                        slot.start.as_bytes(),
                        content.as_bytes(),
                        slot.end.as_bytes(),
                    ]
                    .concat(),
                    None => self.html[range.clone()].to_vec(),
                };
                (range.clone(), filled)
            })
            .collect()
    }
}

fn gzip(html: &[u8]) -> Bytes {
    let mut encoder = GzEncoder::new(Vec::with_capacity(html.len() / 3), Compression::default());
    // Writing into a Vec cannot fail.
    encoder
        .write_all(html)
        .and_then(|()| encoder.finish())
        .map(Bytes::from)
        .unwrap_or_default()
}

/// The first occurrence of a slot: the header's user area comes before any text of the
/// book, and the other slots appear once.
fn find_slot(html: &[u8], slot: Slot) -> Option<Range<usize>> {
    let find = |needle: &str, from: usize| {
        html[from..]
            .windows(needle.len())
            .position(|w| w == needle.as_bytes())
            .map(|at| from + at)
    };
    let start = find(slot.start, 0)?;
    let end = find(slot.end, start)? + slot.end.len();
    Some(start..end)
}

/// Pages by chapter and variant. One per worker (registered in `web::routes`, which every
/// worker runs), so the lock is never contended; entries are replaced, never piled up, so
/// the size is bounded by the number of chapters times three.
#[derive(Default)]
pub struct RenderedChapters {
    pages: Mutex<HashMap<(Uuid, Variant), (ChapterHeader, Rendered)>>,
}

impl RenderedChapters {
    /// The page rendered for this very header (same titles, neighbours and version) and
    /// variant, if it is still valid at `now`.
    pub fn get(
        &self,
        header: &ChapterHeader,
        variant: Variant,
        now: DateTime<Utc>,
    ) -> Option<Rendered> {
        let pages = self.pages.lock().ok()?;
        match pages.get(&(header.chapter_id, variant)) {
            Some((rendered_for, page)) if rendered_for == header && page.is_valid_at(now) => {
                Some(page.clone())
            }
            _ => None,
        }
    }

    pub fn put(&self, header: ChapterHeader, variant: Variant, page: Rendered) {
        // A poisoned lock only means another request panicked mid-insert: skip caching.
        if let Ok(mut pages) = self.pages.lock() {
            pages.insert((header.chapter_id, variant), (header, page));
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
    hash.update(super::assets::style_href());
    hash.update(super::assets::script_href());
    for source in sources {
        hash.update(source);
    }
    hex::encode(&hash.finalize()[..8])
});

/// A strong ETag for the readers' page of this header: the same on every instance.
pub fn etag(header: &ChapterHeader) -> String {
    let mut hash = Sha256::new();
    hash.update(TEMPLATES.as_bytes());
    hash.update(format!("{header:?}"));
    format!("\"{}\"", hex::encode(&hash.finalize()[..12]))
}

/// The ETag of a personal copy: the page's content and what was filled in.
pub fn personal_etag(page: &Rendered, fills: &[(Slot, &str)]) -> String {
    let mut hash = Sha256::new();
    hash.update(page.digest.as_bytes());
    for (slot, content) in fills {
        hash.update(slot.start.as_bytes());
        hash.update(content.as_bytes());
    }
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
            claim_expiry_setting: None,
        }
    }

    fn page(text: &'static str) -> Rendered {
        Rendered::new(Bytes::from_static(text.as_bytes()), Gzip::Whole, None)
    }

    fn now() -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + chrono::Duration::days(20_000)
    }

    #[test]
    fn a_page_is_served_again_only_for_the_same_header_and_version() {
        let cache = RenderedChapters::default();
        cache.put(header(1), Variant::Reader, page("page a"));

        assert_eq!(
            cache
                .get(&header(1), Variant::Reader, now())
                .map(|p| p.html),
            Some(Bytes::from_static(b"page a"))
        );
        assert!(
            cache.get(&header(2), Variant::Reader, now()).is_none(),
            "the segments changed"
        );
        let retitled = ChapterHeader {
            title_en: Some("Joseph Stalin".into()),
            ..header(1)
        };
        assert!(
            cache.get(&retitled, Variant::Reader, now()).is_none(),
            "the title changed"
        );
        let expiry_changed = ChapterHeader {
            claim_expiry_setting: Some("30".into()),
            ..header(1)
        };
        assert!(cache.get(&expiry_changed, Variant::Reader, now()).is_none());
    }

    #[test]
    fn each_variant_has_its_own_page() {
        let cache = RenderedChapters::default();
        cache.put(header(1), Variant::Reader, page("readers"));
        cache.put(header(1), Variant::Translator, page("translators"));

        let html = |v| cache.get(&header(1), v, now()).map(|p| p.html);
        assert_eq!(html(Variant::Reader), Some(Bytes::from_static(b"readers")));
        assert_eq!(
            html(Variant::Translator),
            Some(Bytes::from_static(b"translators"))
        );
        assert_eq!(html(Variant::Reviewer), None);
    }

    #[test]
    fn a_page_showing_a_claim_is_served_only_until_the_claim_expires() {
        let cache = RenderedChapters::default();
        let until = now() + chrono::Duration::minutes(5);
        let claimed = Rendered::new(Bytes::from_static(b"claimed"), Gzip::None, Some(until));
        cache.put(header(1), Variant::Translator, claimed);

        let get = |at| cache.get(&header(1), Variant::Translator, at).is_some();
        assert!(get(now()));
        assert!(get(until - chrono::Duration::seconds(1)));
        assert!(!get(until), "the claim expired: render again");
    }

    #[test]
    fn a_newer_page_replaces_the_older_one() {
        let cache = RenderedChapters::default();
        cache.put(header(1), Variant::Reader, page("page a"));
        cache.put(header(2), Variant::Reader, page("page b"));

        assert!(cache.get(&header(1), Variant::Reader, now()).is_none());
        assert_eq!(
            cache
                .get(&header(2), Variant::Reader, now())
                .map(|p| p.html),
            Some(Bytes::from_static(b"page b"))
        );
    }

    #[test]
    fn the_gzip_copy_decompresses_to_the_page() {
        let text = "สตาลิน ".repeat(1000);
        let rendered = Rendered::new(Bytes::from(text.clone()), Gzip::Whole, None);
        let gzip = rendered.gzip.expect("a compressed copy");
        let mut back = String::new();
        GzDecoder::new(&gzip[..]).read_to_string(&mut back).unwrap();
        assert_eq!(back, text);
        assert!(gzip.len() < text.len() / 4);
        let plain = Rendered::new(Bytes::from(text), Gzip::None, None);
        assert!(plain.gzip.is_none());
    }

    #[test]
    fn a_signed_in_copy_swaps_only_the_user_area() {
        let page = page("<nav>a<!--user--><a>Sign in</a><!--/user--></nav><p>text</p>");
        let mine = page.personalize(&[(USER_AREA, "<span>Ann</span>")]);
        assert_eq!(
            mine,
            Bytes::from_static(b"<nav>a<!--user--><span>Ann</span><!--/user--></nav><p>text</p>")
        );
        let unmarked = self::page("no marks");
        assert_eq!(unmarked.personalize(&[(USER_AREA, "x")]), unmarked.html);
    }

    #[test]
    fn a_personal_copy_fills_every_slot_given_in_document_order() {
        let page = page(
            "<!--user-->anon<!--/user--><!--notice--><!--/notice-->\
             <form><!--csrf--><!--/csrf--></form>",
        );
        let mine = page.personalize(&[
            (CSRF_FIELD, "<input name=csrf value=t>"),
            (USER_AREA, "Ann"),
            (NOTICE, "<p>Done</p>"),
        ]);
        assert_eq!(
            mine,
            Bytes::from_static(
                b"<!--user-->Ann<!--/user--><!--notice--><p>Done</p><!--/notice-->\
                  <form><!--csrf--><input name=csrf value=t><!--/csrf--></form>"
            )
        );
        let compressed = Rendered::new(page.html.clone(), Gzip::AroundSlots, None);
        let fills = [(USER_AREA, "Ann"), (NOTICE, "<p>Done</p>")];
        let mut unzipped = String::new();
        GzDecoder::new(&compressed.personalize_gzip(&fills).unwrap()[..])
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped.as_bytes(), &compressed.personalize(&fills)[..]);
        assert!(
            page.personalize_gzip(&fills).is_none(),
            "kept whole, not in parts"
        );

        let fills = [(USER_AREA, "Ann")];
        let other = [(USER_AREA, "Bob")];
        assert_ne!(personal_etag(&page, &fills), personal_etag(&page, &other));
    }

    #[test]
    fn the_etag_changes_with_the_content_version_and_nothing_else_random() {
        assert_eq!(etag(&header(1)), etag(&header(1)));
        assert_ne!(etag(&header(1)), etag(&header(2)));
        assert!(etag(&header(1)).starts_with('"'));
    }
}
