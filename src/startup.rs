//! Wiring: database pool, migrations, first-run import, first admin, HTTP server.
//!
//! `Application::build` is what `plae serve` runs; tests use `Application::build_with_pool`
//! with a database of their own and port 0, so they exercise the production wiring.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::accounts::manage::ensure_first_admin;
use crate::accounts::password;
use crate::accounts::tokens::FormKey;
use crate::config::Settings;
use crate::corpus::Corpus;
use crate::pg_embedded::{check_utf8_ctype, EmbeddedPostgres, APP_DATABASE};
use crate::web::{routes, AppState};
use crate::{db, import};

/// The schema, embedded at compile time; shared by startup and the tests.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// Enough for a handful of concurrent page loads per worker; PostgreSQL's default limit
/// is 100, which leaves room for a second instance and for `plae import`.
const MAX_CONNECTIONS: u32 = 16;
/// Forms carry one segment's English at a time: usually a few KB. The longest text allowed
/// (50,000 characters) written in Thai is 450 KB percent-encoded (9 bytes a letter), so the
/// limit is 1 MiB; anything larger is an error. (The JSON API has its own, `api`.)
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Where the data lives: the pool, and the private cluster if we started one.
pub struct Database {
    pub pool: PgPool,
    pub embedded: Option<EmbeddedPostgres>,
}

impl Database {
    /// `DATABASE_URL` if set, else the private cluster under `data_dir/postgres` with its
    /// database `plae` (created on first run).
    pub async fn open(settings: &Settings) -> anyhow::Result<Database> {
        let Some(url) = &settings.database_url else {
            let dir = settings.postgres_dir();
            let embedded = EmbeddedPostgres::start(&dir)
                .await
                .with_context(|| format!("starting PostgreSQL in {}", dir.display()))?;
            let connected = async {
                embedded.ensure_database(APP_DATABASE).await?;
                anyhow::Ok(connect(embedded.connect_options(APP_DATABASE)).await?)
            };
            return match connected.await {
                Ok(pool) => Ok(Database {
                    pool,
                    embedded: Some(embedded),
                }),
                Err(e) => {
                    stop_quietly(embedded).await;
                    Err(e.context("connecting to the private PostgreSQL"))
                }
            };
        };
        let options: PgConnectOptions = url
            .parse()
            .context("DATABASE_URL is not a valid PostgreSQL URL")?;
        let pool = connect(options)
            .await
            .context("connecting to the database at DATABASE_URL")?;
        Ok(Database {
            pool,
            embedded: None,
        })
    }

    /// Closes the pool and stops the private cluster, if any.
    pub async fn close(self) -> anyhow::Result<()> {
        self.pool.close().await;
        if let Some(embedded) = self.embedded {
            embedded
                .stop()
                .await
                .context("stopping the private PostgreSQL")?;
        }
        Ok(())
    }
}

async fn stop_quietly(embedded: EmbeddedPostgres) {
    if let Err(e) = embedded.stop().await {
        tracing::warn!(error = %e, "could not stop the private PostgreSQL");
    }
}

pub async fn connect(options: PgConnectOptions) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(10))
        // No ping before handing out a pooled connection: it was a round trip on every
        // request (a third of /healthz, one in five of a save's). A connection the server
        // dropped fails its query instead, and that request gets a 503 (`web::error`).
        .test_before_acquire(false)
        .connect_with(options)
        .await
}

/// Makes a database ready for the app: refuses a non-UTF-8 ctype, migrates.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    check_utf8_ctype(pool).await.map_err(anyhow::Error::msg)?;
    MIGRATOR
        .run(pool)
        .await
        .context("running the database migrations")?;
    Ok(())
}

/// `migrate`, then the first-run import of the corpus if the database holds no book.
pub async fn prepare_database(pool: &PgPool, corpus_dir: &Path) -> anyhow::Result<()> {
    migrate(pool).await?;
    let mut conn = pool.acquire().await.context("connecting to the database")?;
    // Words of segments imported before the search index existed, or changed since.
    db::search::fill_words(&mut conn)
        .await
        .context("indexing the Thai words for search")?;
    db::tm::fill_unit_keys(&mut conn)
        .await
        .context("indexing the translation memory")?;
    if db::books::database_holds_a_book(&mut conn).await? {
        return Ok(());
    }
    drop(conn);
    let corpus = Corpus::load(corpus_dir).context(
        "the database holds no book yet and the corpus to import cannot be loaded \
         (set PLAE_CORPUS_DIR to the directory with book.toml)",
    )?;
    if let Some(report) = import::import_corpus_if_empty(pool, &corpus)
        .await
        .context("importing the corpus on first start")?
    {
        tracing::info!("first start: imported the corpus\n{report}");
    }
    Ok(())
}

/// The key that signs anonymous forms' CSRF tokens: made by the first instance to start,
/// shared by all through the database.
pub async fn load_form_key(pool: &PgPool) -> anyhow::Result<FormKey> {
    let mut conn = pool.acquire().await.context("connecting to the database")?;
    let bytes =
        db::server_keys::get_or_create_key(&mut conn, FormKey::NAME, &FormKey::generate_bytes())
            .await
            .context("loading the form signing key")?;
    Ok(FormKey::from_bytes(bytes))
}

/// On a fresh install, creates the first admin and says, where the person starting the app
/// looks (the log and stdout), how to sign in. Returns the password (tests sign in with it).
pub async fn create_first_admin(pool: &PgPool, base_url: &str) -> anyhow::Result<Option<String>> {
    let Some(password) = ensure_first_admin(pool).await? else {
        return Ok(None);
    };
    let message = first_admin_message(&password, base_url);
    tracing::warn!("{message}");
    println!("{message}");
    Ok(Some(password))
}

pub fn first_admin_message(password: &str, base_url: &str) -> String {
    format!(
        "Created the first admin: username {}, password {password} — sign in at \
         {base_url}/sign-in and change it (this password is shown only once).",
        crate::accounts::FIRST_ADMIN
    )
}

pub struct Application {
    address: SocketAddr,
    server: Server,
    pool: PgPool,
    /// The first admin's one-time password, when this start created them.
    first_admin_password: Option<String>,
    /// Closed (and the private cluster stopped) when the server stops; `None` when the
    /// caller owns the pool (tests).
    owned_database: Option<Database>,
}

impl Application {
    /// What `plae serve` runs: opens the database, prepares it and binds `settings.bind`.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let database = Database::open(&settings).await?;
        let pool = database.pool.clone();
        match Self::serve(settings, pool).await {
            Ok((address, server, first_admin_password)) => Ok(Application {
                address,
                server,
                first_admin_password,
                pool: database.pool.clone(),
                owned_database: Some(database),
            }),
            Err(e) => {
                if let Err(stop) = database.close().await {
                    tracing::warn!(error = %stop, "while giving up");
                }
                Err(e)
            }
        }
    }

    /// Tests: the same, on a database the caller made and keeps using (the pool is not
    /// closed when the server stops). `settings.bind` may use port 0;
    /// `settings.database_url` and `data_dir` are not used.
    pub async fn build_with_pool(settings: Settings, pool: PgPool) -> anyhow::Result<Application> {
        let (address, server, first_admin_password) = Self::serve(settings, pool.clone()).await?;
        Ok(Application {
            address,
            server,
            first_admin_password,
            pool,
            owned_database: None,
        })
    }

    async fn serve(
        settings: Settings,
        pool: PgPool,
    ) -> anyhow::Result<(SocketAddr, Server, Option<String>)> {
        prepare_database(&pool, &settings.corpus_dir).await?;
        let form_key = load_form_key(&pool).await?;
        // In the background: the dummy hash that makes unknown usernames as slow as known ones.
        drop(tokio::task::spawn_blocking(password::warm_up));
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let address = listener.local_addr()?;
        // After binding, so the message names the address really served.
        let base_url = match &settings.public_url {
            Some(_) => settings.base_url(),
            None => format!("http://{address}"),
        };
        let first_admin_password = create_first_admin(&pool, &base_url).await?;
        // This instance's PDF worker (`pdf_jobs`); without XeLaTeX it would only fail jobs
        // another instance may build.
        if crate::pdf_jobs::xelatex_available() {
            let work_root = settings.data_dir.join("exports");
            tokio::spawn(crate::pdf_jobs::run_worker(pool.clone(), work_root));
        }
        let saves = crate::workflow::SaveQueue::start(pool.clone());
        let state = web::Data::new(AppState {
            pool,
            settings,
            form_key,
            saves,
        });
        let server = HttpServer::new(move || {
            App::new()
                .wrap(middleware::Logger::default())
                .wrap(middleware::Compress::default())
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
                .app_data(web::FormConfig::default().limit(MAX_BODY_BYTES))
                .app_data(web::JsonConfig::default().limit(MAX_BODY_BYTES))
                .configure(routes)
        })
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        Ok((address, server, first_admin_password))
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The first admin's one-time password, if this start created them (it was printed).
    pub fn first_admin_password(&self) -> Option<&str> {
        self.first_admin_password.as_deref()
    }

    /// Stops the server from elsewhere (tests); Ctrl+C and SIGTERM do it too.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped, then closes the database (stopping the private
    /// cluster cleanly, so the next start finds it consistent).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let served = self.server.await;
        let closed = match self.owned_database {
            Some(database) => database.close().await,
            None => Ok(()),
        };
        served.context("the HTTP server failed")?;
        closed
    }
}
