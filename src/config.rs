//! Settings from environment variables and CLI flags.
//!
//! `Settings` is a plain struct so tests can build one directly; `SettingsArgs` is how the
//! command line fills it (every flag also reads its environment variable, shown in `--help`).

use std::fmt;
use std::path::PathBuf;

/// Where `plae serve` listens unless told otherwise: this machine only.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(Clone, PartialEq, Eq)]
pub struct Settings {
    /// An existing PostgreSQL server; `None` runs a private cluster under `data_dir`.
    pub database_url: Option<String>,
    /// Address to listen on, `host:port`; port 0 picks a free port (tests).
    pub bind: String,
    /// Where Plae keeps its own files (the private PostgreSQL cluster).
    pub data_dir: PathBuf,
    /// The book to import on first start (see `corpus`).
    pub corpus_dir: PathBuf,
}

impl Settings {
    /// The private cluster's directory.
    pub fn postgres_dir(&self) -> PathBuf {
        self.data_dir.join("postgres")
    }
}

/// The URL may carry a password: never print it.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &self.database_url.as_ref().map(|_| "<set>"))
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("corpus_dir", &self.corpus_dir)
            .finish()
    }
}

/// The settings every subcommand shares, as flags and environment variables.
#[derive(Debug, Clone, clap::Args)]
pub struct SettingsArgs {
    /// PostgreSQL server to use instead of the private cluster under the data directory.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    /// Where Plae keeps its own files (the private PostgreSQL cluster).
    #[arg(long, env = "PLAE_DATA_DIR", default_value = "./var", global = true)]
    pub data_dir: PathBuf,
    /// The corpus directory (with book.toml) imported on first start
    /// [default: ./corpus, else the one in the source tree].
    #[arg(long, env = "PLAE_CORPUS_DIR", global = true)]
    pub corpus_dir: Option<PathBuf>,
}

/// How `plae serve` listens.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (host:port).
    #[arg(long, env = "PLAE_BIND", default_value = DEFAULT_BIND)]
    pub bind: String,
}

impl SettingsArgs {
    pub fn into_settings(self, bind: String) -> Settings {
        Settings {
            database_url: self.database_url.filter(|url| !url.trim().is_empty()),
            bind,
            data_dir: self.data_dir,
            corpus_dir: self.corpus_dir.unwrap_or_else(crate::corpus::default_dir),
        }
    }
}
