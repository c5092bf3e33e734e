//! The TMX writer, read back with Plae's own reader: which pairs, exact text, who and when.
//! translate-toolkit reads it in `tests/exchange.rs`.

use chrono::{TimeZone, Utc};

use super::*;
use crate::exchange::tmx::read_tmx;
use crate::exchange::xml::parse;
use crate::export::sample::{edition, SPECIALS};
use crate::export::{Format, Status};

fn signed(by: &str, day: u32) -> Signature {
    Signature {
        by: Some(by.into()),
        at: Utc.with_ymd_and_hms(2026, 11, day, 10, 15, 0).unwrap(),
    }
}

#[test]
fn an_approved_memory_holds_the_approved_pairs_only_with_their_exact_text() {
    let edition = edition();
    let tmx = write_tmx(&edition, &ExportOptions::new(Format::Tmx));
    let file = read_tmx(tmx.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{tmx}"));
    let expected: Vec<(String, String)> = edition
        .segments()
        .filter_map(|(_, s)| Some((s.thai.clone(), s.approved.clone()?)))
        .collect();
    let got: Vec<(String, String)> = file
        .pairs
        .iter()
        .map(|p| (p.thai.clone(), p.english.clone()))
        .collect();
    assert_eq!(got, expected);
    assert!(got
        .iter()
        .any(|(th, en)| th.contains(SPECIALS) && en.contains(SPECIALS)));
    assert!(got.iter().any(|(_, en)| en == "An older approved text"));
}

#[test]
fn a_drafts_memory_holds_the_latest_english_of_every_translated_segment() {
    let edition = edition();
    let options = ExportOptions {
        include: Include::Drafts,
        ..ExportOptions::new(Format::Tmx)
    };
    let file = read_tmx(write_tmx(&edition, &options).as_bytes()).unwrap();
    let drafts = edition
        .segments()
        .filter(|(_, s)| s.draft.is_some())
        .count();
    assert_eq!(file.pairs.len(), drafts);
    assert!(file
        .pairs
        .iter()
        .any(|p| p.english == "A new era of the Soviet Union (the Five Year Plan)"));
}

#[test]
fn units_say_who_wrote_and_who_approved_the_english_and_when() {
    let mut edition = edition();
    let segment = &mut edition.chapters[0].segments[0];
    assert_eq!(segment.status, Status::Approved);
    segment.record.translated = Some(signed("somchai", 20));
    segment.record.approved = Some(signed("anna", 21));
    let tmx = write_tmx(&edition, &ExportOptions::new(Format::Tmx));
    let root = parse(tmx.as_bytes()).unwrap();
    let body = root.elements().find(|e| e.name == "body").unwrap();
    let tu = body.elements().next().unwrap();
    assert_eq!(tu.attribute("tuid"), Some(segment_id(1).as_str()));
    assert_eq!(tu.attribute("changeid"), Some("anna"));
    assert_eq!(tu.attribute("changedate"), Some("20261121T101500Z"));
    let english = tu.elements().filter(|e| e.name == "tuv").nth(1).unwrap();
    assert_eq!(english.xml_attribute("lang"), Some("en"));
    assert_eq!(english.attribute("creationid"), Some("somchai"));
    assert_eq!(english.attribute("creationdate"), Some("20261120T101500Z"));

    let pair = &read_tmx(tmx.as_bytes()).unwrap().pairs[0];
    assert_eq!(pair.created_by.as_deref(), Some("somchai"));
    assert_eq!(pair.created_at, Some(signed("x", 20).at));
}

#[test]
fn the_header_names_the_languages_and_the_same_edition_gives_the_same_bytes() {
    let options = ExportOptions::new(Format::Tmx);
    let tmx = write_tmx(&edition(), &options);
    let root = parse(tmx.as_bytes()).unwrap();
    assert_eq!(root.attribute("version"), Some("1.4"));
    let header = root.elements().find(|e| e.name == "header").unwrap();
    for (attribute, value) in [
        ("srclang", "th"),
        ("adminlang", "en"),
        ("segtype", "paragraph"),
        ("datatype", "plaintext"),
        ("creationtool", "Plae"),
    ] {
        assert_eq!(header.attribute(attribute), Some(value));
    }
    assert_eq!(tmx, write_tmx(&edition(), &options));
}

fn segment_id(n: u128) -> String {
    uuid::Uuid::from_u128(n).to_string()
}
