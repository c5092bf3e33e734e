//! Claims: "I am translating this paragraph", so that others see it is taken.
//!
//! A claim is a warning, never a lock: anyone may still save the segment. It lasts while
//! its holder is active (claiming again or saving the segment refreshes it) and expires
//! after `claim_expiry_minutes` (a setting, 120 by default) without activity; an expired
//! claim is as good as none and the next claimant takes it over. The holder, reviewers and
//! admins may release it early.
//!
//! Expiry is computed when read, from `last_activity_at`, by the pure functions here,
//! against the database's clock (the one the timestamps come from). Note that a claim
//! expiring is not a write: a page cached on `chapters.content_version` should show when
//! each claim expires rather than only who holds it.

use chrono::{DateTime, Duration, Utc};
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use super::{Actor, Refusal, WorkflowError};
use crate::db::claims::{self, ClaimRow};
use crate::db::segments;
use crate::db::settings::{self, Settings};

/// The most segments one claim may cover (a chapter has a few hundred).
pub const MAX_CLAIM_RUN: usize = 1000;

/// How long an idle claim lasts under these settings.
pub fn claim_expiry(settings: &Settings) -> Duration {
    Duration::minutes(i64::from(settings.claim_expiry_minutes))
}

/// When a claim last active at `last_activity_at` expires.
pub fn expires_at(last_activity_at: DateTime<Utc>, expiry: Duration) -> DateTime<Utc> {
    last_activity_at + expiry
}

/// Whether a claim is still live at `now`; it expires at exactly `expires_at`.
pub fn is_live(last_activity_at: DateTime<Utc>, now: DateTime<Utc>, expiry: Duration) -> bool {
    now < expires_at(last_activity_at, expiry)
}

/// What claiming a segment does, given its current claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimDecision {
    /// Unclaimed, or an expired claim: it becomes the actor's.
    Take,
    /// The actor's own claim (live or expired): its activity is refreshed.
    Refresh,
    /// Someone else's live claim: left alone.
    HeldByOther,
}

pub fn decide_claim(
    existing: Option<&ClaimRow>,
    actor_id: Uuid,
    now: DateTime<Utc>,
    expiry: Duration,
) -> ClaimDecision {
    match existing {
        None => ClaimDecision::Take,
        Some(claim) if claim.user_id == actor_id => ClaimDecision::Refresh,
        Some(claim) if is_live(claim.last_activity_at, now, expiry) => ClaimDecision::HeldByOther,
        Some(_) => ClaimDecision::Take,
    }
}

/// Whether `actor` may release a claim held by `holder`.
pub fn may_release(actor: &Actor, holder: Uuid) -> Result<(), Refusal> {
    if actor.user_id == holder || actor.role.can_review() {
        Ok(())
    } else {
        Err(Refusal::Forbidden(
            "only its holder, a reviewer or an admin can release someone's claim",
        ))
    }
}

/// What a claim did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimOutcome {
    /// The segments now claimed by the actor (new, taken over or refreshed).
    pub claimed: Vec<Uuid>,
    /// The segments someone else holds, with who: these were left alone.
    pub held_by_others: Vec<ClaimRow>,
}

/// Claims one segment or a run of them (of any chapter) for the actor, skipping those
/// another person holds: they are reported, not taken.
pub async fn claim(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_ids: &[Uuid],
) -> Result<ClaimOutcome, WorkflowError> {
    let ids = distinct(segment_ids)?;
    let mut tx = conn.begin().await?;
    // The segment rows are the lock: two people claiming the same paragraph at once are
    // served one after the other, and the second sees the first one's claim.
    let locked = segments::lock_segments(&mut tx, &ids).await?;
    if locked.len() != ids.len() {
        return Err(WorkflowError::NotFound("segment"));
    }
    if locked.iter().any(|&(_, retired)| retired) {
        return Err(WorkflowError::Invalid(
            "a segment that is no longer in the source text cannot be claimed".into(),
        ));
    }
    let expiry = claim_expiry(&settings::get_settings(&mut tx).await?);
    let now = claims::database_now(&mut tx).await?;
    let existing = claims::claims_on(&mut tx, &ids).await?;
    let (mut take, mut refresh, mut held_by_others) = (Vec::new(), Vec::new(), Vec::new());
    for id in &ids {
        let current = existing.iter().find(|c| c.segment_id == *id);
        match decide_claim(current, actor.user_id, now, expiry) {
            ClaimDecision::Take => take.push(*id),
            ClaimDecision::Refresh => refresh.push(*id),
            ClaimDecision::HeldByOther => held_by_others.extend(current.cloned()),
        }
    }
    claims::take(&mut tx, &take, actor.user_id).await?;
    claims::touch(&mut tx, &refresh, actor.user_id).await?;
    tx.commit().await?;
    let claimed = ids
        .into_iter()
        .filter(|id| take.contains(id) || refresh.contains(id))
        .collect();
    Ok(ClaimOutcome {
        claimed,
        held_by_others,
    })
}

/// Releases the claims on these segments; returns how many there were. All or nothing: if
/// the actor may not release one of them, none is released.
pub async fn release_claims(
    conn: &mut PgConnection,
    actor: &Actor,
    segment_ids: &[Uuid],
) -> Result<u64, WorkflowError> {
    let ids = distinct(segment_ids)?;
    let mut tx = conn.begin().await?;
    segments::lock_segments(&mut tx, &ids).await?;
    let existing = claims::claims_on(&mut tx, &ids).await?;
    for claim in &existing {
        may_release(actor, claim.user_id)?;
    }
    let held: Vec<Uuid> = existing.iter().map(|c| c.segment_id).collect();
    let released = claims::remove(&mut tx, &held).await?;
    tx.commit().await?;
    Ok(released)
}

/// A claim that has not expired, with when it will.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LiveClaim {
    #[serde(flatten)]
    pub claim: ClaimRow,
    pub expires_at: DateTime<Utc>,
}

/// The live claims on a chapter's segments, in reading order.
pub async fn live_claims_in_chapter(
    conn: &mut PgConnection,
    chapter_id: Uuid,
) -> Result<Vec<LiveClaim>, WorkflowError> {
    let expiry = claim_expiry(&settings::get_settings(conn).await?);
    let now = claims::database_now(conn).await?;
    let rows = claims::claims_in_chapter(conn, chapter_id).await?;
    Ok(rows
        .into_iter()
        .filter(|c| is_live(c.last_activity_at, now, expiry))
        .map(|claim| LiveClaim {
            expires_at: expires_at(claim.last_activity_at, expiry),
            claim,
        })
        .collect())
}

/// The ids without repeats, in the order given; at least one, at most [`MAX_CLAIM_RUN`].
fn distinct(ids: &[Uuid]) -> Result<Vec<Uuid>, WorkflowError> {
    let mut seen = Vec::with_capacity(ids.len());
    for id in ids {
        if !seen.contains(id) {
            seen.push(*id);
        }
    }
    if seen.is_empty() {
        return Err(WorkflowError::Invalid("no segment given".into()));
    }
    if seen.len() > MAX_CLAIM_RUN {
        return Err(WorkflowError::Invalid(format!(
            "{} segments at once is too many; the limit is {MAX_CLAIM_RUN}",
            seen.len()
        )));
    }
    Ok(seen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + Duration::minutes(minutes)
    }

    fn claim_by(user_id: Uuid, last_activity_minute: i64) -> ClaimRow {
        ClaimRow {
            segment_id: Uuid::nil(),
            user_id,
            holder_name: "Somchai".into(),
            claimed_at: at(0),
            last_activity_at: at(last_activity_minute),
        }
    }

    #[test]
    fn a_claim_lives_until_the_expiry_after_its_last_activity() {
        let two_hours = Duration::minutes(120);
        assert!(is_live(at(10), at(10), two_hours));
        assert!(is_live(at(10), at(129), two_hours));
        assert!(
            !is_live(at(10), at(130), two_hours),
            "it expires at exactly last activity + expiry"
        );
        assert!(!is_live(at(10), at(500), two_hours));
        assert_eq!(expires_at(at(10), two_hours), at(130));
    }

    #[test]
    fn the_expiry_comes_from_the_setting() {
        let settings = Settings {
            claim_expiry_minutes: 30,
            ..Settings::default()
        };
        assert_eq!(claim_expiry(&settings), Duration::minutes(30));
        assert_eq!(claim_expiry(&Settings::default()), Duration::hours(2));
    }

    #[test]
    fn claiming_takes_free_and_expired_segments_and_refreshes_ones_own() {
        let (me, other) = (Uuid::new_v4(), Uuid::new_v4());
        let expiry = Duration::minutes(120);
        let now = at(200);
        assert_eq!(decide_claim(None, me, now, expiry), ClaimDecision::Take);
        let live_other = claim_by(other, 150);
        assert_eq!(
            decide_claim(Some(&live_other), me, now, expiry),
            ClaimDecision::HeldByOther
        );
        let expired_other = claim_by(other, 80);
        assert_eq!(
            decide_claim(Some(&expired_other), me, now, expiry),
            ClaimDecision::Take
        );
        for mine in [claim_by(me, 150), claim_by(me, 10)] {
            assert_eq!(
                decide_claim(Some(&mine), me, now, expiry),
                ClaimDecision::Refresh
            );
        }
    }

    #[test]
    fn a_claim_is_released_by_its_holder_or_a_reviewer_but_not_another_translator() {
        let holder = Uuid::new_v4();
        let actor = |role| Actor {
            user_id: Uuid::new_v4(),
            role,
        };
        let own = Actor {
            user_id: holder,
            role: Role::Translator,
        };
        assert_eq!(may_release(&own, holder), Ok(()));
        assert_eq!(may_release(&actor(Role::Reviewer), holder), Ok(()));
        assert_eq!(may_release(&actor(Role::Admin), holder), Ok(()));
        assert!(matches!(
            may_release(&actor(Role::Translator), holder),
            Err(Refusal::Forbidden(_))
        ));
    }

    #[test]
    fn repeated_ids_count_once_and_empty_or_huge_runs_are_refused() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(distinct(&[a, b, a]).unwrap(), [a, b]);
        assert!(distinct(&[]).is_err());
        let many: Vec<Uuid> = (0..=MAX_CLAIM_RUN).map(|_| Uuid::new_v4()).collect();
        assert!(distinct(&many).is_err());
    }
}
