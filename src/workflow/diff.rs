//! Word-level differences between two revisions, readable in English and in Thai.
//!
//! Text is cut into tokens first: a Latin word or number (with an apostrophe inside it,
//! `don't`), a run of whitespace, one punctuation mark, or, in Thai, which has no spaces
//! between words, one *cluster*: a consonant with the vowel and tone marks written above
//! and below it (and a leading vowel `เ แ โ ใ ไ` written before it). A cluster is the
//! smallest piece of Thai that can change without the rest looking broken; a diff by
//! code point would cut `น้ำ` into a letter and two floating marks.
//!
//! The tokens are compared with the Myers algorithm from the `similar` crate (well kept,
//! small, no dependencies of its own, with a time limit for pathological inputs) rather
//! than a hand-written LCS: a quadratic LCS table over a 50,000-character paragraph would
//! need gigabytes, while Myers runs in O((N+M)·D) for D differences. A final pass folds a
//! single unchanged token caught between two changes (`the cat sat` → `a dog sat` reads as
//! "`the cat` became `a dog`", not as four changes around one space), which is what makes
//! Thai diffs readable: common clusters such as `า` would otherwise match all over.

use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{Algorithm, DiffTag};

/// One piece of a difference, in reading order. Within a changed stretch the deleted text
/// comes before the inserted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
pub enum DiffOp {
    Equal(String),
    Delete(String),
    Insert(String),
}

/// Beyond this the diff stops looking for the best alignment and returns a correct but
/// coarser one; real paragraphs finish in microseconds.
const DEADLINE: Duration = Duration::from_millis(300);

/// The word-level difference from `old` to `new`: concatenating the `Equal` and `Delete`
/// parts gives `old`, the `Equal` and `Insert` parts give `new`.
pub fn diff_words(old: &str, new: &str) -> Vec<DiffOp> {
    let (old_tokens, new_tokens) = (tokenize(old), tokenize(new));
    let ops = similar::capture_diff_slices_deadline(
        Algorithm::Myers,
        &old_tokens,
        &new_tokens,
        Some(Instant::now() + DEADLINE),
    );
    let mut runs: Vec<Run> = Vec::new();
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let (o, n) = (&old_tokens[old_range], &new_tokens[new_range]);
        match tag {
            DiffTag::Equal => push_equal(&mut runs, o),
            DiffTag::Delete | DiffTag::Insert | DiffTag::Replace => push_change(&mut runs, o, n),
        }
    }
    runs.into_iter().flat_map(Run::into_ops).collect()
}

enum Run<'a> {
    Equal(Vec<&'a str>),
    Change {
        old: Vec<&'a str>,
        new: Vec<&'a str>,
    },
}

impl Run<'_> {
    fn into_ops(self) -> Vec<DiffOp> {
        match self {
            Run::Equal(tokens) => vec![DiffOp::Equal(tokens.concat())],
            Run::Change { old, new } => {
                let mut ops = Vec::with_capacity(2);
                if !old.is_empty() {
                    ops.push(DiffOp::Delete(old.concat()));
                }
                if !new.is_empty() {
                    ops.push(DiffOp::Insert(new.concat()));
                }
                ops
            }
        }
    }
}

fn push_equal<'a>(runs: &mut Vec<Run<'a>>, tokens: &[&'a str]) {
    match runs.last_mut() {
        Some(Run::Equal(prev)) => prev.extend_from_slice(tokens),
        _ => runs.push(Run::Equal(tokens.to_vec())),
    }
}

fn push_change<'a>(runs: &mut Vec<Run<'a>>, old: &[&'a str], new: &[&'a str]) {
    // A lone unchanged token between two changes joins them (see the module docs).
    let fold = runs.len() >= 2
        && matches!(runs.last(), Some(Run::Equal(eq)) if eq.len() <= 1)
        && matches!(runs.get(runs.len() - 2), Some(Run::Change { .. }));
    if fold {
        if let Some(Run::Equal(eq)) = runs.pop() {
            if let Some(Run::Change { old: o, new: n }) = runs.last_mut() {
                o.extend_from_slice(&eq);
                n.extend_from_slice(&eq);
            }
        }
    }
    match runs.last_mut() {
        Some(Run::Change { old: o, new: n }) => {
            o.extend_from_slice(old);
            n.extend_from_slice(new);
        }
        _ => runs.push(Run::Change {
            old: old.to_vec(),
            new: new.to_vec(),
        }),
    }
}

/// Cuts text into the tokens described in the module docs; they concatenate to `text`.
pub fn tokenize(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = token_len(rest, c);
        tokens.push(&rest[..len]);
        rest = &rest[len..];
    }
    tokens
}

/// The byte length of the token at the start of `s`, whose first character is `c`.
fn token_len(s: &str, c: char) -> usize {
    let end_of = |pred: &dyn Fn(char) -> bool| {
        s.char_indices()
            .find(|&(_, ch)| !pred(ch))
            .map_or(s.len(), |(i, _)| i)
    };
    if c.is_whitespace() {
        return end_of(&|ch: char| ch.is_whitespace());
    }
    if is_thai(c) && !is_thai_digit(c) {
        return thai_cluster_len(s);
    }
    if is_word_char(c) {
        return word_len(s);
    }
    c.len_utf8()
}

/// A Latin (or other non-Thai) word or number: letters, digits and combining marks, and
/// an apostrophe between two of them. Thai digits count as digits.
fn word_len(s: &str) -> usize {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i].1;
        let apostrophe_inside = matches!(ch, '\'' | '\u{2019}')
            && i > 0
            && chars
                .get(i + 1)
                .is_some_and(|&(_, next)| is_word_char(next));
        if !(is_word_char(ch) || apostrophe_inside) {
            return chars[i].0;
        }
        i += 1;
    }
    s.len()
}

fn is_word_char(c: char) -> bool {
    is_thai_digit(c)
        || (!is_thai(c)
            && (c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)))
}

/// Leading vowels, one base character, then the marks that sit on it.
fn thai_cluster_len(s: &str) -> usize {
    let mut chars = s.char_indices().peekable();
    let mut end = 0;
    while let Some(&(i, c)) = chars.peek() {
        if !is_thai_leading_vowel(c) {
            break;
        }
        end = i + c.len_utf8();
        chars.next();
    }
    match chars.peek() {
        Some(&(i, c)) if is_thai(c) && !is_thai_mark(c) && !is_thai_digit(c) => {
            end = i + c.len_utf8();
            chars.next();
        }
        // Leading vowels with nothing to lean on (or a lone mark): a token as they are.
        _ => return end.max(s.chars().next().map_or(0, char::len_utf8)),
    }
    for (i, c) in chars {
        if !is_thai_mark(c) {
            break;
        }
        end = i + c.len_utf8();
    }
    end
}

fn is_thai(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}

fn is_thai_digit(c: char) -> bool {
    ('\u{0E50}'..='\u{0E59}').contains(&c)
}

fn is_thai_leading_vowel(c: char) -> bool {
    ('\u{0E40}'..='\u{0E44}').contains(&c)
}

/// Marks written above or below the letter before them (MAI HAN-AKAT, the upper and lower
/// vowels, PHINTHU, MAITAIKHU, the tone marks, THANTHAKHAT, NIKHAHIT, YAMAKKAN), and SARA
/// AM, whose ring sits on the letter before it too.
fn is_thai_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E33}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use DiffOp::{Delete, Equal, Insert};

    fn eq(s: &str) -> DiffOp {
        Equal(s.into())
    }
    fn del(s: &str) -> DiffOp {
        Delete(s.into())
    }
    fn ins(s: &str) -> DiffOp {
        Insert(s.into())
    }

    /// Both sides can be rebuilt from the parts.
    fn check_round_trip(old: &str, new: &str) -> Vec<DiffOp> {
        let ops = diff_words(old, new);
        let rebuilt_old: String = ops
            .iter()
            .filter_map(|op| match op {
                Equal(s) | Delete(s) => Some(s.as_str()),
                Insert(_) => None,
            })
            .collect();
        let rebuilt_new: String = ops
            .iter()
            .filter_map(|op| match op {
                Equal(s) | Insert(s) => Some(s.as_str()),
                Delete(_) => None,
            })
            .collect();
        assert_eq!(rebuilt_old, old);
        assert_eq!(rebuilt_new, new);
        ops
    }

    #[test]
    fn english_words_are_compared_whole() {
        let ops = check_round_trip("The party met in Moscow.", "The congress met in Kiev.");
        assert_eq!(
            ops,
            [
                eq("The "),
                del("party"),
                ins("congress"),
                eq(" met in "),
                del("Moscow"),
                ins("Kiev"),
                eq(".")
            ]
        );
    }

    #[test]
    fn a_lone_shared_space_between_changes_is_folded_into_them() {
        let ops = check_round_trip("the cat sat", "a dog sat");
        assert_eq!(ops, [del("the cat"), ins("a dog"), eq(" sat")]);
    }

    #[test]
    fn insertions_and_deletions_alone() {
        assert_eq!(
            check_round_trip("Lenin died.", "Lenin died in 1924."),
            [eq("Lenin died"), ins(" in 1924"), eq(".")]
        );
        assert_eq!(
            check_round_trip("Lenin died in 1924.", "Lenin died."),
            [eq("Lenin died"), del(" in 1924"), eq(".")]
        );
        assert_eq!(check_round_trip("", "New text"), [ins("New text")]);
        assert_eq!(check_round_trip("Same", "Same"), [eq("Same")]);
        assert!(diff_words("", "").is_empty());
    }

    #[test]
    fn an_apostrophe_inside_a_word_is_part_of_it() {
        assert_eq!(tokenize("don't 'quote'"), ["don't", " ", "'", "quote", "'"]);
        assert_eq!(
            check_round_trip("Stalin's plan", "Trotsky's plan"),
            [del("Stalin's"), ins("Trotsky's"), eq(" plan")]
        );
    }

    #[test]
    fn thai_is_cut_into_clusters_with_their_marks() {
        assert_eq!(tokenize("น้ำ"), ["น้ำ"]);
        assert_eq!(tokenize("เป็นการ"), ["เป็", "น", "ก", "า", "ร"]);
        assert_eq!(tokenize("ที่สุด"), ["ที่", "สุ", "ด"]);
        assert_eq!(tokenize("ปี ๑๙๑๗"), ["ปี", " ", "๑๙๑๗"]);
        assert_eq!(
            tokenize("สตาลิน (Stalin)"),
            ["ส", "ต", "า", "ลิ", "น", " ", "(", "Stalin", ")"]
        );
    }

    #[test]
    fn a_thai_word_change_shows_as_whole_clusters() {
        let ops = check_round_trip("ฉันกินข้าว", "ฉันกินน้ำ");
        assert_eq!(ops, [eq("ฉันกิน"), del("ข้าว"), ins("น้ำ")]);
    }

    #[test]
    fn a_thai_edit_never_leaves_a_mark_without_its_letter() {
        let old = "สตาลินได้รับเลือกเป็นเลขาธิการใหญ่ของพรรคในปี ๑๙๒๒";
        let new = "สตาลินได้รับแต่งตั้งเป็นเลขาธิการทั่วไปของพรรคในปี ๑๙๒๒";
        for op in check_round_trip(old, new) {
            let (Equal(s) | Delete(s) | Insert(s)) = op;
            let first = s.chars().next().unwrap();
            assert!(
                !is_thai_mark(first),
                "a part starts with a floating mark: {s:?}"
            );
        }
    }

    #[test]
    fn thai_changes_read_as_words_not_scattered_letters() {
        let ops = check_round_trip("เขาเดินทางไปมอสโก", "เธอเดินทางไปเลนินกราด");
        assert_eq!(
            ops,
            [
                del("เขา"),
                ins("เธอ"),
                eq("เดินทางไป"),
                del("มอสโก"),
                ins("เลนินกราด")
            ]
        );
    }

    #[test]
    fn mixed_thai_and_english_lines_keep_line_breaks() {
        let ops = check_round_trip("First line\nบรรทัดที่สอง", "First line\nบรรทัดที่สาม");
        assert_eq!(ops, [eq("First line\nบรรทัดที่ส"), del("อง"), ins("าม")]);
    }

    #[test]
    fn leading_vowels_without_a_letter_and_lone_marks_are_still_tokens() {
        assert_eq!(tokenize("เ"), ["เ"]);
        assert_eq!(tokenize("\u{0E49}x"), ["\u{0E49}", "x"]);
        assert_eq!(tokenize("เ "), ["เ", " "]);
    }
}
