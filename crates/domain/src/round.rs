//! Judging rounds and score sheets: a round's settings, its life (open → closed), the
//! rules of a sheet (draft → submitted → reopened) and who may see what.

use crate::Message;
use crate::ids::{EditionId, RoundId};
use crate::rubric::Rubric;
use crate::{Error, FieldError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How an entry's round score is made from its judges' scores (`judging.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    #[default]
    Mean,
    TrimmedMean,
    JudgeNormalised,
}

impl Aggregation {
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregation::Mean => "mean",
            Aggregation::TrimmedMean => "trimmed_mean",
            Aggregation::JudgeNormalised => "judge_normalised",
        }
    }

    pub fn parse(s: &str) -> Option<Aggregation> {
        [
            Aggregation::Mean,
            Aggregation::TrimmedMean,
            Aggregation::JudgeNormalised,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// When a judge may see the other judges' sheets for the same entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PeerSheets {
    #[default]
    Never,
    AfterSubmitting,
}

impl PeerSheets {
    pub fn as_str(self) -> &'static str {
        match self {
            PeerSheets::Never => "never",
            PeerSheets::AfterSubmitting => "after_submitting",
        }
    }

    pub fn parse(s: &str) -> Option<PeerSheets> {
        [PeerSheets::Never, PeerSheets::AfterSubmitting]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// Default disagreement threshold, in points of `S_je`.
pub const DEFAULT_DISAGREEMENT: f64 = 25.0;

/// A judging round.
/// Deserialize: read back from the audit trail (`round.created`/`round.updated`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// The settings an organiser gives a round.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundSettings {
    pub name: String,
    pub position: i32,
    pub judges_per_entry: u32,
    pub aggregation: Aggregation,
    pub weight: Option<f64>,
    pub blind: bool,
    pub disagreement_threshold: f64,
    pub peer_sheets: PeerSheets,
    pub judge_names_visible: bool,
}

impl RoundSettings {
    /// The settings of an existing round, to change some of them.
    pub fn of(round: &Round) -> RoundSettings {
        RoundSettings {
            name: round.name.clone(),
            position: round.position,
            judges_per_entry: round.judges_per_entry,
            aggregation: round.aggregation,
            weight: round.weight,
            blind: round.blind,
            disagreement_threshold: round.disagreement_threshold,
            peer_sheets: round.peer_sheets,
            judge_names_visible: round.judge_names_visible,
        }
    }

    pub fn check(self) -> Result<RoundSettings, Error> {
        let mut errors = Vec::new();
        let name = self.name.trim().to_owned();
        if !(2..=120).contains(&name.chars().count()) {
            errors.push(FieldError::new(
                "name",
                "invalid_name",
                Message::new("field.round.invalid_name"),
            ));
        }
        if !(1..=100).contains(&self.position) {
            errors.push(FieldError::new(
                "position",
                "out_of_range",
                Message::new("field.round.out_of_range"),
            ));
        }
        if !(1..=20).contains(&self.judges_per_entry) {
            errors.push(FieldError::new(
                "judges_per_entry",
                "out_of_range",
                Message::new("field.round.out_of_range.judges_per_entry"),
            ));
        }
        if self
            .weight
            .is_some_and(|w| !(w.is_finite() && (0.0..=1_000.0).contains(&w)))
        {
            errors.push(FieldError::new(
                "weight",
                "invalid_weight",
                Message::new("field.round.invalid_weight"),
            ));
        }
        if !(self.disagreement_threshold.is_finite()
            && (0.0..=100.0).contains(&self.disagreement_threshold))
        {
            errors.push(FieldError::new(
                "disagreement_threshold",
                "out_of_range",
                Message::new("field.round.out_of_range.disagreement_threshold"),
            ));
        }
        if errors.is_empty() {
            Ok(RoundSettings { name, ..self })
        } else {
            Err(Error::Invalid(errors))
        }
    }
}

impl Round {
    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }

    /// Sheets may be written while the round is open.
    pub fn check_open(&self) -> Result<(), Error> {
        if self.is_closed() {
            Err(Error::Conflict(Message::new("conflict.round_closed")))
        } else {
            Ok(())
        }
    }

    /// The rubric may change until the first sheet of the round is submitted.
    pub fn check_rubric_editable(&self, any_submitted: bool) -> Result<(), Error> {
        self.check_open()?;
        if any_submitted {
            Err(Error::Conflict(Message::new("conflict.rubric_frozen")))
        } else {
            Ok(())
        }
    }
}

/// Where a score sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetStatus {
    /// Assigned, nothing saved yet.
    NotStarted,
    Draft,
    Submitted,
}

impl SheetStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SheetStatus::NotStarted => "not_started",
            SheetStatus::Draft => "draft",
            SheetStatus::Submitted => "submitted",
        }
    }

    pub fn parse(s: &str) -> Option<SheetStatus> {
        [
            SheetStatus::NotStarted,
            SheetStatus::Draft,
            SheetStatus::Submitted,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// May the judge save a draft of this sheet? Not once submitted, not in a closed round,
/// not from a stale copy.
pub fn check_save(
    round: &Round,
    status: SheetStatus,
    version: i64,
    expected: Option<i64>,
) -> Result<(), Error> {
    round.check_open()?;
    if status == SheetStatus::Submitted {
        return Err(Error::Conflict(Message::new("conflict.sheet_read_only")));
    }
    if expected.is_some_and(|v| v != version) {
        return Err(Error::Conflict(Message::new(
            "conflict.sheet_saved_elsewhere",
        )));
    }
    Ok(())
}

/// May the judge submit the sheet? Also requires every criterion scored
/// ([`crate::rubric::check_complete`]).
pub fn check_submit(round: &Round, status: SheetStatus) -> Result<(), Error> {
    round.check_open()?;
    if status == SheetStatus::Submitted {
        return Err(Error::Conflict(Message::new(
            "conflict.sheet_already_submitted",
        )));
    }
    Ok(())
}

/// May an organiser reopen the sheet? Only a submitted one, in an open round, with a reason.
pub fn check_reopen(round: &Round, status: SheetStatus, reason: &str) -> Result<String, Error> {
    round.check_open()?;
    if status != SheetStatus::Submitted {
        return Err(Error::Conflict(Message::new(
            "conflict.sheet_not_submitted",
        )));
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 2_000 {
        return Err(Error::invalid(
            "reason",
            "required",
            Message::new("field.round.required"),
        ));
    }
    Ok(reason.to_owned())
}

/// May a judge see the other judges' sheets of an entry they are assigned to?
pub fn may_see_peer_sheets(round: &Round, own: SheetStatus) -> bool {
    round.peer_sheets == PeerSheets::AfterSubmitting && own == SheetStatus::Submitted
}

/// What a peer's sheet is labelled with for `viewer`: the judge's name when the round
/// shows judge names (always to an organiser), otherwise "Juri N" by position, so a
/// judge can tell sheets apart without learning who wrote them.
pub fn peer_label(round: &Round, viewer: crate::user::Role, index: usize, name: &str) -> String {
    if peer_names_visible(round, viewer) {
        name.to_owned()
    } else {
        format!("Juri {}", index + 1)
    }
}

/// Are peers' names shown to `viewer` in this round?
pub fn peer_names_visible(round: &Round, viewer: crate::user::Role) -> bool {
    viewer == crate::user::Role::Organiser || round.judge_names_visible
}

/// A judge on an edition's panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PanelMember {
    pub judge_id: crate::ids::UserId,
    pub name: String,
    pub email: String,
    pub organisation_id: Option<crate::ids::OrganisationId>,
    /// Fields (of this edition) the judge is expert in.
    pub expertise: Vec<crate::ids::FieldId>,
    pub added_at: DateTime<Utc>,
}

/// How an assignment came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Auto,
    Manual,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Auto => "auto",
            Origin::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Origin> {
        match s {
            "auto" => Some(Origin::Auto),
            "manual" => Some(Origin::Manual),
            _ => None,
        }
    }
}

/// A judge's score sheet for one entry in one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sheet {
    pub status: SheetStatus,
    /// Bumped by every save; send it back to save again.
    pub version: i64,
    pub scores: Vec<crate::rubric::ScoreValue>,
    pub comment: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reopened_reason: Option<String>,
}

/// One judge assigned to one entry in one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    pub id: crate::ids::AssignmentId,
    pub round_id: RoundId,
    pub entry_id: crate::ids::EntryId,
    pub judge_id: crate::ids::UserId,
    pub origin: Origin,
    pub sheet: Sheet,
    pub created_at: DateTime<Utc>,
}

/// The body of a sheet save (`PUT /api/v1/assignments/{id}/sheet`), as the judge sends
/// it: checked by [`check_save`], [`crate::rubric::check_values`] and [`sheet_comment`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetInput {
    #[serde(default)]
    pub scores: Vec<crate::rubric::ScoreValue>,
    pub comment: Option<String>,
    /// The version the judge read (alternative to `If-Match`).
    pub version: Option<i64>,
}

/// A sheet's general comment: trimmed, at most 10,000 characters.
pub fn sheet_comment(raw: Option<String>) -> Result<Option<String>, Error> {
    let c = raw.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if c.as_ref().is_some_and(|c| c.chars().count() > 10_000) {
        return Err(Error::invalid(
            "comment",
            "too_long",
            Message::new("field.round.too_long"),
        ));
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::CriterionInput;

    fn round() -> Round {
        Round {
            id: RoundId::new(),
            edition_id: EditionId::new(),
            name: "Evaluasi Dokumen".into(),
            position: 1,
            rubric: Rubric::parse(vec![CriterionInput {
                id: None,
                name: "Kebaruan".into(),
                description: String::new(),
                weight: 1.0,
                min: 1,
                max: 10,
            }])
            .expect("rubric"),
            judges_per_entry: 3,
            aggregation: Aggregation::Mean,
            weight: None,
            blind: true,
            disagreement_threshold: DEFAULT_DISAGREEMENT,
            peer_sheets: PeerSheets::Never,
            judge_names_visible: false,
            closed_at: None,
            created_at: DateTime::from_timestamp(0, 0).unwrap_or_default(),
        }
    }

    #[test]
    fn drafts_are_saved_until_submitted_and_never_from_a_stale_copy() {
        let r = round();
        assert_eq!(check_save(&r, SheetStatus::NotStarted, 0, None), Ok(()));
        assert_eq!(check_save(&r, SheetStatus::Draft, 3, Some(3)), Ok(()));
        assert!(matches!(
            check_save(&r, SheetStatus::Draft, 4, Some(3)),
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            check_save(&r, SheetStatus::Submitted, 3, None),
            Err(Error::Conflict(_))
        ));
    }

    #[test]
    fn a_closed_round_takes_no_writes() {
        let mut r = round();
        r.closed_at = Some(DateTime::from_timestamp(10, 0).unwrap_or_default());
        assert!(check_save(&r, SheetStatus::Draft, 0, None).is_err());
        assert!(check_submit(&r, SheetStatus::Draft).is_err());
        assert!(check_reopen(&r, SheetStatus::Submitted, "x").is_err());
        assert!(r.check_rubric_editable(false).is_err());
    }

    #[test]
    fn submit_once_and_reopen_with_a_reason() {
        let r = round();
        assert_eq!(check_submit(&r, SheetStatus::Draft), Ok(()));
        assert!(matches!(
            check_submit(&r, SheetStatus::Submitted),
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            check_reopen(&r, SheetStatus::Submitted, "  "),
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            check_reopen(&r, SheetStatus::Draft, "salah ketik"),
            Err(Error::Conflict(_))
        ));
        assert_eq!(
            check_reopen(&r, SheetStatus::Submitted, " salah ketik "),
            Ok("salah ketik".to_owned())
        );
    }

    #[test]
    fn the_rubric_freezes_at_the_first_submitted_sheet() {
        let r = round();
        assert_eq!(r.check_rubric_editable(false), Ok(()));
        assert!(r.check_rubric_editable(true).is_err());
    }

    #[test]
    fn peer_sheets_only_after_submitting_and_only_if_allowed() {
        let mut r = round();
        assert!(!may_see_peer_sheets(&r, SheetStatus::Submitted));
        r.peer_sheets = PeerSheets::AfterSubmitting;
        assert!(!may_see_peer_sheets(&r, SheetStatus::Draft));
        assert!(may_see_peer_sheets(&r, SheetStatus::Submitted));
    }

    #[test]
    fn peers_are_named_only_where_the_round_says_so_or_to_organisers() {
        use crate::user::Role;
        let mut r = round();
        assert_eq!(peer_label(&r, Role::Judge, 1, "Dr. Rina"), "Juri 2");
        assert_eq!(peer_label(&r, Role::Organiser, 1, "Dr. Rina"), "Dr. Rina");
        assert!(!peer_names_visible(&r, Role::Judge));
        r.judge_names_visible = true;
        assert_eq!(peer_label(&r, Role::Judge, 0, "Dr. Rina"), "Dr. Rina");
        assert!(peer_names_visible(&r, Role::Judge));
    }

    #[test]
    fn settings_are_checked() {
        let s = RoundSettings {
            name: "X".into(),
            position: 0,
            judges_per_entry: 0,
            aggregation: Aggregation::Mean,
            weight: Some(-1.0),
            blind: true,
            disagreement_threshold: 101.0,
            peer_sheets: PeerSheets::Never,
            judge_names_visible: false,
        };
        let Err(Error::Invalid(errors)) = s.check() else {
            panic!("expected invalid");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "name",
                "position",
                "judges_per_entry",
                "weight",
                "disagreement_threshold"
            ]
        );
    }
}
