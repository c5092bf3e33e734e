//! Bodies the server will not take (too large: 413; not UTF-8: 400), and a disabled user's
//! way in closing on the very next request, whether a session or an API token.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::spawn_app;
use crate::csrf::database_digest;
use crate::team::{api_get, paragraphs, save, stored_revisions, team, Answer};

/// Over the forms' limit (1 MiB) and the JSON API's (512 KiB).
const FORM_TOO_LARGE: usize = 1100 * 1024;
const JSON_TOO_LARGE: usize = 600 * 1024;

#[tokio::test]
async fn an_oversized_form_is_a_413_and_changes_nothing() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[0];
    let tara = &team.translator.browser;
    let before = database_digest(&app.db.pool).await;

    let response = tara
        .client
        .post(app.url(&format!("/segments/{paragraph}/save")))
        .form(&[
            ("csrf", tara.csrf.as_str()),
            ("text", &"a".repeat(FORM_TOO_LARGE)),
            ("base", ""),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(database_digest(&app.db.pool).await, before);
    app.stop().await;
}

#[tokio::test]
async fn an_oversized_json_body_is_a_413_in_json_and_changes_nothing() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[0];
    let before = database_digest(&app.db.pool).await;

    let answer = save(
        &app,
        &team.translator.token,
        paragraph,
        &"a".repeat(JSON_TOO_LARGE),
        None,
    )
    .await;

    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer.error().contains("limit"), "{answer:?}");
    assert_eq!(database_digest(&app.db.pool).await, before);
    app.stop().await;
}

/// A form holds the longest text allowed in English and in Thai (450 KB percent-encoded);
/// JSON holds it in Thai, even written as `\u` escapes.
#[tokio::test]
async fn the_longest_translation_allowed_fits_in_a_form_and_in_json() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraphs = paragraphs(&app, 3).await;
    let longest = "Word, ".repeat(plae::workflow::MAX_TEXT_CHARS / 6);
    let tara = &team.translator.browser;

    let form = tara
        .client
        .post(app.url(&format!("/segments/{}/save", paragraphs[0])))
        .form(&[
            ("csrf", tara.csrf.as_str()),
            ("text", &longest),
            ("base", ""),
        ])
        .send()
        .await
        .unwrap();
    let thai = "ก".repeat(plae::workflow::MAX_TEXT_CHARS);
    let thai_form = tara
        .client
        .post(app.url(&format!("/segments/{}/save", paragraphs[4])))
        .form(&[("csrf", tara.csrf.as_str()), ("text", &thai), ("base", "")])
        .send()
        .await
        .unwrap();
    let api = save(&app, &team.translator.token, paragraphs[1], &thai, None).await;

    assert_eq!(form.status(), StatusCode::SEE_OTHER);
    assert_eq!(thai_form.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored_revisions(&app, paragraphs[4]).await[0].1, thai);
    assert_eq!(api.status, StatusCode::CREATED);
    assert_eq!(stored_revisions(&app, paragraphs[1]).await[0].1, thai);
    // The same Thai written as `\u` escapes, as some JSON encoders do: 300 KB.
    let escaped = format!(
        r#"{{"text": "{}"}}"#,
        "\\u0e02".repeat(plae::workflow::MAX_TEXT_CHARS)
    );
    let response = app
        .client
        .post(app.url(&format!("/api/segments/{}/revisions", paragraphs[2])))
        .bearer_auth(&team.translator.token)
        .header("content-type", "application/json")
        .body(escaped)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    // Longer than a text may be, but under the body limit: the text's limit answers.
    let too_long = save(
        &app,
        &team.translator.token,
        paragraphs[3],
        &"a".repeat(300 * 1024),
        None,
    )
    .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.error().contains("50000"), "{too_long:?}");
    app.stop().await;
}

#[tokio::test]
async fn a_form_that_is_not_utf8_is_a_400_and_changes_nothing() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[0];
    let tara = &team.translator.browser;
    let before = database_digest(&app.db.pool).await;
    let values: [(&str, &[u8]); 3] = [
        ("a percent-encoded bad byte", b"%FF%FEabc"),
        ("a raw bad byte", b"abc\xff"),
        ("half a Thai letter", b"%E0%B8"),
    ];

    for (what, value) in values {
        for (path, field) in [("save", "text"), ("comments", "body")] {
            let mut body = format!("csrf={}&base=&{field}=", tara.csrf).into_bytes();
            body.extend_from_slice(value);
            let response = tara
                .client
                .post(app.url(&format!("/segments/{paragraph}/{path}")))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}: {what}");
        }
    }
    assert_eq!(database_digest(&app.db.pool).await, before);
    app.stop().await;
}

#[tokio::test]
async fn json_that_is_not_utf8_is_a_400_and_changes_nothing() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[0];
    let before = database_digest(&app.db.pool).await;

    for (path, body) in [
        ("revisions", b"{\"text\": \"abc\xff\"}".to_vec()),
        ("comments", b"{\"body\": \"\xe0\xb8\"}".to_vec()),
    ] {
        let response = app
            .client
            .post(app.url(&format!("/api/segments/{paragraph}/{path}")))
            .bearer_auth(&team.translator.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let answer = Answer::from(response).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path}: {answer:?}");
        assert!(!answer.error().is_empty());
    }
    assert_eq!(database_digest(&app.db.pool).await, before);
    app.stop().await;
}

#[tokio::test]
async fn a_disabled_users_session_and_api_token_stop_working_at_once() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[0];
    let tara = &team.translator;
    let password_page = || tara.browser.client.get(app.url("/account/password")).send();
    assert_eq!(password_page().await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        api_get(&app, Some(&tara.token), "/api/chapters")
            .await
            .status,
        StatusCode::OK
    );

    let admin = &team.admin.browser;
    let disabled = admin
        .client
        .post(app.url(&format!("/admin/users/{}/disable", tara.id)))
        .form(&[("csrf", admin.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), StatusCode::SEE_OTHER);

    let page = password_page().await.unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert!(page.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/sign-in"));
    let before = database_digest(&app.db.pool).await;
    let form = tara
        .browser
        .client
        .post(app.url(&format!("/segments/{paragraph}/save")))
        .form(&[
            ("csrf", tara.browser.csrf.as_str()),
            ("text", "After."),
            ("base", ""),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        [StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&form.status()),
        "{}",
        form.status()
    );
    let read = api_get(&app, Some(&tara.token), "/api/chapters").await;
    assert_eq!(read.status, StatusCode::UNAUTHORIZED);
    let write = save(&app, &tara.token, paragraph, "After.", None).await;
    assert_eq!(write.status, StatusCode::UNAUTHORIZED);
    let comment = crate::team::api_post(
        &app,
        Some(&tara.token),
        &format!("/api/segments/{paragraph}/comments"),
        json!({ "body": "After." }),
    )
    .await;
    assert_eq!(comment.status, StatusCode::UNAUTHORIZED);
    assert_eq!(database_digest(&app.db.pool).await, before);
    app.stop().await;
}
