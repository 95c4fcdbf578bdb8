//! Rounds, rubrics, the panel, conflicts, assignments and score sheets.

use super::*;
use chrono::{DateTime, Utc};

/// How an entry's round score is made from its judges' scores (`judging.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    Mean,
    TrimmedMean,
    JudgeNormalised,
}

both_ways!(
    Aggregation = juri_domain::round::Aggregation {
        Mean,
        TrimmedMean,
        JudgeNormalised
    }
);

impl Default for Aggregation {
    fn default() -> Self {
        juri_domain::round::Aggregation::default().into()
    }
}

/// When a judge may see the other judges' sheets for the same entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeerSheets {
    Never,
    AfterSubmitting,
}

both_ways!(
    PeerSheets = juri_domain::round::PeerSheets {
        Never,
        AfterSubmitting
    }
);

impl Default for PeerSheets {
    fn default() -> Self {
        juri_domain::round::PeerSheets::default().into()
    }
}

/// A judging round.
/// Deserialize: read back from the audit trail (`round.created`/`round.updated`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Round {
    pub id: RoundId,
    pub edition_id: EditionId,
    pub name: String,
    pub position: i32,
    pub rubric: Rubric,
    /// `k`: judges per entry.
    pub judges_per_entry: u32,
    pub aggregation: Aggregation,
    /// `ρ_r`; `None` takes the default (the last round 1, earlier rounds 0).
    pub weight: Option<f64>,
    /// Judges do not see who submitted the entry.
    pub blind: bool,
    /// An entry is flagged when its scores span more than this.
    pub disagreement_threshold: f64,
    pub peer_sheets: PeerSheets,
    /// Judges see each other's names (where they see each other's sheets).
    pub judge_names_visible: bool,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<juri_domain::round::Round> for Round {
    fn from(v: juri_domain::round::Round) -> Self {
        Round {
            id: v.id.into(),
            edition_id: v.edition_id.into(),
            name: v.name,
            position: v.position,
            rubric: v.rubric.into(),
            judges_per_entry: v.judges_per_entry,
            aggregation: v.aggregation.into(),
            weight: v.weight,
            blind: v.blind,
            disagreement_threshold: v.disagreement_threshold,
            peer_sheets: v.peer_sheets.into(),
            judge_names_visible: v.judge_names_visible,
            closed_at: v.closed_at,
            created_at: v.created_at,
        }
    }
}

/// Where a score sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SheetStatus {
    /// Assigned, nothing saved yet.
    NotStarted,
    Draft,
    Submitted,
}

both_ways!(
    SheetStatus = juri_domain::round::SheetStatus {
        NotStarted,
        Draft,
        Submitted
    }
);

/// A judge on an edition's panel.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PanelMember {
    pub judge_id: UserId,
    pub name: String,
    pub email: String,
    pub organisation_id: Option<OrganisationId>,
    /// Fields (of this edition) the judge is expert in.
    pub expertise: Vec<FieldId>,
    pub added_at: DateTime<Utc>,
}

impl From<juri_domain::round::PanelMember> for PanelMember {
    fn from(v: juri_domain::round::PanelMember) -> Self {
        PanelMember {
            judge_id: v.judge_id.into(),
            name: v.name,
            email: v.email,
            organisation_id: v.organisation_id.map(Into::into),
            expertise: v.expertise.into_iter().map(Into::into).collect(),
            added_at: v.added_at,
        }
    }
}

/// How an assignment came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Auto,
    Manual,
}

both_ways!(Origin = juri_domain::round::Origin { Auto, Manual });

/// A judge's score sheet for one entry in one round.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Sheet {
    pub status: SheetStatus,
    /// Bumped by every save; send it back to save again.
    pub version: i64,
    pub scores: Vec<ScoreValue>,
    pub comment: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reopened_reason: Option<String>,
}

impl From<juri_domain::round::Sheet> for Sheet {
    fn from(v: juri_domain::round::Sheet) -> Self {
        Sheet {
            status: v.status.into(),
            version: v.version,
            scores: v.scores.into_iter().map(Into::into).collect(),
            comment: v.comment,
            submitted_at: v.submitted_at,
            reopened_reason: v.reopened_reason,
        }
    }
}

/// One judge assigned to one entry in one round.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Assignment {
    pub id: AssignmentId,
    pub round_id: RoundId,
    pub entry_id: EntryId,
    pub judge_id: UserId,
    pub origin: Origin,
    pub sheet: Sheet,
    pub created_at: DateTime<Utc>,
}

impl From<juri_domain::round::Assignment> for Assignment {
    fn from(v: juri_domain::round::Assignment) -> Self {
        Assignment {
            id: v.id.into(),
            round_id: v.round_id.into(),
            entry_id: v.entry_id.into(),
            judge_id: v.judge_id.into(),
            origin: v.origin.into(),
            sheet: v.sheet.into(),
            created_at: v.created_at,
        }
    }
}

/// The body of a sheet save (`PUT /api/v1/assignments/{id}/sheet`), as the judge sends
/// it: checked by [`check_save`], [`crate::rubric::check_values`] and [`sheet_comment`].
// Documents the body; the domain type reads it (routes::judging::SheetBody).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SheetInput {
    #[serde(default)]
    pub scores: Vec<ScoreValue>,
    pub comment: Option<String>,
    /// The version the judge read (alternative to `If-Match`).
    pub version: Option<i64>,
}

/// One criterion of a rubric.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Criterion {
    pub id: CriterionId,
    pub name: String,
    /// What low and high scores mean, for the judge.
    pub description: String,
    /// `w_c > 0`; weights need not sum to 100.
    pub weight: f64,
    pub min: i32,
    pub max: i32,
}

impl From<juri_domain::rubric::Criterion> for Criterion {
    fn from(v: juri_domain::rubric::Criterion) -> Self {
        Criterion {
            id: v.id.into(),
            name: v.name,
            description: v.description,
            weight: v.weight,
            min: v.min,
            max: v.max,
        }
    }
}

/// The ordered criteria of a round.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Rubric {
    pub criteria: Vec<Criterion>,
}

impl From<juri_domain::rubric::Rubric> for Rubric {
    fn from(v: juri_domain::rubric::Rubric) -> Self {
        Rubric {
            criteria: v.criteria.into_iter().map(Into::into).collect(),
        }
    }
}

/// A criterion as an organiser writes it, before it has an id.
// Documents the body; the domain type reads it (routes::judging::RubricBody).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionInput {
    /// Keep an existing criterion (and the draft values given to it) when a rubric is
    /// edited; absent for a new criterion.
    #[serde(default)]
    pub id: Option<CriterionId>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub weight: f64,
    pub min: i32,
    pub max: i32,
}

/// One value on a sheet.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScoreValue {
    pub criterion_id: CriterionId,
    pub value: Option<i32>,
    #[serde(default)]
    pub comment: Option<String>,
}

impl From<juri_domain::rubric::ScoreValue> for ScoreValue {
    fn from(v: juri_domain::rubric::ScoreValue) -> Self {
        ScoreValue {
            criterion_id: v.criterion_id.into(),
            value: v.value,
            comment: v.comment,
        }
    }
}

impl From<ScoreValue> for juri_domain::rubric::ScoreValue {
    fn from(v: ScoreValue) -> Self {
        juri_domain::rubric::ScoreValue {
            criterion_id: v.criterion_id.into(),
            value: v.value,
            comment: v.comment,
        }
    }
}

/// Why a judge declared a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    Institutional,
    Family,
    Collaborator,
    Supervisor,
    Other,
}

both_ways!(
    ConflictKind = juri_domain::conflict::ConflictKind {
        Institutional,
        Family,
        Collaborator,
        Supervisor,
        Other
    }
);

/// What a declared conflict is with.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "with", content = "id")]
pub enum ConflictTarget {
    Entry(EntryId),
    Organisation(OrganisationId),
}

impl From<juri_domain::conflict::ConflictTarget> for ConflictTarget {
    fn from(t: juri_domain::conflict::ConflictTarget) -> Self {
        use juri_domain::conflict::ConflictTarget as T;
        match t {
            T::Entry(id) => Self::Entry(id.into()),
            T::Organisation(id) => Self::Organisation(id.into()),
        }
    }
}

/// A conflict as declared and recorded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeclaredConflict {
    pub id: ConflictId,
    pub judge_id: UserId,
    pub target: ConflictTarget,
    pub kind: ConflictKind,
    pub reason: String,
    pub declared_by: UserId,
    pub created_at: DateTime<Utc>,
}

impl From<juri_domain::conflict::DeclaredConflict> for DeclaredConflict {
    fn from(v: juri_domain::conflict::DeclaredConflict) -> Self {
        DeclaredConflict {
            id: v.id.into(),
            judge_id: v.judge_id.into(),
            target: v.target.into(),
            kind: v.kind.into(),
            reason: v.reason,
            declared_by: v.declared_by.into(),
            created_at: v.created_at,
        }
    }
}

/// Progress of a round.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub sheets_submitted: usize,
    pub sheets_total: usize,
    pub judges: Vec<Count>,
    pub entries: Vec<Count>,
}

impl From<juri_persistence::Progress> for Progress {
    fn from(v: juri_persistence::Progress) -> Self {
        Progress {
            sheets_submitted: v.sheets_submitted,
            sheets_total: v.sheets_total,
            judges: v.judges.into_iter().map(Into::into).collect(),
            entries: v.entries.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Count {
    pub id: String,
    pub name: String,
    pub submitted: usize,
    pub total: usize,
}

impl From<juri_persistence::Count> for Count {
    fn from(v: juri_persistence::Count) -> Self {
        Count {
            id: v.id,
            name: v.name,
            submitted: v.submitted,
            total: v.total,
        }
    }
}

/// What a judge works on.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyAssignment {
    pub id: AssignmentId,
    pub round_id: RoundId,
    pub round_name: String,
    pub round_closed: bool,
    pub entry_id: EntryId,
    pub entry_title: String,
    pub sheet_status: SheetStatus,
}

impl From<juri_persistence::MyAssignment> for MyAssignment {
    fn from(v: juri_persistence::MyAssignment) -> Self {
        MyAssignment {
            id: v.id.into(),
            round_id: v.round_id.into(),
            round_name: v.round_name,
            round_closed: v.round_closed,
            entry_id: v.entry_id.into(),
            entry_title: v.entry_title,
            sheet_status: v.sheet_status.into(),
        }
    }
}

/// What the automatic assignment did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

impl From<juri_persistence::AutoAssignment> for AutoAssignment {
    fn from(v: juri_persistence::AutoAssignment) -> Self {
        AutoAssignment {
            entries: v.entries,
            judges: v.judges,
            added: v.added,
            total_pairs: v.total_pairs,
            target_cap: v.target_cap,
            cap: v.cap,
            cap_raised: v.cap_raised,
            min_load: v.min_load,
            max_load: v.max_load,
            expertise_matches: v.expertise_matches,
        }
    }
}

/// An entry that could not get its judges, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Shortfall {
    pub entry_id: EntryId,
    pub title: String,
    pub available: usize,
    pub needed: usize,
}

impl From<juri_persistence::Shortfall> for Shortfall {
    fn from(v: juri_persistence::Shortfall) -> Self {
        Shortfall {
            entry_id: v.entry_id.into(),
            title: v.title,
            available: v.available,
            needed: v.needed,
        }
    }
}

/// A conflict declaration and what it changed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

impl From<juri_persistence::ConflictOutcome> for ConflictOutcome {
    fn from(v: juri_persistence::ConflictOutcome) -> Self {
        ConflictOutcome {
            conflict: v.conflict.into(),
            recused: v.recused.into_iter().map(Into::into).collect(),
            recused_count: v.recused_count,
            reassigned: v
                .reassigned
                .into_iter()
                .map(|(a, b)| (a.into(), b.into()))
                .collect(),
            unfilled: v.unfilled.into_iter().map(Into::into).collect(),
        }
    }
}
