//! Juri's rules, free of IO: the types that name things (ids, emails, roles), the
//! decisions (who may do what, is this password acceptable, is this token valid,
//! has this account failed too often) and their tests.
//!
//! Nothing here touches a database, the network or the clock directly: the current
//! time is always passed in, so every rule can be tested at its edges.

pub mod access;
pub mod agreement;
pub mod assignment;
pub mod attachment;
pub mod audit_chain;
pub mod award;
pub mod clock;
pub mod conflict;
pub mod edition;
pub mod entry;
pub mod error;
pub mod ids;
pub mod import;
pub mod language;
pub mod notification;
pub mod organisation;
pub mod password;
pub mod ranking;
pub mod round;
pub mod rubric;
pub mod scoring;
pub mod search;
pub mod throttle;
pub mod todo;
pub mod token;
pub mod user;

pub use error::{Error, FieldError, Message};
pub use language::Language;
