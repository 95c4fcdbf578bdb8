//! Sign-up, sign-in, the session refresh, sign-out, setting a password from an
//! invitation, and the language switch. Each calls the account services the JSON API
//! uses; the pages only move the tokens into and out of cookies.

use crate::error::ApiError;
use crate::extract::ClientIp;
use crate::pages::i18n::Language;
use crate::pages::session::{self, clear_session, set_lang, set_session};
use crate::pages::{
    Ctx, FormErrors, PageResult, PageResultExt, local_path, organiser, render, see_other,
};
use crate::services::accounts::{self, Registration};
use crate::state::AppState;
use crate::throttle::Limited;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::ids::OrganisationId;
use juri_domain::organisation::Organisation;
use juri_domain::user::{Role, SubmitterKind};
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(default)]
    next: String,
}

pub async fn switch_language(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<LanguageForm>,
) -> Response {
    let lang = Language::parse(&f.lang);
    // A signed-in user's choice is also the language of their mail. Failing to record
    // it must not stop the page from switching: the cookie still does that.
    if let Some(caller) = &ctx.caller {
        let mail_lang = juri_domain::Language::parse(lang.code());
        if let Err(e) = state.store.set_language(caller.user.id, mail_lang).await {
            tracing::warn!(error = %e, "cannot record the mail language");
        }
    }
    let mut res = see_other(&local_path(Some(&f.next)).unwrap_or_else(|| "/".to_owned()));
    set_lang(&mut res, &state, lang);
    res
}

/// Where a user lands after signing in, when no page asked for it.
fn home_of(role: Role) -> &'static str {
    match role {
        Role::Submitter => "/peserta",
        Role::Judge => "/juri",
        Role::Organiser => organiser::HOME,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    diterima: String,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    ctx: Ctx,
    email: String,
    next: String,
    errors: FormErrors,
    notice: Option<&'static str>,
}

pub async fn sign_in_form(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    let notice = (!q.diterima.is_empty()).then(|| ctx.t("sign_in.password_set"));
    render(
        StatusCode::OK,
        &SignInPage {
            ctx,
            email: String::new(),
            next: local_path(Some(&q.next)).unwrap_or_default(),
            errors: FormErrors::default(),
            notice,
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Form(f): Form<SignInForm>,
) -> PageResult {
    let outcome = accounts::login(&state, &f.email, SecretString::from(f.password), ip).await;
    match outcome {
        Ok(pair) => {
            let role = match crate::extract::authenticate(&state, &pair.access_token).await {
                Ok(caller) => caller.user.role,
                Err(e) => return Err(crate::pages::PageError::new(e, &ctx)),
            };
            let to = local_path(Some(&f.next)).unwrap_or_else(|| home_of(role).to_owned());
            let mut res = see_other(&to);
            set_session(&mut res, &state, &pair);
            Ok(res)
        }
        Err(ApiError::Domain(Error::Unauthenticated)) => Ok(sign_in_again(
            ctx,
            f.email,
            f.next,
            StatusCode::UNAUTHORIZED,
            "sign_in.failed",
        )),
        Err(ApiError::Domain(Error::TooManyAttempts { .. })) => Ok(sign_in_again(
            ctx,
            f.email,
            f.next,
            StatusCode::TOO_MANY_REQUESTS,
            "error.too_many",
        )),
        Err(e) => Err(crate::pages::PageError::new(e, &ctx)),
    }
}

fn sign_in_again(ctx: Ctx, email: String, next: String, status: StatusCode, key: &str) -> Response {
    let errors = FormErrors::one("password", ctx.t(key));
    render(
        status,
        &SignInPage {
            ctx,
            email,
            next: local_path(Some(&next)).unwrap_or_default(),
            errors,
            notice: None,
        },
    )
}

#[derive(Template)]
#[template(path = "sign_up.html")]
struct SignUpPage {
    ctx: Ctx,
    form: SignUpForm,
    organisations: Vec<Organisation>,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    submitter_kind: String,
    #[serde(default)]
    organisation_id: String,
}

async fn active_organisations(state: &AppState) -> Result<Vec<Organisation>, ApiError> {
    Ok(state.store.organisations(false, None, 1, 100).await?.items)
}

pub async fn sign_up_form(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let organisations = active_organisations(&state).await.page(&ctx)?;
    Ok(render(
        StatusCode::OK,
        &SignUpPage {
            ctx,
            form: SignUpForm {
                submitter_kind: "citizen".to_owned(),
                ..SignUpForm::default()
            },
            organisations,
            errors: FormErrors::default(),
        },
    ))
}

pub async fn sign_up(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Form(mut f): Form<SignUpForm>,
) -> PageResult {
    // The same per-client limit as the API's sign-up: a form is not a way around it.
    state.limit(Limited::SignUp, ip).page(&ctx)?;
    let kind = match f.submitter_kind.as_str() {
        "opd" => Some(SubmitterKind::Opd),
        "student" => Some(SubmitterKind::Student),
        "citizen" => Some(SubmitterKind::Citizen),
        _ => None,
    };
    let organisation_id = match f.organisation_id.trim() {
        "" => Ok(None),
        s => s.parse::<OrganisationId>().map(Some),
    };
    let outcome = match (kind, organisation_id) {
        (Some(kind), Ok(organisation_id)) => {
            accounts::register(
                &state,
                Registration {
                    email: f.email.clone(),
                    password: SecretString::from(f.password.clone()),
                    name: f.name.clone(),
                    submitter_kind: kind,
                    organisation_id,
                },
            )
            .await
        }
        (None, _) => Err(Error::invalid(
            "submitter_kind",
            "required",
            Message::new("field.account.required"),
        )
        .into()),
        (_, Err(_)) => Err(Error::invalid(
            "organisation_id",
            "unknown",
            Message::new("field.account.unknown"),
        )
        .into()),
    };
    match outcome {
        Ok(_) => {
            // Signed up: signed in at once, with the same limits as the sign-in form.
            let pair = accounts::login(&state, &f.email, SecretString::from(f.password), ip)
                .await
                .page(&ctx)?;
            let mut res = see_other("/peserta");
            set_session(&mut res, &state, &pair);
            Ok(res)
        }
        Err(ApiError::Domain(Error::Invalid(errors))) => {
            f.password.clear();
            let organisations = active_organisations(&state).await.page(&ctx)?;
            let errors = FormErrors::new(&errors, ctx.lang);
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SignUpPage {
                    ctx,
                    form: f,
                    organisations,
                    errors,
                },
            ))
        }
        Err(ApiError::Domain(Error::Conflict(_))) => {
            f.password.clear();
            let organisations = active_organisations(&state).await.page(&ctx)?;
            let errors = FormErrors::one("email", ctx.t("sign_up.email_taken"));
            Ok(render(
                StatusCode::CONFLICT,
                &SignUpPage {
                    ctx,
                    form: f,
                    organisations,
                    errors,
                },
            ))
        }
        Err(e) => Err(crate::pages::PageError::new(e, &ctx)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    ctx: Ctx,
    token: String,
    errors: FormErrors,
}

pub async fn invitation_form(ctx: Ctx, Query(q): Query<TokenQuery>) -> Response {
    render(
        StatusCode::OK,
        &InvitationPage {
            ctx,
            token: q.token,
            errors: FormErrors::default(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct InvitationForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<InvitationForm>,
) -> PageResult {
    match accounts::accept_invitation(&state, &f.token, SecretString::from(f.password)).await {
        Ok(_) => Ok(see_other("/masuk?diterima=1")),
        Err(ApiError::Domain(Error::Invalid(errors))) => {
            let errors = FormErrors::new(&errors, ctx.lang);
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &InvitationPage {
                    ctx,
                    token: f.token,
                    errors,
                },
            ))
        }
        Err(ApiError::Domain(Error::NotFound | Error::Unauthenticated | Error::Conflict(_))) => {
            let errors = FormErrors::one("password", ctx.t("invitation.invalid"));
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &InvitationPage {
                    ctx,
                    token: f.token,
                    errors,
                },
            ))
        }
        Err(e) => Err(crate::pages::PageError::new(e, &ctx)),
    }
}

/// `GET /sesi/perbarui?next=`: renew the session from the refresh cookie, or go and
/// sign in.
pub async fn refresh(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    renew(state, ctx, ip, headers, q, false).await
}

/// `POST /sesi/perbarui?next=…`: the same, reached by a 307 from a form sent after the
/// access cookie ran out; answers with a 307 back, so the browser sends the form again
/// with the new cookie and nothing typed is lost. (Without a usable refresh token the
/// session is over: the sign-in page, as for a GET.)
pub async fn refresh_and_resend(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    renew(state, ctx, ip, headers, q, true).await
}

async fn renew(
    state: AppState,
    ctx: Ctx,
    ip: std::net::IpAddr,
    headers: HeaderMap,
    q: NextQuery,
    resend: bool,
) -> Response {
    if let Err(e) = state.limit(Limited::Refresh, ip) {
        return crate::pages::PageError::new(e, &ctx).into_response();
    }
    let next = local_path(Some(&q.next)).unwrap_or_else(|| "/".to_owned());
    let renewed = match session::refresh_cookie(&headers) {
        Some(token) => accounts::refresh(&state, &token).await.ok(),
        None => None,
    };
    match renewed {
        Some(pair) => {
            let mut res = if resend {
                Redirect::temporary(&next).into_response()
            } else {
                see_other(&next)
            };
            set_session(&mut res, &state, &pair);
            res
        }
        None => {
            let mut res = see_other(&format!("/masuk?next={}", session::encode(&next)));
            clear_session(&mut res, &state);
            res
        }
    }
}

/// `POST /sesi/keluar`: revoke the refresh token's family and every access token of
/// the user (the API's logout), and clear both cookies.
pub async fn sign_out(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> PageResult {
    let refresh = session::refresh_cookie(&headers);
    match (&ctx.caller, refresh) {
        (Some(caller), refresh) => accounts::logout(&state, caller.user.id, refresh.as_deref())
            .await
            .page(&ctx)?,
        // The access cookie has expired but the refresh cookie would still sign in again.
        (None, Some(refresh)) => accounts::logout_by_refresh(&state, &refresh)
            .await
            .page(&ctx)?,
        (None, None) => {}
    }
    let mut res = see_other("/");
    clear_session(&mut res, &state);
    Ok(res)
}
