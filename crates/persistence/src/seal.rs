//! Sealing and verifying the audit chain (`docs/audit.md`). Events are written with
//! their change (`audit.rs`); the sealer chains them afterwards, in commit order, in
//! short batches, so no writer ever waits for the chain. The rules (canonical bytes,
//! hash step, the walk) are `juri_domain::audit_chain`.

use crate::entities::{audit_events, audit_seals, publications};
use crate::store::Backend;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::audit_chain::{self, ChainEvent, GENESIS, Problem, Walk};
use juri_domain::clock::Clock;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

/// Events sealed per transaction: short enough that writers barely notice the lock.
pub const SEAL_BATCH: u64 = 500;

/// PostgreSQL: the periodic sealer looks at every event for a missing seal on one tick
/// in this many (the first included), and otherwise only after the chain's newest
/// event (see [`Search`]).
pub const FULL_SEARCH_EVERY: u64 = 15;

/// Where a sealer looks for pending events on PostgreSQL, which hands out ids before
/// commit, so an event may commit after one with a higher id was sealed. Looking at
/// every event ("no seal") is the only sure search, but it scans both tables: 150 ms at
/// 500,000 events, on every one-second tick, with nothing to seal. After the chain's
/// newest event is where nearly every pending event is, found by the index; the full
/// search on one tick in `FULL_SEARCH_EVERY` finds the rest within that many seconds,
/// well inside `UNSEALED_GRACE`. (SQLite writes one transaction at a time, so its ids
/// are in commit order and after the newest is always all.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    Full,
    AfterNewest,
}

impl Search {
    /// The search of the periodic sealer's tick `n` (from 0).
    pub fn on_tick(n: u64) -> Search {
        if n.is_multiple_of(FULL_SEARCH_EVERY) {
            Search::Full
        } else {
            Search::AfterNewest
        }
    }
}

/// The PostgreSQL advisory lock that only sealers take: two servers on one database
/// seal one after the other instead of forking the chain. Writers never take it.
const PG_SEALER_LOCK: i64 = 0x6a75_7269_5f73_6561;

/// What `verify_audit` found. Its answer to a reader is `juri_web`'s view of it,
/// which words the problem in the reader's language.
#[derive(Debug, Clone)]
pub struct AuditVerification {
    pub ok: bool,
    /// Seals that checked out, from the first.
    pub sealed: i64,
    /// Events not sealed yet (the sealer runs every second).
    pub unsealed: u64,
    /// The hash of the last seal that checked out.
    pub head_hash: Option<String>,
    pub first_problem: Option<AuditProblem>,
}

/// The first problem, with what is known of its event.
#[derive(Debug, Clone)]
pub struct AuditProblem {
    pub problem: Problem,
    /// What it means, to be worded in the reader's language.
    pub message: juri_domain::Message,
    /// Of the event as stored now (absent when it was removed).
    pub occurred_at: Option<DateTime<Utc>>,
    pub action: Option<String>,
}

/// The seal of one event, as shown in the trail.
#[derive(Debug, Clone, Serialize)]
pub struct SealInfo {
    pub position: i64,
    pub hash: String,
}

pub(crate) fn chain_event(m: audit_events::Model) -> ChainEvent {
    ChainEvent {
        id: m.id,
        occurred_at: m.occurred_at,
        actor_id: m.actor_id,
        action: m.action,
        subject_type: m.subject_type,
        subject_id: m.subject_id,
        before: m.before,
        after: m.after,
    }
}

/// Events that have no seal.
fn unsealed_condition() -> sea_orm::sea_query::SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(audit_seals::Entity)
            .and_where(
                Expr::col((audit_seals::Entity, audit_seals::Column::EventId))
                    .equals((audit_events::Entity, audit_events::Column::Id)),
            )
            .to_owned(),
    )
    .not()
}

impl Store {
    /// Seal every pending event, batch after batch, each in its own short
    /// transaction. Returns how many were sealed.
    pub async fn seal_audit(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        self.seal_audit_found_by(Search::Full, now).await
    }

    /// Seal the pending events that `search` finds (the periodic sealer's tick).
    pub async fn seal_audit_found_by(
        &self,
        search: Search,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut total = 0;
        loop {
            let n = self.seal_audit_batch(search, now).await?;
            total += n;
            if n < SEAL_BATCH {
                return Ok(total);
            }
        }
    }

    /// On SQLite, is any event waiting for its seal? Two index reads outside any
    /// transaction, so an idle sealer never takes the write lock. (On PostgreSQL the
    /// sealer's lock blocks no writer, so it just looks.)
    async fn sqlite_pending(&self) -> Result<bool, StoreError> {
        let last_event: Option<i64> = audit_events::Entity::find()
            .select_only()
            .column(audit_events::Column::Id)
            .order_by_desc(audit_events::Column::Id)
            .limit(1)
            .into_tuple()
            .one(&self.db)
            .await?;
        let last_sealed: Option<i64> = audit_seals::Entity::find()
            .select_only()
            .column(audit_seals::Column::EventId)
            .order_by_desc(audit_seals::Column::Position)
            .limit(1)
            .into_tuple()
            .one(&self.db)
            .await?;
        Ok(last_event > last_sealed)
    }

    /// Seal up to `SEAL_BATCH` pending events in commit order, after the head.
    async fn seal_audit_batch(
        &self,
        search: Search,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        if self.backend() == Backend::Sqlite && !self.sqlite_pending().await? {
            return Ok(0);
        }
        let txn = self.begin_write().await?;
        if self.backend() == Backend::Postgres {
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({PG_SEALER_LOCK})"))
                .await?;
        }
        let head = audit_seals::Entity::find()
            .order_by_desc(audit_seals::Column::Position)
            .one(&txn)
            .await?;
        let (prev, position, head_event) = match &head {
            Some(h) => (
                audit_chain::from_hex(&h.hash)
                    .ok_or_else(|| StoreError::internal("audit seal hash".to_owned()))?,
                h.position,
                h.event_id,
            ),
            None => (GENESIS, 0, 0),
        };
        let mut q = audit_events::Entity::find();
        q = match self.backend() {
            // SQLite has one writer at a time, so ids are given in commit order:
            // everything after the head's event is pending, found by the index.
            Backend::Sqlite => q.filter(audit_events::Column::Id.gt(head_event)),
            // PostgreSQL hands out ids before commit: a lower id can commit later.
            // Pending is "no seal", whatever its id (see `Search`).
            Backend::Postgres => match search {
                Search::Full => q.filter(unsealed_condition()),
                Search::AfterNewest => q
                    .filter(audit_events::Column::Id.gt(head_event))
                    .filter(unsealed_condition()),
            },
        };
        let rows = q
            .order_by_asc(audit_events::Column::Id)
            .limit(SEAL_BATCH)
            .all(&txn)
            .await?;
        if rows.is_empty() {
            txn.rollback().await?;
            return Ok(0);
        }
        let events: Vec<ChainEvent> = rows.into_iter().map(chain_event).collect();
        let seals = audit_chain::seal(prev, position + 1, &events, self.audit_key.as_deref());
        let n = seals.len() as u64;
        audit_seals::Entity::insert_many(seals.into_iter().map(|s| audit_seals::ActiveModel {
            position: Set(s.position),
            event_id: Set(s.event_id),
            hash: Set(s.hash),
            sealed_at: Set(now),
            mac: Set(s.mac),
        }))
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        Ok(n)
    }

    /// Run the sealer until the task is dropped: every `every`, seal what is pending
    /// (searching every event on one tick in `FULL_SEARCH_EVERY`, see [`Search`]). A
    /// failure is logged and retried at the next tick.
    pub fn spawn_sealer(
        &self,
        clock: Arc<dyn Clock>,
        every: Duration,
    ) -> tokio::task::JoinHandle<()> {
        let store = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            for n in 0_u64.. {
                tick.tick().await;
                if let Err(e) = store
                    .seal_audit_found_by(Search::on_tick(n), clock.now())
                    .await
                {
                    tracing::warn!(error = %e, "audit sealing failed; retrying");
                }
            }
        })
    }

    /// Walk the whole chain and name the first problem: an altered or removed event, a
    /// seal out of order, or an event left unsealed since before `unsealed_deadline`.
    pub async fn verify_audit(
        &self,
        unsealed_deadline: DateTime<Utc>,
    ) -> Result<AuditVerification, StoreError> {
        const PAGE: u64 = 1000;
        let mut walk = match self.audit_key.as_deref() {
            Some(key) => Walk::keyed(key),
            None => Walk::new(),
        };
        let mut problem: Option<(Problem, Option<audit_events::Model>)> = None;
        // The heads that publications pinned: position → (edition, hash).
        let pins = self.pinned_heads().await?;
        let mut last: Option<audit_chain::Seal> = None;
        'pages: loop {
            let seals = audit_seals::Entity::find()
                .filter(audit_seals::Column::Position.gt(walk.count()))
                .order_by_asc(audit_seals::Column::Position)
                .limit(PAGE)
                .all(&self.db)
                .await?;
            if seals.is_empty() {
                break;
            }
            let ids: Vec<i64> = seals.iter().map(|s| s.event_id).collect();
            let mut events: HashMap<i64, audit_events::Model> = audit_events::Entity::find()
                .filter(audit_events::Column::Id.is_in(ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|m| (m.id, m))
                .collect();
            let full = seals.len() as u64 == PAGE;
            for s in seals {
                let model = events.remove(&s.event_id);
                let seal = audit_chain::Seal {
                    position: s.position,
                    event_id: s.event_id,
                    hash: s.hash,
                    mac: s.mac,
                };
                let event = model.clone().map(chain_event);
                if let Err(p) = walk.step(&seal, event.as_ref()) {
                    problem = Some((p, model));
                    break 'pages;
                }
                if let Some((edition, hash)) = pins.get(&seal.position)
                    && walk.head_hex().as_deref() != Some(hash.as_str())
                {
                    problem = Some((
                        Problem::AnchorMismatch {
                            position: seal.position,
                            edition_id: edition.clone(),
                        },
                        model,
                    ));
                    break 'pages;
                }
                last = Some(seal);
            }
            if !full {
                break;
            }
        }
        if problem.is_none() {
            // A pinned position beyond the chain's end: the chain was cut short.
            if let Some((&position, (edition, _))) = pins.range(walk.count() + 1..).next() {
                problem = Some((
                    Problem::AnchorMismatch {
                        position,
                        edition_id: edition.clone(),
                    },
                    None,
                ));
            } else if let Err(p) = walk.finish(last.as_ref()) {
                let model = match p.event_id() {
                    Some(id) => audit_events::Entity::find_by_id(id).one(&self.db).await?,
                    None => None,
                };
                problem = Some((p, model));
            }
        }
        let unsealed: Vec<(i64, DateTime<Utc>)> = audit_events::Entity::find()
            .select_only()
            .column(audit_events::Column::Id)
            .column(audit_events::Column::OccurredAt)
            .filter(unsealed_condition())
            .into_tuple()
            .all(&self.db)
            .await?;
        if problem.is_none()
            && let Some(p) = audit_chain::first_overdue(&unsealed, unsealed_deadline)
        {
            let model = match p.event_id() {
                Some(id) => audit_events::Entity::find_by_id(id).one(&self.db).await?,
                None => None,
            };
            problem = Some((p, model));
        }
        Ok(AuditVerification {
            ok: problem.is_none(),
            sealed: walk.count(),
            unsealed: unsealed.len() as u64,
            head_hash: walk.head_hex(),
            first_problem: problem.map(|(p, m)| AuditProblem {
                message: p.message(),
                problem: p,
                occurred_at: m.as_ref().map(|m| m.occurred_at),
                action: m.map(|m| m.action),
            }),
        })
    }

    /// The chain heads pinned by the publications' snapshots (`audit_head`), by position.
    async fn pinned_heads(&self) -> Result<BTreeMap<i64, (String, String)>, StoreError> {
        let rows: Vec<(uuid::Uuid, String)> = publications::Entity::find()
            .select_only()
            .column(publications::Column::EditionId)
            .column(publications::Column::Snapshot)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(edition, text)| {
                let v: serde_json::Value = serde_json::from_str(&text).ok()?;
                let head = v.get("audit_head")?;
                Some((
                    head.get("position")?.as_i64()?,
                    (edition.to_string(), head.get("hash")?.as_str()?.to_owned()),
                ))
            })
            .collect())
    }

    /// The newest seal: the chain's head (position, hash), `None` before the first.
    pub(crate) async fn audit_head<C: ConnectionTrait>(
        &self,
        db: &C,
    ) -> Result<Option<(i64, String)>, StoreError> {
        Ok(audit_seals::Entity::find()
            .order_by_desc(audit_seals::Column::Position)
            .one(db)
            .await?
            .map(|s| (s.position, s.hash)))
    }

    /// The seals of some events, by event id.
    pub(crate) async fn seals_of(
        &self,
        event_ids: Vec<i64>,
    ) -> Result<HashMap<i64, SealInfo>, StoreError> {
        Ok(audit_seals::Entity::find()
            .filter(audit_seals::Column::EventId.is_in(event_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| {
                (
                    s.event_id,
                    SealInfo {
                        position: s.position,
                        hash: s.hash,
                    },
                )
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::{FULL_SEARCH_EVERY, Search};

    #[test]
    fn the_sealer_searches_fully_at_start_and_once_every_fifteen_ticks() {
        let full: Vec<u64> = (0..46)
            .filter(|&n| Search::on_tick(n) == Search::Full)
            .collect();
        assert_eq!(FULL_SEARCH_EVERY, 15);
        assert_eq!(full, vec![0, 15, 30, 45]);
    }
}
