//! Claiming and releasing: one segment from its page, or a run of them from the chapter
//! page (ticked rows and/or "segments 12 to 20"). A claim only tells others the segment is
//! taken; the workflow decides who may release whose (holder, reviewers, admins).

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use uuid::Uuid;

use super::csrf::CsrfForm;
use super::notice::{refusal, see_other};
use super::page::{chapter_path, segment_path};
use super::segments::{actor_of, segment_id, show_again, Typed};
use super::{AppError, AppState};
use crate::db;
use crate::workflow::{self, MAX_CLAIM_RUN};

#[derive(Deserialize)]
pub struct Nothing {}

pub async fn claim_segment(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    one_segment(&state, &path, &form, true).await
}

pub async fn release_segment(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    one_segment(&state, &path, &form, false).await
}

async fn one_segment(
    state: &AppState,
    path: &str,
    form: &CsrfForm<Nothing>,
    claim: bool,
) -> Result<HttpResponse, AppError> {
    let id = segment_id(path)?;
    let user = form.user()?;
    let actor = actor_of(user);
    let mut conn = state.pool.acquire().await?;
    let result = match claim {
        true => workflow::claim(&mut conn, &actor, &[id])
            .await
            .map(|outcome| claimed_query(outcome.claimed.len(), outcome.held_by_others.len())),
        false => workflow::release_claims(&mut conn, &actor, &[id])
            .await
            .map(|released| format!("done=released&n={released}")),
    };
    drop(conn);
    match result {
        Ok(query) => Ok(see_other(&format!("{}?{query}", segment_path(id)))),
        Err(e) => {
            let (status, notice) = refusal(e)?;
            let typed = Typed {
                notice: Some(notice),
                ..Typed::default()
            };
            show_again(state, id, user, status, typed).await
        }
    }
}

fn claimed_query(claimed: usize, held: usize) -> String {
    format!("done=claimed&n={claimed}&held={held}")
}

/// The chapter page's claim form: `segment` once per ticked row, or `from`/`to` (1-based
/// places in the chapter), and `action` (`claim` or `release`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RunForm {
    pub segments: Vec<Uuid>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub release: bool,
}

impl RunForm {
    /// From the form's fields (a repeated name does not fit a struct, so the fields come as
    /// pairs). Unknown fields are ignored; a malformed id or number is a bad request.
    fn parse(fields: &[(String, String)]) -> Result<RunForm, AppError> {
        let bad = |what: &str| AppError::BadRequest(format!("the form's {what} is not valid"));
        let number = |v: &str| match v.trim() {
            "" => Ok(None),
            v => v.parse::<i64>().map(Some).map_err(|_| bad("range")),
        };
        let mut form = RunForm::default();
        for (name, value) in fields {
            match name.as_str() {
                "segment" => form
                    .segments
                    .push(Uuid::parse_str(value).map_err(|_| bad("segment"))?),
                "from" => form.from = number(value)?,
                "to" => form.to = number(value)?,
                "action" => form.release = value == "release",
                _ => {}
            }
        }
        Ok(form)
    }

    /// The places in the chapter the range covers (one end alone is one segment).
    fn range(&self) -> Option<(i64, i64)> {
        let (from, to) = match (self.from, self.to) {
            (None, None) => return None,
            (Some(one), None) | (None, Some(one)) => (one, one),
            (Some(from), Some(to)) => (from.min(to), from.max(to)),
        };
        // Bounded before it reaches the database: a run is at most MAX_CLAIM_RUN long.
        let to = to.min(from.saturating_add(MAX_CLAIM_RUN as i64));
        Some((from.max(1), to))
    }
}

pub async fn claim_run(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let user = form.user()?;
    let run = RunForm::parse(&form.data)?;
    let mut conn = state.pool.acquire().await?;
    let header = db::pages::chapter_header_by_number(&mut conn, &slug, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut ids = run.segments.clone();
    if let Some((from, to)) = run.range() {
        let in_range =
            db::workspace::segments_by_ordinal(&mut conn, header.chapter_id, from, to).await?;
        ids.extend(in_range);
    }
    let actor = actor_of(user);
    // Refusals (another's claim, nothing ticked) are the error page, with the reason.
    let query = match run.release {
        false => {
            let outcome = workflow::claim(&mut conn, &actor, &ids).await?;
            claimed_query(outcome.claimed.len(), outcome.held_by_others.len())
        }
        true => {
            let released = workflow::release_claims(&mut conn, &actor, &ids).await?;
            format!("done=released&n={released}")
        }
    };
    Ok(see_other(&format!(
        "{}?{query}",
        chapter_path(&header.book_slug, header.number)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn ticked_rows_and_a_range_are_read_from_repeated_fields() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let form = RunForm::parse(&fields(&[
            ("csrf", "x"),
            ("segment", &a.to_string()),
            ("segment", &b.to_string()),
            ("from", "12"),
            ("to", ""),
            ("action", "release"),
        ]))
        .unwrap();
        assert_eq!(form.segments, [a, b]);
        assert_eq!(form.range(), Some((12, 12)));
        assert!(form.release);
    }

    #[test]
    fn a_range_is_ordered_and_bounded() {
        let run = |from, to| RunForm {
            from,
            to,
            ..RunForm::default()
        };
        assert_eq!(run(Some(20), Some(12)).range(), Some((12, 20)));
        assert_eq!(run(None, None).range(), None);
        assert_eq!(run(Some(-5), Some(2)).range(), Some((1, 2)));
        let (from, to) = run(Some(1), Some(i64::MAX)).range().unwrap();
        assert_eq!(to - from, MAX_CLAIM_RUN as i64);
    }

    #[test]
    fn a_malformed_segment_or_number_is_a_bad_request() {
        assert!(RunForm::parse(&fields(&[("segment", "nope")])).is_err());
        assert!(RunForm::parse(&fields(&[("from", "one")])).is_err());
    }
}
