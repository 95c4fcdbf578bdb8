//! Accounts and the agencies: roles, kinds of submitter, organisations.

use super::*;
use chrono::{DateTime, Utc};

/// What a signed-in user is. The public (no login) is not a role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Submitter,
    Judge,
    Organiser,
}

both_ways!(
    Role = juri_domain::user::Role {
        Submitter,
        Judge,
        Organiser
    }
);

/// Who a submitter is: an agency officer, a student or a citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmitterKind {
    Opd,
    Student,
    Citizen,
}

both_ways!(
    SubmitterKind = juri_domain::user::SubmitterKind {
        Opd,
        Student,
        Citizen
    }
);

/// Where an account is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Created by an organiser; the person has not set a password yet.
    Invited,
    Active,
    /// May not sign in; existing tokens stop working at once.
    Disabled,
}

both_ways!(
    UserStatus = juri_domain::user::UserStatus {
        Invited,
        Active,
        Disabled
    }
);

/// What kind of body an agency is: used to group the list, never to decide anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    Sekretariat,
    Inspektorat,
    Badan,
    Dinas,
    Satuan,
    Kecamatan,
    Kelurahan,
    Puskesmas,
    Rsud,
    Sekolah,
    Lainnya,
}

both_ways!(
    OrganisationKind = juri_domain::organisation::OrganisationKind {
        Sekretariat,
        Inspektorat,
        Badan,
        Dinas,
        Satuan,
        Kecamatan,
        Kelurahan,
        Puskesmas,
        Rsud,
        Sekolah,
        Lainnya
    }
);

/// One agency of the reference list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrganisationKind,
    pub retired: bool,
    pub retired_at: Option<DateTime<Utc>>,
}

impl From<juri_domain::organisation::Organisation> for Organisation {
    fn from(v: juri_domain::organisation::Organisation) -> Self {
        Organisation {
            id: v.id.into(),
            name: v.name,
            short_name: v.short_name,
            kind: v.kind.into(),
            retired: v.retired,
            retired_at: v.retired_at,
        }
    }
}

/// An account as the API shows it. Never carries a password hash or token version.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub submitter_kind: Option<SubmitterKind>,
    pub organisation_id: Option<OrganisationId>,
    pub status: UserStatus,
    pub expertise: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl From<juri_domain::user::User> for UserView {
    fn from(u: juri_domain::user::User) -> Self {
        UserView {
            id: u.id.into(),
            email: u.email.to_string(),
            name: u.name,
            role: u.role.into(),
            submitter_kind: u.submitter_kind.map(Into::into),
            organisation_id: u.organisation_id.map(Into::into),
            status: u.status.into(),
            expertise: u.expertise,
            created_at: u.created_at,
            last_login_at: u.last_login_at,
        }
    }
}
