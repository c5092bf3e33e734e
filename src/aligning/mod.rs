//! Bringing in a translation made elsewhere: an English text is read and checked
//! ([`read_english`]), aligned with the chapter's Thai segments (`crate::align`), stored
//! for its uploader to review ([`start`], `db::alignments`), edited bead by bead
//! ([`edit`]), and accepted into drafts in one transaction (`accept`).
//!
//! What each Thai segment would get is worked out by [`proposals`] (pure), for the review
//! page and the accept alike, so what the page shows is what is saved.

mod accept;
pub mod command;

use sqlx::{Connection, PgConnection};
use uuid::Uuid;

pub use accept::{accept, AcceptReport, Choice};

use crate::align::{self, beads, divide, Bead, Edit, Unit};
use crate::db;
use crate::db::alignments::{AlignedSegment, NewAlignment};
use crate::text::anchors::thai_share;
use crate::text::normalize::{decode_utf8, normalize};
use crate::workflow::{WorkflowError, MAX_TEXT_CHARS};

/// An English text may have at most this many times as many paragraphs as the chapter has
/// segments: more is not a translation of this chapter.
pub const MAX_PARAGRAPH_RATIO: usize = 10;

/// Why an uploaded text cannot be aligned; each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("The text is empty: choose a file with the English translation, or paste it.")]
    Empty,
    #[error(
        "The file is not plain text: {0}. Save it as UTF-8 plain text (.txt) or Markdown (.md)."
    )]
    NotText(String),
    #[error("This looks like a word-processor file (.docx or another zipped format). Save it as plain text (.txt) or Markdown (.md) and upload that.")]
    Zipped,
    #[error("This text is Thai ({percent}% of its letters): upload the English translation, not the Thai.")]
    Thai { percent: u32 },
    #[error("The text has {paragraphs} paragraphs, more than {limit} ({ratio} times the chapter's {segments} segments): is it the translation of this chapter? Paragraphs are separated by blank lines.")]
    TooManyParagraphs {
        paragraphs: usize,
        segments: usize,
        limit: usize,
        ratio: usize,
    },
    #[error("Paragraph {number} is {chars} characters long; a translation of one segment may have at most {limit}.")]
    ParagraphTooLong {
        number: usize,
        chars: usize,
        limit: usize,
    },
}

/// The English paragraphs of an uploaded file: UTF-8 (a BOM is fine), normalized like typed
/// text, split at blank lines, lines within a paragraph joined, Markdown heading marks
/// (`## `) dropped. Checked against a chapter of `segments` segments.
pub fn read_english(bytes: &[u8], segments: usize) -> Result<Vec<String>, ReadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(ReadError::Zipped);
    }
    let text = decode_utf8(bytes).map_err(|e| ReadError::NotText(e.to_string()))?;
    let text = normalize(text);
    let paragraphs: Vec<String> = align::blocks(&text)
        .into_iter()
        .map(|block| {
            let joined = block.lines().map(str::trim).collect::<Vec<_>>().join(" ");
            let unmarked = joined.trim_start_matches('#').trim_start();
            match joined.starts_with('#') && !unmarked.is_empty() {
                true => unmarked.to_string(),
                false => joined,
            }
        })
        .collect();
    if paragraphs.is_empty() {
        return Err(ReadError::Empty);
    }
    let share = thai_share(&text);
    if share > 0.5 {
        return Err(ReadError::Thai {
            percent: (share * 100.0).round() as u32,
        });
    }
    let limit = MAX_PARAGRAPH_RATIO * segments.max(1);
    if paragraphs.len() > limit {
        return Err(ReadError::TooManyParagraphs {
            paragraphs: paragraphs.len(),
            segments,
            limit,
            ratio: MAX_PARAGRAPH_RATIO,
        });
    }
    for (i, p) in paragraphs.iter().enumerate() {
        let chars = p.chars().count();
        if chars > MAX_TEXT_CHARS {
            return Err(ReadError::ParagraphTooLong {
                number: i + 1,
                chars,
                limit: MAX_TEXT_CHARS,
            });
        }
    }
    Ok(paragraphs)
}

/// Which Thai segments read as headings (title and heading segments).
pub fn is_heading_kind(kind: &str) -> bool {
    matches!(kind, "chapter_title" | "heading")
}

/// Aligns English paragraphs with a chapter's segments.
pub fn align_with(segments: &[(&str, &str)], paragraphs: &[String]) -> Vec<Bead> {
    let th: Vec<Unit> = segments
        .iter()
        .map(|(kind, text)| Unit::thai(text, is_heading_kind(kind)))
        .collect();
    let en: Vec<Unit> = paragraphs.iter().map(|p| Unit::english(p)).collect();
    align::align(&th, &en)
}

/// Reads, aligns and stores an uploaded text for the chapter; returns the alignment's id.
/// Nothing is stored when the text is refused.
pub async fn start(
    conn: &mut PgConnection,
    user_id: Uuid,
    chapter_id: Uuid,
    file_name: &str,
    bytes: &[u8],
) -> Result<Result<Uuid, ReadError>, sqlx::Error> {
    let segments = db::segments::list_chapter_segments(conn, chapter_id).await?;
    let paragraphs = match read_english(bytes, segments.len()) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    let pairs: Vec<(&str, &str)> = segments
        .iter()
        .map(|s| (s.kind.as_str(), s.source_th.as_str()))
        .collect();
    let beads = align_with(&pairs, &paragraphs);
    let ids: Vec<Uuid> = segments.iter().map(|s| s.id).collect();
    let name: String = file_name.trim().chars().take(255).collect();
    let new = NewAlignment {
        chapter_id,
        user_id,
        file_name: if name.is_empty() {
            "pasted text"
        } else {
            &name
        },
        segment_ids: &ids,
        paragraphs: &paragraphs,
        beads: &beads,
    };
    db::alignments::insert(conn, &new).await.map(Ok)
}

/// Applies one fix to the user's pending alignment, if `version` is still its version.
pub async fn edit(
    conn: &mut PgConnection,
    user_id: Uuid,
    id: Uuid,
    version: i32,
    bead: usize,
    edit: Edit,
) -> Result<(), WorkflowError> {
    let mut tx = conn.begin().await?;
    let alignment = db::alignments::lock_own(&mut tx, id, user_id)
        .await?
        .ok_or(WorkflowError::NotFound("alignment"))?;
    if alignment.accepted_at.is_some() {
        return Err(WorkflowError::Conflict(
            "this alignment was accepted already; it can no longer change".into(),
        ));
    }
    if alignment.version != version {
        return Err(WorkflowError::Conflict(
            "the alignment changed since this page was shown (another tab?): here it is as it is now"
                .into(),
        ));
    }
    let mut beads = alignment.beads.0;
    beads::apply(&mut beads, bead, edit).map_err(|e| WorkflowError::Invalid(e.to_string()))?;
    db::alignments::update_beads(&mut tx, id, &beads).await?;
    tx.commit().await?;
    Ok(())
}

/// What a bead would give one Thai segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Index into the alignment's segments.
    pub segment: usize,
    /// The English it would get (`None`: the bead has no English for it).
    pub english: Option<String>,
    /// The segment has English already (a draft, or text under review or approved): the
    /// import does not replace it unless the user says so.
    pub conflict: bool,
}

/// What each Thai segment of each bead would get: the bead's English, divided among its
/// Thai segments when it has several (`align::divide`).
pub fn proposals(
    beads: &[Bead],
    segments: &[AlignedSegment],
    paragraphs: &[String],
) -> Vec<Vec<Proposal>> {
    beads
        .iter()
        .map(|bead| {
            let english: Vec<&str> = bead.en.iter().map(|&j| paragraphs[j].as_str()).collect();
            let lengths: Vec<usize> = bead
                .th
                .iter()
                .map(|&i| align::gale_church::length(&segments[i].source_th))
                .collect();
            let pieces = match english.is_empty() {
                true => vec![None; bead.th.len()],
                false => divide::divide(&english, &lengths),
            };
            bead.th
                .iter()
                .zip(pieces)
                .map(|(&i, english)| Proposal {
                    segment: i,
                    english,
                    conflict: segments[i].current_revision_id.is_some(),
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_read_as_paragraphs_without_markdown_heading_marks() {
        let text = "\u{FEFF}## The New Economic Policy\n\nWhen the war\nended, Russia lay in ruins.\n\n\nNext.\n";
        assert_eq!(
            read_english(text.as_bytes(), 3).unwrap(),
            [
                "The New Economic Policy",
                "When the war ended, Russia lay in ruins.",
                "Next."
            ]
        );
    }

    #[test]
    fn bad_uploads_are_refused_with_a_reason() {
        assert_eq!(read_english(b"", 3), Err(ReadError::Empty));
        assert_eq!(read_english(b" \n\n \n", 3), Err(ReadError::Empty));
        assert!(matches!(
            read_english(b"abc\xff", 3),
            Err(ReadError::NotText(_))
        ));
        assert_eq!(read_english(b"PK\x03\x04rest", 3), Err(ReadError::Zipped));
        let thai = "เมื่อสงครามกลางเมืองยุติ โซเวียตรุสเซีย (Vesenkha) ค.ศ. 1921";
        assert!(matches!(
            read_english(thai.as_bytes(), 3),
            Err(ReadError::Thai { .. })
        ));
        let many = "A paragraph.\n\n".repeat(31);
        let refused = read_english(many.as_bytes(), 3).unwrap_err();
        assert!(refused.to_string().contains("31 paragraphs"), "{refused}");
        assert!(read_english("A paragraph.\n\n".repeat(30).as_bytes(), 3).is_ok());
    }
}
