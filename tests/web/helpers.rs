//! Fetching pages and reading them: HTML parsed with `scraper`, and the database's view of
//! the same chapter to compare with.

use reqwest::StatusCode;
use scraper::{ElementRef, Html, Selector};
use sqlx::PgPool;
use uuid::Uuid;

use crate::common::{browser, csrf_on_page, TestApp};

/// Where the corpus's chapters live (the slug is in `corpus/book.toml`).
pub fn chapter_path(number: i32) -> String {
    format!("/books/soviet-history/chapters/{number}")
}

pub struct Page {
    pub status: StatusCode,
    pub content_type: String,
    pub html: Html,
}

impl Page {
    /// Every element matching a CSS selector, in document order.
    pub fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        select_in(self.html.root_element(), css)
    }

    /// The one element matching the selector; fails the test if there are none or several.
    pub fn one(&self, css: &str) -> ElementRef<'_> {
        let found = self.select(css);
        assert_eq!(found.len(), 1, "expected exactly one `{css}`");
        found[0]
    }
}

pub fn select_in<'a>(element: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    element.select(&selector).collect()
}

/// The text of an element, with runs of whitespace collapsed as a browser shows them.
pub fn text(element: ElementRef<'_>) -> String {
    let raw: String = element.text().collect();
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn href(element: ElementRef<'_>) -> &str {
    element.value().attr("href").expect("a link has an href")
}

pub async fn get_page(app: &TestApp, path: &str) -> Page {
    let response = app
        .client
        .get(app.url(path))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = response.text().await.expect("a text body");
    Page {
        status,
        content_type,
        html: Html::parse_document(&body),
    }
}

/// A live segment as the database holds it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredSegment {
    pub id: Uuid,
    pub kind: String,
    pub source_th: String,
}

/// A chapter's live segments in reading order, straight from the database.
pub async fn chapter_segments(pool: &PgPool, number: i32) -> Vec<StoredSegment> {
    sqlx::query_as::<_, StoredSegment>(
        "SELECT s.id, s.kind, s.source_th FROM segments s JOIN chapters c ON c.id = s.chapter_id
          WHERE c.number = $1 AND s.retired_at IS NULL ORDER BY s.position",
    )
    .bind(number)
    .fetch_all(pool)
    .await
    .expect("the chapter's segments")
}

/// Adds a segment at the end of a chapter, behind the application's back.
pub async fn append_segment(pool: &PgPool, chapter: i32, kind: &str, source_th: &str) -> Uuid {
    sqlx::query_scalar::<_, Uuid>(
        "INSERT INTO segments (chapter_id, position, kind, source_th)
         SELECT c.id, (SELECT max(position) + 1 FROM segments WHERE chapter_id = c.id), $2, $3
           FROM chapters c WHERE c.number = $1
         RETURNING id",
    )
    .bind(chapter)
    .bind(kind)
    .bind(source_th)
    .fetch_one(pool)
    .await
    .expect("insert a segment")
}

/// Gives a segment English text and a status, as the workflow will.
pub async fn translate(pool: &PgPool, segment: Uuid, english: &str, status: &str) {
    let revision = sqlx::query_scalar::<_, Uuid>(
        "INSERT INTO revisions (segment_id, text) VALUES ($1, $2) RETURNING id",
    )
    .bind(segment)
    .bind(english)
    .fetch_one(pool)
    .await
    .expect("insert a revision");
    // The columns that go with the status (migration 0008 checks them): the approved text,
    // and who submitted it when.
    let submitter = sqlx::query_scalar::<_, Uuid>(
        "INSERT INTO users (username, display_name, role)
         VALUES ('test-translator', 'Test Translator', 'translator')
         ON CONFLICT (username) DO UPDATE SET username = EXCLUDED.username
         RETURNING id",
    )
    .fetch_one(pool)
    .await
    .expect("a translator to submit");
    sqlx::query(
        "UPDATE segments
            SET current_revision_id = $2, status = $3,
                approved_revision_id = CASE WHEN $3 = 'approved' THEN $2 END,
                submitted_at = CASE WHEN $3 = 'submitted' THEN now() END,
                submitted_by = CASE WHEN $3 = 'submitted' THEN $4::uuid END
          WHERE id = $1",
    )
    .bind(segment)
    .bind(revision)
    .bind(status)
    .bind(submitter)
    .execute(pool)
    .await
    .expect("update the segment");
}

// Accounts: signing in, cookies, forms.

/// The session token a response sets, from its `Set-Cookie` header.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    set_cookie_header(response, "plae_session").map(|header| {
        let value = header.split(';').next().unwrap_or_default();
        value.trim_start_matches("plae_session=").to_string()
    })
}

pub fn set_cookie_header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// What the header's user area says: the user's name and role, or "Sign in".
pub async fn who_am_i(client: &reqwest::Client, app: &TestApp) -> String {
    let body = client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let html = Html::parse_document(&body);
    let nav = select_in(html.root_element(), ".site-nav");
    text(nav[0])
}

/// Posts the sign-in form from a fresh browser; returns the response.
pub async fn try_sign_in(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    let client = browser();
    let csrf = csrf_on_page(&client, app, "/sign-in").await;
    client
        .post(app.url("/sign-in"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

pub async fn form_error(response: reqwest::Response) -> String {
    let html = Html::parse_document(&response.text().await.unwrap());
    text(select_in(html.root_element(), ".form-error")[0])
}

/// A request carrying only this session cookie, as an attacker who kept it would send.
pub async fn with_old_cookie(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("Cookie", format!("plae_session={token}"))
        .send()
        .await
        .unwrap()
}

pub fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
