//! Importing the innovations of earlier years (`juri import FILE`). The rows arrive
//! parsed and checked on their own (`juri_domain::import::parse_row`); here their names
//! are resolved against the database — the year's edition, its field and track, the
//! agency — and every row's errors are collected. Only when no row has one is anything
//! written, all in one transaction: the editions that do not exist yet (published, with
//! a publication that says it was imported), the archive account that owns the
//! imported entries, the entries and their awards, and one audit event.

use crate::audit::{self, AuditRecord};
use crate::editions::{insert_default_categories, to_edition, to_field, to_track};
use crate::entities::{editions, entries, fields, organisations, publications, tracks, users};
use crate::results::Winner;
use crate::users::{NewUser, insert_user};
use crate::{Store, StoreError};
use chrono::{DateTime, Datelike, TimeZone, Utc};
use juri_domain::Message;
use juri_domain::award::{Award, search_key};
use juri_domain::edition::{
    DEFAULT_FIELDS, DEFAULT_TRACKS, Edition, EditionDraft, Phase, RankingScope,
};
use juri_domain::entry::{Content, Status};
use juri_domain::ids::{EditionId, EntryId, FieldId, OrganisationId, TrackId, UserId};
use juri_domain::import::{ImportRow, RowError};
use juri_domain::user::{Email, PersonName, Role, UserStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The account that owns imported entries: a disabled submitter without a password,
/// made at the first import.
pub const ARCHIVE_EMAIL: &str = "arsip@juri.local";
const ARCHIVE_NAME: &str = "Arsip Bangka Innovation Awards";

/// The name of the edition an imported year goes to (reused when it exists).
pub fn import_edition_name(year: i32) -> String {
    format!("Bangka Innovation Awards {year}")
}

/// One edition an import wrote to (or would write to, on a dry run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedEdition {
    /// `None` on a dry run for an edition that does not exist yet.
    pub edition_id: Option<EditionId>,
    pub name: String,
    pub year: i32,
    /// Made by this import (published at once), rather than an existing one reused.
    pub created: bool,
    pub entries: usize,
    pub winners: usize,
}

/// What an import did (or, on a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub entries: usize,
    pub winners: usize,
    /// By year.
    pub editions: Vec<ImportedEdition>,
    /// False for a dry run: nothing was written.
    pub written: bool,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    /// Rows that cannot be imported, each with its line and column. Nothing was written.
    #[error("{} errors in the file", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for ImportFailure {
    fn from(e: sea_orm::DbErr) -> Self {
        ImportFailure::Store(e.into())
    }
}

/// A field or track of the edition a year goes to. `id` is unset for an edition that
/// the import will create.
#[derive(Debug, Clone)]
struct Category {
    id: Option<uuid::Uuid>,
    name: String,
    requires_organisation: bool,
}

/// The edition a year goes to and what it already holds.
#[derive(Debug)]
struct YearPlan {
    year: i32,
    existing: Option<Edition>,
    fields: Vec<Category>,
    tracks: Vec<Category>,
}

/// A row with its names resolved.
#[derive(Debug)]
struct Resolved {
    row: ImportRow,
    year: usize,
    field: usize,
    track: usize,
    organisation: Option<OrganisationId>,
}

#[derive(Debug)]
struct Plan {
    years: Vec<YearPlan>,
    rows: Vec<Resolved>,
}

fn choices(categories: &[Category]) -> String {
    categories
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn find(categories: &[Category], name: &str) -> Option<usize> {
    let key = search_key(name);
    categories.iter().position(|c| search_key(&c.name) == key)
}

/// The agencies by folded name and short name (several when a short name is shared).
async fn agencies<C: ConnectionTrait>(
    db: &C,
) -> Result<HashMap<String, Vec<(OrganisationId, String)>>, StoreError> {
    let mut by_key: HashMap<String, Vec<(OrganisationId, String)>> = HashMap::new();
    for o in organisations::Entity::find()
        .order_by_asc(organisations::Column::Name)
        .all(db)
        .await?
    {
        let id = OrganisationId::from_uuid(o.id);
        let mut keys = vec![search_key(&o.name)];
        if let Some(short) = o.short_name.as_deref() {
            keys.push(search_key(short));
        }
        keys.dedup();
        for key in keys {
            let list = by_key.entry(key).or_default();
            if !list.iter().any(|(x, _)| *x == id) {
                list.push((id, o.name.clone()));
            }
        }
    }
    Ok(by_key)
}

/// The edition a year goes to: the existing "Bangka Innovation Awards {year}" (which
/// must be published), or a new one with the default fields and tracks.
async fn year_plan<C: ConnectionTrait>(db: &C, year: i32) -> Result<YearPlan, StoreError> {
    let existing = editions::Entity::find()
        .filter(editions::Column::Name.eq(import_edition_name(year)))
        .filter(editions::Column::Year.eq(year))
        .order_by_asc(editions::Column::CreatedAt)
        .one(db)
        .await?
        .map(to_edition)
        .transpose()?;
    let Some(edition) = existing else {
        return Ok(YearPlan {
            year,
            existing: None,
            fields: DEFAULT_FIELDS
                .iter()
                .map(|name| Category {
                    id: None,
                    name: (*name).to_owned(),
                    requires_organisation: false,
                })
                .collect(),
            tracks: DEFAULT_TRACKS
                .iter()
                .map(|(name, _, org)| Category {
                    id: None,
                    name: (*name).to_owned(),
                    requires_organisation: *org,
                })
                .collect(),
        });
    };
    let fields = fields::Entity::find()
        .filter(fields::Column::EditionId.eq(edition.id.as_uuid()))
        .filter(fields::Column::RetiredAt.is_null())
        .order_by_asc(fields::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let f = to_field(m);
            Category {
                id: Some(f.id.as_uuid()),
                name: f.name,
                requires_organisation: false,
            }
        })
        .collect();
    let tracks = tracks::Entity::find()
        .filter(tracks::Column::EditionId.eq(edition.id.as_uuid()))
        .filter(tracks::Column::RetiredAt.is_null())
        .order_by_asc(tracks::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let t = to_track(m)?;
            Ok(Category {
                id: Some(t.id.as_uuid()),
                name: t.name,
                requires_organisation: t.requires_organisation,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(YearPlan {
        year,
        existing: Some(edition),
        fields,
        tracks,
    })
}

/// What an existing edition already holds: its titles (folded) and its awards per track.
async fn existing_content<C: ConnectionTrait>(
    db: &C,
    edition: EditionId,
) -> Result<(Vec<String>, Vec<(Option<uuid::Uuid>, String)>), StoreError> {
    let titles: Vec<String> = entries::Entity::find()
        .select_only()
        .column(entries::Column::Title)
        .filter(entries::Column::EditionId.eq(edition.as_uuid()))
        .into_tuple::<String>()
        .all(db)
        .await?
        .iter()
        .map(|t| search_key(t))
        .collect();
    let awards = crate::entities::winners::Entity::find()
        .filter(crate::entities::winners::Column::EditionId.eq(edition.as_uuid()))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.track_id, w.award))
        .collect();
    Ok((titles, awards))
}

/// Resolve every row; the errors of every row, or the plan.
async fn plan<C: ConnectionTrait>(
    db: &C,
    rows: Vec<ImportRow>,
    now: DateTime<Utc>,
) -> Result<Result<Plan, Vec<RowError>>, StoreError> {
    let agencies = agencies(db).await?;
    let mut years: Vec<YearPlan> = Vec::new();
    // Per year: folded title → the line that has it (None: already in the edition).
    let mut titles: Vec<HashMap<String, Option<usize>>> = Vec::new();
    // Per year: (track index, award) → the line that has it (None: already recorded).
    let mut awards: Vec<HashMap<(usize, Award), Option<usize>>> = Vec::new();
    let mut errors = Vec::new();
    let mut resolved = Vec::with_capacity(rows.len());
    for row in rows {
        let line = row.line;
        let before = errors.len();
        if row.year > now.year() {
            errors.push(RowError::new(
                line,
                "year",
                Message::new("import.future_year"),
            ));
        }
        let y = match years.iter().position(|p| p.year == row.year) {
            Some(y) => y,
            None => {
                let p = year_plan(db, row.year).await?;
                let mut t = HashMap::new();
                let mut a = HashMap::new();
                if let Some(e) = &p.existing {
                    let (existing_titles, existing_awards) = existing_content(db, e.id).await?;
                    t.extend(existing_titles.into_iter().map(|k| (k, None)));
                    for (track, award) in existing_awards {
                        let idx = p.tracks.iter().position(|c| c.id == track);
                        if let (Some(idx), Some(award)) = (idx, Award::parse(&award)) {
                            a.insert((idx, award), None);
                        }
                    }
                }
                years.push(p);
                titles.push(t);
                awards.push(a);
                years.len() - 1
            }
        };
        let plan = &years[y];
        if let Some(e) = &plan.existing
            && e.phase(now) != Phase::Published
        {
            errors.push(RowError::new(
                line,
                "year",
                Message::new("import.edition_running").with("edition", &e.name),
            ));
        }
        let field = find(&plan.fields, &row.field);
        if field.is_none() {
            errors.push(RowError::new(
                line,
                "field",
                Message::new("import.unknown_field")
                    .with("field", &row.field)
                    .with("year", plan.year)
                    .with("choices", choices(&plan.fields)),
            ));
        }
        let track = find(&plan.tracks, &row.track);
        if track.is_none() {
            errors.push(RowError::new(
                line,
                "track",
                Message::new("import.unknown_track")
                    .with("track", &row.track)
                    .with("year", plan.year)
                    .with("choices", choices(&plan.tracks)),
            ));
        }
        let organisation = match row.organisation.as_deref() {
            None => {
                if let Some(t) = track
                    && plan.tracks[t].requires_organisation
                {
                    errors.push(RowError::new(
                        line,
                        "organisation",
                        Message::new("import.organisation_required")
                            .with("track", &plan.tracks[t].name),
                    ));
                }
                None
            }
            Some(name) => match agencies.get(&search_key(name)).map(Vec::as_slice) {
                Some([(id, _)]) => Some(*id),
                Some(several) if several.len() > 1 => {
                    let names = several
                        .iter()
                        .map(|(_, n)| n.as_str())
                        .collect::<Vec<_>>()
                        .join("; ");
                    errors.push(RowError::new(
                        line,
                        "organisation",
                        Message::new("import.organisation_ambiguous")
                            .with("name", name)
                            .with("names", &names),
                    ));
                    None
                }
                _ => {
                    errors.push(RowError::new(
                        line,
                        "organisation",
                        Message::new("import.unknown_organisation").with("name", name),
                    ));
                    None
                }
            },
        };
        let key = search_key(&row.content.title);
        match titles[y].get(&key) {
            Some(Some(first)) => errors.push(RowError::new(
                line,
                "title",
                Message::new("import.title_twice")
                    .with("first", first)
                    .with("year", plan.year),
            )),
            Some(None) => errors.push(RowError::new(
                line,
                "title",
                Message::new("import.title_exists").with("edition", import_edition_name(plan.year)),
            )),
            None => {
                titles[y].insert(key, Some(line));
            }
        }
        if let (Some(award), Some(t)) = (row.award, track) {
            match awards[y].get(&(t, award)) {
                Some(first) => {
                    let message = match first {
                        Some(l) => Message::new("import.award_given_on_line").with("first", l),
                        None => Message::new("import.award_recorded"),
                    };
                    errors.push(RowError::new(
                        line,
                        "award",
                        message
                            .with("award", award.label())
                            .with("track", &plan.tracks[t].name)
                            .with("year", plan.year),
                    ));
                }
                None => {
                    awards[y].insert((t, award), Some(line));
                }
            }
        }
        if errors.len() == before
            && let (Some(field), Some(track)) = (field, track)
        {
            resolved.push(Resolved {
                row,
                year: y,
                field,
                track,
                organisation,
            });
        }
    }
    if errors.is_empty() {
        Ok(Ok(Plan {
            years,
            rows: resolved,
        }))
    } else {
        errors.sort_by_key(|e| e.line);
        Ok(Err(errors))
    }
}

fn report_of(plan: &Plan, ids: &[Option<EditionId>], written: bool) -> ImportReport {
    let editions: Vec<ImportedEdition> = plan
        .years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let rows = plan.rows.iter().filter(|r| r.year == i);
            ImportedEdition {
                edition_id: ids.get(i).copied().flatten(),
                name: y
                    .existing
                    .as_ref()
                    .map_or_else(|| import_edition_name(y.year), |e| e.name.clone()),
                year: y.year,
                created: y.existing.is_none(),
                entries: rows.clone().count(),
                winners: rows.filter(|r| r.row.award.is_some()).count(),
            }
        })
        .collect();
    ImportReport {
        entries: plan.rows.len(),
        winners: plan.rows.iter().filter(|r| r.row.award.is_some()).count(),
        editions,
        written,
    }
}

/// The archive account, made at the first import.
async fn archive_user<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<(UserId, bool), StoreError> {
    if let Some(u) = users::Entity::find()
        .filter(users::Column::Email.eq(ARCHIVE_EMAIL))
        .one(db)
        .await?
    {
        return Ok((UserId::from_uuid(u.id), false));
    }
    let bad =
        |e: juri_domain::FieldError| StoreError::internal(format!("{} ({})", e.field, e.code));
    let user = insert_user(
        db,
        NewUser {
            email: Email::parse(ARCHIVE_EMAIL).map_err(bad)?,
            name: PersonName::parse(ARCHIVE_NAME).map_err(bad)?,
            role: Role::Submitter,
            submitter_kind: None,
            organisation_id: None,
            password_hash: None,
            status: UserStatus::Disabled,
            expertise: Vec::new(),
        },
        now,
    )
    .await?;
    Ok((user.id, true))
}

/// A new edition for an imported year: its submission window in that year and past,
/// decided and published now.
async fn create_edition<C: ConnectionTrait>(
    db: &C,
    year: i32,
    now: DateTime<Utc>,
) -> Result<(Edition, Vec<uuid::Uuid>, Vec<uuid::Uuid>), StoreError> {
    let at = |m: u32, d: u32, h: u32, min: u32, s: u32| {
        Utc.with_ymd_and_hms(year, m, d, h, min, s)
            .single()
            .ok_or_else(|| StoreError::internal(format!("no date in {year}")))
    };
    let opens = at(1, 1, 0, 0, 0)?;
    let closes = at(12, 31, 23, 59, 59)?
        .min(now)
        .max(opens + chrono::Duration::seconds(1));
    let draft = EditionDraft::parse(
        &import_edition_name(year),
        year,
        opens,
        closes,
        true,
        RankingScope::PerTrack,
    )?;
    let m = editions::ActiveModel {
        id: Set(EditionId::new().as_uuid()),
        name: Set(draft.name),
        year: Set(draft.year),
        submission_opens_at: Set(draft.submission_opens_at),
        submission_closes_at: Set(draft.submission_closes_at),
        blind_judging: Set(draft.blind_judging),
        ranking_scope: Set(draft.ranking_scope.as_str().to_owned()),
        judging_started_at: Set(None),
        decided_at: Set(Some(now)),
        published_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    let edition = to_edition(m)?;
    let (f, t) = insert_default_categories(db, edition.id).await?;
    Ok((
        edition,
        f.into_iter().map(|x| x.id.as_uuid()).collect(),
        t.into_iter().map(|x| x.id.as_uuid()).collect(),
    ))
}

impl Store {
    /// Check an import without writing: every row's names resolved, every error
    /// collected. The report says what an import would do.
    pub async fn check_import(
        &self,
        rows: Vec<ImportRow>,
        now: DateTime<Utc>,
    ) -> Result<ImportReport, ImportFailure> {
        match plan(&self.db, rows, now).await? {
            Ok(plan) => Ok(report_of(&plan, &[], false)),
            Err(errors) => Err(ImportFailure::Rows(errors)),
        }
    }

    /// Import the innovations of earlier years, all or nothing, in one transaction.
    /// `source_sha256`: the file's digest, kept in the audit event and the publication
    /// of each edition made. `progress` is told how many rows are written so far.
    pub async fn import_innovations(
        &self,
        rows: Vec<ImportRow>,
        source_sha256: &str,
        now: DateTime<Utc>,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ImportReport, ImportFailure> {
        if rows.is_empty() {
            return Ok(ImportReport {
                entries: 0,
                winners: 0,
                editions: Vec::new(),
                written: false,
            });
        }
        let txn = self.begin_write().await?;
        let plan = match plan(&txn, rows, now).await? {
            Ok(plan) => plan,
            Err(errors) => {
                txn.rollback().await?;
                return Err(ImportFailure::Rows(errors));
            }
        };
        let (archive, archive_created) = archive_user(&txn, now).await?;

        // The editions, made where missing, with their category ids.
        let mut edition_ids = Vec::with_capacity(plan.years.len());
        let mut field_ids: Vec<Vec<Option<uuid::Uuid>>> = Vec::new();
        let mut track_ids: Vec<Vec<Option<uuid::Uuid>>> = Vec::new();
        let mut made: Vec<Option<Edition>> = Vec::new();
        for y in &plan.years {
            match &y.existing {
                Some(e) => {
                    edition_ids.push(Some(e.id));
                    field_ids.push(y.fields.iter().map(|c| c.id).collect());
                    track_ids.push(y.tracks.iter().map(|c| c.id).collect());
                    made.push(None);
                }
                None => {
                    let (e, f, t) = create_edition(&txn, y.year, now).await?;
                    edition_ids.push(Some(e.id));
                    field_ids.push(f.into_iter().map(Some).collect());
                    track_ids.push(t.into_iter().map(Some).collect());
                    made.push(Some(e));
                }
            }
        }

        // The entries and their awards.
        let mut winners: BTreeMap<usize, Vec<Winner>> = BTreeMap::new();
        for (n, r) in plan.rows.iter().enumerate() {
            let (Some(edition_id), Some(field), Some(track)) = (
                edition_ids[r.year],
                field_ids[r.year][r.field],
                track_ids[r.year][r.track],
            ) else {
                return Err(StoreError::internal("import: unresolved category".to_owned()).into());
            };
            let closes = match (&plan.years[r.year].existing, &made[r.year]) {
                (Some(e), _) | (None, Some(e)) => e.submission_closes_at,
                (None, None) => now,
            };
            let content = Content {
                field_id: Some(FieldId::from_uuid(field)),
                track_id: Some(TrackId::from_uuid(track)),
                organisation_id: r.organisation,
                ..r.row.content.clone()
            };
            let status = if r.row.award.is_some() {
                Status::Winner
            } else {
                Status::Eligible
            };
            let id = EntryId::new();
            let mut m = entries::ActiveModel {
                id: Set(id.as_uuid()),
                edition_id: Set(edition_id.as_uuid()),
                submitter_id: Set(archive.as_uuid()),
                status: Set(status.as_str().to_owned()),
                screening_reason: Set(None),
                screened_at: Set(None),
                screened_by: Set(None),
                submitted_at: Set(Some(closes)),
                withdrawn_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            };
            crate::entries::set_content(&mut m, &content);
            m.insert(&txn).await?;
            if let Some(award) = r.row.award {
                crate::entities::winners::ActiveModel {
                    edition_id: Set(edition_id.as_uuid()),
                    entry_id: Set(id.as_uuid()),
                    award: Set(award.as_str().to_owned()),
                    track_id: Set(Some(track)),
                    field_id: Set(None),
                    recorded_by: Set(archive.as_uuid()),
                    recorded_at: Set(now),
                }
                .insert(&txn)
                .await?;
                winners.entry(r.year).or_default().push(Winner {
                    entry_id: id,
                    award,
                    track_id: Some(TrackId::from_uuid(track)),
                    field_id: None,
                });
            }
            progress(n + 1);
        }

        // Each edition made is published with a snapshot that says it was imported.
        for (i, e) in made.iter().enumerate() {
            let Some(e) = e else { continue };
            let mut awarded = winners.remove(&i).unwrap_or_default();
            awarded.sort_by_key(|w| (w.track_id, w.field_id, w.award));
            let text = serde_json::to_string(&json!({
                "edition": {"id": e.id, "name": e.name, "year": e.year},
                "imported": {"source_sha256": source_sha256, "imported_at": now},
                "ranking": null,
                "tie_decisions": [],
                "winners": awarded,
            }))
            .map_err(|err| StoreError::internal(format!("snapshot: {err}")))?;
            publications::ActiveModel {
                edition_id: Set(e.id.as_uuid()),
                sha256: Set(hex::encode(Sha256::digest(text.as_bytes()))),
                snapshot: Set(text),
                published_by: Set(archive.as_uuid()),
                published_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
        let report = report_of(&plan, &edition_ids, true);
        audit::append(
            &txn,
            now,
            AuditRecord::new(None, "import.completed", "import")
                .subject(source_sha256)
                .after(json!({
                    "source_sha256": source_sha256,
                    "entries": report.entries,
                    "winners": report.winners,
                    "editions": report.editions,
                    "archive_user_id": archive,
                    "archive_user_created": archive_created,
                })),
        )
        .await?;
        txn.commit().await?;
        self.catalogue.invalidate();
        Ok(report)
    }
}
