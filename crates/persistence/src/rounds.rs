//! Rounds with their rubrics, the edition's panel of judges, and declared conflicts.

use crate::audit::{self, AuditRecord};
use crate::editions::load_edition;
use crate::entities::{conflicts, criteria, panel_judges, rounds, users};
use crate::users::to_user;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::conflict::{ConflictKind, ConflictTarget, DeclaredConflict};
use juri_domain::edition::Phase;
use juri_domain::ids::{
    ConflictId, CriterionId, EditionId, EntryId, FieldId, OrganisationId, RoundId, UserId,
};
use juri_domain::round::{Aggregation, PanelMember, PeerSheets, Round, RoundSettings};
use juri_domain::rubric::{Criterion, Rubric};
use juri_domain::user::Role;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use std::collections::HashMap;

pub(crate) fn to_round(m: rounds::Model, crit: Vec<criteria::Model>) -> Result<Round, StoreError> {
    let corrupt = |what: &str| StoreError::internal(format!("round {}: bad {what}", m.id));
    Ok(Round {
        id: RoundId::from_uuid(m.id),
        edition_id: EditionId::from_uuid(m.edition_id),
        rubric: Rubric {
            criteria: crit
                .into_iter()
                .map(|c| Criterion {
                    id: CriterionId::from_uuid(c.id),
                    name: c.name,
                    description: c.description,
                    weight: c.weight,
                    min: c.min,
                    max: c.max,
                })
                .collect(),
        },
        judges_per_entry: u32::try_from(m.judges_per_entry).map_err(|_| corrupt("k"))?,
        aggregation: Aggregation::parse(&m.aggregation).ok_or_else(|| corrupt("aggregation"))?,
        peer_sheets: PeerSheets::parse(&m.peer_sheets).ok_or_else(|| corrupt("peer_sheets"))?,
        name: m.name,
        position: m.position,
        weight: m.weight,
        blind: m.blind,
        disagreement_threshold: m.disagreement_threshold,
        judge_names_visible: m.judge_names_visible,
        closed_at: m.closed_at,
        created_at: m.created_at,
    })
}

pub(crate) async fn load_round<C: ConnectionTrait>(
    db: &C,
    id: RoundId,
) -> Result<Round, StoreError> {
    // The round and its criteria in one query: a row per criterion.
    let mut rows = rounds::Entity::find_by_id(id.as_uuid())
        .find_also_related(criteria::Entity)
        .order_by_asc(criteria::Column::Position)
        .all(db)
        .await?
        .into_iter();
    let (m, first) = rows.next().ok_or(Error::NotFound)?;
    let crit = first
        .into_iter()
        .chain(rows.filter_map(|(_, c)| c))
        .collect();
    to_round(m, crit)
}

/// The rounds of an edition, in order.
pub(crate) async fn load_rounds<C: ConnectionTrait>(
    db: &C,
    edition: EditionId,
) -> Result<Vec<Round>, StoreError> {
    let ms = rounds::Entity::find()
        .filter(rounds::Column::EditionId.eq(edition.as_uuid()))
        .order_by_asc(rounds::Column::Position)
        .all(db)
        .await?;
    // Every round's criteria in one query, not one per round.
    let mut by_round: HashMap<uuid::Uuid, Vec<criteria::Model>> = HashMap::new();
    for c in criteria::Entity::find()
        .filter(criteria::Column::RoundId.is_in(ms.iter().map(|m| m.id)))
        .order_by_asc(criteria::Column::Position)
        .all(db)
        .await?
    {
        by_round.entry(c.round_id).or_default().push(c);
    }
    ms.into_iter()
        .map(|m| {
            let crit = by_round.remove(&m.id).unwrap_or_default();
            to_round(m, crit)
        })
        .collect()
}

fn to_conflict(m: conflicts::Model) -> Result<DeclaredConflict, StoreError> {
    let target = match (m.entry_id, m.organisation_id) {
        (Some(e), _) => ConflictTarget::Entry(EntryId::from_uuid(e)),
        (None, Some(o)) => ConflictTarget::Organisation(OrganisationId::from_uuid(o)),
        (None, None) => {
            return Err(StoreError::internal(format!(
                "conflict {}: no target",
                m.id
            )));
        }
    };
    Ok(DeclaredConflict {
        id: ConflictId::from_uuid(m.id),
        judge_id: UserId::from_uuid(m.judge_id),
        target,
        kind: ConflictKind::parse(&m.kind)
            .ok_or_else(|| StoreError::internal(format!("conflict {}: bad kind", m.id)))?,
        reason: m.reason,
        declared_by: UserId::from_uuid(m.declared_by),
        created_at: m.created_at,
    })
}

pub(crate) async fn declared_conflicts<C: ConnectionTrait>(
    db: &C,
    judges: &[UserId],
) -> Result<Vec<DeclaredConflict>, StoreError> {
    conflicts::Entity::find()
        .filter(conflicts::Column::JudgeId.is_in(judges.iter().map(|j| j.as_uuid())))
        .order_by_asc(conflicts::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_conflict)
        .collect()
}

pub(crate) async fn load_panel<C: ConnectionTrait>(
    db: &C,
    edition: EditionId,
) -> Result<Vec<PanelMember>, StoreError> {
    let rows = panel_judges::Entity::find()
        .filter(panel_judges::Column::EditionId.eq(edition.as_uuid()))
        .order_by_asc(panel_judges::Column::JudgeId)
        .all(db)
        .await?;
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.judge_id).collect();
    let people = users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(u) = people.iter().find(|u| u.id == r.judge_id) else {
            continue;
        };
        let u = to_user(u.clone())?;
        let expertise: Vec<FieldId> = serde_json::from_value(r.expertise)
            .map_err(|_| StoreError::internal("panel expertise".to_owned()))?;
        out.push(PanelMember {
            judge_id: u.id,
            name: u.name,
            email: u.email.to_string(),
            organisation_id: u.organisation_id,
            expertise,
            added_at: r.added_at,
        });
    }
    Ok(out)
}

impl Store {
    pub async fn create_round(
        &self,
        edition: EditionId,
        settings: RoundSettings,
        rubric: Rubric,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Round, StoreError> {
        let txn = self.begin_write().await?;
        let e = load_edition(&txn, edition).await?;
        if e.phase(now) >= Phase::Decided {
            return Err(Error::Conflict(Message::new("conflict.results_decided")).into());
        }
        let id = RoundId::new();
        rounds::ActiveModel {
            id: Set(id.as_uuid()),
            edition_id: Set(edition.as_uuid()),
            name: Set(settings.name),
            position: Set(settings.position),
            judges_per_entry: Set(i32::try_from(settings.judges_per_entry).unwrap_or(i32::MAX)),
            aggregation: Set(settings.aggregation.as_str().to_owned()),
            weight: Set(settings.weight),
            blind: Set(settings.blind),
            disagreement_threshold: Set(settings.disagreement_threshold),
            peer_sheets: Set(settings.peer_sheets.as_str().to_owned()),
            judge_names_visible: Set(settings.judge_names_visible),
            closed_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|e| StoreError::unique_as(e, "conflict.round_position_taken"))?;
        for (i, c) in (1..).zip(&rubric.criteria) {
            criteria::ActiveModel {
                id: Set(c.id.as_uuid()),
                round_id: Set(id.as_uuid()),
                position: Set(i),
                name: Set(c.name.clone()),
                description: Set(c.description.clone()),
                weight: Set(c.weight),
                min: Set(c.min),
                max: Set(c.max),
            }
            .insert(&txn)
            .await?;
        }
        let round = load_round(&txn, id).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "round.created", "round")
                .subject(id)
                .after(json!(round)),
        )
        .await?;
        txn.commit().await?;
        Ok(round)
    }

    pub async fn round(&self, id: RoundId) -> Result<Round, StoreError> {
        load_round(&self.db, id).await
    }

    pub async fn rounds(&self, edition: EditionId) -> Result<Vec<Round>, StoreError> {
        load_edition(&self.db, edition).await?;
        load_rounds(&self.db, edition).await
    }

    /// Add a judge to the edition's panel, or change their expertise.
    pub async fn put_panel_judge(
        &self,
        edition: EditionId,
        judge: UserId,
        expertise: Vec<FieldId>,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<PanelMember, StoreError> {
        let txn = self.begin_write().await?;
        load_edition(&txn, edition).await?;
        let user = users::Entity::find_by_id(judge.as_uuid()).one(&txn).await?;
        let is_judge = user
            .as_ref()
            .is_some_and(|u| u.role == Role::Judge.as_str());
        if !is_judge {
            return Err(Error::invalid(
                "judge_id",
                "not_a_judge",
                Message::new("field.rounds.not_a_judge"),
            )
            .into());
        }
        let fields = crate::entities::fields::Entity::find()
            .filter(crate::entities::fields::Column::EditionId.eq(edition.as_uuid()))
            .all(&txn)
            .await?;
        if expertise
            .iter()
            .any(|f| !fields.iter().any(|m| m.id == f.as_uuid()))
        {
            return Err(Error::invalid(
                "expertise",
                "unknown_field",
                Message::new("field.rounds.unknown_field"),
            )
            .into());
        }
        let mut expertise = expertise;
        expertise.sort();
        expertise.dedup();
        panel_judges::Entity::insert(panel_judges::ActiveModel {
            edition_id: Set(edition.as_uuid()),
            judge_id: Set(judge.as_uuid()),
            expertise: Set(json!(expertise)),
            added_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                panel_judges::Column::EditionId,
                panel_judges::Column::JudgeId,
            ])
            .update_column(panel_judges::Column::Expertise)
            .to_owned(),
        )
        .exec(&txn)
        .await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "panel.judge_set", "edition")
                .subject(edition)
                .after(json!({"judge_id": judge, "expertise": expertise})),
        )
        .await?;
        let member = load_panel(&txn, edition)
            .await?
            .into_iter()
            .find(|m| m.judge_id == judge)
            .ok_or(Error::NotFound)?;
        txn.commit().await?;
        Ok(member)
    }

    pub async fn panel(&self, edition: EditionId) -> Result<Vec<PanelMember>, StoreError> {
        load_edition(&self.db, edition).await?;
        load_panel(&self.db, edition).await
    }

    /// The conflicts a judge declared (or were declared for them).
    pub async fn conflicts_of(&self, judge: UserId) -> Result<Vec<DeclaredConflict>, StoreError> {
        declared_conflicts(&self.db, &[judge]).await
    }
}

/// Record a declared conflict. The caller handles recusal from open assignments.
pub(crate) async fn insert_conflict<C: ConnectionTrait>(
    db: &C,
    judge: UserId,
    target: ConflictTarget,
    kind: ConflictKind,
    reason: String,
    declared_by: UserId,
    now: DateTime<Utc>,
) -> Result<DeclaredConflict, StoreError> {
    let (entry, org) = match target {
        ConflictTarget::Entry(e) => (Some(e.as_uuid()), None),
        ConflictTarget::Organisation(o) => (None, Some(o.as_uuid())),
    };
    let m = conflicts::ActiveModel {
        id: Set(ConflictId::new().as_uuid()),
        judge_id: Set(judge.as_uuid()),
        entry_id: Set(entry),
        organisation_id: Set(org),
        kind: Set(kind.as_str().to_owned()),
        reason: Set(reason),
        declared_by: Set(declared_by.as_uuid()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    let c = to_conflict(m)?;
    audit::append(
        db,
        now,
        AuditRecord::new(Some(declared_by), "conflict.declared", "user")
            .subject(judge)
            .after(json!(c)),
    )
    .await?;
    Ok(c)
}

impl Store {
    /// Change a round's settings and, until its first sheet is submitted, its rubric.
    /// Criteria kept by id keep their draft values; removed ones take theirs along.
    pub async fn update_round(
        &self,
        id: RoundId,
        settings: RoundSettings,
        rubric: Option<Rubric>,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Round, StoreError> {
        use crate::entities::assignments;
        use sea_orm::PaginatorTrait;
        let txn = self.begin_write().await?;
        let before = load_round(&txn, id).await?;
        before.check_open()?;
        if let Some(rubric) = &rubric {
            let submitted = assignments::Entity::find()
                .filter(assignments::Column::RoundId.eq(id.as_uuid()))
                .filter(assignments::Column::SheetStatus.eq("submitted"))
                .count(&txn)
                .await?;
            before.check_rubric_editable(submitted > 0)?;
            let keep: Vec<uuid::Uuid> = rubric.criteria.iter().map(|c| c.id.as_uuid()).collect();
            criteria::Entity::delete_many()
                .filter(criteria::Column::RoundId.eq(id.as_uuid()))
                .filter(criteria::Column::Id.is_not_in(keep))
                .exec(&txn)
                .await?;
            for (i, c) in (1..).zip(&rubric.criteria) {
                let model = criteria::ActiveModel {
                    id: Set(c.id.as_uuid()),
                    round_id: Set(id.as_uuid()),
                    position: Set(i),
                    name: Set(c.name.clone()),
                    description: Set(c.description.clone()),
                    weight: Set(c.weight),
                    min: Set(c.min),
                    max: Set(c.max),
                };
                let exists = criteria::Entity::find_by_id(c.id.as_uuid())
                    .one(&txn)
                    .await?;
                match exists {
                    Some(row) if row.round_id == id.as_uuid() => {
                        model.update(&txn).await?;
                    }
                    Some(_) => {
                        return Err(Error::invalid(
                            "rubric.criteria",
                            "unknown_criterion",
                            Message::new("field.rounds.unknown_criterion"),
                        )
                        .into());
                    }
                    None => {
                        model.insert(&txn).await?;
                    }
                }
            }
        }
        rounds::Entity::update_many()
            .col_expr(
                rounds::Column::Name,
                sea_orm::sea_query::Expr::value(settings.name),
            )
            .col_expr(
                rounds::Column::Position,
                sea_orm::sea_query::Expr::value(settings.position),
            )
            .col_expr(
                rounds::Column::JudgesPerEntry,
                sea_orm::sea_query::Expr::value(
                    i32::try_from(settings.judges_per_entry).unwrap_or(i32::MAX),
                ),
            )
            .col_expr(
                rounds::Column::Aggregation,
                sea_orm::sea_query::Expr::value(settings.aggregation.as_str()),
            )
            .col_expr(
                rounds::Column::Weight,
                sea_orm::sea_query::Expr::value(settings.weight),
            )
            .col_expr(
                rounds::Column::Blind,
                sea_orm::sea_query::Expr::value(settings.blind),
            )
            .col_expr(
                rounds::Column::DisagreementThreshold,
                sea_orm::sea_query::Expr::value(settings.disagreement_threshold),
            )
            .col_expr(
                rounds::Column::PeerSheets,
                sea_orm::sea_query::Expr::value(settings.peer_sheets.as_str()),
            )
            .col_expr(
                rounds::Column::JudgeNamesVisible,
                sea_orm::sea_query::Expr::value(settings.judge_names_visible),
            )
            .col_expr(
                rounds::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(rounds::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await
            .map_err(|e| StoreError::unique_as(e, "conflict.round_position_taken"))?;
        let after = load_round(&txn, id).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "round.updated", "round")
                .subject(id)
                .before(json!(before))
                .after(json!(after)),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }
}
