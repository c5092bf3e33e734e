//! Reviewing in the browser: the queue, deciding from it, and the workflow's refusals.

use crate::browsing::{location, notice_of, person, read};
use crate::common::spawn_app;
use crate::drafting::{paragraphs, save, segment_path, status_of};
use crate::helpers::{href, select_in, text};

#[tokio::test]
async fn the_queue_lists_submitted_segments_oldest_first_and_filters_by_chapter() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let rene = person(&app, "rene", "reviewer").await;
    let (three, four) = (paragraphs(&app, 3).await, paragraphs(&app, 4).await);
    save(
        &app,
        &tara,
        four[2],
        "Fourth chapter, submitted first.",
        "submit",
    )
    .await;
    save(
        &app,
        &tara,
        three[1],
        "Third chapter, submitted second.",
        "submit",
    )
    .await;
    save(
        &app,
        &tara,
        four[0],
        "Fourth chapter, submitted third.",
        "submit",
    )
    .await;
    save(&app, &tara, four[1], "Only a draft.", "save").await;

    let queue = rene.get(&app, "/review").await;

    assert_eq!(queue.status, 200);
    let items = queue.select(".queue-item");
    let texts: Vec<String> = items
        .iter()
        .map(|item| text(select_in(*item, ".submitted")[0]))
        .collect();
    assert_eq!(
        texts,
        [
            "Fourth chapter, submitted first.",
            "Third chapter, submitted second.",
            "Fourth chapter, submitted third."
        ]
    );
    let first = items[0];
    assert_eq!(
        href(select_in(first, ".queue-facts a")[0]),
        segment_path(four[2])
    );
    assert!(text(select_in(first, ".queue-facts")[0]).contains("submitted by tara"));
    assert!(!text(select_in(first, r#"[lang="th"]"#)[0]).is_empty());
    assert_eq!(select_in(first, "form.approve").len(), 1);
    assert_eq!(select_in(first, "form.request-changes").len(), 1);

    let chapter_three = rene.get(&app, "/review?chapter=3").await;
    let texts: Vec<String> = chapter_three
        .select(".queue-item .submitted")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(texts, ["Third chapter, submitted second."]);
    assert_eq!(
        chapter_three
            .one("select[name=chapter] option[selected]")
            .value()
            .attr("value"),
        Some("3")
    );
    app.stop().await;
}

#[tokio::test]
async fn translators_get_403_from_the_queue_and_no_review_forms_or_links() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let id = paragraphs(&app, 4).await[0];
    save(&app, &tara, id, "Waiting for review.", "submit").await;

    let queue = tara.get(&app, "/review").await;
    assert_eq!(queue.status, 403);
    let own = tara.get(&app, &segment_path(id)).await;
    assert!(own.select("form[action$='/review']").is_empty());
    let chapter = tara.get(&app, &crate::helpers::chapter_path(4)).await;
    assert!(chapter.select("a.review-link").is_empty());
    assert!(chapter.select(".site-nav a[href='/review']").is_empty());
    let revision = sqlx::query_scalar::<_, uuid::Uuid>(
        "SELECT current_revision_id FROM segments WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let csrf = crate::common::csrf_on_page(&tara.client, &app, "/").await;
    let forged = tara
        .client
        .post(app.url(&format!("{}/review", segment_path(id))))
        .form(&[
            ("csrf", csrf.as_str()),
            ("revision", &revision.to_string()),
            ("verdict", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let anonymous = app.client.get(app.url("/review")).send().await.unwrap();
    assert_eq!(anonymous.status(), 303, "sent to sign in");
    app.stop().await;
}

#[tokio::test]
async fn reviewers_see_review_links_and_decide_from_the_queue() {
    let app = spawn_app().await;
    // Approves placeholder English: the checks are tested in web/checks.rs.
    crate::common::approve_despite_checks(&app.db.pool).await;
    let tara = person(&app, "tara", "translator").await;
    let rene = person(&app, "rene", "reviewer").await;
    let (first, second) = (paragraphs(&app, 4).await[0], paragraphs(&app, 4).await[1]);
    save(&app, &tara, first, "Approve me.", "submit").await;
    save(&app, &tara, second, "Change me.", "submit").await;
    let chapter = rene.get(&app, &crate::helpers::chapter_path(4)).await;
    assert_eq!(chapter.select("a.review-link").len(), 2);

    let queue = rene.get(&app, "/review?chapter=4").await;
    let approved = rene
        .submit(
            &app,
            &queue,
            &format!("#q-{first} form.approve"),
            &[("verdict", "approve")],
        )
        .await;
    assert_eq!(location(&approved), "/review?chapter=4&done=approved");
    let queue = rene.get(&app, &location(&approved)).await;
    assert_eq!(notice_of(&queue), "Approved.");
    assert_eq!(queue.select(".queue-item").len(), 1);

    let silent = rene
        .submit(
            &app,
            &queue,
            &format!("#q-{second} form.request-changes"),
            &[("verdict", "request_changes"), ("comment", " ")],
        )
        .await;
    assert_eq!(silent.status(), 422);
    let again = read(silent).await;
    assert_eq!(
        notice_of(&again),
        "Say what should change: requesting changes needs a comment."
    );
    let changed = rene
        .submit_and_follow(
            &app,
            &again,
            &format!("#q-{second} form.request-changes"),
            &[
                ("verdict", "request_changes"),
                ("comment", "Shorter, please."),
            ],
        )
        .await;
    assert!(changed.select(".queue-item").is_empty());
    let page = tara.get(&app, &segment_path(second)).await;
    assert_eq!(status_of(&page), "Changes requested");
    assert_eq!(text(page.one(".comment-body")), "Shorter, please.");
    app.stop().await;
}

#[tokio::test]
async fn a_reviewer_cannot_approve_their_own_revision_and_is_told_why() {
    let app = spawn_app().await;
    // Approves placeholder English: the checks are tested in web/checks.rs.
    crate::common::approve_despite_checks(&app.db.pool).await;
    let rene = person(&app, "rene", "reviewer").await;
    let id = paragraphs(&app, 4).await[0];
    let submitted = save(&app, &rene, id, "My own work.", "submit").await;
    assert!(text(submitted.one("#review")).contains("You wrote this revision"));

    let response = rene
        .submit(&app, &submitted, "form.approve", &[("verdict", "approve")])
        .await;

    assert_eq!(response.status(), 403);
    let page = read(response).await;
    assert_eq!(
        notice_of(&page),
        "Not allowed: you wrote this revision: another reviewer must approve it."
    );
    assert_eq!(status_of(&page), "Submitted");
    app.stop().await;
}
