//! The edition as one standalone HTML file (`templates/export/edition.html`): inline CSS,
//! no external requests, a print stylesheet, `lang` on every Thai and English element, a
//! table of contents, footnote marks linked to their notes when the chapter has them.
//!
//! Layouts: `columns` (a grid row per segment, so each pair starts level), `facing` (the
//! same rows set as an open book on screen: Thai on the left page, English on the right;
//! printed like columns, since CSS cannot send the languages to alternate pages), and
//! `interleaved` (English under Thai). Text is escaped by askama like every page.

use askama::Template;
use uuid::Uuid;

use super::{note_number, Edition, EditionChapter, English, ExportOptions, Include, Kind, Layout};
use crate::web::footnotes::{split_footnotes, Part};

#[derive(Template)]
#[template(path = "export/edition.html")]
struct EditionPage<'a> {
    title_th: &'a str,
    title_en: &'a str,
    layout_class: &'static str,
    drafts: bool,
    chapters: Vec<ChapterView<'a>>,
}

struct ChapterView<'a> {
    number: i32,
    title_th: &'a str,
    title_en: Option<&'a str>,
    /// Without a `chapter_title` segment the metadata's titles open the chapter.
    has_title_segment: bool,
    headings: Vec<TocHeading<'a>>,
    segments: Vec<SegmentView<'a>>,
}

struct TocHeading<'a> {
    id: Uuid,
    thai: &'a str,
    english: Option<&'a str>,
}

struct SegmentView<'a> {
    id: Uuid,
    kind: Kind,
    thai: Vec<Piece<'a>>,
    english: EnglishView<'a>,
    /// For a footnote segment: the anchors its marks link to, Thai and English.
    note_th: Option<String>,
    note_en: Option<String>,
}

enum EnglishView<'a> {
    Text(Vec<Piece<'a>>),
    Gap(&'static str),
}

/// A piece of segment text: plain (escaped by the template) or a footnote mark.
enum Piece<'a> {
    Text(&'a str),
    Mark {
        number: &'a str,
        /// `#note-…` when the chapter holds the note.
        href: Option<String>,
    },
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Kind::ChapterTitle => "kind-title",
            Kind::Heading => "kind-heading",
            Kind::Paragraph => "kind-paragraph",
            Kind::Quote => "kind-quote",
            Kind::Footnote => "kind-note",
        }
    }
}

pub fn write_html(edition: &Edition, options: &ExportOptions) -> String {
    let page = EditionPage {
        title_th: &edition.title_th,
        title_en: &edition.title_en,
        layout_class: match options.layout {
            Layout::Columns => "layout-columns",
            Layout::Facing => "layout-facing",
            Layout::Interleaved => "layout-interleaved",
        },
        drafts: options.include == Include::Drafts,
        chapters: edition
            .chapters
            .iter()
            .map(|c| chapter_view(c, options.include))
            .collect(),
    };
    let mut html = String::with_capacity(edition.text_len() * 5 / 4 + 16 * 1024);
    page.render_into(&mut html)
        .expect("rendering into a String cannot fail");
    html
}

fn note_anchor(chapter: i32, number: &str, lang: &str) -> String {
    format!("note-{chapter}-{number}-{lang}")
}

fn chapter_view<'a>(chapter: &'a EditionChapter, include: Include) -> ChapterView<'a> {
    // The notes each language has in this chapter: a mark links to its note only if
    // the note is there (an untranslated note is a gap on the English side).
    let notes_th: Vec<&str> = chapter
        .segments
        .iter()
        .filter(|s| s.kind == Kind::Footnote)
        .filter_map(|s| note_number(&s.thai))
        .collect();
    let notes_en: Vec<&str> = chapter
        .segments
        .iter()
        .filter(|s| s.kind == Kind::Footnote)
        .filter(|s| matches!(s.english(include), English::Text(_)))
        .filter_map(|s| note_number(&s.thai))
        .collect();
    let pieces = |text: &'a str, lang: &str| -> Vec<Piece<'a>> {
        let notes = if lang == "th" { &notes_th } else { &notes_en };
        split_footnotes(text)
            .into_iter()
            .map(|part| match part {
                Part::Text(text) => Piece::Text(text),
                Part::Footnote(number) => Piece::Mark {
                    number,
                    href: notes
                        .contains(&number)
                        .then(|| format!("#{}", note_anchor(chapter.number, number, lang))),
                },
            })
            .collect()
    };
    let segments = chapter
        .segments
        .iter()
        .map(|s| {
            let note = (s.kind == Kind::Footnote)
                .then(|| note_number(&s.thai))
                .flatten();
            SegmentView {
                id: s.id,
                kind: s.kind,
                thai: pieces(&s.thai, "th"),
                english: match s.english(include) {
                    English::Text(text) => EnglishView::Text(pieces(text, "en")),
                    English::Gap(gap) => EnglishView::Gap(gap.label()),
                },
                note_th: note.map(|n| note_anchor(chapter.number, n, "th")),
                note_en: note.map(|n| note_anchor(chapter.number, n, "en")),
            }
        })
        .collect();
    ChapterView {
        number: chapter.number,
        title_th: &chapter.title_th,
        title_en: chapter.title_en.as_deref(),
        has_title_segment: chapter
            .segments
            .iter()
            .any(|s| s.kind == Kind::ChapterTitle),
        headings: chapter
            .segments
            .iter()
            .filter(|s| s.kind == Kind::Heading)
            .map(|s| TocHeading {
                id: s.id,
                thai: &s.thai,
                english: match s.english(include) {
                    English::Text(text) => Some(text),
                    English::Gap(_) => None,
                },
            })
            .collect(),
        segments,
    }
}

#[cfg(test)]
mod tests;
