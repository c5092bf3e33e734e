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
        }
    }

    fn error_response(&self) -> HttpResponse {
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
        };
        let status = self.status_code();
        let page = ErrorPage {
            status: status.as_u16(),
            title,
            message,
        };
        let mut response = HttpResponse::build(status);
        if let AppError::Unavailable(_) = self {
            response.insert_header(("Retry-After", "5"));
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
