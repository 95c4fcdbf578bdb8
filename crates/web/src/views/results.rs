//! Rankings, ties, winners and what is published.

use super::*;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Award {
    #[serde(rename = "juara_1")]
    Juara1,
    #[serde(rename = "juara_2")]
    Juara2,
    #[serde(rename = "juara_3")]
    Juara3,
    #[serde(rename = "harapan_1")]
    Harapan1,
    #[serde(rename = "harapan_2")]
    Harapan2,
    #[serde(rename = "harapan_3")]
    Harapan3,
}

both_ways!(
    Award = juri_domain::award::Award {
        Juara1,
        Juara2,
        Juara3,
        Harapan1,
        Harapan2,
        Harapan3
    }
);

/// An entry's result in one round it reached.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoundScore {
    pub round_id: RoundId,
    /// The round score under the round's aggregation; `None`: no submitted sheet.
    pub score: Option<f64>,
    /// Each submitted sheet's `S_je`, by judge id.
    pub judge_scores: Vec<(UserId, f64)>,
    /// The judges' `S_je` span more than the round's disagreement threshold.
    pub flagged: bool,
}

impl From<juri_domain::ranking::RoundScore> for RoundScore {
    fn from(v: juri_domain::ranking::RoundScore) -> Self {
        RoundScore {
            round_id: v.round_id.into(),
            score: v.score,
            judge_scores: v
                .judge_scores
                .into_iter()
                .map(|(a, b)| (a.into(), b))
                .collect(),
            flagged: v.flagged,
        }
    }
}

/// One entry's place in the final ranking.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RankedEntry {
    pub entry_id: EntryId,
    /// Standard competition rank (1, 2, 2, 4); `None`: not scored.
    pub rank: Option<u32>,
    /// `None`: not scored (never 0).
    pub final_score: Option<f64>,
    /// The position of the furthest round the entry reached.
    pub reached_position: Option<i32>,
    /// Every round the entry reached, in position order.
    pub rounds: Vec<RoundScore>,
    /// Mean normalised score per criterion of the deciding round, in
    /// [`tiebreak_criteria`] order; empty when it has no sheet there.
    pub tiebreak: Vec<f64>,
    /// Shares its rank with another entry: the organiser records a decision.
    pub tie: bool,
}

impl From<juri_domain::ranking::RankedEntry> for RankedEntry {
    fn from(v: juri_domain::ranking::RankedEntry) -> Self {
        RankedEntry {
            entry_id: v.entry_id.into(),
            rank: v.rank,
            final_score: v.final_score,
            reached_position: v.reached_position,
            rounds: v.rounds.into_iter().map(Into::into).collect(),
            tiebreak: v.tiebreak,
            tie: v.tie,
        }
    }
}

/// The ranking of one track (or one track and field).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RankGroup {
    pub track_id: Option<TrackId>,
    /// Always `None` when the edition ranks per track only.
    pub field_id: Option<FieldId>,
    pub entries: Vec<RankedEntry>,
}

impl From<juri_domain::ranking::RankGroup> for RankGroup {
    fn from(v: juri_domain::ranking::RankGroup) -> Self {
        RankGroup {
            track_id: v.track_id.map(Into::into),
            field_id: v.field_id.map(Into::into),
            entries: v.entries.into_iter().map(Into::into).collect(),
        }
    }
}

/// The final ranking of an edition.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ranking {
    pub groups: Vec<RankGroup>,
    /// How many tied sets (not tied entries) there are, over all groups.
    pub ties: usize,
}

impl From<juri_domain::ranking::Ranking> for Ranking {
    fn from(v: juri_domain::ranking::Ranking) -> Self {
        Ranking {
            groups: v.groups.into_iter().map(Into::into).collect(),
            ties: v.ties,
        }
    }
}

/// A recorded tie decision.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TieDecision {
    /// The tied entries in the order decided, best first.
    pub entry_ids: Vec<EntryId>,
    pub reason: String,
    pub decided_by: UserId,
    pub decided_at: DateTime<Utc>,
}

impl From<juri_persistence::TieDecision> for TieDecision {
    fn from(v: juri_persistence::TieDecision) -> Self {
        TieDecision {
            entry_ids: v.entry_ids.into_iter().map(Into::into).collect(),
            reason: v.reason,
            decided_by: v.decided_by.into(),
            decided_at: v.decided_at,
        }
    }
}

/// A recorded winner.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Winner {
    pub entry_id: EntryId,
    pub award: Award,
    pub track_id: Option<TrackId>,
    pub field_id: Option<FieldId>,
}

impl From<juri_persistence::Winner> for Winner {
    fn from(v: juri_persistence::Winner) -> Self {
        Winner {
            entry_id: v.entry_id.into(),
            award: v.award.into(),
            track_id: v.track_id.map(Into::into),
            field_id: v.field_id.map(Into::into),
        }
    }
}

/// Per judge: how many sheets, their mean and spread (who is harsh, who is lenient).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JudgeStats {
    pub judge_id: UserId,
    pub name: String,
    pub sheets: usize,
    pub mean: Option<f64>,
    pub std: Option<f64>,
}

impl From<juri_persistence::JudgeStats> for JudgeStats {
    fn from(v: juri_persistence::JudgeStats) -> Self {
        JudgeStats {
            judge_id: v.judge_id.into(),
            name: v.name,
            sheets: v.sheets,
            mean: v.mean,
            std: v.std,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoundResults {
    pub round_id: RoundId,
    pub closed: bool,
    pub ranking: Ranking,
    /// Krippendorff's alpha (interval) over the round's submitted `S_je`.
    pub alpha: Option<f64>,
    pub judges: Vec<JudgeStats>,
}

impl From<juri_persistence::RoundResults> for RoundResults {
    fn from(v: juri_persistence::RoundResults) -> Self {
        RoundResults {
            round_id: v.round_id.into(),
            closed: v.closed,
            ranking: v.ranking.into(),
            alpha: v.alpha,
            judges: v.judges.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EditionResults {
    pub edition_id: EditionId,
    pub ranking: Ranking,
    pub tie_decisions: Vec<TieDecision>,
    pub winners: Vec<Winner>,
}

impl From<juri_persistence::EditionResults> for EditionResults {
    fn from(v: juri_persistence::EditionResults) -> Self {
        EditionResults {
            edition_id: v.edition_id.into(),
            ranking: v.ranking.into(),
            tie_decisions: v.tie_decisions.into_iter().map(Into::into).collect(),
            winners: v.winners.into_iter().map(Into::into).collect(),
        }
    }
}

/// The frozen result of an edition.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Publication {
    pub edition_id: EditionId,
    pub sha256: String,
    pub published_at: DateTime<Utc>,
    pub snapshot: serde_json::Value,
}

impl From<juri_persistence::Publication> for Publication {
    fn from(v: juri_persistence::Publication) -> Self {
        Publication {
            edition_id: v.edition_id.into(),
            sha256: v.sha256,
            published_at: v.published_at,
            snapshot: v.snapshot,
        }
    }
}

/// What the public sees of an innovation. No score sheet, judge or contact detail.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
    pub started_on: Option<NaiveDate>,
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

impl From<juri_persistence::PublicInnovation> for PublicInnovation {
    fn from(v: juri_persistence::PublicInnovation) -> Self {
        PublicInnovation {
            id: v.id.into(),
            title: v.title,
            summary: v.summary,
            problem: v.problem,
            solution: v.solution,
            how_it_works: v.how_it_works,
            impact: v.impact,
            replicability: v.replicability,
            sustainability: v.sustainability,
            stakeholders: v.stakeholders,
            started_on: v.started_on,
            video_url: v.video_url,
            team: v.team,
            edition_id: v.edition_id.into(),
            edition_name: v.edition_name,
            year: v.year,
            field: v.field,
            track: v.track,
            organisation: v.organisation,
            award: v.award.map(Into::into),
            award_label: v.award_label,
        }
    }
}

/// A winner as the public sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicWinner {
    pub entry_id: EntryId,
    pub title: String,
    pub organisation: Option<String>,
    pub field: Option<String>,
    pub track: Option<String>,
    pub award: Award,
    pub award_label: &'static str,
    pub score: Option<f64>,
}

impl From<juri_persistence::PublicWinner> for PublicWinner {
    fn from(v: juri_persistence::PublicWinner) -> Self {
        PublicWinner {
            entry_id: v.entry_id.into(),
            title: v.title,
            organisation: v.organisation,
            field: v.field,
            track: v.track,
            award: v.award.into(),
            award_label: v.award_label,
            score: v.score,
        }
    }
}
