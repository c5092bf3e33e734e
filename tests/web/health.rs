use sqlx::{ConnectOptions, Connection, Executor};

use crate::common::spawn_app;
use crate::helpers::{chapter_path, get_page, text};

#[tokio::test]
async fn healthz_says_ok_when_the_database_answers() {
    let app = spawn_app().await;

    let response = app.client.get(app.url("/healthz")).send().await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
    app.stop().await;
}

/// Drops the app's database under it, closing its connections, as a failover or an
/// operator's mistake would.
async fn drop_the_database(app: &crate::common::TestApp) {
    let mut admin = app
        .db
        .options
        .clone()
        .database("postgres")
        .connect()
        .await
        .expect("connect to the maintenance database");
    let sql = format!("DROP DATABASE {} WITH (FORCE)", app.db.name);
    admin
        .execute(sql.as_str())
        .await
        .expect("drop the database");
    admin.close().await.ok();
}

#[tokio::test]
async fn healthz_is_unavailable_when_the_database_is_gone() {
    let app = spawn_app().await;
    let before = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(before.status(), 200);

    drop_the_database(&app).await;
    let after = app.client.get(app.url("/healthz")).send().await.unwrap();

    assert_eq!(after.status(), 503);
    app.stop().await;
}

#[tokio::test]
async fn pages_say_temporarily_unavailable_when_the_database_is_gone() {
    let app = spawn_app().await;
    drop_the_database(&app).await;

    let page = get_page(&app, &chapter_path(4)).await;

    assert_eq!(page.status, 503);
    assert_eq!(text(page.one("h1")), "Temporarily unavailable");
    app.stop().await;
}

#[tokio::test]
async fn healthz_answers_head_requests_and_refuses_other_methods() {
    let app = spawn_app().await;

    let head = app.client.head(app.url("/healthz")).send().await.unwrap();
    let post = app.client.post(app.url("/healthz")).send().await.unwrap();

    assert_eq!(head.status(), 200);
    assert_eq!(post.status(), 405);
    app.stop().await;
}
