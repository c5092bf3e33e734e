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

/// A page rendered with another status than 200 (a form shown again with its error).
pub fn render_with_status<T: Template>(
    status: actix_web::http::StatusCode,
    page: &T,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type(HTML)
        .body(render_string(page, 0)?))
}

/// Where a user whose password someone else chose is sent first.
pub const PASSWORD_PATH: &str = "/account/password";

/// The sign-in page, coming back to `next` (a local path) afterwards.
pub fn sign_in_path(next: Option<&str>) -> String {
    match next.and_then(local_path) {
        Some(next) if next != "/" => format!("/sign-in?next={}", query_escape(next)),
        _ => "/sign-in".to_string(),
    }
}

/// `next` if it is a path on this site, never another site (`//evil.example`, `/\evil`,
/// `https://…`): redirecting there after sign-in would be an open redirect.
pub fn local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 2000
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    ok.then_some(next)
}

/// Percent-encodes a query value, keeping `/` readable.
fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path("/admin/users"), Some("/admin/users"));
        assert_eq!(local_path("/segments/x?y=1"), Some("/segments/x?y=1"));
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "",
            "/a b",
        ] {
            assert_eq!(local_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_sign_in_path_carries_the_page_to_come_back_to() {
        assert_eq!(sign_in_path(None), "/sign-in");
        assert_eq!(sign_in_path(Some("/")), "/sign-in");
        assert_eq!(
            sign_in_path(Some("/admin/users?x=1&y=2")),
            "/sign-in?next=/admin/users%3Fx%3D1%26y%3D2"
        );
        assert_eq!(sign_in_path(Some("//evil.example")), "/sign-in");
    }
}
