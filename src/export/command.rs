//! `plae export`: an edition of the book from the database, written to a file.
//!
//! ```text
//! plae export --format latex|pdf|html|markdown|text|tmx|xliff|xliff12 [--chapter N | --book]
//!             [--layout columns|facing|interleaved] [--include approved|drafts]
//!             [--languages en|th|both] --out FILE
//! ```

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::{export, pdf, ExportOptions, Format, Include, Languages, Layout};
use crate::config::Settings;
use crate::db;
use crate::startup::{self, Database};

/// How long XeLaTeX may take over the whole PDF (all its runs).
const PDF_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: FormatArg,
    /// Only this chapter (its number as printed).
    #[arg(long, conflicts_with = "book")]
    chapter: Option<i32>,
    /// The whole book (the default).
    #[arg(long)]
    book: bool,
    /// Which book, by slug; needed only when the database holds several.
    #[arg(long)]
    slug: Option<String>,
    /// LaTeX, PDF and HTML: how Thai and English sit on the page.
    #[arg(long, value_enum, default_value_t = LayoutArg::Columns)]
    layout: LayoutArg,
    /// `approved`: only English a reviewer approved; `drafts`: the latest English.
    #[arg(long, value_enum, default_value_t = IncludeArg::Approved)]
    include: IncludeArg,
    /// Markdown and plain text: which languages.
    #[arg(long, value_enum, default_value_t = LanguagesArg::Both)]
    languages: LanguagesArg,
    /// Where to write the edition.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Latex,
    Pdf,
    Html,
    Markdown,
    Text,
    /// TMX 1.4b: the Thai–English pairs (approved ones unless `--include drafts`).
    Tmx,
    /// XLIFF 2.0 for CAT tools (import it back with `plae import-xliff`).
    Xliff,
    /// XLIFF 1.2, for CAT tools that do not read 2.0.
    Xliff12,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LayoutArg {
    Columns,
    Facing,
    Interleaved,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum IncludeArg {
    Approved,
    Drafts,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LanguagesArg {
    En,
    Th,
    Both,
}

impl ExportArgs {
    fn options(&self) -> ExportOptions {
        ExportOptions {
            format: match self.format {
                FormatArg::Latex | FormatArg::Pdf => Format::Latex,
                FormatArg::Html => Format::Html,
                FormatArg::Markdown => Format::Markdown,
                FormatArg::Text => Format::Text,
                FormatArg::Tmx => Format::Tmx,
                FormatArg::Xliff => Format::Xliff,
                FormatArg::Xliff12 => Format::Xliff12,
            },
            layout: match self.layout {
                LayoutArg::Columns => Layout::Columns,
                LayoutArg::Facing => Layout::Facing,
                LayoutArg::Interleaved => Layout::Interleaved,
            },
            include: match self.include {
                IncludeArg::Approved => Include::Approved,
                IncludeArg::Drafts => Include::Drafts,
            },
            languages: match self.languages {
                LanguagesArg::En => Languages::English,
                LanguagesArg::Th => Languages::Thai,
                LanguagesArg::Both => Languages::Both,
            },
        }
    }
}

pub async fn run(settings: Settings, args: ExportArgs) -> anyhow::Result<()> {
    let database = Database::open(&settings).await?;
    let loaded = async {
        startup::migrate(&database.pool).await?;
        let mut conn = database.pool.acquire().await?;
        let slug = match &args.slug {
            Some(slug) => slug.clone(),
            None => only_book(&mut conn).await?,
        };
        let scope = match args.chapter {
            Some(number) => db::export::Scope::Chapter(number),
            None => db::export::Scope::Book,
        };
        db::export::load_edition(&mut conn, &slug, scope)
            .await?
            .with_context(|| match args.chapter {
                Some(n) => format!("book `{slug}` has no chapter {n}"),
                None => format!("there is no book `{slug}`"),
            })
    }
    .await;
    database.close().await?;
    let edition = loaded?;
    let options = args.options();
    let out = args.out.display();
    match args.format {
        FormatArg::Pdf => {
            // XeLaTeX's files go to a directory of their own, removed afterwards.
            let workdir = tempfile_dir(&settings)?;
            let compiled = tokio::task::spawn_blocking({
                let workdir = workdir.clone();
                move || pdf::export_pdf(&edition, &options, &workdir, PDF_TIMEOUT)
            })
            .await?;
            std::fs::remove_dir_all(&workdir).ok();
            let compiled = compiled?;
            std::fs::write(&args.out, &compiled.pdf).with_context(|| format!("writing {out}"))?;
            report_warnings(&compiled.warnings);
            eprintln!(
                "wrote {out} ({} bytes, {} XeLaTeX runs)",
                compiled.pdf.len(),
                compiled.runs
            );
        }
        _ => {
            let text = export(&edition, &options);
            std::fs::write(&args.out, &text).with_context(|| format!("writing {out}"))?;
            eprintln!("wrote {out} ({} bytes)", text.len());
        }
    }
    Ok(())
}

/// The slug of the only book in the database.
async fn only_book(conn: &mut sqlx::PgConnection) -> anyhow::Result<String> {
    let books = db::books::list_books(conn).await?;
    match books.as_slice() {
        [book] => Ok(book.slug.clone()),
        [] => anyhow::bail!("the database holds no book yet: run `plae` once, or `plae import`"),
        _ => anyhow::bail!(
            "the database holds several books: say which with --slug ({})",
            books
                .iter()
                .map(|b| b.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A fresh directory under the data directory for one PDF build.
fn tempfile_dir(settings: &Settings) -> anyhow::Result<PathBuf> {
    let dir = settings
        .data_dir
        .join("exports")
        .join(format!("pdf-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

fn report_warnings(warnings: &pdf::LogWarnings) {
    for missing in &warnings.missing_characters {
        eprintln!(
            "warning: no glyph for {} ({}) in {}: printed as nothing ({} times)",
            missing.character, missing.code_point, missing.font, missing.count
        );
    }
    for overfull in &warnings.overfull_boxes {
        eprintln!(
            "warning: overfull \\{} by {:.1} pt {}",
            overfull.kind, overfull.points, overfull.location
        );
    }
}
