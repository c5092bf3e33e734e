//! Signing in and out: sessions and their cookie, throttling, CSRF on the sign-in form.

use reqwest::StatusCode;
use scraper::Html;

use crate::common::{browser, create_user, csrf_on_page, signed_in_client, spawn_app};
use crate::helpers::{
    form_error, get_page, hex_of, select_in, session_cookie, set_cookie_header, try_sign_in,
    who_am_i, with_old_cookie,
};

#[tokio::test]
async fn a_user_signs_in_sees_their_name_and_role_and_signs_out() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "ann", "reviewer").await;

    let ann = signed_in_client(&app, "ann", &password).await;

    let nav = who_am_i(&ann.client, &app).await;
    assert!(nav.contains("ann") && nav.contains("Reviewer"), "{nav}");
    assert!(!nav.contains("Sign in"), "{nav}");
    let out = ann
        .client
        .post(app.url("/sign-out"))
        .form(&[("csrf", ann.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(who_am_i(&ann.client, &app).await.contains("Sign in"));
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_password_gets_the_same_answer_as_an_unknown_user() {
    let app = spawn_app().await;
    create_user(&app.db.pool, "ann", "translator").await;

    let wrong_password = try_sign_in(&app, "ann", "not her password").await;
    let unknown_user = try_sign_in(&app, "nobody", "not her password").await;

    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_user.status(), StatusCode::UNAUTHORIZED);
    assert!(session_cookie(&wrong_password).is_none());
    let (a, b) = (
        form_error(wrong_password).await,
        form_error(unknown_user).await,
    );
    assert_eq!(a, "Wrong username or password.");
    assert_eq!(a, b);
    app.stop().await;
}

#[tokio::test]
async fn the_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "ann", "translator").await;
    for _ in 0..5 {
        let response = try_sign_in(&app, "ann", "a wrong guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }

    let sixth = try_sign_in(&app, "ann", &password).await;

    assert_eq!(sixth.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(sixth.headers().contains_key("retry-after"));
    assert!(session_cookie(&sixth).is_none());
    let message = form_error(sixth).await;
    assert!(message.starts_with("Too many failed sign-ins"), "{message}");
    let mut conn = app.db.pool.acquire().await.unwrap();
    let outcomes: Vec<String> = plae::db::sign_in::attempts_for(&mut conn, "ann")
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.outcome)
        .collect();
    assert_eq!(
        outcomes,
        ["failed"; 5]
            .iter()
            .chain(&["throttled"])
            .copied()
            .collect::<Vec<_>>()
    );
    app.stop().await;
}

#[tokio::test]
async fn a_successful_sign_in_is_recorded_too() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "ann", "translator").await;

    signed_in_client(&app, "Ann", &password).await;

    let mut conn = app.db.pool.acquire().await.unwrap();
    let attempts = plae::db::sign_in::attempts_for(&mut conn, "ann")
        .await
        .unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome, "succeeded");
    assert_eq!(attempts[0].client_ip, "127.0.0.1");
    app.stop().await;
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax_and_new_at_each_sign_in() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "ann", "translator").await;
    let form = app.client.get(app.url("/sign-in")).send().await.unwrap();
    let form_cookie = set_cookie_header(&form, "plae_form").expect("a form cookie");
    let form_cookie = form_cookie.split(';').next().unwrap().to_string();
    let html = Html::parse_document(&form.text().await.unwrap());
    let csrf = select_in(html.root_element(), r#"input[name="csrf"]"#)[0]
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    let planted = "ab".repeat(32);

    // A session id planted before sign-in (session fixation) is not kept.
    let response = app
        .client
        .post(app.url("/sign-in"))
        .header("Cookie", format!("{form_cookie}; plae_session={planted}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "ann"),
            ("password", &password),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let header = set_cookie_header(&response, "plae_session").expect("a session cookie");
    assert!(header.contains("HttpOnly"), "{header}");
    assert!(header.contains("SameSite=Lax"), "{header}");
    assert!(!header.contains("Secure"), "plain HTTP in tests: {header}");
    let first = session_cookie(&response).unwrap();
    assert_ne!(first, planted);
    let second = session_cookie(&try_sign_in(&app, "ann", &password).await).unwrap();
    assert_ne!(first, second);
    // Only hashes are stored.
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token_sha256 FROM sessions")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored
        .iter()
        .all(|hash| hex_of(hash) != first && hex_of(hash) != second));
    app.stop().await;
}

#[tokio::test]
async fn after_signing_out_the_old_cookie_no_longer_works() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "ann", "admin").await;
    let response = try_sign_in(&app, "ann", &password).await;
    let token = session_cookie(&response).unwrap();
    assert_eq!(
        with_old_cookie(&app, &token, "/admin/users").await.status(),
        200
    );
    let ann = browser();
    let csrf = {
        let page = with_old_cookie(&app, &token, "/")
            .await
            .text()
            .await
            .unwrap();
        let html = Html::parse_document(&page);
        let input = select_in(html.root_element(), r#"form.sign-out input[name="csrf"]"#)[0];
        input.value().attr("value").unwrap().to_string()
    };

    let out = ann
        .post(app.url("/sign-out"))
        .header("Cookie", format!("plae_session={token}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();

    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let removal = set_cookie_header(&out, "plae_session").expect("the cookie is removed");
    assert!(
        removal.contains("Max-Age=0") || removal.contains("expires"),
        "{removal}"
    );
    let after = with_old_cookie(&app, &token, "/admin/users").await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER, "sent to sign in");
    assert_eq!(after.headers()["location"], "/sign-in?next=/admin/users");
    app.stop().await;
}

#[tokio::test]
async fn a_sign_in_form_posted_from_elsewhere_is_refused() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "ann", "translator").await;
    // A cross-site page has neither the form cookie nor its signed token.
    let forged = browser()
        .post(app.url("/sign-in"))
        .form(&[
            ("username", "ann"),
            ("password", password.as_str()),
            ("csrf", "00"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(session_cookie(&forged).is_none());
    // Nor can it reuse a token it got for its own cookie.
    let attacker = browser();
    let token = csrf_on_page(&attacker, &app, "/sign-in").await;
    let replayed = browser()
        .post(app.url("/sign-in"))
        .form(&[
            ("username", "ann"),
            ("password", password.as_str()),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(replayed.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}

#[tokio::test]
async fn pages_that_need_a_user_send_anonymous_browsers_to_sign_in_and_back() {
    let app = spawn_app().await;

    let response = app
        .client
        .get(app.url("/account/password"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/sign-in?next=/account/password"
    );
    let page = get_page(&app, "/sign-in?next=/account/password").await;
    let next = page.one(r#"input[name="next"]"#);
    assert_eq!(next.value().attr("value"), Some("/account/password"));
    app.stop().await;
}
