use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rounds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub edition_id: Uuid,
    pub name: String,
    pub position: i32,
    pub judges_per_entry: i32,
    pub aggregation: String,
    pub weight: Option<f64>,
    pub blind: bool,
    pub disagreement_threshold: f64,
    pub peer_sheets: String,
    pub judge_names_visible: bool,
    pub closed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::criteria::Entity")]
    Criteria,
}

/// A round read with its rubric in one query (`find_also`).
impl Related<super::criteria::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Criteria.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
