//! The one error type of the web app, and the one page every error is shown with.
//!
//! Handlers return `Result<_, AppError>` and use `?` on database and template errors. What
//! the reader sees depends only on the variant: a missing page, a bad request with a message
//! written for them, or a generic "something went wrong"/"try again" page. The details of an
//! internal error go to the log, never into the page.
//!
//! The JSON API (`web::api`) shows the same errors as `{"error": "message"}` with the same
//! status and headers ([`AppError::json_response`]); its route scope chooses that rendering.

use std::borrow::Cow;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::page::HTML;
use crate::workflow::WorkflowError;

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
    /// A workflow action refused (404, 403, 422, 409 by its kind; see `workflow`), with the
    /// workflow's reason shown to the reader.
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    /// Well-formed but not acceptable input (a JSON field of the wrong type, a missing
    /// field): 422 with the message.
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// A request body over the limit (in bytes): 413.
    #[error("request body larger than {0} bytes")]
    PayloadTooLarge(usize),
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
            AppError::Workflow(e) => match e {
                WorkflowError::NotFound(_) => StatusCode::NOT_FOUND,
                WorkflowError::Forbidden(_) => StatusCode::FORBIDDEN,
                WorkflowError::Invalid(_) | WorkflowError::ChecksFailed(_) => {
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                WorkflowError::Conflict(_) => StatusCode::CONFLICT,
                WorkflowError::Database(e) if database_unreachable(e) => {
                    StatusCode::SERVICE_UNAVAILABLE
                }
                WorkflowError::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::RedirectTo(path) = self {
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, path.as_str()))
                .finish();
        }
        self.log();
        let (title, message) = self.describe();
        let status = self.status_code();
        let page = ErrorPage {
            chrome: super::chrome::Chrome::Unknown,
            status: status.as_u16(),
            title,
            message: &message,
        };
        match page.render() {
            Ok(html) => self.response_builder().content_type(HTML).body(html),
            Err(e) => {
                // The error page itself failed: say so in the log and fall back to text.
                tracing::error!(error = %e, "rendering the error page");
                self.response_builder()
                    .content_type("text/plain; charset=utf-8")
                    .body(title)
            }
        }
    }
}

impl AppError {
    /// The error as the JSON API shows it: `{"error": "message"}`, with the status and
    /// headers of the page. Does not log: the API's scope renders the error this way after
    /// `error_response` (which logs) has run.
    pub fn json_response(&self) -> HttpResponse {
        let (_, message) = self.describe();
        let mut response = self.response_builder();
        if let AppError::RedirectTo(path) = self {
            response.insert_header((actix_web::http::header::LOCATION, path.as_str()));
        }
        match self {
            // The API's client needs the findings themselves, to show or to dismiss.
            AppError::Workflow(WorkflowError::ChecksFailed(findings)) => {
                response.json(serde_json::json!({ "error": message, "findings": findings }))
            }
            _ => response.json(serde_json::json!({ "error": message })),
        }
    }

    /// The title and the message shown to the reader: never an internal error's details.
    fn describe(&self) -> (&'static str, Cow<'_, str>) {
        const SOMETHING_WENT_WRONG: (&str, Cow<str>) = (
            "Something went wrong",
            Cow::Borrowed("The page could not be shown. The error has been logged."),
        );
        const UNAVAILABLE: (&str, Cow<str>) = (
            "Temporarily unavailable",
            Cow::Borrowed(
                "The database cannot be reached right now. Please try again in a moment.",
            ),
        );
        let (title, message): (&str, Cow<str>) = match self {
            AppError::NotFound => ("Page not found", "There is no page at this address.".into()),
            AppError::BadRequest(message) => ("Bad request", message.into()),
            AppError::Internal(_) => SOMETHING_WENT_WRONG,
            AppError::Unavailable(_) => UNAVAILABLE,
            AppError::Workflow(WorkflowError::Database(e)) if database_unreachable(e) => {
                UNAVAILABLE
            }
            AppError::Workflow(WorkflowError::Database(_)) => SOMETHING_WENT_WRONG,
            AppError::Unauthorized => (
                "Sign in required",
                "You need to sign in to do this. If you used an API token, it is unknown, \
                 revoked, or its user is disabled."
                    .into(),
            ),
            AppError::Forbidden => (
                "Not allowed",
                "Your role does not allow this. Ask an admin if you think it should.".into(),
            ),
            AppError::CsrfRejected => (
                "Form expired",
                "This form could not be accepted: it is out of date or did not come from this \
                 site. Go back, reload the page and try again. (Your browser must accept \
                 cookies from this site.)"
                    .into(),
            ),
            AppError::TooManyRequests(minutes) => (
                "Too many attempts",
                format!("Too many attempts. Try again in {minutes} minutes.").into(),
            ),
            AppError::RedirectTo(_) => ("See other", "".into()),
            AppError::Workflow(e) => {
                let title = match e {
                    WorkflowError::NotFound(_) => "Not found",
                    WorkflowError::Forbidden(_) => "Not allowed",
                    WorkflowError::Conflict(_) => "Changed meanwhile",
                    _ => "Cannot do that",
                };
                (title, capitalized(&e.to_string()).into())
            }
            AppError::Unprocessable(message) => ("Cannot do that", message.into()),
            AppError::PayloadTooLarge(limit) => (
                "Too large",
                format!("The request is larger than the limit of {limit} bytes.").into(),
            ),
        };
        (title, message)
    }

    /// Internal errors go to the log with their cause; nothing else is worth a line.
    fn log(&self) {
        let cause = match self {
            AppError::Internal(cause) | AppError::Unavailable(cause) => format!("{cause:#}"),
            AppError::Workflow(WorkflowError::Database(e)) => e.to_string(),
            _ => return,
        };
        match self.status_code() {
            StatusCode::SERVICE_UNAVAILABLE => {
                tracing::warn!(error = %cause, "database unavailable")
            }
            _ => tracing::error!(error = %cause, "internal error"),
        }
    }

    /// The status and the headers that go with it, for either rendering.
    fn response_builder(&self) -> actix_web::HttpResponseBuilder {
        let mut response = HttpResponse::build(self.status_code());
        match self {
            AppError::TooManyRequests(minutes) => {
                response.insert_header(("Retry-After", (minutes * 60).to_string()));
            }
            AppError::Unauthorized => {
                response.insert_header(("WWW-Authenticate", "Bearer realm=\"plae\""));
            }
            _ if self.status_code() == StatusCode::SERVICE_UNAVAILABLE => {
                response.insert_header(("Retry-After", "5"));
            }
            _ => {}
        }
        response
    }
}

/// The workflow's reasons start in lower case ("the translation is empty"): a page shows
/// them as a sentence.
fn capitalized(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
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

    #[test]
    fn workflow_refusals_carry_the_status_that_says_what_happened() {
        let status = |e: WorkflowError| AppError::from(e).status_code();
        assert_eq!(status(WorkflowError::NotFound("segment")), 404);
        assert_eq!(status(WorkflowError::Forbidden("no".into())), 403);
        assert_eq!(status(WorkflowError::Invalid("empty".into())), 422);
        assert_eq!(status(WorkflowError::Conflict("newer".into())), 409);
        assert_eq!(
            status(WorkflowError::Database(sqlx::Error::PoolTimedOut)),
            503
        );
        assert_eq!(
            status(WorkflowError::Database(sqlx::Error::RowNotFound)),
            500
        );
    }

    async fn json_of(error: AppError) -> (StatusCode, serde_json::Value) {
        let response = error.json_response();
        let status = response.status();
        assert_eq!(
            response.headers().get("content-type").unwrap(),
            "application/json"
        );
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .expect("the body");
        (status, serde_json::from_slice(&body).expect("JSON"))
    }

    #[tokio::test]
    async fn the_json_rendering_has_the_message_the_status_and_the_headers() {
        let (status, body) = json_of(AppError::Workflow(WorkflowError::Invalid(
            "the translation is empty".into(),
        )))
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            body,
            serde_json::json!({"error": "The translation is empty"})
        );
        let unauthorized = AppError::Unauthorized.json_response();
        assert!(unauthorized.headers().contains_key("www-authenticate"));
        let (status, body) = json_of(AppError::Internal(anyhow::anyhow!("password=hunter2"))).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            !body["error"].as_str().unwrap().contains("hunter2"),
            "{body}"
        );
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
