//! Reading an XLIFF file back from a CAT tool: 2.0 (and 2.1, whose core is the same) or
//! 1.2, into its units: id, source, target, and what the translator's state asks for.
//!
//! What a unit's text is:
//! * 2.0: the unit's segments and ignorables in order (a tool may have split a unit,
//!   though Plae's files say `canResegment="no"`); an ignorable without a target counts
//!   with its source. A unit some of whose segments have no target is not translated.
//! * 1.2: the trans-unit's `<target>`; Trados-style `<mrk mtype="seg">` and `<g>` are
//!   read through.
//! * Placeholders come back as the code they stand for: 2.0 `<ph>` by its `equiv` (or the
//!   source's `<ph>` with the same id, or `disp`); 1.2 `<ph>`, `<it>`, `<bpt>`, `<ept>` by
//!   their content, `<x>` and friends by `equiv-text` or the source's code with the same id.
//!   A placeholder that stands for nothing known is an error: guessing would lose a
//!   footnote reference.
//! * White space: as written where `xml:space="preserve"` is in force (Plae's files say so
//!   where it matters), otherwise collapsed (XML's default).
//!
//! The state a unit asks for (the export's side is `export::xliff`): the translator's
//! "done" states ask for a submission, anything else for a draft.
//!
//! | XLIFF 2.0 | XLIFF 1.2 | import |
//! | --- | --- | --- |
//! | `initial`, `translated`, none | `new`, `needs-translation`, `needs-adaptation`, `needs-l10n`, `translated`, none | saved as a draft |
//! | `reviewed`, `final` | `needs-review-*`, `signed-off`, `final`, or `approved="yes"` | saved and submitted for review |
//!
//! Nothing an import does approves: an approved segment's new text waits for a reviewer
//! (the workflow's rule for any edit of approved text).

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::xml::{self, Element, Node};
use super::{apply_space, check_size, primary_language, ExchangeError};
use crate::export::xliff::{
    EXTRADATA_REVISION, NO_REVISION, PLAE_NAMESPACE, XLIFF_1_2_NAMESPACE, XLIFF_2_0_NAMESPACE,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1_2,
    /// 2.0 or 2.1.
    V2,
}

/// What a unit's state asks the import to do with a changed target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Save it as the segment's new text.
    Draft,
    /// Save it and submit it for review.
    Submit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffFile {
    pub version: Version,
    pub units: Vec<Unit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// As written in the file (a segment's UUID, for Plae's files).
    pub id: String,
    pub line: usize,
    pub source: String,
    /// `None`: no target, or an empty one.
    pub target: Option<String>,
    /// The state as written in the file (2.0 `state`, 1.2 `<target state>`), for reports.
    pub state: Option<String>,
    pub intent: Intent,
    /// What the segment's English was when the file was exported (`plae:revision`, 1.2
    /// `extradata`).
    pub base: Base,
}

/// The English a unit's target was exported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The file does not say (not Plae's, or a tool dropped it).
    Unknown,
    /// There was none.
    Untranslated,
    /// This revision.
    Revision(Uuid),
}

impl Base {
    fn parse(value: Option<&str>) -> Base {
        match value.map(str::trim) {
            Some(NO_REVISION) => Base::Untranslated,
            Some(id) => Uuid::parse_str(id).map_or(Base::Unknown, Base::Revision),
            None => Base::Unknown,
        }
    }
}

/// What a 2.0 segment state asks for.
pub fn intent_2_0(state: Option<&str>) -> Intent {
    match state {
        Some("reviewed" | "final") => Intent::Submit,
        _ => Intent::Draft,
    }
}

/// What a 1.2 target state (and the trans-unit's `approved`) asks for.
pub fn intent_1_2(state: Option<&str>, approved: bool) -> Intent {
    match state {
        _ if approved => Intent::Submit,
        Some(s) if s.starts_with("needs-review") => Intent::Submit,
        Some("signed-off" | "final") => Intent::Submit,
        _ => Intent::Draft,
    }
}

/// Reads an XLIFF file: size, XML, version, languages, units.
pub fn read_xliff(bytes: &[u8]) -> Result<XliffFile, ExchangeError> {
    check_size(bytes)?;
    let root = xml::parse(bytes)?;
    if root.name != "xliff" {
        return Err(ExchangeError::WrongFormat(format!(
            "this is not an XLIFF file: its root element is <{}>, not <xliff>",
            root.name
        )));
    }
    let version = root.attribute("version").unwrap_or("");
    let units = match (root.namespace.as_deref(), version) {
        (Some(XLIFF_2_0_NAMESPACE), "2.0" | "2.1") => read_2_0(&root)?,
        (Some(XLIFF_1_2_NAMESPACE), "1.2") => read_1_2(&root)?,
        _ => {
            return Err(ExchangeError::UnsupportedVersion(format!(
                "XLIFF version \"{version}\" (namespace {}) is not supported: Plae reads \
                 XLIFF 2.0 (and 2.1) and 1.2",
                root.namespace.as_deref().unwrap_or("none")
            )))
        }
    };
    let version = match root.namespace.as_deref() {
        Some(XLIFF_1_2_NAMESPACE) => Version::V1_2,
        _ => Version::V2,
    };
    let mut seen = HashSet::new();
    for unit in &units {
        if !seen.insert(unit.id.as_str()) {
            return Err(ExchangeError::Invalid(format!(
                "line {}: unit id {} appears twice in the file",
                unit.line, unit.id
            )));
        }
    }
    Ok(XliffFile { version, units })
}

fn check_languages(source: Option<&str>, target: Option<&str>) -> Result<(), ExchangeError> {
    let source_ok = source.is_some_and(|s| primary_language(s) == "th");
    // A 1.2 file may leave the target language out.
    let target_ok = target.is_none_or(|t| primary_language(t) == "en");
    if source_ok && target_ok {
        return Ok(());
    }
    Err(ExchangeError::WrongLanguages(format!(
        "the file translates {} into {}; Plae's books are Thai (th) into English (en)",
        source.unwrap_or("an unnamed language"),
        target.unwrap_or("an unnamed language")
    )))
}

fn read_2_0(root: &Element) -> Result<Vec<Unit>, ExchangeError> {
    check_languages(root.attribute("srcLang"), root.attribute("trgLang"))?;
    if root.attribute("trgLang").is_none() {
        return Err(ExchangeError::Invalid(
            "the file has no target language (trgLang), so it holds no translation".into(),
        ));
    }
    let mut units = Vec::new();
    let preserve = space(root, false);
    for file in root.children_named(XLIFF_2_0_NAMESPACE, "file") {
        collect(
            file,
            XLIFF_2_0_NAMESPACE,
            "unit",
            unit_2_0,
            space(file, preserve),
            &mut units,
        )?;
    }
    Ok(units)
}

/// Units in a `<file>`/`<body>` or `<group>`, groups nested at any depth: both versions
/// nest the same way and differ only in names (`unit` in 2.0, `trans-unit` in 1.2).
fn collect(
    parent: &Element,
    namespace: &str,
    unit_name: &str,
    read_unit: fn(&Element, bool) -> Result<Unit, ExchangeError>,
    preserve: bool,
    out: &mut Vec<Unit>,
) -> Result<(), ExchangeError> {
    for child in parent.elements() {
        if child.is(namespace, "group") {
            collect(
                child,
                namespace,
                unit_name,
                read_unit,
                space(child, preserve),
                out,
            )?;
        } else if child.is(namespace, unit_name) {
            out.push(read_unit(child, space(child, preserve))?);
        }
    }
    Ok(())
}

fn unit_2_0(unit: &Element, preserve: bool) -> Result<Unit, ExchangeError> {
    let id = required_id(unit, "id")?;
    let parts: Vec<&Element> = unit
        .elements()
        .filter(|e| e.is(XLIFF_2_0_NAMESPACE, "segment") || e.is(XLIFF_2_0_NAMESPACE, "ignorable"))
        .collect();
    // The codes of the source's placeholders, for targets that name them by id only.
    let mut codes = HashMap::new();
    for part in &parts {
        if let Some(source) = part.child(XLIFF_2_0_NAMESPACE, "source") {
            collect_codes_2_0(source, &mut codes);
        }
    }
    // The parts' raw texts are joined first, then white space is applied once: the space
    // between two segments is often an ignorable's whole source.
    let (mut source, mut target) = (String::new(), Some(String::new()));
    let (mut source_preserve, mut target_preserve) = (false, false);
    let mut intent = Intent::Submit;
    let mut state = None;
    let mut segments = 0;
    for part in &parts {
        let src = part.child(XLIFF_2_0_NAMESPACE, "source").ok_or_else(|| {
            ExchangeError::Invalid(format!(
                "line {}: a <{}> without <source>",
                part.line, part.name
            ))
        })?;
        let src_text = inline_2_0(src, &codes, unit)?;
        source_preserve |= space(src, preserve);
        let trg_text = match part.child(XLIFF_2_0_NAMESPACE, "target") {
            Some(t) => {
                target_preserve |= space(t, preserve);
                Some(inline_2_0(t, &codes, unit)?)
            }
            None if part.name == "ignorable" => Some(src_text.clone()),
            None => None,
        };
        source.push_str(&src_text);
        match (target.as_mut(), trg_text) {
            (Some(target), Some(text)) => target.push_str(&text),
            _ => target = None,
        }
        if part.name == "segment" {
            segments += 1;
            let s = part.attribute("state");
            state = state.or(s.map(str::to_owned));
            if intent_2_0(s) == Intent::Draft {
                intent = Intent::Draft;
            }
        }
    }
    let source = apply_space(source, source_preserve);
    let target = target.map(|t| apply_space(t, target_preserve));
    if segments == 0 {
        return Err(ExchangeError::Invalid(format!(
            "line {}: unit {id} has no <segment>",
            unit.line
        )));
    }
    let base = Base::parse(unit.attribute_ns(PLAE_NAMESPACE, "revision"));
    Ok(Unit {
        id,
        line: unit.line,
        source,
        target: target.filter(|t| !t.trim().is_empty()),
        state,
        intent,
        base,
    })
}

fn collect_codes_2_0(element: &Element, codes: &mut HashMap<String, String>) {
    for child in element.elements() {
        if child.is(XLIFF_2_0_NAMESPACE, "ph") {
            if let (Some(id), Some(code)) = (
                child.attribute("id"),
                child.attribute("equiv").or(child.attribute("disp")),
            ) {
                codes.insert(id.to_owned(), code.to_owned());
            }
        }
        collect_codes_2_0(child, codes);
    }
}

/// The text of a 2.0 `<source>` or `<target>`, placeholders replaced by their codes.
fn inline_2_0(
    element: &Element,
    codes: &HashMap<String, String>,
    unit: &Element,
) -> Result<String, ExchangeError> {
    let mut out = String::new();
    for node in &element.children {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) if e.namespace.as_deref() != Some(XLIFF_2_0_NAMESPACE) => {
                out.push_str(&e.text())
            }
            Node::Element(e) => match e.name.as_str() {
                "ph" => {
                    let id = e.attribute("id").unwrap_or("");
                    let code = e
                        .attribute("equiv")
                        .or_else(|| codes.get(id).map(String::as_str))
                        .or(e.attribute("disp"));
                    out.push_str(code.ok_or_else(|| unknown_code(unit, id, e.line))?);
                }
                "cp" => {
                    let hex = e.attribute("hex").unwrap_or("");
                    let c = u32::from_str_radix(hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| {
                            ExchangeError::Invalid(format!(
                                "line {}: <cp hex=\"{hex}\"> is not a character",
                                e.line
                            ))
                        })?;
                    out.push(c);
                }
                // Start and end markers of spans and annotations hold no text.
                "sc" | "ec" | "sm" | "em" => {}
                // Paired codes and annotations: their content is text.
                _ => out.push_str(&inline_2_0(e, codes, unit)?),
            },
        }
    }
    Ok(out)
}

fn read_1_2(root: &Element) -> Result<Vec<Unit>, ExchangeError> {
    let mut units = Vec::new();
    let preserve = space(root, false);
    for file in root.children_named(XLIFF_1_2_NAMESPACE, "file") {
        check_languages(
            file.attribute("source-language"),
            file.attribute("target-language"),
        )?;
        let preserve = space(file, preserve);
        if let Some(body) = file.child(XLIFF_1_2_NAMESPACE, "body") {
            collect(
                body,
                XLIFF_1_2_NAMESPACE,
                "trans-unit",
                unit_1_2,
                space(body, preserve),
                &mut units,
            )?;
        }
    }
    Ok(units)
}

fn unit_1_2(unit: &Element, preserve: bool) -> Result<Unit, ExchangeError> {
    let id = required_id(unit, "id")?;
    let source = unit.child(XLIFF_1_2_NAMESPACE, "source").ok_or_else(|| {
        ExchangeError::Invalid(format!(
            "line {}: trans-unit {id} has no <source>",
            unit.line
        ))
    })?;
    let mut codes = HashMap::new();
    collect_codes_1_2(source, &mut codes);
    let source_text = apply_space(inline_1_2(source, &codes, unit)?, space(source, preserve));
    let target = unit.child(XLIFF_1_2_NAMESPACE, "target");
    let target_text = match target {
        Some(t) => Some(apply_space(
            inline_1_2(t, &codes, unit)?,
            space(t, preserve),
        )),
        None => None,
    };
    let state = target.and_then(|t| t.attribute("state"));
    let approved = unit.attribute("approved") == Some("yes");
    let base = Base::parse(
        unit.attribute("extradata")
            .and_then(|x| x.strip_prefix(EXTRADATA_REVISION)),
    );
    Ok(Unit {
        id,
        line: unit.line,
        source: source_text,
        target: target_text.filter(|t| !t.trim().is_empty()),
        state: state.map(str::to_owned),
        intent: intent_1_2(state, approved),
        base,
    })
}

/// 1.2 inline codes whose content is the native code.
const CODES_1_2: [&str; 4] = ["ph", "it", "bpt", "ept"];
/// 1.2 placeholders that stand for a code kept elsewhere.
const PLACEHOLDERS_1_2: [&str; 3] = ["x", "bx", "ex"];

fn collect_codes_1_2(element: &Element, codes: &mut HashMap<String, String>) {
    for child in element.elements() {
        if child.namespace.as_deref() == Some(XLIFF_1_2_NAMESPACE) {
            let code = if CODES_1_2.contains(&child.name.as_str()) {
                Some(child.text())
            } else if PLACEHOLDERS_1_2.contains(&child.name.as_str()) {
                child.attribute("equiv-text").map(str::to_owned)
            } else {
                None
            };
            if let (Some(id), Some(code)) = (child.attribute("id"), code) {
                codes.insert(id.to_owned(), code);
            }
        }
        collect_codes_1_2(child, codes);
    }
}

fn inline_1_2(
    element: &Element,
    codes: &HashMap<String, String>,
    unit: &Element,
) -> Result<String, ExchangeError> {
    let mut out = String::new();
    for node in &element.children {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) if e.namespace.as_deref() != Some(XLIFF_1_2_NAMESPACE) => {
                out.push_str(&e.text())
            }
            Node::Element(e) if CODES_1_2.contains(&e.name.as_str()) => out.push_str(&e.text()),
            Node::Element(e) if PLACEHOLDERS_1_2.contains(&e.name.as_str()) => {
                let id = e.attribute("id").unwrap_or("");
                let code = e
                    .attribute("equiv-text")
                    .or_else(|| codes.get(id).map(String::as_str))
                    .ok_or_else(|| unknown_code(unit, id, e.line))?;
                out.push_str(code);
            }
            // <g>, <mrk> (Trados' segments), <sub>: their content is text.
            Node::Element(e) => out.push_str(&inline_1_2(e, codes, unit)?),
        }
    }
    Ok(out)
}

fn unknown_code(unit: &Element, id: &str, line: usize) -> ExchangeError {
    ExchangeError::Invalid(format!(
        "line {line}: unit {}: the placeholder with id \"{id}\" stands for no code the file \
         gives (no equiv, and none in the source)",
        unit.attribute("id").unwrap_or("?")
    ))
}

fn required_id(unit: &Element, attribute: &str) -> Result<String, ExchangeError> {
    match unit.attribute(attribute).map(str::trim) {
        Some(id) if !id.is_empty() => Ok(id.to_owned()),
        _ => Err(ExchangeError::Invalid(format!(
            "line {}: a <{}> without an id",
            unit.line, unit.name
        ))),
    }
}

/// `xml:space` in force on an element, given its parent's.
fn space(element: &Element, inherited: bool) -> bool {
    match element.xml_attribute("space") {
        Some("preserve") => true,
        Some("default") => false,
        _ => inherited,
    }
}

#[cfg(test)]
mod tests;
