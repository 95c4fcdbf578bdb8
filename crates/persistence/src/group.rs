//! Group commit for SQLite: writes that queued while another held the write turn run
//! together in one transaction, so a burst of draft saves pays one BEGIN and one COMMIT
//! (two round trips to the writer's thread each) instead of one pair per save.
//!
//! The first caller to get the turn leads: it takes every queued write, its own among
//! them, and runs them; the others are answered from their channel and never take the
//! turn. A batch of other callers' writes runs in a task of its own, so it finishes even
//! if the leader's request goes away. If any write of a batch fails, the batch is rolled
//! back and each of its writes runs again alone, so one failure fails only its own
//! caller. PostgreSQL does not use this: it locks rows, and its writers run in parallel.
//!
//! Generic over the write: it knows a writer connection and a turn to wait for, not
//! the store nor what is written, so the modules that use it depend on it and not the
//! other way round.

use crate::StoreError;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use tokio::sync::OwnedMutexGuard;
use tokio::sync::oneshot::{self, error::TryRecvError};

pub(crate) type WriteFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A write that can share a transaction with others. What it decides against (a sheet
/// that changed since it was read) is an `Ok` value, so the transaction stays good for
/// the rest of the batch; an error rolls the batch back.
pub(crate) trait GroupWrite: Send + Sync + 'static {
    type Output: Send + 'static;
    fn write<'a>(&'a self, txn: &'a DatabaseTransaction) -> WriteFuture<'a, Self::Output>;
}

type Reply<W> = Result<<W as GroupWrite>::Output, StoreError>;

struct Queued<W: GroupWrite> {
    ticket: u64,
    write: W,
    reply: oneshot::Sender<Reply<W>>,
}

/// The writes waiting for the turn.
pub(crate) struct GroupCommit<W: GroupWrite> {
    queue: Mutex<Vec<Queued<W>>>,
    tickets: AtomicU64,
    batches: AtomicU64,
}

impl<W: GroupWrite> Default for GroupCommit<W> {
    fn default() -> Self {
        Self {
            queue: Mutex::new(Vec::new()),
            tickets: AtomicU64::new(0),
            batches: AtomicU64::new(0),
        }
    }
}

impl<W: GroupWrite> std::fmt::Debug for GroupCommit<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit")
            .field("queued", &self.lock().len())
            .field("batches", &self.batches.load(Ordering::Relaxed))
            .finish()
    }
}

/// SQLite: a transaction that takes the write lock at BEGIN.
pub(crate) fn immediate() -> TransactionOptions {
    TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    }
}

fn lost() -> StoreError {
    StoreError::internal("a queued write was dropped before it ran".to_owned())
}

impl<W: GroupWrite> GroupCommit<W> {
    fn lock(&self) -> MutexGuard<'_, Vec<Queued<W>>> {
        // Nothing panics while holding it; a poisoned queue is still a good queue.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Run `write` in the next batch on `writer` and answer its outcome. `turn` waits
    /// for the right to write (the store's turn at SQLite's write lock); it is polled
    /// only after the write is queued. A caller that goes away while its write waits
    /// does not withdraw it: the write runs, as a request whose reply was lost.
    pub(crate) async fn run(
        &self,
        writer: &DatabaseConnection,
        turn: impl Future<Output = Result<OwnedMutexGuard<()>, StoreError>>,
        write: W,
    ) -> Reply<W> {
        let (reply, mut answer) = oneshot::channel();
        let ticket = self.tickets.fetch_add(1, Ordering::Relaxed);
        self.lock().push(Queued {
            ticket,
            write,
            reply,
        });
        let turn = tokio::select! {
            biased;
            r = &mut answer => return r.unwrap_or_else(|_| Err(lost())),
            t = turn => t,
        };
        let turn = match turn {
            Ok(turn) => turn,
            // Withdraw the write, unless a batch has it already.
            Err(e) if self.withdraw(ticket) => return Err(e),
            Err(_) => return answer.await.unwrap_or_else(|_| Err(lost())),
        };
        // A batch that ended just before this caller's turn may have run its write.
        match answer.try_recv() {
            Ok(r) => return r,
            Err(TryRecvError::Closed) => return Err(lost()),
            Err(TryRecvError::Empty) => {}
        }
        // Holding the turn, no batch is running, so this caller's write is queued.
        let batch = std::mem::take(&mut *self.lock());
        self.batches.fetch_add(1, Ordering::Relaxed);
        let writer = writer.clone();
        if batch.len() == 1 {
            run_batch(writer, turn, batch).await;
        } else {
            tokio::spawn(run_batch(writer, turn, batch));
        }
        answer.await.unwrap_or_else(|_| Err(lost()))
    }

    fn withdraw(&self, ticket: u64) -> bool {
        let mut queue = self.lock();
        match queue.iter().position(|q| q.ticket == ticket) {
            Some(i) => {
                queue.swap_remove(i);
                true
            }
            None => false,
        }
    }

    /// Batches run so far (tests).
    #[cfg(test)]
    fn batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }

    #[cfg(test)]
    fn queued(&self) -> usize {
        self.lock().len()
    }
}

async fn run_batch<W: GroupWrite>(
    writer: DatabaseConnection,
    _turn: OwnedMutexGuard<()>,
    batch: Vec<Queued<W>>,
) {
    let together = async {
        let txn = writer.begin_with_options(immediate()).await?;
        let mut out = Vec::with_capacity(batch.len());
        for q in &batch {
            out.push(q.write.write(&txn).await?);
        }
        txn.commit().await?;
        Ok::<_, StoreError>(out)
    }
    .await;
    match together {
        Ok(out) => {
            for (q, o) in batch.into_iter().zip(out) {
                // A caller that went away no longer listens; its write stands.
                let _ = q.reply.send(Ok(o));
            }
        }
        Err(e) if batch.len() == 1 => {
            if let Some(q) = batch.into_iter().next() {
                let _ = q.reply.send(Err(e));
            }
        }
        Err(_) => {
            for q in batch {
                let alone = async {
                    let txn = writer.begin_with_options(immediate()).await?;
                    let o = q.write.write(&txn).await?;
                    txn.commit().await?;
                    Ok(o)
                }
                .await;
                let _ = q.reply.send(alone);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ConnectOptions, ConnectionTrait, Database, QueryResult, Statement};
    use std::sync::Arc;
    use std::time::Duration;

    /// Insert `n` into `t`, whose CHECK refuses 100 and more: a write that fails.
    struct Put(i64);

    impl GroupWrite for Put {
        type Output = i64;
        fn write<'a>(&'a self, txn: &'a DatabaseTransaction) -> WriteFuture<'a, i64> {
            Box::pin(async move {
                txn.execute_raw(Statement::from_sql_and_values(
                    txn.get_database_backend(),
                    "INSERT INTO t (n) VALUES (?)",
                    [self.0.into()],
                ))
                .await?;
                Ok(self.0)
            })
        }
    }

    /// One writer connection on a scratch SQLite file and a turn to take, as the store
    /// has them; no store, so the group is tested on its own.
    struct Scratch {
        _dir: tempfile::TempDir,
        writer: DatabaseConnection,
        turn: Arc<tokio::sync::Mutex<()>>,
    }

    impl Scratch {
        async fn new() -> Scratch {
            let dir = tempfile::tempdir().expect("dir");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
            let mut opts = ConnectOptions::new(url);
            opts.max_connections(1).sqlx_logging(false);
            let writer = Database::connect(opts).await.expect("connect");
            writer
                .execute_unprepared("CREATE TABLE t (n INTEGER PRIMARY KEY CHECK (n < 100))")
                .await
                .expect("table");
            Scratch {
                _dir: dir,
                writer,
                turn: Arc::default(),
            }
        }

        async fn turn(&self) -> Result<OwnedMutexGuard<()>, StoreError> {
            Ok(self.turn.clone().lock_owned().await)
        }

        async fn put(&self, group: &GroupCommit<Put>, n: i64) -> Reply<Put> {
            group.run(&self.writer, self.turn(), Put(n)).await
        }

        async fn rows(&self) -> Vec<i64> {
            let rows: Vec<QueryResult> = self
                .writer
                .query_all_raw(Statement::from_string(
                    self.writer.get_database_backend(),
                    "SELECT n FROM t ORDER BY n",
                ))
                .await
                .expect("select");
            rows.iter()
                .map(|r| r.try_get_by_index(0).expect("n"))
                .collect()
        }
    }

    #[tokio::test]
    async fn writes_queued_behind_the_turn_run_as_one_batch_and_a_failure_fails_only_itself() {
        let db = Arc::new(Scratch::new().await);
        let group = Arc::new(GroupCommit::<Put>::default());
        let turn = db.turn().await.expect("turn");
        let mut callers = Vec::new();
        for n in [1, 2, 300, 4] {
            let (db, group) = (db.clone(), group.clone());
            callers.push(tokio::spawn(async move { db.put(&group, n).await }));
        }
        for _ in 0..500 {
            if group.queued() == 4 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(group.queued(), 4, "all four wait for the turn");
        drop(turn);
        let mut answers = Vec::new();
        for c in callers {
            answers.push(c.await.expect("caller"));
        }
        assert_eq!(group.batches(), 1, "one leader ran all four");
        assert_eq!(answers[0].as_ref().ok(), Some(&1));
        assert_eq!(answers[1].as_ref().ok(), Some(&2));
        assert!(answers[2].is_err(), "300 breaks the CHECK");
        assert_eq!(answers[3].as_ref().ok(), Some(&4));
        assert_eq!(db.rows().await, vec![1, 2, 4]);
    }

    #[tokio::test]
    async fn a_write_alone_runs_at_once_and_a_failing_one_writes_nothing() {
        let db = Scratch::new().await;
        let group = GroupCommit::<Put>::default();
        assert_eq!(db.put(&group, 7).await.expect("write"), 7);
        assert!(db.put(&group, 700).await.is_err());
        assert_eq!(group.batches(), 2);
        assert_eq!(group.queued(), 0);
        assert_eq!(db.rows().await, vec![7]);
    }
}
