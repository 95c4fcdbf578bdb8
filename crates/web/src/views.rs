//! The API's answers, built from what the domain and the store return. The store's
//! types say what is; a view says what a reader is told (worded in their language,
//! nothing else added), so storage can change without changing the contract. Each view
//! keeps the schema name the OpenAPI document has always used (`docs/openapi.json`,
//! compared by a test). Moved here resource by resource (issue 17): the audit check
//! first.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// What the check of the audit trail's hash chain found.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = AuditVerification)]
pub struct AuditVerificationView {
    pub ok: bool,
    /// Seals that checked out, from the first.
    pub sealed: i64,
    /// Events not sealed yet (the sealer runs every second).
    pub unsealed: u64,
    /// The hash of the last seal that checked out.
    pub head_hash: Option<String>,
    pub first_problem: Option<AuditProblemView>,
}

/// The first problem, with what is known of its event.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = AuditProblem)]
pub struct AuditProblemView {
    #[serde(flatten)]
    pub problem: juri_domain::audit_chain::Problem,
    /// What it means in the reader's language.
    pub message: String,
    /// Of the event as stored now (absent when it was removed).
    pub occurred_at: Option<DateTime<Utc>>,
    pub action: Option<String>,
}

impl AuditVerificationView {
    /// The store's `AuditVerification`, its problem worded by `word` (a language's
    /// renderer: the caller's for the API, the page's, or both for the CLI).
    pub fn new(
        v: juri_persistence::AuditVerification,
        word: impl Fn(&juri_domain::Message) -> String,
    ) -> Self {
        AuditVerificationView {
            ok: v.ok,
            sealed: v.sealed,
            unsealed: v.unsealed,
            head_hash: v.head_hash,
            first_problem: v.first_problem.map(|p| AuditProblemView {
                message: word(&p.message),
                problem: p.problem,
                occurred_at: p.occurred_at,
                action: p.action,
            }),
        }
    }
}
