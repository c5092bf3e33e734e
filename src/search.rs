//! Concordance search, the pure part: what a query means and how a hit is shown.
//!
//! A query is matched three ways at once (the SQL is `db::search`): as a substring of the
//! Thai, folded ([`fold`]: lower case, no whitespace, after the same normalization as
//! imported text, so OCR and encoding variants of one text meet); as a sequence of Thai
//! words broken by Plae (`text::words`), which "whole words only" keeps to; and as English
//! words, case-insensitively. Here: the query's forms, and the highlighting of a hit,
//! which splits the stored text into plain and matched parts (never markup: the template
//! escapes every part).

use crate::text::normalize::normalize_inline;
use crate::text::words;

/// The longest query taken (characters): a search box, not a document.
pub const MAX_QUERY_CHARS: usize = 200;

/// A query in the forms the database compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// As typed, normalized (NFC, Thai repairs, no invisible characters, single spaces).
    pub text: String,
    /// Folded, for the substring match on the Thai.
    pub folded: String,
    /// `LIKE` pattern of `folded`.
    pub like_pattern: String,
    /// Thai words (and any other words) broken by Plae, space-joined, for the word match.
    pub words: String,
}

impl Query {
    /// `None` for a query with nothing to look for (empty, or only spaces).
    pub fn parse(raw: &str) -> Option<Query> {
        let text: String = normalize_inline(raw)
            .chars()
            .take(MAX_QUERY_CHARS)
            .collect();
        let text = text.trim().to_string();
        let folded = fold(&text);
        if folded.is_empty() {
            return None;
        }
        Some(Query {
            like_pattern: format!("%{}%", escape_like(&folded)),
            words: words::break_words(&text),
            folded,
            text,
        })
    }

    /// The query's words as the English match sees them: letters and digits, lower case.
    pub fn english_words(&self) -> Vec<String> {
        latin_words(&self.text)
            .map(|(_, w)| w.to_lowercase())
            .collect()
    }
}

/// Text as the Thai substring search compares it: lower case, whitespace removed. Also
/// `fold_for_search` in migration 0011, which folds the stored Thai the same way.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A piece of a shown text: plain, or a match.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Piece {
    pub text: String,
    pub matched: bool,
}

/// Byte ranges of `text` where the folded `needle` occurs, whitespace inside a match
/// allowed (it was folded away).
pub fn folded_matches(text: &str, needle: &str) -> Vec<(usize, usize)> {
    if needle.is_empty() {
        return Vec::new();
    }
    // Each folded character with the byte range of the character it came from.
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<(usize, usize, usize)> = Vec::new(); // folded byte, start, end
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        for lower in c.to_lowercase() {
            origin.push((folded.len(), i, i + c.len_utf8()));
            folded.push(lower);
        }
    }
    let at = |byte: usize| origin.partition_point(|&(b, _, _)| b < byte);
    folded
        .match_indices(needle)
        .filter_map(|(start, m)| {
            let first = origin.get(at(start))?;
            let last = origin.get(at(start + m.len()).checked_sub(1)?)?;
            Some((first.1, last.2))
        })
        .collect()
}

/// Byte ranges of the words of `text` that are among `words` (lower case).
pub fn word_matches(text: &str, words: &[String]) -> Vec<(usize, usize)> {
    latin_words(text)
        .filter(|(_, w)| words.iter().any(|q| q == &w.to_lowercase()))
        .map(|(i, w)| (i, i + w.len()))
        .collect()
}

/// Runs of letters and digits (Thai included: a Thai query word matches a Thai run only
/// when it is the whole run, which the folded match already covers).
fn latin_words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = rest.peek() {
            if c.is_alphanumeric() {
                break;
            }
            rest.next();
        }
        let (start, _) = *rest.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = rest.peek() {
            if !(c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)) {
                break;
            }
            end = i + c.len_utf8();
            rest.next();
        }
        Some((start, &text[start..end]))
    })
}

/// `text` cut into pieces at the `ranges` (overlapping ones merged), for at most `window`
/// characters around the first match (the whole text when it is short enough), with `…`
/// where text was left out.
pub fn highlight(text: &str, ranges: &[(usize, usize)], window: usize) -> Vec<Piece> {
    let mut ranges = ranges.to_vec();
    ranges.sort_unstable();
    let (from, to) = excerpt_bounds(text, ranges.first().map(|r| r.0), window);
    let mut pieces = Vec::new();
    if from > 0 {
        pieces.push(plain("… "));
    }
    let mut at = from;
    for (start, end) in ranges {
        let (start, end) = (start.max(at), end.min(to));
        if start >= end {
            continue;
        }
        if start > at {
            pieces.push(plain(&text[at..start]));
        }
        pieces.push(Piece {
            text: text[start..end].to_string(),
            matched: true,
        });
        at = end;
    }
    if at < to {
        pieces.push(plain(&text[at..to]));
    }
    if to < text.len() {
        pieces.push(plain(" …"));
    }
    pieces
}

fn plain(text: &str) -> Piece {
    Piece {
        text: text.to_string(),
        matched: false,
    }
}

/// Byte bounds of a window of about `window` characters that starts a third of the way
/// before `first_match` (or at the start), on character boundaries.
fn excerpt_bounds(text: &str, first_match: Option<usize>, window: usize) -> (usize, usize) {
    let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    if chars.len() <= window {
        return (0, text.len());
    }
    let match_char = first_match.map_or(0, |b| chars.partition_point(|&i| i < b));
    let start = match_char
        .saturating_sub(window / 3)
        .min(chars.len() - window);
    let end = start + window;
    (chars[start], chars.get(end).copied().unwrap_or(text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_normalized_and_folded() {
        // Decomposed sara am and a zero-width space typed into the query.
        let q = Query::parse(" ทำ\u{200b}งาน ").unwrap();
        let typed = Query::parse("ท\u{0e4d}\u{0e32}งาน").unwrap();
        assert_eq!(q.folded, "ทำงาน");
        assert_eq!(typed.folded, "ทำงาน");
        assert_eq!(Query::parse("Left  Front").unwrap().folded, "leftfront");
        assert!(Query::parse(" \u{200b} ").is_none());
    }

    #[test]
    fn like_wildcards_in_a_query_are_literal() {
        assert_eq!(
            Query::parse("50%_a\\").unwrap().like_pattern,
            "%50\\%\\_a\\\\%"
        );
    }

    #[test]
    fn a_match_across_a_space_covers_the_original_text() {
        let text = "ก่อน ประชา กร หลัง";
        let ranges = folded_matches(text, "ประชากร");
        assert_eq!(ranges.len(), 1);
        assert_eq!(&text[ranges[0].0..ranges[0].1], "ประชา กร");
    }

    #[test]
    fn english_words_match_case_insensitively() {
        let text = "The Party, the party's PARTY-line; partying.";
        let q = Query::parse("party").unwrap();
        let hits: Vec<&str> = word_matches(text, &q.english_words())
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(hits, ["Party", "party", "PARTY"]);
    }

    #[test]
    fn highlighting_cuts_text_without_markup() {
        let pieces = highlight("a <b> c", &[(2, 5)], 100);
        assert_eq!(
            pieces,
            [
                plain("a "),
                Piece {
                    text: "<b>".into(),
                    matched: true
                },
                plain(" c")
            ]
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let text = format!("{}target{}", "x".repeat(500), "y".repeat(500));
        let pieces = highlight(&text, &[(500, 506)], 60);
        let shown: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert!(shown.starts_with("… ") && shown.ends_with(" …"), "{shown}");
        assert!(pieces.iter().any(|p| p.matched && p.text == "target"));
        assert!(shown.chars().count() < 70);
    }
}
