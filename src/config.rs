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
    /// Where people reach the app (`https://plae.example.org`), for links the app prints;
    /// `None`: `http://` and the bind address.
    pub public_url: Option<String>,
    /// Cookies carry `Secure` (sent over HTTPS only): set when the app is served over HTTPS.
    pub secure_cookies: bool,
}

impl Settings {
    /// The private cluster's directory.
    pub fn postgres_dir(&self) -> PathBuf {
        self.data_dir.join("postgres")
    }

    /// The address to tell people, without a trailing slash.
    pub fn base_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.bind),
        }
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
            .field("public_url", &self.public_url)
            .field("secure_cookies", &self.secure_cookies)
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
    /// Where people reach the app, e.g. https://plae.example.org (an https URL also turns
    /// on --secure-cookies).
    #[arg(long, env = "PLAE_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Mark cookies Secure (HTTPS only); use when a proxy serves the app over HTTPS.
    #[arg(long, env = "PLAE_SECURE_COOKIES", global = true,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub secure_cookies: bool,
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
            secure_cookies: self.secure_cookies
                || self
                    .public_url
                    .as_deref()
                    .is_some_and(|url| url.trim().to_ascii_lowercase().starts_with("https://")),
            public_url: self.public_url.filter(|url| !url.trim().is_empty()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: SettingsArgs,
    }

    fn settings(args: &[&str]) -> Settings {
        let cli = Cli::try_parse_from(std::iter::once("plae").chain(args.iter().copied()))
            .expect("the flags parse");
        cli.settings.into_settings(DEFAULT_BIND.into())
    }

    #[test]
    fn cookies_are_secure_when_asked_or_when_the_public_url_is_https() {
        assert!(!settings(&[]).secure_cookies);
        assert!(settings(&["--secure-cookies"]).secure_cookies);
        let public = settings(&["--public-url", "https://plae.example.org/"]);
        assert!(public.secure_cookies);
        assert_eq!(public.base_url(), "https://plae.example.org");
        assert!(!settings(&["--public-url", "http://plae.example.org"]).secure_cookies);
    }

    #[test]
    fn without_a_public_url_links_use_the_bind_address() {
        assert_eq!(settings(&[]).base_url(), "http://127.0.0.1:8080");
    }
}
