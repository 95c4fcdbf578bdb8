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
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// Everything under `/api/v1`. `upload_limit`: the body limit of attachment uploads
/// (the file cap plus room for the multipart framing).
pub fn api(upload_limit: usize) -> Router<AppState> {
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
        .route("/editions", post(editions::create).get(editions::list))
        .route("/editions/{id}", get(editions::get).patch(editions::update))
        .route(
            "/editions/{id}/fields",
            post(editions::add_field).get(editions::fields),
        )
        .route(
            "/editions/{id}/fields/{field}",
            axum::routing::patch(editions::update_field),
        )
        .route(
            "/editions/{id}/tracks",
            post(editions::add_track).get(editions::tracks),
        )
        .route(
            "/editions/{id}/tracks/{track}",
            axum::routing::patch(editions::update_track),
        )
        .route("/editions/{id}/entries", post(entries::create))
        .route("/entries", get(entries::list))
        .route(
            "/entries/{id}",
            get(entries::get)
                .patch(entries::update)
                .delete(entries::delete),
        )
        .route("/entries/{id}/submit", post(entries::submit))
        .route("/entries/{id}/withdraw", post(entries::withdraw))
        .route("/entries/{id}/screening", post(entries::screen))
        .route(
            "/entries/{id}/attachments",
            post(attachments::upload)
                .layer(DefaultBodyLimit::max(upload_limit))
                .get(attachments::list),
        )
        .route(
            "/entries/{id}/attachments/{aid}",
            get(attachments::download).delete(attachments::delete),
        )
        .route(
            "/editions/{id}/rounds",
            post(judging::create_round).get(judging::list_rounds),
        )
        .route(
            "/editions/{id}/judges",
            post(judging::add_judge).get(judging::list_judges),
        )
        .route(
            "/rounds/{id}",
            get(judging::get_round).patch(judging::update_round),
        )
        .route("/conflicts", post(judging::declare_conflict))
        .route("/rounds/{id}/assignments/auto", post(judging::auto_assign))
        .route(
            "/rounds/{id}/assignments",
            post(judging::assign).delete(judging::unassign),
        )
        .route("/me/assignments", get(judging::my_assignments))
        .route("/assignments/{id}", get(judging::get_assignment))
        .route(
            "/assignments/{id}/sheet",
            axum::routing::put(judging::save_sheet),
        )
        .route(
            "/assignments/{id}/sheet/submit",
            post(judging::submit_sheet),
        )
        .route(
            "/assignments/{id}/sheet/reopen",
            post(judging::reopen_sheet),
        )
        .route("/rounds/{id}/progress", get(judging::progress))
        .route("/rounds/{id}/close", post(judging::close_round))
        .route("/rounds/{id}/advance", post(judging::advance))
        .route("/rounds/{id}/results", get(results::round_results))
        .route("/editions/{id}/results", get(results::edition_results))
        .route("/editions/{id}/ties", post(results::decide_tie))
        .route("/editions/{id}/winners", post(results::record_winners))
        .route("/editions/{id}/publish", post(results::publish))
        .route("/editions/{id}/publication", get(results::publication))
        .route("/editions/{id}/export.xlsx", get(results::export_xlsx))
        .route("/editions/{id}/export.csv", get(results::export_csv))
        .route("/public/editions", get(results::public_editions))
        .route(
            "/public/editions/{id}/winners",
            get(results::public_winners),
        )
        .route("/public/innovations", get(results::catalogue))
        .route("/public/innovations/{id}", get(results::public_innovation))
        .route("/audit", get(audit::list))
        .route("/audit/verify", get(audit::verify))
}
