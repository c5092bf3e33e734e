//! Who sent a request: a session cookie, or an `Authorization: Bearer` API token.
//!
//! Handlers take `CurrentUser` (signed in required) or `Option<CurrentUser>` (pages anyone
//! may read) and ask it for permission: `user.require(user.role.can_review())?`. The lookup
//! happens once per request and is kept in the request's extensions, so several extractors
//! asking cost one query. A request with neither cookie nor header costs no query at all.
//!
//! State-changing requests from a cookie session must prove they come from our own pages:
//! forms use `csrf::CsrfForm` (the hidden `csrf` field), scripts send the same token in an
//! `X-CSRF-Token` header. `CurrentUser` refuses a POST/PUT/PATCH/DELETE from a session
//! without that header, so a handler that takes `CurrentUser` beside a plain `web::Form`
//! fails closed (403) instead of being open to cross-site requests: take the user from the
//! `CsrfForm` instead.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use uuid::Uuid;

use super::page::PASSWORD_PATH;
use super::{AppError, AppState};
use crate::accounts::{tokens, Role, SESSION_IDLE_SECONDS, TOUCH_SECONDS};
use crate::db;
use crate::db::sessions::Authenticated;

pub const SESSION_COOKIE: &str = "plae_session";
/// The header scripts send the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Someone else chose the password (first start, added by an admin).
    pub must_change_password: bool,
    pub auth: Auth,
}

/// How the request proved who it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    Session { id: Uuid, csrf_token: String },
    ApiToken,
}

impl CurrentUser {
    fn from_row(row: Authenticated) -> CurrentUser {
        let auth = match (row.session_id, row.csrf_token) {
            (Some(id), Some(csrf_token)) => Auth::Session { id, csrf_token },
            _ => Auth::ApiToken,
        };
        CurrentUser {
            id: row.user_id,
            username: row.username,
            display_name: row.display_name,
            role: row.role,
            must_change_password: row.must_change_password,
            auth,
        }
    }

    /// 403 unless the user has at least this role.
    pub fn require_role(&self, role: Role) -> Result<(), AppError> {
        self.require(self.role.includes(role))
    }

    /// 403 unless `allowed`: `user.require(user.role.can_review())?`.
    pub fn require(&self, allowed: bool) -> Result<(), AppError> {
        match allowed {
            true => Ok(()),
            false => Err(AppError::Forbidden),
        }
    }

    /// The session's CSRF token, for the forms of a page; `None` for an API token.
    pub fn csrf_token(&self) -> Option<&str> {
        match &self.auth {
            Auth::Session { csrf_token, .. } => Some(csrf_token),
            Auth::ApiToken => None,
        }
    }

    pub fn session_id(&self) -> Option<Uuid> {
        match &self.auth {
            Auth::Session { id, .. } => Some(*id),
            Auth::ApiToken => None,
        }
    }
}

/// The request's user, looked up once (`None`: anonymous).
#[derive(Clone)]
struct Identified(Option<CurrentUser>);

/// Who sent the request. A bad API token is an error (401): a script should hear that its
/// token does not work rather than be served as anonymous. A stale session cookie is just
/// anonymous: the browser keeps old cookies.
pub(super) async fn identify(request: &HttpRequest) -> Result<Option<CurrentUser>, AppError> {
    if let Some(Identified(user)) = request.extensions().get::<Identified>() {
        return Ok(user.clone());
    }
    let authorization = request.headers().get(header::AUTHORIZATION);
    let cookie = request.cookie(SESSION_COOKIE);
    if authorization.is_none() && cookie.is_none() {
        return Ok(None);
    }
    let state = app_state(request)?;
    let mut conn = state.pool.acquire().await?;
    let row = match authorization {
        Some(value) => {
            let token = bearer_token(value).ok_or(AppError::Unauthorized)?;
            let hash = tokens::token_sha256(token);
            let row = db::sessions::find_api_token(&mut conn, &hash, TOUCH_SECONDS).await?;
            Some(row.ok_or(AppError::Unauthorized)?)
        }
        None => match cookie
            .as_ref()
            .map(Cookie::value)
            .filter(|v| plausible_token(v))
        {
            Some(token) => {
                let hash = tokens::token_sha256(token);
                db::sessions::find_session(&mut conn, &hash, SESSION_IDLE_SECONDS, TOUCH_SECONDS)
                    .await?
            }
            None => None,
        },
    };
    let user = row.map(CurrentUser::from_row);
    request.extensions_mut().insert(Identified(user.clone()));
    Ok(user)
}

pub(super) fn app_state(request: &HttpRequest) -> Result<&web::Data<AppState>, AppError> {
    request
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("AppState is not registered")))
}

fn bearer_token(value: &HeaderValue) -> Option<&str> {
    let value = value.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Our tokens are 64 hex digits; anything else is not worth a query.
fn plausible_token(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// GET and HEAD change nothing; everything else needs CSRF proof from a cookie session.
pub(super) fn is_safe_method(request: &HttpRequest) -> bool {
    matches!(request.method().as_str(), "GET" | "HEAD" | "OPTIONS")
}

/// A user who must change their password may look around (the header says to change it)
/// but not change anything else first: state-changing requests are sent to the password page
/// (except signing out). Checked by `CsrfForm` and by `CurrentUser` on non-GET requests, not
/// on GETs, because `Option<CurrentUser>` would turn the redirect into "anonymous". API
/// tokens are exempt: scripts cannot change passwords.
pub(super) fn check_password_is_own(
    request: &HttpRequest,
    user: &CurrentUser,
) -> Result<(), AppError> {
    let exempt = [PASSWORD_PATH, "/sign-out"].contains(&request.path());
    if user.must_change_password && user.session_id().is_some() && !exempt {
        return Err(AppError::RedirectTo(PASSWORD_PATH.to_string()));
    }
    Ok(())
}

type LocalFuture<T> = Pin<Box<dyn Future<Output = Result<T, actix_web::Error>>>>;

impl FromRequest for CurrentUser {
    type Error = actix_web::Error;
    type Future = LocalFuture<CurrentUser>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let Some(user) = identify(&request).await? else {
                let from_browser = request.headers().get(header::AUTHORIZATION).is_none();
                return Err(if is_safe_method(&request) && from_browser {
                    let here = request
                        .uri()
                        .path_and_query()
                        .map_or(request.path(), |pq| pq.as_str());
                    AppError::sign_in_first(here)
                } else {
                    AppError::Unauthorized
                }
                .into());
            };
            if is_safe_method(&request) {
                return Ok(user);
            }
            if let Auth::Session { csrf_token, .. } = &user.auth {
                let sent = request
                    .headers()
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                if !tokens::same_secret(sent, csrf_token) {
                    return Err(AppError::CsrfRejected.into());
                }
            }
            check_password_is_own(&request, &user)?;
            Ok(user)
        })
    }
}

/// The session cookie: HttpOnly (scripts cannot read it), SameSite=Lax (not sent with
/// cross-site POSTs), Secure when served over HTTPS.
pub fn session_cookie(token: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::seconds(SESSION_IDLE_SECONDS))
        .finish()
}

/// Tells the browser to forget the session cookie.
pub fn expired_session_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie("", secure);
    cookie.make_removal();
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_lax_and_secure_when_asked() {
        let cookie = session_cookie("abc", true).to_string();
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(cookie.contains("Secure"), "{cookie}");
        assert!(cookie.contains("Path=/"), "{cookie}");
        assert!(!session_cookie("abc", false).to_string().contains("Secure"));
    }

    #[test]
    fn only_bearer_authorization_carries_a_token() {
        let header = |v: &'static str| HeaderValue::from_static(v);
        assert_eq!(bearer_token(&header("Bearer plae_abc")), Some("plae_abc"));
        assert_eq!(bearer_token(&header("bearer  plae_abc ")), Some("plae_abc"));
        assert_eq!(bearer_token(&header("Basic YWxhZGRpbg==")), None);
        assert_eq!(bearer_token(&header("Bearer ")), None);
    }

    #[test]
    fn a_cookie_that_cannot_be_a_token_is_not_looked_up() {
        assert!(plausible_token(&tokens::random_token()));
        assert!(!plausible_token("abc"));
        assert!(!plausible_token(&"z".repeat(64)));
    }
}
