//! The admin pages: only admins see them, and they add users, change roles, disable and
//! enable users, and change the settings.

use reqwest::StatusCode;
use scraper::Html;

use crate::common::{browser, create_user, csrf_on_page, signed_in_client, spawn_app, TestApp};
use crate::helpers::{select_in, text};

async fn user_id(app: &TestApp, username: &str) -> uuid::Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in_and_other_roles_are_forbidden() {
    let app = spawn_app().await;
    for path in ["/admin/users", "/admin/settings"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()["location"],
            format!("/sign-in?next={path}")
        );
    }
    for role in ["translator", "reviewer"] {
        let password = create_user(&app.db.pool, role, role).await;
        let user = signed_in_client(&app, role, &password).await;
        for path in ["/admin/users", "/admin/settings"] {
            let page = user.client.get(app.url(path)).send().await.unwrap();
            assert_eq!(page.status(), StatusCode::FORBIDDEN, "{role} GET {path}");
        }
        let before = app.db.fingerprint().await;
        let post = user
            .client
            .post(app.url("/admin/users"))
            .form(&[
                ("csrf", user.csrf.as_str()),
                ("username", "mallory"),
                ("role", "admin"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(post.status(), StatusCode::FORBIDDEN, "{role} POST");
        assert_eq!(app.db.fingerprint().await, before);
        let nav = user
            .client
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !nav.contains("/admin/users"),
            "the header hides what {role} cannot do"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn an_admin_adds_a_user_whose_generated_password_is_shown_once_and_works() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "boss", "admin").await;
    let boss = signed_in_client(&app, "boss", &password).await;

    let response = boss
        .client
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf", boss.csrf.as_str()),
            ("username", "ann"),
            ("display_name", "Ann Smith"),
            ("role", "reviewer"),
            ("password", ""),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = Html::parse_document(&response.text().await.unwrap());
    let generated = text(select_in(html.root_element(), ".added-password")[0]);
    let row = select_in(html.root_element(), r#"tr[data-username="ann"]"#);
    assert_eq!(
        text(select_in(row[0], ".status")[0]),
        "Must change password"
    );
    let list = boss
        .client
        .get(app.url("/admin/users"))
        .send()
        .await
        .unwrap();
    assert!(
        !list.text().await.unwrap().contains(&generated),
        "shown only once"
    );
    let ann = browser();
    let csrf = csrf_on_page(&ann, &app, "/sign-in").await;
    let signed_in = ann
        .post(app.url("/sign-in"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "ann"),
            ("password", &generated),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.headers()["location"], "/account/password");
    app.stop().await;
}

#[tokio::test]
async fn an_admin_changes_roles_and_disables_and_enables_users() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "boss", "admin").await;
    create_user(&app.db.pool, "ann", "translator").await;
    let boss = signed_in_client(&app, "boss", &password).await;
    let ann = user_id(&app, "ann").await;
    let post = |path: String, extra: Option<(&'static str, &'static str)>| {
        let mut form = vec![("csrf", boss.csrf.clone())];
        form.extend(extra.map(|(k, v)| (k, v.to_string())));
        boss.client.post(app.url(&path)).form(&form).send()
    };

    let promoted = post(
        format!("/admin/users/{ann}/role"),
        Some(("role", "reviewer")),
    )
    .await;
    let disabled = post(format!("/admin/users/{ann}/disable"), None).await;

    assert_eq!(promoted.unwrap().status(), StatusCode::SEE_OTHER);
    assert_eq!(disabled.unwrap().status(), StatusCode::SEE_OTHER);
    let mut conn = app.db.pool.acquire().await.unwrap();
    let user = plae::db::users::find_user(&mut conn, ann)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, plae::accounts::Role::Reviewer);
    assert!(user.is_disabled());
    let enabled = post(format!("/admin/users/{ann}/enable"), None)
        .await
        .unwrap();
    assert_eq!(enabled.status(), StatusCode::SEE_OTHER);
    let user = plae::db::users::find_user(&mut conn, ann)
        .await
        .unwrap()
        .unwrap();
    assert!(!user.is_disabled());
    app.stop().await;
}

#[tokio::test]
async fn an_admin_cannot_demote_or_disable_themselves() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "boss", "admin").await;
    let boss = signed_in_client(&app, "boss", &password).await;
    let me = user_id(&app, "boss").await;

    let demoted = boss
        .client
        .post(app.url(&format!("/admin/users/{me}/role")))
        .form(&[("csrf", boss.csrf.as_str()), ("role", "translator")])
        .send()
        .await
        .unwrap();

    assert_eq!(demoted.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&demoted.text().await.unwrap());
    assert!(text(select_in(html.root_element(), ".form-error")[0]).contains("your own role"));
    let mut conn = app.db.pool.acquire().await.unwrap();
    let user = plae::db::users::find_user(&mut conn, me)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, plae::accounts::Role::Admin);
    app.stop().await;
}

#[tokio::test]
async fn the_last_enabled_admin_stays_an_admin() {
    let app = spawn_app().await;
    create_user(&app.db.pool, "boss", "admin").await;
    let boss = user_id(&app, "boss").await;
    let first_admin = user_id(&app, "admin").await;

    // The first-start admin demotes the other admin: fine, one is left.
    plae::accounts::manage::change_role(
        &app.db.pool,
        first_admin,
        boss,
        "reviewer".parse().unwrap(),
    )
    .await
    .unwrap();
    // Now the reviewer (with no right to, but this is the domain rule) cannot leave no admin.
    let refused = plae::accounts::manage::set_disabled(&app.db.pool, boss, first_admin, true).await;
    assert!(matches!(
        refused,
        Err(plae::accounts::AccountError::LastAdmin)
    ));
    app.stop().await;
}

#[tokio::test]
async fn an_admin_changes_the_settings() {
    let app = spawn_app().await;
    let password = create_user(&app.db.pool, "boss", "admin").await;
    let boss = signed_in_client(&app, "boss", &password).await;
    let page = boss
        .client
        .get(app.url("/admin/settings"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);

    let saved = boss
        .client
        .post(app.url("/admin/settings"))
        .form(&[
            ("csrf", boss.csrf.as_str()),
            ("open_signup", "on"),
            ("allow_self_approval", "on"),
            ("block_approval_on_errors", "on"),
            ("claim_expiry_minutes", "45"),
        ])
        .send()
        .await
        .unwrap();
    let out_of_range = boss
        .client
        .post(app.url("/admin/settings"))
        .form(&[("csrf", boss.csrf.as_str()), ("claim_expiry_minutes", "1")])
        .send()
        .await
        .unwrap();

    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(out_of_range.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut conn = app.db.pool.acquire().await.unwrap();
    let settings = plae::db::settings::get_settings(&mut conn).await.unwrap();
    assert_eq!(
        settings,
        plae::db::settings::Settings {
            open_signup: true,
            allow_self_approval: true,
            claim_expiry_minutes: 45,
            block_approval_on_errors: true,
        }
    );
    let sign_up = app.client.get(app.url("/sign-up")).send().await.unwrap();
    assert_eq!(sign_up.status(), StatusCode::OK);
    app.stop().await;
}
