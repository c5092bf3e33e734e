//! What holds whatever the code does: one writer of `segments.status`, the database's
//! constraints and append-only records, page versions, and imports that keep discussions.

use std::path::{Path, PathBuf};

use plae::db;
use plae::workflow::{self, Verdict};

use crate::world;

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// A grep of the sources: an SQL assignment to `status` (`SET status =`, `, status =`)
/// appears once, in `db::segments::write_workflow_state`, which only `workflow` calls.
#[test]
fn only_the_workflow_writes_a_segments_status() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut assignments = Vec::new();
    let mut callers = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let squeezed: String = text
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let count = squeezed.matches("setstatus=").count() + squeezed.matches(",status=").count();
        let relative = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if count > 0 {
            assignments.push((relative.clone(), count));
        }
        if text.contains("write_workflow_state(") && !relative.starts_with("db/") {
            callers.push(relative);
        }
    }
    assert_eq!(assignments, [("db/segments.rs".to_string(), 1)]);
    assert!(!callers.is_empty());
    assert!(
        callers.iter().all(|f| f.starts_with("workflow/")),
        "write_workflow_state is called from {callers:?}"
    );
}

#[tokio::test]
async fn the_database_refuses_states_the_workflow_never_writes() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let rev = w.save(&w.translator, segment, "Text.", None).await;
    let attempts = [
        // Approved, but with no approved text.
        "UPDATE segments SET status = 'approved' WHERE id = $1",
        // Submitted with no submission time.
        "UPDATE segments SET status = 'submitted' WHERE id = $1",
        // Changes requested without saying which.
        "INSERT INTO reviews (segment_id, revision_id, reviewer_id, verdict)
         SELECT $1, current_revision_id, (SELECT id FROM users LIMIT 1), 'changes_requested'
           FROM segments WHERE id = $1",
        // A blank revision.
        "INSERT INTO revisions (segment_id, text) VALUES ($1, ' \n ')",
    ];
    for sql in attempts {
        let result = sqlx::query(sql).bind(segment).execute(&w.db.pool).await;
        assert!(result.is_err(), "accepted: {sql}");
    }
    assert_eq!(w.segment(segment).await.current_revision_id, Some(rev));
}

/// The Thai rules a trigger keeps (migration 0018, for speed: a CHECK and a generated column
/// re-read the whole paragraph on every save): blank Thai is refused on insert and update
/// with the CHECK's error, `source_chars` follows the Thai and cannot be set apart from
/// it, and `updated_at` moves with a real change only.
#[tokio::test]
async fn the_thai_is_never_blank_and_its_length_follows_it() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let blank_update = sqlx::query("UPDATE segments SET source_th = '  ' WHERE id = $1")
        .bind(segment)
        .execute(&w.db.pool)
        .await;
    let blank_insert = sqlx::query(
        "INSERT INTO segments (chapter_id, position, kind, source_th)
         VALUES ($1, 100000, 'paragraph', '   ')",
    )
    .bind(w.chapter_id)
    .execute(&w.db.pool)
    .await;
    for result in [blank_update, blank_insert] {
        let error = result.expect_err("blank Thai accepted");
        let error = error.as_database_error().expect("a database error");
        assert_eq!(error.code().as_deref(), Some("23514"), "{error}");
        assert_eq!(error.constraint(), Some("segments_source_th_check"));
    }

    let chars = |sql: &'static str| {
        let pool = w.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i32>(sql)
                .bind(segment)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let corrected =
        chars("UPDATE segments SET source_th = 'ก ขิ' WHERE id = $1 RETURNING source_chars");
    assert_eq!(corrected.await, 4, "ก, space, ข and the vowel sign");
    let forced =
        chars("UPDATE segments SET source_chars = 99 WHERE id = $1 RETURNING source_chars");
    assert_eq!(
        forced.await,
        4,
        "the count cannot be set apart from the Thai"
    );
    let inserted: i32 = sqlx::query_scalar(
        "INSERT INTO segments (chapter_id, position, kind, source_th)
         VALUES ($1, 100000, 'paragraph', 'สวัสดี') RETURNING source_chars",
    )
    .bind(w.chapter_id)
    .fetch_one(&w.db.pool)
    .await
    .unwrap();
    assert_eq!(inserted, 6);

    let updated_at = || async {
        sqlx::query_scalar::<_, chrono::DateTime<chrono::Utc>>(
            "SELECT updated_at FROM segments WHERE id = $1",
        )
        .bind(segment)
        .fetch_one(&w.db.pool)
        .await
        .unwrap()
    };
    let before = updated_at().await;
    sqlx::query("UPDATE segments SET kind = kind WHERE id = $1")
        .bind(segment)
        .execute(&w.db.pool)
        .await
        .unwrap();
    assert_eq!(updated_at().await, before, "an update that changes nothing");
    // A save one by one (the trigger sets updated_at), then one through the queue (the
    // batched statement sets it itself).
    let first = w.save(&w.translator, segment, "A save.", None).await;
    let saved = updated_at().await;
    assert!(
        saved > before,
        "a save moves updated_at: {before} -> {saved}"
    );
    let queue = workflow::SaveQueue::start(w.db.pool.clone());
    let outcome = queue
        .save_draft(&w.translator, segment, "A batched save.", Some(first))
        .await
        .unwrap();
    assert!(
        matches!(outcome, workflow::SaveOutcome::Saved(_)),
        "{outcome:?}"
    );
    let batched = updated_at().await;
    assert!(
        batched > saved,
        "a batched save moves updated_at: {saved} -> {batched}"
    );
}

#[tokio::test]
async fn review_decisions_and_events_are_never_rewritten() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let mut conn = w.conn().await;
    let rev = w.save(&w.translator, segment, "Text.", None).await;
    workflow::submit(&mut conn, &w.translator, segment, rev)
        .await
        .unwrap();
    workflow::review(&mut conn, &w.reviewer, segment, rev, Verdict::Approve, None)
        .await
        .unwrap();
    for sql in [
        "UPDATE reviews SET verdict = 'changes_requested', comment = 'x'",
        "DELETE FROM reviews",
        "UPDATE events SET kind = 'saved'",
        "DELETE FROM events",
        "TRUNCATE events CASCADE",
    ] {
        let result = sqlx::query(sql).execute(&w.db.pool).await;
        assert!(result.is_err(), "accepted: {sql}");
    }
}

#[tokio::test]
async fn claims_and_comments_change_the_chapter_pages_version() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let mut conn = w.conn().await;
    let mut version = w.content_version().await;
    let mut bumped = |label: &'static str, now: i64| {
        assert!(now > version, "{label} did not bump content_version");
        version = now;
    };

    workflow::claim(&mut conn, &w.translator, &[segment])
        .await
        .unwrap();
    bumped("claiming", w.content_version().await);
    workflow::claim(&mut conn, &w.translator, &[segment])
        .await
        .unwrap();
    bumped("refreshing a claim", w.content_version().await);
    workflow::release_claims(&mut conn, &w.translator, &[segment])
        .await
        .unwrap();
    bumped("releasing", w.content_version().await);
    let comment = workflow::add_comment(&mut conn, &w.reviewer, segment, None, "Hm.")
        .await
        .unwrap();
    bumped("commenting", w.content_version().await);
    workflow::resolve_comment(&mut conn, &w.reviewer, comment.id)
        .await
        .unwrap();
    bumped("resolving", w.content_version().await);
    w.save(&w.translator, segment, "Text.", None).await;
    bumped("saving", w.content_version().await);
}

/// A segment nobody translated but somebody discussed is work too: a re-import that drops
/// it from the source retires it (kept, hidden) rather than deleting the discussion.
#[tokio::test]
async fn an_import_keeps_a_discussed_segment_that_left_the_source() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let mut conn = w.conn().await;
    workflow::add_comment(&mut conn, &w.reviewer, segment, None, "Is this OCR noise?")
        .await
        .unwrap();

    let stored = db::segments::lock_chapter_segments(&mut conn, w.chapter_id)
        .await
        .unwrap();
    let this = stored.iter().find(|s| s.id == segment).unwrap();
    assert!(this.has_revisions, "counted as work");
    let deleted = db::segments::delete_segments(&mut conn, &[segment])
        .await
        .unwrap();
    assert_eq!(deleted, 0);
}
