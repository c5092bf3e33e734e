//! The quality checks and the glossary miner on the real corpus:
//! `cargo bench --bench quality`.

use criterion::{criterion_group, criterion_main, Criterion};
use plae::checks::{self, Context};
use plae::glossary::mining;
use plae::text::{normalize, segment};

fn segments() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|p| {
            let text = std::fs::read_to_string(p).expect("corpus file");
            segment::segment(&normalize::normalize(&text))
        })
        .map(|s| s.text)
        .collect()
}

fn english_for(thai: &str) -> String {
    let mut parts: Vec<String> = vec!["In the translation,".into()];
    parts.extend(checks::numbers(thai).into_iter().map(|n| n.value));
    parts.extend(checks::latin_runs(thai).into_iter().map(str::to_string));
    parts.extend(
        checks::footnote_refs(thai)
            .into_iter()
            .map(|n| format!("[^{n}]")),
    );
    parts.join(" ")
}

fn bench(c: &mut Criterion) {
    let segments = segments();
    let mut group = c.benchmark_group("quality");
    // What a chapter page render adds: every segment checked, with an English that has
    // the Thai's numbers, Latin names and footnote references.
    let english: Vec<String> = segments.iter().map(|s| english_for(s)).collect();
    group.bench_function("check every segment of the corpus", |b| {
        let ctx = Context {
            terms: &[],
            book_ratio: Some(1.2),
        };
        b.iter(|| {
            segments
                .iter()
                .zip(&english)
                .map(|(s, e)| checks::check_segment(s, Some(e.as_str()), &ctx).len())
                .sum::<usize>()
        })
    });
    group.bench_function("mine glossary candidates from the corpus", |b| {
        b.iter(|| mining::mine(&segments).len())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
