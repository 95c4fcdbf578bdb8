//! The agencies reference list.

use crate::audit::{self, AuditRecord};
use crate::entities::organisations;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::ids::{OrganisationId, UserId};
use juri_domain::organisation::{Organisation, OrganisationKind, OrganisationName};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;

/// One page of a list, and how many there are in all.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: OrganisationName,
    pub short_name: Option<String>,
    pub kind: OrganisationKind,
}

/// A change to an agency; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct OrganisationChange {
    pub name: Option<OrganisationName>,
    pub short_name: Option<Option<String>>,
    pub kind: Option<OrganisationKind>,
    pub retired: Option<bool>,
}

fn to_organisation(m: organisations::Model) -> Result<Organisation, StoreError> {
    Ok(Organisation {
        id: OrganisationId::from_uuid(m.id),
        kind: m
            .kind
            .parse()
            .map_err(|_| StoreError::internal(format!("organisation {}: bad kind", m.id)))?,
        name: m.name,
        short_name: m.short_name,
        retired: m.retired_at.is_some(),
        retired_at: m.retired_at,
    })
}

fn audit_view(o: &Organisation) -> serde_json::Value {
    json!({"name": o.name, "short_name": o.short_name, "kind": o.kind.as_str(), "retired": o.retired})
}

/// The new `retired_at` of an agency, field or track asked to be (un)retired, or `None`
/// to leave it: retiring keeps the first retirement date, un-retiring clears it.
pub(crate) fn retirement(
    requested: Option<bool>,
    was_retired: bool,
    now: DateTime<Utc>,
) -> Option<Option<DateTime<Utc>>> {
    match requested {
        Some(true) if !was_retired => Some(Some(now)),
        Some(false) => Some(None),
        _ => None,
    }
}

/// `%text%` for LIKE, with LIKE's own wildcards in the text escaped.
fn contains_pattern(q: &str) -> LikeExpr {
    let escaped = q
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

impl Store {
    /// Agencies in name order, optionally with retired ones and a search of their names
    /// and short names.
    pub async fn organisations(
        &self,
        include_retired: bool,
        q: Option<&str>,
        page: u64,
        per_page: u64,
    ) -> Result<Page<Organisation>, StoreError> {
        let mut query = organisations::Entity::find();
        if !include_retired {
            query = query.filter(organisations::Column::RetiredAt.is_null());
        }
        // The name or the short name people call an agency by ("Dinkes", "Bappeda").
        if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
            let matches = |col: organisations::Column| {
                Expr::expr(Func::lower(Expr::col(col))).like(contains_pattern(q))
            };
            query = query.filter(
                matches(organisations::Column::Name).or(matches(organisations::Column::ShortName)),
            );
        }
        let total = query.clone().count(&self.db).await?;
        let rows = query
            .order_by_asc(organisations::Column::Name)
            .offset(page.saturating_sub(1).saturating_mul(per_page))
            .limit(per_page)
            .all(&self.db)
            .await?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(to_organisation)
                .collect::<Result<_, _>>()?,
            total,
            page,
            per_page,
        })
    }

    pub async fn organisation(&self, id: OrganisationId) -> Result<Organisation, StoreError> {
        let m = organisations::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        to_organisation(m)
    }

    pub async fn create_organisation(
        &self,
        new: NewOrganisation,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Organisation, StoreError> {
        let txn = self.begin_write().await?;
        let m = organisations::ActiveModel {
            id: Set(OrganisationId::new().as_uuid()),
            name: Set(new.name.as_str().to_owned()),
            short_name: Set(new.short_name),
            kind: Set(new.kind.as_str().to_owned()),
            retired_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|e| StoreError::unique_as(e, "conflict.agency_name_taken"))?;
        let org = to_organisation(m)?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "organisation.created", "organisation")
                .subject(org.id)
                .after(audit_view(&org)),
        )
        .await?;
        txn.commit().await?;
        Ok(org)
    }

    pub async fn update_organisation(
        &self,
        id: OrganisationId,
        change: OrganisationChange,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Organisation, StoreError> {
        let txn = self.begin_write().await?;
        let current = organisations::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        let before = to_organisation(current.clone())?;
        let mut m: organisations::ActiveModel = current.into();
        if let Some(name) = change.name {
            m.name = Set(name.as_str().to_owned());
        }
        if let Some(short) = change.short_name {
            m.short_name = Set(short);
        }
        if let Some(kind) = change.kind {
            m.kind = Set(kind.as_str().to_owned());
        }
        if let Some(at) = crate::organisations::retirement(change.retired, before.retired, now) {
            m.retired_at = Set(at);
        }
        m.updated_at = Set(now);
        let m = m
            .update(&txn)
            .await
            .map_err(|e| StoreError::unique_as(e, "conflict.agency_name_taken"))?;
        let after = to_organisation(m)?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "organisation.updated", "organisation")
                .subject(id)
                .before(audit_view(&before))
                .after(audit_view(&after)),
        )
        .await?;
        txn.commit().await?;
        self.catalogue.invalidate();
        Ok(after)
    }
}
