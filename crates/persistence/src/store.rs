//! The connection pool, migrations, readiness, and write transactions.

use crate::StoreError;
use crate::group::immediate;
use juri_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, ExecResult, QueryResult, Statement, StreamTrait, TransactionTrait,
};
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// How long a write waits for this server's turn at SQLite's write lock, the same as
/// SQLite's own busy timeout.
const WRITE_TURN_TIMEOUT: Duration = Duration::from_secs(10);

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The connection pool at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Connections open (idle or in use).
    pub size: u32,
    /// Connections open and idle.
    pub idle: usize,
    /// The most the pool may open.
    pub max: u32,
}

/// SQLite: how many connections read. Reads run on these in parallel (WAL); two
/// cores gain nothing from more, and each extra one is one more thread to wake and one
/// more page cache that every write empties.
const SQLITE_READERS: u32 = 3;

/// The database: a pool of connections. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    /// Where reads go. On SQLite these connections are read-only (`query_only`).
    pub(crate) db: DatabaseConnection,
    /// Where writes go: on SQLite one connection of its own, whose page cache no other
    /// connection's write empties; on PostgreSQL the same pool as `db`.
    pub(crate) writer: DatabaseConnection,
    backend: Backend,
    pub(crate) catalogue: std::sync::Arc<crate::catalogue::CatalogueCache>,
    /// SQLite: this server's writers take turns here, in arrival order, before BEGIN
    /// IMMEDIATE. Without it they all ask SQLite, and the losers sleep in SQLite's busy
    /// handler (1, 2, 5, 10, … 100 ms steps) however soon the lock frees: that was the
    /// p99 of the concurrent draft saves. Another process on the same file still meets
    /// the busy timeout, as before.
    write_turn: Arc<Mutex<()>>,
    /// SQLite: draft saves waiting for the turn, committed together. Opaque here: the
    /// judging module owns what a save is.
    pub(crate) saves: Arc<crate::judging::PendingSaves>,
    /// When to remove old sign-in failure rows.
    pub(crate) signin_prune: Arc<crate::signin::PruneClock>,
    /// The key the sealer signs each seal with (`JURI_AUDIT_KEY`), kept outside the
    /// database; `None`: seals carry no HMAC.
    pub(crate) audit_key: Option<Arc<[u8]>>,
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
            return Err(StoreError::internal(
                "DATABASE_URL must start with sqlite:// or postgres://".to_owned(),
            ));
        };
        let options = |max: u32, query_only: bool| {
            let mut opts = ConnectOptions::new(url.to_owned());
            opts.sqlx_logging(false)
                .connect_timeout(Duration::from_secs(5))
                .acquire_timeout(Duration::from_secs(5))
                .max_connections(max)
                .min_connections(1);
            if backend == Backend::Sqlite {
                // sqlx pings a pooled connection before handing it out; for SQLite that
                // is a round trip to the connection's thread before every query (about
                // half the cost of a small query) and guards against nothing: a local
                // file does not hang up.
                opts.test_before_acquire(false);
                opts.map_sqlx_sqlite_opts(move |o| {
                    o.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .busy_timeout(Duration::from_secs(10))
                        .foreign_keys(true)
                        .create_if_missing(true)
                        .pragma("query_only", if query_only { "ON" } else { "OFF" })
                });
            } else {
                // A connection the server or a firewall dropped shows after it sat idle:
                // ping only those, not every connection on every checkout (a round trip
                // before each query).
                opts.test_before_acquire_if_idle_for(Duration::from_secs(30));
            }
            opts
        };
        let (db, writer) = match backend {
            Backend::Sqlite => {
                // SQLite writes one transaction at a time whatever the pool: one writer
                // connection (first, as it creates the file and turns WAL on), and
                // readers that cannot write, so no write goes anywhere else.
                let writer = Database::connect(options(1, false)).await?;
                let readers = Database::connect(options(SQLITE_READERS, true)).await?;
                (readers, writer)
            }
            Backend::Postgres => {
                let pool = Database::connect(options(16, false)).await?;
                (pool.clone(), pool)
            }
        };
        Ok(Store {
            db,
            writer,
            backend,
            catalogue: Default::default(),
            write_turn: Arc::new(Mutex::new(())),
            saves: Default::default(),
            signin_prune: Default::default(),
            audit_key: None,
        })
    }

    /// Seal (and verify) with this key from now on: see docs/audit.md, "The sealing key".
    pub fn with_audit_key(mut self, key: Option<&[u8]>) -> Store {
        self.audit_key = key.map(Arc::from);
        self
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Bring the schema up to date.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        Migrator::up(&self.writer, None).await?;
        Ok(())
    }

    /// Undo every migration (tests of `down`).
    pub async fn migrate_down_all(&self) -> Result<(), StoreError> {
        Migrator::down(&self.writer, None).await?;
        Ok(())
    }

    /// Undo the latest `steps` migrations (tests of one migration's `down` and `up`
    /// over rows already written).
    pub async fn migrate_down(&self, steps: u32) -> Result<(), StoreError> {
        Migrator::down(&self.writer, Some(steps)).await?;
        Ok(())
    }

    /// The connection pool as it is now, for metrics. A closed store reports zeros.
    pub fn pool_stats(&self) -> PoolStats {
        use sea_orm::DatabaseConnectionType as T;
        match (&self.db.inner, &self.writer.inner) {
            (T::SqlxSqlitePoolConnection(_), T::SqlxSqlitePoolConnection(_)) => {
                // The readers and the writer together.
                let (r, w) = (
                    self.db.get_sqlite_connection_pool(),
                    self.writer.get_sqlite_connection_pool(),
                );
                PoolStats {
                    size: r.size() + w.size(),
                    idle: r.num_idle() + w.num_idle(),
                    max: r.options().get_max_connections() + w.options().get_max_connections(),
                }
            }
            (T::SqlxPostgresPoolConnection(_), _) => {
                let p = self.db.get_postgres_connection_pool();
                PoolStats {
                    size: p.size(),
                    idle: p.num_idle(),
                    max: p.options().get_max_connections(),
                }
            }
            _ => PoolStats::default(),
        }
    }

    /// Does the database answer?
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }

    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        if self.backend == Backend::Sqlite {
            self.writer.close().await?;
        }
        Ok(())
    }

    /// A transaction that will write. On SQLite it takes the write lock at BEGIN
    /// (IMMEDIATE), so a read that turns into a write cannot fail with SQLITE_BUSY.
    /// On SQLite the server's writers first queue for their turn ([`Store::write_turn`]).
    pub(crate) async fn begin_write(&self) -> Result<WriteTxn, StoreError> {
        match self.backend {
            Backend::Sqlite => {
                let turn = self.sqlite_turn().await?;
                let txn = self.writer.begin_with_options(immediate()).await?;
                Ok(WriteTxn {
                    txn,
                    _turn: Some(turn),
                })
            }
            Backend::Postgres => Ok(WriteTxn {
                txn: self.writer.begin().await?,
                _turn: None,
            }),
        }
    }

    /// SQLite: wait for this server's turn to write (see the field `write_turn`).
    pub(crate) async fn sqlite_turn(&self) -> Result<OwnedMutexGuard<()>, StoreError> {
        tokio::time::timeout(WRITE_TURN_TIMEOUT, self.write_turn.clone().lock_owned())
            .await
            .map_err(|_| StoreError::internal("timed out waiting to write".to_owned()))
    }

    /// Wait for this server's turn to write one statement outside a transaction (see
    /// the field `write_turn`; PostgreSQL locks rows, not the database: at once); the
    /// statement goes to [`WriteTurn::db`] while the turn is held.
    pub(crate) async fn write_turn(&self) -> Result<WriteTurn<'_>, StoreError> {
        let turn = match self.backend {
            Backend::Sqlite => Some(self.sqlite_turn().await?),
            Backend::Postgres => None,
        };
        Ok(WriteTurn {
            db: &self.writer,
            _turn: turn,
        })
    }

    /// A migrated SQLite store in a folder of its own (unit tests).
    #[cfg(test)]
    pub(crate) async fn scratch_sqlite() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::connect(&Store::sqlite_url(dir.path()))
            .await
            .expect("connect");
        store.migrate().await.expect("migrate");
        (dir, store)
    }

    /// Run raw SQL (administration and tests only).
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        let res = self.writer.execute_unprepared(sql).await?;
        Ok(res.rows_affected())
    }
}

/// This server's turn to write, and the connection to write on.
#[derive(Debug)]
pub(crate) struct WriteTurn<'a> {
    db: &'a DatabaseConnection,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTurn<'_> {
    pub(crate) fn db(&self) -> &DatabaseConnection {
        self.db
    }
}

/// A write transaction, holding this server's turn to write (SQLite) until it commits,
/// rolls back or is dropped (which rolls back).
#[derive(Debug)]
pub(crate) struct WriteTxn {
    // Declared first: dropped (rolled back) before the turn is released.
    txn: DatabaseTransaction,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub(crate) async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub(crate) async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        ConnectionTrait::get_database_backend(&self.txn)
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}

impl StreamTrait for WriteTxn {
    type Stream<'a> = <DatabaseTransaction as StreamTrait>::Stream<'a>;

    fn get_database_backend(&self) -> DbBackend {
        StreamTrait::get_database_backend(&self.txn)
    }

    fn stream_raw<'a>(
        &'a self,
        stmt: Statement,
    ) -> Pin<Box<dyn Future<Output = Result<Self::Stream<'a>, DbErr>> + 'a + Send>> {
        self.txn.stream_raw(stmt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{QueryResult, Statement};

    async fn pragma(store: &Store, name: &str) -> QueryResult {
        store
            .db
            .query_one_raw(Statement::from_string(
                store.db.get_database_backend(),
                format!("PRAGMA {name}"),
            ))
            .await
            .expect("pragma")
            .expect("a row")
    }

    #[tokio::test]
    async fn sqlite_runs_in_wal_mode_with_the_promised_settings() {
        let (dir, store) = Store::scratch_sqlite().await;
        let journal: String = pragma(&store, "journal_mode")
            .await
            .try_get_by_index(0)
            .expect("text");
        assert_eq!(journal, "wal");
        // NORMAL is 1.
        let sync: i64 = pragma(&store, "synchronous")
            .await
            .try_get_by_index(0)
            .expect("int");
        assert_eq!(sync, 1);
        let fk: i64 = pragma(&store, "foreign_keys")
            .await
            .try_get_by_index(0)
            .expect("int");
        assert_eq!(fk, 1);
        let busy: i64 = pragma(&store, "busy_timeout")
            .await
            .try_get_by_index(0)
            .expect("int");
        assert_eq!(busy, 10_000);
        assert!(dir.path().join("juri.db-wal").exists());
        store.close().await.expect("close");
    }

    #[tokio::test]
    async fn readers_are_not_blocked_by_an_open_write_transaction() {
        let (_dir, store) = Store::scratch_sqlite().await;
        let writer = store.begin_write().await.expect("begin");
        // A reader on another pooled connection is not blocked by the writer (WAL).
        let n = store.count_users().await.expect("read during a write");
        assert_eq!(n, 0);
        writer.rollback().await.expect("rollback");
        store.close().await.expect("close");
    }

    #[tokio::test]
    async fn sqlite_reads_on_read_only_connections_and_writes_on_one_writer() {
        let (_dir, store) = Store::scratch_sqlite().await;
        assert_eq!(store.pool_stats().max, SQLITE_READERS + 1);
        // A write that went to a reader by mistake fails instead of racing the writer
        // for SQLite's lock.
        let refused = store
            .db
            .execute_unprepared("DELETE FROM users")
            .await
            .expect_err("a reader cannot write");
        assert!(refused.to_string().contains("readonly"), "{refused}");
        let w = store.write_turn().await.expect("turn");
        w.db()
            .execute_unprepared("DELETE FROM users")
            .await
            .expect("the writer writes");
        drop(w);
        let txn = store.begin_write().await.expect("begin");
        txn.execute_unprepared("DELETE FROM users")
            .await
            .expect("a write transaction writes");
        txn.commit().await.expect("commit");
        store.close().await.expect("close");
    }

    #[tokio::test]
    async fn an_unknown_url_scheme_is_refused() {
        let err = Store::connect("mysql://localhost/x")
            .await
            .expect_err("refused");
        assert!(err.to_string().contains("DATABASE_URL"));
    }
}
