//! Fetching pages and reading them: HTML parsed with `scraper`, and the database's view of
//! the same chapter to compare with.

use reqwest::StatusCode;
use scraper::{ElementRef, Html, Selector};
use sqlx::PgPool;
use uuid::Uuid;

use crate::common::TestApp;

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
    sqlx::query("UPDATE segments SET current_revision_id = $2, status = $3 WHERE id = $1")
        .bind(segment)
        .bind(revision)
        .bind(status)
        .execute(pool)
        .await
        .expect("update the segment");
}
