//! A private PostgreSQL cluster run from the machine's own PostgreSQL binaries.
//!
//! Plae needs PostgreSQL but should not need a DBA. Without `DATABASE_URL` the
//! app keeps its own cluster in `$PLAE_DATA_DIR/postgres` ([`EmbeddedPostgres::start`]),
//! and the test suite runs one throwaway cluster per test process
//! ([`EmbeddedPostgres::shared_temporary`]). Both listen only on a Unix socket in
//! a private directory, so they never clash with a system server on port 5432,
//! and both trust the superuser `plae`: only the socket's owner can reach it.
//!
//! A cluster directory holds `data/` (PGDATA), `socket/`, `server.log` and
//! `owner.pid` (the plae process that started the server).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::{ConnectOptions, Connection};

/// The database the app uses.
pub const APP_DATABASE: &str = "plae";
const SUPERUSER: &str = "plae";
/// Only names the socket file (`.s.PGSQL.5432`); nothing listens on TCP.
const PORT: u16 = 5432;
/// Fast shutdown: open sessions are cut, committed data is safe.
const STOP: &[&str] = &["stop", "-m", "fast", "-w", "-t", "60"];
const CREATE_OPTIONS: &str =
    "ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0";

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "PostgreSQL server programs (initdb, pg_ctl) not found: looked on PATH, in \
         `pg_config --bindir` and in /usr/lib/postgresql/*/bin. Install them \
         (`apt-get install postgresql` on Debian/Ubuntu), or set DATABASE_URL to use \
         an existing PostgreSQL server instead"
    )]
    NotInstalled,
    #[error("{0}")]
    Setup(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("{what} failed:\n{details}")]
    Command { what: String, details: String },
    #[error("{what}: {source}")]
    Sql { what: String, source: sqlx::Error },
}

fn io_err(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> EmbeddedError {
    let what = what.into();
    move |source| EmbeddedError::Io { what, source }
}

fn sql_err(what: impl Into<String>) -> impl FnOnce(sqlx::Error) -> EmbeddedError {
    let what = what.into();
    move |source| EmbeddedError::Sql { what, source }
}

struct Binaries {
    initdb: PathBuf,
    pg_ctl: PathBuf,
}

/// The unprivileged account the server runs as when we are root.
struct User {
    name: String,
    uid: u32,
    gid: u32,
}

pub struct EmbeddedPostgres {
    bins: Binaries,
    run_as: Option<User>,
    cluster_dir: PathBuf,
    data_dir: PathBuf,
    socket_dir: PathBuf,
    temporary: bool,
    stopped: bool,
    /// The server belongs to another live plae process (say `plae import` while `plae
    /// serve` runs): we use it but neither stop it nor clean up after it.
    attached: bool,
}

impl EmbeddedPostgres {
    /// Starts (creating on first run) the persistent cluster in `cluster_dir`
    /// and makes sure the app database [`APP_DATABASE`] exists.
    pub async fn start(cluster_dir: &Path) -> Result<Self, EmbeddedError> {
        std::fs::create_dir_all(cluster_dir)
            .map_err(io_err(format!("create {}", cluster_dir.display())))?;
        let dir = cluster_dir
            .canonicalize()
            .map_err(io_err(format!("resolve {}", cluster_dir.display())))?;
        let mut pg = Self::prepare(dir, false)?;
        pg.attached = pg.init_and_start().await?;
        pg.ensure_database(APP_DATABASE).await?;
        Ok(pg)
    }

    /// Starts a throwaway cluster in a fresh temp directory, tuned for speed
    /// (no fsync). A watchdog process deletes it once this process has exited.
    pub async fn start_temporary() -> Result<Self, EmbeddedError> {
        let dir = std::env::temp_dir().join(format!("plae-pg-{}", unique_suffix()));
        std::fs::create_dir(&dir).map_err(io_err(format!("create {}", dir.display())))?;
        let pg = Self::prepare(dir, true)?;
        // Before initdb, so that even a failed or interrupted start is cleaned up.
        pg.spawn_watchdog()?;
        pg.init_and_start().await?;
        Ok(pg)
    }

    /// One temporary cluster shared by all tests of this process. Tests get
    /// connect options rather than a pool: a pool is bound to the tokio
    /// runtime that made it, and every `#[tokio::test]` has its own runtime.
    pub async fn shared_temporary() -> Result<&'static Self, EmbeddedError> {
        static SHARED: tokio::sync::OnceCell<EmbeddedPostgres> = tokio::sync::OnceCell::const_new();
        SHARED.get_or_try_init(Self::start_temporary).await
    }

    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        // `new_without_pgpass` and explicit settings: PG* variables and
        // ~/.pgpass are meant for the machine's server, not this one.
        PgConnectOptions::new_without_pgpass()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(SUPERUSER)
            .database(database)
            .ssl_mode(PgSslMode::Disable)
    }

    /// URL form, understood by sqlx and libpq (psql). The socket directory is
    /// percent-encoded in the host position: `postgres://plae@/db?host=...` is
    /// rejected by the `url` crate (user info without a host).
    pub fn url(&self, database: &str) -> String {
        let socket = percent_encode(&self.socket_dir.to_string_lossy());
        format!(
            "postgres://{SUPERUSER}@{socket}/{}",
            percent_encode(database)
        )
    }

    /// Creates `name` with a UTF-8 ctype (Thai trigram search depends on it)
    /// unless it exists. Safe to call concurrently.
    pub async fn ensure_database(&self, name: &str) -> Result<(), EmbeddedError> {
        let mut conn = self
            .connect_options("postgres")
            .connect()
            .await
            .map_err(sql_err("connect to the embedded PostgreSQL"))?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(name)
                .fetch_one(&mut conn)
                .await
                .map_err(sql_err("look up databases"))?;
        if !exists {
            let quoted = format!("\"{}\"", name.replace('"', "\"\""));
            let create = format!("CREATE DATABASE {quoted} {CREATE_OPTIONS}");
            match sqlx::raw_sql(&create).execute(&mut conn).await {
                // duplicate_database: another caller won the race, which is fine.
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P04") => {}
                other => {
                    other.map_err(sql_err(format!("create database {name}")))?;
                }
            }
        }
        let _ = conn.close().await;
        Ok(())
    }

    /// Creates a database with a name no other caller in this process gets,
    /// e.g. one per test; returns its name.
    pub async fn fresh_database(&self, prefix: &str) -> Result<String, EmbeddedError> {
        let name = format!("{prefix}_{}", unique_suffix().replace('-', "_"));
        self.ensure_database(&name).await?;
        Ok(name)
    }

    /// Stops the server (fast shutdown: open sessions are cut, data is safe).
    /// A temporary cluster is deleted as well.
    pub async fn stop(mut self) -> Result<(), EmbeddedError> {
        self.stopped = true;
        if self.attached {
            return Ok(());
        }
        let mut result = Ok(());
        if self.is_running().await? {
            result = self
                .run("stop PostgreSQL", self.pg_ctl(STOP))
                .await
                .map(drop);
        }
        self.clean_up();
        result
    }

    fn prepare(cluster_dir: PathBuf, temporary: bool) -> Result<Self, EmbeddedError> {
        let data_dir = cluster_dir.join("data");
        // A data directory only works with the major version that made it.
        let major = std::fs::read_to_string(data_dir.join("PG_VERSION")).ok();
        let bins = find_binaries(major.as_deref().map(str::trim))?;
        let socket_dir = socket_dir_for(&cluster_dir);
        std::fs::create_dir_all(&socket_dir)
            .map_err(io_err(format!("create {}", socket_dir.display())))?;
        // SAFETY: geteuid has no preconditions.
        let run_as = if unsafe { libc::geteuid() } == 0 {
            Some(server_user(&data_dir, &cluster_dir)?)
        } else {
            let uid = std::fs::metadata(&socket_dir).map(|m| m.uid()).ok();
            if uid != Some(unsafe { libc::geteuid() }) {
                return Err(EmbeddedError::Setup(format!(
                    "socket directory {} belongs to another user (was the cluster \
                     created as root?): run plae as that user, or chown -R the cluster \
                     directory and it to yourself",
                    socket_dir.display()
                )));
            }
            None
        };
        if let Some(user) = &run_as {
            for dir in [&cluster_dir, &socket_dir] {
                std::os::unix::fs::chown(dir, Some(user.uid), Some(user.gid))
                    .map_err(io_err(format!("chown {} to {}", dir.display(), user.name)))?;
            }
        }
        std::fs::set_permissions(&socket_dir, std::fs::Permissions::from_mode(0o700))
            .map_err(io_err(format!("chmod {}", socket_dir.display())))?;
        Ok(Self {
            bins,
            run_as,
            cluster_dir,
            data_dir,
            socket_dir,
            temporary,
            stopped: false,
            attached: false,
        })
    }

    /// Returns true when the server was already run by another live plae process.
    async fn init_and_start(&self) -> Result<bool, EmbeddedError> {
        if !self.data_dir.join("PG_VERSION").exists() {
            let data = self.data_dir.to_string_lossy();
            let mut args = vec!["-D", &*data, "-E", "UTF8", "--locale=C.UTF-8"];
            args.extend(["-A", "trust", "-U", SUPERUSER]);
            if self.temporary {
                args.push("--no-sync");
            }
            self.run("initdb", self.command(&self.bins.initdb, &args))
                .await?;
        }
        self.write_settings()?;

        let owner_file = self.cluster_dir.join("owner.pid");
        if self.is_running().await? {
            // Left running by an earlier plae process. If that process is gone
            // (it crashed), restart the server so that our settings apply and
            // we own its lifetime; if it is alive, two apps would share it.
            let owner = std::fs::read_to_string(&owner_file).ok();
            let owner = owner.and_then(|s| s.trim().parse::<i32>().ok());
            if let Some(pid) = owner.filter(|&p| p != std::process::id() as i32 && alive(p)) {
                // Another plae (the app, while we import) runs it: share it; its owner
                // stops it.
                tracing::info!(
                    "using the PostgreSQL cluster in {} run by plae process {pid}",
                    self.cluster_dir.display()
                );
                return Ok(true);
            }
            tracing::info!(
                "restarting PostgreSQL left running in {}",
                self.data_dir.display()
            );
            if let Err(e) = self.run("stop stale PostgreSQL", self.pg_ctl(STOP)).await {
                // pg_ctl gives up if the postmaster dies under it (say it was
                // killed): that leaves a stale postmaster.pid, which start copes with.
                if self.is_running().await? {
                    return Err(e);
                }
            }
        }
        // pg_ctl rather than spawning `postgres` ourselves: `-w` waits until the
        // server accepts connections, stale postmaster.pid files are handled,
        // and the server gets its own session, so the Ctrl+C meant for the app
        // does not also hit the database while the app shuts down gracefully.
        let log = self.cluster_dir.join("server.log");
        let log = log.to_string_lossy();
        let start = self.pg_ctl(&["-l", &log, "-w", "-t", "60", "start"]);
        self.run("start PostgreSQL", start).await?;
        std::fs::write(&owner_file, std::process::id().to_string())
            .map_err(io_err(format!("write {}", owner_file.display())))?;
        Ok(false)
    }

    /// Our settings live in `plae.conf`, rewritten on every start and
    /// included from `postgresql.conf`; `initdb -c` only exists from v16.
    fn write_settings(&self) -> Result<(), EmbeddedError> {
        let socket = format!(
            "\"{}\"",
            self.socket_dir.to_string_lossy().replace('"', "\"\"")
        );
        let mut conf = format!(
            "# Written by plae on every start: edits are lost.\n\
             listen_addresses = ''\nport = {PORT}\n\
             unix_socket_directories = '{}'\nunix_socket_permissions = 0700\n\
             max_connections = 100\n",
            socket.replace('\'', "''")
        );
        if self.temporary {
            // Throwaway data: durability only costs time.
            conf.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
        let plae_conf = self.data_dir.join("plae.conf");
        std::fs::write(&plae_conf, conf).map_err(io_err("write plae.conf"))?;
        if let Some(user) = &self.run_as {
            std::os::unix::fs::chown(&plae_conf, Some(user.uid), Some(user.gid))
                .map_err(io_err("chown plae.conf"))?;
        }
        let main_conf = self.data_dir.join("postgresql.conf");
        let text = std::fs::read_to_string(&main_conf).map_err(io_err("read postgresql.conf"))?;
        let include = "include_if_exists = 'plae.conf'";
        if !text.lines().any(|l| l.trim() == include) {
            std::fs::write(&main_conf, format!("{text}\n{include}\n"))
                .map_err(io_err("write postgresql.conf"))?;
        }
        Ok(())
    }

    /// `sh` polls for our pid and, once we are gone (normal exit, panic or
    /// SIGKILL alike), stops the server and deletes the directory. Needed
    /// because the test harness never drops statics. It gets its own session
    /// so the terminal's Ctrl+C does not kill it before it has cleaned up.
    fn spawn_watchdog(&self) -> Result<(), EmbeddedError> {
        let script = r#"while kill -0 "$1" 2>/dev/null; do sleep 1; done
if [ -n "$5" ]; then runuser -u "$5" -- "$2" -D "$3" stop -m immediate -w
else "$2" -D "$3" stop -m immediate -w; fi
rm -rf "$4" "$6""#;
        let mut cmd = StdCommand::new("sh");
        cmd.args([
            "-c",
            script,
            "plae-pg-watchdog",
            &std::process::id().to_string(),
        ])
        .arg(&self.bins.pg_ctl)
        .args([&self.data_dir, &self.cluster_dir])
        .arg(self.run_as.as_ref().map_or("", |u| u.name.as_str()))
        .arg(&self.socket_dir)
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        // SAFETY: setsid is async-signal-safe, as pre_exec requires.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
        // The child is never waited for: it outlives us by design.
        cmd.spawn()
            .map(drop)
            .map_err(io_err("start the cleanup watchdog (sh)"))
    }

    fn pg_ctl(&self, args: &[&str]) -> StdCommand {
        let mut cmd = self.command(&self.bins.pg_ctl, &["-D"]);
        cmd.arg(&self.data_dir).args(args);
        cmd
    }

    /// A command for a PostgreSQL program, as the server user when we are root.
    fn command(&self, program: &Path, args: &[&str]) -> StdCommand {
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut cmd = StdCommand::new("runuser");
                cmd.args(["-u", &user.name, "--"]).arg(program);
                cmd
            }
            None => StdCommand::new(program),
        };
        // The server user may not be allowed into our working directory (/root).
        cmd.args(args)
            .current_dir(&self.cluster_dir)
            .stdin(Stdio::null());
        cmd
    }

    async fn run(&self, what: &str, cmd: StdCommand) -> Result<Output, EmbeddedError> {
        let program = format!("{:?}", cmd.get_program());
        let out = tokio::process::Command::from(cmd)
            .output()
            .await
            .map_err(io_err(format!("{what}: run {program}")))?;
        if out.status.success() {
            return Ok(out);
        }
        let mut details = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let log = std::fs::read_to_string(self.cluster_dir.join("server.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(20).collect();
        if !tail.is_empty() {
            details.push_str("\nlast lines of server.log:\n");
            for line in tail.iter().rev() {
                details.push_str(line);
                details.push('\n');
            }
        }
        Err(EmbeddedError::Command {
            what: what.to_string(),
            details,
        })
    }

    async fn is_running(&self) -> Result<bool, EmbeddedError> {
        let out = tokio::process::Command::from(self.pg_ctl(&["status"]))
            .output()
            .await;
        // Exit status 0: running; 3: not running; 4: no usable data directory.
        Ok(out.map_err(io_err("run pg_ctl status"))?.status.success())
    }

    fn clean_up(&self) {
        let _ = std::fs::remove_file(self.cluster_dir.join("owner.pid"));
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.cluster_dir);
            let _ = std::fs::remove_dir_all(&self.socket_dir);
        }
    }
}

impl Drop for EmbeddedPostgres {
    /// Best effort for clusters dropped without `stop()` (e.g. on a panic).
    fn drop(&mut self) {
        if self.stopped || self.attached {
            return;
        }
        let _ = self.pg_ctl(STOP).output();
        self.clean_up();
    }
}

/// Checks that the connected database has a UTF-8 ctype: under `C`/`POSIX`
/// PostgreSQL does not see Thai letters as letters and trigram search breaks.
/// Takes a pool (`&pool`) or a connection (`&mut *conn`).
pub async fn check_utf8_ctype<'c, E: sqlx::PgExecutor<'c>>(executor: E) -> Result<(), String> {
    let sql = "SELECT current_database()::text, datctype::text FROM pg_database \
               WHERE datname = current_database()";
    let (db, ctype): (String, String) = sqlx::query_as(sql)
        .fetch_one(executor)
        .await
        .map_err(|e| format!("could not read the database's LC_CTYPE: {e}"))?;
    if is_utf8_locale(&ctype) {
        return Ok(());
    }
    Err(format!(
        "database `{db}` has LC_CTYPE `{ctype}`, but Plae needs a UTF-8 ctype such as \
         C.UTF-8 (Thai text search depends on it). Create a suitable database with\n  \
         CREATE DATABASE name {CREATE_OPTIONS};\nand point DATABASE_URL at it"
    ))
}

fn is_utf8_locale(ctype: &str) -> bool {
    let lower = ctype.to_ascii_lowercase();
    lower.contains("utf-8") || lower.contains("utf8")
}

fn find_binaries(prefer_major: Option<&str>) -> Result<Binaries, EmbeddedError> {
    let in_dir = |dir: &Path| {
        let bins = Binaries {
            initdb: dir.join("initdb"),
            pg_ctl: dir.join("pg_ctl"),
        };
        (bins.initdb.is_file() && bins.pg_ctl.is_file()).then_some(bins)
    };
    let versioned = Path::new("/usr/lib/postgresql");
    if let Some(bins) = prefer_major.and_then(|v| in_dir(&versioned.join(v).join("bin"))) {
        return Ok(bins);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    if let Some(bins) = std::env::split_paths(&path).find_map(|dir| in_dir(&dir)) {
        return Ok(bins);
    }
    if let Ok(out) = StdCommand::new("pg_config").arg("--bindir").output() {
        let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if let Some(bins) = in_dir(Path::new(&dir)).filter(|_| out.status.success()) {
            return Ok(bins);
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(versioned)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .collect();
    found.sort();
    found
        .iter()
        .rev()
        .find_map(|(_, dir)| in_dir(dir))
        .ok_or(EmbeddedError::NotInstalled)
}

/// A socket path must fit in `sun_path` (108 bytes with the NUL), so a deep
/// cluster directory gets its socket in a short, per-cluster dir under /tmp.
fn socket_dir_for(cluster_dir: &Path) -> PathBuf {
    let preferred = cluster_dir.join("socket");
    if preferred.as_os_str().len() + "/.s.PGSQL.5432".len() < 100 {
        return preferred;
    }
    let hash = Sha256::digest(cluster_dir.as_os_str().as_encoded_bytes());
    PathBuf::from(format!("/tmp/plae-{}", &hex::encode(hash)[..16]))
}

/// PostgreSQL refuses to run as root. Keep the owner of an existing data dir,
/// else use `postgres`, else `nobody`; then check it can reach the cluster.
fn server_user(data_dir: &Path, cluster_dir: &Path) -> Result<User, EmbeddedError> {
    let owner = std::fs::metadata(data_dir)
        .ok()
        .map(|m| m.uid())
        .filter(|&uid| uid != 0);
    let user = owner
        .and_then(|uid| passwd_entry(|u| u.uid == uid))
        .or_else(|| passwd_entry(|u| u.name == "postgres"))
        .or_else(|| passwd_entry(|u| u.name == "nobody"))
        .ok_or_else(|| {
            EmbeddedError::Setup(
                "running as root, but neither a `postgres` nor a `nobody` user exists to \
                 run PostgreSQL as (it refuses to run as root); set DATABASE_URL instead"
                    .into(),
            )
        })?;
    for dir in cluster_dir.ancestors().skip(1) {
        let Ok(meta) = std::fs::metadata(dir) else {
            continue;
        };
        let mode = meta.mode();
        let bit = match () {
            _ if meta.uid() == user.uid => 0o100,
            _ if meta.gid() == user.gid => 0o010,
            _ => 0o001,
        };
        if mode & bit == 0 {
            return Err(EmbeddedError::Setup(format!(
                "PostgreSQL refuses to run as root, so plae runs it as user `{}`, but that \
                 user cannot enter {} (mode {:o}). Use a data directory it can reach \
                 (PLAE_DATA_DIR), run `chmod o+x {}`, or set DATABASE_URL",
                user.name,
                dir.display(),
                mode & 0o7777,
                dir.display()
            )));
        }
    }
    Ok(user)
}

/// Read /etc/passwd directly: getpwnam is not thread-safe, and the accounts we
/// look for are local system accounts.
fn passwd_entry(pred: impl Fn(&User) -> bool) -> Option<User> {
    let text = std::fs::read_to_string("/etc/passwd").ok()?;
    text.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        let user = User {
            name: f.first()?.to_string(),
            uid: f.get(2)?.parse().ok()?,
            gid: f.get(3)?.parse().ok()?,
        };
        pred(&user).then_some(user)
    })
}

fn alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks whether the process exists.
    pid > 0
        && (unsafe { libc::kill(pid, 0) } == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
}

fn unique_suffix() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{}-{nanos}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    #[test]
    fn recognises_utf8_locales() {
        for good in ["C.UTF-8", "C.utf8", "en_US.UTF-8", "th_TH.utf8"] {
            assert!(is_utf8_locale(good), "{good}");
        }
        for bad in ["C", "POSIX", "th_TH.TIS-620", "en_US"] {
            assert!(!is_utf8_locale(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn temporary_cluster_gives_utf8_databases() {
        let pg = EmbeddedPostgres::shared_temporary()
            .await
            .expect("start cluster");
        let db = pg.fresh_database("utf8").await.expect("create db");
        // Through the URL, to check that sqlx parses the socket form.
        let opts: PgConnectOptions = pg.url(&db).parse().expect("parse url");
        let mut conn = opts.connect().await.expect("connect");
        let one: i32 = sqlx::query_scalar("SELECT 1")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(one, 1);
        let ctype: String = sqlx::query_scalar(
            "SELECT datctype::text FROM pg_database WHERE datname = current_database()",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        assert_eq!(ctype, "C.UTF-8");
        check_utf8_ctype(&mut conn)
            .await
            .expect("UTF-8 ctype accepted");
        // Thai letters are letters under this ctype.
        let listen: String = sqlx::query_scalar("SHOW listen_addresses")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(listen, "", "must not listen on TCP");
        let upper: String = sqlx::query_scalar("SELECT upper('ภาษาไทย abc')")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(upper, "ภาษาไทย ABC");
    }

    #[tokio::test]
    async fn c_ctype_is_rejected_with_advice() {
        let pg = EmbeddedPostgres::shared_temporary()
            .await
            .expect("start cluster");
        let name = format!("cctype_{}", unique_suffix().replace('-', "_"));
        let mut admin = pg.connect_options("postgres").connect().await.unwrap();
        let create =
            format!("CREATE DATABASE {name} LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        sqlx::raw_sql(&create).execute(&mut admin).await.unwrap();
        let pool = sqlx::PgPool::connect_with(pg.connect_options(&name))
            .await
            .unwrap();
        let err = check_utf8_ctype(&pool)
            .await
            .expect_err("C ctype must be rejected");
        assert!(err.contains("`C`"), "{err}");
        assert!(
            err.contains("LC_CTYPE 'C.UTF-8' TEMPLATE template0"),
            "{err}"
        );
        pool.close().await;
    }

    #[tokio::test]
    async fn persistent_cluster_keeps_data_across_restarts() {
        let top = std::env::temp_dir().join(format!("plae-pg-persist-{}", unique_suffix()));
        // Deep enough that the socket cannot live inside it.
        let dir = top.join("d".repeat(100));
        let pg = EmbeddedPostgres::start(&dir).await.expect("first start");
        let socket_dir = pg.socket_dir.clone();
        assert!(socket_dir.to_string_lossy().starts_with("/tmp/plae-"));
        let mut conn = pg.connect_options(APP_DATABASE).connect().await.unwrap();
        let fsync: String = sqlx::query_scalar("SHOW fsync")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(fsync, "on", "the app's data must be durable");
        sqlx::raw_sql("CREATE TABLE t (word text); INSERT INTO t VALUES ('แปล')")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        pg.stop().await.expect("stop");

        // Second run; then "crash" (forget, so no stop) to leave the server running.
        let pg = EmbeddedPostgres::start(&dir).await.expect("second start");
        std::mem::forget(pg);
        let pg = EmbeddedPostgres::start(&dir)
            .await
            .expect("start after crash");
        let mut conn = pg.connect_options(APP_DATABASE).connect().await.unwrap();
        let row = sqlx::query("SELECT word FROM t")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(row.get::<String, _>(0), "แปล");
        conn.close().await.unwrap();
        pg.stop().await.expect("stop again");
        std::fs::remove_dir_all(&top).unwrap();
        std::fs::remove_dir_all(&socket_dir).unwrap();
    }

    #[tokio::test]
    async fn a_second_plae_uses_the_cluster_another_runs_and_leaves_it_running() {
        let dir = std::env::temp_dir().join(format!("plae-pg-shared-{}", unique_suffix()));
        let owner = EmbeddedPostgres::start(&dir).await.expect("owner starts");
        // Stand in for another live plae process (say `plae serve`) owning the server.
        let mut other = std::process::Command::new("sleep")
            .arg("60")
            .spawn()
            .unwrap();
        std::fs::write(dir.join("owner.pid"), other.id().to_string()).unwrap();

        let second = EmbeddedPostgres::start(&dir)
            .await
            .expect("second plae attaches");
        assert!(second.attached);
        let mut conn = second
            .connect_options(APP_DATABASE)
            .connect()
            .await
            .unwrap();
        sqlx::query("SELECT 1").execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        second
            .stop()
            .await
            .expect("the second plae's stop leaves the server alone");

        let mut conn = owner.connect_options(APP_DATABASE).connect().await.unwrap();
        sqlx::query("SELECT 1")
            .execute(&mut conn)
            .await
            .expect("still running for its owner");
        conn.close().await.unwrap();
        other.kill().unwrap();
        other.wait().unwrap();
        std::fs::write(dir.join("owner.pid"), std::process::id().to_string()).unwrap();
        let socket_dir = owner.socket_dir.clone();
        owner.stop().await.expect("the owner stops it");
        std::fs::remove_dir_all(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&socket_dir);
    }

    #[test]
    fn root_explains_an_unreachable_directory() {
        if unsafe { libc::geteuid() } != 0 {
            return; // only root hands the server to another user
        }
        let locked = std::env::temp_dir().join(format!("plae-pg-locked-{}", unique_suffix()));
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
        let result = EmbeddedPostgres::prepare(locked.join("postgres"), false);
        std::fs::remove_dir_all(&locked).unwrap();
        let err = result.err().expect("must refuse").to_string();
        assert!(
            err.contains("cannot enter") && err.contains("chmod o+x"),
            "{err}"
        );
    }
}
