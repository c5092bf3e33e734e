//! Finding web links in plain-text comments, so a template can make them clickable while
//! still escaping everything: it renders `Text` as text and `Link` as an `<a>` whose
//! `href` is the (escaped) link, never as raw HTML.
//!
//! Only `http://` and `https://` links are recognized, so `javascript:`, `data:` and other
//! schemes stay plain text whatever a comment says. A link runs to the next whitespace or
//! `<`, `>`, `"` (which cannot be in a URL); punctuation that ends a sentence (`.`, `,`,
//! `)`…) is left out of it unless the link opened that bracket itself, as in
//! `https://en.wikipedia.org/wiki/Lenin_(disambiguation)`. Thai letters may follow `://`
//! (Thai Wikipedia addresses), and a link may start right after Thai text, which has no
//! spaces before it.

use serde::Serialize;

/// A piece of a comment: text to escape, or a link to show as one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TextPart {
    Text { text: String },
    Link { href: String, text: String },
}

/// Splits `text` into plain parts and `http(s)` links, in order; the parts' texts
/// concatenate to `text`.
pub fn linkify(text: &str) -> Vec<TextPart> {
    let lower = text.to_ascii_lowercase(); // same byte offsets: an ASCII-only change
    let mut parts = Vec::new();
    let mut plain_from = 0;
    let mut search_from = 0;
    while let Some((start, end)) = next_link(text, &lower, search_from) {
        if start > plain_from {
            parts.push(TextPart::Text {
                text: text[plain_from..start].to_owned(),
            });
        }
        let link = &text[start..end];
        parts.push(TextPart::Link {
            href: link.to_owned(),
            text: link.to_owned(),
        });
        plain_from = end;
        search_from = end;
    }
    if plain_from < text.len() {
        parts.push(TextPart::Text {
            text: text[plain_from..].to_owned(),
        });
    }
    parts
}

/// The byte range of the next link at or after `from`.
fn next_link(text: &str, lower: &str, mut from: usize) -> Option<(usize, usize)> {
    loop {
        let found = lower[from..].find("http")? + from;
        let after_scheme = ["https://", "http://"]
            .iter()
            .find(|scheme| lower[found..].starts_with(*scheme))
            .map(|scheme| found + scheme.len());
        // `xhttp://` is not a link; a link after Thai text or punctuation is.
        let starts_word = text[..found]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if let (Some(rest), true) = (after_scheme, starts_word) {
            let end = link_end(text, found, rest);
            if end > rest {
                return Some((found, end));
            }
        }
        from = found + "http".len();
    }
}

/// Where a link that starts at `start` (its address after the scheme at `rest`) ends.
fn link_end(text: &str, start: usize, rest: usize) -> usize {
    let mut end = text[rest..]
        .find(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'))
        .map_or(text.len(), |i| rest + i);
    // Trailing punctuation belongs to the sentence, a closing bracket to the link only
    // if the link has the opening one.
    while end > rest {
        let Some(last) = text[rest..end].chars().next_back() else {
            break;
        };
        let drop = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '\u{2019}' | '\u{201D}' => true,
            ')' => unbalanced(&text[start..end], '(', ')'),
            ']' => unbalanced(&text[start..end], '[', ']'),
            _ => false,
        };
        if !drop {
            break;
        }
        end -= last.len_utf8();
    }
    end
}

fn unbalanced(link: &str, open: char, close: char) -> bool {
    link.matches(close).count() > link.matches(open).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> TextPart {
        TextPart::Text { text: s.into() }
    }
    fn link(s: &str) -> TextPart {
        TextPart::Link {
            href: s.into(),
            text: s.into(),
        }
    }

    #[test]
    fn plain_text_is_one_part() {
        assert_eq!(linkify("no links here"), [text("no links here")]);
        assert!(linkify("").is_empty());
    }

    #[test]
    fn http_and_https_links_are_found_among_text() {
        assert_eq!(
            linkify("see https://example.org/a?b=1&c=2 and http://x.test"),
            [
                text("see "),
                link("https://example.org/a?b=1&c=2"),
                text(" and "),
                link("http://x.test"),
            ]
        );
    }

    #[test]
    fn other_schemes_are_never_links() {
        for s in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(document.cookie)",
            "data:text/html,<script>alert(1)</script>",
            "ftp://example.org/file",
            "click javascript:void(0)//http://x",
        ] {
            let parts = linkify(s);
            for part in &parts {
                if let TextPart::Link { href, .. } = part {
                    assert!(href.starts_with("http://"), "{s:?} gave link {href:?}");
                }
            }
        }
        assert_eq!(
            linkify("javascript:alert(1)"),
            [text("javascript:alert(1)")]
        );
    }

    #[test]
    fn a_scheme_glued_to_a_word_is_not_a_link() {
        assert_eq!(linkify("xhttp://evil.test"), [text("xhttp://evil.test")]);
        assert_eq!(linkify("https://"), [text("https://")]);
    }

    #[test]
    fn trailing_punctuation_stays_in_the_sentence() {
        assert_eq!(
            linkify("Read https://example.org/page. Then reply."),
            [
                text("Read "),
                link("https://example.org/page"),
                text(". Then reply.")
            ]
        );
        assert_eq!(
            linkify("(see https://example.org/x), ok?"),
            [text("(see "), link("https://example.org/x"), text("), ok?")]
        );
        assert_eq!(
            linkify("https://example.org/?q=1!"),
            [link("https://example.org/?q=1"), text("!")]
        );
    }

    #[test]
    fn a_bracket_the_link_opened_is_kept() {
        assert_eq!(
            linkify("https://en.wikipedia.org/wiki/Lenin_(disambiguation)."),
            [
                link("https://en.wikipedia.org/wiki/Lenin_(disambiguation)"),
                text(".")
            ]
        );
    }

    #[test]
    fn links_next_to_thai_and_with_thai_in_them() {
        assert_eq!(
            linkify("ดูที่https://th.wikipedia.org/wiki/สตาลิน ครับ"),
            [
                text("ดูที่"),
                link("https://th.wikipedia.org/wiki/สตาลิน"),
                text(" ครับ"),
            ]
        );
    }

    #[test]
    fn html_characters_end_a_link_and_stay_text() {
        assert_eq!(
            linkify("<https://example.org/a>\"x"),
            [text("<"), link("https://example.org/a"), text(">\"x")]
        );
    }

    #[test]
    fn the_case_of_the_scheme_does_not_matter() {
        assert_eq!(
            linkify("HTTPS://EXAMPLE.ORG"),
            [link("HTTPS://EXAMPLE.ORG")]
        );
    }
}
