//! A chapter page: every segment in reading order, Thai beside English. For readers it is
//! the parallel text; for signed-in users it is the workspace: each row's status, claim
//! holder, open threads and links to the editor, claim checkboxes, filters and the
//! chapter's progress.
//!
//! The unfiltered page is served from `rendered` (one copy per variant, personal parts
//! filled per request); a filtered view is rendered for the request.

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::chapter_filters::Filters;
use super::checks::ChapterChecks;
use super::chrome::{Chrome, UserNav};
use super::display::{Kind, Status};
use super::exports::ExportArea;
use super::footnotes::{split_footnotes, Part};
use super::notice::{time_iso, time_label, CsrfField, Done, NoticeSlot};
use super::page::{chapter_path, render_string, HTML};
use super::progress::{Progress, Stages};
use super::rendered::{self, Gzip, Rendered, RenderedChapters, Slot, Variant};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::checks::Counts;
use crate::db;
use crate::db::pages::ChapterHeader;
use crate::db::workspace::WorkspaceSegment;
use crate::workflow;

#[derive(Template)]
#[template(path = "chapters/show.html", whitespace = "minimize")]
pub struct ChapterPage<'a> {
    /// Always anonymous: the page is cached; a signed-in user's header is filled in per
    /// request (`rendered::Rendered::personalize`).
    pub chrome: Chrome,
    pub header: &'a ChapterHeader,
    pub variant: Variant,
    /// The rows shown (all of them, or those the filters keep).
    pub rows: Vec<SegmentRow<'a>>,
    /// How many live segments the chapter has.
    pub total: usize,
    pub progress: Progress,
    pub filters: Filters,
    pub statuses: [Status; 5],
    pub href: String,
    pub claims_href: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    /// The chapter's downloads (the same for everyone: the page is cached).
    pub export: ExportArea,
    /// Open findings of the quality checks over the chapter (the workspace only).
    pub check_totals: Counts,
}

/// One segment as a row of the parallel text.
pub struct SegmentRow<'a> {
    pub id: Uuid,
    /// 1-based place in the chapter, as readers count.
    pub ordinal: usize,
    pub kind: Kind,
    pub status: Status,
    /// The Thai changed under existing English: a reviewer should look again.
    pub source_changed: bool,
    /// An edit of approved text waits for review (readers see the approved text).
    pub edit_pending: bool,
    pub thai: Vec<Part<'a>>,
    pub english: Option<Vec<Part<'a>>>,
    /// A live claim: who, and until when.
    pub claim: Option<ClaimLabel<'a>>,
    pub open_threads: i64,
    /// Open findings of the quality checks (the workspace only).
    pub checks: Counts,
}

pub struct ClaimLabel<'a> {
    pub holder: &'a str,
    pub until: DateTime<Utc>,
}

impl ClaimLabel<'_> {
    pub fn until_label(&self) -> String {
        time_label(self.until)
    }

    pub fn until_iso(&self) -> String {
        time_iso(self.until)
    }
}

/// What claims look like now: the database's clock and the expiry setting.
#[derive(Debug, Clone, Copy)]
pub struct ClaimClock {
    pub now: DateTime<Utc>,
    pub expiry: chrono::Duration,
}

impl ClaimClock {
    /// When the segment's claim expires, if it is live.
    fn live_until(&self, segment: &WorkspaceSegment) -> Option<DateTime<Utc>> {
        let last = segment.claim_last_activity_at?;
        workflow::is_live(last, self.now, self.expiry)
            .then(|| workflow::expires_at(last, self.expiry))
    }
}

impl<'a> SegmentRow<'a> {
    fn new(
        ordinal: usize,
        segment: &'a WorkspaceSegment,
        variant: Variant,
        clock: Option<&ClaimClock>,
        checks: Option<&ChapterChecks>,
    ) -> SegmentRow<'a> {
        let stored = Status::parse(&segment.status);
        // Readers keep seeing the approved text while an edit of it waits for review.
        let (status, english) = match (&segment.approved_english, variant) {
            (Some(approved), Variant::Reader) => (Status::Approved, Some(approved.as_str())),
            _ => (stored, segment.english.as_deref()),
        };
        let claim = clock
            .and_then(|clock| clock.live_until(segment))
            .and_then(|until| {
                let holder = segment.claim_holder.as_deref()?;
                Some(ClaimLabel { holder, until })
            });
        SegmentRow {
            id: segment.id,
            ordinal,
            kind: Kind::parse(&segment.kind),
            status,
            source_changed: segment.source_changed_at.is_some(),
            edit_pending: segment.approved_english.is_some(),
            thai: split_footnotes(&segment.source_th),
            english: english.map(split_footnotes),
            claim: if variant.is_workspace() { claim } else { None },
            open_threads: if variant.is_workspace() {
                segment.open_threads
            } else {
                0
            },
            checks: checks.map(|c| c.counts(segment)).unwrap_or_default(),
        }
    }
}

impl<'a> ChapterPage<'a> {
    fn new(
        header: &'a ChapterHeader,
        segments: &'a [WorkspaceSegment],
        variant: Variant,
        clock: Option<&ClaimClock>,
        filters: Filters,
        me: Option<Uuid>,
        checks: Option<&ChapterChecks>,
    ) -> ChapterPage<'a> {
        let link = |number: Option<i32>| number.map(|n| chapter_path(&header.book_slug, n));
        let href = chapter_path(&header.book_slug, header.number);
        let mut progress = Progress::default();
        let mut rows = Vec::with_capacity(segments.len());
        let mut check_totals = Counts::default();
        for (i, segment) in segments.iter().enumerate() {
            count(&mut progress, segment);
            let row = SegmentRow::new(i + 1, segment, variant, clock, checks);
            check_totals.add(row.checks);
            if filters.keeps(segment, &row, me) {
                rows.push(row);
            }
        }
        ChapterPage {
            chrome: Chrome::Anonymous,
            header,
            variant,
            rows,
            total: segments.len(),
            progress,
            filters,
            statuses: [
                Status::Untranslated,
                Status::Draft,
                Status::Submitted,
                Status::ChangesRequested,
                Status::Approved,
            ],
            claims_href: format!("{href}/claims"),
            href,
            export: ExportArea::new(&header.book_slug, Some(header.number)),
            prev_href: link(header.prev_number),
            next_href: link(header.next_number),
            check_totals,
        }
    }

    /// The earliest expiry of a claim the page shows: it is stale from then on.
    fn valid_until(&self) -> Option<DateTime<Utc>> {
        self.rows
            .iter()
            .filter_map(|r| Some(r.claim.as_ref()?.until))
            .min()
    }

    /// Most of the page is the text itself; the markup around each row is under 1 KB.
    fn size_estimate(segments: &[WorkspaceSegment]) -> usize {
        let text: usize = segments
            .iter()
            .map(|s| s.source_th.len() + s.english.as_deref().map_or(0, str::len))
            .sum();
        8 * 1024 + text + segments.len() * 900
    }
}

/// Adds a segment to the chapter's progress (translated: any status past untranslated).
fn count(progress: &mut Progress, segment: &WorkspaceSegment) {
    let status = Status::parse(&segment.status);
    let add = |stages: &mut Stages, amount: i64| {
        stages.total += amount;
        if status != Status::Untranslated {
            stages.translated += amount;
        }
        if status == Status::Approved {
            stages.approved += amount;
        }
    };
    add(&mut progress.segments, 1);
    add(&mut progress.chars, i64::from(segment.source_chars));
}

pub async fn show_chapter(
    request: HttpRequest,
    state: web::Data<AppState>,
    rendered: web::Data<RenderedChapters>,
    path: web::Path<(String, String)>,
    user: Option<CurrentUser>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let variant = Variant::for_user(user.as_ref());
    let filters = Filters::from_query(request.query_string(), variant);
    let mut conn = state.pool.acquire().await?;
    let header = db::pages::chapter_header_by_number(&mut conn, &slug, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(user) = user else {
        return match filters.any() {
            false => Ok(readers_page(&request, &rendered, &mut conn, header).await?),
            true => {
                let page = render_page(&mut conn, &header, variant, filters, None).await?;
                Ok(personal_response(&request, &page, &[]))
            }
        };
    };
    let page = match filters.any() {
        true => render_page(&mut conn, &header, variant, filters, Some(user.id)).await?,
        false => match rendered.get(&header, variant, Utc::now()) {
            Some(page) => page,
            None => {
                let page = render_page(&mut conn, &header, variant, filters, None).await?;
                rendered.put(header, variant, page.clone());
                page
            }
        },
    };
    drop(conn);
    let user_area = UserNav {
        chrome: &Chrome::for_user(Some(&user)),
    }
    .render()?;
    let csrf = CsrfField {
        token: user.csrf_token().unwrap_or_default(),
    }
    .render()?;
    let done = Done::from_query(request.query_string()).notice();
    let notice = NoticeSlot {
        notice: done.as_ref(),
    }
    .render()?;
    let fills = [
        (rendered::USER_AREA, user_area.as_str()),
        (rendered::CSRF_FIELD, csrf.as_str()),
        (rendered::NOTICE, notice.as_str()),
    ];
    Ok(personal_response(&request, &page, &fills))
}

/// Everyone's page, as cached: a 304 when the browser has it, gzip when it asks.
async fn readers_page(
    request: &HttpRequest,
    rendered: &RenderedChapters,
    conn: &mut sqlx::PgConnection,
    header: ChapterHeader,
) -> Result<HttpResponse, AppError> {
    let etag = rendered::etag(&header);
    if has_page(request, &etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    let page = match rendered.get(&header, Variant::Reader, Utc::now()) {
        Some(page) => page,
        None => {
            let page =
                render_page(conn, &header, Variant::Reader, Filters::default(), None).await?;
            rendered.put(header, Variant::Reader, page.clone());
            page
        }
    };
    let mut response = HttpResponse::Ok();
    response
        .content_type(HTML)
        .insert_header((header::ETAG, etag))
        // Browsers keep the page but ask again each time; the answer is usually a 304.
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::VARY, "Accept-Encoding"));
    match (&page.gzip, accepts_gzip(request)) {
        (Some(gzip), true) => {
            response.insert_header((header::CONTENT_ENCODING, "gzip"));
            Ok(response.body(gzip.clone()))
        }
        _ => Ok(response.body(page.html)),
    }
}

/// A page with personal parts (or a filtered view): its ETag depends on its content.
fn personal_response(
    request: &HttpRequest,
    page: &Rendered,
    fills: &[(Slot, &str)],
) -> HttpResponse {
    let etag = rendered::personal_etag(page, fills);
    if has_page(request, &etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish();
    }
    let mut response = HttpResponse::Ok();
    response
        .content_type(HTML)
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header((header::VARY, "Accept-Encoding, Cookie"));
    if accepts_gzip(request) {
        if let Some(gzip) = page.personalize_gzip(fills) {
            response.insert_header((header::CONTENT_ENCODING, "gzip"));
            return response.body(gzip);
        }
    }
    // A filtered view is not kept compressed: the Compress middleware gzips it if asked.
    match fills.is_empty() {
        true => response.body(page.html.clone()),
        false => response.body(page.personalize(fills)),
    }
}

/// Fetches the chapter's segments (with claims and threads for the workspace) and renders
/// the page for `variant`.
async fn render_page(
    conn: &mut sqlx::PgConnection,
    header: &ChapterHeader,
    variant: Variant,
    filters: Filters,
    me: Option<Uuid>,
) -> Result<Rendered, AppError> {
    let segments = db::workspace::chapter_workspace(conn, header.chapter_id).await?;
    let clock = match variant.is_workspace() {
        true => Some(claim_clock(conn).await?),
        false => None,
    };
    // The checks' counts change with dismissals and the glossary, which bump
    // `content_version` (migration 0013); the book's ratio is read at render time.
    let checks = match variant.is_workspace() {
        true => Some(ChapterChecks::load(conn, header.chapter_id).await?),
        false => None,
    };
    let compress = match (filters.any(), variant) {
        (true, _) => Gzip::None,
        (false, Variant::Reader) => Gzip::Whole,
        (false, _) => Gzip::AroundSlots,
    };
    let page = ChapterPage::new(
        header,
        &segments,
        variant,
        clock.as_ref(),
        filters,
        me,
        checks.as_ref(),
    );
    let html = render_string(&page, ChapterPage::size_estimate(&segments))?;
    Ok(Rendered::new(
        Bytes::from(html),
        compress,
        page.valid_until(),
    ))
}

/// The database's clock and the claim expiry setting.
pub(super) async fn claim_clock(conn: &mut sqlx::PgConnection) -> Result<ClaimClock, AppError> {
    let settings = db::settings::get_settings(conn).await?;
    let now = db::claims::database_now(conn).await?;
    Ok(ClaimClock {
        now,
        expiry: workflow::claim_expiry(&settings),
    })
}

/// The browser already has this very page (`If-None-Match` names its ETag).
fn has_page(request: &HttpRequest, etag: &str) -> bool {
    request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == etag || tag == "*" || tag.strip_prefix("W/") == Some(etag)
        })
}

fn accepts_gzip(request: &HttpRequest) -> bool {
    request
        .get_header::<header::AcceptEncoding>()
        .is_some_and(|accept| {
            accept
                .ranked()
                .iter()
                .any(|e| *e == header::Preference::Specific(header::Encoding::gzip()))
        })
}
