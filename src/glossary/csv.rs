//! The glossary as CSV (RFC 4180): a header `thai,english,note,status`, then one term per
//! record. Written with CRLF line ends and a UTF-8 byte order mark, which spreadsheets need
//! to read Thai as Thai; read with or without either.
//!
//! Written by hand rather than with the `csv` crate: four columns and RFC 4180's quoting
//! are a few dozen lines, and reading must report the line of a bad record in words a
//! volunteer understands.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, so such a
//! cell is written with a `'` in front (the usual defence), and a `'` before one of those
//! is removed on reading: a file Plae wrote comes back unchanged.

use super::{ImportError, NewTerm, TermStatus};

/// A term as written out.
pub struct Row<'a> {
    pub thai: &'a str,
    pub english: &'a str,
    pub note: &'a str,
    pub status: TermStatus,
}

pub fn write<'a>(rows: impl IntoIterator<Item = Row<'a>>) -> String {
    let mut out = String::from("\u{FEFF}thai,english,note,status\r\n");
    for row in rows {
        let cells = [row.thai, row.english, row.note, row.status.as_str()];
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_cell(&mut out, cell);
        }
        out.push_str("\r\n");
    }
    out
}

fn write_cell(out: &mut String, cell: &str) {
    let guarded = cell.starts_with(['=', '+', '-', '@']);
    let cell = match guarded {
        true => format!("'{cell}"),
        false => cell.to_string(),
    };
    if cell.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&cell);
    }
}

/// The records of a CSV text, each with the line it starts on.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, ImportError> {
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start_line = line;
        let mut record = Vec::new();
        let mut cell = String::new();
        let mut quoted = false;
        loop {
            let Some(c) = chars.next() else {
                if quoted {
                    return Err(ImportError {
                        where_: format!("line {start_line}"),
                        message: "a quoted cell is never closed (a \" is missing)".into(),
                    });
                }
                record.push(std::mem::take(&mut cell));
                break;
            };
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => {
                    if c == '\n' {
                        line += 1;
                    }
                    cell.push(c);
                }
                (false, '"') if cell.is_empty() => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut cell)),
                (false, '\r') if chars.peek() == Some(&'\n') => {}
                (false, '\n') | (false, '\r') => {
                    line += 1;
                    record.push(std::mem::take(&mut cell));
                    break;
                }
                (false, c) => cell.push(c),
            }
        }
        // Blank lines are skipped.
        if !(record.len() == 1 && record[0].trim().is_empty()) {
            records.push((start_line, record));
        }
    }
    Ok(records)
}

fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// Every term of a CSV file; the first bad record stops the reading with its line and what
/// is wrong. The header names the columns (any order; `thai` and `english` are needed,
/// `note` and `status` may be left out, a missing status is `proposed`).
pub fn read(text: &str) -> Result<Vec<NewTerm>, ImportError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let records = records(text)?;
    let Some((_, header)) = records.first() else {
        return Err(ImportError::file("the file is empty"));
    };
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(thai), Some(english)) = (column("thai"), column("english")) else {
        return Err(ImportError {
            where_: "line 1".into(),
            message: "the first line must name the columns: thai,english,note,status \
                      (note and status may be left out)"
                .into(),
        });
    };
    let (note, status) = (column("note"), column("status"));
    let mut terms = Vec::new();
    for (line, record) in &records[1..] {
        let at = |i: Option<usize>| i.and_then(|i| record.get(i)).map_or("", |s| unguard(s));
        let where_ = format!("line {line}");
        if record.len() > header.len() {
            return Err(ImportError {
                where_,
                message: format!(
                    "{} cells where the header has {} (a comma in a cell needs quotes)",
                    record.len(),
                    header.len()
                ),
            });
        }
        let status = match at(status).trim() {
            "" => TermStatus::Proposed,
            s => TermStatus::parse(s).ok_or_else(|| ImportError {
                where_: where_.clone(),
                message: format!("the status “{s}” is neither proposed nor approved"),
            })?,
        };
        let term = NewTerm::parse(at(Some(thai)), at(Some(english)), at(note), status)
            .map_err(|message| ImportError { where_, message })?;
        terms.push(term);
    }
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(thai: &'a str, english: &'a str, note: &'a str) -> Row<'a> {
        Row {
            thai,
            english,
            note,
            status: TermStatus::Approved,
        }
    }

    #[test]
    fn terms_come_back_as_they_were_written() {
        let rows = [
            row(
                "โกสแปลน",
                "Gosplan",
                "State Planning Committee, \"the plan\"",
            ),
            row("นารัฐ", "sovkhoz; state farm", "line one\nline two"),
            row("ลบ", "-ism", "=SUM(A1)"),
        ];
        let text = write(rows);
        assert!(text.starts_with("\u{FEFF}thai,english,note,status\r\n"));
        assert!(text.contains("'=SUM(A1)"), "formulas are defused: {text}");
        let back = read(&text).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].note, "State Planning Committee, \"the plan\"");
        // Notes are one line, like every field (normalize_inline).
        assert_eq!(back[1].note, "line one line two");
        assert_eq!(back[2].english, "-ism");
        assert_eq!(back[2].note, "=SUM(A1)");
        assert!(back.iter().all(|t| t.status == TermStatus::Approved));
    }

    #[test]
    fn columns_may_come_in_any_order_and_status_defaults_to_proposed() {
        let terms = read("English,Thai\nGosplan,โกสแปลน\n\n").unwrap();
        assert_eq!(terms.len(), 1);
        assert_eq!(terms[0].thai, "โกสแปลน");
        assert_eq!(terms[0].status, TermStatus::Proposed);
    }

    #[test]
    fn bad_files_say_which_line_and_what_is_wrong() {
        let err = |text: &str| read(text).unwrap_err().to_string();
        assert_eq!(err(""), "the file: the file is empty");
        assert!(err("a,b\nx,y").starts_with("line 1: the first line must name"));
        assert!(err("thai,english\nโกสแปลน,\"Gosplan").contains("never closed"));
        assert!(err("thai,english,status\nโกสแปลน,Gosplan,maybe")
            .starts_with("line 2: the status “maybe”"));
        assert!(err("thai,english\nโกสแปลน,Gosplan\nGosplan,Gosplan")
            .starts_with("line 3: the Thai term “Gosplan” has no Thai letter"));
        assert!(err("thai,english\nโกสแปลน,Gos,plan").contains("a comma in a cell needs quotes"));
    }
}
