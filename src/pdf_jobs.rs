//! PDF editions built in the background, recorded in PostgreSQL (`db::pdf_builds`).
//!
//! A request for a PDF computes the edition's LaTeX and its SHA-256 ([`source_sha256`]):
//! a finished build of that source is served as is, otherwise a job is queued and the
//! reader sees a page that reloads itself until it is done. Each app instance runs one
//! [`run_worker`] (started by `startup` when XeLaTeX is installed) that claims the oldest
//! queued job (`FOR UPDATE SKIP LOCKED`, so instances never take the same one), compiles it
//! with `export::pdf::compile_pdf` on a blocking thread under [`TIME_LIMIT`], and stores
//! the PDF with its warnings, or the tail of the log when XeLaTeX failed. A job left
//! running past the time limit (its instance died) is claimed again.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::db::pdf_builds::{self, ClaimedBuild};
use crate::export::pdf::{self, LogWarnings};

/// How long one build may take, all XeLaTeX runs together.
pub const TIME_LIMIT: Duration = Duration::from_secs(120);
/// A job running for longer than this is taken to be orphaned and claimed again.
const STALE_AFTER: Duration = Duration::from_secs(TIME_LIMIT.as_secs() + 30);
/// How often an idle worker looks for a job.
const POLL: Duration = Duration::from_secs(1);

/// The cache key of a LaTeX source: its SHA-256, in lowercase hex.
pub fn source_sha256(tex: &str) -> String {
    hex::encode(Sha256::digest(tex.as_bytes()))
}

/// Whether `xelatex` is on the PATH (checked once per process).
pub fn xelatex_available() -> bool {
    static AVAILABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path).any(|dir| dir.join("xelatex").is_file())
        })
    })
}

/// What to install when XeLaTeX is missing (shown on the page a PDF link leads to).
pub const INSTALL_HINT: &str =
    "texlive-xetex texlive-fonts-recommended fonts-thai-tlwg fonts-texgyre";

/// How a build ended.
#[derive(Debug)]
pub enum Outcome {
    Done {
        pdf: Vec<u8>,
        runs: u32,
        warnings: LogWarnings,
    },
    Failed {
        log_tail: String,
    },
}

/// Compiles one source in a fresh directory under `work_root` (removed afterwards).
/// Blocking.
pub fn build(tex: &str, work_root: &Path, limit: Duration) -> Outcome {
    let dir = work_root.join(format!("pdf-{}", uuid::Uuid::new_v4().simple()));
    let compiled = pdf::compile_pdf(tex, &dir, limit);
    std::fs::remove_dir_all(&dir).ok();
    match compiled {
        Ok(output) => Outcome::Done {
            pdf: output.pdf,
            runs: output.runs,
            warnings: output.warnings,
        },
        // The message says what happened (failed, timed out) and ends with the log's tail.
        Err(error) => Outcome::Failed {
            log_tail: error.to_string(),
        },
    }
}

/// The warnings as stored (`pdf_builds.warnings`).
pub fn warnings_json(warnings: &LogWarnings) -> serde_json::Value {
    serde_json::json!({
        "missing_characters": warnings.missing_characters.iter().map(|m| serde_json::json!({
            "character": m.character,
            "code_point": m.code_point,
            "font": m.font,
            "count": m.count,
        })).collect::<Vec<_>>(),
        "overfull_boxes": warnings.overfull_boxes.iter().map(|b| serde_json::json!({
            "kind": b.kind,
            "points": b.points,
            "location": b.location,
        })).collect::<Vec<_>>(),
    })
}

/// Claims one job and builds it; `Ok(false)` when there was none.
pub async fn run_one(pool: &PgPool, work_root: &Path, limit: Duration) -> anyhow::Result<bool> {
    let stale = (limit + (STALE_AFTER - TIME_LIMIT)).as_secs() as i64;
    let Some(job) = pdf_builds::claim_next_build(pool, stale).await? else {
        return Ok(false);
    };
    let ClaimedBuild {
        id,
        source_sha256,
        tex,
        attempts,
    } = job;
    tracing::info!(%id, %source_sha256, attempts, "building a PDF");
    let root = work_root.to_path_buf();
    let outcome = tokio::task::spawn_blocking(move || build(&tex, &root, limit)).await?;
    match outcome {
        Outcome::Done {
            pdf,
            runs,
            warnings,
        } => {
            let runs = i32::try_from(runs).unwrap_or(i32::MAX);
            pdf_builds::finish_build(pool, id, &pdf, runs, &warnings_json(&warnings)).await?;
            tracing::info!(%id, bytes = pdf.len(), runs, "PDF built");
        }
        Outcome::Failed { log_tail } => {
            pdf_builds::fail_build(pool, id, &log_tail).await?;
            tracing::warn!(%id, "PDF build failed");
        }
    }
    Ok(true)
}

/// The worker loop of one instance: builds jobs as they come, polling every second when
/// idle; ends when the pool is closed.
pub async fn run_worker(pool: PgPool, work_root: PathBuf) {
    loop {
        if pool.is_closed() {
            return;
        }
        match run_one(&pool, &work_root, TIME_LIMIT).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => {
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(error = %e, "the PDF worker could not take a job");
            }
        }
        tokio::time::sleep(POLL).await;
    }
}
