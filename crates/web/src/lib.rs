//! The HTTP face of Juri: routes, extractors (authentication, roles), handlers, the
//! error mapping, and the server itself. Rules live in `juri-domain`; storage in
//! `juri-persistence`. See `docs/architecture.md` for how a request travels.

pub mod app;
pub mod config;
pub mod error;
pub mod export;
pub mod extract;
pub mod keys;
pub mod language;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod passwords;
pub mod request_id;
pub mod routes;
pub mod services;
pub mod state;
pub mod throttle;
pub mod views;

pub use app::{ConnectionLimits, router, serve, serve_with};
pub use config::Config;
pub use state::AppState;
