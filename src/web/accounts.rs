//! One's own account: changing one's password, signing up (when open); and what the
//! account forms share (messages, redirects that start a session, form responses).

use actix_web::cookie::Cookie;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::chrome::Chrome;
use super::csrf::{form_token, CsrfForm};
use super::page::{render_with_status, PASSWORD_PATH};
use super::session::{self, CurrentUser};
use super::{AppError, AppState};
use crate::accounts::manage::{self, InitialPassword, NewAccount, NewSession};
use crate::accounts::{AccountError, Role};
use crate::db;

/// What a person can act on is said on the form; the rest is an internal error.
impl From<AccountError> for AppError {
    fn from(e: AccountError) -> AppError {
        match e {
            AccountError::Database(e) => e.into(),
            AccountError::Internal(e) => AppError::Internal(e),
            other => AppError::BadRequest(other.to_string()),
        }
    }
}

/// The message for a form shown again, or the error to fail the request with.
pub(super) fn form_message(e: AccountError) -> Result<String, AppError> {
    match e {
        AccountError::Database(_) | AccountError::Internal(_) => Err(e.into()),
        other => Ok(capitalized(&other.to_string())),
    }
}

fn capitalized(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// 303 to `location`, starting the browser's new session if there is one.
pub(super) fn see_other(location: &str, session: Option<(&NewSession, bool)>) -> HttpResponse {
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, location));
    if let Some((session, secure)) = session {
        response.cookie(session::session_cookie(&session.token, secure));
    }
    response.finish()
}

/// Renders a page with a form, setting the anonymous form cookie if the page made one.
pub(super) fn form_response<T: Template>(
    status: StatusCode,
    page: &T,
    cookie: Option<Cookie<'static>>,
) -> Result<HttpResponse, AppError> {
    let mut response = render_with_status(status, page)?;
    if let Some(cookie) = cookie {
        response
            .add_cookie(&cookie)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("setting a cookie: {e}")))?;
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "accounts/password.html", whitespace = "minimize")]
pub struct PasswordPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub must_change: bool,
    pub changed: bool,
    pub error: Option<String>,
    pub min_chars: usize,
}

impl PasswordPage {
    fn new(user: &CurrentUser, changed: bool, error: Option<String>) -> Result<Self, AppError> {
        let csrf = user.csrf_token().ok_or_else(|| {
            AppError::BadRequest("sign in with a password to change it, not an API token".into())
        })?;
        Ok(PasswordPage {
            chrome: Chrome::for_user(Some(user)),
            csrf: csrf.to_string(),
            must_change: user.must_change_password,
            changed,
            error,
            min_chars: crate::accounts::password::MIN_PASSWORD_CHARS,
        })
    }
}

#[derive(Deserialize)]
pub struct ChangedQuery {
    #[serde(default)]
    changed: Option<String>,
}

pub async fn show_password(
    user: CurrentUser,
    query: web::Query<ChangedQuery>,
) -> Result<HttpResponse, AppError> {
    let page = PasswordPage::new(&user, query.changed.is_some(), None)?;
    form_response(StatusCode::OK, &page, None)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

pub async fn change_password(
    state: web::Data<AppState>,
    form: CsrfForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let user = form.user()?.clone();
    if user.session_id().is_none() {
        return Err(AppError::BadRequest(
            "sign in with a password to change it, not with an API token".into(),
        ));
    }
    let data = form.data;
    let failed = |message: String| -> Result<HttpResponse, AppError> {
        let page = PasswordPage::new(&user, false, Some(message))?;
        form_response(StatusCode::UNPROCESSABLE_ENTITY, &page, None)
    };
    if data.new != data.confirm {
        return failed("The new password and its confirmation differ.".into());
    }
    if data.new == data.current {
        return failed("The new password must differ from the current one.".into());
    }
    match manage::change_own_password(&state.pool, user.id, data.current, data.new).await {
        Ok(session) => {
            tracing::info!(username = %user.username, "changed their password");
            let secure = state.settings.secure_cookies;
            Ok(see_other(
                &format!("{PASSWORD_PATH}?changed=1"),
                Some((&session, secure)),
            ))
        }
        Err(e) => failed(form_message(e)?),
    }
}

#[derive(Template)]
#[template(path = "accounts/sign_up.html", whitespace = "minimize")]
pub struct SignUpPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub username: String,
    pub display_name: String,
    pub error: Option<String>,
    pub min_chars: usize,
}

async fn ensure_open_signup(state: &AppState) -> Result<(), AppError> {
    let mut conn = state.pool.acquire().await?;
    match db::settings::get_settings(&mut conn).await?.open_signup {
        true => Ok(()),
        false => Err(AppError::NotFound),
    }
}

fn sign_up_form(
    request: &HttpRequest,
    username: String,
    display_name: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (csrf, cookie) = form_token(request, None)?;
    let page = SignUpPage {
        chrome: Chrome::Anonymous,
        csrf,
        username,
        display_name,
        error,
        min_chars: crate::accounts::password::MIN_PASSWORD_CHARS,
    };
    form_response(status, &page, cookie)
}

pub async fn show_sign_up(
    request: HttpRequest,
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
) -> Result<HttpResponse, AppError> {
    ensure_open_signup(&state).await?;
    if user.is_some() {
        return Ok(see_other("/", None));
    }
    sign_up_form(&request, String::new(), String::new(), None, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct SignUpForm {
    username: String,
    #[serde(default)]
    display_name: String,
    password: String,
    confirm: String,
}

/// Open sign-up creates translators only; an admin gives other roles.
pub async fn sign_up(
    request: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<SignUpForm>,
) -> Result<HttpResponse, AppError> {
    ensure_open_signup(&state).await?;
    let data = form.data;
    let failed = |message: String| {
        let (username, display_name) = (data.username.clone(), data.display_name.clone());
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        sign_up_form(&request, username, display_name, Some(message), status)
    };
    if data.password != data.confirm {
        return failed("The password and its confirmation differ.".into());
    }
    let added = manage::add_user(
        &state.pool,
        NewAccount {
            username: &data.username,
            display_name: &data.display_name,
            role: Role::Translator,
            password: InitialPassword::Chosen {
                password: data.password.clone(),
                must_change: false,
            },
        },
    )
    .await;
    let user = match added {
        Ok(added) => added.user,
        Err(e) => return failed(form_message(e)?),
    };
    let mut conn = state.pool.acquire().await?;
    let session = manage::start_session(&mut conn, user.id).await?;
    tracing::info!(username = %user.username, "signed up");
    Ok(see_other(
        "/",
        Some((&session, state.settings.secure_cookies)),
    ))
}
