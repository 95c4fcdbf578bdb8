//! A round's progress, its submitted sheets and their scores, closing it and
//! advancing its best entries into the next round.

use crate::audit::{self, AuditRecord};
use crate::entities::{assignments, entries, round_entries};
use crate::entries::to_entry;
use crate::rounds::{load_panel, load_round, load_rounds};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::entry::Entry;
use juri_domain::ids::{AssignmentId, EntryId, RoundId, TrackId, UserId};
use juri_domain::round::{Round, SheetStatus};
use juri_domain::scoring::{self, AdvanceRule, SheetScore};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashSet};

/// Progress of a round.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub sheets_submitted: usize,
    pub sheets_total: usize,
    pub judges: Vec<Count>,
    pub entries: Vec<Count>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub id: String,
    pub name: String,
    pub submitted: usize,
    pub total: usize,
}

/// What pressing "Ingatkan" did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reminded {
    /// Judges mailed now.
    pub mailed: u64,
    /// Judges with unfinished sheets who had been reminded today already.
    pub already_today: u64,
}

/// A submitted sheet of a round, as the organiser sees it to send it back.
#[derive(Debug, Clone, Serialize)]
pub struct SubmittedSheet {
    pub id: AssignmentId,
    pub judge_name: String,
    pub entry_title: String,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The entries in a round.
pub(super) async fn round_entry_rows<C: ConnectionTrait>(
    db: &C,
    round: RoundId,
) -> Result<Vec<Entry>, StoreError> {
    let sub = Query::select()
        .column(round_entries::Column::EntryId)
        .from(round_entries::Entity)
        .and_where(Expr::col(round_entries::Column::RoundId).eq(round.as_uuid()))
        .to_owned();
    entries::Entity::find()
        .filter(entries::Column::Id.in_subquery(sub))
        .order_by_asc(entries::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_entry)
        .collect()
}

pub(super) async fn round_assignments<C: ConnectionTrait>(
    db: &C,
    round: RoundId,
) -> Result<Vec<assignments::Model>, StoreError> {
    Ok(assignments::Entity::find()
        .filter(assignments::Column::RoundId.eq(round.as_uuid()))
        .order_by_asc(assignments::Column::Id)
        .all(db)
        .await?)
}

fn open_round_error() -> Error {
    Error::Conflict(Message::new("conflict.round_closed"))
}

impl Store {
    /// Sheets done and to do, per judge and per entry.
    pub async fn progress(&self, round_id: RoundId) -> Result<Progress, StoreError> {
        let round = load_round(&self.db, round_id).await?;
        let rows = round_assignments(&self.db, round_id).await?;
        let panel = load_panel(&self.db, round.edition_id).await?;
        let entries = round_entry_rows(&self.db, round_id).await?;
        let mut judges: BTreeMap<uuid::Uuid, (usize, usize)> = BTreeMap::new();
        let mut per_entry: BTreeMap<uuid::Uuid, (usize, usize)> = BTreeMap::new();
        for a in &rows {
            let done = usize::from(a.sheet_status == SheetStatus::Submitted.as_str());
            let j = judges.entry(a.judge_id).or_default();
            j.0 += done;
            j.1 += 1;
            let e = per_entry.entry(a.entry_id).or_default();
            e.0 += done;
            e.1 += 1;
        }
        Ok(Progress {
            sheets_submitted: rows
                .iter()
                .filter(|a| a.sheet_status == SheetStatus::Submitted.as_str())
                .count(),
            sheets_total: rows.len(),
            judges: judges
                .into_iter()
                .map(|(id, (s, t))| Count {
                    id: id.to_string(),
                    name: panel
                        .iter()
                        .find(|p| p.judge_id.as_uuid() == id)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                    submitted: s,
                    total: t,
                })
                .collect(),
            entries: entries
                .iter()
                .map(|e| {
                    let (s, t) = per_entry.get(&e.id.as_uuid()).copied().unwrap_or((0, 0));
                    Count {
                        id: e.id.to_string(),
                        name: e.content.title.clone(),
                        submitted: s,
                        total: t,
                    }
                })
                .collect(),
        })
    }

    /// The submitted sheets of a round, by judge and entry (organisers).
    pub async fn round_submitted_sheets(
        &self,
        round_id: RoundId,
    ) -> Result<Vec<SubmittedSheet>, StoreError> {
        let round = load_round(&self.db, round_id).await?;
        let panel = load_panel(&self.db, round.edition_id).await?;
        let entries = round_entry_rows(&self.db, round_id).await?;
        let mut out: Vec<SubmittedSheet> = round_assignments(&self.db, round_id)
            .await?
            .into_iter()
            .filter(|a| a.sheet_status == SheetStatus::Submitted.as_str())
            .map(|a| SubmittedSheet {
                id: AssignmentId::from_uuid(a.id),
                judge_name: panel
                    .iter()
                    .find(|p| p.judge_id.as_uuid() == a.judge_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                entry_title: entries
                    .iter()
                    .find(|e| e.id.as_uuid() == a.entry_id)
                    .map(|e| e.content.title.clone())
                    .unwrap_or_default(),
                submitted_at: a.submitted_at,
            })
            .collect();
        out.sort_by(|a, b| (&a.judge_name, &a.entry_title).cmp(&(&b.judge_name, &b.entry_title)));
        Ok(out)
    }

    /// Close a round: no more sheets.
    pub async fn close_round(
        &self,
        round_id: RoundId,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Round, StoreError> {
        let txn = self.begin_write().await?;
        let round = load_round(&txn, round_id).await?;
        if round.is_closed() {
            return Err(open_round_error().into());
        }
        crate::entities::rounds::Entity::update_many()
            .col_expr(crate::entities::rounds::Column::ClosedAt, Expr::value(now))
            .col_expr(crate::entities::rounds::Column::UpdatedAt, Expr::value(now))
            .filter(crate::entities::rounds::Column::Id.eq(round_id.as_uuid()))
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "round.closed", "round").subject(round_id),
        )
        .await?;
        let closed = load_round(&txn, round_id).await?;
        txn.commit().await?;
        Ok(closed)
    }

    /// Mail every judge with sheets of this open round not yet submitted, at most once
    /// a day each (the dedupe key holds the judge and the date in WIB). Returns how
    /// many were mailed now and how many had been reminded today already.
    pub async fn remind_judges(
        &self,
        round_id: RoundId,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Reminded, StoreError> {
        let txn = self.begin_write().await?;
        let round = load_round(&txn, round_id).await?;
        if round.is_closed() {
            return Err(open_round_error().into());
        }
        let mut unfinished: BTreeMap<uuid::Uuid, u64> = BTreeMap::new();
        for a in round_assignments(&txn, round_id).await? {
            if a.sheet_status != SheetStatus::Submitted.as_str() {
                *unfinished.entry(a.judge_id).or_default() += 1;
            }
        }
        let edition = crate::outbox::edition_name(&txn, round.edition_id).await?;
        let day = juri_text::time::today(now);
        let mut reminded = Reminded::default();
        for (judge, count) in &unfinished {
            let judge = UserId::from_uuid(*judge);
            let notice = juri_domain::notification::Notice::JudgeReminder {
                edition: edition.clone(),
                round: round.name.clone(),
                unfinished: *count,
            };
            let key = juri_domain::notification::key::judge_reminder(judge, day);
            if crate::outbox::enqueue(&txn, judge, key, &notice, now).await? {
                reminded.mailed += 1;
            } else {
                reminded.already_today += 1;
            }
        }
        if reminded.mailed > 0 {
            audit::append(
                &txn,
                now,
                AuditRecord::new(Some(actor), "round.judges_reminded", "round")
                    .subject(round_id)
                    .after(json!({"mailed": reminded.mailed})),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(reminded)
    }

    /// The submitted sheets' `S_je` of a round.
    pub async fn sheet_scores(&self, round_id: RoundId) -> Result<Vec<SheetScore>, StoreError> {
        sheet_scores(&self.db, round_id).await
    }

    /// Move the best entries of a closed round (per track) into the next round.
    pub async fn advance(
        &self,
        round_id: RoundId,
        rule: AdvanceRule,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<EntryId>, StoreError> {
        let txn = self.begin_write().await?;
        let round = load_round(&txn, round_id).await?;
        if !round.is_closed() {
            return Err(Error::Conflict(Message::new("conflict.round_not_closed")).into());
        }
        let rounds = load_rounds(&txn, round.edition_id).await?;
        let Some(next) = rounds.iter().find(|r| r.position > round.position) else {
            return Err(Error::Conflict(Message::new("conflict.no_next_round")).into());
        };
        if next.is_closed() {
            return Err(open_round_error().into());
        }
        let sheets = sheet_scores(&txn, round_id).await?;
        let scores = scoring::round_scores(round.aggregation, &sheets);
        let entries = round_entry_rows(&txn, round_id).await?;
        let mut by_track: BTreeMap<Option<TrackId>, Vec<(EntryId, f64)>> = BTreeMap::new();
        for e in &entries {
            if let Some(s) = scores.get(&e.id) {
                by_track
                    .entry(e.content.track_id)
                    .or_default()
                    .push((e.id, *s));
            }
        }
        let mut advancing: Vec<EntryId> = by_track
            .values()
            .flat_map(|list| scoring::advancing(list, rule))
            .collect();
        advancing.sort();
        let already: HashSet<uuid::Uuid> = round_entries::Entity::find()
            .filter(round_entries::Column::RoundId.eq(next.id.as_uuid()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|r| r.entry_id)
            .collect();
        let fresh: Vec<EntryId> = advancing
            .iter()
            .copied()
            .filter(|e| !already.contains(&e.as_uuid()))
            .collect();
        for chunk in fresh.chunks(500) {
            round_entries::Entity::insert_many(chunk.iter().map(|e| round_entries::ActiveModel {
                round_id: Set(next.id.as_uuid()),
                entry_id: Set(e.as_uuid()),
                added_at: Set(now),
            }))
            .exec_without_returning(&txn)
            .await?;
        }
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "round.advanced", "round")
                .subject(round_id)
                .after(json!({"next_round": next.id, "entries": advancing})),
        )
        .await?;
        txn.commit().await?;
        Ok(advancing)
    }

    /// The entries in a round (organisers).
    pub async fn round_entries(&self, round_id: RoundId) -> Result<Vec<Entry>, StoreError> {
        load_round(&self.db, round_id).await?;
        round_entry_rows(&self.db, round_id).await
    }
}

async fn sheet_scores<C: ConnectionTrait + sea_orm::StreamTrait + Send>(
    db: &C,
    round_id: RoundId,
) -> Result<Vec<SheetScore>, StoreError> {
    let round = load_round(db, round_id).await?;
    Ok(crate::results::submitted_sheets(db, round_id)
        .await?
        .into_iter()
        .filter_map(|sheet| {
            let s = round.rubric.score(|c| {
                sheet
                    .values
                    .iter()
                    .find(|(id, _)| *id == c)
                    .map(|(_, v)| *v)
            })?;
            Some(SheetScore {
                entry: sheet.entry,
                judge: sheet.judge,
                s,
            })
        })
        .collect())
}
