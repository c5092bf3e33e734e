//! XLIFF 2.0 and 1.2: a chapter (or the book) for a CAT tool (OmegaT, memoQ, Trados), to
//! translate there and import back (`exchange::import_xliff`).
//!
//! One `<file>` per chapter, with the book's and the chapter's titles as notes; one unit
//! per segment, in reading order, whose id is the segment's UUID (stable across exports,
//! re-imports of the Thai, and tools). The source is the Thai, the target the latest
//! English (whatever its state: it is what the translator goes on from), absent when there
//! is none. The segment's comments are notes. Footnote references (`[^30]`) are inline
//! placeholders (`<ph>`), so a CAT tool protects them and checks that the English keeps
//! them; their `equiv`/content is the reference itself, so they come back exactly. A
//! reference only the English has stays text. `xml:space="preserve"` is on the units whose
//! text has line breaks or significant spaces. The file names the revision each target is,
//! or `none` (2.0: a `plae:revision` attribute; 1.2: `extradata="plae-revision:…"`), so an
//! import can tell whether someone saved in Plae meanwhile.
//!
//! States (see [`state_2_0`], [`state_1_2`]; the import's side is `exchange::xliff`):
//!
//! | Plae | XLIFF 2.0 `state` (`subState`) | XLIFF 1.2 `<target state>` |
//! | --- | --- | --- |
//! | untranslated | `initial` (no target) | no target |
//! | draft | `translated` | `translated` |
//! | changes requested | `initial`, target kept (a reviewer wants it reworked) | `needs-translation` |
//! | submitted | `translated` (`plae:submitted`: waiting for review, not reviewed) | `needs-review-translation` |
//! | approved | `final` | `signed-off`, and `approved="yes"` on the unit |
//!
//! 2.0's `subState` is always `plae:` and the exact Plae status.

use super::xml::{needs_preserve, pieces, Piece, XmlWriter};
use super::{Edition, EditionChapter, EditionComment, EditionSegment, Status};

/// Namespaces, and Plae's own (for the revision attribute, which 2.0 allows on units).
pub const XLIFF_2_0_NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:2.0";
pub const XLIFF_1_2_NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:1.2";
pub const PLAE_NAMESPACE: &str = "urn:x-plae:exchange";
/// 1.2's `extradata` value before the revision id.
pub const EXTRADATA_REVISION: &str = "plae-revision:";
/// The revision of a segment that had no English.
pub const NO_REVISION: &str = "none";

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The XLIFF 2.0 `state` and `subState` of a segment in this status.
pub fn state_2_0(status: Status) -> (&'static str, &'static str) {
    let state = match status {
        Status::Untranslated | Status::ChangesRequested => "initial",
        Status::Draft | Status::Submitted => "translated",
        Status::Approved => "final",
    };
    let sub_state = match status {
        Status::Untranslated => "plae:untranslated",
        Status::Draft => "plae:draft",
        Status::Submitted => "plae:submitted",
        Status::Approved => "plae:approved",
        Status::ChangesRequested => "plae:changes_requested",
    };
    (state, sub_state)
}

/// The XLIFF 1.2 `state` of a segment's target in this status (`None`: no target).
pub fn state_1_2(status: Status) -> Option<&'static str> {
    Some(match status {
        Status::Untranslated => return None,
        Status::Draft => "translated",
        Status::ChangesRequested => "needs-translation",
        Status::Submitted => "needs-review-translation",
        Status::Approved => "signed-off",
    })
}

pub fn write_xliff_2_0(edition: &Edition) -> String {
    let mut xml = writer(edition);
    xml.open(
        "xliff",
        &[
            ("xmlns", XLIFF_2_0_NAMESPACE),
            ("xmlns:plae", PLAE_NAMESPACE),
            ("version", "2.0"),
            ("srcLang", "th"),
            ("trgLang", "en"),
        ],
    );
    for chapter in &edition.chapters {
        let id = file_id(chapter);
        xml.raw("\n  ");
        // canResegment="no": one segment per unit, so that it imports back as it left.
        xml.open(
            "file",
            &[("id", &id), ("original", &id), ("canResegment", "no")],
        );
        xml.raw("\n    ");
        xml.open("notes", &[]);
        for (category, text) in titles(edition, chapter) {
            xml.raw("\n      ");
            xml.element("note", &[("category", category)], &text);
        }
        xml.raw("\n    ");
        xml.close("notes");
        for segment in &chapter.segments {
            unit_2_0(&mut xml, segment);
        }
        xml.raw("\n  ");
        xml.close("file");
    }
    xml.raw("\n");
    xml.close("xliff");
    xml.raw("\n");
    xml.finish()
}

fn unit_2_0(xml: &mut XmlWriter, segment: &EditionSegment) {
    let id = segment.id.to_string();
    let kind = format!("plae:{}", segment.kind.as_str());
    let revision = base(segment);
    let mut attributes = vec![("id", id.as_str()), ("type", kind.as_str())];
    if let Some(revision) = revision.as_deref() {
        attributes.push(("plae:revision", revision));
    }
    if preserve(segment) {
        attributes.push(("xml:space", "preserve"));
    }
    xml.raw("\n    ");
    xml.open("unit", &attributes);
    if !segment.record.comments.is_empty() {
        xml.raw("\n      ");
        xml.open("notes", &[]);
        for comment in &segment.record.comments {
            xml.raw("\n        ");
            xml.element("note", &[("category", "plae:comment")], &note(comment));
        }
        xml.raw("\n      ");
        xml.close("notes");
    }
    let (state, sub_state) = state_2_0(segment.status);
    xml.raw("\n      ");
    xml.open("segment", &[("state", state), ("subState", sub_state)]);
    xml.raw("\n        ");
    xml.open("source", &[]);
    inline(xml, &segment.thai, None, Placeholder::Empty);
    xml.close("source");
    if let Some(english) = segment.draft.as_deref() {
        xml.raw("\n        ");
        xml.open("target", &[]);
        inline(xml, english, Some(&segment.thai), Placeholder::Empty);
        xml.close("target");
    }
    xml.raw("\n      ");
    xml.close("segment");
    xml.raw("\n    ");
    xml.close("unit");
}

pub fn write_xliff_1_2(edition: &Edition) -> String {
    let mut xml = writer(edition);
    xml.open(
        "xliff",
        &[("xmlns", XLIFF_1_2_NAMESPACE), ("version", "1.2")],
    );
    for chapter in &edition.chapters {
        let id = file_id(chapter);
        xml.raw("\n  ");
        xml.open(
            "file",
            &[
                ("original", &id),
                ("source-language", "th"),
                ("target-language", "en"),
                ("datatype", "plaintext"),
            ],
        );
        xml.raw("\n    ");
        xml.open("header", &[]);
        xml.raw("\n      ");
        xml.empty(
            "tool",
            &[
                ("tool-id", "plae"),
                ("tool-name", "Plae"),
                ("tool-version", VERSION),
            ],
        );
        for (_, text) in titles(edition, chapter) {
            xml.raw("\n      ");
            xml.element("note", &[], &text);
        }
        xml.raw("\n    ");
        xml.close("header");
        xml.raw("\n    ");
        xml.open("body", &[]);
        for segment in &chapter.segments {
            unit_1_2(&mut xml, segment);
        }
        xml.raw("\n    ");
        xml.close("body");
        xml.raw("\n  ");
        xml.close("file");
    }
    xml.raw("\n");
    xml.close("xliff");
    xml.raw("\n");
    xml.finish()
}

fn unit_1_2(xml: &mut XmlWriter, segment: &EditionSegment) {
    let id = segment.id.to_string();
    let restype = format!("x-{}", segment.kind.as_str().replace('_', "-"));
    let extradata = base(segment).map(|r| format!("{EXTRADATA_REVISION}{r}"));
    let mut attributes = vec![("id", id.as_str()), ("restype", restype.as_str())];
    if let Some(extradata) = extradata.as_deref() {
        attributes.push(("extradata", extradata));
    }
    if segment.status == Status::Approved {
        attributes.push(("approved", "yes"));
    }
    if preserve(segment) {
        attributes.push(("xml:space", "preserve"));
    }
    xml.raw("\n      ");
    xml.open("trans-unit", &attributes);
    xml.raw("\n        ");
    xml.open("source", &[]);
    inline(xml, &segment.thai, None, Placeholder::WithCode);
    xml.close("source");
    if let (Some(english), Some(state)) = (segment.draft.as_deref(), state_1_2(segment.status)) {
        xml.raw("\n        ");
        xml.open("target", &[("state", state)]);
        inline(xml, english, Some(&segment.thai), Placeholder::WithCode);
        xml.close("target");
    }
    for comment in &segment.record.comments {
        xml.raw("\n        ");
        xml.element("note", &[("from", &comment.author)], &note(comment));
    }
    xml.raw("\n      ");
    xml.close("trans-unit");
}

/// The revision the target is, as the file names it: its id, `none` when there is no
/// English, nothing when the edition does not know (one built by hand).
fn base(segment: &EditionSegment) -> Option<String> {
    match (&segment.draft, segment.record.draft_revision) {
        (None, _) => Some(NO_REVISION.into()),
        (Some(_), Some(revision)) => Some(revision.to_string()),
        (Some(_), None) => None,
    }
}

fn writer(edition: &Edition) -> XmlWriter {
    let segments = edition.segments().count();
    let mut xml = XmlWriter::with_capacity(edition.text_len() * 11 / 10 + segments * 400);
    xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml
}

/// `chapter-4`: the file's id and `original`.
fn file_id(chapter: &EditionChapter) -> String {
    format!("chapter-{}", chapter.number)
}

/// The notes that say which book and chapter a file is.
fn titles(edition: &Edition, chapter: &EditionChapter) -> [(&'static str, String); 2] {
    let book = format!("{} — {}", edition.title_th, edition.title_en);
    let chapter_title = match &chapter.title_en {
        Some(en) => format!(
            "บทที่ {n} {} — Chapter {n}: {en}",
            chapter.title_th,
            n = chapter.number
        ),
        None => format!("บทที่ {} {}", chapter.number, chapter.title_th),
    };
    [("plae:book", book), ("plae:chapter", chapter_title)]
}

fn preserve(segment: &EditionSegment) -> bool {
    needs_preserve(&segment.thai) || segment.draft.as_deref().is_some_and(needs_preserve)
}

/// A comment as a note: who, when, whether a reply or resolved, then the body.
fn note(comment: &EditionComment) -> String {
    let mut about = comment.at.format("%Y-%m-%d %H:%M UTC").to_string();
    if comment.reply {
        about.push_str(", reply");
    }
    if comment.resolved {
        about.push_str(", resolved");
    }
    format!("{} ({about}): {}", comment.author, comment.body)
}

/// How a footnote reference is written: 2.0 `<ph id equiv disp/>`, 1.2 `<ph id>[^N]</ph>`.
#[derive(Clone, Copy)]
enum Placeholder {
    Empty,
    WithCode,
}

/// Text with its footnote references as placeholders. Each reference's id is `fnN`, and
/// `fnN-2`, `fnN-3`… for repeats in the same text; in a target (`source` given), a
/// reference whose id the source lacks stays text, since a placeholder in the target must
/// match one in the source.
fn inline(xml: &mut XmlWriter, text: &str, source: Option<&str>, form: Placeholder) {
    let source_ids = source.map(placeholder_ids);
    let mut seen: Vec<&str> = Vec::new();
    for piece in pieces(text) {
        match piece {
            Piece::Text(text) => xml.text(text),
            Piece::Note { code, number } => {
                let id = placeholder_id(number, &mut seen);
                if source_ids.as_ref().is_some_and(|ids| !ids.contains(&id)) {
                    xml.text(code);
                    continue;
                }
                match form {
                    Placeholder::Empty => {
                        xml.empty("ph", &[("id", &id), ("equiv", code), ("disp", code)])
                    }
                    Placeholder::WithCode => {
                        xml.element("ph", &[("id", &id), ("ctype", "x-footnote")], code)
                    }
                }
            }
        }
    }
}

/// The placeholder id of the next reference to note `number`.
fn placeholder_id<'a>(number: &'a str, seen: &mut Vec<&'a str>) -> String {
    let repeat = seen.iter().filter(|n| **n == number).count();
    seen.push(number);
    match repeat {
        0 => format!("fn{number}"),
        n => format!("fn{number}-{}", n + 1),
    }
}

fn placeholder_ids(text: &str) -> Vec<String> {
    let mut seen = Vec::new();
    pieces(text)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Note { number, .. } => Some(placeholder_id(number, &mut seen)),
            Piece::Text(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
