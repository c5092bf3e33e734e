//! The document's structure for each layout, and exactness: every segment's text is read
//! back out of the LaTeX source (undoing the escaping) and compared with the segment.

use super::*;
use crate::export::sample::{corpus, edition, SPECIALS};
use crate::export::{Edition, Format, Include};

fn latex(layout: Layout, include: Include) -> String {
    write_latex(
        &edition(),
        &ExportOptions {
            layout,
            include,
            ..ExportOptions::new(Format::Latex)
        },
    )
}

/// One segment as written: its id and kind, and the contents of its Thai and English
/// environments.
#[derive(Debug)]
struct Written {
    id: String,
    kind: String,
    thai: String,
    english: String,
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text
        .find(open)
        .unwrap_or_else(|| panic!("no {open} in {text}"))
        + open.len();
    let len = text[start..].find(close).expect("closed");
    &text[start..start + len]
}

fn written_segments(document: &str) -> Vec<Written> {
    document
        .split("\n% segment ")
        .skip(1)
        .map(|block| {
            let (head, body) = block.split_once('\n').expect("a header line");
            let (id, kind) = head.split_once(' ').expect("id and kind");
            let (th, en) = environments(Kind::parse(kind).expect("a kind"));
            Written {
                id: id.to_string(),
                kind: kind.to_string(),
                thai: unescape(between(
                    body,
                    &format!("\\begin{{{th}}}\n"),
                    &format!("\n\\end{{{th}}}"),
                )),
                english: unescape(between(
                    body,
                    &format!("\\begin{{{en}}}\n"),
                    &format!("\n\\end{{{en}}}"),
                )),
            }
        })
        .collect()
}

/// Undoes the escaping, the script runs and the footnote marks. Panics on anything else
/// that TeX would read as markup: a raw special character means text went in unescaped.
fn unescape(latex: &str) -> String {
    const SEQUENCES: [(&str, &str); 13] = [
        ("\\textbackslash{}", "\\"),
        ("\\textasciicircum{}", "^"),
        ("\\textasciitilde{}", "~"),
        ("\\plaenl{}", "\n"),
        ("\\plaegap{", "\u{1}GAP:"),
        ("\\{", "{"),
        ("\\}", "}"),
        ("\\$", "$"),
        ("\\&", "&"),
        ("\\#", "#"),
        ("\\_", "_"),
        ("\\%", "%"),
        ("\\plaefn{", "[^"),
    ];
    let mut out = String::new();
    let mut rest = latex;
    // What each open brace closes with: nothing for a script run, `]` for a footnote mark.
    let mut open: Vec<&str> = Vec::new();
    'outer: while let Some(c) = rest.chars().next() {
        for (escaped, plain) in SEQUENCES {
            if let Some(after) = rest.strip_prefix(escaped) {
                out.push_str(plain);
                match escaped {
                    "\\plaefn{" => open.push("]"),
                    "\\plaegap{" => open.push(""),
                    _ => {}
                }
                rest = after;
                continue 'outer;
            }
        }
        for wrapper in ["\\plaelatin{", "\\plaeth{"] {
            if let Some(after) = rest.strip_prefix(wrapper) {
                open.push("");
                rest = after;
                continue 'outer;
            }
        }
        match c {
            '}' => out.push_str(open.pop().expect("a brace closes what was opened")),
            '\\' | '{' | '$' | '&' | '#' | '^' | '_' | '%' | '~' => {
                panic!("unescaped {c:?} at {rest:?}")
            }
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    assert!(open.is_empty(), "unclosed braces in {latex}");
    out
}

fn expected_english(segment: &crate::export::EditionSegment, include: Include) -> String {
    match segment.english(include) {
        English::Text(text) => text.to_string(),
        English::Gap(gap) => format!("\u{1}GAP:{}", gap.label()),
    }
}

#[test]
fn every_segment_appears_once_in_order_with_its_text_as_stored() {
    for edition in [edition(), corpus()] {
        for layout in [Layout::Columns, Layout::Facing, Layout::Interleaved] {
            for include in [Include::Approved, Include::Drafts] {
                exact(&edition, layout, include);
            }
        }
    }
}

/// One edition, layout and inclusion: every segment read back and compared.
fn exact(edition: &Edition, layout: Layout, include: Include) {
    let options = ExportOptions {
        layout,
        include,
        ..ExportOptions::new(Format::Latex)
    };
    let written = written_segments(&write_latex(edition, &options));
    let expected: Vec<_> = edition.segments().map(|(_, s)| s).collect();
    assert_eq!(written.len(), expected.len(), "{layout:?}");
    for (w, s) in written.iter().zip(expected) {
        assert_eq!(w.id, s.id.to_string());
        assert_eq!(w.kind, s.kind.as_str());
        assert_eq!(w.thai, s.thai, "{layout:?}");
        assert_eq!(w.english, expected_english(s, include), "{layout:?}");
    }
}

#[test]
fn special_characters_are_escaped_in_both_languages() {
    let document = latex(Layout::Columns, Include::Approved);
    let escaped = "\\textbackslash{} \\{ \\} \\$ \\& \\# \\textasciicircum{} \\_ \\% \
                   \\textasciitilde{} < > | \"";
    assert_eq!(document.matches(escaped).count(), 2, "Thai and English");
    let written = written_segments(&document);
    assert!(written[5].thai.contains(SPECIALS));
    assert!(written[5].english.contains(SPECIALS));
}

#[test]
fn untranslated_and_unapproved_paragraphs_are_visible_gaps() {
    let approved = latex(Layout::Columns, Include::Approved);
    let written = written_segments(&approved);
    assert!(written[2]
        .english
        .ends_with("GAP:translation awaiting review"));
    assert!(written[3].english.ends_with("GAP:not yet translated"));
    let drafts = written_segments(&latex(Layout::Columns, Include::Drafts));
    assert!(drafts[2].english.starts_with("...Everything changed"));
    assert!(drafts[3].english.ends_with("GAP:not yet translated"));
}

#[test]
fn footnote_references_are_marks_in_both_languages_and_notes_are_set_as_notes() {
    let document = latex(Layout::Columns, Include::Drafts);
    assert!(document.contains("เซอร์กี(\\plaelatin{Victor Serge})ได้เปรียบเทียบ\\plaefn{30}"));
    assert!(document.contains("compared the two eras.\\plaefn{30}"));
    // A rule above the first note of the run, in each column, and none above the second.
    let notes = document
        .split("% segment 00000000-0000-0000-0000-000000000007")
        .nth(1);
    let notes = notes.expect("the first note");
    assert_eq!(notes.matches("\\plaenotes").count(), 2);
    assert!(notes.contains("\\begin{thnote}\n\\plaefn{30} อ้างแล้ว"));
}

#[test]
fn words_of_the_other_script_are_set_in_their_own_face() {
    let document = latex(Layout::Columns, Include::Drafts);
    assert!(document.contains("(\\plaelatin{Five Year Plan})"));
    assert!(document.contains("end (\\plaeth{คำไทย})"));
}

#[test]
fn columns_synchronize_every_pair_and_facing_puts_the_languages_on_facing_pages() {
    let segments = edition().segments().count();
    let columns = latex(Layout::Columns, Include::Drafts);
    assert_eq!(columns.matches("\\begin{paracol}{2}").count(), 2);
    assert_eq!(columns.matches("\\switchcolumn*\n").count(), segments);
    assert_eq!(columns.matches("\\switchcolumn\n").count(), segments);

    let facing = latex(Layout::Facing, Include::Drafts);
    assert!(facing.contains("\\twosided[p]"));
    assert_eq!(facing.matches("\\begin{paracol}[1]*{2}").count(), 2);
    assert_eq!(facing.matches("\\switchcolumn*\n").count(), segments);

    let interleaved = latex(Layout::Interleaved, Include::Drafts);
    assert!(!interleaved.contains("\\begin{paracol}"));
    assert!(!interleaved.contains("\\switchcolumn"));
    let pair = between(&interleaved, "\\end{thpara}\n", "\\end{enpara}");
    assert!(
        pair.starts_with("\\begin{enpara}\n"),
        "English right under Thai"
    );
}

#[test]
fn the_title_page_contents_and_chapters_come_from_the_edition() {
    let document = latex(Layout::Columns, Include::Drafts);
    assert!(document.contains(
        "\\plaetitlepage{ประวัติศาสตร์สหภาพโซเวียต}{A History of the Soviet Union}{Working copy"
    ));
    assert!(document.contains("\\tableofcontents"));
    assert!(document.contains("\\plaechapter{3}{นโยบายเศรษฐกิจใหม่}{The New Economic Policy}"));
    assert!(document.contains("\\plaetocheading{แผนพัฒนาประเทศห้าปี}{The Five-Year Plans}"));
    // Chapter 4 has no chapter_title segment: its metadata title opens it.
    assert!(document.contains("\\plaechapter{4}{สตาลิน}{}\n\\plaechapterheading{สตาลิน}{}"));
    let approved = latex(Layout::Columns, Include::Approved);
    assert!(approved.contains("{A History of the Soviet Union}{}\n"));
}
