//! `/auth/*`: sign-up, sign-in, refresh, sign-out, invitations.

use crate::error::ApiResult;
use crate::extract::{ApiJson, AuthUser, ClientIp, json};
use crate::services::accounts::{self, Registration, TokenPair};
use crate::state::AppState;
use crate::throttle::Limited;
use crate::views::UserView;
use crate::views::{OrganisationId, SubmitterKind};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bytes::Bytes;
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    #[schema(format = Email, min_length = 3, max_length = 254)]
    email: String,
    /// The policy: 15 to 256 characters, not a common or guessable one.
    #[schema(value_type = String, format = Password, min_length = 15, max_length = 256)]
    password: SecretString,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    name: String,
    submitter_kind: SubmitterKind,
    #[serde(default)]
    organisation_id: Option<OrganisationId>,
}

#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterBody, responses((status = 201, description = "The new submitter account", body = UserView), (status = 429, description = "Too many sign-ups from this client", body = crate::error::Problem, content_type = "application/problem+json")))]
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
            submitter_kind: body.submitter_kind.into(),
            organisation_id: body.organisation_id.map(Into::into),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    #[schema(min_length = 1, max_length = 254)]
    email: String,
    #[schema(value_type = String, format = Password, min_length = 1)]
    password: SecretString,
}

#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginBody, responses((status = 200, description = "An access token and a refresh token", body = TokenPair), (status = 401, description = "Wrong email or password", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "Too many failed sign-ins", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Json<TokenPair>> {
    Ok(Json(
        accounts::login(&state, &body.email, body.password, ip).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshBody {
    refresh_token: String,
}

#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshBody, responses((status = 200, description = "A new token pair; the old refresh token stops working", body = TokenPair), (status = 401, description = "Unknown, used or expired refresh token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "Too many refreshes from this client", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn refresh(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<RefreshBody>,
) -> ApiResult<Json<TokenPair>> {
    state.limit(Limited::Refresh, ip)?;
    Ok(Json(accounts::refresh(&state, &body.refresh_token).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutBody {
    #[serde(default)]
    refresh_token: Option<String>,
}

/// Revokes every access token of the caller and the given refresh token's family, or
/// without one every refresh token of the account ("sign out everywhere").
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("bearer" = [])), request_body(content = Option<LogoutBody>, description = "Optional: the refresh token whose family to revoke; without it every refresh token of the account"), responses((status = 204, description = "Signed out: every access token of the caller stops working")))]
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

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    token: String,
    #[schema(value_type = String, format = Password)]
    password: SecretString,
}

#[utoipa::path(post, path = "/auth/invitations/accept", tag = "auth", request_body = AcceptBody, responses((status = 200, description = "The account, now active", body = UserView), (status = 404, description = "No such invitation: unknown, already used or expired", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<AcceptBody>,
) -> ApiResult<Json<UserView>> {
    let user = accounts::accept_invitation(&state, &body.token, body.password).await?;
    Ok(Json(user.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeBody {
    #[schema(value_type = String, format = Password)]
    current_password: SecretString,
    #[schema(value_type = String, format = Password, min_length = 15)]
    new_password: SecretString,
}

/// Change my password. Every earlier access and refresh token of the account stops
/// working, the caller's included; the answer is the new pair.
#[utoipa::path(post, path = "/me/password", tag = "auth", security(("bearer" = [])), request_body = PasswordChangeBody, responses((status = 200, description = "Changed: a new token pair; every earlier token of the account stops working", body = TokenPair), (status = 401, description = "Not signed in, or the current password is wrong", body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, description = "The new password breaks the policy", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "Too many wrong passwords", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<PasswordChangeBody>,
) -> ApiResult<Json<TokenPair>> {
    Ok(Json(
        accounts::change_password(
            &state,
            &caller.user,
            body.current_password,
            body.new_password,
            ip,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequestBody {
    #[schema(format = Email, min_length = 3, max_length = 254)]
    email: String,
}

/// The same answer for every address.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ResetRequested {
    /// Always `"accepted"`.
    status: &'static str,
    /// In the caller's language.
    detail: &'static str,
}

/// "Forgot password": a one-time link valid one hour is mailed to the address if an
/// account has it. The answer is the same (body and timing) whether or not it does.
#[utoipa::path(post, path = "/auth/password-reset", tag = "auth", request_body = ResetRequestBody, responses((status = 202, description = "Accepted: if the address belongs to an account, a link is on its way", body = ResetRequested), (status = 422, description = "Not an email address", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "Too many requests from this client", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn request_password_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<ResetRequestBody>,
) -> ApiResult<(StatusCode, Json<ResetRequested>)> {
    state.limit(Limited::PasswordReset, ip)?;
    accounts::request_password_reset(&state, &body.email)
        .map_err(|e| crate::error::ApiError::Domain(e.into()))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ResetRequested {
            status: "accepted",
            detail: juri_text::text(crate::language::current(), "password.sent"),
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirmBody {
    token: String,
    #[schema(value_type = String, format = Password, min_length = 15)]
    password: SecretString,
}

/// Use a reset link: the new password is set, the link is spent, and every session of
/// the account ends.
#[utoipa::path(post, path = "/auth/password-reset/confirm", tag = "auth", request_body = ResetConfirmBody, responses((status = 200, description = "The password is set; sign in with it", body = UserView), (status = 404, description = "Unknown token, or the account is disabled", body = crate::error::Problem, content_type = "application/problem+json"), (status = 409, description = "The link was used already or has expired", body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, description = "The password breaks the policy", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn confirm_password_reset(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ResetConfirmBody>,
) -> ApiResult<Json<UserView>> {
    let user = accounts::confirm_password_reset(&state, &body.token, body.password).await?;
    Ok(Json(user.into()))
}
