//! Accounts once signed in: passwords, disabled users, CSRF on signed-in forms, API tokens,
//! and the user's header on the cached chapter page.

use reqwest::StatusCode;
use scraper::Html;

use crate::common::{create_user, signed_in_client, spawn_app};
use crate::helpers::{form_error, get_page, select_in, text, try_sign_in, who_am_i};

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions_and_keeps_this_one() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "ann", "translator").await;
    let laptop = signed_in_client(&app, "ann", &password).await;
    let phone = signed_in_client(&app, "ann", &password).await;

    let changed = laptop
        .client
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", laptop.csrf.as_str()),
            ("current", &password),
            ("new", "a brand new passphrase"),
            ("confirm", "a brand new passphrase"),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert!(who_am_i(&laptop.client, &app).await.contains("ann"));
    assert!(who_am_i(&phone.client, &app).await.contains("Sign in"));
    assert_eq!(
        try_sign_in(&app, "ann", &password).await.status(),
        StatusCode::UNAUTHORIZED
    );
    signed_in_client(&app, "ann", "a brand new passphrase").await;
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_current_password_or_a_short_new_one_changes_nothing() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "ann", "translator").await;
    let ann = signed_in_client(&app, "ann", &password).await;
    let attempt = |current: String, new: &'static str| {
        let (client, csrf, url) = (
            ann.client.clone(),
            ann.csrf.clone(),
            app.url("/account/password"),
        );
        async move {
            client
                .post(url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("current", &current),
                    ("new", new),
                    ("confirm", new),
                ])
                .send()
                .await
                .unwrap()
        }
    };

    let wrong = attempt("not it at all".into(), "a brand new passphrase").await;
    let short = attempt(password.clone(), "short").await;

    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        form_error(wrong).await,
        "The current password is not right."
    );
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form_error(short).await.contains("at least 10 characters"));
    assert!(who_am_i(&ann.client, &app).await.contains("ann"));
    signed_in_client(&app, "ann", &password).await;
    app.stop().await;
}

#[tokio::test]
async fn a_disabled_users_session_stops_working_at_once() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "ann", "translator").await;
    let admin_password = create_user(&app.db.pool, "boss", "admin").await;
    let ann = signed_in_client(&app, "ann", &password).await;
    let boss = signed_in_client(&app, "boss", &admin_password).await;
    let ann_id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE username = 'ann'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();

    let disabled = boss
        .client
        .post(app.url(&format!("/admin/users/{ann_id}/disable")))
        .form(&[("csrf", boss.csrf.as_str())])
        .send()
        .await
        .unwrap();

    assert_eq!(disabled.status(), StatusCode::SEE_OTHER);
    assert!(who_am_i(&ann.client, &app).await.contains("Sign in"));
    let page = ann
        .client
        .get(app.url("/account/password"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        try_sign_in(&app, "ann", &password).await.status(),
        StatusCode::UNAUTHORIZED,
        "a disabled user cannot sign in again"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_post_without_the_right_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "ann", "translator").await;
    let ann = signed_in_client(&app, "ann", &password).await;
    let before = app.db.fingerprint().await;
    let change = |csrf: Option<&'static str>| {
        let mut form = vec![
            ("current", password.clone()),
            ("new", "a brand new passphrase".to_string()),
            ("confirm", "a brand new passphrase".to_string()),
        ];
        if let Some(csrf) = csrf {
            form.push(("csrf", csrf.to_string()));
        }
        ann.client
            .post(app.url("/account/password"))
            .form(&form)
            .send()
    };

    let without = change(None).await.unwrap();
    let wrong = change(Some(
        "0000000000000000000000000000000000000000000000000000000000000000",
    ))
    .await
    .unwrap();

    for response in [without, wrong] {
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let html = Html::parse_document(&response.text().await.unwrap());
        assert_eq!(
            text(select_in(html.root_element(), "h1")[0]),
            "Form expired"
        );
    }
    assert_eq!(app.db.fingerprint().await, before);
    signed_in_client(&app, "ann", &password).await;
    app.stop().await;
}

#[tokio::test]
async fn an_api_token_authenticates_and_an_unknown_or_revoked_one_is_refused() {
    let app = spawn_app().await;
    create_user(&app.db.pool, "boss", "admin").await;
    create_user(&app.db.pool, "ann", "translator").await;
    let boss_token = plae::accounts::manage::create_api_token(&app.db.pool, "boss")
        .await
        .unwrap();
    let ann_token = plae::accounts::manage::create_api_token(&app.db.pool, "ann")
        .await
        .unwrap();
    let get = |token: String| {
        app.client
            .get(app.url("/admin/users"))
            .bearer_auth(token)
            .send()
    };

    assert_eq!(
        get(boss_token.clone()).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        get(ann_token).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let unknown = get(format!("plae_{}", "0".repeat(64))).await.unwrap();
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert!(unknown.headers().contains_key("www-authenticate"));
    let revoked = plae::accounts::manage::revoke_api_tokens(&app.db.pool, "boss")
        .await
        .unwrap();
    assert_eq!(revoked, 1);
    assert_eq!(
        get(boss_token).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    // Only the hash is stored.
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM api_tokens WHERE length(token_sha256) = 32")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, 2);
    app.stop().await;
}

#[tokio::test]
async fn an_api_client_needs_no_csrf_token_to_post() {
    let app = spawn_app().await;
    create_user(&app.db.pool, "boss", "admin").await;
    let token = plae::accounts::manage::create_api_token(&app.db.pool, "boss")
        .await
        .unwrap();

    let response = app
        .client
        .post(app.url("/admin/settings"))
        .bearer_auth(token)
        .form(&[("open_signup", "on"), ("claim_expiry_minutes", "60")])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mut conn = app.db.pool.acquire().await.unwrap();
    let settings = plae::db::settings::get_settings(&mut conn).await.unwrap();
    assert!(settings.open_signup);
    assert_eq!(settings.claim_expiry_minutes, 60);
    app.stop().await;
}

#[tokio::test]
async fn the_chapter_page_shows_the_signed_in_user_without_changing_anyone_elses_copy() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "ann", "reviewer").await;
    let ann = signed_in_client(&app, "ann", &password).await;
    let path = crate::helpers::chapter_path(4);

    let anonymous = get_page(&app, &path).await;
    let hers = ann.client.get(app.url(&path)).send().await.unwrap();
    let hers_etag = hers.headers()["etag"].to_str().unwrap().to_string();
    let hers = Html::parse_document(&hers.text().await.unwrap());
    let anonymous_again = get_page(&app, &path).await;

    let nav = |html: &Html| text(select_in(html.root_element(), ".site-nav")[0]);
    assert!(nav(&hers).contains("ann") && nav(&hers).contains("Reviewer"));
    assert!(nav(&anonymous.html).contains("Sign in"));
    assert!(
        nav(&anonymous_again.html).contains("Sign in"),
        "the cached copy is everyone's"
    );
    let rows = |html: &Html| select_in(html.root_element(), "li.segment").len();
    assert_eq!(rows(&hers), rows(&anonymous.html));
    let everyones = app.client.get(app.url(&path)).send().await.unwrap();
    assert_ne!(everyones.headers()["etag"].to_str().unwrap(), hers_etag);
    app.stop().await;
}
