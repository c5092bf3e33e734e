//! `GET /search?q=&chapter=&status=&words=1`: the concordance, from the form in every
//! page's header. Thai is matched as a substring (folded, so OCR and encoding variants
//! meet) and as whole words, English as words, case-insensitively (`crate::search`,
//! `db::search`); each hit shows its segment around the match, highlighted, with a link.
//!
//! Anyone may search the public reading: the Thai and the *approved* English, which the
//! chapter pages show to everyone. Drafts, and the status filter, are for signed-in users
//! only, as on the chapter pages.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::chrome::Chrome;
use super::display::{Kind, Status};
use super::notice::Notice;
use super::page::{render_with_status, segment_path};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::search::{SearchHit, SearchRequest};
use crate::search::{folded_matches, highlight, word_matches, Piece, Query};

/// At most this many hits are listed (the total is said).
pub const MAX_HITS: i64 = 200;
/// Characters of a segment shown around its first match.
const WINDOW: usize = 240;

/// The address's parameters, as typed (empty fields are "any").
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub chapter: String,
    #[serde(default)]
    pub status: String,
    /// `1`: whole words only.
    #[serde(default)]
    pub words: String,
}

/// A search, checked: what to ask the database.
pub struct Search {
    pub query: Option<Query>,
    pub chapter: Option<i32>,
    pub status: Option<Status>,
    pub whole_words: bool,
}

const STATUSES: [Status; 5] = [
    Status::Untranslated,
    Status::Draft,
    Status::Submitted,
    Status::ChangesRequested,
    Status::Approved,
];

impl SearchParams {
    /// Refuses a chapter that is not a number and an unknown status, naming them.
    pub fn check(&self) -> Result<Search, String> {
        let chapter = match self.chapter.trim() {
            "" => None,
            n => Some(
                n.parse::<i32>()
                    .map_err(|_| format!("chapter must be a chapter number, not “{n}”"))?,
            ),
        };
        let status = match self.status.trim() {
            "" => None,
            s => Some(
                STATUSES
                    .into_iter()
                    .find(|st| st.value() == s)
                    .ok_or_else(|| {
                        format!(
                            "status must be one of untranslated, draft, submitted, \
                             changes_requested, approved, not “{s}”"
                        )
                    })?,
            ),
        };
        Ok(Search {
            query: Query::parse(&self.q),
            chapter,
            status,
            whole_words: matches!(self.words.as_str(), "1" | "on" | "true"),
        })
    }
}

/// A hit as shown: the segment's Thai and English cut around the match.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShownHit {
    pub segment: uuid::Uuid,
    pub href: String,
    pub chapter: i32,
    pub chapter_title_th: String,
    pub ordinal: i64,
    pub kind: String,
    /// `None` for readers who are not signed in.
    pub status: Option<String>,
    pub whole_words: bool,
    pub thai: Vec<Piece>,
    pub english: Option<Vec<Piece>>,
}

/// Runs a checked search: the word index brought up to date, then the query.
pub async fn run(
    conn: &mut sqlx::PgConnection,
    search: &Search,
    query: &Query,
    signed_in: bool,
) -> Result<(Vec<ShownHit>, i64), AppError> {
    db::search::fill_words(conn).await?;
    let request = SearchRequest {
        like_pattern: (!search.whole_words).then_some(query.like_pattern.as_str()),
        words: &query.words,
        text: &query.text,
        chapter: search.chapter,
        status: search.status.filter(|_| signed_in).map(Status::value),
        approved_only: !signed_in,
        limit: MAX_HITS,
    };
    let hits = db::search::search(conn, &request).await?;
    let total = hits.first().map_or(0, |h| h.total);
    let english_words = query.english_words();
    let shown = hits
        .into_iter()
        .map(|hit| show_hit(hit, query, &english_words, signed_in))
        .collect();
    Ok((shown, total))
}

fn show_hit(hit: SearchHit, query: &Query, english_words: &[String], signed_in: bool) -> ShownHit {
    let thai = highlight(
        &hit.source_th,
        &folded_matches(&hit.source_th, &query.folded),
        WINDOW,
    );
    let english = hit
        .english
        .as_deref()
        .map(|en| highlight(en, &word_matches(en, english_words), WINDOW));
    ShownHit {
        segment: hit.segment_id,
        href: segment_path(hit.segment_id),
        chapter: hit.chapter_number,
        chapter_title_th: hit.chapter_title_th,
        ordinal: hit.ordinal,
        kind: Kind::parse(&hit.kind).label().to_string(),
        status: signed_in.then_some(hit.status),
        whole_words: hit.whole_words,
        thai,
        english,
    }
}

#[derive(Template)]
#[template(path = "search/results.html", whitespace = "minimize")]
pub struct SearchPage {
    pub chrome: Chrome,
    pub params: SearchParams,
    pub whole_words: bool,
    pub signed_in: bool,
    pub chapters: Vec<(i32, String)>,
    pub statuses: Vec<(&'static str, &'static str)>,
    pub notice: Option<Notice>,
    /// `None` before anything was searched.
    pub results: Option<Vec<ShownHit>>,
    pub total: i64,
}

impl SearchPage {
    pub fn status_label(&self, value: &str) -> &'static str {
        Status::parse(value).label()
    }
}

pub async fn show_search(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let signed_in = user.is_some();
    let mut conn = state.pool.acquire().await?;
    let chapters = db::search::chapter_choices(&mut conn).await?;
    let mut page = SearchPage {
        chrome: Chrome::for_user(user.as_ref()),
        whole_words: false,
        signed_in,
        chapters,
        statuses: STATUSES.iter().map(|s| (s.value(), s.label())).collect(),
        notice: None,
        results: None,
        total: 0,
        params,
    };
    let search = match page.params.check() {
        Ok(search) => search,
        Err(why) => {
            page.notice = Some(Notice::error(format!("Nothing searched: {why}.")));
            return render_with_status(StatusCode::BAD_REQUEST, &page);
        }
    };
    page.whole_words = search.whole_words;
    if let Some(query) = &search.query {
        let (hits, total) = run(&mut conn, &search, query, signed_in).await?;
        page.total = total;
        page.results = Some(hits);
    }
    drop(conn);
    let mut response = render_with_status(StatusCode::OK, &page)?;
    if signed_in {
        response.headers_mut().insert(
            actix_web::http::header::CACHE_CONTROL,
            actix_web::http::header::HeaderValue::from_static("private, no-cache"),
        );
    }
    Ok(response)
}
