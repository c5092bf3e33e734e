//! Plae (แปล): a Thai–English parallel translation workbench.
//!
//! The modules, in the order a newcomer should read them:

/// Settings from environment variables and CLI flags.
pub mod config;

/// Thai-aware text pipeline: decoding, normalization and segmentation (no I/O).
pub mod text;

/// Aligning an English translation made elsewhere with a chapter's Thai segments (pure).
pub mod align;

/// The book on disk: `corpus/` with its metadata file.
pub mod corpus;

/// A private PostgreSQL cluster run from the machine's own binaries.
pub mod pg_embedded;

/// Accounts: roles, passwords, tokens, sign-in throttling, managing users.
pub mod accounts;

/// SQL, one file per table group.
pub mod db;

/// Quality checks of a translation and of the OCR'd Thai: findings with an id, a severity
/// and a message (pure).
pub mod checks;

/// The glossary: terms, matching, CSV and TBX, candidates mined from the book (pure).
pub mod glossary;

/// Importing chapter files: text pipeline plus one transaction.
pub mod import;

/// Concordance search: what a query means, how a hit is highlighted (pure; SQL in `db`).
pub mod search;

/// Translation memory: the fuzzy-match percentage of a stored source (pure).
pub mod tm;

/// Translate and review: saves, conflicts, claims, review decisions, comments (the only
/// code that changes a segment's status).
pub mod workflow;

/// Bilingual editions: LaTeX, PDF, HTML, Markdown and plain text, and the exchange
/// formats TMX and XLIFF (pure writers).
pub mod export;

/// Exchange files coming back in: XLIFF from CAT tools as revisions, TMX into the
/// translation memory (safe XML reading, one transaction).
pub mod exchange;

/// Bringing in a translation made elsewhere: upload, alignment, review and accept into
/// drafts.
pub mod aligning;

/// PDF editions built in the background: the job queue in PostgreSQL and each instance's
/// worker.
pub mod pdf_jobs;

/// The web app: routes, handlers, pages, errors.
pub mod web;

/// Wiring: database pool, migrations, first-run import, HTTP server.
pub mod startup;
