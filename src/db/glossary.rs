//! The glossary (`glossary_terms`) and the candidates reviewers rejected
//! (`glossary_rejections`), migration 0013. Every change to the terms bumps every
//! chapter's `content_version` (a trigger): the chapter pages count glossary findings.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::glossary::NewTerm;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Term {
    pub id: Uuid,
    pub thai: String,
    pub english: String,
    pub note: String,
    /// `proposed` or `approved`.
    pub status: String,
    pub thai_key: String,
    pub updated_by_name: Option<String>,
    pub updated_at: DateTime<Utc>,
}

const TERM_COLUMNS: &str = "t.id, t.thai, t.english, t.note, t.term_status AS status, t.thai_key,
    u.username AS updated_by_name, t.updated_at";

/// Terms, by their Thai; `search` (any case) in the Thai, the English or the note, and
/// `status`, when given.
pub async fn list_terms(
    conn: &mut PgConnection,
    search: Option<&str>,
    status: Option<&str>,
) -> Result<Vec<Term>, sqlx::Error> {
    sqlx::query_as::<_, Term>(&format!(
        "SELECT {TERM_COLUMNS} FROM glossary_terms t LEFT JOIN users u ON u.id = t.updated_by
          WHERE ($1::text IS NULL
                 OR strpos(lower(t.thai || ' ' || t.english || ' ' || t.note), lower($1)) > 0)
            AND ($2::text IS NULL OR t.term_status = $2)
          ORDER BY t.thai_key, lower(t.english)"
    ))
    .bind(search)
    .bind(status)
    .fetch_all(conn)
    .await
}

pub async fn get_term(conn: &mut PgConnection, id: Uuid) -> Result<Option<Term>, sqlx::Error> {
    sqlx::query_as::<_, Term>(&format!(
        "SELECT {TERM_COLUMNS} FROM glossary_terms t LEFT JOIN users u ON u.id = t.updated_by
          WHERE t.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The terms whose Thai occurs in `thai` (a segment's normalized text).
pub async fn terms_in_text(conn: &mut PgConnection, thai: &str) -> Result<Vec<Term>, sqlx::Error> {
    sqlx::query_as::<_, Term>(&format!(
        "SELECT {TERM_COLUMNS} FROM glossary_terms t LEFT JOIN users u ON u.id = t.updated_by
          WHERE strpos($1, t.thai_key) > 0
          ORDER BY t.thai_key, lower(t.english)"
    ))
    .bind(thai)
    .fetch_all(conn)
    .await
}

/// The approved terms (Thai key, English), for the checks.
pub async fn approved_terms(conn: &mut PgConnection) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT thai_key, english FROM glossary_terms WHERE term_status = 'approved'")
        .fetch_all(conn)
        .await
}

/// Adds a term; `None` if the pair (Thai, English in any case) is there already.
pub async fn insert_term(
    conn: &mut PgConnection,
    term: &NewTerm,
    by: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO glossary_terms (thai, english, note, term_status, thai_key, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (thai_key, lower(english)) DO NOTHING
         RETURNING id",
    )
    .bind(&term.thai)
    .bind(&term.english)
    .bind(&term.note)
    .bind(term.status.as_str())
    .bind(term.thai_key())
    .bind(by)
    .fetch_optional(conn)
    .await
}

/// Changes a term. `Ok(false)`: no such term. A change onto another term's pair is the
/// database's unique violation (`is_duplicate`).
pub async fn update_term(
    conn: &mut PgConnection,
    id: Uuid,
    term: &NewTerm,
    by: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE glossary_terms
            SET thai = $2, english = $3, note = $4, term_status = $5, thai_key = $6,
                updated_by = $7, updated_at = now()
          WHERE id = $1",
    )
    .bind(id)
    .bind(&term.thai)
    .bind(&term.english)
    .bind(&term.note)
    .bind(term.status.as_str())
    .bind(term.thai_key())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn approve_term(
    conn: &mut PgConnection,
    id: Uuid,
    by: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE glossary_terms SET term_status = 'approved', updated_by = $2, updated_at = now()
          WHERE id = $1",
    )
    .bind(id)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_term(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM glossary_terms WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Adds the terms, or updates the note and status of a pair that is there already; run it
/// in a transaction (the caller's), so a failure changes nothing.
pub async fn import_terms(
    conn: &mut PgConnection,
    terms: &[NewTerm],
    by: Uuid,
) -> Result<ImportCounts, sqlx::Error> {
    let mut counts = ImportCounts::default();
    for term in terms {
        // `xmax = 0`: the row was inserted, not updated. No row: nothing to change.
        let inserted: Option<bool> = sqlx::query_scalar(
            "INSERT INTO glossary_terms (thai, english, note, term_status, thai_key, created_by, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $6)
             ON CONFLICT (thai_key, lower(english)) DO UPDATE
                SET note = EXCLUDED.note, term_status = EXCLUDED.term_status,
                    updated_by = EXCLUDED.updated_by, updated_at = now()
              WHERE (glossary_terms.note, glossary_terms.term_status)
                    IS DISTINCT FROM (EXCLUDED.note, EXCLUDED.term_status)
             RETURNING xmax = 0",
        )
        .bind(&term.thai)
        .bind(&term.english)
        .bind(&term.note)
        .bind(term.status.as_str())
        .bind(term.thai_key())
        .bind(by)
        .fetch_optional(&mut *conn)
        .await?;
        match inserted {
            Some(true) => counts.added += 1,
            Some(false) => counts.updated += 1,
            None => counts.unchanged += 1,
        }
    }
    Ok(counts)
}

/// The live segments' Thai of every book, in reading order: what candidates are mined from.
pub async fn book_thai(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s.source_th FROM segments s JOIN chapters c ON c.id = s.chapter_id
          WHERE s.retired_at IS NULL ORDER BY c.book_id, c.position, s.position",
    )
    .fetch_all(conn)
    .await
}

/// Remembers that a candidate pair was rejected (again is fine).
pub async fn reject_candidate(
    conn: &mut PgConnection,
    thai_key: &str,
    english_key: &str,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO glossary_rejections (thai_key, english_key, rejected_by) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(thai_key)
    .bind(english_key)
    .bind(by)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Every rejected pair: (Thai key, English key).
pub async fn rejected_pairs(
    conn: &mut PgConnection,
) -> Result<HashSet<(String, String)>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT thai_key, english_key FROM glossary_rejections")
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().collect())
}

/// A unique violation: the pair is in the glossary already.
pub fn is_duplicate(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("23505"))
}
