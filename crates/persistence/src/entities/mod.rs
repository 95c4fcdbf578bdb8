//! sea-orm entities: the rows as stored. Private to this crate; the outside sees
//! domain types only.

pub mod attachments;
pub mod audit_events;
pub mod editions;
pub mod entries;
pub mod fields;
pub mod invitations;
pub mod organisations;
pub mod refresh_tokens;
pub mod tracks;
pub mod users;
