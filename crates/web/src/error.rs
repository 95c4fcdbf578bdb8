//! One error type for every handler, mapped to an RFC 9457 problem document in one
//! place. A 5xx is logged with its cause and shows the client nothing but a request id.

use crate::request_id;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use juri_domain::{Error as DomainError, FieldError};
use juri_persistence::StoreError;
use serde::Serialize;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Malformed JSON, or a value of the wrong type.
    #[error("bad request: {detail}")]
    BadRequest {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("unsupported media type")]
    UnsupportedMediaType(String),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
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

/// The problem document (RFC 9457) with Juri's extensions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(value_type = String)]
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        let (slug, title) = describe(status);
        Problem {
            kind: format!("/problems/{slug}"),
            title,
            status: status.as_u16(),
            detail: detail.into(),
            request_id: request_id::current(),
            errors: Vec::new(),
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
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
        let (status, detail, errors, extra) = match self {
            ApiError::Domain(DomainError::NotFound) => (
                StatusCode::NOT_FOUND,
                "Tidak ditemukan. / Not found.".to_owned(),
                vec![],
                None,
            ),
            ApiError::Domain(DomainError::Unauthenticated) => (
                StatusCode::UNAUTHORIZED,
                "Silakan masuk. / Sign in: the credentials or token are missing, wrong or expired."
                    .to_owned(),
                vec![],
                Some((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))),
            ),
            ApiError::Domain(DomainError::Forbidden) => (
                StatusCode::FORBIDDEN,
                "Peran Anda tidak boleh melakukan ini. / Your role may not do this.".to_owned(),
                vec![],
                None,
            ),
            ApiError::Domain(DomainError::Conflict(why)) => {
                (StatusCode::CONFLICT, why, vec![], None)
            }
            ApiError::Domain(DomainError::Invalid(errors)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Periksa isian yang ditandai. / Check the fields listed.".to_owned(),
                errors,
                None,
            ),
            ApiError::Domain(DomainError::TooManyAttempts { retry_after_secs }) => (
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Terlalu banyak percobaan; coba lagi dalam {retry_after_secs} detik. / Too many attempts; retry in {retry_after_secs} s."
                ),
                vec![],
                HeaderValue::from_str(&retry_after_secs.to_string())
                    .ok()
                    .map(|v| (header::RETRY_AFTER, v)),
            ),
            ApiError::BadRequest { detail, errors } => {
                (StatusCode::BAD_REQUEST, detail, errors, None)
            }
            ApiError::UnsupportedMediaType(detail) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, detail, vec![], None)
            }
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Isi permintaan terlalu besar. / The request body is too large.".to_owned(),
                vec![],
                None,
            ),
            ApiError::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Layanan sedang tidak tersedia; coba lagi sebentar. / Temporarily unavailable; retry shortly."
                        .to_owned(),
                    vec![],
                    Some((header::RETRY_AFTER, HeaderValue::from_static("5"))),
                )
            }
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Terjadi kesalahan di server; sebutkan request_id saat melapor. / Something went wrong on our side; quote the request_id when reporting it."
                        .to_owned(),
                    vec![],
                    None,
                )
            }
        };
        Problem::new(status, detail)
            .with_errors(errors)
            .into_response_with(extra)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
