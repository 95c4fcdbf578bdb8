//! The HTTP API, one module per resource. Handlers parse, authorise (by extractor
//! type), call one use case and map the result.

pub mod attachments;
pub mod audit;
pub mod auth;
pub mod editions;
pub mod entries;
pub mod health;
pub mod judging;
pub mod organisations;
pub mod pagination;
pub mod results;
pub mod users;

use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// Everything under `/api/v1`. `upload_limit`: the body limit of attachment uploads
/// (the file cap plus room for the multipart framing).
///
/// Every route goes through `routes!`, which reads the handler's `#[utoipa::path]`: the
/// router and the OpenAPI document come from the same list and cannot drift apart
/// (`tests/tests/e2e/openapi.rs` checks that no plain `.route(` creeps in).
pub fn api(upload_limit: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(crate::openapi::document_json))
        .routes(routes!(auth::register))
        .routes(routes!(auth::login))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::accept_invitation))
        .routes(routes!(auth::change_password))
        .routes(routes!(auth::request_password_reset))
        .routes(routes!(auth::confirm_password_reset))
        .routes(routes!(users::me))
        .routes(routes!(users::create, users::list))
        .routes(routes!(users::get, users::update))
        .routes(routes!(organisations::list, organisations::create))
        .routes(routes!(organisations::get, organisations::update))
        .routes(routes!(editions::create, editions::list))
        .routes(routes!(editions::get, editions::update))
        .routes(routes!(editions::add_field, editions::fields))
        .routes(routes!(editions::update_field))
        .routes(routes!(editions::add_track, editions::tracks))
        .routes(routes!(editions::update_track))
        .routes(routes!(entries::create))
        .routes(routes!(entries::list))
        .routes(routes!(entries::get, entries::update, entries::delete))
        .routes(routes!(entries::submit))
        .routes(routes!(entries::withdraw))
        .routes(routes!(entries::screen))
        .routes(routes!(attachments::upload).layer(DefaultBodyLimit::max(upload_limit)))
        .routes(routes!(attachments::list))
        .routes(routes!(attachments::download, attachments::delete))
        .routes(routes!(judging::create_round, judging::list_rounds))
        .routes(routes!(judging::add_judge, judging::list_judges))
        .routes(routes!(judging::get_round, judging::update_round))
        .routes(routes!(judging::declare_conflict))
        .routes(routes!(judging::auto_assign))
        .routes(routes!(judging::assign, judging::unassign))
        .routes(routes!(judging::my_assignments))
        .routes(routes!(judging::get_assignment))
        .routes(routes!(judging::save_sheet))
        .routes(routes!(judging::submit_sheet))
        .routes(routes!(judging::reopen_sheet))
        .routes(routes!(judging::progress))
        .routes(routes!(judging::close_round))
        .routes(routes!(judging::advance))
        .routes(routes!(results::round_results))
        .routes(routes!(results::edition_results))
        .routes(routes!(results::decide_tie))
        .routes(routes!(results::record_winners))
        .routes(routes!(results::publish))
        .routes(routes!(results::publication))
        .routes(routes!(results::export_xlsx))
        .routes(routes!(results::export_csv))
        .routes(routes!(results::public_editions))
        .routes(routes!(results::public_winners))
        .routes(routes!(results::catalogue))
        .routes(routes!(results::public_innovation))
        .routes(routes!(audit::list))
        .routes(routes!(audit::verify))
}

/// Liveness and readiness, outside `/api/v1` but in the same document.
pub fn probes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
}
