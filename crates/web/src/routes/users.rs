//! `/me` and `/users`: one's own account; organisers create, list and disable accounts.

use crate::error::ApiResult;
use crate::extract::requirements::{ManageAccounts, ReadOwnAccount};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Can};
use crate::routes::pagination::PageQuery;
use crate::services::accounts::{self, Invitation, StaffAccount};
use crate::state::AppState;
use crate::views::{OrganisationId, Page, Role, UserStatus, UserView};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::ids::UserId;
use serde::{Deserialize, Serialize};

#[utoipa::path(get, path = "/me", tag = "users", security(("bearer" = [])), responses((status = 200, description = "The caller's own account", body = UserView)))]
pub async fn me(can: Can<ReadOwnAccount>) -> Json<UserView> {
    Json(can.caller.user.into())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserBody {
    email: String,
    name: String,
    role: Role,
    #[serde(default)]
    organisation_id: Option<OrganisationId>,
    #[serde(default)]
    expertise: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    user: UserView,
    invitation: Invitation,
}

#[utoipa::path(post, path = "/users", tag = "users", security(("bearer" = [])), request_body = CreateUserBody, responses((status = 201, description = "The account and its one-time invitation link", body = Created)))]
pub async fn create(
    State(state): State<AppState>,
    can: Can<ManageAccounts>,
    ApiJson(body): ApiJson<CreateUserBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let (user, invitation) = accounts::create_staff(
        &state,
        can.caller.user.id,
        StaffAccount {
            email: body.email,
            name: body.name,
            role: body.role.into(),
            organisation_id: body.organisation_id.map(Into::into),
            expertise: body.expertise,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            user: user.into(),
            invitation,
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    role: Option<Role>,
    /// From 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    page: Option<u64>,
    /// 1 to 100; 20 by default.
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u64>,
}

#[utoipa::path(get, path = "/users", tag = "users", security(("bearer" = [])), params(ListQuery), responses((status = 200, description = "One page of accounts", body = Page<UserView>)))]
pub async fn list(
    State(state): State<AppState>,
    _can: Can<ManageAccounts>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<UserView>>> {
    let (page, per_page) = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .resolve()?;
    let users = state
        .store
        .users(q.role.map(Into::into), page, per_page)
        .await?;
    Ok(Json(users.into()))
}

#[utoipa::path(get, path = "/users/{id}", tag = "users", security(("bearer" = [])), params(("id" = String, Path, description = "User id")), responses((status = 200, description = "One account", body = UserView)))]
pub async fn get(
    State(state): State<AppState>,
    _can: Can<ManageAccounts>,
    ApiPath(id): ApiPath<UserId>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(state.store.user(id).await?.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserBody {
    status: UserStatus,
}

/// Enable or disable an account. Disabling revokes its tokens at once.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", security(("bearer" = [])), params(("id" = String, Path, description = "User id")), request_body = UpdateUserBody, responses((status = 200, description = "The account with its new status", body = UserView)))]
pub async fn update(
    State(state): State<AppState>,
    can: Can<ManageAccounts>,
    ApiPath(id): ApiPath<UserId>,
    ApiJson(body): ApiJson<UpdateUserBody>,
) -> ApiResult<Json<UserView>> {
    if id == can.caller.user.id && body.status == UserStatus::Disabled {
        return Err(Error::Conflict(Message::new("conflict.cannot_disable_self")).into());
    }
    if body.status == UserStatus::Invited {
        return Err(Error::invalid(
            "status",
            "invalid_status",
            Message::new("field.users.invalid_status"),
        )
        .into());
    }
    let user = state
        .store
        .set_user_status(
            id,
            body.status.into(),
            Some(can.caller.user.id),
            state.now(),
        )
        .await?;
    Ok(Json(user.into()))
}
