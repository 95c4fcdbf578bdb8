//! Sign-in failure counts, shared by every server on the database (one budget however
//! many servers an attacker spreads guesses over). The rule is
//! `juri_domain::throttle::may_attempt`; this is the bookkeeping.
//!
//! An attempt is recorded as a failure *before* its password is checked, in the same
//! transaction that counted the earlier ones, and the record is removed when the
//! password turns out right. So forty attempts sent at once are counted one after the
//! other: the eleventh is refused before any hashing, instead of all forty being
//! checked against a count that none of them has added to yet. PostgreSQL serialises
//! the count-then-insert of one key with a transaction-scoped advisory lock; SQLite
//! has one writer at a time anyway.

use crate::entities::sign_in_failures;
use crate::store::Backend;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::throttle::{FailureLimit, may_attempt};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};
use std::sync::atomic::{AtomicU64, Ordering};

/// Every this many attempts, rows older than a day are removed (keys never tried again).
const PRUNE_EVERY: u64 = 500;

/// The failures an attempt recorded in advance: removed if it succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    account_row: i64,
    client_row: i64,
}

/// The keys of one attempt: the account as typed (trimmed, lower-cased) and the client.
#[derive(Debug, Clone)]
pub struct AttemptKeys {
    account: String,
    client: String,
}

impl AttemptKeys {
    pub fn new(account: &str, client: std::net::IpAddr) -> AttemptKeys {
        AttemptKeys {
            // Bounded: an address longer than any real one still makes a short key.
            account: format!("a:{}", account.chars().take(254).collect::<String>()),
            client: format!("c:{client}"),
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct PruneClock(AtomicU64);

async fn recent<C: ConnectionTrait>(
    db: &C,
    key: &str,
    since: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<DateTime<Utc>>, StoreError> {
    Ok(sign_in_failures::Entity::find()
        .select_only()
        .column(sign_in_failures::Column::At)
        .filter(sign_in_failures::Column::Key.eq(key))
        .filter(sign_in_failures::Column::At.gt(since))
        .order_by_desc(sign_in_failures::Column::At)
        .limit(u64::from(limit))
        .into_tuple::<DateTime<Utc>>()
        .all(db)
        .await?)
}

async fn record<C: ConnectionTrait>(
    db: &C,
    key: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = sign_in_failures::ActiveModel {
        key: Set(key.to_owned()),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

impl Store {
    /// Count one sign-in attempt against the account's and the client's limits.
    /// `Ok(Err(seconds))`: refused, nothing recorded; `Ok(Ok(attempt))`: recorded as a
    /// failure until [`Store::sign_in_succeeded`] says otherwise.
    pub async fn begin_sign_in(
        &self,
        keys: &AttemptKeys,
        limits: (FailureLimit, FailureLimit),
        now: DateTime<Utc>,
    ) -> Result<Result<Attempt, u64>, StoreError> {
        let txn = self.begin_write().await?;
        if self.backend() == Backend::Postgres {
            // Both keys, in a fixed order, so two attempts never wait on each other
            // crosswise.
            let mut both = [keys.account.as_str(), keys.client.as_str()];
            both.sort_unstable();
            for key in both {
                txn.execute_raw(Statement::from_sql_and_values(
                    sea_orm::DatabaseBackend::Postgres,
                    "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))",
                    [key.into()],
                ))
                .await?;
            }
        }
        let account = recent(
            &txn,
            &keys.account,
            now - limits.0.window,
            limits.0.max_failures,
        )
        .await?;
        let client = recent(
            &txn,
            &keys.client,
            now - limits.1.window,
            limits.1.max_failures,
        )
        .await?;
        if let Err(wait) = may_attempt(account, client, limits, now) {
            return Ok(Err(wait));
        }
        let account_row = record(&txn, &keys.account, now).await?;
        let client_row = record(&txn, &keys.client, now).await?;
        if self
            .signin_prune
            .0
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(PRUNE_EVERY)
        {
            sign_in_failures::Entity::delete_many()
                .filter(sign_in_failures::Column::At.lt(now - chrono::Duration::days(1)))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(Ok(Attempt {
            account_row,
            client_row,
        }))
    }

    /// The password was right: the account's failures are forgotten (a person who got
    /// in is not locked out by their own typos) and this attempt no longer counts
    /// against the client.
    pub async fn sign_in_succeeded(
        &self,
        keys: &AttemptKeys,
        attempt: Attempt,
    ) -> Result<(), StoreError> {
        let turn = self.write_turn().await?;
        sign_in_failures::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(sign_in_failures::Column::Key.eq(keys.account.as_str()))
                    .add(sign_in_failures::Column::Id.eq(attempt.client_row)),
            )
            .exec(turn.db())
            .await?;
        Ok(())
    }

    /// The password could not be checked (the server was too busy): the attempt does
    /// not count at all.
    pub async fn sign_in_abandoned(&self, attempt: Attempt) -> Result<(), StoreError> {
        let turn = self.write_turn().await?;
        sign_in_failures::Entity::delete_many()
            .filter(sign_in_failures::Column::Id.is_in([attempt.account_row, attempt.client_row]))
            .exec(turn.db())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_900_000_000 + secs, 0).unwrap_or_default()
    }

    #[tokio::test]
    async fn the_eleventh_attempt_is_refused_and_a_success_clears_the_account() {
        let (_dir, store) = Store::scratch_sqlite().await;
        let limits = (FailureLimit::PER_ACCOUNT, FailureLimit::PER_CLIENT);
        let ip: std::net::IpAddr = [10, 0, 0, 1].into();
        let keys = AttemptKeys::new("budi@example.id", ip);
        for i in 0..10 {
            let a = store.begin_sign_in(&keys, limits, t(i)).await.expect("db");
            assert!(a.is_ok(), "attempt {i}");
        }
        let refused = store.begin_sign_in(&keys, limits, t(10)).await.expect("db");
        assert_eq!(refused, Err(890));
        // Another account from another address is not affected.
        let other = AttemptKeys::new("sari@example.id", [10, 0, 0, 2].into());
        let attempt = store
            .begin_sign_in(&other, limits, t(10))
            .await
            .expect("db")
            .expect("allowed");
        store.sign_in_succeeded(&other, attempt).await.expect("db");
        let left = sign_in_failures::Entity::find()
            .filter(sign_in_failures::Column::Key.contains("sari"))
            .all(&store.db)
            .await
            .expect("db");
        assert!(left.is_empty(), "{left:?}");
        // After the window, the account may try again.
        let again = store
            .begin_sign_in(&keys, limits, t(901))
            .await
            .expect("db");
        assert!(again.is_ok());
    }
}
