//! TMX 1.4b: the edition's Thai–English pairs for a translation memory.
//!
//! One `<tu>` per segment that has the English asked for ([`Include`]: approved pairs by
//! default, the latest English with `drafts`); a segment without it is left out (a memory
//! holds pairs, not gaps). The `tuid` is the segment's id; the English `<tuv>` carries who
//! wrote the text and when (`creationid`, `creationdate`), and for approved pairs the `<tu>`
//! who approved it and when (`changeid`, `changedate`). `<prop>`s say the segment's kind and
//! chapter. Text is as stored: footnote references stay `[^N]`, as text, which is what a
//! memory lookup compares. The header has no creation date, so the same edition always
//! gives the same bytes.

use super::xml::XmlWriter;
use super::{Edition, EditionSegment, ExportOptions, Include, Signature};

/// `creationtoolversion`.
const VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn write_tmx(edition: &Edition, options: &ExportOptions) -> String {
    let mut xml = XmlWriter::with_capacity(edition.text_len() + edition.segments().count() * 400);
    xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.open("tmx", &[("version", "1.4")]);
    xml.raw("\n  ");
    xml.open(
        "header",
        &[
            ("creationtool", "Plae"),
            ("creationtoolversion", VERSION),
            ("segtype", "paragraph"),
            ("o-tmf", "Plae"),
            ("adminlang", "en"),
            ("srclang", "th"),
            ("datatype", "plaintext"),
        ],
    );
    xml.raw("\n    ");
    xml.element("prop", &[("type", "x-book-title-th")], &edition.title_th);
    xml.raw("\n    ");
    xml.element("prop", &[("type", "x-book-title-en")], &edition.title_en);
    xml.raw("\n  ");
    xml.close("header");
    xml.raw("\n  ");
    xml.open("body", &[]);
    for (chapter, segment) in edition.segments() {
        if let Some((english, written, approval)) = pair(segment, options.include) {
            write_tu(
                &mut xml,
                chapter.number,
                segment,
                english,
                written,
                approval,
            );
        }
    }
    xml.raw("\n  ");
    xml.close("body");
    xml.raw("\n");
    xml.close("tmx");
    xml.raw("\n");
    xml.finish()
}

/// The English of the pair, who wrote it, and who approved it (for approved pairs).
fn pair(
    segment: &EditionSegment,
    include: Include,
) -> Option<(&str, Option<&Signature>, Option<&Signature>)> {
    let record = &segment.record;
    match include {
        Include::Approved => Some((
            segment.approved.as_deref()?,
            record.translated.as_ref(),
            record.approved.as_ref(),
        )),
        Include::Drafts => {
            let english = segment.draft.as_deref()?;
            let approval = record
                .approved
                .as_ref()
                .filter(|_| segment.approved.as_deref() == Some(english));
            Some((english, record.drafted.as_ref(), approval))
        }
    }
}

fn write_tu(
    xml: &mut XmlWriter,
    chapter: i32,
    segment: &EditionSegment,
    english: &str,
    written: Option<&Signature>,
    approval: Option<&Signature>,
) {
    let tuid = segment.id.to_string();
    let change_date = approval.map(tmx_date);
    let mut attributes = vec![("tuid", tuid.as_str()), ("srclang", "th")];
    if let (Some(approval), Some(date)) = (approval, change_date.as_deref()) {
        attributes.push(("changedate", date));
        if let Some(by) = approval.by.as_deref() {
            attributes.push(("changeid", by));
        }
    }
    xml.raw("\n    ");
    xml.open("tu", &attributes);
    xml.raw("\n      ");
    xml.element("prop", &[("type", "x-plae-kind")], segment.kind.as_str());
    xml.raw("\n      ");
    xml.element("prop", &[("type", "x-plae-chapter")], &chapter.to_string());
    xml.raw("\n      ");
    xml.open("tuv", &[("xml:lang", "th")]);
    xml.element("seg", &[], &segment.thai);
    xml.close("tuv");
    xml.raw("\n      ");
    let creation_date = written.map(tmx_date);
    let mut attributes = vec![("xml:lang", "en")];
    if let (Some(written), Some(date)) = (written, creation_date.as_deref()) {
        attributes.push(("creationdate", date));
        if let Some(by) = written.by.as_deref() {
            attributes.push(("creationid", by));
        }
    }
    xml.open("tuv", &attributes);
    xml.element("seg", &[], english);
    xml.close("tuv");
    xml.raw("\n    ");
    xml.close("tu");
}

/// TMX's date format: ISO 8601 basic, UTC (`20261123T101500Z`).
pub fn tmx_date(signature: &Signature) -> String {
    signature.at.format("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests;
