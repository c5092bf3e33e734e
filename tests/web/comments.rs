//! Comment threads on a segment's page: reply, edit one's own, resolve and reopen, and
//! how comment text is shown (links clickable, everything else as text).

use crate::browsing::{notice_of, person, read};
use crate::common::spawn_app;
use crate::drafting::{paragraphs, segment_path};
use crate::helpers::{chapter_path, href, select_in, text};

#[tokio::test]
async fn a_thread_is_started_answered_edited_resolved_and_reopened_on_the_segment_page() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let rene = person(&app, "rene", "reviewer").await;
    let id = paragraphs(&app, 4).await[0];
    let path = segment_path(id);

    let page = tara.get(&app, &path).await;
    let started = tara
        .submit_and_follow(
            &app,
            &page,
            "form.new-thread",
            &[("body", "Is “kolkhoz” kept in Russian?")],
        )
        .await;
    assert_eq!(notice_of(&started), "Comment added.");
    assert_eq!(text(started.one("#comments-title .count")), "1 open");

    let seen = rene.get(&app, &path).await;
    let replied = rene
        .submit_and_follow(
            &app,
            &seen,
            ".thread .reply-form form",
            &[("body", "Yes, in italics.")],
        )
        .await;
    let bodies: Vec<String> = replied
        .select(".thread .comment-body")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        bodies,
        ["Is “kolkhoz” kept in Russian?", "Yes, in italics."]
    );
    assert_eq!(replied.select(".thread .reply .comment").len(), 1);
    assert_eq!(
        replied.select(".edit-form").len(),
        1,
        "only one's own comments have an edit form"
    );

    let edited = rene
        .submit_and_follow(
            &app,
            &replied,
            ".reply .edit-form form",
            &[("body", "Yes, in italics, as everywhere.")],
        )
        .await;
    assert_eq!(notice_of(&edited), "Comment updated.");
    let reply = edited.one(".reply .comment");
    assert_eq!(
        text(select_in(reply, ".comment-body")[0]),
        "Yes, in italics, as everywhere."
    );
    assert_eq!(text(select_in(reply, ".edited")[0]), "(edited)");

    let taras_view = tara.get(&app, &path).await;
    let resolved = tara
        .submit_and_follow(&app, &taras_view, "form[action$='/resolve']", &[])
        .await;
    assert_eq!(notice_of(&resolved), "Thread resolved.");
    assert_eq!(resolved.select(".thread.resolved").len(), 1);
    assert_eq!(text(resolved.one("#comments-title .count")), "0 open");
    assert!(text(resolved.one(".resolved-by")).starts_with("Resolved by tara"));
    assert!(
        resolved.select(".thread .reply-form").is_empty(),
        "a resolved thread takes no replies"
    );
    let chapter = tara.get(&app, &chapter_path(4)).await;
    assert!(chapter
        .select(&format!("li[id='s-{id}'] .thread-count"))
        .is_empty());

    let reopened = tara
        .submit_and_follow(&app, &resolved, "form[action$='/reopen']", &[])
        .await;
    assert_eq!(notice_of(&reopened), "Thread reopened.");
    assert!(reopened.select(".thread.resolved").is_empty());
    let chapter = tara.get(&app, &chapter_path(4)).await;
    assert_eq!(
        text(chapter.one(&format!("li[id='s-{id}'] .thread-count"))),
        "1 open comment"
    );
    app.stop().await;
}

#[tokio::test]
async fn only_its_author_may_edit_a_comment_others_get_403() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let mali = person(&app, "mali", "translator").await;
    let id = paragraphs(&app, 4).await[1];
    let path = segment_path(id);
    let page = tara.get(&app, &path).await;
    let with_comment = tara
        .submit_and_follow(&app, &page, "form.new-thread", &[("body", "Tara's words.")])
        .await;
    let comment_id = with_comment
        .one(".comment")
        .value()
        .id()
        .unwrap()
        .trim_start_matches("c-")
        .to_string();

    let malis_view = mali.get(&app, &path).await;
    assert!(malis_view.select(".edit-form").is_empty());
    let csrf = crate::common::csrf_on_page(&mali.client, &app, &path).await;
    let response = mali
        .client
        .post(app.url(&format!("/comments/{comment_id}/edit")))
        .form(&[("csrf", csrf.as_str()), ("body", "Mali's words now.")])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 403);
    let refused = read(response).await;
    assert_eq!(
        notice_of(&refused),
        "Not allowed: only its author can edit a comment."
    );
    let now = tara.get(&app, &path).await;
    assert_eq!(text(now.one(".comment-body")), "Tara's words.");
    app.stop().await;
}

#[tokio::test]
async fn links_in_comments_are_clickable_but_javascript_urls_and_markup_stay_text() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let id = paragraphs(&app, 4).await[2];
    let path = segment_path(id);
    let body = "See https://th.wikipedia.org/wiki/สตาลิน, not javascript:alert(1) \
                <script>alert(2)</script><img src=x onerror=alert(3)>";
    let page = tara.get(&app, &path).await;

    let shown = tara
        .submit_and_follow(&app, &page, "form.new-thread", &[("body", body)])
        .await;

    let comment = shown.one(".comment-body");
    let links = select_in(comment, "a");
    assert_eq!(links.len(), 1);
    assert_eq!(href(links[0]), "https://th.wikipedia.org/wiki/สตาลิน");
    assert_eq!(text(links[0]), "https://th.wikipedia.org/wiki/สตาลิน");
    assert!(select_in(comment, "script, img").is_empty());
    assert!(shown.select("script:not([src^='/static/'])").is_empty());
    assert_eq!(text(comment), body);
    app.stop().await;
}

#[tokio::test]
async fn an_empty_comment_is_refused_with_the_reason_and_422() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let id = paragraphs(&app, 4).await[0];
    let page = tara.get(&app, &segment_path(id)).await;

    let response = tara
        .submit(&app, &page, "form.new-thread", &[("body", "  \n ")])
        .await;

    assert_eq!(response.status(), 422);
    assert_eq!(notice_of(&read(response).await), "The comment is empty.");
    app.stop().await;
}
