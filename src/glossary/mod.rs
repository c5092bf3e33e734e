//! The glossary: Thai terms with their English rendering, a note and a status (proposed or
//! approved). Pure functions: validating a term, finding terms in a Thai text, reading and
//! writing CSV and TBX (`csv`, `tbx`), and mining candidates from the book (`mining`). The
//! table is `glossary_terms` (`db::glossary`); the pages are `web::glossary`.

pub mod csv;
pub mod mining;
pub mod tbx;

use crate::text::normalize::normalize_inline;

/// The longest Thai form or English rendering, in characters (the database says the same).
pub const MAX_TERM_CHARS: usize = 200;
/// The longest note.
pub const MAX_NOTE_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermStatus {
    /// Suggested: shown with the segment, not enforced.
    Proposed,
    /// Decided by a reviewer: the check warns when a translation does not use it.
    Approved,
}

impl TermStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TermStatus::Proposed => "proposed",
            TermStatus::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<TermStatus> {
        match s.trim().to_lowercase().as_str() {
            "proposed" => Some(TermStatus::Proposed),
            "approved" => Some(TermStatus::Approved),
            _ => None,
        }
    }
}

/// A term as typed or imported, checked and normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTerm {
    pub thai: String,
    pub english: String,
    pub note: String,
    pub status: TermStatus,
}

impl NewTerm {
    /// Normalizes the fields (`normalize_inline`: NFC, Thai repairs, one line, single
    /// spaces) and refuses a term without Thai or English, one with no Thai letter in its
    /// Thai, or fields over the limits. The message names the field.
    pub fn parse(
        thai: &str,
        english: &str,
        note: &str,
        status: TermStatus,
    ) -> Result<NewTerm, String> {
        let thai = normalize_inline(thai);
        let english = normalize_inline(english);
        let note = normalize_inline(note);
        if thai.is_empty() {
            return Err("the Thai term is empty".into());
        }
        if !thai.chars().any(|c| ('\u{0E01}'..='\u{0E4E}').contains(&c)) {
            return Err(format!("the Thai term “{thai}” has no Thai letter"));
        }
        if english.is_empty() {
            return Err(format!("the English for “{thai}” is empty"));
        }
        for (what, value, max) in [
            ("Thai term", &thai, MAX_TERM_CHARS),
            ("English", &english, MAX_TERM_CHARS),
            ("note", &note, MAX_NOTE_CHARS),
        ] {
            let n = value.chars().count();
            if n > max {
                return Err(format!(
                    "the {what} is {n} characters long; the limit is {max}"
                ));
            }
        }
        Ok(NewTerm {
            thai,
            english,
            note,
            status,
        })
    }

    /// What matching compares and what makes a term unique with its English.
    pub fn thai_key(&self) -> String {
        thai_key(&self.thai)
    }
}

/// The Thai of a term as matching compares it: normalized like segment text.
pub fn thai_key(thai: &str) -> String {
    normalize_inline(thai)
}

/// Where a term occurs in a text: byte offsets, and which term (its index in the list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub start: usize,
    pub end: usize,
    pub term: usize,
}

/// The occurrences of `terms` (their normalized Thai) in `text`, in order, without
/// overlaps: where two terms overlap, the longer wins (`นารวม` inside `ระบบนารวม` loses
/// to the longer term when both are in the glossary). `text` is segment text, normalized
/// at import like the terms.
pub fn find_terms<S: AsRef<str>>(text: &str, terms: &[S]) -> Vec<Occurrence> {
    let mut all: Vec<Occurrence> = Vec::new();
    for (index, term) in terms.iter().enumerate() {
        let term = term.as_ref();
        if term.is_empty() {
            continue;
        }
        for (start, found) in text.match_indices(term) {
            all.push(Occurrence {
                start,
                end: start + found.len(),
                term: index,
            });
        }
    }
    // Longest first, then leftmost; keep those that overlap nothing kept.
    all.sort_by_key(|o| (std::cmp::Reverse(o.end - o.start), o.start));
    let mut kept: Vec<Occurrence> = Vec::new();
    for o in all {
        if kept.iter().all(|k| o.end <= k.start || o.start >= k.end) {
            kept.push(o);
        }
    }
    kept.sort_by_key(|o| o.start);
    kept
}

/// A bad line or entry of an imported file: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{where_}: {message}")]
pub struct ImportError {
    /// `line 4`, `entry 2 (line 17)`, or `the file`.
    pub where_: String,
    pub message: String,
}

impl ImportError {
    pub fn file(message: impl Into<String>) -> ImportError {
        ImportError {
            where_: "the file".into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_is_normalized_and_checked_field_by_field() {
        let term = NewTerm::parse(" โกสแปลน ", "Gosplan\n", "", TermStatus::Approved).unwrap();
        assert_eq!(term.thai, "โกสแปลน");
        assert_eq!(term.english, "Gosplan");
        let err = |t: &str, e: &str| NewTerm::parse(t, e, "", TermStatus::Proposed).unwrap_err();
        assert_eq!(err("", "Gosplan"), "the Thai term is empty");
        assert!(err("Gosplan", "Gosplan").contains("no Thai letter"));
        assert!(err("โกสแปลน", "  ").contains("English for “โกสแปลน” is empty"));
        assert!(err(&"ก".repeat(201), "x").contains("limit is 200"));
    }

    #[test]
    fn decomposed_sara_am_in_a_term_matches_the_normalized_text() {
        // The segments' Thai was normalized at import; a term typed with NIKHAHIT + SARA AA
        // must still be found.
        let term = NewTerm::parse("นํา", "lead", "", TermStatus::Approved).unwrap();
        assert_eq!(term.thai, "นำ");
        assert_eq!(find_terms("ผู้นำพรรค", &[term.thai]).len(), 1);
    }

    #[test]
    fn overlapping_terms_keep_the_longest() {
        let text = "เลือกระบบนารัฐ และนารวม";
        let terms = ["นารัฐ", "ระบบนารัฐ", "นารวม"];
        let found = find_terms(text, &terms);
        let names: Vec<&str> = found.iter().map(|o| &text[o.start..o.end]).collect();
        assert_eq!(names, ["ระบบนารัฐ", "นารวม"]);
    }

    #[test]
    fn statuses_read_as_written_in_any_case() {
        assert_eq!(TermStatus::parse("Approved"), Some(TermStatus::Approved));
        assert_eq!(TermStatus::parse(" proposed"), Some(TermStatus::Proposed));
        assert_eq!(TermStatus::parse("maybe"), None);
    }
}
