//! The translation memory (`tm_units`): pairs imported from TMX files.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A pair to store. The texts are stored as given (already normalized by the importer);
/// `source_normalized` is what lookups compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTmUnit {
    pub source_lang: String,
    pub target_lang: String,
    pub source_text: String,
    pub target_text: String,
    pub source_normalized: String,
    pub file_created_at: Option<DateTime<Utc>>,
    pub file_created_by: Option<String>,
}

/// Rows per INSERT: few round trips for a large file, statements of a sensible size.
const BATCH: usize = 1000;

/// Inserts the units, all from the file `origin`, imported by `created_by`. A pair already
/// stored (same languages and texts) is left alone. Returns how many were new.
pub async fn insert_units(
    conn: &mut PgConnection,
    units: &[NewTmUnit],
    origin: &str,
    created_by: Option<Uuid>,
) -> Result<u64, sqlx::Error> {
    let mut added = 0;
    for batch in units.chunks(BATCH) {
        let column =
            |f: fn(&NewTmUnit) -> &String| batch.iter().map(f).cloned().collect::<Vec<_>>();
        let created_at: Vec<Option<DateTime<Utc>>> =
            batch.iter().map(|u| u.file_created_at).collect();
        let created_id: Vec<Option<String>> =
            batch.iter().map(|u| u.file_created_by.clone()).collect();
        added += sqlx::query(
            "INSERT INTO tm_units (source_lang, target_lang, source_text, target_text,
                                   source_normalized, file_created_at, file_created_by,
                                   origin, created_by)
             SELECT u.*, $8, $9
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                           $6::timestamptz[], $7::text[]) AS u
             ON CONFLICT DO NOTHING",
        )
        .bind(column(|u| &u.source_lang))
        .bind(column(|u| &u.target_lang))
        .bind(column(|u| &u.source_text))
        .bind(column(|u| &u.target_text))
        .bind(column(|u| &u.source_normalized))
        .bind(created_at)
        .bind(created_id)
        .bind(origin)
        .bind(created_by)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(added)
}

/// A stored unit, as tests and the later lookup read it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TmUnit {
    pub id: Uuid,
    pub source_lang: String,
    pub target_lang: String,
    pub source_text: String,
    pub target_text: String,
    pub source_normalized: String,
    pub origin: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub file_created_at: Option<DateTime<Utc>>,
    pub file_created_by: Option<String>,
}

/// Every unit, oldest first.
pub async fn list_units(conn: &mut PgConnection) -> Result<Vec<TmUnit>, sqlx::Error> {
    sqlx::query_as::<_, TmUnit>(
        "SELECT id, source_lang, target_lang, source_text, target_text, source_normalized,
                origin, created_by, created_at, file_created_at, file_created_by
           FROM tm_units ORDER BY created_at, id",
    )
    .fetch_all(conn)
    .await
}
