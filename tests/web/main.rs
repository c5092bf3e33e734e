//! The web app over HTTP: the real server (`startup::Application` on port 0, the production
//! wiring) on a fresh database with the corpus imported, one per test. Assertions are on the
//! parsed HTML.

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod admin;
mod assets;
mod chapters;
mod escaping;
mod health;
mod helpers;
mod home;
mod onboarding;
mod segments;
mod sign_in;
