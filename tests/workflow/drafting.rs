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

/// The statuses a save may start from, and where it leads, for the batch tests: an
/// approved segment is refused, a segment sent back is submitted again.
const FROM: [&str; 4] = ["untranslated", "draft", "changes_requested", "submitted"];
const TO: [&str; 4] = ["draft", "draft", "submitted", "submitted"];

/// One of each case a save can meet, on distinct segments of a fresh world; returns the
/// saves, in the order they arrive.
async fn one_save_of_each_kind(w: &crate::World) -> Vec<db::revisions::BatchedSave> {
    let p = &w.paragraphs;
    let me = w.translator;
    let sql = |q: &'static str, id: uuid::Uuid| {
        let pool = w.db.pool.clone();
        async move { sqlx::query(q).bind(id).execute(&pool).await.unwrap() }
    };
    let one = w.save(&me, p[1], "One.", None).await;
    sqlx::query(
        "INSERT INTO claims (segment_id, user_id, claimed_at, last_activity_at)
         VALUES ($1, $2, now() - interval '1 hour', now() - interval '1 hour')",
    )
    .bind(p[1])
    .bind(me.user_id)
    .execute(&w.db.pool)
    .await
    .unwrap();
    let two_a = w.save(&me, p[2], "Two a.", None).await;
    w.save(&w.other, p[2], "Two b.", Some(two_a)).await;
    let same = w.save(&me, p[3], "Same.", None).await;
    let five = w.save(&me, p[5], "Five.", None).await;
    sql(
        "UPDATE segments SET status = 'approved', approved_revision_id = current_revision_id
          WHERE id = $1",
        p[5],
    )
    .await;
    sql("UPDATE segments SET retired_at = now() WHERE id = $1", p[6]).await;
    let seven = w.save(&me, p[7], "Seven.", None).await;
    sql(
        "UPDATE segments SET status = 'changes_requested' WHERE id = $1",
        p[7],
    )
    .await;
    let eight = w.save(&me, p[8], "Eight.", None).await;
    sqlx::query(
        "UPDATE segments SET status = 'submitted', submitted_by = $2,
                submitted_at = '2020-01-01T00:00:00Z' WHERE id = $1",
    )
    .bind(p[8])
    .bind(w.other.user_id)
    .execute(&w.db.pool)
    .await
    .unwrap();
    // Someone else translated it while this editor still showed it empty.
    w.save(&w.other, p[9], "Nine.", None).await;
    let save = |segment, text: &str, base| db::revisions::BatchedSave {
        segment_id: segment,
        author_id: me.user_id,
        text: text.to_string(),
        base_revision_id: base,
        event_kind: "saved",
    };
    vec![
        // Arrival order is not book order: the batch sorts its locks, not its answers.
        save(p[8], "Eight, again.", Some(eight)),
        save(p[0], "Zero.", None),
        save(p[1], "One, again.", Some(one)),
        save(p[2], "Two, mine.", Some(two_a)),
        save(p[3], "Same.", Some(same)),
        save(p[4], "Four.", Some(one)),
        save(p[5], "Five, again.", Some(five)),
        save(p[6], "Six.", None),
        save(uuid::Uuid::new_v4(), "Nowhere.", None),
        save(p[7], "Seven, again.", Some(seven)),
        save(p[9], "Nine, mine.", None),
    ]
}

/// What a save's outcome says, without ids (two worlds have different ones).
fn described(saved: &db::revisions::Saved) -> String {
    use db::revisions::Saved::*;
    match saved {
        Saved(r) => format!("saved {:?} on {}", r.text, r.base_revision_id.is_some()),
        Unchanged(r) => format!("unchanged {:?}", r.text),
        Conflict { mine, theirs } => format!("conflict {:?} / {:?}", mine.text, theirs.text),
        NoSegment => "no segment".into(),
        Retired => "retired".into(),
        NoBase => "no base".into(),
        Refused(status) => format!("refused from {status}"),
    }
}

/// The state the saves leave, per paragraph: status, current text, who submitted and
/// whether the submission time moved, the events (kinds, oldest first), revisions, and
/// whether a claim's activity was touched.
async fn state_after(w: &crate::World) -> Vec<String> {
    let mut state = Vec::new();
    for (i, &id) in w.paragraphs[..10].iter().enumerate() {
        let row: (
            String,
            Option<String>,
            Option<uuid::Uuid>,
            Option<bool>,
            i64,
            Option<bool>,
        ) = sqlx::query_as(
            "SELECT s.status, cur.text, s.submitted_by,
                        s.submitted_at > '2020-01-01T00:00:00Z',
                        (SELECT count(*) FROM revisions r WHERE r.segment_id = s.id),
                        (SELECT c.last_activity_at > now() - interval '1 minute'
                           FROM claims c WHERE c.segment_id = s.id)
                   FROM segments s LEFT JOIN revisions cur ON cur.id = s.current_revision_id
                  WHERE s.id = $1",
        )
        .bind(id)
        .fetch_one(&w.db.pool)
        .await
        .unwrap();
        let who = match row.2 {
            Some(u) if u == w.translator.user_id => "translator",
            Some(u) if u == w.other.user_id => "other",
            Some(_) => "someone",
            None => "-",
        };
        state.push(format!(
            "{i}: {} {:?} by {who} moved {:?}, {} revisions, claim touched {:?}, events {:?}",
            row.0,
            row.1,
            row.3,
            row.4,
            row.5,
            w.event_kinds(id).await
        ));
    }
    state
}

/// A batch of saves on distinct segments is written as a set (migration 0017); it must
/// mean exactly what the same saves one after the other, each by `save_revision`, mean:
/// two identical worlds, the same saves, one way each, the same answers and the same
/// state.
#[tokio::test]
async fn a_batch_written_as_a_set_means_what_the_saves_one_by_one_mean() {
    let (set, in_turn) = (world().await, world().await);
    let saves = one_save_of_each_kind(&set).await;
    let reference = one_save_of_each_kind(&in_turn).await;

    let version = set.content_version().await;
    let mut conn = set.conn().await;
    let refs: Vec<&db::revisions::BatchedSave> = saves.iter().collect();
    let batched = db::revisions::save_revisions(&mut conn, &refs, &FROM, &TO)
        .await
        .unwrap();
    drop(conn);
    // One bump for the whole batch, however many segments it wrote.
    assert_eq!(set.content_version().await, version + 1);

    // The reference: each save alone, in the order of the book, in one transaction.
    let mut tx = in_turn.db.pool.begin().await.unwrap();
    let mut alone = Vec::new();
    for save in &reference {
        let new = db::revisions::NewRevision {
            segment_id: save.segment_id,
            author_id: Some(save.author_id),
            text: &save.text,
            base_revision_id: save.base_revision_id,
            note: None,
            restored_from_id: None,
        };
        alone.push(
            db::revisions::save_revision(&mut tx, &new, save.event_kind, &FROM, &TO)
                .await
                .unwrap(),
        );
    }
    tx.commit().await.unwrap();

    let batched: Vec<String> = batched.iter().map(described).collect();
    let alone: Vec<String> = alone.iter().map(described).collect();
    assert_eq!(batched, alone);
    assert_eq!(
        batched,
        [
            "saved \"Eight, again.\" on true",
            "saved \"Zero.\" on false",
            "saved \"One, again.\" on true",
            "conflict \"Two, mine.\" / \"Two b.\"",
            "unchanged \"Same.\"",
            "no base",
            "refused from approved",
            "retired",
            "no segment",
            "saved \"Seven, again.\" on true",
            "conflict \"Nine, mine.\" / \"Nine.\"",
        ]
    );
    let (after_set, after_in_turn) = (state_after(&set).await, state_after(&in_turn).await);
    assert_eq!(after_set, after_in_turn);
    // What that state is, where the cases differ most.
    assert!(
        after_set[1].contains("claim touched Some(true)"),
        "{}",
        after_set[1]
    );
    assert!(
        after_set[2].contains("\"saved\", \"saved\", \"saved_in_conflict\""),
        "{}",
        after_set[2]
    );
    assert!(
        after_set[7].contains("submitted Some(\"Seven, again.\") by translator moved Some(true)"),
        "{}",
        after_set[7]
    );
    assert!(
        after_set[7].ends_with("\"saved\", \"saved\", \"submitted\"]"),
        "{}",
        after_set[7]
    );
    assert!(
        after_set[8].contains("submitted Some(\"Eight, again.\") by other moved Some(false)"),
        "{}",
        after_set[8]
    );
}

/// Batches spanning two chapters, written at the same time, never deadlock: each takes its
/// segments in book order and its chapters' content_version in id order. (Left to the
/// deferred triggers, the chapters were bumped in whatever order the UPDATE wrote its
/// rows, and the save benchmark's alternating chapters deadlocked within seconds.)
#[tokio::test]
async fn batches_over_two_chapters_at_once_do_not_deadlock() {
    let w = world().await;
    let other_chapter: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT id FROM segments WHERE chapter_id <> $1 AND retired_at IS NULL
          ORDER BY position LIMIT 16",
    )
    .bind(w.chapter_id)
    .fetch_all(&w.db.pool)
    .await
    .unwrap();
    assert_eq!(other_chapter.len(), 16);
    let versions = || async {
        let v: Vec<i64> = sqlx::query_scalar("SELECT content_version FROM chapters ORDER BY id")
            .fetch_all(&w.db.pool)
            .await
            .unwrap();
        v
    };
    let before = versions().await;
    let tasks: Vec<_> = (0..4)
        .map(|t| {
            // Four segments per task, two in each chapter, arriving in opposite chapter
            // orders in alternate tasks.
            let mut mine = vec![
                w.paragraphs[2 * t],
                w.paragraphs[2 * t + 1],
                other_chapter[2 * t],
                other_chapter[2 * t + 1],
            ];
            if t % 2 == 1 {
                mine.reverse();
            }
            let (pool, author) = (w.db.pool.clone(), w.translator.user_id);
            tokio::spawn(async move {
                let mut conn = pool.acquire().await.unwrap();
                let mut bases = vec![None; mine.len()];
                for round in 0..25 {
                    let saves: Vec<db::revisions::BatchedSave> = mine
                        .iter()
                        .zip(&bases)
                        .map(|(&segment, &base)| db::revisions::BatchedSave {
                            segment_id: segment,
                            author_id: author,
                            text: format!("Task {t}, round {round}."),
                            base_revision_id: base,
                            event_kind: "saved",
                        })
                        .collect();
                    let refs: Vec<_> = saves.iter().collect();
                    let outcomes = db::revisions::save_revisions(&mut conn, &refs, &FROM, &TO)
                        .await
                        .unwrap_or_else(|e| panic!("task {t}, round {round}: {e}"));
                    for (base, outcome) in bases.iter_mut().zip(outcomes) {
                        match outcome {
                            db::revisions::Saved::Saved(r) => *base = Some(r.id),
                            other => panic!("task {t}, round {round}: {other:?}"),
                        }
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    // Every batch bumped both chapters once (the book has two chapters).
    let after = versions().await;
    assert_eq!(after.len(), 2);
    assert!(
        after.iter().zip(&before).all(|(a, b)| a - b == 100),
        "{before:?} → {after:?}"
    );
    // A batch that writes nothing bumps nothing.
    let current: (uuid::Uuid, String) = sqlx::query_as(
        "SELECT s.current_revision_id, r.text FROM segments s
           JOIN revisions r ON r.id = s.current_revision_id WHERE s.id = $1",
    )
    .bind(w.paragraphs[0])
    .fetch_one(&w.db.pool)
    .await
    .unwrap();
    let unchanged = db::revisions::BatchedSave {
        segment_id: w.paragraphs[0],
        author_id: w.translator.user_id,
        text: current.1,
        base_revision_id: Some(current.0),
        event_kind: "saved",
    };
    let mut conn = w.conn().await;
    let outcome = db::revisions::save_revisions(&mut conn, &[&unchanged], &FROM, &TO)
        .await
        .unwrap();
    assert!(matches!(outcome[0], db::revisions::Saved::Unchanged(_)));
    drop(conn);
    assert_eq!(versions().await, after);
}
