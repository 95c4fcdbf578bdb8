//! The connection pool, migrations, readiness, and write transactions.

use crate::StoreError;
use juri_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::path::Path;
use std::time::Duration;

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: a pool of connections. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    backend: Backend,
}

impl Store {
    /// The URL of the embedded SQLite database in `data_dir`.
    pub fn sqlite_url(data_dir: &Path) -> String {
        format!("sqlite://{}?mode=rwc", data_dir.join("juri.db").display())
    }

    /// Connect to `url` (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Internal(
                "DATABASE_URL must start with sqlite:// or postgres://".to_owned(),
            ));
        };
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(5));
        match backend {
            Backend::Sqlite => {
                // sea-orm would use one connection; readers must not queue behind writers.
                opts.max_connections(8).min_connections(1);
                opts.map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .busy_timeout(Duration::from_secs(10))
                        .foreign_keys(true)
                        .create_if_missing(true)
                });
            }
            Backend::Postgres => {
                opts.max_connections(16).min_connections(1);
            }
        }
        let db = Database::connect(opts).await?;
        Ok(Store { db, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Bring the schema up to date.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// Undo every migration (tests of `down`).
    pub async fn migrate_down_all(&self) -> Result<(), StoreError> {
        Migrator::down(&self.db, None).await?;
        Ok(())
    }

    /// Does the database answer?
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }

    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }

    /// A transaction that will write. On SQLite it takes the write lock at BEGIN
    /// (IMMEDIATE), so a read that turns into a write cannot fail with SQLITE_BUSY.
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction, StoreError> {
        let txn = match self.backend {
            Backend::Sqlite => {
                self.db
                    .begin_with_options(TransactionOptions {
                        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                        ..Default::default()
                    })
                    .await?
            }
            Backend::Postgres => self.db.begin().await?,
        };
        Ok(txn)
    }

    /// Run raw SQL (administration and tests only).
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        let res = self.db.execute_unprepared(sql).await?;
        Ok(res.rows_affected())
    }
}
