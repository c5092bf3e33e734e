//! Export a chapter as XLIFF, translate it in a "CAT tool" (translate-toolkit, or an edit of
//! the text), import it back: new revisions with provenance where a target changed,
//! nothing where none did, an approved text kept until a reviewer approves the new one,
//! conflicts and unknown ids reported.

use plae::db::revisions::list_revisions;
use plae::exchange::import::ConflictKind;
use plae::exchange::{import_xliff, ImportReport};
use plae::export::Format;
use plae::workflow::Status;

use crate::tools::{python, EDIT_XLIFF_2_0};
use crate::{world, World, APPROVED, CHANGES_REQUESTED, COMMENTED, DRAFT, SUBMITTED};

/// Not translated when exported, translated in the CAT tool.
const FRESH: usize = 5;
/// Not translated when exported; someone translates it in Plae meanwhile.
const RACED: usize = 6;

async fn import(w: &World, bytes: &[u8], name: &str) -> ImportReport {
    let mut conn = w.conn().await;
    import_xliff(&mut conn, &w.translator, bytes, name)
        .await
        .unwrap_or_else(|e| panic!("the import fails: {e}"))
}

#[tokio::test]
async fn an_xliff_2_0_translated_in_a_cat_tool_comes_back_as_new_revisions_with_provenance() {
    let w = world().await;
    let exported = w.export(Format::Xliff).await;
    let id = |n: usize| w.segments[n].to_string();
    // A unit the book does not have, as a CAT tool might keep from another project.
    let stranger = uuid::Uuid::new_v4().to_string();
    let with_stranger = exported.replacen(
        "\n  </file>",
        &format!(
            "\n    <unit id=\"{stranger}\"><segment state=\"translated\"><source>ก</source>\
             <target>A</target></segment></unit>\n  </file>"
        ),
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original.xlf");
    std::fs::write(&original, &with_stranger).unwrap();
    let edited = dir.path().join("chapter-4.xlf");
    let edits = serde_json::json!({
        id(APPROVED): ["Chapter Four: Stalin", "final"],
        id(DRAFT): ["...Everything changed: from Lenin to Stalin...", "final"],
        id(CHANGES_REQUESTED): ["A new era began in December 1927.", "translated"],
        id(FRESH): ["A fresh translation & more", "translated"],
        id(RACED): ["The CAT tool's text", "translated"],
    });
    let done = python(
        EDIT_XLIFF_2_0,
        &[
            original.to_str().unwrap(),
            edited.to_str().unwrap(),
            &edits.to_string(),
        ],
    );
    assert_eq!(done.as_array().unwrap().len(), 5);
    // Someone translates RACED in Plae while the file is out.
    let plae_text = w.save(&w.reviewer, RACED, "Plae's own text").await;
    let before = w.stored(SUBMITTED).await;
    let approved_before = w.stored(APPROVED).await;

    let bytes = std::fs::read(&edited).unwrap();
    let report = import(&w, &bytes, edited.to_str().unwrap()).await;

    assert_eq!(report.file_name, "chapter-4.xlf");
    assert_eq!(report.version, "2.0");
    assert_eq!(report.unknown_ids, [stranger]);
    let changed: Vec<_> = report
        .changed
        .iter()
        .map(|c| (c.segment_id, c.status))
        .collect();
    assert_eq!(
        changed,
        [
            (w.segments[APPROVED], Status::Submitted),
            (w.segments[DRAFT], Status::Submitted),
            (w.segments[CHANGES_REQUESTED], Status::Draft),
            (w.segments[FRESH], Status::Draft),
        ]
    );
    // SUBMITTED's target came back as it went: nothing; so did every untranslated unit.
    assert_eq!(report.unchanged, 1);
    assert_eq!(w.stored(SUBMITTED).await, before);
    // Every unit is accounted for once.
    assert_eq!(report.units, w.segments.len() + 1);
    assert_eq!(report.untranslated, report.units - 7, "{report}");

    // The approved text stays what readers see until a reviewer approves the new one.
    let approved = w.stored(APPROVED).await;
    assert_eq!(approved.status, "submitted");
    assert_eq!(
        approved.current_text.as_deref(),
        Some("Chapter Four: Stalin")
    );
    assert_eq!(
        approved.approved_revision_id,
        approved_before.approved_revision_id
    );
    assert_eq!(approved.approved_text.as_deref(), Some("Chapter 4: Stalin"));

    // Every new revision is the importer's, and says where it came from.
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let mut conn = w.conn().await;
    for change in &report.changed {
        let revisions = list_revisions(&mut conn, change.segment_id).await.unwrap();
        let last = revisions.last().unwrap();
        assert_eq!(last.id, change.revision_id);
        assert_eq!(last.author_id, Some(w.translator.user_id));
        assert_eq!(
            last.note.as_deref(),
            Some(format!("imported from chapter-4.xlf on {today}").as_str())
        );
    }
    let fresh = w.stored(FRESH).await;
    assert_eq!(
        fresh.current_text.as_deref(),
        Some("A fresh translation & more")
    );

    // RACED: the CAT tool's text is kept in the history, Plae's stays current.
    assert_eq!(report.conflicts.len(), 1);
    let conflict = &report.conflicts[0];
    assert_eq!(conflict.segment_id, w.segments[RACED]);
    let ConflictKind::EditedSince { mine, theirs } = conflict.kind else {
        panic!("{conflict:?}");
    };
    assert_eq!(theirs, plae_text);
    let raced = w.stored(RACED).await;
    assert_eq!(raced.current_text.as_deref(), Some("Plae's own text"));
    let kept = list_revisions(&mut conn, w.segments[RACED]).await.unwrap();
    assert!(kept
        .iter()
        .any(|r| r.id == mine && r.text == "The CAT tool's text"));
    drop(conn);

    // The printed report names all of it.
    let printed = report.to_string();
    assert!(printed.contains("4 changed, 1 unchanged"), "{printed}");
    assert!(printed.contains("unknown"), "{printed}");
}

#[tokio::test]
async fn a_file_imported_as_it_was_exported_changes_nothing() {
    let w = world().await;
    for format in [Format::Xliff, Format::Xliff12] {
        let exported = w.export(format).await;
        let before = w.db.fingerprint().await;
        let report = import(&w, exported.as_bytes(), "chapter-4.xlf").await;
        assert!(report.changed.is_empty(), "{report}");
        assert!(report.conflicts.is_empty(), "{report}");
        assert_eq!(report.unchanged, 4);
        assert_eq!(w.db.fingerprint().await, before, "{format:?}");
    }
}

#[tokio::test]
async fn an_xliff_1_2_edited_by_hand_comes_back_with_footnote_references_exact() {
    let w = world().await;
    let exported = w.export(Format::Xliff12).await;
    let edition = w.chapter().await;
    // The first paragraph whose Thai has a footnote reference.
    let (n, segment) = edition.chapters[0]
        .segments
        .iter()
        .enumerate()
        .find(|(_, s)| s.thai.contains("[^") && s.draft.is_none())
        .expect("a paragraph with a reference");
    let id = segment.id.to_string();
    let reference = &segment.thai[segment.thai.find("[^").unwrap()..];
    let reference = &reference[..=reference.find(']').unwrap()];
    let number = &reference[2..reference.len() - 1];
    // The translator writes the English around the protected placeholder, and signs it off.
    let unit_start = exported.find(&format!("<trans-unit id=\"{id}\"")).unwrap();
    let source_end = unit_start + exported[unit_start..].find("</source>").unwrap() + 9;
    let edited = format!(
        "{}<target state=\"signed-off\">Translated, as the note says.<ph id=\"fn{number}\">{reference}</ph> And more.</target>{}",
        &exported[..source_end],
        &exported[source_end..]
    );
    let report = import(&w, edited.as_bytes(), "/home/somchai/ch4-1.2.xlf").await;
    assert_eq!(report.version, "1.2");
    assert_eq!(report.changed.len(), 1, "{report}");
    assert_eq!(
        report.changed[0].status,
        Status::Submitted,
        "signed-off submits"
    );
    let stored = w.stored(n).await;
    assert_eq!(
        stored.current_text.unwrap(),
        format!("Translated, as the note says.{reference} And more.")
    );
    // COMMENTED was not touched: its unit had no target.
    assert_eq!(w.stored(COMMENTED).await.status, "untranslated");
}

#[tokio::test]
async fn a_unit_whose_thai_changed_since_the_export_is_a_conflict_and_not_imported() {
    let w = world().await;
    let exported = w.export(Format::Xliff).await;
    let edition = w.chapter().await;
    let draft = &edition.chapters[0].segments[DRAFT];
    // The Thai as the file has it is no longer the segment's (as after a re-import).
    let start: String = draft.thai.chars().take(8).collect();
    let edited = exported
        .replacen(&format!("<source>{start}"), "<source>ข้อความอื่น", 1)
        .replacen(
            "...Everything changed...</target>",
            "...A different translation...</target>",
            1,
        );
    assert_ne!(edited, exported);
    let report = import(&w, edited.as_bytes(), "chapter-4.xlf").await;
    assert!(report.changed.is_empty(), "{report}");
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(report.conflicts[0].kind, ConflictKind::SourceChanged);
    assert_eq!(
        w.stored(DRAFT).await.current_text.as_deref(),
        Some("...Everything changed...")
    );
}
