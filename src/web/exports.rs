//! Downloads: the book or a chapter as an edition or an exchange file,
//! `GET /books/{slug}/export?format=…&layout=…&include=…&languages=…[&chapter=N]`.
//!
//! Text formats are written on request (`export::export`, under a millisecond). A PDF is
//! built in the background (`pdf_jobs`): the first request queues it and shows a page that
//! reloads itself until the PDF is there; a failed build shows the end of the LaTeX log.
//!
//! Who may download: the reading pages are public, and so are editions of the approved
//! English (and the TMX of approved pairs). Drafts are work in progress: `include=drafts`
//! and XLIFF (which always carries the latest English and the comments) need a signed-in
//! user; anonymous visitors are sent to sign in and back.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::chrome::Chrome;
use super::page::{chapter_path, render, render_with_status};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::export::Scope;
use crate::export::{export, latex, ExportOptions, Format, Include, Languages, Layout};
use crate::pdf_jobs;

/// What a download asks for (every field optional but `format`).
#[derive(Debug, Default, Deserialize)]
struct ExportQuery {
    format: Option<String>,
    layout: Option<String>,
    include: Option<String>,
    languages: Option<String>,
    chapter: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    Text(Format),
    Pdf,
}

fn parse_query(query: &str) -> Result<(Wanted, ExportOptions, Scope), AppError> {
    let bad = |what: &str| AppError::BadRequest(what.to_string());
    let q: ExportQuery =
        serde_urlencoded::from_str(query).map_err(|_| bad("This download link is malformed."))?;
    let wanted = match q.format.as_deref().unwrap_or("") {
        "pdf" => Wanted::Pdf,
        "latex" => Wanted::Text(Format::Latex),
        "html" => Wanted::Text(Format::Html),
        "markdown" => Wanted::Text(Format::Markdown),
        "text" => Wanted::Text(Format::Text),
        "tmx" => Wanted::Text(Format::Tmx),
        "xliff" => Wanted::Text(Format::Xliff),
        "xliff12" => Wanted::Text(Format::Xliff12),
        _ => {
            return Err(bad(
                "Choose a format: pdf, latex, html, markdown, text, tmx, xliff or xliff12.",
            ))
        }
    };
    let layout = match q.layout.as_deref().unwrap_or("columns") {
        "columns" => Layout::Columns,
        "facing" => Layout::Facing,
        "interleaved" => Layout::Interleaved,
        _ => return Err(bad("The layout is columns, facing or interleaved.")),
    };
    let include = match q.include.as_deref().unwrap_or("approved") {
        "approved" => Include::Approved,
        "drafts" => Include::Drafts,
        _ => return Err(bad("Include is approved or drafts.")),
    };
    let languages = match q.languages.as_deref().unwrap_or("both") {
        "both" => Languages::Both,
        "en" => Languages::English,
        "th" => Languages::Thai,
        _ => return Err(bad("Languages is both, en or th.")),
    };
    let scope = match q.chapter.as_deref().filter(|c| !c.is_empty()) {
        None => Scope::Book,
        Some(n) => Scope::Chapter(n.parse().map_err(|_| bad("The chapter is a number."))?),
    };
    let format = match wanted {
        Wanted::Text(format) => format,
        Wanted::Pdf => Format::Latex,
    };
    let options = ExportOptions {
        format,
        layout,
        include,
        languages,
    };
    Ok((wanted, options, scope))
}

/// Drafts, and XLIFF (the latest English and the comments), are for signed-in users.
fn needs_sign_in(options: &ExportOptions) -> bool {
    options.include == Include::Drafts || matches!(options.format, Format::Xliff | Format::Xliff12)
}

/// `soviet-history-chapter-4-drafts.md`
fn file_name(slug: &str, scope: Scope, options: &ExportOptions, extension: &str) -> String {
    let mut name = slug.to_string();
    if let Scope::Chapter(n) = scope {
        name.push_str(&format!("-chapter-{n}"));
    }
    if options.include == Include::Drafts
        && !matches!(options.format, Format::Xliff | Format::Xliff12)
    {
        name.push_str("-drafts");
    }
    format!("{name}.{extension}")
}

pub async fn download(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    user: Option<CurrentUser>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let (wanted, options, scope) = parse_query(request.query_string())?;
    if needs_sign_in(&options) && user.is_none() {
        let here = format!("{}?{}", request.path(), request.query_string());
        return Err(AppError::sign_in_first(&here));
    }
    let mut conn = state.pool.acquire().await?;
    let edition = db::export::load_edition(&mut conn, &slug, scope)
        .await?
        .ok_or(AppError::NotFound)?;
    // Anyone's copy of a public edition is the same; a signed-in user's is theirs only.
    let cache = match needs_sign_in(&options) {
        true => "private, no-store",
        false => "no-cache",
    };
    let format = match wanted {
        Wanted::Text(format) => format,
        Wanted::Pdf => {
            let tex = latex::write_latex(&edition, &options);
            let back = back_href(&slug, scope);
            let name = file_name(&slug, scope, &options, "pdf");
            return pdf(&mut conn, &tex, user.as_ref(), back, name, cache).await;
        }
    };
    drop(conn);
    let body = export(&edition, &options);
    Ok(attachment(
        format.media_type(),
        &file_name(&slug, scope, &options, format.extension()),
        cache,
    )
    .body(body))
}

fn attachment(content_type: &str, name: &str, cache: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .content_type(content_type.to_string())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, cache.to_string()));
    response
}

fn back_href(slug: &str, scope: Scope) -> String {
    match scope {
        Scope::Book => "/".to_string(),
        Scope::Chapter(n) => chapter_path(slug, n),
    }
}

/// The PDF of this LaTeX: served when built, queued when not.
async fn pdf(
    conn: &mut sqlx::PgConnection,
    tex: &str,
    user: Option<&CurrentUser>,
    back_href: String,
    name: String,
    cache: &str,
) -> Result<HttpResponse, AppError> {
    let hash = pdf_jobs::source_sha256(tex);
    let mut page = PdfStatusPage {
        chrome: Chrome::for_user(user),
        state: PdfState::Building,
        back_href,
        log_tail: String::new(),
        install_hint: pdf_jobs::INSTALL_HINT,
    };
    let build = match db::pdf_builds::find_build(conn, &hash).await? {
        Some(build) => build,
        // Another instance may build what is queued; this one queues only what it could.
        None if !pdf_jobs::xelatex_available() => {
            page.state = PdfState::Unavailable;
            return render_with_status(actix_web::http::StatusCode::SERVICE_UNAVAILABLE, &page);
        }
        None => {
            db::pdf_builds::enqueue_build(conn, &hash, tex, user.map(|u| u.id)).await?;
            return building(&page);
        }
    };
    match (build.state.as_str(), build.pdf) {
        ("done", Some(pdf)) => Ok(attachment("application/pdf", &name, cache).body(pdf)),
        ("failed", _) => {
            page.state = PdfState::Failed;
            page.log_tail = build.log_tail.unwrap_or_default();
            render_with_status(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, &page)
        }
        _ => building(&page),
    }
}

fn building(page: &PdfStatusPage) -> Result<HttpResponse, AppError> {
    let mut response = render(page)?;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfState {
    Building,
    Failed,
    Unavailable,
}

#[derive(Template)]
#[template(path = "export/pdf_status.html", whitespace = "minimize")]
pub struct PdfStatusPage {
    pub chrome: Chrome,
    pub state: PdfState,
    pub back_href: String,
    pub log_tail: String,
    pub install_hint: &'static str,
}

/// The "Export" area of the home and chapter pages: the same for every visitor (the
/// chapter page is cached), so it links to drafts too; those ask to sign in.
pub struct ExportArea {
    pub action: String,
    /// `Some` on a chapter page: the form's hidden field, and the XLIFF links.
    pub chapter: Option<i32>,
    pub pdf_available: bool,
    pub install_hint: &'static str,
}

impl ExportArea {
    pub fn new(slug: &str, chapter: Option<i32>) -> ExportArea {
        ExportArea {
            action: format!("/books/{slug}/export"),
            chapter,
            pdf_available: pdf_jobs::xelatex_available(),
            install_hint: pdf_jobs::INSTALL_HINT,
        }
    }

    /// A direct link with the default options.
    pub fn href(&self, format: &str) -> String {
        match self.chapter {
            Some(n) => format!("{}?format={format}&chapter={n}", self.action),
            None => format!("{}?format={format}", self.action),
        }
    }
}
