//! Sessions and API tokens: who a request comes from.
//!
//! Both are looked up by the SHA-256 of the token the client sent, joined with the user so
//! that a disabled user's sessions and tokens stop working on the very next request.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::accounts::Role;

/// The user behind a session or an API token.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Authenticated {
    pub user_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub must_change_password: bool,
    /// `None` for an API token.
    pub session_id: Option<Uuid>,
    /// `None` for an API token (no cookies, so no CSRF).
    pub csrf_token: Option<String>,
}

/// Starts a session; returns its id.
pub async fn create_session(
    conn: &mut PgConnection,
    user_id: Uuid,
    token_sha256: &[u8],
    csrf_token: &str,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO sessions (user_id, token_sha256, csrf_token) VALUES ($1, $2, $3)
         RETURNING id",
    )
    .bind(user_id)
    .bind(token_sha256)
    .bind(csrf_token)
    .fetch_one(conn)
    .await
}

/// The live session with this token hash: not idle longer than `idle_seconds`, of an
/// enabled user. Marks it seen, but writes only when the last mark is older than
/// `touch_seconds`, so a busy session is not a write per request.
pub async fn find_session(
    conn: &mut PgConnection,
    token_sha256: &[u8],
    idle_seconds: i64,
    touch_seconds: i64,
) -> Result<Option<Authenticated>, sqlx::Error> {
    // The UPDATE in the CTE and the SELECT see the same snapshot: the SELECT checks the
    // idle limit against the time before this request, as it should.
    sqlx::query_as::<_, Authenticated>(
        "WITH touched AS (
             UPDATE sessions SET last_seen_at = now()
              WHERE token_sha256 = $1
                AND last_seen_at < now() - $3 * interval '1 second'
                AND last_seen_at > now() - $2 * interval '1 second'
         )
         SELECT u.id AS user_id, u.username, u.display_name, u.role, u.must_change_password,
                s.id AS session_id, s.csrf_token
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_sha256 = $1
            AND s.last_seen_at > now() - $2 * interval '1 second'
            AND u.disabled_at IS NULL",
    )
    .bind(token_sha256)
    .bind(idle_seconds as f64)
    .bind(touch_seconds as f64)
    .fetch_optional(conn)
    .await
}

/// Ends one session (sign-out).
pub async fn delete_session(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every session of a user (password change, disabled), but `except` if given.
pub async fn delete_user_sessions(
    conn: &mut PgConnection,
    user_id: Uuid,
    except: Option<Uuid>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2")
        .bind(user_id)
        .bind(except)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes sessions idle longer than `idle_seconds` (they no longer work anyway).
pub async fn delete_expired_sessions(
    conn: &mut PgConnection,
    idle_seconds: i64,
) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM sessions WHERE last_seen_at < now() - $1 * interval '1 second'")
            .bind(idle_seconds as f64)
            .execute(conn)
            .await?;
    Ok(done.rows_affected())
}

/// How many sessions a user has (tests, the admin page).
pub async fn count_user_sessions(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

/// Stores a new API token's hash; returns the token's id.
pub async fn create_api_token(
    conn: &mut PgConnection,
    user_id: Uuid,
    token_sha256: &[u8],
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, token_sha256) VALUES ($1, $2) RETURNING id",
    )
    .bind(user_id)
    .bind(token_sha256)
    .fetch_one(conn)
    .await
}

/// The enabled user of an unrevoked API token with this hash; marks it used at most once
/// every `touch_seconds`.
pub async fn find_api_token(
    conn: &mut PgConnection,
    token_sha256: &[u8],
    touch_seconds: i64,
) -> Result<Option<Authenticated>, sqlx::Error> {
    sqlx::query_as::<_, Authenticated>(
        "WITH touched AS (
             UPDATE api_tokens SET last_used_at = now()
              WHERE token_sha256 = $1 AND revoked_at IS NULL
                AND (last_used_at IS NULL
                     OR last_used_at < now() - $2 * interval '1 second')
         )
         SELECT u.id AS user_id, u.username, u.display_name, u.role, u.must_change_password,
                NULL::uuid AS session_id, NULL::text AS csrf_token
           FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL",
    )
    .bind(token_sha256)
    .bind(touch_seconds as f64)
    .fetch_optional(conn)
    .await
}

/// Revokes every API token of a user; returns how many were live.
pub async fn revoke_api_tokens(conn: &mut PgConnection, user_id: Uuid) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
