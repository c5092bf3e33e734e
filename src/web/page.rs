//! From a page struct to a response, and what every page shares.

use actix_web::HttpResponse;
use askama::Template;

use super::error::AppError;

pub const HTML: &str = "text/html; charset=utf-8";

/// Renders a page into a 200 response.
pub fn render<T: Template>(page: &T) -> Result<HttpResponse, AppError> {
    render_sized(page, 0)
}

/// Like [`render`], reserving room for a page whose size the handler can estimate (a
/// chapter is mostly its text): the page is written into one buffer without regrowing it.
pub fn render_sized<T: Template>(page: &T, estimate: usize) -> Result<HttpResponse, AppError> {
    let mut html = String::with_capacity(estimate.max(T::SIZE_HINT));
    page.render_into(&mut html)?;
    Ok(HttpResponse::Ok().content_type(HTML).body(html))
}

/// The path of a chapter's page. Slugs are `[a-z0-9-]` (the database checks it), so they
/// need no percent-encoding.
pub fn chapter_path(book_slug: &str, number: i32) -> String {
    format!("/books/{book_slug}/chapters/{number}")
}

pub fn segment_path(id: uuid::Uuid) -> String {
    format!("/segments/{id}")
}
