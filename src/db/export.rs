//! Loading an edition (`export::Edition`): a book, or one of its chapters, with every live
//! segment's Thai, its latest English and its approved English, who wrote and approved
//! them, and its comments. Three queries whatever the size of the book: the chapters, all
//! their segments in reading order, all their comments.
//!
//! Also what an XLIFF import needs to know about the segments a file names
//! ([`segments_for_import`]).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::export::{
    Edition, EditionChapter, EditionComment, EditionSegment, Kind, SegmentRecord, Signature, Status,
};

/// What an edition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Book,
    /// The chapter with this number (as printed).
    Chapter(i32),
}

impl Scope {
    fn chapter_number(self) -> Option<i32> {
        match self {
            Scope::Book => None,
            Scope::Chapter(number) => Some(number),
        }
    }
}

#[derive(sqlx::FromRow)]
struct ChapterRow {
    book_title_th: String,
    book_title_en: String,
    number: Option<i32>,
    title_th: Option<String>,
    title_en: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SegmentRow {
    chapter_number: i32,
    id: Uuid,
    kind: String,
    source_th: String,
    status: String,
    draft: Option<String>,
    approved: Option<String>,
    current_revision_id: Option<Uuid>,
    draft_by: Option<String>,
    draft_at: Option<DateTime<Utc>>,
    approved_text_by: Option<String>,
    approved_text_at: Option<DateTime<Utc>>,
    approved_by: Option<String>,
    approved_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    segment_id: Uuid,
    author: String,
    body: String,
    created_at: DateTime<Utc>,
    reply: bool,
    resolved: bool,
}

/// The book with this slug, whole or one chapter; `None` when there is no such book or
/// no such chapter. Retired segments are left out (they are no longer in the source).
pub async fn load_edition(
    conn: &mut PgConnection,
    book_slug: &str,
    scope: Scope,
) -> Result<Option<Edition>, sqlx::Error> {
    // One row per chapter, or one row of nulls for a book without chapters (in scope).
    let chapters = sqlx::query_as::<_, ChapterRow>(
        "SELECT b.title_th AS book_title_th, b.title_en AS book_title_en,
                c.number, c.title_th, c.title_en
           FROM books b
           LEFT JOIN chapters c
             ON c.book_id = b.id AND ($2::integer IS NULL OR c.number = $2)
          WHERE b.slug = $1
          ORDER BY c.position",
    )
    .bind(book_slug)
    .bind(scope.chapter_number())
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = chapters.first() else {
        return Ok(None);
    };
    if scope != Scope::Book && first.number.is_none() {
        return Ok(None);
    }
    // The English of each kind: the text of the revision each pointer names, its author,
    // and the latest decision that approved the approved one.
    let segments = sqlx::query_as::<_, SegmentRow>(
        "SELECT c.number AS chapter_number, s.id, s.kind, s.source_th, s.status,
                cur.text AS draft, app.text AS approved, s.current_revision_id,
                cur_by.username AS draft_by, cur.created_at AS draft_at,
                app_by.username AS approved_text_by, app.created_at AS approved_text_at,
                decision.username AS approved_by, decision.created_at AS approved_at
           FROM books b
           JOIN chapters c ON c.book_id = b.id
           JOIN segments s ON s.chapter_id = c.id
           LEFT JOIN revisions cur ON cur.id = s.current_revision_id
           LEFT JOIN users cur_by ON cur_by.id = cur.author_id
           LEFT JOIN revisions app ON app.id = s.approved_revision_id
           LEFT JOIN users app_by ON app_by.id = app.author_id
           LEFT JOIN LATERAL (
                SELECT u.username, r.created_at
                  FROM reviews r JOIN users u ON u.id = r.reviewer_id
                 WHERE r.segment_id = s.id AND r.revision_id = s.approved_revision_id
                   AND r.verdict = 'approved'
                 ORDER BY r.created_at DESC LIMIT 1) decision ON true
          WHERE b.slug = $1 AND ($2::integer IS NULL OR c.number = $2)
            AND s.retired_at IS NULL
          ORDER BY c.position, s.position",
    )
    .bind(book_slug)
    .bind(scope.chapter_number())
    .fetch_all(&mut *conn)
    .await?;
    let mut comments = load_comments(conn, book_slug, scope).await?;

    let mut edition = Edition {
        title_th: first.book_title_th.clone(),
        title_en: first.book_title_en.clone(),
        chapters: chapters
            .into_iter()
            .filter_map(|row| {
                Some(EditionChapter {
                    number: row.number?,
                    title_th: row.title_th?,
                    title_en: row.title_en,
                    segments: Vec::new(),
                })
            })
            .collect(),
    };
    // Both lists are in reading order: walk them together.
    let mut chapter = 0;
    for row in segments {
        while edition.chapters[chapter].number != row.chapter_number {
            chapter += 1;
        }
        let mut segment = segment(row)?;
        segment.record.comments = comments.remove(&segment.id).unwrap_or_default();
        edition.chapters[chapter].segments.push(segment);
    }
    Ok(Some(edition))
}

/// The comments on the live segments in scope, by segment, thread by thread (oldest
/// thread first, each thread's replies after it).
async fn load_comments(
    conn: &mut PgConnection,
    book_slug: &str,
    scope: Scope,
) -> Result<HashMap<Uuid, Vec<EditionComment>>, sqlx::Error> {
    let rows = sqlx::query_as::<_, CommentRow>(
        "SELECT m.segment_id, u.username AS author, m.body, m.created_at,
                m.parent_id IS NOT NULL AS reply, root.resolved_at IS NOT NULL AS resolved
           FROM books b
           JOIN chapters c ON c.book_id = b.id
           JOIN segments s ON s.chapter_id = c.id
           JOIN comments m ON m.segment_id = s.id
           JOIN comments root ON root.id = coalesce(m.parent_id, m.id)
           JOIN users u ON u.id = m.author_id
          WHERE b.slug = $1 AND ($2::integer IS NULL OR c.number = $2)
            AND s.retired_at IS NULL
          ORDER BY m.segment_id, root.created_at, root.id, m.parent_id NULLS FIRST,
                   m.created_at, m.id",
    )
    .bind(book_slug)
    .bind(scope.chapter_number())
    .fetch_all(conn)
    .await?;
    let mut by_segment: HashMap<Uuid, Vec<EditionComment>> = HashMap::new();
    for row in rows {
        by_segment
            .entry(row.segment_id)
            .or_default()
            .push(EditionComment {
                author: row.author,
                at: row.created_at,
                body: row.body,
                reply: row.reply,
                resolved: row.resolved,
            });
    }
    Ok(by_segment)
}

fn segment(row: SegmentRow) -> Result<EditionSegment, sqlx::Error> {
    let decode = |what: &str, value: &str| {
        sqlx::Error::Decode(format!("segment {}: unknown {what} `{value}`", row.id).into())
    };
    Ok(EditionSegment {
        id: row.id,
        kind: Kind::parse(&row.kind).ok_or_else(|| decode("kind", &row.kind))?,
        status: Status::parse(&row.status).ok_or_else(|| decode("status", &row.status))?,
        thai: row.source_th,
        draft: row.draft,
        approved: row.approved,
        record: SegmentRecord {
            draft_revision: row.current_revision_id,
            drafted: row.draft_at.map(|at| Signature {
                by: row.draft_by,
                at,
            }),
            translated: row.approved_text_at.map(|at| Signature {
                by: row.approved_text_by,
                at,
            }),
            approved: row.approved_at.map(|at| Signature {
                by: row.approved_by,
                at,
            }),
            comments: Vec::new(),
        },
    })
}

/// A segment an XLIFF file names, as an import needs it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ImportTarget {
    pub id: Uuid,
    pub source_th: String,
    pub status: String,
    pub retired: bool,
    pub current_revision_id: Option<Uuid>,
    /// The current revision's text.
    pub english: Option<String>,
}

/// The segments with these ids (those that exist), in no particular order.
pub async fn segments_for_import(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<ImportTarget>, sqlx::Error> {
    sqlx::query_as::<_, ImportTarget>(
        "SELECT s.id, s.source_th, s.status, s.retired_at IS NOT NULL AS retired,
                s.current_revision_id, r.text AS english
           FROM segments s
           LEFT JOIN revisions r ON r.id = s.current_revision_id
          WHERE s.id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(conn)
    .await
}
