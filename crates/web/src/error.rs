//! One error type for every handler, mapped to an RFC 9457 problem document in one
//! place. A 5xx is logged with its cause and shows the client nothing but a request id.

use crate::request_id;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use juri_domain::{Error as DomainError, FieldError, Message};
use juri_persistence::{Cause, StoreError, chain};
use juri_text::Language;
use serde::Serialize;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Malformed JSON, or a value of the wrong type.
    #[error("bad request: {}", .detail.key)]
    BadRequest {
        detail: Message,
        errors: Vec<FieldError>,
    },
    #[error("unsupported media type")]
    UnsupportedMediaType(Message),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("service unavailable: {0}")]
    Unavailable(#[source] Cause),
    #[error(transparent)]
    Internal(Cause),
}

impl ApiError {
    /// A 500: a message of ours or an error with its own causes, logged whole.
    pub fn internal(cause: impl Into<Cause>) -> Self {
        ApiError::Internal(cause.into())
    }

    /// A 400 with no field to point at.
    pub fn bad_request(detail: Message) -> Self {
        ApiError::BadRequest {
            detail,
            errors: Vec::new(),
        }
    }

    /// The one status each error answers with, for the API and the pages alike.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Domain(DomainError::NotFound) => StatusCode::NOT_FOUND,
            ApiError::Domain(DomainError::Unauthenticated) => StatusCode::UNAUTHORIZED,
            ApiError::Domain(DomainError::Forbidden) => StatusCode::FORBIDDEN,
            ApiError::Domain(DomainError::Conflict(_)) => StatusCode::CONFLICT,
            ApiError::Domain(DomainError::Invalid(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Domain(DomainError::TooManyAttempts { .. }) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The error page's words for this outcome: a page says it in its own terms
    /// (`error.upload_type`), the API in a problem document's ([`Self::detail`]); the
    /// status is [`Self::status`] for both.
    pub fn page_key(&self) -> &'static str {
        match self {
            ApiError::Domain(DomainError::NotFound) => "error.not_found",
            ApiError::Domain(DomainError::Forbidden) => "error.forbidden",
            ApiError::Domain(DomainError::Unauthenticated) => "error.unauthenticated",
            ApiError::Domain(DomainError::Conflict(_)) => "error.conflict",
            ApiError::Domain(DomainError::Invalid(_)) | ApiError::BadRequest { .. } => {
                "error.invalid"
            }
            ApiError::Domain(DomainError::TooManyAttempts { .. }) => "error.too_many",
            ApiError::UnsupportedMediaType(_) => "error.upload_type",
            ApiError::PayloadTooLarge => "error.too_large",
            ApiError::Unavailable(_) => "error.unavailable",
            ApiError::Internal(_) => "error.internal",
        }
    }

    /// What to tell the caller, in `lang`.
    pub fn detail(&self, lang: Language) -> String {
        let key = match self {
            ApiError::Domain(DomainError::NotFound) => "problem.not_found",
            ApiError::Domain(DomainError::Unauthenticated) => "problem.unauthenticated",
            ApiError::Domain(DomainError::Forbidden) => "problem.forbidden",
            ApiError::Domain(DomainError::Conflict(m))
            | ApiError::BadRequest { detail: m, .. }
            | ApiError::UnsupportedMediaType(m) => return juri_text::render(lang, m),
            ApiError::Domain(DomainError::Invalid(_)) => "problem.invalid",
            ApiError::Domain(DomainError::TooManyAttempts { retry_after_secs }) => {
                return juri_text::render(
                    lang,
                    &Message::new("problem.too_many").with("seconds", retry_after_secs),
                );
            }
            ApiError::PayloadTooLarge => "problem.too_large",
            ApiError::Unavailable(_) => "problem.unavailable",
            ApiError::Internal(_) => "problem.internal",
        };
        juri_text::text(lang, key).to_owned()
    }

    /// For an operator's terminal (the `juri` command): the detail and any field
    /// errors in Bahasa Indonesia, then in English.
    pub fn for_operator(&self) -> String {
        let say = |lang: Language| {
            let mut out = self.detail(lang);
            if let ApiError::Domain(DomainError::Invalid(errors))
            | ApiError::BadRequest { errors, .. } = self
            {
                for e in errors {
                    out.push_str(&format!(
                        " {}: {}",
                        e.field,
                        juri_text::render(lang, &e.message)
                    ));
                }
            }
            out
        };
        match self {
            ApiError::Unavailable(cause) | ApiError::Internal(cause) => chain(cause.as_ref()),
            _ => format!("{} / {}", say(Language::Id), say(Language::En)),
        }
    }

    /// The stable code of a conflict (`round_closed`); none for the others, whose
    /// `type` says it all.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            ApiError::Domain(DomainError::Conflict(m)) => {
                Some(juri_domain::error::conflict_code(m))
            }
            _ => None,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => ApiError::Domain(d),
            StoreError::Unavailable(m) => ApiError::Unavailable(m),
            StoreError::Internal(m) => ApiError::Internal(m),
        }
    }
}

/// One invalid field of a problem document: its stable `code` and a message in the
/// caller's language.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    /// Stable: does not change with the language (`too_long`, `required`).
    #[schema(value_type = String)]
    pub code: &'static str,
    pub message: String,
}

impl ProblemField {
    pub fn of(e: &FieldError, lang: Language) -> Self {
        ProblemField {
            field: e.field.clone(),
            code: e.code,
            message: juri_text::render(lang, &e.message),
        }
    }
}

/// The problem document (RFC 9457) with Juri's extensions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(value_type = String)]
    pub title: &'static str,
    pub status: u16,
    /// In the caller's language (`Accept-Language`: `id` or `en`, default `id`).
    pub detail: String,
    /// A conflict's stable code (`round_closed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        let (slug, title) = describe(status);
        Problem {
            kind: format!("/problems/{slug}"),
            title,
            status: status.as_u16(),
            detail: detail.into(),
            code: None,
            request_id: request_id::current(),
            errors: Vec::new(),
        }
    }

    /// A problem for `status` whose detail is the catalogue's `key`, in the language
    /// of the current request.
    pub fn keyed(status: StatusCode, key: &str) -> Self {
        Problem::new(status, juri_text::text(crate::language::current(), key))
    }

    pub fn with_errors(mut self, errors: &[FieldError], lang: Language) -> Self {
        self.errors = errors.iter().map(|e| ProblemField::of(e, lang)).collect();
        self
    }

    pub fn into_response_with(self, extra: Option<(header::HeaderName, HeaderValue)>) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = (status, Json(self)).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some((k, v)) = extra {
            res.headers_mut().insert(k, v);
        }
        res
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        self.into_response_with(None)
    }
}

/// A stable slug and a short title per status.
pub fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("bad-request", "Bad request"),
        401 => ("unauthenticated", "Authentication required"),
        403 => ("forbidden", "Forbidden"),
        404 => ("not-found", "Not found"),
        405 => ("method-not-allowed", "Method not allowed"),
        408 => ("timeout", "Request timed out"),
        409 => ("conflict", "Conflict"),
        413 => ("payload-too-large", "Payload too large"),
        415 => ("unsupported-media-type", "Unsupported media type"),
        422 => ("validation", "Invalid input"),
        429 => ("too-many-requests", "Too many requests"),
        503 => ("unavailable", "Service unavailable"),
        500 => ("internal", "Internal server error"),
        _ => ("error", "Error"),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let lang = crate::language::current();
        let status = self.status();
        let extra = match &self {
            ApiError::Domain(DomainError::Unauthenticated) => {
                Some((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")))
            }
            ApiError::Domain(DomainError::TooManyAttempts { retry_after_secs }) => {
                HeaderValue::from_str(&retry_after_secs.to_string())
                    .ok()
                    .map(|v| (header::RETRY_AFTER, v))
            }
            ApiError::Unavailable(cause) => {
                tracing::warn!(cause = %chain(cause.as_ref()), "database unavailable");
                Some((header::RETRY_AFTER, HeaderValue::from_static("5")))
            }
            ApiError::Internal(cause) => {
                tracing::error!(cause = %chain(cause.as_ref()), "internal error");
                None
            }
            _ => None,
        };
        let errors: &[FieldError] = match &self {
            ApiError::Domain(DomainError::Invalid(errors))
            | ApiError::BadRequest { errors, .. } => errors,
            _ => &[],
        };
        let mut problem = Problem::new(status, self.detail(lang)).with_errors(errors, lang);
        problem.code = self.code();
        problem.into_response_with(extra)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<ApiError> {
        vec![
            ApiError::Domain(DomainError::NotFound),
            ApiError::Domain(DomainError::Forbidden),
            ApiError::Domain(DomainError::Unauthenticated),
            ApiError::Domain(DomainError::conflict("conflict.round_closed")),
            ApiError::Domain(DomainError::Invalid(Vec::new())),
            ApiError::Domain(DomainError::TooManyAttempts {
                retry_after_secs: 5,
            }),
            ApiError::bad_request(Message::new("problem.malformed_json")),
            ApiError::UnsupportedMediaType(Message::new("problem.json_only")),
            ApiError::PayloadTooLarge,
            ApiError::Unavailable("down".into()),
            ApiError::internal("broken"),
        ]
    }

    /// One status for the API and the pages; each kind's words exist in both
    /// languages and differ between them, and no two kinds of page error read alike.
    #[test]
    fn every_kind_has_its_page_words_in_both_languages() {
        let mut keys = Vec::new();
        for e in every_kind() {
            let key = e.page_key();
            let (id, en) = (
                juri_text::text(Language::Id, key),
                juri_text::text(Language::En, key),
            );
            assert!(!id.is_empty() && !en.is_empty() && id != en, "{key}");
            assert!(e.status().is_client_error() || e.status().is_server_error());
            keys.push(key);
        }
        keys.sort_unstable();
        keys.dedup();
        // Invalid and bad request share their words; every other kind has its own.
        assert_eq!(keys.len(), every_kind().len() - 1, "{keys:?}");
    }
}
