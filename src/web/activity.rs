//! The activity feed: what people did (saves, submissions, reviews, comments), newest
//! first, a page at a time: book-wide at `/activity`, one person's at
//! `/users/{username}/activity`. Signed-in users only.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::chrome::Chrome;
use super::notice::When;
use super::page::{render, segment_path};
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::events::{EventCursor, EventKind, FeedEvent};

/// Events per page.
const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "activity/feed.html", whitespace = "minimize")]
pub struct ActivityPage {
    pub chrome: Chrome,
    pub title: String,
    /// The person whose feed this is, for the heading.
    pub person: Option<String>,
    pub events: Vec<EventView>,
    /// The first page, when this is not it.
    pub first_href: Option<String>,
    pub older_href: Option<String>,
}

pub struct EventView {
    pub when: When,
    pub actor_name: String,
    pub actor_href: String,
    pub verb: &'static str,
    pub href: String,
    pub chapter_number: i32,
    /// 1-based place of the segment in its chapter's source.
    pub place: i32,
}

impl EventView {
    fn new(event: FeedEvent) -> EventView {
        let kind = EventKind::parse(&event.kind);
        let anchor = match (kind, event.comment_id) {
            (Some(_), Some(comment)) => format!("#c-{comment}"),
            _ => String::new(),
        };
        EventView {
            when: When(event.created_at),
            actor_href: user_activity_path(&event.actor_username),
            actor_name: event.actor_name,
            verb: kind.map_or("did something to", verb),
            href: format!("{}{anchor}", segment_path(event.segment_id)),
            chapter_number: event.chapter_number,
            place: event.position + 1,
        }
    }
}

/// What the feed says someone did to a segment.
fn verb(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Saved => "saved a revision of",
        EventKind::SavedInConflict => "saved a revision (in conflict) of",
        EventKind::Restored => "restored an earlier revision of",
        EventKind::Submitted => "submitted",
        EventKind::Approved => "approved",
        EventKind::ChangesRequested => "requested changes to",
        EventKind::Commented => "commented on",
        EventKind::CommentEdited => "edited a comment on",
        EventKind::CommentResolved => "resolved a thread on",
        EventKind::CommentReopened => "reopened a thread on",
    }
}

/// Usernames are `[a-z0-9._-]` (see `accounts::parse_username`): safe in a path.
fn user_activity_path(username: &str) -> String {
    format!("/users/{username}/activity")
}

#[derive(Deserialize, Default)]
struct FeedQuery {
    /// `MICROSECONDS-ID` of the last event of the previous page.
    before: Option<String>,
}

/// The position a `before` parameter names; a malformed one is the first page.
fn parse_cursor(raw: &str) -> Option<EventCursor> {
    let (micros, id) = raw.split_once('-')?;
    let created_at = DateTime::<Utc>::from_timestamp_micros(micros.parse().ok()?)?;
    Some(EventCursor {
        created_at,
        id: id.parse().ok()?,
    })
}

fn cursor_param(cursor: EventCursor) -> String {
    format!("{}-{}", cursor.created_at.timestamp_micros(), cursor.id)
}

pub async fn show_activity(
    request: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let before = cursor_of(&request);
    let mut conn = state.pool.acquire().await?;
    let mut events = Vec::new();
    // In practice one book; with several, their feeds are merged by time.
    for book in db::books::list_books(&mut conn).await? {
        events.extend(db::events::recent_in_book(&mut conn, book.id, before, PAGE_SIZE + 1).await?);
    }
    drop(conn);
    events.sort_by_key(|e| std::cmp::Reverse((e.created_at, e.id)));
    feed_page(&user, "/activity", "Activity".into(), None, before, events)
}

pub async fn show_user_activity(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let before = cursor_of(&request);
    let mut conn = state.pool.acquire().await?;
    let person = db::users::find_user_by_username(&mut conn, &path)
        .await?
        .ok_or(AppError::NotFound)?;
    let events = db::events::recent_by_user(&mut conn, person.id, before, PAGE_SIZE + 1).await?;
    drop(conn);
    let base = user_activity_path(&person.username);
    let title = format!("Activity of {}", person.display_name);
    feed_page(
        &user,
        &base,
        title,
        Some(person.display_name),
        before,
        events,
    )
}

fn cursor_of(request: &HttpRequest) -> Option<EventCursor> {
    let q: FeedQuery = serde_urlencoded::from_str(request.query_string()).unwrap_or_default();
    q.before.as_deref().and_then(parse_cursor)
}

fn feed_page(
    user: &CurrentUser,
    base: &str,
    title: String,
    person: Option<String>,
    before: Option<EventCursor>,
    mut events: Vec<FeedEvent>,
) -> Result<HttpResponse, AppError> {
    let more = events.len() as i64 > PAGE_SIZE;
    events.truncate(PAGE_SIZE as usize);
    let older_href = match (more, events.last()) {
        (true, Some(last)) => Some(format!("{base}?before={}", cursor_param(last.cursor()))),
        _ => None,
    };
    render(&ActivityPage {
        chrome: Chrome::for_user(Some(user)),
        title,
        person,
        events: events.into_iter().map(EventView::new).collect(),
        first_href: before.map(|_| base.to_string()),
        older_href,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_the_round_trip_through_the_address() {
        let cursor = EventCursor {
            created_at: DateTime::<Utc>::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            id: 42,
        };
        assert_eq!(parse_cursor(&cursor_param(cursor)), Some(cursor));
        assert_eq!(parse_cursor("nonsense"), None);
        assert_eq!(parse_cursor("12-x"), None);
    }

    #[test]
    fn every_kind_of_event_has_its_own_words() {
        let verbs: Vec<&str> = EventKind::ALL.into_iter().map(verb).collect();
        for (i, a) in verbs.iter().enumerate() {
            assert!(!verbs[i + 1..].contains(a), "{a}");
        }
    }
}
