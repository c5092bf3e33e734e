//! What the reading pages need around a chapter's segments: the book and chapter they
//! belong to and the chapters either side, in one query.

use sqlx::PgConnection;
use uuid::Uuid;

/// A chapter with its book and its neighbours in reading order.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChapterHeader {
    pub book_slug: String,
    pub book_title_th: String,
    pub book_title_en: String,
    pub chapter_id: Uuid,
    pub number: i32,
    pub title_th: String,
    pub title_en: Option<String>,
    pub prev_number: Option<i32>,
    pub next_number: Option<i32>,
    /// Goes up with every change to the chapter's segments (migration 0006): a rendered
    /// page can be reused as long as the header, this included, is the same.
    pub content_version: i64,
    /// The claim expiry setting as stored (`None`: the default). Workspace pages show when
    /// claims expire, and a change of the setting bumps no `content_version`.
    pub claim_expiry_setting: Option<String>,
}

/// Neighbours by `position` (the reading order), not `number ± 1`: numbers may have gaps
/// (a book of excerpts starts at chapter 3). This runs on every view of a chapter, so it
/// reads rows by key and nothing else.
const CHAPTER_HEADER: &str = "
    SELECT b.slug AS book_slug, b.title_th AS book_title_th, b.title_en AS book_title_en,
           c.id AS chapter_id, c.number, c.title_th, c.title_en,
           (SELECT p.number FROM chapters p
             WHERE p.book_id = c.book_id AND p.position < c.position
             ORDER BY p.position DESC LIMIT 1) AS prev_number,
           (SELECT n.number FROM chapters n
             WHERE n.book_id = c.book_id AND n.position > c.position
             ORDER BY n.position LIMIT 1) AS next_number,
           c.content_version,
           (SELECT st.value::text FROM settings st WHERE st.key = 'claim_expiry_minutes')
               AS claim_expiry_setting
      FROM chapters c
      JOIN books b ON b.id = c.book_id";

/// Chapter `number` of the book with this slug.
pub async fn chapter_header_by_number(
    conn: &mut PgConnection,
    book_slug: &str,
    number: i32,
) -> Result<Option<ChapterHeader>, sqlx::Error> {
    sqlx::query_as::<_, ChapterHeader>(&format!(
        "{CHAPTER_HEADER} WHERE b.slug = $1 AND c.number = $2"
    ))
    .bind(book_slug)
    .bind(number)
    .fetch_optional(conn)
    .await
}

pub async fn chapter_header(
    conn: &mut PgConnection,
    chapter_id: Uuid,
) -> Result<Option<ChapterHeader>, sqlx::Error> {
    sqlx::query_as::<_, ChapterHeader>(&format!("{CHAPTER_HEADER} WHERE c.id = $1"))
        .bind(chapter_id)
        .fetch_optional(conn)
        .await
}
