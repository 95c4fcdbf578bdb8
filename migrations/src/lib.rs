//! The schema of Juri, its only source. One set of migrations runs on SQLite and on
//! PostgreSQL: written with sea-query builders, branching on the backend only for
//! what one of them lacks (triggers). Policy (see `migrations/README.md`): never edit
//! a migration once it is on `main`; change a schema by expanding, then contracting.

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

mod m20261129_000001_accounts;
mod m20261129_000002_editions;
mod m20261129_000003_judging;
mod m20261129_000004_results;
mod m20261129_000005_audit_seals;
mod m20261129_000006_outbox;
mod m20261207_000007_hardening;
mod m20261207_000008_catalogue_search;
mod reference_data;

pub use reference_data::BANGKA_AGENCIES;

#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_accounts::Migration),
            Box::new(m20261129_000002_editions::Migration),
            Box::new(m20261129_000003_judging::Migration),
            Box::new(m20261129_000004_results::Migration),
            Box::new(m20261129_000005_audit_seals::Migration),
            Box::new(m20261129_000006_outbox::Migration),
            Box::new(m20261207_000007_hardening::Migration),
            Box::new(m20261207_000008_catalogue_search::Migration),
        ]
    }
}
