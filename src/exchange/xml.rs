//! Reading an exchange file's XML safely: bytes → a small element tree.
//!
//! quick-xml reads the markup; it never reads a DTD, never expands an entity and never
//! fetches anything. On top of it this module refuses:
//! * any `<!DOCTYPE …>`: TMX and XLIFF need none, and a DTD is how entity bombs ("billion
//!   laughs") and external entities (`SYSTEM "file:///etc/passwd"`) get in. Refused as soon
//!   as it is seen, before anything it declares could be used;
//! * any entity other than XML's five (`&lt;` …) and character references;
//! * encodings other than UTF-8 and UTF-16 (with its byte order mark), characters XML does
//!   not allow, a second root element, text outside the root, nesting deeper than
//!   [`MAX_DEPTH`].
//!
//! Errors say where (line and column).

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// Deeper than any TMX or XLIFF file (five or six levels, plus inline markup).
pub const MAX_DEPTH: usize = 64;

/// An element: its namespace and local name, its attributes and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The namespace name (`urn:oasis:names:tc:xliff:document:2.0`), if any.
    pub namespace: Option<String>,
    pub name: String,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Node>,
    /// Where the start tag is, for messages.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub namespace: Option<String>,
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
}

/// Why bytes are not a document Plae reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("this is not well-formed XML: {0}")]
    Malformed(String),
    #[error(
        "line {0}: the file has a DOCTYPE declaration; Plae refuses them (TMX and XLIFF need \
         none, and a DTD can declare entities that expand without end or read other files)"
    )]
    Doctype(usize),
    #[error("{0}")]
    Encoding(String),
}

impl Element {
    /// The value of the attribute with this local name and no namespace.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.namespace.is_none() && a.name == name)
            .map(|a| a.value.as_str())
    }

    /// The value of the attribute with this namespace and local name.
    pub fn attribute_ns(&self, namespace: &str, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.namespace.as_deref() == Some(namespace) && a.name == name)
            .map(|a| a.value.as_str())
    }

    /// The `xml:` attribute with this local name (`lang`, `space`).
    pub fn xml_attribute(&self, name: &str) -> Option<&str> {
        self.attribute_ns(XML_NAMESPACE, name)
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Child elements with this namespace and local name.
    pub fn children_named<'a>(
        &'a self,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| e.is(namespace, name))
    }

    pub fn child(&self, namespace: &str, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.is(namespace, name))
    }

    pub fn is(&self, namespace: &str, name: &str) -> bool {
        self.namespace.as_deref() == Some(namespace) && self.name == name
    }

    /// All the text inside, at any depth.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for node in &self.children {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }
}

/// The namespace of `xml:lang` and `xml:space`, bound to the prefix `xml` by definition.
pub const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// Parses a whole document into its root element.
pub fn parse(bytes: &[u8]) -> Result<Element, XmlError> {
    let text = decode(bytes)?;
    let mut reader = NsReader::from_str(&text);
    reader.config_mut().check_comments = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut lines = Lines::default();
    loop {
        let position = reader.buffer_position() as usize;
        let (namespace, event) = reader
            .read_resolved_event()
            .map(|(ns, event)| (namespace_of(ns), event))
            .map_err(|e| malformed(&text, reader.error_position() as usize, &e.to_string()))?;
        let at = |message: &str| malformed(&text, position, message);
        match event {
            Event::DocType(_) => return Err(XmlError::Doctype(line_of(&text, position))),
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                let _ = start;
                return Err(at("a second root element (a document has one)"));
            }
            Event::Start(start) => {
                let namespace = namespace.map_err(|m| at(&m))?;
                if stack.len() >= MAX_DEPTH {
                    return Err(at(&format!("elements nested deeper than {MAX_DEPTH}")));
                }
                let element = element(&reader, &start, namespace, lines.at(&text, position))
                    .map_err(|m| at(&m))?;
                stack.push(element);
            }
            Event::Empty(start) => {
                let namespace = namespace.map_err(|m| at(&m))?;
                let element = element(&reader, &start, namespace, lines.at(&text, position))
                    .map_err(|m| at(&m))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(element)),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                // quick-xml checks that the end tag matches the start tag.
                let element = stack.pop().ok_or_else(|| at("an end tag with no start"))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(element)),
                    None => root = Some(element),
                }
            }
            Event::Text(raw) => {
                let content = raw.xml10_content();
                push_text(&mut stack, &content).map_err(|m| at(&m))?;
            }
            Event::CData(raw) => {
                let content = raw.xml10_content();
                push_text(&mut stack, &content).map_err(|m| at(&m))?;
            }
            Event::GeneralRef(reference) => {
                let name = reference.xml10_content();
                let c = entity(&name).map_err(|m| at(&m))?;
                push_text(&mut stack, c.encode_utf8(&mut [0; 4])).map_err(|m| at(&m))?;
            }
            Event::Decl(decl) => {
                if let Some(encoding) = decl.encoding() {
                    let encoding = encoding.map_err(|e| at(&e.to_string()))?;
                    check_declared_encoding(bytes, &encoding)?;
                }
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError::Malformed(format!(
            "the file ends inside <{}> (line {}): it is cut short",
            open.name, open.line
        )));
    }
    root.ok_or_else(|| XmlError::Malformed("there is no element at all".into()))
}

/// UTF-8 (with or without its byte order mark), or UTF-16 with its byte order mark, as a
/// string.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, XmlError> {
    let utf16 = |bytes: &[u8], from: fn([u8; 2]) -> u16| {
        if !bytes.len().is_multiple_of(2) {
            return Err(XmlError::Encoding(
                "the file is UTF-16 but has an odd number of bytes".into(),
            ));
        }
        let units: Vec<u16> = bytes.chunks_exact(2).map(|c| from([c[0], c[1]])).collect();
        String::from_utf16(&units)
            .map(Cow::Owned)
            .map_err(|_| XmlError::Encoding("the file is not valid UTF-16".into()))
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => utf8(bytes),
    }
}

fn utf8(bytes: &[u8]) -> Result<Cow<'_, str>, XmlError> {
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
        XmlError::Encoding(format!(
            "the file is not UTF-8 (byte {} is not) nor UTF-16 with a byte order mark",
            e.valid_up_to()
        ))
    })
}

/// The declaration's encoding must be the one the bytes are in.
fn check_declared_encoding(bytes: &[u8], declared: &str) -> Result<(), XmlError> {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let ok = match declared.to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" => !utf16,
        "utf-16" | "utf-16le" | "utf-16be" => utf16,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(XmlError::Encoding(format!(
            "the file declares encoding \"{declared}\"; Plae reads UTF-8 and UTF-16 only \
             (save it as UTF-8)"
        )))
    }
}

fn element(
    reader: &NsReader<&[u8]>,
    start: &BytesStart<'_>,
    namespace: Option<String>,
    line: usize,
) -> Result<Element, String> {
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key = attribute.key;
        if key.as_namespace_binding().is_some() {
            continue;
        }
        let (ns, local) = reader.resolver().resolve_attribute(key);
        let namespace = match ns {
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_owned()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(prefix) => {
                return Err(format!("attribute prefix `{prefix}` is not declared"))
            }
        };
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| format!("attribute `{}`: {e}", local.as_ref()))?;
        check_chars(&value)?;
        attributes.push(Attribute {
            namespace,
            name: local.as_ref().to_owned(),
            value: value.into_owned(),
        });
    }
    Ok(Element {
        namespace,
        name: start.local_name().as_ref().to_owned(),
        attributes,
        children: Vec::new(),
        line,
    })
}

fn namespace_of(ns: ResolveResult<'_>) -> Result<Option<String>, String> {
    match ns {
        ResolveResult::Bound(ns) => Ok(Some(ns.as_ref().to_owned())),
        ResolveResult::Unbound => Ok(None),
        ResolveResult::Unknown(prefix) => Err(format!("element prefix `{prefix}` is not declared")),
    }
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), String> {
    check_chars(text)?;
    match stack.last_mut() {
        Some(parent) => {
            if let Some(Node::Text(last)) = parent.children.last_mut() {
                last.push_str(text);
            } else {
                parent.children.push(Node::Text(text.to_owned()));
            }
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err("text outside the root element".into()),
    }
}

/// The character a reference stands for: XML's five entities and character references.
fn entity(name: &str) -> Result<char, String> {
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x") {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(decimal) = name.strip_prefix('#') {
                decimal.parse().ok()
            } else {
                return Err(format!(
                    "the entity &{name}; is not defined (Plae reads no DTD, so only &lt; &gt; \
                     &amp; &apos; &quot; and character references are known)"
                ));
            };
            code.and_then(char::from_u32)
                .ok_or_else(|| format!("&{name}; is not a character"))?
        }
    };
    check_chars(c.encode_utf8(&mut [0; 4]))?;
    Ok(c)
}

/// XML 1.0's characters: no C0 controls but tab, line feed and carriage return; no U+FFFE
/// or U+FFFF.
fn check_chars(text: &str) -> Result<(), String> {
    match text.chars().find(|&c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
    }) {
        Some(c) => Err(format!("U+{:04X} is not allowed in XML", c as u32)),
        None => Ok(()),
    }
}

fn malformed(text: &str, position: usize, message: &str) -> XmlError {
    let line = line_of(text, position);
    let line_start = text[..position.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let column = text
        .get(line_start..position.min(text.len()))
        .map_or(1, |s| s.chars().count() + 1);
    XmlError::Malformed(format!("line {line}, column {column}: {message}"))
}

/// Line numbers of increasing positions, counted once: elements are numbered in document
/// order, so a large file costs one pass, not one per element.
#[derive(Default)]
struct Lines {
    position: usize,
    line: usize,
}

impl Lines {
    fn at(&mut self, text: &str, position: usize) -> usize {
        if position < self.position {
            return line_of(text, position);
        }
        let end = floor_boundary(text, position);
        let start = floor_boundary(text, self.position);
        self.line += text[start..end].matches('\n').count();
        self.position = end;
        self.line + 1
    }
}

fn floor_boundary(text: &str, position: usize) -> usize {
    let end = position.min(text.len());
    (0..=end)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

fn line_of(text: &str, position: usize) -> usize {
    text[..floor_boundary(text, position)].matches('\n').count() + 1
}

#[cfg(test)]
mod tests;
