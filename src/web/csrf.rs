//! CSRF protection for every form that changes something.
//!
//! A POST handler takes `CsrfForm<T>` instead of `web::Form<T>`: it reads the urlencoded
//! body once, checks its `csrf` field before the handler runs, then parses `T` from the same
//! body. The handler cannot see the data of a forged request. The token it checks:
//!
//! - signed in with a session: the session's random CSRF token (stored with the session, put
//!   in every form by the page, compared in constant time);
//! - not signed in (sign-in, sign-up): a signed double-submit cookie. The page sets a random
//!   nonce in the HttpOnly cookie `plae_form` and puts its HMAC (keyed by a server key kept
//!   in the database) in the form; a cross-site page can neither read the cookie nor compute
//!   the HMAC, so it cannot make the victim's browser sign in to the attacker's account
//!   (login CSRF);
//! - an API token (`Authorization: Bearer`): nothing, since no cookie is involved.
//!
//! A failed check is a 403 page saying to reload the form.

use std::ops::Deref;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::session::{self, Auth, CurrentUser};
use super::AppError;
use crate::accounts::tokens;

/// The cookie holding the nonce of anonymous forms.
pub const FORM_COOKIE: &str = "plae_form";
/// The name of the hidden field every form carries.
pub const CSRF_FIELD: &str = "csrf";

/// A form whose CSRF token was checked, with the user who sent it (if signed in).
pub struct CsrfForm<T> {
    pub data: T,
    pub user: Option<CurrentUser>,
}

impl<T> CsrfForm<T> {
    /// The signed-in user who sent the form; 401 if nobody is signed in.
    pub fn user(&self) -> Result<&CurrentUser, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }
}

impl<T> Deref for CsrfForm<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

#[derive(Deserialize)]
struct TokenField {
    csrf: Option<String>,
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        // The body limit configured for the app applies (`PayloadConfig`).
        let body = web::Bytes::from_request(&request, payload);
        Box::pin(async move {
            let body = body.await?;
            if !is_urlencoded(&request) {
                return Err(AppError::BadRequest(
                    "this address takes a form (application/x-www-form-urlencoded)".into(),
                )
                .into());
            }
            if !form_is_utf8(&body) {
                return Err(AppError::BadRequest("the form is not UTF-8 text".into()).into());
            }
            let user = session::identify(&request).await?;
            let sent = serde_urlencoded::from_bytes::<TokenField>(&body)
                .ok()
                .and_then(|field| field.csrf)
                .unwrap_or_default();
            if !token_is_valid(&request, user.as_ref(), &sent)? {
                tracing::info!(path = %request.path(), "refused a form with a bad CSRF token");
                return Err(AppError::CsrfRejected.into());
            }
            let data = serde_urlencoded::from_bytes::<T>(&body)
                .map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
            if let Some(user) = &user {
                session::check_password_is_own(&request, user)?;
            }
            Ok(CsrfForm { data, user })
        })
    }
}

fn is_urlencoded(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|mime| {
                mime.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
}

/// Whether every field of an urlencoded body is UTF-8 once percent-decoded. The parser would
/// replace bad bytes with U+FFFD without a word, and store text nobody typed.
pub(super) fn form_is_utf8(body: &[u8]) -> bool {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let mut decoded = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        match (
            body[i],
            body.get(i + 1).copied().and_then(hex),
            body.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                decoded.push(high << 4 | low);
                i += 3;
            }
            (b'&', _, _) => {
                // Each field on its own: a sequence cut by `&` is invalid in either half.
                if std::str::from_utf8(&decoded).is_err() {
                    return false;
                }
                decoded.clear();
                i += 1;
            }
            (byte, _, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    std::str::from_utf8(&decoded).is_ok()
}

pub(super) fn token_is_valid(
    request: &HttpRequest,
    user: Option<&CurrentUser>,
    sent: &str,
) -> Result<bool, AppError> {
    Ok(match user.map(|user| &user.auth) {
        Some(Auth::ApiToken) => true,
        Some(Auth::Session { csrf_token, .. }) => tokens::same_secret(sent, csrf_token),
        None => {
            let state = session::app_state(request)?;
            match request.cookie(FORM_COOKIE) {
                Some(nonce) => state.form_key.verify(nonce.value(), sent),
                None => false,
            }
        }
    })
}

/// The CSRF token for a form on a page shown to `user`, and for an anonymous visitor the
/// nonce cookie the page must set (when the browser does not have one yet).
pub fn form_token(
    request: &HttpRequest,
    user: Option<&CurrentUser>,
) -> Result<(String, Option<Cookie<'static>>), AppError> {
    if let Some(token) = user.and_then(CurrentUser::csrf_token) {
        return Ok((token.to_string(), None));
    }
    let state = session::app_state(request)?;
    let existing = request
        .cookie(FORM_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    match existing {
        Some(nonce) => Ok((state.form_key.sign(&nonce), None)),
        None => {
            let nonce = tokens::random_token();
            let cookie = Cookie::build(FORM_COOKIE, nonce.clone())
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(state.settings.secure_cookies)
                .finish();
            Ok((state.form_key.sign(&nonce), Some(cookie)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_is_utf8_only_if_every_field_decodes_to_utf8() {
        assert!(form_is_utf8(b"csrf=abc&text=%E0%B8%81+ok&empty="));
        assert!(form_is_utf8("text=ก".as_bytes()), "raw UTF-8 is UTF-8");
        assert!(
            form_is_utf8(b"text=100%25&odd=%zz%"),
            "a stray % is kept as it is"
        );
        assert!(!form_is_utf8(b"text=%FF"));
        assert!(!form_is_utf8(b"text=\xff"));
        assert!(
            !form_is_utf8(b"a=%E0%B8&b=%81"),
            "a character cut in two by a field"
        );
    }
}
