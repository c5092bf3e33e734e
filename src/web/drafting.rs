//! Saving English from the editor, submitting it, and what happens when two people save
//! the same segment: the second one gets the conflict page, with both texts and their
//! difference, and chooses (keep mine, keep theirs, or edit a merge). Nobody's text is ever
//! dropped: a refused save (empty, too long) shows the editor again with the text typed.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::chrome::Chrome;
use super::csrf::CsrfForm;
use super::display::Status;
use super::notice::{refusal, see_other, When};
use super::page::{chapter_path, render_with_status, segment_path};
use super::segments::{actor_of, segment_id, show_again, Typed};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::pages::ChapterHeader;
use crate::db::revisions::Revision;
use crate::workflow::{self, Actor, DiffOp, SaveOutcome, WorkflowError};

/// What the editor sends.
#[derive(Deserialize)]
pub struct SaveForm {
    pub text: String,
    /// The revision the editor started from; empty when it showed no English.
    #[serde(default)]
    pub base: String,
    /// `save` (the default) or `submit` (save, then submit for review).
    #[serde(default)]
    pub intent: String,
    /// `untranslated`: afterwards, open the next untranslated segment (what Ctrl+Enter
    /// asks, with `intent=submit`).
    #[serde(default)]
    pub next: String,
}

/// Where the user goes after saving, and whether to submit first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intent {
    pub submit: bool,
    pub next_untranslated: bool,
}

impl Intent {
    pub fn parse(intent: &str, next: &str) -> Intent {
        Intent {
            submit: intent == "submit",
            next_untranslated: next == "untranslated",
        }
    }

    fn intent(&self) -> &'static str {
        if self.submit {
            "submit"
        } else {
            "save"
        }
    }

    fn next(&self) -> &'static str {
        if self.next_untranslated {
            "untranslated"
        } else {
            ""
        }
    }
}

fn revision_id(raw: &str, what: &str) -> Result<Option<Uuid>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        id => Uuid::parse_str(id)
            .map(Some)
            .map_err(|_| AppError::BadRequest(format!("the form's {what} is not a revision"))),
    }
}

pub async fn save(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<SaveForm>,
) -> Result<HttpResponse, AppError> {
    let id = segment_id(&path)?;
    let user = form.user()?;
    let base = revision_id(&form.base, "base")?;
    let intent = Intent::parse(&form.intent, &form.next);
    let saved = state
        .saves
        .save_draft(&actor_of(user), id, &form.text, base)
        .await;
    let typed = || Typed {
        english: Some((form.text.clone(), base)),
        next_untranslated: intent.next_untranslated,
        ..Typed::default()
    };
    after_save(&state, id, user, saved, intent, typed, "saved").await
}

#[derive(Deserialize)]
pub struct KeepMineForm {
    pub mine: String,
    pub theirs: String,
    #[serde(default)]
    pub intent: String,
    #[serde(default)]
    pub next: String,
}

/// After a conflict: my text again, based on theirs.
pub async fn keep_mine(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<KeepMineForm>,
) -> Result<HttpResponse, AppError> {
    let id = segment_id(&path)?;
    let user = form.user()?;
    let (Some(mine), Some(theirs)) = (
        revision_id(&form.mine, "revision")?,
        revision_id(&form.theirs, "revision")?,
    ) else {
        return Err(AppError::BadRequest("the form names no revision".into()));
    };
    let intent = Intent::parse(&form.intent, &form.next);
    let mut conn = state.pool.acquire().await?;
    let kept = workflow::keep_mine(&mut conn, &actor_of(user), id, mine, theirs).await;
    drop(conn);
    after_save(&state, id, user, kept, intent, Typed::default, "kept_mine").await
}

#[derive(Deserialize)]
pub struct RestoreForm {
    pub revision: String,
    #[serde(default)]
    pub base: String,
}

/// An earlier revision's text becomes current again, as a new revision.
pub async fn restore(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<RestoreForm>,
) -> Result<HttpResponse, AppError> {
    let id = segment_id(&path)?;
    let user = form.user()?;
    let revision = revision_id(&form.revision, "revision")?
        .ok_or_else(|| AppError::BadRequest("the form names no revision".into()))?;
    let base = revision_id(&form.base, "base")?;
    let mut conn = state.pool.acquire().await?;
    let restored = workflow::restore(&mut conn, &actor_of(user), id, revision, base).await;
    drop(conn);
    let intent = Intent::parse("save", "");
    after_save(
        &state,
        id,
        user,
        restored,
        intent,
        Typed::default,
        "restored",
    )
    .await
}

/// The answer to a save: on to the page (submitting first if asked) with `done` as its
/// message, the conflict page, or the editor again with the reason.
async fn after_save(
    state: &AppState,
    id: Uuid,
    user: &CurrentUser,
    saved: Result<SaveOutcome, WorkflowError>,
    intent: Intent,
    typed: impl FnOnce() -> Typed,
    done: &'static str,
) -> Result<HttpResponse, AppError> {
    let refused = |e: WorkflowError, typed: Typed| async move {
        let (status, notice) = refusal(e)?;
        let typed = Typed {
            notice: Some(notice),
            ..typed
        };
        show_again(state, id, user, status, typed).await
    };
    let revision = match saved {
        Ok(SaveOutcome::Saved(revision)) => (revision, done),
        Ok(SaveOutcome::Unchanged(revision)) => (revision, "unchanged"),
        Ok(SaveOutcome::Conflict { mine, theirs }) => {
            return conflict_page(state, user, mine, theirs, intent).await;
        }
        Err(e) => return refused(e, typed()).await,
    };
    let (revision, mut done) = revision;
    let mut conn = state.pool.acquire().await?;
    if intent.submit {
        if let Err(e) = submit_if_needed(&mut conn, &actor_of(user), id, revision.id).await {
            drop(conn);
            return refused(e, Typed::default()).await;
        }
        done = "submitted";
    }
    if intent.next_untranslated {
        return Ok(see_other(
            &match db::workspace::next_untranslated(&mut conn, id).await? {
                Some(next) => format!("{}?done={done}", segment_path(next)),
                None => format!("{}?done={done}&last=1", segment_path(id)),
            },
        ));
    }
    Ok(see_other(&format!("{}?done={done}", segment_path(id))))
}

/// Submits the saved revision unless saving already sent it to review (an edit of a
/// submitted or approved text is submitted by the save itself).
async fn submit_if_needed(
    conn: &mut sqlx::PgConnection,
    actor: &Actor,
    id: Uuid,
    revision: Uuid,
) -> Result<(), WorkflowError> {
    let segment = db::segments::get_segment_in_context(conn, id)
        .await?
        .ok_or(WorkflowError::NotFound("segment"))?;
    if Status::parse(&segment.status) == Status::Submitted
        && segment.current_revision_id == Some(revision)
    {
        return Ok(());
    }
    workflow::submit(conn, actor, id, revision)
        .await
        .map(|_| ())
}

/// Both texts side by side, with the choice.
#[derive(Template)]
#[template(path = "segments/conflict.html", whitespace = "minimize")]
pub struct ConflictPage<'a> {
    pub chrome: Chrome,
    pub header: &'a ChapterHeader,
    pub chapter_href: String,
    pub segment_href: String,
    pub csrf: String,
    pub id: Uuid,
    pub mine: &'a Revision,
    pub theirs: &'a Revision,
    pub theirs_author: Option<String>,
    pub theirs_when: When,
    /// From their text to mine.
    pub diff: Vec<DiffOp>,
    pub intent: &'static str,
    pub next: &'static str,
}

async fn conflict_page(
    state: &AppState,
    user: &CurrentUser,
    mine: Revision,
    theirs: Revision,
    intent: Intent,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.acquire().await?;
    let segment = db::segments::get_segment_in_context(&mut conn, mine.segment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let header = db::pages::chapter_header(&mut conn, segment.chapter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let theirs_author = match theirs.author_id {
        Some(author) => db::users::find_user(&mut conn, author)
            .await?
            .map(|u| u.display_name),
        None => None,
    };
    drop(conn);
    let page = ConflictPage {
        chrome: Chrome::for_user(Some(user)),
        header: &header,
        chapter_href: chapter_path(&header.book_slug, header.number),
        segment_href: segment_path(segment.id),
        csrf: user.csrf_token().unwrap_or_default().to_string(),
        id: segment.id,
        diff: workflow::diff_words(&theirs.text, &mine.text),
        theirs_when: When(theirs.created_at),
        mine: &mine,
        theirs: &theirs,
        theirs_author,
        intent: intent.intent(),
        next: intent.next(),
    };
    render_with_status(StatusCode::CONFLICT, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editor_intent_and_next_come_from_the_buttons_and_the_checkbox() {
        assert_eq!(
            Intent::parse("submit", "untranslated"),
            Intent {
                submit: true,
                next_untranslated: true
            }
        );
        let save = Intent::parse("", "");
        assert!(!save.submit && !save.next_untranslated);
        assert_eq!((save.intent(), save.next()), ("save", ""));
    }

    #[test]
    fn a_malformed_revision_is_a_bad_request_and_an_empty_one_none() {
        assert!(matches!(revision_id("", "base"), Ok(None)));
        assert!(matches!(
            revision_id("x", "base"),
            Err(AppError::BadRequest(_))
        ));
    }
}
