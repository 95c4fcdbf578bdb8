//! The public catalogue, held in memory. What it shows changes only when an edition is
//! published, earlier years are imported, or an agency is renamed; between those it is
//! read thousands of times a second, and a `LIKE '%word%'` over every innovation per
//! request cost ~20 ms on SQLite. So the published innovations are loaded once, indexed
//! by word (`juri_domain::search`), filtered and paged in memory.
//!
//! Freshness: this server's own publications, imports and renames drop the copy at
//! once; another server's are seen within [`RECHECK`], by comparing a small generation
//! (published editions, the latest publication, the latest agency change) read from the
//! database at most that often.

use crate::entities::{editions, entries, organisations};
use crate::results::{CatalogueFilter, PublicInnovation, public_condition};
use crate::{Page, Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::award::search_key;
use juri_domain::edition::DEFAULT_FIELDS;
use juri_domain::search::{SearchIndex, SearchQuery};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How stale another server's publication may be seen here.
pub const RECHECK: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Generation {
    published: u64,
    latest_publication: Option<DateTime<Utc>>,
    latest_agency_change: Option<DateTime<Utc>>,
}

#[derive(Debug)]
struct Row {
    item: PublicInnovation,
    field_id: Option<uuid::Uuid>,
    field: Option<String>,
    track_id: Option<uuid::Uuid>,
    track: Option<String>,
    organisation_id: Option<uuid::Uuid>,
}

#[derive(Debug)]
struct Snapshot {
    generation: Generation,
    /// Newest first, as the database lists them (by id, descending).
    rows: Vec<Row>,
    index: SearchIndex,
}

#[derive(Debug, Default)]
struct State {
    snapshot: Option<Arc<Snapshot>>,
    checked: Option<Instant>,
}

/// Shared by every clone of a [`Store`].
#[derive(Debug, Default)]
pub(crate) struct CatalogueCache {
    state: Mutex<State>,
    /// One rebuild at a time; the others wait for it instead of repeating it.
    rebuild: tokio::sync::Mutex<()>,
}

impl CatalogueCache {
    /// Forget the copy: the next read loads the catalogue again.
    pub(crate) fn invalidate(&self) {
        if let Ok(mut s) = self.state.lock() {
            *s = State::default();
        }
    }

    fn fresh(&self) -> Option<Arc<Snapshot>> {
        let s = self.state.lock().ok()?;
        match (&s.snapshot, s.checked) {
            (Some(snap), Some(at)) if at.elapsed() < RECHECK => Some(snap.clone()),
            _ => None,
        }
    }

    fn current(&self) -> Option<Arc<Snapshot>> {
        self.state.lock().ok()?.snapshot.clone()
    }

    fn keep(&self, snapshot: Arc<Snapshot>) {
        if let Ok(mut s) = self.state.lock() {
            s.snapshot = Some(snapshot);
            s.checked = Some(Instant::now());
        }
    }
}

impl Store {
    async fn catalogue_generation(&self) -> Result<Generation, StoreError> {
        let published =
            editions::Entity::find().filter(editions::Column::PublishedAt.is_not_null());
        let count = published.clone().count(&self.db).await?;
        let latest = published
            .order_by_desc(editions::Column::PublishedAt)
            .limit(1)
            .one(&self.db)
            .await?
            .and_then(|e| e.published_at);
        let agency = organisations::Entity::find()
            .order_by_desc(organisations::Column::UpdatedAt)
            .limit(1)
            .one(&self.db)
            .await?
            .map(|o| o.updated_at);
        Ok(Generation {
            published: count,
            latest_publication: latest,
            latest_agency_change: agency,
        })
    }

    async fn catalogue_snapshot(&self) -> Result<Arc<Snapshot>, StoreError> {
        if let Some(s) = self.catalogue.fresh() {
            return Ok(s);
        }
        let _one = self.catalogue.rebuild.lock().await;
        if let Some(s) = self.catalogue.fresh() {
            return Ok(s);
        }
        let generation = self.catalogue_generation().await?;
        if let Some(s) = self.catalogue.current()
            && s.generation == generation
        {
            self.catalogue.keep(s.clone());
            return Ok(s);
        }
        // In pages of 1,000, so that the raw rows of a whole catalogue are never held at
        // once next to the copy being built.
        let mut rows: Vec<Row> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut before: Option<uuid::Uuid> = None;
        loop {
            let mut q = entries::Entity::find().filter(public_condition());
            if let Some(last) = before {
                q = q.filter(entries::Column::Id.lt(last));
            }
            let models = q
                .order_by_desc(entries::Column::Id)
                .limit(1000)
                .all(&self.db)
                .await?;
            let Some(last) = models.last().map(|m| m.id) else {
                break;
            };
            before = Some(last);
            type Keys = (Option<uuid::Uuid>, Option<uuid::Uuid>, Option<uuid::Uuid>);
            let keys: Vec<Keys> = models
                .iter()
                .map(|m| (m.field_id, m.track_id, m.organisation_id))
                .collect();
            let stored: Vec<String> = models.iter().map(|m| m.search_text.clone()).collect();
            let items = self.public_views(models).await?;
            texts.extend(items.iter().zip(stored).map(|(item, stored)| {
                search_text(&stored, item.field.as_deref(), item.organisation.as_deref())
            }));
            rows.extend(items.into_iter().zip(keys).map(
                |(item, (field_id, track_id, organisation_id))| Row {
                    field: item.field.as_deref().map(|f| f.trim().to_lowercase()),
                    track: item.track.as_deref().map(|t| t.trim().to_lowercase()),
                    item,
                    field_id,
                    track_id,
                    organisation_id,
                },
            ));
        }
        let index = SearchIndex::build(texts.iter().map(String::as_str));
        drop(texts);
        let snapshot = Arc::new(Snapshot {
            generation,
            rows,
            index,
        });
        self.catalogue.keep(snapshot.clone());
        Ok(snapshot)
    }

    /// The public catalogue: consenting, eligible innovations of published editions,
    /// newest first, filtered as [`CatalogueFilter`] says.
    pub async fn catalogue(
        &self,
        filter: CatalogueFilter,
        page: u64,
        per_page: u64,
    ) -> Result<Page<PublicInnovation>, StoreError> {
        // Checked before any work: a bounded number of distinct words (422 on `q`).
        let query = match filter.q.as_deref() {
            Some(q) => SearchQuery::parse(q)?,
            None => SearchQuery::default(),
        };
        let snap = self.catalogue_snapshot().await?;
        if query.is_empty() {
            return Ok(select(&snap, &filter, &query, page, per_page));
        }
        // A search scans the vocabulary once per word: on a blocking thread, so a few
        // heavy searches never hold up the async workers (or /healthz).
        tokio::task::spawn_blocking(move || select(&snap, &filter, &query, page, per_page))
            .await
            .map_err(|e| StoreError::internal(format!("catalogue search: {e}")))
    }
}

/// What the search looks in for one innovation: its stored text (its public texts and
/// team, folded when it was written), its field's name — in English too for a default
/// field — and its agency's name. The names are added here rather than stored because
/// an agency can be renamed after publication, and a rename already renews the
/// snapshot (its generation).
fn search_text(stored: &str, field: Option<&str>, agency: Option<&str>) -> String {
    let mut out = stored.to_owned();
    let mut add = |words: &str| {
        let folded = search_key(words);
        if !folded.is_empty() {
            out.push(' ');
            out.push_str(&folded);
        }
    };
    if let Some(field) = field {
        add(field);
        let key = search_key(field);
        if let Some(n) = DEFAULT_FIELDS.iter().position(|f| search_key(f) == key) {
            add(juri_text::text(
                juri_text::Language::En,
                &format!("default_field.{}", n + 1),
            ));
        }
    }
    if let Some(agency) = agency {
        add(agency);
    }
    out
}

/// One page of the snapshot's innovations that match the filter and the search.
fn select(
    snap: &Snapshot,
    filter: &CatalogueFilter,
    query: &SearchQuery,
    page: u64,
    per_page: u64,
) -> Page<PublicInnovation> {
    let by_id_or_name =
        |wanted: &Option<String>, id: Option<uuid::Uuid>, name: &Option<String>| match wanted
            .as_deref()
        {
            None => true,
            Some(w) => match w.parse::<uuid::Uuid>() {
                Ok(u) => id == Some(u),
                Err(_) => name.as_deref() == Some(w.trim().to_lowercase().as_str()),
            },
        };
    let candidates: Vec<u32> = if query.is_empty() {
        (0..u32::try_from(snap.rows.len()).unwrap_or(u32::MAX)).collect()
    } else {
        snap.index.matching_words(query.words())
    };
    let matching: Vec<&Row> = candidates
        .into_iter()
        .filter_map(|i| snap.rows.get(usize::try_from(i).ok()?))
        .filter(|r| filter.year.is_none_or(|y| r.item.year == y))
        .filter(|r| by_id_or_name(&filter.field, r.field_id, &r.field))
        .filter(|r| by_id_or_name(&filter.track, r.track_id, &r.track))
        .filter(|r| {
            filter
                .organisation
                .is_none_or(|o| r.organisation_id == Some(o.as_uuid()))
        })
        .collect();
    let skip =
        usize::try_from(page.saturating_sub(1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let take = usize::try_from(per_page).unwrap_or(usize::MAX);
    Page {
        items: matching
            .iter()
            .skip(skip)
            .take(take)
            .map(|r| r.item.clone())
            .collect(),
        total: matching.len() as u64,
        page,
        per_page,
    }
}

#[cfg(test)]
mod tests {
    use super::search_text;

    #[test]
    fn the_search_text_adds_the_field_in_both_languages_and_the_agency() {
        let text = search_text("pengingat obat", Some("Kesehatan"), Some("Dinas Kesehatan"));
        assert_eq!(text, "pengingat obat kesehatan health dinas kesehatan");
        // A field an organiser added has no English name to add.
        assert_eq!(
            search_text("x", Some("Pariwisata Bahari"), None),
            "x pariwisata bahari"
        );
    }
}
