//! Anchors: the bits of a paragraph that survive translation unchanged, so a Thai paragraph
//! and its English can be recognized as each other's whatever their wording.
//!
//! - numbers, with Thai digits (๐–๙) read as digits and thousands separators dropped
//!   (`1,400` = `๑,๔๐๐` = `1400`); a Buddhist-Era year (`พ.ศ. 2460`, or a bare number from
//!   2400 to 2700 in Thai text) also counts as its Common-Era year (CE = BE − 543);
//! - footnote references as the importer writes them, `[^N]`;
//! - Latin-script names and terms the Thai keeps as they are, usually in parentheses
//!   (`(Victor Serge)`, `(Gosplan)`), which an English translation writes the same way.
//!
//! Plain functions on `&str`, no I/O; the aligner (`crate::align`) uses them, and so may
//! quality checks (a number in the Thai missing from its English).

/// Thai digits ๐ (U+0E50) to ๙ (U+0E59) as ASCII digits; other characters unchanged.
pub fn ascii_digits(text: &str) -> String {
    text.chars().map(ascii_digit).collect()
}

fn ascii_digit(c: char) -> char {
    match c {
        '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
        c => c,
    }
}

/// The numbers written in digits (Thai or ASCII), in order, as canonical strings: no
/// thousands separators, no leading zeros, a decimal part kept (`2.5`). `1920-21` is two
/// numbers; `20th` and `62%` are `20` and `62`. Footnote references are numbers too.
pub fn numbers(text: &str) -> Vec<String> {
    number_spans(text).into_iter().map(|n| n.value).collect()
}

/// A number found in a text: its canonical value and where it starts (a byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub value: String,
    pub start: usize,
}

/// [`numbers`], with where each starts.
pub fn number_spans(text: &str) -> Vec<Number> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let digit = |i: usize| {
        chars
            .get(i)
            .is_some_and(|&(_, c)| ascii_digit(c).is_ascii_digit())
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !digit(i) {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut whole = String::new();
        let mut fraction = String::new();
        loop {
            while digit(i) {
                whole.push(ascii_digit(chars[i].1));
                i += 1;
            }
            // `1,400`: a comma followed by exactly three digits continues the number.
            let group = chars.get(i).is_some_and(|&(_, c)| c == ',')
                && (1..=3).all(|k| digit(i + k))
                && !digit(i + 4);
            if !group {
                break;
            }
            i += 1;
        }
        let decimal = chars.get(i).is_some_and(|&(_, c)| c == '.') && digit(i + 1);
        if decimal {
            i += 1;
            while digit(i) {
                fraction.push(ascii_digit(chars[i].1));
                i += 1;
            }
        }
        let whole = whole.trim_start_matches('0');
        let whole = if whole.is_empty() { "0" } else { whole };
        let fraction = fraction.trim_end_matches('0');
        let value = match fraction.is_empty() {
            true => whole.to_string(),
            false => format!("{whole}.{fraction}"),
        };
        found.push(Number { value, start });
    }
    found
}

/// Numbers of a Thai text with Buddhist-Era years read as Common-Era ones: a number after
/// `พ.ศ.` becomes its CE year only; a bare number from 2400 to 2700 (not after `ค.ศ.`)
/// counts as both itself and its CE year (Thai prose often drops the era).
pub fn thai_numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for number in number_spans(text) {
        let before = text[..number.start].trim_end();
        let be_marked = before.ends_with("พ.ศ.") || before.ends_with("พ.ศ");
        let ce_marked = before.ends_with("ค.ศ.") || before.ends_with("ค.ศ");
        let year = number.value.parse::<u32>().ok();
        match year {
            Some(y) if be_marked && y > 543 => out.push((y - 543).to_string()),
            Some(y) if !ce_marked && (2400..=2700).contains(&y) => {
                out.push(number.value.clone());
                out.push((y - 543).to_string());
            }
            _ => out.push(number.value),
        }
    }
    out
}

/// A Buddhist-Era year as a Common-Era one (`2460` → `1917`).
pub fn be_to_ce(year: i32) -> i32 {
    year - 543
}

/// The footnote references `[^N]` of a text, in order (Thai digits read as digits).
pub fn footnote_refs(text: &str) -> Vec<u32> {
    let mut refs = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("[^") {
        rest = &rest[at + 2..];
        let taken: usize = rest
            .chars()
            .take_while(|&c| ascii_digit(c).is_ascii_digit())
            .map(char::len_utf8)
            .sum();
        let digits = ascii_digits(&rest[..taken]);
        let closed = rest[taken..].starts_with(']');
        if !digits.is_empty() && closed {
            if let Ok(n) = digits.parse() {
                refs.push(n);
            }
        }
    }
    refs
}

/// The Latin-script terms of a Thai text, in order: each run of Latin words (letters, with
/// inner spaces, hyphens, apostrophes and dots: `Victor Serge`, `Brest-Litovsk`,
/// `N.E.P.`), trimmed of punctuation. Runs inside parentheses are the usual case
/// (`(Gosplan)`), but a name written in Latin letters anywhere counts. Runs with fewer
/// than three letters (`a`, `II`) are too common to mean anything and are skipped.
pub fn latin_terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, terms: &mut Vec<String>| {
        let term = current
            .trim_matches(|c: char| !c.is_ascii_alphanumeric())
            .to_string();
        if term.chars().filter(char::is_ascii_alphabetic).count() >= 3 {
            terms.push(term);
        }
        current.clear();
    };
    for c in text.chars() {
        let letter = c.is_ascii_alphabetic();
        let joiner = matches!(c, ' ' | '-' | '\'' | '’' | '.') && !current.is_empty();
        if letter || joiner {
            current.push(c);
        } else {
            flush(&mut current, &mut terms);
        }
    }
    flush(&mut current, &mut terms);
    terms
}

/// Whether `text` contains `term` as whole words, ignoring case (`Gosplan` is in "the
/// gosplan's plan" but not in "Gosplanning"). `text_lower` is the text in lower case.
pub fn contains_term(text_lower: &str, term: &str) -> bool {
    let term = term.to_lowercase();
    if term.is_empty() {
        return false;
    }
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut from = 0;
    while let Some(at) = text_lower[from..].find(&term) {
        let start = from + at;
        let end = start + term.len();
        let before = text_lower[..start].chars().next_back();
        let after = text_lower[end..].chars().next();
        if !word(before) && !word(after) {
            return true;
        }
        from = start + term.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The share of a text's letters that are Thai (0 for a text without letters): tells Thai
/// text from English (a Thai file uploaded as the translation).
pub fn thai_share(text: &str) -> f64 {
    let (mut thai, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        thai += usize::from(('\u{0E00}'..='\u{0E7F}').contains(&c));
    }
    match letters {
        0 => 0.0,
        n => thai as f64 / n as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_digits_and_thousands_separators_are_read_as_plain_numbers() {
        assert_eq!(ascii_digits("๑๙๒๑"), "1921");
        assert_eq!(numbers("ตกลง ๑,๔๐๐ และ 1,400 คน"), ["1400", "1400"]);
        assert_eq!(numbers("1 ต่อ 1,200 ในค.ศ.1920"), ["1", "1200", "1920"]);
        assert_eq!(
            numbers("in 1920-21, 62% and the 20th"),
            ["1920", "21", "62", "20"]
        );
        assert_eq!(numbers("2.50 and 007 and 1,23"), ["2.5", "7", "1", "23"]);
        assert_eq!(numbers("Sentence ends 1917. Next"), ["1917"]);
    }

    #[test]
    fn buddhist_era_years_count_as_common_era_years() {
        assert_eq!(be_to_ce(2460), 1917);
        assert_eq!(thai_numbers("ใน พ.ศ. 2460 เกิดการปฏิวัติ"), ["1917"]);
        assert_eq!(thai_numbers("ในปี ๒๔๖๐"), ["2460", "1917"]);
        assert_eq!(thai_numbers("ใน ค.ศ.2500"), ["2500"], "a CE year stays");
        assert_eq!(thai_numbers("ร้อยละ 62 ใน ค.ศ.1921"), ["62", "1921"]);
    }

    #[test]
    fn footnote_references_are_read_as_the_importer_writes_them() {
        assert_eq!(footnote_refs("สตาลิน[^30] และ[^๓]"), [30, 3]);
        assert_eq!(footnote_refs("[^] [^x] [^12"), Vec::<u32>::new());
        assert_eq!(numbers("สตาลิน[^30]"), ["30"]);
    }

    #[test]
    fn latin_terms_are_the_names_the_thai_keeps_in_latin_letters() {
        let thai = "วิคเตอร์ แซร์จ (Victor Serge) และสภา (Gosplan) แลก(barter) ที่ Brest-Litovsk.";
        assert_eq!(
            latin_terms(thai),
            ["Victor Serge", "Gosplan", "barter", "Brest-Litovsk"]
        );
        assert!(latin_terms("ค.ศ. 1921 (II) a").is_empty());
        assert_eq!(latin_terms("(N.E.P.)"), ["N.E.P"]);
    }

    #[test]
    fn a_term_is_found_only_as_whole_words_ignoring_case() {
        let english = "the gosplan's first plan, with victor serge".to_lowercase();
        assert!(contains_term(&english, "Gosplan"));
        assert!(contains_term(&english, "Victor Serge"));
        assert!(!contains_term("gosplanning", "Gosplan"));
        assert!(!contains_term("a barterer", "barter"));
        assert!(!contains_term("anything", ""));
    }

    #[test]
    fn thai_text_is_told_from_english() {
        assert!(thai_share("นโยบายเศรษฐกิจใหม่ (NEP)") > 0.8);
        assert!(thai_share("The New Economic Policy (NEP)") < 0.01);
        assert_eq!(thai_share("1921 — 62%"), 0.0);
    }
}
