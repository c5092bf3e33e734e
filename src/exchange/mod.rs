//! Exchange files coming back in: XLIFF from a CAT tool, TMX into the translation memory.
//! (Writing them is `export::xliff` and `export::tmx`.)
//!
//! Reading is pure and safe with any bytes ([`xml`]: no DTD, no entity, no network, size
//! limited by the caller to [`MAX_FILE_BYTES`]); [`xliff`] and [`tmx`] turn the element tree
//! into plain data and check the version and the language pair. [`import`] applies it in
//! one transaction: XLIFF targets become revisions through `workflow` (so the review rules
//! apply), TMX pairs become `tm_units` rows. Bad input changes nothing. [`command`] is
//! `plae import-xliff` and `plae import-tmx`.

pub mod command;
pub mod import;
pub mod tmx;
pub mod xliff;
pub mod xml;

pub use import::{import_tmx, import_xliff, ImportReport, TmImportReport};

use crate::workflow::WorkflowError;

/// The largest exchange file Plae reads: a whole book as XLIFF is a few MB.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

/// Why an exchange file was not imported. The messages are for the person who gave the
/// file; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error(
        "the file is {0} bytes; the limit is {limit} bytes (50 MiB)",
        limit = MAX_FILE_BYTES
    )]
    TooLarge(usize),
    #[error("the file is empty")]
    Empty,
    #[error("{0}")]
    Xml(#[from] xml::XmlError),
    /// Well-formed XML, but not the format asked for (`<html>` given as XLIFF).
    #[error("{0}")]
    WrongFormat(String),
    #[error("{0}")]
    UnsupportedVersion(String),
    #[error("{0}")]
    WrongLanguages(String),
    /// The format's rules are broken (a unit without an id, the same id twice…).
    #[error("{0}")]
    Invalid(String),
    /// Nothing in the file belongs to this book (or holds a pair).
    #[error("{0}")]
    NothingToImport(String),
    /// A unit's text is refused by the workflow (too long…): the unit is named.
    #[error("unit {unit}: {error}")]
    Unit { unit: String, error: WorkflowError },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// The checks every exchange file gets before it is parsed.
fn check_size(bytes: &[u8]) -> Result<(), ExchangeError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ExchangeError::TooLarge(bytes.len()));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExchangeError::Empty);
    }
    Ok(())
}

/// A file name as it is recorded (in a revision's note, a memory unit's origin): its last
/// path component, without control characters, at most 200 characters.
pub fn display_name(file_name: &str) -> String {
    let base = file_name
        .rsplit(['/', '\\'])
        .find(|part| !part.trim().is_empty())
        .unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    match clean.trim() {
        "" => "an unnamed file".into(),
        name => name.into(),
    }
}

/// The primary language of a tag: `th-TH` → `th`.
fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Text read with XML's default white-space handling: runs of white space are one space,
/// none at either end. With `xml:space="preserve"` the text is kept as it is.
fn apply_space(text: String, preserve: bool) -> String {
    if preserve {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for word in text
        .split([' ', '\t', '\n', '\r'])
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_file_name_is_its_last_component_without_controls() {
        assert_eq!(display_name("/tmp/x/chapter-4.xlf"), "chapter-4.xlf");
        assert_eq!(display_name("C:\\work\\บท 4.xlf"), "บท 4.xlf");
        assert_eq!(display_name("a\u{7}b\n.tmx"), "ab.tmx");
        assert_eq!(display_name("dir/"), "dir");
        assert_eq!(display_name(""), "an unnamed file");
        assert_eq!(display_name(&"x".repeat(300)).len(), 200);
    }

    #[test]
    fn languages_are_compared_by_their_primary_subtag() {
        assert_eq!(primary_language("th-TH"), "th");
        assert_eq!(primary_language("EN_us"), "en");
        assert_eq!(primary_language("*all*"), "*all*");
    }

    #[test]
    fn default_white_space_is_collapsed_and_preserved_white_space_kept() {
        assert_eq!(apply_space("\n   a  b\n c \n".into(), false), "a b c");
        assert_eq!(apply_space(" a\n b ".into(), true), " a\n b ");
        // Thai has no spaces between words: nothing is added.
        assert_eq!(apply_space("กขค ง".into(), false), "กขค ง");
    }

    #[test]
    fn empty_and_huge_files_are_refused_before_parsing() {
        assert!(matches!(check_size(b"  \n"), Err(ExchangeError::Empty)));
        let huge = vec![b' '; MAX_FILE_BYTES + 1];
        assert!(matches!(check_size(&huge), Err(ExchangeError::TooLarge(_))));
        assert!(check_size(b"<x/>").is_ok());
    }
}
