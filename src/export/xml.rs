//! XML that cannot hold unescaped text, for the exchange formats (TMX, XLIFF).
//!
//! [`XmlWriter`] builds a document from element names and fixed markup written in the
//! source code (`&'static str`) and from text, which it always escapes: a translator can
//! type `</target><target>` or `&xxe;` into a revision, and it arrives as those characters.
//! Characters XML 1.0 cannot carry at all (C0 controls other than tab, line feed and
//! carriage return; U+FFFE, U+FFFF) become U+FFFD; stored text never has them
//! (`text::normalize` removes them), so nothing real is lost.

/// Writes an XML document, escaping every piece of text.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
}

impl XmlWriter {
    pub fn with_capacity(bytes: usize) -> XmlWriter {
        XmlWriter {
            out: String::with_capacity(bytes),
        }
    }

    /// Fixed markup written in the source code (a declaration, a comment, indentation).
    pub fn raw(&mut self, markup: &'static str) {
        self.out.push_str(markup);
    }

    /// `<name a="v" …>`, the values escaped.
    pub fn open(&mut self, name: &'static str, attributes: &[(&'static str, &str)]) {
        self.start_tag(name, attributes);
        self.out.push('>');
    }

    /// `<name a="v" …/>`.
    pub fn empty(&mut self, name: &'static str, attributes: &[(&'static str, &str)]) {
        self.start_tag(name, attributes);
        self.out.push_str("/>");
    }

    /// `</name>`.
    pub fn close(&mut self, name: &'static str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name …>text</name>`.
    pub fn element(&mut self, name: &'static str, attributes: &[(&'static str, &str)], text: &str) {
        self.open(name, attributes);
        self.text(text);
        self.close(name);
    }

    /// Character data, escaped.
    pub fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text, false);
    }

    pub fn finish(self) -> String {
        self.out
    }

    fn start_tag(&mut self, name: &'static str, attributes: &[(&'static str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value, true);
            self.out.push('"');
        }
    }
}

/// Escapes `<`, `>`, `&`, `"` and `'` everywhere; in an attribute value also tab, line feed
/// and carriage return (which a parser would otherwise turn into spaces), and in text the
/// carriage return (which a parser would otherwise turn into a line feed).
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    let mut rest = text;
    while let Some(at) = rest.find(|c| needs_escape(c, attribute)) {
        out.push_str(&rest[..at]);
        let c = rest[at..]
            .chars()
            .next()
            .expect("a character at a found index");
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push('\u{FFFD}'),
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
}

fn needs_escape(c: char, attribute: bool) -> bool {
    match c {
        '<' | '>' | '&' | '"' | '\'' | '\r' => true,
        '\t' | '\n' => attribute,
        '\u{FFFE}' | '\u{FFFF}' => true,
        c => c < ' ',
    }
}

/// A piece of a segment's text: plain text, or a footnote reference `[^N]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// The whole reference (`[^30]`) and its number (`30`).
    Note {
        code: &'a str,
        number: &'a str,
    },
}

/// The text cut at its footnote references (`[^` digits `]`, the form `text::segment`
/// writes). Joining the pieces gives the text back exactly.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut plain_from = 0;
    let mut offset = 0;
    while let Some(at) = rest.find("[^") {
        let after = &rest[at + 2..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let start = offset + at;
        if digits > 0 && after.as_bytes().get(digits) == Some(&b']') {
            let end = start + 2 + digits + 1;
            if plain_from < start {
                out.push(Piece::Text(&text[plain_from..start]));
            }
            out.push(Piece::Note {
                code: &text[start..end],
                number: &text[start + 2..end - 1],
            });
            plain_from = end;
            offset = end;
        } else {
            offset = start + 2;
        }
        rest = &text[offset..];
    }
    if plain_from < text.len() {
        out.push(Piece::Text(&text[plain_from..]));
    }
    out
}

/// Whether text needs `xml:space="preserve"` to come back exactly from a tool that
/// applies the default white-space handling: line breaks, tabs, runs of spaces, or
/// spaces at either end.
pub fn needs_preserve(text: &str) -> bool {
    text.contains(['\n', '\t', '\r'])
        || text.contains("  ")
        || text.starts_with(' ')
        || text.ends_with(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_in_text_and_attributes_are_escaped() {
        let mut xml = XmlWriter::default();
        xml.element("seg", &[("note", "a\"b'c<d>&\n")], "<&>\"' ก");
        assert_eq!(
            xml.finish(),
            "<seg note=\"a&quot;b&apos;c&lt;d&gt;&amp;&#10;\">&lt;&amp;&gt;&quot;&apos; ก</seg>"
        );
    }

    #[test]
    fn text_keeps_line_breaks_but_not_characters_xml_cannot_carry() {
        let mut xml = XmlWriter::default();
        xml.text("a\nb\r\u{1}\u{FFFF}\t");
        assert_eq!(xml.finish(), "a\nb&#13;\u{FFFD}\u{FFFD}\t");
    }

    #[test]
    fn footnote_references_are_cut_out_and_the_rest_is_kept() {
        let text = "ก[^30] ข [^x] [^] [^3][^4]";
        let got = pieces(text);
        assert_eq!(
            got,
            [
                Piece::Text("ก"),
                Piece::Note {
                    code: "[^30]",
                    number: "30"
                },
                Piece::Text(" ข [^x] [^] "),
                Piece::Note {
                    code: "[^3]",
                    number: "3"
                },
                Piece::Note {
                    code: "[^4]",
                    number: "4"
                },
            ]
        );
        let joined: String = got
            .iter()
            .map(|p| match p {
                Piece::Text(t) => *t,
                Piece::Note { code, .. } => *code,
            })
            .collect();
        assert_eq!(joined, text);
        assert!(pieces("").is_empty());
        assert_eq!(pieces("[^12"), [Piece::Text("[^12")]);
    }

    #[test]
    fn only_significant_white_space_asks_for_preserve() {
        assert!(!needs_preserve("one two"));
        for text in ["a\nb", "a  b", " a", "a ", "a\tb"] {
            assert!(needs_preserve(text), "{text:?}");
        }
    }
}
