//! Normalization at the edge: bytes in, clean Unicode text out.
//!
//! Chapters come from OCR and from many keyboards. Before anything is segmented,
//! stored or searched, text that *looks* the same must be the same code points.
//! No repair here changes what a reader sees or means; anything that needs
//! judgement is kept exactly: OCR noise (Arabic, Hebrew, Bengali letters
//! inside Thai words, Latin garbage such as `stadalin`) is for editors to fix with
//! history; Markdown, `<sup>` and `²⁶` footnotes, quotes and ellipses are for the
//! segmenter.
//!
//! [`decode_utf8`] accepts UTF-8 only (a leading BOM is dropped) and otherwise
//! says what is wrong: the offset of the first bad byte, UTF-16, or binary data.
//!
//! [`normalize`] keeps one output line per input line (the segmenter works line
//! by line): no line is ever joined or dropped. The repairs, in order:
//!
//! 1. Line endings: CRLF, lone CR, NEL, U+2028 and U+2029 become LF. All are line
//!    breaks; one spelling is enough.
//! 2. Invisible characters go: format characters (category Cf: ZWSP, ZWNJ, ZWJ,
//!    word joiner, U+FEFF, soft hyphen, bidi controls, ...) and stray controls.
//!    They show as nothing in Thai prose, yet `ค\u{200B}ำ` would not match `คำ`.
//! 3. Spaces: tabs and Unicode spaces (NBSP, thin, ideographic, ...) become a
//!    plain space, runs collapse to one, and spaces at both ends of a line go.
//!    Thai separates phrases with one space; widths are the renderer's business.
//!    (This drops the two spaces of a Markdown hard break too: how lines join is
//!    the segmenter's decision, not the spaces'.)
//! 4. Unicode NFC (NFC never looks across a newline, so it is done per line).
//! 5. Thai, per cluster of marks on a letter: `ํ` + `า` becomes SARA AM `ำ` with
//!    its tone mark before it; a mark typed twice counts once; tone marks go after
//!    above/below vowels; `เเ` becomes `แ`. Each wrong spelling renders like the
//!    right one, never occurs in correct Thai, and makes search miss.
//!
//! It is all linear and copies untouched stretches whole: the ~320 KB corpus
//! takes about half a millisecond in a release build.

use std::iter;

use serde::Serialize;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Why bytes could not be read as a chapter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("not valid UTF-8: the first bad byte is at offset {offset} (byte 0x{byte:02X}), on line {line}")]
    InvalidUtf8 {
        offset: usize,
        byte: u8,
        line: usize,
    },
    #[error("this looks like UTF-16 text; save the file as UTF-8 and import it again")]
    Utf16,
    #[error("binary data (NUL byte at offset {offset})")]
    Binary { offset: usize },
}

/// Reads bytes as UTF-8 without copying; a leading UTF-8 BOM is skipped. Offsets
/// in errors count from the first byte (BOM included), as a hex viewer shows them.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, DecodeError> {
    if looks_like_utf16(bytes) {
        return Err(DecodeError::Utf16);
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    let bom = 3 * usize::from(bytes.starts_with(b"\xEF\xBB\xBF"));
    std::str::from_utf8(&bytes[bom..]).map_err(|e| {
        let offset = bom + e.valid_up_to();
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        DecodeError::InvalidUtf8 {
            offset,
            byte: bytes[offset],
            line,
        }
    })
}

/// A UTF-16 BOM, or (without one) most bytes at even or at odd offsets being 0x00
/// or 0x0E: the high bytes of ASCII and of Thai (U+0E00–U+0E7F). Neither occurs
/// in UTF-8 Thai, so a real UTF-8 chapter never trips this, and an all-Thai
/// UTF-16 file with no NUL at all is still caught.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return true;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let mut high = [0usize; 2];
    for (i, &b) in sample.iter().enumerate() {
        high[i % 2] += usize::from(b == 0x00 || b == 0x0E);
    }
    sample.len() >= 4 && high.iter().any(|&n| n * 4 > sample.len())
}

/// What [`normalize_with_report`] repaired, for the import report. Counts are of
/// characters unless said otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Repairs {
    /// CRLF, CR, NEL, U+2028, U+2029 turned into LF.
    pub line_endings: usize,
    /// Format (Cf) and control characters removed.
    pub invisible: usize,
    /// Whitespace replaced by a plain space or removed.
    pub spaces: usize,
    /// Lines that NFC changed.
    pub nfc_lines: usize,
    /// Clusters where `ํ` + `า` became `ำ` or a tone mark moved before `ำ`.
    pub sara_am: usize,
    /// Marks removed because the same mark came just before.
    pub doubled_marks: usize,
    /// Clusters whose marks were put in order (vowel, then tone). A tone before
    /// SARA U or UU is already fixed by NFC (combining classes 107 > 103).
    pub reordered_marks: usize,
    /// `เเ` turned into `แ`.
    pub sara_ae: usize,
}

/// Normalizes a whole chapter; see the module documentation.
#[must_use]
pub fn normalize(text: &str) -> String {
    normalize_with_report(text).0
}

/// [`normalize`], also saying what was repaired.
#[must_use]
pub fn normalize_with_report(text: &str) -> (String, Repairs) {
    run(text, false)
}

/// Normalizes one piece of user input (a search query, a one-line field): the
/// same repairs, but line breaks count as spaces, so the result is one trimmed
/// line.
#[must_use]
pub fn normalize_inline(s: &str) -> String {
    run(s, true).0
}

fn run(text: &str, inline: bool) -> (String, Repairs) {
    let mut r = Repairs::default();
    let (mut clean, surely_nfc) = clean_chars(text, inline, &mut r);
    if !surely_nfc {
        clean = nfc_by_line(&clean, &mut r);
    }
    (repair_thai(&clean, &mut r), r)
}

/// Steps 1–3 in one pass, copying runs of ordinary characters whole. Also runs
/// the NFC quick check (UAX #15) on what it keeps, with ASCII and Thai answered
/// locally; `true` means the result is NFC for sure.
fn clean_chars(text: &str, inline: bool, r: &mut Repairs) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut run = None; // start of the ordinary characters not yet copied
    let mut line_has_text = false;
    let (mut spaces, mut plain) = (0, false); // whitespace since the last text; one was ' '
    let (mut last_cc, mut surely_nfc) = (0, true);
    let (b, mut next) = (text.as_bytes(), 0);
    while next < b.len() {
        if let (Some(c), Some(_)) = (thai_at(b, next), run) {
            // The hot path: Thai inside a stretch of text.
            let cc = THAI_CCC[c as usize & 0x7F];
            surely_nfc &= (cc == 0) | (last_cc <= cc);
            (last_cc, next) = (cc, next + 3);
            continue;
        }
        let (i, c) = (next, char_at(text, next));
        next += c.len_utf8();
        let kind = match c {
            '!'..='~' | '\u{0E00}'..='\u{0E7F}' => Kind::Text, // the usual case
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' if !inline => Kind::LineBreak,
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => Kind::Space,
            _ if is_space(c) => Kind::Space,
            _ if is_invisible(c) => Kind::Invisible,
            _ => Kind::Text,
        };
        if kind == Kind::Text {
            let cc = combining_class(c);
            surely_nfc &= !(cc != 0 && last_cc > cc)
                && (c.is_ascii() || is_thai(c) || is_nfc_quick(iter::once(c)) == IsNormalized::Yes);
            last_cc = cc;
            if run.is_none() {
                if spaces > 0 && line_has_text {
                    out.push(' ');
                    r.spaces += spaces - usize::from(plain);
                } else {
                    r.spaces += spaces; // leading whitespace
                }
                (spaces, plain, line_has_text, run) = (0, false, true, Some(i));
            }
            continue;
        }
        if let Some(start) = run.take() {
            out.push_str(&text[start..i]);
        }
        if c == '\r' && b.get(next) == Some(&b'\n') {
            next += 1;
        }
        match kind {
            Kind::Space => (spaces, plain, last_cc) = (spaces + 1, plain || c == ' ', 0),
            Kind::LineBreak => {
                r.line_endings += usize::from(c != '\n');
                r.spaces += spaces; // trailing whitespace
                (spaces, plain, line_has_text, last_cc) = (0, false, false, 0);
                out.push('\n');
            }
            _ => r.invisible += 1,
        }
    }
    if let Some(start) = run {
        out.push_str(&text[start..]);
    }
    r.spaces += spaces;
    (out, surely_nfc)
}

/// What the cleaning pass does with a character: keep it, or handle it as
/// whitespace, as a line break, or as invisible.
#[derive(PartialEq)]
enum Kind {
    Text,
    Space,
    LineBreak,
    Invisible,
}

/// Whitespace within a line; all of it becomes one plain space.
#[rustfmt::skip]
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{0B}' | '\u{0C}' | '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}'
        | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

/// Format characters (category Cf, Unicode 15) and the control characters not
/// handled as line breaks or spaces. None is visible in Thai prose. (Emoji ZWJ
/// sequences fall apart into their parts: acceptable in a book.)
#[rustfmt::skip]
fn is_invisible(c: char) -> bool {
    matches!(c, '\0'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{AD}' | '\u{600}'..='\u{605}'
        | '\u{61C}' | '\u{6DD}' | '\u{70F}' | '\u{890}'..='\u{891}' | '\u{8E2}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}'
        | '\u{110CD}' | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// Step 4, only when the quick check could not say "yes". Per line, to count.
fn nfc_by_line(text: &str, r: &mut Repairs) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let start = out.len();
        out.extend(line.nfc());
        r.nfc_lines += usize::from(out[start..] != *line);
    }
    out
}

const SARA_AA: char = '\u{0E32}';
const SARA_AM: char = '\u{0E33}';
const SARA_E: char = '\u{0E40}';
const SARA_AE: char = '\u{0E41}';
const NIKHAHIT: char = '\u{0E4D}';

fn is_thai(c: char) -> bool {
    matches!(c, '\u{0E00}'..='\u{0E7F}')
}

/// The Thai character at byte `i`, if one starts there: U+0E00–U+0E7F is
/// E0 B8 xx or E0 B9 xx in UTF-8, so the passes can skip along the bytes.
#[inline]
fn thai_at(b: &[u8], i: usize) -> Option<char> {
    match *b.get(i..i + 3)? {
        [0xE0, hi @ (0xB8 | 0xB9), lo] => {
            char::from_u32(0x0E00 | u32::from(hi & 1) << 6 | u32::from(lo & 0x3F))
        }
        _ => None,
    }
}

/// The character starting at byte `i` (a char boundary), ASCII and Thai first.
#[inline]
fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes();
    match b[i] {
        x if x < 0x80 => char::from(x),
        _ => thai_at(b, i).unwrap_or_else(|| text[i..].chars().next().unwrap()),
    }
}

/// Canonical combining class, answered locally for ASCII and Thai (the hot path).
fn combining_class(c: char) -> u8 {
    match c {
        '\0'..='\u{7F}' => 0,
        '\u{0E00}'..='\u{0E7F}' => THAI_CCC[c as usize & 0x7F],
        _ => canonical_combining_class(c),
    }
}

/// Combining classes of the Thai block: all 0 but for these marks.
const THAI_CCC: [u8; 128] = {
    let mut t = [0; 128];
    (t[0x38], t[0x39], t[0x3A]) = (103, 103, 9); // SARA U, SARA UU, PHINTHU
    (t[0x48], t[0x49], t[0x4A], t[0x4B]) = (107, 107, 107, 107); // tone marks
    t
};

/// Above and below vowels (and MAITAIKHU): written right after the consonant.
fn is_vowel_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}')
}

/// The four tone marks and THANTHAKHAT: written after the vowel marks.
fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{0E48}'..='\u{0E4C}')
}

/// Every mark that stacks on a letter: vowels, tones, THANTHAKHAT, NIKHAHIT, YAMAKKAN.
fn is_mark(c: char) -> bool {
    is_vowel_mark(c) || matches!(c, '\u{0E48}'..='\u{0E4E}')
}

/// Step 5, one pass. A *cluster* is a maximal run of marks plus the pieces of a
/// sara am: SARA AA once a NIKHAHIT is in it, or SARA AM; after either, only tone
/// marks (U+0E48–U+0E4B, which belong before the AM) continue it.
fn repair_thai(text: &str, r: &mut Repairs) -> String {
    let mut out = String::with_capacity(text.len());
    let mut cluster = Vec::with_capacity(8);
    let (b, mut i) = (text.as_bytes(), 0);
    let mut copied = 0; // text[..copied] is dealt with
    let mut cluster_end = usize::MAX; // where the last cluster ended
    while i < b.len() {
        let Some(c) = thai_at(b, i) else {
            i += 1; // no Thai char starts at a continuation byte
            continue;
        };
        let mut end = i + 3;
        // The hot path: most Thai chars do not start a pair of marks (or of SARA E).
        let pairs = |n: char| {
            (c == SARA_E) & (n == SARA_E)
                | in_cluster(c) & (in_cluster(n) | (c == NIKHAHIT) & (n == SARA_AA))
        };
        if !thai_at(b, end).is_some_and(pairs) {
            i = end;
            continue;
        }
        if c == SARA_E {
            // Two SARA E never follow each other in Thai (each needs a consonant
            // after it) and `เเ` looks exactly like `แ`: a classic OCR and typing
            // slip. Three or more is noise we cannot read, so it is kept.
            end += 3;
            if thai_at(b, end) != Some(SARA_E) {
                out.push_str(&text[copied..i]);
                out.push(SARA_AE);
                (r.sara_ae, copied) = (r.sara_ae + 1, end);
            }
            while thai_at(b, end) == Some(SARA_E) {
                end += 3;
            }
            i = end;
            continue;
        }
        cluster.clear();
        cluster.push(c);
        let (mut closed, mut nikhahit) = (c == SARA_AM, c == NIKHAHIT);
        while let Some(n) = thai_at(b, end).filter(|&n| joins(closed, nikhahit, n)) {
            closed |= n == SARA_AA || n == SARA_AM;
            nikhahit |= n == NIKHAHIT;
            cluster.push(n);
            end += 3;
        }
        let (start, after_cluster) = (i, i == cluster_end);
        (cluster_end, i) = (end, end);
        // Most clusters (a lone mark, or a vowel and then its tone) are right.
        let am = |c| c == SARA_AA || c == SARA_AM;
        let right = |w: &[char]| w[0] != w[1] && in_order(w[0], w[1]) && !am(w[0]) && !am(w[1]);
        if cluster.windows(2).all(right) {
            continue;
        }
        let prev = text[..start].chars().next_back().unwrap_or('\n');
        // Marks move only in a cluster right after its letter (not after another
        // cluster, as in garbage like `ำำ่`: a tone moved there would join the
        // cluster before, and a second pass would move it again), and between two
        // starters (a closed cluster ends in SARA AM): moving marks next to a
        // foreign combining mark could break NFC.
        let after_letter = !after_cluster && combining_class(prev) == 0;
        let next_is_starter = end == b.len() || combining_class(char_at(text, end)) == 0;
        let may_move = after_letter && (closed || next_is_starter);
        fix_cluster(&mut cluster, may_move, r);
        out.push_str(&text[copied..start]);
        out.extend(cluster.iter());
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// A mark or SARA AM: what can start a cluster.
fn in_cluster(c: char) -> bool {
    is_mark(c) || c == SARA_AM
}

/// Whether `n` continues a cluster: once it is `closed` by a SARA AA or AM, only
/// a tone mark (which belongs before the AM); before that any mark, SARA AM, or
/// SARA AA if a NIKHAHIT is in the cluster.
fn joins(closed: bool, nikhahit: bool, n: char) -> bool {
    if closed {
        return matches!(n, '\u{0E48}'..='\u{0E4B}');
    }
    is_mark(n) || n == SARA_AM || (n == SARA_AA && nikhahit)
}

/// Puts one cluster in Thai order: vowel marks, tone marks, then SARA AM.
fn fix_cluster(cluster: &mut Vec<char>, may_move: bool, r: &mut Repairs) {
    let mut am = false;
    if may_move {
        // NFC does not compose `ํ` + `า` (U+0E33 has only a compatibility
        // decomposition), so we do. A tone typed after the AA or AM still sits on
        // this letter: it is the cluster's tone and goes before the AM.
        if let Some(aa) = cluster.iter().position(|&c| c == SARA_AA) {
            let nikhahit = cluster[..aa].iter().rposition(|&c| c == NIKHAHIT);
            cluster.remove(aa);
            cluster.remove(nikhahit.expect("AA joins a cluster only after NIKHAHIT"));
            (am, r.sara_am) = (true, r.sara_am + 1);
        } else if let Some(i) = cluster.iter().position(|&c| c == SARA_AM) {
            cluster.remove(i);
            (am, r.sara_am) = (true, r.sara_am + usize::from(i < cluster.len()));
        }
        // Tone marks after vowel marks (the classic "tone before vowel" typing
        // slip: `ก่ิ` renders as `กิ่`), each group keeping its order, but never
        // across a NIKHAHIT or YAMAKKAN (rare Pali marks we do not second-guess).
        // Then combining classes ascending (PHINTHU 9, SARA U/UU 103, tones 107)
        // as NFC wants, so the result stays NFC.
        let mut reordered = false;
        for part in cluster.split_mut(|&c| matches!(c, '\u{0E4D}' | '\u{0E4E}')) {
            if part.windows(2).all(|w| in_order(w[0], w[1])) {
                continue;
            }
            reordered = true;
            part.sort_by_key(|&c| is_tone_mark(c)); // stable: vowels first
            for i in 1..part.len() {
                let mut j = i;
                while j > 0 && !in_order(part[j - 1], part[j]) {
                    part.swap(j - 1, j);
                    j -= 1;
                }
            }
        }
        r.reordered_marks += usize::from(reordered);
    }
    // The same mark twice in a row stacks on itself: it looks like one and is one.
    // Two *different* tone (or vowel) marks are a real error, and which one was
    // meant needs a reader, so they stay.
    let len = cluster.len();
    cluster.dedup();
    r.doubled_marks += len - cluster.len();
    if am {
        cluster.push(SARA_AM);
    }
}

/// Whether mark `a` may come right before mark `b`: no tone before a vowel
/// mark, and combining classes ascending unless one is 0 (as in NFC).
fn in_order(a: char, b: char) -> bool {
    let (ca, cb) = (combining_class(a), combining_class(b));
    !(is_tone_mark(a) && is_vowel_mark(b)) && (ca == 0 || cb == 0 || ca <= cb)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER_4: &str = include_str!("../../corpus/000_80e13b9055b36a2d.txt");
    const CHAPTER_3: &str = include_str!("../../corpus/001_4bdccb741793f620.txt");
    const KIROV: &str = "คี\u{631}\u{648}\u{641}"; // OCR noise: three Arabic letters
    const TROTSKY: &str = "ท\u{631}\u{648}\u{62A}สกี";

    /// Normalizes `input`, checks the result and that a second pass changes
    /// nothing, and lists the repairs made, e.g. "sara_am 1, spaces 2".
    fn check(input: &str, expected: &str) -> String {
        let (out, r) = normalize_with_report(input);
        assert_eq!(out, expected, "from {input:?}");
        let again = normalize_with_report(&out);
        assert_eq!(again, (out.clone(), Repairs::default()), "second pass");
        let json = serde_json::to_value(r).unwrap();
        let counts = json.as_object().unwrap().iter().filter(|(_, n)| **n != 0);
        let counts: Vec<String> = counts.map(|(k, n)| format!("{k} {n}")).collect();
        counts.join(", ")
    }

    #[test]
    fn crlf_lone_cr_and_unicode_line_separators_become_lf() {
        let done = check("ก\r\nข\rค\n\r\nง\u{2028}จ", "ก\nข\nค\n\nง\nจ");
        assert_eq!(done, "line_endings 4");
    }

    #[test]
    fn invisible_characters_are_removed() {
        let s = "\u{FEFF}ค\u{200B}ำ\u{200C}ไ\u{200D}ทย\u{2060} soft\u{AD}ware\u{202B}\u{7}";
        assert_eq!(check(s, "คำไทย software"), "invisible 8");
    }

    #[test]
    fn unicode_spaces_and_tabs_become_one_space_and_lines_are_trimmed() {
        let s = "  ก\u{A0}\u{A0}ข\tค\u{3000}ง\u{202F}จ  \n\t**บทที่ 4**  \n";
        assert_eq!(check(s, "ก ข ค ง จ\n**บทที่ 4**\n"), "spaces 12");
    }

    #[test]
    fn text_is_put_in_nfc() {
        let done = check("Serge\nSe\u{301}rge", "Serge\nS\u{E9}rge");
        assert_eq!(done, "nfc_lines 1");
    }

    #[test]
    fn nikhahit_and_sara_aa_become_sara_am_with_the_tone_before_it() {
        assert_eq!(check("น\u{0E4D}\u{0E32}", "น\u{0E33}"), "sara_am 1"); // นำ
        let water = "น\u{0E49}\u{0E33}"; // น้ำ: NO NU, MAI THO, SARA AM
        for typed in [
            "น\u{0E49}\u{0E4D}\u{0E32}", // tone, nikhahit, aa (the NFKD order)
            "น\u{0E4D}\u{0E49}\u{0E32}", // nikhahit, tone, aa
            "น\u{0E4D}\u{0E32}\u{0E49}", // nikhahit, aa, tone
            "น\u{0E33}\u{0E49}",         // sara am, tone
        ] {
            assert_eq!(check(typed, water), "sara_am 1");
        }
    }

    #[test]
    fn a_nikhahit_without_sara_aa_is_kept_for_pali() {
        assert_eq!(check("พุทฺธํ สรณํ", "พุทฺธํ สรณํ"), "");
    }

    #[test]
    fn a_mark_typed_twice_counts_once_but_two_different_tones_stay() {
        let done = check("ก\u{0E34}\u{0E34}\u{0E48}\u{0E48}", "ก\u{0E34}\u{0E48}");
        assert_eq!(done, "doubled_marks 2");
        assert_eq!(check("ก\u{0E48}\u{0E49}", "ก\u{0E48}\u{0E49}"), "");
    }

    #[test]
    fn a_tone_mark_typed_before_its_vowel_goes_after_it() {
        // MAI EK before SARA I: กิ่ง; THANTHAKHAT before SARA I; SARA I on both sides.
        let done = check("ก\u{0E48}\u{0E34}ง", "ก\u{0E34}\u{0E48}ง");
        assert_eq!(done, "reordered_marks 1");
        let done = check("ก\u{0E4C}\u{0E34}", "ก\u{0E34}\u{0E4C}");
        assert_eq!(done, "reordered_marks 1");
        let done = check("ก\u{0E34}\u{0E48}\u{0E34}", "ก\u{0E34}\u{0E48}");
        assert_eq!(done, "doubled_marks 1, reordered_marks 1");
    }

    #[test]
    fn two_sara_e_become_sara_ae_but_longer_runs_are_kept() {
        assert_eq!(check("\u{0E40}\u{0E40}ปล", "\u{0E41}ปล"), "sara_ae 1"); // เเปล → แปล
        let three = "\u{0E40}\u{0E40}\u{0E40}ก";
        assert_eq!(check(three, three), "");
    }

    #[test]
    fn ocr_noise_markdown_footnotes_and_quotes_are_not_touched() {
        let bengali = "ม\u{9A8}\u{9CD}\u{9A4}\u{9CD}\u{9B0}\u{9C0}";
        let s = format!("## **{KIROV}** stadalin {bengali} ...ว่า “ไป”…<sup>30</sup> ผลผลิต²⁶");
        assert_eq!(check(&s, &s), "");
    }

    #[test]
    fn many_repairs_happen_in_one_call() {
        let s = "\r\n \u{0E40}\u{0E40}ม่\u{200B}น\u{0E4D}\u{0E49}\u{0E32}\u{0E49}ก\u{0E48}\u{0E34}\u{0E34}  \t\r";
        let done = check(s, "\n\u{0E41}ม่น\u{0E49}\u{0E33}ก\u{0E34}\u{0E48}\n");
        let all = "doubled_marks 2, invisible 1, line_endings 2, reordered_marks 1, sara_ae 1, sara_am 1, spaces 4";
        assert_eq!(done, all);
    }

    #[test]
    fn the_real_corpus_keeps_its_lines_and_its_ocr_noise_and_a_second_pass_changes_nothing() {
        for chapter in [CHAPTER_3, CHAPTER_4] {
            let out = normalize(chapter);
            assert_eq!(out.lines().count(), chapter.lines().count());
            for (before, after) in chapter.lines().zip(out.lines()) {
                assert_eq!(before.trim_end(), after, "only trailing spaces may change");
            }
            for noise in [KIROV, TROTSKY, "stadalin"] {
                assert_eq!(out.matches(noise).count(), chapter.matches(noise).count());
            }
            let again = normalize_with_report(&out);
            assert_eq!(again, (out.clone(), Repairs::default()));
        }
        // The noise is really there.
        assert_eq!(CHAPTER_4.matches(KIROV).count(), 6);
        assert_eq!(CHAPTER_4.matches("stadalin").count(), 5);
        assert_eq!(CHAPTER_3.matches(TROTSKY).count(), 4);
    }

    #[test]
    fn print_the_repairs_made_to_the_real_corpus() {
        for (name, chapter) in [
            ("000 (chapter 4)", CHAPTER_4),
            ("001 (chapter 3)", CHAPTER_3),
        ] {
            let start = std::time::Instant::now();
            let (_, r) = normalize_with_report(chapter);
            println!("{name}: {r:?} in {:?}", start.elapsed());
        }
    }

    #[test]
    fn inline_input_becomes_one_trimmed_line() {
        let query = "  \u{0E40}\u{0E40}ปล\r\n\u{200B}คำ\tค้น\n";
        assert_eq!(normalize_inline(query), "\u{0E41}ปล คำ ค้น");
        assert_eq!(normalize_inline("\n \n"), "");
    }

    #[test]
    fn utf8_is_decoded_without_its_bom() {
        assert_eq!(decode_utf8("\u{FEFF}สตาลิน".as_bytes()), Ok("สตาลิน"));
    }

    #[test]
    fn a_bad_byte_in_thai_text_is_reported_at_its_offset() {
        let mut bytes = "บทที่ 4\nสตาลิน".as_bytes().to_vec();
        let offset = "บทที่ 4\nสตา".len();
        bytes.insert(offset, 0xE0); // a lead byte, then another lead byte
        let err = decode_utf8(&bytes).unwrap_err();
        assert_eq!(
            err,
            DecodeError::InvalidUtf8 {
                offset,
                byte: 0xE0,
                line: 2
            }
        );
        let message = format!("not valid UTF-8: the first bad byte is at offset {offset}");
        assert_eq!(err.to_string(), message + " (byte 0xE0), on line 2");
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), &bytes].concat(); // offsets count the BOM
        let err = decode_utf8(&with_bom).unwrap_err();
        assert!(matches!(err, DecodeError::InvalidUtf8 { offset: o, .. } if o == offset + 3));
    }

    #[test]
    fn utf16_is_rejected_with_or_without_a_bom() {
        let le = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let be = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_be_bytes).collect() };
        let all_thai_so_no_nul = le("สตาลิน");
        for bytes in [
            le("\u{FEFF}บท 4"),
            be("\u{FEFF}บท 4"),
            le("บท 4"),
            be("Stalin"),
            all_thai_so_no_nul,
        ] {
            assert_eq!(decode_utf8(&bytes), Err(DecodeError::Utf16), "{bytes:02X?}");
        }
        let message = DecodeError::Utf16.to_string();
        assert!(message.contains("UTF-16 text; save the file as UTF-8"));
    }

    #[test]
    fn a_nul_byte_means_binary_data() {
        let err = decode_utf8(b"abc\0def").unwrap_err();
        assert_eq!(err.to_string(), "binary data (NUL byte at offset 3)");
    }
}
