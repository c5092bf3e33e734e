//! Aligning an English translation with Thai segments: `cargo bench --bench align`.
//!
//! The test set of `tests/align/` (16 segments of chapter 3 and their English), the same
//! repeated to 80 paragraphs a side (about chapter 4's 74 segments) and to 320, more than any
//! chapter has: a whole chapter must align in under 100 ms.

use criterion::{criterion_group, criterion_main, Criterion};
use plae::align::{self, gale_church, Unit};

const THAI: &str = include_str!("../tests/align/chapter3-th.txt");
const ENGLISH: &str = include_str!("../tests/align/chapter3-en.txt");

fn repeated(text: &str, times: usize) -> Vec<&str> {
    let blocks = align::blocks(text);
    (0..times).flat_map(|_| blocks.iter().copied()).collect()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("align");
    for times in [1, 5, 20] {
        let th = repeated(THAI, times);
        let en = repeated(ENGLISH, times);
        let th_units: Vec<Unit> = th.iter().map(|t| Unit::thai_guessed(t)).collect();
        let en_units: Vec<Unit> = en.iter().map(|e| Unit::english(e)).collect();
        let n = th.len();
        group.bench_function(format!("anchored {n}x{n}"), |b| {
            b.iter(|| align::align(&th_units, &en_units).len())
        });
        group.bench_function(format!("gale-church {n}x{n}"), |b| {
            b.iter(|| gale_church::align_by_length(&th, &en).len())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
