//! The first organiser: on a database with none, start-up creates one from
//! `JURI_ADMIN_EMAIL` + `JURI_ADMIN_PASSWORD`, or with a generated password that the
//! caller prints once.

use crate::error::{ApiError, ApiResult};
use crate::keys::random_token;
use crate::state::AppState;
use juri_domain::password::{self, PasswordContext};
use juri_domain::user::{Email, PersonName, Role, UserStatus};
use juri_domain::{Error, FieldError};
use juri_persistence::NewUser;
use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_ADMIN_EMAIL: &str = "panitia@juri.local";

/// The organiser made at start-up; `generated_password` is set only when Juri chose it.
#[derive(Debug)]
pub struct FirstOrganiser {
    pub email: String,
    pub generated_password: Option<SecretString>,
}

pub async fn ensure_organiser(
    state: &AppState,
    email: Option<&str>,
    password: Option<SecretString>,
) -> ApiResult<Option<FirstOrganiser>> {
    if state.store.count_organisers().await? > 0 {
        return Ok(None);
    }
    let email = Email::parse(email.unwrap_or(DEFAULT_ADMIN_EMAIL)).map_err(Error::from)?;
    let (password, generated) = match password {
        Some(p) => {
            password::check(
                p.expose_secret(),
                PasswordContext {
                    name: None,
                    email: Some(email.as_str()),
                },
            )
            .map_err(|e: FieldError| {
                ApiError::internal(format!(
                    "JURI_ADMIN_PASSWORD refused: {}",
                    juri_text::render(juri_text::Language::En, &e.message)
                ))
            })?;
            (p, false)
        }
        None => (generate_password(email.as_str()), true),
    };
    let hash = state.passwords.hash(password.clone()).await?;
    let name = PersonName::parse("Panitia").map_err(Error::from)?;
    state
        .store
        .create_user(
            NewUser {
                email: email.clone(),
                name,
                role: Role::Organiser,
                submitter_kind: None,
                organisation_id: None,
                password_hash: Some(hash),
                status: UserStatus::Active,
                expertise: vec![],
            },
            None,
            state.now(),
        )
        .await?;
    Ok(Some(FirstOrganiser {
        email: email.to_string(),
        generated_password: generated.then_some(password),
    }))
}

/// 24 random URL-safe characters (144 bits) that pass the policy.
fn generate_password(email: &str) -> SecretString {
    loop {
        let candidate: String = random_token().chars().take(24).collect();
        let ok = password::check(
            &candidate,
            PasswordContext {
                name: None,
                email: Some(email),
            },
        )
        .is_ok();
        if ok {
            return SecretString::from(candidate);
        }
    }
}
