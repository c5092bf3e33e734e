//! The translation memory on the segment editor (`templates/segments/tm.html`) and in the
//! API (`GET /api/segments/{id}/tm`): the best fuzzy matches for the segment's Thai from
//! imported TMX units and approved segments, each with its percentage, the difference
//! between its source and this one, and a way to insert its English.
//!
//! Inserting works without JavaScript: the "Insert" link opens the editor again with
//! `?tm=unit:ID` (or `segment:ID`), and the page fills the text area with that English
//! (nothing is saved until the translator saves). The script does the same in place, and
//! on Ctrl+1..3.

use serde::Serialize;
use uuid::Uuid;

use super::page::segment_path;
use crate::db;
use crate::db::tm::TmCandidate;
use crate::text::normalize::normalize_inline;
use crate::tm::{self, Scorer, BEST, DEFAULT_THRESHOLD};
use crate::workflow::{diff_words, DiffOp};

/// The matches shown for one segment.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TmPanel {
    pub matches: Vec<TmMatch>,
    /// Why there are no matches to look for, when the memory cannot be asked (none yet).
    pub unavailable: Option<&'static str>,
    pub threshold: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct TmMatch {
    /// 1-based: the key (Ctrl+1..3).
    pub rank: usize,
    pub percent: u8,
    pub source: String,
    pub target: String,
    /// A TMX file's name, or the chapter of an approved segment.
    pub origin: String,
    /// `unit:ID` or `segment:ID`: what `?tm=` names.
    pub reference: String,
    /// The approved segment the match comes from.
    pub segment_href: Option<String>,
    /// From the stored source to this segment's source.
    pub diff: Vec<DiffOp>,
}

/// Keys asked of the index per lookup (`tm::probe_keys`).
const PROBE_KEYS: usize = 12;
/// Candidates, best by shared keys, whose texts are fetched and scored.
const SCORED: usize = 12;
/// Candidates sharing fewer of their keys than this are not worth scoring: a 70% match
/// keeps far more (unchanged stretches keep their n-grams).
const MIN_CLOSENESS: f32 = 0.15;

/// The best matches for `source` (the Thai of `segment_id`, which is left out): units and
/// approved segments sharing a probe key (`db::tm::candidates_by_keys`), the [`SCORED`] sharing the most keys, scored.
pub async fn load_matches(
    conn: &mut sqlx::PgConnection,
    segment_id: Uuid,
    source: &str,
) -> Result<TmPanel, sqlx::Error> {
    let normalized = normalize_inline(source);
    let keys = tm::keys(&normalized);
    let probe = tm::probe_keys(&keys, PROBE_KEYS);
    let mut found = match probe.is_empty() {
        true => Vec::new(),
        false => db::tm::candidates_by_keys(conn, &keys, &probe, Some(segment_id)).await?,
    };
    // Most keys in common relative to the longer key set: near-copies first.
    let closeness = |k: &[i32]| tm::shared_keys(&keys, k) as f32 / keys.len().max(k.len()) as f32;
    let mut ranked: Vec<(f32, Uuid, bool)> = found
        .drain(..)
        .map(|(id, is_segment, k)| (closeness(&k), id, is_segment))
        .collect();
    ranked.retain(|r| r.0 >= MIN_CLOSENESS);
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.truncate(SCORED);
    let pick = |segment: bool| -> Vec<Uuid> {
        ranked
            .iter()
            .filter(|r| r.2 == segment)
            .map(|r| r.1)
            .collect()
    };
    let candidates = match ranked.is_empty() {
        true => Vec::new(),
        false => db::tm::candidate_texts(conn, &pick(false), &pick(true)).await?,
    };
    Ok(TmPanel {
        matches: best_matches(&normalized, candidates),
        unavailable: None,
        threshold: DEFAULT_THRESHOLD,
    })
}

/// Scores the candidates, keeps the best [`BEST`] at or above the threshold; a pair seen
/// twice (a TMX exported from this book, say) is offered once.
fn best_matches(source: &str, mut candidates: Vec<TmCandidate>) -> Vec<TmMatch> {
    let mut seen = std::collections::HashSet::new();
    candidates.retain(|c| seen.insert((normalize_inline(&c.source), c.target.clone())));
    // Word breaking is the costly part of scoring: first leave out what cannot reach the
    // threshold on length alone (the shorter text is at most this share of the longer).
    let length = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    let here = length(source);
    candidates.retain(|c| {
        let there = length(&c.source);
        100 * here.min(there) >= usize::from(DEFAULT_THRESHOLD) * here.max(there)
    });
    let sources: Vec<&str> = candidates.iter().map(|c| c.source.as_str()).collect();
    let ranked = Scorer::new(source).rank(&sources, DEFAULT_THRESHOLD, BEST);
    ranked
        .into_iter()
        .enumerate()
        .map(|(i, (index, percent))| {
            let c = &candidates[index];
            let reference = match (c.unit_id, c.segment_id) {
                (Some(unit), _) => format!("unit:{unit}"),
                (None, Some(segment)) => format!("segment:{segment}"),
                (None, None) => String::new(),
            };
            TmMatch {
                rank: i + 1,
                percent,
                source: c.source.clone(),
                target: c.target.clone(),
                origin: c.origin.clone(),
                reference,
                segment_href: c.segment_id.map(segment_path),
                diff: diff_words(&c.source, source),
            }
        })
        .collect()
}

/// The English a `?tm=` reference names, if it exists.
pub async fn target_of(
    conn: &mut sqlx::PgConnection,
    reference: &str,
) -> Result<Option<String>, sqlx::Error> {
    let parse = |s: &str| Uuid::parse_str(s).ok();
    match reference.split_once(':') {
        Some(("unit", id)) => match parse(id) {
            Some(id) => db::tm::unit_target(conn, id).await,
            None => Ok(None),
        },
        Some(("segment", id)) => match parse(id) {
            Some(id) => db::tm::approved_target(conn, id).await,
            None => Ok(None),
        },
        _ => Ok(None),
    }
}

/// The `tm` parameter of a segment page's address.
pub fn requested(query: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Params {
        tm: Option<String>,
    }
    serde_urlencoded::from_str::<Params>(query).ok()?.tm
}

pub fn inserted_notice() -> super::notice::Notice {
    super::notice::Notice::ok(
        "The memory's English is in the editor: check it against the Thai, then save.",
    )
}
