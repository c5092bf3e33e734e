//! The anchors a translation keeps from its source: numbers (Thai digits read as digits,
//! thousands separators dropped, abbreviated ranges spelt out, Buddhist Era years known),
//! footnote references `[^N]`, and runs of Latin text (names and terms the Thai gives in
//! their original spelling).

/// A number as written in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// ASCII digits, no separators (`1,400` and `๑๔๐๐` are both `1400`); a decimal keeps
    /// its point (`2.5`).
    pub value: String,
    /// As written, for messages.
    pub written: String,
    /// Written after `พ.ศ.` (a Buddhist Era year).
    pub buddhist_era: bool,
}

impl Number {
    /// The integer value, if it is one that fits.
    pub fn integer(&self) -> Option<u64> {
        self.value.parse().ok()
    }
}

/// A digit of either script, as an ASCII digit.
fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '๐'..='๙' => char::from_digit(c as u32 - '๐' as u32, 10),
        _ => None,
    }
}

/// Every number in `text`, in order, outside footnote references. A range whose second
/// number is abbreviated (`1924-5`, `1906-75`) gives the full second year (`1925`,
/// `1975`), as an English text may write it either way.
pub fn numbers(text: &str) -> Vec<Number> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found: Vec<Number> = Vec::new();
    // Where the last number ended (for ranges).
    let mut previous_end = usize::MAX;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        // `[^30]`: a footnote reference, not a number of the text.
        if c == '[' && chars.get(i + 1).map(|p| p.1) == Some('^') {
            let mut j = i + 2;
            while j < chars.len() && digit(chars[j].1).is_some() {
                j += 1;
            }
            if j > i + 2 && chars.get(j).map(|p| p.1) == Some(']') {
                i = j + 1;
                continue;
            }
        }
        // Digits glued to letters (`U2`, `S2`) are names, not numbers.
        let after_letter = i > 0 && chars[i - 1].1.is_alphabetic() && !is_thai(chars[i - 1].1);
        if digit(c).is_none() || after_letter {
            i += 1;
            continue;
        }
        let mut value = String::new();
        let mut j = i;
        loop {
            while j < chars.len() {
                match digit(chars[j].1) {
                    Some(d) => value.push(d),
                    None => break,
                }
                j += 1;
            }
            // `1,400`: a comma followed by exactly three digits continues the number.
            let three_after = |k: usize| {
                (1..=3).all(|n| chars.get(k + n).and_then(|p| digit(p.1)).is_some())
                    && chars.get(k + 4).and_then(|p| digit(p.1)).is_none()
            };
            if chars.get(j).map(|p| p.1) == Some(',') && three_after(j) {
                j += 1;
                continue;
            }
            // `2.5`: a point between digits.
            let point = chars.get(j).map(|p| p.1) == Some('.')
                && chars.get(j + 1).and_then(|p| digit(p.1)).is_some()
                && !value.contains('.');
            if point {
                value.push('.');
                j += 1;
                continue;
            }
            break;
        }
        let end = chars.get(j).map_or(text.len(), |p| p.0);
        let before = &text[..at];
        let buddhist_era = before.trim_end().ends_with("พ.ศ.");
        let number = Number {
            value: strip_leading_zeros(&value),
            written: text[at..end].to_string(),
            buddhist_era,
        };
        // An abbreviated end of a range: `1924-5` → also 1925.
        let dash_between = matches!(&text[previous_end.min(at)..at], "-" | "–");
        if let Some(previous) = found.last().filter(|_| dash_between) {
            let short = number.value.len() < previous.value.len();
            if short && previous.value.len() == 4 && !number.value.contains('.') {
                let full = format!(
                    "{}{}",
                    &previous.value[..4 - number.value.len()],
                    number.value
                );
                // Only the full year: `1920-21` and `1920–1921` say the same.
                found.push(Number {
                    value: full,
                    written: number.written,
                    buddhist_era: previous.buddhist_era,
                });
                previous_end = end;
                i = j;
                continue;
            }
        }
        previous_end = end;
        found.push(number);
        i = j;
    }
    found
}

fn strip_leading_zeros(value: &str) -> String {
    let trimmed = value.trim_start_matches('0');
    if trimmed.is_empty() || trimmed.starts_with('.') {
        format!("0{trimmed}")
    } else {
        trimmed.to_string()
    }
}

/// The numbers of `[^N]` references, in order.
pub fn footnote_refs(text: &str) -> Vec<u32> {
    let mut refs = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("[^") {
        let after = &rest[open + 2..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after.as_bytes().get(digits) == Some(&b']') {
            if let Ok(n) = after[..digits].parse() {
                refs.push(n);
            }
            rest = &after[digits + 1..];
        } else {
            rest = after;
        }
    }
    refs
}

/// A Thai character (the Thai block: letters, vowels, marks, digits, signs).
pub fn is_thai(c: char) -> bool {
    ('\u{0E01}'..='\u{0E5B}').contains(&c)
}

/// A letter of the Latin script (ASCII and the Latin-1 and Extended-A/B letters).
pub fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&c) && c.is_alphabetic())
}

/// The runs of Latin text in a Thai text (`Victor Serge`, `N.E.P.`, `Kollektivnoe
/// Khoziaistvo-Kolkhozy`): Latin words joined by spaces, points, hyphens and apostrophes.
/// Runs without a word that matters (see [`significant_words`]) are left out.
pub fn latin_runs(text: &str) -> Vec<&str> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_letter_end = 0;
    for (at, c) in text.char_indices() {
        if is_latin_letter(c) {
            start.get_or_insert(at);
            last_letter_end = at + c.len_utf8();
        } else if start.is_some() && matches!(c, ' ' | '.' | '-' | '\'' | '’') {
            continue;
        } else if let Some(s) = start.take() {
            runs.push(with_final_point(text, s, last_letter_end));
        }
    }
    if let Some(s) = start {
        runs.push(with_final_point(text, s, last_letter_end));
    }
    runs.retain(|run| !significant_words(run).is_empty());
    runs
}

/// `N.E.P.`: a run of initials keeps its last point.
fn with_final_point(text: &str, start: usize, end: usize) -> &str {
    match text[end..].starts_with('.') {
        true => &text[start..end + 1],
        false => &text[start..end],
    }
}

/// The words of a Latin run worth finding in a translation, lower-cased: words of three
/// letters or more but for the commonest English ones, and initials written together
/// (`N.E.P.` → `nep`, `NKVD`).
pub fn significant_words(run: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "the", "and", "for", "with", "from", "into", "that", "this", "one", "are", "was",
    ];
    words(run)
        .into_iter()
        .filter(|w| {
            let letters = w.chars().count();
            let initials = letters >= 2 && w.chars().all(|c| c.is_uppercase());
            (letters >= 3 || initials) && !COMMON.contains(&w.to_lowercase().as_str())
        })
        .map(|w| w.to_lowercase())
        .collect()
}

/// Words of a text for comparing Latin names: split at anything but letters, digits, points
/// and apostrophes; points removed (`S.M.` → `SM`).
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\'' || c == '’'))
        .map(|w| {
            w.chars()
                .filter(|c| *c != '.')
                .collect::<String>()
                .trim_matches(['\'', '’'])
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}
