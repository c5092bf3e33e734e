//! Aligning a chapter's old segments with the segments of its re-imported text, so that
//! translation work stays attached to the Thai it translates.
//!
//! A longest common subsequence of identical segments (same kind and text) anchors the two
//! lists. Between two anchors, old and new segments are paired one to one when the gap has
//! as many of each (a corrected paragraph stays the same segment, and its English is marked
//! for review); when the counts differ, nobody can tell which old segment became which new
//! one, so the old ones are removed and the new ones added. Pure: no I/O.

use std::collections::HashMap;
use std::hash::Hash;

/// What became of each old and each new segment, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Identical in both: the segment keeps its id and everything else.
    Same { old: usize, new: usize },
    /// The same place in the text, but the text (or kind) changed.
    Changed { old: usize, new: usize },
    /// Only in the new text.
    Added { new: usize },
    /// Only in the old text.
    Removed { old: usize },
}

/// Beyond this many table cells (old × new segments between the common head and tail) the
/// LCS table would take too much memory; such a rewrite is treated as one big gap. A chapter
/// of 2,000 segments rewritten throughout is 4M cells (16 MB), well below it.
const MAX_LCS_CELLS: usize = 16_000_000;

/// Aligns `old` with `new`. Every old index and every new index appears in exactly one
/// step, and each appears in increasing order.
pub fn align<T: Eq + Hash>(old: &[T], new: &[T]) -> Vec<Step> {
    let matches = common_subsequence(old, new);
    let mut steps = Vec::with_capacity(old.len().max(new.len()));
    let (mut o, mut n) = (0, 0);
    for &(mo, mn) in matches.iter().chain([(old.len(), new.len())].iter()) {
        fill_gap(&mut steps, o..mo, n..mn);
        if mo < old.len() {
            steps.push(Step::Same { old: mo, new: mn });
        }
        (o, n) = (mo + 1, mn + 1);
    }
    steps
}

fn fill_gap(steps: &mut Vec<Step>, old: std::ops::Range<usize>, new: std::ops::Range<usize>) {
    if old.len() == new.len() {
        steps.extend(old.zip(new).map(|(old, new)| Step::Changed { old, new }));
    } else {
        steps.extend(old.map(|old| Step::Removed { old }));
        steps.extend(new.map(|new| Step::Added { new }));
    }
}

/// Index pairs of a longest common subsequence, in order.
fn common_subsequence<T: Eq + Hash>(old: &[T], new: &[T]) -> Vec<(usize, usize)> {
    // Compare small integers, not texts of a few hundred bytes, in the quadratic part.
    let mut ids: HashMap<&T, u32> = HashMap::new();
    let mut id_of = |item| {
        let next = ids.len() as u32;
        *ids.entry(item).or_insert(next)
    };
    let a: Vec<u32> = old.iter().map(&mut id_of).collect();
    let b: Vec<u32> = new.iter().map(&mut id_of).collect();

    // Re-imports mostly fix a few places: the common head and tail cost nothing.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);

    let mut pairs: Vec<(usize, usize)> = (0..head).map(|i| (i, i)).collect();
    if mid_a.len().saturating_mul(mid_b.len()) <= MAX_LCS_CELLS {
        pairs.extend(
            lcs(mid_a, mid_b)
                .into_iter()
                .map(|(i, j)| (head + i, head + j)),
        );
    }
    pairs.extend((0..tail).map(|k| (a.len() - tail + k, b.len() - tail + k)));
    pairs
}

/// Classic dynamic programming LCS: `len[i][j]` is the LCS length of `a[i..]` and `b[j..]`.
fn lcs(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
    let width = b.len() + 1;
    let mut len = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            len[i * width + j] = if a[i] == b[j] {
                len[(i + 1) * width + j + 1] + 1
            } else {
                len[(i + 1) * width + j].max(len[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j, mut pairs) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            pairs.push((i, j));
            (i, j) = (i + 1, j + 1);
        } else if len[(i + 1) * width + j] >= len[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::Step::*;
    use super::*;

    fn texts(s: &str) -> Vec<(char, char)> {
        // One letter per segment; the kind is 'p' unless the letter is upper case ('h').
        s.chars()
            .map(|c| {
                (
                    if c.is_uppercase() { 'h' } else { 'p' },
                    c.to_ascii_lowercase(),
                )
            })
            .collect()
    }

    fn run(old: &str, new: &str) -> Vec<Step> {
        let (old, new) = (texts(old), texts(new));
        let steps = align(&old, &new);
        assert_is_complete_and_ordered(&steps, old.len(), new.len());
        steps
    }

    fn assert_is_complete_and_ordered(steps: &[Step], old_len: usize, new_len: usize) {
        let olds: Vec<usize> = steps
            .iter()
            .filter_map(|s| match *s {
                Same { old, .. } | Changed { old, .. } | Removed { old } => Some(old),
                Added { .. } => None,
            })
            .collect();
        let news: Vec<usize> = steps
            .iter()
            .filter_map(|s| match *s {
                Same { new, .. } | Changed { new, .. } | Added { new } => Some(new),
                Removed { .. } => None,
            })
            .collect();
        assert_eq!(
            olds,
            (0..old_len).collect::<Vec<_>>(),
            "old side of {steps:?}"
        );
        assert_eq!(
            news,
            (0..new_len).collect::<Vec<_>>(),
            "new side of {steps:?}"
        );
    }

    #[test]
    fn identical_lists_are_all_the_same() {
        assert_eq!(
            run("abc", "abc"),
            [
                Same { old: 0, new: 0 },
                Same { old: 1, new: 1 },
                Same { old: 2, new: 2 }
            ]
        );
    }

    #[test]
    fn an_edited_segment_between_two_matches_is_paired_with_the_old_one() {
        assert_eq!(
            run("abc", "axc"),
            [
                Same { old: 0, new: 0 },
                Changed { old: 1, new: 1 },
                Same { old: 2, new: 2 }
            ]
        );
    }

    #[test]
    fn a_gap_with_equal_counts_pairs_in_order() {
        let steps = run("abcde", "axyze");
        assert_eq!(
            &steps[1..4],
            [
                Changed { old: 1, new: 1 },
                Changed { old: 2, new: 2 },
                Changed { old: 3, new: 3 }
            ]
        );
    }

    #[test]
    fn a_gap_with_unequal_counts_removes_then_adds() {
        assert_eq!(
            run("abcd", "axd"),
            [
                Same { old: 0, new: 0 },
                Removed { old: 1 },
                Removed { old: 2 },
                Added { new: 1 },
                Same { old: 3, new: 2 }
            ]
        );
    }

    #[test]
    fn a_deleted_segment_is_removed_and_an_inserted_one_added() {
        assert_eq!(
            run("abc", "ac"),
            [
                Same { old: 0, new: 0 },
                Removed { old: 1 },
                Same { old: 2, new: 1 }
            ]
        );
        assert_eq!(
            run("ac", "abc"),
            [
                Same { old: 0, new: 0 },
                Added { new: 1 },
                Same { old: 1, new: 2 }
            ]
        );
    }

    #[test]
    fn an_edit_a_deletion_and_an_insertion_in_different_places() {
        let steps = run("abcdefg", "abXdfgh");
        assert_eq!(
            steps,
            [
                Same { old: 0, new: 0 },
                Same { old: 1, new: 1 },
                Changed { old: 2, new: 2 },
                Same { old: 3, new: 3 },
                Removed { old: 4 },
                Same { old: 5, new: 4 },
                Same { old: 6, new: 5 },
                Added { new: 6 },
            ]
        );
    }

    #[test]
    fn the_same_text_under_another_kind_is_a_change() {
        // 'B' is a heading with the text of paragraph 'b'.
        assert_eq!(run("abc", "aBc")[1], Changed { old: 1, new: 1 });
    }

    #[test]
    fn everything_new_or_everything_gone() {
        assert_eq!(run("", "ab"), [Added { new: 0 }, Added { new: 1 }]);
        assert_eq!(run("ab", ""), [Removed { old: 0 }, Removed { old: 1 }]);
        assert_eq!(run("", ""), []);
    }

    #[test]
    fn repeated_and_moved_segments_keep_both_sides_complete() {
        for (old, new) in [
            ("abab", "baba"),
            ("aaaa", "aa"),
            ("abcabc", "cbacba"),
            ("ab", "ba"),
            ("xaybz", "ab"),
        ] {
            run(old, new);
        }
        assert_eq!(
            run("aaaa", "aa")
                .iter()
                .filter(|s| matches!(s, Same { .. }))
                .count(),
            2
        );
    }

    #[test]
    fn a_rewrite_too_large_for_the_table_is_one_gap() {
        let old: Vec<u32> = (0..5000).collect();
        let mut new: Vec<u32> = (10_000..15_000).collect();
        new[2500] = 2500; // a shared segment the big-table path would have matched
        let steps = align(&old, &new);
        assert_is_complete_and_ordered(&steps, old.len(), new.len());
        assert!(steps.iter().all(|s| matches!(s, Changed { .. })));
    }

    #[test]
    fn a_long_chapter_with_one_edit_is_fast_and_exact() {
        let old: Vec<u32> = (0..100_000).collect();
        let mut new = old.clone();
        new[50_000] = 1_000_000;
        let steps = align(&old, &new);
        assert_eq!(
            steps[50_000],
            Changed {
                old: 50_000,
                new: 50_000
            }
        );
        assert_eq!(
            steps.iter().filter(|s| matches!(s, Same { .. })).count(),
            99_999
        );
    }
}
