//! The edition as Markdown or plain text: English only, Thai only, or both, segment by
//! segment (Thai first).
//!
//! One block per segment and language, blocks separated by a blank line (in plain text a
//! segment's Thai and English are two lines of one block). Text is written as stored: plain
//! text changes nothing; Markdown escapes the characters Markdown would act on, so that
//! the rendered page shows them, and keeps footnote references as Markdown footnote
//! references (`[^30]`). A segment without the English asked for is a visible
//! `[not yet translated]` in its place.

use std::fmt::Write;

use super::{Edition, English, ExportOptions, Gap, Kind, Languages};

/// Plain text: headings and paragraphs as they are, quotations indented by four spaces.
pub fn write_text(edition: &Edition, options: &ExportOptions) -> String {
    let mut out = String::with_capacity(edition.text_len() + 4096);
    let (th, en) = languages(options.languages);
    if th {
        out.push_str(&edition.title_th);
        out.push('\n');
    }
    if en {
        out.push_str(&edition.title_en);
        out.push('\n');
    }
    for (i, (chapter, segment)) in edition.segments().enumerate() {
        // Two blank lines before a chapter, one between segments.
        let opens_chapter = chapter.segments.first().map(|s| s.id) == Some(segment.id);
        out.push_str(if opens_chapter || i == 0 {
            "\n\n"
        } else {
            "\n"
        });
        let indent = if segment.kind == Kind::Quote {
            "    "
        } else {
            ""
        };
        if th {
            push_lines(&mut out, indent, &segment.thai);
        }
        if en {
            match segment.english(options.include) {
                English::Text(text) => push_lines(&mut out, indent, text),
                English::Gap(gap) => push_lines(&mut out, indent, &gap_marker(gap)),
            }
        }
    }
    out
}

/// Markdown: the chapter title as `##`, headings as `###`, quotations as `>`.
pub fn write_markdown(edition: &Edition, options: &ExportOptions) -> String {
    let mut out = String::with_capacity(edition.text_len() * 21 / 20 + 4096);
    let (th, en) = languages(options.languages);
    out.push_str("# ");
    match (th, en) {
        (true, true) => {
            markdown_escape(&mut out, &edition.title_th);
            out.push_str(" — ");
            markdown_escape(&mut out, &edition.title_en);
        }
        (true, false) => markdown_escape(&mut out, &edition.title_th),
        _ => markdown_escape(&mut out, &edition.title_en),
    }
    out.push('\n');
    for (_, segment) in edition.segments() {
        let prefix = match segment.kind {
            Kind::ChapterTitle => "## ",
            Kind::Heading => "### ",
            Kind::Quote => "> ",
            Kind::Paragraph | Kind::Footnote => "",
        };
        if th {
            markdown_block(&mut out, prefix, &segment.thai);
        }
        if en {
            match segment.english(options.include) {
                English::Text(text) => markdown_block(&mut out, prefix, text),
                English::Gap(gap) => {
                    let _ = write!(out, "\n{prefix}*{}*\n", markdown_gap(gap));
                }
            }
        }
    }
    out
}

fn languages(languages: Languages) -> (bool, bool) {
    match languages {
        Languages::Thai => (true, false),
        Languages::English => (false, true),
        Languages::Both => (true, true),
    }
}

/// The plain-text marker for a segment without English.
pub fn gap_marker(gap: Gap) -> String {
    format!("[{}]", gap.label())
}

/// The same in Markdown (inside `*…*`), its brackets escaped.
fn markdown_gap(gap: Gap) -> String {
    format!("\\[{}\\]", gap.label())
}

fn push_lines(out: &mut String, indent: &str, text: &str) {
    for line in text.split('\n') {
        out.push_str(indent);
        out.push_str(line);
        out.push('\n');
    }
}

/// A blank line, then the text with `prefix` on its first line (a `>` on every line of a
/// quotation, so a line break does not end it).
fn markdown_block(out: &mut String, prefix: &str, text: &str) {
    out.push('\n');
    for (i, line) in text.split('\n').enumerate() {
        if i == 0 || prefix == "> " {
            out.push_str(prefix);
        }
        markdown_escape(out, line);
        out.push('\n');
    }
}

/// Escapes what Markdown (CommonMark, and GitHub's tables and strikethrough) would act on,
/// with a backslash, which every renderer removes. Footnote references `[^N]` stay as they
/// are: they are Markdown's own.
fn markdown_escape(out: &mut String, line: &str) {
    let bytes = line.as_bytes();
    let mut i = 0;
    // At the start of the line: what would make it a heading, a list item or a rule.
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits > 0 && matches!(bytes.get(digits), Some(b'.' | b')')) {
        out.push_str(&line[..digits]);
        out.push('\\');
        i = digits;
    } else if matches!(bytes.first(), Some(b'#' | b'-' | b'+' | b'=')) {
        out.push('\\');
    }
    let mut plain = i;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'[' {
            let reference = footnote_reference_len(&line[i..]);
            if reference > 0 {
                i += reference;
                continue;
            }
        }
        if matches!(
            b,
            b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'|' | b'~' | b'&'
        ) {
            out.push_str(&line[plain..i]);
            out.push('\\');
            plain = i;
        }
        i += 1;
    }
    out.push_str(&line[plain..]);
}

/// The length of `[^N]` at the start of `s`, or 0.
fn footnote_reference_len(s: &str) -> usize {
    let Some(rest) = s.strip_prefix("[^") else {
        return 0;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && rest.as_bytes().get(digits) == Some(&b']') {
        digits + 3
    } else {
        0
    }
}

#[cfg(test)]
mod tests;
