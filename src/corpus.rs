//! The book on disk: `corpus/` holds the chapter files exactly as received, and `book.toml`
//! says which book they make and which file is which chapter.
//!
//! Only `book.toml` names the files; no code knows them. A fresh install imports the corpus
//! on first start (see `startup`), and `plae import` uses the same metadata for a file it
//! names.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The metadata file inside the corpus directory.
pub const METADATA_FILE: &str = "book.toml";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookMeta {
    pub slug: String,
    pub title_th: String,
    pub title_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChapterMeta {
    /// File name inside the corpus directory.
    pub file: String,
    /// The chapter's number in the book, as printed (`บทที่ 4`): its identity.
    pub number: i32,
    pub title_th: String,
    pub title_en: Option<String>,
}

/// A loaded corpus: chapters sorted by number, which is reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corpus {
    pub dir: PathBuf,
    pub book: BookMeta,
    pub chapters: Vec<ChapterMeta>,
}

/// Messages are complete in themselves (no `source()`), like `ImportError`'s.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read the book metadata {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("the book metadata {path} is not valid TOML for a book: {error}")]
    Parse {
        path: PathBuf,
        error: toml::de::Error,
    },
    #[error("the book metadata {path} is wrong: {problem}")]
    Invalid { path: PathBuf, problem: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetadataFile {
    book: BookMeta,
    chapters: Vec<ChapterMeta>,
}

/// Where the corpus is: `PLAE_CORPUS_DIR` if set, else `corpus/` in the current directory
/// if it holds a `book.toml`, else the `corpus/` of this source tree (so tests and
/// `cargo run` work from any directory).
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PLAE_CORPUS_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let here = PathBuf::from("corpus");
    if here.join(METADATA_FILE).is_file() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

impl Corpus {
    /// Reads and checks `dir/book.toml`. The chapter files themselves are read by the import.
    pub fn load(dir: &Path) -> Result<Corpus, CorpusError> {
        let path = dir.join(METADATA_FILE);
        let text = std::fs::read_to_string(&path).map_err(|error| CorpusError::Read {
            path: path.clone(),
            error,
        })?;
        Corpus::from_toml(dir, &text).map_err(|e| match e {
            Fail::Parse(error) => CorpusError::Parse { path, error },
            Fail::Invalid(problem) => CorpusError::Invalid { path, problem },
        })
    }

    fn from_toml(dir: &Path, text: &str) -> Result<Corpus, Fail> {
        let meta: MetadataFile = toml::from_str(text).map_err(Fail::Parse)?;
        check(&meta).map_err(Fail::Invalid)?;
        let mut chapters = meta.chapters;
        chapters.sort_by_key(|c| c.number);
        Ok(Corpus {
            dir: dir.to_path_buf(),
            book: meta.book,
            chapters,
        })
    }

    /// The metadata for a file with this name, if the corpus lists it.
    pub fn chapter_for_file(&self, file_name: &str) -> Option<&ChapterMeta> {
        self.chapters.iter().find(|c| c.file == file_name)
    }

    /// The chapter files, in reading order.
    pub fn chapter_paths(&self) -> Vec<PathBuf> {
        self.chapters
            .iter()
            .map(|c| self.dir.join(&c.file))
            .collect()
    }
}

enum Fail {
    Parse(toml::de::Error),
    Invalid(String),
}

/// The invariants the database would otherwise reject later, with a less helpful message.
fn check(meta: &MetadataFile) -> Result<(), String> {
    let book = &meta.book;
    let slug_ok = !book.slug.is_empty()
        && book.slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if !slug_ok {
        return Err(format!(
            "book slug `{}` must be lowercase letters and digits joined by single hyphens",
            book.slug
        ));
    }
    if book.title_th.trim().is_empty() || book.title_en.trim().is_empty() {
        return Err("the book needs a title_th and a title_en".into());
    }
    if meta.chapters.is_empty() {
        return Err("no [[chapters]] listed".into());
    }
    let mut numbers = HashSet::new();
    let mut files = HashSet::new();
    for chapter in &meta.chapters {
        let plain_name = !chapter.file.is_empty()
            && !chapter.file.contains(['/', '\\'])
            && chapter.file != "."
            && chapter.file != "..";
        if !plain_name {
            return Err(format!(
                "chapter file `{}` must be a file name inside the corpus directory",
                chapter.file
            ));
        }
        if chapter.number <= 0 {
            return Err(format!(
                "{}: chapter number must be 1 or more",
                chapter.file
            ));
        }
        if chapter.title_th.trim().is_empty() {
            return Err(format!("{}: title_th is empty", chapter.file));
        }
        if chapter
            .title_en
            .as_deref()
            .is_some_and(|t| t.trim().is_empty())
        {
            return Err(format!(
                "{}: title_en is empty (leave it out instead)",
                chapter.file
            ));
        }
        if !numbers.insert(chapter.number) {
            return Err(format!("chapter {} is listed twice", chapter.number));
        }
        if !files.insert(chapter.file.as_str()) {
            return Err(format!("file {} is listed twice", chapter.file));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Corpus, String> {
        Corpus::from_toml(Path::new("c"), text).map_err(|e| match e {
            Fail::Parse(e) => e.to_string(),
            Fail::Invalid(p) => p,
        })
    }

    const BOOK: &str = "[book]\nslug = \"b\"\ntitle_th = \"ก\"\ntitle_en = \"B\"\n";

    #[test]
    fn the_shipped_corpus_lists_its_chapters_in_number_order() {
        let corpus = Corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")).unwrap();
        assert_eq!(corpus.book.slug, "soviet-history");
        let numbers: Vec<i32> = corpus.chapters.iter().map(|c| c.number).collect();
        assert_eq!(numbers, [3, 4]);
        for path in corpus.chapter_paths() {
            assert!(path.is_file(), "{} is missing", path.display());
        }
    }

    #[test]
    fn chapters_are_sorted_by_number_not_by_listing_order() {
        let corpus = parse(&format!(
            "{BOOK}[[chapters]]\nfile = \"a\"\nnumber = 9\ntitle_th = \"ก\"\n\
             [[chapters]]\nfile = \"b\"\nnumber = 2\ntitle_th = \"ข\"\n"
        ))
        .unwrap();
        assert_eq!(corpus.chapters[0].file, "b");
        assert_eq!(corpus.chapter_for_file("a").map(|c| c.number), Some(9));
        assert_eq!(corpus.chapter_paths()[1], Path::new("c").join("a"));
    }

    #[test]
    fn a_chapter_number_listed_twice_is_refused() {
        let err = parse(&format!(
            "{BOOK}[[chapters]]\nfile = \"a\"\nnumber = 2\ntitle_th = \"ก\"\n\
             [[chapters]]\nfile = \"b\"\nnumber = 2\ntitle_th = \"ข\"\n"
        ))
        .unwrap_err();
        assert!(err.contains("chapter 2 is listed twice"), "{err}");
    }

    #[test]
    fn a_file_outside_the_corpus_directory_is_refused() {
        let err = parse(&format!(
            "{BOOK}[[chapters]]\nfile = \"../x\"\nnumber = 1\ntitle_th = \"ก\"\n"
        ))
        .unwrap_err();
        assert!(err.contains("inside the corpus directory"), "{err}");
    }

    #[test]
    fn a_bad_slug_and_unknown_keys_are_refused() {
        let bad_slug = BOOK.replace("\"b\"", "\"Soviet History\"");
        let err = parse(&format!(
            "{bad_slug}[[chapters]]\nfile=\"a\"\nnumber=1\ntitle_th=\"ก\"\n"
        ))
        .unwrap_err();
        assert!(err.contains("slug"), "{err}");
        let err = parse(&format!(
            "{BOOK}[[chapters]]\nfile=\"a\"\nnumber=1\ntitle_th=\"ก\"\ntitel_en=\"x\"\n"
        ))
        .unwrap_err();
        assert!(err.contains("titel_en"), "{err}");
    }
}
