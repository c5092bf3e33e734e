//! Users: accounts, their roles, passwords (as argon2id hashes) and whether they are
//! disabled. A user is never deleted (revisions point at their author).

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef};
use sqlx::{PgConnection, Postgres};
use uuid::Uuid;

use crate::accounts::Role;

/// `users.role` is text with a CHECK; in Rust it is a `Role`, decoded here so no caller
/// handles an unknown role string.
impl sqlx::Type<Postgres> for Role {
    fn type_info() -> PgTypeInfo {
        <&str as sqlx::Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <&str as sqlx::Type<Postgres>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Postgres> for Role {
    fn decode(value: PgValueRef<'r>) -> Result<Role, sqlx::error::BoxDynError> {
        let text = <&str as sqlx::Decode<Postgres>>::decode(value)?;
        Ok(text.parse::<Role>()?)
    }
}

impl sqlx::Encode<'_, Postgres> for Role {
    fn encode_by_ref(
        &self,
        buf: &mut PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <&str as sqlx::Encode<Postgres>>::encode_by_ref(&self.as_str(), buf)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The argon2id PHC string; `None` for a user who cannot sign in with a password.
    pub password_hash: Option<String>,
    pub must_change_password: bool,
    pub password_changed_at: Option<DateTime<Utc>>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl User {
    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }
}

const USER_COLUMNS: &str = "id, username, display_name, role, password_hash, \
     must_change_password, password_changed_at, disabled_at, created_at";

/// What `insert_user` writes.
#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

/// Inserts a user; a taken username fails with a unique violation (`is_username_taken`).
pub async fn insert_user(conn: &mut PgConnection, new: &NewUser<'_>) -> Result<User, sqlx::Error> {
    sqlx::query_as::<_, User>(&format!(
        "INSERT INTO users (username, display_name, role, password_hash, must_change_password,
                            password_changed_at)
         VALUES ($1, $2, $3, $4, $5, now()) RETURNING {USER_COLUMNS}"
    ))
    .bind(new.username)
    .bind(new.display_name)
    .bind(new.role)
    .bind(new.password_hash)
    .bind(new.must_change_password)
    .fetch_one(conn)
    .await
}

/// Whether an insert failed because the username exists.
pub fn is_username_taken(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.constraint() == Some("users_username_key"))
}

pub async fn find_user_by_username(
    conn: &mut PgConnection,
    username: &str,
) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as::<_, User>(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
    ))
    .bind(username)
    .fetch_optional(conn)
    .await
}

pub async fn find_user(conn: &mut PgConnection, id: Uuid) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as::<_, User>(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Everyone, enabled users first, then by username.
pub async fn list_users(conn: &mut PgConnection) -> Result<Vec<User>, sqlx::Error> {
    sqlx::query_as::<_, User>(&format!(
        "SELECT {USER_COLUMNS} FROM users ORDER BY disabled_at IS NOT NULL, username"
    ))
    .fetch_all(conn)
    .await
}

/// Replaces a user's password hash. Revoking their sessions is the caller's business (it
/// knows which one to keep).
pub async fn set_password(
    conn: &mut PgConnection,
    id: Uuid,
    password_hash: &str,
    must_change_password: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET password_hash = $2, must_change_password = $3,
                          password_changed_at = now()
          WHERE id = $1",
    )
    .bind(id)
    .bind(password_hash)
    .bind(must_change_password)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_role(conn: &mut PgConnection, id: Uuid, role: Role) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
        .bind(id)
        .bind(role)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Disables (keeping the first time it was disabled) or re-enables a user.
pub async fn set_disabled(
    conn: &mut PgConnection,
    id: Uuid,
    disabled: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users
            SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) ELSE NULL END
          WHERE id = $1",
    )
    .bind(id)
    .bind(disabled)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many enabled admins there are, not counting `except`.
pub async fn count_enabled_admins(
    conn: &mut PgConnection,
    except: Option<Uuid>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM users
          WHERE role = 'admin' AND disabled_at IS NULL AND id IS DISTINCT FROM $1",
    )
    .bind(except)
    .fetch_one(conn)
    .await
}

/// Serializes changes that must keep an enabled admin (role changes, disabling, the
/// first-start admin) until the transaction ends, so two admins demoting each other at once
/// cannot leave none.
pub async fn lock_for_admin_changes(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    /// "plaeadmn" in ASCII; see `db::lock_for_import` for the other key.
    const ADMIN_LOCK: i64 = 0x706c_6165_6164_6d6e;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(ADMIN_LOCK)
        .execute(conn)
        .await
        .map(|_| ())
}
