//! Entries and their attachments. Each use case loads what it decides on inside its
//! transaction, asks the domain (visibility, lifecycle, deadline, completeness), then
//! writes with a version check so a stale write can never overwrite a newer one.

use crate::audit::{self, AuditRecord};
use crate::editions::{load_edition, load_field, load_track};
use crate::entities::{assignments, attachments, entries, rounds};
use crate::outbox;
use crate::store::WriteTxn;
use crate::users::check_organisation;
use crate::{Page, Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::attachment::{self, Attachment};
use juri_domain::edition::Edition;
use juri_domain::entry::{
    self, Content, ContentPatch, Context, Entry, Event, Status, TeamMember, Viewer,
};
use juri_domain::ids::{
    AttachmentId, EditionId, EntryId, FieldId, OrganisationId, TrackId, UserId,
};
use juri_domain::notification::{self, Notice};
use juri_domain::user::User;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

/// Which entries to list.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    /// Only this submitter's entries (a submitter listing their own).
    pub submitter: Option<UserId>,
    pub edition: Option<EditionId>,
    pub status: Option<Status>,
    pub field: Option<FieldId>,
    pub track: Option<TrackId>,
    pub organisation: Option<OrganisationId>,
    /// Words to find in the title.
    pub q: Option<String>,
}

pub(crate) fn to_entry(m: entries::Model) -> Result<Entry, StoreError> {
    let corrupt = |what: &str| StoreError::internal(format!("entry {}: bad {what}", m.id));
    let team: Vec<TeamMember> =
        serde_json::from_value(m.team.clone()).map_err(|_| corrupt("team"))?;
    Ok(Entry {
        id: EntryId::from_uuid(m.id),
        edition_id: EditionId::from_uuid(m.edition_id),
        submitter_id: UserId::from_uuid(m.submitter_id),
        status: Status::parse(&m.status).ok_or_else(|| corrupt("status"))?,
        content: Content {
            title: m.title,
            field_id: m.field_id.map(FieldId::from_uuid),
            track_id: m.track_id.map(TrackId::from_uuid),
            organisation_id: m.organisation_id.map(OrganisationId::from_uuid),
            summary: m.summary,
            problem: m.problem,
            solution: m.solution,
            how_it_works: m.how_it_works,
            impact: m.impact,
            cost: m.cost,
            replicability: m.replicability,
            sustainability: m.sustainability,
            stakeholders: m.stakeholders,
            started_on: m.started_on,
            team,
            video_url: m.video_url,
            publication_consent: m.publication_consent,
        },
        screening_reason: m.screening_reason,
        screened_at: m.screened_at,
        submitted_at: m.submitted_at,
        withdrawn_at: m.withdrawn_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

fn to_attachment(m: attachments::Model) -> Attachment {
    Attachment {
        id: AttachmentId::from_uuid(m.id),
        entry_id: EntryId::from_uuid(m.entry_id),
        sha256: m.sha256,
        size: u64::try_from(m.size).unwrap_or_default(),
        content_type: m.content_type,
        file_name: m.file_name,
        created_at: m.created_at,
    }
}

pub(crate) fn set_content(m: &mut entries::ActiveModel, c: &Content) {
    m.title = Set(c.title.clone());
    m.field_id = Set(c.field_id.map(|f| f.as_uuid()));
    m.track_id = Set(c.track_id.map(|t| t.as_uuid()));
    m.organisation_id = Set(c.organisation_id.map(|o| o.as_uuid()));
    m.summary = Set(c.summary.clone());
    m.problem = Set(c.problem.clone());
    m.solution = Set(c.solution.clone());
    m.how_it_works = Set(c.how_it_works.clone());
    m.impact = Set(c.impact.clone());
    m.cost = Set(c.cost.clone());
    m.replicability = Set(c.replicability.clone());
    m.sustainability = Set(c.sustainability.clone());
    m.stakeholders = Set(c.stakeholders.clone());
    m.started_on = Set(c.started_on);
    m.team = Set(json!(c.team));
    m.video_url = Set(c.video_url.clone());
    m.publication_consent = Set(c.publication_consent);
    // Every write of an entry's content goes through here, so the stored search text
    // never lags behind the texts and team it is made of.
    m.search_text = Set(c.catalogue_search_text());
}

/// The field, track and agency named by `content` exist in this edition, are current,
/// and the track takes this kind of submitter. Only what changed is re-checked, so an
/// agency retired after the entry was written does not block its other edits.
async fn check_categories<C: ConnectionTrait>(
    db: &C,
    edition: &Edition,
    submitter: &User,
    content: &Content,
    before: Option<&Content>,
) -> Result<(), StoreError> {
    if let Some(field_id) = content.field_id
        && before.is_none_or(|b| b.field_id != content.field_id)
    {
        let field = load_field(db, edition.id, field_id).await?;
        if field.retired {
            return Err(Error::invalid(
                "field_id",
                "field_retired",
                Message::new("field.entries.field_retired"),
            )
            .into());
        }
    }
    if let Some(track_id) = content.track_id
        && before.is_none_or(|b| b.track_id != content.track_id)
    {
        load_track(db, edition.id, track_id)
            .await?
            .accepts(submitter.submitter_kind)?;
    }
    if before.is_none_or(|b| b.organisation_id != content.organisation_id) {
        check_organisation(db, content.organisation_id).await?;
    }
    Ok(())
}

pub(crate) async fn load_entry_pub<C: ConnectionTrait>(
    db: &C,
    id: EntryId,
) -> Result<Entry, StoreError> {
    load_entry(db, id).await
}

async fn load_entry<C: ConnectionTrait>(db: &C, id: EntryId) -> Result<Entry, StoreError> {
    let m = entries::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    to_entry(m)
}

/// Write `next` over the entry if it is still at `version`; 409 if someone else wrote
/// in between.
async fn write_entry<C: ConnectionTrait>(
    db: &C,
    next: &Entry,
    version: i64,
    now: DateTime<Utc>,
) -> Result<Entry, StoreError> {
    let mut m = entries::ActiveModel {
        status: Set(next.status.as_str().to_owned()),
        screening_reason: Set(next.screening_reason.clone()),
        screened_at: Set(next.screened_at),
        submitted_at: Set(next.submitted_at),
        withdrawn_at: Set(next.withdrawn_at),
        updated_at: Set(now),
        version: Set(version + 1),
        ..Default::default()
    };
    set_content(&mut m, &next.content);
    let res = entries::Entity::update_many()
        .set(m)
        .filter(entries::Column::Id.eq(next.id.as_uuid()))
        .filter(entries::Column::Version.eq(version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(stale().into());
    }
    load_entry(db, next.id).await
}

/// Move every entry in `from` matching `which` by `event`, in one statement (lifecycle
/// steps that apply to many entries at once: judging starts, results are published).
/// The new status is the domain's (`entry::bulk_transition`), as for a single entry.
/// Each moved entry's version is bumped, so an edit read before cannot overwrite it.
pub(crate) async fn move_entries<C: ConnectionTrait>(
    db: &C,
    which: Condition,
    from: Status,
    event: juri_domain::entry::Event,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let status = juri_domain::entry::bulk_transition(from, event)?;
    let which = which.add(entries::Column::Status.eq(from.as_str()));
    entries::Entity::update_many()
        .col_expr(entries::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            entries::Column::Version,
            Expr::col(entries::Column::Version).add(1),
        )
        .col_expr(entries::Column::UpdatedAt, Expr::value(now))
        .filter(which)
        .exec(db)
        .await?;
    Ok(())
}

fn stale() -> Error {
    Error::Conflict(Message::new("conflict.entry_changed_elsewhere"))
}

fn viewer(user: &User) -> Viewer {
    Viewer {
        user: user.id,
        role: user.role,
    }
}

impl Store {
    /// A new draft in an open edition.
    pub async fn create_entry(
        &self,
        edition_id: EditionId,
        submitter: &User,
        content: Content,
        now: DateTime<Utc>,
    ) -> Result<Entry, StoreError> {
        let mut content = content.normalise()?;
        if content.organisation_id.is_none() {
            content.organisation_id = submitter.organisation_id;
        }
        let txn = self.begin_write().await?;
        let edition = load_edition(&txn, edition_id).await?;
        edition.accepts_submissions(now)?;
        check_categories(&txn, &edition, submitter, &content, None).await?;
        let mut m = entries::ActiveModel {
            id: Set(EntryId::new().as_uuid()),
            edition_id: Set(edition_id.as_uuid()),
            submitter_id: Set(submitter.id.as_uuid()),
            status: Set(Status::Draft.as_str().to_owned()),
            screening_reason: Set(None),
            screened_at: Set(None),
            screened_by: Set(None),
            submitted_at: Set(None),
            withdrawn_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        };
        set_content(&mut m, &content);
        let entry = to_entry(m.insert(&txn).await?)?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(submitter.id), "entry.created", "entry")
                .subject(entry.id)
                .after(json!(entry.content)),
        )
        .await?;
        txn.commit().await?;
        Ok(entry)
    }

    /// One entry, if `user` may see it (else not found). `assigned_judge`: the caller
    /// is a judge assigned to it.
    pub async fn entry_for(
        &self,
        id: EntryId,
        user: &User,
        assigned_judge: bool,
    ) -> Result<Entry, StoreError> {
        let entry = load_entry(&self.db, id).await?;
        entry::check_visible(viewer(user), entry.submitter_id, assigned_judge)?;
        Ok(entry)
    }

    /// Entries, newest first.
    pub async fn entries(
        &self,
        filter: EntryFilter,
        page: u64,
        per_page: u64,
    ) -> Result<Page<Entry>, StoreError> {
        let mut cond = Condition::all();
        if let Some(s) = filter.submitter {
            cond = cond.add(entries::Column::SubmitterId.eq(s.as_uuid()));
        }
        if let Some(e) = filter.edition {
            cond = cond.add(entries::Column::EditionId.eq(e.as_uuid()));
        }
        if let Some(s) = filter.status {
            cond = cond.add(entries::Column::Status.eq(s.as_str()));
        }
        if let Some(f) = filter.field {
            cond = cond.add(entries::Column::FieldId.eq(f.as_uuid()));
        }
        if let Some(t) = filter.track {
            cond = cond.add(entries::Column::TrackId.eq(t.as_uuid()));
        }
        if let Some(o) = filter.organisation {
            cond = cond.add(entries::Column::OrganisationId.eq(o.as_uuid()));
        }
        if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let escaped = q
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            cond = cond.add(
                Expr::expr(Func::lower(Expr::col(entries::Column::Title)))
                    .like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
            );
        }
        let q = entries::Entity::find().filter(cond);
        let total = q.clone().count(&self.db).await?;
        let rows = q
            .order_by_desc(entries::Column::Id)
            .offset(page.saturating_sub(1).saturating_mul(per_page))
            .limit(per_page)
            .all(&self.db)
            .await?;
        Ok(Page {
            items: rows.into_iter().map(to_entry).collect::<Result<_, _>>()?,
            total,
            page,
            per_page,
        })
    }

    /// How many entries of `edition` are in each status (absent: none), in one query.
    pub async fn entry_counts(
        &self,
        edition: EditionId,
    ) -> Result<std::collections::HashMap<Status, u64>, StoreError> {
        let rows: Vec<(String, i64)> = entries::Entity::find()
            .select_only()
            .column(entries::Column::Status)
            .column_as(entries::Column::Id.count(), "n")
            .filter(entries::Column::EditionId.eq(edition.as_uuid()))
            .group_by(entries::Column::Status)
            .into_tuple()
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|(s, n)| {
                let status = Status::parse(&s)
                    .ok_or_else(|| StoreError::internal(format!("entry status {s:?}")))?;
                Ok((status, u64::try_from(n).unwrap_or(0)))
            })
            .collect()
    }

    /// The submitter edits their entry (a draft, or submitted before the deadline).
    /// `expected_version`: refuse with 409 if the entry changed since the client read it.
    pub async fn update_entry(
        &self,
        id: EntryId,
        user: &User,
        patch: ContentPatch,
        expected_version: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Entry, StoreError> {
        let txn = self.begin_write().await?;
        let current = load_entry(&txn, id).await?;
        entry::check_visible(viewer(user), current.submitter_id, false)?;
        let edition = load_edition(&txn, current.edition_id).await?;
        entry::check_editable(
            current.status,
            edition.accepts_submissions(now).is_ok(),
            current.submitter_id == user.id,
        )?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(stale().into());
        }
        let content = patch.apply(&current.content).normalise()?;
        check_categories(&txn, &edition, user, &content, Some(&current.content)).await?;
        if current.status == Status::Submitted {
            // A submitted entry stays complete.
            let track = match content.track_id {
                Some(t) => Some(load_track(&txn, edition.id, t).await?),
                None => None,
            };
            content.check_complete(track.is_some_and(|t| t.requires_organisation))?;
        }
        let next = Entry {
            content,
            ..current.clone()
        };
        let saved = write_entry(&txn, &next, current.version, now).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(
                Some(user.id),
                if current.status == Status::Submitted {
                    "entry.edited_after_submission"
                } else {
                    "entry.edited"
                },
                "entry",
            )
            .subject(id)
            .before(json!(current.content))
            .after(json!(saved.content)),
        )
        .await?;
        txn.commit().await?;
        Ok(saved)
    }

    /// Delete a draft (the owner, before the deadline).
    pub async fn delete_entry(
        &self,
        id: EntryId,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let txn = self.begin_write().await?;
        let current = load_entry(&txn, id).await?;
        entry::check_visible(viewer(user), current.submitter_id, false)?;
        let edition = load_edition(&txn, current.edition_id).await?;
        entry::check_deletable(
            current.status,
            edition.accepts_submissions(now).is_ok(),
            current.submitter_id == user.id,
        )?;
        let blobs: Vec<String> = attachments::Entity::find()
            .filter(attachments::Column::EntryId.eq(id.as_uuid()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|a| a.sha256)
            .collect();
        entries::Entity::delete_by_id(id.as_uuid())
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(user.id), "entry.deleted", "entry")
                .subject(id)
                .before(json!(current.content)),
        )
        .await?;
        txn.commit().await?;
        Ok(blobs)
    }

    /// Submit, withdraw or screen an entry: the lifecycle of `juri_domain::entry`.
    pub async fn transition_entry(
        &self,
        id: EntryId,
        user: &User,
        event: Event,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Entry, StoreError> {
        let txn = self.begin_write().await?;
        let saved = transition_in(&txn, id, user, event, reason, now).await?;
        txn.commit().await?;
        Ok(saved)
    }

    /// Screen several entries eligible at once: all of them or, when one is refused
    /// (not screenable, not found, the window closed), none; each is recorded and
    /// mailed as if screened alone. Returns how many.
    pub async fn screen_eligible(
        &self,
        ids: &[EntryId],
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let txn = self.begin_write().await?;
        for id in ids {
            transition_in(&txn, *id, user, Event::Screen { eligible: true }, None, now).await?;
        }
        txn.commit().await?;
        Ok(ids.len())
    }

    /// The attachments of an entry `user` may see.
    pub async fn attachments(
        &self,
        entry: EntryId,
        user: &User,
        assigned_judge: bool,
    ) -> Result<Vec<Attachment>, StoreError> {
        self.entry_for(entry, user, assigned_judge).await?;
        let files = self
            .attachments_matching(attachments::Column::EntryId.eq(entry.as_uuid()))
            .await?;
        Ok(if self.judges_blind(entry, user).await? {
            juri_domain::attachment::blind_view(files)
        } else {
            files
        })
    }

    /// The attachments whose entry `entry` (a condition on their entry id) selects,
    /// oldest first. Who may see them is the caller's to check.
    async fn attachments_matching(
        &self,
        entry: sea_orm::sea_query::SimpleExpr,
    ) -> Result<Vec<Attachment>, StoreError> {
        Ok(attachments::Entity::find()
            .filter(entry)
            .order_by_asc(attachments::Column::CreatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_attachment)
            .collect())
    }

    /// The attachments of the entry an assignment is about (none for an unknown
    /// assignment). It does not check who asks: see `assignment_detail`.
    pub(crate) async fn attachments_of_assignment(
        &self,
        assignment: juri_domain::ids::AssignmentId,
    ) -> Result<Vec<Attachment>, StoreError> {
        self.attachments_matching(
            attachments::Column::EntryId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(assignments::Column::EntryId)
                    .from(assignments::Entity)
                    .and_where(Expr::col(assignments::Column::Id).eq(assignment.as_uuid()))
                    .to_owned(),
            ),
        )
        .await
    }

    pub async fn attachment(
        &self,
        entry: EntryId,
        id: AttachmentId,
        user: &User,
        assigned_judge: bool,
    ) -> Result<Attachment, StoreError> {
        self.entry_for(entry, user, assigned_judge).await?;
        if self.judges_blind(entry, user).await? {
            // The neutral name depends on the file's place among the entry's files.
            return self
                .attachments(entry, user, assigned_judge)
                .await?
                .into_iter()
                .find(|a| a.id == id)
                .ok_or_else(|| Error::NotFound.into());
        }
        let m = attachments::Entity::find_by_id(id.as_uuid())
            .filter(attachments::Column::EntryId.eq(entry.as_uuid()))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(to_attachment(m))
    }

    /// Does `user` see the entry blind: a judge assigned to it in a blind round? Then
    /// its files show neutral names and come without document metadata.
    pub async fn judges_blind(&self, entry: EntryId, user: &User) -> Result<bool, StoreError> {
        if user.role != juri_domain::user::Role::Judge {
            return Ok(false);
        }
        let blind_rounds = sea_orm::sea_query::Query::select()
            .column(rounds::Column::Id)
            .from(rounds::Entity)
            .and_where(Expr::col(rounds::Column::Blind).eq(true))
            .to_owned();
        Ok(assignments::Entity::find()
            .filter(assignments::Column::EntryId.eq(entry.as_uuid()))
            .filter(assignments::Column::JudgeId.eq(user.id.as_uuid()))
            .filter(assignments::Column::RoundId.in_subquery(blind_rounds))
            .count(&self.db)
            .await?
            > 0)
    }

    /// May `user` add a file to the entry now? Checked before the upload is stored,
    /// and again when it is recorded.
    pub async fn check_attachable(
        &self,
        entry: EntryId,
        user: &User,
        max_per_entry: usize,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        check_attachable(&self.db, entry, user, max_per_entry, now).await
    }

    /// Record a stored file as an attachment of the entry.
    pub async fn add_attachment(
        &self,
        entry: EntryId,
        user: &User,
        stored: NewAttachment,
        max_per_entry: usize,
        now: DateTime<Utc>,
    ) -> Result<Attachment, StoreError> {
        let txn = self.begin_write().await?;
        check_attachable(&txn, entry, user, max_per_entry, now).await?;
        let m = attachments::ActiveModel {
            id: Set(AttachmentId::new().as_uuid()),
            entry_id: Set(entry.as_uuid()),
            sha256: Set(stored.sha256),
            size: Set(i64::try_from(stored.size).unwrap_or(i64::MAX)),
            content_type: Set(stored.kind.content_type().to_owned()),
            file_name: Set(stored.file_name),
            uploaded_by: Set(user.id.as_uuid()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let a = to_attachment(m);
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(user.id), "attachment.added", "entry")
                .subject(entry)
                .after(json!({"attachment_id": a.id, "file_name": a.file_name, "sha256": a.sha256, "size": a.size})),
        )
        .await?;
        txn.commit().await?;
        Ok(a)
    }

    /// Remove an attachment. Returns its content hash if no other attachment uses the
    /// same content, so the caller can delete the blob.
    pub async fn delete_attachment(
        &self,
        entry: EntryId,
        id: AttachmentId,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let txn = self.begin_write().await?;
        let current = load_entry(&txn, entry).await?;
        entry::check_visible(viewer(user), current.submitter_id, false)?;
        let edition = load_edition(&txn, current.edition_id).await?;
        entry::check_editable(
            current.status,
            edition.accepts_submissions(now).is_ok(),
            current.submitter_id == user.id,
        )?;
        let a = attachments::Entity::find_by_id(id.as_uuid())
            .filter(attachments::Column::EntryId.eq(entry.as_uuid()))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        attachments::Entity::delete_by_id(a.id).exec(&txn).await?;
        let others = attachments::Entity::find()
            .filter(attachments::Column::Sha256.eq(a.sha256.clone()))
            .count(&txn)
            .await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(user.id), "attachment.removed", "entry")
                .subject(entry)
                .before(
                    json!({"attachment_id": a.id, "file_name": a.file_name, "sha256": a.sha256}),
                ),
        )
        .await?;
        txn.commit().await?;
        Ok((others == 0).then_some(a.sha256))
    }

    /// Is any attachment stored under this content hash?
    pub async fn blob_in_use(&self, sha256: &str) -> Result<bool, StoreError> {
        Ok(attachments::Entity::find()
            .filter(attachments::Column::Sha256.eq(sha256))
            .count(&self.db)
            .await?
            > 0)
    }

    pub async fn count_attachments(&self) -> Result<u64, StoreError> {
        Ok(attachments::Entity::find().count(&self.db).await?)
    }
}

/// A file already in blob storage, to record.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub sha256: String,
    pub size: u64,
    pub kind: attachment::Kind,
    pub file_name: String,
}

async fn check_attachable<C: ConnectionTrait>(
    db: &C,
    entry: EntryId,
    user: &User,
    max_per_entry: usize,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let current = load_entry(db, entry).await?;
    entry::check_visible(viewer(user), current.submitter_id, false)?;
    let edition = load_edition(db, current.edition_id).await?;
    entry::check_editable(
        current.status,
        edition.accepts_submissions(now).is_ok(),
        current.submitter_id == user.id,
    )?;
    let count = attachments::Entity::find()
        .filter(attachments::Column::EntryId.eq(entry.as_uuid()))
        .count(db)
        .await?;
    attachment::check_count(usize::try_from(count).unwrap_or(usize::MAX), max_per_entry)?;
    Ok(())
}

/// An entry's transition inside the caller's transaction: the rules, the write, its
/// audit event and the submitter's mail.
async fn transition_in(
    txn: &WriteTxn,
    id: EntryId,
    user: &User,
    event: Event,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Entry, StoreError> {
    let current = load_entry(txn, id).await?;
    entry::check_visible(viewer(user), current.submitter_id, false)?;
    let edition = load_edition(txn, current.edition_id).await?;
    let ctx = Context {
        actor_role: user.role,
        actor_is_owner: current.submitter_id == user.id,
        window_open: edition.accepts_submissions(now).is_ok(),
        screening_open: edition.allows_screening(now).is_ok(),
    };
    let status = entry::transition(current.status, event, ctx)?;
    let mut next = Entry {
        status,
        ..current.clone()
    };
    let mut screened_by = None;
    match event {
        Event::Submit => {
            let track = match current.content.track_id {
                Some(t) => Some(load_track(txn, edition.id, t).await?),
                None => None,
            };
            current
                .content
                .check_complete(track.is_some_and(|t| t.requires_organisation))?;
            next.submitted_at = Some(now);
        }
        Event::Withdraw => next.withdrawn_at = Some(now),
        Event::Screen { eligible } => {
            next.screening_reason = entry::screening_reason(eligible, reason.as_deref())?;
            next.screened_at = Some(now);
            screened_by = Some(user.id);
        }
        Event::StartJudging | Event::Award | Event::NotAward => {}
    }
    let saved = write_entry(txn, &next, current.version, now).await?;
    if let Some(by) = screened_by {
        entries::Entity::update_many()
            .col_expr(entries::Column::ScreenedBy, Expr::value(by.as_uuid()))
            .filter(entries::Column::Id.eq(id.as_uuid()))
            .exec(txn)
            .await?;
    }
    let action = match event {
        Event::Submit => "entry.submitted",
        Event::Withdraw => "entry.withdrawn",
        Event::Screen { .. } => "entry.screened",
        Event::StartJudging => "entry.judging_started",
        Event::Award => "entry.awarded",
        Event::NotAward => "entry.not_awarded",
    };
    audit::append(
        txn,
        now,
        AuditRecord::new(Some(user.id), action, "entry")
            .subject(id)
            .before(json!({"status": current.status.as_str()}))
            .after(json!({"status": saved.status.as_str(), "reason": saved.screening_reason})),
    )
    .await?;
    // The submitter hears of it exactly when the change commits.
    let notice = match event {
        Event::Submit => Some(Notice::EntrySubmitted {
            edition: edition.name.clone(),
            title: saved.content.title.clone(),
        }),
        Event::Screen { eligible } => Some(Notice::Screened {
            edition: edition.name.clone(),
            title: saved.content.title.clone(),
            eligible,
            reason: saved.screening_reason.clone(),
        }),
        _ => None,
    };
    if let Some(notice) = notice {
        let key = notification::key::entry_event(notice.kind(), id, saved.version);
        outbox::enqueue(txn, saved.submitter_id, key, &notice, now).await?;
    }
    Ok(saved)
}
