//! The pure half of an import: one file's bytes → a checked, segmented chapter. No I/O.

use sha2::{Digest, Sha256};

use super::ImportError;
use crate::corpus::ChapterMeta;
use crate::text::normalize;
use crate::text::segment::{self, Segment, SegmentKind};

/// Larger than any chapter (the longest in the corpus is about 200 KB): a bigger file is a
/// mistake, and refusing it early keeps one import from filling memory.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// A chapter ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedChapter {
    /// The file name, kept with the chapter and used in messages.
    pub source_name: String,
    pub number: i32,
    pub title_th: String,
    pub title_en: Option<String>,
    /// Whether the titles come from the book metadata (they then replace stored ones) or
    /// were read off the text (they then only name a new chapter).
    pub titles_from_metadata: bool,
    /// SHA-256 of the normalized text: the same hash means nothing to do.
    pub sha256: String,
    pub segments: Vec<Segment>,
}

/// What is known about a file before reading it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Known<'a> {
    /// Its entry in `book.toml`, if listed there.
    pub meta: Option<&'a ChapterMeta>,
    /// `--chapter N`, which wins over everything else.
    pub chapter_flag: Option<i32>,
}

/// Decodes, normalizes, segments and checks one file.
pub fn prepare(name: &str, bytes: &[u8], known: Known<'_>) -> Result<PreparedChapter, ImportError> {
    let file = || name.to_string();
    if bytes.is_empty() {
        return Err(ImportError::Empty { file: file() });
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge {
            file: file(),
            size: bytes.len() as u64,
        });
    }
    let text = normalize::decode_utf8(bytes).map_err(|error| ImportError::Encoding {
        file: file(),
        error,
    })?;
    let text = normalize::normalize(text);
    if !text.chars().any(is_thai) {
        return Err(ImportError::NoThai { file: file() });
    }
    let segments = segment::segment(&text);
    let has_content = segments
        .iter()
        .any(|s| matches!(s.kind, SegmentKind::ChapterTitle | SegmentKind::Paragraph));
    if !has_content {
        return Err(ImportError::NoContent { file: file() });
    }

    let in_title = number_in_title(&segments);
    let number = known
        .chapter_flag
        .or(known.meta.map(|m| m.number))
        .or(in_title)
        .ok_or_else(|| ImportError::UnknownChapter { file: file() })?;
    if number <= 0 {
        return Err(ImportError::BadChapterNumber {
            file: file(),
            number,
        });
    }
    // A file listed under the wrong number in book.toml (two names swapped) would put the
    // text under the other chapter's translations: refuse it. `--chapter` is an explicit
    // override and wins.
    if let (None, Some(meta), Some(in_title)) = (known.chapter_flag, known.meta, in_title) {
        if meta.number != in_title {
            return Err(ImportError::ChapterMismatch {
                file: file(),
                listed: meta.number,
                in_title,
            });
        }
    }
    let (title_th, title_en) = match known.meta {
        Some(meta) => (meta.title_th.clone(), meta.title_en.clone()),
        None => (title_from_text(&segments, number), None),
    };
    Ok(PreparedChapter {
        source_name: file(),
        number,
        title_th,
        title_en,
        titles_from_metadata: known.meta.is_some(),
        sha256: hex::encode(Sha256::digest(text.as_bytes())),
        segments,
    })
}

/// The Thai block, U+0E00–U+0E7F.
fn is_thai(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}

const CHAPTER_WORD: &str = "บทที่";

/// The number of the first `บทที่ N` among the chapter titles (or, if no title is
/// recognised as such, at the very start of the text).
fn number_in_title(segments: &[Segment]) -> Option<i32> {
    let titles = segments
        .iter()
        .filter(|s| s.kind == SegmentKind::ChapterTitle);
    titles
        .chain(segments.first())
        .find_map(|s| parse_chapter_heading(&s.text))
        .map(|(number, _)| number)
}

/// `บทที่ 4 สตาลิน`, `**บทที่ ๔**`, `## บทที่4` → the number and the rest (`สตาลิน`).
pub fn parse_chapter_heading(text: &str) -> Option<(i32, String)> {
    let text = text.trim_start_matches(['#', '*', ' ']);
    let rest = text.strip_prefix(CHAPTER_WORD)?.trim_start();
    let digits: String = rest
        .chars()
        .take_while(|&c| thai_or_ascii_digit(c).is_some())
        .collect();
    let mut number: i32 = 0;
    for c in digits.chars() {
        let digit = thai_or_ascii_digit(c)? as i32;
        number = number.checked_mul(10)?.checked_add(digit)?;
    }
    if digits.is_empty() {
        return None;
    }
    let title = rest[digits.len()..].trim_matches(['*', ' ']).to_string();
    Some((number, title))
}

fn thai_or_ascii_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '๐'..='๙' => Some(c as u32 - '๐' as u32),
        _ => None,
    }
}

/// A Thai title for a chapter the metadata does not name: the text after `บทที่ N`, else
/// the chapter title segment that follows it, else `บทที่ N` itself.
fn title_from_text(segments: &[Segment], number: i32) -> String {
    let mut titles = segments
        .iter()
        .filter(|s| s.kind == SegmentKind::ChapterTitle);
    for title in titles.by_ref() {
        match parse_chapter_heading(&title.text) {
            Some((_, rest)) if !rest.is_empty() => return rest,
            Some(_) => continue,
            None => return title.text.trim_matches(['#', '*', ' ']).to_string(),
        }
    }
    format!("{CHAPTER_WORD} {number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(kind: SegmentKind, text: &str) -> Segment {
        Segment {
            kind,
            text: text.to_string(),
        }
    }

    #[test]
    fn chapter_numbers_are_read_in_arabic_and_thai_digits() {
        assert_eq!(
            parse_chapter_heading("บทที่ 4 สตาลิน"),
            Some((4, "สตาลิน".into()))
        );
        assert_eq!(
            parse_chapter_heading("**บทที่ ๑๒**"),
            Some((12, String::new()))
        );
        assert_eq!(parse_chapter_heading("## บทที่3"), Some((3, String::new())));
        assert_eq!(parse_chapter_heading("บทที่ สาม"), None);
        assert_eq!(parse_chapter_heading("ในบทที่ 3"), None);
        assert_eq!(parse_chapter_heading("บทที่ 99999999999"), None);
    }

    #[test]
    fn the_title_is_what_follows_the_chapter_number() {
        let segments = [
            seg(SegmentKind::ChapterTitle, "บทที่ 4"),
            seg(SegmentKind::ChapterTitle, "สตาลิน"),
            seg(SegmentKind::Paragraph, "ข้อความ"),
        ];
        assert_eq!(number_in_title(&segments), Some(4));
        assert_eq!(title_from_text(&segments, 4), "สตาลิน");
        assert_eq!(title_from_text(&segments[2..], 4), "บทที่ 4");
    }

    #[test]
    fn a_file_without_thai_or_without_paragraphs_is_refused() {
        let err = prepare("latin.txt", b"just latin\n", Known::default()).unwrap_err();
        assert!(matches!(err, ImportError::NoThai { .. }), "{err}");
        assert!(err.to_string().contains("latin.txt"));
        let err = prepare("empty.txt", b"", Known::default()).unwrap_err();
        assert!(matches!(err, ImportError::Empty { .. }), "{err}");
    }

    #[test]
    fn bad_bytes_are_reported_with_their_offset() {
        let err = prepare("bad.txt", b"\xE0\xB8\x81 \xFF", Known::default()).unwrap_err();
        assert!(err.to_string().contains("bad.txt"), "{err}");
        assert!(err.to_string().contains("offset 4"), "{err}");
    }

    #[test]
    fn the_flag_beats_the_metadata_which_beats_the_title() {
        let text = "บทที่ 4 สตาลิน\n\nย่อหน้าแรก\n".as_bytes();
        let meta = ChapterMeta {
            file: "x.txt".into(),
            number: 7,
            title_th: "ชื่อ".into(),
            title_en: Some("Name".into()),
        };
        let from_title = prepare("x.txt", text, Known::default()).unwrap();
        assert_eq!(from_title.number, 4);
        assert!(!from_title.titles_from_metadata);
        let untitled = "ย่อหน้าแรก\n".as_bytes();
        let from_meta = prepare(
            "x.txt",
            untitled,
            Known {
                meta: Some(&meta),
                chapter_flag: None,
            },
        );
        assert_eq!(from_meta.as_ref().map(|c| c.number).ok(), Some(7));
        assert_eq!(from_meta.unwrap().title_en.as_deref(), Some("Name"));
        let swapped = prepare(
            "x.txt",
            text,
            Known {
                meta: Some(&meta),
                chapter_flag: None,
            },
        );
        let err = swapped.unwrap_err().to_string();
        assert!(err.contains("book.toml lists it as chapter 7"), "{err}");
        let from_flag = prepare(
            "x.txt",
            text,
            Known {
                meta: Some(&meta),
                chapter_flag: Some(9),
            },
        );
        assert_eq!(from_flag.unwrap().number, 9);
    }

    #[test]
    fn a_chapter_without_a_number_needs_the_flag() {
        let err = prepare("x.txt", "ย่อหน้า\n".as_bytes(), Known::default()).unwrap_err();
        assert!(err.to_string().contains("--chapter"), "{err}");
    }

    #[test]
    fn the_hash_is_of_the_normalized_text() {
        let a = prepare("a", "บทที่ 1\n\nกขค\n".as_bytes(), Known::default()).unwrap();
        let b = prepare("b", "บทที่ 1\r\n\r\nกขค  \r\n".as_bytes(), Known::default()).unwrap();
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(a.sha256.len(), 64);
    }
}
