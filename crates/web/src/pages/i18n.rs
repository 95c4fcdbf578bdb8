//! The interface's words come from the one catalogue (`juri-text`); a page picks its
//! language from the `lang` cookie that the switch in the header sets.

use crate::pages::session::{LANG_COOKIE, cookie_value};
use axum::http::HeaderMap;
pub use juri_text::Language;

/// The page language the `lang` cookie asks for; Bahasa Indonesia without one.
pub fn from_cookie(headers: &HeaderMap) -> Language {
    cookie_value(headers, LANG_COOKIE)
        .map(|v| Language::parse(&v))
        .unwrap_or_default()
}

/// The text of `key` in `lang`.
pub fn text(lang: Language, key: &str) -> &'static str {
    juri_text::text(lang, key)
}
