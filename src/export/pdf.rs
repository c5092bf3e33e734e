//! A LaTeX edition compiled to PDF with XeLaTeX, and what the log says about it.
//!
//! XeLaTeX runs in a directory of the caller's (one per job: it writes its `.aux`, `.toc`
//! and `.log` there) as many times as the document needs — again while the log asks for a
//! rerun or the table of contents changed, at most [`MAX_RUNS`] times — under one time limit
//! for all runs; a run past the limit is killed. Blocking: an async caller runs it on a
//! blocking thread.
//!
//! A PDF can come out with problems XeLaTeX only warns about, so they are reported with it:
//! characters no font has (OCR noise in other scripts prints as nothing) and overfull lines.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{latex, Edition, ExportOptions};

/// A document with a table of contents needs two runs; a third when page numbers moved.
pub const MAX_RUNS: u32 = 3;

/// The file names inside the work directory.
const JOB: &str = "edition";

#[derive(Debug)]
pub struct PdfOutput {
    pub pdf: Vec<u8>,
    /// How many times XeLaTeX ran.
    pub runs: u32,
    pub warnings: LogWarnings,
}

/// The warnings of the last run that matter to a reader of the PDF.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LogWarnings {
    /// Characters some font lacks, once per character and font, in order of appearance.
    pub missing_characters: Vec<MissingCharacter>,
    /// Lines wider than the column (`\hbox`) and pages taller than the page (`\vbox`).
    pub overfull_boxes: Vec<OverfullBox>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingCharacter {
    pub character: String,
    /// `U+0631`
    pub code_point: String,
    pub font: String,
    /// How many times the log reports it.
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OverfullBox {
    /// `hbox` (a line) or `vbox` (a page or a box of lines).
    pub kind: String,
    /// By how much it overflows, in TeX points.
    pub points: f64,
    /// The rest of the log line: where it is (`in paragraph at lines 120--121`).
    pub location: String,
}

impl LogWarnings {
    /// The widest overfull line, in points (0 when there is none).
    pub fn widest_overfull_hbox(&self) -> f64 {
        self.overfull_boxes
            .iter()
            .filter(|b| b.kind == "hbox")
            .map(|b| b.points)
            .fold(0.0, f64::max)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "xelatex is not installed (or not on PATH): install TeX Live's XeTeX and the fonts, \
         e.g. `apt-get install texlive-xetex fonts-thai-tlwg fonts-texgyre` on Debian"
    )]
    NotInstalled,
    #[error("xelatex failed (run {run}); the end of its log:\n{log_tail}")]
    Failed { run: u32, log_tail: String },
    #[error("xelatex took longer than {limit:?} and was stopped; the end of its log:\n{log_tail}")]
    TimedOut { limit: Duration, log_tail: String },
    #[error("cannot use the work directory {dir}: {error}")]
    WorkDir { dir: PathBuf, error: std::io::Error },
}

/// The edition as a PDF: [`latex::write_latex`], then [`compile_pdf`].
pub fn export_pdf(
    edition: &Edition,
    options: &ExportOptions,
    workdir: &Path,
    timeout: Duration,
) -> Result<PdfOutput, PdfError> {
    compile_pdf(&latex::write_latex(edition, options), workdir, timeout)
}

/// Compiles a LaTeX document with XeLaTeX in `workdir` (created if missing).
pub fn compile_pdf(tex: &str, workdir: &Path, timeout: Duration) -> Result<PdfOutput, PdfError> {
    let dir_error = |error| PdfError::WorkDir {
        dir: workdir.to_path_buf(),
        error,
    };
    std::fs::create_dir_all(workdir).map_err(dir_error)?;
    std::fs::write(workdir.join(format!("{JOB}.tex")), tex).map_err(dir_error)?;
    let toc_path = workdir.join(format!("{JOB}.toc"));
    let log_path = workdir.join(format!("{JOB}.log"));
    let deadline = Instant::now() + timeout;
    let mut runs = 0;
    loop {
        let toc_before = std::fs::read(&toc_path).ok();
        runs += 1;
        let status = run_xelatex(workdir, deadline).map_err(|e| match e {
            RunError::NotFound => PdfError::NotInstalled,
            RunError::TimedOut => PdfError::TimedOut {
                limit: timeout,
                log_tail: log_tail(&log_path),
            },
            RunError::Io(error) => dir_error(error),
        })?;
        if !status.success() {
            return Err(PdfError::Failed {
                run: runs,
                log_tail: log_tail(&log_path),
            });
        }
        let log = read_log(&log_path);
        let toc_changed = std::fs::read(&toc_path).ok() != toc_before;
        if runs < MAX_RUNS && (toc_changed || asks_for_rerun(&log)) {
            continue;
        }
        let pdf = std::fs::read(workdir.join(format!("{JOB}.pdf"))).map_err(dir_error)?;
        return Ok(PdfOutput {
            pdf,
            runs,
            warnings: parse_log(&log),
        });
    }
}

enum RunError {
    NotFound,
    TimedOut,
    Io(std::io::Error),
}

fn run_xelatex(workdir: &Path, deadline: Instant) -> Result<std::process::ExitStatus, RunError> {
    let mut child = Command::new("xelatex")
        .args([
            "-interaction=nonstopmode",
            "-halt-on-error",
            "-no-shell-escape",
            &format!("{JOB}.tex"),
        ])
        .current_dir(workdir)
        // One log line per message, however long, so that warnings can be read back.
        .env("max_print_line", "100000")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RunError::NotFound,
            _ => RunError::Io(e),
        })?;
    loop {
        if let Some(status) = child.try_wait().map_err(RunError::Io)? {
            return Ok(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(RunError::TimedOut);
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// XeTeX writes its log in UTF-8, except for bytes it prints as `^^xx`; be lenient.
fn read_log(path: &Path) -> String {
    std::fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

fn log_tail(path: &Path) -> String {
    let log = read_log(path);
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// LaTeX's and the packages' requests for another run.
fn asks_for_rerun(log: &str) -> bool {
    // Not any line with "Rerun": rerunfilecheck's banner has it on every run.
    log.lines().any(|line| {
        line.contains("Rerun to get")
            || line.contains("Label(s) may have changed")
            || line.contains("Please rerun")
    })
}

/// The missing characters and overfull boxes of a log.
pub fn parse_log(log: &str) -> LogWarnings {
    let mut warnings = LogWarnings::default();
    for line in log.lines() {
        if let Some(rest) = line.strip_prefix("Missing character: There is no ") {
            if let Some(missing) = parse_missing(rest) {
                match warnings
                    .missing_characters
                    .iter_mut()
                    .find(|m| m.code_point == missing.code_point && m.font == missing.font)
                {
                    Some(seen) => seen.count += 1,
                    None => warnings.missing_characters.push(missing),
                }
            }
        } else if let Some(rest) = line.strip_prefix("Overfull \\") {
            if let Some(overfull) = parse_overfull(rest) {
                warnings.overfull_boxes.push(overfull);
            }
        }
    }
    warnings
}

/// `ر (U+0631) in font Laksaman/OT:script=thai;language=dflt;!`
fn parse_missing(rest: &str) -> Option<MissingCharacter> {
    let (character, rest) = rest.split_once(" (")?;
    let (code_point, rest) = rest.split_once(')')?;
    let font = rest.trim().strip_prefix("in font ")?.trim_end_matches('!');
    Some(MissingCharacter {
        character: character.to_string(),
        code_point: code_point.to_string(),
        font: font.to_string(),
        count: 1,
    })
}

/// `hbox (12.3pt too wide) in paragraph at lines 10--12`
fn parse_overfull(rest: &str) -> Option<OverfullBox> {
    let (kind, rest) = rest.split_once(" (")?;
    let (amount, location) = rest.split_once(')')?;
    let points = amount.split_once("pt")?.0.parse().ok()?;
    Some(OverfullBox {
        kind: kind.to_string(),
        points,
        location: location.trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_characters_are_counted_once_per_character_and_font() {
        let log = "Missing character: There is no ر (U+0631) in font Laksaman/OT:script=thai;language=dflt;!\n\
                   Missing character: There is no ر (U+0631) in font Laksaman/OT:script=thai;language=dflt;!\n\
                   Missing character: There is no ন (U+09A8) in font Laksaman/OT:script=thai;language=dflt;!\n";
        let warnings = parse_log(log);
        assert_eq!(warnings.missing_characters.len(), 2);
        assert_eq!(warnings.missing_characters[0].character, "ر");
        assert_eq!(warnings.missing_characters[0].code_point, "U+0631");
        assert_eq!(warnings.missing_characters[0].count, 2);
        assert_eq!(
            warnings.missing_characters[1].font,
            "Laksaman/OT:script=thai;language=dflt;"
        );
    }

    #[test]
    fn overfull_boxes_are_read_with_their_size_and_place() {
        let log = "Overfull \\hbox (12.5pt too wide) in paragraph at lines 10--12\n\
                   []\\TU/Laksaman(0)/m/n/13.42 abc\n\
                   Overfull \\vbox (3.0pt too high) has occurred while \\output is active []\n\
                   Underfull \\hbox (badness 10000) in paragraph at lines 1--2\n";
        let warnings = parse_log(log);
        assert_eq!(warnings.overfull_boxes.len(), 2);
        assert_eq!(warnings.overfull_boxes[0].kind, "hbox");
        assert_eq!(warnings.overfull_boxes[0].points, 12.5);
        assert_eq!(
            warnings.overfull_boxes[0].location,
            "in paragraph at lines 10--12"
        );
        assert_eq!(warnings.widest_overfull_hbox(), 12.5);
    }

    #[test]
    fn reruns_are_asked_for_by_latex_and_its_packages() {
        assert!(asks_for_rerun(
            "LaTeX Warning: Label(s) may have changed. Rerun to get cross-references right."
        ));
        assert!(asks_for_rerun(
            "Package hyperref Warning: Rerun to get /PageLabels entry."
        ));
        assert!(asks_for_rerun(
            "(rerunfilecheck)                Rerun to get outlines right"
        ));
        assert!(!asks_for_rerun(
            "Package rerunfilecheck Info: File `edition.out' has not changed."
        ));
        assert!(!asks_for_rerun(
            "Package: rerunfilecheck 2022-07-10 v1.10 Rerun checks for auxiliary files (HO)"
        ));
    }
}
