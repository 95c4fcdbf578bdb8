use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub edition_id: Uuid,
    pub submitter_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub field_id: Option<Uuid>,
    pub track_id: Option<Uuid>,
    pub status: String,
    pub title: String,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub how_it_works: String,
    pub impact: String,
    pub cost: String,
    pub replicability: String,
    pub sustainability: String,
    pub stakeholders: String,
    pub started_on: Option<Date>,
    pub team: Json,
    pub video_url: Option<String>,
    pub publication_consent: bool,
    pub screening_reason: Option<String>,
    pub screened_at: Option<DateTimeUtc>,
    pub screened_by: Option<Uuid>,
    pub submitted_at: Option<DateTimeUtc>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub search_text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
