//! The web app: one route table that startup and the tests both use.
//!
//! Server-rendered pages that work without JavaScript. Each resource has its file: a handler
//! parses the request, calls `db` and plain functions, and renders its page struct (defined
//! next to it, ending in `Page`) with an askama template from `templates/`.

mod accounts;
mod admin;
mod assets;
mod chapters;
pub mod chrome;
pub mod csrf;
mod display;
mod error;
pub(crate) mod footnotes;
mod health;
mod home;
mod page;
mod progress;
mod rendered;
mod segments;
pub mod session;
mod sign_in;

use actix_web::{guard, web, HttpResponse, Route};

use crate::accounts::tokens::FormKey;
use crate::config::Settings;
pub use error::AppError;

/// What every handler can reach. Nothing else lives in process memory (the rendered chapter
/// pages each worker keeps are checked against the database on every request, see
/// `rendered`), so any number of instances can serve the same database.
pub struct AppState {
    pub pool: sqlx::PgPool,
    pub settings: Settings,
    /// Signs the CSRF tokens of forms shown before sign-in (`csrf`); the same on every
    /// instance (`db::server_keys`).
    pub form_key: FormKey,
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
        .configure(account_routes)
        .service(web::resource("/healthz").route(read().to(health::healthz)))
        .service(web::resource("/static/style.css").route(read().to(assets::style_css)))
        .default_service(web::to(not_found));
}

/// Signing in and out, one's account, and the admin pages (`sign_in`, `accounts`, `admin`).
fn account_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/sign-in")
            .route(read().to(sign_in::show_sign_in))
            .route(web::post().to(sign_in::sign_in)),
    )
    .service(web::resource("/sign-out").route(web::post().to(sign_in::sign_out)))
    .service(
        web::resource("/sign-up")
            .route(read().to(accounts::show_sign_up))
            .route(web::post().to(accounts::sign_up)),
    )
    .service(
        web::resource(page::PASSWORD_PATH)
            .route(read().to(accounts::show_password))
            .route(web::post().to(accounts::change_password)),
    )
    .service(
        web::resource("/admin/users")
            .route(read().to(admin::list_users))
            .route(web::post().to(admin::add_user)),
    )
    .service(web::resource("/admin/users/{id}/role").route(web::post().to(admin::change_role)))
    .service(web::resource("/admin/users/{id}/disable").route(web::post().to(admin::disable_user)))
    .service(web::resource("/admin/users/{id}/enable").route(web::post().to(admin::enable_user)))
    .service(
        web::resource("/admin/settings")
            .route(read().to(admin::show_settings))
            .route(web::post().to(admin::save_settings)),
    );
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
