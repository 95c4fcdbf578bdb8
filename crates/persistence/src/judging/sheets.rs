//! Score sheets: a judge's assignments and the reads of one, saving a draft (grouped
//! on SQLite, one statement on PostgreSQL), submitting with version checks, and an
//! organiser reopening a submitted sheet.

use crate::audit::{self, AuditRecord};
use crate::entities::{assignments, criteria, entries, rounds, scores};
use crate::entries::to_entry;
use crate::group::{GroupCommit, GroupWrite, WriteFuture};
use crate::rounds::{load_round, to_round};
use crate::{Backend, Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::attachment::Attachment;
use juri_domain::entry::Entry;
use juri_domain::ids::{AssignmentId, CriterionId, EntryId, RoundId, UserId};
use juri_domain::round::{self, Assignment, Origin, Round, Sheet, SheetStatus};
use juri_domain::rubric::{self, ScoreValue};
use juri_domain::user::{Role, User};
use sea_orm::sea_query::{
    Alias, CommonTableExpression, Expr, ExprTrait, InsertStatement, OnConflict, Query,
    SelectStatement, UpdateStatement, Values, WithClause, WithQuery,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// One assignment as its judge (or an organiser) sees it.
#[derive(Debug, Clone)]
pub struct AssignmentDetail {
    pub assignment: Assignment,
    pub round: Round,
    pub entry: Entry,
    /// The entry's files, oldest first.
    pub attachments: Vec<Attachment>,
    /// The other judges' submitted sheets where the domain lets the caller see them
    /// (`round::may_see_peer_sheets`; organisers always), oldest assignment first,
    /// each with its judge's name where the round names them
    /// (`round::peer_names_visible`).
    pub peers: Vec<(Assignment, Option<String>)>,
}

/// What a judge works on.
#[derive(Debug, Clone, Serialize)]
pub struct MyAssignment {
    pub id: AssignmentId,
    pub round_id: RoundId,
    pub round_name: String,
    pub round_closed: bool,
    pub entry_id: EntryId,
    pub entry_title: String,
    pub sheet_status: SheetStatus,
}

pub(super) fn to_assignment(
    m: &assignments::Model,
    values: Vec<ScoreValue>,
) -> Result<Assignment, StoreError> {
    let corrupt = |what: &str| StoreError::internal(format!("assignment {}: bad {what}", m.id));
    Ok(Assignment {
        id: AssignmentId::from_uuid(m.id),
        round_id: RoundId::from_uuid(m.round_id),
        entry_id: EntryId::from_uuid(m.entry_id),
        judge_id: UserId::from_uuid(m.judge_id),
        origin: Origin::parse(&m.origin).ok_or_else(|| corrupt("origin"))?,
        sheet: Sheet {
            status: SheetStatus::parse(&m.sheet_status).ok_or_else(|| corrupt("status"))?,
            version: m.sheet_version,
            scores: values,
            comment: m.sheet_comment.clone(),
            submitted_at: m.submitted_at,
            reopened_reason: m.reopened_reason.clone(),
        },
        created_at: m.created_at,
    })
}

async fn sheet_values<C: ConnectionTrait>(
    db: &C,
    id: uuid::Uuid,
) -> Result<Vec<ScoreValue>, StoreError> {
    Ok(scores::Entity::find()
        .filter(scores::Column::AssignmentId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| ScoreValue {
            criterion_id: CriterionId::from_uuid(s.criterion_id),
            value: s.value,
            comment: s.comment,
        })
        .collect())
}

/// The rubric and the sheet's values from the rows of a query that joined each
/// criterion with its score (`criteria::Entity: Related<scores::Entity>`); the values
/// in criterion order, as a read of the sheet alone gives them.
fn criteria_and_values(
    rows: impl Iterator<Item = (Option<criteria::Model>, Option<scores::Model>)>,
) -> (Vec<criteria::Model>, Vec<ScoreValue>) {
    let (criteria, values): (Vec<_>, Vec<_>) = rows.unzip();
    let mut values: Vec<ScoreValue> = values
        .into_iter()
        .flatten()
        .map(|s| ScoreValue {
            criterion_id: CriterionId::from_uuid(s.criterion_id),
            value: s.value,
            comment: s.comment,
        })
        .collect();
    values.sort_by_key(|v| v.criterion_id);
    (criteria.into_iter().flatten().collect(), values)
}

/// An assignment with its round and the round's rubric, in one query (a row per
/// criterion): what a save needs to decide.
async fn assignment_in_round<C: ConnectionTrait>(
    db: &C,
    id: AssignmentId,
) -> Result<(assignments::Model, Round), StoreError> {
    let mut rows = assignments::Entity::find_by_id(id.as_uuid())
        .find_also_related(rounds::Entity)
        .find_also(rounds::Entity, criteria::Entity)
        .order_by_asc(criteria::Column::Position)
        .all(db)
        .await?
        .into_iter();
    let (a, round, first) = rows.next().ok_or(Error::NotFound)?;
    let round =
        round.ok_or_else(|| StoreError::internal(format!("assignment {}: no round", a.id)))?;
    let criteria = first
        .into_iter()
        .chain(rows.filter_map(|(_, _, c)| c))
        .collect();
    Ok((a, to_round(round, criteria)?))
}

/// An assignment with its round, the round's rubric and the sheet's values, in one
/// query (a row per criterion): what a submit needs to decide. (A save does not read
/// the values: the scores' columns in its read cost it ~7 % of its rate.)
async fn assignment_with_values<C: ConnectionTrait>(
    db: &C,
    id: AssignmentId,
) -> Result<(assignments::Model, Round, Vec<ScoreValue>), StoreError> {
    let mut rows = assignments::Entity::find_by_id(id.as_uuid())
        .find_also_related(rounds::Entity)
        .find_also(rounds::Entity, criteria::Entity)
        .find_also(criteria::Entity, scores::Entity)
        .order_by_asc(criteria::Column::Position)
        .all(db)
        .await?
        .into_iter();
    let (a, round, first, first_score) = rows.next().ok_or(Error::NotFound)?;
    let round =
        round.ok_or_else(|| StoreError::internal(format!("assignment {}: no round", a.id)))?;
    let (criteria, values) = criteria_and_values(
        std::iter::once((first, first_score)).chain(rows.map(|(_, _, c, s)| (c, s))),
    );
    Ok((a, to_round(round, criteria)?, values))
}

/// An assignment with its round, rubric, sheet values and entry, in one query (a row
/// per criterion): what the judge's view of an assignment shows.
async fn assignment_with_entry<C: ConnectionTrait>(
    db: &C,
    id: AssignmentId,
) -> Result<(assignments::Model, Round, Vec<ScoreValue>, Entry), StoreError> {
    let mut rows = assignments::Entity::find_by_id(id.as_uuid())
        .find_also_related(rounds::Entity)
        .find_also_related(entries::Entity)
        .find_also(rounds::Entity, criteria::Entity)
        .find_also(criteria::Entity, scores::Entity)
        .order_by_asc(criteria::Column::Position)
        .all(db)
        .await?
        .into_iter();
    let (a, round, entry, first, first_score) = rows.next().ok_or(Error::NotFound)?;
    let missing = |what: &str| StoreError::internal(format!("assignment {}: no {what}", a.id));
    let round = round.ok_or_else(|| missing("round"))?;
    let entry = entry.ok_or_else(|| missing("entry"))?;
    let (criteria, values) = criteria_and_values(
        std::iter::once((first, first_score)).chain(rows.map(|(_, _, _, c, s)| (c, s))),
    );
    Ok((a, to_round(round, criteria)?, values, to_entry(entry)?))
}

async fn load_assignment<C: ConnectionTrait>(
    db: &C,
    id: AssignmentId,
) -> Result<Assignment, StoreError> {
    let m = assignments::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let values = sheet_values(db, m.id).await?;
    to_assignment(&m, values)
}

/// What a draft save writes, decided before it waits for the write lock: the values
/// (all of the rubric's, or some), the comment, and the version the checks saw.
#[derive(Debug)]
struct SheetWrite {
    id: AssignmentId,
    round: RoundId,
    version: i64,
    comment: Option<String>,
    now: DateTime<Utc>,
    scores: Vec<ScoreValue>,
    covers_rubric: bool,
}

/// The open round a sheet's writes require: a sheet of a closed round is read-only.
fn open_round(round: RoundId) -> SelectStatement {
    Query::select()
        .column(rounds::Column::Id)
        .from(rounds::Entity)
        .and_where(Expr::col(rounds::Column::Id).eq(round.as_uuid()))
        .and_where(Expr::col(rounds::Column::ClosedAt).is_null())
        .to_owned()
}

/// What a draft save starts with: the version moves, if it is still the one the
/// checks saw, the sheet is not submitted and its round is open. Concurrent saves
/// queue on this row, and only the one holding the version it read goes on.
fn bump_for_save(w: &SheetWrite) -> UpdateStatement {
    assignments::Entity::update_many()
        .col_expr(
            assignments::Column::SheetVersion,
            Expr::value(w.version + 1),
        )
        .col_expr(
            assignments::Column::SheetStatus,
            Expr::value(SheetStatus::Draft.as_str()),
        )
        .col_expr(
            assignments::Column::SheetComment,
            Expr::value(w.comment.clone()),
        )
        .col_expr(assignments::Column::UpdatedAt, Expr::value(w.now))
        .filter(assignments::Column::Id.eq(w.id.as_uuid()))
        .filter(assignments::Column::SheetVersion.eq(w.version))
        .filter(assignments::Column::SheetStatus.ne(SheetStatus::Submitted.as_str()))
        .filter(assignments::Column::RoundId.in_subquery(open_round(w.round)))
        .into_query()
}

/// A save's value replaces the criterion's value already on the sheet.
fn values_replace() -> OnConflict {
    OnConflict::columns([scores::Column::AssignmentId, scores::Column::CriterionId])
        .update_columns([scores::Column::Value, scores::Column::Comment])
        .to_owned()
}

/// The upsert of a save's values from the rows of `source` (assignment, criterion,
/// value, comment).
fn upsert_values(source: SelectStatement) -> Result<InsertStatement, StoreError> {
    Ok(Query::insert()
        .into_table(scores::Entity)
        .columns([
            scores::Column::AssignmentId,
            scores::Column::CriterionId,
            scores::Column::Value,
            scores::Column::Comment,
        ])
        .select_from(source)
        .map_err(|e| StoreError::internal(format!("sheet values: {e}")))?
        .on_conflict(values_replace())
        .to_owned())
}

/// Write a draft save in the caller's transaction (SQLite: a group commit's); false
/// when the sheet changed since it was read (saved, submitted, or its round closed),
/// and then nothing is written.
async fn write_sheet<C: ConnectionTrait>(db: &C, w: &SheetWrite) -> Result<bool, StoreError> {
    if db.execute(&bump_for_save(w)).await?.rows_affected() != 1 {
        return Ok(false);
    }
    // A sheet that names every criterion (what the score form sends) overwrites all of
    // its rows in one statement; a partial one clears the others first. One statement
    // less under the write lock for the common save.
    if !w.covers_rubric {
        scores::Entity::delete_many()
            .filter(scores::Column::AssignmentId.eq(w.id.as_uuid()))
            .exec(db)
            .await?;
    }
    if !w.scores.is_empty() {
        scores::Entity::insert_many(w.scores.iter().map(|v| scores::ActiveModel {
            assignment_id: Set(w.id.as_uuid()),
            criterion_id: Set(v.criterion_id.as_uuid()),
            value: Set(v.value),
            comment: Set(v.comment.clone()),
        }))
        .on_conflict(values_replace())
        .exec_without_returning(db)
        .await?;
    }
    Ok(true)
}

/// PostgreSQL: a draft save as one statement, so one round trip and a transaction of
/// its own (no BEGIN, no COMMIT): the bump of [`bump_for_save`], and the values'
/// writes, which read the bump's RETURNING and so happen only when it took. A partial
/// sheet's other values are deleted by criterion rather than all first, because one
/// statement may not change a row twice. Answers a row when saved, none when not.
fn pg_save(w: &SheetWrite) -> Result<WithQuery, StoreError> {
    let bumped = Alias::new("bumped");
    let given = Alias::new("given");
    let saved = || {
        Query::select()
            .column(assignments::Column::Id)
            .from(bumped.clone())
            .to_owned()
    };
    let mut with = WithClause::new();
    with.cte(
        CommonTableExpression::new()
            .table_name(bumped.clone())
            .query(
                bump_for_save(w)
                    .returning_col(assignments::Column::Id)
                    .to_owned(),
            )
            .to_owned(),
    );
    if !w.covers_rubric {
        let mut clear = Query::delete();
        clear
            .from_table(scores::Entity)
            .and_where(Expr::col(scores::Column::AssignmentId).in_subquery(saved()));
        if !w.scores.is_empty() {
            clear.and_where(
                Expr::col(scores::Column::CriterionId)
                    .is_not_in(w.scores.iter().map(|v| v.criterion_id.as_uuid())),
            );
        }
        with.cte(
            CommonTableExpression::new()
                .table_name(Alias::new("cleared"))
                .query(clear)
                .to_owned(),
        );
    }
    if !w.scores.is_empty() {
        with.cte(
            CommonTableExpression::new()
                .table_name(given.clone())
                .columns([
                    scores::Column::CriterionId,
                    scores::Column::Value,
                    scores::Column::Comment,
                ])
                .values(
                    w.scores
                        .iter()
                        .map(|v| {
                            Values(vec![
                                v.criterion_id.as_uuid().into(),
                                v.value.into(),
                                v.comment.clone().into(),
                            ])
                        })
                        .collect(),
                )
                .to_owned(),
        );
        let source = Query::select()
            .column((bumped.clone(), assignments::Column::Id))
            .columns([
                (given.clone(), scores::Column::CriterionId),
                (given.clone(), scores::Column::Value),
                (given.clone(), scores::Column::Comment),
            ])
            .from(bumped.clone())
            .cross_join(given)
            .to_owned();
        with.cte(
            CommonTableExpression::new()
                .table_name(Alias::new("written"))
                .query(upsert_values(source)?)
                .to_owned(),
        );
    }
    Ok(saved().with(with))
}

impl GroupWrite for SheetWrite {
    type Output = bool;
    fn write<'a>(&'a self, txn: &'a DatabaseTransaction) -> WriteFuture<'a, bool> {
        Box::pin(write_sheet(txn, self))
    }
}

/// SQLite: the draft saves waiting for the writer's turn, committed together
/// (`group.rs`). The store holds one without knowing what a save is: `store.rs` names
/// only this type, and `group.rs` nothing of this module.
#[derive(Debug, Default)]
pub(crate) struct PendingSaves(GroupCommit<SheetWrite>);

impl PendingSaves {
    /// Run `write` in the next batch of `store`'s writer: true when saved, false when
    /// the sheet changed since it was read.
    async fn run(&self, store: &Store, write: SheetWrite) -> Result<bool, StoreError> {
        self.0.run(&store.writer, store.sqlite_turn(), write).await
    }
}

impl Store {
    /// A judge's assignments, newest round first.
    pub async fn my_assignments(&self, judge: UserId) -> Result<Vec<MyAssignment>, StoreError> {
        let rows = assignments::Entity::find()
            .filter(assignments::Column::JudgeId.eq(judge.as_uuid()))
            .order_by_asc(assignments::Column::Id)
            .all(&self.db)
            .await?;
        // The titles in one query, not one per assignment.
        let mine = Query::select()
            .column(assignments::Column::EntryId)
            .from(assignments::Entity)
            .and_where(Expr::col(assignments::Column::JudgeId).eq(judge.as_uuid()))
            .to_owned();
        let titles: HashMap<uuid::Uuid, String> = entries::Entity::find()
            .select_only()
            .column(entries::Column::Id)
            .column(entries::Column::Title)
            .filter(entries::Column::Id.in_subquery(mine))
            .into_tuple::<(uuid::Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let mut rounds: HashMap<uuid::Uuid, Round> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for a in rows {
            if let std::collections::hash_map::Entry::Vacant(slot) = rounds.entry(a.round_id) {
                slot.insert(load_round(&self.db, RoundId::from_uuid(a.round_id)).await?);
            }
            let Some(r) = rounds.get(&a.round_id) else {
                continue;
            };
            let title = titles.get(&a.entry_id).cloned().unwrap_or_default();
            out.push(MyAssignment {
                id: AssignmentId::from_uuid(a.id),
                round_id: r.id,
                round_name: r.name.clone(),
                round_closed: r.is_closed(),
                entry_id: EntryId::from_uuid(a.entry_id),
                entry_title: title,
                sheet_status: SheetStatus::parse(&a.sheet_status)
                    .unwrap_or(SheetStatus::NotStarted),
            });
        }
        Ok(out)
    }

    /// Every submitted sheet of an entry, round by round (the rounds of its edition in
    /// order, each with its sheets and their judges' names): the organisers' drill-down
    /// of the results. An entry of another edition is not found.
    pub async fn entry_sheets(
        &self,
        edition: juri_domain::ids::EditionId,
        entry: EntryId,
    ) -> Result<Vec<(Round, Vec<(Assignment, String)>)>, StoreError> {
        let e = crate::entries::load_entry_pub(&self.db, entry).await?;
        if e.edition_id != edition {
            return Err(Error::NotFound.into());
        }
        let rows = assignments::Entity::find()
            .filter(assignments::Column::EntryId.eq(entry.as_uuid()))
            .filter(assignments::Column::SheetStatus.eq(SheetStatus::Submitted.as_str()))
            .order_by_asc(assignments::Column::Id)
            .all(&self.db)
            .await?;
        let mut values = values_of(&self.db, &rows).await?;
        let judges: Vec<UserId> = rows.iter().map(|r| UserId::from_uuid(r.judge_id)).collect();
        let names = self.user_names(&judges).await?;
        let mut out = Vec::new();
        for round in crate::rounds::load_rounds(&self.db, edition).await? {
            let mut sheets = Vec::new();
            for r in rows.iter().filter(|r| r.round_id == round.id.as_uuid()) {
                let a = to_assignment(r, values.remove(&r.id).unwrap_or_default())?;
                let name = names.get(&a.judge_id).cloned().unwrap_or_default();
                sheets.push((a, name));
            }
            out.push((round, sheets));
        }
        Ok(out)
    }

    /// One assignment with its round and entry, if `caller` may see it: the judge it
    /// belongs to, or an organiser. Anyone else: not found.
    pub async fn assignment_for(
        &self,
        id: AssignmentId,
        caller: &User,
    ) -> Result<(Assignment, Round, Entry, Vec<Assignment>), StoreError> {
        let (m, round, values, entry) = assignment_with_entry(&self.db, id).await?;
        if !(caller.role == Role::Organiser || m.judge_id == caller.id.as_uuid()) {
            return Err(Error::NotFound.into());
        }
        let a = to_assignment(&m, values)?;
        let peers = if caller.role == Role::Organiser
            || round::may_see_peer_sheets(&round, a.sheet.status)
        {
            let rows = assignments::Entity::find()
                .filter(assignments::Column::RoundId.eq(a.round_id.as_uuid()))
                .filter(assignments::Column::EntryId.eq(a.entry_id.as_uuid()))
                .filter(assignments::Column::Id.ne(a.id.as_uuid()))
                .filter(assignments::Column::SheetStatus.eq(SheetStatus::Submitted.as_str()))
                .order_by_asc(assignments::Column::Id)
                .all(&self.db)
                .await?;
            // Every peer's values in one query, not one per sheet.
            let mut values = values_of(&self.db, &rows).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let v = values.remove(&r.id).unwrap_or_default();
                out.push(to_assignment(&r, v)?);
            }
            out
        } else {
            Vec::new()
        };
        Ok((a, round, entry, peers))
    }

    /// One assignment as the judge it belongs to (or an organiser) sees it; anyone else:
    /// not found. See [`AssignmentDetail`].
    pub async fn assignment_detail(
        &self,
        id: AssignmentId,
        caller: &User,
    ) -> Result<AssignmentDetail, StoreError> {
        // The attachments are read beside the assignment, on another connection, not
        // after it: one round trip less on every view of a sheet. If the caller may not
        // see the assignment, they are dropped unseen.
        let ((assignment, round, entry, peers), attachments) = tokio::try_join!(
            self.assignment_for(id, caller),
            self.attachments_of_assignment(id)
        )?;
        let mut names = if round::peer_names_visible(&round, caller.role) {
            let ids: Vec<UserId> = peers.iter().map(|p| p.judge_id).collect();
            self.user_names(&ids).await?
        } else {
            HashMap::new()
        };
        let peers = peers
            .into_iter()
            .map(|p| {
                let name = names.remove(&p.judge_id);
                (p, name)
            })
            .collect();
        // A judge of a blind round never sees the names the submitter gave the files.
        let attachments = if round.blind && caller.role != Role::Organiser {
            juri_domain::attachment::blind_view(attachments)
        } else {
            attachments
        };
        Ok(AssignmentDetail {
            assignment,
            round,
            entry,
            attachments,
            peers,
        })
    }

    /// Save a draft sheet (replacing its values). `expected`: the version the judge
    /// last read; a stale one is refused.
    pub async fn save_sheet(
        &self,
        id: AssignmentId,
        judge: &User,
        values: Vec<ScoreValue>,
        comment: Option<String>,
        expected: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Assignment, StoreError> {
        // Read and check outside the write transaction, so the write lock (all of
        // SQLite) is held only for the writes; the conditional update (`write_sheet`)
        // re-checks what the reads decided (version, not submitted, round open).
        let (m, round) = assignment_in_round(&self.db, id).await?;
        let a = to_assignment(&m, Vec::new())?;
        if a.judge_id != judge.id {
            return Err(Error::NotFound.into());
        }
        round::check_save(&round, a.sheet.status, a.sheet.version, expected)?;
        rubric::check_values(&round.rubric, &values)?;
        let comment = round::sheet_comment(comment)?;
        // What is written, and answered without reading it back.
        let scores: Vec<ScoreValue> = values
            .into_iter()
            .map(|v| ScoreValue {
                comment: v
                    .comment
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty()),
                ..v
            })
            .collect();
        let write = SheetWrite {
            id,
            round: round.id,
            version: a.sheet.version,
            comment: comment.clone(),
            now,
            scores: scores.clone(),
            covers_rubric: scores.len() == round.rubric.criteria.len(),
        };
        let saved = match self.backend() {
            // Concurrent saves share a transaction (`group.rs`).
            Backend::Sqlite => self.saves.run(self, write).await?,
            Backend::Postgres => self.writer.query_one(&pg_save(&write)?).await?.is_some(),
        };
        if !saved {
            return Err(Error::Conflict(Message::new("conflict.sheet_changed")).into());
        }
        Ok(Assignment {
            sheet: Sheet {
                status: SheetStatus::Draft,
                version: a.sheet.version + 1,
                scores,
                comment,
                ..a.sheet
            },
            ..a
        })
    }

    /// Submit a sheet: every criterion must have a value; then it is read-only.
    pub async fn submit_sheet(
        &self,
        id: AssignmentId,
        judge: &User,
        now: DateTime<Utc>,
    ) -> Result<Assignment, StoreError> {
        // Read and check outside the write, as a save does: the update re-checks what
        // the read decided (the version, which every change to the sheet moves, and
        // that its round is open).
        let (m, round, values) = assignment_with_values(&self.db, id).await?;
        if m.judge_id != judge.id.as_uuid() {
            return Err(Error::NotFound.into());
        }
        let a = to_assignment(&m, values)?;
        round::check_submit(&round, a.sheet.status)?;
        rubric::check_complete(&round.rubric, &a.sheet.scores)?;
        let mut done = assignments::Entity::update_many()
            .col_expr(
                assignments::Column::SheetVersion,
                Expr::value(a.sheet.version + 1),
            )
            .col_expr(
                assignments::Column::SheetStatus,
                Expr::value(SheetStatus::Submitted.as_str()),
            )
            .col_expr(assignments::Column::SubmittedAt, Expr::value(now))
            .col_expr(assignments::Column::UpdatedAt, Expr::value(now))
            .filter(assignments::Column::Id.eq(id.as_uuid()))
            .filter(assignments::Column::SheetVersion.eq(a.sheet.version))
            .filter(assignments::Column::RoundId.in_subquery(open_round(round.id)))
            .into_query();
        let s = round.rubric.score(|c| {
            a.sheet
                .scores
                .iter()
                .find(|v| v.criterion_id == c)
                .and_then(|v| v.value)
        });
        let event = AuditRecord::new(Some(judge.id), "sheet.submitted", "assignment")
            .subject(id)
            // Where the sheet belongs, so the results can be replayed from the trail
            // alone (`juri audit results`).
            .after(json!({
                "scores": a.sheet.scores, "s_je": s,
                "round_id": a.round_id, "entry_id": a.entry_id, "judge_id": judge.id,
            }));
        let submitted = match self.backend() {
            Backend::Sqlite => {
                let txn = self.begin_write().await?;
                let done = txn.execute(&done).await?.rows_affected() == 1;
                if done {
                    audit::append(&txn, now, event).await?;
                    txn.commit().await?;
                }
                done
            }
            // One statement, one round trip: the event is written from the update's
            // RETURNING, so exactly when the update took.
            Backend::Postgres => {
                let submitted = Alias::new("submitted");
                let with = WithClause::new()
                    .cte(
                        CommonTableExpression::new()
                            .table_name(submitted.clone())
                            .query(done.returning_col(assignments::Column::Id).to_owned())
                            .to_owned(),
                    )
                    .to_owned();
                let write = audit::append_for_each(now, event, submitted)?.with(with);
                self.writer.execute(&write).await?.rows_affected() == 1
            }
        };
        if !submitted {
            return Err(Error::Conflict(Message::new("conflict.sheet_changed")).into());
        }
        Ok(Assignment {
            sheet: Sheet {
                status: SheetStatus::Submitted,
                version: a.sheet.version + 1,
                submitted_at: Some(now),
                ..a.sheet
            },
            ..a
        })
    }

    /// An organiser sends a submitted sheet back to draft, with a reason.
    pub async fn reopen_sheet(
        &self,
        id: AssignmentId,
        organiser: UserId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Assignment, StoreError> {
        let txn = self.begin_write().await?;
        let a = load_assignment(&txn, id).await?;
        let round = load_round(&txn, a.round_id).await?;
        let reason = round::check_reopen(&round, a.sheet.status, reason)?;
        assignments::Entity::update_many()
            .col_expr(
                assignments::Column::SheetVersion,
                Expr::value(a.sheet.version + 1),
            )
            .col_expr(
                assignments::Column::SheetStatus,
                Expr::value(SheetStatus::Draft.as_str()),
            )
            .col_expr(
                assignments::Column::SubmittedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                assignments::Column::ReopenedReason,
                Expr::value(reason.clone()),
            )
            .col_expr(assignments::Column::UpdatedAt, Expr::value(now))
            .filter(assignments::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(organiser), "sheet.reopened", "assignment")
                .subject(id)
                .after(json!({"reason": reason})),
        )
        .await?;
        let saved = load_assignment(&txn, id).await?;
        txn.commit().await?;
        Ok(saved)
    }
}

/// The values of the sheets `rows`, by assignment, in one query (criterion order).
async fn values_of<C: ConnectionTrait>(
    db: &C,
    rows: &[assignments::Model],
) -> Result<HashMap<uuid::Uuid, Vec<ScoreValue>>, StoreError> {
    let mut values: HashMap<uuid::Uuid, Vec<ScoreValue>> = HashMap::new();
    if rows.is_empty() {
        return Ok(values);
    }
    for s in scores::Entity::find()
        .filter(scores::Column::AssignmentId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(scores::Column::AssignmentId)
        .order_by_asc(scores::Column::CriterionId)
        .all(db)
        .await?
    {
        values.entry(s.assignment_id).or_default().push(ScoreValue {
            criterion_id: CriterionId::from_uuid(s.criterion_id),
            value: s.value,
            comment: s.comment,
        });
    }
    Ok(values)
}
