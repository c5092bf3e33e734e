//! Claims: who is translating which segment. Whether a claim is still live is decided by
//! `crate::workflow::claims` from `last_activity_at` and the expiry setting; these
//! functions return claims live or not.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct ClaimRow {
    pub segment_id: Uuid,
    pub user_id: Uuid,
    pub holder_name: String,
    pub claimed_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
}

const CLAIM_SELECT: &str = "
    SELECT k.segment_id, k.user_id, u.display_name AS holder_name, k.claimed_at,
           k.last_activity_at
      FROM claims k
      JOIN users u ON u.id = k.user_id";

/// The claims on these segments. Call it after locking the segments (see
/// `segments::lock_segments`) when the answer decides a write.
pub async fn claims_on(
    conn: &mut PgConnection,
    segment_ids: &[Uuid],
) -> Result<Vec<ClaimRow>, sqlx::Error> {
    sqlx::query_as::<_, ClaimRow>(&format!(
        "{CLAIM_SELECT} WHERE k.segment_id = ANY($1) ORDER BY k.segment_id"
    ))
    .bind(segment_ids)
    .fetch_all(conn)
    .await
}

/// Every claim on a chapter's segments, for its page.
pub async fn claims_in_chapter(
    conn: &mut PgConnection,
    chapter_id: Uuid,
) -> Result<Vec<ClaimRow>, sqlx::Error> {
    sqlx::query_as::<_, ClaimRow>(&format!(
        "{CLAIM_SELECT} JOIN segments s ON s.id = k.segment_id
          WHERE s.chapter_id = $1 ORDER BY s.position"
    ))
    .bind(chapter_id)
    .fetch_all(conn)
    .await
}

/// Every claim a user holds (live or expired), oldest activity first.
pub async fn claims_of_user(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Vec<ClaimRow>, sqlx::Error> {
    sqlx::query_as::<_, ClaimRow>(&format!(
        "{CLAIM_SELECT} WHERE k.user_id = $1 ORDER BY k.last_activity_at"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Gives these segments to `user_id` from now on, replacing whatever claim they had.
pub async fn take(
    conn: &mut PgConnection,
    segment_ids: &[Uuid],
    user_id: Uuid,
) -> Result<u64, sqlx::Error> {
    if segment_ids.is_empty() {
        return Ok(0);
    }
    sqlx::query(
        "INSERT INTO claims (segment_id, user_id)
         SELECT id, $2 FROM UNNEST($1::uuid[]) AS t (id)
         ON CONFLICT (segment_id) DO UPDATE
            SET user_id = EXCLUDED.user_id, claimed_at = now(), last_activity_at = now()",
    )
    .bind(segment_ids)
    .bind(user_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected())
}

/// Records activity on the user's claims of these segments (an expired claim nobody took
/// over comes back to life: its holder is working on it again).
pub async fn touch(
    conn: &mut PgConnection,
    segment_ids: &[Uuid],
    user_id: Uuid,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE claims SET last_activity_at = now()
          WHERE segment_id = ANY($1) AND user_id = $2",
    )
    .bind(segment_ids)
    .bind(user_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected())
}

/// Removes the claims on these segments, whoever holds them.
pub async fn remove(conn: &mut PgConnection, segment_ids: &[Uuid]) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM claims WHERE segment_id = ANY($1)")
        .bind(segment_ids)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
}

/// The database's clock at the start of the transaction, the one `claims` timestamps come
/// from, so that expiry is judged against the same clock.
pub async fn database_now(conn: &mut PgConnection) -> Result<DateTime<Utc>, sqlx::Error> {
    sqlx::query_scalar::<_, DateTime<Utc>>("SELECT now()")
        .fetch_one(conn)
        .await
}
