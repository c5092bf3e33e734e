//! Export writers on the whole corpus, every segment with an English draft:
//! `cargo bench --bench export`. (The PDF build is timed separately: `benches/README.md`.)

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use plae::export::{export, ExportOptions, Format, Include, Layout};

#[path = "../tests/export/corpus_edition.rs"]
mod corpus_edition;

fn bench(c: &mut Criterion) {
    let edition = corpus_edition::corpus_edition(None);
    let mut group = c.benchmark_group("export corpus");
    group.throughput(Throughput::Bytes(edition.text_len() as u64));
    for (name, format, layout) in [
        ("latex columns", Format::Latex, Layout::Columns),
        ("html columns", Format::Html, Layout::Columns),
        ("markdown both", Format::Markdown, Layout::Columns),
        ("text both", Format::Text, Layout::Columns),
    ] {
        let options = ExportOptions {
            layout,
            include: Include::Drafts,
            ..ExportOptions::new(format)
        };
        group.bench_function(name, |b| b.iter(|| export(&edition, &options).len()));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
