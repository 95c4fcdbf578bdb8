//! Results: the ranking of a round and of an edition (computed by
//! `juri_domain::ranking` from the submitted sheets, never stored until publication),
//! tie decisions, winners, the frozen publication with its SHA-256, and what the public
//! may see: published editions, their winners, and the catalogue of consenting
//! innovations.

use crate::audit::{self, AuditRecord};
use crate::editions::{load_edition, to_field, to_track};
use crate::entities::{
    assignments, editions, entries, fields, organisations, publications, round_entries, scores,
    tie_decisions, tracks, winners,
};
use crate::entries::to_entry;
use crate::rounds::{load_panel, load_round, load_rounds};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::agreement;
use juri_domain::award::{self, Award, AwardChoice};
use juri_domain::edition::{Edition, Phase};
use juri_domain::entry::Status;
use juri_domain::ids::{
    CriterionId, EditionId, EntryId, FieldId, OrganisationId, RoundId, TrackId, UserId,
};
use juri_domain::notification::{self, Notice};
use juri_domain::ranking::{self, EntryInfo, Ranking, RoundInput, SubmittedSheet};
use juri_domain::round::{Round, SheetStatus};
use juri_domain::scoring;
use sea_orm::StreamTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// A recorded tie decision.
#[derive(Debug, Clone, Serialize)]
pub struct TieDecision {
    /// The tied entries in the order decided, best first.
    pub entry_ids: Vec<EntryId>,
    pub reason: String,
    pub decided_by: UserId,
    pub decided_at: DateTime<Utc>,
}

/// A recorded winner.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Winner {
    pub entry_id: EntryId,
    pub award: Award,
    pub track_id: Option<TrackId>,
    pub field_id: Option<FieldId>,
}

/// Per judge: how many sheets, their mean and spread (who is harsh, who is lenient).
#[derive(Debug, Clone, Serialize)]
pub struct JudgeStats {
    pub judge_id: UserId,
    pub name: String,
    pub sheets: usize,
    pub mean: Option<f64>,
    pub std: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundResults {
    pub round_id: RoundId,
    pub closed: bool,
    pub ranking: Ranking,
    /// Krippendorff's alpha (interval) over the round's submitted `S_je`.
    pub alpha: Option<f64>,
    pub judges: Vec<JudgeStats>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EditionResults {
    pub edition_id: EditionId,
    pub ranking: Ranking,
    pub tie_decisions: Vec<TieDecision>,
    pub winners: Vec<Winner>,
}

/// The frozen result of an edition.
#[derive(Debug, Clone, Serialize)]
pub struct Publication {
    pub edition_id: EditionId,
    pub sha256: String,
    pub published_at: DateTime<Utc>,
    pub snapshot: serde_json::Value,
}

/// The submitted sheets of a round with their values: two queries whatever the size,
/// reading only the columns the scores need (a round can hold 30,000 sheets).
pub(crate) async fn submitted_sheets<C: ConnectionTrait + StreamTrait + Send>(
    db: &C,
    round: RoundId,
) -> Result<Vec<SubmittedSheet>, StoreError> {
    let rows: Vec<(uuid::Uuid, uuid::Uuid, uuid::Uuid)> = assignments::Entity::find()
        .select_only()
        .column(assignments::Column::Id)
        .column(assignments::Column::EntryId)
        .column(assignments::Column::JudgeId)
        .filter(assignments::Column::RoundId.eq(round.as_uuid()))
        .filter(assignments::Column::SheetStatus.eq(SheetStatus::Submitted.as_str()))
        .order_by_asc(assignments::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let sub = Query::select()
        .column(assignments::Column::Id)
        .from(assignments::Entity)
        .and_where(Expr::col(assignments::Column::RoundId).eq(round.as_uuid()))
        .and_where(Expr::col(assignments::Column::SheetStatus).eq(SheetStatus::Submitted.as_str()))
        .to_owned();
    // Streamed: a round of 30,000 sheets has 240,000 score rows, which need not all be
    // held as driver rows before the per-sheet map is built.
    let mut values = scores::Entity::find()
        .select_only()
        .column(scores::Column::AssignmentId)
        .column(scores::Column::CriterionId)
        .column(scores::Column::Value)
        .filter(scores::Column::AssignmentId.in_subquery(sub))
        .into_tuple::<(uuid::Uuid, uuid::Uuid, Option<i32>)>()
        .stream(db)
        .await?;
    let mut by_assignment: HashMap<uuid::Uuid, Vec<(CriterionId, i32)>> =
        HashMap::with_capacity(rows.len());
    while let Some((assignment, criterion, value)) = values.try_next().await? {
        if let Some(x) = value {
            by_assignment
                .entry(assignment)
                .or_default()
                .push((CriterionId::from_uuid(criterion), x));
        }
    }
    Ok(rows
        .into_iter()
        .map(|(id, entry, judge)| {
            let mut values = by_assignment.remove(&id).unwrap_or_default();
            values.sort();
            SubmittedSheet {
                entry: EntryId::from_uuid(entry),
                judge: UserId::from_uuid(judge),
                values,
            }
        })
        .collect())
}

/// Everything the ranking needs, loaded with a fixed number of queries per round.
struct Inputs {
    rounds: Vec<Round>,
    entries: Vec<EntryInfo>,
    reached: HashMap<RoundId, Vec<EntryId>>,
    sheets: HashMap<RoundId, Vec<SubmittedSheet>>,
}

async fn load_inputs<C: ConnectionTrait + StreamTrait + Send>(
    db: &C,
    edition: EditionId,
    only: Option<RoundId>,
) -> Result<Inputs, StoreError> {
    let mut rounds = load_rounds(db, edition).await?;
    if let Some(r) = only {
        rounds.retain(|x| x.id == r);
    }
    let mut reached = HashMap::new();
    let mut sheets = HashMap::new();
    for r in &rounds {
        let ids: Vec<EntryId> = round_entries::Entity::find()
            .filter(round_entries::Column::RoundId.eq(r.id.as_uuid()))
            .order_by_asc(round_entries::Column::EntryId)
            .all(db)
            .await?
            .into_iter()
            .map(|x| EntryId::from_uuid(x.entry_id))
            .collect();
        reached.insert(r.id, ids);
        sheets.insert(r.id, submitted_sheets(db, r.id).await?);
    }
    let sub = Query::select()
        .column(round_entries::Column::EntryId)
        .from(round_entries::Entity)
        .and_where(
            Expr::col(round_entries::Column::RoundId)
                .is_in(rounds.iter().map(|r| r.id.as_uuid()).collect::<Vec<_>>()),
        )
        .to_owned();
    // Only what the ranking groups by, not the entries' texts.
    let entries = entries::Entity::find()
        .select_only()
        .column(entries::Column::Id)
        .column(entries::Column::TrackId)
        .column(entries::Column::FieldId)
        .filter(entries::Column::Id.in_subquery(sub))
        .order_by_asc(entries::Column::Id)
        .into_tuple::<(uuid::Uuid, Option<uuid::Uuid>, Option<uuid::Uuid>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, track, field)| EntryInfo {
            id: EntryId::from_uuid(id),
            track: track.map(TrackId::from_uuid),
            field: field.map(FieldId::from_uuid),
        })
        .collect();
    Ok(Inputs {
        rounds,
        entries,
        reached,
        sheets,
    })
}

pub(crate) fn rank_entries(
    infos: Vec<EntryInfo>,
    rounds: &[Round],
    reached: &HashMap<RoundId, Vec<EntryId>>,
    sheets: &HashMap<RoundId, Vec<SubmittedSheet>>,
    scope: juri_domain::edition::RankingScope,
) -> Ranking {
    let round_inputs: Vec<RoundInput<'_>> = rounds
        .iter()
        .map(|r| RoundInput {
            round: r,
            entries: reached.get(&r.id).cloned().unwrap_or_default(),
            sheets: sheets.get(&r.id).cloned().unwrap_or_default(),
        })
        .collect();
    ranking::final_ranking(&infos, &round_inputs, scope)
}

fn rank(inputs: &Inputs, scope: juri_domain::edition::RankingScope) -> Ranking {
    let round_inputs: Vec<RoundInput<'_>> = inputs
        .rounds
        .iter()
        .map(|r| RoundInput {
            round: r,
            entries: inputs.reached.get(&r.id).cloned().unwrap_or_default(),
            sheets: inputs.sheets.get(&r.id).cloned().unwrap_or_default(),
        })
        .collect();
    ranking::final_ranking(&inputs.entries, &round_inputs, scope)
}

async fn load_decisions<C: ConnectionTrait>(
    db: &C,
    edition: EditionId,
) -> Result<Vec<TieDecision>, StoreError> {
    tie_decisions::Entity::find()
        .filter(tie_decisions::Column::EditionId.eq(edition.as_uuid()))
        .order_by_asc(tie_decisions::Column::DecidedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(TieDecision {
                entry_ids: serde_json::from_value(m.entry_ids)
                    .map_err(|_| StoreError::internal("tie decision entries".to_owned()))?,
                reason: m.reason,
                decided_by: UserId::from_uuid(m.decided_by),
                decided_at: m.decided_at,
            })
        })
        .collect()
}

async fn load_winners<C: ConnectionTrait>(
    db: &C,
    edition: EditionId,
) -> Result<Vec<Winner>, StoreError> {
    let mut out: Vec<Winner> = winners::Entity::find()
        .filter(winners::Column::EditionId.eq(edition.as_uuid()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| {
            Some(Winner {
                entry_id: EntryId::from_uuid(m.entry_id),
                award: Award::parse(&m.award)?,
                track_id: m.track_id.map(TrackId::from_uuid),
                field_id: m.field_id.map(FieldId::from_uuid),
            })
        })
        .collect();
    out.sort_by_key(|w| (w.track_id, w.field_id, w.award));
    Ok(out)
}

/// The canonical text of an edition's result: what is hashed and stored at publication.
/// Recomputing it from the stored sheets gives the same text and digest.
pub fn snapshot_text(
    results: &EditionResults,
    edition: &Edition,
    audit_head: Option<&AuditHead>,
) -> Result<String, StoreError> {
    snapshot_text_of(results, &edition.name, edition.year, audit_head)
}

/// The audit chain's head when an edition was published: the snapshot pins it, so the
/// published SHA-256 vouches for the history before it (docs/audit.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AuditHead {
    pub position: i64,
    pub hash: String,
}

/// `snapshot_text` from the edition's name and year (what the snapshot shows of it).
pub(crate) fn snapshot_text_of(
    results: &EditionResults,
    name: &str,
    year: i32,
    audit_head: Option<&AuditHead>,
) -> Result<String, StoreError> {
    serde_json::to_string(&json!({
        "audit_head": audit_head,
        "edition": {"id": results.edition_id, "name": name, "year": year},
        "ranking": results.ranking,
        "tie_decisions": results.tie_decisions,
        "winners": results.winners,
    }))
    .map_err(|e| StoreError::internal(format!("snapshot: {e}")))
}

fn is_frozen(edition: &Edition, now: DateTime<Utc>) -> Result<(), Error> {
    if edition.phase(now) == Phase::Published {
        Err(Error::Conflict(Message::new("conflict.results_published")))
    } else {
        Ok(())
    }
}

impl Store {
    /// A round's ranking per track, every judge's `S_je`, flags, alpha, judge statistics.
    pub async fn round_results(&self, round_id: RoundId) -> Result<RoundResults, StoreError> {
        let round = load_round(&self.db, round_id).await?;
        let edition = load_edition(&self.db, round.edition_id).await?;
        let mut inputs = load_inputs(&self.db, round.edition_id, Some(round_id)).await?;
        // Alone, the round is its own last round: rank by its score.
        for r in &mut inputs.rounds {
            r.weight = Some(1.0);
        }
        let ranking = rank(&inputs, edition.ranking_scope);
        let sheets = inputs.sheets.get(&round_id).cloned().unwrap_or_default();
        let s_je: Vec<(EntryId, UserId, f64)> = sheets
            .iter()
            .filter_map(|s| {
                round
                    .rubric
                    .score(|c| s.values.iter().find(|(id, _)| *id == c).map(|(_, v)| *v))
                    .map(|x| (s.entry, s.judge, x))
            })
            .collect();
        let alpha = agreement::alpha_interval(&s_je);
        let panel = load_panel(&self.db, round.edition_id).await?;
        let mut by_judge: BTreeMap<UserId, Vec<f64>> = BTreeMap::new();
        for (_, j, x) in &s_je {
            by_judge.entry(*j).or_default().push(*x);
        }
        let judges = by_judge
            .into_iter()
            .map(|(j, xs)| JudgeStats {
                judge_id: j,
                name: panel
                    .iter()
                    .find(|p| p.judge_id == j)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                sheets: xs.len(),
                mean: Some(xs.iter().sum::<f64>() / xs.len() as f64),
                std: Some(scoring::pop_std(&xs)),
            })
            .collect();
        Ok(RoundResults {
            round_id,
            closed: round.is_closed(),
            ranking,
            alpha,
            judges,
        })
    }

    /// The edition's final ranking with tie decisions and winners.
    pub async fn edition_results(
        &self,
        edition_id: EditionId,
    ) -> Result<EditionResults, StoreError> {
        let edition = load_edition(&self.db, edition_id).await?;
        let inputs = load_inputs(&self.db, edition_id, None).await?;
        Ok(EditionResults {
            edition_id,
            ranking: rank(&inputs, edition.ranking_scope),
            tie_decisions: load_decisions(&self.db, edition_id).await?,
            winners: load_winners(&self.db, edition_id).await?,
        })
    }

    /// Record how a tie is decided: the tied entries in order, best first, and why.
    pub async fn decide_tie(
        &self,
        edition_id: EditionId,
        order: Vec<EntryId>,
        reason: String,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<TieDecision, StoreError> {
        let txn = self.begin_write().await?;
        let edition = load_edition(&txn, edition_id).await?;
        is_frozen(&edition, now)?;
        let inputs = load_inputs(&txn, edition_id, None).await?;
        let ranking = rank(&inputs, edition.ranking_scope);
        // The named entries must be exactly one set of tied entries.
        let tied_set = ranking.groups.iter().find_map(|g| {
            let first = g
                .entries
                .iter()
                .find(|e| order.first() == Some(&e.entry_id))?;
            let set: Vec<EntryId> = g
                .entries
                .iter()
                .filter(|e| e.tie && e.rank.is_some() && e.rank == first.rank)
                .map(|e| e.entry_id)
                .collect();
            Some(set)
        });
        let mut sorted_order = order.clone();
        sorted_order.sort();
        let valid = tied_set.is_some_and(|mut set| {
            set.sort();
            set.len() >= 2 && set == sorted_order
        });
        if !valid {
            return Err(Error::invalid(
                "entry_ids",
                "not_a_tie",
                Message::new("field.results.not_a_tie"),
            )
            .into());
        }
        tie_decisions::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            edition_id: Set(edition_id.as_uuid()),
            entry_ids: Set(json!(order)),
            reason: Set(reason.clone()),
            decided_by: Set(actor.as_uuid()),
            decided_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "results.tie_decided", "edition")
                .subject(edition_id)
                .after(json!({"entry_ids": order, "reason": reason})),
        )
        .await?;
        txn.commit().await?;
        Ok(TieDecision {
            entry_ids: order,
            reason,
            decided_by: actor,
            decided_at: now,
        })
    }

    /// Record the winners (replacing any recorded before). Every round must be closed
    /// and every tie among the awarded entries decided.
    pub async fn record_winners(
        &self,
        edition_id: EditionId,
        choices: Vec<(EntryId, Award)>,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Winner>, StoreError> {
        let txn = self.begin_write().await?;
        let edition = load_edition(&txn, edition_id).await?;
        is_frozen(&edition, now)?;
        let inputs = load_inputs(&txn, edition_id, None).await?;
        if inputs.rounds.is_empty() || inputs.rounds.iter().any(|r| !r.is_closed()) {
            return Err(Error::Conflict(Message::new("conflict.rounds_still_open")).into());
        }
        let ranking = rank(&inputs, edition.ranking_scope);
        let decisions = load_decisions(&txn, edition_id).await?;
        let mut awards = Vec::with_capacity(choices.len());
        let mut rows = Vec::with_capacity(choices.len());
        for (i, (entry, award)) in choices.iter().enumerate() {
            let found = ranking.groups.iter().find_map(|g| {
                g.entries
                    .iter()
                    .find(|e| e.entry_id == *entry)
                    .map(|e| (g.track_id, g.field_id, e.clone()))
            });
            let Some((track, field, row)) = found else {
                return Err(Error::invalid(
                    format!("winners[{i}].entry_id"),
                    "not_ranked",
                    Message::new("field.results.not_ranked"),
                )
                .into());
            };
            if row.rank.is_none() {
                return Err(Error::invalid(
                    format!("winners[{i}].entry_id"),
                    "not_scored",
                    Message::new("field.results.not_scored"),
                )
                .into());
            }
            let decided = decisions.iter().any(|d| d.entry_ids.contains(entry));
            awards.push(AwardChoice {
                entry: *entry,
                award: *award,
                group: (track, field),
                undecided_tie: row.tie && !decided,
            });
            rows.push(winners::ActiveModel {
                edition_id: Set(edition_id.as_uuid()),
                entry_id: Set(entry.as_uuid()),
                award: Set(award.as_str().to_owned()),
                track_id: Set(track.map(|t| t.as_uuid())),
                field_id: Set(field.map(|f| f.as_uuid())),
                recorded_by: Set(actor.as_uuid()),
                recorded_at: Set(now),
            });
        }
        award::check_awards(&awards)?;
        winners::Entity::delete_many()
            .filter(winners::Column::EditionId.eq(edition_id.as_uuid()))
            .exec(&txn)
            .await?;
        if !rows.is_empty() {
            winners::Entity::insert_many(rows)
                .exec_without_returning(&txn)
                .await?;
        }
        editions::Entity::update_many()
            .col_expr(editions::Column::DecidedAt, Expr::value(now))
            .col_expr(editions::Column::UpdatedAt, Expr::value(now))
            .filter(editions::Column::Id.eq(edition_id.as_uuid()))
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "results.winners_recorded", "edition")
                .subject(edition_id)
                .after(json!(
                    choices
                        .iter()
                        .map(|(e, a)| json!({"entry_id": e, "award": a}))
                        .collect::<Vec<_>>()
                )),
        )
        .await?;
        let saved = load_winners(&txn, edition_id).await?;
        txn.commit().await?;
        Ok(saved)
    }

    /// Freeze and publish: the result is stored as a snapshot with its SHA-256; winners
    /// become `winner`, the other judged entries `not_awarded`.
    pub async fn publish(
        &self,
        edition_id: EditionId,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Publication, StoreError> {
        // Everything before the publication is sealed first, so the head it pins below
        // covers the whole history that led to it.
        self.seal_audit(now).await?;
        let txn = self.begin_write().await?;
        let audit_head = self
            .audit_head(&txn)
            .await?
            .map(|(position, hash)| AuditHead { position, hash });
        let edition = load_edition(&txn, edition_id).await?;
        is_frozen(&edition, now)?;
        if edition.phase(now) != Phase::Decided {
            return Err(Error::Conflict(Message::new("conflict.winners_not_recorded")).into());
        }
        let inputs = load_inputs(&txn, edition_id, None).await?;
        let results = EditionResults {
            edition_id,
            ranking: rank(&inputs, edition.ranking_scope),
            tie_decisions: load_decisions(&txn, edition_id).await?,
            winners: load_winners(&txn, edition_id).await?,
        };
        let text = snapshot_text_of(&results, &edition.name, edition.year, audit_head.as_ref())?;
        let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
        publications::ActiveModel {
            edition_id: Set(edition_id.as_uuid()),
            snapshot: Set(text.clone()),
            sha256: Set(sha256.clone()),
            published_by: Set(actor.as_uuid()),
            published_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|e| StoreError::unique_as(e, "conflict.already_published"))?;
        let winner_ids: Vec<uuid::Uuid> = results
            .winners
            .iter()
            .map(|w| w.entry_id.as_uuid())
            .collect();
        crate::entries::move_entries(
            &txn,
            Condition::all().add(entries::Column::Id.is_in(winner_ids.clone())),
            Status::InJudging,
            juri_domain::entry::Event::Award,
            now,
        )
        .await?;
        crate::entries::move_entries(
            &txn,
            Condition::all()
                .add(entries::Column::EditionId.eq(edition_id.as_uuid()))
                .add(entries::Column::Id.is_not_in(winner_ids)),
            Status::InJudging,
            juri_domain::entry::Event::NotAward,
            now,
        )
        .await?;
        editions::Entity::update_many()
            .col_expr(editions::Column::PublishedAt, Expr::value(now))
            .col_expr(editions::Column::UpdatedAt, Expr::value(now))
            .filter(editions::Column::Id.eq(edition_id.as_uuid()))
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "results.published", "edition")
                .subject(edition_id)
                .after(json!({"sha256": sha256, "audit_head": audit_head})),
        )
        .await?;
        // Everyone who submitted to the edition hears of it, once each.
        let submitters: Vec<uuid::Uuid> = entries::Entity::find()
            .select_only()
            .column(entries::Column::SubmitterId)
            .distinct()
            .filter(entries::Column::EditionId.eq(edition_id.as_uuid()))
            .filter(entries::Column::Status.ne(Status::Draft.as_str()))
            .into_tuple()
            .all(&txn)
            .await?;
        let notice = Notice::ResultsPublished {
            edition: edition.name.clone(),
        };
        for submitter in submitters {
            let user = UserId::from_uuid(submitter);
            let key = notification::key::results_published(edition_id, user);
            crate::outbox::enqueue(&txn, user, key, &notice, now).await?;
        }
        txn.commit().await?;
        self.catalogue.invalidate();
        Ok(Publication {
            edition_id,
            sha256,
            published_at: now,
            snapshot: serde_json::from_str(&text).unwrap_or_default(),
        })
    }

    /// The stored publication of an edition (its text and digest), if published.
    pub async fn publication(
        &self,
        edition_id: EditionId,
    ) -> Result<Option<(String, String)>, StoreError> {
        Ok(publications::Entity::find_by_id(edition_id.as_uuid())
            .one(&self.db)
            .await?
            .map(|p| (p.snapshot, p.sha256)))
    }

    /// Recompute the snapshot text from the stored sheets (for verification).
    pub async fn recompute_snapshot(&self, edition_id: EditionId) -> Result<String, StoreError> {
        let edition = load_edition(&self.db, edition_id).await?;
        let results = self.edition_results(edition_id).await?;
        // The head is not recomputed from sheets: it is the one the publication pinned.
        let audit_head = self
            .publication(edition_id)
            .await?
            .and_then(|(text, _)| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|v| serde_json::from_value::<AuditHead>(v.get("audit_head")?.clone()).ok());
        snapshot_text(&results, &edition, audit_head.as_ref())
    }
}

/// What the public sees of an innovation. No score sheet, judge or contact detail.
#[derive(Debug, Clone, Serialize)]
pub struct PublicInnovation {
    pub id: EntryId,
    pub title: String,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub how_it_works: String,
    pub impact: String,
    pub replicability: String,
    pub sustainability: String,
    pub stakeholders: String,
    pub started_on: Option<chrono::NaiveDate>,
    pub video_url: Option<String>,
    pub team: Vec<String>,
    pub edition_id: EditionId,
    pub edition_name: String,
    pub year: i32,
    pub field: Option<String>,
    pub track: Option<String>,
    pub organisation: Option<String>,
    pub award: Option<Award>,
    pub award_label: Option<&'static str>,
}

/// A winner as the public sees it.
#[derive(Debug, Clone, Serialize)]
pub struct PublicWinner {
    pub entry_id: EntryId,
    pub title: String,
    pub organisation: Option<String>,
    /// The team members' names: with the agency, who the award goes to.
    pub team: Vec<String>,
    pub field: Option<String>,
    pub track: Option<String>,
    pub award: Award,
    pub award_label: &'static str,
    pub score: Option<f64>,
}

/// A winner as announced, with the edition that announced it.
#[derive(Debug, Clone)]
pub struct AnnouncedWinner {
    pub winner: PublicWinner,
    pub edition_id: EditionId,
    pub edition_name: String,
    pub year: i32,
}

/// Catalogue filters. `field` and `track` match a name (any edition) or an id.
#[derive(Debug, Clone, Default)]
pub struct CatalogueFilter {
    pub q: Option<String>,
    pub year: Option<i32>,
    pub field: Option<String>,
    pub track: Option<String>,
    pub organisation: Option<OrganisationId>,
}

const PUBLIC_STATUSES: [Status; 4] = [
    Status::Eligible,
    Status::InJudging,
    Status::Winner,
    Status::NotAwarded,
];

/// What the public may see: consenting entries of published editions that passed
/// screening. The catalogue's search and filters run in memory over these rows
/// (`catalogue.rs`).
pub(crate) fn public_condition() -> Condition {
    let published = Query::select()
        .column(editions::Column::Id)
        .from(editions::Entity)
        .and_where(Expr::col(editions::Column::PublishedAt).is_not_null())
        .to_owned();
    Condition::all()
        .add(entries::Column::PublicationConsent.eq(true))
        .add(entries::Column::Status.is_in(PUBLIC_STATUSES.map(Status::as_str)))
        .add(entries::Column::EditionId.in_subquery(published))
}

impl Store {
    /// Published editions' winners, for the public.
    pub async fn public_winners(
        &self,
        edition_id: EditionId,
    ) -> Result<Vec<PublicWinner>, StoreError> {
        let edition = load_edition(&self.db, edition_id).await?;
        if edition.published_at.is_none() {
            return Err(Error::NotFound.into());
        }
        let winners = load_winners(&self.db, edition_id).await?;
        let snapshot: Option<serde_json::Value> = self
            .publication(edition_id)
            .await?
            .and_then(|(text, _)| serde_json::from_str(&text).ok());
        let scores: HashMap<String, f64> = snapshot
            .as_ref()
            .and_then(|s| s["ranking"]["groups"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .flat_map(|g| g["entries"].as_array().cloned().unwrap_or_default())
            .filter_map(|e| {
                Some((
                    e["entry_id"].as_str()?.to_owned(),
                    e["final_score"].as_f64()?,
                ))
            })
            .collect();
        // The winners' entries and their names in a fixed number of queries.
        let rows = entries::Entity::find()
            .filter(entries::Column::Id.is_in(winners.iter().map(|w| w.entry_id.as_uuid())))
            .all(&self.db)
            .await?;
        let views: HashMap<EntryId, PublicInnovation> = self
            .public_views(rows)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
        Ok(winners
            .into_iter()
            .filter_map(|w| {
                let v = views.get(&w.entry_id)?;
                Some(PublicWinner {
                    entry_id: w.entry_id,
                    title: v.title.clone(),
                    field: v.field.clone(),
                    track: v.track.clone(),
                    organisation: v.organisation.clone(),
                    team: v.team.clone(),
                    award: w.award,
                    award_label: w.award.label(),
                    score: scores.get(&w.entry_id.to_string()).copied(),
                })
            })
            .collect())
    }

    /// A winner of a published edition as it was announced (title, agency, field, award,
    /// score), with its edition's name and year: what the public may see of a winner
    /// whose submitter did not consent to the catalogue. Not found for anything else.
    pub async fn public_winner(&self, entry: EntryId) -> Result<AnnouncedWinner, StoreError> {
        let edition_id = entries::Entity::find_by_id(entry.as_uuid())
            .select_only()
            .column(entries::Column::EditionId)
            .into_tuple::<uuid::Uuid>()
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let edition_id = EditionId::from_uuid(edition_id);
        let winner = self
            .public_winners(edition_id)
            .await?
            .into_iter()
            .find(|w| w.entry_id == entry)
            .ok_or(Error::NotFound)?;
        let edition = load_edition(&self.db, edition_id).await?;
        Ok(AnnouncedWinner {
            winner,
            edition_id,
            edition_name: edition.name,
            year: edition.year,
        })
    }

    /// One innovation's public page; not found unless it is in the catalogue.
    pub async fn public_innovation(&self, id: EntryId) -> Result<PublicInnovation, StoreError> {
        let m = entries::Entity::find_by_id(id.as_uuid())
            .filter(public_condition())
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        self.public_views(vec![m])
            .await?
            .pop()
            .ok_or_else(|| Error::NotFound.into())
    }

    /// The public view of catalogue rows: their names, editions and awards read in a
    /// fixed number of queries, whatever the number of rows (no query per row).
    pub(crate) async fn public_views(
        &self,
        rows: Vec<entries::Model>,
    ) -> Result<Vec<PublicInnovation>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids = |f: fn(&entries::Model) -> Option<uuid::Uuid>| -> Vec<uuid::Uuid> {
            let mut v: Vec<uuid::Uuid> = rows.iter().filter_map(f).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let field_names: HashMap<uuid::Uuid, String> = fields::Entity::find()
            .filter(fields::Column::Id.is_in(ids(|m| m.field_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.id, to_field(m).name))
            .collect();
        let mut track_names: HashMap<uuid::Uuid, String> = HashMap::new();
        for m in tracks::Entity::find()
            .filter(tracks::Column::Id.is_in(ids(|m| m.track_id)))
            .all(&self.db)
            .await?
        {
            track_names.insert(m.id, to_track(m)?.name);
        }
        let org_names: HashMap<uuid::Uuid, String> = organisations::Entity::find()
            .filter(organisations::Column::Id.is_in(ids(|m| m.organisation_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let mut editions_by_id: HashMap<uuid::Uuid, Edition> = HashMap::new();
        for m in editions::Entity::find()
            .filter(editions::Column::Id.is_in(ids(|m| Some(m.edition_id))))
            .all(&self.db)
            .await?
        {
            editions_by_id.insert(m.id, crate::editions::to_edition(m)?);
        }
        let awards: HashMap<uuid::Uuid, Award> = winners::Entity::find()
            .filter(winners::Column::EntryId.is_in(ids(|m| Some(m.id))))
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|w| Some((w.entry_id, Award::parse(&w.award)?)))
            .collect();
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            let edition = editions_by_id
                .get(&m.edition_id)
                .ok_or_else(|| StoreError::internal("entry without its edition".to_owned()))?;
            let field = m.field_id.and_then(|id| field_names.get(&id).cloned());
            let track = m.track_id.and_then(|id| track_names.get(&id).cloned());
            let organisation = m.organisation_id.and_then(|id| org_names.get(&id).cloned());
            let award = awards
                .get(&m.id)
                .copied()
                .filter(|_| edition.published_at.is_some());
            let e = to_entry(m)?;
            out.push(PublicInnovation {
                id: e.id,
                title: e.content.title,
                summary: e.content.summary,
                problem: e.content.problem,
                solution: e.content.solution,
                how_it_works: e.content.how_it_works,
                impact: e.content.impact,
                replicability: e.content.replicability,
                sustainability: e.content.sustainability,
                stakeholders: e.content.stakeholders,
                started_on: e.content.started_on,
                video_url: e.content.video_url,
                team: e.content.team.into_iter().map(|t| t.name).collect(),
                edition_id: edition.id,
                edition_name: edition.name.clone(),
                year: edition.year,
                field,
                track,
                organisation,
                award_label: award.map(Award::label),
                award,
            });
        }
        Ok(out)
    }
}
