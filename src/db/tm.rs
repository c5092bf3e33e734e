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

/// A candidate for a segment's memory matches: a stored Thai source with its English,
/// from a TMX file or an approved segment.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TmCandidate {
    /// The `tm_units` row, for a unit from a file.
    pub unit_id: Option<Uuid>,
    /// The segment, for an approved segment of the book.
    pub segment_id: Option<Uuid>,
    pub source: String,
    pub target: String,
    /// The file's name, or the segment's chapter ("chapter 4").
    pub origin: String,
    /// pg_trgm's similarity of the sources, 0–1: the prefilter's order, not the score.
    pub similarity: f32,
}

/// Candidates per kind (files, approved segments) handed to the scorer.
const CANDIDATES: i64 = 15;

/// The memory's candidates for `source`: Thai→English units and approved segments (other
/// than `exclude`, the segment being translated) whose source shares enough trigrams with
/// it (pg_trgm's `%`, similarity ≥ 0.3: a 70% word-level match stays well above that),
/// the most similar first. `source` is normalized user-style text (`normalize_inline`),
/// `folded` the same folded for search. Fails with SQLSTATE 42883 (no `%` operator) on a
/// server without pg_trgm.
pub async fn lookup_candidates(
    conn: &mut PgConnection,
    source: &str,
    folded: &str,
    exclude: Option<Uuid>,
) -> Result<Vec<TmCandidate>, sqlx::Error> {
    sqlx::query_as::<_, TmCandidate>(
        "(SELECT u.id AS unit_id, NULL::uuid AS segment_id, u.source_text AS source,
                 u.target_text AS target, u.origin,
                 similarity(u.source_normalized, $1) AS similarity
            FROM tm_units u
           WHERE u.source_normalized % $1
             AND (u.source_lang = 'th' OR u.source_lang LIKE 'th-%')
             AND (u.target_lang = 'en' OR u.target_lang LIKE 'en-%')
           ORDER BY similarity DESC
           LIMIT $4)
         UNION ALL
         (SELECT NULL, s.id, s.source_th, r.text, 'chapter ' || c.number,
                 similarity(x.folded, $2)
            FROM segment_search x
            JOIN segments s ON s.id = x.segment_id
            JOIN revisions r ON r.id = s.approved_revision_id
            JOIN chapters c ON c.id = s.chapter_id
           WHERE x.folded % $2 AND s.retired_at IS NULL AND s.id IS DISTINCT FROM $3
           ORDER BY 6 DESC
           LIMIT $4)",
    )
    .bind(source)
    .bind(folded)
    .bind(exclude)
    .bind(CANDIDATES)
    .fetch_all(conn)
    .await
}

/// The English of a memory unit, or of an approved segment (its approved text): what
/// "Insert" puts into the editor.
pub async fn unit_target(conn: &mut PgConnection, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT target_text FROM tm_units WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn approved_target(
    conn: &mut PgConnection,
    segment_id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT r.text FROM segments s JOIN revisions r ON r.id = s.approved_revision_id
          WHERE s.id = $1",
    )
    .bind(segment_id)
    .fetch_optional(conn)
    .await
}
