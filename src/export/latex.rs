//! The edition as a XeLaTeX document.
//!
//! The fixed part (fonts, Thai line breaking, one environment per segment kind and
//! language, chapter openings, the table of contents) is `latex/preamble.tex`; this module
//! writes the content through [`LatexWriter`], which takes only escaped text or fixed
//! markup ([`escape`]). Each segment is written as
//!
//! ```text
//! % segment <id> <kind>
//! \begin{thpara}…Thai…\end{thpara}
//! \switchcolumn
//! \begin{enpara}…English, or \plaegap{not yet translated}…\end{enpara}
//! \switchcolumn*
//! ```
//!
//! so that in the two paracol layouts every pair starts level (`\switchcolumn*` is a
//! synchronization point): side by side in `columns`, on facing pages in `facing`
//! (`\twosided[p]`, column 0 on left pages). `interleaved` leaves the column switches out.

pub mod escape;

use self::escape::LatexWriter;
use super::{
    Edition, EditionChapter, EditionSegment, English, ExportOptions, Include, Kind, Layout,
};
use crate::web::footnotes::{split_footnotes, Part};

const PREAMBLE: &str = include_str!("latex/preamble.tex");

/// What differs between the layouts, before `\begin{document}`.
fn layout_setup(layout: Layout) -> &'static str {
    match layout {
        Layout::Columns => {
            "\\setlength\\columnsep{8mm}\n\\columnratio{0.5}\n\\plaealigntrue\n\
             \\newcommand\\plaechapterpage{\\clearpage}\n"
        }
        // Parallel paging: the chapter opens on a left page, so Thai is always on the left.
        // One language fills a page's width: a smaller page keeps the lines short enough to
        // read.
        Layout::Facing => {
            "\\geometry{b5paper,top=20mm,bottom=24mm,inner=20mm,outer=18mm}\n\
             \\twosided[p]\n\\plaealigntrue\n\\renewcommand\\plaeopeningpages{2}\n\
             \\newcommand\\plaechapterpage{\\clearpage\\ifodd\\value{page}\\hbox{}%\n\
             \\thispagestyle{empty}\\clearpage\\fi}\n"
        }
        Layout::Interleaved => {
            "\\geometry{b5paper,top=20mm,bottom=24mm,inner=20mm,outer=18mm}\n\
             \\setlength\\plaepairskip{12pt plus 3pt minus 2pt}\n\
             \\setlength\\plaeenskip{4pt}\n\\setlength\\plaeenheadskip{2pt}\n\
             \\setlength\\plaeenindent{1.5em}\n\
             \\newcommand\\plaechapterpage{\\clearpage}\n"
        }
    }
}

/// `\begin{paracol}…` for the layouts that have columns.
fn columns_begin(layout: Layout) -> Option<&'static str> {
    match layout {
        Layout::Columns => Some("\\begin{paracol}{2}\n"),
        Layout::Facing => Some("\\begin{paracol}[1]*{2}\n"),
        Layout::Interleaved => None,
    }
}

/// Writes the whole document.
pub fn write_latex(edition: &Edition, options: &ExportOptions) -> String {
    let mut w = LatexWriter::with_capacity(edition.text_len() * 5 / 4 + PREAMBLE.len() + 4096);
    w.raw(PREAMBLE);
    w.raw(layout_setup(options.layout));
    // Front matter in roman numerals: the length of the table of contents does not move the
    // page numbers it lists, so two runs are enough.
    w.raw("\\begin{document}\n\\frontmatter\n\\plaetitlepage{");
    thai(&mut w, &edition.title_th);
    w.raw("}{");
    english(&mut w, &edition.title_en);
    w.raw("}{");
    w.raw(match options.include {
        Include::Approved => "",
        Include::Drafts => "Working copy: the English includes drafts not yet reviewed.",
    });
    w.raw("}\n\\tableofcontents\n\\mainmatter\n");
    for chapter in &edition.chapters {
        write_chapter(&mut w, chapter, options);
    }
    w.raw("\\end{document}\n");
    w.finish()
}

fn write_chapter(w: &mut LatexWriter, chapter: &EditionChapter, options: &ExportOptions) {
    w.raw("\n\\plaechapter{");
    w.number(chapter.number.into());
    w.raw("}{");
    thai(w, &chapter.title_th);
    w.raw("}{");
    if let Some(title_en) = &chapter.title_en {
        english(w, title_en);
    }
    w.raw("}\n");
    let paired = columns_begin(options.layout);
    if !chapter
        .segments
        .iter()
        .any(|s| s.kind == Kind::ChapterTitle)
    {
        // No title segment to translate: the metadata's titles, so the chapter still opens
        // with its name.
        w.raw("\\plaechapterheading{");
        thai(w, &chapter.title_th);
        w.raw("}{");
        if let Some(title_en) = &chapter.title_en {
            english(w, title_en);
        }
        w.raw("}\n");
    }
    if let Some(begin) = paired {
        w.raw(begin);
    }
    let mut previous = None;
    for segment in &chapter.segments {
        let first_note = segment.kind == Kind::Footnote && previous != Some(Kind::Footnote);
        write_segment(w, segment, first_note, paired.is_some(), options.include);
        previous = Some(segment.kind);
    }
    if paired.is_some() {
        w.raw("\\end{paracol}\n");
    }
}

/// One segment: its Thai, then (in the other column, when there are columns) its English
/// or a gap marker, then a synchronization point.
fn write_segment(
    w: &mut LatexWriter,
    segment: &EditionSegment,
    first_note: bool,
    columns: bool,
    include: Include,
) {
    let english_text = segment.english(include);
    w.raw("% segment ");
    w.text(&segment.id.to_string());
    w.raw(" ");
    w.raw(segment.kind.as_str());
    w.raw("\n");
    // Room for the first lines, checked in the Thai column right after the sync point: a
    // Thai line is taller than an English one, so without it the English could start at the
    // foot of a page and its Thai on the next. In paracol `\clearpage` moves all columns on
    // together. Before the contents entry, so that the entry gets the heading's page.
    w.raw(match segment.kind {
        Kind::ChapterTitle => "",
        Kind::Heading => "\\plaekeep{7\\plaethailine}\n",
        _ => "\\plaekeep{3\\plaethailine}\n",
    });
    if segment.kind == Kind::Heading {
        w.raw("\\plaetocheading{");
        thai(w, &segment.thai);
        w.raw("}{");
        if let English::Text(text) = english_text {
            english(w, text);
        }
        w.raw("}\n");
    }
    let (th_env, en_env) = environments(segment.kind);
    if first_note {
        w.raw("\\plaenotes\n");
    }
    w.raw("\\begin{");
    w.raw(th_env);
    w.raw("}\n");
    thai(w, &segment.thai);
    w.raw("\n\\end{");
    w.raw(th_env);
    w.raw("}\n");
    if columns {
        w.raw("\\switchcolumn\n");
        if first_note {
            w.raw("\\plaenotes\n");
        }
    }
    w.raw("\\begin{");
    w.raw(en_env);
    w.raw("}\n");
    match english_text {
        English::Text(text) => english(w, text),
        English::Gap(gap) => {
            w.raw("\\plaegap{");
            w.text(gap.label());
            w.raw("}");
        }
    }
    w.raw("\n\\end{");
    w.raw(en_env);
    w.raw("}\n");
    if columns {
        w.raw("\\switchcolumn*\n");
    }
}

/// The Thai and English environments of a kind (`preamble.tex`).
fn environments(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::ChapterTitle => ("thtitle", "entitle"),
        Kind::Heading => ("thhead", "enhead"),
        Kind::Paragraph => ("thpara", "enpara"),
        Kind::Quote => ("thquote", "enquote"),
        Kind::Footnote => ("thnote", "ennote"),
    }
}

/// Which script a text is written in, for setting runs of the other one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Thai,
    Latin,
}

fn script_of(c: char) -> Option<Script> {
    match c {
        '\u{0E00}'..='\u{0E7F}' => Some(Script::Thai),
        'A'..='Z' | 'a'..='z' => Some(Script::Latin),
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' if c.is_alphabetic() => {
            Some(Script::Latin)
        }
        _ => None,
    }
}

/// Thai text: footnote marks, and Latin words in the English face.
fn thai(w: &mut LatexWriter, text: &str) {
    with_footnotes(w, text, Script::Thai);
}

/// English text: footnote marks, and Thai words in the Thai face.
fn english(w: &mut LatexWriter, text: &str) {
    with_footnotes(w, text, Script::Latin);
}

fn with_footnotes(w: &mut LatexWriter, text: &str, base: Script) {
    for part in split_footnotes(text) {
        match part {
            Part::Text(text) => with_runs(w, text, base),
            Part::Footnote(number) => {
                w.raw("\\plaefn{");
                w.text(number);
                w.raw("}");
            }
        }
    }
}

/// Writes `text`, wrapping each run of the other script (from its first letter to its last,
/// with the spaces and punctuation between) in the macro that switches face.
fn with_runs(w: &mut LatexWriter, text: &str, base: Script) {
    let wrapper = match base {
        Script::Thai => "\\plaelatin{",
        Script::Latin => "\\plaeth{",
    };
    let mut written = 0;
    // The current foreign run: where it starts and where its last letter ends.
    let mut run: Option<(usize, usize)> = None;
    for (i, c) in text.char_indices() {
        match script_of(c) {
            Some(script) if script == base => {
                if let Some((start, end)) = run.take() {
                    w.text(&text[written..start]);
                    w.raw(wrapper);
                    w.text(&text[start..end]);
                    w.raw("}");
                    written = end;
                }
            }
            Some(_) => {
                let start = run.map_or(i, |(start, _)| start);
                run = Some((start, i + c.len_utf8()));
            }
            None => {}
        }
    }
    if let Some((start, end)) = run {
        w.text(&text[written..start]);
        w.raw(wrapper);
        w.text(&text[start..end]);
        w.raw("}");
        written = end;
    }
    w.text(&text[written..]);
}

#[cfg(test)]
mod tests;
