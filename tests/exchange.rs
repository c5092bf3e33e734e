//! Exchange formats against a real PostgreSQL and independent tools: TMX and XLIFF (2.0 and
//! 1.2) exports checked by the OASIS schemas (xmllint) and translate-toolkit; XLIFF
//! round trips through a CAT-tool edit back into revisions; TMX into the translation
//! memory; and every kind of bad input refused with nothing changed.
//!
//! Each test gets a fresh database with the corpus imported and chapter 4's first segments
//! in every workflow state ([`world`]).

#[path = "exchange/bad_input.rs"]
mod bad_input;
mod common;
#[path = "exchange/files.rs"]
mod files;
#[path = "exchange/memory.rs"]
mod memory;
#[path = "exchange/round_trip.rs"]
mod round_trip;
#[path = "exchange/tools.rs"]
mod tools;

use sqlx::pool::PoolConnection;
use sqlx::Postgres;
use uuid::Uuid;

use common::{corpus_dir, migrated_database, TestDb};
use plae::db::export::{load_edition, Scope};
use plae::export::{export, Edition, ExportOptions, Format};
use plae::workflow::{self, Actor, Role, SaveOutcome, Verdict};

/// A database with the book, two people, and chapter 4's first segments in every state.
pub struct World {
    pub db: TestDb,
    pub translator: Actor,
    pub reviewer: Actor,
    /// Chapter 4's live segments, in reading order.
    pub segments: Vec<Uuid>,
}

/// What chapter 4's first segments are made to be.
pub const APPROVED: usize = 0;
pub const DRAFT: usize = 1;
pub const SUBMITTED: usize = 2;
pub const CHANGES_REQUESTED: usize = 3;
/// Untranslated, with a comment.
pub const COMMENTED: usize = 4;

pub async fn world() -> World {
    let db = migrated_database().await;
    let corpus = plae::corpus::Corpus::load(&corpus_dir()).expect("the corpus loads");
    plae::import::import_corpus(&db.pool, &corpus)
        .await
        .expect("the corpus imports");
    let segments: Vec<Uuid> = sqlx::query_scalar(
        "SELECT s.id FROM segments s JOIN chapters c ON c.id = s.chapter_id
          WHERE c.number = 4 AND s.retired_at IS NULL ORDER BY s.position",
    )
    .fetch_all(&db.pool)
    .await
    .expect("chapter 4's segments");
    let mut conn = db.pool.acquire().await.expect("a connection");
    let translator = person(&mut conn, "somchai", Role::Translator).await;
    let reviewer = person(&mut conn, "anna", Role::Reviewer).await;
    drop(conn);
    let w = World {
        db,
        translator,
        reviewer,
        segments,
    };
    let t = &w.translator;
    let title = w.save(t, APPROVED, "Chapter 4: Stalin").await;
    w.submit(APPROVED, title).await;
    w.review(APPROVED, title, Verdict::Approve, None).await;
    w.save(t, DRAFT, "...Everything changed...").await;
    let submitted = w
        .save(t, SUBMITTED, "Victor Serge compared the two eras.")
        .await;
    w.submit(SUBMITTED, submitted).await;
    let asked = w
        .save(t, CHANGES_REQUESTED, "A new era <began> & \"went on\".")
        .await;
    w.submit(CHANGES_REQUESTED, asked).await;
    let why = "Say when: December 1927.";
    w.review(CHANGES_REQUESTED, asked, Verdict::RequestChanges, Some(why))
        .await;
    let mut conn = w.conn().await;
    workflow::add_comment(&mut conn, t, w.segments[COMMENTED], None, "Who said this?")
        .await
        .expect("a comment");
    drop(conn);
    w
}

/// A user inserted directly: the workflow only needs an id and a role.
async fn person(conn: &mut sqlx::PgConnection, username: &str, role: Role) -> Actor {
    let user_id: Uuid = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role) VALUES ($1, $1, $2) RETURNING id",
    )
    .bind(username)
    .bind(role.as_str())
    .fetch_one(conn)
    .await
    .expect("insert a user");
    Actor { user_id, role }
}

/// A segment's state as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Stored {
    pub status: String,
    pub current_revision_id: Option<Uuid>,
    pub approved_revision_id: Option<Uuid>,
    pub current_text: Option<String>,
    pub approved_text: Option<String>,
}

impl World {
    pub async fn conn(&self) -> PoolConnection<Postgres> {
        self.db.pool.acquire().await.expect("a connection")
    }

    /// Saves text on the `n`th segment, based on its current text; returns the revision.
    pub async fn save(&self, actor: &Actor, n: usize, text: &str) -> Uuid {
        let segment = self.segments[n];
        let base = self.stored(n).await.current_revision_id;
        let mut conn = self.conn().await;
        match workflow::save_draft(&mut conn, actor, segment, text, base).await {
            Ok(SaveOutcome::Saved(revision)) => revision.id,
            other => panic!("expected a saved revision, got {other:?}"),
        }
    }

    async fn submit(&self, n: usize, revision: Uuid) {
        let mut conn = self.conn().await;
        workflow::submit(&mut conn, &self.translator, self.segments[n], revision)
            .await
            .expect("submitted");
    }

    async fn review(&self, n: usize, revision: Uuid, verdict: Verdict, comment: Option<&str>) {
        let mut conn = self.conn().await;
        workflow::review(
            &mut conn,
            &self.reviewer,
            self.segments[n],
            revision,
            verdict,
            comment,
        )
        .await
        .expect("reviewed");
    }

    pub async fn stored(&self, n: usize) -> Stored {
        sqlx::query_as(
            "SELECT s.status, s.current_revision_id, s.approved_revision_id,
                    cur.text AS current_text, ap.text AS approved_text
               FROM segments s
               LEFT JOIN revisions cur ON cur.id = s.current_revision_id
               LEFT JOIN revisions ap ON ap.id = s.approved_revision_id
              WHERE s.id = $1",
        )
        .bind(self.segments[n])
        .fetch_one(&self.db.pool)
        .await
        .expect("read the segment")
    }

    /// Chapter 4 as an edition, as a web handler or `plae export` loads it.
    pub async fn chapter(&self) -> Edition {
        let mut conn = self.conn().await;
        load_edition(&mut conn, "soviet-history", Scope::Chapter(4))
            .await
            .expect("the edition loads")
            .expect("chapter 4 exists")
    }

    /// Chapter 4 in an exchange format.
    pub async fn export(&self, format: Format) -> String {
        export(&self.chapter().await, &ExportOptions::new(format))
    }
}
