//! From a page struct to a response, and what every page shares.

use actix_web::HttpResponse;
use askama::Template;

use super::error::AppError;

pub const HTML: &str = "text/html; charset=utf-8";

/// Renders a page into a 200 response.
pub fn render<T: Template>(page: &T) -> Result<HttpResponse, AppError> {
    Ok(html_response(render_string(page, 0)?))
}

/// Renders a page into one buffer, reserving `estimate` bytes up front for a page whose size
/// the handler can tell (a chapter is mostly its text) so that it is not regrown as it fills.
pub fn render_string<T: Template>(page: &T, estimate: usize) -> Result<String, AppError> {
    let mut html = String::with_capacity(estimate.max(T::SIZE_HINT));
    page.render_into(&mut html)?;
    Ok(html)
}

/// A 200 response with a page already rendered.
pub fn html_response(html: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok().content_type(HTML).body(html)
}

/// The path of a chapter's page. Slugs are `[a-z0-9-]` (the database checks it), so they
/// need no percent-encoding.
pub fn chapter_path(book_slug: &str, number: i32) -> String {
    format!("/books/{book_slug}/chapters/{number}")
}

pub fn segment_path(id: uuid::Uuid) -> String {
    format!("/segments/{id}")
}
