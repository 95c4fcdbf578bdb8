use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "criteria")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub round_id: Uuid,
    pub position: i32,
    pub name: String,
    pub description: String,
    pub weight: f64,
    pub min: i32,
    pub max: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::rounds::Entity",
        from = "Column::RoundId",
        to = "super::rounds::Column::Id"
    )]
    Round,
}

impl Related<super::rounds::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Round.def()
    }
}

/// A criterion's value on the sheet of the assignment in the same query: only joined
/// after `assignments` (a judge's sheet with its rubric), so that the row of each
/// criterion carries that sheet's value, in the one query.
impl Related<super::scores::Entity> for Entity {
    fn to() -> RelationDef {
        RelationDef::from(
            super::scores::Entity::belongs_to(Entity)
                .from(super::scores::Column::CriterionId)
                .to(Column::Id),
        )
        .rev()
        .on_condition(|_criteria, scores| {
            use sea_orm::{ExprTrait, sea_query::IntoCondition};
            Expr::col((scores, super::scores::Column::AssignmentId))
                .equals((super::assignments::Entity, super::assignments::Column::Id))
                .into_condition()
        })
    }
}

impl ActiveModelBehavior for ActiveModel {}
