//! The web app over HTTP: the real server (`startup::Application` on port 0, the production
//! wiring) on a fresh database with the corpus imported, one per test. Assertions are on the
//! parsed HTML.

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod activity;
mod admin;
mod aligning;
mod api;
mod assets;
mod authorization;
mod browsing;
mod chapters;
mod checks;
mod claims;
mod comments;
mod csrf;
mod drafting;
mod escaping;
mod exports;
mod glossary;
mod health;
mod helpers;
mod home;
mod keyboard;
mod limits;
mod onboarding;
mod restructure;
mod review;
mod search;
mod segments;
mod sign_in;
mod team;
mod webdriver;
mod workspace;
mod xss;
