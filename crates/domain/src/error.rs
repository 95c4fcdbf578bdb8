//! The outcomes a rule can name. The web layer maps each to exactly one HTTP status.

use serde::Serialize;

/// One invalid input value: which field, a stable code, and what to do about it in
/// Bahasa Indonesia (first) and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
            message_en: message_en.into(),
        }
    }
}

/// What went wrong, as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Missing, or not visible to this caller (never reveals that it exists).
    #[error("not found")]
    NotFound,
    /// No valid credentials.
    #[error("unauthenticated")]
    Unauthenticated,
    /// Signed in, but this role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The state forbids it (deadline passed, already used, already exists).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Well-formed but invalid values.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Too many attempts; try again after this many seconds.
    #[error("too many attempts; retry after {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
}

impl Error {
    pub fn invalid(field: impl Into<String>, code: &'static str, id: &str, en: &str) -> Self {
        Error::Invalid(vec![FieldError::new(field, code, id, en)])
    }
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Invalid(vec![e])
    }
}
