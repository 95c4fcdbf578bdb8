//! Passwords on the pages: change mine (`/akun/sandi`, signed in) and "forgot password"
//! (`/lupa-sandi`: ask for a link; `/lupa-sandi/baru`: the mailed link's form). The same
//! use cases as the API (`services::accounts`).

use crate::error::ApiError;
use crate::extract::ClientIp;
use crate::extract::requirements::ReadOwnAccount;
use crate::pages::session::set_session;
use crate::pages::{Ctx, FormErrors, PageCan, PageResult, render, see_other};
use crate::services::accounts;
use crate::state::AppState;
use crate::throttle::Limited;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use juri_domain::Error;
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "password_change.html")]
struct ChangePage {
    ctx: Ctx,
    errors: FormErrors,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ChangedQuery {
    #[serde(default)]
    diubah: String,
}

/// `GET /akun/sandi`: the form to change my password.
pub async fn change_form(
    PageCan { ctx, .. }: PageCan<ReadOwnAccount>,
    Query(q): Query<ChangedQuery>,
) -> PageResult {
    let notice = ctx.notice(&[(&q.diubah, "password.changed")]);
    Ok(render(
        StatusCode::OK,
        &ChangePage {
            ctx,
            errors: FormErrors::default(),
            notice,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// `POST /akun/sandi`: change it; this browser gets the new session, every other one
/// is signed out.
pub async fn change(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ReadOwnAccount>,
    ClientIp(ip): ClientIp,
    Form(f): Form<ChangeForm>,
) -> PageResult {
    let user = caller.user;
    let outcome = accounts::change_password(
        &state,
        &user,
        SecretString::from(f.current_password),
        SecretString::from(f.new_password),
        ip,
    )
    .await;
    let (status, errors) = match outcome {
        Ok(pair) => {
            let mut res = see_other("/akun/sandi?diubah=1");
            set_session(&mut res, &state, &pair);
            return Ok(res);
        }
        Err(ApiError::Domain(Error::Unauthenticated)) => (
            StatusCode::UNAUTHORIZED,
            FormErrors::one("current_password", ctx.t("password.wrong_current")),
        ),
        Err(ApiError::Domain(Error::TooManyAttempts { .. })) => (
            StatusCode::TOO_MANY_REQUESTS,
            FormErrors::one("current_password", ctx.t("error.too_many")),
        ),
        Err(ApiError::Domain(Error::Invalid(errors))) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::new(&errors, ctx.lang),
        ),
        Err(e) => return Err(crate::pages::PageError::new(e, &ctx)),
    };
    Ok(render(
        status,
        &ChangePage {
            ctx,
            errors,
            notice: None,
        },
    ))
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    ctx: Ctx,
    email: String,
    errors: FormErrors,
    sent: bool,
}

/// `GET /lupa-sandi`: ask for a reset link.
pub async fn forgot_form(ctx: Ctx) -> Response {
    render(
        StatusCode::OK,
        &ForgotPage {
            ctx,
            email: String::new(),
            errors: FormErrors::default(),
            sent: false,
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// `POST /lupa-sandi`: the same page for every address ("if it has an account, a link
/// is on its way"), as the API answers.
pub async fn forgot(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Form(f): Form<ForgotForm>,
) -> PageResult {
    let email = f.email.trim().to_owned();
    let refused = if email.is_empty() {
        Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::one("email", ctx.t("password.email_required")),
        ))
    } else if state.limit(Limited::PasswordReset, ip).is_err() {
        Some((
            StatusCode::TOO_MANY_REQUESTS,
            FormErrors::one("email", ctx.t("error.too_many")),
        ))
    } else if let Err(e) = accounts::request_password_reset(&state, &email) {
        Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::new(&[e], ctx.lang),
        ))
    } else {
        None
    };
    let (status, errors, sent) = match refused {
        Some((status, errors)) => (status, errors, false),
        None => (StatusCode::OK, FormErrors::default(), true),
    };
    Ok(render(
        status,
        &ForgotPage {
            ctx,
            email,
            errors,
            sent,
        },
    ))
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    ctx: Ctx,
    token: String,
    /// The link cannot be used (unknown, spent, expired): say so, offer a new one.
    dead: bool,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn dead_link(ctx: Ctx, token: String, e: &ApiError) -> Response {
    let status = match e {
        ApiError::Domain(Error::Conflict(_)) => StatusCode::CONFLICT,
        _ => StatusCode::NOT_FOUND,
    };
    render(
        status,
        &ResetPage {
            ctx,
            token,
            dead: true,
            errors: FormErrors::default(),
        },
    )
}

/// `GET /lupa-sandi/baru?token=`: the mailed link. A link that no longer works says
/// so at once, before anyone types a new password into it.
pub async fn reset_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> PageResult {
    match accounts::password_reset_user(&state, &q.token).await {
        Ok(_) => Ok(render(
            StatusCode::OK,
            &ResetPage {
                ctx,
                token: q.token,
                dead: false,
                errors: FormErrors::default(),
            },
        )),
        Err(e @ ApiError::Domain(Error::NotFound | Error::Conflict(_))) => {
            Ok(dead_link(ctx, q.token, &e))
        }
        Err(e) => Err(crate::pages::PageError::new(e, &ctx)),
    }
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

/// `POST /lupa-sandi/baru`: set the new password, then sign in with it.
pub async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ResetForm>,
) -> PageResult {
    match accounts::confirm_password_reset(&state, &f.token, SecretString::from(f.password)).await {
        Ok(_) => Ok(see_other("/masuk?diterima=1")),
        Err(ApiError::Domain(Error::Invalid(errors))) => {
            let errors = FormErrors::new(&errors, ctx.lang);
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ResetPage {
                    ctx,
                    token: f.token,
                    dead: false,
                    errors,
                },
            ))
        }
        Err(e @ ApiError::Domain(Error::NotFound | Error::Conflict(_))) => {
            Ok(dead_link(ctx, f.token, &e))
        }
        Err(e) => Err(crate::pages::PageError::new(e, &ctx)),
    }
}
