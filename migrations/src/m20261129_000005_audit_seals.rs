//! The seals of the audit chain: for each sealed event its position in the chain and
//! the SHA-256 up to it (`docs/audit.md`). Written by the sealer after the events'
//! own transactions, so writers never wait for the chain. Append-only like
//! `audit_events`: the database refuses UPDATE and DELETE.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditSeals {
    Table,
    Position,
    EventId,
    Hash,
    SealedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditSeals::Table)
                    // The primary key on the position is what stops two sealers (two
                    // servers on one PostgreSQL) from forking the chain.
                    .col(
                        ColumnDef::new(AuditSeals::Position)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    // No foreign key: a removed event must leave its seal behind so
                    // that `juri audit verify` can name it.
                    .col(ColumnDef::new(AuditSeals::EventId).big_integer().not_null())
                    .col(ColumnDef::new(AuditSeals::Hash).string_len(64).not_null())
                    .col(
                        ColumnDef::new(AuditSeals::SealedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_seals_event_idx")
                    .table(AuditSeals::Table)
                    .col(AuditSeals::EventId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION audit_seals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN RAISE EXCEPTION 'audit_seals is append-only'; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals \
                     FOR EACH ROW EXECUTE FUNCTION audit_seals_append_only()",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals \
                     BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only'); END",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals \
                     BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only'); END",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP TABLE IF EXISTS audit_seals")
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("DROP FUNCTION IF EXISTS audit_seals_append_only()")
                .await?;
        }
        Ok(())
    }
}
