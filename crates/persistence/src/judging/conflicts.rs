//! Conflict declarations: recusal of the judge from what the conflict touches, and
//! reassignment of the entries left short.

use super::assign::{AssignFailure, fill_round};
use crate::audit::{self, AuditRecord};
use crate::entities::{assignments, entries};
use crate::rounds::{insert_conflict, load_round};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::conflict::{self, ConflictKind, ConflictTarget, DeclaredConflict};
use juri_domain::ids::{AssignmentId, EntryId, RoundId, UserId};
use juri_domain::round::SheetStatus;
use juri_domain::user::{Role, User};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// A conflict declaration and what it changed.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictOutcome {
    pub conflict: DeclaredConflict,
    /// Assignments the judge was removed from (to a judge: only for a declared entry).
    pub recused: Vec<AssignmentId>,
    /// How many assignments the judge was removed from.
    pub recused_count: usize,
    /// New pairs made to replace them (organisers only).
    pub reassigned: Vec<(EntryId, UserId)>,
    /// Entries that could not be given a replacement judge (organisers only).
    pub unfilled: Vec<EntryId>,
}

impl Store {
    /// Declare a conflict; a judge assigned to an affected entry in an open round is
    /// recused and the entry is given another judge where one can be found.
    pub async fn declare_conflict(
        &self,
        caller: &User,
        judge: UserId,
        target: ConflictTarget,
        kind: ConflictKind,
        reason: String,
        now: DateTime<Utc>,
    ) -> Result<ConflictOutcome, StoreError> {
        let txn = self.begin_write().await?;
        let judge_user = crate::entities::users::Entity::find_by_id(judge.as_uuid())
            .one(&txn)
            .await?;
        if judge_user.is_none_or(|u| u.role != Role::Judge.as_str()) {
            return Err(Error::invalid(
                "judge_id",
                "not_a_judge",
                Message::new("field.judging.not_a_judge"),
            )
            .into());
        }
        match target {
            ConflictTarget::Entry(e) => {
                // A judge may only name entries they can see (their assignments).
                let visible = caller.role == Role::Organiser
                    || assignments::Entity::find()
                        .filter(assignments::Column::JudgeId.eq(judge.as_uuid()))
                        .filter(assignments::Column::EntryId.eq(e.as_uuid()))
                        .count(&txn)
                        .await?
                        > 0;
                let exists = entries::Entity::find_by_id(e.as_uuid())
                    .one(&txn)
                    .await?
                    .is_some();
                if !(visible && exists) {
                    return Err(Error::NotFound.into());
                }
            }
            ConflictTarget::Organisation(o) => {
                let exists = crate::entities::organisations::Entity::find_by_id(o.as_uuid())
                    .one(&txn)
                    .await?
                    .is_some();
                if !exists {
                    return Err(Error::invalid(
                        "organisation_id",
                        "unknown_organisation",
                        Message::new("field.judging.unknown_organisation"),
                    )
                    .into());
                }
            }
        }
        let conflict = insert_conflict(&txn, judge, target, kind, reason, caller.id, now).await?;
        // Recuse: the judge's assignments in open rounds that now conflict.
        let mine = assignments::Entity::find()
            .filter(assignments::Column::JudgeId.eq(judge.as_uuid()))
            .all(&txn)
            .await?;
        let mut recused = Vec::new();
        let mut rounds_touched: BTreeMap<RoundId, Vec<EntryId>> = BTreeMap::new();
        for a in mine {
            let entry_id = EntryId::from_uuid(a.entry_id);
            let affected = match target {
                ConflictTarget::Entry(e) => e == entry_id,
                ConflictTarget::Organisation(o) => {
                    let e = crate::entries::load_entry_pub(&txn, entry_id).await?;
                    e.content.organisation_id == Some(o)
                }
            };
            if !affected {
                continue;
            }
            let round = load_round(&txn, RoundId::from_uuid(a.round_id)).await?;
            let sheet = SheetStatus::parse(&a.sheet_status).unwrap_or(SheetStatus::Draft);
            match conflict::recusal(target, sheet, round.is_closed()) {
                conflict::Recusal::Keep => continue,
                conflict::Recusal::Refuse => {
                    // The transaction is dropped unapplied: nothing was recorded.
                    return Err(Error::Conflict(Message::new(
                        "conflict.sheet_submitted_ask_organisers",
                    ))
                    .into());
                }
                conflict::Recusal::Remove => {}
            }
            assignments::Entity::delete_by_id(a.id).exec(&txn).await?;
            recused.push(AssignmentId::from_uuid(a.id));
            rounds_touched.entry(round.id).or_default().push(entry_id);
            audit::append(
                &txn,
                now,
                AuditRecord::new(Some(caller.id), "assignment.recused", "round")
                    .subject(round.id)
                    .after(json!({"entry_id": entry_id, "judge_id": judge})),
            )
            .await?;
        }
        let mut reassigned = Vec::new();
        let mut unfilled = Vec::new();
        for (round_id, entries_hit) in rounds_touched {
            let round = load_round(&txn, round_id).await?;
            match fill_round(&txn, &round, now).await {
                Ok((s, _, _)) => reassigned.extend(s.added),
                Err(AssignFailure::Infeasible(short)) => {
                    unfilled.extend(
                        short
                            .into_iter()
                            .map(|s| s.entry_id)
                            .filter(|e| entries_hit.contains(e)),
                    );
                }
                Err(AssignFailure::Store(e)) => return Err(e),
            }
        }
        txn.commit().await?;
        let recused_count = recused.len();
        // A judge learns only what they named: not which of their (blind) entries belong to
        // a declared agency, nor which other judges took their places.
        let (recused, reassigned, unfilled) = match (caller.role, target) {
            (Role::Organiser, _) => (recused, reassigned, unfilled),
            (_, ConflictTarget::Entry(_)) => (recused, Vec::new(), Vec::new()),
            (_, ConflictTarget::Organisation(_)) => (Vec::new(), Vec::new(), Vec::new()),
        };
        Ok(ConflictOutcome {
            conflict,
            recused,
            recused_count,
            reassigned,
            unfilled,
        })
    }
}
