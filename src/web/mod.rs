//! The web app: one route table that startup and the tests both use.
//!
//! Server-rendered pages that work without JavaScript. Each resource has its file: a handler
//! parses the request, calls `db` and plain functions, and renders its page struct (defined
//! next to it, ending in `Page`) with an askama template from `templates/`.

mod accounts;
mod activity;
mod admin;
mod alignments;
pub mod api;
mod assets;
mod chapter_filters;
mod chapters;
mod checks;
pub mod chrome;
mod claims;
mod comments;
pub mod csrf;
mod display;
mod drafting;
mod error;
mod exports;
pub(crate) mod footnotes;
mod glossary;
mod gzip_parts;
mod health;
mod history;
mod home;
mod notice;
mod page;
mod progress;
mod rendered;
mod restructure;
mod review;
mod search;
mod segments;
pub mod session;
mod sign_in;
pub mod tm;
mod upload;

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
    /// Where drafts are saved: batched with the saves arriving at the same time
    /// (`workflow::SaveQueue`; nothing waits there unanswered that another instance needs).
    pub saves: crate::workflow::SaveQueue,
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
        .service(web::resource("/books/{slug}/export").route(read().to(exports::download)))
        .configure(workspace_routes)
        .configure(search_routes)
        .configure(glossary_routes)
        .configure(account_routes)
        .configure(restructure_routes)
        .configure(alignment_routes)
        .configure(api::routes)
        .service(web::resource("/healthz").route(read().to(health::healthz)))
        .service(web::resource("/static/style.css").route(read().to(assets::style_css)))
        .service(web::resource("/static/workbench.js").route(read().to(assets::workbench_js)))
        .default_service(web::to(not_found));
}

/// Translate and review, as pages: the editor's forms, history, claims, review, comments
/// and the activity feed (`drafting`, `history`, `claims`, `review`, `comments`,
/// `activity`). Every POST takes a `CsrfForm` and answers with a 303 to a page, or the
/// page again with the reason it was refused.
fn workspace_routes(cfg: &mut web::ServiceConfig) {
    let post = web::post;
    cfg.service(web::resource("/segments/{id}/save").route(post().to(drafting::save)))
        .service(web::resource("/segments/{id}/keep-mine").route(post().to(drafting::keep_mine)))
        .service(web::resource("/segments/{id}/restore").route(post().to(drafting::restore)))
        .service(web::resource("/segments/{id}/history").route(read().to(history::show_history)))
        .service(web::resource("/segments/{id}/claim").route(post().to(claims::claim_segment)))
        .service(web::resource("/segments/{id}/release").route(post().to(claims::release_segment)))
        .service(
            web::resource("/books/{slug}/chapters/{number}/claims")
                .route(post().to(claims::claim_run)),
        )
        .service(web::resource("/segments/{id}/review").route(post().to(review::review)))
        .service(web::resource(review::QUEUE_PATH).route(read().to(review::show_queue)))
        .service(web::resource("/segments/{id}/comments").route(post().to(comments::add_comment)))
        .service(web::resource("/comments/{id}/edit").route(post().to(comments::edit_comment)))
        .service(
            web::resource("/comments/{id}/resolve").route(post().to(comments::resolve_comment)),
        )
        .service(web::resource("/comments/{id}/reopen").route(post().to(comments::reopen_comment)))
        .service(web::resource("/activity").route(read().to(activity::show_activity)))
        .service(
            web::resource("/users/{username}/activity")
                .route(read().to(activity::show_user_activity)),
        );
}

/// Fixing a segment's Thai: correcting it, merging, splitting, undoing (`restructure`).
/// Reviewers and admins; CSRF forms answered with a 303 to the segment's page.
fn restructure_routes(cfg: &mut web::ServiceConfig) {
    let post = web::post;
    cfg.service(
        web::resource("/segments/{id}/correct").route(post().to(restructure::correct_source)),
    )
    .service(web::resource("/segments/{id}/merge").route(post().to(restructure::merge)))
    .service(web::resource("/segments/{id}/split").route(post().to(restructure::split)))
    .service(web::resource("/segments/{id}/undo").route(post().to(restructure::undo)));
}

/// Importing an existing translation (`alignments`): a chapter's upload form, and the
/// review page of an alignment with its fixes, accept and discard.
fn alignment_routes(cfg: &mut web::ServiceConfig) {
    let post = web::post;
    cfg.service(
        web::resource("/books/{slug}/chapters/{number}/align")
            .route(read().to(alignments::show_upload))
            .route(post().to(alignments::upload)),
    )
    .service(web::resource("/alignments/{id}").route(read().to(alignments::show_alignment)))
    .service(web::resource("/alignments/{id}/edit").route(post().to(alignments::edit_alignment)))
    .service(
        web::resource("/alignments/{id}/accept").route(post().to(alignments::accept_alignment)),
    )
    .service(
        web::resource("/alignments/{id}/discard").route(post().to(alignments::discard_alignment)),
    );
}

/// The concordance (`search`), for everyone: readers search the public text.
fn search_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/search").route(read().to(search::show_search)));
}

/// The glossary and its candidates (`glossary`), and dismissing a quality check
/// (`checks`). Reading the glossary needs a signed-in user; changing it, exporting and the
/// candidates need a reviewer or an admin (checked in the handlers).
fn glossary_routes(cfg: &mut web::ServiceConfig) {
    let post = web::post;
    cfg.service(
        web::resource("/glossary")
            .route(read().to(glossary::show_glossary))
            .route(post().to(glossary::add_term)),
    )
    .service(web::resource("/glossary/export").route(read().to(glossary::export_glossary)))
    .service(web::resource("/glossary/import").route(post().to(glossary::import_glossary)))
    .service(web::resource("/glossary/{id}/edit").route(post().to(glossary::edit_term)))
    .service(web::resource("/glossary/{id}/approve").route(post().to(glossary::approve_term)))
    .service(web::resource("/glossary/{id}/delete").route(post().to(glossary::delete_term)))
    .service(web::resource("/glossary/candidates").route(read().to(glossary::show_candidates)))
    .service(
        web::resource("/glossary/candidates/accept").route(post().to(glossary::accept_candidate)),
    )
    .service(
        web::resource("/glossary/candidates/reject").route(post().to(glossary::reject_candidate)),
    )
    .service(
        web::resource("/segments/{id}/checks/{check}/dismiss")
            .route(post().to(checks::dismiss_check)),
    );
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
