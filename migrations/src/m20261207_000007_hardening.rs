//! Hardening (issue 16).
//!
//! `audit_seals.mac`: the HMAC of each seal under a key kept outside the database
//! (`JURI_AUDIT_KEY`, docs/audit.md); null when the server has no key.
//!
//! `password_resets`: one-time tokens (stored as SHA-256 hashes) with which a person
//! who forgot their password sets a new one; valid one hour, used once.
//!
//! `sign_in_failures`: sign-in failures, kept in the database so that every server behind a proxy counts
//! against one budget (`docs/operations.md`, "Rate limits"). One row per attempt that
//! has not (yet) succeeded, under two keys: the account (`a:<email>`) and the client
//! address (`c:<ip>`). An attempt is recorded before its password is checked and the
//! row removed again when it succeeds, so attempts made in parallel count as well.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SignInFailures {
    Table,
    Id,
    Key,
    At,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum AuditSeals {
    Table,
    Mac,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditSeals::Table)
                    .add_column(ColumnDef::new(AuditSeals::Mac).string_len(64).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .col(
                        ColumnDef::new(PasswordResets::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PasswordResets::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(PasswordResets::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(PasswordResets::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PasswordResets::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PasswordResets::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PasswordResets::Table, PasswordResets::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("password_resets_user")
                    .table(PasswordResets::Table)
                    .col(PasswordResets::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignInFailures::Table)
                    .col(
                        ColumnDef::new(SignInFailures::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SignInFailures::Key)
                            .string_len(300)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignInFailures::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sign_in_failures_key_at")
                    .table(SignInFailures::Table)
                    .col(SignInFailures::Key)
                    .col(SignInFailures::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sign_in_failures_at")
                    .table(SignInFailures::Table)
                    .col(SignInFailures::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignInFailures::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PasswordResets::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditSeals::Table)
                    .drop_column(AuditSeals::Mac)
                    .to_owned(),
            )
            .await
    }
}
