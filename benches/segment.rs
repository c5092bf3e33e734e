//! Segmentation throughput on the real corpus: `cargo bench --bench segment`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use plae::text::{normalize, segment};

fn corpus() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| std::fs::read_to_string(e.path()).expect("corpus file"))
        .collect();
    texts.sort();
    texts
}

fn bench(c: &mut Criterion) {
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("normalize+segment", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| segment::segment(&normalize::normalize(t)).len())
                .sum::<usize>()
        })
    });
    let normalized: Vec<String> = texts.iter().map(|t| normalize::normalize(t)).collect();
    group.bench_function("segment", |b| {
        b.iter(|| {
            normalized
                .iter()
                .map(|t| segment::segment(t).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
