//! The stylesheet, compiled into the binary so a deployment is one file.
//!
//! It is served with a year-long cache lifetime; pages link to it with a version derived
//! from its content, so a new stylesheet gets a new URL and browsers never keep a stale one.

use std::sync::LazyLock;

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::HttpResponse;
use sha2::{Digest, Sha256};

const STYLE_CSS: &str = include_str!("../../static/style.css");

static STYLE_HREF: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(STYLE_CSS.as_bytes());
    format!("/static/style.css?v={}", &hex::encode(digest)[..12])
});

/// The stylesheet's URL, with its version.
pub fn style_href() -> &'static str {
    &STYLE_HREF
}

pub async fn style_css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(365 * 24 * 60 * 60),
            CacheDirective::Extension("immutable".into(), None),
        ]))
        .body(STYLE_CSS)
}
