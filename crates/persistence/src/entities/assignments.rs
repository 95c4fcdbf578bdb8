use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub round_id: Uuid,
    pub entry_id: Uuid,
    pub judge_id: Uuid,
    pub origin: String,
    pub sheet_status: String,
    pub sheet_comment: Option<String>,
    pub sheet_version: i64,
    pub submitted_at: Option<DateTimeUtc>,
    pub reopened_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::rounds::Entity",
        from = "Column::RoundId",
        to = "super::rounds::Column::Id"
    )]
    Round,
    #[sea_orm(
        belongs_to = "super::entries::Entity",
        from = "Column::EntryId",
        to = "super::entries::Column::Id"
    )]
    Entry,
}

/// An assignment read with its round in one query (`find_also_related`).
impl Related<super::rounds::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Round.def()
    }
}

/// An assignment read with its entry in one query (`find_also_related`).
impl Related<super::entries::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Entry.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
