//! The web app: one route table that startup and the tests both use.
//!
//! Server-rendered pages that work without JavaScript. Each resource has its file: a handler
//! parses the request, calls `db` and plain functions, and renders its page struct (defined
//! next to it, ending in `Page`) with an askama template from `templates/`.

mod assets;
mod chapters;
mod display;
mod error;
mod footnotes;
mod health;
mod home;
mod page;
mod progress;
mod rendered;
mod segments;

use actix_web::{guard, web, HttpResponse, Route};

use crate::config::Settings;
pub use error::AppError;

/// What every handler can reach. Nothing else lives in process memory (the rendered chapter
/// pages each worker keeps are checked against the database on every request, see
/// `rendered`), so any number of instances can serve the same database.
pub struct AppState {
    pub pool: sqlx::PgPool,
    pub settings: Settings,
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Called once per worker: each worker keeps its own rendered pages (see `rendered`).
    cfg.app_data(web::Data::new(rendered::RenderedChapters::default()))
        .service(web::resource("/").route(read().to(home::show_home)))
        .service(
            web::resource("/books/{slug}/chapters/{number}")
                .route(read().to(chapters::show_chapter)),
        )
        .service(web::resource("/segments/{id}").route(read().to(segments::show_segment)))
        .service(web::resource("/healthz").route(read().to(health::healthz)))
        .service(web::resource("/static/style.css").route(read().to(assets::style_css)))
        .default_service(web::to(not_found));
}

/// GET, and HEAD for monitors and link checkers (actix sends the headers without the
/// body). Other methods on these paths get 405 from the resource, not a 404.
fn read() -> Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

/// Any other path: the same 404 page as an unknown chapter.
async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
