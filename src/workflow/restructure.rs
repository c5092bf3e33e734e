//! Merging two adjacent segments and splitting one, when the importer got a boundary
//! wrong; and undoing the last of these. Reviewers and admins only.
//!
//! Nothing is lost, and segments nobody touched keep their ids (so XLIFF files and links
//! stay valid):
//! - **merge**: the first segment keeps its id and gets both Thai texts joined; the second
//!   is retired (kept with all its revisions, reviews, comments and events, which cannot
//!   move: they are append-only records of that segment) and the first one's pages reach it
//!   (`db::restructures::merged_into`). When either had English, the two texts joined
//!   become a new revision of the first, a draft to be reviewed (any approval was of half
//!   the text, so it no longer counts). The second's claim moves to the first if that one
//!   is free.
//! - **split**: the first part keeps the id and the whole history; the second part is a new
//!   segment right after it. The English stays with the first part or is cut at a chosen
//!   point too (each part then gets a revision). Both parts that have English are flagged
//!   for review (`corrections::flag_for_review`).
//! - **undo**: puts back the Thai and workflow state each segment had before the
//!   operation, provided none changed since (no save, no correction: else the undo would
//!   hide that work, so it is refused). Revisions stay: the merged or split texts remain in
//!   the history. A split's second part is retired, unless someone commented on it.
//!
//! Each runs in one transaction holding the chapter's structure lock and the rows it
//! changes, locked in reading order like every other writer.

use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use super::corrections::{
    check_version, flag_for_review, lock_one_for_structure, require_reviewer,
};
use super::split_points::split_at;
use super::{stored_status, transition, Action, Actor, Facts, Status, WorkflowError};
use crate::db::corrections::{self, SourceSegment};
use crate::db::restructures::{self, NewRestructure};
use crate::db::revisions::{self, NewRevision};
use crate::db::segments::{self, WorkflowState};

/// How the two Thai texts of a merge are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// With a space: the importer cut between two phrases or sentences.
    Space,
    /// Directly: the importer cut inside a word (a wrapped line).
    Nothing,
}

impl Join {
    fn separator(self) -> &'static str {
        match self {
            Join::Space => " ",
            Join::Nothing => "",
        }
    }
}

/// Merges the segment with the live segment after it, `next` (as the form showed it).
/// `versions` are the two segments' source versions the form showed. Returns the
/// operation's id.
pub async fn merge_with_next(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    next: Uuid,
    versions: (i32, i32),
    join: Join,
) -> Result<Uuid, WorkflowError> {
    require_reviewer(actor, "merge segments")?;
    let mut tx = conn.begin().await?;
    let first = lock_one_for_structure(&mut tx, segment_id).await?;
    let following = corrections::next_live(&mut tx, first.chapter_id, first.position).await?;
    if following != Some(next) {
        let other_chapter = corrections::chapter_of(&mut tx, next).await?;
        return Err(WorkflowError::Invalid(match (following, other_chapter) {
            (_, None) => "there is no such segment to merge with".into(),
            (_, Some(chapter)) if chapter != first.chapter_id => {
                "segments of different chapters cannot be merged".into()
            }
            (None, _) => "this is the last segment of the chapter: there is nothing after it \
                          to merge with"
                .into(),
            (Some(_), _) => "the segment to merge with is not the one right after this one \
                             (only neighbours merge; if the page is old, reload it)"
                .into(),
        }));
    }
    let second = corrections::lock_sources(&mut tx, &[next])
        .await?
        .pop()
        .ok_or(WorkflowError::NotFound("segment"))?;
    check_version(&first, versions.0)?;
    check_version(&second, versions.1)?;

    let thai = format!(
        "{}{}{}",
        first.source_th,
        join.separator(),
        second.source_th
    );
    let english = joined_english(&mut tx, &first, &second).await?;
    let detail = match join {
        Join::Space => "joined with a space",
        Join::Nothing => "joined without a space",
    };
    let op = restructures::insert_restructure(
        &mut tx,
        &NewRestructure {
            kind: "merge",
            chapter_id: first.chapter_id,
            segment_id,
            other_id: next,
            done_by: actor.user_id,
            detail,
        },
    )
    .await?;

    corrections::set_source(&mut tx, segment_id, &thai).await?;
    if let Some(text) = english {
        let revision = match first.current_revision_id {
            Some(id) if current_text(&mut tx, id).await? == text => id,
            base => {
                let note = "the English of two merged segments, joined";
                new_revision(&mut tx, actor, segment_id, &text, base, note).await?
            }
        };
        let state = WorkflowState {
            status: Status::Draft.as_str(),
            current_revision_id: Some(revision),
            approved_revision_id: None,
            actor_id: actor.user_id,
            source_reviewed: false,
        };
        segments::write_workflow_state(&mut tx, segment_id, &state).await?;
    }
    if first.has_work || second.has_work {
        corrections::flag_source_changed(&mut tx, segment_id).await?;
    }
    restructures::retire(&mut tx, next).await?;
    restructures::carry_claim(&mut tx, next, segment_id).await?;
    let parts = [(segment_id, Some(&first)), (next, Some(&second))];
    record_parts(&mut tx, op, &parts).await?;
    tx.commit().await?;
    Ok(op)
}

/// The English of a merge: both current texts joined with a space, or the one there is;
/// `None` when neither has English.
async fn joined_english(
    conn: &mut PgConnection,
    first: &SourceSegment,
    second: &SourceSegment,
) -> Result<Option<String>, WorkflowError> {
    let mut texts = Vec::new();
    for id in [first.current_revision_id, second.current_revision_id]
        .into_iter()
        .flatten()
    {
        texts.push(current_text(conn, id).await?);
    }
    Ok(match texts.is_empty() {
        true => None,
        false => Some(texts.join(" ")),
    })
}

async fn current_text(conn: &mut PgConnection, revision: Uuid) -> Result<String, WorkflowError> {
    Ok(revisions::get_revision(conn, revision)
        .await?
        .ok_or(WorkflowError::NotFound("revision"))?
        .text)
}

async fn new_revision(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    text: &str,
    base: Option<Uuid>,
    note: &str,
) -> Result<Uuid, WorkflowError> {
    let new = NewRevision {
        segment_id,
        author_id: Some(actor.user_id),
        text,
        base_revision_id: base,
        note: Some(note),
        restored_from_id: None,
    };
    Ok(revisions::append_revision(conn, &new).await?.id)
}

/// Where to split a segment: a character index into its Thai and, optionally, into its
/// English (`None`: all the English stays with the first part).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitPoint {
    pub thai_at: usize,
    pub english_at: Option<usize>,
}

/// Splits the segment in two; returns the new second part's id. `version` is the source
/// version the form showed.
pub async fn split(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    version: i32,
    point: SplitPoint,
) -> Result<Uuid, WorkflowError> {
    require_reviewer(actor, "split segments")?;
    let mut tx = conn.begin().await?;
    let first = lock_one_for_structure(&mut tx, segment_id).await?;
    check_version(&first, version)?;
    let (thai_first, thai_second) = split_at(&first.source_th, point.thai_at)
        .map_err(|bad| WorkflowError::Invalid(format!("cannot split the Thai there: {bad}")))?;
    let english = match (point.english_at, first.current_revision_id) {
        (None, _) => None,
        (Some(_), None) => {
            return Err(WorkflowError::Invalid(
                "this segment has no English to split".into(),
            ))
        }
        (Some(at), Some(current)) => {
            let text = current_text(&mut tx, current).await?;
            Some(split_at(&text, at).map_err(|bad| {
                WorkflowError::Invalid(format!("cannot split the English there: {bad}"))
            })?)
        }
    };
    corrections::lock_from_position(&mut tx, first.chapter_id, first.position).await?;
    let detail = format!("split at character {}", point.thai_at);
    restructures::make_room_after(&mut tx, first.chapter_id, first.position).await?;
    let second = restructures::insert_split_part(
        &mut tx,
        first.chapter_id,
        first.position + 1,
        &first.kind,
        &thai_second,
    )
    .await?;
    let op = restructures::insert_restructure(
        &mut tx,
        &NewRestructure {
            kind: "split",
            chapter_id: first.chapter_id,
            segment_id,
            other_id: second,
            done_by: actor.user_id,
            detail: &detail,
        },
    )
    .await?;
    corrections::set_source(&mut tx, segment_id, &thai_first).await?;

    match english {
        None => {
            flag_for_review(&mut tx, actor, &first).await?;
        }
        Some((english_first, english_second)) => {
            let from = stored_status(&first.status)?;
            let to = transition(from, Action::Save, actor.role, Facts::default())?;
            let one = "the first part of a split segment's English";
            let a = new_revision(
                &mut tx,
                actor,
                segment_id,
                &english_first,
                first.current_revision_id,
                one,
            )
            .await?;
            let two = "the second part of a split segment's English";
            let b = new_revision(&mut tx, actor, second, &english_second, None, two).await?;
            for (id, revision) in [(segment_id, a), (second, b)] {
                let state = WorkflowState {
                    status: to.as_str(),
                    current_revision_id: Some(revision),
                    // The approval was of the whole text.
                    approved_revision_id: None,
                    actor_id: actor.user_id,
                    source_reviewed: false,
                };
                segments::write_workflow_state(&mut tx, id, &state).await?;
                corrections::flag_source_changed(&mut tx, id).await?;
            }
        }
    }
    record_parts(&mut tx, op, &[(segment_id, Some(&first)), (second, None)]).await?;
    tx.commit().await?;
    Ok(second)
}

/// Records each segment an operation touched, with its state before and, read back now,
/// the state the operation left.
async fn record_parts(
    conn: &mut PgConnection,
    op: Uuid,
    parts: &[(Uuid, Option<&SourceSegment>)],
) -> Result<(), WorkflowError> {
    let ids: Vec<Uuid> = parts.iter().map(|p| p.0).collect();
    let after = corrections::lock_sources(conn, &ids).await?;
    for (id, before) in parts {
        let now = after
            .iter()
            .find(|s| s.id == *id)
            .ok_or(WorkflowError::NotFound("segment"))?;
        restructures::insert_part(conn, op, *before, now).await?;
    }
    Ok(())
}

/// What an undo undid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undone {
    Merge,
    Split,
}

/// Undoes the newest merge or split (not undone yet) that touched the segment. `version` is
/// the segment's source version the form showed.
pub async fn undo_last(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    version: i32,
) -> Result<Undone, WorkflowError> {
    require_reviewer(actor, "undo merges and splits")?;
    let mut tx = conn.begin().await?;
    let segment = lock_one_for_structure(&mut tx, segment_id).await?;
    check_version(&segment, version)?;
    let op = restructures::last_live_restructure(&mut tx, segment_id)
        .await?
        .ok_or_else(|| {
            WorkflowError::Invalid("no merge or split of this segment is left to undo".into())
        })?;
    let parts = restructures::list_parts(&mut tx, op.id).await?;
    let ids: Vec<Uuid> = parts.iter().map(|p| p.segment_id).collect();
    if restructures::later_restructure_exists(&mut tx, op.id, &ids).await? {
        return Err(WorkflowError::Conflict(
            "a later merge or split involves these segments: undo that one first".into(),
        ));
    }
    let locked = corrections::lock_sources(&mut tx, &ids).await?;
    for part in &parts {
        let now = locked
            .iter()
            .find(|s| s.id == part.segment_id)
            .ok_or(WorkflowError::NotFound("segment"))?;
        if now.current_revision_id != part.after_current_revision_id
            || now.source_th != part.after_th
            || now.status != part.after_status
        {
            return Err(WorkflowError::Conflict(
                "the English or the Thai changed since this merge or split: undoing it would \
                 hide that work, so it is kept. Merge or split again instead."
                    .into(),
            ));
        }
        if !part.existed_before && restructures::has_comments(&mut tx, now.id).await? {
            return Err(WorkflowError::Conflict(
                "someone commented on the second part of this split since: undoing it would \
                 hide the discussion, so it is kept. Merge the parts instead."
                    .into(),
            ));
        }
    }
    for part in &parts {
        match part.existed_before {
            true => {
                let status = stored_status(part.before_status.as_deref().unwrap_or_default())?;
                let state = WorkflowState {
                    status: status.as_str(),
                    current_revision_id: part.before_current_revision_id,
                    approved_revision_id: part.before_approved_revision_id,
                    actor_id: actor.user_id,
                    source_reviewed: false,
                };
                segments::write_workflow_state(&mut tx, part.segment_id, &state).await?;
                restructures::restore_source(&mut tx, part).await?;
            }
            false => restructures::retire(&mut tx, part.segment_id).await?,
        }
    }
    restructures::mark_undone(&mut tx, op.id, actor.user_id).await?;
    tx.commit().await?;
    Ok(match op.kind.as_str() {
        "merge" => Undone::Merge,
        _ => Undone::Split,
    })
}
