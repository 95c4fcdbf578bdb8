//! An edition of the awards (e.g. "Bangka Innovation Awards 2025"): its timeline, its
//! fields (bidang) and tracks (kategori peserta), and the phase it is in. The phase is
//! derived from the dates and the organisers' actions, never stored, and every write
//! asks it first.

use crate::Message;
use crate::ids::{EditionId, FieldId, TrackId};
use crate::user::SubmitterKind;
use crate::{Error, FieldError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where an edition is in its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before submissions open: fields, tracks and the timeline are being set up.
    SetUp,
    /// Submissions are open.
    Open,
    /// The deadline has passed; organisers screen what was submitted.
    Screening,
    /// The first judging round has started.
    Judging,
    /// Winners are recorded, not yet published.
    Decided,
    /// Results are published and frozen.
    Published,
}

/// How entries are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankingScope {
    PerTrack,
    PerTrackAndField,
}

impl RankingScope {
    pub fn as_str(self) -> &'static str {
        match self {
            RankingScope::PerTrack => "per_track",
            RankingScope::PerTrackAndField => "per_track_and_field",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "per_track" => Some(RankingScope::PerTrack),
            "per_track_and_field" => Some(RankingScope::PerTrackAndField),
            _ => None,
        }
    }
}

/// One edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edition {
    pub id: EditionId,
    pub name: String,
    pub year: i32,
    pub submission_opens_at: DateTime<Utc>,
    pub submission_closes_at: DateTime<Utc>,
    pub blind_judging: bool,
    pub ranking_scope: RankingScope,
    pub judging_started_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// The values of a new edition, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionDraft {
    pub name: String,
    pub year: i32,
    pub submission_opens_at: DateTime<Utc>,
    pub submission_closes_at: DateTime<Utc>,
    pub blind_judging: bool,
    pub ranking_scope: RankingScope,
}

/// A requested change; `None` leaves a value as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditionChange {
    pub name: Option<String>,
    pub year: Option<i32>,
    pub submission_opens_at: Option<DateTime<Utc>>,
    pub submission_closes_at: Option<DateTime<Utc>>,
    pub blind_judging: Option<bool>,
    pub ranking_scope: Option<RankingScope>,
}

fn check_name(name: &str) -> Result<String, FieldError> {
    let s = name.trim();
    let n = s.chars().count();
    if !(3..=200).contains(&n) || s.chars().any(char::is_control) {
        return Err(FieldError::new(
            "name",
            "invalid_name",
            Message::new("field.edition.invalid_name"),
        ));
    }
    Ok(s.to_owned())
}

fn check_year(year: i32) -> Result<i32, FieldError> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(FieldError::new(
            "year",
            "out_of_range",
            Message::new("field.edition.out_of_range"),
        ))
    }
}

fn check_window(opens: DateTime<Utc>, closes: DateTime<Utc>) -> Result<(), FieldError> {
    if opens < closes {
        Ok(())
    } else {
        Err(FieldError::new(
            "submission_closes_at",
            "closes_before_opens",
            Message::new("field.edition.closes_before_opens"),
        ))
    }
}

/// `key` names what cannot change (`conflict.deadline_frozen`).
fn frozen(key: &'static str, phase: Phase) -> Error {
    Error::Conflict(Message::new(key).with("phase", format!("{phase:?}")))
}

impl EditionDraft {
    pub fn parse(
        name: &str,
        year: i32,
        opens: DateTime<Utc>,
        closes: DateTime<Utc>,
        blind_judging: bool,
        ranking_scope: RankingScope,
    ) -> Result<Self, Error> {
        let mut errors = Vec::new();
        let name = check_name(name).map_err(|e| errors.push(e)).ok();
        let year = check_year(year).map_err(|e| errors.push(e)).ok();
        if let Err(e) = check_window(opens, closes) {
            errors.push(e);
        }
        match (name, year) {
            (Some(name), Some(year)) if errors.is_empty() => Ok(EditionDraft {
                name,
                year,
                submission_opens_at: opens,
                submission_closes_at: closes,
                blind_judging,
                ranking_scope,
            }),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

impl Edition {
    pub fn phase(&self, now: DateTime<Utc>) -> Phase {
        if self.published_at.is_some() {
            Phase::Published
        } else if self.decided_at.is_some() {
            Phase::Decided
        } else if self.judging_started_at.is_some() {
            Phase::Judging
        } else if now < self.submission_opens_at {
            Phase::SetUp
        } else if now < self.submission_closes_at {
            Phase::Open
        } else {
            Phase::Screening
        }
    }

    /// May a non-organiser see this edition at `now`? Once submissions have opened.
    pub fn is_announced(&self, now: DateTime<Utc>) -> bool {
        self.phase(now) != Phase::SetUp
    }

    /// Is the submission window open at `now`? Opening is inclusive, the deadline is
    /// not: at the deadline's second, submissions are closed.
    pub fn accepts_submissions(&self, now: DateTime<Utc>) -> Result<(), Error> {
        match self.phase(now) {
            Phase::Open => Ok(()),
            Phase::SetUp => Err(Error::Conflict(Message::new(
                "conflict.submissions_not_open",
            ))),
            _ => Err(Error::Conflict(Message::new("conflict.submission_closed"))),
        }
    }

    /// Fields and tracks are set up before submissions open.
    pub fn allows_category_changes(&self, now: DateTime<Utc>) -> Result<(), Error> {
        match self.phase(now) {
            Phase::SetUp => Ok(()),
            p => Err(frozen("conflict.fields_frozen", p)),
        }
    }

    /// Screening happens after the deadline and before judging starts.
    pub fn allows_screening(&self, now: DateTime<Utc>) -> Result<(), Error> {
        match self.phase(now) {
            Phase::Screening => Ok(()),
            Phase::SetUp | Phase::Open => Err(Error::Conflict(Message::new(
                "conflict.screening_not_started",
            ))),
            p => Err(frozen("conflict.screening_frozen", p)),
        }
    }

    /// Apply `change` at `now`, or say which part the phase forbids.
    pub fn apply(&self, change: EditionChange, now: DateTime<Utc>) -> Result<Edition, Error> {
        let phase = self.phase(now);
        if phase == Phase::Published {
            return Err(frozen("conflict.edition_frozen", phase));
        }
        let mut next = self.clone();
        let mut errors = Vec::new();
        if let Some(name) = change.name {
            match check_name(&name) {
                Ok(n) => next.name = n,
                Err(e) => errors.push(e),
            }
        }
        if let Some(year) = change.year {
            match check_year(year) {
                Ok(y) => next.year = y,
                Err(e) => errors.push(e),
            }
        }
        if let Some(opens) = change.submission_opens_at
            && opens != self.submission_opens_at
        {
            if phase != Phase::SetUp {
                return Err(frozen("conflict.opening_frozen", phase));
            }
            next.submission_opens_at = opens;
        }
        if let Some(closes) = change.submission_closes_at
            && closes != self.submission_closes_at
        {
            if phase > Phase::Open {
                return Err(frozen("conflict.deadline_frozen", phase));
            }
            if phase == Phase::Open && closes < now {
                errors.push(FieldError::new(
                    "submission_closes_at",
                    "in_the_past",
                    Message::new("field.edition.in_the_past"),
                ));
            }
            next.submission_closes_at = closes;
        }
        if let Err(e) = check_window(next.submission_opens_at, next.submission_closes_at) {
            errors.push(e);
        }
        if let Some(blind) = change.blind_judging
            && blind != self.blind_judging
        {
            if phase >= Phase::Judging {
                return Err(frozen("conflict.blind_frozen", phase));
            }
            next.blind_judging = blind;
        }
        if let Some(scope) = change.ranking_scope
            && scope != self.ranking_scope
        {
            if phase >= Phase::Judging {
                return Err(frozen("conflict.ranking_scope_frozen", phase));
            }
            next.ranking_scope = scope;
        }
        if errors.is_empty() {
            Ok(next)
        } else {
            Err(Error::Invalid(errors))
        }
    }
}

/// A field (bidang) of an edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub id: FieldId,
    pub edition_id: EditionId,
    pub name: String,
    pub position: i32,
    pub retired: bool,
}

/// A track (kategori peserta): entries compete within their track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Track {
    pub id: TrackId,
    pub edition_id: EditionId,
    pub name: String,
    pub position: i32,
    /// The kind of submitter the track is for; `None`: open to everyone.
    pub submitter_kind: Option<SubmitterKind>,
    /// Entries in this track must name their agency (the OPD track).
    pub requires_organisation: bool,
    pub retired: bool,
}

impl Track {
    /// May a submitter of `kind` enter this track?
    pub fn accepts(&self, kind: Option<SubmitterKind>) -> Result<(), Error> {
        if self.retired {
            return Err(Error::invalid(
                "track_id",
                "track_retired",
                Message::new("field.edition.track_retired"),
            ));
        }
        match self.submitter_kind {
            Some(required) if kind != Some(required) => Err(Error::invalid(
                "track_id",
                "track_not_for_you",
                Message::new("field.edition.track_not_for_you"),
            )),
            _ => Ok(()),
        }
    }
}

/// The nine fields every new edition starts with (product brief).
pub const DEFAULT_FIELDS: [&str; 9] = [
    "Tata kelola pemerintahan",
    "Pengentasan kemiskinan",
    "Pendidikan",
    "Kesehatan",
    "Ketahanan pangan",
    "Pertumbuhan ekonomi dan kesempatan kerja", // data, not prose
    "Pemberdayaan masyarakat",
    "Pelayanan publik responsif gender",
    "Perlindungan dan pelestarian lingkungan hidup", // data, not prose
];

/// The three tracks every new edition starts with: `(name, kind, requires agency)`.
pub const DEFAULT_TRACKS: [(&str, SubmitterKind, bool); 3] = [
    ("OPD", SubmitterKind::Opd, true),
    ("Pelajar", SubmitterKind::Student, false),
    ("Masyarakat umum", SubmitterKind::Citizen, false),
];

/// A category name (field or track): trimmed, 2 to 120 characters.
pub fn category_name(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim();
    let n = s.chars().count();
    if !(2..=120).contains(&n) || s.chars().any(char::is_control) {
        return Err(FieldError::new(
            "name",
            "invalid_name",
            Message::new("field.edition.invalid_name.name"),
        ));
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn t(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_900_000_000 + h * 3600, 0).unwrap_or_default()
    }

    fn edition() -> Edition {
        Edition {
            id: EditionId::new(),
            name: "Bangka Innovation Awards 2026".into(),
            year: 2026,
            submission_opens_at: t(10),
            submission_closes_at: t(20),
            blind_judging: true,
            ranking_scope: RankingScope::PerTrack,
            judging_started_at: None,
            decided_at: None,
            published_at: None,
            created_at: t(0),
        }
    }

    #[test]
    fn the_phase_follows_the_dates_and_actions() {
        let mut e = edition();
        assert_eq!(e.phase(t(9)), Phase::SetUp);
        assert_eq!(e.phase(t(10)), Phase::Open);
        assert_eq!(e.phase(t(20) - Duration::seconds(1)), Phase::Open);
        assert_eq!(e.phase(t(20)), Phase::Screening);
        e.judging_started_at = Some(t(30));
        assert_eq!(e.phase(t(31)), Phase::Judging);
        e.decided_at = Some(t(40));
        assert_eq!(e.phase(t(41)), Phase::Decided);
        e.published_at = Some(t(50));
        assert_eq!(e.phase(t(51)), Phase::Published);
    }

    #[test]
    fn the_deadline_edges() {
        let e = edition();
        let deadline = e.submission_closes_at;
        assert!(
            e.accepts_submissions(deadline - Duration::seconds(1))
                .is_ok()
        );
        assert!(matches!(
            e.accepts_submissions(deadline),
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            e.accepts_submissions(deadline + Duration::seconds(1)),
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            e.accepts_submissions(t(9)),
            Err(Error::Conflict(_))
        ));
    }

    #[test]
    fn new_editions_are_checked() {
        assert!(
            EditionDraft::parse("BIA 2026", 2026, t(1), t(2), true, RankingScope::PerTrack).is_ok()
        );
        let Err(Error::Invalid(errors)) =
            EditionDraft::parse("X", 1999, t(2), t(1), true, RankingScope::PerTrack)
        else {
            panic!("expected invalid");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "year", "submission_closes_at"]);
    }

    #[test]
    fn categories_change_only_during_set_up() {
        let e = edition();
        assert!(e.allows_category_changes(t(9)).is_ok());
        assert!(matches!(
            e.allows_category_changes(t(10)),
            Err(Error::Conflict(_))
        ));
    }

    #[test]
    fn screening_happens_between_the_deadline_and_judging() {
        let mut e = edition();
        assert!(e.allows_screening(t(15)).is_err());
        assert!(e.allows_screening(t(20)).is_ok());
        e.judging_started_at = Some(t(25));
        assert!(e.allows_screening(t(26)).is_err());
    }

    #[test]
    fn what_may_change_depends_on_the_phase() {
        let e = edition();
        // Set-up: everything.
        let c = EditionChange {
            submission_opens_at: Some(t(5)),
            blind_judging: Some(false),
            ..Default::default()
        };
        let next = e.apply(c, t(1)).expect("set-up allows it");
        assert_eq!(next.submission_opens_at, t(5));
        assert!(!next.blind_judging);
        // Open: the opening date is fixed, the deadline may be extended.
        let c = EditionChange {
            submission_opens_at: Some(t(11)),
            ..Default::default()
        };
        assert!(matches!(e.apply(c, t(12)), Err(Error::Conflict(_))));
        let c = EditionChange {
            submission_closes_at: Some(t(30)),
            ..Default::default()
        };
        assert_eq!(
            e.apply(c, t(12)).expect("extend").submission_closes_at,
            t(30)
        );
        let c = EditionChange {
            submission_closes_at: Some(t(11)),
            ..Default::default()
        };
        assert!(
            matches!(e.apply(c, t(12)), Err(Error::Invalid(_))),
            "not into the past"
        );
        // After the deadline it is fixed.
        let c = EditionChange {
            submission_closes_at: Some(t(30)),
            ..Default::default()
        };
        assert!(matches!(e.apply(c, t(21)), Err(Error::Conflict(_))));
        // The name may change until publication; an unchanged value is no change.
        let c = EditionChange {
            name: Some("BIA 2026 (revisi)".into()),
            submission_opens_at: Some(e.submission_opens_at),
            ..Default::default()
        };
        assert!(e.apply(c, t(21)).is_ok());
        let mut published = e.clone();
        published.published_at = Some(t(22));
        let c = EditionChange {
            name: Some("Other".into()),
            ..Default::default()
        };
        assert!(matches!(published.apply(c, t(23)), Err(Error::Conflict(_))));
    }

    #[test]
    fn tracks_accept_their_kind_of_submitter() {
        let track = Track {
            id: TrackId::new(),
            edition_id: EditionId::new(),
            name: "Pelajar".into(),
            position: 2,
            submitter_kind: Some(SubmitterKind::Student),
            requires_organisation: false,
            retired: false,
        };
        assert!(track.accepts(Some(SubmitterKind::Student)).is_ok());
        assert!(track.accepts(Some(SubmitterKind::Citizen)).is_err());
        let open = Track {
            submitter_kind: None,
            ..track.clone()
        };
        assert!(open.accepts(Some(SubmitterKind::Citizen)).is_ok());
        let retired = Track {
            retired: true,
            ..track
        };
        assert!(retired.accepts(Some(SubmitterKind::Student)).is_err());
    }

    #[test]
    fn a_new_edition_has_nine_fields_and_three_tracks() {
        assert_eq!(DEFAULT_FIELDS.len(), 9);
        assert_eq!(DEFAULT_TRACKS.len(), 3);
        assert!(
            DEFAULT_TRACKS
                .iter()
                .any(|(_, k, org)| *k == SubmitterKind::Opd && *org)
        );
    }
}
