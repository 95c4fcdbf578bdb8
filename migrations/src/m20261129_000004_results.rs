//! Results: recorded winners, tie decisions, the frozen publication of an edition, and a
//! search key on entries for the public catalogue (accent- and case-folded title and
//! summary, so one LIKE works the same on SQLite and PostgreSQL).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Winners {
    Table,
    EditionId,
    EntryId,
    Award,
    TrackId,
    FieldId,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum TieDecisions {
    Table,
    Id,
    EditionId,
    EntryIds,
    Reason,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Publications {
    Table,
    EditionId,
    Snapshot,
    Sha256,
    PublishedBy,
    PublishedAt,
}

#[derive(DeriveIden)]
enum Entries {
    Table,
    Id,
    SearchText,
}

#[derive(DeriveIden)]
enum Editions {
    Table,
    Id,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Winners::Table)
                    .col(ColumnDef::new(Winners::EditionId).uuid().not_null())
                    .col(ColumnDef::new(Winners::EntryId).uuid().not_null())
                    .col(ColumnDef::new(Winners::Award).string_len(16).not_null())
                    .col(ColumnDef::new(Winners::TrackId).uuid().null())
                    .col(ColumnDef::new(Winners::FieldId).uuid().null())
                    .col(ColumnDef::new(Winners::RecordedBy).uuid().not_null())
                    .col(
                        ColumnDef::new(Winners::RecordedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(Winners::EditionId)
                            .col(Winners::EntryId),
                    )
                    .foreign_key(&mut fk(
                        "winners_edition_id_fkey",
                        (Winners::Table, Winners::EditionId),
                        (Editions::Table, Editions::Id),
                    ))
                    .foreign_key(&mut fk(
                        "winners_entry_id_fkey",
                        (Winners::Table, Winners::EntryId),
                        (Entries::Table, Entries::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TieDecisions::Table)
                    .col(
                        ColumnDef::new(TieDecisions::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(TieDecisions::EditionId).uuid().not_null())
                    .col(ColumnDef::new(TieDecisions::EntryIds).json().not_null())
                    .col(ColumnDef::new(TieDecisions::Reason).text().not_null())
                    .col(ColumnDef::new(TieDecisions::DecidedBy).uuid().not_null())
                    .col(
                        ColumnDef::new(TieDecisions::DecidedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        "tie_decisions_edition_id_fkey",
                        (TieDecisions::Table, TieDecisions::EditionId),
                        (Editions::Table, Editions::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Publications::Table)
                    .col(
                        ColumnDef::new(Publications::EditionId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Publications::Snapshot).text().not_null())
                    .col(
                        ColumnDef::new(Publications::Sha256)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Publications::PublishedBy).uuid().not_null())
                    .col(
                        ColumnDef::new(Publications::PublishedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        "publications_edition_id_fkey",
                        (Publications::Table, Publications::EditionId),
                        (Editions::Table, Editions::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Entries::Table)
                    .add_column(
                        ColumnDef::new(Entries::SearchText)
                            .text()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Entries::Table)
                    .drop_column(Entries::SearchText)
                    .to_owned(),
            )
            .await?;
        for table in [
            Publications::Table.into_iden(),
            TieDecisions::Table.into_iden(),
            Winners::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
