//! Books.

use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Book {
    pub id: Uuid,
    pub slug: String,
    pub title_th: String,
    pub title_en: String,
}

/// All books, by slug.
pub async fn list_books(conn: &mut PgConnection) -> Result<Vec<Book>, sqlx::Error> {
    sqlx::query_as::<_, Book>("SELECT id, slug, title_th, title_en FROM books ORDER BY slug")
        .fetch_all(conn)
        .await
}

pub async fn get_book_by_slug(
    conn: &mut PgConnection,
    slug: &str,
) -> Result<Option<Book>, sqlx::Error> {
    sqlx::query_as::<_, Book>("SELECT id, slug, title_th, title_en FROM books WHERE slug = $1")
        .bind(slug)
        .fetch_optional(conn)
        .await
}

/// Whether any book has been imported: a fresh database gets the corpus on first start.
pub async fn database_holds_a_book(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM books)")
        .fetch_one(conn)
        .await
}

/// Creates the book, or brings its titles up to date. A row whose titles are already right
/// is not written at all.
pub async fn upsert_book(
    conn: &mut PgConnection,
    slug: &str,
    title_th: &str,
    title_en: &str,
) -> Result<Book, sqlx::Error> {
    sqlx::query(
        "INSERT INTO books (slug, title_th, title_en) VALUES ($1, $2, $3) \
         ON CONFLICT (slug) DO UPDATE SET title_th = EXCLUDED.title_th, \
                                          title_en = EXCLUDED.title_en \
         WHERE (books.title_th, books.title_en) \
               IS DISTINCT FROM (EXCLUDED.title_th, EXCLUDED.title_en)",
    )
    .bind(slug)
    .bind(title_th)
    .bind(title_en)
    .execute(&mut *conn)
    .await?;
    get_book_by_slug(conn, slug)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}
