//! The published results of an edition recomputed from the audit trail alone
//! (`juri audit results`, `docs/audit.md`): the edition, its rounds, the entries that
//! reached each round, every submitted sheet, the tie decisions and the winners are
//! read from the events' `after` values — never from the current tables — and ranked
//! by the same rules. Equal to the published SHA-256, the trail backs the result.

use crate::entities::audit_events;
use crate::results::{
    AuditHead, EditionResults, TieDecision, Winner, rank_entries, snapshot_text_of,
};
use crate::{Store, StoreError};
use juri_domain::award::Award;
use juri_domain::edition::RankingScope;
use juri_domain::ids::{CriterionId, EditionId, EntryId, FieldId, RoundId, TrackId, UserId};
use juri_domain::ranking::{EntryInfo, SubmittedSheet};
use juri_domain::round::Round;
use juri_domain::rubric::ScoreValue;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The actions the replay reads.
const ACTIONS: [&str; 16] = [
    "edition.created",
    "edition.updated",
    "entry.created",
    "entry.edited",
    "entry.edited_after_submission",
    "round.created",
    "round.updated",
    "round.started",
    "round.advanced",
    "sheet.submitted",
    "sheet.reopened",
    "assignment.removed",
    "assignment.recused",
    "results.tie_decided",
    "results.winners_recorded",
    "results.published",
];

/// The recomputation next to what was published.
#[derive(Debug, Clone, Serialize)]
pub struct TrailResults {
    pub edition_id: EditionId,
    /// SHA-256 of the snapshot text rebuilt from the trail.
    pub recomputed_sha256: String,
    /// The SHA-256 stored at publication (`None`: not published).
    pub published_sha256: Option<String>,
    /// The SHA-256 the `results.published` event recorded.
    pub event_sha256: Option<String>,
    /// Every published digest equals the recomputed one.
    pub matches: bool,
    pub events_read: usize,
}

fn bad(what: &str, id: i64) -> StoreError {
    StoreError::internal(format!(
        "audit event #{id} lacks {what}: the trail cannot rebuild the result"
    ))
}

fn get<T: serde::de::DeserializeOwned>(v: &Value, key: &str, id: i64) -> Result<T, StoreError> {
    serde_json::from_value(v.get(key).cloned().unwrap_or(Value::Null)).map_err(|_| bad(key, id))
}

impl Store {
    /// Rebuild an edition's result snapshot from its audit events and compare digests.
    pub async fn results_from_trail(
        &self,
        edition_id: EditionId,
    ) -> Result<TrailResults, StoreError> {
        // Ids grow with commit order for events that depend on each other (a later
        // transaction that read an earlier one's write gets a later id).
        let events = audit_events::Entity::find()
            .filter(audit_events::Column::Action.is_in(ACTIONS))
            .order_by_asc(audit_events::Column::Id)
            .all(&self.db)
            .await?;
        let edition_key = edition_id.to_string();
        let mut name: Option<(String, i32)> = None;
        let mut scope = RankingScope::PerTrack;
        let mut entries: BTreeMap<EntryId, (Option<TrackId>, Option<FieldId>)> = BTreeMap::new();
        let mut rounds: BTreeMap<RoundId, Round> = BTreeMap::new();
        let mut reached: HashMap<RoundId, Vec<EntryId>> = HashMap::new();
        // (round, entry, judge) → (assignment id, values)
        type SheetKey = (RoundId, EntryId, UserId);
        let mut sheets: BTreeMap<SheetKey, (String, Vec<(CriterionId, i32)>)> = BTreeMap::new();
        let mut by_assignment: HashMap<String, SheetKey> = HashMap::new();
        let mut ties: Vec<TieDecision> = Vec::new();
        let mut chosen: Vec<(EntryId, Award)> = Vec::new();
        let mut event_sha256 = None;
        let mut audit_head: Option<AuditHead> = None;
        let mut read = 0usize;
        for e in &events {
            let after = e.after.clone().unwrap_or(Value::Null);
            let subject = e.subject_id.as_deref().unwrap_or_default();
            let id = e.id;
            let mine_edition = subject == edition_key;
            match e.action.as_str() {
                "edition.created" | "edition.updated" if mine_edition => {
                    name = Some((get(&after, "name", id)?, get(&after, "year", id)?));
                    let s: String = get(&after, "ranking_scope", id)?;
                    scope = RankingScope::parse(&s).ok_or_else(|| bad("ranking_scope", id))?;
                }
                "entry.created" | "entry.edited" | "entry.edited_after_submission" => {
                    let entry: EntryId = subject.parse().map_err(|_| bad("subject", id))?;
                    entries.insert(
                        entry,
                        (get(&after, "track_id", id)?, get(&after, "field_id", id)?),
                    );
                    continue;
                }
                "round.created" | "round.updated" => {
                    let round: Round =
                        serde_json::from_value(after).map_err(|_| bad("the round", id))?;
                    if round.edition_id == edition_id {
                        rounds.insert(round.id, round);
                    } else {
                        continue;
                    }
                }
                "round.started" => {
                    let round: RoundId = subject.parse().map_err(|_| bad("subject", id))?;
                    if !rounds.contains_key(&round) {
                        continue;
                    }
                    let ids: Vec<EntryId> = get(&after, "entry_ids", id)?;
                    reached.entry(round).or_default().extend(ids);
                }
                "round.advanced" => {
                    let next: RoundId = get(&after, "next_round", id)?;
                    if !rounds.contains_key(&next) {
                        continue;
                    }
                    let ids: Vec<EntryId> = get(&after, "entries", id)?;
                    reached.entry(next).or_default().extend(ids);
                }
                "sheet.submitted" => {
                    let round: RoundId = get(&after, "round_id", id)?;
                    if !rounds.contains_key(&round) {
                        continue;
                    }
                    let key = (
                        round,
                        get(&after, "entry_id", id)?,
                        get(&after, "judge_id", id)?,
                    );
                    let scores: Vec<ScoreValue> = get(&after, "scores", id)?;
                    let mut values: Vec<(CriterionId, i32)> = scores
                        .into_iter()
                        .filter_map(|v| Some((v.criterion_id, v.value?)))
                        .collect();
                    values.sort();
                    sheets.insert(key, (subject.to_owned(), values));
                    by_assignment.insert(subject.to_owned(), key);
                }
                "sheet.reopened" => match by_assignment.remove(subject) {
                    Some(key) => {
                        sheets.remove(&key);
                    }
                    None => continue,
                },
                "assignment.removed" | "assignment.recused" => {
                    let round: RoundId = subject.parse().map_err(|_| bad("subject", id))?;
                    if !rounds.contains_key(&round) {
                        continue;
                    }
                    let key = (
                        round,
                        get(&after, "entry_id", id)?,
                        get(&after, "judge_id", id)?,
                    );
                    if let Some((assignment, _)) = sheets.remove(&key) {
                        by_assignment.remove(&assignment);
                    }
                }
                "results.tie_decided" if mine_edition => ties.push(TieDecision {
                    entry_ids: get(&after, "entry_ids", id)?,
                    reason: get(&after, "reason", id)?,
                    decided_by: UserId::from_uuid(e.actor_id.ok_or_else(|| bad("actor", id))?),
                    decided_at: e.occurred_at,
                }),
                "results.winners_recorded" if mine_edition => {
                    #[derive(serde::Deserialize)]
                    struct Choice {
                        entry_id: EntryId,
                        award: Award,
                    }
                    let list: Vec<Choice> =
                        serde_json::from_value(after).map_err(|_| bad("winners", id))?;
                    chosen = list.into_iter().map(|c| (c.entry_id, c.award)).collect();
                }
                "results.published" if mine_edition => {
                    event_sha256 = Some(get::<String>(&after, "sha256", id)?);
                    // Older publications pinned no head: absent reads as none.
                    audit_head = after
                        .get("audit_head")
                        .cloned()
                        .map(serde_json::from_value::<Option<AuditHead>>)
                        .transpose()
                        .map_err(|_| bad("audit_head", id))?
                        .flatten();
                }
                _ => continue,
            }
            read += 1;
        }
        let (name, year) = name.ok_or(juri_domain::Error::NotFound)?;
        // As the store loads them: entries and reached ids by id, sheets by assignment.
        let mut round_sheets: HashMap<RoundId, Vec<(String, SubmittedSheet)>> = HashMap::new();
        for ((round, entry, judge), (assignment, values)) in sheets {
            round_sheets.entry(round).or_default().push((
                assignment,
                SubmittedSheet {
                    entry,
                    judge,
                    values,
                },
            ));
        }
        let round_sheets: HashMap<RoundId, Vec<SubmittedSheet>> = round_sheets
            .into_iter()
            .map(|(r, mut v)| {
                v.sort_by(|a, b| a.0.cmp(&b.0));
                (r, v.into_iter().map(|(_, s)| s).collect())
            })
            .collect();
        for ids in reached.values_mut() {
            ids.sort();
            ids.dedup();
        }
        let mut in_rounds: Vec<EntryId> = reached.values().flatten().copied().collect();
        in_rounds.sort();
        in_rounds.dedup();
        let infos: Vec<EntryInfo> = in_rounds
            .into_iter()
            .map(|id| {
                let (track, field) = entries.get(&id).copied().unwrap_or((None, None));
                EntryInfo { id, track, field }
            })
            .collect();
        let rounds: Vec<Round> = rounds.into_values().collect();
        let ranking = rank_entries(infos, &rounds, &reached, &round_sheets, scope);
        let mut winners: Vec<Winner> = chosen
            .into_iter()
            .filter_map(|(entry, award)| {
                ranking.groups.iter().find_map(|g| {
                    g.entries
                        .iter()
                        .find(|x| x.entry_id == entry)
                        .map(|_| Winner {
                            entry_id: entry,
                            award,
                            track_id: g.track_id,
                            field_id: g.field_id,
                        })
                })
            })
            .collect();
        winners.sort_by_key(|w| (w.track_id, w.field_id, w.award));
        ties.sort_by_key(|t| t.decided_at);
        let results = EditionResults {
            edition_id,
            ranking,
            tie_decisions: ties,
            winners,
        };
        let text = snapshot_text_of(&results, &name, year, audit_head.as_ref())?;
        let recomputed = hex::encode(Sha256::digest(text.as_bytes()));
        let published = self.publication(edition_id).await?.map(|(_, sha)| sha);
        let matches = published.as_deref() == Some(recomputed.as_str())
            && event_sha256.as_deref() == Some(recomputed.as_str());
        Ok(TrailResults {
            edition_id,
            recomputed_sha256: recomputed,
            published_sha256: published,
            event_sha256,
            matches,
            events_read: read,
        })
    }
}
