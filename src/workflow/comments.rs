//! Comment threads on a segment: start one, reply, edit your own words, resolve and reopen.
//!
//! Threads are one level deep: a reply to a reply joins the thread of the comment it
//! answered (the database refuses deeper nesting), and a thread, not a single reply, is
//! resolved or reopened, by anyone taking part in the work (a translator who made the
//! change a reviewer asked for resolves the reviewer's thread). Text is stored as written
//! (normalized like all typed text, never as HTML); [`super::linkify`] finds its links for
//! display. An edit keeps the earlier body in `comment_edits`.

use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use super::{clean_text, Actor, WorkflowError, MAX_COMMENT_CHARS};
use crate::db::comments::{self, Comment, CommentEntry, NewComment};
use crate::db::events::{self, EventKind, NewEvent};
use crate::db::segments;

/// Starts a thread on a segment (`reply_to: None`) or replies to a comment of it.
pub async fn add_comment(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_id: Uuid,
    reply_to: Option<Uuid>,
    body: &str,
) -> Result<Comment, WorkflowError> {
    let body = clean_text(body, MAX_COMMENT_CHARS, "comment")?;
    let mut tx = conn.begin().await?;
    // Locked like any workflow change, so a comment and a save on one segment are
    // serialized (both are short); retired segments may still be discussed.
    segments::lock_for_workflow(&mut tx, segment_id)
        .await?
        .ok_or(WorkflowError::NotFound("segment"))?;
    let parent_id = match reply_to {
        Some(id) => {
            let parent = comments::get_comment(&mut tx, id)
                .await?
                .filter(|c| c.segment_id == segment_id)
                .ok_or(WorkflowError::NotFound("comment"))?;
            Some(parent.parent_id.unwrap_or(parent.id))
        }
        None => None,
    };
    let new = NewComment {
        segment_id,
        parent_id,
        author_id: actor.user_id,
        body: &body,
        review_id: None,
    };
    let comment = comments::insert_comment(&mut tx, &new).await?;
    record(&mut tx, actor, EventKind::Commented, &comment).await?;
    tx.commit().await?;
    Ok(comment)
}

/// Replaces the body of one's own comment; the earlier body is kept.
pub async fn edit_comment(
    conn: &mut PgConnection,
    actor: &Actor,
    comment_id: Uuid,
    body: &str,
) -> Result<Comment, WorkflowError> {
    let body = clean_text(body, MAX_COMMENT_CHARS, "comment")?;
    let mut tx = conn.begin().await?;
    let comment = lock(&mut tx, comment_id).await?;
    if comment.author_id != actor.user_id {
        return Err(WorkflowError::Forbidden(
            "only its author can edit a comment".into(),
        ));
    }
    if comment.body == body {
        return Ok(comment);
    }
    let comment = comments::replace_body(&mut tx, comment_id, &body).await?;
    record(&mut tx, actor, EventKind::CommentEdited, &comment).await?;
    tx.commit().await?;
    Ok(comment)
}

/// Marks a thread resolved (given its first comment). Resolving a resolved thread changes
/// nothing.
pub async fn resolve_comment(
    conn: &mut PgConnection,
    actor: &Actor,
    comment_id: Uuid,
) -> Result<Comment, WorkflowError> {
    set_resolved(conn, actor, comment_id, true).await
}

/// Opens a resolved thread again. Reopening an open thread changes nothing.
pub async fn reopen_comment(
    conn: &mut PgConnection,
    actor: &Actor,
    comment_id: Uuid,
) -> Result<Comment, WorkflowError> {
    set_resolved(conn, actor, comment_id, false).await
}

async fn set_resolved(
    conn: &mut PgConnection,
    actor: &Actor,
    comment_id: Uuid,
    resolved: bool,
) -> Result<Comment, WorkflowError> {
    let mut tx = conn.begin().await?;
    let comment = lock(&mut tx, comment_id).await?;
    if comment.parent_id.is_some() {
        return Err(WorkflowError::Invalid(
            "a thread is resolved as a whole: resolve or reopen its first comment".into(),
        ));
    }
    if comment.resolved_at.is_some() == resolved {
        return Ok(comment);
    }
    let by = resolved.then_some(actor.user_id);
    let comment = comments::set_resolved(&mut tx, comment_id, by).await?;
    let kind = if resolved {
        EventKind::CommentResolved
    } else {
        EventKind::CommentReopened
    };
    record(&mut tx, actor, kind, &comment).await?;
    tx.commit().await?;
    Ok(comment)
}

async fn lock(conn: &mut PgConnection, comment_id: Uuid) -> Result<Comment, WorkflowError> {
    comments::lock_comment(conn, comment_id)
        .await?
        .ok_or(WorkflowError::NotFound("comment"))
}

async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    kind: EventKind,
    comment: &Comment,
) -> Result<(), WorkflowError> {
    let event = NewEvent {
        actor_id: actor.user_id,
        kind,
        segment_id: comment.segment_id,
        revision_id: None,
        review_id: None,
        comment_id: Some(comment.id),
    };
    Ok(events::record(conn, &event).await?)
}

/// A thread: its first comment and the replies, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Thread {
    pub first: CommentEntry,
    pub replies: Vec<CommentEntry>,
}

impl Thread {
    pub fn is_open(&self) -> bool {
        self.first.resolved_at.is_none()
    }
}

/// Groups a segment's comments (as `db::comments::list_comments` returns them, in thread
/// order) into threads. A reply whose thread is missing from the list starts its own.
pub fn threads(comments: Vec<CommentEntry>) -> Vec<Thread> {
    let mut threads: Vec<Thread> = Vec::new();
    for comment in comments {
        match threads.last_mut() {
            Some(thread) if comment.parent_id == Some(thread.first.id) => {
                thread.replies.push(comment)
            }
            _ => threads.push(Thread {
                first: comment,
                replies: Vec::new(),
            }),
        }
    }
    threads
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn entry(id: u128, parent: Option<u128>) -> CommentEntry {
        CommentEntry {
            id: Uuid::from_u128(id),
            parent_id: parent.map(Uuid::from_u128),
            author_id: Uuid::nil(),
            author_name: "Somchai".into(),
            body: format!("comment {id}"),
            review_id: None,
            review_verdict: None,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            edited_at: None,
            resolved_at: None,
            resolved_by: None,
            resolver_name: None,
        }
    }

    #[test]
    fn comments_in_thread_order_group_into_threads() {
        let grouped = threads(vec![
            entry(1, None),
            entry(2, Some(1)),
            entry(3, Some(1)),
            entry(4, None),
            entry(5, Some(4)),
        ]);
        let shape: Vec<(u128, Vec<u128>)> = grouped
            .iter()
            .map(|t| {
                let replies = t.replies.iter().map(|r| r.id.as_u128()).collect();
                (t.first.id.as_u128(), replies)
            })
            .collect();
        assert_eq!(shape, [(1, vec![2, 3]), (4, vec![5])]);
        assert!(grouped.iter().all(Thread::is_open));
    }

    #[test]
    fn no_comments_no_threads() {
        assert!(threads(Vec::new()).is_empty());
    }
}
