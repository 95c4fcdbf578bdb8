//! Assignments and score sheets: starting a round, the automatic assignment (the
//! optimal one of `juri_domain::assignment`), assignments by hand, conflicts with
//! recusal and reassignment, saving and submitting sheets with version checks,
//! progress, closing a round and advancing its best entries.

use crate::audit::{self, AuditRecord};
use crate::editions::load_edition;
use crate::entities::{assignments, criteria, editions, entries, round_entries, rounds, scores};
use crate::entries::to_entry;
use crate::group::{GroupWrite, WriteFuture};
use crate::outbox;
use crate::rounds::{
    declared_conflicts, insert_conflict, load_panel, load_round, load_rounds, to_round,
};
use crate::{Backend, Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::assignment::{self, AssignError, EntryNode, JudgeNode, Problem, Solution};
use juri_domain::attachment::Attachment;
use juri_domain::conflict::{
    self, ConflictKind, ConflictTarget, DeclaredConflict, EntryFacts, JudgeFacts,
};
use juri_domain::edition::Phase;
use juri_domain::entry::{Entry, Status};
use juri_domain::ids::{AssignmentId, CriterionId, EntryId, RoundId, TrackId, UserId};
use juri_domain::notification::{self, Notice};
use juri_domain::round::{self, Assignment, Origin, PanelMember, Round, Sheet, SheetStatus};
use juri_domain::rubric::{self, ScoreValue};
use juri_domain::scoring::{self, AdvanceRule, SheetScore};
use juri_domain::user::{Role, User};
use sea_orm::sea_query::{
    Alias, CommonTableExpression, Expr, ExprTrait, InsertStatement, OnConflict, Query,
    SelectStatement, UpdateStatement, Values, WithClause, WithQuery,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

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

/// What the automatic assignment did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Progress of a round.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub sheets_submitted: usize,
    pub sheets_total: usize,
    pub judges: Vec<Count>,
    pub entries: Vec<Count>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    pub id: String,
    pub name: String,
    pub submitted: usize,
    pub total: usize,
}

/// A submitted sheet of a round, as the organiser sees it to send it back.
#[derive(Debug, Clone, Serialize)]
pub struct SubmittedSheet {
    pub id: AssignmentId,
    pub judge_name: String,
    pub entry_title: String,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// A conflict declaration and what it changed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// What a judge works on.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyAssignment {
    pub id: AssignmentId,
    pub round_id: RoundId,
    pub round_name: String,
    pub round_closed: bool,
    pub entry_id: EntryId,
    pub entry_title: String,
    pub sheet_status: SheetStatus,
}

fn to_assignment(
    m: &assignments::Model,
    values: Vec<ScoreValue>,
) -> Result<Assignment, StoreError> {
    let corrupt = |what: &str| StoreError::Internal(format!("assignment {}: bad {what}", m.id));
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
        round.ok_or_else(|| StoreError::Internal(format!("assignment {}: no round", a.id)))?;
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
        round.ok_or_else(|| StoreError::Internal(format!("assignment {}: no round", a.id)))?;
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
    let missing = |what: &str| StoreError::Internal(format!("assignment {}: no {what}", a.id));
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
pub(crate) struct SheetWrite {
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
        .map_err(|e| StoreError::Internal(format!("sheet values: {e}")))?
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

/// The entries in a round.
async fn round_entry_rows<C: ConnectionTrait>(
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

async fn round_assignments<C: ConnectionTrait>(
    db: &C,
    round: RoundId,
) -> Result<Vec<assignments::Model>, StoreError> {
    Ok(assignments::Entity::find()
        .filter(assignments::Column::RoundId.eq(round.as_uuid()))
        .order_by_asc(assignments::Column::Id)
        .all(db)
        .await?)
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

fn team_of(e: &Entry) -> Vec<(String, Option<String>)> {
    e.content
        .team
        .iter()
        .map(|m| (m.name.clone(), m.email.clone()))
        .collect()
}

/// Which (entry, judge) pairs conflict, by the one rule.
fn conflicted_pairs(
    entries: &[Entry],
    panel: &[PanelMember],
    declared: &[DeclaredConflict],
) -> HashSet<(EntryId, UserId)> {
    let mut out = HashSet::new();
    let teams: Vec<Vec<(String, Option<String>)>> = entries.iter().map(team_of).collect();
    for j in panel {
        let mine: Vec<ConflictTarget> = declared
            .iter()
            .filter(|c| c.judge_id == j.judge_id)
            .map(|c| c.target)
            .collect();
        let facts = JudgeFacts {
            id: j.judge_id,
            organisation: j.organisation_id,
            email: &j.email,
            name: &j.name,
            declared: &mine,
        };
        for (e, team) in entries.iter().zip(&teams) {
            let ef = EntryFacts {
                id: e.id,
                submitter: e.submitter_id,
                organisation: e.content.organisation_id,
                team,
            };
            if conflict::has_conflict(&facts, &ef) {
                out.insert((e.id, j.judge_id));
            }
        }
    }
    out
}

/// Run the optimal assignment over a round, keeping every existing pair, and insert the
/// pairs it adds.
async fn fill_round<C: ConnectionTrait>(
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
            return Err(StoreError::Internal("assignment: unknown participant".to_owned()).into());
        }
    };
    let rows: Vec<assignments::ActiveModel> = solution
        .added
        .iter()
        .map(|(e, j)| assignments::ActiveModel {
            id: Set(AssignmentId::new().as_uuid()),
            round_id: Set(round.id.as_uuid()),
            entry_id: Set(e.as_uuid()),
            judge_id: Set(j.as_uuid()),
            origin: Set(Origin::Auto.as_str().to_owned()),
            sheet_status: Set(SheetStatus::NotStarted.as_str().to_owned()),
            sheet_comment: Set(None),
            sheet_version: Set(0),
            submitted_at: Set(None),
            reopened_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
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

fn open_round_error() -> Error {
    Error::Conflict(Message::new("conflict.round_closed"))
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
        let txn = self.begin_write().await?;
        let round = load_round(&txn, round_id).await?;
        round.check_open()?;
        ensure_round_entries(&txn, &round, actor, now).await?;
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
        let panel = load_panel(&txn, round.edition_id).await?;
        let Some(member) = panel.iter().find(|p| p.judge_id == judge) else {
            return Err(Error::invalid(
                "judge_id",
                "not_on_panel",
                Message::new("field.judging.not_on_panel"),
            )
            .into());
        };
        let e = crate::entries::load_entry_pub(&txn, entry).await?;
        let declared = declared_conflicts(&txn, &[judge]).await?;
        if !conflicted_pairs(
            std::slice::from_ref(&e),
            std::slice::from_ref(member),
            &declared,
        )
        .is_empty()
        {
            return Err(Error::Conflict(Message::new("conflict.judge_has_conflict")).into());
        }
        let m = assignments::ActiveModel {
            id: Set(AssignmentId::new().as_uuid()),
            round_id: Set(round_id.as_uuid()),
            entry_id: Set(entry.as_uuid()),
            judge_id: Set(judge.as_uuid()),
            origin: Set(Origin::Manual.as_str().to_owned()),
            sheet_status: Set(SheetStatus::NotStarted.as_str().to_owned()),
            sheet_comment: Set(None),
            sheet_version: Set(0),
            submitted_at: Set(None),
            reopened_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
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
        notify_assigned(&txn, &round, &[judge], now).await?;
        let a = to_assignment(&m, vec![])?;
        txn.commit().await?;
        Ok(a)
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
            let mut values: HashMap<uuid::Uuid, Vec<ScoreValue>> = HashMap::new();
            if !rows.is_empty() {
                for s in scores::Entity::find()
                    .filter(scores::Column::AssignmentId.is_in(rows.iter().map(|r| r.id)))
                    .order_by_asc(scores::Column::AssignmentId)
                    .order_by_asc(scores::Column::CriterionId)
                    .all(&self.db)
                    .await?
                {
                    values.entry(s.assignment_id).or_default().push(ScoreValue {
                        criterion_id: CriterionId::from_uuid(s.criterion_id),
                        value: s.value,
                        comment: s.comment,
                    });
                }
            }
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
