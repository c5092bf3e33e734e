//! The glossary as TBX (ISO 30042:2019, the TBX-Basic dialect in its DCA style): one
//! `conceptEntry` per term, a `langSec` for Thai and one for English, each with a
//! `termSec`; the note as the entry's `note`; the status as the Thai term's
//! `administrativeStatus` (`preferredTerm-admn-sts` for approved, `admittedTerm-admn-sts`
//! for proposed).
//!
//! Reading takes that and also TBX of 2008 (`martif`, `termEntry`, `langSet`, `tig`), which
//! most CAT tools still write. The XML is read by `exchange::xml`: no DOCTYPE, no entity,
//! nothing fetched.

use super::csv::Row;
use super::{ImportError, NewTerm, TermStatus};
use crate::exchange::xml::{self, Element};
use crate::export::xml::XmlWriter;

const NAMESPACE: &str = "urn:iso:std:iso:30042:ed-2";
const PREFERRED: &str = "preferredTerm-admn-sts";
const ADMITTED: &str = "admittedTerm-admn-sts";

pub fn write<'a>(rows: impl IntoIterator<Item = Row<'a>>) -> String {
    let mut w = XmlWriter::with_capacity(16 * 1024);
    w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    w.open(
        "tbx",
        &[
            ("xmlns", NAMESPACE),
            ("type", "TBX-Basic"),
            ("style", "dca"),
            ("xml:lang", "en"),
        ],
    );
    w.raw("\n<tbxHeader><fileDesc><sourceDesc>");
    w.element("p", &[], "Glossary exported from Plae");
    w.raw("</sourceDesc></fileDesc></tbxHeader>\n<text><body>\n");
    for (i, row) in rows.into_iter().enumerate() {
        let id = format!("c{}", i + 1);
        w.open("conceptEntry", &[("id", &id)]);
        if !row.note.is_empty() {
            w.element("note", &[], row.note);
        }
        let status = match row.status {
            TermStatus::Approved => PREFERRED,
            TermStatus::Proposed => ADMITTED,
        };
        for (lang, term) in [("th", row.thai), ("en", row.english)] {
            w.open("langSec", &[("xml:lang", lang)]);
            w.open("termSec", &[]);
            w.element("term", &[], term);
            w.element("termNote", &[("type", "administrativeStatus")], status);
            w.close("termSec");
            w.close("langSec");
        }
        w.close("conceptEntry");
        w.raw("\n");
    }
    w.raw("</body></text>\n");
    w.close("tbx");
    w.raw("\n");
    w.finish()
}

/// Elements named `name` (any namespace) at any depth below `element`, in document order.
fn descendants<'a>(element: &'a Element, names: &[&str], out: &mut Vec<&'a Element>) {
    for child in element.elements() {
        if names.contains(&child.name.as_str()) {
            out.push(child);
        } else {
            descendants(child, names, out);
        }
    }
}

/// Every term of a TBX file; the first entry without a Thai or an English term, or with a
/// bad one, stops the reading.
pub fn read(bytes: &[u8]) -> Result<Vec<NewTerm>, ImportError> {
    let root = xml::parse(bytes).map_err(|e| ImportError::file(e.to_string()))?;
    if !matches!(root.name.as_str(), "tbx" | "martif") {
        return Err(ImportError::file(format!(
            "this is not TBX: the root element is <{}>, not <tbx> (or <martif>)",
            root.name
        )));
    }
    let mut entries = Vec::new();
    descendants(&root, &["conceptEntry", "termEntry"], &mut entries);
    let mut terms = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let where_ = format!("entry {} (line {})", i + 1, entry.line);
        let fail = |message: String| ImportError {
            where_: where_.clone(),
            message,
        };
        let mut sections = Vec::new();
        descendants(entry, &["langSec", "langSet"], &mut sections);
        let term_in = |lang: &str| -> Option<(String, Option<String>)> {
            let section = sections.iter().find(|s| {
                s.xml_attribute("lang")
                    .is_some_and(|l| l.to_lowercase().split('-').next() == Some(lang))
            })?;
            let mut found = Vec::new();
            descendants(section, &["term"], &mut found);
            let term = found.first()?;
            let mut notes = Vec::new();
            descendants(section, &["termNote"], &mut notes);
            let status = notes
                .iter()
                .find(|n| n.attribute("type") == Some("administrativeStatus"))
                .map(|n| n.text());
            Some((term.text(), status))
        };
        let (thai, thai_status) = term_in("th")
            .ok_or_else(|| fail("no Thai term (a langSec with xml:lang=\"th\")".into()))?;
        let (english, english_status) = term_in("en")
            .ok_or_else(|| fail("no English term (a langSec with xml:lang=\"en\")".into()))?;
        let status = match thai_status.or(english_status).as_deref().map(str::trim) {
            Some(PREFERRED) => TermStatus::Approved,
            _ => TermStatus::Proposed,
        };
        let mut notes = Vec::new();
        for child in entry.elements() {
            if matches!(child.name.as_str(), "note" | "descrip") {
                notes.push(child.text().trim().to_string());
            }
        }
        notes.retain(|n| !n.is_empty());
        let term = NewTerm::parse(&thai, &english, &notes.join("; "), status).map_err(fail)?;
        terms.push(term);
    }
    if terms.is_empty() {
        return Err(ImportError::file(
            "the file has no term entries (conceptEntry or termEntry)",
        ));
    }
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_come_back_as_they_were_written() {
        let rows = vec![
            Row {
                thai: "โกสแปลน",
                english: "Gosplan",
                note: "<State> Planning & Committee",
                status: TermStatus::Approved,
            },
            Row {
                thai: "นารัฐ",
                english: "sovkhoz",
                note: "",
                status: TermStatus::Proposed,
            },
        ];
        let text = write(rows);
        assert!(text.contains("&lt;State&gt; Planning &amp; Committee"));
        let back = read(text.as_bytes()).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(
            (back[0].thai.as_str(), back[0].english.as_str()),
            ("โกสแปลน", "Gosplan")
        );
        assert_eq!(back[0].note, "<State> Planning & Committee");
        assert_eq!(back[0].status, TermStatus::Approved);
        assert_eq!(back[1].status, TermStatus::Proposed);
    }

    #[test]
    fn tbx_of_2008_is_read_too() {
        let martif = r#"<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="t1"><descrip type="definition">planning body</descrip>
<langSet xml:lang="th-TH"><tig><term>โกสแปลน</term></tig></langSet>
<langSet xml:lang="en-US"><tig><term>Gosplan</term>
<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
</termEntry></body></text></martif>"#;
        let terms = read(martif.as_bytes()).unwrap();
        assert_eq!(terms.len(), 1);
        assert_eq!(terms[0].note, "planning body");
        assert_eq!(terms[0].status, TermStatus::Approved);
    }

    #[test]
    fn bad_files_are_refused_with_the_reason() {
        let err = |text: &str| read(text.as_bytes()).unwrap_err().to_string();
        assert!(err("<tbx").contains("not well-formed"));
        assert!(err("<xliff/>").contains("not TBX"));
        assert!(err("<tbx><text><body/></text></tbx>").contains("no term entries"));
        let doctype = "<?xml version=\"1.0\"?><!DOCTYPE tbx [<!ENTITY a \"b\">]><tbx/>";
        assert!(err(doctype).contains("DOCTYPE"));
        let no_thai = r#"<tbx><text><body><conceptEntry id="c1">
<langSec xml:lang="en"><termSec><term>Gosplan</term></termSec></langSec>
</conceptEntry></body></text></tbx>"#;
        assert!(err(no_thai).starts_with("entry 1 (line 1): no Thai term"));
    }
}
