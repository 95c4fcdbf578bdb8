//! Editions, their phases, fields and tracks.

use super::*;
use chrono::{DateTime, Utc};

/// Where an edition is in its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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

both_ways!(
    Phase = juri_domain::edition::Phase {
        SetUp,
        Open,
        Screening,
        Judging,
        Decided,
        Published
    }
);

/// How entries are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RankingScope {
    PerTrack,
    PerTrackAndField,
}

both_ways!(
    RankingScope = juri_domain::edition::RankingScope {
        PerTrack,
        PerTrackAndField
    }
);

/// One edition.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

impl From<juri_domain::edition::Edition> for Edition {
    fn from(v: juri_domain::edition::Edition) -> Self {
        Edition {
            id: v.id.into(),
            name: v.name,
            year: v.year,
            submission_opens_at: v.submission_opens_at,
            submission_closes_at: v.submission_closes_at,
            blind_judging: v.blind_judging,
            ranking_scope: v.ranking_scope.into(),
            judging_started_at: v.judging_started_at,
            decided_at: v.decided_at,
            published_at: v.published_at,
            created_at: v.created_at,
        }
    }
}

/// A field (bidang) of an edition.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Field {
    pub id: FieldId,
    pub edition_id: EditionId,
    pub name: String,
    pub position: i32,
    pub retired: bool,
}

impl From<juri_domain::edition::Field> for Field {
    fn from(v: juri_domain::edition::Field) -> Self {
        Field {
            id: v.id.into(),
            edition_id: v.edition_id.into(),
            name: v.name,
            position: v.position,
            retired: v.retired,
        }
    }
}

/// A track (kategori peserta): entries compete within their track.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

impl From<juri_domain::edition::Track> for Track {
    fn from(v: juri_domain::edition::Track) -> Self {
        Track {
            id: v.id.into(),
            edition_id: v.edition_id.into(),
            name: v.name,
            position: v.position,
            submitter_kind: v.submitter_kind.map(Into::into),
            requires_organisation: v.requires_organisation,
            retired: v.retired,
        }
    }
}

/// An edition with its phase now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EditionView {
    #[serde(flatten)]
    pub edition: Edition,
    pub phase: Phase,
}

impl EditionView {
    pub fn new(e: juri_domain::edition::Edition, now: DateTime<Utc>) -> Self {
        EditionView {
            phase: e.phase(now).into(),
            edition: e.into(),
        }
    }
}
