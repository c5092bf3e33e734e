//! Where a segment's text may be cut, pure: a split point is a character index (counted in
//! Unicode scalar values, as the form sends it) that leaves text on both sides and does not
//! cut a Thai cluster apart (a mark from its letter, a leading vowel from the consonant
//! after it). The form offers the spaces between phrases and sentences as choices.

/// Why a split point is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadPoint {
    /// At the start or the end (or only spaces on one side): one part would be empty.
    EmptyPart,
    /// Past the end of the text.
    OutOfRange { chars: usize },
    /// Between a letter and its mark, or a leading vowel and its consonant.
    InsideCluster,
}

impl std::fmt::Display for BadPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadPoint::EmptyPart => write!(f, "one of the two parts would be empty"),
            BadPoint::OutOfRange { chars } => {
                write!(f, "the text has only {chars} characters")
            }
            BadPoint::InsideCluster => write!(
                f,
                "it would cut a Thai letter from its vowel or tone mark; choose a point \
                 between words"
            ),
        }
    }
}

/// A Thai mark or following vowel (above/below vowels, tone marks, thanthakhat, sara a,
/// aa, am…), which belongs to the letter before it: never first in a part.
fn is_thai_mark(c: char) -> bool {
    matches!(c, '\u{0E30}'..='\u{0E3A}' | '\u{0E45}' | '\u{0E47}'..='\u{0E4E}')
}

/// A leading vowel (เ แ โ ใ ไ), written before the consonant it follows in speech: never
/// last in a part.
fn is_leading_vowel(c: char) -> bool {
    matches!(c, '\u{0E40}'..='\u{0E44}')
}

/// Cuts `text` at character index `at` into two trimmed, non-empty parts.
pub fn split_at(text: &str, at: usize) -> Result<(String, String), BadPoint> {
    let chars = text.chars().count();
    if at > chars {
        return Err(BadPoint::OutOfRange { chars });
    }
    let byte = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
    let (first, second) = text.split_at(byte);
    let (before, after) = (first.chars().next_back(), second.chars().next());
    if after.is_some_and(is_thai_mark) || before.is_some_and(is_leading_vowel) {
        return Err(BadPoint::InsideCluster);
    }
    let (first, second) = (first.trim_end(), second.trim_start());
    if first.is_empty() || second.is_empty() {
        return Err(BadPoint::EmptyPart);
    }
    Ok((first.to_owned(), second.to_owned()))
}

/// A choice of split point for the form: the character index and a few characters on
/// each side to recognise it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub at: usize,
    pub before: String,
    pub after: String,
}

/// How many characters of context a choice shows on each side.
const CONTEXT: usize = 12;

/// The spaces of `text` (Thai separates phrases and sentences with them; English words),
/// each as the point just after it. For English, `sentences_only` keeps the spaces after
/// `.`, `?`, `!`, `;` or `:`.
pub fn choices(text: &str, sentences_only: bool) -> Vec<Choice> {
    let chars: Vec<char> = text.chars().collect();
    (1..chars.len())
        .filter(|&i| chars[i - 1] == ' ' && chars[i] != ' ')
        .filter(|&i| {
            !sentences_only
                || chars[..i - 1]
                    .last()
                    .is_some_and(|c| matches!(c, '.' | '?' | '!' | ';' | ':' | '"' | '”'))
        })
        .map(|i| {
            // The context starts and ends between clusters, not on a mark.
            let mut start = i.saturating_sub(CONTEXT + 1);
            while start < i - 1 && is_thai_mark(chars[start]) {
                start += 1;
            }
            let mut end = (i + CONTEXT).min(chars.len());
            while end < chars.len() && is_thai_mark(chars[end]) {
                end += 1;
            }
            if end > i + 1 && is_leading_vowel(chars[end - 1]) {
                end -= 1;
            }
            Choice {
                at: i,
                before: chars[start..i - 1].iter().collect(),
                after: chars[i..end].iter().collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_at_a_space_gives_two_trimmed_parts() {
        let text = "ประโยคแรก ประโยคที่สอง";
        let at = text.chars().position(|c| c == ' ').unwrap() + 1;
        assert_eq!(
            split_at(text, at).unwrap(),
            ("ประโยคแรก".to_owned(), "ประโยคที่สอง".to_owned())
        );
        // Before the space works the same.
        assert_eq!(split_at(text, at - 1).unwrap().1, "ประโยคที่สอง");
    }

    #[test]
    fn the_start_the_end_and_beyond_are_refused() {
        let text = "ก ข";
        assert_eq!(split_at(text, 0), Err(BadPoint::EmptyPart));
        assert_eq!(split_at(text, 3), Err(BadPoint::EmptyPart));
        assert_eq!(split_at(text, 1), Ok(("ก".into(), "ข".into())));
        assert_eq!(split_at(text, 4), Err(BadPoint::OutOfRange { chars: 3 }));
        assert_eq!(split_at(" ก", 1), Err(BadPoint::EmptyPart));
    }

    #[test]
    fn a_thai_cluster_is_not_cut() {
        // น้ำ: a tone mark and sara am after the consonant.
        assert_eq!(split_at("น้ำตาล", 1), Err(BadPoint::InsideCluster));
        assert_eq!(split_at("น้ำตาล", 2), Err(BadPoint::InsideCluster));
        // เขา: the leading vowel belongs with the consonant after it.
        assert_eq!(split_at("กเขา", 2), Err(BadPoint::InsideCluster));
        assert_eq!(split_at("กเขา", 1), Ok(("ก".into(), "เขา".into())));
        assert_eq!(split_at("น้ำตาล", 3), Ok(("น้ำ".into(), "ตาล".into())));
    }

    #[test]
    fn choices_are_the_points_after_spaces_with_context() {
        let choices = choices("หนึ่ง สอง สาม", false);
        let points: Vec<usize> = choices.iter().map(|c| c.at).collect();
        assert_eq!(points, [6, 10]);
        assert_eq!(choices[0].before, "หนึ่ง");
        assert_eq!(choices[0].after, "สอง สาม");
        for c in &choices {
            assert!(split_at("หนึ่ง สอง สาม", c.at).is_ok());
        }
    }

    #[test]
    fn the_context_of_a_choice_does_not_start_or_end_inside_a_cluster() {
        // Twelve characters before the space would start on the tone mark of ใช้ (chapter
        // 4); twelve after it would end on the leading vowel of เซีย.
        let text = "เสนอให้ใช้กฎแจดอกใหญ่ คือการสะสมทเซียดี";
        let choice = &choices(text, false)[0];
        assert_eq!(choice.before, "กฎแจดอกใหญ่");
        assert_eq!(choice.after, "คือการสะสมท");
    }

    #[test]
    fn english_choices_can_be_sentence_ends_only() {
        let text = "One sentence. And another one? Yes.";
        let points: Vec<usize> = choices(text, true).iter().map(|c| c.at).collect();
        assert_eq!(points, [14, 31]);
        assert_eq!(split_at(text, 14).unwrap().0, "One sentence.");
    }
}
