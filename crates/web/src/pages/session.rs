//! The browser session: the API's own token pair in two cookies.
//!
//! - `juri_akses`: the 15-minute access token (`HttpOnly; SameSite=Lax; Path=/`,
//!   `Secure` when the public URL is https). Pages verify it exactly like a bearer
//!   token; the JSON API never reads it.
//! - `juri_segar`: the refresh token, sent only to [`REFRESH_PATH`] and the sign-out
//!   (both under `/sesi`), so it travels as rarely as possible.
//!
//! A page that needs a signed-in user and finds no valid access cookie sends the
//! browser to [`REFRESH_PATH`], which rotates the refresh token (the API's rule: a
//! reused one revokes its family), sets both cookies anew and goes back; without a
//! usable refresh token it goes to the sign-in page instead.

use crate::pages::i18n::Language;
use crate::services::accounts::TokenPair;
use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use cookie::{Cookie, SameSite};
use juri_domain::token::ACCESS_TOKEN_SECONDS;

pub const ACCESS_COOKIE: &str = "juri_akses";
pub const REFRESH_COOKIE: &str = "juri_segar";
pub const LANG_COOKIE: &str = "lang";
/// The path the refresh cookie is scoped to.
pub const SESSION_PATH: &str = "/sesi";
pub const REFRESH_PATH: &str = "/sesi/perbarui";

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| Cookie::parse(pair.trim().to_owned()).ok())
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

pub fn access_cookie(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, ACCESS_COOKIE)
}

pub fn refresh_cookie(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, REFRESH_COOKIE)
}

/// Where to send a browser whose page needs a session: the refresh, then `here`.
pub fn refresh_then(here: &str) -> String {
    format!("{REFRESH_PATH}?next={}", encode(here))
}

/// Percent-encode a query value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn secure(state: &AppState) -> bool {
    state.config.public_url.starts_with("https://")
}

fn base<'c>(name: &'c str, value: String, path: &'c str, secure: bool) -> Cookie<'c> {
    let mut c = Cookie::new(name, value);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_path(path);
    c.set_secure(secure);
    c
}

fn append(res: &mut Response, c: &Cookie<'_>) {
    if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Put a fresh token pair into the browser.
pub fn set_session(res: &mut Response, state: &AppState, pair: &TokenPair) {
    let s = secure(state);
    let mut access = base(ACCESS_COOKIE, pair.access_token.clone(), "/", s);
    access.set_max_age(time_secs(ACCESS_TOKEN_SECONDS));
    append(res, &access);
    let mut refresh = base(REFRESH_COOKIE, pair.refresh_token.clone(), SESSION_PATH, s);
    refresh.set_max_age(time_secs(pair.refresh_expires_in));
    append(res, &refresh);
}

/// Remove both session cookies.
pub fn clear_session(res: &mut Response, state: &AppState) {
    let s = secure(state);
    for (name, path) in [(ACCESS_COOKIE, "/"), (REFRESH_COOKIE, SESSION_PATH)] {
        let mut c = base(name, String::new(), path, s);
        c.set_max_age(time_secs(0));
        append(res, &c);
    }
}

/// Remember the language for a year. Not `HttpOnly`-sensitive, but kept so anyway.
pub fn set_lang(res: &mut Response, state: &AppState, lang: Language) {
    let mut c = base(LANG_COOKIE, lang.code().to_owned(), "/", secure(state));
    c.set_max_age(time_secs(365 * 24 * 3600));
    append(res, &c);
}

fn time_secs(secs: i64) -> cookie::time::Duration {
    cookie::time::Duration::seconds(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_from_any_cookie_header() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("lang=en; juri_akses=abc.def"),
        );
        assert_eq!(access_cookie(&h).as_deref(), Some("abc.def"));
        assert_eq!(cookie_value(&h, LANG_COOKIE).as_deref(), Some("en"));
        assert_eq!(refresh_cookie(&h), None);
    }

    #[test]
    fn the_way_back_is_encoded() {
        assert_eq!(
            refresh_then("/peserta?a=1&b=2"),
            "/sesi/perbarui?next=/peserta%3Fa%3D1%26b%3D2"
        );
    }
}
