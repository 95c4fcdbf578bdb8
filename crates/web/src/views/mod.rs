//! The API's answers and the values its bodies carry, built from what the domain and
//! the store return. The store's types say what is; a view says what a reader is told,
//! so storage can change without changing the contract. Each view keeps the schema
//! name the OpenAPI document has always used (`docs/openapi.json`, compared by a
//! test); the domain and the store know nothing of OpenAPI.
//!
//! A view is converted from its domain value with `From` (and, for the values a
//! request carries, back again); the conversions are exhaustive, so a new variant or
//! field in the domain fails the build here rather than leaking into the contract.

mod accounts;
mod audit;
mod editions;
mod entries;
mod judging;
mod results;

pub use accounts::*;
pub use audit::*;
pub use editions::*;
pub use entries::*;
pub use judging::*;
pub use results::*;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A view enum with the same variants as a domain enum, converted both ways by an
/// exhaustive match.
macro_rules! both_ways {
    ($view:ident = $domain:path { $($variant:ident),+ $(,)? }) => {
        impl From<$domain> for $view {
            fn from(v: $domain) -> Self {
                use $domain as D;
                match v {
                    $(D::$variant => Self::$variant,)+
                }
            }
        }

        impl From<$view> for $domain {
            fn from(v: $view) -> Self {
                use $domain as D;
                match v {
                    $($view::$variant => D::$variant,)+
                }
            }
        }
    };
}
pub(crate) use both_ways;

/// An id as the API writes it: a UUID, under the name of its kind.
macro_rules! view_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl From<juri_domain::ids::$name> for $name {
            fn from(v: juri_domain::ids::$name) -> Self {
                Self(v.as_uuid())
            }
        }

        impl From<$name> for juri_domain::ids::$name {
            fn from(v: $name) -> Self {
                Self::from_uuid(v.0)
            }
        }
    };
}

view_id!(
    /// A user account (submitter, judge or organiser).
    UserId
);
view_id!(
    /// An agency (OPD) in the reference list.
    OrganisationId
);
view_id!(
    /// An edition of the awards.
    EditionId
);
view_id!(
    /// A field (bidang) of an edition.
    FieldId
);
view_id!(
    /// A track (kategori peserta) of an edition.
    TrackId
);
view_id!(
    /// An entry (innovation).
    EntryId
);
view_id!(
    /// A file attached to an entry.
    AttachmentId
);
view_id!(
    /// A judging round of an edition.
    RoundId
);
view_id!(
    /// A criterion of a round's rubric.
    CriterionId
);
view_id!(
    /// One judge assigned to one entry in one round.
    AssignmentId
);
view_id!(
    /// A declared conflict of interest.
    ConflictId
);

/// One page of a list, and how many there are in all.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    /// The store's page, each item made a view by `f`.
    pub fn new<S>(p: juri_persistence::Page<S>, f: impl FnMut(S) -> T) -> Self {
        Page {
            items: p.items.into_iter().map(f).collect(),
            total: p.total,
            page: p.page,
            per_page: p.per_page,
        }
    }
}

impl<S, T: From<S>> From<juri_persistence::Page<S>> for Page<T> {
    fn from(p: juri_persistence::Page<S>) -> Self {
        Page::new(p, T::from)
    }
}

/// Each of a list made a view.
pub fn list<S, T: From<S>>(items: Vec<S>) -> Vec<T> {
    items.into_iter().map(T::from).collect()
}
