//! Translation-memory scoring, the pure part: how alike a stored source is to the source
//! being translated, as a CAT tool's fuzzy-match percentage.
//!
//! The database proposes candidates by shared n-gram keys ([`keys`],
//! `db::tm::candidates_by_keys`), which is fast but is no percentage a translator can
//! read. The final score is computed here, on words: both texts are normalized and broken
//! into words (`text::words`, so Thai words, not letters, are the units), and the
//! percentage is how much of the longer text survives a word-level edit, with each word
//! weighing its length in characters:
//!
//! `percent = ⌊100 × (1 − edit / max(len_stored, len_current))⌋`
//!
//! where `edit` is the characters of the words deleted or inserted, and for a word
//! replaced by another, the longer of the two. 100% is kept for an exact match (same text
//! after normalization); texts that differ only in spacing or invisible characters score
//! 99%, so "exact" is never claimed for a text that is not.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag};

use crate::text::normalize::normalize_inline;
use crate::text::words;

/// Matches below this percentage are not offered (CAT tools' usual default).
pub const DEFAULT_THRESHOLD: u8 = 70;
/// How many matches the editor offers (Ctrl+1..3).
pub const BEST: usize = 3;

/// Past this, the word diff returns a coarser alignment; real paragraphs take microseconds.
const DEADLINE: Duration = Duration::from_millis(20);

/// The fuzzy-match percentage of `stored` (a memory's source) for `current` (the source
/// being translated), 0–100.
pub fn percent(stored: &str, current: &str) -> u8 {
    Scorer::new(current).percent(stored)
}

/// Scores many stored sources against one current source (broken into words once).
pub struct Scorer {
    current: String,
    words: Vec<(String, usize)>,
}

impl Scorer {
    pub fn new(current: &str) -> Scorer {
        let current = normalize_inline(current);
        let words = scored_words(&current)
            .into_iter()
            .map(|(w, n)| (w.to_string(), n))
            .collect();
        Scorer { current, words }
    }

    pub fn percent(&self, stored: &str) -> u8 {
        let stored = normalize_inline(stored);
        if stored == self.current {
            return 100;
        }
        let a = scored_words(&stored);
        let b: Vec<(&str, usize)> = self.words.iter().map(|(w, n)| (w.as_str(), *n)).collect();
        let longer = a
            .iter()
            .map(|w| w.1)
            .sum::<usize>()
            .max(b.iter().map(|w| w.1).sum());
        if longer == 0 {
            return 0;
        }
        let edit = edit_cost(&a, &b);
        let score = 100 * longer.saturating_sub(edit) / longer;
        // Not the same text: never 100.
        score.min(99) as u8
    }

    /// The best `best` of `sources` at or above `threshold`, as (index, percent), best
    /// first (ties in the order given).
    pub fn rank(&self, sources: &[&str], threshold: u8, best: usize) -> Vec<(usize, u8)> {
        let mut scored: Vec<(usize, u8)> = sources
            .iter()
            .enumerate()
            .map(|(i, s)| (i, self.percent(s)))
            .filter(|&(_, p)| p >= threshold)
            .collect();
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(best);
        scored
    }
}

/// Words with their length in characters (whitespace left out: spacing is not content).
fn scored_words(text: &str) -> Vec<(&str, usize)> {
    words::words(text)
        .into_iter()
        .map(|w| (w, w.chars().count()))
        .collect()
}

/// Characters deleted, inserted or replaced (the longer side) in a word-level diff.
fn edit_cost(a: &[(&str, usize)], b: &[(&str, usize)]) -> usize {
    let (ta, tb): (Vec<&str>, Vec<&str>) = (
        a.iter().map(|w| w.0).collect(),
        b.iter().map(|w| w.0).collect(),
    );
    let weight = |words: &[(&str, usize)], range: std::ops::Range<usize>| -> usize {
        words[range].iter().map(|w| w.1).sum()
    };
    similar::capture_diff_slices_deadline(
        Algorithm::Myers,
        &ta,
        &tb,
        Some(Instant::now() + DEADLINE),
    )
    .into_iter()
    .map(|op| {
        let (tag, ra, rb) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => 0,
            DiffTag::Delete => weight(a, ra),
            DiffTag::Insert => weight(b, rb),
            DiffTag::Replace => weight(a, ra).max(weight(b, rb)),
        }
    })
    .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_is_an_exact_match() {
        assert_eq!(percent("สตาลินเป็นผู้นำพรรค", "สตาลินเป็นผู้นำพรรค"), 100);
        // Normalization first: a decomposed sara am is the same text.
        assert_eq!(percent("ทำงาน", "ท\u{0e4d}\u{0e32}งาน"), 100);
    }

    #[test]
    fn spacing_alone_is_not_exact() {
        assert_eq!(percent("สตาลิน เป็นผู้นำ", "สตาลินเป็นผู้นำ"), 99);
    }

    #[test]
    fn a_deleted_word_costs_its_length() {
        // 19 characters; "พรรค" (4) deleted: 15/19.
        assert_eq!(percent("สตาลินเป็นผู้นำพรรค", "สตาลินเป็นผู้นำ"), 78);
    }

    #[test]
    fn a_replaced_word_costs_the_longer_one() {
        // "the party leader" → "the state leader": 14 letters, 5 replaced.
        assert_eq!(percent("the party leader", "the state leader"), 64);
    }

    #[test]
    fn rank_keeps_the_best_above_the_threshold() {
        let scorer = Scorer::new("the party leader");
        let sources = [
            "a b c",
            "the state leader",
            "the party leader",
            "the party leader now",
        ];
        // "now" inserted: 3 of 17 characters.
        assert_eq!(scorer.rank(&sources, 60, 2), [(2, 100), (3, 82)]);
        assert_eq!(scorer.rank(&sources, 70, 5).len(), 2);
    }

    #[test]
    fn unrelated_texts_score_low() {
        assert!(percent("สตาลินเป็นผู้นำพรรค", "the party leader") < 10);
    }
}

/// Characters in a key's n-gram.
const KEY_CHARS: usize = 8;
/// Texts up to this many (folded) characters keep every n-gram as a key; longer ones one in
/// `KEY_SAMPLE` on average, chosen by the n-gram's own hash (so the same text yields the
/// same keys wherever it stands).
const KEY_ALL_UP_TO: usize = 64;
const KEY_SAMPLE: u32 = 8;

/// The lookup keys of a text: hashes of its 8-character n-grams (folded: lower case, no
/// whitespace), sorted, no repeats. Two texts that share a stretch of eight characters or
/// more share keys; a 70% match shares many. Stored for every memory unit and approved
/// segment (`db::tm`), where a GIN index finds the units sharing a key with a query: a
/// trigram index, measured on 100,000 units of one domain, took 1–2.6 s a lookup, because
/// the trigrams of common Thai words are in nearly every unit.
pub fn keys(text: &str) -> Vec<i32> {
    let chars: Vec<char> = crate::search::fold(text).chars().collect();
    let all = chars.len() <= KEY_ALL_UP_TO;
    let mut keys: Vec<i32> = chars
        .windows(KEY_CHARS.min(chars.len()).max(1))
        .map(|gram| fnv1a(gram))
        .filter(|h| all || h % KEY_SAMPLE == 0)
        .map(|h| h as i32)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// FNV-1a, 32 bits, over the characters' UTF-8: stable across builds and machines (the
/// keys are stored).
fn fnv1a(chars: &[char]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut buf = [0u8; 4];
    for c in chars {
        for b in c.encode_utf8(&mut buf).bytes() {
            hash ^= u32::from(b);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    }
    hash
}

/// How many of `a` are in `b` (both sorted).
pub fn shared_keys(a: &[i32], b: &[i32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The keys a lookup asks the index for: at most `n` of the text's keys (the smallest
/// hashes, a fixed random choice). A 70% match keeps most of its keys, so it shares one of
/// these almost surely, while few keys keep the index scan short.
pub fn probe_keys(keys: &[i32], n: usize) -> Vec<i32> {
    let mut probe: Vec<i32> = keys.to_vec();
    probe.sort_unstable_by_key(|k| (*k as u32).wrapping_mul(0x9e37_79b9));
    probe.truncate(n);
    probe.sort_unstable();
    probe
}

#[cfg(test)]
mod key_tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_spacing_and_are_sorted() {
        assert_eq!(keys("สตาลิน เป็นผู้นำ"), keys("สตาลินเป็นผู้นำ"));
        assert_eq!(keys("The Party Line"), keys("the party line"));
        let k = keys("สตาลินเป็นผู้นำพรรคคอมมิวนิสต์");
        assert!(k.windows(2).all(|w| w[0] < w[1]));
        assert!(keys("").is_empty());
        assert_eq!(keys("ab").len(), 1);
    }

    #[test]
    fn a_near_copy_shares_most_keys_and_a_stranger_none() {
        let text = "ตั้งแต่ค.ศ.1924 นักการเมืองและนักเศรษฐศาสตร์โซเวียตได้ถกเถียงโต้แย้งเรื่องอนาคตของรัสเซียมาตลอด และตกลงยอมรับจุดหมายทางสังคมนิยม";
        let edited = text.replace("มาตลอด", "");
        let (a, b) = (keys(text), keys(&edited));
        assert!(
            shared_keys(&a, &b) * 2 >= a.len(),
            "{} of {}",
            shared_keys(&a, &b),
            a.len()
        );
        assert_eq!(
            shared_keys(&a, &keys("the party line held firm in 1924")),
            0
        );
        let probe = probe_keys(&a, 4);
        assert_eq!(probe.len(), 4.min(a.len()));
        assert!(probe.iter().all(|k| a.contains(k)));
    }
}
