//! Managing accounts: adding users, passwords, roles, disabling, API tokens, sessions and
//! the admin created on first start. What the CLI and the admin pages call.

use anyhow::Context;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{parse_display_name, parse_username, password, tokens, AccountError, Role};
use crate::db;
use crate::db::users::{NewUser, User};

/// How a new account gets its first password.
#[derive(Debug, Clone)]
pub enum InitialPassword {
    /// A strong random one, shown once to whoever created the account; the user must change
    /// it at first sign-in (someone else has seen it).
    Generate,
    /// One the creator chose (`--password-stdin`, the sign-up form).
    Chosen { password: String, must_change: bool },
}

pub struct NewAccount<'a> {
    pub username: &'a str,
    /// Empty: the username.
    pub display_name: &'a str,
    pub role: Role,
    pub password: InitialPassword,
}

pub struct AddedUser {
    pub user: User,
    /// The generated password, to show once; `None` when it was chosen.
    pub generated_password: Option<String>,
}

/// Adds a user: checks the username and password, hashes off the async executor, inserts.
pub async fn add_user(pool: &PgPool, new: NewAccount<'_>) -> Result<AddedUser, AccountError> {
    let username = parse_username(new.username)?;
    let display_name = parse_display_name(new.display_name, &username)?;
    let (password, must_change, generated) = match new.password {
        InitialPassword::Generate => {
            let generated = password::generate();
            (generated.clone(), true, Some(generated))
        }
        InitialPassword::Chosen {
            password,
            must_change,
        } => (password, must_change, None),
    };
    password::check_strength(&password, &username)?;
    let password_hash = password::hash_blocking(password)
        .await
        .map_err(AccountError::Internal)?;
    let mut conn = pool.acquire().await?;
    let inserted = db::users::insert_user(
        &mut conn,
        &NewUser {
            username: &username,
            display_name: &display_name,
            role: new.role,
            password_hash: &password_hash,
            must_change_password: must_change,
        },
    )
    .await;
    match inserted {
        Ok(user) => Ok(AddedUser {
            user,
            generated_password: generated,
        }),
        Err(e) if db::users::is_username_taken(&e) => Err(AccountError::UsernameTaken(username)),
        Err(e) => Err(e.into()),
    }
}

/// The user with this username (as typed), or `NoSuchUser`.
pub async fn user_named(conn: &mut PgConnection, name: &str) -> Result<User, AccountError> {
    let username = parse_username(name).map_err(|_| AccountError::NoSuchUser(name.into()))?;
    db::users::find_user_by_username(conn, &username)
        .await?
        .ok_or(AccountError::NoSuchUser(username))
}

/// A session just started: the token goes into the cookie and nowhere else.
pub struct NewSession {
    pub id: Uuid,
    pub token: String,
    pub csrf_token: String,
}

/// Starts a session for a user; only the token's hash is stored.
pub async fn start_session(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<NewSession, sqlx::Error> {
    let token = tokens::random_token();
    let csrf_token = tokens::random_token();
    let id =
        db::sessions::create_session(conn, user_id, &tokens::token_sha256(&token), &csrf_token)
            .await?;
    Ok(NewSession {
        id,
        token,
        csrf_token,
    })
}

/// Sets a user's password and ends every one of their sessions: whoever knew the old
/// password may have signed in with it. With `new_session`, starts a fresh session for the
/// browser that changed it and returns it.
pub async fn set_password(
    pool: &PgPool,
    user: &User,
    new_password: String,
    must_change: bool,
    new_session: bool,
) -> Result<Option<NewSession>, AccountError> {
    password::check_strength(&new_password, &user.username)?;
    let password_hash = password::hash_blocking(new_password)
        .await
        .map_err(AccountError::Internal)?;
    let mut tx = pool.begin().await?;
    if !db::users::set_password(&mut tx, user.id, &password_hash, must_change).await? {
        return Err(AccountError::NoSuchUser(user.username.clone()));
    }
    db::sessions::delete_user_sessions(&mut tx, user.id, None).await?;
    let session = match new_session {
        true => Some(start_session(&mut tx, user.id).await?),
        false => None,
    };
    tx.commit().await?;
    Ok(session)
}

/// A user changing their own password: the current one must be right. Every session of
/// theirs ends, and this browser gets a new one.
pub async fn change_own_password(
    pool: &PgPool,
    user_id: Uuid,
    current: String,
    new_password: String,
) -> Result<NewSession, AccountError> {
    let mut conn = pool.acquire().await?;
    let user = db::users::find_user(&mut conn, user_id)
        .await?
        .ok_or_else(|| AccountError::NoSuchUser(user_id.to_string()))?;
    drop(conn);
    // Checked before the slow verification, so a weak new password is said at once.
    password::check_strength(&new_password, &user.username)?;
    if !password::verify_blocking(current, user.password_hash.clone()).await {
        return Err(AccountError::WrongPassword);
    }
    let session = set_password(pool, &user, new_password, false, true).await?;
    session.ok_or_else(|| AccountError::Internal(anyhow::anyhow!("no session was started")))
}

/// Changes another user's role. An admin cannot change their own (so there is always an
/// admin who can undo a mistake), and the last enabled admin stays an admin.
pub async fn change_role(
    pool: &PgPool,
    actor: Uuid,
    target: Uuid,
    role: Role,
) -> Result<User, AccountError> {
    let mut tx = pool.begin().await?;
    db::users::lock_for_admin_changes(&mut tx).await?;
    let user = existing(&mut tx, target).await?;
    if target == actor {
        return Err(AccountError::OwnAccount);
    }
    if user.role == Role::Admin && role != Role::Admin && !user.is_disabled() {
        ensure_another_admin(&mut tx, target).await?;
    }
    db::users::set_role(&mut tx, target, role).await?;
    tx.commit().await?;
    Ok(User { role, ..user })
}

/// Disables a user (ending their sessions at once) or enables them again.
pub async fn set_disabled(
    pool: &PgPool,
    actor: Uuid,
    target: Uuid,
    disabled: bool,
) -> Result<User, AccountError> {
    let mut tx = pool.begin().await?;
    db::users::lock_for_admin_changes(&mut tx).await?;
    let user = existing(&mut tx, target).await?;
    if target == actor {
        return Err(AccountError::OwnAccount);
    }
    if disabled && user.role == Role::Admin {
        ensure_another_admin(&mut tx, target).await?;
    }
    db::users::set_disabled(&mut tx, target, disabled).await?;
    if disabled {
        db::sessions::delete_user_sessions(&mut tx, target, None).await?;
    }
    let user = existing(&mut tx, target).await?;
    tx.commit().await?;
    Ok(user)
}

async fn existing(conn: &mut PgConnection, id: Uuid) -> Result<User, AccountError> {
    db::users::find_user(conn, id)
        .await?
        .ok_or_else(|| AccountError::NoSuchUser(id.to_string()))
}

async fn ensure_another_admin(conn: &mut PgConnection, except: Uuid) -> Result<(), AccountError> {
    match db::users::count_enabled_admins(conn, Some(except)).await? {
        0 => Err(AccountError::LastAdmin),
        _ => Ok(()),
    }
}

/// A new API token for a user, printed once by `plae user token`; only its hash is kept.
pub async fn create_api_token(pool: &PgPool, username: &str) -> Result<String, AccountError> {
    let mut conn = pool.acquire().await?;
    let user = user_named(&mut conn, username).await?;
    let token = tokens::new_api_token();
    db::sessions::create_api_token(&mut conn, user.id, &tokens::token_sha256(&token)).await?;
    Ok(token)
}

/// Revokes every API token of a user; returns how many were live.
pub async fn revoke_api_tokens(pool: &PgPool, username: &str) -> Result<u64, AccountError> {
    let mut conn = pool.acquire().await?;
    let user = user_named(&mut conn, username).await?;
    Ok(db::sessions::revoke_api_tokens(&mut conn, user.id).await?)
}

/// On a database with no enabled admin (a fresh install), creates `admin` with a random
/// password that must be changed at first sign-in, and returns that password for the caller
/// to show. Safe when several instances start at once: they serialize on a lock and only the
/// first creates it.
pub async fn ensure_first_admin(pool: &PgPool) -> anyhow::Result<Option<String>> {
    // The usual case, every start but the first: nothing to do, no hashing, no lock.
    let mut conn = pool.acquire().await.context("connecting to the database")?;
    if db::users::count_enabled_admins(&mut conn, None).await? > 0 {
        return Ok(None);
    }
    drop(conn);
    // Hashed before taking the lock (it takes a moment) and thrown away if another instance
    // got there first.
    let generated = password::generate();
    let password_hash = password::hash_blocking(generated.clone()).await?;
    let mut tx = pool.begin().await.context("connecting to the database")?;
    db::users::lock_for_admin_changes(&mut tx).await?;
    if db::users::count_enabled_admins(&mut tx, None).await? > 0 {
        return Ok(None);
    }
    if db::users::find_user_by_username(&mut tx, super::FIRST_ADMIN)
        .await?
        .is_some()
    {
        // Someone made this state by hand; serving on is better than refusing to start.
        tracing::error!(
            "there is no enabled admin, and the user {:?} exists but is not one: add an \
             admin with `plae user add NAME --role admin`",
            super::FIRST_ADMIN
        );
        return Ok(None);
    }
    db::users::insert_user(
        &mut tx,
        &NewUser {
            username: super::FIRST_ADMIN,
            display_name: "Administrator",
            role: Role::Admin,
            password_hash: &password_hash,
            must_change_password: true,
        },
    )
    .await
    .context("creating the first admin")?;
    tx.commit().await?;
    Ok(Some(generated))
}
