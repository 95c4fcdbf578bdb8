//! `DbErr` converted once, into what the caller can act on.

use juri_domain::Error;
use juri_domain::Message;
use sea_orm::{DbErr, RuntimeErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A rule said no (not found, conflict, invalid).
    #[error(transparent)]
    Domain(#[from] Error),
    /// The database cannot be reached right now: 503, retry later.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] Cause),
    /// Anything else: a bug or a broken database. 500, logged with its cause chain.
    #[error(transparent)]
    Internal(Cause),
}

/// What went wrong underneath, kept whole (not formatted into a string) so that the
/// log of a 5xx walks its `source()` chain down to the driver's error.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// `error: cause: its cause: …`, for a log line.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = error.to_string();
    let mut next = error.source();
    while let Some(e) = next {
        let said = e.to_string();
        // A wrapper that repeats its cause's words adds nothing to the line.
        if !out.ends_with(&said) {
            out.push_str(": ");
            out.push_str(&said);
        }
        next = e.source();
    }
    out
}

impl StoreError {
    /// An internal failure: a message of ours or an error with its own causes.
    pub fn internal(cause: impl Into<Cause>) -> Self {
        StoreError::Internal(cause.into())
    }

    /// A unique violation means "already exists" only where the caller says so.
    pub(crate) fn unique_as(err: DbErr, conflict: &'static str) -> StoreError {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                StoreError::Domain(Error::conflict(conflict))
            }
            _ => StoreError::from(err),
        }
    }
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        match &err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => StoreError::Unavailable(Box::new(err)),
            DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))
                if is_connection_error(e) =>
            {
                StoreError::Unavailable(Box::new(err))
            }
            _ => match err.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => {
                    StoreError::Domain(Error::Conflict(Message::new("conflict.already_exists")))
                }
                _ => StoreError::Internal(Box::new(err)),
            },
        }
    }
}

fn is_connection_error(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error as E;
    matches!(
        e,
        E::Io(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed | E::Tls(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("reading the snapshot")]
    struct Outer(#[source] std::io::Error);

    /// A 5xx's log line names every cause down the chain, each once.
    #[test]
    fn an_internal_error_keeps_its_cause_chain() {
        let e = StoreError::internal(Outer(std::io::Error::other("disk full")));
        assert_eq!(chain(&e), "reading the snapshot: disk full");
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("disk full"));

        let db = StoreError::from(DbErr::Custom("no such table: rounds".to_owned()));
        assert!(matches!(db, StoreError::Internal(_)), "{db:?}");
        assert!(
            chain(&db).contains("no such table: rounds"),
            "{}",
            chain(&db)
        );

        let down = StoreError::from(DbErr::Conn(RuntimeErr::Internal("refused".to_owned())));
        assert!(matches!(down, StoreError::Unavailable(_)), "{down:?}");
        let said = chain(&down);
        assert!(said.starts_with("database unavailable: "), "{said}");
        assert_eq!(said.matches("refused").count(), 1, "{said}");

        let plain = StoreError::internal("a queued write was dropped");
        assert_eq!(chain(&plain), "a queued write was dropped");
    }
}
