//! Publishing: the confirmation with the winners, then the edition frozen for good.

use super::titles;
use crate::extract::requirements::ManageJudging;
use crate::pages::shared::refusal_at;
use crate::pages::{
    Ctx, FormErrors, PageCan, PagePath, PageResult, PageResultExt, render, see_other,
};
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
    errors: FormErrors,
}

/// The confirmation, with the winners to be published, and the refusal of a publish
/// that was tried (shown by its button).
async fn publish_page(
    state: &AppState,
    ctx: Ctx,
    id: EditionId,
    status: StatusCode,
    errors: FormErrors,
) -> PageResult {
    let e = state.store.edition(id).await.page(&ctx)?;
    let rounds = state.store.rounds(id).await.page(&ctx)?;
    let names = titles(state, &rounds).await.page(&ctx)?;
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
    Ok(render(
        status,
        &PublishPage {
            ctx,
            e,
            winners,
            errors,
        },
    ))
}

/// `GET /panitia/edisi/{id}/terbitkan`: the confirmation, which says that publishing
/// cannot be undone; with no winners recorded its button is disabled, saying why.
pub async fn publish_confirm(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
) -> PageResult {
    publish_page(&state, ctx, id, StatusCode::OK, FormErrors::default()).await
}

/// `POST /panitia/edisi/{id}/terbitkan`: publish; the edition is frozen from now on.
/// A refusal (no winners recorded, published already) stays on the confirmation.
pub async fn publish(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
) -> PageResult {
    let user = caller.user;
    match state.store.publish(id, user.id, state.now()).await {
        Ok(_) => Ok(see_other(&format!(
            "/panitia/edisi/{id}/hasil?diterbitkan=1"
        ))),
        Err(e) => {
            let (status, errors) = refusal_at(e, "publish", &ctx)?;
            publish_page(&state, ctx, id, status, errors).await
        }
    }
}
