//! Loading an edition (`export::Edition`): a book, or one of its chapters, with every live
//! segment's Thai, its latest English and its approved English. Two queries whatever the
//! size of the book: the chapters, then all their segments in reading order.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::export::{Edition, EditionChapter, EditionSegment, Kind, Status};

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
    // The English of each kind: the text of the revision each pointer names.
    let segments = sqlx::query_as::<_, SegmentRow>(
        "SELECT c.number AS chapter_number, s.id, s.kind, s.source_th, s.status,
                cur.text AS draft, app.text AS approved
           FROM books b
           JOIN chapters c ON c.book_id = b.id
           JOIN segments s ON s.chapter_id = c.id
           LEFT JOIN revisions cur ON cur.id = s.current_revision_id
           LEFT JOIN revisions app ON app.id = s.approved_revision_id
          WHERE b.slug = $1 AND ($2::integer IS NULL OR c.number = $2)
            AND s.retired_at IS NULL
          ORDER BY c.position, s.position",
    )
    .bind(book_slug)
    .bind(scope.chapter_number())
    .fetch_all(&mut *conn)
    .await?;

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
        edition.chapters[chapter].segments.push(segment(row)?);
    }
    Ok(Some(edition))
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
    })
}
