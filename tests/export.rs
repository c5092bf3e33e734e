//! The corpus edition compiled to PDF with XeLaTeX, and read back with pdftotext.
//!
//! CI installs TeX (`.ci/run`): a machine without `xelatex` or `pdftotext` fails here with
//! what to install, rather than skipping. One compile of the whole corpus (the expensive
//! part), then every check on it; and a small edition with every special character,
//! compiled in the two other layouts.
//!
//! `PLAE_EXPORT_KEEP=DIR cargo test --test export` keeps the work directories (the `.tex`,
//! the log and the PDF) under DIR to look at.
//!
//! Also here: loading an edition from the database (`db::export`).

mod common;
#[path = "export/corpus_edition.rs"]
mod corpus_edition;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use plae::export::pdf::{export_pdf, PdfOutput};
use plae::export::{
    Edition, EditionChapter, EditionSegment, English, ExportOptions, Format, Include, Kind, Layout,
    Status,
};

use corpus_edition::corpus_edition;

const TIMEOUT: Duration = Duration::from_secs(180);

fn require(tool: &str, package: &str) {
    let found = Command::new(tool)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty() || !o.stdout.is_empty());
    assert!(
        found,
        "`{tool}` is not installed: the PDF export test needs it \
         (Debian: apt-get install {package}; .ci/run installs it)"
    );
}

/// A work directory: kept under `PLAE_EXPORT_KEEP` if set, else temporary.
fn workdir(name: &str) -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("PLAE_EXPORT_KEEP") {
        Some(keep) => (None, PathBuf::from(keep).join(name)),
        None => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let path = dir.path().to_path_buf();
            (Some(dir), path)
        }
    }
}

fn compile(
    edition: &Edition,
    layout: Layout,
    include: Include,
    name: &str,
) -> (PdfOutput, PathBuf) {
    require("xelatex", "texlive-xetex fonts-thai-tlwg fonts-texgyre");
    let (_keep, dir) = workdir(name);
    let options = ExportOptions {
        layout,
        include,
        ..ExportOptions::new(Format::Latex)
    };
    let started = Instant::now();
    let output = export_pdf(edition, &options, &dir, TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "{name}: {} bytes of PDF in {} runs, {:.1} s",
        output.pdf.len(),
        output.runs,
        started.elapsed().as_secs_f64()
    );
    let pdf = dir.join("edition.pdf");
    // The temporary directory goes when this returns: keep the PDF for pdftotext.
    let copy = std::env::temp_dir().join(format!("plae-{name}-{}.pdf", std::process::id()));
    std::fs::copy(&pdf, &copy).expect("copy the PDF");
    (output, copy)
}

/// What the comparisons look at: Thai, ASCII and punctuation, without white space
/// (pdftotext breaks lines in the middle of Thai words and puts spaces where the columns
/// are) and without the OCR noise in other scripts (which no font prints, though the
/// PDF's ActualText keeps it, wrapped in bidi marks).
fn visible(c: char) -> bool {
    !c.is_whitespace()
        && (c.is_ascii()
            || ('\u{0E00}'..='\u{0E7F}').contains(&c)
            || ('\u{2010}'..='\u{2027}').contains(&c))
}

/// The PDF's text, page by page, only its [`visible`] characters.
fn pages(pdf: &PathBuf) -> Vec<String> {
    require("pdftotext", "poppler-utils");
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .split('\u{c}')
        .map(|page| page.chars().filter(|c| visible(*c)).collect())
        .collect()
}

/// The first `n` [`visible`] characters of a text, without footnote marks (printed as
/// superscript digits).
fn probe(text: &str, n: usize) -> String {
    let mut plain = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("[^") {
        plain.push_str(&rest[..start]);
        rest = rest[start..].split_once(']').map_or("", |(_, after)| after);
    }
    plain.push_str(rest);
    plain.chars().filter(|c| visible(*c)).take(n).collect()
}

/// Where a probe is: (page, offset in the page), searching from `from` on.
fn find(pages: &[String], probe: &str, from: (usize, usize)) -> Option<(usize, usize)> {
    (from.0..pages.len()).find_map(|p| {
        let start = if p == from.0 { from.1 } else { 0 };
        pages[p].get(start..)?.find(probe).map(|o| (p, start + o))
    })
}

#[test]
fn the_corpus_edition_compiles_with_thai_and_english_side_by_side_in_reading_order() {
    let edition = corpus_edition(Some(13));
    let (output, pdf) = compile(&edition, Layout::Columns, Include::Drafts, "corpus-columns");
    assert!(output.pdf.starts_with(b"%PDF-"));
    assert!(output.runs <= 3);

    // No line sticks out of its column by more than a hair.
    let widest = output.warnings.widest_overfull_hbox();
    assert!(
        widest <= 3.0,
        "overfull lines: {:#?}",
        output.warnings.overfull_boxes
    );

    // The OCR noise in other scripts (Arabic and Bengali letters) is reported, and only
    // that: every Thai and Latin character has its glyph.
    let missing = &output.warnings.missing_characters;
    assert!(
        missing.iter().any(|m| m.code_point == "U+09A8"),
        "{missing:#?}"
    );
    assert!(
        missing.iter().any(|m| m.code_point == "U+0631"),
        "{missing:#?}"
    );
    for m in missing {
        let c = m.character.chars().next().expect("a character");
        assert!(
            !('\u{0E00}'..='\u{0E7F}').contains(&c) && !c.is_ascii(),
            "a Thai or ASCII character has no glyph: {m:?}"
        );
    }

    // Each translated paragraph: its Thai and its English start on the same page, and both
    // languages come in the order of the segments.
    let pages = pages(&pdf);
    let (mut thai_at, mut english_at) = ((0, 0), (0, 0));
    let mut checked = 0;
    let mut gaps = 0;
    for (_, segment) in edition.segments() {
        if !matches!(segment.kind, Kind::Paragraph | Kind::Quote) {
            continue;
        }
        let thai = probe(&segment.thai, 30);
        let th = find(&pages, &thai, thai_at)
            .unwrap_or_else(|| panic!("Thai {thai:?} not found after {thai_at:?}"));
        thai_at = (th.0, th.1 + thai.len());
        match segment.english(Include::Drafts) {
            English::Text(text) => {
                let english = probe(text, 40);
                let en = find(&pages, &english, english_at).unwrap_or_else(|| {
                    panic!("English {english:?} not found after {english_at:?}")
                });
                assert_eq!(
                    th.0, en.0,
                    "{thai:?} and {english:?} start on different pages"
                );
                english_at = (en.0, en.1 + english.len());
                checked += 1;
            }
            English::Gap(_) => gaps += 1,
        }
    }
    assert!(checked > 80, "only {checked} paragraphs checked");
    let markers: usize = pages
        .iter()
        .map(|p| p.matches("[notyettranslated]").count())
        .sum();
    assert!(
        markers >= gaps && gaps > 0,
        "{markers} gap markers for {gaps} gaps"
    );
    std::fs::remove_file(&pdf).ok();
}

/// Every character that means something to TeX, in both languages.
const SPECIALS: &str = r#"\ { } $ & # ^ _ % ~ < > | " 'single' “curly” ‘quotes’ ... -- `` ''"#;

fn specials_edition() -> Edition {
    let segment = |n: u128, kind: Kind, thai: String, english: Option<String>| EditionSegment {
        id: uuid::Uuid::from_u128(n),
        kind,
        thai,
        draft: english.clone(),
        approved: english,
        status: Status::Approved,
        record: Default::default(),
    };
    Edition {
        title_th: format!("ชื่อเรื่อง {SPECIALS}"),
        title_en: format!("Title {SPECIALS}"),
        chapters: vec![EditionChapter {
            number: 1,
            title_th: format!("บท {SPECIALS}"),
            title_en: Some(format!("Chapter {SPECIALS}")),
            segments: vec![
                segment(
                    1,
                    Kind::Heading,
                    format!("หัวข้อ {SPECIALS}"),
                    Some(format!("Heading {SPECIALS}")),
                ),
                segment(
                    2,
                    Kind::Paragraph,
                    format!("ย่อหน้า {SPECIALS} จบ[^1]"),
                    Some(format!("Paragraph {SPECIALS} end[^1] (ภาษาไทย)")),
                ),
                segment(3, Kind::Quote, format!("...อ้าง {SPECIALS}"), None),
                segment(
                    4,
                    Kind::Footnote,
                    format!("[^1] หมายเหตุ {SPECIALS}"),
                    Some(format!("[^1] Note {SPECIALS}")),
                ),
            ],
        }],
    }
}

#[test]
fn every_special_character_prints_as_itself_in_the_facing_and_interleaved_layouts() {
    let edition = specials_edition();
    let specials: String = SPECIALS.chars().filter(|c| !c.is_whitespace()).collect();
    for (layout, name) in [
        (Layout::Facing, "specials-facing"),
        (Layout::Interleaved, "specials-interleaved"),
    ] {
        let (output, pdf) = compile(&edition, layout, Include::Approved, name);
        assert!(
            output.warnings.missing_characters.is_empty(),
            "{:?}",
            output.warnings
        );
        let text: String = pages(&pdf).concat();
        // Titles, the heading in both languages (and the contents), the paragraph in both,
        // the quote in Thai, the note in both.
        assert!(text.matches(&specials).count() >= 9, "{layout:?}: {text}");
        assert!(text.contains("ภาษาไทย"), "Thai words inside English print");
        assert!(
            text.contains("[translationawaitingreview]") || text.contains("[notyettranslated]")
        );
        std::fs::remove_file(&pdf).ok();
    }
}

/// The English of chapter 4's first segments, written as the workflow would leave them.
async fn translate_some(pool: &sqlx::PgPool) -> Vec<uuid::Uuid> {
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT s.id FROM segments s JOIN chapters c ON c.id = s.chapter_id
          WHERE c.number = 4 ORDER BY s.position LIMIT 4",
    )
    .fetch_all(pool)
    .await
    .expect("chapter 4's segments");
    let revision = |segment: uuid::Uuid, text: &'static str| {
        sqlx::query_scalar::<_, uuid::Uuid>(
            "INSERT INTO revisions (segment_id, text) VALUES ($1, $2) RETURNING id",
        )
        .bind(segment)
        .bind(text)
        .fetch_one(pool)
    };
    // Segment 0: approved, then edited again (the edit waits for review).
    let approved = revision(ids[0], "Chapter 4: Stalin").await.unwrap();
    let edited = revision(ids[0], "Chapter Four: Stalin").await.unwrap();
    sqlx::query(
        "UPDATE segments SET current_revision_id = $2, approved_revision_id = $3,
                             status = 'draft'
          WHERE id = $1",
    )
    .bind(ids[0])
    .bind(edited)
    .bind(approved)
    .execute(pool)
    .await
    .expect("segment 0");
    // Segment 1: a draft nobody approved.
    let draft = revision(ids[1], "...Everything changed...").await.unwrap();
    sqlx::query("UPDATE segments SET current_revision_id = $2, status = 'draft' WHERE id = $1")
        .bind(ids[1])
        .bind(draft)
        .execute(pool)
        .await
        .expect("segment 1");
    // Segment 3: gone from the source (retired): not in any edition.
    sqlx::query("UPDATE segments SET retired_at = now() WHERE id = $1")
        .bind(ids[3])
        .execute(pool)
        .await
        .expect("segment 3");
    ids
}

#[tokio::test]
async fn an_edition_holds_every_live_segment_with_its_latest_and_its_approved_english() {
    use plae::db::export::{load_edition, Scope};
    let db = common::migrated_database().await;
    let corpus = plae::corpus::Corpus::load(&common::corpus_dir()).expect("the corpus");
    plae::import::import_corpus(&db.pool, &corpus)
        .await
        .expect("the corpus imports");
    let ids = translate_some(&db.pool).await;
    let mut conn = db.pool.acquire().await.expect("a connection");

    let book = load_edition(&mut conn, "soviet-history", Scope::Book)
        .await
        .expect("the edition loads")
        .expect("the book exists");
    assert_eq!(book.title_en, "A History of the Soviet Union");
    let numbers: Vec<i32> = book.chapters.iter().map(|c| c.number).collect();
    assert_eq!(numbers, [3, 4]);
    // The same segments, in the same order, as the text pipeline makes of the files (less
    // the retired one).
    let from_files = corpus_edition(None);
    for (loaded, segmented) in book.chapters.iter().zip(&from_files.chapters) {
        let loaded: Vec<&str> = loaded.segments.iter().map(|s| s.thai.as_str()).collect();
        let mut segmented: Vec<&str> = segmented.segments.iter().map(|s| s.thai.as_str()).collect();
        if loaded.len() < segmented.len() {
            segmented.remove(3);
        }
        assert_eq!(loaded, segmented);
    }
    let chapter4 = &book.chapters[1];
    assert!(
        chapter4.segments.iter().all(|s| s.id != ids[3]),
        "retired is left out"
    );
    let (first, second, third) = (
        &chapter4.segments[0],
        &chapter4.segments[1],
        &chapter4.segments[2],
    );
    assert_eq!(first.id, ids[0]);
    assert_eq!(first.kind, Kind::ChapterTitle);
    assert_eq!(
        first.english(Include::Drafts),
        English::Text("Chapter Four: Stalin")
    );
    assert_eq!(
        first.english(Include::Approved),
        English::Text("Chapter 4: Stalin")
    );
    assert_eq!(second.status, Status::Draft);
    assert_eq!(
        second.english(Include::Approved),
        English::Gap(plae::export::Gap::AwaitingReview)
    );
    assert_eq!(
        third.english(Include::Drafts),
        English::Gap(plae::export::Gap::Untranslated)
    );

    let chapter = load_edition(&mut conn, "soviet-history", Scope::Chapter(4))
        .await
        .expect("the chapter loads")
        .expect("chapter 4 exists");
    assert_eq!(chapter.chapters.len(), 1);
    assert_eq!(chapter.chapters[0], *chapter4);
    for (slug, scope) in [
        ("soviet-history", Scope::Chapter(9)),
        ("no-such-book", Scope::Book),
    ] {
        let missing = load_edition(&mut conn, slug, scope).await.expect("a query");
        assert!(missing.is_none(), "{slug} {scope:?}");
    }
}
