//! Judging: rounds with their rubrics, the entries in each round, the edition's panel
//! of judges, declared conflicts, assignments (one judge × one entry × one round, with
//! its score sheet) and the sheet's scores, one row per criterion.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
    EditionId,
    Name,
    Position,
    JudgesPerEntry,
    Aggregation,
    Weight,
    Blind,
    DisagreementThreshold,
    PeerSheets,
    JudgeNamesVisible,
    ClosedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Criteria {
    Table,
    Id,
    RoundId,
    Position,
    Name,
    Description,
    Weight,
    Min,
    Max,
}

#[derive(DeriveIden)]
enum RoundEntries {
    Table,
    RoundId,
    EntryId,
    AddedAt,
}

#[derive(DeriveIden)]
enum PanelJudges {
    Table,
    EditionId,
    JudgeId,
    Expertise,
    AddedAt,
}

#[derive(DeriveIden)]
enum Conflicts {
    Table,
    Id,
    JudgeId,
    EntryId,
    OrganisationId,
    Kind,
    Reason,
    DeclaredBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    RoundId,
    EntryId,
    JudgeId,
    Origin,
    SheetStatus,
    SheetComment,
    SheetVersion,
    SubmittedAt,
    ReopenedReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Scores {
    Table,
    AssignmentId,
    CriterionId,
    Value,
    Comment,
}

#[derive(DeriveIden)]
enum Editions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Entries {
    Table,
    Id,
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

fn uuid(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().take()
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
                    .table(Rounds::Table)
                    .col(uuid(Rounds::Id).primary_key())
                    .col(uuid(Rounds::EditionId))
                    .col(ColumnDef::new(Rounds::Name).string_len(120).not_null())
                    .col(ColumnDef::new(Rounds::Position).integer().not_null())
                    .col(ColumnDef::new(Rounds::JudgesPerEntry).integer().not_null())
                    .col(
                        ColumnDef::new(Rounds::Aggregation)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Rounds::Weight).double().null())
                    .col(ColumnDef::new(Rounds::Blind).boolean().not_null())
                    .col(
                        ColumnDef::new(Rounds::DisagreementThreshold)
                            .double()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Rounds::PeerSheets).string_len(32).not_null())
                    .col(
                        ColumnDef::new(Rounds::JudgeNamesVisible)
                            .boolean()
                            .not_null(),
                    )
                    .col(ts_null(Rounds::ClosedAt))
                    .col(ts(Rounds::CreatedAt))
                    .col(ts(Rounds::UpdatedAt))
                    .foreign_key(&mut fk(
                        "rounds_edition_id_fkey",
                        (Rounds::Table, Rounds::EditionId),
                        (Editions::Table, Editions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "rounds_edition_position_key",
            Rounds::Table,
            vec![Rounds::EditionId.into_iden(), Rounds::Position.into_iden()],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Criteria::Table)
                    .col(uuid(Criteria::Id).primary_key())
                    .col(uuid(Criteria::RoundId))
                    .col(ColumnDef::new(Criteria::Position).integer().not_null())
                    .col(ColumnDef::new(Criteria::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Criteria::Description).text().not_null())
                    .col(ColumnDef::new(Criteria::Weight).double().not_null())
                    .col(ColumnDef::new(Criteria::Min).integer().not_null())
                    .col(ColumnDef::new(Criteria::Max).integer().not_null())
                    .foreign_key(&mut fk(
                        "criteria_round_id_fkey",
                        (Criteria::Table, Criteria::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "criteria_round_idx",
            Criteria::Table,
            vec![
                Criteria::RoundId.into_iden(),
                Criteria::Position.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoundEntries::Table)
                    .col(uuid(RoundEntries::RoundId))
                    .col(uuid(RoundEntries::EntryId))
                    .col(ts(RoundEntries::AddedAt))
                    .primary_key(
                        Index::create()
                            .col(RoundEntries::RoundId)
                            .col(RoundEntries::EntryId),
                    )
                    .foreign_key(&mut fk(
                        "round_entries_round_id_fkey",
                        (RoundEntries::Table, RoundEntries::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "round_entries_entry_id_fkey",
                        (RoundEntries::Table, RoundEntries::EntryId),
                        (Entries::Table, Entries::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PanelJudges::Table)
                    .col(uuid(PanelJudges::EditionId))
                    .col(uuid(PanelJudges::JudgeId))
                    .col(ColumnDef::new(PanelJudges::Expertise).json().not_null())
                    .col(ts(PanelJudges::AddedAt))
                    .primary_key(
                        Index::create()
                            .col(PanelJudges::EditionId)
                            .col(PanelJudges::JudgeId),
                    )
                    .foreign_key(&mut fk(
                        "panel_judges_edition_id_fkey",
                        (PanelJudges::Table, PanelJudges::EditionId),
                        (Editions::Table, Editions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "panel_judges_judge_id_fkey",
                        (PanelJudges::Table, PanelJudges::JudgeId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Conflicts::Table)
                    .col(uuid(Conflicts::Id).primary_key())
                    .col(uuid(Conflicts::JudgeId))
                    .col(ColumnDef::new(Conflicts::EntryId).uuid().null())
                    .col(ColumnDef::new(Conflicts::OrganisationId).uuid().null())
                    .col(ColumnDef::new(Conflicts::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Conflicts::Reason).text().not_null())
                    .col(uuid(Conflicts::DeclaredBy))
                    .col(ts(Conflicts::CreatedAt))
                    .foreign_key(&mut fk(
                        "conflicts_judge_id_fkey",
                        (Conflicts::Table, Conflicts::JudgeId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "conflicts_entry_id_fkey",
                        (Conflicts::Table, Conflicts::EntryId),
                        (Entries::Table, Entries::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "conflicts_organisation_id_fkey",
                        (Conflicts::Table, Conflicts::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "conflicts_judge_idx",
            Conflicts::Table,
            vec![Conflicts::JudgeId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Assignments::Table)
                    .col(uuid(Assignments::Id).primary_key())
                    .col(uuid(Assignments::RoundId))
                    .col(uuid(Assignments::EntryId))
                    .col(uuid(Assignments::JudgeId))
                    .col(
                        ColumnDef::new(Assignments::Origin)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Assignments::SheetStatus)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Assignments::SheetComment).text().null())
                    .col(
                        ColumnDef::new(Assignments::SheetVersion)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ts_null(Assignments::SubmittedAt))
                    .col(ColumnDef::new(Assignments::ReopenedReason).text().null())
                    .col(ts(Assignments::CreatedAt))
                    .col(ts(Assignments::UpdatedAt))
                    .foreign_key(&mut fk(
                        "assignments_round_id_fkey",
                        (Assignments::Table, Assignments::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "assignments_entry_id_fkey",
                        (Assignments::Table, Assignments::EntryId),
                        (Entries::Table, Entries::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "assignments_judge_id_fkey",
                        (Assignments::Table, Assignments::JudgeId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "assignments_round_entry_judge_key",
            Assignments::Table,
            vec![
                Assignments::RoundId.into_iden(),
                Assignments::EntryId.into_iden(),
                Assignments::JudgeId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "assignments_judge_idx",
            Assignments::Table,
            vec![Assignments::JudgeId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Scores::Table)
                    .col(uuid(Scores::AssignmentId))
                    .col(uuid(Scores::CriterionId))
                    .col(ColumnDef::new(Scores::Value).integer().null())
                    .col(ColumnDef::new(Scores::Comment).text().null())
                    .primary_key(
                        Index::create()
                            .col(Scores::AssignmentId)
                            .col(Scores::CriterionId),
                    )
                    .foreign_key(&mut fk(
                        "scores_assignment_id_fkey",
                        (Scores::Table, Scores::AssignmentId),
                        (Assignments::Table, Assignments::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "scores_criterion_id_fkey",
                        (Scores::Table, Scores::CriterionId),
                        (Criteria::Table, Criteria::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Scores::Table.into_iden(),
            Assignments::Table.into_iden(),
            Conflicts::Table.into_iden(),
            PanelJudges::Table.into_iden(),
            RoundEntries::Table.into_iden(),
            Criteria::Table.into_iden(),
            Rounds::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
