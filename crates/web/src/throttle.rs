//! Sign-in failure limits per account and per client address, kept in memory
//! (one server). The rules are `juri_domain::throttle`; this is the bookkeeping.

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

    fn clear(&self, key: &K) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(key);
    }
}

#[derive(Debug)]
pub struct LoginThrottle {
    accounts: Counters<String>,
    clients: Counters<IpAddr>,
}

impl LoginThrottle {
    pub fn new(per_account: FailureLimit, per_client: FailureLimit) -> Self {
        Self {
            accounts: Counters::new(per_account),
            clients: Counters::new(per_client),
        }
    }

    /// May this client try to sign in to this account now? `Err(seconds)` if not.
    pub fn check(&self, account: &str, client: IpAddr, now: DateTime<Utc>) -> Result<(), u64> {
        let a = self.accounts.check(&account.to_owned(), now);
        let c = self.clients.check(&client, now);
        match (a, c) {
            (Ok(()), Ok(())) => Ok(()),
            (a, c) => Err(a.err().unwrap_or(0).max(c.err().unwrap_or(0))),
        }
    }

    pub fn record_failure(&self, account: &str, client: IpAddr, now: DateTime<Utc>) {
        self.accounts.fail(&account.to_owned(), now);
        self.clients.fail(&client, now);
    }

    /// A successful sign-in clears the account's count (not the client's).
    pub fn record_success(&self, account: &str) {
        self.accounts.clear(&account.to_owned());
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
