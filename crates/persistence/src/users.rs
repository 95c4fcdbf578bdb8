//! Accounts: sign-up, look-ups, sign-in bookkeeping, revocation.

use crate::audit::{self, AuditRecord};
use crate::entities::{organisations, refresh_tokens, users};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::ids::{OrganisationId, UserId};
use juri_domain::user::{Credentials, Email, PersonName, Role, SubmitterKind, User, UserStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};
use serde_json::json;

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub name: PersonName,
    pub role: Role,
    pub submitter_kind: Option<SubmitterKind>,
    pub organisation_id: Option<OrganisationId>,
    /// `None` for an invited account that has not set its password yet.
    pub password_hash: Option<String>,
    pub status: UserStatus,
    pub expertise: Vec<String>,
}

pub(crate) fn to_user(m: users::Model) -> Result<User, StoreError> {
    let corrupt = |what: &str| StoreError::internal(format!("user {}: bad {what}", m.id));
    let expertise: Vec<String> =
        serde_json::from_value(m.expertise.clone()).map_err(|_| corrupt("expertise"))?;
    Ok(User {
        id: UserId::from_uuid(m.id),
        email: Email::from_trusted(m.email.clone()),
        name: m.name.clone(),
        role: m.role.parse().map_err(|_| corrupt("role"))?,
        submitter_kind: m
            .submitter_kind
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|_| corrupt("submitter_kind"))?,
        organisation_id: m.organisation_id.map(OrganisationId::from_uuid),
        status: m.status.parse().map_err(|_| corrupt("status"))?,
        token_version: m.token_version,
        expertise,
        created_at: m.created_at,
        last_login_at: m.last_login_at,
    })
}

fn audit_view(u: &User) -> serde_json::Value {
    json!({
        "email": u.email.as_str(),
        "name": u.name,
        "role": u.role.as_str(),
        "submitter_kind": u.submitter_kind.map(SubmitterKind::as_str),
        "organisation_id": u.organisation_id,
        "status": u.status.as_str(),
    })
}

/// A referenced agency must exist and not be retired.
pub(crate) async fn check_organisation<C: ConnectionTrait>(
    db: &C,
    id: Option<OrganisationId>,
) -> Result<(), StoreError> {
    let Some(id) = id else { return Ok(()) };
    let org = organisations::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?;
    match org {
        None => Err(Error::invalid(
            "organisation_id",
            "unknown_organisation",
            Message::new("field.users.unknown_organisation"),
        )
        .into()),
        Some(o) if o.retired_at.is_some() => Err(Error::invalid(
            "organisation_id",
            "organisation_retired",
            Message::new("field.users.organisation_retired"),
        )
        .into()),
        Some(_) => Ok(()),
    }
}

pub(crate) async fn insert_user<C: ConnectionTrait>(
    db: &C,
    new: NewUser,
    now: DateTime<Utc>,
) -> Result<User, StoreError> {
    check_organisation(db, new.organisation_id).await?;
    let model = users::ActiveModel {
        id: Set(UserId::new().as_uuid()),
        email: Set(new.email.as_str().to_owned()),
        name: Set(new.name.as_str().to_owned()),
        role: Set(new.role.as_str().to_owned()),
        submitter_kind: Set(new.submitter_kind.map(|k| k.as_str().to_owned())),
        organisation_id: Set(new.organisation_id.map(|o| o.as_uuid())),
        password_hash: Set(new.password_hash),
        status: Set(new.status.as_str().to_owned()),
        token_version: Set(0),
        expertise: Set(json!(new.expertise)),
        language: Set(juri_domain::Language::Id.code().to_owned()),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| StoreError::unique_as(e, "conflict.email_taken"))?;
    to_user(model)
}

impl Store {
    /// Create an account (self sign-up or bootstrap), with its audit event.
    pub async fn create_user(
        &self,
        new: NewUser,
        actor: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let txn = self.begin_write().await?;
        let user = insert_user(&txn, new, now).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(actor.or(Some(user.id)), "user.created", "user")
                .subject(user.id)
                .after(audit_view(&user)),
        )
        .await?;
        txn.commit().await?;
        Ok(user)
    }

    pub async fn user(&self, id: UserId) -> Result<User, StoreError> {
        let m = users::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        to_user(m)
    }

    /// The names of these accounts, in one query (a sheet's peers); an id without an
    /// account is left out.
    pub async fn user_names(
        &self,
        ids: &[UserId],
    ) -> Result<std::collections::HashMap<UserId, String>, StoreError> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        Ok(users::Entity::find()
            .select_only()
            .column(users::Column::Id)
            .column(users::Column::Name)
            .filter(users::Column::Id.is_in(ids.iter().map(|id| id.as_uuid())))
            .into_tuple::<(uuid::Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|(id, name)| (UserId::from_uuid(id), name))
            .collect())
    }

    /// The account and its password hash, for signing in.
    pub async fn credentials_by_email(
        &self,
        email: &Email,
    ) -> Result<Option<Credentials>, StoreError> {
        let m = users::Entity::find()
            .filter(users::Column::Email.eq(email.as_str()))
            .one(&self.db)
            .await?;
        m.map(|m| {
            let hash = m.password_hash.clone();
            Ok(Credentials {
                user: to_user(m)?,
                password_hash: hash,
            })
        })
        .transpose()
    }

    /// A successful sign-in: note when, and store a stronger hash if one was made.
    pub async fn record_login(
        &self,
        id: UserId,
        now: DateTime<Utc>,
        upgraded_hash: Option<String>,
    ) -> Result<(), StoreError> {
        let mut update = users::Entity::update_many()
            .col_expr(users::Column::LastLoginAt, Expr::value(now))
            .filter(users::Column::Id.eq(id.as_uuid()));
        if let Some(hash) = upgraded_hash {
            update = update
                .col_expr(users::Column::PasswordHash, Expr::value(hash))
                .col_expr(users::Column::UpdatedAt, Expr::value(now));
        }
        let turn = self.write_turn().await?;
        update.exec(turn.db()).await?;
        Ok(())
    }

    /// Revoke every access token of the user at once (logout, password change).
    pub async fn bump_token_version(
        &self,
        id: UserId,
        actor: Option<UserId>,
        action: &'static str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        bump_version(&txn, id, now).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(actor, action, "user").subject(id),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Enable or disable an account. Disabling revokes its access and refresh tokens.
    pub async fn set_user_status(
        &self,
        id: UserId,
        status: UserStatus,
        actor: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let txn = self.begin_write().await?;
        let before = users::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        let before = to_user(before)?;
        users::Entity::update_many()
            .col_expr(users::Column::Status, Expr::value(status.as_str()))
            .col_expr(users::Column::UpdatedAt, Expr::value(now))
            .filter(users::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        if status == UserStatus::Disabled {
            bump_version(&txn, id, now).await?;
            refresh_tokens::Entity::update_many()
                .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
                .filter(refresh_tokens::Column::UserId.eq(id.as_uuid()))
                .filter(refresh_tokens::Column::RevokedAt.is_null())
                .exec(&txn)
                .await?;
        }
        let after = users::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        let after = to_user(after)?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(actor, "user.status_changed", "user")
                .subject(id)
                .before(json!({"status": before.status.as_str()}))
                .after(json!({"status": after.status.as_str()})),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Set a new password hash (administration): revokes existing tokens.
    pub async fn set_password_hash(
        &self,
        id: UserId,
        hash: String,
        actor: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let res = users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::value(hash))
            .col_expr(
                users::Column::Status,
                Expr::value(UserStatus::Active.as_str()),
            )
            .col_expr(users::Column::UpdatedAt, Expr::value(now))
            .filter(users::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(Error::NotFound.into());
        }
        bump_version(&txn, id, now).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(actor, "user.password_changed", "user").subject(id),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn user_by_email(&self, email: &Email) -> Result<User, StoreError> {
        let m = users::Entity::find()
            .filter(users::Column::Email.eq(email.as_str()))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        to_user(m)
    }

    /// How many organisers exist (any status): start-up creates the first one.
    pub async fn count_organisers(&self) -> Result<u64, StoreError> {
        Ok(users::Entity::find()
            .filter(users::Column::Role.eq(Role::Organiser.as_str()))
            .count(&self.db)
            .await?)
    }

    pub async fn count_users(&self) -> Result<u64, StoreError> {
        Ok(users::Entity::find().count(&self.db).await?)
    }
}

pub(crate) async fn bump_version<C: ConnectionTrait>(
    db: &C,
    id: UserId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let res = users::Entity::update_many()
        .col_expr(
            users::Column::TokenVersion,
            Expr::col(users::Column::TokenVersion).add(1),
        )
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(Error::NotFound.into());
    }
    Ok(())
}

impl Store {
    /// Accounts, newest first, optionally of one role.
    pub async fn users(
        &self,
        role: Option<Role>,
        page: u64,
        per_page: u64,
    ) -> Result<crate::Page<User>, StoreError> {
        use sea_orm::{QueryOrder, QuerySelect};
        let mut query = users::Entity::find();
        if let Some(role) = role {
            query = query.filter(users::Column::Role.eq(role.as_str()));
        }
        let total = query.clone().count(&self.db).await?;
        let rows = query
            .order_by_desc(users::Column::Id)
            .offset(page.saturating_sub(1).saturating_mul(per_page))
            .limit(per_page)
            .all(&self.db)
            .await?;
        Ok(crate::Page {
            items: rows.into_iter().map(to_user).collect::<Result<_, _>>()?,
            total,
            page,
            per_page,
        })
    }
}
