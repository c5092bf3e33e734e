//! Blocks: the runs of lines between blank lines, cleaned of markup and classified.

use super::thai_words;

/// What a block is, before page breaks are undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Title,
    Heading,
    Quote,
    Body,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// Cleaned text: lines joined, markup removed, footnote refs as `[^N]`.
    pub text: String,
    /// Display width (columns) of the first and last line, and the number of lines.
    pub first_width: usize,
    pub last_width: usize,
    pub lines: usize,
    /// Characters of text before this block in the chapter (whitespace not counted),
    /// plus an allowance for the vertical space of headings: the page model's ruler.
    pub offset: usize,
    pub units: usize,
}

/// A chapter as blocks, with the wrap width its hard-wrapped paragraphs use (if any).
#[derive(Debug, Clone)]
pub struct Chapter {
    pub blocks: Vec<Block>,
    /// Typical width of a full line in hard-wrapped paragraphs, when there are enough of
    /// them to tell.
    pub wrap_width: Option<usize>,
}

/// A raw block before classification.
struct Raw<'a> {
    lines: Vec<&'a str>,
}

impl Chapter {
    pub fn parse(text: &str) -> Chapter {
        let raws = split_blocks(text);
        let wrap_width = wrap_width(&raws);
        let mut blocks: Vec<Block> = Vec::new();
        let title = leading_title(&raws);
        let mut title_forms: Vec<String> = Vec::new();
        if let Some((count, title_text)) = &title {
            title_forms = raws[..*count]
                .iter()
                .map(|r| compact(&plain_text(r, " ")))
                .collect();
            blocks.push(block(BlockKind::Title, title_text.clone(), &raws[0]));
        }
        let skip = title.as_ref().map_or(0, |(count, _)| *count);
        for raw in &raws[skip..] {
            let markdown_heading = raw.lines.len() == 1 && heading_level(raw.lines[0]).is_some();
            let bold = raw.lines.iter().all(|l| is_bold_line(l));
            let text = if markdown_heading || bold {
                plain_text(raw, " ")
            } else {
                body_text(raw)
            };
            if text.is_empty() || is_page_number(&text) {
                continue;
            }
            // A repeat of the chapter title below the top is a running header.
            if title_forms.contains(&compact(&text)) && !markdown_heading {
                continue;
            }
            let kind = if markdown_heading || bold {
                BlockKind::Heading
            } else if starts_with_ellipsis(&text) {
                BlockKind::Quote
            } else {
                BlockKind::Body
            };
            blocks.push(block(kind, text, raw));
        }
        let mut chapter = Chapter { blocks, wrap_width };
        chapter.classify_plain_headings_and_quotes();
        chapter.measure();
        chapter
    }

    /// Plain-line headings and set-off quotes need their neighbours to be recognized.
    fn classify_plain_headings_and_quotes(&mut self) {
        for i in 1..self.blocks.len() {
            let next_is_body = self
                .blocks
                .get(i + 1)
                .is_some_and(|n| n.kind != BlockKind::Heading);
            let (prev, cur) = (&self.blocks[i - 1], &self.blocks[i]);
            if cur.kind != BlockKind::Body {
                continue;
            }
            // A short line that the text runs on into, or out of, is a page's first or last
            // line, not a heading.
            let runs_on = super::evidence::continuation(self, prev, cur).0 > 0
                || self
                    .blocks
                    .get(i + 1)
                    .is_some_and(|next| super::evidence::continuation(self, cur, next).0 > 0);
            let kind = if next_is_body && !runs_on && looks_like_plain_heading(cur) {
                BlockKind::Heading
            } else if thai_words::ends_with_footnote(&cur.text)
                && (thai_words::introduces_speech(&prev.text) || ends_with_ellipsis_ref(&cur.text))
            {
                // A quotation set off after "he wrote that…", closed by its footnote.
                BlockKind::Quote
            } else {
                BlockKind::Body
            };
            self.blocks[i].kind = kind;
        }
    }

    fn measure(&mut self) {
        let line = self.wrap_width.unwrap_or(60);
        let mut offset = 0;
        for b in &mut self.blocks {
            b.offset = offset;
            let chars = b.text.chars().filter(|c| !c.is_whitespace()).count();
            // A heading takes about three lines of the page with its spacing.
            b.units = match b.kind {
                BlockKind::Heading | BlockKind::Title => chars + 3 * line,
                _ => chars,
            };
            offset += b.units;
        }
    }
}

fn block(kind: BlockKind, text: String, raw: &Raw) -> Block {
    Block {
        kind,
        text,
        first_width: display_width(raw.lines[0]),
        last_width: display_width(raw.lines[raw.lines.len() - 1]),
        lines: raw.lines.len(),
        offset: 0,
        units: 0,
    }
}

fn split_blocks(text: &str) -> Vec<Raw<'_>> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(Raw {
                    lines: std::mem::take(&mut cur),
                });
            }
        } else {
            cur.push(line.trim_end());
        }
    }
    if !cur.is_empty() {
        out.push(Raw { lines: cur });
    }
    out
}

/// The typical width of a full line, from the inner lines of hard-wrapped blocks.
fn wrap_width(raws: &[Raw]) -> Option<usize> {
    let mut widths: Vec<usize> = raws
        .iter()
        .filter(|r| r.lines.len() >= 3)
        .flat_map(|r| {
            r.lines[1..r.lines.len() - 1]
                .iter()
                .map(|l| display_width(l))
        })
        .collect();
    // Fewer than ten full lines say too little about the page width.
    if widths.len() < 10 {
        return None;
    }
    widths.sort_unstable();
    Some(widths[widths.len() / 2])
}

/// Columns a line takes on the page: Thai vowels and tone marks above or below a
/// consonant take none.
pub fn display_width(line: &str) -> usize {
    line.trim()
        .chars()
        .filter(|&c| !thai_words::is_combining(c))
        .count()
}

/// The title run at the top: short blocks before the first paragraph that repeat one
/// title in different forms (`บทที่ 3` / `นโยบาย…` / `## บทที่ 3 นโยบาย…`). Returns how
/// many blocks it spans and the fullest form.
fn leading_title(raws: &[Raw]) -> Option<(usize, String)> {
    let first = raws.first()?;
    if !is_title_like(first) {
        return None;
    }
    let mut best = plain_text(first, " ");
    let mut count = 1;
    for raw in &raws[1..] {
        if !is_title_like(raw) {
            break;
        }
        let form = plain_text(raw, " ");
        let (a, b) = (compact(&form), compact(&best));
        if a.contains(&b) {
            best = form;
        } else if !b.contains(&a) {
            break; // a different short block: a heading or an epigraph, not a repeat
        }
        count += 1;
    }
    Some((count, best))
}

fn is_title_like(raw: &Raw) -> bool {
    raw.lines.len() <= 3
        && raw.lines.iter().all(|l| display_width(l) <= 60)
        && !starts_with_ellipsis(raw.lines[0].trim())
}

/// Text of a title or heading block: markers stripped, lines joined with `sep`.
fn plain_text(raw: &Raw, sep: &str) -> String {
    let parts: Vec<String> = raw.lines.iter().map(|l| strip_markup(l)).collect();
    collapse_spaces(&parts.join(sep))
}

/// Text of a body block: hard-wrapped lines joined the way Thai needs.
fn body_text(raw: &Raw) -> String {
    let mut out = String::new();
    for line in &raw.lines {
        let line = thai_words::canonical_footnotes(line.trim());
        if !out.is_empty() {
            let glue = glue(&out, &line);
            out.push_str(glue);
        }
        out.push_str(&line);
    }
    collapse_spaces(&out)
}

/// What goes between two pieces of text joined across a line or page break: nothing
/// between two Thai letters (Thai has no spaces between words, and a wrap can fall inside
/// a word), nothing after a hyphen, a space anywhere else.
pub fn glue(before: &str, after: &str) -> &'static str {
    let (Some(a), Some(b)) = (before.chars().next_back(), after.chars().next()) else {
        return "";
    };
    if a == ' ' || b == ' ' || a == '-' {
        return "";
    }
    if thai_words::is_thai(a) && thai_words::is_thai(b) {
        return "";
    }
    if thai_words::is_combining(b) || matches!(b, ',' | '.' | ';' | ':' | ')' | ']' | '”' | '’')
    {
        return "";
    }
    " "
}

fn strip_markup(line: &str) -> String {
    let mut s = line.trim();
    if let Some(level) = heading_level(s) {
        s = s[level..].trim_start();
    }
    let s = s.replace("**", "").replace("__", "");
    thai_words::canonical_footnotes(s.trim())
}

/// `## Heading` → Some(2).
fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    (1..=6)
        .contains(&hashes)
        .then_some(hashes)
        .filter(|&n| line[n..].starts_with(' '))
}

fn is_bold_line(line: &str) -> bool {
    let t = line.trim();
    t.len() > 4 && t.starts_with("**") && t.ends_with("**")
}

fn is_page_number(text: &str) -> bool {
    let t = text.trim_matches(|c: char| c == '-' || c == ' ' || c == '—');
    !t.is_empty()
        && t.chars().count() <= 4
        && t.chars()
            .all(|c| c.is_ascii_digit() || ('๐'..='๙').contains(&c))
}

fn starts_with_ellipsis(text: &str) -> bool {
    text.starts_with("...") || text.starts_with('…')
}

fn ends_with_ellipsis_ref(text: &str) -> bool {
    let without_ref = text.trim_end_matches(|c: char| c == ']' || c.is_ascii_digit());
    without_ref
        .strip_suffix("[^")
        .is_some_and(|t| t.ends_with("...") || t.ends_with('…'))
}

/// A short single line with almost no spaces that does not itself run on.
fn looks_like_plain_heading(cur: &Block) -> bool {
    cur.lines == 1
        && display_width(&cur.text) <= 60
        && cur.text.matches(' ').count() <= 2
        && !cur.text.contains("[^")
        && !cur.text.contains(['“', '"', ','])
        && thai_words::dangling_end(&cur.text).is_none()
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
