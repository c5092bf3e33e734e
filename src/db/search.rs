//! Concordance search (`segment_search`, migration 0011): the word index Plae keeps up to
//! date, and the query over Thai and English.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::text::words;
use crate::tm;

/// An int4[] literal (`{1,2,3}`): arrays of different lengths cannot travel as one 2-D
/// array parameter, so each goes as text and is cast.
pub fn int_array(values: &[i32]) -> String {
    let items: Vec<String> = values.iter().map(i32::to_string).collect();
    format!("{{{}}}", items.join(","))
}

/// Segments broken per round trip when filling the word index.
const BATCH: i64 = 500;

/// Breaks the Thai of every segment whose words are not indexed yet (new or changed Thai,
/// see migration 0011) and stores them, with the translation memory's keys. Cheap when there are none: one probe of a partial
/// index. Returns how many segments were filled.
pub async fn fill_words(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let mut filled = 0;
    loop {
        let rows: Vec<(Uuid, String)> = sqlx::query_as(
            "SELECT x.segment_id, s.source_th
               FROM segment_search x JOIN segments s ON s.id = x.segment_id
              WHERE x.words IS NULL
              LIMIT $1",
        )
        .bind(BATCH)
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
        let sources: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
        let broken: Vec<String> = sources.iter().map(|s| words::break_words(s)).collect();
        let keys: Vec<String> = sources.iter().map(|s| int_array(&tm::keys(s))).collect();
        // Only where the Thai is still the one that was broken: a change meanwhile set
        // words to NULL again and its own fill will follow.
        let done = sqlx::query(
            "UPDATE segment_search x SET words = to_tsvector('simple', u.words),
                                         keys = u.keys::int4[]
               FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
                    AS u (id, source, words, keys),
                    segments s
              WHERE x.segment_id = u.id AND s.id = u.id AND s.source_th = u.source",
        )
        .bind(&ids)
        .bind(&sources)
        .bind(&broken)
        .bind(&keys)
        .execute(&mut *conn)
        .await?;
        filled += done.rows_affected();
        if (rows.len() as i64) < BATCH || done.rows_affected() == 0 {
            return Ok(filled);
        }
    }
}

/// What to look for and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest<'a> {
    /// `LIKE` pattern over the folded Thai; `None` for whole words only.
    pub like_pattern: Option<&'a str>,
    /// Plae-broken words of the query, space-joined (a phrase of Thai words).
    pub words: &'a str,
    /// The query as typed (normalized): English words.
    pub text: &'a str,
    pub chapter: Option<i32>,
    pub status: Option<&'a str>,
    /// Readers who are not signed in: the approved English only, never a draft.
    pub approved_only: bool,
    pub limit: i64,
}

/// A segment that matched.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SearchHit {
    pub segment_id: Uuid,
    pub book_slug: String,
    pub chapter_number: i32,
    pub chapter_title_th: String,
    /// 1-based place among the chapter's live segments.
    pub ordinal: i64,
    pub kind: String,
    pub status: String,
    pub source_th: String,
    /// The English searched and shown: current (signed in) or approved (readers).
    pub english: Option<String>,
    /// The query matched whole words (Thai or English), not only a piece of a word.
    pub whole_words: bool,
    /// How many segments matched in all (the same on every row).
    pub total: i64,
}

/// Live segments whose Thai contains the query (folded), or has its words in sequence, or
/// whose English has its words; whole-word matches first, then in reading order.
pub async fn search(
    conn: &mut PgConnection,
    request: &SearchRequest<'_>,
) -> Result<Vec<SearchHit>, sqlx::Error> {
    sqlx::query_as::<_, SearchHit>(
        "WITH hits AS (
             SELECT x.segment_id AS id FROM segment_search x WHERE x.folded LIKE $1
             UNION
             SELECT x.segment_id FROM segment_search x
              WHERE x.words @@ phraseto_tsquery('simple', $2)
             UNION
             SELECT s.id FROM revisions r JOIN segments s ON s.id = r.segment_id
              WHERE to_tsvector('simple', r.text) @@ plainto_tsquery('simple', $3)
                AND r.id = CASE WHEN $6 THEN s.approved_revision_id
                                ELSE s.current_revision_id END
         )
         SELECT s.id AS segment_id, b.slug AS book_slug, c.number AS chapter_number,
                c.title_th AS chapter_title_th,
                (SELECT count(*) FROM segments t
                  WHERE t.chapter_id = s.chapter_id AND t.retired_at IS NULL
                    AND t.position <= s.position) AS ordinal,
                s.kind, s.status, s.source_th, r.text AS english,
                coalesce(x.words @@ phraseto_tsquery('simple', $2), false)
                  OR coalesce(to_tsvector('simple', r.text) @@ plainto_tsquery('simple', $3),
                              false) AS whole_words,
                count(*) OVER () AS total
           FROM hits
           JOIN segments s ON s.id = hits.id
           JOIN chapters c ON c.id = s.chapter_id
           JOIN books b ON b.id = c.book_id
           LEFT JOIN segment_search x ON x.segment_id = s.id
           LEFT JOIN revisions r ON r.id = CASE WHEN $6 THEN s.approved_revision_id
                                                ELSE s.current_revision_id END
          WHERE s.retired_at IS NULL
            AND ($4::int IS NULL OR c.number = $4)
            AND ($5::text IS NULL OR s.status = $5)
          ORDER BY whole_words DESC, b.slug, c.position, s.position
          LIMIT $7",
    )
    .bind(request.like_pattern)
    .bind(request.words)
    .bind(request.text)
    .bind(request.chapter)
    .bind(request.status)
    .bind(request.approved_only)
    .bind(request.limit)
    .fetch_all(conn)
    .await
}

/// The chapters a search can be narrowed to: (number, Thai title), in reading order.
pub async fn chapter_choices(conn: &mut PgConnection) -> Result<Vec<(i32, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.number, c.title_th FROM chapters c JOIN books b ON b.id = c.book_id
          ORDER BY b.slug, c.position",
    )
    .fetch_all(conn)
    .await
}
