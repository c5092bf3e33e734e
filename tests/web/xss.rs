//! Markup typed by people (a translation, a comment, a review's reason, a display name) is
//! shown as text on every page that shows it: the chapter page, the segment page (for
//! readers and in the editor), the history, the conflict page, the review queue and the
//! activity feeds. Checked on the parsed page (no element, attribute or script came from the
//! payload, and the payload's text is there) and on the raw HTML.

use scraper::{Html, Selector};
use serde_json::json;

use crate::common::{browser, spawn_app, TestApp};
use crate::helpers::chapter_path;
use crate::team::{api_post, member, paragraphs, save};

/// Breaks out of an element, a text area and a quoted attribute, and opens elements.
const PAYLOAD: &str = r#"</textarea></p><script>alert(1)</script><img src=x onerror=alert(2)>" onmouseover="alert(3)' <b>bold</b> &amp;"#;

/// What the page must not contain (an element, an attribute or a script of the payload's),
/// and, if `shows_text`, the payload it must show as text.
fn check(page: &str, html: &str, shows_text: bool) {
    assert!(
        !html.contains("<script>alert"),
        "{page}: a script came through"
    );
    assert!(
        !html.contains("<img src=x"),
        "{page}: an element came through"
    );
    assert!(!html.contains("<b>bold"), "{page}: an element came through");
    let document = Html::parse_document(html);
    let all = Selector::parse("*").unwrap();
    for element in document.select(&all) {
        let element = element.value();
        for (name, value) in element.attrs() {
            assert!(
                !name.starts_with("on"),
                "{page}: an {name}={value:?} attribute"
            );
        }
        assert!(
            element.name() != "img" && element.name() != "b",
            "{page}: a <{}> element",
            element.name()
        );
    }
    for script in document.select(&Selector::parse("script").unwrap()) {
        let text: String = script.text().collect();
        assert!(!text.contains("alert"), "{page}: a script with the payload");
    }
    if shows_text {
        let text: String = document.root_element().text().collect();
        assert!(
            text.contains("<script>alert(1)</script>") || editor_holds_it(&document),
            "{page}: the payload is not shown as text"
        );
    }
}

/// The editor shows the English in a text area, whose value is its text.
fn editor_holds_it(document: &Html) -> bool {
    let textarea = Selector::parse("textarea").unwrap();
    document.select(&textarea).any(|t| {
        t.text()
            .collect::<String>()
            .contains("<script>alert(1)</script>")
    })
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert!(
        response.status().is_success(),
        "GET {path}: {}",
        response.status()
    );
    response.text().await.unwrap()
}

#[tokio::test]
async fn markup_typed_by_people_is_shown_as_text_on_every_page() {
    let app = spawn_app().await;
    let writer = member(&app, "writer", "translator").await;
    let reviewer = member(&app, "checker", "reviewer").await;
    // A display name is typed by people too: it shows in histories, queues and feeds.
    sqlx::query("UPDATE users SET display_name = $1 WHERE username = 'writer'")
        .bind(PAYLOAD)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let segments = paragraphs(&app, 3).await;
    let (queued, reviewed, conflicted) = (segments[0], segments[1], segments[2]);
    // In the review queue: the payload as the English, with a comment.
    save(&app, &writer.token, queued, PAYLOAD, None).await;
    let comment = json!({ "body": PAYLOAD });
    let commented = api_post(
        &app,
        Some(&writer.token),
        &format!("/api/segments/{queued}/comments"),
        comment,
    )
    .await;
    assert_eq!(commented.status, 201);
    api_post(
        &app,
        Some(&writer.token),
        &format!("/api/segments/{queued}/submit"),
        json!({}),
    )
    .await;
    // Reviewed: changes requested with the payload as the reason.
    save(&app, &writer.token, reviewed, PAYLOAD, None).await;
    api_post(
        &app,
        Some(&writer.token),
        &format!("/api/segments/{reviewed}/submit"),
        json!({}),
    )
    .await;
    let decision = json!({ "verdict": "request_changes", "comment": PAYLOAD });
    let decided = api_post(
        &app,
        Some(&reviewer.token),
        &format!("/api/segments/{reviewed}/review"),
        decision,
    )
    .await;
    assert_eq!(decided.status, 200, "{decided:?}");
    // A conflict over the payload.
    let base = save(&app, &writer.token, conflicted, "Base.", None)
        .await
        .id("revision");
    save(&app, &writer.token, conflicted, PAYLOAD, Some(base)).await;

    let anonymous = browser();
    let signed_in = &reviewer.browser.client;
    for (path, who, shows_text) in [
        (chapter_path(3), "anonymous", true),
        (chapter_path(3), "signed in", true),
        (format!("/segments/{queued}"), "anonymous", true),
        (format!("/segments/{queued}"), "signed in", true),
        (format!("/segments/{reviewed}"), "signed in", true),
        (format!("/segments/{queued}/history"), "signed in", true),
        ("/review".to_string(), "signed in", true),
        // The feeds show names, not texts: the display name.
        ("/activity".to_string(), "signed in", true),
        ("/users/writer/activity".to_string(), "signed in", true),
    ] {
        let client = if who == "anonymous" {
            &anonymous
        } else {
            signed_in
        };
        let html = page(client, &app, &path).await;
        check(&format!("{path} ({who})"), &html, shows_text);
    }
    // The conflict page: a save on a stale base shows both texts.
    let writer_browser = &writer.browser;
    let response = writer_browser
        .client
        .post(app.url(&format!("/segments/{conflicted}/save")))
        .form(&[
            ("csrf", writer_browser.csrf.as_str()),
            ("text", "Mine, later."),
            ("base", &base.to_string()),
        ])
        .send()
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    check("the conflict page", &html, true);
    app.stop().await;
}

#[test]
#[should_panic(expected = "a script came through")]
fn the_check_catches_markup_that_came_through() {
    check("a page", &format!("<p>{PAYLOAD}</p>"), true);
}

#[test]
fn the_check_passes_escaped_markup() {
    let escaped = PAYLOAD
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    check("a page", &format!("<p>{escaped}</p>"), true);
}
