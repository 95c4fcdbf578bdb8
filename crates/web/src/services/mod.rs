//! Use cases: each handler calls one of these. They parse and check with the domain
//! rules, hash off the async workers, and make one store call per change.

pub mod accounts;
pub mod bootstrap;
pub mod demo;
