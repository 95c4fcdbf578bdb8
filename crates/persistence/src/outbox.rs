//! The mail outbox. A notice is rendered and inserted in the transaction of the change
//! it announces (`enqueue`), so a message exists exactly when its change does; the
//! mail worker (`juri-web`) delivers it afterwards. Each row has a unique dedupe key:
//! queuing the same occurrence twice (a reminder tick, a re-run) inserts nothing.
//!
//! Delivery claims a row with a conditional UPDATE on its attempt count, so when two
//! servers share one database only one of them sends it. A claim also pushes the next
//! attempt a lease ahead: a worker that dies mid-send leaves the row to be tried again
//! after the lease (at least once, never lost).

use crate::entities::{editions, entries, outbox, users};
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use juri_domain::Language;
use juri_domain::ids::{EditionId, UserId};
use juri_domain::notification::{self, Notice};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::BTreeMap;

/// A message in the outbox, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub kind: String,
    pub user_id: Option<UserId>,
    pub recipient: String,
    pub language: Language,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Delivery tries so far (a claimed try counts).
    pub attempts: i64,
    pub last_error: Option<String>,
}

fn to_message(m: outbox::Model) -> OutboxMessage {
    OutboxMessage {
        id: m.id,
        kind: m.kind,
        user_id: m.user_id.map(UserId::from_uuid),
        recipient: m.recipient,
        language: Language::parse(&m.language),
        subject: m.subject,
        body: m.body,
        created_at: m.created_at,
        next_attempt_at: m.next_attempt_at,
        sent_at: m.sent_at,
        attempts: m.attempts,
        last_error: m.last_error,
    }
}

/// Queue `notice` for `user` in their language, inside the caller's transaction; true
/// when a row was added. A key already queued, or a user that no longer exists, queues
/// nothing.
pub(crate) async fn enqueue<C: ConnectionTrait>(
    db: &C,
    user: UserId,
    dedupe_key: String,
    notice: &Notice,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let Some(u) = users::Entity::find_by_id(user.as_uuid()).one(db).await? else {
        return Ok(false);
    };
    let lang = Language::parse(&u.language);
    let text = juri_text::mail::render(notice, lang, &u.name);
    let row = outbox::ActiveModel {
        id: NotSet,
        dedupe_key: Set(dedupe_key),
        kind: Set(notice.kind().to_owned()),
        user_id: Set(Some(u.id)),
        recipient: Set(u.email),
        language: Set(lang.code().to_owned()),
        subject: Set(text.subject),
        body: Set(text.body),
        created_at: Set(now),
        next_attempt_at: Set(now),
        sent_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
    };
    let added = outbox::Entity::insert(row)
        .on_conflict(
            OnConflict::column(outbox::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(added > 0)
}

/// The edition's name, for the text of a notice.
pub(crate) async fn edition_name<C: ConnectionTrait>(
    db: &C,
    id: EditionId,
) -> Result<String, StoreError> {
    Ok(editions::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .map(|e| e.name)
        .unwrap_or_default())
}

impl Store {
    /// Unsent messages whose next attempt is due at `now`, oldest first.
    pub async fn due_mail(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        Ok(outbox::Entity::find()
            .filter(outbox::Column::SentAt.is_null())
            .filter(outbox::Column::NextAttemptAt.lte(now))
            .order_by_asc(outbox::Column::NextAttemptAt)
            .order_by_asc(outbox::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_message)
            .collect())
    }

    /// Claim `msg` for one delivery try: true when this caller won it. The attempt
    /// count is the claim's version, so of two workers that read the same row only
    /// one moves it; the next attempt moves `lease` ahead in case this one dies.
    pub async fn claim_mail(
        &self,
        msg: &OutboxMessage,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<bool, StoreError> {
        let turn = self.write_turn().await?;
        let res = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).add(1),
            )
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(now + lease))
            .filter(outbox::Column::Id.eq(msg.id))
            .filter(outbox::Column::Attempts.eq(msg.attempts))
            .filter(outbox::Column::SentAt.is_null())
            .exec(turn.db())
            .await?;
        Ok(res.rows_affected == 1)
    }

    /// The message was handed to the mail server.
    pub async fn mail_sent(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        let turn = self.write_turn().await?;
        outbox::Entity::update_many()
            .col_expr(outbox::Column::SentAt, Expr::value(now))
            .col_expr(
                outbox::Column::LastError,
                Expr::value(Option::<String>::None),
            )
            .filter(outbox::Column::Id.eq(id))
            .exec(turn.db())
            .await?;
        Ok(())
    }

    /// The try failed: keep the error and when to try again.
    pub async fn mail_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // Errors can be long (a server's whole reply): the row keeps the start.
        let error: String = error.chars().take(1000).collect();
        let turn = self.write_turn().await?;
        outbox::Entity::update_many()
            .col_expr(outbox::Column::LastError, Expr::value(error))
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(next_attempt_at))
            .filter(outbox::Column::Id.eq(id))
            .filter(outbox::Column::SentAt.is_null())
            .exec(turn.db())
            .await?;
        Ok(())
    }

    /// The outbox, oldest first (sent and unsent): for operators and tests.
    pub async fn outbox(&self) -> Result<Vec<OutboxMessage>, StoreError> {
        Ok(outbox::Entity::find()
            .order_by_asc(outbox::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_message)
            .collect())
    }

    /// Queue the submission reminders due at `now`: every submitter with drafts in an
    /// edition whose submissions close within `lead`, one message per submitter and
    /// deadline (the dedupe key), however often this runs. Returns how many were new.
    pub async fn enqueue_reminders(
        &self,
        now: DateTime<Utc>,
        lead: Duration,
    ) -> Result<u64, StoreError> {
        // A cheap read first: most ticks find no deadline near and open no write.
        let closing: Vec<editions::Model> = editions::Entity::find()
            .filter(editions::Column::SubmissionClosesAt.gt(now))
            .filter(editions::Column::SubmissionClosesAt.lte(now + lead))
            .filter(editions::Column::PublishedAt.is_null())
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|e| notification::reminder_due(e.submission_closes_at, now, lead))
            .collect();
        if closing.is_empty() {
            return Ok(0);
        }
        let mut added = 0;
        let txn = self.begin_write().await?;
        for edition in closing {
            let drafts: Vec<entries::Model> = entries::Entity::find()
                .filter(entries::Column::EditionId.eq(edition.id))
                .filter(entries::Column::Status.eq(juri_domain::entry::Status::Draft.as_str()))
                .all(&txn)
                .await?;
            let mut per_submitter: BTreeMap<uuid::Uuid, u64> = BTreeMap::new();
            for d in drafts {
                *per_submitter.entry(d.submitter_id).or_default() += 1;
            }
            for (submitter, drafts) in per_submitter {
                let user = UserId::from_uuid(submitter);
                let key = notification::key::submission_reminder(
                    edition.id,
                    user,
                    edition.submission_closes_at,
                );
                let notice = Notice::SubmissionReminder {
                    edition: edition.name.clone(),
                    drafts,
                    closes_at: edition.submission_closes_at,
                };
                if enqueue(&txn, user, key, &notice, now).await? {
                    added += 1;
                }
            }
        }
        txn.commit().await?;
        Ok(added)
    }

    /// Queue the opening notices due at `now`: for every edition open for entries, each
    /// active submitter who signed up before it opened (and so met "none open" on their
    /// page) is told once (the dedupe key). Returns how many were new.
    pub async fn enqueue_opening_notices(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        // A cheap read first: most ticks find no edition open.
        let open: Vec<editions::Model> = editions::Entity::find()
            .filter(editions::Column::SubmissionOpensAt.lte(now))
            .filter(editions::Column::SubmissionClosesAt.gt(now))
            .filter(editions::Column::PublishedAt.is_null())
            .all(&self.db)
            .await?;
        if open.is_empty() {
            return Ok(0);
        }
        // Who is still to be told, read before any write: after the first tick that
        // is nobody, and the write lock is not taken at all.
        let mut due = Vec::new();
        for edition in open {
            let queued: std::collections::HashSet<String> = outbox::Entity::find()
                .filter(
                    outbox::Column::DedupeKey
                        .starts_with(notification::key::edition_opened(edition.id, "")),
                )
                .all(&self.db)
                .await?
                .into_iter()
                .map(|m| m.dedupe_key)
                .collect();
            let waiting: Vec<UserId> = users::Entity::find()
                .filter(users::Column::Role.eq(juri_domain::user::Role::Submitter.as_str()))
                .filter(users::Column::Status.eq(juri_domain::user::UserStatus::Active.as_str()))
                .filter(users::Column::CreatedAt.lt(edition.submission_opens_at))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|u| UserId::from_uuid(u.id))
                .filter(|u| !queued.contains(&notification::key::edition_opened(edition.id, u)))
                .collect();
            if !waiting.is_empty() {
                due.push((edition, waiting));
            }
        }
        if due.is_empty() {
            return Ok(0);
        }
        let mut added = 0;
        let txn = self.begin_write().await?;
        for (edition, waiting) in due {
            let notice = Notice::EditionOpened {
                edition: edition.name.clone(),
                closes_at: edition.submission_closes_at,
            };
            for user in waiting {
                // The key still guards a race with another server's tick.
                let key = notification::key::edition_opened(edition.id, user);
                if enqueue(&txn, user, key, &notice, now).await? {
                    added += 1;
                }
            }
        }
        txn.commit().await?;
        Ok(added)
    }

    /// Record the language `user` reads mail in.
    pub async fn set_language(&self, user: UserId, lang: Language) -> Result<(), StoreError> {
        let turn = self.write_turn().await?;
        users::Entity::update_many()
            .col_expr(users::Column::Language, Expr::value(lang.code()))
            .filter(users::Column::Id.eq(user.as_uuid()))
            .exec(turn.db())
            .await?;
        Ok(())
    }

    /// The language `user` reads mail in.
    pub async fn language_of(&self, user: UserId) -> Result<Language, StoreError> {
        let u = users::Entity::find_by_id(user.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(juri_domain::Error::NotFound)?;
        Ok(Language::parse(&u.language))
    }
}
