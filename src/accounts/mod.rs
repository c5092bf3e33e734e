//! Accounts: who may sign in, with what, and what they may do.
//!
//! The pure parts come first and are tested on their own: `roles` (what each role may do),
//! `password` (argon2id, the strength rule), `tokens` (random tokens, their stored hashes,
//! CSRF signing) and `throttle` (when to refuse a sign-in attempt). `manage` (adding users,
//! passwords, roles, API tokens, the first-start admin) and `sign_in` put them together with
//! the database; the web layer and the CLI call those, never the SQL directly.

pub mod manage;
pub mod password;
pub mod roles;
pub mod sign_in;
pub mod throttle;
pub mod tokens;

pub use roles::Role;

use password::WeakPassword;

/// A session ends after this long without a request.
pub const SESSION_IDLE_SECONDS: i64 = 30 * 24 * 60 * 60;
/// A session's (and an API token's) last use is written at most this often, so that a busy
/// user does not cost a write per request.
pub const TOUCH_SECONDS: i64 = 60;
/// Sign-in attempts are kept this long (the throttle needs 15 minutes; the rest is for an
/// admin investigating), then pruned.
pub const ATTEMPTS_KEPT_SECONDS: i64 = 30 * 24 * 60 * 60;

/// The username of the admin created on first start.
pub const FIRST_ADMIN: &str = "admin";

/// What can go wrong managing accounts, in words for the person who asked.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(
        "a username is 1 to 64 characters: lowercase letters a–z, digits, and . _ - \
         (not first)"
    )]
    InvalidUsername,
    #[error("the username {0:?} is taken")]
    UsernameTaken(String),
    #[error("there is no user {0:?}")]
    NoSuchUser(String),
    #[error(transparent)]
    WeakPassword(#[from] WeakPassword),
    #[error("the current password is not right")]
    WrongPassword,
    #[error("a display name cannot be empty or longer than 100 characters")]
    InvalidDisplayName,
    #[error("you cannot change your own role or disable yourself; ask another admin")]
    OwnAccount,
    #[error("there must always be at least one enabled admin")]
    LastAdmin,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("{0:#}")]
    Internal(anyhow::Error),
}

/// A username as stored: trimmed and lowercased (people type `Somchai` and mean `somchai`),
/// and of the shape the database accepts.
pub fn parse_username(input: &str) -> Result<String, AccountError> {
    let username = input.trim().to_lowercase();
    let mut chars = username.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
    if first_ok && rest_ok && username.len() <= 64 {
        Ok(username)
    } else {
        Err(AccountError::InvalidUsername)
    }
}

/// A display name, trimmed; empty means "use the username".
pub fn parse_display_name(input: &str, username: &str) -> Result<String, AccountError> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Ok(username.to_string()),
        1..=100 => Ok(name),
        _ => Err(AccountError::InvalidDisplayName),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_trimmed_and_lowercased() {
        assert_eq!(parse_username("  Somchai.K ").unwrap(), "somchai.k");
        assert_eq!(parse_username("ann_2").unwrap(), "ann_2");
    }

    #[test]
    fn usernames_the_database_would_refuse_are_refused_here() {
        for bad in [
            "",
            " ",
            "-ann",
            ".ann",
            "ann smith",
            "สมชาย",
            "ann@example.org",
        ] {
            assert!(parse_username(bad).is_err(), "{bad:?}");
        }
        assert!(parse_username(&"a".repeat(64)).is_ok());
        assert!(parse_username(&"a".repeat(65)).is_err());
    }

    #[test]
    fn an_empty_display_name_is_the_username() {
        assert_eq!(parse_display_name("  ", "ann").unwrap(), "ann");
        assert_eq!(
            parse_display_name(" Ann   Smith ", "ann").unwrap(),
            "Ann Smith"
        );
        assert_eq!(
            parse_display_name("สมชาย ใจดี", "somchai").unwrap(),
            "สมชาย ใจดี"
        );
        assert!(parse_display_name(&"x".repeat(101), "ann").is_err());
    }
}
