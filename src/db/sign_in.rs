//! Sign-in attempts: the record that throttling decides from (`accounts::throttle`).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    Failed,
    /// Refused by the throttle without looking at the password.
    Throttled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::Throttled => "throttled",
        }
    }
}

/// The database's clock and the recent failures, newest first.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecentFailures {
    pub now: DateTime<Utc>,
    pub by_username: Vec<DateTime<Utc>>,
    pub by_client: Vec<DateTime<Utc>>,
}

/// Serializes the sign-in attempts for one username until the transaction ends, so that
/// parallel guesses cannot all pass the throttle before any of them is recorded.
pub async fn lock_username(conn: &mut PgConnection, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('plae sign-in ' || $1, 0))")
        .bind(username)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Failed attempts for the username and from the client within the last `window_seconds`,
/// newest first, at most `limit` of each (the throttle needs no more). The times are the
/// database's, as is `now`, so instances with skewed clocks agree.
pub async fn recent_failures(
    conn: &mut PgConnection,
    username: &str,
    client_ip: &str,
    window_seconds: i64,
    limit: i64,
) -> Result<RecentFailures, sqlx::Error> {
    sqlx::query_as::<_, RecentFailures>(
        "SELECT now() AS now,
                ARRAY(SELECT attempted_at FROM sign_in_attempts
                       WHERE username = $1 AND outcome = 'failed'
                         AND attempted_at > now() - $3 * interval '1 second'
                       ORDER BY attempted_at DESC LIMIT $4) AS by_username,
                ARRAY(SELECT attempted_at FROM sign_in_attempts
                       WHERE client_ip = $2 AND outcome = 'failed'
                         AND attempted_at > now() - $3 * interval '1 second'
                       ORDER BY attempted_at DESC LIMIT $4) AS by_client",
    )
    .bind(username)
    .bind(client_ip)
    .bind(window_seconds as f64)
    .bind(limit)
    .fetch_one(conn)
    .await
}

/// Records an attempt; returns its id.
pub async fn record_attempt(
    conn: &mut PgConnection,
    username: &str,
    client_ip: &str,
    outcome: Outcome,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO sign_in_attempts (username, client_ip, outcome) VALUES ($1, $2, $3)
         RETURNING id",
    )
    .bind(username)
    .bind(client_ip)
    .bind(outcome.as_str())
    .fetch_one(conn)
    .await
}

/// Changes a recorded attempt's outcome (an attempt is recorded as failed before the
/// password is checked, and becomes a success if it was right).
pub async fn set_outcome(
    conn: &mut PgConnection,
    id: i64,
    outcome: Outcome,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sign_in_attempts SET outcome = $2 WHERE id = $1")
        .bind(id)
        .bind(outcome.as_str())
        .execute(conn)
        .await
        .map(|_| ())
}

/// Forgets attempts older than `age_seconds`: they no longer matter to the throttle and the
/// table would otherwise grow with every bot that tries.
pub async fn delete_attempts_older_than(
    conn: &mut PgConnection,
    age_seconds: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM sign_in_attempts WHERE attempted_at < now() - $1 * interval '1 second'",
    )
    .bind(age_seconds as f64)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// One recorded attempt (the admin's view, tests).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Attempt {
    pub username: String,
    pub client_ip: String,
    pub outcome: String,
    pub attempted_at: DateTime<Utc>,
}

/// The attempts for a username, oldest first.
pub async fn attempts_for(
    conn: &mut PgConnection,
    username: &str,
) -> Result<Vec<Attempt>, sqlx::Error> {
    sqlx::query_as::<_, Attempt>(
        "SELECT username, client_ip, outcome, attempted_at FROM sign_in_attempts
          WHERE username = $1 ORDER BY id",
    )
    .bind(username)
    .fetch_all(conn)
    .await
}
