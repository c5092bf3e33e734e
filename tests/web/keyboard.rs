//! The workbench script's keys (`static/workbench.js`), pressed in a real browser: headless
//! Chromium driven over WebDriver, against the real server and database.

use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::common::{create_user, spawn_app, TestApp};
use crate::helpers::chapter_segments;
use crate::team::stored_revisions;
use crate::webdriver::{key, Browser};

async fn status(app: &TestApp, segment: Uuid) -> String {
    sqlx::query_scalar("SELECT status FROM segments WHERE id = $1")
        .bind(segment)
        .fetch_one(&app.db.pool)
        .await
        .expect("the segment")
}

/// Waits for a page's form post to reach the database.
async fn wait_for_revisions(app: &TestApp, segment: Uuid, count: usize) -> Vec<String> {
    let started = Instant::now();
    loop {
        let texts: Vec<String> = stored_revisions(app, segment)
            .await
            .into_iter()
            .map(|(_, text)| text)
            .collect();
        if texts.len() >= count {
            return texts;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{count} revisions expected, found {texts:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_workbench_keys_save_submit_and_move_between_segments() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "tara", "translator").await;
    let segments: Vec<Uuid> = chapter_segments(&app.db.pool, 3)
        .await
        .into_iter()
        .map(|s| s.id)
        .collect();
    let (first, second, third) = (segments[1], segments[2], segments[3]);
    let browser = Browser::start().await;

    browser.goto(&app.url("/sign-in")).await;
    browser
        .find("input[name=username]")
        .await
        .type_text("tara")
        .await;
    browser
        .find("input[name=password]")
        .await
        .type_text(&password)
        .await;
    browser.find("form button[type=submit]").await.click().await;
    browser.wait_for_url(|url| !url.contains("/sign-in")).await;

    // Ctrl+S saves the draft, and the page comes back with it (`?done=saved`).
    let page = app.url(&format!("/segments/{first}"));
    browser.goto(&page).await;
    let text = browser.find("textarea[name=text]").await;
    text.type_text("Saved with Ctrl+S.").await;
    browser.press(&[key::CONTROL, "s"]).await;
    let texts = wait_for_revisions(&app, first, 1).await;
    assert_eq!(texts, ["Saved with Ctrl+S."]);
    assert_eq!(status(&app, first).await, "draft");

    // Ctrl+Enter submits and opens the next untranslated segment.
    browser.wait_for_url(|url| url.starts_with(&page)).await;
    let text = browser.find("textarea[name=text]").await;
    text.clear().await;
    text.type_text("Submitted with Ctrl+Enter.").await;
    browser.press(&[key::CONTROL, key::ENTER]).await;
    let next = browser
        .wait_for_url(|url| url.contains(&second.to_string()))
        .await;
    assert!(
        next.contains(&format!("/segments/{second}?done=submitted")),
        "{next}"
    );
    let texts = wait_for_revisions(&app, first, 2).await;
    assert_eq!(texts[1], "Submitted with Ctrl+Enter.");
    assert_eq!(status(&app, first).await, "submitted");

    // Alt+Down and Alt+Up: the next and the previous segment.
    browser.press(&[key::ALT, key::ARROW_DOWN]).await;
    browser
        .wait_for_url(|url| url.ends_with(&format!("/segments/{third}")))
        .await;
    browser.press(&[key::ALT, key::ARROW_UP]).await;
    browser
        .wait_for_url(|url| url.ends_with(&format!("/segments/{second}")))
        .await;

    // Text typed and not saved is kept in the browser and offered back.
    let text = browser.find("textarea[name=text]").await;
    text.type_text("Typed, never saved.").await;
    tokio::time::sleep(Duration::from_millis(600)).await; // the script's 400 ms pause
    browser.goto(&app.url(&format!("/segments/{second}"))).await;
    browser.find(".restore-draft button").await.click().await;
    let restored = browser
        .script("return document.querySelector('textarea[name=text]').value")
        .await;
    assert_eq!(restored, "Typed, never saved.");
    assert!(stored_revisions(&app, second).await.is_empty());

    browser.quit().await;
    app.stop().await;
}
