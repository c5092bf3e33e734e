//! A segment's history: every revision, newest first, the word-level difference between
//! any two (chosen with a GET form; by default the previous and the current one), the
//! review decisions, and a button to restore an earlier text (as a new revision).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::chrome::Chrome;
use super::notice::When;
use super::page::{chapter_path, render, segment_path};
use super::segments::segment_id;
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::pages::ChapterHeader;
use crate::db::reviews::ReviewEntry;
use crate::db::revisions::HistoryEntry;
use crate::workflow::{self, DiffOp};

#[derive(Template)]
#[template(path = "segments/history.html", whitespace = "minimize")]
pub struct HistoryPage<'a> {
    pub chrome: Chrome,
    pub header: &'a ChapterHeader,
    pub chapter_href: String,
    pub segment_href: String,
    pub ordinal: Option<i64>,
    pub csrf: String,
    /// The current revision: the base of a restore.
    pub current: Option<Uuid>,
    pub entries: Vec<EntryView<'a>>,
    /// The two revisions compared (older, newer) and their difference.
    pub compared: Option<Compared>,
    /// The histories of segments merged into this one (`restructure`).
    pub merged: Vec<MergedHistory>,
}

/// A merged segment's Thai and revisions (newest first), with their review decisions.
pub struct MergedHistory {
    pub segment_href: String,
    pub thai: String,
    pub entries: Vec<(HistoryEntry, When, Vec<(ReviewEntry, When)>)>,
}

impl MergedHistory {
    async fn load(conn: &mut sqlx::PgConnection, id: Uuid) -> Result<Vec<MergedHistory>, AppError> {
        let ids = db::restructures::merged_into(conn, id).await?;
        let segments = db::restructures::merged_segments(conn, &ids).await?;
        let mut merged = Vec::with_capacity(segments.len());
        for segment in segments {
            let reviews = db::reviews::list_reviews(conn, segment.id).await?;
            let entries = db::revisions::list_history(conn, segment.id)
                .await?
                .into_iter()
                .map(|entry| {
                    let decided = reviews
                        .iter()
                        .filter(|r| r.revision_id == entry.id)
                        .map(|r| (r.clone(), When(r.created_at)))
                        .collect();
                    let when = When(entry.created_at);
                    (entry, when, decided)
                })
                .collect();
            merged.push(MergedHistory {
                segment_href: segment_path(segment.id),
                thai: segment.source_th,
                entries,
            });
        }
        Ok(merged)
    }
}

pub struct EntryView<'a> {
    pub entry: &'a HistoryEntry,
    /// 1 for the first revision.
    pub number: usize,
    /// The number of the revision it was edited from, when that is not the one just
    /// before it (a save made in conflict, a text kept over another).
    pub based_on: Option<usize>,
    pub when: When,
    pub reviews: Vec<(&'a ReviewEntry, When)>,
}

/// Two entries (by index, older first) and the difference from one to the other.
pub struct Compared {
    pub from: usize,
    pub to: usize,
    pub diff: Vec<DiffOp>,
}

impl<'a> HistoryPage<'a> {
    pub fn is_from(&self, index: &usize) -> bool {
        self.compared.as_ref().is_some_and(|c| c.from == *index)
    }

    pub fn is_to(&self, index: &usize) -> bool {
        self.compared.as_ref().is_some_and(|c| c.to == *index)
    }

    /// The older and the newer of the two compared.
    pub fn pair(&self) -> Option<(&EntryView<'a>, &EntryView<'a>, &[DiffOp])> {
        let c = self.compared.as_ref()?;
        Some((&self.entries[c.from], &self.entries[c.to], &c.diff))
    }
}

#[derive(Deserialize, Default)]
struct CompareQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The revisions to compare: the ones asked for if they are this segment's, else the
/// current one (or the newest) and the one before it. `entries` are newest first.
fn choose(entries: &[EntryView<'_>], current: Option<Uuid>, query: &str) -> Option<(usize, usize)> {
    let q: CompareQuery = serde_urlencoded::from_str(query).unwrap_or_default();
    let find = |raw: &Option<String>| {
        let id = Uuid::parse_str(raw.as_deref()?).ok()?;
        entries.iter().position(|e| e.entry.id == id)
    };
    let current = entries.iter().position(|e| Some(e.entry.id) == current);
    let (from, to) = match (find(&q.from), find(&q.to)) {
        (Some(from), Some(to)) => (from, to),
        // The one before the current one, and the current one; when nothing is older than
        // the current text (it was kept over saves made in conflict), the newest of those.
        _ => {
            let to = current.unwrap_or(0);
            match to + 1 < entries.len() {
                true => (to + 1, to),
                false if to > 0 => (to, 0),
                false => return None,
            }
        }
    };
    // Older first, whatever order they were picked in.
    Some(if entries[from].number <= entries[to].number {
        (from, to)
    } else {
        (to, from)
    })
}

pub async fn show_history(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let id = segment_id(&path)?;
    let mut conn = state.pool.acquire().await?;
    let segment = db::segments::get_segment_in_context(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let header = db::pages::chapter_header(&mut conn, segment.chapter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let history = db::revisions::list_history(&mut conn, id).await?;
    let reviews = db::reviews::list_reviews(&mut conn, id).await?;
    let merged = MergedHistory::load(&mut conn, id).await?;
    drop(conn);
    let total = history.len();
    let entries: Vec<EntryView> = history
        .iter()
        .enumerate()
        .map(|(i, entry)| EntryView {
            entry,
            number: total - i,
            based_on: entry
                .base_revision_id
                .and_then(|base| history.iter().position(|e| e.id == base))
                .map(|at| total - at)
                .filter(|&n| n + 1 != total - i),
            when: When(entry.created_at),
            reviews: reviews
                .iter()
                .filter(|r| r.revision_id == entry.id)
                .map(|r| (r, When(r.created_at)))
                .collect(),
        })
        .collect();
    let chosen = choose(
        &entries,
        segment.current_revision_id,
        request.query_string(),
    );
    let compared = chosen.map(|(from, to)| Compared {
        from,
        to,
        diff: workflow::diff_words(&entries[from].entry.text, &entries[to].entry.text),
    });
    render(&HistoryPage {
        chrome: Chrome::for_user(Some(&user)),
        header: &header,
        chapter_href: chapter_path(&header.book_slug, header.number),
        segment_href: segment_path(id),
        ordinal: segment.ordinal,
        csrf: user.csrf_token().unwrap_or_default().to_string(),
        current: segment.current_revision_id,
        entries,
        compared,
        merged,
    })
}
