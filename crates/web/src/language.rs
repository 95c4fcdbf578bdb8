//! The language of the answer to the request being handled (api.md "Language of
//! answers"): `Accept-Language` for the API. A task-local, like the request id, so a
//! problem document made anywhere in the request speaks it.

use axum::http::{HeaderMap, header};
use juri_text::Language;

tokio::task_local! {
    static LANGUAGE: Language;
}

/// The language `Accept-Language` asks for; Bahasa Indonesia without one.
pub fn from_headers(headers: &HeaderMap) -> Language {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Language::from_accept_language)
        .unwrap_or_default()
}

/// The language of the current request's answer.
pub fn current() -> Language {
    LANGUAGE.try_with(|l| *l).unwrap_or_default()
}

/// Run `fut` answering in `lang`.
pub async fn scope<F: Future>(lang: Language, fut: F) -> F::Output {
    LANGUAGE.scope(lang, fut).await
}
