//! `/organisations`: the agencies list, public to read; organisers add, rename, retire.

use crate::error::ApiResult;
use crate::extract::requirements::ManageOrganisations;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Can};
use crate::routes::pagination::PageQuery;
use crate::state::AppState;
use crate::views::{Organisation, OrganisationKind, Page};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use juri_domain::Error;
use juri_domain::ids::OrganisationId;
use juri_domain::organisation::{OrganisationName, short_name};
use juri_persistence::{NewOrganisation, OrganisationChange};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    #[serde(default)]
    include_retired: bool,
    /// Part of the agency's name or short name, any case ("dinkes").
    q: Option<String>,
    /// From 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    page: Option<u64>,
    /// 1 to 100; 20 by default.
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u64>,
}

#[utoipa::path(get, path = "/organisations", tag = "organisations", params(ListQuery), responses((status = 200, description = "One page of agencies", body = Page<Organisation>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Organisation>>> {
    let (page, per_page) = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .resolve()?;
    Ok(Json(
        state
            .store
            .organisations(q.include_retired, q.q.as_deref(), page, per_page)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/organisations/{id}", tag = "organisations", params(("id" = String, Path, description = "Agency id")), responses((status = 200, description = "One agency", body = Organisation)))]
pub async fn get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<OrganisationId>,
) -> ApiResult<Json<Organisation>> {
    Ok(Json(state.store.organisation(id).await?.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisationBody {
    name: String,
    #[serde(default)]
    short_name: Option<String>,
    kind: OrganisationKind,
}

#[utoipa::path(post, path = "/organisations", tag = "organisations", security(("bearer" = [])), request_body = CreateOrganisationBody, responses((status = 201, description = "The new agency", body = Organisation)))]
pub async fn create(
    State(state): State<AppState>,
    can: Can<ManageOrganisations>,
    ApiJson(body): ApiJson<CreateOrganisationBody>,
) -> ApiResult<(StatusCode, Json<Organisation>)> {
    let new = NewOrganisation {
        name: OrganisationName::parse(&body.name).map_err(Error::from)?,
        short_name: short_name(body.short_name.as_deref())?,
        kind: body.kind.into(),
    };
    let org = state
        .store
        .create_organisation(new, can.caller.user.id, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisationBody {
    #[serde(default)]
    name: Option<String>,
    /// `null` clears it; absent leaves it.
    #[serde(default, deserialize_with = "crate::extract::json::nullable")]
    short_name: Option<Option<String>>,
    #[serde(default)]
    kind: Option<OrganisationKind>,
    #[serde(default)]
    retired: Option<bool>,
}

#[utoipa::path(patch, path = "/organisations/{id}", tag = "organisations", security(("bearer" = [])), params(("id" = String, Path, description = "Agency id")), request_body = UpdateOrganisationBody, responses((status = 200, description = "The changed agency", body = Organisation)))]
pub async fn update(
    State(state): State<AppState>,
    can: Can<ManageOrganisations>,
    ApiPath(id): ApiPath<OrganisationId>,
    ApiJson(body): ApiJson<UpdateOrganisationBody>,
) -> ApiResult<Json<Organisation>> {
    let change = OrganisationChange {
        name: body
            .name
            .as_deref()
            .map(OrganisationName::parse)
            .transpose()
            .map_err(Error::from)?,
        short_name: body
            .short_name
            .map(|s| short_name(s.as_deref()))
            .transpose()?,
        kind: body.kind.map(Into::into),
        retired: body.retired,
    };
    Ok(Json(
        state
            .store
            .update_organisation(id, change, can.caller.user.id, state.now())
            .await?
            .into(),
    ))
}
