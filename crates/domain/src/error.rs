//! The outcomes a rule can name. The web layer maps each to exactly one HTTP status.
//! Nothing here is prose: an outcome carries a catalogue key and its parameters, and
//! `juri-text` renders it in the reader's language.

use std::fmt::Display;

/// A message for people, before it has a language: a key of the message catalogue
/// (`juri-text`) and the values its text refers to as `{name}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub params: Vec<(&'static str, String)>,
}

impl Message {
    pub fn new(key: &'static str) -> Self {
        Message {
            key,
            params: Vec::new(),
        }
    }

    /// The value of `{name}` in the text.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Display) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// The value given for `{name}`, if any.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One invalid input value: which field, a stable code that never changes with the
/// language (`too_long`, `required`), and the message to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: Message,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: Message) -> Self {
        Self {
            field: field.into(),
            code,
            message,
        }
    }
}

/// Why the state forbids a change: the message's key without its `conflict.` prefix
/// is the stable code (`round_closed`).
pub fn conflict_code(message: &Message) -> &'static str {
    message.key.strip_prefix("conflict.").unwrap_or(message.key)
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
    #[error("conflict: {}", .0.key)]
    Conflict(Message),
    /// Well-formed but invalid values.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Too many attempts; try again after this many seconds.
    #[error("too many attempts; retry after {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
}

impl Error {
    pub fn invalid(field: impl Into<String>, code: &'static str, message: Message) -> Self {
        Error::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// A conflict named by its catalogue key.
    pub fn conflict(key: &'static str) -> Self {
        Error::Conflict(Message::new(key))
    }
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Invalid(vec![e])
    }
}
