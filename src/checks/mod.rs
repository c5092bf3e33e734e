//! Quality checks: what may be wrong with a segment's English (or its OCR'd Thai), as
//! findings with an id, a severity and a message. Pure functions, no I/O: the editor page
//! and the chapter page compute them when they render, and the workflow runs them before
//! an approval (errors block it, when the setting says so).
//!
//! - [`check_target`]: the English against the Thai (numbers, footnote references, Latin
//!   names, approved glossary terms, Thai left in the English, empty or copied text,
//!   brackets and quotes, spaces, the length compared with the book's usual ratio);
//! - [`check_source`]: the Thai alone, for the OCR's mistakes (letters of other scripts
//!   inside Thai words, Latin glued to Thai, known confusions such as `เเ` for `แ`).
//!
//! `extract` finds the anchors both sides share (numbers with Thai digits and Buddhist Era
//! years, footnote references, Latin runs). It overlaps `text::anchors` of the aligner's
//! branch and could be merged with it.

mod extract;
mod source;
mod target;
#[cfg(test)]
mod tests;

pub use extract::{
    footnote_refs, is_latin_letter, is_thai, latin_runs, numbers, significant_words, words, Number,
};
pub use source::check_source;
pub use target::check_target;

use serde::Serialize;

/// How much a finding matters: errors block approval (see `db::settings`), warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One thing a check found. `id` names the check (`numbers`, `source.other_script`): a
/// dismissal is per segment and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: &'static str,
    pub severity: Severity,
    pub message: String,
}

impl Finding {
    fn error(id: &'static str, message: impl Into<String>) -> Finding {
        Finding {
            id,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    fn warning(id: &'static str, message: impl Into<String>) -> Finding {
        Finding {
            id,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    /// A check of the Thai source rather than of the English.
    pub fn is_source(&self) -> bool {
        self.id.starts_with("source.")
    }
}

/// An approved glossary term, as the glossary check needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovedTerm {
    /// Normalized like the segments' Thai (`text::normalize`).
    pub thai: String,
    /// The English rendering; alternatives separated by `;` are each accepted.
    pub english: String,
}

/// What the checks of one segment need besides its two texts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The approved glossary terms (the check keeps those found in the Thai).
    pub terms: &'a [ApprovedTerm],
    /// The book's usual length of English per Thai character (the median over segments
    /// with English), when enough segments have English to say.
    pub book_ratio: Option<f64>,
}

/// Every check id, with its severity, as the pages list them.
pub const CHECKS: &[(&str, Severity)] = &[
    ("empty", Severity::Error),
    ("same_as_source", Severity::Error),
    ("thai_in_english", Severity::Error),
    ("numbers", Severity::Error),
    ("footnotes", Severity::Error),
    ("latin_terms", Severity::Warning),
    ("glossary", Severity::Warning),
    ("brackets", Severity::Warning),
    ("spaces", Severity::Warning),
    ("length_ratio", Severity::Warning),
    ("source.other_script", Severity::Warning),
    ("source.latin_glued", Severity::Warning),
    ("source.ocr", Severity::Warning),
];

/// The severity of a check id; `None` for an id no check has.
pub fn severity_of(id: &str) -> Option<Severity> {
    CHECKS
        .iter()
        .find(|(known, _)| *known == id)
        .map(|(_, s)| *s)
}

/// The findings of a segment: the source's always, the English's when there is some.
pub fn check_segment(thai: &str, english: Option<&str>, ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = match english {
        Some(english) => check_target(thai, english, ctx),
        None => Vec::new(),
    };
    findings.extend(check_source(thai));
    findings
}

/// How many findings of each kind are open (not dismissed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    /// Of the Thai source (counted here, not among the warnings).
    pub source: usize,
}

impl Counts {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut counts = Counts::default();
        for finding in findings {
            match (finding.is_source(), finding.severity) {
                (true, _) => counts.source += 1,
                (false, Severity::Error) => counts.errors += 1,
                (false, Severity::Warning) => counts.warnings += 1,
            }
        }
        counts
    }

    pub fn add(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.source += other.source;
    }

    pub fn any(&self) -> bool {
        self.errors + self.warnings + self.source > 0
    }
}

/// The median of English/Thai length ratios, as the database computes it over the book;
/// fewer than this many segments with English say nothing about the book.
pub const MIN_SEGMENTS_FOR_RATIO: i64 = 5;
