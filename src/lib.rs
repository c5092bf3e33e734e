//! Plae (แปล): a Thai–English parallel translation workbench.
//!
//! The modules, in the order a newcomer should read them:

/// Settings from environment variables and CLI flags.
pub mod config;
/// Thai-aware text pipeline: decoding, normalization and segmentation (no I/O).
pub mod text;
/// The book on disk: `corpus/` with its metadata file.
pub mod corpus;
/// A private PostgreSQL cluster run from the machine's own binaries.
pub mod pg_embedded;
/// SQL, one file per table group.
pub mod db;
/// Importing chapter files: text pipeline plus one transaction.
pub mod import;
/// The web app: routes, handlers, pages, errors.
pub mod web;
/// Wiring: database pool, migrations, first-run import, HTTP server.
pub mod startup;
