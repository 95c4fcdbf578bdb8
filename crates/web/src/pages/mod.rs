//! The web interface: server-rendered HTML pages (askama templates in
//! `crates/web/templates/`, checked at compile time and escaped), one small CSS file
//! and no script on the pages built so far. Page handlers call the same `Store`
//! methods and services as the JSON handlers; no rule lives here.
//!
//! The browser session is the API's access token in an `HttpOnly` cookie (see
//! [`session`]); every state-changing request passes [`csrf::check`]; strings come
//! from one catalogue per language ([`i18n`]). `docs/web.md` tells the whole story.

pub mod account;
pub mod agencies;
pub mod audit;
pub mod csrf;
pub mod door;
pub mod i18n;
pub mod judge;
pub mod organiser;
pub mod panel;
pub mod password;
pub mod public;
pub mod round_form;
pub mod session;
pub mod setup;
pub mod shared;
pub mod submitter;

use crate::error::ApiError;
use crate::extract::requirements::ReadOwnAccount;
use crate::extract::{AuthUser, authenticate};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
pub use door::{PageCan, PagePath};
use i18n::Language;
use juri_domain::FieldError;
use juri_domain::ids::{AttachmentId, EntryId};

/// The pages and their static files. `upload_limit`: the body limit of attachment
/// uploads.
pub fn router(state: AppState, upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/", get(public::home))
        .route("/pemenang", get(public::winners_index))
        .route("/pemenang/{id}", get(public::winners))
        .route("/katalog", get(public::catalogue))
        .route("/inovasi/{id}", get(public::innovation))
        .route("/bahasa", post(account::switch_language))
        .route("/masuk", get(account::sign_in_form).post(account::sign_in))
        .route("/daftar", get(account::sign_up_form).post(account::sign_up))
        .route(
            "/undangan",
            get(account::invitation_form).post(account::accept_invitation),
        )
        .route(
            session::REFRESH_PATH,
            get(account::refresh).post(account::refresh_and_resend),
        )
        .route("/sesi/keluar", post(account::sign_out))
        .route(
            "/akun/sandi",
            get(password::change_form).post(password::change),
        )
        .route(
            "/lupa-sandi",
            get(password::forgot_form).post(password::forgot),
        )
        .route(
            "/lupa-sandi/baru",
            get(password::reset_form).post(password::reset),
        )
        .route("/peserta", get(submitter::my_entries))
        .route(
            "/peserta/inovasi/baru",
            get(submitter::new_entry_form)
                .post(submitter::create_entry)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/peserta/inovasi/{id}",
            get(submitter::entry_page).post(submitter::save_entry),
        )
        .route(
            "/peserta/inovasi/{id}/lampiran",
            post(submitter::upload).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/peserta/inovasi/{id}/lampiran/{aid}/hapus",
            get(submitter::remove_attachment_confirm).post(submitter::remove_attachment),
        )
        .route(
            "/peserta/inovasi/{id}/kirim",
            get(submitter::submit_confirm).post(submitter::submit),
        )
        .route(
            "/peserta/inovasi/{id}/tarik",
            get(submitter::confirm::<submitter::Withdraw>).post(submitter::withdraw),
        )
        .route(
            "/peserta/inovasi/{id}/hapus",
            get(submitter::confirm::<submitter::Delete>).post(submitter::delete),
        )
        .route("/berkas/{entry}/{aid}", get(download))
        .route("/juri", get(judge::assignments))
        .route("/juri/konflik", post(judge::declare_agency_conflict))
        .route("/juri/penilaian/{id}", get(judge::sheet).post(judge::save))
        .route(
            "/juri/penilaian/{id}/konflik",
            post(judge::declare_conflict),
        )
        .route(
            "/juri/penilaian/{id}/kirim",
            get(judge::submit_confirm).post(judge::submit),
        )
        .route(organiser::HOME, get(organiser::home))
        .route("/panitia/jejak", get(audit::trail))
        .route("/panitia/jejak/periksa", post(audit::verify))
        .route(agencies::PATH, get(agencies::list).post(agencies::create))
        .route("/panitia/organisasi/{id}", post(agencies::update))
        .route(
            "/panitia/edisi/baru",
            get(setup::new_edition).post(setup::create_edition),
        )
        .route(
            "/panitia/edisi/{id}/atur",
            get(setup::setup).post(setup::update_edition),
        )
        .route("/panitia/edisi/{id}/bidang", post(setup::add_field))
        .route(
            "/panitia/edisi/{id}/bidang/{field}",
            post(setup::change_field),
        )
        .route("/panitia/edisi/{id}/kategori", post(setup::add_track))
        .route(
            "/panitia/edisi/{id}/kategori/{track}",
            post(setup::change_track),
        )
        .route(
            "/panitia/edisi/{id}/panel",
            get(panel::panel).post(panel::put_judge),
        )
        .route("/panitia/edisi/{id}/panel/undang", post(panel::invite))
        .route(
            "/panitia/edisi/{id}/panel/konflik",
            post(panel::declare_conflict),
        )
        .route("/panitia/edisi/{id}", get(organiser::edition))
        .route(
            "/panitia/edisi/{id}/seleksi",
            get(organiser::queue).post(organiser::screen_many),
        )
        .route("/panitia/inovasi/{id}", get(organiser::entry))
        .route("/panitia/inovasi/{id}/seleksi", post(organiser::screen))
        .route(
            "/panitia/edisi/{id}/babak/baru",
            get(round_form::new_round).post(round_form::create_round),
        )
        .route(
            "/panitia/babak/{id}/ubah",
            get(round_form::edit_round).post(round_form::update_round),
        )
        .route("/panitia/babak/{id}", get(organiser::round))
        .route("/panitia/babak/{id}/otomatis", post(organiser::auto_assign))
        .route("/panitia/babak/{id}/tambah", post(organiser::assign))
        .route(
            "/panitia/babak/{id}/tambah-banyak",
            post(organiser::assign_many),
        )
        .route("/panitia/babak/{id}/hapus", post(organiser::unassign))
        .route(
            "/panitia/babak/{id}/tutup",
            get(organiser::close_confirm).post(organiser::close_round),
        )
        .route("/panitia/babak/{id}/ingatkan", post(organiser::remind))
        .route("/panitia/babak/{id}/maju", post(organiser::advance))
        .route(
            "/panitia/babak/{id}/lembar/{sheet}/buka",
            get(organiser::reopen_form).post(organiser::reopen_sheet),
        )
        .route("/panitia/edisi/{id}/hasil", get(organiser::results))
        .route(
            "/panitia/edisi/{id}/hasil/{entry}",
            get(organiser::drilldown),
        )
        .route("/panitia/edisi/{id}/seri", post(organiser::decide_tie))
        .route(
            "/panitia/edisi/{id}/pemenang",
            post(organiser::record_winners),
        )
        .route(
            "/panitia/edisi/{id}/terbitkan",
            get(organiser::publish_confirm).post(organiser::publish),
        )
        .route(
            "/panitia/edisi/{id}/ekspor.xlsx",
            get(organiser::export_xlsx),
        )
        .route("/panitia/edisi/{id}/ekspor.csv", get(organiser::export_csv))
        .route("/static/juri.css", get(stylesheet))
        .route("/static/skor.js", get(script))
        .layer(axum::middleware::from_fn_with_state(state, csrf::check))
}

const CSS: &str = include_str!("../../static/juri.css");

async fn stylesheet() -> Response {
    let mut res = CSS.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}

const SCORE_JS: &str = include_str!("../../static/skor.js");

async fn script() -> Response {
    let mut res = SCORE_JS.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}

/// `GET /berkas/{entry}/{attachment}`: an attachment for whoever may read its entry
/// (its submitter, an assigned judge, an organiser), with the API's download headers.
/// Any signed-in role passes the door (`ReadOwnAccount`); the store decides per entry.
async fn download(
    axum::extract::State(state): axum::extract::State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ReadOwnAccount>,
    PagePath((entry, aid)): PagePath<(EntryId, AttachmentId)>,
) -> PageResult {
    crate::routes::attachments::attachment_response(&state, &caller, entry, aid)
        .await
        .page(&ctx)
}

/// What every page knows about its request: the language, the signed-in user (if the
/// session cookie holds a valid access token) and the address, for the language
/// switch to come back to.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Language,
    pub caller: Option<AuthUser>,
    /// Path and query of this page.
    pub here: String,
    /// A refresh cookie may renew the session (sent only to the refresh path, so the
    /// page cannot see it: true when the access cookie exists but has expired or was
    /// refused, or is missing while the browser kept a marker of a session).
    pub session_cookie: bool,
    /// The request carries a form (not GET or HEAD): a detour through the session
    /// refresh must bring the form back with it.
    pub resend: bool,
}

impl Ctx {
    pub fn anonymous(lang: Language) -> Ctx {
        Ctx {
            lang,
            caller: None,
            here: "/".to_owned(),
            session_cookie: false,
            resend: false,
        }
    }

    /// The text of `key` in this page's language.
    pub fn t(&self, key: &str) -> &'static str {
        i18n::text(self.lang, key)
    }

    /// A time as people here read it: WIB, in this page's language's form
    /// ("23 Oktober 2026, 11.41 WIB").
    pub fn when(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        juri_text::time::long(*t, self.lang)
    }

    /// A message of the rules (an error, a conflict) in this page's language.
    pub fn say(&self, message: &juri_domain::Message) -> String {
        juri_text::render(self.lang, message)
    }

    /// The notice a redirect asked for with a query flag (`?disimpan=1`): the text of
    /// the first `(flag value, key)` whose flag is set, in this page's language.
    pub fn notice(&self, flags: &[(&str, &str)]) -> Option<&'static str> {
        flags
            .iter()
            .find(|(set, _)| !set.is_empty())
            .map(|(_, key)| self.t(key))
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn other_lang_code(&self) -> &'static str {
        self.lang.other().code()
    }

    pub fn user_name(&self) -> Option<&str> {
        self.caller.as_ref().map(|c| c.user.name.as_str())
    }

    pub fn is_judge(&self) -> bool {
        self.caller
            .as_ref()
            .is_some_and(|c| c.user.role == juri_domain::user::Role::Judge)
    }

    pub fn is_organiser(&self) -> bool {
        self.caller
            .as_ref()
            .is_some_and(|c| c.user.role == juri_domain::user::Role::Organiser)
    }

    pub fn is_submitter(&self) -> bool {
        self.caller
            .as_ref()
            .is_some_and(|c| c.user.role == juri_domain::user::Role::Submitter)
    }

    /// The signed-in caller, or a detour through the session refresh (and then the
    /// sign-in page) that comes back here. A form sent after the 15-minute access
    /// cookie ran out (a judge's long comment) takes the detour with 307s, which make
    /// the browser send the same form again: first to the refresh, then back here.
    pub fn require(&self) -> Result<&AuthUser, PageError> {
        self.caller.as_ref().ok_or_else(|| {
            let to = session::refresh_then(&self.here);
            if self.resend {
                PageError::Resend(to)
            } else {
                PageError::Redirect(to)
            }
        })
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Made once a request: a handler may take `PageCan` and `PagePath`, which both
        // need it.
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        let lang = crate::pages::i18n::from_cookie(&parts.headers);
        let token = session::access_cookie(&parts.headers);
        let caller = match token.as_deref() {
            Some(t) => authenticate(state, t).await.ok(),
            None => None,
        };
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned());
        let ctx = Ctx {
            lang,
            resend: !matches!(parts.method, Method::GET | Method::HEAD),
            session_cookie: token.is_some(),
            caller,
            here,
        };
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}

/// Field errors in the page's language, to show next to their fields.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    pub fn new(errors: &[FieldError], lang: Language) -> FormErrors {
        FormErrors(
            errors
                .iter()
                .map(|e| (e.field.clone(), juri_text::render(lang, &e.message)))
                .collect(),
        )
    }

    /// Add the error of `field`.
    pub fn push(&mut self, field: &str, message: &str) {
        self.0.push((field.to_owned(), message.to_owned()));
    }

    pub fn one(field: &str, message: &str) -> FormErrors {
        FormErrors(vec![(field.to_owned(), message.to_owned())])
    }

    /// The first message for `field`.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every error with the id of the input it is about, for the summary at the top
    /// of a failed form: `v_<criterion>`/`c_<criterion>` are a score sheet's value and
    /// comment (`v-…`, `c-…`), any other field the form macros' `f-<field>`.
    pub fn summary(&self) -> Vec<(String, &str)> {
        self.0
            .iter()
            .map(|(field, message)| {
                let anchor = match field.split_once('_') {
                    Some((p @ ("v" | "c"), id))
                        if id.parse::<juri_domain::ids::CriterionId>().is_ok() =>
                    {
                        format!("{p}-{id}")
                    }
                    _ => format!("f-{field}"),
                };
                (anchor, message.as_str())
            })
            .collect()
    }

    /// Errors of the entry form not shown next to a field of it.
    pub fn others_of_entry(&self) -> Vec<&str> {
        self.others(ENTRY_FIELDS)
    }

    /// Errors of the edition form not shown next to a field of it.
    pub fn others_of_edition(&self) -> Vec<&str> {
        self.others(&[
            "name",
            "year",
            "submission_opens_at",
            "submission_closes_at",
            "edition",
        ])
    }

    /// Errors of the sign-up form not shown next to a field of it.
    pub fn others_of_sign_up(&self) -> Vec<&str> {
        self.others(&[
            "name",
            "email",
            "password",
            "submitter_kind",
            "organisation_id",
        ])
    }

    /// Errors whose field the form does not show (listed at the top).
    pub fn others(&self, shown: &[&str]) -> Vec<&str> {
        self.not_shown(|f| shown.contains(&f))
    }

    /// Errors whose field `shown` says the form does not show.
    pub fn not_shown(&self, shown: impl Fn(&str) -> bool) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(f, _)| !shown(f))
            .map(|(_, m)| m.as_str())
            .collect()
    }
}

/// The fields the entry form shows (the JSON names).
const ENTRY_FIELDS: &[&str] = &[
    "title",
    "field_id",
    "track_id",
    "organisation_id",
    "summary",
    "problem",
    "solution",
    "how_it_works",
    "impact",
    "cost",
    "replicability",
    "sustainability",
    "stakeholders",
    "started_on",
    "video_url",
    "file",
];

/// Render a template as a page with `status`.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => {
            let mut res = (status, html).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            res
        }
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Terjadi kesalahan di server. / Something went wrong on our side.",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: &'a Ctx,
    status: u16,
    detail: &'a str,
}

pub fn render_error_page(ctx: &Ctx, status: StatusCode, detail: &str) -> Response {
    render(
        status,
        &ErrorPage {
            ctx,
            status: status.as_u16(),
            detail,
        },
    )
}

/// What a page handler can fail with: an error shown as a page, or a redirect (to
/// sign in).
#[derive(Debug)]
pub enum PageError {
    /// The error page, with the page's context: a signed-in caller keeps the signed-in
    /// header (and language) on it.
    Api(ApiError, Box<Ctx>),
    /// 303: the browser follows with a GET.
    Redirect(String),
    /// 307: the browser sends the same request, body and all, to the new place.
    Resend(String),
}

impl PageError {
    pub fn new(e: impl Into<ApiError>, ctx: &Ctx) -> PageError {
        PageError::Api(e.into(), Box::new(ctx.clone()))
    }
}

/// `?` in a page handler: the error keeps the page's language.
pub trait PageResultExt<T> {
    fn page(self, ctx: &Ctx) -> Result<T, PageError>;
}

impl<T, E: Into<ApiError>> PageResultExt<T> for Result<T, E> {
    fn page(self, ctx: &Ctx) -> Result<T, PageError> {
        self.map_err(|e| PageError::new(e, ctx))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Redirect(to) => Redirect::to(&to).into_response(),
            PageError::Resend(to) => Redirect::temporary(&to).into_response(),
            PageError::Api(e, ctx) => {
                let status = e.status();
                let key = e.page_key();
                if status.is_server_error() {
                    tracing::error!(error = %juri_persistence::chain(&e), "page failed");
                }
                // A conflict says why, in the page's language.
                let detail = match &e {
                    ApiError::Domain(juri_domain::Error::Conflict(why)) => ctx.say(why),
                    _ => ctx.t(key).to_owned(),
                };
                render_error_page(&ctx, status, &detail)
            }
        }
    }
}

pub type PageResult = Result<Response, PageError>;

/// A redirect after a successful POST (303: the browser follows with a GET).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// `next` only when it is a path of this site (never `//host` or a full URL). Browsers
/// drop tabs and newlines from a `Location` and read `\\` as `/`, so `/\t/evil.example`
/// would become `//evil.example`: a backslash, space or control character anywhere refuses it.
pub fn local_path(next: Option<&str>) -> Option<String> {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n
                .chars()
                .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
    })
    .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/peserta")), Some("/peserta".to_owned()));
        assert_eq!(local_path(Some("//evil.example/")), None);
        assert_eq!(local_path(Some("https://evil.example/")), None);
        assert_eq!(local_path(Some("/\\evil.example")), None);
        assert_eq!(local_path(None), None);
        // Browsers strip tabs and newlines: each of these would become `//evil.example`.
        for sneaky in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/x\\..\\evil",
            "/\u{a0}/evil.example",
        ] {
            assert_eq!(local_path(Some(sneaky)), None, "{sneaky:?}");
        }
        assert_eq!(
            local_path(Some("/panitia/edisi/1?tab=a%20b")),
            Some("/panitia/edisi/1?tab=a%20b".to_owned())
        );
    }
}
