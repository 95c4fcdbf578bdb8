//! `/editions`: organisers set up editions, their fields and tracks; everyone reads the
//! editions that have been announced (submissions opened).

use crate::error::ApiResult;
use crate::extract::requirements::ManageEditions;
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Can};
use crate::routes::pagination::PageQuery;
use crate::state::AppState;
use crate::views::{EditionView, Field, Page, RankingScope, SubmitterKind, Track};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::edition::{Edition, EditionChange, EditionDraft, category_name};
use juri_domain::ids::{EditionId, FieldId, TrackId};
use juri_domain::user::Role;
use juri_persistence::{CategoryChange, EditionVisibility, NewTrack};
use serde::Deserialize;

/// Organisers see editions still in set-up; nobody else does.
fn sees_all(caller: Option<&AuthUser>) -> bool {
    caller.is_some_and(|c| c.user.role == Role::Organiser)
}

/// Load an edition the caller may see: unannounced editions are not found for
/// anyone but organisers.
async fn visible_edition(
    state: &AppState,
    caller: Option<AuthUser>,
    id: EditionId,
) -> ApiResult<Edition> {
    let edition = state.store.edition(id).await?;
    if !edition.is_announced(state.now()) && !sees_all(caller.as_ref()) {
        return Err(Error::NotFound.into());
    }
    Ok(edition)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEditionBody {
    #[schema(min_length = 3, max_length = 200)]
    name: String,
    #[schema(minimum = 2000, maximum = 2100)]
    year: i32,
    submission_opens_at: DateTime<Utc>,
    submission_closes_at: DateTime<Utc>,
    #[serde(default = "default_true")]
    blind_judging: bool,
    #[serde(default = "default_scope")]
    ranking_scope: RankingScope,
}

fn default_true() -> bool {
    true
}

fn default_scope() -> RankingScope {
    RankingScope::PerTrack
}

#[utoipa::path(post, path = "/editions", tag = "editions", security(("bearer" = [])), request_body = CreateEditionBody, responses((status = 201, description = "The new edition", body = EditionView)))]
pub async fn create(
    State(state): State<AppState>,
    can: Can<ManageEditions>,
    ApiJson(b): ApiJson<CreateEditionBody>,
) -> ApiResult<(StatusCode, Json<EditionView>)> {
    let draft = EditionDraft::parse(
        &b.name,
        b.year,
        b.submission_opens_at,
        b.submission_closes_at,
        b.blind_judging,
        b.ranking_scope.into(),
    )?;
    let now = state.now();
    let e = state
        .store
        .create_edition(draft, can.caller.user.id, now)
        .await?;
    Ok((StatusCode::CREATED, Json(EditionView::new(e, now))))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// From 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    page: Option<u64>,
    /// 1 to 100; 20 by default.
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u64>,
}

#[utoipa::path(get, path = "/editions", tag = "editions", security((), ("bearer" = [])), params(ListQuery), responses((status = 200, description = "Editions the caller may see (organisers: all)", body = Page<EditionView>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<EditionView>>> {
    let (page, per_page) = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .resolve()?;
    let now = state.now();
    let which = if sees_all(caller.as_ref()) {
        EditionVisibility::All
    } else {
        EditionVisibility::OpenedBy(now)
    };
    let p = state.store.editions(which, page, per_page).await?;
    Ok(Json(Page::new(p, |e| EditionView::new(e, now))))
}

#[utoipa::path(get, path = "/editions/{id}", tag = "editions", security((), ("bearer" = [])), params(("id" = String, Path, description = "Edition id")), responses((status = 200, description = "One edition", body = EditionView)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    ApiPath(id): ApiPath<EditionId>,
) -> ApiResult<Json<EditionView>> {
    let e = visible_edition(&state, caller, id).await?;
    Ok(Json(EditionView::new(e, state.now())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEditionBody {
    #[schema(min_length = 3, max_length = 200)]
    name: Option<String>,
    #[schema(minimum = 2000, maximum = 2100)]
    year: Option<i32>,
    submission_opens_at: Option<DateTime<Utc>>,
    submission_closes_at: Option<DateTime<Utc>>,
    blind_judging: Option<bool>,
    ranking_scope: Option<RankingScope>,
}

#[utoipa::path(patch, path = "/editions/{id}", tag = "editions", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), request_body = UpdateEditionBody, responses((status = 200, description = "The changed edition", body = EditionView)))]
pub async fn update(
    State(state): State<AppState>,
    can: Can<ManageEditions>,
    ApiPath(id): ApiPath<EditionId>,
    ApiJson(b): ApiJson<UpdateEditionBody>,
) -> ApiResult<Json<EditionView>> {
    let change = EditionChange {
        name: b.name,
        year: b.year,
        submission_opens_at: b.submission_opens_at,
        submission_closes_at: b.submission_closes_at,
        blind_judging: b.blind_judging,
        ranking_scope: b.ranking_scope.map(Into::into),
    };
    let now = state.now();
    let e = state
        .store
        .update_edition(id, change, can.caller.user.id, now)
        .await?;
    Ok(Json(EditionView::new(e, now)))
}

#[utoipa::path(get, path = "/editions/{id}/fields", tag = "editions", security((), ("bearer" = [])), params(("id" = String, Path, description = "Edition id")), responses((status = 200, description = "The edition's fields (bidang)", body = Vec<Field>)))]
pub async fn fields(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    ApiPath(id): ApiPath<EditionId>,
) -> ApiResult<Json<Vec<Field>>> {
    let e = visible_edition(&state, caller, id).await?;
    Ok(Json(crate::views::list(state.store.fields(e.id).await?)))
}

#[utoipa::path(get, path = "/editions/{id}/tracks", tag = "editions", security((), ("bearer" = [])), params(("id" = String, Path, description = "Edition id")), responses((status = 200, description = "The edition's tracks (kategori peserta)", body = Vec<Track>)))]
pub async fn tracks(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    ApiPath(id): ApiPath<EditionId>,
) -> ApiResult<Json<Vec<Track>>> {
    let e = visible_edition(&state, caller, id).await?;
    Ok(Json(crate::views::list(state.store.tracks(e.id).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFieldBody {
    #[schema(min_length = 2, max_length = 120)]
    name: String,
}

#[utoipa::path(post, path = "/editions/{id}/fields", tag = "editions", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), request_body = NewFieldBody, responses((status = 201, description = "The new field", body = Field)))]
pub async fn add_field(
    State(state): State<AppState>,
    can: Can<ManageEditions>,
    ApiPath(id): ApiPath<EditionId>,
    ApiJson(b): ApiJson<NewFieldBody>,
) -> ApiResult<(StatusCode, Json<Field>)> {
    let name = category_name(&b.name).map_err(Error::from)?;
    let f = state
        .store
        .add_field(id, name, can.caller.user.id, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(f.into())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryBody {
    #[schema(min_length = 2, max_length = 120)]
    name: Option<String>,
    position: Option<i32>,
    retired: Option<bool>,
}

impl CategoryBody {
    fn change(self) -> Result<CategoryChange, Error> {
        Ok(CategoryChange {
            name: self
                .name
                .as_deref()
                .map(category_name)
                .transpose()
                .map_err(Error::from)?,
            position: self.position,
            retired: self.retired,
        })
    }
}

#[utoipa::path(patch, path = "/editions/{id}/fields/{field}", tag = "editions", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id"), ("field" = String, Path, description = "Field id")), request_body = CategoryBody, responses((status = 200, description = "The changed field", body = Field)))]
pub async fn update_field(
    State(state): State<AppState>,
    can: Can<ManageEditions>,
    ApiPath((id, field)): ApiPath<(EditionId, FieldId)>,
    ApiJson(b): ApiJson<CategoryBody>,
) -> ApiResult<Json<Field>> {
    Ok(Json(
        state
            .store
            .update_field(id, field, b.change()?, can.caller.user.id, state.now())
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTrackBody {
    #[schema(min_length = 2, max_length = 120)]
    name: String,
    #[serde(default)]
    submitter_kind: Option<SubmitterKind>,
    #[serde(default)]
    requires_organisation: bool,
}

#[utoipa::path(post, path = "/editions/{id}/tracks", tag = "editions", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), request_body = NewTrackBody, responses((status = 201, description = "The new track", body = Track)))]
pub async fn add_track(
    State(state): State<AppState>,
    can: Can<ManageEditions>,
    ApiPath(id): ApiPath<EditionId>,
    ApiJson(b): ApiJson<NewTrackBody>,
) -> ApiResult<(StatusCode, Json<Track>)> {
    let new = NewTrack {
        name: category_name(&b.name).map_err(Error::from)?,
        submitter_kind: b.submitter_kind.map(Into::into),
        requires_organisation: b.requires_organisation,
    };
    let t = state
        .store
        .add_track(id, new, can.caller.user.id, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

#[utoipa::path(patch, path = "/editions/{id}/tracks/{track}", tag = "editions", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id"), ("track" = String, Path, description = "Track id")), request_body = CategoryBody, responses((status = 200, description = "The changed track", body = Track)))]
pub async fn update_track(
    State(state): State<AppState>,
    can: Can<ManageEditions>,
    ApiPath((id, track)): ApiPath<(EditionId, TrackId)>,
    ApiJson(b): ApiJson<CategoryBody>,
) -> ApiResult<Json<Track>> {
    Ok(Json(
        state
            .store
            .update_track(id, track, b.change()?, can.caller.user.id, state.now())
            .await?
            .into(),
    ))
}
