//! Comment threads: replies, edits by their author only, resolve and reopen, counts.

use plae::db;
use plae::workflow::{self, WorkflowError};

use crate::world;

#[tokio::test]
async fn replies_join_the_thread_of_the_comment_they_answer() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let mut conn = w.conn().await;

    let first = workflow::add_comment(&mut conn, &w.reviewer, segment, None, "Is this 1917?")
        .await
        .unwrap();
    let reply = workflow::add_comment(&mut conn, &w.translator, segment, Some(first.id), "Yes.")
        .await
        .unwrap();
    let reply_to_reply =
        workflow::add_comment(&mut conn, &w.reviewer, segment, Some(reply.id), "Thanks!")
            .await
            .unwrap();
    let second = workflow::add_comment(&mut conn, &w.other, segment, None, "Another topic.")
        .await
        .unwrap();

    assert_eq!(reply.parent_id, Some(first.id));
    assert_eq!(
        reply_to_reply.parent_id,
        Some(first.id),
        "threads are one level deep"
    );
    let threads = workflow::threads(
        db::comments::list_comments(&mut conn, segment)
            .await
            .unwrap(),
    );
    assert_eq!(threads.len(), 2);
    assert_eq!(threads[0].first.id, first.id);
    assert_eq!(threads[0].replies.len(), 2);
    assert_eq!(threads[0].replies[0].author_name, "Somchai");
    assert_eq!(threads[1].first.id, second.id);
}

#[tokio::test]
async fn a_reply_must_answer_a_comment_of_the_same_segment() {
    let w = world().await;
    let mut conn = w.conn().await;
    let elsewhere = workflow::add_comment(&mut conn, &w.reviewer, w.paragraphs[1], None, "Here.")
        .await
        .unwrap();
    let result = workflow::add_comment(
        &mut conn,
        &w.translator,
        w.paragraphs[0],
        Some(elsewhere.id),
        "x",
    )
    .await;
    assert!(matches!(result, Err(WorkflowError::NotFound("comment"))));
    let empty = workflow::add_comment(&mut conn, &w.translator, w.paragraphs[0], None, " \n").await;
    assert!(matches!(empty, Err(WorkflowError::Invalid(_))));
    let long = "ก".repeat(10_001);
    let too_long =
        workflow::add_comment(&mut conn, &w.translator, w.paragraphs[0], None, &long).await;
    assert!(matches!(too_long, Err(WorkflowError::Invalid(_))));
}

#[tokio::test]
async fn only_its_author_edits_a_comment_and_the_earlier_body_is_kept() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let mut conn = w.conn().await;
    let comment = workflow::add_comment(&mut conn, &w.translator, segment, None, "Frist thought.")
        .await
        .unwrap();

    let refused = workflow::edit_comment(&mut conn, &w.admin, comment.id, "Vandalized.").await;
    assert!(
        matches!(refused, Err(WorkflowError::Forbidden(_))),
        "{refused:?}"
    );
    let edited = workflow::edit_comment(&mut conn, &w.translator, comment.id, "First thought.")
        .await
        .unwrap();

    assert_eq!(edited.body, "First thought.");
    assert!(edited.edited_at.is_some());
    let edits = db::comments::list_edits(&mut conn, comment.id)
        .await
        .unwrap();
    let earlier: Vec<_> = edits.iter().map(|e| e.previous_body.as_str()).collect();
    assert_eq!(earlier, ["Frist thought."]);
}

#[tokio::test]
async fn threads_are_resolved_and_reopened_and_counted_per_chapter() {
    let w = world().await;
    let (a, b) = (w.paragraphs[0], w.paragraphs[1]);
    let mut conn = w.conn().await;
    let on_a = workflow::add_comment(&mut conn, &w.reviewer, a, None, "Check the date.")
        .await
        .unwrap();
    let reply = workflow::add_comment(&mut conn, &w.translator, a, Some(on_a.id), "Done.")
        .await
        .unwrap();
    workflow::add_comment(&mut conn, &w.reviewer, a, None, "And the name.")
        .await
        .unwrap();
    workflow::add_comment(&mut conn, &w.reviewer, b, None, "Typo.")
        .await
        .unwrap();
    let counts = |rows: Vec<db::comments::OpenThreads>| {
        let mut rows: Vec<_> = rows
            .into_iter()
            .map(|r| (r.segment_id, r.open_threads))
            .collect();
        rows.sort();
        rows
    };
    let mut expected = vec![(a, 2), (b, 1)];
    expected.sort();
    let open = db::comments::open_thread_counts(&mut conn, w.chapter_id)
        .await
        .unwrap();
    assert_eq!(counts(open), expected, "threads are counted, not replies");

    let replying = workflow::resolve_comment(&mut conn, &w.translator, reply.id).await;
    assert!(
        matches!(replying, Err(WorkflowError::Invalid(_))),
        "a reply is not resolved"
    );
    let resolved = workflow::resolve_comment(&mut conn, &w.translator, on_a.id)
        .await
        .unwrap();
    assert_eq!(resolved.resolved_by, Some(w.translator.user_id));
    assert!(resolved.resolved_at.is_some());
    let open = db::comments::open_thread_counts(&mut conn, w.chapter_id)
        .await
        .unwrap();
    let mut expected = vec![(a, 1), (b, 1)];
    expected.sort();
    assert_eq!(counts(open), expected);

    let reopened = workflow::reopen_comment(&mut conn, &w.reviewer, on_a.id)
        .await
        .unwrap();
    assert!(reopened.resolved_at.is_none() && reopened.resolved_by.is_none());
    let open = db::comments::open_thread_counts(&mut conn, w.chapter_id)
        .await
        .unwrap();
    assert_eq!(counts(open).iter().map(|c| c.1).sum::<i64>(), 3);
    assert_eq!(
        w.event_kinds(a).await,
        [
            "commented",
            "commented",
            "commented",
            "comment_resolved",
            "comment_reopened"
        ]
    );
}

#[tokio::test]
async fn links_in_a_comment_are_found_for_display_and_nothing_else_is_markup() {
    let w = world().await;
    let mut conn = w.conn().await;
    let body = "See https://example.org/a. <b>not bold</b> javascript:alert(1)";
    let comment = workflow::add_comment(&mut conn, &w.reviewer, w.paragraphs[0], None, body)
        .await
        .unwrap();
    assert_eq!(comment.body, body, "stored as written");

    let parts = workflow::linkify(&comment.body);

    let links: Vec<_> = parts
        .iter()
        .filter_map(|p| match p {
            workflow::TextPart::Link { href, .. } => Some(href.as_str()),
            workflow::TextPart::Text { .. } => None,
        })
        .collect();
    assert_eq!(links, ["https://example.org/a"]);
}
