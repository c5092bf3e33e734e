//! Checks of the Thai source alone: what the OCR got wrong and an editor should correct.

use super::extract::{is_latin_letter, is_thai};
use super::Finding;

/// Every finding about the Thai of a segment.
pub fn check_source(thai: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(other_scripts(thai));
    findings.extend(latin_glued(thai));
    findings.extend(ocr_confusions(thai));
    findings
}

/// The script of a letter that is neither Thai nor Latin, by its Unicode block.
fn other_script(c: char) -> Option<&'static str> {
    if is_thai(c) || is_latin_letter(c) || !c.is_alphabetic() {
        return None;
    }
    Some(match c as u32 {
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => "Hebrew",
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => "Arabic",
        0x0980..=0x09FF => "Bengali",
        0x0900..=0x097F => "Devanagari",
        0x0E80..=0x0EFF => "Lao",
        0x1780..=0x17FF => "Khmer",
        0x0400..=0x04FF => "Cyrillic",
        0x0370..=0x03FF => "Greek",
        _ => "other-script",
    })
}

/// The word (text between spaces) around the byte range `start..end`.
fn word_around(text: &str, start: usize, end: usize) -> &str {
    let from = text[..start]
        .rfind(char::is_whitespace)
        .map_or(0, |i| i + 1);
    let to = text[end..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| end + i);
    text[from..to].trim_matches(|c: char| c.is_ascii_punctuation() || "“”‘’".contains(c))
}

/// Runs of letters of another script, with the word they sit in: `คีروف` is Thai with two
/// Arabic letters in the middle, the OCR's reading of Thai letters it did not know.
fn other_scripts(thai: &str) -> Option<Finding> {
    let mut found: Vec<String> = Vec::new();
    let mut run: Option<(usize, &'static str)> = None;
    let flush = |start: usize, end: usize, script: &str, found: &mut Vec<String>| {
        let word = word_around(thai, start, end);
        let inside_thai = word.chars().any(is_thai);
        let letters = &thai[start..end];
        let note = match inside_thai {
            true => format!("“{word}” has {script} letters “{letters}” inside a Thai word"),
            false => format!("“{word}” is in {script} letters"),
        };
        if !found.contains(&note) {
            found.push(note);
        }
    };
    for (at, c) in thai.char_indices() {
        match (other_script(c), run) {
            (Some(script), None) => run = Some((at, script)),
            (Some(script), Some((_, current))) if script == current => {}
            (Some(script), Some((start, current))) => {
                flush(start, at, current, &mut found);
                run = Some((at, script));
            }
            // Combining marks of the foreign script belong to its run.
            (None, Some(_)) if is_mark(c) && !is_thai(c) => {}
            (None, Some((start, current))) => {
                flush(start, at, current, &mut found);
                run = None;
            }
            (None, None) => {}
        }
    }
    if let Some((start, current)) = run {
        flush(start, thai.len(), current, &mut found);
    }
    (!found.is_empty()).then(|| {
        Finding::warning(
            "source.other_script",
            format!(
                "Letters of another script in the Thai (OCR noise?): {}.",
                found.join("; ")
            ),
        )
    })
}

fn is_mark(c: char) -> bool {
    use unicode_normalization::char::canonical_combining_class;
    canonical_combining_class(c) != 0
        || matches!(c as u32, 0x0981..=0x0983 | 0x09BE..=0x09CC | 0x09D7)
}

/// Latin letters touching Thai letters with no space or punctuation between them:
/// `ขบวนการstadalin`, where the OCR read a Thai word as Latin.
fn latin_glued(thai: &str) -> Option<Finding> {
    let mut found: Vec<String> = Vec::new();
    let mut previous: Option<(usize, char)> = None;
    for (at, c) in thai.char_indices() {
        if let Some((p_at, p)) = previous {
            let glued = (is_thai_letter(p) && is_latin_letter(c))
                || (is_latin_letter(p) && is_thai_letter(c));
            if glued {
                let word = word_around(thai, p_at, at + c.len_utf8()).to_string();
                if !found.contains(&word) {
                    found.push(word);
                }
            }
        }
        previous = Some((at, c));
    }
    (!found.is_empty()).then(|| {
        let shown: Vec<String> = found.iter().map(|w| format!("“{w}”")).collect();
        Finding::warning(
            "source.latin_glued",
            format!(
                "Latin letters glued to a Thai word (an OCR misreading, or a missing space): {}.",
                shown.join(", ")
            ),
        )
    })
}

/// A Thai letter or vowel (not a digit or a sign such as `ๆ`).
fn is_thai_letter(c: char) -> bool {
    ('\u{0E01}'..='\u{0E4E}').contains(&c)
}

/// Thai marks written above or below a consonant: they cannot start a word.
fn is_thai_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

/// Known OCR confusions of Thai print.
fn ocr_confusions(thai: &str) -> Option<Finding> {
    let mut found: Vec<String> = Vec::new();
    let count = |pattern: &str| thai.matches(pattern).count();
    let n = count("เเ");
    if n > 0 {
        found.push(format!(
            "“เเ” (two sara e) where “แ” (sara ae) is meant, {n}×"
        ));
    }
    let n = count("\u{0E4D}\u{0E32}");
    if n > 0 {
        found.push(format!(
            "“ํา” (nikhahit and sara aa) where “ำ” (sara am) is meant, {n}×"
        ));
    }
    for (obsolete, meant) in [('ฃ', 'ข'), ('ฅ', 'ค')] {
        let n = thai.matches(obsolete).count();
        if n > 0 {
            found.push(format!(
                "the obsolete letter “{obsolete}”, probably “{meant}”, {n}×"
            ));
        }
    }
    let mut previous: Option<char> = None;
    let (mut stray, mut doubled) = (0, 0);
    for c in thai.chars() {
        if is_thai_mark(c) {
            match previous {
                Some(p) if p == c => doubled += 1,
                Some(p) if is_thai(p) => {}
                _ => stray += 1,
            }
        }
        previous = Some(c);
    }
    if stray > 0 {
        found.push(format!(
            "a vowel or tone mark with no letter under it, {stray}×"
        ));
    }
    if doubled > 0 {
        found.push(format!("the same mark twice in a row, {doubled}×"));
    }
    let chars: Vec<char> = thai.chars().collect();
    let letter_in_number = chars.windows(3).any(|w| {
        w[0].is_ascii_digit() && matches!(w[1], 'O' | 'o' | 'l' | 'I') && w[2].is_ascii_digit()
    });
    if letter_in_number {
        found.push("a letter O, o, l or I between digits, probably 0 or 1".to_string());
    }
    (!found.is_empty()).then(|| {
        Finding::warning(
            "source.ocr",
            format!("Likely OCR mistakes in the Thai: {}.", found.join("; ")),
        )
    })
}
