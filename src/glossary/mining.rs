//! Glossary candidates mined from the book: the source often gives the original after a
//! Thai name or term, `โกสแปลน (Gosplan)`, `เยฟเกนี เพรโอบราเซนสกี (Evgeni Preobrazenskii)`.
//! Each Thai ↔ Latin pair becomes a candidate a reviewer accepts (into the glossary) or
//! rejects (remembered, never offered again).
//!
//! The hard part is where the Thai term starts: Thai writes no space between words, so
//! `หรือโกสแปลน` ("or Gosplan") and `ระบบนารัฐ` ("the system of state farms") reach back
//! past the term. Without a word breaker, three kinds of evidence decide, strongest first:
//!
//! 1. **Quotation marks** around the Thai (`"หมู่เกาะกูลักส์" (The Gulag Archipelago)`).
//! 2. **Sound**: most pairs are names, and a Thai transliteration keeps the consonants of
//!    the Latin. Both sides become a skeleton of consonant classes (`โกสแปลน` and
//!    `Gosplan` are both K-S-P-L-N); every place a Thai syllable can start is tried, and
//!    the extent whose skeleton best matches the Latin's wins (Dice coefficient over their
//!    longest common subsequence). The Latin's words map to space-separated Thai words
//!    (`เยฟเกนี เพรโอบราเซนสกี` for two words), and a few Thai function words
//!    (`หรือ`, `คือ`, `โดยมี`…) are never part of a name.
//! 3. **Recurrence**, for translated terms that sound nothing like the Latin
//!    (`นารัฐ (Sovkhozy)`): the longest ending of the Thai that occurs again in the book
//!    after at least three different characters, i.e. the book uses it as a unit.
//!
//! A pair with none of these is not offered. The reviewer sees the evidence and can correct
//! the Thai before accepting.

use std::collections::{HashMap, HashSet};

use crate::checks::{is_latin_letter, is_thai, significant_words};

/// Why the miner thinks the Thai is the term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The Thai is in quotation marks before the parenthesis.
    Quoted,
    /// The Thai sounds like the Latin (percent similarity of their consonants).
    SoundsLike(u8),
    /// The Thai recurs in the book as a unit (how many times).
    Recurs(usize),
}

impl Evidence {
    /// Quoted and sound-alike pairs are near certain; recurrence is a hint.
    fn strength(self) -> u8 {
        match self {
            Evidence::Quoted => 3,
            Evidence::SoundsLike(_) => 2,
            Evidence::Recurs(_) => 1,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Evidence::Quoted => "in quotation marks".into(),
            Evidence::SoundsLike(p) => format!("sounds like the Latin ({p}%)"),
            Evidence::Recurs(n) => format!("recurs {n} times in the book"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub thai: String,
    pub english: String,
    pub evidence: Evidence,
    /// How many times the book gives this pair.
    pub occurrences: usize,
    /// The first place it does, a few words before and the parenthesis.
    pub context: String,
}

/// The candidates of a book's Thai texts (its segments), strongest first.
pub fn mine<S: AsRef<str>>(texts: &[S]) -> Vec<Candidate> {
    let book: String = texts
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join("\n");
    let mut found: Vec<Candidate> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for text in texts {
        let text = text.as_ref();
        for (open, latin) in parentheses(text) {
            let Some((thai, evidence)) = thai_before(&text[..open], latin, &book) else {
                continue;
            };
            let key = (thai.clone(), latin.to_lowercase());
            match index.get(&key) {
                Some(&i) => {
                    let c = &mut found[i];
                    c.occurrences += 1;
                    if evidence.strength() > c.evidence.strength() {
                        c.evidence = evidence;
                    }
                }
                None => {
                    index.insert(key, found.len());
                    found.push(Candidate {
                        thai,
                        english: latin.to_string(),
                        evidence,
                        occurrences: 1,
                        context: context(text, open),
                    });
                }
            }
        }
    }
    // A Latin term with a quoted or sound-alike Thai needs no weaker guess beside it.
    let strong: HashSet<String> = found
        .iter()
        .filter(|c| c.evidence.strength() >= 2)
        .map(|c| c.english.to_lowercase())
        .collect();
    found.retain(|c| c.evidence.strength() >= 2 || !strong.contains(&c.english.to_lowercase()));
    found.sort_by(|a, b| {
        (b.evidence.strength(), b.occurrences, &a.thai).cmp(&(
            a.evidence.strength(),
            a.occurrences,
            &b.thai,
        ))
    });
    found
}

/// Up to 40 characters before the parenthesis, and the parenthesis.
fn context(text: &str, open: usize) -> String {
    let start = text[..open]
        .char_indices()
        .rev()
        .nth(39)
        .map_or(0, |(i, _)| i);
    let close = text[open..].find(')').map_or(text.len(), |i| open + i + 1);
    format!("…{}", &text[start..close])
}

/// Each `(` followed by Latin text, with the Latin (its leading Latin words: `(Riga มีนาคม
/// ค.ศ. 1921)` gives `Riga`).
fn parentheses(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (open, _) in text.match_indices('(') {
        let inside = &text[open + 1..];
        let inside = &inside[..inside.find(')').unwrap_or(inside.len())];
        let trimmed = inside.trim_start();
        if !trimmed.starts_with(is_latin_letter) {
            continue;
        }
        let end = trimmed
            .find(|c: char| !(is_latin_letter(c) || matches!(c, ' ' | '.' | '-' | '\'' | '’')))
            .unwrap_or(trimmed.len());
        let latin = trimmed[..end].trim_end_matches([' ', '-', '\'']);
        if !significant_words(latin).is_empty() && latin.chars().count() <= 120 {
            out.push((open, latin));
        }
    }
    out
}

/// Thai words that come before names and are never part of them.
const FUNCTION_WORDS: &[&str] = &[
    "ชื่อว่า",
    "เรียกว่า",
    "ได้แก่",
    "โดยมี",
    "หรือ",
    "คือ",
    "ว่า",
    "โดย",
    "นาย",
    "ให้",
    "ซึ่ง",
    "และ",
    "กับ",
    "ของ",
    "ที่",
    "ใน",
    "เป็น",
    "กลุ่ม",
    "คณะ",
    "อย่าง",
    "แก่",
    "จาก",
    "เช่น",
];

/// Below this similarity a Thai text does not sound like the Latin.
const SOUNDS_LIKE: f64 = 0.65;
/// What starting inside a Thai word (rather than at a space) costs an extent's similarity.
const MID_WORD_PENALTY: f64 = 0.06;

fn thai_before(before: &str, latin: &str, book: &str) -> Option<(String, Evidence)> {
    let before = before.trim_end();
    if let Some(quoted) = quoted_at_end(before) {
        return Some((quoted.to_string(), Evidence::Quoted));
    }
    let wanted = latin
        .split([' ', '-'])
        .filter(|w| {
            !w.is_empty() && !(w.contains('.') && w.chars().all(|c| c == '.' || c.is_uppercase()))
        })
        .count()
        .max(1);
    // The Thai words (space-separated) before the parenthesis, as many as the Latin has.
    let mut words: Vec<&str> = Vec::new();
    for word in before.rsplit(' ') {
        if word.is_empty() || !word.chars().all(is_thai) || words.len() == wanted {
            break;
        }
        words.insert(0, word);
    }
    if words.is_empty() {
        return None;
    }
    if let Some((thai, score)) = by_sound(&words, latin) {
        if score >= SOUNDS_LIKE {
            return Some((thai, Evidence::SoundsLike((score * 100.0).round() as u8)));
        }
    }
    by_recurrence(words[words.len() - 1], book).map(|(thai, n)| (thai, Evidence::Recurs(n)))
}

/// `…"หมู่เกาะกูลักส์"`: the Thai in the quotation marks that end the text.
fn quoted_at_end(before: &str) -> Option<&str> {
    let (close, open) = match before.chars().last()? {
        '”' => ('”', '“'),
        '"' => ('"', '"'),
        _ => return None,
    };
    let inner = &before[..before.len() - close.len_utf8()];
    let start = inner.rfind(open)? + open.len_utf8();
    let quoted = inner[start..].trim();
    let ok = !quoted.is_empty()
        && quoted.chars().count() <= 60
        && quoted.chars().all(|c| is_thai(c) || c == ' ');
    ok.then_some(quoted)
}

/// The extent of the Thai words that sounds most like the Latin, and how much.
fn by_sound(words: &[&str], latin: &str) -> Option<(String, f64)> {
    let target = latin_skeleton(latin);
    if target.is_empty() {
        return None;
    }
    let joined = words.join(" ");
    // Starts at word boundaries (after any function words) are preferred on near-ties: a
    // name is more likely whole than cut.
    let mut boundary_starts = Vec::new();
    let mut offset = 0;
    for word in words {
        let mut rest = *word;
        while let Some(stripped) = FUNCTION_WORDS
            .iter()
            .find_map(|f| rest.strip_prefix(f).filter(|r| r.chars().count() >= 2))
        {
            rest = stripped;
        }
        boundary_starts.push(offset + (word.len() - rest.len()));
        offset += word.len() + 1;
    }
    let first = words[0];
    // Inside the first word, a name does not start with a function word (`ให้เอชอฟ`).
    let mut all_starts: Vec<usize> = syllable_starts(first)
        .into_iter()
        .filter(|&s| !starts_with_function_word(&first[s..]))
        .collect();
    all_starts.extend(boundary_starts.iter().copied());
    let score_at = |start: usize| dice(&thai_skeleton(&joined[start..]), &target);
    // A cut inside a Thai word must sound clearly better than the whole word to win:
    // `เยฟเกนี` stays whole though `ฟเกนี` alone matches `Evgeni` a little better.
    let adjusted = |start: usize| match boundary_starts.contains(&start) {
        true => score_at(start),
        false => score_at(start) - MID_WORD_PENALTY,
    };
    let mut chosen: Option<(usize, f64)> = None;
    for start in all_starts {
        let score = adjusted(start);
        let better = match chosen {
            None => true,
            // Ties go to the longer extent (the earlier start).
            Some((at, best)) => score > best + 1e-9 || ((score - best).abs() < 1e-9 && start < at),
        };
        if better {
            chosen = Some((start, score));
        }
    }
    let (chosen, _) = chosen?;
    Some((joined[chosen..].to_string(), score_at(chosen)))
}

fn starts_with_function_word(text: &str) -> bool {
    FUNCTION_WORDS.iter().any(|f| {
        text.strip_prefix(f)
            .is_some_and(|rest| rest.chars().count() >= 2)
    })
}

/// Where a Thai syllable may start in a word: at a consonant not after a leading vowel, or
/// at a leading vowel (`เ แ โ ใ ไ`, written before their consonant); not at a word's last
/// consonant, which ends a syllable. Byte offsets.
fn syllable_starts(word: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut previous = None;
    for (at, c) in word.char_indices() {
        let leading = ('\u{0E40}'..='\u{0E44}').contains(&c);
        let consonant = ('\u{0E01}'..='\u{0E2E}').contains(&c);
        let after_leading = previous.is_some_and(|p: char| ('\u{0E40}'..='\u{0E44}').contains(&p));
        let rest = word[at..].split(' ').next().unwrap_or_default();
        let last_consonant = consonant
            && rest
                .chars()
                .skip(1)
                .all(|m| matches!(m, '\u{0E48}'..='\u{0E4C}'));
        if leading || (consonant && !after_leading && !last_consonant) {
            starts.push(at);
        }
        previous = Some(c);
    }
    starts
}

/// A recurring term has at least this many characters (shorter endings recur by chance).
const MIN_RECURRING_CHARS: usize = 4;
/// An ending that occurs more often than this is a common word or a common piece of many.
const MAX_RECURRING: usize = 30;

/// The longest ending of `word` (at a syllable start, not a function word) that occurs in
/// the book at least three times, after at least three different characters: a unit the
/// book uses, not the end of a longer word. With the number of occurrences.
fn by_recurrence(word: &str, book: &str) -> Option<(String, usize)> {
    // Terms are short; the end of a long run of Thai is enough to look at.
    let tail_start = word.char_indices().rev().nth(29).map_or(0, |(i, _)| i);
    // Starts inside a function word (`อง` of `ของรัฐ`) are no starts either.
    let mut skip_until = 0;
    for start in syllable_starts(word) {
        if start < tail_start || start < skip_until {
            continue;
        }
        let ending = &word[start..];
        if let Some(f) = FUNCTION_WORDS.iter().find(|f| ending.starts_with(*f)) {
            skip_until = start + f.len();
            continue;
        }
        if ending.chars().count() < MIN_RECURRING_CHARS {
            continue;
        }
        let mut count = 0;
        let mut left = HashSet::new();
        for (at, _) in book.match_indices(ending) {
            count += 1;
            left.insert(book[..at].chars().last().unwrap_or(' '));
        }
        if count > MAX_RECURRING {
            // Common enough to be an ordinary word or a piece of many: no evidence.
            return None;
        }
        if count >= 3 && left.len() >= 3 {
            return Some((ending.to_string(), count));
        }
    }
    None
}

/// Consonant classes: what a transliteration keeps of a name's sound.
fn thai_class(c: char) -> Option<char> {
    Some(match c {
        'ก' | 'ข' | 'ฃ' | 'ค' | 'ฅ' | 'ฆ' => 'K',
        'ง' | 'น' | 'ณ' => 'N',
        'จ' | 'ฉ' | 'ช' | 'ฌ' => 'C',
        'ซ' | 'ศ' | 'ษ' | 'ส' => 'S',
        'ญ' | 'ย' => 'Y',
        'ด' | 'ฎ' | 'ต' | 'ฏ' | 'ถ' | 'ท' | 'ธ' | 'ฐ' | 'ฑ' | 'ฒ' => 'T',
        'บ' | 'ป' | 'พ' | 'ภ' | 'ผ' => 'P',
        'ฝ' | 'ฟ' | 'ว' => 'V',
        'ม' => 'M',
        'ร' => 'R',
        'ล' | 'ฬ' => 'L',
        _ => return None,
    })
}

fn thai_skeleton(thai: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in thai.chars() {
        if c == '\u{0E4C}' {
            // THANTHAKHAT silences the consonant before it.
            out.pop();
        } else if let Some(class) = thai_class(c) {
            out.push(class);
        }
    }
    out.dedup();
    out
}

fn latin_skeleton(latin: &str) -> Vec<char> {
    let s: Vec<char> = latin.to_lowercase().chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let next = s.get(i + 1).copied().unwrap_or(' ');
        let pair = (s[i], next);
        let (class, width) = match pair {
            ('s', 'c') if s.get(i + 2) == Some(&'h') => (Some('C'), 3),
            ('c' | 'z' | 's', 'h') | ('d', 'j') => (Some('C'), 2),
            ('t', 'h') => (Some('T'), 2),
            ('p', 'h') => (Some('V'), 2),
            ('n', 'g') => (Some('N'), 2),
            ('c', 'k') => (Some('K'), 2),
            ('c', 'e' | 'i' | 'y') => (Some('S'), 1),
            ('x', _) => {
                out.extend(['K', 'S']);
                i += 1;
                continue;
            }
            (c, _) => (
                match c {
                    'b' | 'p' => Some('P'),
                    'c' | 'k' | 'q' | 'g' => Some('K'),
                    'd' | 't' => Some('T'),
                    'f' | 'v' | 'w' => Some('V'),
                    's' | 'z' => Some('S'),
                    'm' => Some('M'),
                    'n' => Some('N'),
                    'l' => Some('L'),
                    'r' => Some('R'),
                    'j' | 'y' => Some('Y'),
                    _ => None,
                },
                1,
            ),
        };
        out.extend(class);
        i += width;
    }
    out.dedup();
    out
}

/// Dice coefficient over the longest common subsequence: 1 for the same skeleton.
fn dice(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut row = vec![0usize; b.len() + 1];
    for &x in a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    2.0 * row[b.len()] as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(text: &str) -> Option<(String, Evidence)> {
        let (open, latin) = parentheses(text)[0];
        thai_before(&text[..open], latin, text)
    }

    #[test]
    fn a_transliterated_name_is_found_by_its_sound() {
        let (thai, evidence) =
            pair("หน่วยงานวางแผนงานเศรษฐกิจแห่งชาติ หรือโกสแปลน (Gosplan) ขึ้น").unwrap();
        assert_eq!(thai, "โกสแปลน");
        assert!(matches!(evidence, Evidence::SoundsLike(p) if p >= 90));
    }

    #[test]
    fn a_two_word_name_takes_two_thai_words() {
        let text = "ผู้นำฝ่ายซ้าย เยฟเกนี เพรโอบราเซนสกี (Evgeni Preobrazenskii) เสนอ";
        assert_eq!(pair(text).unwrap().0, "เยฟเกนี เพรโอบราเซนสกี");
        let text = "วิศวกรอย่างเบเชิล กรินเวทสกี (Basil Grinevetskii) ได้";
        assert_eq!(pair(text).unwrap().0, "เบเชิล กรินเวทสกี");
    }

    #[test]
    fn quoted_thai_is_taken_whole() {
        let text = "เขียนไว้ใน \"หมู่เกาะกูลักส์\" (The Gulag Archipelago) ว่า";
        assert_eq!(pair(text).unwrap(), ("หมู่เกาะกูลักส์".into(), Evidence::Quoted));
    }

    #[test]
    fn latin_skeletons_follow_spelling_conventions() {
        assert_eq!(latin_skeleton("Gosplan"), vec!['K', 'S', 'P', 'L', 'N']);
        assert_eq!(thai_skeleton("โกสแปลน"), vec!['K', 'S', 'P', 'L', 'N']);
        assert_eq!(latin_skeleton("Zhdanov"), vec!['C', 'T', 'N', 'V']);
        // The silent consonant under THANTHAKHAT is dropped: วิกเตอร์ is V-K-T.
        assert_eq!(thai_skeleton("วิกเตอร์"), vec!['V', 'K', 'T']);
    }
}
