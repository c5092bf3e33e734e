//! The health check, for load balancers and monitors.

use std::time::Duration;

use actix_web::{web, HttpResponse};

use super::AppState;

/// A monitor waits a few seconds at most; a check that hangs on an unreachable database is
/// as bad as a failed one, so give up sooner than the pool would.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// 200 `ok` when the database answers, 503 otherwise. Plain text: it is read by machines.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let failure = match tokio::time::timeout(PING_TIMEOUT, crate::db::ping(&state.pool)).await {
        Ok(Ok(())) => return HttpResponse::Ok().content_type("text/plain").body("ok"),
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("no answer within {PING_TIMEOUT:?}"),
    };
    tracing::warn!(error = %failure, "health check: database unreachable");
    HttpResponse::ServiceUnavailable()
        .content_type("text/plain")
        .body("database unavailable")
}
