#[path = "export/corpus_edition.rs"]
mod corpus_edition;
use plae::export::*;
#[test]
fn all_layouts() {
    let e = corpus_edition::corpus_edition(Some(13));
    for (l, n) in [(Layout::Columns, "columns"), (Layout::Facing, "facing"), (Layout::Interleaved, "interleaved")] {
        let o = ExportOptions { layout: l, include: Include::Drafts, ..ExportOptions::new(Format::Latex) };
        let t = std::time::Instant::now();
        let out = pdf::export_pdf(&e, &o, &std::path::Path::new("/tmp/lay").join(n), std::time::Duration::from_secs(300)).unwrap();
        eprintln!("{n}: runs {} {:?} widest {} overfull {} missing {}", out.runs, t.elapsed(), out.warnings.widest_overfull_hbox(), out.warnings.overfull_boxes.len(), out.warnings.missing_characters.len());
    }
}
