//! The `plae` command: serve (default), segment, import. Thin: the work is in the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

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
