//! Chapters and the per-chapter progress shown on the home page.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Chapter {
    pub id: Uuid,
    pub book_id: Uuid,
    pub number: i32,
    pub position: i32,
    pub title_th: String,
    pub title_en: Option<String>,
    pub source_name: String,
    pub source_sha256: String,
    pub imported_at: DateTime<Utc>,
}

const CHAPTER_COLUMNS: &str = "id, book_id, number, position, title_th, title_en, \
                               source_name, source_sha256, imported_at";

/// One chapter's progress. Retired segments do not count; "translated" means any status past
/// `untranslated`. Character counts are of the Thai source, so they measure how much of the
/// book's text is done whatever the length of the English.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChapterProgress {
    pub id: Uuid,
    pub number: i32,
    pub title_th: String,
    pub title_en: Option<String>,
    pub segments: i64,
    pub thai_chars: i64,
    pub translated_segments: i64,
    pub translated_chars: i64,
    pub approved_segments: i64,
    pub approved_chars: i64,
}

/// Every chapter of a book with its progress, in reading order: one query for the whole
/// home page.
pub async fn chapter_progress(
    conn: &mut PgConnection,
    book_id: Uuid,
) -> Result<Vec<ChapterProgress>, sqlx::Error> {
    sqlx::query_as::<_, ChapterProgress>(
        "SELECT c.id, c.number, c.title_th, c.title_en,
                count(s.id) AS segments,
                COALESCE(sum(s.source_chars), 0)::bigint AS thai_chars,
                count(s.id) FILTER (WHERE s.status <> 'untranslated') AS translated_segments,
                COALESCE(sum(s.source_chars)
                         FILTER (WHERE s.status <> 'untranslated'), 0)::bigint
                    AS translated_chars,
                count(s.id) FILTER (WHERE s.status = 'approved') AS approved_segments,
                COALESCE(sum(s.source_chars)
                         FILTER (WHERE s.status = 'approved'), 0)::bigint AS approved_chars
           FROM chapters c
           LEFT JOIN segments s ON s.chapter_id = c.id AND s.retired_at IS NULL
          WHERE c.book_id = $1
          GROUP BY c.id
          ORDER BY c.position",
    )
    .bind(book_id)
    .fetch_all(conn)
    .await
}

pub async fn get_chapter(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Chapter>, sqlx::Error> {
    sqlx::query_as::<_, Chapter>(&format!(
        "SELECT {CHAPTER_COLUMNS} FROM chapters WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn get_chapter_by_number(
    conn: &mut PgConnection,
    book_id: Uuid,
    number: i32,
) -> Result<Option<Chapter>, sqlx::Error> {
    sqlx::query_as::<_, Chapter>(&format!(
        "SELECT {CHAPTER_COLUMNS} FROM chapters WHERE book_id = $1 AND number = $2"
    ))
    .bind(book_id)
    .bind(number)
    .fetch_optional(conn)
    .await
}

/// A chapter's identity and source, as an import writes them.
#[derive(Debug, Clone)]
pub struct ChapterSource<'a> {
    pub number: i32,
    pub title_th: &'a str,
    pub title_en: Option<&'a str>,
    pub source_name: &'a str,
    pub source_sha256: &'a str,
}

/// Creates a chapter at the end of the book; `renumber_chapters` puts it in its place.
pub async fn insert_chapter(
    conn: &mut PgConnection,
    book_id: Uuid,
    source: &ChapterSource<'_>,
) -> Result<Chapter, sqlx::Error> {
    sqlx::query_as::<_, Chapter>(&format!(
        "INSERT INTO chapters
              (book_id, number, position, title_th, title_en, source_name, source_sha256)
         VALUES ($1, $2,
                 (SELECT COALESCE(max(position) + 1, 0) FROM chapters WHERE book_id = $1),
                 $3, $4, $5, $6)
         RETURNING {CHAPTER_COLUMNS}"
    ))
    .bind(book_id)
    .bind(source.number)
    .bind(source.title_th)
    .bind(source.title_en)
    .bind(source.source_name)
    .bind(source.source_sha256)
    .fetch_one(conn)
    .await
}

/// Records a new source text for the chapter (and its titles). Only called when the text
/// changed, so `imported_at` moves.
pub async fn update_chapter_source(
    conn: &mut PgConnection,
    id: Uuid,
    source: &ChapterSource<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE chapters SET title_th = $2, title_en = $3, source_name = $4,
                             source_sha256 = $5, imported_at = now()
          WHERE id = $1",
    )
    .bind(id)
    .bind(source.title_th)
    .bind(source.title_en)
    .bind(source.source_name)
    .bind(source.source_sha256)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Brings the titles up to date without touching anything else; a no-op when they already
/// are (an unchanged re-import writes nothing).
pub async fn update_chapter_titles(
    conn: &mut PgConnection,
    id: Uuid,
    title_th: &str,
    title_en: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE chapters SET title_th = $2, title_en = $3
          WHERE id = $1 AND (title_th, title_en) IS DISTINCT FROM ($2, $3)",
    )
    .bind(id)
    .bind(title_th)
    .bind(title_en)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Sets each chapter's position to its rank by number, writing only the rows that move.
pub async fn renumber_chapters(conn: &mut PgConnection, book_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE chapters c SET position = r.rank
           FROM (SELECT id, (row_number() OVER (ORDER BY number) - 1)::int AS rank
                   FROM chapters WHERE book_id = $1) r
          WHERE c.id = r.id AND c.position <> r.rank",
    )
    .bind(book_id)
    .execute(conn)
    .await
    .map(|_| ())
}
