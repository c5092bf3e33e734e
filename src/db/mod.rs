//! SQL, one file per table group: every query the application runs lives here.
//!
//! Functions take `&mut PgConnection` (a pooled connection or a transaction, `&mut *tx`) or
//! `&PgPool`, and return plain row structs.
//!
//! The queries are runtime-checked (`sqlx::query_as::<_, T>` with `#[derive(FromRow)]`), not
//! the compile-time `query!` macros: those need a live database (or a committed `.sqlx/`
//! cache) at build time, and for now we build with neither. The integration tests run every
//! query here against a real PostgreSQL instead.

pub mod alignments;
pub mod books;
pub mod chapters;
pub mod checks;
pub mod claims;
pub mod comments;
pub mod corrections;
pub mod events;
pub mod export;
pub mod glossary;
pub mod pages;
pub mod pdf_builds;
pub mod restructures;
pub mod reviews;
pub mod revisions;
pub mod search;
pub mod segments;
pub mod server_keys;
pub mod sessions;
pub mod settings;
pub mod sign_in;
pub mod tm;
pub mod users;
pub mod workspace;

use sqlx::{PgConnection, PgPool};

/// Checks that the database answers (the health check).
pub async fn ping(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(pool).await.map(|_| ())
}

/// Serializes imports (and first-start corpus imports by several instances) until the
/// transaction ends. Readers and translators are not blocked.
pub async fn lock_for_import(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    /// "plaeimpt" in ASCII: any fixed key works, as long as nothing else uses it.
    const IMPORT_LOCK: i64 = 0x706c_6165_696d_7074;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(IMPORT_LOCK)
        .execute(conn)
        .await
        .map(|_| ())
}
