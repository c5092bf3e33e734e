//! Getting people in: the admin created on first start, open sign-up, and the function
//! behind `plae user add`.

use reqwest::StatusCode;

use crate::common::{browser, csrf_on_page, migrated_database, signed_in_client, spawn_app};
use crate::helpers::{get_page, try_sign_in, who_am_i};

#[tokio::test]
async fn the_first_start_creates_an_admin_who_must_change_the_printed_password() {
    let app = spawn_app().await;
    let password = app
        .first_admin_password
        .clone()
        .expect("a first admin was created");
    let message = plae::startup::first_admin_message(&password, &app.address);
    assert!(message.contains("username admin") && message.contains(&password));
    assert!(message.contains(&format!("{}/sign-in", app.address)));
    let mut conn = app.db.pool.acquire().await.unwrap();
    let admin = plae::db::users::find_user_by_username(&mut conn, "admin")
        .await
        .unwrap()
        .unwrap();
    assert!(admin.must_change_password);
    assert!(admin
        .password_hash
        .as_deref()
        .unwrap()
        .starts_with("$argon2id$"));

    let response = try_sign_in(&app, "admin", &password).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/account/password");
    let admin = signed_in_client(&app, "admin", &password).await;
    assert!(who_am_i(&admin.client, &app)
        .await
        .contains("Change your password"));
    // Nothing else may be changed before the password.
    let settings = admin
        .client
        .post(app.url("/admin/settings"))
        .form(&[
            ("csrf", admin.csrf.as_str()),
            ("claim_expiry_minutes", "60"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(settings.status(), StatusCode::SEE_OTHER);
    assert_eq!(settings.headers()["location"], "/account/password");
    let changed = admin
        .client
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", admin.csrf.as_str()),
            ("current", &password),
            ("new", "the admin's own passphrase"),
            ("confirm", "the admin's own passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let admin = plae::db::users::find_user_by_username(&mut conn, "admin")
        .await
        .unwrap()
        .unwrap();
    assert!(!admin.must_change_password);
    app.stop().await;
}

#[tokio::test]
async fn a_second_start_on_the_same_database_creates_no_second_admin() {
    let app = spawn_app().await;
    let again = plae::accounts::manage::ensure_first_admin(&app.db.pool)
        .await
        .unwrap();
    assert!(again.is_none());
    let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(admins, 1);
    app.stop().await;
}

#[tokio::test]
async fn sign_up_is_closed_by_default() {
    let app = spawn_app().await;

    let page = get_page(&app, "/sign-up").await;

    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(get_page(&app, "/sign-in")
        .await
        .select(r#"a[href="/sign-up"]"#)
        .is_empty());
    app.stop().await;
}

#[tokio::test]
async fn open_sign_up_creates_a_signed_in_translator() {
    let app = spawn_app().await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    plae::db::settings::set_open_signup(&mut conn, true, None)
        .await
        .unwrap();
    let client = browser();
    let csrf = csrf_on_page(&client, &app, "/sign-up").await;

    let response = client
        .post(app.url("/sign-up"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "Somchai"),
            ("display_name", "สมชาย"),
            ("password", "ภาษาไทยยาวพอแล้ว"),
            ("confirm", "ภาษาไทยยาวพอแล้ว"),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let user = plae::db::users::find_user_by_username(&mut conn, "somchai")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, plae::accounts::Role::Translator);
    assert_eq!(user.display_name, "สมชาย");
    assert!(!user.must_change_password);
    let nav = who_am_i(&client, &app).await;
    assert!(nav.contains("สมชาย") && nav.contains("Translator"), "{nav}");
    app.stop().await;
}

#[tokio::test]
async fn the_cli_user_add_stores_an_argon2id_hash_that_verifies() {
    let db = migrated_database().await;
    let added = plae::accounts::manage::add_user(
        &db.pool,
        plae::accounts::manage::NewAccount {
            username: "Reviewer1",
            display_name: "",
            role: plae::accounts::Role::Reviewer,
            password: plae::accounts::manage::InitialPassword::Generate,
        },
    )
    .await
    .unwrap();

    let password = added.generated_password.expect("a generated password");
    let mut conn = db.pool.acquire().await.unwrap();
    let stored = plae::db::users::find_user_by_username(&mut conn, "reviewer1")
        .await
        .unwrap()
        .unwrap();
    let hash = stored.password_hash.unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(plae::accounts::password::verify(&password, &hash));
    assert!(!plae::accounts::password::verify("something else", &hash));
    assert!(
        stored.must_change_password,
        "a generated password is to be changed"
    );
    assert_eq!(stored.display_name, "reviewer1");
    let again = plae::accounts::manage::add_user(
        &db.pool,
        plae::accounts::manage::NewAccount {
            username: "reviewer1",
            display_name: "",
            role: plae::accounts::Role::Reviewer,
            password: plae::accounts::manage::InitialPassword::Generate,
        },
    )
    .await;
    assert!(matches!(
        again,
        Err(plae::accounts::AccountError::UsernameTaken(_))
    ));
}
