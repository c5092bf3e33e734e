//! Workbench settings an admin changes at run time (`/admin/settings`), with their defaults
//! in code: a key is stored only once it has been set.
//!
//! Not to be confused with `config::Settings`, how this process was started (flags and
//! environment); these are shared by every instance through the database.

use std::ops::RangeInclusive;

use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Anyone may create a translator account at `/sign-up`.
    pub open_signup: bool,
    /// A reviewer may approve a translation they wrote themselves.
    pub allow_self_approval: bool,
    /// How long a claim on a segment lasts without activity.
    pub claim_expiry_minutes: i32,
    /// A quality check's error (not dismissed) stops a reviewer from approving
    /// (`workflow::review`); warnings never do.
    pub block_approval_on_errors: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            open_signup: false,
            allow_self_approval: false,
            claim_expiry_minutes: 120,
            block_approval_on_errors: true,
        }
    }
}

/// Five minutes to a week: shorter is useless, longer is never released.
pub const CLAIM_EXPIRY_MINUTES: RangeInclusive<i32> = 5..=7 * 24 * 60;

const OPEN_SIGNUP: &str = "open_signup";
const ALLOW_SELF_APPROVAL: &str = "allow_self_approval";
const CLAIM_EXPIRY: &str = "claim_expiry_minutes";
const BLOCK_APPROVAL_ON_ERRORS: &str = "block_approval_on_errors";

impl Settings {
    /// The defaults overridden by the stored values. A value of the wrong type (written by
    /// hand, or by a later version) is ignored with a warning rather than failing every page.
    fn with_stored(mut self, stored: Vec<(String, serde_json::Value)>) -> Settings {
        for (key, value) in stored {
            let applied = match key.as_str() {
                OPEN_SIGNUP => value.as_bool().map(|v| self.open_signup = v),
                ALLOW_SELF_APPROVAL => value.as_bool().map(|v| self.allow_self_approval = v),
                BLOCK_APPROVAL_ON_ERRORS => {
                    value.as_bool().map(|v| self.block_approval_on_errors = v)
                }
                CLAIM_EXPIRY => value
                    .as_i64()
                    .and_then(|v| i32::try_from(v).ok())
                    .filter(|v| CLAIM_EXPIRY_MINUTES.contains(v))
                    .map(|v| self.claim_expiry_minutes = v),
                // A setting this version does not know: keep it for the version that does.
                _ => Some(()),
            };
            if applied.is_none() {
                tracing::warn!(%key, %value, "ignoring a stored setting with an unusable value");
            }
        }
        self
    }
}

pub async fn get_settings(conn: &mut PgConnection) -> Result<Settings, sqlx::Error> {
    let stored: Vec<(String, serde_json::Value)> =
        sqlx::query_as("SELECT key, value FROM settings")
            .fetch_all(conn)
            .await?;
    Ok(Settings::default().with_stored(stored))
}

async fn set(
    conn: &mut PgConnection,
    key: &str,
    value: serde_json::Value,
    by: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_by) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE
            SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()",
    )
    .bind(key)
    .bind(value)
    .bind(by)
    .execute(conn)
    .await
    .map(|_| ())
}

/// `by`: the admin who changed it (`None` from the command line or tests).
pub async fn set_open_signup(
    conn: &mut PgConnection,
    value: bool,
    by: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    set(conn, OPEN_SIGNUP, value.into(), by).await
}

pub async fn set_allow_self_approval(
    conn: &mut PgConnection,
    value: bool,
    by: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    set(conn, ALLOW_SELF_APPROVAL, value.into(), by).await
}

pub async fn set_block_approval_on_errors(
    conn: &mut PgConnection,
    value: bool,
    by: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    set(conn, BLOCK_APPROVAL_ON_ERRORS, value.into(), by).await
}

/// Callers check `CLAIM_EXPIRY_MINUTES` and tell the user; a value outside it is clamped
/// here so that nothing unusable is ever stored.
pub async fn set_claim_expiry_minutes(
    conn: &mut PgConnection,
    minutes: i32,
    by: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    let minutes = minutes.clamp(*CLAIM_EXPIRY_MINUTES.start(), *CLAIM_EXPIRY_MINUTES.end());
    set(conn, CLAIM_EXPIRY, minutes.into(), by).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nothing_stored_gives_the_defaults() {
        let settings = Settings::default().with_stored(vec![]);
        assert!(!settings.open_signup);
        assert!(!settings.allow_self_approval);
        assert_eq!(settings.claim_expiry_minutes, 120);
        assert!(settings.block_approval_on_errors);
    }

    #[test]
    fn stored_values_override_the_defaults_and_bad_ones_are_ignored() {
        let settings = Settings::default().with_stored(vec![
            (OPEN_SIGNUP.into(), json!(true)),
            (ALLOW_SELF_APPROVAL.into(), json!("yes")),
            (CLAIM_EXPIRY.into(), json!(1)),
            ("from_a_later_version".into(), json!([1, 2])),
        ]);
        assert_eq!(
            settings,
            Settings {
                open_signup: true,
                ..Settings::default()
            }
        );
        let settings = Settings::default().with_stored(vec![(CLAIM_EXPIRY.into(), json!(30))]);
        assert_eq!(settings.claim_expiry_minutes, 30);
    }
}
