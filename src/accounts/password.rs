//! Passwords: argon2id hashes in the PHC string format, the strength rule, and generated
//! passwords for new accounts.
//!
//! Hashing is deliberately slow (tens of milliseconds, 19 MiB), so the async code calls the
//! `*_blocking` versions, which run on tokio's blocking pool: a sign-in must not stall the
//! other requests a worker is serving.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use rand::Rng;
use unicode_normalization::UnicodeNormalization;

/// The strength rule: long enough to resist guessing. Length matters more than character
/// classes, and a passphrase in Thai is as good as one in English.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Far beyond any real password; keeps a megabyte "password" from costing anything.
pub const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters long")]
    TooShort,
    #[error("the password must be at most {MAX_PASSWORD_BYTES} bytes long")]
    TooLong,
    #[error("the password must not be the username")]
    SameAsUsername,
}

/// Whether a new password may be used by this user.
pub fn check_strength(password: &str, username: &str) -> Result<(), WeakPassword> {
    let password = normalized(password);
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(WeakPassword::TooLong);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(WeakPassword::TooShort);
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err(WeakPassword::SameAsUsername);
    }
    Ok(())
}

/// The same text typed on two keyboards can arrive composed differently (Thai tone marks,
/// accented Latin): NFC makes it the same password.
fn normalized(password: &str) -> String {
    password.nfc().collect()
}

fn hasher() -> Argon2<'static> {
    // argon2id, version 0x13, m = 19 MiB, t = 2, p = 1: the parameters OWASP recommends.
    Argon2::default()
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) of a password, with a fresh
/// random salt. Blocks for tens of milliseconds: async code uses `hash_blocking`.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = hasher().hash_password(normalized(password).as_bytes(), &salt)?;
    Ok(hash.to_string())
}

/// Whether the password matches a stored PHC string. A malformed string matches nothing.
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        tracing::warn!("a stored password hash is not a valid PHC string");
        return false;
    };
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    hasher()
        .verify_password(normalized(password).as_bytes(), &parsed)
        .is_ok()
}

/// A hash nobody's password matches, verified when the username is unknown (or has no
/// password) so that answering "no such user" takes as long as "wrong password".
static DUMMY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| hash("no user has this password; it only takes time").ok());

/// `verify` against the stored hash, or against a dummy hash when there is none: the answer
/// is `false` either way, in about the same time.
pub fn verify_or_waste_time(password: &str, phc: Option<&str>) -> bool {
    match phc {
        Some(phc) => verify(password, phc),
        None => {
            if let Some(dummy) = DUMMY_HASH.as_deref() {
                verify(password, dummy);
            }
            false
        }
    }
}

/// `hash` on the blocking thread pool.
pub async fn hash_blocking(password: String) -> anyhow::Result<String> {
    let hashed = tokio::task::spawn_blocking(move || hash(&password)).await?;
    hashed.map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Computes the dummy hash now (at start-up, on the blocking pool) rather than during the
/// first sign-in with an unknown username, which would otherwise take twice as long.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

/// `verify_or_waste_time` on the blocking thread pool. A panic in the hasher counts as a
/// mismatch (and is logged), never as a match.
pub async fn verify_blocking(password: String, phc: Option<String>) -> bool {
    let verified =
        tokio::task::spawn_blocking(move || verify_or_waste_time(&password, phc.as_deref())).await;
    verified.unwrap_or_else(|e| {
        tracing::error!(error = %e, "verifying a password failed");
        false
    })
}

/// Letters and digits that cannot be mistaken for one another when read from a log or
/// dictated (no 0/o, 1/l/i): 32 symbols, 5 bits each.
const GENERATED_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const GENERATED_GROUPS: usize = 4;
const GENERATED_GROUP_LEN: usize = 5;

/// A strong random password for a new account, such as `k7mxq-ze4pa-29tvr-hn3cw`: about
/// 99 bits, grouped so it can be read out and typed.
pub fn generate() -> String {
    let mut rng = OsRng;
    let groups: Vec<String> = (0..GENERATED_GROUPS)
        .map(|_| {
            (0..GENERATED_GROUP_LEN)
                .map(|_| GENERATED_ALPHABET[rng.gen_range(0..GENERATED_ALPHABET.len())] as char)
                .collect()
        })
        .collect();
    groups.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_in_phc_format_and_verifies_only_its_password() {
        let phc = hash("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
        assert!(verify("correct horse battery", &phc));
        assert!(!verify("correct horse batterY", &phc));
        assert!(!verify("", &phc));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        assert_ne!(
            hash("same password").unwrap(),
            hash("same password").unwrap()
        );
    }

    #[test]
    fn a_password_verifies_however_its_accents_were_composed() {
        let decomposed = "cafe\u{301} au lait";
        let composed = "caf\u{e9} au lait";
        let phc = hash(decomposed).unwrap();
        assert!(verify(composed, &phc));
        assert!(verify(decomposed, &phc));
    }

    #[test]
    fn a_malformed_stored_hash_matches_nothing() {
        assert!(!verify("anything at all", "not a phc string"));
        assert!(!verify("anything at all", ""));
    }

    #[test]
    fn an_unknown_user_never_verifies() {
        assert!(!verify_or_waste_time(
            "no user has this password; it only takes time",
            None
        ));
    }

    #[test]
    fn passwords_shorter_than_ten_characters_are_refused() {
        assert_eq!(check_strength("short", "ann"), Err(WeakPassword::TooShort));
        assert_eq!(
            check_strength("123456789", "ann"),
            Err(WeakPassword::TooShort)
        );
        assert_eq!(check_strength("1234567890", "ann"), Ok(()));
        // Ten Thai characters are ten characters, though thirty bytes.
        assert_eq!(check_strength("สวัสดีครับผม", "ann"), Ok(()));
    }

    #[test]
    fn the_username_and_absurdly_long_passwords_are_refused() {
        assert_eq!(
            check_strength("translator1", "Translator1"),
            Err(WeakPassword::SameAsUsername)
        );
        let huge = "x".repeat(MAX_PASSWORD_BYTES + 1);
        assert_eq!(check_strength(&huge, "ann"), Err(WeakPassword::TooLong));
    }

    #[test]
    fn generated_passwords_are_strong_distinct_and_unambiguous() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 23, "{a}");
        assert_eq!(check_strength(&a, "admin"), Ok(()));
        assert!(a
            .chars()
            .all(|c| c == '-' || GENERATED_ALPHABET.contains(&(c as u8))));
        assert!(!a.contains(['0', 'o', '1', 'l', 'i']), "{a}");
    }

    #[tokio::test]
    async fn hashing_and_verifying_off_the_executor_agree() {
        let phc = hash_blocking("a long enough password".into())
            .await
            .unwrap();
        assert!(verify_blocking("a long enough password".into(), Some(phc.clone())).await);
        assert!(!verify_blocking("another password".into(), Some(phc)).await);
        assert!(!verify_blocking("a long enough password".into(), None).await);
    }
}
