//! Applying an exchange file: an XLIFF's targets as revisions, a TMX's pairs as memory.
//!
//! Both read and check the whole file first, then write in one transaction: an error
//! anywhere (a unit the workflow refuses, a database failure) rolls everything back.
//!
//! An XLIFF unit is matched to a segment by its id (the segment's UUID). For each:
//! * no such segment (or not a UUID): listed as unknown; a file none of whose units is a
//!   segment is refused (it is some other book's, or not Plae's);
//! * a segment no longer in the source (retired): listed, left alone;
//! * no target: counted as untranslated;
//! * the file's Thai differs from the segment's (the source was re-imported since the
//!   export): a conflict, not imported — the English may not fit the new Thai;
//! * the target is the segment's current text: unchanged, nothing written;
//! * otherwise a new revision by the importing user, noted "imported from FILE on DATE",
//!   through `workflow::import_translation`: based on the revision the file was exported
//!   with (a file that does not say, not Plae's, is taken to be based on the current
//!   text), so that if someone saved in Plae since, the import is kept as a conflict
//!   rather than replacing their text; an approved segment's new text waits for review; a
//!   unit the translator marked done is submitted.

use std::collections::HashMap;
use std::fmt;

use chrono::Utc;
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use super::tmx::read_tmx;
use super::xliff::{read_xliff, Base, Intent, Unit, Version};
use super::{display_name, ExchangeError};
use crate::db::export::{segments_for_import, ImportTarget};
use crate::db::tm::{self, NewTmUnit};
use crate::text::normalize::{normalize, normalize_inline};
use crate::workflow::{import_translation, Actor, ImportOutcome, ImportedText, Status};

/// What an XLIFF import did, unit by unit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub file_name: String,
    /// "2.0" or "1.2".
    pub version: &'static str,
    pub units: usize,
    /// New revisions that became the segments' text.
    pub changed: Vec<Changed>,
    /// Targets equal to the segment's current text.
    pub unchanged: usize,
    /// Units without a target.
    pub untranslated: usize,
    pub conflicts: Vec<Conflict>,
    /// Ids that are no segment of this book.
    pub unknown_ids: Vec<String>,
    /// Segments that are no longer in the source.
    pub retired: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Changed {
    pub segment_id: Uuid,
    pub revision_id: Uuid,
    /// The segment's status after the import (`submitted` for an approved segment's new
    /// text, and for units the translator marked done).
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    pub segment_id: Uuid,
    #[serde(flatten)]
    pub kind: ConflictKind,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "conflict", rename_all = "snake_case")]
pub enum ConflictKind {
    /// Someone saved in Plae since the export: the import is stored as `mine` (in the
    /// history), `theirs` stays the segment's text.
    EditedSince { mine: Uuid, theirs: Uuid },
    /// The Thai changed since the export: the unit was not imported.
    SourceChanged,
}

/// Imports an XLIFF file's targets as `actor`'s revisions. `file_name` is recorded in each
/// revision's note (its last path component).
pub async fn import_xliff(
    conn: &mut PgConnection,
    actor: &Actor,
    bytes: &[u8],
    file_name: &str,
) -> Result<ImportReport, ExchangeError> {
    let file = read_xliff(bytes)?;
    let file_name = display_name(file_name);
    let note = format!(
        "imported from {file_name} on {}",
        Utc::now().format("%Y-%m-%d")
    );
    let mut report = ImportReport {
        file_name,
        version: match file.version {
            Version::V1_2 => "1.2",
            Version::V2 => "2.0",
        },
        units: file.units.len(),
        changed: Vec::new(),
        unchanged: 0,
        untranslated: 0,
        conflicts: Vec::new(),
        unknown_ids: Vec::new(),
        retired: Vec::new(),
    };
    let ids: Vec<Uuid> = file
        .units
        .iter()
        .filter_map(|u| Uuid::parse_str(&u.id).ok())
        .collect();

    let mut tx = conn.begin().await?;
    let segments: HashMap<Uuid, ImportTarget> = segments_for_import(&mut tx, &ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    if !segments.values().any(|s| !s.retired) {
        return Err(ExchangeError::NothingToImport(format!(
            "none of the file's {} units is a segment of this book: is it another book's \
             file, or not exported from Plae?",
            file.units.len()
        )));
    }
    for unit in &file.units {
        let segment = Uuid::parse_str(&unit.id)
            .ok()
            .and_then(|id| segments.get(&id));
        let Some(segment) = segment else {
            report.unknown_ids.push(unit.id.clone());
            continue;
        };
        if segment.retired {
            report.retired.push(segment.id);
            continue;
        }
        apply_unit(&mut tx, actor, unit, segment, &note, &mut report).await?;
    }
    tx.commit().await?;
    Ok(report)
}

async fn apply_unit(
    conn: &mut PgConnection,
    actor: &Actor,
    unit: &Unit,
    segment: &ImportTarget,
    note: &str,
    report: &mut ImportReport,
) -> Result<(), ExchangeError> {
    let Some(target) = unit.target.as_deref() else {
        report.untranslated += 1;
        return Ok(());
    };
    if normalize_inline(&unit.source) != normalize_inline(&segment.source_th) {
        report.conflicts.push(Conflict {
            segment_id: segment.id,
            kind: ConflictKind::SourceChanged,
        });
        return Ok(());
    }
    // Compared as the workflow stores text, so that a tool's white space or Unicode form
    // alone is no change.
    if segment.english.as_deref() == Some(normalize(target).trim()) {
        report.unchanged += 1;
        return Ok(());
    }
    let imported = ImportedText {
        text: target,
        // A file that does not say is taken to be based on the current text.
        base_revision_id: match unit.base {
            Base::Revision(id) => Some(id),
            Base::Untranslated => None,
            Base::Unknown => segment.current_revision_id,
        },
        note,
        submit: unit.intent == Intent::Submit,
    };
    let outcome = import_translation(conn, actor, segment.id, imported)
        .await
        .map_err(|error| ExchangeError::Unit {
            unit: format!("{} (line {})", unit.id, unit.line),
            error,
        })?;
    match outcome {
        ImportOutcome::Saved { revision, status } => report.changed.push(Changed {
            segment_id: segment.id,
            revision_id: revision.id,
            status,
        }),
        ImportOutcome::Unchanged(_) => report.unchanged += 1,
        ImportOutcome::Conflict { mine, theirs } => report.conflicts.push(Conflict {
            segment_id: segment.id,
            kind: ConflictKind::EditedSince {
                mine: mine.id,
                theirs: theirs.id,
            },
        }),
    }
    Ok(())
}

/// What a TMX import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TmImportReport {
    pub file_name: String,
    /// Thai–English pairs in the file.
    pub pairs: usize,
    /// Pairs the memory did not have.
    pub added: u64,
    /// Pairs it had already (from this file or another).
    pub already_known: u64,
    /// Units without both a Thai and an English text.
    pub skipped: usize,
}

/// Imports a TMX file's Thai–English pairs into the translation memory. `created_by` is
/// who imported it (`None` from the command line without `--user`); who may is the
/// caller's decision (the web: admins).
pub async fn import_tmx(
    conn: &mut PgConnection,
    created_by: Option<Uuid>,
    bytes: &[u8],
    file_name: &str,
) -> Result<TmImportReport, ExchangeError> {
    let file = read_tmx(bytes)?;
    let file_name = display_name(file_name);
    let mut units = Vec::with_capacity(file.pairs.len());
    for (i, pair) in file.pairs.iter().enumerate() {
        let source_text = normalize(&pair.thai).trim().to_owned();
        let target_text = normalize(&pair.english).trim().to_owned();
        for text in [&source_text, &target_text] {
            let chars = text.chars().count();
            if chars > crate::workflow::MAX_TEXT_CHARS {
                return Err(ExchangeError::Invalid(format!(
                    "pair {}: a text of {chars} characters; the limit is {}",
                    i + 1,
                    crate::workflow::MAX_TEXT_CHARS
                )));
            }
        }
        if source_text.is_empty() || target_text.is_empty() {
            continue;
        }
        units.push(NewTmUnit {
            source_lang: "th".into(),
            target_lang: "en".into(),
            source_normalized: normalize_inline(&source_text),
            source_text,
            target_text,
            file_created_at: pair.created_at,
            file_created_by: pair.created_by.clone(),
        });
    }
    let skipped = file.skipped + (file.pairs.len() - units.len());
    let mut tx = conn.begin().await?;
    let added = tm::insert_units(&mut tx, &units, &file_name, created_by).await?;
    tx.commit().await?;
    if added > 0 {
        // The import is stored; a failure here only leaves lookups slower until autovacuum.
        if let Err(error) = tm::merge_pending_keys(conn).await {
            tracing::warn!(%error, "TMX import: the key index's pending list was not merged");
        }
    }
    Ok(TmImportReport {
        file_name,
        pairs: units.len(),
        added,
        already_known: units.len() as u64 - added,
        skipped,
    })
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} (XLIFF {}): {} units: {} changed, {} unchanged, {} untranslated, {} \
             conflicts, {} unknown, {} no longer in the source",
            self.file_name,
            self.version,
            self.units,
            self.changed.len(),
            self.unchanged,
            self.untranslated,
            self.conflicts.len(),
            self.unknown_ids.len(),
            self.retired.len()
        )?;
        for changed in &self.changed {
            writeln!(
                f,
                "  changed   {}: new revision {} ({})",
                changed.segment_id,
                changed.revision_id,
                changed.status.as_str()
            )?;
        }
        for conflict in &self.conflicts {
            match conflict.kind {
                ConflictKind::EditedSince { mine, theirs } => writeln!(
                    f,
                    "  conflict  {}: saved in Plae since the export; the import is kept as \
                     revision {mine}, {theirs} stays current",
                    conflict.segment_id
                )?,
                ConflictKind::SourceChanged => writeln!(
                    f,
                    "  conflict  {}: the Thai changed since the export; not imported",
                    conflict.segment_id
                )?,
            }
        }
        for id in &self.unknown_ids {
            writeln!(f, "  unknown   {id}: no such segment")?;
        }
        for id in &self.retired {
            writeln!(f, "  retired   {id}: no longer in the source; not imported")?;
        }
        Ok(())
    }
}

impl fmt::Display for TmImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} Thai–English pairs: {} added to the translation memory, {} already in \
             it; {} units skipped (no Thai–English pair)",
            self.file_name, self.pairs, self.added, self.already_known, self.skipped
        )
    }
}
