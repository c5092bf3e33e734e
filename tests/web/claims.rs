//! Claims in the browser: a run from the chapter page, one segment from its page, who sees
//! what, and who may release whose.

use uuid::Uuid;

use crate::browsing::{notice_of, person, read, Person};
use crate::common::{spawn_app, TestApp};
use crate::drafting::{current_text, segment_path};
use crate::helpers::{chapter_path, chapter_segments, select_in, text, Page};

/// The claim line of each row, by segment id ("" when unclaimed).
fn claim_of(page: &Page, id: Uuid) -> String {
    let row = page.one(&format!("li[id='s-{id}']"));
    select_in(row, ".claim")
        .first()
        .map(|c| text(*c))
        .unwrap_or_default()
}

async fn claimed_by(app: &TestApp, id: Uuid) -> Option<String> {
    sqlx::query_scalar(
        "SELECT u.username FROM claims k JOIN users u ON u.id = k.user_id WHERE k.segment_id = $1",
    )
    .bind(id)
    .fetch_optional(&app.db.pool)
    .await
    .unwrap()
}

async fn claim_run(app: &TestApp, who: &Person, from: &str, to: &str, action: &str) -> Page {
    let chapter = who.get(app, &chapter_path(4)).await;
    who.submit_and_follow(
        app,
        &chapter,
        "form#claims",
        &[("from", from), ("to", to), ("action", action)],
    )
    .await
}

#[tokio::test]
async fn a_run_claimed_from_the_chapter_page_shows_its_holder_to_everyone_signed_in() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let mali = person(&app, "mali", "translator").await;
    let segments = chapter_segments(&app.db.pool, 4).await;

    let after = claim_run(&app, &tara, "3", "6", "claim").await;

    assert_eq!(notice_of(&after), "Claimed 4 segments.");
    let seen_by_mali = mali.get(&app, &chapter_path(4)).await;
    for (i, segment) in segments.iter().enumerate().take(8) {
        let claim = claim_of(&seen_by_mali, segment.id);
        match i {
            2..=5 => assert!(
                claim.starts_with("Claimed by tara until "),
                "row {i}: {claim}"
            ),
            _ => assert_eq!(claim, "", "row {i}"),
        }
        let expected = (2..=5).contains(&i).then(|| "tara".to_string());
        assert_eq!(claimed_by(&app, segment.id).await, expected);
    }
    let time = seen_by_mali.one(&format!("li[id='s-{}'] .claim time", segments[2].id));
    assert!(time.value().attr("datetime").unwrap().ends_with('Z'));
    let anonymous = crate::helpers::get_page(&app, &chapter_path(4)).await;
    assert!(
        anonymous.select(".claim").is_empty(),
        "readers see no claims"
    );
    app.stop().await;
}

#[tokio::test]
async fn ticked_rows_are_claimed_and_those_held_by_others_are_left_alone() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let mali = person(&app, "mali", "translator").await;
    let segments = chapter_segments(&app.db.pool, 4).await;
    claim_run(&app, &mali, "2", "2", "claim").await;
    let chapter = tara.get(&app, &chapter_path(4)).await;
    let (a, b) = (segments[1].id.to_string(), segments[9].id.to_string());
    let after = tara
        .submit_and_follow(
            &app,
            &chapter,
            "form#claims",
            &[("segment", &a), ("segment", &b), ("action", "claim")],
        )
        .await;

    assert_eq!(
        notice_of(&after),
        "Claimed 1 segment. 1 segment held by someone else was left alone."
    );
    assert_eq!(
        claimed_by(&app, segments[1].id).await.as_deref(),
        Some("mali")
    );
    assert_eq!(
        claimed_by(&app, segments[9].id).await.as_deref(),
        Some("tara")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_claim_is_released_by_its_holder_or_a_reviewer_but_not_by_another_translator() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let mali = person(&app, "mali", "translator").await;
    let rene = person(&app, "rene", "reviewer").await;
    let segments = chapter_segments(&app.db.pool, 4).await;
    claim_run(&app, &tara, "1", "4", "claim").await;

    // Mali may not release Tara's claims: 403 with the reason, and nothing released.
    let chapter = mali.get(&app, &chapter_path(4)).await;
    let refused = mali
        .submit(
            &app,
            &chapter,
            "form#claims",
            &[("from", "1"), ("to", "2"), ("action", "release")],
        )
        .await;
    assert_eq!(refused.status(), 403);
    let page = read(refused).await;
    assert!(
        text(page.one("main")).contains("only its holder, a reviewer or an admin"),
        "{}",
        text(page.one("main"))
    );
    assert_eq!(
        claimed_by(&app, segments[0].id).await.as_deref(),
        Some("tara")
    );
    let segment_page = mali.get(&app, &segment_path(segments[0].id)).await;
    assert!(segment_page.select("form[action$='/release']").is_empty());
    let direct = mali
        .client
        .post(app.url(&format!("{}/release", segment_path(segments[0].id))))
        .form(&[(
            "csrf",
            crate::common::csrf_on_page(&mali.client, &app, "/")
                .await
                .as_str(),
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), 403);

    // The holder releases one from its page.
    let own = tara.get(&app, &segment_path(segments[0].id)).await;
    let released = tara
        .submit_and_follow(&app, &own, "form[action$='/release']", &[])
        .await;
    assert_eq!(notice_of(&released), "Released 1 claim.");
    assert_eq!(claimed_by(&app, segments[0].id).await, None);

    // A reviewer releases the rest from the chapter page.
    let after = claim_run(&app, &rene, "2", "4", "release").await;
    assert_eq!(notice_of(&after), "Released 3 claims.");
    for segment in &segments[..4] {
        assert_eq!(claimed_by(&app, segment.id).await, None);
    }
    app.stop().await;
}

#[tokio::test]
async fn a_claim_warns_others_but_does_not_stop_them_saving() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let mali = person(&app, "mali", "translator").await;
    let id = chapter_segments(&app.db.pool, 4).await[2].id;
    let page = tara.get(&app, &segment_path(id)).await;
    let claimed = tara
        .submit_and_follow(&app, &page, "form[action$='/claim']", &[])
        .await;
    assert!(text(claimed.one(".claim-line")).starts_with("You claimed this segment until"));

    let editor = mali.get(&app, &segment_path(id)).await;
    let warning = text(editor.one(".claim-line"));
    assert!(warning.starts_with("Claimed by tara until"), "{warning}");
    assert!(warning.contains("a claim warns, it does not lock"));
    mali.submit_and_follow(&app, &editor, "form.editor", &[("text", "Mali's text.")])
        .await;

    assert_eq!(
        current_text(&app, id).await.as_deref(),
        Some("Mali's text.")
    );
    assert_eq!(claimed_by(&app, id).await.as_deref(), Some("tara"));
    app.stop().await;
}
