//! Signing in (throttled, with a new session each time) and signing out.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::accounts::{form_response, see_other};
use super::chrome::Chrome;
use super::csrf::{form_token, CsrfForm};
use super::page::{local_path, PASSWORD_PATH};
use super::session::{self, CurrentUser};
use super::{AppError, AppState};
use crate::accounts::sign_in::{self, Attempt, SignInResult};
use crate::accounts::throttle::{Limits, Locked};
use crate::db;

#[derive(Template)]
#[template(path = "accounts/sign_in.html", whitespace = "minimize")]
pub struct SignInPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub username: String,
    pub next: String,
    pub error: Option<String>,
    pub open_signup: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn show_sign_in(
    request: HttpRequest,
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let next = query.next.as_deref().and_then(local_path).unwrap_or("/");
    if user.is_some() {
        return Ok(see_other(next, None));
    }
    sign_in_form(&request, &state, String::new(), next, None, StatusCode::OK).await
}

async fn sign_in_form(
    request: &HttpRequest,
    state: &AppState,
    username: String,
    next: &str,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (csrf, cookie) = form_token(request, None)?;
    let mut conn = state.pool.acquire().await?;
    let open_signup = db::settings::get_settings(&mut conn).await?.open_signup;
    drop(conn);
    let page = SignInPage {
        chrome: Chrome::Anonymous,
        csrf,
        username,
        next: next.to_string(),
        error,
        open_signup,
    };
    form_response(status, &page, cookie)
}

#[derive(Deserialize)]
pub struct SignInForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// The address the request came from, for throttling. It is the TCP peer: behind a reverse
/// proxy all clients share the proxy's address (and the per-username limit still holds).
fn client_address(request: &HttpRequest) -> String {
    request
        .peer_addr()
        .map_or_else(|| "unknown".to_string(), |addr| addr.ip().to_string())
}

pub async fn sign_in(
    request: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let CsrfForm { data, user } = form;
    let next = local_path(&data.next).unwrap_or("/").to_string();
    let attempt = Attempt {
        username: data.username.clone(),
        password: data.password,
        client: client_address(&request),
    };
    match sign_in::sign_in(&state.pool, &Limits::default(), attempt).await? {
        SignInResult::SignedIn {
            user: signed_in,
            session,
        } => {
            // Signing in again from a signed-in browser: the old session ends.
            if let Some(old) = user.as_ref().and_then(CurrentUser::session_id) {
                let mut conn = state.pool.acquire().await?;
                db::sessions::delete_session(&mut conn, old).await?;
            }
            tracing::info!(username = %signed_in.username, "signed in");
            let target = match signed_in.must_change_password {
                true => PASSWORD_PATH,
                false => &next,
            };
            Ok(see_other(
                target,
                Some((&session, state.settings.secure_cookies)),
            ))
        }
        SignInResult::Refused => {
            let error = "Wrong username or password.".to_string();
            let status = StatusCode::UNAUTHORIZED;
            sign_in_form(&request, &state, data.username, &next, Some(error), status).await
        }
        SignInResult::Throttled { what, minutes } => {
            let error = match what {
                Locked::Username => format!(
                    "Too many failed sign-ins for this username. Try again in {minutes} \
                     minute{}.",
                    if minutes == 1 { "" } else { "s" }
                ),
                Locked::Client => format!(
                    "Too many failed sign-ins from your network. Try again in {minutes} \
                     minute{}.",
                    if minutes == 1 { "" } else { "s" }
                ),
            };
            let status = StatusCode::TOO_MANY_REQUESTS;
            let mut response =
                sign_in_form(&request, &state, data.username, &next, Some(error), status).await?;
            if let Ok(value) = header::HeaderValue::from_str(&(minutes * 60).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Ok(response)
        }
    }
}

#[derive(Deserialize)]
pub struct TokenOnly {
    #[serde(default)]
    csrf: String,
}

/// Ends the session. Not a `CsrfForm`: a browser whose session has already ended (expired,
/// revoked) must still be able to "sign out" and lose the cookie, and ending nothing needs
/// no protection. A live session is ended only with its CSRF token.
pub async fn sign_out(
    request: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, AppError> {
    if let Some(user) = session::identify(&request).await? {
        let (Some(id), Some(expected)) = (user.session_id(), user.csrf_token()) else {
            return Err(AppError::BadRequest(
                "an API token has no session to sign out of".into(),
            ));
        };
        if !crate::accounts::tokens::same_secret(&form.csrf, expected) {
            return Err(AppError::CsrfRejected);
        }
        let mut conn = state.pool.acquire().await?;
        db::sessions::delete_session(&mut conn, id).await?;
        tracing::info!(username = %user.username, "signed out");
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/"))
        .cookie(session::expired_session_cookie(
            state.settings.secure_cookies,
        ))
        .finish())
}
