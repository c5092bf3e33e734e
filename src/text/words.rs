//! Thai word breaking, for search indexing, translation-memory scoring, term matching and
//! statistics. Pure: the dictionary is compiled in, nothing is read or fetched at run time.
//!
//! Thai is written without spaces between words, so words come from a dictionary: the
//! *newmm* algorithm (maximal matching over the dictionary, with cuts only at Thai
//! character-cluster boundaries, and the fewest unknown pieces when a stretch is not in the
//! dictionary), as implemented by `nlpo3`, the PyThaiNLP project's Rust port, with
//! PyThaiNLP's own word list. Measured on the corpus (README, *Thai word breaking*), it
//! gives the same boundaries as PyThaiNLP's `newmm`, the reference most Thai NLP tools are
//! compared with; ICU's dictionary segmenter found about as many of them but added ~30%
//! more and cut unknown names into pieces. nlpo3 runs with `safe = false`: its safe mode
//! cuts long texts at guessed points and was measured to damage tokens.
//!
//! The word list `words_th.txt` is PyThaiNLP 5.4.0's `pythainlp/corpus/words_th.txt`,
//! released by the PyThaiNLP project under CC0-1.0 (public domain dedication; see that
//! package's `corpus/corpus_license.md`). nlpo3 itself is Apache-2.0.
//!
//! Names a translator adds (a glossary's `เลนิน`) are not in any general dictionary and
//! come out in pieces; [`WordBreaker::with_extra_words`] makes a breaker that knows them.

use std::sync::OnceLock;

use nlpo3::tokenizer::newmm::NewmmTokenizer;
use nlpo3::tokenizer::tokenizer_trait::Tokenizer;

/// PyThaiNLP's Thai word list, one word a line (CC0-1.0, see the module docs).
const WORD_LIST: &str = include_str!("words_th.txt");

/// A dictionary-based word breaker. [`WordBreaker::standard`] is the one the app uses;
/// building one reads the ~62,000 words into a trie (tens of milliseconds), so build a
/// custom one once, not per text.
pub struct WordBreaker {
    newmm: NewmmTokenizer,
}

impl WordBreaker {
    /// The shared breaker with PyThaiNLP's word list, built on first use.
    pub fn standard() -> &'static WordBreaker {
        static STANDARD: OnceLock<WordBreaker> = OnceLock::new();
        STANDARD.get_or_init(|| WordBreaker::with_extra_words(&[]))
    }

    /// PyThaiNLP's word list plus `extra` (names, terms), which then come out whole.
    pub fn with_extra_words(extra: &[&str]) -> WordBreaker {
        let words = WORD_LIST
            .lines()
            .chain(extra.iter().copied())
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        WordBreaker {
            newmm: NewmmTokenizer::from_word_list(words),
        }
    }

    /// Every piece of `text` in order: words, runs of whitespace, punctuation, numbers,
    /// Latin words. They concatenate to `text`.
    pub fn tokens<'t>(&self, text: &'t str) -> Vec<&'t str> {
        if text.is_empty() {
            return Vec::new();
        }
        let pieces = self.newmm.segment(text, false, false).unwrap_or_default();
        slices_of(text, &pieces)
    }

    /// The words of `text`: [`tokens`](Self::tokens) without whitespace.
    pub fn words<'t>(&self, text: &'t str) -> Vec<&'t str> {
        let mut words = self.tokens(text);
        words.retain(|t| !t.chars().all(char::is_whitespace));
        words
    }
}

/// The pieces nlpo3 returned, as slices of `text`. nlpo3 gives owned strings that should
/// concatenate to the text; should a piece not be where expected (it drops a part it
/// failed on rather than report it), the rest of the text becomes one piece, so no
/// character is ever lost.
fn slices_of<'t>(text: &'t str, pieces: &[String]) -> Vec<&'t str> {
    let mut slices = Vec::with_capacity(pieces.len());
    let mut at = 0;
    for piece in pieces {
        if piece.is_empty() {
            continue;
        }
        if !text[at..].starts_with(piece.as_str()) {
            break;
        }
        slices.push(&text[at..at + piece.len()]);
        at += piece.len();
    }
    if at < text.len() {
        slices.push(&text[at..]);
    }
    slices
}

/// The words of `text` with the standard breaker (whitespace left out).
pub fn words(text: &str) -> Vec<&str> {
    WordBreaker::standard().words(text)
}

/// Every piece of `text` with the standard breaker; they concatenate to `text`.
pub fn tokens(text: &str) -> Vec<&str> {
    WordBreaker::standard().tokens(text)
}

/// The words of `text` joined by single spaces: what a space-splitting indexer (a
/// PostgreSQL `tsvector`) needs to see Thai words.
pub fn break_words(text: &str) -> String {
    words(text).join(" ")
}

/// Character offsets at which `tokens` (concatenating to a text) put a boundary between
/// two pieces: what word-breaking agreement is measured on.
pub fn boundaries<S: AsRef<str>>(tokens: &[S]) -> Vec<usize> {
    let mut at = 0;
    let mut cuts = Vec::with_capacity(tokens.len());
    for token in tokens {
        at += token.as_ref().chars().count();
        cuts.push(at);
    }
    cuts.pop();
    cuts
}

/// Precision, recall and F1 of `found` boundaries against `reference` ones (both sorted).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agreement {
    pub found: usize,
    pub reference: usize,
    pub common: usize,
}

impl Agreement {
    pub fn of(found: &[usize], reference: &[usize]) -> Agreement {
        let (mut i, mut j, mut common) = (0, 0, 0);
        while i < found.len() && j < reference.len() {
            match found[i].cmp(&reference[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        Agreement {
            found: found.len(),
            reference: reference.len(),
            common,
        }
    }

    pub fn add(self, other: Agreement) -> Agreement {
        Agreement {
            found: self.found + other.found,
            reference: self.reference + other.reference,
            common: self.common + other.common,
        }
    }

    pub fn precision(&self) -> f64 {
        ratio(self.common, self.found)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.common, self.reference)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_words_come_out_of_unspaced_text() {
        assert_eq!(
            words("พรรคคอมมิวนิสต์แห่งสหภาพโซเวียต"),
            ["พรรค", "คอมมิวนิสต์", "แห่ง", "สหภาพโซเวียต"]
        );
    }

    #[test]
    fn tokens_keep_every_character() {
        let text = "ในปี 1924 เลนินถึงแก่กรรม  (LEF-Left Front) ๆ\n";
        assert_eq!(tokens(text).concat(), text);
        assert!(words(text).iter().all(|w| !w.trim().is_empty()));
    }

    #[test]
    fn extra_words_stay_whole() {
        let plain = words("เลนินและสตาลิน");
        assert!(!plain.contains(&"เลนิน"), "{plain:?}");
        let breaker = WordBreaker::with_extra_words(&["เลนิน"]);
        assert_eq!(breaker.words("เลนินและสตาลิน"), ["เลนิน", "และ", "สตาลิน"]);
    }

    #[test]
    fn break_words_joins_with_spaces() {
        assert_eq!(break_words("สตาลินเป็นผู้นำ"), "สตาลิน เป็น ผู้นำ");
        assert_eq!(break_words(""), "");
    }

    #[test]
    fn a_piece_out_of_place_keeps_the_rest_whole() {
        let pieces = vec!["ab".to_string(), "x".to_string()];
        assert_eq!(slices_of("abcd", &pieces), ["ab", "cd"]);
    }

    #[test]
    fn agreement_counts_common_boundaries() {
        let a = Agreement::of(
            &boundaries(&["ab", "c", "d"]),
            &boundaries(&["a", "bc", "d"]),
        );
        assert_eq!((a.found, a.reference, a.common), (2, 2, 1));
        assert_eq!(a.f1(), 0.5);
    }
}
