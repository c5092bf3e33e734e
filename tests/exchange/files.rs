//! Plae's exchange files as independent tools see them: valid against the OASIS schemas,
//! and read by translate-toolkit with every segment's id, state, text and the languages.

use plae::export::{export, ExportOptions, Format, Include};
use plae::export::{Kind, Status};

use crate::tools::{python, validate_xliff_1_2, validate_xliff_2_0, READ_TMX, READ_XLIFF};
use crate::{world, APPROVED, CHANGES_REQUESTED, COMMENTED, DRAFT, SUBMITTED};

/// Writes a file to a temporary directory for a tool to read.
fn temp_file(name: &str, content: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, content).expect("write the file");
    (dir, path.display().to_string())
}

/// The text translate-toolkit shows for XLIFF 2.0, which leaves inline placeholders out.
fn without_references(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("[^") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after.as_bytes().get(digits) == Some(&b']') {
            rest = &after[digits + 1..];
        } else {
            out.push_str("[^");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn a_chapter_as_xliff_2_0_is_schema_valid_and_translate_toolkit_sees_every_unit_and_state() {
    let w = world().await;
    let edition = w.chapter().await;
    let xliff = export(&edition, &ExportOptions::new(Format::Xliff));
    if let Err(complaints) = validate_xliff_2_0(&xliff) {
        panic!("not valid XLIFF 2.0:\n{complaints}");
    }

    let (_dir, path) = temp_file("chapter-4.xlf", &xliff);
    let seen = python(READ_XLIFF, &["2.0", &path]);
    assert_eq!(seen["source_language"], "th");
    assert_eq!(seen["target_language"], "en");
    let units = seen["units"].as_array().expect("units");
    let segments = &edition.chapters[0].segments;
    assert_eq!(units.len(), segments.len());
    let mut references = 0;
    for (unit, segment) in units.iter().zip(segments) {
        assert_eq!(unit["id"], segment.id.to_string());
        let expected_state = plae::export::xliff::state_2_0(segment.status).0;
        assert_eq!(unit["state"], expected_state, "{}", segment.id);
        assert_eq!(unit["source"], without_references(&segment.thai));
        match &segment.draft {
            Some(draft) => assert_eq!(unit["target"], without_references(draft)),
            None => assert!(unit["target"].is_null()),
        }
        references += segment.thai.matches("[^").count();
    }
    assert!(references > 5, "the chapter has footnote references");
    // The states the world set up, as translate-toolkit understands them.
    let state = |n: usize| (units[n]["state"].clone(), units[n]["approved"].clone());
    assert_eq!(state(APPROVED), ("final".into(), true.into()));
    assert_eq!(state(DRAFT), ("translated".into(), false.into()));
    assert_eq!(state(SUBMITTED), ("translated".into(), false.into()));
    assert_eq!(state(CHANGES_REQUESTED), ("initial".into(), false.into()));
    assert_eq!(state(COMMENTED), ("initial".into(), false.into()));

    // What the schema cannot say: comments as notes, the book and chapter named.
    assert!(xliff.contains("<note category=\"plae:comment\">anna ("));
    assert!(xliff.contains("Say when: December 1927.</note>"));
    assert!(xliff.contains("somchai ("));
    assert!(xliff.contains("Who said this?</note>"));
    assert!(xliff.contains("<note category=\"plae:book\">ประวัติศาสตร์สหภาพโซเวียต — A History"));
    assert!(xliff.contains("A new era &lt;began&gt; &amp; &quot;went on&quot;."));
}

#[tokio::test]
async fn a_chapter_as_xliff_1_2_is_valid_against_the_strict_schema_and_read_by_translate_toolkit() {
    let w = world().await;
    let edition = w.chapter().await;
    let xliff = export(&edition, &ExportOptions::new(Format::Xliff12));
    if let Err(complaints) = validate_xliff_1_2(&xliff) {
        panic!("not valid XLIFF 1.2 (strict):\n{complaints}");
    }
    let (_dir, path) = temp_file("chapter-4.xlf", &xliff);
    let seen = python(READ_XLIFF, &["1.2", &path]);
    assert_eq!(seen["source_language"], "th");
    assert_eq!(seen["target_language"], "en");
    let units = seen["units"].as_array().expect("units");
    let segments = &edition.chapters[0].segments;
    assert_eq!(units.len(), segments.len());
    for (unit, segment) in units.iter().zip(segments) {
        assert_eq!(unit["id"], segment.id.to_string());
        // 1.2 placeholders hold their code: the text is exact.
        assert_eq!(unit["source"], segment.thai.as_str());
        assert_eq!(unit["target"].as_str(), segment.draft.as_deref());
        let state = plae::export::xliff::state_1_2(segment.status);
        assert_eq!(unit["state"].as_str(), state, "{}", segment.id);
        assert_eq!(unit["approved"], segment.status == Status::Approved);
    }
}

#[tokio::test]
async fn the_corpus_with_every_segment_translated_is_valid_xliff_in_both_versions() {
    // Every kind and footnote of the book, every segment with a target.
    let edition = {
        let mut e = corpus_with_drafts();
        e.chapters
            .iter_mut()
            .for_each(|c| c.segments.iter_mut().for_each(|s| s.status = Status::Draft));
        e
    };
    assert!(edition
        .segments()
        .any(|(_, s)| s.kind == Kind::Footnote || s.kind == Kind::Quote));
    let two = export(&edition, &ExportOptions::new(Format::Xliff));
    validate_xliff_2_0(&two).unwrap_or_else(|e| panic!("{e}"));
    let one = export(&edition, &ExportOptions::new(Format::Xliff12));
    validate_xliff_1_2(&one).unwrap_or_else(|e| panic!("{e}"));
}

/// The corpus with an English draft for every segment, from the files, without a database.
pub fn corpus_with_drafts() -> plae::export::Edition {
    use plae::text::{normalize, segment};
    let corpus = plae::corpus::Corpus::load(&crate::common::corpus_dir()).expect("the corpus");
    let mut edition = plae::export::Edition {
        title_th: corpus.book.title_th.clone(),
        title_en: corpus.book.title_en.clone(),
        chapters: Vec::new(),
    };
    for chapter in &corpus.chapters {
        let bytes = std::fs::read(corpus.dir.join(&chapter.file)).expect("a chapter file");
        let text = normalize::normalize(normalize::decode_utf8(&bytes).expect("UTF-8"));
        let segments = segment::segment(&text)
            .into_iter()
            .enumerate()
            .map(|(i, s)| plae::export::EditionSegment {
                id: uuid::Uuid::from_u128(((chapter.number as u128) << 32) | i as u128),
                kind: Kind::parse(s.kind.as_str()).expect("a kind"),
                // The English keeps the Thai's references, as a translation does.
                draft: Some(format!("English {i}{}", references(&s.text))),
                thai: s.text,
                approved: None,
                status: Status::Draft,
                record: Default::default(),
            })
            .collect();
        edition.chapters.push(plae::export::EditionChapter {
            number: chapter.number,
            title_th: chapter.title_th.clone(),
            title_en: chapter.title_en.clone(),
            segments,
        });
    }
    edition
}

fn references(text: &str) -> String {
    let all = text.to_owned();
    let without = without_references(&all);
    if without == all {
        return String::new();
    }
    // The references, in order, as they are in the text.
    let mut out = String::new();
    let mut rest = all.as_str();
    while let Some(at) = rest.find("[^") {
        let after = &rest[at..];
        let end = after.find(']').map_or(after.len(), |e| e + 1);
        out.push(' ');
        out.push_str(&after[..end]);
        rest = &after[end..];
    }
    out
}

#[tokio::test]
async fn a_tmx_of_the_approved_pairs_is_read_by_translate_toolkit_with_its_languages() {
    let w = world().await;
    let edition = w.chapter().await;
    let tmx = w.export(Format::Tmx).await;
    let (_dir, path) = temp_file("chapter-4.tmx", &tmx);
    let seen = python(READ_TMX, &[&path]);
    assert_eq!(seen["source_language"], "th");
    let units = seen["units"].as_array().expect("units");
    let approved: Vec<_> = edition.chapters[0]
        .segments
        .iter()
        .filter(|s| s.approved.is_some())
        .collect();
    assert_eq!(units.len(), approved.len());
    assert_eq!(units.len(), 1, "only the approved title");
    let unit = &units[0];
    assert_eq!(unit["tuid"], approved[0].id.to_string());
    assert_eq!(unit["languages"], serde_json::json!(["th", "en"]));
    assert_eq!(unit["source"], approved[0].thai.as_str());
    assert_eq!(unit["target"], "Chapter 4: Stalin");
    assert!(tmx.contains("creationid=\"somchai\""), "{tmx}");
    assert!(tmx.contains("changeid=\"anna\""), "{tmx}");

    // With the drafts: every translated segment, markup characters and all.
    let options = ExportOptions {
        include: Include::Drafts,
        ..ExportOptions::new(Format::Tmx)
    };
    let tmx = export(&edition, &options);
    let (_dir, path) = temp_file("drafts.tmx", &tmx);
    let seen = python(READ_TMX, &[&path]);
    let targets: Vec<&str> = seen["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["target"].as_str().expect("a target"))
        .collect();
    assert_eq!(targets.len(), 4);
    assert!(targets.contains(&"A new era <began> & \"went on\"."));
}
