//! Bulk seeding for `juri bench`: national-scale data written in large batches,
//! around the rules, so that a benchmark can set up 10,000 entries and 30,000 sheets in
//! seconds. Never called by the server; what it writes is what the regular paths would
//! have written (same columns, same statuses), without the audit events.

use crate::entities::{assignments, criteria, entries, scores};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::ids::{EntryId, FieldId, RoundId};
use juri_domain::round::SheetStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Rows written per INSERT: well under SQLite's limit of bound parameters.
const CHUNK: usize = 400;

/// One copy of a template entry: its own title, summary and field.
#[derive(Debug, Clone)]
pub struct EntryCopy {
    pub title: String,
    pub summary: String,
    pub field: Option<FieldId>,
}

impl Store {
    /// Insert copies of `template` (same edition, submitter, status and texts), each
    /// with its own id, title, summary and field; their search text is made as the
    /// regular paths make it. Returns the new ids in order.
    pub async fn bulk_copy_entries(
        &self,
        template: EntryId,
        copies: Vec<EntryCopy>,
        now: DateTime<Utc>,
    ) -> Result<Vec<EntryId>, StoreError> {
        let t = entries::Entity::find_by_id(template.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let base = crate::entries::to_entry(t.clone())?.content;
        let txn = self.begin_write().await?;
        let mut ids = Vec::with_capacity(copies.len());
        for chunk in copies.chunks(CHUNK) {
            let rows: Vec<entries::ActiveModel> = chunk
                .iter()
                .map(|c| {
                    let id = EntryId::new();
                    ids.push(id);
                    let mut m = t.clone();
                    m.id = id.as_uuid();
                    m.title.clone_from(&c.title);
                    m.summary.clone_from(&c.summary);
                    m.field_id = c.field.map(|f| f.as_uuid()).or(t.field_id);
                    let mut content = base.clone();
                    content.title.clone_from(&c.title);
                    content.summary.clone_from(&c.summary);
                    m.search_text = content.catalogue_search_text();
                    m.created_at = now;
                    m.updated_at = now;
                    // Every column written, not only the changed ones.
                    m.into_active_model().reset_all()
                })
                .collect();
            entries::Entity::insert_many(rows)
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(ids)
    }

    /// Submit every sheet of a round at once: `value(i, c)` is the score of the `i`-th
    /// assignment (in id order) on the `c`-th criterion (rubric order), clamped to the
    /// criterion's scale.
    pub async fn bulk_submit_sheets(
        &self,
        round_id: RoundId,
        value: impl Fn(usize, usize) -> i32,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let crit = criteria::Entity::find()
            .filter(criteria::Column::RoundId.eq(round_id.as_uuid()))
            .all(&self.db)
            .await?;
        let mut crit = crit;
        crit.sort_by_key(|c| c.position);
        let mut rows = assignments::Entity::find()
            .filter(assignments::Column::RoundId.eq(round_id.as_uuid()))
            .all(&self.db)
            .await?;
        rows.sort_by_key(|a| a.id);
        let txn = self.begin_write().await?;
        let mut values = Vec::with_capacity(rows.len() * crit.len());
        for (i, a) in rows.iter().enumerate() {
            for (c, k) in crit.iter().enumerate() {
                values.push(scores::ActiveModel {
                    assignment_id: Set(a.id),
                    criterion_id: Set(k.id),
                    value: Set(Some(value(i, c).clamp(k.min, k.max))),
                    comment: Set(None),
                });
            }
        }
        for chunk in values.chunks(CHUNK) {
            scores::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        assignments::Entity::update_many()
            .col_expr(
                assignments::Column::SheetStatus,
                Expr::value(SheetStatus::Submitted.as_str()),
            )
            .col_expr(assignments::Column::SheetVersion, Expr::value(1_i64))
            .col_expr(assignments::Column::SubmittedAt, Expr::value(now))
            .col_expr(assignments::Column::UpdatedAt, Expr::value(now))
            .filter(assignments::Column::RoundId.eq(round_id.as_uuid()))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(rows.len())
    }

    /// Count every statement this store runs from now on (benchmarks: "a fixed number
    /// of queries"). Only for a store of its own; the server never calls it.
    pub fn count_queries(&mut self) -> Arc<AtomicU64> {
        let n = Arc::new(AtomicU64::new(0));
        for db in [&mut self.db, &mut self.writer] {
            let counter = n.clone();
            db.set_metric_callback(move |_| {
                counter.fetch_add(1, Ordering::Relaxed);
            });
        }
        n
    }
}
