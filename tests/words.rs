//! Thai word breaking on the real corpus, against an independent reference: PyThaiNLP's
//! `newmm` (the Python library most Thai NLP work is measured with; `.ci/run` installs
//! `pythainlp==5.4.0`). Both break every segment of both chapters; agreement is measured
//! on word boundaries (the character offsets between two pieces, spaces included):
//! precision = common / Plae's, recall = common / the reference's, F1 their harmonic mean.
//! The README's figure is what `cargo test --test words -- --nocapture` prints.
//!
//! A machine without PyThaiNLP fails here, saying what to install, rather than skipping.

use std::process::Command;

use plae::text::normalize;
use plae::text::segment;
use plae::text::words::{self, boundaries, Agreement};

const CHAPTERS: [&str; 2] = ["001_4bdccb741793f620.txt", "000_80e13b9055b36a2d.txt"];

/// The reference: texts in (a JSON array in a file), PyThaiNLP's tokens out (JSON).
const REFERENCE: &str = r#"
import json, sys
from pythainlp.tokenize import word_tokenize
texts = json.load(open(sys.argv[1], encoding="utf-8"))
print(json.dumps([word_tokenize(t, engine="newmm", keep_whitespace=True) for t in texts]))
"#;

fn corpus_segments() -> Vec<String> {
    CHAPTERS
        .iter()
        .flat_map(|name| {
            let path = format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).expect("corpus file");
            segment::segment(&normalize::normalize(&text))
        })
        .map(|s| s.text)
        .collect()
}

fn reference_tokens(texts: &[String]) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = dir.path().join("texts.json");
    std::fs::write(&input, serde_json::to_string(texts).unwrap()).unwrap();
    let out = Command::new("python3")
        .arg("-c")
        .arg(REFERENCE)
        .arg(&input)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "PyThaiNLP failed (pip install pythainlp==5.4.0; .ci/run installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("PyThaiNLP's tokens as JSON")
}

#[test]
fn plae_breaks_thai_words_where_pythainlp_newmm_does() {
    let texts = corpus_segments();
    assert!(texts.len() > 100, "the corpus was not read");
    let reference = reference_tokens(&texts);
    let mut total = Agreement::of(&[], &[]);
    let mut differing = 0;
    for (text, theirs) in texts.iter().zip(&reference) {
        assert_eq!(&theirs.concat(), text, "the reference lost text");
        let ours = words::tokens(text);
        assert_eq!(ours.concat(), *text, "Plae lost text");
        let agreement = Agreement::of(&boundaries(&ours), &boundaries(theirs));
        if agreement.common != agreement.found || agreement.common != agreement.reference {
            differing += 1;
            if differing <= 8 {
                println!("differs: {}", first_difference(&ours, theirs));
            }
        }
        total = total.add(agreement);
    }
    println!(
        "{} segments, {} reference boundaries, {} Plae boundaries, {} common; \
         precision {:.4}, recall {:.4}, F1 {:.4}; {differing} segments differ",
        texts.len(),
        total.reference,
        total.found,
        total.common,
        total.precision(),
        total.recall(),
        total.f1()
    );
    assert!(total.reference > 10_000, "too few words to measure");
    assert!(
        total.f1() >= 0.90,
        "word-boundary F1 {:.4} < 0.90",
        total.f1()
    );
}

/// The first stretch where the two tokenizations part, both shown (`|` between pieces).
fn first_difference(ours: &[&str], theirs: &[String]) -> String {
    let (a, b) = (boundaries(ours), boundaries(theirs));
    let at = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let show =
        |tokens: Vec<&str>| tokens[at.saturating_sub(2)..(at + 3).min(tokens.len())].join("|");
    format!(
        "Plae {}  ·  newmm {}",
        show(ours.to_vec()),
        show(theirs.iter().map(String::as_str).collect())
    )
}

#[test]
fn every_word_of_the_corpus_is_found_again_in_its_words() {
    // The search index stores the words space-joined: nothing may be lost or merged.
    for text in corpus_segments() {
        let joined = words::break_words(&text);
        let squeezed: String = text.split_whitespace().collect();
        assert_eq!(joined.split(' ').collect::<String>(), squeezed);
    }
}
