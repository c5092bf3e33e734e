//! Claims: taking a run of paragraphs, expiry, release, refresh on save.

use uuid::Uuid;

use plae::db;
use plae::workflow::{self, SaveOutcome, WorkflowError};

use crate::{world, World};

async fn live_holders(w: &World) -> Vec<(Uuid, Uuid)> {
    let mut conn = w.conn().await;
    workflow::live_claims_in_chapter(&mut conn, w.chapter_id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.claim.segment_id, c.claim.user_id))
        .collect()
}

/// Moves a claim's last activity into the past, as if its holder had gone quiet.
async fn idle(w: &World, segment: Uuid, minutes: i32) {
    sqlx::query(
        "UPDATE claims SET claimed_at = claimed_at - make_interval(mins => $2),
                           last_activity_at = last_activity_at - make_interval(mins => $2)
          WHERE segment_id = $1",
    )
    .bind(segment)
    .bind(minutes)
    .execute(&w.db.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_run_of_paragraphs_is_claimed_and_others_see_who_holds_it() {
    let w = world().await;
    let run = &w.paragraphs[0..3];
    let mut conn = w.conn().await;

    let mine = workflow::claim(&mut conn, &w.translator, run)
        .await
        .unwrap();
    assert_eq!(mine.claimed, run);
    assert!(mine.held_by_others.is_empty());

    let theirs = workflow::claim(&mut conn, &w.other, &w.paragraphs[2..5])
        .await
        .unwrap();
    assert_eq!(theirs.claimed, &w.paragraphs[3..5]);
    assert_eq!(theirs.held_by_others.len(), 1);
    assert_eq!(theirs.held_by_others[0].segment_id, w.paragraphs[2]);
    assert_eq!(theirs.held_by_others[0].holder_name, "Somchai");

    let holders = live_holders(&w).await;
    assert_eq!(holders.len(), 5);
    assert!(holders.contains(&(w.paragraphs[2], w.translator.user_id)));
    assert!(holders.contains(&(w.paragraphs[4], w.other.user_id)));
}

#[tokio::test]
async fn an_idle_claim_expires_and_can_be_taken_over() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let mut conn = w.conn().await;
    workflow::claim(&mut conn, &w.translator, &[segment])
        .await
        .unwrap();

    idle(&w, segment, 119).await;
    assert_eq!(
        live_holders(&w).await.len(),
        1,
        "still live before two hours"
    );
    idle(&w, segment, 2).await;
    assert!(
        live_holders(&w).await.is_empty(),
        "expired after two hours idle"
    );

    let taken = workflow::claim(&mut conn, &w.other, &[segment])
        .await
        .unwrap();
    assert_eq!(taken.claimed, [segment]);
    assert_eq!(live_holders(&w).await, [(segment, w.other.user_id)]);
}

#[tokio::test]
async fn the_expiry_is_the_admins_setting() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let mut conn = w.conn().await;
    db::settings::set_claim_expiry_minutes(&mut conn, 30, None)
        .await
        .unwrap();
    workflow::claim(&mut conn, &w.translator, &[segment])
        .await
        .unwrap();

    idle(&w, segment, 31).await;

    assert!(live_holders(&w).await.is_empty());
}

#[tokio::test]
async fn a_claim_is_released_by_its_holder_or_a_reviewer_but_not_another_translator() {
    let w = world().await;
    let (a, b) = (w.paragraphs[0], w.paragraphs[1]);
    let mut conn = w.conn().await;
    workflow::claim(&mut conn, &w.translator, &[a, b])
        .await
        .unwrap();

    let refused = workflow::release_claims(&mut conn, &w.other, &[a]).await;
    assert!(
        matches!(refused, Err(WorkflowError::Forbidden(_))),
        "{refused:?}"
    );
    assert_eq!(live_holders(&w).await.len(), 2);

    assert_eq!(
        workflow::release_claims(&mut conn, &w.translator, &[a])
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        workflow::release_claims(&mut conn, &w.reviewer, &[b])
            .await
            .unwrap(),
        1
    );
    assert!(live_holders(&w).await.is_empty());
    assert_eq!(
        workflow::release_claims(&mut conn, &w.other, &[a])
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn a_claim_warns_but_never_blocks_saving_and_saving_refreshes_the_holders_claim() {
    let w = world().await;
    let segment = w.paragraphs[0];
    let mut conn = w.conn().await;
    workflow::claim(&mut conn, &w.translator, &[segment])
        .await
        .unwrap();

    let by_other = workflow::save_draft(&mut conn, &w.other, segment, "Not blocked.", None)
        .await
        .unwrap();
    assert!(matches!(by_other, SaveOutcome::Saved(_)));

    idle(&w, segment, 100).await;
    let current = w.segment(segment).await.current_revision_id;
    w.save(&w.translator, segment, "The holder saves.", current)
        .await;
    idle(&w, segment, 100).await;
    assert_eq!(
        live_holders(&w).await,
        [(segment, w.translator.user_id)],
        "the save counted as activity: 100 minutes since, not 200"
    );
}

#[tokio::test]
async fn claiming_a_segment_that_does_not_exist_changes_nothing() {
    let w = world().await;
    let mut conn = w.conn().await;
    let result =
        workflow::claim(&mut conn, &w.translator, &[w.paragraphs[0], Uuid::new_v4()]).await;
    assert!(matches!(result, Err(WorkflowError::NotFound(_))));
    assert!(live_holders(&w).await.is_empty());
}
