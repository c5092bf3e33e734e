//! Reading a TMX file (1.1 to 1.4b) into Thai–English pairs for the translation memory.
//!
//! A `<tu>` gives a pair when it has a Thai and an English variant (`xml:lang`, or `lang`
//! before 1.4, compared by primary language: `th-TH` is Thai); others are counted and
//! skipped. A segment's text is its character data and `<hi>` spans; inline codes (`<bpt>`,
//! `<ept>`, `<it>`, `<ph>`, `<ut>`) are formatting of the document it came from, not text,
//! and are left out. The English variant's `creationdate`/`creationid` (or the unit's) are
//! kept as the pair's.

use chrono::{DateTime, NaiveDateTime, Utc};

use super::xml::{self, Element, Node};
use super::{apply_space, check_size, primary_language, ExchangeError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmxFile {
    pub pairs: Vec<TmxPair>,
    /// Units without both a Thai and an English text.
    pub skipped: usize,
    /// Every language the variants name, for the message when no pair is found.
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmxPair {
    pub thai: String,
    pub english: String,
    pub created_at: Option<DateTime<Utc>>,
    pub created_by: Option<String>,
}

pub fn read_tmx(bytes: &[u8]) -> Result<TmxFile, ExchangeError> {
    check_size(bytes)?;
    let root = xml::parse(bytes)?;
    if root.name != "tmx" || root.namespace.is_some() {
        return Err(ExchangeError::WrongFormat(format!(
            "this is not a TMX file: its root element is <{}>, not <tmx>",
            root.name
        )));
    }
    let version = root.attribute("version").unwrap_or("");
    if !matches!(version, "1.1" | "1.2" | "1.3" | "1.4") {
        return Err(ExchangeError::UnsupportedVersion(format!(
            "TMX version \"{version}\" is not supported: Plae reads TMX 1.1 to 1.4b"
        )));
    }
    let header = root.child_plain("header").ok_or_else(|| {
        ExchangeError::Invalid("the file has no <header> (TMX requires one)".into())
    })?;
    let srclang = header.attribute("srclang").unwrap_or("");
    if srclang != "*all*" && !matches!(primary_language(srclang).as_str(), "th" | "en") {
        return Err(ExchangeError::WrongLanguages(format!(
            "the memory's source language is \"{srclang}\"; Plae's memory is Thai–English"
        )));
    }
    let body = root
        .child_plain("body")
        .ok_or_else(|| ExchangeError::Invalid("the file has no <body>".into()))?;
    let mut file = TmxFile {
        pairs: Vec::new(),
        skipped: 0,
        languages: Vec::new(),
    };
    for tu in body.elements().filter(|e| e.name == "tu") {
        match pair(tu, &mut file.languages) {
            Some(pair) => file.pairs.push(pair),
            None => file.skipped += 1,
        }
    }
    if file.pairs.is_empty() {
        return Err(ExchangeError::NothingToImport(format!(
            "the file holds no Thai–English pair ({} units; languages: {})",
            file.skipped,
            if file.languages.is_empty() {
                "none".into()
            } else {
                file.languages.join(", ")
            }
        )));
    }
    Ok(file)
}

fn pair(tu: &Element, languages: &mut Vec<String>) -> Option<TmxPair> {
    let mut thai = None;
    let mut english = None;
    for tuv in tu.elements().filter(|e| e.name == "tuv") {
        let lang = tuv
            .xml_attribute("lang")
            .or(tuv.attribute("lang"))
            .unwrap_or("");
        let primary = primary_language(lang);
        if !primary.is_empty() && !languages.contains(&primary) {
            languages.push(primary.clone());
        }
        let slot = match primary.as_str() {
            "th" => &mut thai,
            "en" => &mut english,
            _ => continue,
        };
        if slot.is_none() {
            let seg = tuv.child_plain("seg")?;
            let preserve = tuv.xml_attribute("space") == Some("preserve");
            let text = apply_space(seg_text(seg), preserve);
            if !text.trim().is_empty() {
                *slot = Some((text, tuv));
            }
        }
    }
    let ((thai, _), (english, en)) = (thai?, english?);
    let date = |e: &Element| e.attribute("creationdate").and_then(parse_date);
    let id = |e: &Element| {
        e.attribute("creationid")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(255).collect())
    };
    Some(TmxPair {
        thai,
        english,
        created_at: date(en).or_else(|| date(tu)),
        created_by: id(en).or_else(|| id(tu)),
    })
}

/// A `<seg>`'s text: character data and `<hi>` spans, without inline codes.
fn seg_text(element: &Element) -> String {
    let mut out = String::new();
    for node in &element.children {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) if e.name == "hi" => out.push_str(&seg_text(e)),
            Node::Element(_) => {}
        }
    }
    out
}

/// TMX dates: `YYYYMMDDThhmmssZ`, UTC.
pub fn parse_date(value: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(value.trim(), "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|naive| naive.and_utc())
}

impl Element {
    /// The first child element with this name and no namespace (TMX has none).
    fn child_plain(&self, name: &str) -> Option<&Element> {
        self.elements()
            .find(|e| e.namespace.is_none() && e.name == name)
    }
}

#[cfg(test)]
mod tests;
