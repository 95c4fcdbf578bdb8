//! The audit trail: one event per change, written in the same transaction as the
//! change itself, so an event exists exactly when its change does. The table refuses
//! UPDATE and DELETE (triggers in the migration).

use crate::StoreError;
use crate::entities::audit_events;
use chrono::{DateTime, Utc};
use juri_domain::ids::UserId;
use sea_orm::sea_query::{Expr, InsertStatement, IntoIden, Query};
use sea_orm::{ActiveModelTrait, ConnectionTrait, NotSet, Set};
use serde_json::Value;

/// What happened, to what, by whom; `before`/`after` hold the changed fields.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub actor: Option<UserId>,
    pub action: &'static str,
    pub subject_type: &'static str,
    pub subject_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl AuditRecord {
    pub fn new(actor: Option<UserId>, action: &'static str, subject_type: &'static str) -> Self {
        Self {
            actor,
            action,
            subject_type,
            subject_id: None,
            before: None,
            after: None,
        }
    }

    pub fn subject(mut self, id: impl ToString) -> Self {
        self.subject_id = Some(id.to_string());
        self
    }

    pub fn before(mut self, v: Value) -> Self {
        self.before = Some(v);
        self
    }

    pub fn after(mut self, v: Value) -> Self {
        self.after = Some(v);
        self
    }
}

pub(crate) async fn append<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    rec: AuditRecord,
) -> Result<(), StoreError> {
    audit_events::ActiveModel {
        id: NotSet,
        occurred_at: Set(now),
        actor_id: Set(rec.actor.map(|a| a.as_uuid())),
        action: Set(rec.action.to_owned()),
        subject_type: Set(rec.subject_type.to_owned()),
        subject_id: Set(rec.subject_id),
        before: Set(rec.before),
        after: Set(rec.after),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The insert of an event once for each row of `source`, a data-modifying CTE of the
/// same statement (PostgreSQL): the event is written exactly when its change is,
/// without a transaction around the two.
pub(crate) fn append_for_each(
    now: DateTime<Utc>,
    rec: AuditRecord,
    source: impl IntoIden,
) -> Result<InsertStatement, StoreError> {
    use audit_events::Column as C;
    let event = Query::select()
        .expr(Expr::val(now))
        .expr(Expr::val(rec.actor.map(|a| a.as_uuid())))
        .expr(Expr::val(rec.action))
        .expr(Expr::val(rec.subject_type))
        .expr(Expr::val(rec.subject_id))
        .expr(Expr::val(rec.before))
        .expr(Expr::val(rec.after))
        .from(source)
        .to_owned();
    Ok(Query::insert()
        .into_table(audit_events::Entity)
        .columns([
            C::OccurredAt,
            C::ActorId,
            C::Action,
            C::SubjectType,
            C::SubjectId,
            C::Before,
            C::After,
        ])
        .select_from(event)
        .map_err(|e| StoreError::internal(format!("audit event: {e}")))?
        .to_owned())
}

/// A recorded event, read back.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<UserId>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// Its place in the hash chain, once sealed (`docs/audit.md`).
    pub position: Option<i64>,
    /// The chain's SHA-256 up to and including this event, once sealed.
    pub hash: Option<String>,
}

fn to_event(m: audit_events::Model) -> AuditEvent {
    AuditEvent {
        id: m.id,
        occurred_at: m.occurred_at,
        actor_id: m.actor_id.map(UserId::from_uuid),
        action: m.action,
        subject_type: m.subject_type,
        subject_id: m.subject_id,
        before: m.before,
        after: m.after,
        position: None,
        hash: None,
    }
}

impl crate::Store {
    /// Fill in the seals of listed events.
    async fn with_seals(&self, mut events: Vec<AuditEvent>) -> Result<Vec<AuditEvent>, StoreError> {
        let mut seals = self.seals_of(events.iter().map(|e| e.id).collect()).await?;
        for e in &mut events {
            if let Some(s) = seals.remove(&e.id) {
                e.position = Some(s.position);
                e.hash = Some(s.hash);
            }
        }
        Ok(events)
    }

    /// The events about one subject, oldest first.
    pub async fn audit_events_about(
        &self,
        subject_type: &str,
        subject_id: &str,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let rows = audit_events::Entity::find()
            .filter(audit_events::Column::SubjectType.eq(subject_type))
            .filter(audit_events::Column::SubjectId.eq(subject_id))
            .order_by_asc(audit_events::Column::Id)
            .all(&self.db)
            .await?;
        let rows = rows.into_iter().map(to_event).collect();
        self.with_seals(rows).await
    }
}

/// Which audit events to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<UserId>,
    pub action: Option<String>,
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

impl crate::Store {
    /// The audit trail, newest first, filtered.
    pub async fn audit_events(
        &self,
        filter: AuditFilter,
        page: u64,
        per_page: u64,
    ) -> Result<crate::Page<AuditEvent>, StoreError> {
        use sea_orm::{
            ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
        };
        let mut q = audit_events::Entity::find();
        if let Some(a) = filter.actor {
            q = q.filter(audit_events::Column::ActorId.eq(a.as_uuid()));
        }
        if let Some(a) = filter.action {
            q = q.filter(audit_events::Column::Action.eq(a));
        }
        if let Some(t) = filter.subject_type {
            q = q.filter(audit_events::Column::SubjectType.eq(t));
        }
        if let Some(s) = filter.subject_id {
            q = q.filter(audit_events::Column::SubjectId.eq(s));
        }
        if let Some(t) = filter.since {
            q = q.filter(audit_events::Column::OccurredAt.gte(t));
        }
        if let Some(t) = filter.until {
            q = q.filter(audit_events::Column::OccurredAt.lt(t));
        }
        let total = q.clone().count(&self.db).await?;
        let rows = q
            .order_by_desc(audit_events::Column::Id)
            .offset(page.saturating_sub(1).saturating_mul(per_page))
            .limit(per_page)
            .all(&self.db)
            .await?;
        Ok(crate::Page {
            items: self
                .with_seals(rows.into_iter().map(to_event).collect())
                .await?,
            total,
            page,
            per_page,
        })
    }
}
