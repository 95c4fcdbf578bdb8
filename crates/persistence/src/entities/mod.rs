//! sea-orm entities: the rows as stored. Private to this crate; the outside sees
//! domain types only.

pub mod audit_events;
pub mod invitations;
pub mod organisations;
pub mod refresh_tokens;
pub mod users;
