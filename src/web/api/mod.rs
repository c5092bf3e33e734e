//! The JSON API under `/api`: the same workflow as the pages, for scripts and tools.
//!
//! Who may do what is exactly what the pages allow. Every request needs a signed-in user
//! (401 otherwise), reads included: the API serves the workspace (drafts under way, revision
//! ids to save on, history, reviews, comments), which the pages show only to signed-in
//! users; the public reading of the book is the chapter pages. Any role may read and draft;
//! reviewing needs a reviewer (403 otherwise). Scripts authenticate with an API token
//! (`Authorization: Bearer …`, from `plae user token NAME`) and need no CSRF token. A
//! browser's session cookie works too, for the site's own scripts, but a change made with it
//! must carry the session's token in `X-CSRF-Token` (`session::CurrentUser` refuses it
//! otherwise), and every body must be `application/json`, which a cross-site form cannot
//! send: the API is no way around CSRF.
//!
//! Errors are `{"error": "message"}` with the status that says what happened: `AppError`
//! rendered as JSON by this scope's middleware ([`json_errors`]), the same error type as the
//! pages. Handlers are thin: parse, call `workflow` or `db`, shape the JSON. One file per
//! resource: `chapters`, `segments`, `revisions`, `reviews`, `comments`.

mod chapters;
mod comments;
mod reviews;
mod revisions;
mod search;
mod segments;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::JsonPayloadError;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::session::{self, CurrentUser};
use super::AppError;
use crate::workflow::Actor;

/// The largest JSON body. The longest translation (`workflow::MAX_TEXT_CHARS`, 50,000
/// characters) is at most 200 KB as UTF-8 and 300 KB written as `\u` escapes.
pub const MAX_JSON_BYTES: usize = 512 * 1024;

/// The `/api` scope; `web::routes` mounts it.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api")
            .wrap(from_fn(json_errors))
            .app_data(json_config())
            .service(web::resource("/chapters").route(web::get().to(chapters::list_chapters)))
            .service(
                web::resource("/chapters/{id}/segments")
                    .route(web::get().to(chapters::list_chapter_segments)),
            )
            .service(web::resource("/segments/{id}").route(web::get().to(segments::show_segment)))
            .service(web::resource("/search").route(web::get().to(search::search)))
            .service(web::resource("/segments/{id}/tm").route(web::get().to(search::segment_tm)))
            .service(
                web::resource("/segments/{id}/revisions")
                    .route(web::post().to(revisions::save_revision)),
            )
            .service(web::resource("/segments/{id}/submit").route(web::post().to(reviews::submit)))
            .service(web::resource("/segments/{id}/review").route(web::post().to(reviews::review)))
            .service(
                web::resource("/segments/{id}/comments")
                    .route(web::post().to(comments::add_comment)),
            )
            .default_service(web::to(not_found)),
    );
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// `web::Json` for the API: bodies up to [`MAX_JSON_BYTES`], `Content-Type:
/// application/json` required, and every failure an `AppError` (so, JSON).
fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_JSON_BYTES)
        .content_type_required(true)
        .error_handler(|e, _| json_payload_error(e).into())
}

/// Malformed JSON (bad syntax, invalid UTF-8, cut short) is a 400; JSON of the wrong shape
/// (a missing field, a wrong type, an unknown verdict) is a 422; too large a body is a 413.
fn json_payload_error(e: JsonPayloadError) -> AppError {
    use actix_web::error::PayloadError;
    match e {
        JsonPayloadError::OverflowKnownLength { limit, .. }
        | JsonPayloadError::Overflow { limit } => AppError::PayloadTooLarge(limit),
        JsonPayloadError::Payload(PayloadError::Overflow) => {
            AppError::PayloadTooLarge(MAX_JSON_BYTES)
        }
        JsonPayloadError::ContentType => AppError::BadRequest(
            "this address takes JSON: send it with Content-Type: application/json".into(),
        ),
        JsonPayloadError::Deserialize(e) if e.is_data() => {
            AppError::Unprocessable(format!("the JSON does not fit this request: {e}"))
        }
        JsonPayloadError::Deserialize(e) => {
            AppError::BadRequest(format!("the body is not valid JSON: {e}"))
        }
        other => AppError::BadRequest(other.to_string()),
    }
}

/// A JSON body that may be left out altogether (`POST …/submit` with no body): the default
/// then. A body that is there is read like `web::Json` reads one, with the same errors.
fn optional_json<T: DeserializeOwned + Default>(
    request: &HttpRequest,
    body: &[u8],
) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let is_json = request.mime_type().ok().flatten().is_some_and(|m| {
        m.subtype() == "json" || m.suffix().is_some_and(|suffix| suffix == "json")
    });
    if !is_json {
        return Err(json_payload_error(JsonPayloadError::ContentType));
    }
    serde_json::from_slice(body).map_err(|e| json_payload_error(JsonPayloadError::Deserialize(e)))
}

/// Renders every error of the scope as `{"error": "..."}`: an `AppError` with its own
/// message (its page's message) and headers; anything else actix answered (a 405, a body
/// that could not be read) with the error's text for a client error, the status's name
/// otherwise.
async fn json_errors(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, actix_web::Error> {
    // An error that escaped as an `Err` (none of this scope's handlers and extractors make
    // one: their errors come back as responses) still goes out as JSON.
    let response = next.call(request).await.map_err(|e| {
        let json = error_json(e.error_response().status(), Some(&e));
        actix_web::error::InternalError::from_response(e.to_string(), json)
    })?;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return Ok(response.map_into_left_body());
    }
    let mut json = error_json(status, response.response().error());
    for (name, value) in response.headers() {
        if !json.headers().contains_key(name) && *name != header::CONTENT_LENGTH {
            json.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(response.into_response(json).map_into_right_body())
}

fn error_json(
    status: actix_web::http::StatusCode,
    error: Option<&actix_web::Error>,
) -> HttpResponse {
    if let Some(app) = error.and_then(|e| e.as_error::<AppError>()) {
        return app.json_response();
    }
    let message = match error {
        Some(e) if status.is_client_error() => e.to_string(),
        _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    HttpResponse::build(status).json(serde_json::json!({ "error": message }))
}

/// The user of an API request: `CurrentUser` (an API token, or a session whose changes carry
/// `X-CSRF-Token`), except that nobody signed in is a 401, never the sign-in page's redirect
/// a browser gets.
pub struct ApiUser(pub CurrentUser);

impl FromRequest for ApiUser {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = CurrentUser::from_request(request, payload);
        let request = request.clone();
        Box::pin(async move {
            let e = match user.await {
                Ok(user) => return Ok(ApiUser(user)),
                Err(e) => e,
            };
            let to_sign_in = matches!(e.as_error::<AppError>(), Some(AppError::RedirectTo(_)))
                // Looked up once per request: this costs no query.
                && session::identify(&request).await?.is_none();
            Err(match to_sign_in {
                true => AppError::Unauthorized.into(),
                false => e,
            })
        })
    }
}

/// The workflow's view of the user.
fn actor(ApiUser(user): &ApiUser) -> Actor {
    Actor {
        user_id: user.id,
        role: user.role,
    }
}

/// An id in a path; anything that is not one names nothing (404).
fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// The `Location` of a segment, for 201 answers.
fn segment_location(id: Uuid) -> (header::HeaderName, HeaderValue) {
    let value = HeaderValue::from_str(&format!("/api/segments/{id}"))
        .expect("a path of hex digits and dashes is a header value");
    (header::LOCATION, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::StatusCode;
    use actix_web::ResponseError;

    fn status_of(body: &str) -> StatusCode {
        let e = serde_json::from_str::<reviews::ReviewRequest>(body).unwrap_err();
        json_payload_error(JsonPayloadError::Deserialize(e)).status_code()
    }

    #[test]
    fn malformed_json_is_a_400_and_json_of_the_wrong_shape_a_422() {
        assert_eq!(
            status_of(r#"{"verdict": "approve""#),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(status_of("not json"), StatusCode::BAD_REQUEST);
        assert_eq!(
            status_of(r#"{"verdict": "maybe"}"#),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status_of(r#"{"comment": "hi"}"#),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status_of(r#"{"verdict": "approve", "comment": 3}"#),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status_of(r#"{"verdict": "approve", "verdikt": 1}"#),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn invalid_utf8_in_json_is_malformed() {
        let e = serde_json::from_slice::<reviews::ReviewRequest>(b"{\"comment\": \"\xff\"}")
            .unwrap_err();
        let error = json_payload_error(JsonPayloadError::Deserialize(e));
        assert_eq!(error.status_code(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn an_oversized_body_is_a_413() {
        let e = JsonPayloadError::OverflowKnownLength {
            length: MAX_JSON_BYTES + 1,
            limit: MAX_JSON_BYTES,
        };
        assert_eq!(
            json_payload_error(e).status_code(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }
}
