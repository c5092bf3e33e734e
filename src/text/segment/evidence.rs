//! The evidence for and against rejoining two body blocks across a blank line.
//!
//! Each clue adds to a score; the blocks are rejoined when the score is positive.
//! Strong clues (±3) are mechanical: punctuation left open, a block starting with a mark
//! that needs a consonant before it, and the geometry of hard-wrapped lines (a new
//! paragraph's first line is indented; a page's last line runs to the margin). Grammar
//! clues (±2) come from [`thai_words`]. The page model adds +1 where a printed page ended
//! (most page ends fall inside a paragraph) and −3 elsewhere (a blank line that is not a
//! page end was put there by the author).

use super::blocks::{Block, Chapter};
use super::pages::PageModel;
use super::thai_words;

pub struct Verdict {
    pub join: bool,
    pub score: i32,
    pub reasons: Vec<&'static str>,
}

/// Evidence that the text runs on from block `a` into block `b`, without the page model:
/// what the page model itself uses to find page ends it can be sure of.
pub fn continuation(chapter: &Chapter, a: &Block, b: &Block) -> (i32, Vec<&'static str>) {
    let mut score = 0;
    let mut reasons = Vec::new();
    let mut add = |points: i32, why: &'static str| {
        score += points;
        reasons.push(why);
    };
    if thai_words::leaves_open(&a.text) {
        add(3, "a bracket, quote or hyphen is left open");
    }
    if thai_words::starts_mid_word(&b.text) {
        add(
            3,
            "the next block starts with a mark that cannot start a word",
        );
    }
    if let Some(width) = chapter.wrap_width {
        // Indentation shows as a first line several columns short of the wrap width.
        let indent_limit = width.saturating_sub(5);
        if b.lines > 1 {
            if b.first_width < indent_limit {
                add(-3, "the next block's first line is indented");
            } else {
                add(3, "the next block's first line is not indented");
            }
        } else if a.lines > 1 {
            if a.last_width < indent_limit {
                add(-3, "the last line stops short of the margin");
            } else {
                add(2, "the last line runs to the margin");
            }
        }
    }
    if thai_words::dangling_end(&a.text).is_some() {
        add(2, "ends on a word that cannot end a sentence");
    }
    if thai_words::dangling_start(&b.text).is_some() {
        add(2, "starts on a word that cannot start a sentence");
    }
    if thai_words::ends_with_punctuation(&a.text) && !thai_words::leaves_open(&a.text) {
        add(-2, "ends with a sentence-final mark");
    }
    if thai_words::sentence_final(&a.text).is_some() {
        add(-2, "ends on a sentence-final expression");
    }
    if thai_words::opener(&b.text).is_some() {
        add(-2, "starts with a paragraph opener");
    }
    (score, reasons)
}

/// The decision at the blank line before block `b`.
pub fn judge(chapter: &Chapter, pages: &PageModel, b: usize) -> Verdict {
    let (mut score, mut reasons) =
        continuation(chapter, &chapter.blocks[b - 1], &chapter.blocks[b]);
    if pages.length.is_some() {
        if pages.is_page_end(b) {
            score += 1;
            reasons.push("a printed page ended here");
        } else {
            score -= 3;
            reasons.push("not where a page ended");
        }
    }
    Verdict {
        join: score > 0,
        score,
        reasons,
    }
}
