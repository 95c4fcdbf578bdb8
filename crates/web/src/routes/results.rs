//! Results for organisers (rankings, ties, winners, publication) and what the public
//! sees (published editions, their winners, the catalogue of innovations).

use crate::error::ApiResult;
use crate::extract::requirements::ManageJudging;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Can};
use crate::routes::pagination::PageQuery;
use crate::state::AppState;
use crate::views::EditionView;
use crate::views::{
    Award, EditionResults, EntryId, OrganisationId, Page, PublicInnovation, PublicWinner,
    Publication, RoundResults, TieDecision, Winner,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use juri_domain::Error;
use juri_domain::ids::{EditionId, RoundId, UserId};
use juri_persistence::{CatalogueFilter, EditionVisibility};
use serde::{Deserialize, Serialize};

#[utoipa::path(get, path = "/rounds/{id}/results", tag = "results", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, description = "The round's ranking per track", body = RoundResults)))]
pub async fn round_results(
    State(state): State<AppState>,
    _can: Can<ManageJudging>,
    ApiPath(id): ApiPath<RoundId>,
) -> ApiResult<Json<RoundResults>> {
    Ok(Json(state.store.round_results(id).await?.into()))
}

#[utoipa::path(get, path = "/editions/{id}/results", tag = "results", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), responses((status = 200, description = "The final ranking", body = EditionResults)))]
pub async fn edition_results(
    State(state): State<AppState>,
    _can: Can<ManageJudging>,
    ApiPath(id): ApiPath<EditionId>,
) -> ApiResult<Json<EditionResults>> {
    Ok(Json(state.store.edition_results(id).await?.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TieBody {
    /// The tied entries in the order decided, best first.
    entry_ids: Vec<EntryId>,
    /// Why this order, for the record (the berita acara).
    #[schema(min_length = 1, max_length = 2000)]
    reason: String,
}

#[utoipa::path(post, path = "/editions/{id}/ties", tag = "results", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), request_body = TieBody, responses((status = 201, description = "The recorded tie decision", body = TieDecision)))]
pub async fn decide_tie(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(id): ApiPath<EditionId>,
    ApiJson(b): ApiJson<TieBody>,
) -> ApiResult<(StatusCode, Json<TieDecision>)> {
    let reason = juri_domain::award::tie_reason(&b.reason)?;
    let d = state
        .store
        .decide_tie(
            id,
            crate::views::list(b.entry_ids),
            reason,
            can.caller.user.id,
            state.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WinnerBody {
    entry_id: EntryId,
    award: Award,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WinnersBody {
    winners: Vec<WinnerBody>,
}

#[utoipa::path(post, path = "/editions/{id}/winners", tag = "results", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), request_body = WinnersBody, responses((status = 200, description = "The winners", body = Vec<Winner>)))]
pub async fn record_winners(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(id): ApiPath<EditionId>,
    ApiJson(b): ApiJson<WinnersBody>,
) -> ApiResult<Json<Vec<Winner>>> {
    let choices = b
        .winners
        .into_iter()
        .map(|w| (w.entry_id.into(), w.award.into()))
        .collect();
    Ok(Json(
        state
            .store
            .record_winners(id, choices, can.caller.user.id, state.now())
            .await?
            .into_iter()
            .map(Winner::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/editions/{id}/publish", tag = "results", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), responses((status = 200, description = "The publication", body = Publication)))]
pub async fn publish(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(id): ApiPath<EditionId>,
) -> ApiResult<Json<Publication>> {
    Ok(Json(
        state
            .store
            .publish(id, can.caller.user.id, state.now())
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StoredPublication {
    sha256: String,
    snapshot: serde_json::Value,
}

#[utoipa::path(get, path = "/editions/{id}/publication", tag = "results", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), responses((status = 200, description = "The published snapshot and its SHA-256", body = StoredPublication)))]
pub async fn publication(
    State(state): State<AppState>,
    _can: Can<ManageJudging>,
    ApiPath(id): ApiPath<EditionId>,
) -> ApiResult<Json<StoredPublication>> {
    let (text, sha256) = state.store.publication(id).await?.ok_or(Error::NotFound)?;
    Ok(Json(StoredPublication {
        sha256,
        snapshot: serde_json::from_str(&text).unwrap_or_default(),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageOnly {
    /// From 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    page: Option<u64>,
    /// 1 to 100; 20 by default.
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u64>,
}

#[utoipa::path(get, path = "/public/editions", tag = "public", params(PageOnly), responses((status = 200, description = "Published editions", body = Page<EditionView>)))]
pub async fn public_editions(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageOnly>,
) -> ApiResult<Json<Page<EditionView>>> {
    let (page, per_page) = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .resolve()?;
    let now = state.now();
    let p = state
        .store
        .editions(EditionVisibility::Published, page, per_page)
        .await?;
    Ok(Json(Page::new(p, |e| EditionView::new(e, now))))
}

#[utoipa::path(get, path = "/public/editions/{id}/winners", tag = "public", params(("id" = String, Path, description = "Edition id")), responses((status = 200, description = "The winners of a published edition", body = Vec<PublicWinner>)))]
pub async fn public_winners(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<EditionId>,
) -> ApiResult<Json<Vec<PublicWinner>>> {
    Ok(Json(crate::views::list(
        state.store.public_winners(id).await?,
    )))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogueQuery {
    /// Words that must all occur (case- and accent-insensitive, inside words too). At
    /// most 200 characters and 4 different words (repeats, and words inside another,
    /// count once); more is a 422 naming `q`, never silently cut.
    #[param(max_length = 200)]
    q: Option<String>,
    year: Option<i32>,
    field: Option<String>,
    track: Option<String>,
    organisation: Option<OrganisationId>,
    /// From 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    page: Option<u64>,
    /// 1 to 100; 20 by default.
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u64>,
}

#[utoipa::path(get, path = "/public/innovations", tag = "public", params(CatalogueQuery), responses((status = 200, description = "The public catalogue", body = Page<PublicInnovation>)))]
pub async fn catalogue(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CatalogueQuery>,
) -> ApiResult<Json<Page<PublicInnovation>>> {
    let (page, per_page) = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .resolve()?;
    let filter = CatalogueFilter {
        q: q.q,
        year: q.year,
        field: q.field,
        track: q.track,
        organisation: q.organisation.map(Into::into),
    };
    Ok(Json(
        state.store.catalogue(filter, page, per_page).await?.into(),
    ))
}

#[utoipa::path(get, path = "/public/innovations/{id}", tag = "public", params(("id" = String, Path, description = "Entry id")), responses((status = 200, description = "One innovation's public data", body = PublicInnovation)))]
pub async fn public_innovation(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<juri_domain::ids::EntryId>,
) -> ApiResult<Json<PublicInnovation>> {
    Ok(Json(state.store.public_innovation(id).await?.into()))
}

fn download(bytes: Vec<u8>, content_type: &'static str, name: String) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// The two export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

/// An edition's export as a download, counted against `user`'s limit of expensive
/// requests: for the API and for the organiser's pages.
pub async fn export(
    state: &AppState,
    user: UserId,
    id: EditionId,
    format: ExportFormat,
) -> ApiResult<axum::response::Response> {
    state.expensive(user)?;
    let data = state.store.export_data(id).await?;
    Ok(match format {
        ExportFormat::Xlsx => download(
            crate::export::xlsx(&data)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!(
                "{}.xlsx",
                crate::export::file_stem("hasil", &data.edition, state.now())
            ),
        ),
        ExportFormat::Csv => download(
            crate::export::csv(&data)?,
            "text/csv; charset=utf-8",
            format!(
                "{}.csv",
                crate::export::file_stem("peringkat", &data.edition, state.now())
            ),
        ),
    })
}

#[utoipa::path(get, path = "/editions/{id}/export.xlsx", tag = "results", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), responses((status = 200, description = "Results and score sheets as a workbook", content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 429, description = "Too many expensive requests", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn export_xlsx(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(id): ApiPath<EditionId>,
) -> ApiResult<axum::response::Response> {
    export(&state, can.caller.user.id, id, ExportFormat::Xlsx).await
}

#[utoipa::path(get, path = "/editions/{id}/export.csv", tag = "results", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), responses((status = 200, description = "The ranking as CSV", content((String = "text/csv"))), (status = 429, description = "Too many expensive requests", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn export_csv(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(id): ApiPath<EditionId>,
) -> ApiResult<axum::response::Response> {
    export(&state, can.caller.user.id, id, ExportFormat::Csv).await
}
