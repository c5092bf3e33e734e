//! Submitting, approving and requesting changes; the review queue.

use plae::db;
use plae::workflow::{self, Status, Verdict, WorkflowError};

use crate::world;

#[tokio::test]
async fn a_paragraph_goes_from_draft_through_requested_changes_to_approved() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let mut conn = w.conn().await;

    let first = w.save(&w.translator, segment, "A first try.", None).await;
    assert_eq!(w.segment(segment).await.status, "draft");
    let status = workflow::submit(&mut conn, &w.translator, segment, first)
        .await
        .unwrap();
    assert_eq!(status, Status::Submitted);

    let asked = workflow::review(
        &mut conn,
        &w.reviewer,
        segment,
        first,
        Verdict::RequestChanges,
        Some("Translate the title of the newspaper too."),
    )
    .await
    .unwrap();
    assert_eq!(asked.status, Status::ChangesRequested);
    assert_eq!(w.segment(segment).await.status, "changes_requested");
    let thread = db::comments::list_comments(&mut conn, segment)
        .await
        .unwrap();
    assert_eq!(thread.len(), 1, "the reviewer's comment opens a thread");
    assert_eq!(thread[0].body, "Translate the title of the newspaper too.");
    assert_eq!(thread[0].review_id, Some(asked.review.id));
    assert_eq!(
        thread[0].review_verdict.as_deref(),
        Some("changes_requested")
    );

    let second = w
        .save(
            &w.translator,
            segment,
            "A second try (Pravda).",
            Some(first),
        )
        .await;
    assert_eq!(w.segment(segment).await.status, "draft");
    workflow::submit(&mut conn, &w.translator, segment, second)
        .await
        .unwrap();
    let approved = workflow::review(
        &mut conn,
        &w.reviewer,
        segment,
        second,
        Verdict::Approve,
        None,
    )
    .await
    .unwrap();

    assert_eq!(approved.status, Status::Approved);
    let stored = w.segment(segment).await;
    assert_eq!(stored.status, "approved");
    assert_eq!(stored.approved_revision_id, Some(second));
    let decisions = db::reviews::list_reviews(&mut conn, segment).await.unwrap();
    let recorded: Vec<_> = decisions
        .iter()
        .map(|d| {
            (
                d.verdict.as_str(),
                d.revision_id,
                d.reviewer_id,
                d.comment.is_some(),
            )
        })
        .collect();
    assert_eq!(
        recorded,
        [
            ("approved", second, w.reviewer.user_id, false),
            ("changes_requested", first, w.reviewer.user_id, true),
        ]
    );
    assert_eq!(
        w.event_kinds(segment).await,
        [
            "saved",
            "submitted",
            "changes_requested",
            "saved",
            "submitted",
            "approved"
        ]
    );
}

#[tokio::test]
async fn editing_approved_text_submits_a_new_revision_and_keeps_the_approved_one_shown() {
    let w = world().await;
    let segment = w.paragraphs[1];
    let mut conn = w.conn().await;
    let approved = w.save(&w.translator, segment, "Approved text.", None).await;
    workflow::submit(&mut conn, &w.translator, segment, approved)
        .await
        .unwrap();
    workflow::review(
        &mut conn,
        &w.reviewer,
        segment,
        approved,
        Verdict::Approve,
        None,
    )
    .await
    .unwrap();

    let edit = w
        .save(&w.other, segment, "Improved text.", Some(approved))
        .await;

    let stored = w.segment(segment).await;
    assert_eq!(
        stored.status, "submitted",
        "an edit of approved text is submitted"
    );
    assert_eq!(stored.current_revision_id, Some(edit));
    assert_eq!(stored.approved_text.as_deref(), Some("Approved text."));
    let queue = db::reviews::review_queue(&mut conn, w.book_id, None, 50, 0)
        .await
        .unwrap();
    let item = queue.iter().find(|q| q.segment_id == segment).unwrap();
    assert_eq!(item.submitted_text, "Improved text.");
    assert_eq!(item.approved_text.as_deref(), Some("Approved text."));
    assert_eq!(item.submitter_id, w.other.user_id);

    // Changes requested on the edit: the approved text still stands.
    workflow::review(
        &mut conn,
        &w.reviewer,
        segment,
        edit,
        Verdict::RequestChanges,
        Some("No."),
    )
    .await
    .unwrap();
    let stored = w.segment(segment).await;
    assert_eq!(stored.status, "changes_requested");
    assert_eq!(stored.approved_revision_id, Some(approved));
}

#[tokio::test]
async fn a_reviewer_cannot_approve_their_own_revision_unless_the_setting_allows_it() {
    let w = world().await;
    let segment = w.paragraphs[2];
    let mut conn = w.conn().await;
    let own = w
        .save(&w.reviewer, segment, "The reviewer's own text.", None)
        .await;
    workflow::submit(&mut conn, &w.reviewer, segment, own)
        .await
        .unwrap();

    let refused =
        workflow::review(&mut conn, &w.reviewer, segment, own, Verdict::Approve, None).await;
    assert!(
        matches!(refused, Err(WorkflowError::Forbidden(_))),
        "{refused:?}"
    );
    assert_eq!(w.segment(segment).await.status, "submitted");

    w.set_allow_self_approval(true).await;
    let approved = workflow::review(&mut conn, &w.reviewer, segment, own, Verdict::Approve, None)
        .await
        .unwrap();
    assert_eq!(approved.status, Status::Approved);
}

#[tokio::test]
async fn only_reviewers_review_and_only_with_a_reason_for_changes() {
    let w = world().await;
    let segment = w.paragraphs[3];
    let mut conn = w.conn().await;
    let rev = w.save(&w.translator, segment, "Text.", None).await;

    let early =
        workflow::review(&mut conn, &w.reviewer, segment, rev, Verdict::Approve, None).await;
    assert!(
        matches!(early, Err(WorkflowError::Invalid(_))),
        "a draft is not reviewed"
    );
    workflow::submit(&mut conn, &w.translator, segment, rev)
        .await
        .unwrap();
    let again = workflow::submit(&mut conn, &w.translator, segment, rev).await;
    assert!(
        matches!(again, Err(WorkflowError::Invalid(_))),
        "already submitted"
    );

    let by_translator =
        workflow::review(&mut conn, &w.other, segment, rev, Verdict::Approve, None).await;
    assert!(matches!(by_translator, Err(WorkflowError::Forbidden(_))));
    let silent = workflow::review(
        &mut conn,
        &w.admin,
        segment,
        rev,
        Verdict::RequestChanges,
        Some("  "),
    )
    .await;
    assert!(matches!(silent, Err(WorkflowError::Invalid(_))));
    assert!(db::reviews::list_reviews(&mut conn, segment)
        .await
        .unwrap()
        .is_empty());

    let nothing = w.paragraphs[4];
    let missing = workflow::submit(&mut conn, &w.translator, nothing, rev).await;
    assert!(
        matches!(missing, Err(WorkflowError::Invalid(_))),
        "{missing:?}"
    );
}

#[tokio::test]
async fn a_decision_about_a_revision_that_is_no_longer_current_is_a_conflict() {
    let w = world().await;
    let segment = w.paragraphs[5];
    let mut conn = w.conn().await;
    let seen = w
        .save(&w.translator, segment, "What the reviewer saw.", None)
        .await;
    workflow::submit(&mut conn, &w.translator, segment, seen)
        .await
        .unwrap();
    w.save(&w.translator, segment, "Changed while waiting.", Some(seen))
        .await;

    let stale = workflow::review(
        &mut conn,
        &w.reviewer,
        segment,
        seen,
        Verdict::Approve,
        None,
    )
    .await;

    assert!(
        matches!(stale, Err(WorkflowError::Conflict(_))),
        "{stale:?}"
    );
    assert_eq!(w.segment(segment).await.status, "submitted");
}

#[tokio::test]
async fn the_review_queue_lists_submissions_oldest_first_and_by_chapter() {
    let w = world().await;
    let mut conn = w.conn().await;
    let (a, b, c) = (w.paragraphs[6], w.paragraphs[7], w.paragraphs[8]);
    for (segment, text) in [(b, "Submitted first."), (a, "Submitted second.")] {
        let rev = w.save(&w.translator, segment, text, None).await;
        workflow::submit(&mut conn, &w.translator, segment, rev)
            .await
            .unwrap();
    }
    w.save(&w.translator, c, "Only a draft.", None).await;

    let queue = db::reviews::review_queue(&mut conn, w.book_id, None, 50, 0)
        .await
        .unwrap();

    let order: Vec<_> = queue.iter().map(|q| q.segment_id).collect();
    assert_eq!(order, [b, a]);
    let first = &queue[0];
    assert_eq!(first.chapter_number, 3);
    assert_eq!(first.submitted_text, "Submitted first.");
    assert_eq!(first.submitter_name, "Somchai");
    assert_eq!(first.author_name.as_deref(), Some("Somchai"));
    assert!(!first.thai_excerpt.is_empty());
    assert!(first.thai_excerpt.chars().count() <= db::reviews::EXCERPT_CHARS as usize + 3);
    let source: String = sqlx::query_scalar("SELECT source_th FROM segments WHERE id = $1")
        .bind(b)
        .fetch_one(&w.db.pool)
        .await
        .unwrap();
    assert!(source.starts_with(&first.thai_excerpt));
    let after = source[first.thai_excerpt.len()..].chars().next();
    let is_mark =
        |c: char| matches!(c, '\u{0E31}' | '\u{0E33}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}');
    assert!(
        !after.is_some_and(is_mark),
        "no mark is cut from its letter"
    );
    assert_eq!(first.thai_truncated, source.chars().count() > 160);
    let other_chapter = db::reviews::review_queue(&mut conn, w.book_id, Some(4), 50, 0)
        .await
        .unwrap();
    assert!(other_chapter.is_empty());
    let this_chapter = db::reviews::review_queue(&mut conn, w.book_id, Some(3), 1, 1)
        .await
        .unwrap();
    assert_eq!(this_chapter.len(), 1);
    assert_eq!(this_chapter[0].segment_id, a);
}
