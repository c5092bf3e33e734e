//! Saving, concurrent saves, keep-mine and restore.

use std::time::Duration;

use plae::db;
use plae::workflow::{self, SaveOutcome, WorkflowError};

use crate::world;

#[tokio::test]
async fn every_save_appends_a_revision_based_on_the_one_before() {
    let w = world().await;
    let segment = w.paragraphs[0];

    let first = w
        .save(&w.translator, segment, "  The  first draft.\r\n", None)
        .await;
    let second = w
        .save(&w.other, segment, "The second draft.", Some(first))
        .await;

    let mut conn = w.conn().await;
    let history = db::revisions::list_revisions(&mut conn, segment)
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[0].text, "The first draft.",
        "normalized at the edge"
    );
    assert_eq!(history[0].author_id, Some(w.translator.user_id));
    assert_eq!(history[1].base_revision_id, Some(first));
    assert_eq!(history[1].author_id, Some(w.other.user_id));
    let stored = w.segment(segment).await;
    assert_eq!(stored.status, "draft");
    assert_eq!(stored.current_revision_id, Some(second));
}

#[tokio::test]
async fn saving_the_current_text_again_writes_nothing() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let first = w.save(&w.translator, segment, "Same text", None).await;

    let mut conn = w.conn().await;
    let outcome =
        workflow::save_draft(&mut conn, &w.translator, segment, "Same text ", Some(first))
            .await
            .unwrap();

    assert!(matches!(outcome, SaveOutcome::Unchanged(r) if r.id == first));
    let history = db::revisions::list_revisions(&mut conn, segment)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
}

#[tokio::test]
async fn empty_and_overlong_texts_are_refused() {
    let w = world().await;
    let mut conn = w.conn().await;
    let segment = w.paragraphs[0];
    for text in ["", "  \n \u{200B} "] {
        let result = workflow::save_draft(&mut conn, &w.translator, segment, text, None).await;
        assert!(
            matches!(result, Err(WorkflowError::Invalid(_))),
            "{text:?}: {result:?}"
        );
    }
    let long = "word ".repeat(10_001);
    let result = workflow::save_draft(&mut conn, &w.translator, segment, &long, None).await;
    assert!(matches!(result, Err(WorkflowError::Invalid(m)) if m.contains("50000")));
    let missing = uuid::Uuid::new_v4();
    let result = workflow::save_draft(&mut conn, &w.translator, missing, "x", None).await;
    assert!(matches!(result, Err(WorkflowError::NotFound("segment"))));
}

#[tokio::test]
async fn a_save_based_on_an_older_revision_is_kept_but_reported_as_a_conflict() {
    let w = world().await;
    let segment = w.paragraphs[1];
    let base = w.save(&w.translator, segment, "Base text.", None).await;
    let theirs = w.save(&w.other, segment, "Their text.", Some(base)).await;

    let mut conn = w.conn().await;
    let outcome = workflow::save_draft(&mut conn, &w.translator, segment, "My text.", Some(base))
        .await
        .unwrap();

    let SaveOutcome::Conflict {
        mine,
        theirs: shown,
    } = outcome
    else {
        panic!("expected a conflict, got {outcome:?}");
    };
    assert_eq!(shown.id, theirs);
    assert_eq!(shown.text, "Their text.");
    assert_eq!(mine.text, "My text.");
    assert_eq!(mine.base_revision_id, Some(base));
    let stored = w.segment(segment).await;
    assert_eq!(
        stored.current_revision_id,
        Some(theirs),
        "no last write wins"
    );
    let history = db::revisions::list_revisions(&mut conn, segment)
        .await
        .unwrap();
    assert!(
        history.iter().any(|r| r.id == mine.id),
        "my text is in the history"
    );
}

/// Two translators press save at the same moment, both on the same revision. A third
/// transaction holds the segment's row while both saves start, so they really run at once
/// (each waits on the lock); when it lets go, one must win and the other be a conflict.
#[tokio::test]
async fn two_concurrent_saves_keep_both_revisions_and_exactly_one_becomes_current() {
    let w = world().await;
    let segment = w.paragraphs[2];
    let base = w.save(&w.translator, segment, "Base text.", None).await;

    let mut holder = w.db.pool.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM segments WHERE id = $1 FOR UPDATE")
        .bind(segment)
        .execute(&mut *holder)
        .await
        .unwrap();
    let spawn_save = |actor, text: &'static str| {
        let pool = w.db.pool.clone();
        tokio::spawn(async move {
            let mut conn = pool.acquire().await.unwrap();
            workflow::save_draft(&mut conn, &actor, segment, text, Some(base)).await
        })
    };
    let a = spawn_save(w.translator, "Text from A.");
    let b = spawn_save(w.other, "Text from B.");
    wait_for_lock_waiters(&w, 2).await;
    holder.commit().await.unwrap();
    let outcomes = [a.await.unwrap().unwrap(), b.await.unwrap().unwrap()];

    let saved: Vec<_> = outcomes
        .iter()
        .filter_map(|o| match o {
            SaveOutcome::Saved(r) => Some(r.clone()),
            _ => None,
        })
        .collect();
    let conflicts: Vec<_> = outcomes
        .iter()
        .filter_map(|o| match o {
            SaveOutcome::Conflict { mine, theirs } => Some((mine.clone(), theirs.clone())),
            _ => None,
        })
        .collect();
    assert_eq!((saved.len(), conflicts.len()), (1, 1), "{outcomes:?}");
    let (mine, theirs) = &conflicts[0];
    assert_eq!(
        theirs.id, saved[0].id,
        "the loser is shown the winner's text"
    );
    let stored = w.segment(segment).await;
    assert_eq!(stored.current_revision_id, Some(saved[0].id));
    let mut conn = w.conn().await;
    let ids: Vec<_> = db::revisions::list_revisions(&mut conn, segment)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert!(ids.contains(&saved[0].id) && ids.contains(&mine.id) && ids.len() == 3);
}

/// Waits until `n` other sessions are blocked on a lock (the saves queued on the row).
async fn wait_for_lock_waiters(w: &crate::World, n: i64) {
    for _ in 0..200 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&w.db.pool)
        .await
        .unwrap();
        if waiting >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the two saves never waited on the segment's lock");
}

#[tokio::test]
async fn keeping_mine_after_a_conflict_makes_my_text_current_based_on_theirs() {
    let w = world().await;
    let segment = w.paragraphs[3];
    let base = w.save(&w.translator, segment, "Base.", None).await;
    let theirs = w.save(&w.other, segment, "Theirs.", Some(base)).await;
    let mut conn = w.conn().await;
    let SaveOutcome::Conflict { mine, .. } =
        workflow::save_draft(&mut conn, &w.translator, segment, "Mine.", Some(base))
            .await
            .unwrap()
    else {
        panic!("expected a conflict");
    };

    let kept = workflow::keep_mine(&mut conn, &w.translator, segment, mine.id, theirs)
        .await
        .unwrap();

    let SaveOutcome::Saved(kept) = kept else {
        panic!("expected a save, got {kept:?}");
    };
    assert_eq!(kept.text, "Mine.");
    assert_eq!(kept.base_revision_id, Some(theirs));
    assert!(kept.note.is_some());
    let stored = w.segment(segment).await;
    assert_eq!(stored.current_revision_id, Some(kept.id));
    assert_eq!(stored.current_text.as_deref(), Some("Mine."));
}

#[tokio::test]
async fn restoring_an_old_revision_appends_a_new_one_that_says_where_it_came_from() {
    let w = world().await;
    let segment = w.paragraphs[4];
    let first = w.save(&w.translator, segment, "Good old text.", None).await;
    let second = w
        .save(&w.other, segment, "Worse new text.", Some(first))
        .await;
    let mut conn = w.conn().await;

    let outcome = workflow::restore(&mut conn, &w.translator, segment, first, Some(second))
        .await
        .unwrap();

    let SaveOutcome::Saved(restored) = outcome else {
        panic!("expected a save, got {outcome:?}");
    };
    assert_ne!(restored.id, first, "a new revision, not a rewind");
    assert_eq!(restored.text, "Good old text.");
    assert_eq!(restored.restored_from_id, Some(first));
    assert_eq!(restored.base_revision_id, Some(second));
    assert!(restored
        .note
        .as_deref()
        .unwrap()
        .starts_with("restored from"));
    let history = db::revisions::list_history(&mut conn, segment)
        .await
        .unwrap();
    assert_eq!(history.len(), 3);
    assert!(
        history[0].is_current && history[0].id == restored.id,
        "newest first"
    );
    assert_eq!(w.event_kinds(segment).await, ["saved", "saved", "restored"]);
}

#[tokio::test]
async fn the_history_diff_of_two_revisions_is_word_level() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let first = w
        .save(&w.translator, segment, "Stalin went to Moscow.", None)
        .await;
    w.save(
        &w.translator,
        segment,
        "Stalin went to Tsaritsyn.",
        Some(first),
    )
    .await;
    let mut conn = w.conn().await;
    let history = db::revisions::list_history(&mut conn, segment)
        .await
        .unwrap();

    let diff = workflow::diff_words(&history[1].text, &history[0].text);

    use workflow::DiffOp::*;
    assert_eq!(
        diff,
        [
            Equal("Stalin went to ".into()),
            Delete("Moscow".into()),
            Insert("Tsaritsyn".into()),
            Equal(".".into()),
        ]
    );
}

/// Saves that arrive together through the queue (`workflow::SaveQueue`) are written
/// together, one transaction, and each means what it would have meant alone: a save on the
/// current base is saved, a second save of the same segment on the same base is a conflict,
/// every text is stored, and the history keeps the order of arrival.
#[tokio::test]
async fn saves_arriving_together_are_written_in_one_batch_with_the_same_outcomes() {
    let w = world().await;
    let queue = workflow::SaveQueue::start(w.db.pool.clone());
    let segments = &w.paragraphs[..6];
    let base = w.save(&w.translator, segments[0], "Base text.", None).await;

    // Six segments: a first save of each, then a second save of the first segment on the
    // same base, and one on a revision of another segment.
    let mut saves: Vec<_> = segments
        .iter()
        .enumerate()
        .map(|(i, &segment)| {
            let base = (i == 0).then_some(base);
            (segment, format!("Batched text {i}."), base)
        })
        .collect();
    saves.push((
        segments[0],
        "Second save on the same base.".into(),
        Some(base),
    ));
    saves.push((segments[1], "On another segment's base.".into(), Some(base)));
    // Spawned in order on this test's one thread: all are queued before the writer runs.
    let tasks: Vec<_> = saves
        .into_iter()
        .map(|(segment, text, base)| {
            let (queue, actor) = (queue.clone(), w.translator);
            tokio::spawn(async move { queue.save_draft(&actor, segment, &text, base).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }

    for (i, outcome) in outcomes.iter().take(6).enumerate() {
        match outcome {
            Ok(SaveOutcome::Saved(r)) => assert_eq!(r.text, format!("Batched text {i}.")),
            other => panic!("save {i}: {other:?}"),
        }
    }
    match &outcomes[6] {
        Ok(SaveOutcome::Conflict { mine, theirs }) => {
            assert_eq!(mine.text, "Second save on the same base.");
            assert_eq!(theirs.text, "Batched text 0.");
        }
        other => panic!("the second save: {other:?}"),
    }
    assert!(
        matches!(outcomes[7], Err(WorkflowError::NotFound("revision"))),
        "{:?}",
        outcomes[7]
    );
    // One transaction: their events share the transaction's time.
    let batches: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT created_at) FROM events WHERE segment_id = ANY($1)
            AND kind IN ('saved', 'saved_in_conflict') AND revision_id <> $2",
    )
    .bind(segments)
    .bind(base)
    .fetch_one(&w.db.pool)
    .await
    .unwrap();
    assert_eq!(batches, 1, "the saves were written in one transaction");
    let mut conn = w.conn().await;
    let texts: Vec<_> = db::revisions::list_revisions(&mut conn, segments[0])
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.text)
        .collect();
    assert_eq!(
        texts,
        [
            "Base text.",
            "Batched text 0.",
            "Second save on the same base."
        ]
    );
    assert_eq!(
        w.segment(segments[0]).await.current_text.as_deref(),
        Some("Batched text 0.")
    );
}
