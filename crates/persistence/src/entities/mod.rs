//! sea-orm entities: the rows as stored. Private to this crate; the outside sees
//! domain types only.

pub mod assignments;
pub mod attachments;
pub mod audit_events;
pub mod audit_seals;
pub mod conflicts;
pub mod criteria;
pub mod editions;
pub mod entries;
pub mod fields;
pub mod invitations;
pub mod organisations;
pub mod outbox;
pub mod panel_judges;
pub mod password_resets;
pub mod publications;
pub mod refresh_tokens;
pub mod round_entries;
pub mod rounds;
pub mod scores;
pub mod sign_in_failures;
pub mod tie_decisions;
pub mod tracks;
pub mod users;
pub mod winners;
