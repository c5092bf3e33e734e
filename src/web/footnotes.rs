//! Footnote references inside segment text.
//!
//! The segmenter writes every footnote reference in one canonical form, `[^30]`. A page shows
//! it as a superscript number; rather than building HTML around the text (and risking
//! unescaped text), the text is split here into plain parts and footnote numbers, and the
//! template renders each part, escaping the plain ones as usual.

/// A piece of segment text: plain text, or the number of a footnote reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'a> {
    Text(&'a str),
    /// The digits of `[^N]`, without the brackets.
    Footnote(&'a str),
}

/// Splits text on `[^N]` (N: ASCII digits). Anything else that starts with `[^` stays text,
/// so a stray bracket in OCR output is shown as it is.
pub fn split_footnotes(text: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    // Where the text not yet pushed starts, and where to look for the next `[^`.
    let mut pending = 0;
    let mut search = 0;
    // Looking for the one byte `[` is a memchr; a two-byte pattern search is several times
    // slower, and this runs over every character of a chapter on each page view.
    while let Some(found) = text[search..].find('[') {
        let open = search + found;
        if text.as_bytes().get(open + 1) != Some(&b'^') {
            search = open + 1;
            continue;
        }
        let digits_start = open + 2;
        let digits = text[digits_start..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let close = digits_start + digits;
        if digits == 0 || text.as_bytes().get(close) != Some(&b']') {
            search = digits_start;
            continue;
        }
        if open > pending {
            parts.push(Part::Text(&text[pending..open]));
        }
        parts.push(Part::Footnote(&text[digits_start..close]));
        pending = close + 1;
        search = pending;
    }
    if pending < text.len() {
        parts.push(Part::Text(&text[pending..]));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use Part::{Footnote, Text};

    #[test]
    fn text_without_references_is_one_part() {
        assert_eq!(split_footnotes("สตาลิน"), [Text("สตาลิน")]);
    }

    #[test]
    fn empty_text_has_no_parts() {
        assert_eq!(split_footnotes(""), []);
    }

    #[test]
    fn a_reference_splits_the_text_around_its_number() {
        assert_eq!(
            split_footnotes("ละทิ้ง[^31] แล้ว"),
            [Text("ละทิ้ง"), Footnote("31"), Text(" แล้ว")]
        );
    }

    #[test]
    fn references_at_both_ends_and_side_by_side() {
        assert_eq!(
            split_footnotes("[^1]ก[^32][^33]"),
            [Footnote("1"), Text("ก"), Footnote("32"), Footnote("33")]
        );
    }

    #[test]
    fn brackets_that_are_not_references_stay_text() {
        for text in ["a [^] b", "a [^x] b", "a [^12 b", "a [^", "[^3a]", "[3]"] {
            assert_eq!(split_footnotes(text), [Text(text)], "{text}");
        }
    }

    #[test]
    fn a_false_start_before_a_real_reference_keeps_both() {
        assert_eq!(
            split_footnotes("x [^y] z[^7]"),
            [Text("x [^y] z"), Footnote("7")]
        );
    }

    #[test]
    fn markup_is_left_for_the_template_to_escape() {
        assert_eq!(
            split_footnotes("<b>[^2]</b>"),
            [Text("<b>"), Footnote("2"), Text("</b>")]
        );
    }
}
