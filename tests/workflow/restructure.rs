//! Source corrections, merges, splits and their undo, on the corpus's chapter 3.

use plae::db;
use plae::workflow::{self, Join, SplitPoint, Undone, Verdict, WorkflowError};
use uuid::Uuid;

use crate::{world, World};

/// A live segment of the chapter as the tests look at it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Row {
    id: Uuid,
    position: i32,
    source_th: String,
    source_version: i32,
    status: String,
    source_changed: bool,
}

async fn live(w: &World) -> Vec<Row> {
    sqlx::query_as(
        "SELECT id, position, source_th, source_version, status,
                source_changed_at IS NOT NULL AS source_changed
           FROM segments WHERE chapter_id = $1 AND retired_at IS NULL ORDER BY position",
    )
    .bind(w.chapter_id)
    .fetch_all(&w.db.pool)
    .await
    .unwrap()
}

async fn row(w: &World, id: Uuid) -> Row {
    sqlx::query_as(
        "SELECT id, position, source_th, source_version, status,
                source_changed_at IS NOT NULL AS source_changed
           FROM segments WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&w.db.pool)
    .await
    .unwrap()
}

async fn retired(w: &World, id: Uuid) -> bool {
    sqlx::query_scalar("SELECT retired_at IS NOT NULL FROM segments WHERE id = $1")
        .bind(id)
        .fetch_one(&w.db.pool)
        .await
        .unwrap()
}

/// Two live paragraphs next to each other, the first with a space in its Thai.
async fn adjacent_paragraphs(w: &World) -> (Uuid, Uuid) {
    let rows = live(w).await;
    let i = (1..rows.len() - 1)
        .find(|&i| {
            w.paragraphs.contains(&rows[i].id)
                && w.paragraphs.contains(&rows[i + 1].id)
                && rows[i].source_th.contains(' ')
        })
        .expect("two adjacent paragraphs in chapter 3");
    (rows[i].id, rows[i + 1].id)
}

fn ids(rows: &[Row]) -> Vec<Uuid> {
    rows.iter().map(|r| r.id).collect()
}

async fn revision_texts(w: &World, segment: Uuid) -> Vec<String> {
    let mut conn = w.conn().await;
    db::revisions::list_revisions(&mut conn, segment)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.text)
        .collect()
}

/// Saved, submitted and approved: the reviewer approves the translator's text.
async fn approved(w: &World, segment: Uuid, text: &str) -> Uuid {
    let revision = w.save(&w.translator, segment, text, None).await;
    let mut conn = w.conn().await;
    workflow::submit(&mut conn, &w.translator, segment, revision)
        .await
        .unwrap();
    workflow::review(
        &mut conn,
        &w.reviewer,
        segment,
        revision,
        Verdict::Approve,
        None,
    )
    .await
    .unwrap();
    revision
}

/// The point just after the first space of a text, in characters.
fn after_first_space(text: &str) -> usize {
    text.chars().position(|c| c == ' ').unwrap() + 1
}

#[tokio::test]
async fn a_correction_is_recorded_with_its_reason_and_flags_approved_english_for_review() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let revision = approved(&w, segment, "The approved English.").await;
    let before = row(&w, segment).await;
    let version = w.content_version().await;

    let mut conn = w.conn().await;
    let fixed = format!("{} แก้ไข\u{200B}", before.source_th);
    let done = workflow::correct_source(
        &mut conn,
        &w.reviewer,
        segment,
        &fixed,
        "OCR: a word lost",
        0,
    )
    .await
    .unwrap();

    assert!(done.flagged);
    let after = row(&w, segment).await;
    assert_eq!(
        after.source_th,
        format!("{} แก้ไข", before.source_th),
        "normalized"
    );
    assert_eq!(after.source_version, 1);
    assert_eq!(
        after.status, "submitted",
        "approved English goes back to review"
    );
    assert!(after.source_changed);
    let stored = w.segment(segment).await;
    assert_eq!(
        stored.approved_revision_id,
        Some(revision),
        "readers keep the approved text meanwhile"
    );
    let history = db::corrections::list_corrections(&mut conn, segment)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].before_th, before.source_th);
    assert_eq!(history[0].after_th, after.source_th);
    assert_eq!(history[0].reason, "OCR: a word lost");
    assert_eq!(history[0].corrector, "Anna");
    assert!(
        w.content_version().await > version,
        "the chapter page changes"
    );
}

#[tokio::test]
async fn an_untranslated_segment_is_corrected_without_a_flag() {
    let w = world().await;
    let segment = w.paragraphs[1];
    let thai = row(&w, segment).await.source_th;
    let mut conn = w.conn().await;
    let done = workflow::correct_source(&mut conn, &w.admin, segment, "ข้อความใหม่", "OCR", 0)
        .await
        .unwrap();
    assert!(!done.flagged);
    let after = row(&w, segment).await;
    assert_eq!(
        (after.status.as_str(), after.source_changed),
        ("untranslated", false)
    );
    assert_ne!(after.source_th, thai);
}

#[tokio::test]
async fn bad_corrections_are_refused_and_change_nothing() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let thai = row(&w, segment).await.source_th;
    let before = w.db.fingerprint().await;
    let mut conn = w.conn().await;
    let cases: [(&workflow::Actor, &str, &str, i32); 5] = [
        (&w.translator, "ใหม่", "OCR", 0),
        (&w.reviewer, " \u{200B} ", "OCR", 0),
        (&w.reviewer, "ใหม่", "  ", 0),
        (&w.reviewer, &thai, "OCR", 0),
        (&w.reviewer, "ใหม่", "OCR", 7),
    ];
    for (actor, text, reason, version) in cases {
        let result =
            workflow::correct_source(&mut conn, actor, segment, text, reason, version).await;
        match result {
            Err(WorkflowError::Forbidden(_)) => assert_eq!(actor.role, workflow::Role::Translator),
            Err(WorkflowError::Invalid(m)) => assert!(!m.is_empty()),
            Err(WorkflowError::Conflict(m)) => assert!(m.contains("reload"), "{m}"),
            other => panic!("{text:?}, {reason:?}, {version}: {other:?}"),
        }
    }
    assert_eq!(w.db.fingerprint().await, before);
}

#[tokio::test]
async fn a_merge_keeps_every_revision_and_comment_of_both_and_the_other_ids() {
    let w = world().await;
    let (a, b) = adjacent_paragraphs(&w).await;
    let (a_th, b_th) = (row(&w, a).await.source_th, row(&w, b).await.source_th);
    let a1 = w.save(&w.translator, a, "First half.", None).await;
    w.save(&w.other, a, "First half, edited.", Some(a1)).await;
    let b1 = w.save(&w.other, b, "Second half.", None).await;
    let mut conn = w.conn().await;
    workflow::submit(&mut conn, &w.other, b, b1).await.unwrap();
    workflow::review(
        &mut conn,
        &w.reviewer,
        b,
        b1,
        Verdict::RequestChanges,
        Some("Check the name."),
    )
    .await
    .unwrap();
    workflow::add_comment(&mut conn, &w.translator, a, None, "A question on A.")
        .await
        .unwrap();
    workflow::add_comment(&mut conn, &w.translator, b, None, "A note on B.")
        .await
        .unwrap();
    let before = live(&w).await;
    let b_revisions = revision_texts(&w, b).await;

    workflow::merge_with_next(&mut conn, &w.reviewer, a, b, (0, 0), Join::Space)
        .await
        .unwrap();

    let after = live(&w).await;
    let expected: Vec<Uuid> = ids(&before).into_iter().filter(|&id| id != b).collect();
    assert_eq!(
        ids(&after),
        expected,
        "every other segment keeps its id and order"
    );
    let merged = row(&w, a).await;
    assert_eq!(merged.source_th, format!("{a_th} {b_th}"));
    assert_eq!(merged.status, "draft");
    assert!(merged.source_changed);
    let stored = w.segment(a).await;
    assert_eq!(
        stored.current_text.as_deref(),
        Some("First half, edited. Second half.")
    );
    assert_eq!(stored.approved_revision_id, None);
    assert_eq!(
        revision_texts(&w, a).await,
        [
            "First half.",
            "First half, edited.",
            "First half, edited. Second half."
        ]
    );
    assert!(retired(&w, b).await);
    assert_eq!(
        revision_texts(&w, b).await,
        b_revisions,
        "B's history stays"
    );
    let b_comments = db::comments::list_comments(&mut conn, b).await.unwrap();
    let bodies: Vec<&str> = b_comments.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, ["Check the name.", "A note on B."]);
    assert_eq!(
        db::comments::list_comments(&mut conn, a)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        db::restructures::merged_into(&mut conn, a).await.unwrap(),
        [b],
        "A's pages reach B's history"
    );
}

#[tokio::test]
async fn undoing_a_merge_brings_both_segments_back_as_they_were() {
    let w = world().await;
    let (a, b) = adjacent_paragraphs(&w).await;
    let a_rev = approved(&w, a, "Approved A.").await;
    let b_rev = w.save(&w.translator, b, "Draft B.", None).await;
    let (a_before, b_before) = (row(&w, a).await, row(&w, b).await);
    let live_before = ids(&live(&w).await);
    let mut conn = w.conn().await;
    workflow::merge_with_next(&mut conn, &w.admin, a, b, (0, 0), Join::Nothing)
        .await
        .unwrap();
    assert_eq!(
        row(&w, a).await.source_th,
        format!("{}{}", a_before.source_th, b_before.source_th)
    );

    let undone = workflow::undo_last(&mut conn, &w.admin, a, 1)
        .await
        .unwrap();

    assert_eq!(undone, Undone::Merge);
    assert_eq!(ids(&live(&w).await), live_before);
    let a_after = row(&w, a).await;
    assert_eq!(a_after.source_th, a_before.source_th);
    assert_eq!(
        (a_after.status.as_str(), a_after.source_changed),
        ("approved", false)
    );
    let stored = w.segment(a).await;
    assert_eq!(stored.current_revision_id, Some(a_rev));
    assert_eq!(stored.approved_revision_id, Some(a_rev));
    assert_eq!(w.segment(b).await.current_revision_id, Some(b_rev));
    assert_eq!(row(&w, b).await.status, "draft");
    assert_eq!(
        revision_texts(&w, a).await,
        ["Approved A.", "Approved A. Draft B."],
        "the merged text stays in the history"
    );
    let again = workflow::undo_last(&mut conn, &w.admin, a, 2).await;
    assert!(matches!(again, Err(WorkflowError::Invalid(_))), "{again:?}");
}

#[tokio::test]
async fn a_split_keeps_the_history_with_the_first_part_and_flags_both() {
    let w = world().await;
    let (a, _) = adjacent_paragraphs(&w).await;
    let english = "The first sentence. The second sentence.";
    approved(&w, a, english).await;
    let thai = row(&w, a).await.source_th;
    let before = live(&w).await;
    let at = after_first_space(&thai);
    let point = SplitPoint {
        thai_at: at,
        english_at: Some(english.find("The second").unwrap()),
    };
    assert_eq!(
        &english[..point.english_at.unwrap()],
        "The first sentence. "
    );

    let mut conn = w.conn().await;
    let second = workflow::split(&mut conn, &w.reviewer, a, 0, point)
        .await
        .unwrap();

    let after = live(&w).await;
    let i = after.iter().position(|r| r.id == a).unwrap();
    assert_eq!(after[i + 1].id, second, "the new part follows the first");
    let mut expected = ids(&before);
    expected.insert(i + 1, second);
    assert_eq!(
        ids(&after),
        expected,
        "every other segment keeps its id and order"
    );
    let (first_th, second_th) = thai.split_at(thai.char_indices().nth(at).unwrap().0);
    assert_eq!(after[i].source_th, first_th.trim_end());
    assert_eq!(after[i + 1].source_th, second_th);
    for part in [a, second] {
        let r = row(&w, part).await;
        assert_eq!(r.status, "submitted", "{part}");
        assert!(r.source_changed, "{part}");
    }
    assert_eq!(
        revision_texts(&w, a).await,
        [english, "The first sentence."],
        "the first part keeps the history"
    );
    assert_eq!(revision_texts(&w, second).await, ["The second sentence."]);
    assert_eq!(w.segment(a).await.approved_revision_id, None);
}

#[tokio::test]
async fn undoing_a_split_puts_the_segment_back_and_retires_the_second_part() {
    let w = world().await;
    let (a, _) = adjacent_paragraphs(&w).await;
    let rev = approved(&w, a, "Kept whole.").await;
    let thai = row(&w, a).await.source_th;
    let live_before = ids(&live(&w).await);
    let mut conn = w.conn().await;
    let point = SplitPoint {
        thai_at: after_first_space(&thai),
        english_at: None,
    };
    let second = workflow::split(&mut conn, &w.reviewer, a, 0, point)
        .await
        .unwrap();
    assert_eq!(
        row(&w, a).await.status,
        "submitted",
        "English kept whole, flagged"
    );
    assert_eq!(row(&w, second).await.status, "untranslated");

    // From the second part's page, too.
    let undone = workflow::undo_last(&mut conn, &w.reviewer, second, 0)
        .await
        .unwrap();

    assert_eq!(undone, Undone::Split);
    assert_eq!(ids(&live(&w).await), live_before);
    let back = row(&w, a).await;
    assert_eq!(back.source_th, thai);
    assert_eq!(
        (back.status.as_str(), back.source_changed),
        ("approved", false)
    );
    assert_eq!(w.segment(a).await.approved_revision_id, Some(rev));
    assert!(retired(&w, second).await);
}

#[tokio::test]
async fn bad_merges_and_splits_are_refused_and_change_nothing() {
    let w = world().await;
    let (a, b) = adjacent_paragraphs(&w).await;
    let rows = live(&w).await;
    let thai = row(&w, a).await.source_th;
    let thai_len = thai.chars().count();
    let at_space = after_first_space(&thai);
    let last = rows.last().unwrap().id;
    let far = rows[rows.iter().position(|r| r.id == b).unwrap() + 1].id;
    let other_chapter: Uuid = sqlx::query_scalar(
        "SELECT id FROM segments WHERE chapter_id <> $1 ORDER BY position LIMIT 1",
    )
    .bind(w.chapter_id)
    .fetch_one(&w.db.pool)
    .await
    .unwrap();
    let before = w.db.fingerprint().await;
    let mut conn = w.conn().await;

    let merges = [
        (&w.translator, a, b, (0, 0), "only reviewers"),
        (&w.reviewer, a, far, (0, 0), "right after"),
        (&w.reviewer, a, other_chapter, (0, 0), "different chapters"),
        (&w.reviewer, last, a, (0, 0), "last segment"),
        (&w.reviewer, a, b, (1, 0), "reload"),
        (&w.reviewer, a, b, (0, 3), "reload"),
    ];
    for (actor, first, next, versions, says) in merges {
        let result =
            workflow::merge_with_next(&mut conn, actor, first, next, versions, Join::Space).await;
        let message = result.expect_err("refused").to_string();
        assert!(message.contains(says), "{says}: {message}");
    }
    let splits = [
        (0, None, "empty"),
        (thai_len, None, "empty"),
        (thai_len + 5, None, "only"),
        (at_space, Some(2), "no English"),
    ];
    for (thai_at, english_at, says) in splits {
        let point = SplitPoint {
            thai_at,
            english_at,
        };
        let result = workflow::split(&mut conn, &w.reviewer, a, 0, point).await;
        let message = result.expect_err("refused").to_string();
        assert!(message.contains(says), "{says}: {message}");
    }
    let stale = SplitPoint {
        thai_at: 3,
        english_at: None,
    };
    let result = workflow::split(&mut conn, &w.reviewer, a, 4, stale).await;
    assert!(
        matches!(result, Err(WorkflowError::Conflict(_))),
        "{result:?}"
    );
    let result = workflow::undo_last(&mut conn, &w.reviewer, a, 0).await;
    assert!(
        matches!(result, Err(WorkflowError::Invalid(_))),
        "{result:?}"
    );
    assert_eq!(w.db.fingerprint().await, before);
}

#[tokio::test]
async fn an_undo_that_would_hide_later_work_is_refused() {
    let w = world().await;
    let (a, b) = adjacent_paragraphs(&w).await;
    w.save(&w.translator, b, "B.", None).await;
    let mut conn = w.conn().await;
    workflow::merge_with_next(&mut conn, &w.reviewer, a, b, (0, 0), Join::Space)
        .await
        .unwrap();
    let merged = w.segment(a).await.current_revision_id;
    w.save(&w.translator, a, "B, improved after the merge.", merged)
        .await;
    let before = w.db.fingerprint().await;

    let result = workflow::undo_last(&mut conn, &w.reviewer, a, 1).await;

    assert!(
        matches!(result, Err(WorkflowError::Conflict(_))),
        "{result:?}"
    );
    assert_eq!(w.db.fingerprint().await, before);
}

#[tokio::test]
async fn a_merge_waits_for_a_save_in_progress_and_keeps_its_text() {
    let w = world().await;
    let (a, b) = adjacent_paragraphs(&w).await;
    // A translator's save, not committed yet: it holds the segment's row.
    let mut tx = w.db.pool.begin().await.unwrap();
    workflow::save_draft(&mut tx, &w.translator, a, "Saved meanwhile.", None)
        .await
        .unwrap();
    let (pool, reviewer) = (w.db.pool.clone(), w.reviewer);
    let merge = tokio::spawn(async move {
        let mut conn = pool.acquire().await.unwrap();
        workflow::merge_with_next(&mut conn, &reviewer, a, b, (0, 0), Join::Space).await
    });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!merge.is_finished(), "the merge waits for the save");

    tx.commit().await.unwrap();
    merge.await.unwrap().unwrap();

    let merged = w.segment(a).await;
    assert_eq!(merged.current_text.as_deref(), Some("Saved meanwhile."));
    assert_eq!(revision_texts(&w, a).await, ["Saved meanwhile."]);
    assert!(retired(&w, b).await);
}
