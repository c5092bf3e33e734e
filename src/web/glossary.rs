//! The glossary pages: `/glossary` (every signed-in user reads it; reviewers and admins
//! add, edit, approve, delete, import and export) and `/glossary/candidates` (pairs mined
//! from the book, to accept or reject; reviewers and admins). Roles are checked here, on
//! every request, GET and POST alike.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::chrome::Chrome;
use super::csrf::CsrfForm;
use super::notice::{see_other, Done, Notice};
use super::page::render_with_status;
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::glossary::Term;
use crate::glossary::mining::{self, Candidate};
use crate::glossary::{self, csv, tbx, NewTerm, TermStatus};

pub const GLOSSARY_PATH: &str = "/glossary";
pub const CANDIDATES_PATH: &str = "/glossary/candidates";

fn managers_only(user: &CurrentUser) -> Result<(), AppError> {
    user.require(user.role.can_review())
}

#[derive(Template)]
#[template(path = "glossary/list.html", whitespace = "minimize")]
pub struct GlossaryPage {
    pub chrome: Chrome,
    pub csrf: String,
    /// Reviewers and admins: the forms.
    pub can_manage: bool,
    pub terms: Vec<Term>,
    pub search: String,
    pub status: String,
    pub notice: Option<Notice>,
    /// The add form, typed again after a refusal.
    pub typed: TermForm,
    /// The import form: its format and the pasted file, kept after a refusal.
    pub import_format: String,
    pub import_text: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TermForm {
    #[serde(default)]
    pub thai: String,
    #[serde(default)]
    pub english: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub status: String,
}

impl TermForm {
    fn parse(&self) -> Result<NewTerm, String> {
        let status = TermStatus::parse(&self.status).unwrap_or(TermStatus::Proposed);
        NewTerm::parse(&self.thai, &self.english, &self.note, status)
    }
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    q: Option<String>,
    status: Option<String>,
}

/// What to show besides the terms.
#[derive(Default)]
struct Extra {
    notice: Option<Notice>,
    typed: TermForm,
    import_format: String,
    import_text: String,
}

async fn glossary_page(
    state: &AppState,
    user: &CurrentUser,
    query: ListQuery,
    extra: Extra,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let search = query.q.unwrap_or_default().trim().to_string();
    let wanted = query.status.unwrap_or_default();
    let wanted = TermStatus::parse(&wanted).map(TermStatus::as_str);
    let mut conn = state.pool.acquire().await?;
    let terms = db::glossary::list_terms(
        &mut conn,
        Some(search.as_str()).filter(|s| !s.is_empty()),
        wanted,
    )
    .await?;
    drop(conn);
    let page = GlossaryPage {
        chrome: Chrome::for_user(Some(user)),
        csrf: user.csrf_token().unwrap_or_default().to_string(),
        can_manage: user.role.can_review(),
        terms,
        search,
        status: wanted.unwrap_or_default().to_string(),
        notice: extra.notice,
        typed: extra.typed,
        import_format: extra.import_format,
        import_text: extra.import_text,
    };
    let mut response = render_with_status(status, &page)?;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

pub async fn show_glossary(
    request: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let query: ListQuery = serde_urlencoded::from_str(request.query_string()).unwrap_or_default();
    let extra = Extra {
        notice: Done::from_query(request.query_string()).notice(),
        ..Extra::default()
    };
    glossary_page(&state, &user, query, extra, StatusCode::OK).await
}

/// The list again with a refusal, and what was typed.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    message: &str,
    typed: TermForm,
) -> Result<HttpResponse, AppError> {
    let extra = Extra {
        notice: Some(Notice::error(sentence(message))),
        typed,
        ..Extra::default()
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    glossary_page(state, user, ListQuery::default(), extra, status).await
}

fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut text: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

fn duplicate_message(term: &NewTerm) -> String {
    format!(
        "“{}” → “{}” is in the glossary already",
        term.thai, term.english
    )
}

pub async fn add_term(
    state: web::Data<AppState>,
    form: CsrfForm<TermForm>,
) -> Result<HttpResponse, AppError> {
    let user = form.user()?;
    managers_only(user)?;
    let term = match form.parse() {
        Ok(term) => term,
        Err(message) => return refused(&state, user, &message, form.data.clone()).await,
    };
    let mut conn = state.pool.acquire().await?;
    let added = db::glossary::insert_term(&mut conn, &term, user.id).await?;
    drop(conn);
    match added {
        Some(_) => Ok(see_other(&format!("{GLOSSARY_PATH}?done=term_added"))),
        None => refused(&state, user, &duplicate_message(&term), form.data.clone()).await,
    }
}

fn term_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

pub async fn edit_term(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<TermForm>,
) -> Result<HttpResponse, AppError> {
    let id = term_id(&path)?;
    let user = form.user()?;
    managers_only(user)?;
    let term = match form.parse() {
        Ok(term) => term,
        Err(message) => return refused(&state, user, &message, TermForm::default()).await,
    };
    let mut conn = state.pool.acquire().await?;
    let saved = db::glossary::update_term(&mut conn, id, &term, user.id).await;
    drop(conn);
    match saved {
        Ok(true) => Ok(see_other(&format!("{GLOSSARY_PATH}?done=term_saved"))),
        Ok(false) => Err(AppError::NotFound),
        Err(e) if db::glossary::is_duplicate(&e) => {
            refused(&state, user, &duplicate_message(&term), TermForm::default()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct NoFields {}

pub async fn approve_term(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = term_id(&path)?;
    let user = form.user()?;
    managers_only(user)?;
    let mut conn = state.pool.acquire().await?;
    match db::glossary::approve_term(&mut conn, id, user.id).await? {
        true => Ok(see_other(&format!("{GLOSSARY_PATH}?done=term_approved"))),
        false => Err(AppError::NotFound),
    }
}

pub async fn delete_term(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = term_id(&path)?;
    let user = form.user()?;
    managers_only(user)?;
    let mut conn = state.pool.acquire().await?;
    match db::glossary::delete_term(&mut conn, id).await? {
        true => Ok(see_other(&format!("{GLOSSARY_PATH}?done=term_deleted"))),
        false => Err(AppError::NotFound),
    }
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<String>,
}

/// `GET /glossary/export?format=csv|tbx`: the whole glossary as a file.
pub async fn export_glossary(
    request: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    managers_only(&user)?;
    let query: ExportQuery = serde_urlencoded::from_str(request.query_string())
        .map_err(|_| AppError::BadRequest("format: csv or tbx".into()))?;
    let mut conn = state.pool.acquire().await?;
    let terms = db::glossary::list_terms(&mut conn, None, None).await?;
    drop(conn);
    let rows = terms.iter().map(|t| csv::Row {
        thai: &t.thai,
        english: &t.english,
        note: &t.note,
        status: TermStatus::parse(&t.status).unwrap_or(TermStatus::Proposed),
    });
    let (body, content_type, extension) = match query.format.as_deref() {
        Some("csv") => (csv::write(rows), "text/csv; charset=utf-8", "csv"),
        Some("tbx") => (
            tbx::write(rows),
            "application/x-tbx+xml; charset=utf-8",
            "tbx",
        ),
        _ => {
            return Err(AppError::BadRequest(
                "Choose a format: format=csv or format=tbx.".into(),
            ))
        }
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"glossary.{extension}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(body))
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    format: String,
    /// The file's text, pasted (forms here are urlencoded: no file upload).
    #[serde(default)]
    text: String,
}

/// `POST /glossary/import`: the pasted CSV or TBX, all of it or nothing.
pub async fn import_glossary(
    state: web::Data<AppState>,
    form: CsrfForm<ImportForm>,
) -> Result<HttpResponse, AppError> {
    let user = form.user()?;
    managers_only(user)?;
    let read = match form.format.as_str() {
        "csv" => csv::read(&form.text),
        "tbx" => tbx::read(form.text.as_bytes()),
        _ => Err(glossary::ImportError::file(
            "choose the file's format: CSV or TBX",
        )),
    };
    let (notice, status) = match read {
        Err(e) => (
            Notice::error(format!(
                "Nothing was imported. {}",
                sentence(&e.to_string())
            )),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Ok(terms) => {
            let mut tx = state.pool.begin().await?;
            let counts = db::glossary::import_terms(&mut tx, &terms, user.id).await?;
            tx.commit().await?;
            tracing::info!(user = %user.username, ?counts, "imported glossary terms");
            let text = format!(
                "Imported: {} added, {} updated, {} unchanged.",
                counts.added, counts.updated, counts.unchanged
            );
            return glossary_page(
                &state,
                user,
                ListQuery::default(),
                Extra {
                    notice: Some(Notice::ok(text)),
                    ..Extra::default()
                },
                StatusCode::OK,
            )
            .await;
        }
    };
    let extra = Extra {
        notice: Some(notice),
        import_format: form.format.clone(),
        import_text: form.text.clone(),
        ..Extra::default()
    };
    glossary_page(&state, user, ListQuery::default(), extra, status).await
}

#[derive(Template)]
#[template(path = "glossary/candidates.html", whitespace = "minimize")]
pub struct CandidatesPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub notice: Option<Notice>,
    pub candidates: Vec<Candidate>,
}

/// `GET /glossary/candidates`: pairs mined from the book, less those in the glossary and
/// those rejected.
pub async fn show_candidates(
    request: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    managers_only(&user)?;
    let mut conn = state.pool.acquire().await?;
    let texts = db::glossary::book_thai(&mut conn).await?;
    let terms = db::glossary::list_terms(&mut conn, None, None).await?;
    let rejected = db::glossary::rejected_pairs(&mut conn).await?;
    drop(conn);
    // Mining reads the whole book: off the async executor.
    let mined = web::block(move || mining::mine(&texts))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("mining candidates: {e}")))?;
    let candidates = mined
        .into_iter()
        .filter(|c| {
            let key = (glossary::thai_key(&c.thai), c.english.to_lowercase());
            // A Thai term in the glossary already (whatever its English: the reviewer may
            // have corrected it on accepting) is no longer a candidate.
            !rejected.contains(&key) && !terms.iter().any(|t| t.thai_key == key.0)
        })
        .collect();
    let page = CandidatesPage {
        chrome: Chrome::for_user(Some(&user)),
        csrf: user.csrf_token().unwrap_or_default().to_string(),
        notice: Done::from_query(request.query_string()).notice(),
        candidates,
    };
    let mut response = render_with_status(StatusCode::OK, &page)?;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

#[derive(Deserialize)]
pub struct CandidateForm {
    #[serde(default)]
    thai: String,
    #[serde(default)]
    english: String,
    #[serde(default)]
    note: String,
}

/// Accepting a candidate adds it to the glossary, approved (the reviewer may have
/// corrected the Thai or the English first).
pub async fn accept_candidate(
    state: web::Data<AppState>,
    form: CsrfForm<CandidateForm>,
) -> Result<HttpResponse, AppError> {
    let user = form.user()?;
    managers_only(user)?;
    let term = NewTerm::parse(&form.thai, &form.english, &form.note, TermStatus::Approved)
        .map_err(|m| AppError::Unprocessable(sentence(&m)))?;
    let mut conn = state.pool.acquire().await?;
    // Already there (accepted twice): nothing to add, and nothing wrong.
    db::glossary::insert_term(&mut conn, &term, user.id).await?;
    Ok(see_other(&format!(
        "{CANDIDATES_PATH}?done=candidate_accepted"
    )))
}

pub async fn reject_candidate(
    state: web::Data<AppState>,
    form: CsrfForm<CandidateForm>,
) -> Result<HttpResponse, AppError> {
    let user = form.user()?;
    managers_only(user)?;
    let thai = glossary::thai_key(&form.thai);
    let english = crate::text::normalize::normalize_inline(&form.english).to_lowercase();
    if thai.is_empty() || english.is_empty() {
        return Err(AppError::Unprocessable(
            "The candidate's Thai and English are both needed.".into(),
        ));
    }
    let mut conn = state.pool.acquire().await?;
    db::glossary::reject_candidate(&mut conn, &thai, &english, user.id).await?;
    Ok(see_other(&format!(
        "{CANDIDATES_PATH}?done=candidate_rejected"
    )))
}
