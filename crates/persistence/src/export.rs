//! What the organisers' exports hold: the ranking with names, every submitted sheet
//! criterion by criterion, and each judge's statistics per round. Plain data; the web
//! layer writes it as XLSX or CSV.

use crate::editions::load_edition;
use crate::entities::{assignments, entries, fields, organisations, scores, tracks, users};
use crate::rounds::load_rounds;
use crate::{Store, StoreError};
use juri_domain::ids::{EditionId, EntryId};
use juri_domain::round::SheetStatus;
use juri_domain::scoring;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Serialize)]
pub struct RankingRow {
    pub track: String,
    pub field: String,
    pub rank: Option<u32>,
    pub entry_id: EntryId,
    pub title: String,
    pub organisation: String,
    pub final_score: Option<f64>,
    pub tie: bool,
    pub award: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    pub round: String,
    pub entry_id: EntryId,
    pub title: String,
    pub judge: String,
    pub criterion: String,
    pub weight: f64,
    pub min: i32,
    pub max: i32,
    pub value: Option<i32>,
    pub comment: String,
    /// The sheet's `S_je`.
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JudgeRow {
    pub round: String,
    pub judge: String,
    pub sheets: usize,
    pub mean: f64,
    pub std: f64,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportData {
    pub edition: String,
    pub year: i32,
    pub ranking: Vec<RankingRow>,
    pub sheets: Vec<SheetRow>,
    pub judges: Vec<JudgeRow>,
}

impl Store {
    pub async fn export_data(&self, edition_id: EditionId) -> Result<ExportData, StoreError> {
        let edition = load_edition(&self.db, edition_id).await?;
        let results = self.edition_results(edition_id).await?;
        let entry_rows = entries::Entity::find()
            .filter(entries::Column::EditionId.eq(edition_id.as_uuid()))
            .all(&self.db)
            .await?;
        let entry_by_id: HashMap<uuid::Uuid, &entries::Model> =
            entry_rows.iter().map(|e| (e.id, e)).collect();
        let field_names: HashMap<uuid::Uuid, String> = fields::Entity::find()
            .filter(fields::Column::EditionId.eq(edition_id.as_uuid()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|f| (f.id, f.name))
            .collect();
        let track_names: HashMap<uuid::Uuid, String> = tracks::Entity::find()
            .filter(tracks::Column::EditionId.eq(edition_id.as_uuid()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        let org_names: HashMap<uuid::Uuid, String> = organisations::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let awards: HashMap<EntryId, &'static str> = results
            .winners
            .iter()
            .map(|w| (w.entry_id, w.award.label()))
            .collect();
        let mut ranking = Vec::new();
        for g in &results.ranking.groups {
            let track = g
                .track_id
                .and_then(|t| track_names.get(&t.as_uuid()).cloned())
                .unwrap_or_default();
            let field = g
                .field_id
                .and_then(|f| field_names.get(&f.as_uuid()).cloned())
                .unwrap_or_default();
            for e in &g.entries {
                let row = entry_by_id.get(&e.entry_id.as_uuid());
                ranking.push(RankingRow {
                    track: track.clone(),
                    field: field.clone(),
                    rank: e.rank,
                    entry_id: e.entry_id,
                    title: row.map(|r| r.title.clone()).unwrap_or_default(),
                    organisation: row
                        .and_then(|r| r.organisation_id)
                        .and_then(|o| org_names.get(&o).cloned())
                        .unwrap_or_default(),
                    final_score: e.final_score,
                    tie: e.tie,
                    award: awards
                        .get(&e.entry_id)
                        .copied()
                        .unwrap_or_default()
                        .to_owned(),
                });
            }
        }
        let rounds = load_rounds(&self.db, edition_id).await?;
        let judge_names: HashMap<uuid::Uuid, String> = users::Entity::find()
            .filter(users::Column::Role.eq("judge"))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let mut sheets = Vec::new();
        let mut judges = Vec::new();
        for r in &rounds {
            let rows = assignments::Entity::find()
                .filter(assignments::Column::RoundId.eq(r.id.as_uuid()))
                .filter(assignments::Column::SheetStatus.eq(SheetStatus::Submitted.as_str()))
                .order_by_asc(assignments::Column::EntryId)
                .order_by_asc(assignments::Column::JudgeId)
                .all(&self.db)
                .await?;
            let mut per_judge: BTreeMap<String, Vec<f64>> = BTreeMap::new();
            for a in rows {
                let values = scores::Entity::find()
                    .filter(scores::Column::AssignmentId.eq(a.id))
                    .all(&self.db)
                    .await?;
                let score = r.rubric.score(|c| {
                    values
                        .iter()
                        .find(|v| v.criterion_id == c.as_uuid())
                        .and_then(|v| v.value)
                });
                let judge = judge_names.get(&a.judge_id).cloned().unwrap_or_default();
                if let Some(s) = score {
                    per_judge.entry(judge.clone()).or_default().push(s);
                }
                let title = entry_by_id
                    .get(&a.entry_id)
                    .map(|e| e.title.clone())
                    .unwrap_or_default();
                for c in &r.rubric.criteria {
                    let v = values.iter().find(|v| v.criterion_id == c.id.as_uuid());
                    sheets.push(SheetRow {
                        round: r.name.clone(),
                        entry_id: EntryId::from_uuid(a.entry_id),
                        title: title.clone(),
                        judge: judge.clone(),
                        criterion: c.name.clone(),
                        weight: c.weight,
                        min: c.min,
                        max: c.max,
                        value: v.and_then(|v| v.value),
                        comment: v.and_then(|v| v.comment.clone()).unwrap_or_default(),
                        score,
                    });
                }
            }
            for (judge, xs) in per_judge {
                let mean = xs.iter().sum::<f64>() / xs.len() as f64;
                judges.push(JudgeRow {
                    round: r.name.clone(),
                    judge,
                    sheets: xs.len(),
                    mean,
                    std: scoring::pop_std(&xs),
                    min: xs.iter().copied().fold(f64::INFINITY, f64::min),
                    max: xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                });
            }
        }
        Ok(ExportData {
            edition: edition.name,
            year: edition.year,
            ranking,
            sheets,
            judges,
        })
    }
}
