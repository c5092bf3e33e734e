//! Signing in: the throttle, the password check and a new session, in that order.
//!
//! Every attempt is recorded before the password is checked (as a failure, turned into a
//! success if the password was right), under a lock on the username, so that parallel
//! guesses cannot slip past the throttle. An unknown username, a user without a password
//! and a disabled user all get the same answer as a wrong password, after the same work
//! (an argon2 verification against a dummy hash), so the answer does not tell whether the
//! username exists.

use sqlx::PgPool;

use super::manage::{start_session, NewSession};
use super::throttle::{Decision, Limits, Locked};
use super::{parse_username, password, AccountError, ATTEMPTS_KEPT_SECONDS, SESSION_IDLE_SECONDS};
use crate::db;
use crate::db::sign_in::Outcome;
use crate::db::users::User;

pub struct Attempt {
    /// As typed.
    pub username: String,
    pub password: String,
    /// The address the request came from, as text.
    pub client: String,
}

pub enum SignInResult {
    SignedIn {
        user: User,
        session: NewSession,
    },
    /// Wrong password, unknown or disabled user: the same answer for all.
    Refused,
    Throttled {
        what: Locked,
        minutes: i64,
    },
}

/// Records are keyed by the normalized username, or by the text as typed (cut short) when it
/// cannot be a username at all, so that throttling holds either way.
fn attempt_key(typed: &str) -> String {
    parse_username(typed).unwrap_or_else(|_| typed.trim().chars().take(64).collect())
}

pub async fn sign_in(
    pool: &PgPool,
    limits: &Limits,
    attempt: Attempt,
) -> Result<SignInResult, AccountError> {
    let key = attempt_key(&attempt.username);
    let mut tx = pool.begin().await?;
    db::sign_in::lock_username(&mut tx, &key).await?;
    let recent = db::sign_in::recent_failures(
        &mut tx,
        &key,
        &attempt.client,
        limits.window.num_seconds(),
        limits.per_username.max(limits.per_client) as i64,
    )
    .await?;
    let decision = limits.decide(recent.now, &recent.by_username, &recent.by_client);
    if let Decision::Refuse { what, .. } = decision {
        db::sign_in::record_attempt(&mut tx, &key, &attempt.client, Outcome::Throttled).await?;
        tx.commit().await?;
        tracing::warn!(username = %key, client = %attempt.client, ?what, "sign-in throttled");
        return Ok(SignInResult::Throttled {
            what,
            minutes: decision.minutes_to_wait(recent.now),
        });
    }
    let attempt_id =
        db::sign_in::record_attempt(&mut tx, &key, &attempt.client, Outcome::Failed).await?;
    let user = db::users::find_user_by_username(&mut tx, &key).await?;
    // The lock is released here, before the slow part: the failure is already counted.
    tx.commit().await?;

    let stored_hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let password_ok = password::verify_blocking(attempt.password, stored_hash).await;
    let user = match user {
        Some(user) if password_ok && !user.is_disabled() => user,
        _ => return Ok(SignInResult::Refused),
    };

    let mut tx = pool.begin().await?;
    db::sign_in::set_outcome(&mut tx, attempt_id, Outcome::Succeeded).await?;
    let session = start_session(&mut tx, user.id).await?;
    // Housekeeping on a path that runs now and then, never on every request: both deletes
    // use an index on the time and usually find nothing.
    db::sessions::delete_expired_sessions(&mut tx, SESSION_IDLE_SECONDS).await?;
    db::sign_in::delete_attempts_older_than(&mut tx, ATTEMPTS_KEPT_SECONDS).await?;
    tx.commit().await?;
    Ok(SignInResult::SignedIn { user, session })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_recorded_under_the_username_as_stored() {
        assert_eq!(attempt_key(" Admin "), "admin");
        assert_eq!(attempt_key("not a username!"), "not a username!");
        assert_eq!(attempt_key(&"ก".repeat(100)).chars().count(), 64);
    }
}
