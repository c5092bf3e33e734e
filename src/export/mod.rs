//! Bilingual editions: a book (or one chapter) as LaTeX, PDF, HTML, Markdown or plain text;
//! and the exchange formats for other tools, TMX ([`tmx`]) and XLIFF 2.0 and 1.2
//! ([`xliff`]), which `crate::exchange` reads back.
//!
//! The writers are pure functions from an [`Edition`] (plain data, loaded by
//! `db::export` or built by hand in tests) to bytes; [`export`] is the one entry point for
//! every text format, so the CLI and a web handler call the same thing. The PDF is the
//! LaTeX run through XeLaTeX ([`pdf`]), which is I/O and takes seconds, so it is separate.
//! [`command`] is `plae export`: the database, then a writer, then a file.
//!
//! Every writer follows the same rules, tested for each format:
//! * **exact**: every segment appears once, in order, with its text as stored;
//! * **no silent gaps**: a segment without the English asked for ([`Include`]) shows a
//!   visible marker ([`Gap`]) in its place;
//! * footnote references (`[^N]`, see `text::segment`) stay at the same place in both
//!   languages, as superscript marks; a segment of kind `footnote` is the note itself.

pub mod command;
pub mod html;
pub mod latex;
pub mod pdf;
pub mod text;
pub mod tmx;
pub mod xliff;
pub(crate) mod xml;

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A book, or part of it, ready to be written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    pub title_th: String,
    pub title_en: String,
    /// In reading order.
    pub chapters: Vec<EditionChapter>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionChapter {
    /// As printed in the source (`บทที่ 4`).
    pub number: i32,
    /// From the book's metadata: used for the table of contents and running heads. The
    /// chapter's own title, as translated, is its `chapter_title` segment.
    pub title_th: String,
    pub title_en: Option<String>,
    /// Live segments in reading order.
    pub segments: Vec<EditionSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionSegment {
    pub id: Uuid,
    pub kind: Kind,
    pub thai: String,
    /// The latest English, whatever its state (`current_revision_id`).
    pub draft: Option<String>,
    /// The English a reviewer approved (`approved_revision_id`); it can be older than the
    /// draft while an edit waits for review.
    pub approved: Option<String>,
    pub status: Status,
    /// Who wrote and approved the English, and the segment's comments: what the exchange
    /// formats (TMX, XLIFF) carry besides the text. `db::export` fills it; the other
    /// formats ignore it.
    pub record: SegmentRecord,
}

/// The history an exchange file carries about a segment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SegmentRecord {
    /// The revision `draft` is (`current_revision_id`): an XLIFF file names it, so that
    /// an import can tell whether someone saved in Plae since the file was written.
    pub draft_revision: Option<Uuid>,
    /// Who wrote `draft`, and when.
    pub drafted: Option<Signature>,
    /// Who wrote `approved`, and when.
    pub translated: Option<Signature>,
    /// The reviewer who approved `approved`, and when.
    pub approved: Option<Signature>,
    /// Every comment on the segment, thread by thread, oldest first.
    pub comments: Vec<EditionComment>,
}

/// Who did something, and when. `by` is a username; `None` for text the system wrote (an
/// import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// A comment on a segment, as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionComment {
    /// The author's username.
    pub author: String,
    pub at: DateTime<Utc>,
    pub body: String,
    /// A reply in a thread (rather than the comment that opened it).
    pub reply: bool,
    /// The thread it belongs to is resolved.
    pub resolved: bool,
}

/// What a segment is for the reader (the `segments.kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    ChapterTitle,
    Heading,
    Paragraph,
    Quote,
    Footnote,
}

impl Kind {
    pub fn parse(kind: &str) -> Option<Kind> {
        Some(match kind {
            "chapter_title" => Kind::ChapterTitle,
            "heading" => Kind::Heading,
            "paragraph" => Kind::Paragraph,
            "quote" => Kind::Quote,
            "footnote" => Kind::Footnote,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ChapterTitle => "chapter_title",
            Kind::Heading => "heading",
            Kind::Paragraph => "paragraph",
            Kind::Quote => "quote",
            Kind::Footnote => "footnote",
        }
    }
}

/// Where a segment is in the translation workflow (the `segments.status` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Untranslated,
    Draft,
    Submitted,
    Approved,
    ChangesRequested,
}

impl Status {
    pub fn parse(status: &str) -> Option<Status> {
        Some(match status {
            "untranslated" => Status::Untranslated,
            "draft" => Status::Draft,
            "submitted" => Status::Submitted,
            "approved" => Status::Approved,
            "changes_requested" => Status::ChangesRequested,
            _ => return None,
        })
    }

    /// The value stored in `segments.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Untranslated => "untranslated",
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Approved => "approved",
            Status::ChangesRequested => "changes_requested",
        }
    }
}

/// Which English an edition prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Include {
    /// Only English a reviewer approved: what a published edition shows.
    #[default]
    Approved,
    /// The latest English of every segment, reviewed or not: a working copy.
    Drafts,
}

/// How the two languages sit on the page (LaTeX and HTML).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Thai and English side by side, each pair starting level.
    #[default]
    Columns,
    /// Thai on the left page, English on the right page.
    Facing,
    /// English under Thai, paragraph by paragraph.
    Interleaved,
}

/// Which languages a Markdown or plain-text edition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Languages {
    Thai,
    English,
    /// Thai then English, segment by segment.
    #[default]
    Both,
}

/// The formats [`export`] writes. The PDF is [`pdf::export_pdf`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Latex,
    Html,
    Markdown,
    Text,
    /// TMX 1.4b: Thai–English pairs for a translation memory ([`tmx`]).
    Tmx,
    /// XLIFF 2.0, for CAT tools ([`xliff`]).
    Xliff,
    /// XLIFF 1.2, for CAT tools that do not read 2.0 ([`xliff`]).
    Xliff12,
}

impl Format {
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Latex => "application/x-tex; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Text => "text/plain; charset=utf-8",
            // TMX has no registered media type; XLIFF's covers both versions.
            Format::Tmx => "application/x-tmx+xml; charset=utf-8",
            Format::Xliff | Format::Xliff12 => "application/xliff+xml; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Latex => "tex",
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Text => "txt",
            Format::Tmx => "tmx",
            Format::Xliff | Format::Xliff12 => "xlf",
        }
    }
}

/// Everything about an edition except its content. `layout` applies to LaTeX and HTML,
/// `languages` to Markdown and plain text (LaTeX and HTML are always bilingual). TMX
/// honours `include` (approved pairs by default); XLIFF always carries the latest English,
/// the text a translator goes on from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    pub format: Format,
    pub layout: Layout,
    pub include: Include,
    pub languages: Languages,
}

impl ExportOptions {
    /// The defaults for a format: columns, approved English only, both languages.
    pub fn new(format: Format) -> ExportOptions {
        ExportOptions {
            format,
            layout: Layout::default(),
            include: Include::default(),
            languages: Languages::default(),
        }
    }
}

/// The edition as `options` say: the one function the CLI and the web call.
pub fn export(edition: &Edition, options: &ExportOptions) -> String {
    match options.format {
        Format::Latex => latex::write_latex(edition, options),
        Format::Html => html::write_html(edition, options),
        Format::Markdown => text::write_markdown(edition, options),
        Format::Text => text::write_text(edition, options),
        Format::Tmx => tmx::write_tmx(edition, options),
        Format::Xliff => xliff::write_xliff_2_0(edition),
        Format::Xliff12 => xliff::write_xliff_1_2(edition),
    }
}

/// The English a segment shows in an edition, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum English<'a> {
    Text(&'a str),
    Gap(Gap),
}

/// Why a segment has no English in an edition: shown as a visible marker, never dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Nobody has written English for it yet.
    Untranslated,
    /// There is English, but no reviewer has approved any of it (an `approved` edition).
    AwaitingReview,
}

impl Gap {
    /// The marker's words, the same in every format.
    pub fn label(self) -> &'static str {
        match self {
            Gap::Untranslated => "not yet translated",
            Gap::AwaitingReview => "translation awaiting review",
        }
    }

    /// The same in Thai, for the Thai-only editions.
    pub fn label_th(self) -> &'static str {
        match self {
            Gap::Untranslated => "ยังไม่ได้แปล",
            Gap::AwaitingReview => "คำแปลรอการตรวจ",
        }
    }
}

impl EditionSegment {
    pub fn english(&self, include: Include) -> English<'_> {
        let chosen = match include {
            Include::Drafts => self.draft.as_deref(),
            Include::Approved => self.approved.as_deref(),
        };
        match chosen {
            Some(text) => English::Text(text),
            None if self.draft.is_some() => English::Gap(Gap::AwaitingReview),
            None => English::Gap(Gap::Untranslated),
        }
    }
}

impl Edition {
    /// Every segment with its chapter, in reading order.
    pub fn segments(&self) -> impl Iterator<Item = (&EditionChapter, &EditionSegment)> {
        self.chapters
            .iter()
            .flat_map(|c| c.segments.iter().map(move |s| (c, s)))
    }

    /// Bytes of text in the edition, for sizing output buffers.
    pub fn text_len(&self) -> usize {
        self.segments()
            .map(|(_, s)| s.thai.len() + s.draft.as_ref().map_or(0, String::len))
            .sum()
    }
}

/// The footnote a `footnote` segment holds: the number of its leading `[^N]`, if it has
/// one.
pub fn note_number(text: &str) -> Option<&str> {
    let rest = text.trim_start().strip_prefix("[^")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && rest.as_bytes().get(digits) == Some(&b']')).then(|| &rest[..digits])
}

#[cfg(test)]
pub(crate) mod sample;

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(draft: Option<&str>, approved: Option<&str>) -> EditionSegment {
        EditionSegment {
            id: Uuid::nil(),
            kind: Kind::Paragraph,
            thai: "ก".into(),
            draft: draft.map(Into::into),
            approved: approved.map(Into::into),
            status: Status::Draft,
            record: SegmentRecord::default(),
        }
    }

    #[test]
    fn a_drafts_edition_shows_the_latest_english_whatever_its_state() {
        let s = segment(Some("new"), Some("old"));
        assert_eq!(s.english(Include::Drafts), English::Text("new"));
    }

    #[test]
    fn an_approved_edition_shows_the_approved_english_even_when_a_newer_draft_waits() {
        let s = segment(Some("new"), Some("old"));
        assert_eq!(s.english(Include::Approved), English::Text("old"));
    }

    #[test]
    fn english_that_nobody_approved_is_a_gap_in_an_approved_edition() {
        let s = segment(Some("new"), None);
        assert_eq!(
            s.english(Include::Approved),
            English::Gap(Gap::AwaitingReview)
        );
        let none = segment(None, None);
        assert_eq!(
            none.english(Include::Drafts),
            English::Gap(Gap::Untranslated)
        );
        assert_eq!(
            none.english(Include::Approved),
            English::Gap(Gap::Untranslated)
        );
    }

    #[test]
    fn a_note_is_numbered_by_its_leading_reference() {
        assert_eq!(note_number("[^26] อ้างแล้ว"), Some("26"));
        assert_eq!(note_number(" [^3]text"), Some("3"));
        assert_eq!(note_number("text [^3]"), None);
        assert_eq!(note_number("[^] x"), None);
    }

    #[test]
    fn kinds_and_statuses_read_back_what_the_database_stores() {
        for kind in [
            Kind::ChapterTitle,
            Kind::Heading,
            Kind::Paragraph,
            Kind::Quote,
            Kind::Footnote,
        ] {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(
            Status::parse("changes_requested"),
            Some(Status::ChangesRequested)
        );
        assert_eq!(Status::parse("nonsense"), None);
    }
}
