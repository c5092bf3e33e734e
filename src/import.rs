//! Importing chapter files: the text pipeline, then one transaction into the database.
//!
//! Per file: bytes → size and emptiness checks → UTF-8 decoding → normalization →
//! segmentation → content checks (`prepare`, pure). Then all files are written in one
//! transaction: any error rolls everything back, so an import changes all it was given or
//! nothing. A chapter is identified by its number in the book; re-importing an unchanged
//! file writes nothing, a changed one is aligned with the stored segments so translation
//! work stays attached (`diff`, `plan`).

mod diff;
mod plan;
mod prepare;

use std::fmt;
use std::path::{Path, PathBuf};

use sqlx::{PgConnection, PgPool};
use tokio::io::AsyncReadExt;
use uuid::Uuid;

use crate::corpus::{BookMeta, Corpus, CorpusError};
use crate::db::{self, chapters::ChapterSource};
use crate::text::normalize::DecodeError;

pub use diff::{align, Step};
pub use plan::{plan, Counts, Plan};
pub use prepare::{parse_chapter_heading, prepare, Known, PreparedChapter, MAX_FILE_BYTES};

/// Everything that stops an import. Each message names the file and what is wrong with it,
/// and is complete in itself (the underlying error is part of the message, not a `source()`,
/// so that printing the chain does not say it twice).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cannot read it: {error}")]
    Read { file: String, error: std::io::Error },
    #[error("{file}: the file is empty")]
    Empty { file: String },
    #[error("{file}: the file is {size} bytes; the limit for a chapter is {limit} bytes (10 MiB)", limit = MAX_FILE_BYTES)]
    TooLarge { file: String, size: u64 },
    #[error("{file}: {error}")]
    Encoding { file: String, error: DecodeError },
    #[error("{file}: no Thai text in it (no character in U+0E00–U+0E7F); is this the right file?")]
    NoThai { file: String },
    #[error("{file}: no chapter title and no paragraph found in it")]
    NoContent { file: String },
    #[error(
        "{file}: cannot tell which chapter this is: book.toml does not list it and its title \
         has no `บทที่ N`; pass --chapter N"
    )]
    UnknownChapter { file: String },
    #[error("{file}: chapter number {number} is not valid; chapters are numbered from 1")]
    BadChapterNumber { file: String, number: i32 },
    #[error(
        "{file}: book.toml lists it as chapter {listed}, but its title says บทที่ {in_title}; \
         fix book.toml (or pass --chapter N to override)"
    )]
    ChapterMismatch {
        file: String,
        listed: i32,
        in_title: i32,
    },
    #[error("{second}: this is chapter {number}, and so is {first}; import one file per chapter")]
    SameChapterTwice {
        number: i32,
        first: String,
        second: String,
    },
    #[error("--chapter N names the chapter of one file, but {count} files were given")]
    ChapterFlagNeedsOneFile { count: usize },
    #[error("no files to import")]
    NothingToImport,
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    #[error("database error while {doing}: {error}")]
    Database { doing: String, error: sqlx::Error },
}

fn database(doing: impl Into<String>) -> impl FnOnce(sqlx::Error) -> ImportError {
    let doing = doing.into();
    move |error| ImportError::Database { doing, error }
}

/// What an import did, file by file, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub book: String,
    pub files: Vec<FileReport>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    pub file: String,
    pub chapter: i32,
    pub outcome: Outcome,
    pub counts: Counts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A chapter the book did not have.
    New,
    /// The text changed; segments were aligned.
    Updated,
    /// Same text as last time: nothing was written.
    Unchanged,
}

impl fmt::Display for FileReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.counts;
        write!(f, "{}: chapter {}: ", self.file, self.chapter)?;
        match self.outcome {
            Outcome::New => write!(f, "new, {} segments inserted", c.inserted),
            Outcome::Unchanged => write!(f, "unchanged ({} segments)", c.unchanged),
            Outcome::Updated => {
                write!(
                    f,
                    "updated: {} inserted, {} updated ({} marked for review), {} unchanged, \
                     {} retired, {} deleted",
                    c.inserted, c.updated, c.marked_for_review, c.unchanged, c.retired, c.deleted
                )?;
                match c.kept_corrections {
                    0 => Ok(()),
                    n => write!(f, "; {n} corrected segments kept their correction"),
                }
            }
        }
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "book {}:", self.book)?;
        for file in &self.files {
            writeln!(f, "  {file}")?;
        }
        Ok(())
    }
}

/// `plae import FILE...`: the files into the corpus's book. A file that `book.toml` lists
/// (by file name) takes its number and titles from there.
pub async fn import_files(
    pool: &PgPool,
    corpus: &Corpus,
    paths: &[PathBuf],
    chapter_flag: Option<i32>,
) -> Result<ImportReport, ImportError> {
    if chapter_flag.is_some() && paths.len() != 1 {
        return Err(ImportError::ChapterFlagNeedsOneFile { count: paths.len() });
    }
    let chapters = read_and_prepare(corpus, paths, chapter_flag).await?;
    in_one_transaction(pool, &corpus.book, &chapters).await
}

/// Every chapter `book.toml` lists.
pub async fn import_corpus(pool: &PgPool, corpus: &Corpus) -> Result<ImportReport, ImportError> {
    let chapters = read_and_prepare(corpus, &corpus.chapter_paths(), None).await?;
    in_one_transaction(pool, &corpus.book, &chapters).await
}

/// First start: imports the corpus unless the database already holds a book. Two
/// instances starting together import it once (the second waits, then sees the book).
pub async fn import_corpus_if_empty(
    pool: &PgPool,
    corpus: &Corpus,
) -> Result<Option<ImportReport>, ImportError> {
    let mut tx = pool
        .begin()
        .await
        .map_err(database("starting the import"))?;
    db::lock_for_import(&mut tx)
        .await
        .map_err(database("waiting for another import"))?;
    if db::books::database_holds_a_book(&mut tx)
        .await
        .map_err(database("looking for books"))?
    {
        return Ok(None);
    }
    let chapters = read_and_prepare(corpus, &corpus.chapter_paths(), None).await?;
    let report = write_chapters(&mut tx, &corpus.book, &chapters).await?;
    tx.commit()
        .await
        .map_err(database("committing the import"))?;
    Ok(Some(report))
}

/// Reads and prepares every file before the database is touched, so a bad file is found
/// before anything is written.
pub async fn read_and_prepare(
    corpus: &Corpus,
    paths: &[PathBuf],
    chapter_flag: Option<i32>,
) -> Result<Vec<PreparedChapter>, ImportError> {
    if paths.is_empty() {
        return Err(ImportError::NothingToImport);
    }
    let mut chapters: Vec<PreparedChapter> = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes = read_file(path).await?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let known = Known {
            meta: corpus.chapter_for_file(&name),
            chapter_flag,
        };
        let chapter = prepare(&name, &bytes, known)?;
        if let Some(first) = chapters.iter().find(|c| c.number == chapter.number) {
            return Err(ImportError::SameChapterTwice {
                number: chapter.number,
                first: first.source_name.clone(),
                second: chapter.source_name,
            });
        }
        chapters.push(chapter);
    }
    Ok(chapters)
}

/// Reads a file, refusing one over the size limit without reading it all.
async fn read_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    let file = || path.display().to_string();
    let read_err = |error| ImportError::Read {
        file: file(),
        error,
    };
    let handle = tokio::fs::File::open(path).await.map_err(read_err)?;
    let size = handle.metadata().await.map_err(read_err)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { file: file(), size });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take`: the file may grow while we read it.
    handle
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .await
        .map_err(read_err)?;
    Ok(bytes)
}

async fn in_one_transaction(
    pool: &PgPool,
    book: &BookMeta,
    chapters: &[PreparedChapter],
) -> Result<ImportReport, ImportError> {
    let mut tx = pool
        .begin()
        .await
        .map_err(database("starting the import"))?;
    db::lock_for_import(&mut tx)
        .await
        .map_err(database("waiting for another import"))?;
    let report = write_chapters(&mut tx, book, chapters).await?;
    tx.commit()
        .await
        .map_err(database("committing the import"))?;
    Ok(report)
}

/// Writes prepared chapters into `book` on the caller's connection, which should be in a
/// transaction (and hold `db::lock_for_import`).
pub async fn write_chapters(
    conn: &mut PgConnection,
    book: &BookMeta,
    chapters: &[PreparedChapter],
) -> Result<ImportReport, ImportError> {
    let stored_book = db::books::upsert_book(conn, &book.slug, &book.title_th, &book.title_en)
        .await
        .map_err(database(format!("saving book {}", book.slug)))?;
    let mut files = Vec::with_capacity(chapters.len());
    for chapter in chapters {
        let doing = format!(
            "importing {} as chapter {}",
            chapter.source_name, chapter.number
        );
        let report = write_chapter(conn, stored_book.id, chapter)
            .await
            .map_err(database(doing))?;
        files.push(report);
    }
    db::chapters::renumber_chapters(conn, stored_book.id)
        .await
        .map_err(database("ordering the chapters"))?;
    // The search index's Thai words, which only Plae can break (migration 0011).
    db::search::fill_words(conn)
        .await
        .map_err(database("indexing the Thai words for search"))?;
    Ok(ImportReport {
        book: stored_book.slug,
        files,
    })
}

async fn write_chapter(
    conn: &mut PgConnection,
    book_id: Uuid,
    chapter: &PreparedChapter,
) -> Result<FileReport, sqlx::Error> {
    use db::{chapters, segments};
    let report = |outcome, counts| FileReport {
        file: chapter.source_name.clone(),
        chapter: chapter.number,
        outcome,
        counts,
    };
    let source = ChapterSource {
        number: chapter.number,
        title_th: &chapter.title_th,
        title_en: chapter.title_en.as_deref(),
        source_name: &chapter.source_name,
        source_sha256: &chapter.sha256,
    };

    let Some(existing) = chapters::get_chapter_by_number(conn, book_id, chapter.number).await?
    else {
        let created = chapters::insert_chapter(conn, book_id, &source).await?;
        let stored = Vec::new();
        let plan = plan(&stored, &chapter.segments);
        segments::insert_segments(conn, created.id, &plan.inserts).await?;
        return Ok(report(Outcome::New, plan.counts));
    };

    if existing.source_sha256 == chapter.sha256 {
        if chapter.titles_from_metadata {
            chapters::update_chapter_titles(conn, existing.id, source.title_th, source.title_en)
                .await?;
        }
        let live = segments::count_live_segments(conn, existing.id).await?;
        let counts = Counts {
            unchanged: live as usize,
            ..Counts::default()
        };
        return Ok(report(Outcome::Unchanged, counts));
    }

    let stored = segments::lock_chapter_segments(conn, existing.id).await?;
    let plan = plan(&stored, &chapter.segments);
    segments::delete_segments(conn, &plan.delete).await?;
    segments::retire_segments(conn, &plan.retire).await?;
    segments::update_sources(conn, &plan.updates).await?;
    segments::update_imported(conn, &plan.imported).await?;
    segments::set_positions(conn, &plan.positions).await?;
    segments::insert_segments(conn, existing.id, &plan.inserts).await?;
    // Titles read off the text only name a new chapter; keep the ones already stored.
    let source = if chapter.titles_from_metadata {
        source
    } else {
        ChapterSource {
            title_th: &existing.title_th,
            title_en: existing.title_en.as_deref(),
            ..source
        }
    };
    chapters::update_chapter_source(conn, existing.id, &source).await?;
    Ok(report(Outcome::Updated, plan.counts))
}
