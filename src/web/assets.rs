//! The stylesheet and the workbench's small script, compiled into the binary so a
//! deployment is one file.
//!
//! They are served with a year-long cache lifetime; pages link to them with a version
//! derived from their content, so a new version gets a new URL and browsers never keep a
//! stale one. The script only adds keyboard shortcuts and a local copy of unsaved text:
//! every page works without it.

use std::sync::LazyLock;

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::HttpResponse;
use sha2::{Digest, Sha256};

const STYLE_CSS: &str = include_str!("../../static/style.css");

const WORKBENCH_JS: &str = include_str!("../../static/workbench.js");

static STYLE_HREF: LazyLock<String> = LazyLock::new(|| versioned("/static/style.css", STYLE_CSS));
static SCRIPT_HREF: LazyLock<String> =
    LazyLock::new(|| versioned("/static/workbench.js", WORKBENCH_JS));

fn versioned(path: &str, content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    format!("{path}?v={}", &hex::encode(digest)[..12])
}

/// The stylesheet's URL, with its version.
pub fn style_href() -> &'static str {
    &STYLE_HREF
}

/// The script's URL, with its version.
pub fn script_href() -> &'static str {
    &SCRIPT_HREF
}

pub async fn style_css() -> HttpResponse {
    immutable("text/css; charset=utf-8", STYLE_CSS)
}

pub async fn workbench_js() -> HttpResponse {
    immutable("text/javascript; charset=utf-8", WORKBENCH_JS)
}

fn immutable(content_type: &str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(365 * 24 * 60 * 60),
            CacheDirective::Extension("immutable".into(), None),
        ]))
        .body(body)
}
