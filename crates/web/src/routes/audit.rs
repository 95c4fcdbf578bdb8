//! `GET /audit`: the audit trail for organisers, newest first, filterable, each event
//! with its seal (position and hash) once sealed; `GET /audit/verify`: the hash chain
//! checked (`docs/audit.md`).

use crate::error::ApiResult;
use crate::extract::requirements::ReadAudit;
use crate::extract::{ApiQuery, Can};
use crate::routes::pagination::PageQuery;
use crate::state::AppState;
use crate::views::AuditVerificationView;
use crate::views::{AuditEvent, Page, UserId};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use juri_persistence::AuditFilter;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    actor: Option<UserId>,
    action: Option<String>,
    subject_type: Option<String>,
    subject_id: Option<String>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    /// From 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    page: Option<u64>,
    /// 1 to 100; 20 by default.
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u64>,
}

#[utoipa::path(get, path = "/audit", tag = "audit", security(("bearer" = [])), params(AuditQuery), responses((status = 200, description = "The audit trail, newest first", body = Page<AuditEvent>)))]
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
        actor: q.actor.map(Into::into),
        action: q.action,
        subject_type: q.subject_type,
        subject_id: q.subject_id,
        since: q.since,
        until: q.until,
    };
    Ok(Json(
        state
            .store
            .audit_events(filter, page, per_page)
            .await?
            .into(),
    ))
}

/// Walk the chain: `{ok, sealed, unsealed, head_hash, first_problem}`. Reads only,
/// but reads the whole trail: it counts as an expensive request (429 past the limit).
#[utoipa::path(get, path = "/audit/verify", tag = "audit", security(("bearer" = [])), responses((status = 200, description = "The hash chain checked", body = AuditVerificationView), (status = 429, description = "Too many expensive requests", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn verify(
    State(state): State<AppState>,
    can: Can<ReadAudit>,
) -> ApiResult<Json<AuditVerificationView>> {
    state.expensive(can.caller.user.id)?;
    let found = state
        .store
        .verify_audit(state.now() - juri_domain::audit_chain::UNSEALED_GRACE)
        .await?;
    let lang = crate::language::current();
    Ok(Json(AuditVerificationView::new(found, |m| {
        juri_text::render(lang, m)
    })))
}
