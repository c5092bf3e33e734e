//! When one bead pairs several Thai segments with English, each segment still needs its own
//! English: the English is cut at sentence ends (or between its paragraphs) in proportion
//! to the Thai segments' lengths. The review page shows the pieces, so a bad cut is seen
//! (and fixed by moving a boundary, or later in the editor) before anything is saved.

use super::gale_church::length;

/// The English of a bead divided among Thai segments of these lengths: one piece per
/// segment, in order. A segment gets `None` when there are fewer sentences than segments.
pub fn divide(paragraphs: &[&str], thai_lengths: &[usize]) -> Vec<Option<String>> {
    let k = thai_lengths.len();
    if k <= 1 {
        let whole = paragraphs.join("\n\n");
        return vec![(!whole.trim().is_empty()).then_some(whole)];
    }
    // Pieces to distribute: the paragraphs when there are enough, else sentences.
    let pieces: Vec<String> = if paragraphs.len() >= k {
        paragraphs.iter().map(|p| p.to_string()).collect()
    } else {
        paragraphs.iter().flat_map(|p| sentences(p)).collect()
    };
    let joiner = if paragraphs.len() >= k { "\n\n" } else { " " };
    let piece_len: Vec<f64> = pieces.iter().map(|p| length(p) as f64).collect();
    let total_en: f64 = piece_len.iter().sum::<f64>().max(1.0);
    let total_th: f64 = thai_lengths.iter().sum::<usize>().max(1) as f64;
    // Cut before piece `c` when the English up to there is nearest the Thai share.
    let mut cuts = Vec::new();
    let mut share = 0.0;
    let mut from = 1;
    for &len in &thai_lengths[..k - 1] {
        share += len as f64 / total_th;
        let last_allowed = pieces.len().saturating_sub(k - 1 - cuts.len());
        if from > last_allowed {
            break;
        }
        let best = (from..=last_allowed)
            .min_by(|&a, &b| {
                let at = |c: usize| (piece_len[..c].iter().sum::<f64>() / total_en - share).abs();
                at(a).total_cmp(&at(b))
            })
            .unwrap_or(from);
        cuts.push(best);
        from = best + 1;
    }
    let mut out = Vec::with_capacity(k);
    let mut start = 0;
    for &cut in &cuts {
        out.push(Some(pieces[start..cut].join(joiner)));
        start = cut;
    }
    out.push(Some(pieces[start..].join(joiner)).filter(|s| !s.is_empty()));
    out.resize(k, None);
    out
}

/// A paragraph's sentences: cut after `.`, `!` or `?` (and any closing quote or
/// bracket) before a space and a capital letter, a digit or an opening quote.
pub fn sentences(paragraph: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for (k, &(_, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut end = k + 1;
        while chars
            .get(end)
            .is_some_and(|&(_, c)| matches!(c, '"' | '”' | '’' | '\'' | ')' | ']'))
        {
            end += 1;
        }
        let space = chars.get(end).is_some_and(|&(_, c)| c == ' ');
        let next = chars.get(end + 1).map(|&(_, c)| c);
        let opens = next.is_some_and(|c| {
            c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '(' | '[')
        });
        // "Mr. Smith", "St. Petersburg": a one- or two-letter word before the dot is an
        // abbreviation more often than a sentence.
        let word: String = chars[..k]
            .iter()
            .rev()
            .map(|&(_, c)| c)
            .take_while(|c| c.is_alphabetic())
            .collect();
        let abbreviation = c == '.' && (1..=2).contains(&word.chars().count());
        if space && opens && !abbreviation {
            let cut = chars[end].0;
            out.push(paragraph[start..cut].trim().to_string());
            start = cut;
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_stops_before_a_capital() {
        let text = "The war ended. Russia lay in ruins! Was it over? “No,” said Lenin. \
                    Mr. Smith left in 1921. 1922 came.";
        assert_eq!(
            sentences(text),
            [
                "The war ended.",
                "Russia lay in ruins!",
                "Was it over?",
                "“No,” said Lenin.",
                "Mr. Smith left in 1921.",
                "1922 came."
            ]
        );
    }

    #[test]
    fn one_paragraph_is_shared_in_proportion_to_the_thai() {
        let english = "One two three four five six seven. Eight nine ten. Eleven twelve.";
        let pieces = divide(&[english], &[55, 45]);
        assert_eq!(
            pieces,
            [
                Some("One two three four five six seven.".to_string()),
                Some("Eight nine ten. Eleven twelve.".to_string())
            ]
        );
        let alone = divide(&["Only one sentence."], &[10, 10]);
        assert_eq!(alone, [Some("Only one sentence.".to_string()), None]);
    }

    #[test]
    fn paragraphs_are_shared_whole_when_there_are_enough() {
        let pieces = divide(&["First.", "Second.", "Third."], &[10, 20]);
        assert_eq!(
            pieces,
            [
                Some("First.".to_string()),
                Some("Second.\n\nThird.".to_string())
            ]
        );
        assert_eq!(divide(&["A.", "B."], &[5]), [Some("A.\n\nB.".to_string())]);
        assert_eq!(divide(&[], &[5]), [None]);
    }
}
