//! The HTTP API, one module per resource. Handlers parse, authorise (by extractor
//! type), call one use case and map the result.

pub mod auth;
pub mod health;
pub mod organisations;
pub mod pagination;
pub mod users;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Everything under `/api/v1`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(auth::register))
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/invitations/accept", post(auth::accept_invitation))
        .route("/me", get(users::me))
        .route("/users", post(users::create).get(users::list))
        .route("/users/{id}", get(users::get).patch(users::update))
        .route(
            "/organisations",
            get(organisations::list).post(organisations::create),
        )
        .route(
            "/organisations/{id}",
            get(organisations::get).patch(organisations::update),
        )
}
