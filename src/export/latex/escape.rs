//! LaTeX that cannot hold unescaped text.
//!
//! A [`Latex`] value is either fixed markup written in the source code
//! ([`Latex::raw_static`] takes only `&'static str`) or text that went through
//! [`Latex::escape`]; there is no other way to make one, and [`LatexWriter`], which builds
//! every LaTeX document, accepts nothing else. So text from the database (a translator can
//! type `\input{/etc/passwd}` or `}` into a revision) can only reach the document escaped.

use std::borrow::Cow;

/// A piece of a LaTeX document: fixed markup, or escaped text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latex<'a>(Cow<'a, str>);

impl Latex<'static> {
    /// Markup written in the source code, such as `\begin{thpara}`.
    pub const fn raw_static(markup: &'static str) -> Latex<'static> {
        Latex(Cow::Borrowed(markup))
    }
}

impl<'a> Latex<'a> {
    /// Text, escaped so that XeLaTeX prints exactly these characters. Borrows when nothing
    /// needs escaping (most Thai text).
    pub fn escape(text: &'a str) -> Latex<'a> {
        if !text.chars().any(needs_escape) {
            return Latex(Cow::Borrowed(text));
        }
        let mut out = String::with_capacity(text.len() + 16);
        escape_into(&mut out, text);
        Latex(Cow::Owned(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Writes a LaTeX document from [`Latex`] pieces only.
#[derive(Debug, Default)]
pub struct LatexWriter {
    out: String,
}

impl LatexWriter {
    pub fn with_capacity(bytes: usize) -> LatexWriter {
        LatexWriter {
            out: String::with_capacity(bytes),
        }
    }

    pub fn push(&mut self, latex: &Latex<'_>) {
        self.out.push_str(latex.as_str());
    }

    /// Fixed markup: the same as `push(&Latex::raw_static(markup))`.
    pub fn raw(&mut self, markup: &'static str) {
        self.out.push_str(markup);
    }

    /// Text, escaped straight into the document (the same as `push(&Latex::escape(text))`,
    /// without the intermediate string).
    pub fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text);
    }

    /// A number (a chapter number, a count): digits and a sign need no escaping.
    pub fn number(&mut self, n: i64) {
        use std::fmt::Write;
        let _ = write!(self.out, "{n}");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\\' | '{' | '}' | '$' | '&' | '#' | '^' | '_' | '%' | '~'
    ) || c.is_control()
}

/// The escaping itself. With the fonts' TeX ligatures off (see `preamble.tex`), every other
/// character prints as itself: `--` stays two hyphens, ``` `` ``` two grave accents, and
/// `<`, `>`, `|`, `"` are the characters themselves in XeTeX's Unicode fonts.
fn escape_into(out: &mut String, text: &str) {
    let mut plain = 0;
    for (i, c) in text.char_indices() {
        let replacement = match c {
            '\\' => "\\textbackslash{}",
            '{' => "\\{",
            '}' => "\\}",
            '$' => "\\$",
            '&' => "\\&",
            '#' => "\\#",
            '_' => "\\_",
            '%' => "\\%",
            '^' => "\\textasciicircum{}",
            '~' => "\\textasciitilde{}",
            // A line break typed in a translation stays a line break; `\plaenl` is not `\\`,
            // so text after it that starts with `[` or `*` is not read as an argument.
            '\n' => "\\plaenl{}",
            // Tabs, carriage returns and other control characters are not printable, and
            // some (`^^M`, `^^@`) mean something to TeX: a space instead.
            c if c.is_control() => " ",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        out.push_str(replacement);
        plain = i + c.len_utf8();
    }
    out.push_str(&text[plain..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(
            Latex::escape(r"\ { } $ & # ^ _ % ~").as_str(),
            r"\textbackslash{} \{ \} \$ \& \# \textasciicircum{} \_ \% \textasciitilde{}"
        );
    }

    #[test]
    fn markup_in_text_is_printed_not_obeyed() {
        assert_eq!(
            Latex::escape(r"\input{/etc/passwd}").as_str(),
            r"\textbackslash{}input\{/etc/passwd\}"
        );
    }

    #[test]
    fn thai_and_ordinary_punctuation_pass_through_borrowed() {
        let text = "สตาลิน <b> | \"quoted\" 'single' ... -- [30]";
        let escaped = Latex::escape(text);
        assert!(matches!(escaped.0, Cow::Borrowed(_)));
        assert_eq!(escaped.as_str(), text);
    }

    #[test]
    fn line_breaks_and_control_characters_cannot_end_a_command_or_a_paragraph() {
        assert_eq!(
            Latex::escape("a\nb\tc\r\u{0}d").as_str(),
            "a\\plaenl{}b c  d"
        );
    }

    #[test]
    fn the_writer_escapes_text_and_keeps_markup() {
        let mut w = LatexWriter::default();
        w.raw("\\begin{x}");
        w.text("50% & more");
        w.push(&Latex::escape("_"));
        w.number(-4);
        assert_eq!(w.finish(), "\\begin{x}50\\% \\& more\\_-4");
    }
}
