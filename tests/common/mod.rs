//! Test harness shared by the integration test binaries (`mod common;`): a fresh PostgreSQL
//! database per test, and the real application on port 0.
//!
//! The server is `DATABASE_URL`'s when that is set (CI with a service, a developer's own
//! server); otherwise one temporary cluster per test binary, started on first use
//! (`EmbeddedPostgres::shared_temporary`) and deleted when the process exits. Each test gets
//! its own database, dropped when the test ends (pass or fail), so tests run in parallel
//! and leave nothing behind on a real server.
//!
//! It lives here rather than in the library: test-only code stays out of the production
//! binary, with no feature flag to remember. A test binary in a directory
//! (`tests/web/main.rs`) includes it with `#[path = "../common/mod.rs"] mod common;`.

// Each test binary uses a different part of the harness.
#![allow(dead_code)]

use std::path::PathBuf;

use actix_web::dev::ServerHandle;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, Executor, PgPool};

use plae::config::Settings;
use plae::corpus::{Corpus, METADATA_FILE};
use plae::pg_embedded::EmbeddedPostgres;
use plae::startup::{Application, MIGRATOR};

/// How the app's databases are created (see `pg_embedded`): Thai needs a UTF-8 ctype.
pub const UTF8_DATABASE: &str =
    "ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0";

/// A database of its own for one test, dropped with it.
pub struct TestDb {
    pub name: String,
    pub options: PgConnectOptions,
    pub pool: PgPool,
    admin: PgConnectOptions,
}

/// Where to create test databases: a maintenance connection to the server.
async fn admin_options() -> PgConnectOptions {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url.parse().expect("DATABASE_URL is a valid URL"),
        _ => EmbeddedPostgres::shared_temporary()
            .await
            .expect("start a temporary PostgreSQL (or set DATABASE_URL)")
            .connect_options("postgres"),
    }
}

/// An empty database as the app expects it (UTF-8), without the schema.
pub async fn fresh_database() -> TestDb {
    database_with(UTF8_DATABASE).await
}

/// An empty database created with these `CREATE DATABASE` options.
pub async fn database_with(create_options: &str) -> TestDb {
    let admin = admin_options().await;
    let name = format!("plae_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = admin.connect().await.expect("connect to the test server");
    conn.execute(format!("CREATE DATABASE {name} {create_options}").as_str())
        .await
        .expect("create the test database");
    conn.close().await.ok();
    let options = admin.clone().database(&name);
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect_with(options.clone())
        .await
        .expect("connect to the test database");
    TestDb {
        name,
        options,
        pool,
        admin,
    }
}

/// A fresh database with the schema, and no book.
pub async fn migrated_database() -> TestDb {
    let db = fresh_database().await;
    MIGRATOR.run(&db.pool).await.expect("migrations run");
    db
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Drop runs inside the test's runtime, where we cannot block: use a thread with a
        // runtime of its own. FORCE closes the connections the test still holds.
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut conn = admin.connect().await?;
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                conn.execute(sql.as_str()).await?;
                conn.close().await
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

/// Row counts and a digest of every row of the content tables: equal fingerprints mean
/// nothing changed, not even a timestamp.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Fingerprint {
    pub books: i64,
    pub chapters: i64,
    pub segments: i64,
    pub revisions: i64,
    pub users: i64,
    pub digest: String,
}

impl TestDb {
    pub async fn fingerprint(&self) -> Fingerprint {
        sqlx::query_as(
            "SELECT (SELECT count(*) FROM books) AS books,
                    (SELECT count(*) FROM chapters) AS chapters,
                    (SELECT count(*) FROM segments) AS segments,
                    (SELECT count(*) FROM revisions) AS revisions,
                    (SELECT count(*) FROM users) AS users,
                    md5(concat_ws('|',
                        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM books t),
                        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM chapters t),
                        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM segments t),
                        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM revisions t),
                        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM users t)))
                        AS digest",
        )
        .fetch_one(&self.pool)
        .await
        .expect("fingerprint the database")
    }
}

/// A copy of the corpus in a temporary directory, for a test that edits its files.
pub fn corpus_copy() -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let source = Corpus::load(&corpus_dir()).expect("the corpus loads");
    let copy = |name: &str| std::fs::copy(source.dir.join(name), dir.path().join(name));
    copy(METADATA_FILE).expect("copy book.toml");
    for chapter in &source.chapters {
        copy(&chapter.file).expect("copy a chapter file");
    }
    let corpus = Corpus::load(dir.path()).expect("the copy loads");
    (dir, corpus)
}

/// The corpus of this source tree.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Settings for an app on a free port; the database comes from the caller.
pub fn test_settings() -> Settings {
    Settings {
        database_url: None,
        bind: "127.0.0.1:0".into(),
        data_dir: std::env::temp_dir().join("plae-tests-unused"),
        corpus_dir: corpus_dir(),
        public_url: None,
        secure_cookies: false,
    }
}

/// The real application, serving on a free port in the background.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    pub client: reqwest::Client,
    pub handle: ServerHandle,
    /// The password printed for the admin created on first start.
    pub first_admin_password: Option<String>,
    /// Declared last: dropped after the server handle.
    pub db: TestDb,
}

/// Starts the app on a fresh database, as `plae serve` would (migrations, first-start
/// import of the corpus).
pub async fn spawn_app() -> TestApp {
    let db = fresh_database().await;
    let app = Application::build_with_pool(test_settings(), db.pool.clone())
        .await
        .expect("the application starts");
    let address = format!("http://{}", app.address());
    let handle = app.handle();
    let first_admin_password = app.first_admin_password().map(str::to_string);
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    TestApp {
        address,
        client,
        handle,
        first_admin_password,
        db,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Stops the server and waits for it (its workers are threads of their own).
    pub async fn stop(&self) {
        self.handle.stop(true).await;
    }
}

/// Adds a user through the function behind `plae user add`, with a password of its own that
/// need not be changed; returns the password.
pub async fn create_user(pool: &PgPool, username: &str, role: &str) -> String {
    let password = format!("{username}-correct-horse");
    plae::accounts::manage::add_user(
        pool,
        plae::accounts::manage::NewAccount {
            username,
            display_name: "",
            role: role.parse().expect("a role"),
            password: plae::accounts::manage::InitialPassword::Chosen {
                password: password.clone(),
                must_change: false,
            },
        },
    )
    .await
    .unwrap_or_else(|e| panic!("add user {username}: {e}"));
    password
}

/// A browser: keeps cookies, does not follow redirects (tests look at them).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// The value of the first `csrf` hidden field on the page at `path`.
pub async fn csrf_on_page(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.expect("GET a form");
    let html = scraper::Html::parse_document(&response.text().await.expect("a page"));
    let selector = scraper::Selector::parse(r#"input[name="csrf"]"#).expect("a selector");
    html.select(&selector)
        .next()
        .and_then(|input| input.value().attr("value"))
        .unwrap_or_else(|| panic!("no csrf field on {path}"))
        .to_string()
}

/// A browser signed in as `username`, and the session's CSRF token for its forms.
pub struct SignedIn {
    pub client: reqwest::Client,
    pub csrf: String,
}

/// Signs in through the sign-in form, as a person would.
pub async fn signed_in_client(app: &TestApp, username: &str, password: &str) -> SignedIn {
    let client = browser();
    let csrf = csrf_on_page(&client, app, "/sign-in").await;
    let response = client
        .post(app.url("/sign-in"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await
        .expect("POST /sign-in");
    assert_eq!(response.status(), 303, "signing in as {username}");
    let csrf = csrf_on_page(&client, app, "/").await;
    SignedIn { client, csrf }
}

/// Turns off "checks block approval" (on by default), for tests that approve placeholder
/// English of real paragraphs (years, footnotes) to test something else.
pub async fn approve_despite_checks(pool: &PgPool) {
    let mut conn = pool.acquire().await.expect("a connection");
    plae::db::settings::set_block_approval_on_errors(&mut conn, false, None)
        .await
        .expect("turn the setting off");
}
