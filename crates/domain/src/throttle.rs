//! Brute-force protection for sign-in: count failures per key (an account, a client
//! address) in a sliding window; at the limit, refuse further attempts until the
//! oldest failure leaves the window. Pure bookkeeping: the caller passes `now` and
//! keeps one counter per key.

use chrono::{DateTime, Duration, Utc};
use std::collections::VecDeque;

/// How many failures are allowed in how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureLimit {
    pub max_failures: u32,
    pub window: Duration,
}

impl FailureLimit {
    /// Ten failed sign-ins per account in 15 minutes.
    pub const PER_ACCOUNT: FailureLimit = FailureLimit {
        max_failures: 10,
        window: Duration::minutes(15),
    };
    /// Thirty per client address: several people may share an office's address.
    pub const PER_CLIENT: FailureLimit = FailureLimit {
        max_failures: 30,
        window: Duration::minutes(15),
    };
}

/// The recent failures of one key.
#[derive(Debug, Clone, Default)]
pub struct FailureCounter {
    failures: VecDeque<DateTime<Utc>>,
}

impl FailureCounter {
    /// A counter of failures recorded elsewhere (the database), oldest first or not.
    pub fn from_times(times: impl IntoIterator<Item = DateTime<Utc>>) -> FailureCounter {
        let mut failures: Vec<DateTime<Utc>> = times.into_iter().collect();
        failures.sort_unstable();
        FailureCounter {
            failures: failures.into(),
        }
    }

    fn prune(&mut self, now: DateTime<Utc>, limit: FailureLimit) {
        while self
            .failures
            .front()
            .is_some_and(|t| *t + limit.window <= now)
        {
            self.failures.pop_front();
        }
    }

    /// May another attempt be made now? If not, after how many whole seconds.
    pub fn check(&mut self, now: DateTime<Utc>, limit: FailureLimit) -> Result<(), u64> {
        self.prune(now, limit);
        let over = self.failures.len() >= limit.max_failures as usize;
        match self.failures.front() {
            Some(oldest) if over => {
                let wait = (*oldest + limit.window - now).num_milliseconds();
                // Round up: a client that waits exactly this long succeeds.
                Err(u64::try_from((wait + 999) / 1000).unwrap_or(1).max(1))
            }
            _ => Ok(()),
        }
    }

    pub fn record_failure(&mut self, now: DateTime<Utc>, limit: FailureLimit) {
        self.prune(now, limit);
        self.failures.push_back(now);
    }

    /// No failure left in the window: the counter can be forgotten.
    pub fn is_idle(&mut self, now: DateTime<Utc>, limit: FailureLimit) -> bool {
        self.prune(now, limit);
        self.failures.is_empty()
    }
}

/// May one more sign-in be attempted, given the recent failures of the account and of
/// the client? `Err(seconds)` — the longer of the two waits — if either is at its limit.
pub fn may_attempt(
    account: impl IntoIterator<Item = DateTime<Utc>>,
    client: impl IntoIterator<Item = DateTime<Utc>>,
    limits: (FailureLimit, FailureLimit),
    now: DateTime<Utc>,
) -> Result<(), u64> {
    let a = FailureCounter::from_times(account).check(now, limits.0);
    let c = FailureCounter::from_times(client).check(now, limits.1);
    match (a, c) {
        (Ok(()), Ok(())) => Ok(()),
        (a, c) => Err(a.err().unwrap_or(0).max(c.err().unwrap_or(0))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_900_000_000 + secs, 0).unwrap_or_default()
    }

    const LIMIT: FailureLimit = FailureLimit::PER_ACCOUNT;

    #[test]
    fn ten_failures_are_allowed_and_the_eleventh_attempt_waits() {
        let mut c = FailureCounter::default();
        for i in 0..10 {
            assert_eq!(c.check(t(i), LIMIT), Ok(()), "attempt {}", i + 1);
            c.record_failure(t(i), LIMIT);
        }
        // The 11th attempt, one second after the 10th failure.
        assert_eq!(c.check(t(10), LIMIT), Err(15 * 60 - 10));
    }

    #[test]
    fn attempts_are_allowed_again_when_the_oldest_failure_leaves_the_window() {
        let mut c = FailureCounter::default();
        for i in 0..10 {
            c.record_failure(t(i), LIMIT);
        }
        assert!(c.check(t(899), LIMIT).is_err());
        assert_eq!(c.check(t(900), LIMIT), Ok(()));
    }

    #[test]
    fn retry_after_is_at_least_one_second() {
        let mut c = FailureCounter::default();
        let start = t(0);
        for _ in 0..10 {
            c.record_failure(start, LIMIT);
        }
        let almost = start + LIMIT.window - Duration::milliseconds(1);
        assert_eq!(c.check(almost, LIMIT), Err(1));
    }

    #[test]
    fn an_idle_counter_can_be_dropped() {
        let mut c = FailureCounter::default();
        c.record_failure(t(0), LIMIT);
        assert!(!c.is_idle(t(1), LIMIT));
        assert!(c.is_idle(t(900), LIMIT));
    }

    #[test]
    fn the_stricter_of_account_and_client_decides_with_the_longer_wait() {
        let limits = (FailureLimit::PER_ACCOUNT, FailureLimit::PER_CLIENT);
        let nine: Vec<_> = (0..9).map(t).collect();
        let ten: Vec<_> = (0..10).map(t).collect();
        assert_eq!(
            may_attempt(nine.clone(), nine.clone(), limits, t(60)),
            Ok(())
        );
        // The account's oldest failure (t=0) leaves its 15-minute window at t=900.
        assert_eq!(may_attempt(ten.clone(), nine, limits, t(60)), Err(840));
        let thirty: Vec<_> = (100..130).map(t).collect();
        assert_eq!(may_attempt(ten, thirty, limits, t(200)), Err(800));
        // Out of the window, failures no longer count, in any order given.
        let old: Vec<_> = (0..10).rev().map(t).collect();
        assert_eq!(may_attempt(old, Vec::new(), limits, t(910)), Ok(()));
    }
}
