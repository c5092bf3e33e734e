//! The translate-and-review workflow against a real PostgreSQL: a fresh database per test
//! with the corpus imported and four people (two translators, a reviewer, an admin).
//! Each file is one area: drafting and conflicts, review, claims, comments, the feed and
//! the invariants around them.

#[path = "../common/mod.rs"]
mod common;

mod claims;
mod comments;
mod drafting;
mod feed;
mod invariants;
mod restructure;
mod review;

use sqlx::pool::PoolConnection;
use sqlx::Postgres;
use uuid::Uuid;

use common::{corpus_dir, migrated_database, TestDb};
use plae::corpus::Corpus;
use plae::db;
use plae::workflow::{self, Actor, Role, SaveOutcome};

/// A database with the book and its people.
pub struct World {
    pub db: TestDb,
    pub book_id: Uuid,
    /// Chapter 3.
    pub chapter_id: Uuid,
    pub translator: Actor,
    /// A second translator.
    pub other: Actor,
    pub reviewer: Actor,
    pub admin: Actor,
    /// The live paragraphs of chapter 3, in reading order.
    pub paragraphs: Vec<Uuid>,
}

pub async fn world() -> World {
    let db = migrated_database().await;
    let corpus = Corpus::load(&corpus_dir()).expect("the corpus loads");
    plae::import::import_corpus(&db.pool, &corpus)
        .await
        .expect("the corpus imports");
    let mut conn = db.pool.acquire().await.unwrap();
    let book = db::books::get_book_by_slug(&mut conn, "soviet-history")
        .await
        .unwrap()
        .unwrap();
    let chapter = db::chapters::get_chapter_by_number(&mut conn, book.id, 3)
        .await
        .unwrap()
        .unwrap();
    let paragraphs = db::segments::list_chapter_segments(&mut conn, chapter.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.kind == "paragraph")
        .map(|s| s.id)
        .collect();
    // These tests approve placeholder English of real paragraphs (with years and
    // footnotes in them): the checks that would refuse it are tested in web/checks.rs.
    common::approve_despite_checks(&db.pool).await;
    let translator = person(&mut conn, "somchai", "Somchai", Role::Translator).await;
    let other = person(&mut conn, "malee", "Malee", Role::Translator).await;
    let reviewer = person(&mut conn, "anna", "Anna", Role::Reviewer).await;
    let admin = person(&mut conn, "root", "The Admin", Role::Admin).await;
    drop(conn);
    World {
        db,
        book_id: book.id,
        chapter_id: chapter.id,
        translator,
        other,
        reviewer,
        admin,
        paragraphs,
    }
}

/// A user inserted directly: the workflow only needs an id and a role.
async fn person(conn: &mut sqlx::PgConnection, username: &str, name: &str, role: Role) -> Actor {
    let user_id: Uuid = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(username)
    .bind(name)
    .bind(role.as_str())
    .fetch_one(conn)
    .await
    .expect("insert a user");
    Actor { user_id, role }
}

impl World {
    pub async fn conn(&self) -> PoolConnection<Postgres> {
        self.db.pool.acquire().await.expect("a connection")
    }

    /// Saves text that must become current; returns the new revision's id.
    pub async fn save(&self, actor: &Actor, segment: Uuid, text: &str, base: Option<Uuid>) -> Uuid {
        let mut conn = self.conn().await;
        match workflow::save_draft(&mut conn, actor, segment, text, base).await {
            Ok(SaveOutcome::Saved(revision)) => revision.id,
            other => panic!("expected a saved revision, got {other:?}"),
        }
    }

    pub async fn segment(&self, id: Uuid) -> Stored {
        sqlx::query_as(
            "SELECT s.status, s.current_revision_id, s.approved_revision_id,
                    cur.text AS current_text, ap.text AS approved_text
               FROM segments s
               LEFT JOIN revisions cur ON cur.id = s.current_revision_id
               LEFT JOIN revisions ap ON ap.id = s.approved_revision_id
              WHERE s.id = $1",
        )
        .bind(id)
        .fetch_one(&self.db.pool)
        .await
        .expect("read the segment")
    }

    pub async fn set_allow_self_approval(&self, allowed: bool) {
        let mut conn = self.conn().await;
        db::settings::set_allow_self_approval(&mut conn, allowed, None)
            .await
            .unwrap();
    }

    /// The kinds of the events on a segment, oldest first.
    pub async fn event_kinds(&self, segment: Uuid) -> Vec<String> {
        let mut conn = self.conn().await;
        let mut events = db::events::recent_on_segment(&mut conn, segment, 100)
            .await
            .unwrap();
        events.reverse();
        events.into_iter().map(|e| e.kind).collect()
    }

    pub async fn content_version(&self) -> i64 {
        sqlx::query_scalar("SELECT content_version FROM chapters WHERE id = $1")
            .bind(self.chapter_id)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }
}

/// A segment's workflow columns and texts, as the database has them.
#[derive(Debug, sqlx::FromRow)]
pub struct Stored {
    pub status: String,
    pub current_revision_id: Option<Uuid>,
    pub approved_revision_id: Option<Uuid>,
    pub current_text: Option<String>,
    pub approved_text: Option<String>,
}
