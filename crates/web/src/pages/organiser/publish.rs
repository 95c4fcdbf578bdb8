//! Publishing: the confirmation with the winners, then the edition frozen for good.

use super::titles;
use crate::extract::requirements::ManageJudging;
use crate::pages::{Ctx, PageCan, PagePath, PageResult, PageResultExt, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use juri_domain::edition::Edition;
use juri_domain::ids::EditionId;

#[derive(Template)]
#[template(path = "org_publish.html")]
struct PublishPage {
    ctx: Ctx,
    e: Edition,
    winners: Vec<String>,
}

/// `GET /panitia/edisi/{id}/terbitkan`: the confirmation, which says that publishing
/// cannot be undone.
pub async fn publish_confirm(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
) -> PageResult {
    let e = state.store.edition(id).await.page(&ctx)?;
    let rounds = state.store.rounds(id).await.page(&ctx)?;
    let names = titles(&state, &rounds).await.page(&ctx)?;
    let winners = state
        .store
        .edition_results(id)
        .await
        .page(&ctx)?
        .winners
        .into_iter()
        .map(|w| {
            format!(
                "{}: {}",
                w.award.label(),
                names
                    .get(&w.entry_id.to_string())
                    .cloned()
                    .unwrap_or_default()
            )
        })
        .collect();
    Ok(render(StatusCode::OK, &PublishPage { ctx, e, winners }))
}

/// `POST /panitia/edisi/{id}/terbitkan`: publish; the edition is frozen from now on.
pub async fn publish(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
) -> PageResult {
    let user = caller.user;
    state
        .store
        .publish(id, user.id, state.now())
        .await
        .page(&ctx)?;
    Ok(see_other(&format!(
        "/panitia/edisi/{id}/hasil?diterbitkan=1"
    )))
}
