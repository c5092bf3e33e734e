//! Export writers on the whole corpus, every segment with an English draft:
//! `cargo bench --bench export`. (The PDF build is timed separately: `benches/README.md`.)
//! The exchange formats too: TMX (every pair, `--include drafts`) and XLIFF 2.0 and 1.2;
//! and reading the XLIFF back, as an import does before it touches the database.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use plae::exchange::xliff::read_xliff;
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
        ("tmx drafts", Format::Tmx, Layout::Columns),
        ("xliff 2.0", Format::Xliff, Layout::Columns),
        ("xliff 1.2", Format::Xliff12, Layout::Columns),
    ] {
        let options = ExportOptions {
            layout,
            include: Include::Drafts,
            ..ExportOptions::new(format)
        };
        group.bench_function(name, |b| b.iter(|| export(&edition, &options).len()));
    }
    for (name, format) in [
        ("read xliff 2.0", Format::Xliff),
        ("read xliff 1.2", Format::Xliff12),
    ] {
        let xliff = export(&edition, &ExportOptions::new(format));
        group.bench_function(name, |b| {
            b.iter(|| read_xliff(xliff.as_bytes()).expect("it reads").units.len())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
