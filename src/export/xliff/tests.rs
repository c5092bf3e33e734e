//! The XLIFF writers, read back with Plae's own reader (`exchange`) and as XML: every
//! segment once with its id, exact text (escaping, Thai, footnote references), states,
//! notes. The independent checks (the OASIS schema, translate-toolkit) are in
//! `tests/exchange.rs`.

use chrono::{TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::exchange::xliff::{read_xliff, Base, Intent, Version};
use crate::exchange::xml::{parse, Element};
use crate::export::sample::{corpus, edition, SPECIALS};
use crate::export::{EditionComment, SegmentRecord};

/// The sample edition with every status, a revision id on every translated segment, and
/// comments on the first segment.
fn rich_edition() -> Edition {
    let mut edition = edition();
    let statuses = [
        Status::Approved,
        Status::Draft,
        Status::ChangesRequested,
        Status::Untranslated,
        Status::Submitted,
    ];
    let mut n = 0;
    for chapter in &mut edition.chapters {
        for segment in &mut chapter.segments {
            if segment.draft.is_some() {
                segment.status = statuses[n % statuses.len()];
                if segment.status == Status::Untranslated {
                    segment.status = Status::Draft;
                }
                segment.record.draft_revision = Some(Uuid::from_u128(1000 + n as u128));
            }
            n += 1;
        }
    }
    let at = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
    edition.chapters[0].segments[0].record = SegmentRecord {
        comments: vec![
            EditionComment {
                author: "somchai".into(),
                at,
                body: format!("Is \"Economic\" right? {SPECIALS}"),
                reply: false,
                resolved: false,
            },
            EditionComment {
                author: "anna".into(),
                at,
                body: "Yes.".into(),
                reply: true,
                resolved: false,
            },
        ],
        ..edition.chapters[0].segments[0].record.clone()
    };
    edition
}

#[test]
fn every_segment_is_one_unit_with_its_id_and_exact_thai_and_english_in_2_0_and_1_2() {
    let edition = rich_edition();
    for (xliff, version) in [
        (write_xliff_2_0(&edition), Version::V2),
        (write_xliff_1_2(&edition), Version::V1_2),
    ] {
        let file = read_xliff(xliff.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xliff}"));
        assert_eq!(file.version, version);
        let segments: Vec<_> = edition.segments().map(|(_, s)| s).collect();
        assert_eq!(file.units.len(), segments.len());
        for (unit, segment) in file.units.iter().zip(&segments) {
            assert_eq!(unit.id, segment.id.to_string());
            assert_eq!(unit.source, segment.thai, "{version:?}");
            assert_eq!(
                unit.target.as_deref(),
                segment.draft.as_deref(),
                "{version:?}"
            );
            let base = match (&segment.draft, segment.record.draft_revision) {
                (None, _) => Base::Untranslated,
                (Some(_), Some(r)) => Base::Revision(r),
                (Some(_), None) => Base::Unknown,
            };
            assert_eq!(unit.base, base);
        }
    }
}

#[test]
fn markup_characters_are_escaped_and_come_back_as_themselves() {
    let xliff = write_xliff_2_0(&edition());
    assert!(xliff.contains("&lt;"), "< is escaped");
    assert!(!xliff.contains("{ } $ & #"), "a bare & would not be XML");
    let unit = read_xliff(xliff.as_bytes())
        .unwrap()
        .units
        .into_iter()
        .find(|u| u.id == Uuid::from_u128(6).to_string())
        .unwrap();
    assert_eq!(unit.source, format!("อักขระพิเศษ {SPECIALS} จบ"));
    assert!(unit.target.unwrap().contains(SPECIALS));
}

fn units(root: &Element) -> Vec<&Element> {
    fn walk<'a>(e: &'a Element, out: &mut Vec<&'a Element>) {
        if e.name == "unit" || e.name == "trans-unit" {
            out.push(e);
        }
        for child in e.elements() {
            walk(child, out);
        }
    }
    let mut out = Vec::new();
    walk(root, &mut out);
    out
}

fn find<'a>(e: &'a Element, name: &str) -> Option<&'a Element> {
    if e.name == name {
        return Some(e);
    }
    e.elements().find_map(|c| find(c, name))
}

#[test]
fn footnote_references_are_placeholders_that_stand_for_themselves() {
    let xliff = write_xliff_2_0(&edition());
    assert!(xliff.contains(r#"<ph id="fn30" equiv="[^30]" disp="[^30]"/>"#));
    let xliff12 = write_xliff_1_2(&edition());
    assert!(xliff12.contains(r#"<ph id="fn30" ctype="x-footnote">[^30]</ph>"#));
    // Segment 2: the English keeps the Thai's reference, as the same placeholder.
    let root = parse(xliff.as_bytes()).unwrap();
    let unit = units(&root)[1];
    let target = find(unit, "target").unwrap();
    assert_eq!(find(target, "ph").unwrap().attribute("id"), Some("fn30"));
}

#[test]
fn a_reference_only_the_english_has_stays_text_and_repeats_get_ids_of_their_own() {
    let mut edition = edition();
    let segment = &mut edition.chapters[0].segments[1];
    segment.thai = "ก[^30] ข[^30]".into();
    segment.draft = Some("a[^30] b[^30] c[^31]".into());
    let xliff = write_xliff_2_0(&edition);
    assert!(xliff.contains(r#"<ph id="fn30-2" equiv="[^30]" disp="[^30]"/>"#));
    assert!(xliff.contains(" c[^31]</target>"), "{xliff}");
    let unit = &read_xliff(xliff.as_bytes()).unwrap().units[1];
    assert_eq!(unit.source, "ก[^30] ข[^30]");
    assert_eq!(unit.target.as_deref(), Some("a[^30] b[^30] c[^31]"));
}

#[test]
fn each_plae_status_has_its_state_and_reads_back_as_a_sensible_intent() {
    // (status, 2.0 state, 1.2 state, what an import of a changed target does)
    let table = [
        (Status::Untranslated, "initial", None, Intent::Draft),
        (
            Status::Draft,
            "translated",
            Some("translated"),
            Intent::Draft,
        ),
        (
            Status::ChangesRequested,
            "initial",
            Some("needs-translation"),
            Intent::Draft,
        ),
        (
            Status::Submitted,
            "translated",
            Some("needs-review-translation"),
            Intent::Draft,
        ),
        (
            Status::Approved,
            "final",
            Some("signed-off"),
            Intent::Submit,
        ),
    ];
    for (status, state20, state12, intent) in table {
        assert_eq!(state_2_0(status).0, state20, "{status:?}");
        assert_eq!(state_2_0(status).1, format!("plae:{}", status.as_str()));
        assert_eq!(state_1_2(status), state12, "{status:?}");
        let approved = status == Status::Approved;
        assert_eq!(crate::exchange::xliff::intent_2_0(Some(state20)), intent);
        let intent12 = crate::exchange::xliff::intent_1_2(state12, approved);
        // 1.2 says "waiting for review" where 2.0 cannot: re-submitting changes nothing.
        if status == Status::Submitted {
            assert_eq!(intent12, Intent::Submit);
        } else {
            assert_eq!(intent12, intent, "{status:?}");
        }
    }
}

#[test]
fn the_files_carry_each_segments_state_and_comments_and_the_titles() {
    let edition = rich_edition();
    let root = parse(write_xliff_2_0(&edition).as_bytes()).unwrap();
    let segments: Vec<_> = edition.segments().map(|(_, s)| s).collect();
    for (unit, segment) in units(&root).into_iter().zip(&segments) {
        let seg = find(unit, "segment").unwrap();
        assert_eq!(seg.attribute("state"), Some(state_2_0(segment.status).0));
        assert_eq!(seg.attribute("subState"), Some(state_2_0(segment.status).1));
        let kind = format!("plae:{}", segment.kind.as_str());
        assert_eq!(unit.attribute("type"), Some(kind.as_str()));
    }
    let first = units(&root)[0];
    let notes: Vec<String> = find(first, "notes")
        .unwrap()
        .elements()
        .map(Element::text)
        .collect();
    assert_eq!(notes.len(), 2);
    assert!(notes[0].starts_with("somchai (2026-11-20 09:30 UTC): Is \"Economic\""));
    assert!(notes[1].starts_with("anna (2026-11-20 09:30 UTC, reply): Yes."));
    let file_notes: Vec<String> = find(&root, "notes")
        .unwrap()
        .elements()
        .map(Element::text)
        .collect();
    assert_eq!(
        file_notes,
        [
            "ประวัติศาสตร์สหภาพโซเวียต — A History of the Soviet Union",
            "บทที่ 3 นโยบายเศรษฐกิจใหม่ — Chapter 3: The New Economic Policy"
        ]
    );

    let root = parse(write_xliff_1_2(&edition).as_bytes()).unwrap();
    let unit = units(&root)[0];
    assert_eq!(unit.attribute("approved"), Some("yes"));
    let notes: Vec<&Element> = unit.elements().filter(|e| e.name == "note").collect();
    assert_eq!(notes[0].attribute("from"), Some("somchai"));
    // The untranslated segment has no target at all.
    let untranslated = units(&root)[3];
    assert!(find(untranslated, "target").is_none());
}

#[test]
fn white_space_is_preserved_only_where_it_matters() {
    let mut edition = edition();
    edition.chapters[0].segments[2].draft = Some("Two\nlines".into());
    let xliff = write_xliff_2_0(&edition);
    let root = parse(xliff.as_bytes()).unwrap();
    let spaces: Vec<Option<&str>> = units(&root)
        .iter()
        .map(|u| u.xml_attribute("space"))
        .collect();
    assert_eq!(spaces[2], Some("preserve"));
    assert_eq!(spaces.iter().filter(|s| s.is_some()).count(), 1);
    let unit = &read_xliff(xliff.as_bytes()).unwrap().units[2];
    assert_eq!(unit.target.as_deref(), Some("Two\nlines"));
}

#[test]
fn the_whole_corpus_comes_back_exactly() {
    let edition = corpus();
    for xliff in [write_xliff_2_0(&edition), write_xliff_1_2(&edition)] {
        let file = read_xliff(xliff.as_bytes()).unwrap();
        let expected: Vec<(String, String, Option<String>)> = edition
            .segments()
            .map(|(_, s)| (s.id.to_string(), s.thai.clone(), s.draft.clone()))
            .collect();
        let got: Vec<(String, String, Option<String>)> = file
            .units
            .into_iter()
            .map(|u| (u.id, u.source, u.target))
            .collect();
        assert_eq!(got, expected);
    }
}
