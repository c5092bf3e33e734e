//! What each paragraph tells the aligner besides its length: its anchors (numbers, footnote
//! references, Latin names; `text::anchors`), weighted by how rare they are in the two
//! texts, and whether it reads as a heading or as a translator's note.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::text::anchors;

/// One paragraph of either side, as the aligner sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit<'a> {
    pub text: &'a str,
    pub role: Role,
}

/// What a paragraph is, from the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Body,
    /// A title or heading: translated on a line of its own, or left out; never merged with
    /// a body paragraph.
    Heading,
    /// English only: a translator's note, which has no Thai.
    Note,
}

impl<'a> Unit<'a> {
    /// A Thai segment whose kind is known (from the importer: title and heading segments).
    pub fn thai(text: &'a str, heading: bool) -> Unit<'a> {
        let role = if heading { Role::Heading } else { Role::Body };
        Unit { text, role }
    }

    /// A Thai block whose kind is not known: short blocks read as headings.
    pub fn thai_guessed(text: &'a str) -> Unit<'a> {
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        Unit::thai(text, chars <= 80 && !text.contains('\n'))
    }

    /// An English paragraph, with its role read from the text (see [`english_role`]).
    pub fn english(text: &'a str) -> Unit<'a> {
        Unit {
            text,
            role: english_role(text),
        }
    }
}

/// A translator's note announces itself ("Translator's note:", "[Note: …]", "TN:"); a
/// heading is a Markdown heading, or a short line that does not end a sentence.
pub fn english_role(text: &str) -> Role {
    let t = text.trim();
    let opened = t
        .trim_start_matches(['[', '(', '*', '_', '>', ' '])
        .to_lowercase();
    let note_openings = [
        "translator's note",
        "translator’s note",
        "translators' note",
        "translator note",
        "note by the translator",
        "note from the translator",
        "editor's note",
        "editor’s note",
        "tn:",
        "t.n.",
        "tr. note",
        "tr.:",
        "note:",
        "n.b.",
    ];
    if note_openings.iter().any(|o| opened.starts_with(o)) {
        return Role::Note;
    }
    if t.starts_with('#') {
        return Role::Heading;
    }
    let words = t.split_whitespace().count();
    let ends_sentence = t.ends_with(['.', '!', '?', ';', ':', '"', '”', '’', ')', ']', '…']);
    if words <= 12 && t.chars().count() <= 90 && !ends_sentence && !t.contains('\n') {
        return Role::Heading;
    }
    Role::Body
}

/// Each paragraph's anchors as ids into a weight table, sorted, without repeats.
pub struct Anchors {
    pub th: Vec<Vec<u32>>,
    pub en: Vec<Vec<u32>>,
    /// Each paragraph's anchors with the next one's (for 2-paragraph beads).
    th_pairs: Vec<Vec<u32>>,
    en_pairs: Vec<Vec<u32>>,
    /// By id: how much a shared anchor says (rarer anchors say more).
    pub weight: Vec<f64>,
}

/// English number words a translator may write instead of digits. ("one" is left out: it
/// is mostly a pronoun.)
const NUMBER_WORDS: [(&str, u32); 26] = [
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

impl Anchors {
    pub fn find(th: &[Unit], en: &[Unit]) -> Anchors {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut id = |key: String| {
            let next = ids.len() as u32;
            *ids.entry(key).or_insert(next)
        };
        let mut terms: Vec<(String, u32)> = Vec::new();
        let th_sets: Vec<Vec<u32>> = th
            .iter()
            .map(|unit| {
                let mut set = Vec::new();
                for n in anchors::thai_numbers(unit.text) {
                    set.push(id(format!("n:{n}")));
                }
                for f in anchors::footnote_refs(unit.text) {
                    set.push(id(format!("f:{f}")));
                }
                for term in anchors::latin_terms(unit.text) {
                    let key = term.to_lowercase();
                    let term_id = id(format!("t:{key}"));
                    if !terms.iter().any(|(t, _)| t.to_lowercase() == key) {
                        terms.push((term, term_id));
                    }
                    set.push(term_id);
                }
                dedup(set)
            })
            .collect();
        let en_sets: Vec<Vec<u32>> = en
            .iter()
            .map(|unit| {
                let lower = unit.text.to_lowercase();
                // Its words once, for the one-word terms and number words.
                let words: HashSet<&str> = lower
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect();
                let cased: HashSet<&str> = unit
                    .text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect();
                let mut set = Vec::new();
                for n in anchors::numbers(unit.text) {
                    set.push(id(format!("n:{n}")));
                }
                for f in anchors::footnote_refs(unit.text) {
                    set.push(id(format!("f:{f}")));
                }
                for (word, value) in NUMBER_WORDS {
                    if words.contains(word) {
                        set.push(id(format!("n:{value}")));
                    }
                }
                for (term, term_id) in &terms {
                    if term_in(&words, &cased, &lower, term) {
                        set.push(*term_id);
                    }
                }
                dedup(set)
            })
            .collect();
        let mut df = vec![0usize; ids.len()];
        for set in th_sets.iter().chain(&en_sets) {
            for &a in set {
                df[a as usize] += 1;
            }
        }
        let paragraphs = (th.len() + en.len()) as f64;
        let weight = df
            .iter()
            .map(|&n| (1.0 + paragraphs / n.max(1) as f64).ln().min(5.0))
            .collect();
        Anchors {
            th_pairs: consecutive_unions(&th_sets),
            en_pairs: consecutive_unions(&en_sets),
            th: th_sets,
            en: en_sets,
            weight,
        }
    }

    /// Pairs of paragraphs that are surely each other's translation: the only Thai and
    /// the only English paragraph with some anchor. Enough of them tell the length ratio
    /// even when the translation covers part of the Thai only.
    pub fn unique_pairs(&self) -> Vec<(usize, usize)> {
        let mut seen: HashMap<u32, (Vec<usize>, Vec<usize>)> = HashMap::new();
        for (i, set) in self.th.iter().enumerate() {
            for &a in set {
                seen.entry(a).or_default().0.push(i);
            }
        }
        for (j, set) in self.en.iter().enumerate() {
            for &a in set {
                seen.entry(a).or_default().1.push(j);
            }
        }
        let mut pairs: Vec<(usize, usize)> = seen
            .into_values()
            .filter(|(th, en)| th.len() == 1 && en.len() == 1)
            .map(|(th, en)| (th[0], en[0]))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    /// The weight of the anchors two groups of paragraphs share, and of those only one
    /// side has. Groups of one or two paragraphs (every bead the aligner tries) use the
    /// sets made in advance; this runs for every cell of the aligner's table.
    pub fn compare(&self, th: Range<usize>, en: Range<usize>) -> (f64, f64) {
        let (mut th_buf, mut en_buf) = (Vec::new(), Vec::new());
        let th_set = group(&self.th, &self.th_pairs, th, &mut th_buf);
        let en_set = group(&self.en, &self.en_pairs, en, &mut en_buf);
        let (mut shared, mut alone) = (0.0, 0.0);
        let (mut a, mut b) = (0, 0);
        loop {
            match (th_set.get(a), en_set.get(b)) {
                (Some(x), Some(y)) if x == y => {
                    shared += self.weight[*x as usize];
                    a += 1;
                    b += 1;
                }
                (Some(x), Some(y)) if x < y => {
                    alone += self.weight[*x as usize];
                    a += 1;
                }
                (Some(x), None) => {
                    alone += self.weight[*x as usize];
                    a += 1;
                }
                (_, Some(y)) => {
                    alone += self.weight[*y as usize];
                    b += 1;
                }
                (None, None) => return (shared, alone),
            }
        }
    }
}

/// The anchors of paragraphs `range`, sorted without repeats: a set made in advance for
/// one or two paragraphs, else gathered into `buffer`.
fn group<'s>(
    singles: &'s [Vec<u32>],
    pairs: &'s [Vec<u32>],
    range: Range<usize>,
    buffer: &'s mut Vec<u32>,
) -> &'s [u32] {
    match range.len() {
        0 => &[],
        1 => &singles[range.start],
        2 => &pairs[range.start],
        _ => {
            *buffer = dedup(singles[range].iter().flatten().copied().collect());
            buffer
        }
    }
}

/// The union of each paragraph's anchors with the next one's.
fn consecutive_unions(sets: &[Vec<u32>]) -> Vec<Vec<u32>> {
    sets.windows(2)
        .map(|w| dedup(w[0].iter().chain(&w[1]).copied().collect()))
        .collect()
}

/// A Thai Latin term in an English paragraph: the whole term, or for a name of several
/// words its last word when it is a capitalized name found capitalized ("Serge" for
/// "Victor Serge"; not "country" for "Socialism in one country").
fn term_in(words: &HashSet<&str>, cased: &HashSet<&str>, english_lower: &str, term: &str) -> bool {
    let one_word = term.chars().all(char::is_alphanumeric);
    let lower = term.to_lowercase();
    let whole = match one_word {
        true => words.contains(lower.as_str()),
        false => anchors::contains_term(english_lower, term),
    };
    if whole {
        return true;
    }
    let last = term.rsplit([' ', '-']).next().unwrap_or_default();
    let name = last.chars().next().is_some_and(char::is_uppercase)
        && last.chars().all(char::is_alphanumeric)
        && last.chars().filter(|c| c.is_alphabetic()).count() >= 4;
    name && last != term && cased.contains(last)
}

fn dedup(mut set: Vec<u32>) -> Vec<u32> {
    set.sort_unstable();
    set.dedup();
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_roles_come_from_the_text() {
        assert_eq!(english_role("The New Economic Policy"), Role::Heading);
        assert_eq!(english_role("## Kronstadt"), Role::Heading);
        assert_eq!(
            english_role("[Translator's note: Wrangel led the White army.]"),
            Role::Note
        );
        assert_eq!(
            english_role("Note: the figures are the author's."),
            Role::Note
        );
        assert_eq!(english_role("The war was over."), Role::Body);
        let long = "When the civil war ended Soviet Russia lay in ruins and famine spread";
        assert_eq!(english_role(long), Role::Body);
    }

    #[test]
    fn shared_anchors_are_found_across_scripts() {
        let th = [
            Unit::thai("ใน ค.ศ.๑๙๒๑ สภา (Gosplan) ได้ตั้งขึ้น[^4]", false),
            Unit::thai("วิคเตอร์ แซร์จ (Victor Serge) เขียนไว้ใน พ.ศ. 2464", false),
        ];
        let en = [
            Unit::english("In 1921 the Gosplan was set up.[^4]"),
            Unit::english("Serge wrote so in 1921, with fifty others."),
        ];
        let anchors = Anchors::find(&th, &en);
        let (shared, alone) = anchors.compare(0..1, 0..1);
        assert!(shared > 0.0 && alone == 0.0, "{shared} {alone}");
        let (shared, alone) = anchors.compare(1..2, 1..2);
        assert!(
            shared > 0.0 && alone > 0.0,
            "fifty is alone: {shared} {alone}"
        );
        let (cross, _) = anchors.compare(0..1, 1..2);
        assert!(
            cross < anchors.compare(0..1, 0..1).0,
            "only the year is shared"
        );
    }
}
