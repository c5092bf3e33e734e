//! The aligner on a real chapter: 16 consecutive segments of chapter 3 (a heading and 15
//! paragraphs) with an English translation made for this test (`tests/align/`), and
//! versions of that English with paragraphs merged, split, left out and notes added, whose
//! right alignment is known. Ours must get at least 95% of the beads exactly right and do
//! better than length-only Gale–Church on the same versions. No database.
//!
//! `cargo test --test align -- --nocapture` prints the figures (README.md).

use plae::align::{self, divide, gale_church, Bead, Unit};
use plae::text::{normalize, segment};

const THAI: &str = include_str!("align/chapter3-th.txt");
const ENGLISH: &str = include_str!("align/chapter3-en.txt");

/// Translator's notes of the kinds volunteers add, some with numbers of their own.
const NOTES: [&str; 3] = [
    "[Translator's note: the Thai has \"the Fifth Congress\"; the congress of December 1927 was the Fifteenth.]",
    "Translator's note: the author spells Bukharin's name in two ways; this translation keeps one.",
    "TN: Pravda was the party's daily newspaper from 1912.",
];

/// The Thai segments of the fixture, with their kinds from segmenting the corpus itself
/// (which also checks that the fixture is the corpus's text).
fn thai() -> Vec<(String, bool)> {
    let (chapter, first) = chapter3();
    chapter[first..first + align::blocks(THAI).len()].to_vec()
}

/// Every segment of chapter 3 with its kind, and where the fixture starts among them.
fn chapter3() -> (Vec<(String, bool)>, usize) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/001_4bdccb741793f620.txt"
    );
    let bytes = std::fs::read(path).expect("chapter 3 of the corpus");
    let text = normalize::normalize(normalize::decode_utf8(&bytes).unwrap());
    let segments = segment::segment(&text);
    let blocks = align::blocks(THAI);
    let first = segments
        .iter()
        .position(|s| s.text == blocks[0])
        .expect("the fixture starts with a segment of chapter 3");
    for (block, s) in blocks.iter().zip(&segments[first..]) {
        assert_eq!(
            *block, s.text,
            "the fixture is chapter 3's segments in order"
        );
    }
    let all = segments
        .iter()
        .map(|s| {
            let heading = matches!(s.kind.as_str(), "chapter_title" | "heading");
            (s.text.clone(), heading)
        })
        .collect();
    (all, first)
}

/// A case's right beads when the Thai is the whole chapter: the segments before and after
/// the translated ones stand alone.
fn within_chapter(
    gold: &[(Vec<usize>, Vec<usize>)],
    first: usize,
    total: usize,
    translated: usize,
) -> Vec<(Vec<usize>, Vec<usize>)> {
    let alone = |i: usize| (vec![i], vec![]);
    (0..first)
        .map(alone)
        .chain(
            gold.iter()
                .map(|(th, en)| (th.iter().map(|t| t + first).collect(), en.clone())),
        )
        .chain((first + translated..total).map(alone))
        .collect()
}

/// A test case: English paragraphs and the right beads.
struct Case {
    name: String,
    english: Vec<String>,
    gold: Vec<(Vec<usize>, Vec<usize>)>,
}

/// The right beads while a case is built: Thai indices and English texts.
type Draft = Vec<(Vec<usize>, Vec<String>)>;

fn base(english: &[&str]) -> Draft {
    english
        .iter()
        .enumerate()
        .map(|(i, e)| (vec![i], vec![e.to_string()]))
        .collect()
}

/// English paragraphs `k` and `k + 1` written as one.
fn merge(d: &mut Draft, k: usize) -> bool {
    if k + 1 >= d.len() || d[k].1.len() != 1 || d[k + 1].1.len() != 1 {
        return false;
    }
    if d[k].0.len() != 1 || d[k + 1].0.len() != 1 {
        return false;
    }
    let (th, en) = d.remove(k + 1);
    d[k].0.extend(th);
    let joined = format!("{} {}", d[k].1[0], en[0]);
    d[k].1 = vec![joined];
    true
}

/// English paragraph `k` cut in two at the sentence end nearest its middle.
fn split(d: &mut Draft, k: usize) -> bool {
    if k >= d.len() || d[k].1.len() != 1 || d[k].0.len() != 1 {
        return false;
    }
    let sentences = divide::sentences(&d[k].1[0]);
    if sentences.len() < 2 {
        return false;
    }
    let pieces = divide::divide(&[d[k].1[0].as_str()], &[1, 1]);
    d[k].1 = pieces.into_iter().flatten().collect();
    d[k].1.len() == 2
}

/// English paragraph `k` left out.
fn omit(d: &mut Draft, k: usize) -> bool {
    if k >= d.len() || d[k].0.len() != 1 || d[k].1.len() != 1 {
        return false;
    }
    d[k].1.clear();
    true
}

/// A translator's note after bead `k`.
fn insert(d: &mut Draft, k: usize, note: &str) -> bool {
    if k >= d.len() {
        return false;
    }
    d.insert(k + 1, (vec![], vec![note.to_string()]));
    true
}

fn case(name: String, draft: Draft) -> Case {
    let mut english = Vec::new();
    let mut gold = Vec::new();
    for (th, en) in draft {
        let first = english.len();
        english.extend(en);
        gold.push((th, (first..english.len()).collect()));
    }
    Case {
        name,
        english,
        gold,
    }
}

/// Every version: the English as is; each paragraph merged with the next, split, left
/// out, followed by a note; the heading left out; and mixes of the four at once.
fn cases(english: &[&str]) -> Vec<Case> {
    let n = english.len();
    let mut out = vec![case("as translated".into(), base(english))];
    for k in 0..n {
        let mut d = base(english);
        if merge(&mut d, k) {
            out.push(case(format!("merge {k}+{}", k + 1), d));
        }
        let mut d = base(english);
        if split(&mut d, k) {
            out.push(case(format!("split {k}"), d));
        }
        let mut d = base(english);
        if omit(&mut d, k) {
            out.push(case(format!("omit {k}"), d));
        }
        let mut d = base(english);
        if insert(&mut d, k, NOTES[k % NOTES.len()]) {
            out.push(case(format!("note after {k}"), d));
        }
        // A mix, applied from the end so earlier positions stay put.
        let mut d = base(english);
        let ok = [
            insert(&mut d, (k + 9) % n, NOTES[k % NOTES.len()]),
            split(&mut d, (k + 6) % n),
            omit(&mut d, (k + 3) % n),
            merge(&mut d, k),
        ];
        if ok.iter().filter(|&&x| x).count() >= 3 {
            out.push(case(format!("mix at {k}"), d));
        }
    }
    // The heading left out, and a paragraph merged further on.
    let mut d = base(english);
    omit(&mut d, 0);
    merge(&mut d, 5);
    out.push(case("heading left out".into(), d));
    out
}

#[derive(Default)]
struct Score {
    beads: usize,
    beads_right: usize,
    thai: usize,
    thai_right: usize,
}

impl Score {
    fn add(&mut self, gold: &[(Vec<usize>, Vec<usize>)], found: &[Bead]) {
        let found: Vec<(Vec<usize>, Vec<usize>)> =
            found.iter().map(|b| (b.th.clone(), b.en.clone())).collect();
        self.beads += gold.len();
        self.beads_right += gold.iter().filter(|g| found.contains(g)).count();
        let english_of = |beads: &[(Vec<usize>, Vec<usize>)], t: usize| {
            beads.iter().find(|b| b.0.contains(&t)).map(|b| b.1.clone())
        };
        let thai: Vec<usize> = gold.iter().flat_map(|g| g.0.clone()).collect();
        self.thai += thai.len();
        self.thai_right += thai
            .iter()
            .filter(|&&t| english_of(gold, t) == english_of(&found, t))
            .count();
    }

    fn beads(&self) -> f64 {
        self.beads_right as f64 / self.beads as f64
    }

    fn thai(&self) -> f64 {
        self.thai_right as f64 / self.thai as f64
    }
}

#[test]
fn the_anchored_aligner_gets_95_percent_of_beads_right_and_beats_gale_church() {
    let thai = thai();
    let english = align::blocks(ENGLISH);
    assert_eq!(thai.len(), 16, "16 Thai segments");
    assert_eq!(
        english.len(),
        thai.len(),
        "one English paragraph per segment"
    );
    let th_units: Vec<Unit> = thai.iter().map(|(t, h)| Unit::thai(t, *h)).collect();
    let th_texts: Vec<&str> = thai.iter().map(|(t, _)| t.as_str()).collect();

    let cases = cases(&english);
    let (chapter, first) = chapter3();
    let chapter_units: Vec<Unit> = chapter.iter().map(|(t, h)| Unit::thai(t, *h)).collect();
    let chapter_texts: Vec<&str> = chapter.iter().map(|(t, _)| t.as_str()).collect();
    let (mut in_chapter, mut baseline_in_chapter) = (Score::default(), Score::default());
    let (mut ours, mut baseline) = (Score::default(), Score::default());
    let mut misses = Vec::new();
    for case in &cases {
        let en_units: Vec<Unit> = case.english.iter().map(|e| Unit::english(e)).collect();
        let en_texts: Vec<&str> = case.english.iter().map(String::as_str).collect();
        let found = align::align(&th_units, &en_units);
        let before = ours.beads_right;
        ours.add(&case.gold, &found);
        if ours.beads_right - before < case.gold.len() {
            let shown: Vec<String> = found.iter().map(Bead::line).collect();
            misses.push(format!("{}: {}", case.name, shown.join(" | ")));
        }
        baseline.add(
            &case.gold,
            &gale_church::align_by_length(&th_texts, &en_texts),
        );
        // The same English uploaded for the whole chapter, 17 of whose segments it lacks.
        let gold = within_chapter(&case.gold, first, chapter.len(), th_units.len());
        let found = align::align(&chapter_units, &en_units);
        let before = in_chapter.beads_right;
        in_chapter.add(&gold, &found);
        if in_chapter.beads_right - before < gold.len() {
            let shown: Vec<String> = found.iter().map(Bead::line).collect();
            misses.push(format!(
                "{} (whole chapter): {}",
                case.name,
                shown.join(" | ")
            ));
        }
        let by_length = gale_church::align_by_length(&chapter_texts, &en_texts);
        baseline_in_chapter.add(&gold, &by_length);
    }

    println!(
        "{} versions, {} beads, {} Thai segments",
        cases.len(),
        ours.beads,
        ours.thai
    );
    println!(
        "anchored aligner: {:.1}% of beads exactly right, {:.1}% of Thai segments paired right",
        100.0 * ours.beads(),
        100.0 * ours.thai()
    );
    println!(
        "Gale–Church (length only): {:.1}% of beads exactly right, {:.1}% of Thai segments paired right",
        100.0 * baseline.beads(),
        100.0 * baseline.thai()
    );
    println!(
        "within the whole chapter ({} segments): anchored {:.1}% of beads, {:.1}% of Thai segments; Gale–Church {:.1}% and {:.1}%",
        chapter.len(),
        100.0 * in_chapter.beads(),
        100.0 * in_chapter.thai(),
        100.0 * baseline_in_chapter.beads(),
        100.0 * baseline_in_chapter.thai()
    );
    for miss in &misses {
        println!("missed: {miss}");
    }
    assert!(
        ours.beads() >= 0.95,
        "{:.3} of beads right: {misses:#?}",
        ours.beads()
    );
    assert!(
        ours.beads() > baseline.beads() + 0.05,
        "clearly better than Gale–Church"
    );
    assert!(ours.thai() > baseline.thai());
    assert!(
        in_chapter.beads() >= 0.95,
        "{:.3} within the chapter",
        in_chapter.beads()
    );
    assert!(in_chapter.beads() > baseline_in_chapter.beads() + 0.05);
}

#[test]
fn the_translation_as_made_aligns_one_to_one_with_confident_beads() {
    let thai = thai();
    let english = align::blocks(ENGLISH);
    let th: Vec<Unit> = thai.iter().map(|(t, h)| Unit::thai(t, *h)).collect();
    let en: Vec<Unit> = english.iter().map(|e| Unit::english(e)).collect();
    let beads = align::align(&th, &en);
    assert_eq!(beads.len(), 16);
    for (i, bead) in beads.iter().enumerate() {
        assert_eq!(
            (bead.th.as_slice(), bead.en.as_slice()),
            (&[i][..], &[i][..])
        );
        assert!(bead.is_confident(), "bead {i}: {}", bead.line());
    }
}
