//! `GET /audit`: the audit trail for organisers, newest first, filterable.

use crate::error::ApiResult;
use crate::extract::requirements::ReadAudit;
use crate::extract::{ApiQuery, Can};
use crate::routes::pagination::PageQuery;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use juri_domain::ids::UserId;
use juri_persistence::{AuditEvent, AuditFilter, Page};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    actor: Option<UserId>,
    action: Option<String>,
    subject_type: Option<String>,
    subject_id: Option<String>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    page: Option<u64>,
    per_page: Option<u64>,
}

pub async fn list(
    State(state): State<AppState>,
    _can: Can<ReadAudit>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Page<AuditEvent>>> {
    let (page, per_page) = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .resolve()?;
    let filter = AuditFilter {
        actor: q.actor,
        action: q.action,
        subject_type: q.subject_type,
        subject_id: q.subject_id,
        since: q.since,
        until: q.until,
    };
    Ok(Json(
        state.store.audit_events(filter, page, per_page).await?,
    ))
}
