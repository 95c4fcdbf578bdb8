//! Entries, their content and attachments.

use super::*;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    Eligible,
    Ineligible,
    InJudging,
    Winner,
    NotAwarded,
    Withdrawn,
}

both_ways!(
    Status = juri_domain::entry::Status {
        Draft,
        Submitted,
        Eligible,
        Ineligible,
        InJudging,
        Winner,
        NotAwarded,
        Withdrawn
    }
);

/// A member of the team behind an innovation.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
    /// Lets the conflict rule recognise a co-author who is also a judge.
    #[serde(default)]
    pub email: Option<String>,
}

impl From<juri_domain::entry::TeamMember> for TeamMember {
    fn from(v: juri_domain::entry::TeamMember) -> Self {
        TeamMember {
            name: v.name,
            role: v.role,
            email: v.email,
        }
    }
}

impl From<TeamMember> for juri_domain::entry::TeamMember {
    fn from(v: TeamMember) -> Self {
        juri_domain::entry::TeamMember {
            name: v.name,
            role: v.role,
            email: v.email,
        }
    }
}

/// The content of an entry: what the submitter writes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Content {
    pub title: String,
    pub field_id: Option<FieldId>,
    pub track_id: Option<TrackId>,
    pub organisation_id: Option<OrganisationId>,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub how_it_works: String,
    pub impact: String,
    pub cost: String,
    pub replicability: String,
    pub sustainability: String,
    pub stakeholders: String,
    pub started_on: Option<NaiveDate>,
    pub team: Vec<TeamMember>,
    pub video_url: Option<String>,
    pub publication_consent: bool,
}

impl From<juri_domain::entry::Content> for Content {
    fn from(v: juri_domain::entry::Content) -> Self {
        Content {
            title: v.title,
            field_id: v.field_id.map(Into::into),
            track_id: v.track_id.map(Into::into),
            organisation_id: v.organisation_id.map(Into::into),
            summary: v.summary,
            problem: v.problem,
            solution: v.solution,
            how_it_works: v.how_it_works,
            impact: v.impact,
            cost: v.cost,
            replicability: v.replicability,
            sustainability: v.sustainability,
            stakeholders: v.stakeholders,
            started_on: v.started_on,
            team: v.team.into_iter().map(Into::into).collect(),
            video_url: v.video_url,
            publication_consent: v.publication_consent,
        }
    }
}

/// An entry as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Entry {
    pub id: EntryId,
    pub edition_id: EditionId,
    pub submitter_id: UserId,
    pub status: Status,
    #[serde(flatten)]
    pub content: Content,
    pub screening_reason: Option<String>,
    pub screened_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Bumped by every write; a stale write is refused.
    pub version: i64,
}

impl From<juri_domain::entry::Entry> for Entry {
    fn from(v: juri_domain::entry::Entry) -> Self {
        Entry {
            id: v.id.into(),
            edition_id: v.edition_id.into(),
            submitter_id: v.submitter_id.into(),
            status: v.status.into(),
            content: v.content.into(),
            screening_reason: v.screening_reason,
            screened_at: v.screened_at,
            submitted_at: v.submitted_at,
            withdrawn_at: v.withdrawn_at,
            created_at: v.created_at,
            updated_at: v.updated_at,
            version: v.version,
        }
    }
}

/// A file attached to an entry, as recorded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub id: AttachmentId,
    pub entry_id: EntryId,
    /// SHA-256 of the content, hex: also its storage key.
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
    pub file_name: String,
    pub created_at: DateTime<Utc>,
}

impl From<juri_domain::attachment::Attachment> for Attachment {
    fn from(v: juri_domain::attachment::Attachment) -> Self {
        Attachment {
            id: v.id.into(),
            entry_id: v.entry_id.into(),
            sha256: v.sha256,
            size: v.size,
            content_type: v.content_type,
            file_name: v.file_name,
            created_at: v.created_at,
        }
    }
}
