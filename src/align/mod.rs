//! Aligning an English translation made elsewhere with a chapter's Thai segments: which
//! English paragraphs translate which Thai segments.
//!
//! Pure functions on plain text, knowing nothing of the book. [`align`] is a dynamic
//! programme over paragraphs (`dp`) with monotonic beads of 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2
//! paragraphs, whose cost adds up:
//! - length (`gale_church`): the English/Thai character ratio and its variance are
//!   estimated from the two texts themselves (a first pass with the ratio of the totals,
//!   a second with the ratio and variance of the first pass's confident 1-1 beads);
//! - anchors that survive translation (`evidence`, `text::anchors`): numbers with Thai
//!   digits and Buddhist-Era years understood, footnote references, the Latin names the
//!   Thai keeps; a shared anchor lowers the cost by its rarity, a lone one raises it;
//! - roles read from the text: headings pair with headings or are left out, never merged
//!   with a paragraph; a translator's note stands alone.
//!
//! `gale_church::align_by_length` is the length-only baseline; `beads` holds the edits a
//! reviewer makes; `divide` shares one English paragraph among several Thai segments.

pub mod beads;
pub mod divide;
mod dp;
pub mod evidence;
pub mod gale_church;

use std::ops::Range;

pub use beads::{Edit, EditError};
use evidence::Anchors;
pub use evidence::{english_role, Role, Unit};
use gale_church::{length, prior_cost, LengthModel};

/// A bead's size: (Thai paragraphs, English paragraphs).
pub type Shape = (usize, usize);

/// The bead shapes the aligner considers.
pub const SHAPES: [Shape; 6] = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2)];

/// Thai segments and the English paragraphs that translate them (0-based indices, in
/// order; either side may be empty: a segment left untranslated, an English paragraph with
/// no Thai), and how sure the aligner is, 0 to 1.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bead {
    pub th: Vec<usize>,
    pub en: Vec<usize>,
    pub score: f64,
}

impl Bead {
    pub fn new(th: Range<usize>, en: Range<usize>, score: f64) -> Bead {
        Bead {
            th: th.collect(),
            en: en.collect(),
            score,
        }
    }

    /// Below this score a bead deserves a look.
    pub const CONFIDENT: f64 = 0.5;

    pub fn is_confident(&self) -> bool {
        self.score >= Bead::CONFIDENT
    }

    /// `0,1<TAB>2<TAB>0.93`: the line `plae align` prints.
    pub fn line(&self) -> String {
        let list = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
        format!("{}\t{}\t{:.3}", list(&self.th), list(&self.en), self.score)
    }
}

/// How much each kind of evidence weighs, in the units of the length cost (nats).
#[derive(Debug, Clone, Copy)]
struct Weights {
    /// Per unit of anchor weight shared by the two sides of a bead.
    shared_anchor: f64,
    /// Per unit of anchor weight found on one side only.
    lone_anchor: f64,
    /// A heading or note merged with another paragraph.
    merged_heading: f64,
    /// A heading paired with a body paragraph.
    heading_with_body: f64,
    /// A heading paired with a heading (a bonus).
    heading_with_heading: f64,
    /// A translator's note paired with Thai.
    note_with_thai: f64,
    /// A Thai heading the translation leaves out.
    skipped_heading: f64,
    /// An English note with no Thai.
    inserted_note: f64,
    /// A paragraph with no counterpart before the first or after the last paragraph of the
    /// other side: a translation of part of the chapter leaves the rest this way.
    untranslated_edge: f64,
}

const WEIGHTS: Weights = Weights {
    shared_anchor: 1.5,
    lone_anchor: 0.4,
    merged_heading: 8.0,
    heading_with_body: 3.0,
    heading_with_heading: 1.0,
    note_with_thai: 6.0,
    skipped_heading: 2.5,
    inserted_note: 1.0,
    untranslated_edge: 2.5,
};

/// Aligns Thai segments with English paragraphs; the beads cover both in order.
pub fn align(th: &[Unit], en: &[Unit]) -> Vec<Bead> {
    let aligner = Aligner::new(th, en);
    let (first, path) = aligner.run(&aligner.first_model(), None);
    let model = aligner.estimate(&first);
    // The second pass changes the length model only: its path stays near the first's.
    let band = dp::band_around(&path, th.len(), en.len(), BAND);
    aligner.run(&model, Some(&band)).0
}

/// How far (in paragraphs) the second pass looks from the first pass's path.
const BAND: usize = 8;

struct Aligner<'a> {
    th: &'a [Unit<'a>],
    en: &'a [Unit<'a>],
    th_len: Vec<usize>,
    en_len: Vec<usize>,
    anchors: Anchors,
    /// The anchors of each 1-1 pair (Thai-major), computed once for both passes: the
    /// commonest bead, asked for at every cell of the table.
    pairs: Vec<(f64, f64)>,
}

impl<'a> Aligner<'a> {
    fn new(th: &'a [Unit<'a>], en: &'a [Unit<'a>]) -> Aligner<'a> {
        Aligner {
            th,
            en,
            th_len: th.iter().map(|u| length(u.text)).collect(),
            en_len: en.iter().map(|u| length(u.text)).collect(),
            pairs: Vec::new(),
            anchors: Anchors::find(th, en),
        }
        .with_pairs()
    }

    fn with_pairs(mut self) -> Aligner<'a> {
        let m = self.en.len();
        self.pairs = (0..self.th.len() * m)
            .map(|k| self.anchors.compare(k / m..k / m + 1, k % m..k % m + 1))
            .collect();
        self
    }

    fn run(
        &self,
        model: &LengthModel,
        band: Option<&[(usize, usize)]>,
    ) -> (Vec<Bead>, Vec<(usize, usize, Shape)>) {
        let path = dp::best_path(
            self.th.len(),
            self.en.len(),
            &SHAPES,
            band,
            |i, j, shape| Some(self.cost(model, i - shape.0..i, j - shape.1..j)),
        );
        let beads = path
            .iter()
            .map(|&(i, j, (di, dj))| {
                let (th, en) = (i - di..i, j - dj..j);
                let score = self.score(model, th.clone(), en.clone());
                Bead::new(th, en, score)
            })
            .collect();
        (beads, path)
    }

    /// The model of the first pass: the median length ratio of the paragraphs that share a
    /// unique anchor (robust to a translation of part of the chapter, whose total length
    /// says nothing), or else the ratio of the totals.
    fn first_model(&self) -> LengthModel {
        let mut ratios: Vec<f64> = self
            .anchors
            .unique_pairs()
            .into_iter()
            .filter(|&(i, j)| self.th[i].role == Role::Body && self.en[j].role == Role::Body)
            .map(|(i, j)| self.en_len[j] as f64 / self.th_len[i].max(1) as f64)
            .collect();
        let totals = LengthModel::from_totals(&self.th_len, &self.en_len);
        if ratios.len() < 3 {
            return totals;
        }
        ratios.sort_by(f64::total_cmp);
        LengthModel {
            ratio: ratios[ratios.len() / 2],
            ..totals
        }
    }

    /// The ratio and variance of the confident 1-1 body beads of a first pass.
    fn estimate(&self, beads: &[Bead]) -> LengthModel {
        let pairs: Vec<(f64, f64)> = beads
            .iter()
            .filter(|b| b.th.len() == 1 && b.en.len() == 1 && b.is_confident())
            .filter(|b| self.th[b.th[0]].role == Role::Body)
            .map(|b| (self.th_len[b.th[0]] as f64, self.en_len[b.en[0]] as f64))
            .collect();
        let fallback = self.first_model();
        if pairs.len() < 3 {
            return fallback;
        }
        let (sum_th, sum_en) = pairs
            .iter()
            .fold((0.0, 0.0), |(a, b), (l1, l2)| (a + l1, b + l2));
        let ratio = sum_en / sum_th.max(1.0);
        let variance = pairs
            .iter()
            .map(|(l1, l2)| (l2 - l1 * ratio).powi(2) / ((l1 + l2 / ratio) / 2.0).max(1.0))
            .sum::<f64>()
            / pairs.len() as f64;
        LengthModel {
            ratio,
            variance: variance.clamp(1.0, 100.0),
        }
    }

    fn roles(&self, th: &Range<usize>, en: &Range<usize>) -> (Vec<Role>, Vec<Role>) {
        (
            th.clone().map(|i| self.th[i].role).collect(),
            en.clone().map(|j| self.en[j].role).collect(),
        )
    }

    fn lengths(&self, th: &Range<usize>, en: &Range<usize>) -> (usize, usize) {
        (
            self.th_len[th.clone()].iter().sum(),
            self.en_len[en.clone()].iter().sum(),
        )
    }

    fn cost(&self, model: &LengthModel, th: Range<usize>, en: Range<usize>) -> f64 {
        let w = WEIGHTS;
        let shape = (th.len(), en.len());
        let (l1, l2) = self.lengths(&th, &en);
        let (shared, alone) = match shape {
            (1, 1) => self.pairs[th.start * self.en.len() + en.start],
            _ => self.anchors.compare(th.clone(), en.clone()),
        };
        let anchors = w.lone_anchor * alone - w.shared_anchor * shared;
        let th_role = |i: usize| self.th[i].role;
        let en_role = |j: usize| self.en[j].role;
        let edge = match shape {
            (1, 0) => en.start == 0 || en.start == self.en.len(),
            (0, 1) => th.start == 0 || th.start == self.th.len(),
            _ => false,
        };
        if edge {
            return w.untranslated_edge + anchors;
        }
        let roles = match shape {
            (1, 0) if th_role(th.start) == Role::Heading => return w.skipped_heading + anchors,
            (0, 1) if en_role(en.start) == Role::Note => return w.inserted_note + anchors,
            (1, 0) | (0, 1) => 0.0,
            (1, 1) => match (th_role(th.start), en_role(en.start)) {
                (_, Role::Note) => w.note_with_thai,
                (Role::Heading, Role::Heading) => -w.heading_with_heading,
                (Role::Heading, _) | (_, Role::Heading) => w.heading_with_body,
                _ => 0.0,
            },
            _ => {
                let special = th.clone().any(|i| th_role(i) != Role::Body)
                    || en.clone().any(|j| en_role(j) != Role::Body);
                if special {
                    w.merged_heading
                } else {
                    0.0
                }
            }
        };
        // A paragraph with no counterpart costs its prior, whatever its length: a skipped
        // paragraph is as likely long as short.
        let length = match shape {
            (1, 0) | (0, 1) => 0.0,
            _ => model.cost(l1, l2),
        };
        prior_cost(shape) + length + roles + anchors
    }

    /// How sure the bead is: how well the lengths fit, and the share of its anchors both
    /// sides have; a paragraph without counterpart is sure only when it is a heading left
    /// out or a translator's note.
    fn score(&self, model: &LengthModel, th: Range<usize>, en: Range<usize>) -> f64 {
        let (th_roles, en_roles) = self.roles(&th, &en);
        if th.is_empty() || en.is_empty() {
            // Expected: a heading left out, a translator's note, the part of a chapter
            // before or after what was translated.
            let edge = (en.is_empty() && (en.start == 0 || en.start == self.en.len()))
                || (th.is_empty() && (th.start == 0 || th.start == self.th.len()));
            let expected =
                edge || th_roles.contains(&Role::Heading) || en_roles.contains(&Role::Note);
            return if expected { 0.8 } else { 0.3 };
        }
        let (l1, l2) = self.lengths(&th, &en);
        // Half the deviate: a score says "look at this", so only a clear misfit is low.
        let fit = 2.0 * (1.0 - gale_church::normal_cdf(model.deviate(l1, l2).abs() / 2.0));
        let (shared, alone) = self.anchors.compare(th.clone(), en.clone());
        // Shared anchors are strong evidence; anchors on one side only are weak evidence
        // against (a number written out in words, a name spelt differently).
        let anchors = match (shared > 0.0, alone > 0.0) {
            (true, _) => shared / (shared + 0.5 * alone),
            (false, true) => 0.2,
            (false, false) => 0.3,
        };
        let mut score = 1.0 - (1.0 - fit) * (1.0 - anchors);
        if th.len() > 1 || en.len() > 1 {
            score *= 0.9;
        }
        let mismatched = (th_roles[0] == Role::Heading) != (en_roles[0] == Role::Heading);
        if en_roles.contains(&Role::Note) || mismatched {
            score *= 0.5;
        }
        (score * 1000.0).round() / 1000.0
    }
}

/// Blocks separated by blank lines, trimmed, empty ones dropped: how both sides come in
/// from files. (Lines within a block stay as they are.)
pub fn blocks(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(offset),
            (true, Some(s)) => {
                out.push(text[s..end].trim());
                start = None;
            }
            _ => {}
        }
        offset += line.len();
        if !blank {
            end = offset;
        }
    }
    if let Some(s) = start {
        out.push(text[s..end].trim());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(beads: &[Bead]) -> Vec<(Vec<usize>, Vec<usize>)> {
        beads.iter().map(|b| (b.th.clone(), b.en.clone())).collect()
    }

    #[test]
    fn blocks_are_separated_by_blank_lines() {
        let text = "\n\nFirst line\nsecond line\n  \nSecond\n\n\n# Third\n";
        assert_eq!(
            blocks(text),
            ["First line\nsecond line", "Second", "# Third"]
        );
        assert!(blocks(" \n\n").is_empty());
    }

    #[test]
    fn anchors_tell_apart_paragraphs_of_the_same_length() {
        let th = [
            Unit::thai(format!("{} 1901", "ก".repeat(200)).leak(), false),
            Unit::thai(format!("{} ใน ค.ศ. 1921", "ข".repeat(190)).leak(), false),
            Unit::thai(format!("{} (Gosplan) ๒๕", "ค".repeat(190)).leak(), false),
            Unit::thai(format!("{} ๑๙๐๓", "ง".repeat(200)).leak(), false),
            Unit::thai(format!("{} 1904", "จ".repeat(200)).leak(), false),
        ];
        // The second paragraph is left out: only the anchors say which.
        let en = [
            Unit::english(format!("{} 1901.", "a".repeat(200)).leak()),
            Unit::english(format!("{} Gosplan 25.", "c".repeat(190)).leak()),
            Unit::english(format!("{} 1903.", "d".repeat(200)).leak()),
            Unit::english(format!("{} 1904.", "e".repeat(200)).leak()),
        ];
        let beads = align(&th, &en);
        assert_eq!(
            shapes(&beads),
            [
                (vec![0], vec![0]),
                (vec![1], vec![]),
                (vec![2], vec![1]),
                (vec![3], vec![2]),
                (vec![4], vec![3])
            ]
        );
        assert!(!beads[1].is_confident());
        assert!(beads[2].is_confident());
    }

    #[test]
    fn a_heading_left_out_and_a_note_added_stand_alone() {
        let th = [
            Unit::thai("หัวข้อ", true),
            Unit::thai("ก".repeat(200).leak(), false),
            Unit::thai("ข".repeat(150).leak(), false),
        ];
        let en = [
            Unit::english(format!("{}.", "a".repeat(230)).leak()),
            Unit::english("[Translator's note: a short remark.]"),
            Unit::english(format!("{}.", "b".repeat(170)).leak()),
        ];
        let beads = align(&th, &en);
        assert_eq!(
            shapes(&beads),
            [
                (vec![0], vec![]),
                (vec![1], vec![0]),
                (vec![], vec![1]),
                (vec![2], vec![2])
            ]
        );
    }

    #[test]
    fn beads_print_as_tab_separated_lines() {
        let bead = Bead::new(0..2, 3..3, 0.25);
        assert_eq!(bead.line(), "0,1\t\t0.250");
    }
}
