//! Group commit for saves: the saves that arrive while the previous batch is being written
//! go to the database together, in one transaction (`db::revisions::save_revisions`).
//!
//! Why: a save costs mostly per transaction, not per row: the round trip, the commit's WAL
//! flush, and the chapter's `content_version` bump at commit, during which the saves of one
//! chapter wait for each other. Under load, many saves wait at once; writing them together
//! pays those costs once per batch. With no load a batch is a single save: there is no
//! timer, so no added latency.
//!
//! Nothing is kept that another instance would need: a save is answered only after its
//! batch has committed, so an acknowledged save is exactly as durable as before, and a
//! crash loses only requests that were never answered (which the editor still holds).
//! A batch means what its saves one after the other would (`save_revisions` runs
//! `save_revision` for each); if it fails as a whole (a lost connection, a deadlock with
//! another writer) it has changed nothing, and its saves are tried again one at a time, so
//! one failing save cannot fail the others.

use std::sync::Arc;

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, Semaphore};
use uuid::Uuid;

use super::drafting::{save_outcome, save_transitions};
use super::{clean_text, Actor, SaveOutcome, WorkflowError, MAX_TEXT_CHARS};
use crate::db::events::EventKind;
use crate::db::revisions::{self, BatchedSave, Saved};

/// At most this many saves in one transaction: a batch holds its segments' row locks until
/// it commits, so it should stay short.
const MAX_BATCH: usize = 64;
/// Saves waiting for a writer; more wait for room (the HTTP requests behind them).
const QUEUE_LENGTH: usize = 1024;
/// Batches written at the same time. More than one, because a batch spends most of its
/// time waiting for its commit to reach the disk, and PostgreSQL flushes the commits
/// that wait together at once; a few, because each holds a connection and its row locks.
/// Batches lock in one order (see `save_revisions`), so they cannot deadlock.
const WRITERS: usize = 4;

/// The handle the web handlers save through; one queue per instance.
#[derive(Clone)]
pub struct SaveQueue {
    jobs: mpsc::Sender<Job>,
}

struct Job {
    save: BatchedSave,
    from_status: Vec<&'static str>,
    to_status: Vec<&'static str>,
    reply: oneshot::Sender<Result<Saved, sqlx::Error>>,
}

impl SaveQueue {
    /// Starts the writer on the current tokio runtime. It stops when every handle is
    /// dropped.
    pub fn start(pool: PgPool) -> SaveQueue {
        let (jobs, waiting) = mpsc::channel(QUEUE_LENGTH);
        tokio::spawn(write_batches(pool, waiting));
        SaveQueue { jobs }
    }

    /// [`super::save_draft`], through the queue: the same checks, the same outcomes.
    pub async fn save_draft(
        &self,
        actor: &Actor,
        segment_id: Uuid,
        text: &str,
        base_revision_id: Option<Uuid>,
    ) -> Result<SaveOutcome, WorkflowError> {
        let text = clean_text(text, MAX_TEXT_CHARS, "translation")?;
        let (from_status, to_status) = save_transitions(actor);
        let (reply, answer) = oneshot::channel();
        let job = Job {
            save: BatchedSave {
                segment_id,
                author_id: actor.user_id,
                text,
                base_revision_id,
                event_kind: EventKind::Saved.as_str(),
            },
            from_status,
            to_status,
            reply,
        };
        let stopped = || WorkflowError::Database(sqlx::Error::PoolClosed);
        self.jobs.send(job).await.map_err(|_| stopped())?;
        let saved = answer.await.map_err(|_| stopped())??;
        save_outcome(saved, actor)
    }
}

async fn write_batches(pool: PgPool, mut waiting: mpsc::Receiver<Job>) {
    let writers = Arc::new(Semaphore::new(WRITERS));
    while let Some(first) = waiting.recv().await {
        // Wait for a free writer first: the saves arriving meanwhile join this batch.
        let Ok(writer) = writers.clone().acquire_owned().await else {
            return;
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match waiting.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let pool = pool.clone();
        tokio::spawn(async move {
            // Saves under other rules go in batches of their own. (Today a save's rules do
            // not depend on who saves, so there is one group.)
            while !batch.is_empty() {
                let rules = (batch[0].from_status.clone(), batch[0].to_status.clone());
                let (same, other): (Vec<Job>, Vec<Job>) = batch
                    .into_iter()
                    .partition(|job| (&job.from_status, &job.to_status) == (&rules.0, &rules.1));
                write(&pool, same).await;
                batch = other;
            }
            drop(writer);
        });
    }
}

/// Writes one batch and answers its saves.
async fn write(pool: &PgPool, jobs: Vec<Job>) {
    match write_together(pool, &jobs).await {
        Ok(outcomes) => {
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                // The requester may have gone (a closed connection): its save stands.
                let _ = job.reply.send(Ok(outcome));
            }
        }
        Err(e) if jobs.len() == 1 => {
            let _ = jobs.into_iter().next().map(|job| job.reply.send(Err(e)));
        }
        Err(e) => {
            tracing::warn!(error = %e, saves = jobs.len(), "a batch of saves failed; saving them one by one");
            for job in jobs {
                let outcome = write_together(pool, std::slice::from_ref(&job))
                    .await
                    .map(|mut one| one.remove(0));
                let _ = job.reply.send(outcome);
            }
        }
    }
}

async fn write_together(pool: &PgPool, jobs: &[Job]) -> Result<Vec<Saved>, sqlx::Error> {
    // References, not copies: a text may be 150 KB, and this is every save's path.
    let saves: Vec<&BatchedSave> = jobs.iter().map(|job| &job.save).collect();
    // One statement, so its own transaction: no BEGIN and COMMIT round trips. It is
    // atomic all the same, and the deferred content_version bumps run at its commit.
    let mut conn = pool.acquire().await?;
    revisions::save_revisions(&mut conn, &saves, &jobs[0].from_status, &jobs[0].to_status).await
}
