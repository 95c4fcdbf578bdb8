//! Request extractors whose failures are problem documents.

mod auth;
pub mod json;
mod path;
mod query;

pub use auth::{AuthUser, Can, ClientIp, Requirement, authenticate, requirements};
pub use json::ApiJson;
pub use path::ApiPath;
#[cfg(test)]
pub(crate) use path::{path_suite_router, testing};
pub use query::ApiQuery;
