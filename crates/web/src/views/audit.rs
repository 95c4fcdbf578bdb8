//! The audit trail and the check of its hash chain.

use super::*;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// A recorded event, read back.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

impl From<juri_persistence::AuditEvent> for AuditEvent {
    fn from(v: juri_persistence::AuditEvent) -> Self {
        AuditEvent {
            id: v.id,
            occurred_at: v.occurred_at,
            actor_id: v.actor_id.map(Into::into),
            action: v.action,
            subject_type: v.subject_type,
            subject_id: v.subject_id,
            before: v.before,
            after: v.after,
            position: v.position,
            hash: v.hash,
        }
    }
}

/// What is wrong with the chain, at the first place it goes wrong.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChainProblem {
    /// The event (or its seal) differs from what was sealed.
    Altered { position: i64, event_id: i64 },
    /// The seal names an event that is no longer there.
    Removed { position: i64, event_id: i64 },
    /// The seals do not run 1, 2, 3…: one was removed, duplicated or moved.
    SealOutOfOrder { position: i64, expected: i64 },
    /// An event older than the allowed delay has no seal.
    Unsealed { event_id: i64 },
    /// A publication pinned the chain's head at this position, and the chain there is
    /// now different: the history before that publication was rewritten.
    AnchorMismatch { position: i64, edition_id: String },
    /// The seal's HMAC does not match the sealing key: forged, or another key.
    BadMac { position: i64, event_id: i64 },
    /// A seal without an HMAC where the key's seals had begun (or at the head):
    /// written by someone without the key.
    Unkeyed { position: i64, event_id: i64 },
}

impl From<juri_domain::audit_chain::Problem> for ChainProblem {
    fn from(p: juri_domain::audit_chain::Problem) -> Self {
        use juri_domain::audit_chain::Problem as P;
        match p {
            P::Altered { position, event_id } => Self::Altered { position, event_id },
            P::Removed { position, event_id } => Self::Removed { position, event_id },
            P::SealOutOfOrder { position, expected } => Self::SealOutOfOrder { position, expected },
            P::Unsealed { event_id } => Self::Unsealed { event_id },
            P::AnchorMismatch {
                position,
                edition_id,
            } => Self::AnchorMismatch {
                position,
                edition_id,
            },
            P::BadMac { position, event_id } => Self::BadMac { position, event_id },
            P::Unkeyed { position, event_id } => Self::Unkeyed { position, event_id },
        }
    }
}

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
    pub problem: ChainProblem,
    /// What it means in the reader's language.
    pub message: String,
    /// Of the event as stored now (absent when it was removed).
    pub occurred_at: Option<DateTime<Utc>>,
    pub action: Option<String>,
    /// The event the problem is about, for the page (not part of the answer).
    #[serde(skip)]
    pub event_id: Option<i64>,
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
                event_id: p.problem.event_id(),
                problem: p.problem.into(),
                occurred_at: p.occurred_at,
                action: p.action,
            }),
        }
    }
}
