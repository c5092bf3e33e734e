//! Closed lists of Thai words and characters that tell whether a sentence goes on.
//!
//! Thai marks no sentence end with punctuation, but its grammar leaves clues at a break:
//! a text cannot stop on a conjunction, a preposition or a modal verb (`และ`, `ของ`,
//! `ต้อง`…), and it cannot start on a particle that needs something before it (`ได้แก่`,
//! a lone `กัน`). Other words typically close a sentence (`เช่นเดียวกัน`, `อย่างมาก`) or
//! open a new paragraph (`อย่างไรก็ดี`). These are grammatical word classes, not words of
//! one book; each list is small on purpose: a wrong entry costs a wrong boundary.

/// Words that cannot end a sentence, matched at the end of a block; each with the
/// endings of longer words that merely end in the same letters (`ถูกต้อง` "correct" is
/// not the modal `ต้อง` "must").
const DANGLING_END: &[(&str, &[&str])] = &[
    ("ต้อง", &["ถูกต้อง", "เกี่ยวข้อง"]),
    ("ของ", &["สิ่งของ", "ข้าวของ", "เจ้าของ"]),
    ("ซึ่ง", &[]),
    ("และ", &[]),
    ("หรือ", &[]),
    ("แต่", &[]),
    ("กับ", &[]),
    ("แก่", &[]),
    ("โดย", &[]),
    ("เพื่อ", &[]),
    ("เพื่อให้", &[]),
    ("ว่า", &["กว่า"]),
    ("ซึ่งมี", &[]),
    ("ให้มี", &[]),
    ("มีการ", &[]),
    ("ในการ", &[]),
    ("ของการ", &[]),
    ("ระหว่าง", &[]),
    ("ทำให้", &[]),
    ("จึง", &[]),
    ("คือ", &[]),
    ("ได้แก่", &[]),
    ("เช่น", &[]),
    ("ตั้งแต่", &[]),
    ("โดยอาศัย", &[]),
    ("ผู้", &[]),
    ("อัน", &["ด้วยกัน"]),
];

/// Words that cannot open a paragraph, matched at the start of a block when they stand
/// alone (followed by a space or the end) or, for the longer ones, as a prefix.
const DANGLING_START_WORD: &[&str] = &["กัน", "ไว้", "แล้ว", "ด้วย", "อยู่", "ขึ้น", "ว่า", "ก็"];
const DANGLING_START_PREFIX: &[&str] = &["ได้แก่", "ต่อกัน", "ด้วยกัน", "เป็นต้น"];

/// Expressions that typically close a sentence.
const SENTENCE_FINAL: &[&str] = &[
    "เช่นเดียวกัน",
    "เป็นต้น",
    "อย่างมาก",
    "อย่างยิ่ง",
    "เป็นอย่างดี",
    "เท่านั้น",
    "นั่นเอง",
    "ก็ตาม",
    "จริง",
    "นี้",
];

/// Discourse markers that typically open a paragraph.
const OPENERS: &[&str] = &[
    "อย่างไรก็ดี",
    "อย่างไรก็ตาม",
    "นอกจากนี้",
    "นอกจากนั้น",
    "ในที่สุด",
    "ดังนั้น",
    "ทั้งนี้",
    "โดยสรุป",
];

/// Verbs of saying that introduce a set-off quotation.
const SPEECH: &[&str] = &["ว่า", "ไว้ว่า", ":"];

pub fn is_thai(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}

/// Thai vowels and marks written above or below a consonant (zero display width), and
/// following vowels that can never begin a syllable.
pub fn is_combining(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
        || unicode_combining(c)
}

fn unicode_combining(c: char) -> bool {
    // Combining diacritics of other scripts (OCR noise) also take no column.
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}')
}

/// A block starting with one of these cannot be the start of a paragraph: a vowel or mark
/// that needs a consonant before it, repetition mark, or closing punctuation.
pub fn starts_mid_word(text: &str) -> bool {
    text.chars().next().is_some_and(|c| {
        is_combining(c)
            || matches!(
                c,
                'ะ' | 'า' | 'ำ' | 'ๆ' | 'ฯ' | ')' | ']' | ',' | ';' | '”' | '’'
            )
    })
}

/// The word that leaves the sentence unfinished, if the block ends on one.
pub fn dangling_end(text: &str) -> Option<&'static str> {
    let t = text.trim_end();
    DANGLING_END
        .iter()
        .find(|(word, longer)| t.ends_with(word) && !longer.iter().any(|l| t.ends_with(l)))
        .map(|(word, _)| *word)
}

pub fn dangling_start(text: &str) -> Option<&'static str> {
    let t = text.trim_start();
    DANGLING_START_PREFIX
        .iter()
        .copied()
        .find(|p| t.starts_with(p))
        .or_else(|| {
            DANGLING_START_WORD.iter().copied().find(|w| {
                t.strip_prefix(w)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            })
        })
}

pub fn sentence_final(text: &str) -> Option<&'static str> {
    let t = text.trim_end();
    SENTENCE_FINAL.iter().copied().find(|w| t.ends_with(w))
}

pub fn opener(text: &str) -> Option<&'static str> {
    let t = text.trim_start();
    OPENERS.iter().copied().find(|w| t.starts_with(w))
}

pub fn introduces_speech(text: &str) -> bool {
    let t = text.trim_end().trim_end_matches(['"', '”']);
    SPEECH.iter().any(|w| t.ends_with(w)) || text.trim_end().ends_with(['"', '”'])
}

pub fn ends_with_footnote(text: &str) -> bool {
    let t = text.trim_end();
    t.ends_with(']')
        && t.rfind("[^")
            .is_some_and(|i| t[i + 2..t.len() - 1].chars().all(|c| c.is_ascii_digit()))
}

/// Brackets or quotation marks opened and not closed: the sentence goes on.
pub fn leaves_open(text: &str) -> bool {
    let count = |c: char| text.matches(c).count();
    count('(') > count(')') || count('“') > count('”') || count('"') % 2 == 1 || text.ends_with('-')
}

/// Ends like a sentence in punctuation: a footnote mark, a closing quote, an ellipsis,
/// or a full stop that is not an abbreviation such as `ค.ศ.`.
pub fn ends_with_punctuation(text: &str) -> bool {
    let t = text.trim_end();
    if ends_with_footnote(t)
        || t.ends_with(['”', '!', '?'])
        || t.ends_with("...")
        || t.ends_with('…')
    {
        return true;
    }
    t.ends_with('.') && {
        let before: Vec<char> = t.chars().rev().skip(1).take(2).collect();
        // `ค.ศ.`, `N.E.P.`: a letter right after another full stop is an abbreviation.
        !(before.len() == 2 && before[1] == '.')
    }
}

/// `<sup>30</sup>` and Unicode superscripts `²⁶` → `[^30]`, `[^26]`, in place.
pub fn canonical_footnotes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<sup>") {
            if let Some(end) = after.find("</sup>") {
                let inner = after[..end].trim();
                if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) {
                    out.push_str("[^");
                    out.push_str(inner);
                    out.push(']');
                    rest = &after[end + "</sup>".len()..];
                    continue;
                }
            }
        }
        let c = rest.chars().next().expect("rest is not empty");
        if superscript_digit(c).is_some() {
            let digits: String = rest.chars().map_while(superscript_digit).collect();
            let byte_len: usize = rest.chars().take(digits.len()).map(char::len_utf8).sum();
            out.push_str("[^");
            out.push_str(&digits);
            out.push(']');
            rest = &rest[byte_len..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn superscript_digit(c: char) -> Option<char> {
    Some(match c {
        '⁰' => '0',
        '¹' => '1',
        '²' => '2',
        '³' => '3',
        '⁴'..='⁹' => char::from_digit(c as u32 - '⁴' as u32 + 4, 10)?,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footnotes_in_both_forms_become_one_canonical_form() {
        assert_eq!(
            canonical_footnotes("สตาลิน...<sup>30</sup>"),
            "สตาลิน...[^30]"
        );
        assert_eq!(canonical_footnotes("รีกอฟ\"²⁷ ต่อ"), "รีกอฟ\"[^27] ต่อ");
        assert_eq!(canonical_footnotes("x¹⁰⁹"), "x[^109]");
        assert_eq!(canonical_footnotes("<sup>a</sup>"), "<sup>a</sup>");
    }

    #[test]
    fn modal_must_dangles_but_correct_does_not() {
        assert_eq!(dangling_end("รัสเซียจึงต้อง"), Some("ต้อง"));
        assert_eq!(dangling_end("ซึ่งถูกต้อง"), None);
        assert_eq!(dangling_end("ดีกว่า"), None);
        assert_eq!(dangling_end("เชื่อว่า"), Some("ว่า"));
    }

    #[test]
    fn a_lone_particle_dangles_at_the_start_but_a_longer_word_does_not() {
        assert_eq!(dangling_start("กัน ได้แก่ แบ่ง"), Some("กัน"));
        assert_eq!(dangling_start("กันยายน ค.ศ. 1939"), None);
        assert_eq!(dangling_start("ได้แก่โรงงาน"), Some("ได้แก่"));
    }

    #[test]
    fn abbreviations_are_not_sentence_ends() {
        assert!(!ends_with_punctuation("ใน ค.ศ."));
        assert!(ends_with_punctuation("the end."));
        assert!(ends_with_punctuation("ก้าวหน้า[^31]"));
    }
}
