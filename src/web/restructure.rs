//! The Thai of a segment, fixed from its page: correcting an OCR error, merging with the
//! next segment, splitting at a chosen point, undoing the last merge or split. Reviewers
//! and admins get the forms (`templates/segments/source_tools.html`); every signed-in user
//! sees the corrections, the merges and splits, and what merged segments brought with
//! them. The rules are the workflow's (`workflow::correct_source`, `merge_with_next`,
//! `split`, `undo_last`).

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use uuid::Uuid;

use super::csrf::CsrfForm;
use super::notice::{refusal, see_other, When};
use super::page::segment_path;
use super::segments::{actor_of, segment_id, show_again, Typed};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::corrections::{Correction, StructureFacts};
use crate::db::restructures::{LinkedComment, MergedSegment, Restructure};
use crate::workflow::{self, Join, SplitChoice, SplitPoint, Undone};

/// What the page shows about a segment's source, loaded for signed-in users.
#[derive(Debug, Clone, Default)]
pub struct SourceTools {
    pub facts: Option<StructureFacts>,
    pub corrections: Vec<Correction>,
    pub operations: Vec<Restructure>,
    /// Segments merged into this one, with their comments.
    pub merged: Vec<(MergedSegment, Vec<LinkedComment>)>,
    /// The newest merge or split not undone that touched it.
    pub undoable: Option<Restructure>,
    pub thai_choices: Vec<SplitChoice>,
    pub english_choices: Vec<SplitChoice>,
}

impl SourceTools {
    pub async fn load(
        conn: &mut sqlx::PgConnection,
        id: Uuid,
        thai: &str,
        english: Option<&str>,
    ) -> Result<SourceTools, AppError> {
        let merged_ids = db::restructures::merged_into(conn, id).await?;
        let merged = db::restructures::merged_segments(conn, &merged_ids).await?;
        let comments = db::restructures::comments_of(conn, &merged_ids).await?;
        let merged = merged
            .into_iter()
            .map(|m| {
                let of = comments
                    .iter()
                    .filter(|c| c.segment_id == m.id)
                    .cloned()
                    .collect();
                (m, of)
            })
            .collect();
        Ok(SourceTools {
            facts: db::corrections::structure_facts(conn, id).await?,
            corrections: db::corrections::list_corrections(conn, id).await?,
            operations: db::restructures::list_for_segment(conn, id).await?,
            merged,
            undoable: db::restructures::last_live_restructure(conn, id).await?,
            thai_choices: workflow::split_choices(thai, false),
            english_choices: english.map_or_else(Vec::new, |e| workflow::split_choices(e, true)),
        })
    }
}

/// The part of the segment page made from [`SourceTools`].
pub struct SourceView<'a> {
    pub tools: &'a SourceTools,
    /// Reviewers and admins: the forms.
    pub may_edit: bool,
    pub version: i32,
    /// The correction form's Thai and reason (what was typed, after a refusal).
    pub thai: String,
    pub reason: String,
    pub corrections: Vec<(&'a Correction, When)>,
    pub operations: Vec<(&'a Restructure, When, Option<When>)>,
}

impl<'a> SourceView<'a> {
    pub fn new(
        tools: &'a SourceTools,
        user: &CurrentUser,
        thai: &str,
        typed: Option<&(String, String)>,
    ) -> SourceView<'a> {
        let (thai, reason) = match typed {
            Some((t, r)) => (t.clone(), r.clone()),
            None => (thai.to_owned(), String::new()),
        };
        SourceView {
            tools,
            may_edit: user.role.can_review(),
            version: tools.facts.as_ref().map_or(0, |f| f.source_version),
            thai,
            reason,
            corrections: tools
                .corrections
                .iter()
                .map(|c| (c, When(c.corrected_at)))
                .collect(),
            operations: tools
                .operations
                .iter()
                .map(|o| (o, When(o.done_at), o.undone_at.map(When)))
                .collect(),
        }
    }

    /// The next segment's id, version and Thai, when there is one to merge with.
    pub fn next(&self) -> Option<(Uuid, i32, &str)> {
        let f = self.tools.facts.as_ref()?;
        Some((f.next_id?, f.next_version?, f.next_th.as_deref()?))
    }

    pub fn segment_href(&self, id: &Uuid) -> String {
        segment_path(*id)
    }
}

/// The `done=` messages of this module's actions (see `notice::Done`).
pub fn done_notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "corrected" => "Thai corrected. The correction is in the list below the editor.",
        "corrected_flagged" => {
            "Thai corrected. Its English is flagged for review against the new Thai."
        }
        "merged" => {
            "Merged with the next segment. Its history is linked below; the English of both, \
             if any, is a new draft."
        }
        "split" => "Split in two. This part keeps the history; parts with English need review.",
        "undone_merge" => "Merge undone: both segments are back as they were.",
        "undone_split" => "Split undone: the segment is back as it was.",
        _ => return None,
    })
}

#[derive(Deserialize)]
pub struct CorrectForm {
    pub thai: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: String,
}

pub async fn correct_source(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<CorrectForm>,
) -> Result<HttpResponse, AppError> {
    let id = segment_id(&path)?;
    let user = form.user()?;
    user.require(user.role.can_review())?;
    let version = version_field(&form.version)?;
    let mut conn = state.pool.acquire().await?;
    let actor = actor_of(user);
    let result =
        workflow::correct_source(&mut conn, &actor, id, &form.thai, &form.reason, version).await;
    drop(conn);
    match result {
        Ok(done) => Ok(done_on(
            id,
            match done.flagged {
                true => "corrected_flagged",
                false => "corrected",
            },
        )),
        Err(e) => {
            let typed = (form.thai.clone(), form.reason.clone());
            refused(&state, id, user, e, Some(typed)).await
        }
    }
}

#[derive(Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    pub next: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub next_version: String,
    /// `space` or `none`.
    #[serde(default)]
    pub join: String,
}

pub async fn merge(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<MergeForm>,
) -> Result<HttpResponse, AppError> {
    let id = segment_id(&path)?;
    let user = form.user()?;
    user.require(user.role.can_review())?;
    let next = Uuid::parse_str(form.next.trim())
        .map_err(|_| AppError::BadRequest("the form names no segment to merge with".into()))?;
    let versions = (
        version_field(&form.version)?,
        version_field(&form.next_version)?,
    );
    let join = match form.join.as_str() {
        "space" | "" => Join::Space,
        "none" => Join::Nothing,
        _ => return Err(AppError::BadRequest("join with a space or nothing?".into())),
    };
    let mut conn = state.pool.acquire().await?;
    let result =
        workflow::merge_with_next(&mut conn, &actor_of(user), id, next, versions, join).await;
    drop(conn);
    match result {
        Ok(_) => Ok(done_on(id, "merged")),
        Err(e) => refused(&state, id, user, e, None).await,
    }
}

#[derive(Deserialize)]
pub struct SplitForm {
    /// A chosen split point of the Thai (a character index)…
    #[serde(default)]
    pub at: String,
    /// … or one typed, which wins when given.
    #[serde(default)]
    pub at_index: String,
    /// Where to cut the English; empty: it all stays with the first part.
    #[serde(default)]
    pub english_at: String,
    #[serde(default)]
    pub version: String,
}

pub async fn split(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<SplitForm>,
) -> Result<HttpResponse, AppError> {
    let id = segment_id(&path)?;
    let user = form.user()?;
    user.require(user.role.can_review())?;
    let version = version_field(&form.version)?;
    let thai_at = match (form.at_index.trim(), form.at.trim()) {
        ("", "") => {
            return Err(AppError::BadRequest(
                "choose where to split the Thai".into(),
            ))
        }
        ("", chosen) => index_field(chosen, "Thai")?,
        (typed, _) => index_field(typed, "Thai")?,
    };
    let english_at = match form.english_at.trim() {
        "" => None,
        at => Some(index_field(at, "English")?),
    };
    let point = SplitPoint {
        thai_at,
        english_at,
    };
    let mut conn = state.pool.acquire().await?;
    let result = workflow::split(&mut conn, &actor_of(user), id, version, point).await;
    drop(conn);
    match result {
        Ok(_) => Ok(done_on(id, "split")),
        Err(e) => refused(&state, id, user, e, None).await,
    }
}

#[derive(Deserialize)]
pub struct UndoForm {
    #[serde(default)]
    pub version: String,
}

pub async fn undo(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<UndoForm>,
) -> Result<HttpResponse, AppError> {
    let id = segment_id(&path)?;
    let user = form.user()?;
    user.require(user.role.can_review())?;
    let version = version_field(&form.version)?;
    let mut conn = state.pool.acquire().await?;
    let result = workflow::undo_last(&mut conn, &actor_of(user), id, version).await;
    drop(conn);
    match result {
        Ok(Undone::Merge) => Ok(done_on(id, "undone_merge")),
        Ok(Undone::Split) => Ok(done_on(id, "undone_split")),
        Err(e) => refused(&state, id, user, e, None).await,
    }
}

fn done_on(id: Uuid, done: &str) -> HttpResponse {
    see_other(&format!("{}?done={done}#source", segment_path(id)))
}

/// The segment's page again with the workflow's reason (and what was typed).
async fn refused(
    state: &AppState,
    id: Uuid,
    user: &CurrentUser,
    e: workflow::WorkflowError,
    correction: Option<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (status, notice) = refusal(e)?;
    let typed = Typed {
        notice: Some(notice),
        correction,
        ..Typed::default()
    };
    show_again(state, id, user, status, typed).await
}

/// The source version a form was made from.
fn version_field(raw: &str) -> Result<i32, AppError> {
    raw.trim().parse().map_err(|_| {
        AppError::BadRequest(
            "the form does not say which version of the Thai it was made from; reload the page"
                .into(),
        )
    })
}

fn index_field(raw: &str, what: &str) -> Result<usize, AppError> {
    raw.parse().map_err(|_| {
        AppError::BadRequest(format!(
            "the split point of the {what} must be a character number (0 is the start)"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_its_message() {
        for done in [
            "corrected",
            "corrected_flagged",
            "merged",
            "split",
            "undone_merge",
            "undone_split",
        ] {
            assert!(done_notice(done).is_some(), "{done}");
        }
        assert!(done_notice("saved").is_none());
    }

    #[test]
    fn form_numbers_are_checked() {
        assert_eq!(version_field(" 3 ").unwrap(), 3);
        assert!(version_field("").is_err());
        assert!(index_field("-1", "Thai").is_err());
        assert_eq!(index_field("12", "Thai").unwrap(), 12);
    }
}
