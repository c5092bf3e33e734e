//! The `plae` command: serve (default), segment, import, export, import-xliff, import-tmx,
//! user. Thin: the work is in the library.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use plae::accounts::manage::{self, InitialPassword, NewAccount};
use plae::accounts::Role;
use plae::config::{ServeArgs, Settings, SettingsArgs};
use plae::corpus::Corpus;
use plae::startup::{self, Application, Database};
use plae::text::{normalize, segment};
use plae::{import, import::MAX_FILE_BYTES};

/// `RUST_LOG` overrides it. sqlx reports PostgreSQL's notices (such as "relation already
/// exists, skipping" on every migration run) at info: not worth a line each start.
const DEFAULT_LOG: &str = "info,sqlx::postgres::notice=warn";

#[derive(Parser)]
#[command(
    name = "plae",
    version,
    about = "Plae (แปล): a Thai–English translation workbench"
)]
struct Cli {
    #[command(flatten)]
    settings: SettingsArgs,
    /// Used when no subcommand is given (`plae` = `plae serve`).
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default).
    Serve(ServeArgs),
    /// Print how a chapter file is segmented, as JSON lines; touches no database.
    Segment { file: PathBuf },
    /// Import chapter files into the book (all or nothing) and report what changed.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The chapter number of the (single) file, when neither book.toml nor its title says.
        #[arg(long)]
        chapter: Option<i32>,
    },
    /// Write a bilingual edition (LaTeX, PDF, HTML, Markdown, plain text) of the book, or
    /// an exchange file (TMX, XLIFF 2.0 or 1.2).
    Export(plae::export::command::ExportArgs),
    /// Import an XLIFF file translated in a CAT tool: changed targets become the user's
    /// revisions (all or nothing), and print what changed.
    ImportXliff(plae::exchange::command::ImportXliffArgs),
    /// Import a TMX file's Thai–English pairs into the translation memory.
    ImportTmx(plae::exchange::command::ImportTmxArgs),
    /// Align an English translation with Thai paragraphs and print the beads:
    /// `--source TH --target EN` (no database), or `--chapter N FILE`.
    Align(plae::aligning::command::AlignArgs),
    /// Manage user accounts: add, list, passwords, API tokens.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user. Without --password-stdin, prints a generated password once (to be changed
    /// at first sign-in).
    Add {
        name: String,
        /// translator, reviewer or admin.
        #[arg(long)]
        role: Role,
        /// How others see the user [default: the username].
        #[arg(long, default_value = "")]
        display_name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password (generated and printed unless --password-stdin); signs them out
    /// everywhere.
    Password {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print a new API token for the user (`Authorization: Bearer TOKEN`); shown only once.
    Token { name: String },
    /// Revoke every API token of the user.
    RevokeTokens { name: String },
    /// List the users.
    List,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| DEFAULT_LOG.into()))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let result = match cli.command {
        Some(Command::Segment { file }) => print_segments(&file),
        Some(Command::Align(args)) if !args.needs_database() => {
            plae::aligning::command::run_offline(&args)
        }
        command => run_async(cli.settings, cli.serve, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("plae: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_async(
    settings: SettingsArgs,
    default_serve: ServeArgs,
    command: Option<Command>,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    match command {
        Some(Command::Import { files, chapter }) => {
            let settings = settings.into_settings(default_serve.bind);
            runtime.block_on(import_files(settings, files, chapter))
        }
        Some(Command::Export(args)) => {
            let settings = settings.into_settings(default_serve.bind);
            runtime.block_on(plae::export::command::run(settings, args))
        }
        Some(Command::ImportXliff(args)) => {
            let settings = settings.into_settings(default_serve.bind);
            runtime.block_on(plae::exchange::command::run_import_xliff(settings, args))
        }
        Some(Command::ImportTmx(args)) => {
            let settings = settings.into_settings(default_serve.bind);
            runtime.block_on(plae::exchange::command::run_import_tmx(settings, args))
        }
        Some(Command::Align(args)) => {
            let settings = settings.into_settings(default_serve.bind);
            runtime.block_on(plae::aligning::command::run_chapter(settings, args))
        }
        Some(Command::User { command }) => {
            let settings = settings.into_settings(default_serve.bind);
            runtime.block_on(manage_users(settings, command))
        }
        Some(Command::Serve(serve)) => {
            runtime.block_on(serve_app(settings.into_settings(serve.bind)))
        }
        _ => runtime.block_on(serve_app(settings.into_settings(default_serve.bind))),
    }
}

async fn serve_app(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    tracing::info!("serving on http://{}", app.address());
    app.run_until_stopped().await
}

async fn import_files(
    settings: Settings,
    files: Vec<PathBuf>,
    chapter: Option<i32>,
) -> anyhow::Result<()> {
    let corpus = Corpus::load(&settings.corpus_dir)?;
    let database = Database::open(&settings).await?;
    let imported = async {
        startup::migrate(&database.pool).await?;
        Ok::<_, anyhow::Error>(
            import::import_files(&database.pool, &corpus, &files, chapter).await?,
        )
    }
    .await;
    database.close().await?;
    print!("{}", imported?);
    Ok(())
}

async fn manage_users(settings: Settings, command: UserCommand) -> anyhow::Result<()> {
    let database = Database::open(&settings).await?;
    let done = async {
        startup::migrate(&database.pool).await?;
        run_user_command(&database.pool, command).await
    }
    .await;
    database.close().await?;
    done
}

async fn run_user_command(pool: &sqlx::PgPool, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            name,
            role,
            display_name,
            password_stdin,
        } => {
            let password = match password_stdin {
                true => InitialPassword::Chosen {
                    password: password_from_stdin()?,
                    must_change: false,
                },
                false => InitialPassword::Generate,
            };
            let new = NewAccount {
                username: &name,
                display_name: &display_name,
                role,
                password,
            };
            let added = manage::add_user(pool, new).await?;
            println!("Added {} {}.", added.user.role, added.user.username);
            if let Some(password) = added.generated_password {
                println!(
                    "Password: {password}\n(shown only once; they must change it when they \
                     first sign in)"
                );
            }
        }
        UserCommand::Password {
            name,
            password_stdin,
        } => {
            let mut conn = pool.acquire().await?;
            let user = manage::user_named(&mut conn, &name).await?;
            drop(conn);
            let (password, must_change) = match password_stdin {
                true => (password_from_stdin()?, false),
                false => (plae::accounts::password::generate(), true),
            };
            manage::set_password(pool, &user, password.clone(), must_change, false).await?;
            println!(
                "Set the password of {}; their sessions have ended.",
                user.username
            );
            if must_change {
                println!("Password: {password}\n(shown only once; to be changed at sign-in)");
            }
        }
        UserCommand::Token { name } => {
            let token = manage::create_api_token(pool, &name).await?;
            eprintln!("A new API token for {name} (shown only once; send it as `Authorization: Bearer TOKEN`):");
            println!("{token}");
        }
        UserCommand::RevokeTokens { name } => {
            let revoked = manage::revoke_api_tokens(pool, &name).await?;
            println!("Revoked {revoked} API token(s) of {name}.");
        }
        UserCommand::List => {
            let mut conn = pool.acquire().await?;
            for user in plae::db::users::list_users(&mut conn).await? {
                let status = match (user.is_disabled(), user.must_change_password) {
                    (true, _) => "disabled",
                    (false, true) => "must change password",
                    (false, false) => "active",
                };
                println!(
                    "{:<24} {:<10} {:<20} {}",
                    user.username,
                    user.role.as_str(),
                    status,
                    user.display_name
                );
            }
        }
    }
    Ok(())
}

/// The first line of standard input, without its line ending.
fn password_from_stdin() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        eprint!("Password: ");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    anyhow::ensure!(!password.is_empty(), "no password on standard input");
    Ok(password)
}

/// decode → normalize → segment, one JSON object per line.
fn print_segments(file: &PathBuf) -> anyhow::Result<()> {
    let name = file.display();
    let size = std::fs::metadata(file)
        .with_context(|| format!("{name}: cannot read it"))?
        .len();
    anyhow::ensure!(
        size <= MAX_FILE_BYTES,
        "{name}: {size} bytes is over the {MAX_FILE_BYTES}-byte limit"
    );
    let bytes = std::fs::read(file).with_context(|| format!("{name}: cannot read it"))?;
    anyhow::ensure!(!bytes.is_empty(), "{name}: the file is empty");
    let text = normalize::decode_utf8(&bytes).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let text = normalize::normalize(text);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = segment::segment(&text).iter().try_for_each(|segment| {
        serde_json::to_writer(&mut out, segment)?;
        out.write_all(b"\n")
    });
    match written.and_then(|()| out.flush()) {
        // `plae segment FILE | head` is fine: the reader has seen enough.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
