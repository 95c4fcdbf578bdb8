//! Agencies (OPD) of the region: reference data that organisers add, rename and
//! retire. A retired agency stays on the entries and accounts that name it but is
//! no longer offered for new ones.

use crate::Message;
use crate::{Error, FieldError};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What kind of body an agency is: used to group the list, never to decide anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 11] = [
        Self::Sekretariat,
        Self::Inspektorat,
        Self::Badan,
        Self::Dinas,
        Self::Satuan,
        Self::Kecamatan,
        Self::Kelurahan,
        Self::Puskesmas,
        Self::Rsud,
        Self::Sekolah,
        Self::Lainnya,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sekretariat => "sekretariat",
            Self::Inspektorat => "inspektorat",
            Self::Badan => "badan",
            Self::Dinas => "dinas",
            Self::Satuan => "satuan",
            Self::Kecamatan => "kecamatan",
            Self::Kelurahan => "kelurahan",
            Self::Puskesmas => "puskesmas",
            Self::Rsud => "rsud",
            Self::Sekolah => "sekolah",
            Self::Lainnya => "lainnya",
        }
    }
}

impl FromStr for OrganisationKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "kind",
                    "unknown_organisation_kind",
                    Message::new("field.organisation.unknown_organisation_kind"),
                )
            })
    }
}

/// An agency's official name: trimmed, 2 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct OrganisationName(String);

impl OrganisationName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        let n = s.chars().count();
        if !(2..=200).contains(&n) || s.chars().any(char::is_control) {
            return Err(FieldError::new(
                "name",
                "invalid_organisation_name",
                Message::new("field.organisation.invalid_organisation_name"),
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An agency's short name (singkatan): trimmed, empty is none, at most 60
/// characters.
pub fn short_name(raw: Option<&str>) -> Result<Option<String>, Error> {
    let s = raw.map(str::trim).filter(|s| !s.is_empty());
    if s.is_some_and(|s| s.chars().count() > 60) {
        return Err(Error::invalid(
            "short_name",
            "too_long",
            Message::new("field.organisation.too_long"),
        ));
    }
    Ok(s.map(str::to_owned))
}

/// One agency of the reference list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: crate::ids::OrganisationId,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrganisationKind,
    pub retired: bool,
    pub retired_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Organisation {
    /// Retired agencies stay on old records but take no new accounts or entries.
    pub fn accepts_new_members(&self) -> Result<(), Error> {
        if self.retired {
            Err(Error::invalid(
                "organisation_id",
                "organisation_retired",
                Message::new("field.organisation.organisation_retired"),
            ))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in OrganisationKind::ALL {
            assert_eq!(k.as_str().parse::<OrganisationKind>(), Ok(k));
        }
        assert!("kementerian".parse::<OrganisationKind>().is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            OrganisationName::parse("  Dinas Kesehatan ").map(|n| n.as_str().to_owned()),
            Ok("Dinas Kesehatan".to_owned())
        );
        assert!(OrganisationName::parse("x").is_err());
        assert!(OrganisationName::parse(&"x".repeat(201)).is_err());
    }

    #[test]
    fn short_names_are_trimmed_optional_and_bounded() {
        assert_eq!(short_name(Some(" Dinkes ")), Ok(Some("Dinkes".to_owned())));
        assert_eq!(short_name(Some("  ")), Ok(None));
        assert_eq!(short_name(None), Ok(None));
        assert!(short_name(Some(&"x".repeat(61))).is_err());
    }
}
