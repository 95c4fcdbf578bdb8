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
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
