//! Editions with their fields and tracks. Every write loads the edition inside its
//! transaction and asks the domain whether the phase allows it.

use crate::audit::{self, AuditRecord};
use crate::entities::{editions, fields, tracks};
use crate::{Page, Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::edition::{
    DEFAULT_FIELDS, DEFAULT_TRACKS, Edition, EditionChange, EditionDraft, Field, RankingScope,
    Track,
};
use juri_domain::ids::{EditionId, FieldId, TrackId, UserId};
use juri_domain::user::SubmitterKind;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;

pub(crate) fn to_edition(m: editions::Model) -> Result<Edition, StoreError> {
    Ok(Edition {
        id: EditionId::from_uuid(m.id),
        ranking_scope: RankingScope::parse(&m.ranking_scope)
            .ok_or_else(|| StoreError::internal(format!("edition {}: bad ranking scope", m.id)))?,
        name: m.name,
        year: m.year,
        submission_opens_at: m.submission_opens_at,
        submission_closes_at: m.submission_closes_at,
        blind_judging: m.blind_judging,
        judging_started_at: m.judging_started_at,
        decided_at: m.decided_at,
        published_at: m.published_at,
        created_at: m.created_at,
    })
}

pub(crate) fn to_field(m: fields::Model) -> Field {
    Field {
        id: FieldId::from_uuid(m.id),
        edition_id: EditionId::from_uuid(m.edition_id),
        name: m.name,
        position: m.position,
        retired: m.retired_at.is_some(),
    }
}

pub(crate) fn to_track(m: tracks::Model) -> Result<Track, StoreError> {
    Ok(Track {
        id: TrackId::from_uuid(m.id),
        edition_id: EditionId::from_uuid(m.edition_id),
        submitter_kind: m
            .submitter_kind
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|_| StoreError::internal(format!("track {}: bad kind", m.id)))?,
        name: m.name,
        position: m.position,
        requires_organisation: m.requires_organisation,
        retired: m.retired_at.is_some(),
    })
}

fn audit_view(e: &Edition) -> serde_json::Value {
    json!({
        "name": e.name, "year": e.year,
        "submission_opens_at": e.submission_opens_at, "submission_closes_at": e.submission_closes_at,
        "blind_judging": e.blind_judging, "ranking_scope": e.ranking_scope.as_str(),
    })
}

pub(crate) async fn load_edition<C: ConnectionTrait>(
    db: &C,
    id: EditionId,
) -> Result<Edition, StoreError> {
    let m = editions::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    to_edition(m)
}

pub(crate) async fn load_field<C: ConnectionTrait>(
    db: &C,
    edition: EditionId,
    id: FieldId,
) -> Result<Field, StoreError> {
    let m = fields::Entity::find_by_id(id.as_uuid())
        .filter(fields::Column::EditionId.eq(edition.as_uuid()))
        .one(db)
        .await?;
    m.map(to_field).ok_or_else(|| {
        Error::invalid(
            "field_id",
            "unknown_field",
            Message::new("field.editions.unknown_field"),
        )
        .into()
    })
}

pub(crate) async fn load_track<C: ConnectionTrait>(
    db: &C,
    edition: EditionId,
    id: TrackId,
) -> Result<Track, StoreError> {
    let m = tracks::Entity::find_by_id(id.as_uuid())
        .filter(tracks::Column::EditionId.eq(edition.as_uuid()))
        .one(db)
        .await?;
    match m {
        Some(m) => to_track(m),
        None => Err(Error::invalid(
            "track_id",
            "unknown_track",
            Message::new("field.editions.unknown_track"),
        )
        .into()),
    }
}

/// Give a new edition the nine default fields and three default tracks, in order.
pub(crate) async fn insert_default_categories<C: ConnectionTrait>(
    db: &C,
    edition: EditionId,
) -> Result<(Vec<Field>, Vec<Track>), StoreError> {
    let mut fields_out = Vec::with_capacity(DEFAULT_FIELDS.len());
    for (i, name) in (1..).zip(DEFAULT_FIELDS) {
        let m = fields::ActiveModel {
            id: Set(FieldId::new().as_uuid()),
            edition_id: Set(edition.as_uuid()),
            name: Set(name.to_owned()),
            position: Set(i),
            retired_at: Set(None),
        }
        .insert(db)
        .await?;
        fields_out.push(to_field(m));
    }
    let mut tracks_out = Vec::with_capacity(DEFAULT_TRACKS.len());
    for (i, (name, kind, org)) in (1..).zip(DEFAULT_TRACKS) {
        let m = tracks::ActiveModel {
            id: Set(TrackId::new().as_uuid()),
            edition_id: Set(edition.as_uuid()),
            name: Set(name.to_owned()),
            position: Set(i),
            submitter_kind: Set(Some(kind.as_str().to_owned())),
            requires_organisation: Set(org),
            retired_at: Set(None),
        }
        .insert(db)
        .await?;
        tracks_out.push(to_track(m)?);
    }
    Ok((fields_out, tracks_out))
}

/// Which editions a caller may list.
#[derive(Debug, Clone, Copy)]
pub enum EditionVisibility {
    /// Organisers: every edition, set-up ones too.
    All,
    /// Everyone else: editions whose submissions have opened by then.
    OpenedBy(DateTime<Utc>),
    /// Published editions only.
    Published,
}

/// A new category (field or track).
#[derive(Debug, Clone)]
pub struct NewTrack {
    pub name: String,
    pub submitter_kind: Option<SubmitterKind>,
    pub requires_organisation: bool,
}

/// A change of a field or track; `None` leaves it.
#[derive(Debug, Clone, Default)]
pub struct CategoryChange {
    pub name: Option<String>,
    pub position: Option<i32>,
    pub retired: Option<bool>,
}

impl Store {
    /// Create an edition with the nine default fields and three default tracks.
    pub async fn create_edition(
        &self,
        draft: EditionDraft,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Edition, StoreError> {
        let txn = self.begin_write().await?;
        let m = editions::ActiveModel {
            id: Set(EditionId::new().as_uuid()),
            name: Set(draft.name),
            year: Set(draft.year),
            submission_opens_at: Set(draft.submission_opens_at),
            submission_closes_at: Set(draft.submission_closes_at),
            blind_judging: Set(draft.blind_judging),
            ranking_scope: Set(draft.ranking_scope.as_str().to_owned()),
            judging_started_at: Set(None),
            decided_at: Set(None),
            published_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let edition = to_edition(m)?;
        insert_default_categories(&txn, edition.id).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "edition.created", "edition")
                .subject(edition.id)
                .after(audit_view(&edition)),
        )
        .await?;
        txn.commit().await?;
        Ok(edition)
    }

    pub async fn edition(&self, id: EditionId) -> Result<Edition, StoreError> {
        load_edition(&self.db, id).await
    }

    /// Editions, newest year first.
    pub async fn editions(
        &self,
        which: EditionVisibility,
        page: u64,
        per_page: u64,
    ) -> Result<Page<Edition>, StoreError> {
        let mut q = editions::Entity::find();
        match which {
            EditionVisibility::All => {}
            EditionVisibility::OpenedBy(now) => {
                q = q.filter(editions::Column::SubmissionOpensAt.lte(now));
            }
            EditionVisibility::Published => {
                q = q.filter(editions::Column::PublishedAt.is_not_null());
            }
        }
        let total = q.clone().count(&self.db).await?;
        let rows = q
            .order_by_desc(editions::Column::Year)
            .order_by_desc(editions::Column::Id)
            .offset(page.saturating_sub(1).saturating_mul(per_page))
            .limit(per_page)
            .all(&self.db)
            .await?;
        Ok(Page {
            items: rows.into_iter().map(to_edition).collect::<Result<_, _>>()?,
            total,
            page,
            per_page,
        })
    }

    pub async fn update_edition(
        &self,
        id: EditionId,
        change: EditionChange,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Edition, StoreError> {
        let txn = self.begin_write().await?;
        let before = load_edition(&txn, id).await?;
        let after = before.apply(change, now)?;
        let mut m: editions::ActiveModel = editions::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?
            .into();
        m.name = Set(after.name.clone());
        m.year = Set(after.year);
        m.submission_opens_at = Set(after.submission_opens_at);
        m.submission_closes_at = Set(after.submission_closes_at);
        m.blind_judging = Set(after.blind_judging);
        m.ranking_scope = Set(after.ranking_scope.as_str().to_owned());
        m.updated_at = Set(now);
        m.update(&txn).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "edition.updated", "edition")
                .subject(id)
                .before(audit_view(&before))
                .after(audit_view(&after)),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    pub async fn fields(&self, edition: EditionId) -> Result<Vec<Field>, StoreError> {
        load_edition(&self.db, edition).await?;
        Ok(fields::Entity::find()
            .filter(fields::Column::EditionId.eq(edition.as_uuid()))
            .order_by_asc(fields::Column::Position)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_field)
            .collect())
    }

    pub async fn tracks(&self, edition: EditionId) -> Result<Vec<Track>, StoreError> {
        load_edition(&self.db, edition).await?;
        tracks::Entity::find()
            .filter(tracks::Column::EditionId.eq(edition.as_uuid()))
            .order_by_asc(tracks::Column::Position)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_track)
            .collect()
    }

    pub async fn add_field(
        &self,
        edition: EditionId,
        name: String,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Field, StoreError> {
        let txn = self.begin_write().await?;
        load_edition(&txn, edition)
            .await?
            .allows_category_changes(now)?;
        let position = fields::Entity::find()
            .filter(fields::Column::EditionId.eq(edition.as_uuid()))
            .count(&txn)
            .await?;
        let m = fields::ActiveModel {
            id: Set(FieldId::new().as_uuid()),
            edition_id: Set(edition.as_uuid()),
            name: Set(name),
            position: Set(i32::try_from(position + 1).unwrap_or(i32::MAX)),
            retired_at: Set(None),
        }
        .insert(&txn)
        .await
        .map_err(|e| StoreError::unique_as(e, "conflict.field_name_taken"))?;
        let field = to_field(m);
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "field.created", "field")
                .subject(field.id)
                .after(json!({"edition_id": edition, "name": field.name})),
        )
        .await?;
        txn.commit().await?;
        Ok(field)
    }

    pub async fn update_field(
        &self,
        edition: EditionId,
        id: FieldId,
        change: CategoryChange,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Field, StoreError> {
        let txn = self.begin_write().await?;
        load_edition(&txn, edition)
            .await?
            .allows_category_changes(now)?;
        let current = fields::Entity::find_by_id(id.as_uuid())
            .filter(fields::Column::EditionId.eq(edition.as_uuid()))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        let before = to_field(current.clone());
        let mut m: fields::ActiveModel = current.into();
        if let Some(name) = change.name {
            m.name = Set(name);
        }
        if let Some(p) = change.position {
            m.position = Set(p);
        }
        if let Some(at) = crate::organisations::retirement(change.retired, before.retired, now) {
            m.retired_at = Set(at);
        }
        let after = to_field(
            m.update(&txn)
                .await
                .map_err(|e| StoreError::unique_as(e, "conflict.field_name_taken"))?,
        );
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "field.updated", "field")
                .subject(id)
                .before(json!({"name": before.name, "retired": before.retired}))
                .after(json!({"name": after.name, "retired": after.retired})),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    pub async fn add_track(
        &self,
        edition: EditionId,
        new: NewTrack,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Track, StoreError> {
        let txn = self.begin_write().await?;
        load_edition(&txn, edition)
            .await?
            .allows_category_changes(now)?;
        let position = tracks::Entity::find()
            .filter(tracks::Column::EditionId.eq(edition.as_uuid()))
            .count(&txn)
            .await?;
        let m = tracks::ActiveModel {
            id: Set(TrackId::new().as_uuid()),
            edition_id: Set(edition.as_uuid()),
            name: Set(new.name),
            position: Set(i32::try_from(position + 1).unwrap_or(i32::MAX)),
            submitter_kind: Set(new.submitter_kind.map(|k| k.as_str().to_owned())),
            requires_organisation: Set(new.requires_organisation),
            retired_at: Set(None),
        }
        .insert(&txn)
        .await
        .map_err(|e| StoreError::unique_as(e, "conflict.track_name_taken"))?;
        let track = to_track(m)?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "track.created", "track")
                .subject(track.id)
                .after(json!({"edition_id": edition, "name": track.name})),
        )
        .await?;
        txn.commit().await?;
        Ok(track)
    }

    pub async fn update_track(
        &self,
        edition: EditionId,
        id: TrackId,
        change: CategoryChange,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Track, StoreError> {
        let txn = self.begin_write().await?;
        load_edition(&txn, edition)
            .await?
            .allows_category_changes(now)?;
        let current = tracks::Entity::find_by_id(id.as_uuid())
            .filter(tracks::Column::EditionId.eq(edition.as_uuid()))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        let before = to_track(current.clone())?;
        let mut m: tracks::ActiveModel = current.into();
        if let Some(name) = change.name {
            m.name = Set(name);
        }
        if let Some(p) = change.position {
            m.position = Set(p);
        }
        if let Some(at) = crate::organisations::retirement(change.retired, before.retired, now) {
            m.retired_at = Set(at);
        }
        let after = to_track(
            m.update(&txn)
                .await
                .map_err(|e| StoreError::unique_as(e, "conflict.track_name_taken"))?,
        )?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "track.updated", "track")
                .subject(id)
                .before(json!({"name": before.name, "retired": before.retired}))
                .after(json!({"name": after.name, "retired": after.retired})),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }
}
