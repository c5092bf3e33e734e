//! The activity feed: book-wide and per user, newest first, a page at a time.

use std::collections::HashSet;

use plae::db::{self, events::EventKind};
use plae::workflow::{self, Verdict};

use crate::world;

#[tokio::test]
async fn every_action_is_in_the_feed_with_who_where_and_when() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let mut conn = w.conn().await;
    let rev = w.save(&w.translator, segment, "Draft.", None).await;
    workflow::submit(&mut conn, &w.translator, segment, rev)
        .await
        .unwrap();
    workflow::review(
        &mut conn,
        &w.reviewer,
        segment,
        rev,
        Verdict::RequestChanges,
        Some("Why?"),
    )
    .await
    .unwrap();
    let comment = workflow::add_comment(&mut conn, &w.translator, segment, None, "Because.")
        .await
        .unwrap();
    workflow::edit_comment(&mut conn, &w.translator, comment.id, "Because!")
        .await
        .unwrap();

    let feed = db::events::recent_in_book(&mut conn, w.book_id, None, 50)
        .await
        .unwrap();

    let kinds: Vec<_> = feed.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "comment_edited",
            "commented",
            "changes_requested",
            "submitted",
            "saved"
        ],
        "newest first"
    );
    assert!(feed.iter().all(|e| EventKind::parse(&e.kind).is_some()));
    let review = &feed[2];
    assert_eq!(review.actor_name, "Anna");
    assert_eq!((review.chapter_number, review.segment_id), (3, segment));
    assert_eq!(review.revision_id, Some(rev));
    assert!(review.review_id.is_some() && review.comment_id.is_some());
    assert_eq!(feed[0].comment_id, Some(comment.id));
}

#[tokio::test]
async fn the_feed_pages_by_time_without_gaps_or_repeats() {
    let w = world().await;
    let mut conn = w.conn().await;
    for (i, segment) in w.paragraphs[..5].iter().enumerate() {
        let who = if i % 2 == 0 { &w.translator } else { &w.other };
        w.save(who, *segment, &format!("Text {i}."), None).await;
    }

    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = db::events::recent_in_book(&mut conn, w.book_id, before, 2)
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        before = Some(last.cursor());
        seen.extend(page.iter().map(|e| (e.created_at, e.id)));
    }

    assert_eq!(seen.len(), 5);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 5);
    assert!(
        seen.windows(2).all(|p| p[0] > p[1]),
        "strictly newest first"
    );

    let mine = db::events::recent_by_user(&mut conn, w.other.user_id, None, 50)
        .await
        .unwrap();
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|e| e.actor_id == w.other.user_id));
    let older = db::events::recent_by_user(&mut conn, w.other.user_id, Some(mine[0].cursor()), 50)
        .await
        .unwrap();
    assert_eq!(older.len(), 1);
    assert_eq!(older[0].id, mine[1].id);
}

#[tokio::test]
async fn a_conflicting_save_is_in_the_feed_as_such() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let base = w.save(&w.translator, segment, "Base.", None).await;
    w.save(&w.other, segment, "Theirs.", Some(base)).await;
    let mut conn = w.conn().await;
    workflow::save_draft(&mut conn, &w.translator, segment, "Mine.", Some(base))
        .await
        .unwrap();
    assert_eq!(
        w.event_kinds(segment).await,
        ["saved", "saved", "saved_in_conflict"]
    );
}
