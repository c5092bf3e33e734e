//! Segmentation: a normalized OCR chapter → one chapter title, headings, paragraphs and quotes.
//!
//! The OCR text comes as blocks separated by blank lines. Most blocks are paragraphs, but
//! not all: the chapter title is repeated at the top in several forms, headings are
//! Markdown or plain short lines, paragraphs are sometimes hard-wrapped, and every page
//! end of the printed book also left a blank line — often in the middle of a sentence.
//! The pipeline:
//!
//! 1. [`blocks`] splits the text into blocks, cleans markup, canonicalizes footnote
//!    references to `[^N]` and classifies each block (title, heading, quote, body, or
//!    noise such as a running header or a page number).
//! 2. [`pages`] recovers where the printed pages ended: page breaks recur every ~L
//!    characters, and the breaks that certainly fall mid-sentence (evidence below) give
//!    both L and the phase.
//! 3. [`evidence`] scores every blank line between two body blocks: line geometry
//!    (indented first lines, full last lines), punctuation left open, Thai words that
//!    cannot end or start a sentence, and whether the blank line sits where a page ended.
//!    A positive score rejoins the two blocks.
//!
//! [`segment_with_trace`] also returns every decision with its reasons, which is how
//! the tests on the real corpus document the boundaries.

mod blocks;
mod evidence;
mod pages;
mod thai_words;

use serde::{Deserialize, Serialize};

pub use blocks::display_width;
use blocks::{BlockKind, Chapter};
pub use thai_words::is_combining;

/// What a segment is for the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    ChapterTitle,
    Heading,
    Paragraph,
    Quote,
}

impl SegmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::ChapterTitle => "chapter_title",
            SegmentKind::Heading => "heading",
            SegmentKind::Paragraph => "paragraph",
            SegmentKind::Quote => "quote",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "chapter_title" => SegmentKind::ChapterTitle,
            "heading" => SegmentKind::Heading,
            "paragraph" => SegmentKind::Paragraph,
            "quote" => SegmentKind::Quote,
            _ => return None,
        })
    }
}

/// One unit of translation, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub kind: SegmentKind,
    pub text: String,
}

/// A blank line between two body blocks and what was decided about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Boundary {
    /// The last characters before the blank line.
    pub before: String,
    /// The first characters after it.
    pub after: String,
    /// True when the two blocks were rejoined into one paragraph.
    pub joined: bool,
    /// Whether the blank line sits where a printed page ended.
    pub page_end: bool,
    pub score: i32,
    pub reasons: Vec<&'static str>,
}

/// Segments a chapter that has already been through `normalize::normalize`.
pub fn segment(text: &str) -> Vec<Segment> {
    segment_with_trace(text).0
}

/// Like [`segment`], and also returns the decision taken at every blank line between
/// two body blocks, with its reasons.
pub fn segment_with_trace(text: &str) -> (Vec<Segment>, Vec<Boundary>) {
    let chapter = Chapter::parse(text);
    let pages = pages::find(&chapter);
    let mut segments: Vec<Segment> = Vec::new();
    let mut trace = Vec::new();
    // Whether the last pushed segment may still grow by rejoining the next block.
    let mut open = false;
    for (i, block) in chapter.blocks.iter().enumerate() {
        let kind = match block.kind {
            BlockKind::Title => SegmentKind::ChapterTitle,
            BlockKind::Heading => SegmentKind::Heading,
            BlockKind::Quote => SegmentKind::Quote,
            BlockKind::Body => SegmentKind::Paragraph,
        };
        if open && block.kind == BlockKind::Body && i > 0 {
            let verdict = evidence::judge(&chapter, &pages, i);
            trace.push(Boundary {
                before: tail(&chapter.blocks[i - 1].text, 40),
                after: head(&block.text, 40),
                joined: verdict.join,
                page_end: pages.is_page_end(i),
                score: verdict.score,
                reasons: verdict.reasons,
            });
            if verdict.join {
                let last = segments.last_mut().expect("open implies a segment");
                let glue = blocks::glue(&last.text, &block.text);
                last.text.push_str(glue);
                last.text.push_str(&block.text);
                continue;
            }
        }
        open = matches!(block.kind, BlockKind::Body | BlockKind::Quote);
        segments.push(Segment {
            kind,
            text: block.text.clone(),
        });
    }
    (segments, trace)
}

fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    s.chars().skip(count.saturating_sub(n)).collect()
}

fn head(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_and_texts(text: &str) -> Vec<(&'static str, String)> {
        segment(text)
            .into_iter()
            .map(|s| (s.kind.as_str(), s.text))
            .collect()
    }

    #[test]
    fn a_title_repeated_in_three_forms_is_one_chapter_title() {
        let text = "**บทที่ 9**\n**การปฏิวัติ**\n\n## บทที่ 9 การปฏิวัติ\n\nบทที่ 9 การปฏิวัติ\n\nเนื้อความย่อหน้าแรก ยาวพอที่จะเป็นย่อหน้าจริงของหนังสือเล่มนี้ได้ และไม่ใช่หัวเรื่อง\n";
        let segs = kinds_and_texts(text);
        assert_eq!(segs[0], ("chapter_title", "บทที่ 9 การปฏิวัติ".to_string()));
        assert_eq!(
            segs.iter().filter(|(k, _)| *k == "chapter_title").count(),
            1
        );
        assert_eq!(segs.len(), 2, "{segs:?}");
    }

    #[test]
    fn bold_and_markdown_lines_below_the_title_are_headings() {
        let text = "บทที่ 1 เริ่มต้น\n\n**ภูมิหลัง**\n\nย่อหน้าหนึ่ง มีหลายคำ และหลายวลี จนไม่อาจเป็นหัวเรื่องได้เลย\n\n#### ต่างประเทศ\n\nย่อหน้าสอง มีหลายคำ และหลายวลี จนไม่อาจเป็นหัวเรื่องได้เลย\n";
        let kinds: Vec<_> = kinds_and_texts(text).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            kinds,
            [
                "chapter_title",
                "heading",
                "paragraph",
                "heading",
                "paragraph"
            ]
        );
    }

    #[test]
    fn page_numbers_and_running_headers_are_dropped() {
        let text = "บทที่ 2 สงคราม\n\nย่อหน้าแรก มีหลายคำ และหลายวลี จนไม่อาจเป็นหัวเรื่องได้เลย\n\n- 12 -\n\nบทที่ 2 สงคราม\n\nย่อหน้าที่สอง มีหลายคำ และหลายวลี จนไม่อาจเป็นหัวเรื่อง\n\n๑๓\n";
        let segs = kinds_and_texts(text);
        assert_eq!(segs.len(), 3, "{segs:?}");
        assert!(segs
            .iter()
            .all(|(_, t)| !t.contains("12") && !t.contains('๑')));
    }

    #[test]
    fn wrapped_thai_joins_without_a_space_and_latin_with_one() {
        let text = "บทที่ 1 ทดสอบ\n\nเพร\nโอบราเชนสกี (Evgeni\nPreobrazenskii) ค.ศ.\n1924 จบ\n";
        let segs = segment(text);
        assert_eq!(
            segs[1].text,
            "เพรโอบราเชนสกี (Evgeni Preobrazenskii) ค.ศ. 1924 จบ"
        );
    }

    #[test]
    fn a_block_starting_with_an_ellipsis_is_a_quote() {
        let text = "บทที่ 1 ทดสอบ\n\n...ทุกสิ่งเปลี่ยนไป จากเดิมที่เคยมุ่งหมาย<sup>3</sup>\n\nย่อหน้า มีหลายคำ และหลายวลี จนไม่อาจเป็นหัวเรื่องได้เลย\n";
        let segs = kinds_and_texts(text);
        assert_eq!(
            segs[1],
            ("quote", "...ทุกสิ่งเปลี่ยนไป จากเดิมที่เคยมุ่งหมาย[^3]".to_string())
        );
    }

    #[test]
    fn without_a_page_model_grammar_alone_rejoins_a_dangling_block() {
        let text = "บทที่ 1 ทดสอบ\n\nรัสเซียตกอยู่ท่ามกลางศัตรู จึงต้อง\n\nเร่งปรับเข้าสู่ระบบอุตสาหกรรม ด้วยลำแข้งของตนเอง\n";
        let segs = segment(text);
        assert_eq!(segs.len(), 2);
        assert_eq!(
            segs[1].text,
            "รัสเซียตกอยู่ท่ามกลางศัตรู จึงต้องเร่งปรับเข้าสู่ระบบอุตสาหกรรม ด้วยลำแข้งของตนเอง"
        );
    }
}
