//! Where the printed pages ended.
//!
//! OCR left a blank line at the end of every page, and a page holds about the same
//! amount of text each time (measured on the corpus: every page within ±12% of the
//! chapter's mean). So the page ends are a chain of blank lines spaced about one page
//! apart. The page length is not known in advance (other books have other pages): the
//! blank lines that certainly fall mid-sentence (see `evidence::continuation`) are page
//! ends, and the spacing between them gives the length. A dynamic programme then picks
//! the chain of blank lines that best fits that spacing, preferring blank lines with
//! evidence of a running sentence.

use super::blocks::{BlockKind, Chapter};
use super::evidence;

/// Blank lines are numbered by the block after them: boundary `k` lies between blocks
/// `k - 1` and `k`.
pub struct PageModel {
    /// Characters per page (whitespace not counted), when the chapter shows enough
    /// page breaks to tell.
    pub length: Option<f64>,
    pub ends: Vec<bool>,
}

impl PageModel {
    pub fn is_page_end(&self, boundary: usize) -> bool {
        self.ends.get(boundary).copied().unwrap_or(false)
    }
}

/// Evidence, from the text alone, of a sentence running on across each boundary.
fn boundary_evidence(chapter: &Chapter) -> Vec<i32> {
    let blocks = &chapter.blocks;
    let mut ev = vec![0; blocks.len()];
    for k in 1..blocks.len() {
        let (a, b) = (&blocks[k - 1], &blocks[k]);
        if matches!(a.kind, BlockKind::Body | BlockKind::Quote) && b.kind == BlockKind::Body {
            ev[k] = evidence::continuation(chapter, a, b).0;
        }
    }
    ev
}

pub fn find(chapter: &Chapter) -> PageModel {
    let n = chapter.blocks.len();
    let ev = boundary_evidence(chapter);
    let offsets: Vec<f64> = chapter.blocks.iter().map(|b| b.offset as f64).collect();
    let Some(length) = estimate_length(&offsets, &ev) else {
        return PageModel {
            length: None,
            ends: vec![false; n],
        };
    };
    let total = chapter
        .blocks
        .last()
        .map_or(0.0, |b| (b.offset + b.units) as f64);
    // Nodes: 0 = start of chapter, 1..n = boundaries before blocks 1..n-1, n = end.
    let pos = |node: usize| {
        if node == n {
            total
        } else if node == 0 {
            0.0
        } else {
            offsets[node]
        }
    };
    let gap_cost = |i: usize, j: usize| {
        let gap = pos(j) - pos(i);
        // The first and the last page of a chapter may be partly empty.
        let dev = if i == 0 || j == n {
            (gap - length).max(0.0)
        } else {
            (gap - length).abs()
        };
        (dev / (0.08 * length)).powi(2)
    };
    let mut best = vec![f64::INFINITY; n + 1];
    let mut from = vec![0; n + 1];
    best[0] = 0.0;
    for j in 1..=n {
        let bonus = if j < n {
            1.5 * ev[j].max(0) as f64
        } else {
            0.0
        };
        for i in 0..j {
            let c = best[i] + gap_cost(i, j) - bonus;
            if c < best[j] {
                best[j] = c;
                from[j] = i;
            }
        }
    }
    let mut chain = Vec::new();
    let mut node = from[n];
    while node != 0 {
        chain.push(node);
        node = from[node];
    }
    chain.reverse();
    let mut ends = vec![false; n];
    for (idx, &k) in chain.iter().enumerate() {
        let prev = if idx == 0 { 0.0 } else { pos(chain[idx - 1]) };
        let next = chain.get(idx + 1).map_or(total, |&m| pos(m));
        let fits = |gap: f64| (gap - length).abs() <= 0.25 * length;
        // A blank line the chain passes through only for want of a better one (the page
        // really ended inside a block) is not trusted without evidence.
        ends[k] =
            ev[k] > 0 || (fits(pos(k) - prev) && (fits(next - pos(k)) || idx + 1 == chain.len()));
    }
    PageModel {
        length: Some(length),
        ends,
    }
}

/// The page length from the spacing of the page ends the text is sure of. Sure page
/// ends are not on consecutive pages, so each spacing is a whole number of pages: the
/// length is the one that makes the most spacings whole multiples of it (a half or a
/// third fits them as well, so among near-equal fits the longest wins), refined as the
/// median spacing per page.
fn estimate_length(offsets: &[f64], ev: &[i32]) -> Option<f64> {
    let sure: Vec<f64> = (1..offsets.len())
        .filter(|&k| ev[k] >= 2)
        .map(|k| offsets[k])
        .collect();
    let gaps: Vec<f64> = sure
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|&g| g > 0.0)
        .collect();
    if gaps.len() < 2 {
        return None;
    }
    let pages_in = |gap: f64, length: f64| {
        let pages = (gap / length).round();
        (pages >= 1.0 && (gap / length - pages).abs() <= 0.12).then_some(pages)
    };
    let fit = |length: f64| {
        gaps.iter()
            .filter(|&&g| pages_in(g, length).is_some())
            .count()
    };
    let candidates: Vec<f64> = gaps
        .iter()
        .flat_map(|&g| (1..=6).map(move |k| g / k as f64))
        .filter(|&l| l >= 200.0)
        .collect();
    let best_fit = candidates.iter().map(|&l| fit(l)).max()?;
    // A length that explains fewer than half the spacings is no page length.
    if best_fit * 2 < gaps.len() {
        return None;
    }
    let rough = candidates
        .iter()
        .copied()
        .filter(|&l| fit(l) + 1 >= best_fit)
        .fold(0.0, f64::max);
    let per_page: Vec<f64> = gaps
        .iter()
        .filter_map(|&g| pages_in(g, rough).map(|p| g / p))
        .collect();
    let length = median(per_page)?;
    (200.0..50_000.0).contains(&length).then_some(length)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    Some(v[v.len() / 2])
}
