//! The quality checks and the glossary miner on the whole corpus, segmented as the importer
//! segments it (no database): what a reviewer of Thai would want flagged is flagged, and
//! the candidates a translator would want offered are offered, with the right Thai extent.

use plae::checks::{self, Severity};
use plae::glossary::mining::{self, Evidence};
use plae::text::normalize;
use plae::text::segment;

fn corpus_segments() -> Vec<String> {
    let mut all = Vec::new();
    for name in ["001_4bdccb741793f620.txt", "000_80e13b9055b36a2d.txt"] {
        let path = format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).expect("corpus file");
        all.extend(
            segment::segment(&normalize::normalize(&text))
                .into_iter()
                .map(|s| s.text),
        );
    }
    all
}

#[test]
fn every_segment_with_kirov_is_flagged_and_the_source_findings_are_the_ocr_noise() {
    let segments = corpus_segments();
    let mut flagged = 0;
    let mut by_check = std::collections::BTreeMap::<&str, usize>::new();
    for text in &segments {
        let findings = checks::check_source(text);
        for f in &findings {
            assert_eq!(f.severity, Severity::Warning);
            *by_check.entry(f.id).or_default() += 1;
        }
        if text.contains("คีروف") {
            flagged += 1;
            let other = findings.iter().find(|f| f.id == "source.other_script");
            let message = &other.expect("คีروف is flagged").message;
            assert!(
                message.contains("“คีروف") && message.contains("Arabic"),
                "{message}"
            );
        }
    }
    println!("source findings by check on the corpus: {by_check:?}");
    assert!(
        flagged >= 2,
        "คีروف is in several segments; flagged {flagged}"
    );
    // The OCR noise of the corpus, and nothing else: Arabic, Hebrew and Bengali letters in
    // a handful of segments, `stadalin` glued to Thai, one stray vowel.
    let other = by_check["source.other_script"];
    assert!((5..=15).contains(&other), "{by_check:?}");
    assert!(by_check["source.latin_glued"] >= 1, "{by_check:?}");
    let total: usize = by_check.values().sum();
    assert!(
        total <= 25,
        "too many source findings for 107 segments: {by_check:?}"
    );
}

#[test]
fn a_thai_segment_as_its_own_english_is_caught_and_the_corpus_numbers_are_read() {
    let segments = corpus_segments();
    let mut numbers = 0;
    for text in &segments {
        let findings = checks::check_target(text, text, &checks::Context::default());
        assert_eq!(findings[0].id, "same_as_source");
        // The English that repeats every number, footnote and Latin run of the Thai has no
        // number, footnote or name finding.
        let english = english_with_anchors_of(text);
        let found = checks::check_target(text, &english, &checks::Context::default());
        let anchors: Vec<_> = found
            .iter()
            .filter(|f| matches!(f.id, "numbers" | "footnotes" | "latin_terms"))
            .collect();
        assert!(anchors.is_empty(), "{anchors:?}\n{text}\n{english}");
        numbers += checks::numbers(text).len();
    }
    assert!(
        numbers > 100,
        "the corpus has years on most pages: {numbers}"
    );
}

/// An English text holding the numbers, footnote references and Latin runs of the Thai.
fn english_with_anchors_of(thai: &str) -> String {
    let mut parts: Vec<String> = vec!["Translated:".into()];
    parts.extend(checks::numbers(thai).into_iter().map(|n| n.value));
    parts.extend(checks::latin_runs(thai).into_iter().map(str::to_string));
    parts.extend(
        checks::footnote_refs(thai)
            .into_iter()
            .map(|n| format!("[^{n}]")),
    );
    parts.join(" ")
}

#[test]
fn the_miner_offers_the_issues_examples_with_the_right_thai() {
    let segments = corpus_segments();
    let started = std::time::Instant::now();
    let candidates = mining::mine(&segments);
    println!("{} candidates in {:?}", candidates.len(), started.elapsed());
    for c in &candidates {
        println!(
            "{:<40} {:<45} {:<28} ×{}",
            c.thai,
            c.english,
            c.evidence.describe(),
            c.occurrences
        );
    }
    let find = |english: &str| {
        candidates
            .iter()
            .find(|c| c.english == english)
            .unwrap_or_else(|| panic!("no candidate for {english}"))
    };
    assert_eq!(find("Gosplan").thai, "โกสแปลน");
    assert_eq!(find("Sovkhozy").thai, "นารัฐ");
    assert!(matches!(find("Sovkhozy").evidence, Evidence::Recurs(_)));
    assert_eq!(find("Evgeni Preobrazenskii").thai, "เยฟเกนี เพรโอบราเซนสกี");
    assert_eq!(find("Victor Serge").thai, "วิกเตอร์ เซอร์กี");
    assert_eq!(find("Andrei Zhdanov").thai, "อันเดร ชดานอฟ");
    assert_eq!(find("Nicolas Bukharin").thai, "นิโคลาส บูคาริน");
    assert_eq!(find("The Gulag Archipelago").thai, "หมู่เกาะกูลักส์");
    assert_eq!(find("The Gulag Archipelago").evidence, Evidence::Quoted);
    assert_eq!(find("Riga").thai, "ริกา");
    assert_eq!(find("Presidium").thai, "เปรสิเดียม");
    assert_eq!(find("Azhov").thai, "เอชอฟ");
    assert_eq!(find("Eugene Zamiatin").thai, "อูซิน ซาเมียติน");
    assert_eq!(find("Five Year Plan").thai, "แผนพัฒนาห้าปี");
    // A pair with no evidence for its Thai extent is not offered.
    assert!(candidates.iter().all(|c| c.thai.chars().count() <= 40));
    assert!(candidates.len() >= 40, "{}", candidates.len());
}
