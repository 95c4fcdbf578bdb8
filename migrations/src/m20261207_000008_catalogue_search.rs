//! The catalogue's search text holds more (issue 18, "Everyone"): `entries.search_text`
//! was the folded title and summary; it is now the folded public texts and the team
//! members' names (`juri_domain::entry::catalogue_search_text`), so a search finds an
//! innovation by a place named in its description or by a person on its team. The
//! field's and the agency's names are added in memory when the catalogue is loaded.
//!
//! No schema change: the rows already written are recomputed, in pages by id, with the
//! same function the code now writes with. `down` puts back the title and summary.

use juri_domain::award::search_key;
use juri_domain::entry::{PUBLIC_TEXTS, catalogue_search_text};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, JsonValue};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Entries {
    Table,
    Id,
    Team,
    SearchText,
}

/// Rows read and rewritten per query.
const PAGE: u64 = 500;

/// The search text of one row: everything (`up`) or the title and summary (`down`).
type Compute = fn(&[String], &[String]) -> String;

fn wide(texts: &[String], team: &[String]) -> String {
    catalogue_search_text(
        texts.iter().map(String::as_str),
        team.iter().map(String::as_str),
    )
}

fn narrow(texts: &[String], _team: &[String]) -> String {
    // PUBLIC_TEXTS starts with the title and the summary: what the column held before.
    let title_and_summary: Vec<&str> = texts.iter().take(2).map(String::as_str).collect();
    search_key(&title_and_summary.join(" "))
}

async fn recompute(manager: &SchemaManager<'_>, compute: Compute) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let mut after: Option<uuid::Uuid> = None;
    loop {
        let mut select = Query::select();
        select
            .from(Entries::Table)
            .column(Entries::Id)
            .column(Entries::Team)
            .order_by(Entries::Id, Order::Asc)
            .limit(PAGE);
        for name in PUBLIC_TEXTS {
            select.column(Alias::new(name));
        }
        if let Some(last) = after {
            select.and_where(Expr::col(Entries::Id).gt(last));
        }
        let rows = db.query_all(&select).await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = Some(last.try_get::<uuid::Uuid>("", "id")?);
        for row in rows {
            let id: uuid::Uuid = row.try_get("", "id")?;
            let mut texts = Vec::with_capacity(PUBLIC_TEXTS.len());
            for name in PUBLIC_TEXTS {
                texts.push(row.try_get::<String>("", name)?);
            }
            // A team that does not read as a list of members adds no names, as the
            // catalogue shows none for it.
            let team: Vec<String> = row
                .try_get::<JsonValue>("", "team")
                .ok()
                .and_then(|v| v.as_array().cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|m| m["name"].as_str().map(str::to_owned))
                .collect();
            let update = Query::update()
                .table(Entries::Table)
                .value(Entries::SearchText, compute(&texts, &team))
                .and_where(Expr::col(Entries::Id).eq(id))
                .to_owned();
            db.execute(&update).await?;
        }
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        recompute(manager, wide).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        recompute(manager, narrow).await
    }
}
