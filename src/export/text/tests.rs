//! Exactness: the output is parsed back and compared with the segments.

use super::*;
use crate::export::sample::{corpus, edition, SPECIALS};
use crate::export::{Edition, Format, Include};

fn options(format: Format, languages: Languages, include: Include) -> ExportOptions {
    ExportOptions {
        languages,
        include,
        ..ExportOptions::new(format)
    }
}

/// What each segment should show, in order: its Thai and/or its English or gap marker.
fn expected(edition: &Edition, languages: Languages, include: Include) -> Vec<Vec<String>> {
    let (th, en) = super::languages(languages);
    edition
        .segments()
        .map(|(_, s)| {
            let mut texts = Vec::new();
            if th {
                texts.push(s.thai.clone());
            }
            if en {
                texts.push(match s.english(include) {
                    English::Text(t) => t.to_string(),
                    English::Gap(gap) => gap_marker(gap),
                });
            }
            texts
        })
        .collect()
}

/// Blocks separated by blank lines, after the title lines.
fn blocks(output: &str) -> Vec<&str> {
    let body = output
        .split_once("\n\n\n")
        .expect("titles, then chapters")
        .1;
    body.split("\n\n")
        .map(|b| b.trim_matches('\n'))
        .filter(|b| !b.is_empty())
        .collect()
}

fn parse_text(output: &str) -> Vec<Vec<String>> {
    blocks(output)
        .into_iter()
        .map(|block| {
            block
                .lines()
                .map(|l| l.strip_prefix("    ").unwrap_or(l).to_string())
                .collect()
        })
        .collect()
}

/// Markdown blocks back to text: prefixes off, backslash escapes removed, a gap's `*…*`
/// off. Blocks of one segment are grouped by the number of languages.
fn parse_markdown(output: &str, per_segment: usize) -> Vec<Vec<String>> {
    let (title, body) = output.split_once("\n\n").expect("a title line");
    assert!(title.starts_with("# "));
    let texts: Vec<String> = body
        .split("\n\n")
        .map(|block| {
            let block = block.trim_matches('\n');
            let block = ["## ", "### ", "> "]
                .iter()
                .find_map(|p| block.strip_prefix(p))
                .unwrap_or(block);
            let text = unescape_markdown(block);
            match text.strip_prefix('*').and_then(|t| t.strip_suffix('*')) {
                Some(marker) if marker.starts_with('[') => marker.to_string(),
                _ => text,
            }
        })
        .collect();
    texts.chunks(per_segment).map(<[String]>::to_vec).collect()
}

fn unescape_markdown(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(next)) if next.is_ascii_punctuation() => {
                out.push(*next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

const ALL_LANGUAGES: [Languages; 3] = [Languages::Both, Languages::Thai, Languages::English];
const ALL_INCLUDES: [Include; 2] = [Include::Approved, Include::Drafts];

#[test]
fn plain_text_holds_every_segment_once_in_order_as_stored() {
    for edition in [edition(), corpus()] {
        for languages in ALL_LANGUAGES {
            for include in ALL_INCLUDES {
                let out = write_text(&edition, &options(Format::Text, languages, include));
                assert_eq!(
                    parse_text(&out),
                    expected(&edition, languages, include),
                    "{languages:?} {include:?}:\n{out}"
                );
            }
        }
    }
}

#[test]
fn markdown_holds_every_segment_once_in_order_as_stored() {
    for edition in [edition(), corpus()] {
        for languages in ALL_LANGUAGES {
            for include in ALL_INCLUDES {
                let per_segment = if languages == Languages::Both { 2 } else { 1 };
                let out = write_markdown(&edition, &options(Format::Markdown, languages, include));
                assert_eq!(
                    parse_markdown(&out, per_segment),
                    expected(&edition, languages, include),
                    "{languages:?} {include:?}:\n{out}"
                );
            }
        }
    }
}

#[test]
fn an_english_edition_has_english_or_a_marker_for_every_segment_and_no_thai_of_its_own() {
    let edition = edition();
    let out = write_text(
        &edition,
        &options(Format::Text, Languages::English, Include::Approved),
    );
    let blocks = parse_text(&out);
    assert_eq!(blocks.len(), edition.segments().count());
    assert!(blocks.iter().flatten().any(|b| b == "[not yet translated]"));
    assert!(blocks
        .iter()
        .flatten()
        .any(|b| b == "[translation awaiting review]"));
    for (block, (_, segment)) in blocks.iter().zip(edition.segments()) {
        assert!(!block[0].contains(&segment.thai), "{block:?}");
    }
}

#[test]
fn markdown_shows_special_characters_literally_and_keeps_footnote_references() {
    let out = write_markdown(
        &edition(),
        &options(Format::Markdown, Languages::Both, Include::Drafts),
    );
    assert!(out.contains(r"\\ { } $ \& # ^ \_ % \~ \< \> \| "), "{out}");
    assert!(out.contains("compared the two eras.[^30]"));
    assert!(out.contains("\n> ...ทุกสิ่งเปลี่ยนไป"));
    assert!(out.contains("\n## บทที่ 3 นโยบายเศรษฐกิจใหม่\n"));
    assert!(out.contains("\n### The Five-Year Plans\n"));
    assert!(out.contains("\n*\\[not yet translated\\]*\n"));
}

#[test]
fn markdown_escapes_what_would_start_a_list_or_a_heading() {
    let mut out = String::new();
    markdown_escape(&mut out, "1920. ปี");
    assert_eq!(out, "1920\\. ปี");
    out.clear();
    markdown_escape(&mut out, "# not a heading - nor + a list");
    assert_eq!(out, "\\# not a heading - nor + a list");
    out.clear();
    markdown_escape(&mut out, "[^12] and [^x] [1]");
    assert_eq!(out, "[^12] and \\[^x\\] \\[1\\]");
}

#[test]
fn the_special_characters_sample_is_in_the_edition() {
    assert!(edition().segments().any(|(_, s)| s.thai.contains(SPECIALS)));
}
