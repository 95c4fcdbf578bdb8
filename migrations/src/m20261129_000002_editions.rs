//! Editions, their fields and tracks, entries and their attachments.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Editions {
    Table,
    Id,
    Name,
    Year,
    SubmissionOpensAt,
    SubmissionClosesAt,
    BlindJudging,
    RankingScope,
    JudgingStartedAt,
    DecidedAt,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Fields {
    Table,
    Id,
    EditionId,
    Name,
    Position,
    RetiredAt,
}

#[derive(DeriveIden)]
enum Tracks {
    Table,
    Id,
    EditionId,
    Name,
    Position,
    SubmitterKind,
    RequiresOrganisation,
    RetiredAt,
}

#[derive(DeriveIden)]
enum Entries {
    Table,
    Id,
    EditionId,
    SubmitterId,
    OrganisationId,
    FieldId,
    TrackId,
    Status,
    Title,
    Summary,
    Problem,
    Solution,
    HowItWorks,
    Impact,
    Cost,
    Replicability,
    Sustainability,
    Stakeholders,
    StartedOn,
    Team,
    VideoUrl,
    PublicationConsent,
    ScreeningReason,
    ScreenedAt,
    ScreenedBy,
    SubmittedAt,
    WithdrawnAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    EntryId,
    Sha256,
    Size,
    ContentType,
    FileName,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .take()
}

fn ts_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().take()
}

fn text(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().not_null().default("").take()
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create().name(name).table(table).to_owned();
    for c in cols {
        stmt.col(c);
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Editions::Table)
                    .col(ColumnDef::new(Editions::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Editions::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Editions::Year).integer().not_null())
                    .col(ts(Editions::SubmissionOpensAt))
                    .col(ts(Editions::SubmissionClosesAt))
                    .col(ColumnDef::new(Editions::BlindJudging).boolean().not_null())
                    .col(
                        ColumnDef::new(Editions::RankingScope)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ts_null(Editions::JudgingStartedAt))
                    .col(ts_null(Editions::DecidedAt))
                    .col(ts_null(Editions::PublishedAt))
                    .col(ts(Editions::CreatedAt))
                    .col(ts(Editions::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Fields::Table)
                    .col(ColumnDef::new(Fields::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Fields::EditionId).uuid().not_null())
                    .col(ColumnDef::new(Fields::Name).string_len(120).not_null())
                    .col(ColumnDef::new(Fields::Position).integer().not_null())
                    .col(ts_null(Fields::RetiredAt))
                    .foreign_key(&mut fk(
                        "fields_edition_id_fkey",
                        (Fields::Table, Fields::EditionId),
                        (Editions::Table, Editions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "fields_edition_name_key",
            Fields::Table,
            vec![Fields::EditionId.into_iden(), Fields::Name.into_iden()],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Tracks::Table)
                    .col(ColumnDef::new(Tracks::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Tracks::EditionId).uuid().not_null())
                    .col(ColumnDef::new(Tracks::Name).string_len(120).not_null())
                    .col(ColumnDef::new(Tracks::Position).integer().not_null())
                    .col(ColumnDef::new(Tracks::SubmitterKind).string_len(16).null())
                    .col(
                        ColumnDef::new(Tracks::RequiresOrganisation)
                            .boolean()
                            .not_null(),
                    )
                    .col(ts_null(Tracks::RetiredAt))
                    .foreign_key(&mut fk(
                        "tracks_edition_id_fkey",
                        (Tracks::Table, Tracks::EditionId),
                        (Editions::Table, Editions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "tracks_edition_name_key",
            Tracks::Table,
            vec![Tracks::EditionId.into_iden(), Tracks::Name.into_iden()],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Entries::Table)
                    .col(ColumnDef::new(Entries::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Entries::EditionId).uuid().not_null())
                    .col(ColumnDef::new(Entries::SubmitterId).uuid().not_null())
                    .col(ColumnDef::new(Entries::OrganisationId).uuid().null())
                    .col(ColumnDef::new(Entries::FieldId).uuid().null())
                    .col(ColumnDef::new(Entries::TrackId).uuid().null())
                    .col(ColumnDef::new(Entries::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Entries::Title).string_len(200).not_null())
                    .col(text(Entries::Summary))
                    .col(text(Entries::Problem))
                    .col(text(Entries::Solution))
                    .col(text(Entries::HowItWorks))
                    .col(text(Entries::Impact))
                    .col(text(Entries::Cost))
                    .col(text(Entries::Replicability))
                    .col(text(Entries::Sustainability))
                    .col(text(Entries::Stakeholders))
                    .col(ColumnDef::new(Entries::StartedOn).date().null())
                    .col(ColumnDef::new(Entries::Team).json().not_null())
                    .col(ColumnDef::new(Entries::VideoUrl).string_len(500).null())
                    .col(
                        ColumnDef::new(Entries::PublicationConsent)
                            .boolean()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Entries::ScreeningReason).text().null())
                    .col(ts_null(Entries::ScreenedAt))
                    .col(ColumnDef::new(Entries::ScreenedBy).uuid().null())
                    .col(ts_null(Entries::SubmittedAt))
                    .col(ts_null(Entries::WithdrawnAt))
                    .col(ts(Entries::CreatedAt))
                    .col(ts(Entries::UpdatedAt))
                    .col(
                        ColumnDef::new(Entries::Version)
                            .big_integer()
                            .not_null()
                            .default(1),
                    )
                    .foreign_key(&mut fk(
                        "entries_edition_id_fkey",
                        (Entries::Table, Entries::EditionId),
                        (Editions::Table, Editions::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "entries_submitter_id_fkey",
                        (Entries::Table, Entries::SubmitterId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "entries_organisation_id_fkey",
                        (Entries::Table, Entries::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "entries_field_id_fkey",
                        (Entries::Table, Entries::FieldId),
                        (Fields::Table, Fields::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "entries_track_id_fkey",
                        (Entries::Table, Entries::TrackId),
                        (Tracks::Table, Tracks::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "entries_edition_status_idx",
            Entries::Table,
            vec![Entries::EditionId.into_iden(), Entries::Status.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "entries_submitter_idx",
            Entries::Table,
            vec![Entries::SubmitterId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(
                        ColumnDef::new(Attachments::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Attachments::EntryId).uuid().not_null())
                    .col(
                        ColumnDef::new(Attachments::Sha256)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Attachments::Size).big_integer().not_null())
                    .col(
                        ColumnDef::new(Attachments::ContentType)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Attachments::FileName)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Attachments::UploadedBy).uuid().not_null())
                    .col(ts(Attachments::CreatedAt))
                    .foreign_key(&mut fk(
                        "attachments_entry_id_fkey",
                        (Attachments::Table, Attachments::EntryId),
                        (Entries::Table, Entries::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "attachments_entry_idx",
            Attachments::Table,
            vec![Attachments::EntryId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "attachments_sha256_idx",
            Attachments::Table,
            vec![Attachments::Sha256.into_iden()],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Attachments::Table.into_iden(),
            Entries::Table.into_iden(),
            Tracks::Table.into_iden(),
            Fields::Table.into_iden(),
            Editions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
