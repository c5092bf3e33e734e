//! Sign-in throttling: the decision, from the failed attempts of the last minutes.
//!
//! Password guessing is slowed per username (5 failures in 15 minutes lock that username for
//! the rest of the window) and per client address, with a higher limit because several
//! people may share one address (an office, a university). The attempts are recorded in the
//! database (`db::sign_in`), so the limit holds across instances and restarts. Refused
//! attempts are recorded but not counted: the lock ends when the window has passed, however
//! often the attacker knocks.

use chrono::{DateTime, TimeDelta, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub window: TimeDelta,
    pub per_username: usize,
    pub per_client: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            window: TimeDelta::minutes(15),
            per_username: 5,
            per_client: 30,
        }
    }
}

/// Why an attempt was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locked {
    Username,
    Client,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Refuse {
        what: Locked,
        /// When the oldest failure that keeps the lock leaves the window.
        until: DateTime<Utc>,
    },
}

impl Decision {
    /// Whole minutes to wait, rounded up, for the message.
    pub fn minutes_to_wait(&self, now: DateTime<Utc>) -> i64 {
        match self {
            Decision::Allow => 0,
            Decision::Refuse { until, .. } => {
                let seconds = (*until - now).num_seconds().max(1);
                (seconds + 59) / 60
            }
        }
    }
}

impl Limits {
    /// The decision for a new attempt, given the times of earlier failed attempts for the same
    /// username and from the same client (in any order; older ones are ignored).
    pub fn decide(
        &self,
        now: DateTime<Utc>,
        username_failures: &[DateTime<Utc>],
        client_failures: &[DateTime<Utc>],
    ) -> Decision {
        let by_username = self.locked_until(now, username_failures, self.per_username);
        let by_client = self.locked_until(now, client_failures, self.per_client);
        // The username lock is the one to report when both hold: it is the one the person
        // at the keyboard can do something about (check the username).
        match (by_username, by_client) {
            (Some(until), _) => Decision::Refuse {
                what: Locked::Username,
                until,
            },
            (None, Some(until)) => Decision::Refuse {
                what: Locked::Client,
                until,
            },
            (None, None) => Decision::Allow,
        }
    }

    /// With `limit` failures or more in the window, until when the lock holds: the moment
    /// the count drops below the limit again.
    fn locked_until(
        &self,
        now: DateTime<Utc>,
        failures: &[DateTime<Utc>],
        limit: usize,
    ) -> Option<DateTime<Utc>> {
        let since = now - self.window;
        let mut recent: Vec<DateTime<Utc>> =
            failures.iter().copied().filter(|t| *t > since).collect();
        if limit == 0 || recent.len() < limit {
            return None;
        }
        recent.sort_unstable_by(|a, b| b.cmp(a));
        // Newest first: when the limit-th newest failure leaves the window, fewer than
        // `limit` remain.
        Some(recent[limit - 1] + self.window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap() + TimeDelta::minutes(minute)
    }

    fn failures(minutes: &[i64]) -> Vec<DateTime<Utc>> {
        minutes.iter().map(|m| at(*m)).collect()
    }

    #[test]
    fn four_failures_leave_the_fifth_attempt_allowed() {
        let limits = Limits::default();
        let decision = limits.decide(at(10), &failures(&[1, 2, 3, 4]), &[]);
        assert_eq!(decision, Decision::Allow);
    }

    #[test]
    fn five_failures_in_fifteen_minutes_lock_the_username_for_the_rest_of_the_window() {
        let limits = Limits::default();
        let decision = limits.decide(at(10), &failures(&[1, 2, 3, 4, 5]), &[]);
        assert_eq!(
            decision,
            Decision::Refuse {
                what: Locked::Username,
                until: at(16)
            }
        );
        assert_eq!(decision.minutes_to_wait(at(10)), 6);
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let limits = Limits::default();
        let decision = limits.decide(at(20), &failures(&[1, 2, 3, 4, 5]), &[]);
        assert_eq!(decision, Decision::Allow);
        // Exactly fifteen minutes old is out of the window.
        let decision = limits.decide(at(16), &failures(&[1, 2, 3, 4, 5]), &[]);
        assert_eq!(decision, Decision::Allow);
    }

    #[test]
    fn the_lock_lasts_until_enough_failures_have_aged_out() {
        let limits = Limits::default();
        // Seven failures: the lock holds until the fifth newest (minute 3) is 15 minutes old.
        let decision = limits.decide(at(8), &failures(&[7, 1, 2, 3, 4, 5, 6]), &[]);
        assert_eq!(
            decision,
            Decision::Refuse {
                what: Locked::Username,
                until: at(18)
            }
        );
    }

    #[test]
    fn a_client_address_has_a_higher_limit_shared_by_all_usernames() {
        let limits = Limits::default();
        let many: Vec<i64> = (0..29).map(|i| i % 10).collect();
        assert_eq!(
            limits.decide(at(10), &[], &failures(&many)),
            Decision::Allow
        );
        let more: Vec<i64> = (0..30).map(|i| i % 10).collect();
        assert!(matches!(
            limits.decide(at(10), &[], &failures(&more)),
            Decision::Refuse {
                what: Locked::Client,
                ..
            }
        ));
    }

    #[test]
    fn the_username_lock_is_reported_when_both_hold() {
        let limits = Limits::default();
        let many: Vec<i64> = vec![5; 40];
        assert!(matches!(
            limits.decide(at(10), &failures(&[5; 5]), &failures(&many)),
            Decision::Refuse {
                what: Locked::Username,
                ..
            }
        ));
    }

    #[test]
    fn the_wait_is_rounded_up_to_a_whole_minute() {
        let decision = Decision::Refuse {
            what: Locked::Username,
            until: at(10) + TimeDelta::seconds(1),
        };
        assert_eq!(decision.minutes_to_wait(at(10)), 1);
        assert_eq!(Decision::Allow.minutes_to_wait(at(10)), 0);
    }
}
