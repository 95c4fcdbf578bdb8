//! The audit trail for organisers (`/panitia/jejak`): newest first, filtered by
//! action, subject, actor and dates, in pages of 50: the API's `GET /audit`, read
//! with the session cookie. A button checks the hash chain as `GET /audit/verify`
//! and `juri audit verify` do, and shows it intact or its first problem.

use crate::extract::requirements::ReadAudit;
use crate::pages::shared::page_number;
use crate::pages::{Ctx, FormErrors, PageCan, PageResult, PageResultExt, render};
use crate::state::AppState;
use crate::views::AuditVerificationView;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use juri_domain::Message;
use juri_domain::ids::UserId;
use juri_domain::{Error, FieldError};
use juri_persistence::AuditFilter;
use serde::Deserialize;
use std::collections::HashMap;

const PER_PAGE: u64 = 50;

/// The filters as typed (and shown again).
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    aksi: String,
    #[serde(default)]
    subjek: String,
    #[serde(default)]
    id_subjek: String,
    #[serde(default)]
    pelaku: String,
    /// `YYYY-MM-DD`, from the start of that day (WIB).
    #[serde(default)]
    sejak: String,
    /// `YYYY-MM-DD`, to the end of that day (WIB).
    #[serde(default)]
    sampai: String,
    #[serde(default)]
    halaman: String,
}

fn text(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl AuditQuery {
    /// The store's filter, every unreadable value a field error.
    fn filter(&self) -> Result<AuditFilter, Error> {
        let mut errors = Vec::new();
        let mut day = |raw: &str, field: &'static str, end: bool| -> Option<DateTime<Utc>> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| {
                    if end {
                        let next = juri_text::time::day_start(d.succ_opt()?)?;
                        Some(next - chrono::Duration::milliseconds(1))
                    } else {
                        juri_text::time::day_start(d)
                    }
                });
            if parsed.is_none() {
                errors.push(FieldError::new(
                    field,
                    "invalid_date",
                    Message::new("field.audit.invalid_date"),
                ));
            }
            parsed
        };
        let since = day(&self.sejak, "sejak", false);
        let until = day(&self.sampai, "sampai", true);
        let actor = match text(&self.pelaku) {
            None => None,
            Some(a) => match a.parse::<UserId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new(
                        "pelaku",
                        "invalid",
                        Message::new("field.audit.invalid"),
                    ));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(AuditFilter {
            actor,
            action: text(&self.aksi),
            subject_type: text(&self.subjek),
            subject_id: text(&self.id_subjek),
            since,
            until,
        })
    }
}

/// One event as the table shows it.
#[derive(Debug)]
pub struct Row {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub change: String,
    pub sealed: String,
}

#[derive(Template)]
#[template(path = "org_audit.html")]
struct AuditPage {
    ctx: Ctx,
    q: AuditQuery,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    pages: u64,
    errors: FormErrors,
    /// The chain check, when the button asked for it.
    verification: Option<AuditVerificationView>,
}

impl AuditPage {
    /// The first problem's event and when it happened, as far as they are known.
    fn problem_event(&self) -> String {
        let Some(p) = self
            .verification
            .as_ref()
            .and_then(|v| v.first_problem.as_ref())
        else {
            return String::new();
        };
        let mut parts = Vec::new();
        if let Some(id) = p.event_id {
            parts.push(format!("#{id}"));
        }
        if let Some(a) = &p.action {
            parts.push(a.clone());
        }
        if let Some(at) = p.occurred_at {
            parts.push(juri_text::time::precise(at, self.ctx.lang));
        }
        parts.join(" · ")
    }

    fn page_link(&self, page: u64) -> String {
        let enc = crate::pages::session::encode;
        format!(
            "/panitia/jejak?aksi={}&subjek={}&id_subjek={}&pelaku={}&sejak={}&sampai={}&halaman={page}",
            enc(&self.q.aksi),
            enc(&self.q.subjek),
            enc(&self.q.id_subjek),
            enc(&self.q.pelaku),
            enc(&self.q.sejak),
            enc(&self.q.sampai),
        )
    }
}

/// A value of the trail, compact and cut short for the table.
fn short(v: Option<&serde_json::Value>) -> String {
    let Some(v) = v else {
        return String::new();
    };
    let s = v.to_string();
    if s.chars().count() > 160 {
        format!("{}…", s.chars().take(160).collect::<String>())
    } else {
        s
    }
}

/// `GET /panitia/jejak`: the audit trail.
pub async fn trail(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ReadAudit>,
    Query(q): Query<AuditQuery>,
) -> PageResult {
    trail_with(&state, ctx, q, None).await
}

/// `POST /panitia/jejak/periksa`: check the hash chain (the API's verification,
/// limited as an expensive request) and show the trail with the result.
pub async fn verify(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ReadAudit>,
) -> PageResult {
    let user = caller.user.id;
    state.expensive(user).page(&ctx)?;
    let v = state
        .store
        .verify_audit(state.now() - juri_domain::audit_chain::UNSEALED_GRACE)
        .await
        .page(&ctx)?;
    let v = AuditVerificationView::new(v, |m| ctx.say(m));
    trail_with(&state, ctx, AuditQuery::default(), Some(v)).await
}

async fn trail_with(
    state: &AppState,
    ctx: Ctx,
    q: AuditQuery,
    verification: Option<AuditVerificationView>,
) -> PageResult {
    let page = page_number(&q.halaman);
    let filter = match q.filter() {
        Ok(f) => f,
        Err(e) => {
            let errors = crate::pages::shared::form_errors(e, &ctx)?;
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &AuditPage {
                    ctx,
                    q,
                    rows: vec![],
                    total: 0,
                    page: 1,
                    pages: 1,
                    errors,
                    verification,
                },
            ));
        }
    };
    let found = state
        .store
        .audit_events(filter, page, PER_PAGE)
        .await
        .page(&ctx)?;
    // Actors by name, each looked up once per page.
    let mut names: HashMap<UserId, String> = HashMap::new();
    let mut rows = Vec::with_capacity(found.items.len());
    for e in found.items {
        let actor = match e.actor_id {
            None => ctx.t("audit.system").to_owned(),
            Some(id) => match names.get(&id) {
                Some(n) => n.clone(),
                None => {
                    let name = state
                        .store
                        .user(id)
                        .await
                        .map(|u| u.name)
                        .unwrap_or_else(|_| id.to_string());
                    names.insert(id, name.clone());
                    name
                }
            },
        };
        let before = short(e.before.as_ref());
        let after = short(e.after.as_ref());
        rows.push(Row {
            id: e.id,
            at: juri_text::time::precise(e.occurred_at, ctx.lang),
            actor,
            subject: match &e.subject_id {
                Some(s) => format!("{} {s}", e.subject_type),
                None => e.subject_type.clone(),
            },
            action: e.action,
            change: match (before.is_empty(), after.is_empty()) {
                (true, _) => after,
                (false, true) => before,
                (false, false) => format!("{before} → {after}"),
            },
            sealed: e.position.map(|p| format!("#{p}")).unwrap_or_default(),
        });
    }
    Ok(render(
        StatusCode::OK,
        &AuditPage {
            pages: found.total.div_ceil(PER_PAGE).max(1),
            total: found.total,
            ctx,
            q,
            rows,
            page,
            errors: FormErrors::default(),
            verification,
        },
    ))
}
