//! What `juri backup` and `juri restore` need from the database itself: a consistent
//! copy of a live SQLite database, and the checks that a file is a sound Juri database
//! before it replaces one. PostgreSQL is backed up with `pg_dump` (see the `juri`
//! crate), so nothing here is PostgreSQL-specific.

use crate::StoreError;
use crate::store::{Backend, Store};
use sea_orm::{ConnectionTrait, Statement};
use std::path::Path;

impl Store {
    /// SQLite only: write a consistent copy of the whole database to `dest` (a file
    /// that must not exist yet) while other connections go on reading and writing.
    /// `VACUUM INTO` reads one snapshot, so the copy holds exactly the transactions
    /// committed before it started.
    pub async fn vacuum_into(&self, dest: &Path) -> Result<(), StoreError> {
        if self.backend() != Backend::Sqlite {
            return Err(StoreError::internal(
                "VACUUM INTO is for SQLite; back PostgreSQL up with pg_dump".to_owned(),
            ));
        }
        let dest = dest.to_str().ok_or_else(|| {
            StoreError::internal(format!("{} is not valid UTF-8", dest.display()))
        })?;
        // On the writer: VACUUM is refused on the read-only connections.
        self.writer
            .execute_raw(Statement::from_sql_and_values(
                self.writer.get_database_backend(),
                "VACUUM INTO ?",
                [dest.into()],
            ))
            .await?;
        Ok(())
    }

    /// Does this database hold Juri's schema? True when sea-orm's migrations table
    /// records at least the first migration of `juri-migrations`.
    pub async fn is_juri_database(&self) -> Result<bool, StoreError> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'seaql_migrations'"
            }
        };
        if self.count(sql).await? == 0 {
            return Ok(false);
        }
        let first = self
            .count(
                "SELECT COUNT(*) FROM seaql_migrations WHERE version = 'm20261129_000001_accounts'",
            )
            .await?;
        Ok(first == 1)
    }

    /// SQLite: `PRAGMA integrity_check` says "ok". PostgreSQL has no such check and
    /// answers true.
    pub async fn integrity_ok(&self) -> Result<bool, StoreError> {
        if self.backend() != Backend::Sqlite {
            return Ok(true);
        }
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                "PRAGMA integrity_check",
            ))
            .await?;
        let verdict: Option<String> = row.and_then(|r| r.try_get_by_index(0).ok());
        Ok(verdict.as_deref() == Some("ok"))
    }

    async fn count(&self, sql: &str) -> Result<i64, StoreError> {
        let row = self
            .db
            .query_one_raw(Statement::from_string(self.db.get_database_backend(), sql))
            .await?;
        Ok(row
            .and_then(|r| r.try_get_by_index::<i64>(0).ok())
            .unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_vacuumed_copy_is_a_sound_juri_database_and_a_blank_one_is_not() {
        let (dir, store) = Store::scratch_sqlite().await;
        let copy = dir.path().join("copy.db");
        store.vacuum_into(&copy).await.expect("vacuum into");
        store.close().await.expect("close");

        let copied = Store::connect(&format!("sqlite://{}?mode=rwc", copy.display()))
            .await
            .expect("open copy");
        assert!(copied.is_juri_database().await.expect("check"));
        assert!(copied.integrity_ok().await.expect("integrity"));
        copied.close().await.expect("close");

        let blank = Store::connect(&format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("blank.db").display()
        ))
        .await
        .expect("open blank");
        assert!(!blank.is_juri_database().await.expect("check"));
        blank.close().await.expect("close");
    }
}
