//! `/auth/*`: sign-up, sign-in, refresh, sign-out, invitations.

use crate::error::ApiResult;
use crate::extract::{ApiJson, AuthUser, ClientIp, json};
use crate::routes::users::UserView;
use crate::services::accounts::{self, Registration, TokenPair};
use crate::state::AppState;
use crate::throttle::Limited;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bytes::Bytes;
use juri_domain::ids::OrganisationId;
use juri_domain::user::SubmitterKind;
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    email: String,
    password: SecretString,
    name: String,
    submitter_kind: SubmitterKind,
    #[serde(default)]
    organisation_id: Option<OrganisationId>,
}

pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<RegisterBody>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    state.limit(Limited::SignUp, ip)?;
    let user = accounts::register(
        &state,
        Registration {
            email: body.email,
            password: body.password,
            name: body.name,
            submitter_kind: body.submitter_kind,
            organisation_id: body.organisation_id,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    email: String,
    password: SecretString,
}

pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Json<TokenPair>> {
    Ok(Json(
        accounts::login(&state, &body.email, body.password, ip).await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshBody {
    refresh_token: String,
}

pub async fn refresh(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<RefreshBody>,
) -> ApiResult<Json<TokenPair>> {
    state.limit(Limited::Refresh, ip)?;
    Ok(Json(accounts::refresh(&state, &body.refresh_token).await?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogoutBody {
    #[serde(default)]
    refresh_token: Option<String>,
}

/// Revokes the given refresh token's family and every access token of the caller.
/// The body is optional.
pub async fn logout(
    State(state): State<AppState>,
    caller: AuthUser,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let body: LogoutBody = if body.is_empty() {
        LogoutBody::default()
    } else {
        json::parse(&body)?
    };
    accounts::logout(&state, caller.user.id, body.refresh_token.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    token: String,
    password: SecretString,
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<AcceptBody>,
) -> ApiResult<Json<UserView>> {
    let user = accounts::accept_invitation(&state, &body.token, body.password).await?;
    Ok(Json(user.into()))
}
