//! The one error type of the web app, and the one page every error is shown with.
//!
//! Handlers return `Result<_, AppError>` and use `?` on database and template errors. What
//! the reader sees depends only on the variant: a missing page, a bad request with a message
//! written for them, or a generic "something went wrong"/"try again" page. The details of an
//! internal error go to the log, never into the page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::page::HTML;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page: an unknown chapter or segment, a malformed id, an unknown path.
    #[error("not found")]
    NotFound,
    /// The request cannot be served as sent; the message is shown to the reader.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A bug or an unexpected failure: logged with its cause, shown as a generic page.
    #[error("internal error: {0:#}")]
    Internal(anyhow::Error),
    /// The database cannot be reached right now; retrying later may work.
    #[error("service unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// Not signed in (or a bad API token) where that is needed: 401. For a page a browser
    /// asked for, `AppError::sign_in_first` (a redirect to the sign-in page) is friendlier.
    #[error("unauthorized")]
    Unauthorized,
    /// Signed in, but the role does not allow it: 403.
    #[error("forbidden")]
    Forbidden,
    /// A state-changing request without the right CSRF token: 403 saying to reload the form.
    #[error("the form's CSRF token is missing or wrong")]
    CsrfRejected,
    /// Too many attempts (sign-in throttling): 429, try again in so many minutes.
    #[error("too many requests; retry in {0} minutes")]
    TooManyRequests(i64),
    /// Somewhere else first: a 303 to this local path (the sign-in page with `?next=`, the
    /// change-password page).
    #[error("see other: {0}")]
    RedirectTo(String),
}

impl AppError {
    /// A page needs a signed-in user: send them to sign in and back here.
    pub fn sign_in_first(path_and_query: &str) -> AppError {
        AppError::RedirectTo(super::page::sign_in_path(Some(path_and_query)))
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if database_unreachable(&e) {
            AppError::Unavailable(e.into())
        } else {
            AppError::Internal(e.into())
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(anyhow::Error::new(e).context("rendering a template"))
    }
}

/// Errors that say the database is down, restarting or gone, rather than that a query is
/// wrong: the reader should try again later (503), and monitoring should not page anyone
/// about a bug.
fn database_unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 08: connection exception; 57P0x: the server is shutting down or starting;
            // 53300: too many connections; 3D000: the database does not exist (any more).
            code.starts_with("08")
                || matches!(
                    code.as_ref(),
                    "57P01" | "57P02" | "57P03" | "53300" | "3D000"
                )
        }),
        _ => false,
    }
}

#[derive(Template)]
#[template(path = "error.html", whitespace = "minimize")]
pub struct ErrorPage<'a> {
    /// Errors are rendered without the request: the header shows a neutral "Account" link.
    pub chrome: super::chrome::Chrome,
    pub status: u16,
    pub title: &'a str,
    pub message: &'a str,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::RedirectTo(_) => StatusCode::SEE_OTHER,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::RedirectTo(path) = self {
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, path.as_str()))
                .finish();
        }
        let wait;
        let (title, message) = match self {
            AppError::NotFound => ("Page not found", "There is no page at this address."),
            AppError::BadRequest(message) => ("Bad request", message.as_str()),
            AppError::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), "internal error");
                (
                    "Something went wrong",
                    "The page could not be shown. The error has been logged.",
                )
            }
            AppError::Unavailable(cause) => {
                tracing::warn!(error = %format!("{cause:#}"), "database unavailable");
                (
                    "Temporarily unavailable",
                    "The database cannot be reached right now. Please try again in a moment.",
                )
            }
            AppError::Unauthorized => (
                "Sign in required",
                "You need to sign in to do this. If you used an API token, it is unknown, \
                 revoked, or its user is disabled.",
            ),
            AppError::Forbidden => (
                "Not allowed",
                "Your role does not allow this. Ask an admin if you think it should.",
            ),
            AppError::CsrfRejected => (
                "Form expired",
                "This form could not be accepted: it is out of date or did not come from this \
                 site. Go back, reload the page and try again. (Your browser must accept \
                 cookies from this site.)",
            ),
            AppError::TooManyRequests(minutes) => {
                wait = format!("Too many attempts. Try again in {minutes} minutes.");
                ("Too many attempts", wait.as_str())
            }
            AppError::RedirectTo(_) => ("See other", ""),
        };
        let status = self.status_code();
        let page = ErrorPage {
            chrome: super::chrome::Chrome::Unknown,
            status: status.as_u16(),
            title,
            message,
        };
        let mut response = HttpResponse::build(status);
        match self {
            AppError::Unavailable(_) => {
                response.insert_header(("Retry-After", "5"));
            }
            AppError::TooManyRequests(minutes) => {
                response.insert_header(("Retry-After", (minutes * 60).to_string()));
            }
            AppError::Unauthorized => {
                response.insert_header(("WWW-Authenticate", "Bearer realm=\"plae\""));
            }
            _ => {}
        }
        match page.render() {
            Ok(html) => response.content_type(HTML).body(html),
            Err(e) => {
                // The error page itself failed: say so in the log and fall back to text.
                tracing::error!(error = %e, "rendering the error page");
                response
                    .content_type("text/plain; charset=utf-8")
                    .body(title)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_connection_is_unavailable_and_a_bad_query_is_internal() {
        assert!(matches!(
            AppError::from(sqlx::Error::PoolTimedOut),
            AppError::Unavailable(_)
        ));
        assert!(matches!(
            AppError::from(sqlx::Error::RowNotFound),
            AppError::Internal(_)
        ));
    }

    #[test]
    fn sign_in_first_redirects_to_the_sign_in_page_and_back() {
        let response = AppError::sign_in_first("/admin/users").error_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers().get("location").unwrap();
        assert_eq!(location, "/sign-in?next=/admin/users");
    }

    #[test]
    fn refusals_carry_their_status_and_headers() {
        let unauthorized = AppError::Unauthorized.error_response();
        assert_eq!(unauthorized.status(), StatusCode::UNAUTHORIZED);
        assert!(unauthorized.headers().contains_key("www-authenticate"));
        assert_eq!(AppError::Forbidden.status_code(), StatusCode::FORBIDDEN);
        assert_eq!(AppError::CsrfRejected.status_code(), StatusCode::FORBIDDEN);
        let throttled = AppError::TooManyRequests(3).error_response();
        assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(throttled.headers().get("retry-after").unwrap(), "180");
    }

    #[tokio::test]
    async fn an_internal_error_page_does_not_show_the_cause() {
        let error = AppError::Internal(anyhow::anyhow!("password=hunter2 in the query"));
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .expect("the body");
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains("hunter2"), "{body}");
        assert!(body.contains("Something went wrong"), "{body}");
    }
}
