//! Accounts: roles, kinds of submitter, account status, and the parsed values an
//! account is made of (email, name).

use crate::Message;
use crate::{Error, FieldError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a signed-in user is. The public (no login) is not a role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Submitter,
    Judge,
    Organiser,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Submitter => "submitter",
            Role::Judge => "judge",
            Role::Organiser => "organiser",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "submitter" => Ok(Role::Submitter),
            "judge" => Ok(Role::Judge),
            "organiser" => Ok(Role::Organiser),
            _ => Err(Error::invalid(
                "role",
                "unknown_role",
                Message::new("field.user.unknown_role"),
            )),
        }
    }
}

/// Who a submitter is: an agency officer, a student or a citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmitterKind {
    Opd,
    Student,
    Citizen,
}

impl SubmitterKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmitterKind::Opd => "opd",
            SubmitterKind::Student => "student",
            SubmitterKind::Citizen => "citizen",
        }
    }
}

impl FromStr for SubmitterKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "opd" => Ok(SubmitterKind::Opd),
            "student" => Ok(SubmitterKind::Student),
            "citizen" => Ok(SubmitterKind::Citizen),
            _ => Err(Error::invalid(
                "submitter_kind",
                "unknown_submitter_kind",
                Message::new("field.user.unknown_submitter_kind"),
            )),
        }
    }
}

/// Where an account is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Created by an organiser; the person has not set a password yet.
    Invited,
    Active,
    /// May not sign in; existing tokens stop working at once.
    Disabled,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Invited => "invited",
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        }
    }

    /// Only active accounts may sign in or use tokens.
    pub fn may_sign_in(self) -> bool {
        self == UserStatus::Active
    }
}

impl FromStr for UserStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "invited" => Ok(UserStatus::Invited),
            "active" => Ok(UserStatus::Active),
            "disabled" => Ok(UserStatus::Disabled),
            _ => Err(Error::invalid(
                "status",
                "unknown_status",
                Message::new("field.user.unknown_status"),
            )),
        }
    }
}

/// An email address, trimmed and lower-cased so that one person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let invalid = || {
            FieldError::new(
                "email",
                "invalid_email",
                Message::new("field.user.invalid_email"),
            )
        };
        let s = raw.trim().to_lowercase();
        if s.is_empty() || s.chars().count() > Self::MAX_LEN {
            return Err(invalid());
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        if local.is_empty()
            || local.len() > 64
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(invalid());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`, used as a context word for the password blocklist.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name: trimmed, 1 to 200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        let n = s.chars().count();
        if n == 0 {
            return Err(FieldError::new(
                "name",
                "required",
                Message::new("field.user.required"),
            ));
        }
        if n > Self::MAX_CHARS || s.chars().any(char::is_control) {
            return Err(FieldError::new(
                "name",
                "invalid_name",
                Message::new("field.user.invalid_name"),
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An account as the rest of the system sees it. The password hash is deliberately
/// not here: it travels only in [`Credentials`], which is never serialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: crate::ids::UserId,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub submitter_kind: Option<SubmitterKind>,
    pub organisation_id: Option<crate::ids::OrganisationId>,
    pub status: UserStatus,
    #[serde(skip)]
    pub token_version: i64,
    /// Field (bidang) names or ids a judge is expert in; matched at assignment.
    pub expertise: Vec<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A user with their stored password hash, for signing in. Deliberately neither
/// `Serialize` nor printable: its `Debug` hides the hash.
#[derive(Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user.id)
            .field("password_hash", &"<redacted>")
            .finish()
    }
}

impl Email {
    /// An email read back from storage, where it was stored already parsed.
    pub fn from_trusted(stored: String) -> Self {
        Self(stored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let e = Email::parse("  Siti.Aminah@Bangka.go.id ").expect("valid");
        assert_eq!(e.as_str(), "siti.aminah@bangka.go.id");
        assert_eq!(e.local_part(), "siti.aminah");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "no-at-sign",
            "@bangka.go.id",
            "a@b",
            "a@@b.id",
            "a b@c.id",
            "a@.id",
            "a@b..id",
            "a@b.id.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn names_are_required_and_bounded() {
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"a".repeat(201)).is_err());
        assert!(PersonName::parse("a\u{0007}b").is_err());
        assert_eq!(PersonName::parse(" Budi ").expect("ok").as_str(), "Budi");
    }

    #[test]
    fn only_active_accounts_sign_in() {
        assert!(UserStatus::Active.may_sign_in());
        assert!(!UserStatus::Invited.may_sign_in());
        assert!(!UserStatus::Disabled.may_sign_in());
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::Submitter, Role::Judge, Role::Organiser] {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("admin".parse::<Role>().is_err());
    }
}
