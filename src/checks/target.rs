//! Checks of the English against the Thai.

use std::collections::HashSet;

use super::extract::{footnote_refs, is_thai, latin_runs, numbers, significant_words, words};
use super::{Context, Finding};

/// Every finding about `english` as a translation of `thai`, errors first.
pub fn check_target(thai: &str, english: &str, ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    if english.trim().is_empty() {
        findings.push(Finding::error("empty", "The English is empty."));
        return findings;
    }
    if english.trim() == thai.trim() {
        findings.push(Finding::error(
            "same_as_source",
            "The English is the same as the Thai: it has not been translated.",
        ));
        return findings;
    }
    findings.extend(thai_in_english(english));
    findings.extend(missing_numbers(thai, english));
    findings.extend(footnotes(thai, english));
    findings.extend(missing_latin(thai, english));
    findings.extend(glossary(thai, english, ctx));
    findings.extend(brackets(english));
    findings.extend(spaces(english));
    findings.extend(length_ratio(thai, english, ctx.book_ratio));
    findings.sort_by_key(|f| f.severity);
    findings
}

/// Up to three examples, quoted, and how many more.
fn listed(items: &[String]) -> String {
    let shown: Vec<String> = items.iter().take(3).map(|s| format!("“{s}”")).collect();
    match items.len() {
        n if n > 3 => format!("{} and {} more", shown.join(", "), n - 3),
        _ => shown.join(", "),
    }
}

fn thai_in_english(english: &str) -> Option<Finding> {
    let mut runs: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in english.chars().chain(std::iter::once(' ')) {
        if is_thai(c) {
            current.push(c);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    (!runs.is_empty()).then(|| {
        Finding::error(
            "thai_in_english",
            format!(
                "Thai characters are left in the English: {}.",
                listed(&runs)
            ),
        )
    })
}

/// English words for the small numbers a translator may spell out.
const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];
const ORDINAL_WORDS: &[&str] = &[
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth",
];

fn missing_numbers(thai: &str, english: &str) -> Option<Finding> {
    let in_english: HashSet<String> = numbers(english).into_iter().map(|n| n.value).collect();
    let english_words: HashSet<String> = words(english)
        .into_iter()
        .map(|w| w.to_lowercase())
        .collect();
    let spelt = |n: u64| {
        let n = n as usize;
        NUMBER_WORDS
            .get(n)
            .is_some_and(|w| english_words.contains(*w))
            || ORDINAL_WORDS
                .get(n)
                .is_some_and(|w| !w.is_empty() && english_words.contains(*w))
    };
    let mut missing: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for number in numbers(thai) {
        if !seen.insert(number.value.clone()) || in_english.contains(&number.value) {
            continue;
        }
        let integer = number.integer();
        if integer.is_some_and(spelt) {
            continue;
        }
        // A Buddhist Era year is the Common Era year plus 543; a book may give either.
        let plausible_be =
            number.buddhist_era || integer.is_some_and(|n| (2400..=2700).contains(&n));
        let ce = integer.filter(|_| plausible_be).map(|n| n - 543);
        if ce.is_some_and(|ce| in_english.contains(&ce.to_string())) {
            continue;
        }
        missing.push(match ce {
            Some(ce) if number.buddhist_era => format!("{} (BE; {ce} CE)", number.written),
            _ => number.written.clone(),
        });
    }
    (!missing.is_empty()).then(|| {
        let what = match missing.len() {
            1 => "A number of the Thai is missing from the English",
            _ => "Numbers of the Thai are missing from the English",
        };
        Finding::error("numbers", format!("{what}: {}.", missing.join(", ")))
    })
}

fn footnotes(thai: &str, english: &str) -> Option<Finding> {
    let th = footnote_refs(thai);
    let en = footnote_refs(english);
    if th == en {
        return None;
    }
    let show = |refs: &[u32]| {
        refs.iter()
            .map(|n| format!("[^{n}]"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let missing: Vec<u32> = th.iter().copied().filter(|n| !en.contains(n)).collect();
    let extra: Vec<u32> = en.iter().copied().filter(|n| !th.contains(n)).collect();
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing from the English: {}", show(&missing)));
    }
    if !extra.is_empty() {
        parts.push(format!("in the English but not the Thai: {}", show(&extra)));
    }
    if parts.is_empty() {
        parts.push(format!(
            "in another order (Thai {}; English {})",
            show(&th),
            show(&en)
        ));
    }
    Some(Finding::error(
        "footnotes",
        format!("Footnote references {}.", parts.join("; ")),
    ))
}

fn missing_latin(thai: &str, english: &str) -> Option<Finding> {
    let english_words: HashSet<String> = words(english)
        .into_iter()
        .map(|w| w.to_lowercase())
        .collect();
    let mut missing: Vec<String> = Vec::new();
    for run in latin_runs(thai) {
        let wanted = significant_words(run);
        let found = wanted.iter().filter(|w| english_words.contains(*w)).count();
        // Half the words are enough: "Kollektivnoe Khoziaistvo-Kolkhozy" may become
        // "collective farms (kolkhozy)".
        if found * 2 < wanted.len() && !missing.iter().any(|m| m == run) {
            missing.push(run.to_string());
        }
    }
    (!missing.is_empty()).then(|| {
        Finding::warning(
            "latin_terms",
            format!(
                "Names or terms the Thai gives in Latin letters are not in the English: {}.",
                listed(&missing)
            ),
        )
    })
}

fn glossary(thai: &str, english: &str, ctx: &Context<'_>) -> Option<Finding> {
    let lower = english.to_lowercase();
    let mut unused: Vec<String> = Vec::new();
    for term in ctx.terms {
        if term.thai.is_empty() || !thai.contains(term.thai.as_str()) {
            continue;
        }
        let used = term
            .english
            .split(';')
            .map(|alt| alt.trim().to_lowercase())
            .any(|alt| !alt.is_empty() && lower.contains(&alt));
        if !used {
            unused.push(format!("{} → {}", term.thai, term.english));
        }
    }
    (!unused.is_empty()).then(|| {
        Finding::warning(
            "glossary",
            format!(
                "Approved glossary terms are not used in the English: {}.",
                listed(&unused)
            ),
        )
    })
}

fn brackets(english: &str) -> Option<Finding> {
    const PAIRS: &[(char, char)] = &[('(', ')'), ('[', ']'), ('{', '}'), ('“', '”'), ('«', '»')];
    let mut problems = Vec::new();
    for &(open, close) in PAIRS {
        let mut depth: i64 = 0;
        let mut closed_early = false;
        for c in english.chars() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                closed_early |= depth < 0;
            }
        }
        if depth != 0 || closed_early {
            problems.push(format!("{open}…{close}"));
        }
    }
    if english.chars().filter(|c| *c == '"').count() % 2 == 1 {
        problems.push("\"…\"".to_string());
    }
    (!problems.is_empty()).then(|| {
        Finding::warning(
            "brackets",
            format!(
                "Unbalanced brackets or quotation marks in the English: {}.",
                problems.join(", ")
            ),
        )
    })
}

fn spaces(english: &str) -> Option<Finding> {
    let mut problems = Vec::new();
    if english.lines().any(|l| l.contains("  ")) {
        problems.push("double spaces");
    }
    if english.starts_with(char::is_whitespace) {
        problems.push("a leading space");
    }
    if english.ends_with(char::is_whitespace) {
        problems.push("a trailing space");
    }
    let before_punctuation = [" ,", " .", " ;", " :", " !", " ?", " )"];
    if before_punctuation.iter().any(|p| english.contains(p)) {
        problems.push("a space before punctuation");
    }
    (!problems.is_empty()).then(|| {
        Finding::warning(
            "spaces",
            format!("The English has {}.", problems.join(", ")),
        )
    })
}

/// Below this many Thai characters a ratio says little (titles, short headings).
const MIN_CHARS_FOR_RATIO: usize = 40;
/// "Far outside the usual range": this many times longer or shorter than the book's median.
const RATIO_FACTOR: f64 = 2.0;

fn length_ratio(thai: &str, english: &str, book_ratio: Option<f64>) -> Option<Finding> {
    let usual = book_ratio.filter(|r| *r > 0.0)?;
    let th = thai.chars().count();
    if th < MIN_CHARS_FOR_RATIO {
        return None;
    }
    let ratio = english.chars().count() as f64 / th as f64;
    let how = if ratio > usual * RATIO_FACTOR {
        "longer"
    } else if ratio < usual / RATIO_FACTOR {
        "shorter"
    } else {
        return None;
    };
    Some(Finding::warning(
        "length_ratio",
        format!(
            "The English is much {how} than usual for this Thai: {ratio:.2} characters per \
             Thai character, where the book's median is {usual:.2}. Is something missing or added?"
        ),
    ))
}
