//! Sign-up, sign-in, token refresh and sign-out, staff invitations.

use crate::error::{ApiError, ApiResult};
use crate::keys::{random_token, token_hash};
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use juri_domain::Message;
use juri_domain::ids::{OrganisationId, UserId};
use juri_domain::password::{self, PasswordContext};
use juri_domain::token::{ACCESS_TOKEN_SECONDS, AccessClaims};
use juri_domain::user::{Email, PersonName, Role, SubmitterKind, User, UserStatus};
use juri_domain::{Error, FieldError, access};
use juri_persistence::{
    Attempt, AttemptKeys, NewInvitation, NewPasswordReset, NewRefreshToken, NewUser, RotateOutcome,
};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use std::net::IpAddr;

/// What a successful sign-in or refresh returns.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
    pub refresh_expires_in: i64,
}

/// Collects field errors so that one answer lists every problem of a form.
#[derive(Debug, Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    fn finish(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}

fn sign_access(state: &AppState, user: &User, now: DateTime<Utc>) -> ApiResult<String> {
    let claims = AccessClaims::issue(
        &state.config.claim_rules,
        user.id,
        user.role,
        user.token_version,
        now.timestamp(),
        uuid::Uuid::now_v7().to_string(),
    );
    state.keys.sign(&claims).map_err(ApiError::internal)
}

fn pair(
    state: &AppState,
    user: &User,
    refresh: String,
    now: DateTime<Utc>,
) -> ApiResult<TokenPair> {
    Ok(TokenPair {
        access_token: sign_access(state, user, now)?,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
        refresh_token: refresh,
        refresh_expires_in: Duration::days(state.config.refresh_token_days).num_seconds(),
    })
}

/// A submitter signing themselves up.
#[derive(Debug)]
pub struct Registration {
    pub email: String,
    pub password: SecretString,
    pub name: String,
    pub submitter_kind: SubmitterKind,
    pub organisation_id: Option<OrganisationId>,
}

pub async fn register(state: &AppState, r: Registration) -> ApiResult<User> {
    let mut problems = Problems::default();
    let email = problems.take(Email::parse(&r.email));
    let name = problems.take(PersonName::parse(&r.name));
    problems.take(password::check(
        r.password.expose_secret(),
        PasswordContext {
            name: Some(&r.name),
            email: Some(&r.email),
        },
    ));
    if r.submitter_kind == SubmitterKind::Opd && r.organisation_id.is_none() {
        problems.0.push(FieldError::new(
            "organisation_id",
            "required",
            Message::new("field.accounts.required"),
        ));
    }
    problems.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(ApiError::internal("validated values missing".to_owned()));
    };
    let hash = state.passwords.hash(r.password).await?;
    let user = state
        .store
        .create_user(
            NewUser {
                email,
                name,
                role: Role::Submitter,
                submitter_kind: Some(r.submitter_kind),
                organisation_id: r.organisation_id,
                password_hash: Some(hash),
                status: UserStatus::Active,
                expertise: vec![],
            },
            None,
            state.now(),
        )
        .await?;
    Ok(user)
}

pub async fn login(
    state: &AppState,
    email_raw: &str,
    password: SecretString,
    client: IpAddr,
) -> ApiResult<TokenPair> {
    let now = state.now();
    let keys = AttemptKeys::new(&email_raw.trim().to_lowercase(), client);
    let credentials = match Email::parse(email_raw) {
        Ok(email) => state.store.credentials_by_email(&email).await?,
        Err(_) => None,
    };
    let (user, stored) = match credentials {
        Some(c) => (Some(c.user), c.password_hash),
        None => (None, None),
    };
    // Unknown accounts are checked against the dummy hash: same work, same answer.
    let (attempt, verified) = counted_check(state, &keys, password.clone(), stored, now).await?;
    let user = match user {
        Some(user) if verified.ok && user.status.may_sign_in() => user,
        // The attempt stays recorded as a failure.
        _ => return Err(Error::Unauthenticated.into()),
    };
    state.store.sign_in_succeeded(&keys, attempt).await?;
    let upgraded = if verified.needs_rehash {
        Some(state.passwords.hash(password).await?)
    } else {
        None
    };
    state.store.record_login(user.id, now, upgraded).await?;
    new_session(state, &user, now).await
}

/// A password check counted against the sign-in limits before it runs, in the database
/// every server shares: a burst of parallel guesses is counted one by one (the eleventh
/// refused unhashed), and four servers do not give four budgets. The attempt stays
/// recorded as a failure until `sign_in_succeeded`; one the server was too busy to
/// check (every hashing slot taken) does not count.
async fn counted_check(
    state: &AppState,
    keys: &AttemptKeys,
    password: SecretString,
    stored: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<(Attempt, crate::passwords::Verified)> {
    let attempt = state
        .store
        .begin_sign_in(
            keys,
            (
                state.config.login_limit_per_account,
                state.config.login_limit_per_client,
            ),
            now,
        )
        .await?
        .map_err(|retry_after_secs| Error::TooManyAttempts { retry_after_secs })?;
    match state.passwords.verify(password, stored).await {
        Ok(v) => Ok((attempt, v)),
        Err(e) => {
            state.store.sign_in_abandoned(attempt).await?;
            Err(e)
        }
    }
}

/// A new token pair for `user`: a new refresh family and an access token.
async fn new_session(state: &AppState, user: &User, now: DateTime<Utc>) -> ApiResult<TokenPair> {
    let refresh = random_token();
    state
        .store
        .insert_refresh_token(NewRefreshToken {
            user_id: user.id,
            family_id: None,
            token_hash: token_hash(&refresh),
            issued_at: now,
            expires_at: now + Duration::days(state.config.refresh_token_days),
        })
        .await?;
    pair(state, user, refresh, now)
}

/// The password policy's verdict on `password` for `user`, reported at `field`.
fn check_new_password(password: &SecretString, user: &User, field: &str) -> ApiResult<()> {
    password::check(
        password.expose_secret(),
        PasswordContext {
            name: Some(&user.name),
            email: Some(user.email.as_str()),
        },
    )
    .map_err(|mut e| {
        e.field = field.to_owned();
        ApiError::from(Error::from(e))
    })
}

/// The signed-in account changes its password. The current password is checked like a
/// sign-in (the same limits: a stolen session cannot guess it), every earlier token of
/// the account stops working, and the caller gets a new pair.
pub async fn change_password(
    state: &AppState,
    user: &User,
    current: SecretString,
    new: SecretString,
    client: IpAddr,
) -> ApiResult<TokenPair> {
    let now = state.now();
    check_new_password(&new, user, "new_password")?;
    let keys = AttemptKeys::new(user.email.as_str(), client);
    let stored = state
        .store
        .credentials_by_email(&user.email)
        .await?
        .and_then(|c| c.password_hash);
    let (attempt, verified) = counted_check(state, &keys, current, stored, now).await?;
    if !verified.ok {
        return Err(Error::Unauthenticated.into());
    }
    state.store.sign_in_succeeded(&keys, attempt).await?;
    let hash = state.passwords.hash(new).await?;
    let fresh = state.store.change_password(user.id, hash, now).await?;
    new_session(state, &fresh, now).await
}

/// How long a reset link works.
pub const RESET_VALID_MINUTES: i64 = 60;

/// Someone asked for a reset link for `email`. The answer is the same whether or not
/// the account exists, and so is its timing: the work (look-up, token, mail) runs after
/// the answer has gone, in a task of its own.
///
/// Only an address that cannot be one is refused (422): that says nothing about who has
/// an account.
pub fn request_password_reset(state: &AppState, email: &str) -> Result<(), FieldError> {
    let email = Email::parse(email)?;
    let state = state.clone();
    tokio::spawn(async move {
        let now = state.now();
        let token = random_token();
        let reset = NewPasswordReset {
            token_hash: token_hash(&token),
            expires_at: now + Duration::minutes(RESET_VALID_MINUTES),
            url: format!(
                "{}/lupa-sandi/baru?token={token}",
                state.config.public_url.trim_end_matches('/')
            ),
        };
        if let Err(e) = state.store.request_password_reset(&email, reset, now).await {
            tracing::error!(error = %e, "password reset request failed");
        }
    });
    Ok(())
}

/// The account behind a usable reset token (404 unknown or disabled, 409 spent).
pub async fn password_reset_user(state: &AppState, token: &str) -> ApiResult<User> {
    Ok(state
        .store
        .password_reset_user(&token_hash(token), state.now())
        .await?)
}

/// Use a reset token: the new password is set and every session of the account ends.
pub async fn confirm_password_reset(
    state: &AppState,
    token: &str,
    password: SecretString,
) -> ApiResult<User> {
    let now = state.now();
    let hash = token_hash(token);
    let user = state.store.password_reset_user(&hash, now).await?;
    check_new_password(&password, &user, "password")?;
    let password_hash = state.passwords.hash(password).await?;
    Ok(state
        .store
        .reset_password(&hash, password_hash, now)
        .await?)
}

pub async fn refresh(state: &AppState, presented: &str) -> ApiResult<TokenPair> {
    let now = state.now();
    let next = random_token();
    let outcome = state
        .store
        .rotate_refresh_token(
            &token_hash(presented),
            token_hash(&next),
            now,
            now + Duration::days(state.config.refresh_token_days),
        )
        .await?;
    match outcome {
        RotateOutcome::Rotated(user) => pair(state, &user, next, now),
        RotateOutcome::Reused => {
            tracing::warn!("refresh token reuse detected: family revoked");
            Err(Error::Unauthenticated.into())
        }
        RotateOutcome::Invalid => Err(Error::Unauthenticated.into()),
    }
}

pub async fn logout(state: &AppState, user: UserId, refresh: Option<&str>) -> ApiResult<()> {
    let hash = refresh.map(token_hash);
    state
        .store
        .logout(user, hash.as_deref(), state.now())
        .await?;
    Ok(())
}

/// Sign out with only the refresh token (the page's cookie after the access cookie expired).
pub async fn logout_by_refresh(state: &AppState, refresh: &str) -> ApiResult<()> {
    state
        .store
        .logout_by_refresh(&token_hash(refresh), state.now())
        .await?;
    Ok(())
}

/// A judge or organiser account to create.
#[derive(Debug)]
pub struct StaffAccount {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<OrganisationId>,
    pub expertise: Vec<String>,
}

/// The one-time link with which the new account sets its password.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub token: String,
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

pub async fn create_staff(
    state: &AppState,
    actor: UserId,
    s: StaffAccount,
) -> ApiResult<(User, Invitation)> {
    let mut problems = Problems::default();
    let email = problems.take(Email::parse(&s.email));
    let name = problems.take(PersonName::parse(&s.name));
    let role = match access::staff_role(s.role) {
        Ok(r) => Some(r),
        Err(Error::Invalid(mut e)) => {
            problems.0.append(&mut e);
            None
        }
        Err(e) => return Err(e.into()),
    };
    let expertise: Vec<String> = s
        .expertise
        .iter()
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty())
        .collect();
    if expertise.len() > 50 || expertise.iter().any(|e| e.chars().count() > 100) {
        problems.0.push(FieldError::new(
            "expertise",
            "invalid_expertise",
            Message::new("field.accounts.invalid_expertise"),
        ));
    }
    problems.finish()?;
    let (Some(email), Some(name), Some(role)) = (email, name, role) else {
        return Err(ApiError::internal("validated values missing".to_owned()));
    };
    let now = state.now();
    let token = random_token();
    let expires_at = now + Duration::days(state.config.invitation_days);
    let user = state
        .store
        .create_invited_user(
            NewUser {
                email,
                name,
                role,
                submitter_kind: None,
                organisation_id: s.organisation_id,
                password_hash: None,
                status: UserStatus::Invited,
                expertise,
            },
            NewInvitation {
                token_hash: token_hash(&token),
                expires_at,
            },
            actor,
            now,
        )
        .await?;
    let url = format!("{}/undangan?token={token}", state.config.public_url);
    Ok((
        user,
        Invitation {
            token,
            url,
            expires_at,
        },
    ))
}

pub async fn accept_invitation(
    state: &AppState,
    token: &str,
    password: SecretString,
) -> ApiResult<User> {
    let now = state.now();
    let hash = token_hash(token);
    let user = state.store.invitation_user(&hash, now).await?;
    password::check(
        password.expose_secret(),
        PasswordContext {
            name: Some(&user.name),
            email: Some(user.email.as_str()),
        },
    )
    .map_err(Error::from)?;
    let password_hash = state.passwords.hash(password).await?;
    Ok(state
        .store
        .accept_invitation(&hash, password_hash, now)
        .await?)
}
