//! Random tokens (sessions, CSRF, API) and how they are stored and compared.
//!
//! Every token is 256 bits from the operating system's CSPRNG. The database keeps only the
//! SHA-256 of session and API tokens: a leaked table gives nothing to sign in with. SHA-256
//! rather than argon2 because a 256-bit random value cannot be guessed, so a slow hash would
//! only slow down every request.

use std::fmt;

use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const TOKEN_BYTES: usize = 32;
/// API tokens start with this, so that a token pasted somewhere it should not be is easy
/// to recognize (and for secret scanners).
pub const API_TOKEN_PREFIX: &str = "plae_";

/// 256 random bits as 64 lowercase hex digits: session tokens, CSRF tokens, form nonces.
pub fn random_token() -> String {
    hex::encode(random_bytes())
}

fn random_bytes() -> [u8; TOKEN_BYTES] {
    let mut bytes = [0u8; TOKEN_BYTES];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// A new API token, `plae_` and 64 hex digits.
pub fn new_api_token() -> String {
    format!("{API_TOKEN_PREFIX}{}", random_token())
}

/// What the database stores for a session or API token.
pub fn token_sha256(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Compares two secrets in time that does not depend on where they first differ, so an
/// attacker cannot find a CSRF token byte by byte from response times.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The key that signs the CSRF tokens of forms shown before sign-in (a "signed double-submit
/// cookie": the browser gets a random nonce in a cookie and its HMAC in the form; a forged
/// cross-site form cannot know the HMAC of the victim's nonce). Shared by all instances
/// through the database (`db::server_keys`).
#[derive(Clone)]
pub struct FormKey(Vec<u8>);

impl FormKey {
    pub const NAME: &'static str = "anonymous_form_csrf";

    /// Fresh key material for a new key.
    pub fn generate_bytes() -> Vec<u8> {
        random_bytes().to_vec()
    }

    pub fn from_bytes(bytes: Vec<u8>) -> FormKey {
        FormKey(bytes)
    }

    /// The form token for this nonce.
    pub fn sign(&self, nonce: &str) -> String {
        hex::encode(self.mac(nonce).finalize().into_bytes())
    }

    /// Whether `token` is the form token of `nonce`, compared in constant time.
    pub fn verify(&self, nonce: &str, token: &str) -> bool {
        match hex::decode(token) {
            Ok(tag) => self.mac(nonce).verify_slice(&tag).is_ok(),
            Err(_) => false,
        }
    }

    fn mac(&self, nonce: &str) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        // Domain separation: this key signs nothing else, but say what is signed anyway.
        mac.update(b"plae anonymous form\0");
        mac.update(nonce.as_bytes());
        mac
    }
}

/// Never print key material.
impl fmt::Debug for FormKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FormKey(<secret>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_random_bits_in_hex() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, random_token());
    }

    #[test]
    fn api_tokens_carry_their_prefix() {
        let token = new_api_token();
        assert!(token.starts_with("plae_"));
        assert_eq!(token.len(), 5 + 64);
    }

    #[test]
    fn the_stored_hash_is_sha256_and_differs_from_the_token() {
        let token = random_token();
        let stored = token_sha256(&token);
        assert_eq!(stored.len(), 32);
        assert_eq!(stored, token_sha256(&token));
        assert_ne!(hex::encode(&stored), token);
        assert_ne!(stored, token_sha256(&random_token()));
    }

    #[test]
    fn secrets_compare_equal_only_when_identical() {
        assert!(same_secret("abc123", "abc123"));
        assert!(!same_secret("abc123", "abc124"));
        assert!(!same_secret("abc123", "abc12"));
        assert!(!same_secret("", "a"));
    }

    #[test]
    fn a_form_token_verifies_only_for_its_nonce_and_key() {
        let key = FormKey::from_bytes(FormKey::generate_bytes());
        let other_key = FormKey::from_bytes(FormKey::generate_bytes());
        let nonce = random_token();
        let token = key.sign(&nonce);

        assert!(key.verify(&nonce, &token));
        assert!(!key.verify(&random_token(), &token), "another nonce");
        assert!(!other_key.verify(&nonce, &token), "another key");
        assert!(!key.verify(&nonce, "not hex"));
        assert!(!key.verify(&nonce, ""));
        assert_ne!(token, nonce, "the form token is not the cookie's value");
    }

    #[test]
    fn a_form_key_does_not_print_its_bytes() {
        let key = FormKey::from_bytes(vec![0xAB; 32]);
        assert!(!format!("{key:?}").contains("ab"));
    }
}
