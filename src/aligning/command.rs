//! `plae align`: an English text aligned with Thai paragraphs, printed.
//!
//! ```text
//! plae align --source TH.txt --target EN.txt   # no database: one bead per line
//! plae align --chapter N FILE                  # against chapter N in the database
//! ```
//!
//! Both files have one paragraph per blank-line-separated block. Without a database a
//! bead is `thai-indices<TAB>english-indices<TAB>score` (0-based, comma-separated, either
//! side possibly empty); against a chapter each bead also shows the beginning of its Thai
//! and English. Nothing is stored.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use super::{align_with, read_english};
use crate::align::{self, Bead, Unit};
use crate::config::Settings;
use crate::db;
use crate::startup::{self, Database};
use crate::text::normalize::{decode_utf8, normalize};

#[derive(Debug, Args)]
pub struct AlignArgs {
    /// The Thai: one segment per blank-line-separated block (no database).
    #[arg(long, requires = "target", conflicts_with = "chapter")]
    source: Option<PathBuf>,
    /// The English to align with --source.
    #[arg(long, requires = "source")]
    target: Option<PathBuf>,
    /// The chapter (by number) whose segments FILE is aligned with.
    #[arg(long, requires = "file")]
    chapter: Option<i32>,
    /// The English to align with --chapter.
    file: Option<PathBuf>,
}

impl AlignArgs {
    /// Whether the command needs the database.
    pub fn needs_database(&self) -> bool {
        self.chapter.is_some()
    }
}

/// The largest file `plae align` reads.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

fn read(path: &Path) -> anyhow::Result<String> {
    let name = path.display();
    let size = std::fs::metadata(path)
        .with_context(|| format!("{name}: cannot read it"))?
        .len();
    anyhow::ensure!(
        size <= MAX_BYTES,
        "{name}: {size} bytes is over the limit of {MAX_BYTES}"
    );
    let bytes = std::fs::read(path).with_context(|| format!("{name}: cannot read it"))?;
    let text = decode_utf8(&bytes).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    Ok(normalize(text))
}

/// `--source TH --target EN`: the beads, one per line.
pub fn run_offline(args: &AlignArgs) -> anyhow::Result<()> {
    let (Some(source), Some(target)) = (&args.source, &args.target) else {
        anyhow::bail!("give --source TH.txt --target EN.txt, or --chapter N FILE");
    };
    let thai = read(source)?;
    let english = read(target)?;
    let th: Vec<Unit> = align::blocks(&thai)
        .into_iter()
        .map(Unit::thai_guessed)
        .collect();
    let en: Vec<Unit> = align::blocks(&english)
        .into_iter()
        .map(Unit::english)
        .collect();
    anyhow::ensure!(!th.is_empty(), "{}: no paragraph", source.display());
    anyhow::ensure!(!en.is_empty(), "{}: no paragraph", target.display());
    for bead in align::align(&th, &en) {
        println!("{}", bead.line());
    }
    Ok(())
}

/// `--chapter N FILE`: the beads with a preview of each side.
pub async fn run_chapter(settings: Settings, args: AlignArgs) -> anyhow::Result<()> {
    let (Some(number), Some(file)) = (args.chapter, &args.file) else {
        anyhow::bail!("give --chapter N FILE");
    };
    let bytes =
        std::fs::read(file).with_context(|| format!("{}: cannot read it", file.display()))?;
    let database = Database::open(&settings).await?;
    let loaded = async {
        startup::migrate(&database.pool).await?;
        let mut conn = database.pool.acquire().await?;
        let chapters = db::alignments::chapters_numbered(&mut conn, number).await?;
        let [chapter] = chapters[..] else {
            anyhow::bail!("there are {} chapters numbered {number}", chapters.len());
        };
        Ok(db::segments::list_chapter_segments(&mut conn, chapter).await?)
    }
    .await;
    database.close().await?;
    let segments = loaded?;
    let paragraphs = read_english(&bytes, segments.len())
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let pairs: Vec<(&str, &str)> = segments
        .iter()
        .map(|s| (s.kind.as_str(), s.source_th.as_str()))
        .collect();
    for bead in align_with(&pairs, &paragraphs) {
        println!("{}", preview(&bead, &pairs, &paragraphs));
    }
    Ok(())
}

fn preview(bead: &Bead, thai: &[(&str, &str)], english: &[String]) -> String {
    let start = |text: &str, n: usize| -> String {
        let cut: String = text.chars().take(n).collect();
        if cut.len() < text.len() {
            format!("{cut}…")
        } else {
            cut
        }
    };
    let th: Vec<String> = bead.th.iter().map(|&i| start(thai[i].1, 30)).collect();
    let en: Vec<String> = bead.en.iter().map(|&j| start(&english[j], 50)).collect();
    format!("{}\t{} | {}", bead.line(), th.join(" + "), en.join(" + "))
}
