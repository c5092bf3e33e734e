//! The translation memory (`tm_units`): pairs imported from TMX files.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::search::int_array;

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
        let keys: Vec<String> = batch
            .iter()
            .map(|u| int_array(&crate::tm::keys(&u.source_normalized)))
            .collect();
        added += sqlx::query(
            "INSERT INTO tm_units (source_lang, target_lang, source_text, target_text,
                                   source_normalized, file_created_at, file_created_by,
                                   source_keys, origin, created_by)
             SELECT u.l1, u.l2, u.st, u.tt, u.sn, u.fa, u.fb, u.k::int4[], $9, $10
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                           $6::timestamptz[], $7::text[], $8::text[])
                    AS u (l1, l2, st, tt, sn, fa, fb, k)
             ON CONFLICT DO NOTHING",
        )
        .bind(column(|u| &u.source_lang))
        .bind(column(|u| &u.target_lang))
        .bind(column(|u| &u.source_text))
        .bind(column(|u| &u.target_text))
        .bind(column(|u| &u.source_normalized))
        .bind(created_at)
        .bind(created_id)
        .bind(keys)
        .bind(origin)
        .bind(created_by)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(added)
}

/// Moves the key index's pending entries into the index proper. PostgreSQL queues the
/// GIN entries of new rows in a pending list that every lookup reads through until
/// autovacuum merges it: after a large import, a few thousand arrays per lookup (p95 17 ms
/// instead of 10 ms with 100,000 units, `cargo bench --bench tm`).
pub async fn merge_pending_keys(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT gin_clean_pending_list('tm_units_keys_idx'::regclass)")
        .execute(conn)
        .await
        .map(drop)
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
    /// Share of lookup keys in common, 0–1: the prefilter's order, not the score.
    pub similarity: f32,
}

/// Units whose keys are read per lookup at most, per kind: a bound on the work a query
/// made only of very common n-grams can cause.
const SCANNED: i64 = 2000;
/// The memory's side of a lookup asks the index for at most this many of the query's
/// keys, the rarest first (`tm_key_counts`, migration 0016), and stops adding keys once
/// they are held by this many units in all (the rarest one is asked for in any case).
const RARE_KEYS: i64 = 12;
const RARE_UNITS: i64 = 1500;

/// Memory units and approved segments (other than `exclude`, the segment being
/// translated) that may be near copies of a text with lookup keys `keys`: (unit id or
/// segment id, is a segment, keys).
///
/// Units are found by the query's rarest keys held by any unit: a near copy holds most of
/// the query's keys, rare ones included, while a common key (an everyday Thai word) would
/// bring thousands of unrelated units. The book's approved segments, far fewer, are found
/// by `probe`, a fixed sample of the keys (`tm::probe_keys`).
pub async fn candidates_by_keys(
    conn: &mut PgConnection,
    keys: &[i32],
    probe: &[i32],
    exclude: Option<Uuid>,
) -> Result<Vec<(Uuid, bool, Vec<i32>)>, sqlx::Error> {
    sqlx::query_as(
        "WITH rare AS (
             SELECT array_agg(key) AS keys
               FROM (SELECT key, row_number() OVER w AS n, sum(units) OVER w AS held
                       FROM tm_key_counts
                      WHERE key = ANY($1) AND units > 0
                     WINDOW w AS (ORDER BY units, key)) AS k
              WHERE n = 1 OR (n <= $5 AND held <= $6)
         )
         (SELECT u.id, false, u.source_keys
            FROM tm_units u, rare
           WHERE u.source_keys && rare.keys
             AND (u.source_lang = 'th' OR u.source_lang LIKE 'th-%')
             AND (u.target_lang = 'en' OR u.target_lang LIKE 'en-%')
           LIMIT $4)
         UNION ALL
         (SELECT s.id, true, x.keys
            FROM segment_search x
            JOIN segments s ON s.id = x.segment_id
           WHERE x.keys && $2 AND s.approved_revision_id IS NOT NULL
             AND s.retired_at IS NULL AND s.id IS DISTINCT FROM $3
           LIMIT $4)",
    )
    .bind(keys)
    .bind(probe)
    .bind(exclude)
    .bind(SCANNED)
    .bind(RARE_KEYS)
    .bind(RARE_UNITS)
    .fetch_all(conn)
    .await
}

/// The texts of the chosen candidates: memory units by id, approved segments by id.
pub async fn candidate_texts(
    conn: &mut PgConnection,
    units: &[Uuid],
    segments: &[Uuid],
) -> Result<Vec<TmCandidate>, sqlx::Error> {
    sqlx::query_as::<_, TmCandidate>(
        "SELECT u.id AS unit_id, NULL::uuid AS segment_id, u.source_text AS source,
                u.target_text AS target, u.origin, 0::real AS similarity
           FROM tm_units u WHERE u.id = ANY($1)
         UNION ALL
         SELECT NULL, s.id, s.source_th, r.text, 'chapter ' || c.number, 0
           FROM segments s
           JOIN revisions r ON r.id = s.approved_revision_id
           JOIN chapters c ON c.id = s.chapter_id
          WHERE s.id = ANY($2)",
    )
    .bind(units)
    .bind(segments)
    .fetch_all(conn)
    .await
}

/// Computes the keys of units stored before they had any (migration 0011). Returns how
/// many were filled.
pub async fn fill_unit_keys(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let mut filled = 0;
    loop {
        let rows: Vec<(Uuid, String)> = sqlx::query_as(
            "SELECT id, source_normalized FROM tm_units WHERE source_keys IS NULL LIMIT 1000",
        )
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
        let keys: Vec<String> = rows
            .iter()
            .map(|r| int_array(&crate::tm::keys(&r.1)))
            .collect();
        filled += sqlx::query(
            "UPDATE tm_units t SET source_keys = u.keys::int4[]
               FROM unnest($1::uuid[], $2::text[]) AS u (id, keys) WHERE t.id = u.id",
        )
        .bind(&ids)
        .bind(&keys)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
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
