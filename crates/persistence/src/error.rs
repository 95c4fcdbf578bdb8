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
    Unavailable(String),
    /// Anything else: a bug or a broken database. 500, logged with its cause.
    #[error("database error: {0}")]
    Internal(String),
}

impl StoreError {
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
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
                StoreError::Unavailable(err.to_string())
            }
            DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))
                if is_connection_error(e) =>
            {
                StoreError::Unavailable(err.to_string())
            }
            _ => match err.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => {
                    StoreError::Domain(Error::Conflict(Message::new("conflict.already_exists")))
                }
                _ => StoreError::Internal(err.to_string()),
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
