//! Request limits kept in memory, per server: expensive work per user, and requests
//! per client address (sign-up, refresh, uploads). The sign-in failure counts are in
//! the database instead (`juri_persistence::signin`), shared by every server.

use chrono::{DateTime, Utc};
use juri_domain::throttle::{FailureCounter, FailureLimit};
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;

/// Counters are pruned when a map grows past this many keys.
const PRUNE_AT: usize = 10_000;

#[derive(Debug)]
struct Counters<K> {
    limit: FailureLimit,
    map: Mutex<HashMap<K, FailureCounter>>,
}

impl<K: Eq + Hash + Clone> Counters<K> {
    fn new(limit: FailureLimit) -> Self {
        Self {
            limit,
            map: Mutex::new(HashMap::new()),
        }
    }

    fn check(&self, key: &K, now: DateTime<Utc>) -> Result<(), u64> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        match map.get_mut(key) {
            Some(c) => c.check(now, self.limit),
            None => Ok(()),
        }
    }

    fn fail(&self, key: &K, now: DateTime<Utc>) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= PRUNE_AT {
            let limit = self.limit;
            map.retain(|_, c| !c.is_idle(now, limit));
        }
        map.entry(key.clone())
            .or_default()
            .record_failure(now, self.limit);
    }
}

/// Expensive work (exports, automatic assignment) per user: a few a minute, so one
/// person cannot tie up the server by repeating them.
#[derive(Debug)]
pub struct ExpensiveLimiter {
    counters: Counters<juri_domain::ids::UserId>,
}

impl ExpensiveLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            counters: Counters::new(FailureLimit {
                max_failures: per_minute,
                window: chrono::Duration::minutes(1),
            }),
        }
    }

    /// Count one request; `Err(seconds)` when the user is over the limit.
    pub fn hit(&self, user: juri_domain::ids::UserId, now: DateTime<Utc>) -> Result<(), u64> {
        self.counters.check(&user, now)?;
        self.counters.fail(&user, now);
        Ok(())
    }
}

/// What a per-client request limit guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    SignUp,
    Refresh,
    Upload,
    /// "Forgot password" requests (each may send a mail).
    PasswordReset,
}

/// Requests per client address in a sliding window, for the routes anyone can hammer
/// (sign-up, token refresh) and the heavy ones (uploads). Every request counts, refused
/// or not, so a client past the limit waits until its oldest request leaves the window.
/// In memory: with several servers each counts its own, so the effective limit is the
/// configured one times the number of servers.
#[derive(Debug)]
pub struct ClientLimits {
    sign_up: Counters<IpAddr>,
    refresh: Counters<IpAddr>,
    upload: Counters<IpAddr>,
    reset: Counters<IpAddr>,
}

impl ClientLimits {
    pub fn new(
        sign_up: FailureLimit,
        refresh: FailureLimit,
        upload: FailureLimit,
        reset: FailureLimit,
    ) -> Self {
        Self {
            sign_up: Counters::new(sign_up),
            refresh: Counters::new(refresh),
            upload: Counters::new(upload),
            reset: Counters::new(reset),
        }
    }

    /// Count one request of `client`; `Err(seconds)` when it is over the limit.
    pub fn hit(&self, what: Limited, client: IpAddr, now: DateTime<Utc>) -> Result<(), u64> {
        let counters = match what {
            Limited::SignUp => &self.sign_up,
            Limited::Refresh => &self.refresh,
            Limited::Upload => &self.upload,
            Limited::PasswordReset => &self.reset,
        };
        counters.check(&client, now)?;
        counters.fail(&client, now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn a_client_past_its_limit_waits_and_others_do_not() {
        let limit = FailureLimit {
            max_failures: 2,
            window: chrono::Duration::minutes(1),
        };
        let limits = ClientLimits::new(limit, limit, limit, limit);
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let b = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        let now = Utc::now();
        assert!(limits.hit(Limited::SignUp, a, now).is_ok());
        assert!(limits.hit(Limited::SignUp, a, now).is_ok());
        assert_eq!(limits.hit(Limited::SignUp, a, now), Err(60));
        assert!(
            limits.hit(Limited::SignUp, b, now).is_ok(),
            "another client"
        );
        assert!(limits.hit(Limited::Upload, a, now).is_ok(), "another limit");
        let later = now + chrono::Duration::seconds(61);
        assert!(
            limits.hit(Limited::SignUp, a, later).is_ok(),
            "the window moved"
        );
    }
}
