//! Opaque identifiers. Each kind of thing has its own id type, so a user id can never
//! be passed where an organisation id is expected. UUID v7: time-ordered, so indexes
//! stay compact and lists sort by creation.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            pub fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = crate::Error;
            /// Any string that is not an id of ours names nothing: not found.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self).map_err(|_| crate::Error::NotFound)
            }
        }
    };
}

define_id!(
    /// A user account (submitter, judge or organiser).
    UserId
);
define_id!(
    /// An agency (OPD) in the reference list.
    OrganisationId
);
define_id!(
    /// One chain of rotated refresh tokens, born at one login.
    TokenFamilyId
);

define_id!(
    /// An edition of the awards.
    EditionId
);
define_id!(
    /// A field (bidang) of an edition.
    FieldId
);
define_id!(
    /// A track (kategori peserta) of an edition.
    TrackId
);
define_id!(
    /// An entry (innovation).
    EntryId
);
define_id!(
    /// A file attached to an entry.
    AttachmentId
);

define_id!(
    /// A judging round of an edition.
    RoundId
);
define_id!(
    /// A criterion of a round's rubric.
    CriterionId
);
define_id!(
    /// One judge assigned to one entry in one round.
    AssignmentId
);
define_id!(
    /// A declared conflict of interest.
    ConflictId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_text_form() {
        let id = UserId::new();
        let parsed: UserId = id.to_string().parse().expect("parses");
        assert_eq!(id, parsed);
    }

    #[test]
    fn text_that_is_not_an_id_is_not_found() {
        assert_eq!("42".parse::<UserId>(), Err(crate::Error::NotFound));
        assert_eq!(
            "../etc".parse::<OrganisationId>(),
            Err(crate::Error::NotFound)
        );
    }

    #[test]
    fn new_ids_are_time_ordered() {
        let a = UserId::new();
        let b = UserId::new();
        assert!(a < b);
    }
}
