//! Assignments: starting a round with its entries, the automatic assignment (the
//! optimal one of `juri_domain::assignment`), assignments by hand, and removing one.

use super::progress::{round_assignments, round_entry_rows};
use super::sheets::to_assignment;
use crate::audit::{self, AuditRecord};
use crate::editions::load_edition;
use crate::entities::{assignments, editions, entries, round_entries};
use crate::outbox;
use crate::rounds::{declared_conflicts, load_panel, load_round, load_rounds};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::assignment::{self, AssignError, EntryNode, JudgeNode, Problem, Solution};
use juri_domain::conflict::conflicted_pairs;
use juri_domain::edition::Phase;
use juri_domain::entry::Status;
use juri_domain::ids::{AssignmentId, EntryId, RoundId, UserId};
use juri_domain::notification::{self, Notice};
use juri_domain::round::{Assignment, Origin, Round, SheetStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// What the automatic assignment did.
#[derive(Debug, Clone, Serialize)]
pub struct AutoAssignment {
    pub entries: usize,
    pub judges: usize,
    pub added: usize,
    pub total_pairs: usize,
    pub target_cap: usize,
    pub cap: usize,
    pub cap_raised: bool,
    pub min_load: usize,
    pub max_load: usize,
    pub expertise_matches: usize,
}

/// An entry that could not get its judges, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Shortfall {
    pub entry_id: EntryId,
    pub title: String,
    pub available: usize,
    pub needed: usize,
}

/// Why an automatic assignment could not be made.
#[derive(Debug)]
pub enum AssignFailure {
    Store(StoreError),
    Infeasible(Vec<Shortfall>),
}

impl From<StoreError> for AssignFailure {
    fn from(e: StoreError) -> Self {
        AssignFailure::Store(e)
    }
}

impl From<sea_orm::DbErr> for AssignFailure {
    fn from(e: sea_orm::DbErr) -> Self {
        AssignFailure::Store(e.into())
    }
}

impl From<Error> for AssignFailure {
    fn from(e: Error) -> Self {
        AssignFailure::Store(e.into())
    }
}

/// The first round starts with the edition's eligible entries, which move into
/// judging; the edition's judging phase begins. Later rounds get theirs by `advance`.
async fn ensure_round_entries<C: ConnectionTrait>(
    db: &C,
    round: &Round,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let existing = round_entries::Entity::find()
        .filter(round_entries::Column::RoundId.eq(round.id.as_uuid()))
        .count(db)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let rounds = load_rounds(db, round.edition_id).await?;
    if rounds.first().map(|r| r.id) != Some(round.id) {
        return Ok(());
    }
    let edition = load_edition(db, round.edition_id).await?;
    if edition.phase(now) < Phase::Screening {
        return Err(Error::Conflict(Message::new("conflict.judging_before_deadline")).into());
    }
    let eligible = entries::Entity::find()
        .filter(entries::Column::EditionId.eq(round.edition_id.as_uuid()))
        .filter(
            entries::Column::Status.is_in([Status::Eligible.as_str(), Status::InJudging.as_str()]),
        )
        .all(db)
        .await?;
    for chunk in eligible.chunks(500) {
        round_entries::Entity::insert_many(chunk.iter().map(|e| round_entries::ActiveModel {
            round_id: Set(round.id.as_uuid()),
            entry_id: Set(e.id),
            added_at: Set(now),
        }))
        .exec_without_returning(db)
        .await?;
    }
    crate::entries::move_entries(
        db,
        sea_orm::Condition::all().add(entries::Column::EditionId.eq(round.edition_id.as_uuid())),
        Status::Eligible,
        juri_domain::entry::Event::StartJudging,
        now,
    )
    .await?;
    if edition.judging_started_at.is_none() {
        editions::Entity::update_many()
            .col_expr(editions::Column::JudgingStartedAt, Expr::value(now))
            .filter(editions::Column::Id.eq(edition.id.as_uuid()))
            .exec(db)
            .await?;
    }
    audit::append(
        db,
        now,
        AuditRecord::new(Some(actor), "round.started", "round")
            .subject(round.id)
            // The ids too: the trail alone says which entries reached the round.
            .after(json!({
                "entries": eligible.len(),
                "entry_ids": eligible.iter().map(|e| e.id).collect::<Vec<_>>(),
            })),
    )
    .await
}

/// Run the optimal assignment over a round, keeping every existing pair, and insert the
/// pairs it adds.
pub(super) async fn fill_round<C: ConnectionTrait>(
    db: &C,
    round: &Round,
    now: DateTime<Utc>,
) -> Result<(Solution, usize, usize), AssignFailure> {
    let entries = round_entry_rows(db, round.id).await?;
    let panel = load_panel(db, round.edition_id).await?;
    let judge_ids: Vec<UserId> = panel.iter().map(|p| p.judge_id).collect();
    let declared = declared_conflicts(db, &judge_ids).await?;
    let conflicts = conflicted_pairs(&entries, &panel, &declared);
    let existing = round_assignments(db, round.id).await?;
    let fixed: Vec<(EntryId, UserId)> = existing
        .iter()
        .map(|a| {
            (
                EntryId::from_uuid(a.entry_id),
                UserId::from_uuid(a.judge_id),
            )
        })
        .collect();
    let mut conflict_list: Vec<(EntryId, UserId)> = conflicts.into_iter().collect();
    conflict_list.sort();
    let problem = Problem {
        entries: entries
            .iter()
            .map(|e| EntryNode {
                id: e.id,
                field: e.content.field_id,
            })
            .collect(),
        judges: panel
            .iter()
            .map(|p| JudgeNode {
                id: p.judge_id,
                expertise: p.expertise.clone(),
            })
            .collect(),
        k: usize::try_from(round.judges_per_entry).unwrap_or(usize::MAX),
        conflicts: conflict_list,
        fixed,
    };
    let solution = match assignment::assign(&problem) {
        Ok(s) => s,
        Err(AssignError::Infeasible { shortfalls }) => {
            let titles: HashMap<EntryId, &str> = entries
                .iter()
                .map(|e| (e.id, e.content.title.as_str()))
                .collect();
            return Err(AssignFailure::Infeasible(
                shortfalls
                    .into_iter()
                    .map(|s| Shortfall {
                        entry_id: s.entry,
                        title: titles.get(&s.entry).copied().unwrap_or_default().to_owned(),
                        available: s.available,
                        needed: s.needed,
                    })
                    .collect(),
            ));
        }
        Err(AssignError::FixedPairConflicted { .. }) => {
            return Err(Error::Conflict(Message::new(
                "conflict.judge_conflicts_with_scored_entry",
            ))
            .into());
        }
        Err(AssignError::UnknownParticipant) => {
            return Err(StoreError::internal("assignment: unknown participant".to_owned()).into());
        }
    };
    let rows: Vec<assignments::ActiveModel> = solution
        .added
        .iter()
        .map(|(e, j)| new_assignment(round.id, *e, *j, Origin::Auto, now))
        .collect();
    for chunk in rows.chunks(500) {
        assignments::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    let judges: Vec<UserId> = solution.added.iter().map(|(_, j)| *j).collect();
    notify_assigned(db, round, &judges, now).await?;
    Ok((solution, entries.len(), panel.len()))
}

/// A new pair of a round, its sheet not started.
fn new_assignment(
    round: RoundId,
    entry: EntryId,
    judge: UserId,
    origin: Origin,
    now: DateTime<Utc>,
) -> assignments::ActiveModel {
    assignments::ActiveModel {
        id: Set(AssignmentId::new().as_uuid()),
        round_id: Set(round.as_uuid()),
        entry_id: Set(entry.as_uuid()),
        judge_id: Set(judge.as_uuid()),
        origin: Set(origin.as_str().to_owned()),
        sheet_status: Set(SheetStatus::NotStarted.as_str().to_owned()),
        sheet_comment: Set(None),
        sheet_version: Set(0),
        submitted_at: Set(None),
        reopened_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Tell each judge in `added` (one item per new pair) how many entries they were just
/// given in `round`, and how many they hold there now: one message per judge per
/// change, not one per entry. Runs in the caller's transaction.
async fn notify_assigned<C: ConnectionTrait>(
    db: &C,
    round: &Round,
    added: &[UserId],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if added.is_empty() {
        return Ok(());
    }
    let mut per_judge: BTreeMap<UserId, u64> = BTreeMap::new();
    for j in added {
        *per_judge.entry(*j).or_default() += 1;
    }
    let edition = outbox::edition_name(db, round.edition_id).await?;
    // Each change is its own occurrence: a later assignment in the same round is news.
    let change = uuid::Uuid::now_v7();
    for (judge, count) in per_judge {
        let total = assignments::Entity::find()
            .filter(assignments::Column::RoundId.eq(round.id.as_uuid()))
            .filter(assignments::Column::JudgeId.eq(judge.as_uuid()))
            .count(db)
            .await?;
        let notice = Notice::JudgeAssigned {
            edition: edition.clone(),
            round: round.name.clone(),
            added: count,
            total,
        };
        let key = notification::key::assignment(round.id, judge, change);
        outbox::enqueue(db, judge, key, &notice, now).await?;
    }
    Ok(())
}

impl Store {
    /// The automatic assignment of a round (`judging.md`).
    pub async fn auto_assign(
        &self,
        round_id: RoundId,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<AutoAssignment, AssignFailure> {
        let txn = self.begin_write().await?;
        let round = load_round(&txn, round_id).await?;
        round.check_open()?;
        ensure_round_entries(&txn, &round, actor, now).await?;
        let (s, entries, judges) = fill_round(&txn, &round, now).await?;
        let outcome = AutoAssignment {
            entries,
            judges,
            added: s.added.len(),
            total_pairs: s.pairs.len(),
            target_cap: s.target_cap,
            cap: s.cap,
            cap_raised: s.cap > s.target_cap,
            min_load: s.min_load,
            max_load: s.max_load,
            expertise_matches: s.expertise_matches,
        };
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "round.auto_assigned", "round")
                .subject(round_id)
                .after(json!(outcome)),
        )
        .await?;
        txn.commit().await.map_err(StoreError::from)?;
        Ok(outcome)
    }

    /// Assign one judge to one entry by hand.
    pub async fn assign_by_hand(
        &self,
        round_id: RoundId,
        entry: EntryId,
        judge: UserId,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Assignment, StoreError> {
        let mut added = self
            .assign_judge_to(round_id, &[entry], judge, actor, now)
            .await?;
        added.pop().ok_or_else(|| Error::NotFound.into())
    }

    /// Assign one judge to several entries of a round by hand: all of them or, when
    /// one is refused (not in the round, a conflict, already assigned), none. The
    /// judge gets one mail with the count.
    pub async fn assign_judge_to(
        &self,
        round_id: RoundId,
        entries: &[EntryId],
        judge: UserId,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Assignment>, StoreError> {
        let txn = self.begin_write().await?;
        let round = load_round(&txn, round_id).await?;
        round.check_open()?;
        ensure_round_entries(&txn, &round, actor, now).await?;
        let panel = load_panel(&txn, round.edition_id).await?;
        let Some(member) = panel.iter().find(|p| p.judge_id == judge) else {
            return Err(Error::invalid(
                "judge_id",
                "not_on_panel",
                Message::new("field.judging.not_on_panel"),
            )
            .into());
        };
        let declared = declared_conflicts(&txn, &[judge]).await?;
        let mut out = Vec::with_capacity(entries.len());
        for &entry in entries {
            let in_round = round_entries::Entity::find_by_id((round_id.as_uuid(), entry.as_uuid()))
                .one(&txn)
                .await?;
            let Some(_) = in_round else {
                return Err(Error::invalid(
                    "entry_id",
                    "not_in_round",
                    Message::new("field.judging.not_in_round"),
                )
                .into());
            };
            let e = crate::entries::load_entry_pub(&txn, entry).await?;
            if !conflicted_pairs(
                std::slice::from_ref(&e),
                std::slice::from_ref(member),
                &declared,
            )
            .is_empty()
            {
                return Err(Error::Conflict(Message::new("conflict.judge_has_conflict")).into());
            }
            let m = new_assignment(round_id, entry, judge, Origin::Manual, now)
                .insert(&txn)
                .await
                .map_err(|e| StoreError::unique_as(e, "conflict.already_assigned"))?;
            audit::append(
                &txn,
                now,
                AuditRecord::new(Some(actor), "assignment.added", "round")
                    .subject(round_id)
                    .after(json!({"entry_id": entry, "judge_id": judge})),
            )
            .await?;
            out.push(to_assignment(&m, vec![])?);
        }
        notify_assigned(&txn, &round, &vec![judge; out.len()], now).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Remove a judge from an entry: refused once they submitted their sheet.
    pub async fn unassign(
        &self,
        round_id: RoundId,
        entry: EntryId,
        judge: UserId,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let round = load_round(&txn, round_id).await?;
        round.check_open()?;
        let a = assignments::Entity::find()
            .filter(assignments::Column::RoundId.eq(round_id.as_uuid()))
            .filter(assignments::Column::EntryId.eq(entry.as_uuid()))
            .filter(assignments::Column::JudgeId.eq(judge.as_uuid()))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        if a.sheet_status == SheetStatus::Submitted.as_str() {
            return Err(Error::Conflict(Message::new("conflict.judge_sheet_submitted")).into());
        }
        assignments::Entity::delete_by_id(a.id).exec(&txn).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "assignment.removed", "round")
                .subject(round_id)
                .after(json!({"entry_id": entry, "judge_id": judge})),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Is this judge assigned to this entry in any round?
    pub async fn is_assigned(&self, judge: UserId, entry: EntryId) -> Result<bool, StoreError> {
        Ok(assignments::Entity::find()
            .filter(assignments::Column::JudgeId.eq(judge.as_uuid()))
            .filter(assignments::Column::EntryId.eq(entry.as_uuid()))
            .count(&self.db)
            .await?
            > 0)
    }
}
