//! Refresh tokens (rotated on every use; reuse revokes the family, RFC 9700 §4.14.2)
//! and invitations (one-time tokens with which a judge or organiser sets a password).
//! Only SHA-256 hashes of the tokens are stored.

use crate::audit::{self, AuditRecord};
use crate::entities::{invitations, password_resets, refresh_tokens, users};
use crate::users::{NewUser, bump_version, insert_user, to_user};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::ids::{TokenFamilyId, UserId};
use juri_domain::notification::{self, Notice};
use juri_domain::user::{User, UserStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

/// A refresh token to store.
#[derive(Debug, Clone)]
pub struct NewRefreshToken {
    pub user_id: UserId,
    /// `None` starts a new family (a sign-in).
    pub family_id: Option<TokenFamilyId>,
    pub token_hash: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What presenting a refresh token led to.
#[derive(Debug, Clone)]
pub enum RotateOutcome {
    /// The token was good; it is now used and its successor stored.
    Rotated(User),
    /// The token had been used already: the whole family is now revoked.
    Reused,
    /// Unknown, expired, revoked, or the account may not sign in.
    Invalid,
}

/// An invitation to store.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
}

async fn revoke_family<C: ConnectionTrait>(
    db: &C,
    family: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
        .filter(refresh_tokens::Column::FamilyId.eq(family))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Every live refresh token of the account.
pub(crate) async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
        .filter(refresh_tokens::Column::UserId.eq(user.as_uuid()))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

async fn insert_refresh<C: ConnectionTrait>(db: &C, t: NewRefreshToken) -> Result<(), StoreError> {
    refresh_tokens::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        user_id: Set(t.user_id.as_uuid()),
        family_id: Set(t.family_id.unwrap_or_default().as_uuid()),
        token_hash: Set(t.token_hash),
        issued_at: Set(t.issued_at),
        expires_at: Set(t.expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

impl Store {
    /// Store the first refresh token of a new sign-in.
    pub async fn insert_refresh_token(&self, t: NewRefreshToken) -> Result<(), StoreError> {
        let turn = self.write_turn().await?;
        insert_refresh(turn.db(), t).await
    }

    /// Exchange the token with hash `presented` for its successor `next_hash`.
    /// Safe against two concurrent uses of one token: only one can mark it used; the
    /// other is treated as reuse.
    pub async fn rotate_refresh_token(
        &self,
        presented: &str,
        next_hash: String,
        now: DateTime<Utc>,
        next_expires_at: DateTime<Utc>,
    ) -> Result<RotateOutcome, StoreError> {
        let txn = self.begin_write().await?;
        let Some(token) = refresh_tokens::Entity::find()
            .filter(refresh_tokens::Column::TokenHash.eq(presented))
            .one(&txn)
            .await?
        else {
            return Ok(RotateOutcome::Invalid);
        };
        if token.used_at.is_some() {
            revoke_family(&txn, token.family_id, now).await?;
            audit::append(
                &txn,
                now,
                AuditRecord::new(None, "auth.refresh_reuse_detected", "user")
                    .subject(token.user_id)
                    .after(json!({"family_id": token.family_id})),
            )
            .await?;
            txn.commit().await?;
            return Ok(RotateOutcome::Reused);
        }
        if token.revoked_at.is_some() || token.expires_at <= now {
            return Ok(RotateOutcome::Invalid);
        }
        let Some(user) = users::Entity::find_by_id(token.user_id).one(&txn).await? else {
            return Ok(RotateOutcome::Invalid);
        };
        let user = to_user(user)?;
        if !user.status.may_sign_in() {
            return Ok(RotateOutcome::Invalid);
        }
        let marked = refresh_tokens::Entity::update_many()
            .col_expr(refresh_tokens::Column::UsedAt, Expr::value(now))
            .filter(refresh_tokens::Column::Id.eq(token.id))
            .filter(refresh_tokens::Column::UsedAt.is_null())
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        if marked.rows_affected != 1 {
            // Someone else used it between our read and our write: that is reuse.
            revoke_family(&txn, token.family_id, now).await?;
            txn.commit().await?;
            return Ok(RotateOutcome::Reused);
        }
        insert_refresh(
            &txn,
            NewRefreshToken {
                user_id: user.id,
                family_id: Some(TokenFamilyId::from_uuid(token.family_id)),
                token_hash: next_hash,
                issued_at: now,
                expires_at: next_expires_at,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(RotateOutcome::Rotated(user))
    }

    /// Sign out: every access token of the caller, and the family of the presented
    /// refresh token (if it is the caller's) — or, with none presented, every refresh
    /// token of the account ("sign out everywhere").
    pub async fn logout(
        &self,
        user: UserId,
        presented: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        match presented {
            Some(hash) => {
                let token = refresh_tokens::Entity::find()
                    .filter(refresh_tokens::Column::TokenHash.eq(hash))
                    .filter(refresh_tokens::Column::UserId.eq(user.as_uuid()))
                    .one(&txn)
                    .await?;
                if let Some(token) = token {
                    revoke_family(&txn, token.family_id, now).await?;
                }
            }
            None => revoke_all(&txn, user, now).await?,
        }
        bump_version(&txn, user, now).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(user), "auth.logout", "user").subject(user),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Sign out with only a refresh token (a browser whose access cookie has expired):
    /// its family and every access token of its account stop working. An unknown token
    /// changes nothing.
    pub async fn logout_by_refresh(
        &self,
        presented: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let Some(token) = refresh_tokens::Entity::find()
            .filter(refresh_tokens::Column::TokenHash.eq(presented))
            .one(&txn)
            .await?
        else {
            return Ok(());
        };
        let user = UserId::from_uuid(token.user_id);
        revoke_family(&txn, token.family_id, now).await?;
        bump_version(&txn, user, now).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(user), "auth.logout", "user").subject(user),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Create a judge or organiser account with its invitation, in one transaction.
    pub async fn create_invited_user(
        &self,
        new: NewUser,
        invitation: NewInvitation,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let txn = self.begin_write().await?;
        let user = insert_user(&txn, new, now).await?;
        invitations::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            user_id: Set(user.id.as_uuid()),
            token_hash: Set(invitation.token_hash),
            created_by: Set(Some(actor.as_uuid())),
            created_at: Set(now),
            expires_at: Set(invitation.expires_at),
            used_at: Set(None),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(actor), "user.invited", "user")
                .subject(user.id)
                .after(json!({
                    "email": user.email.as_str(),
                    "name": user.name,
                    "role": user.role.as_str(),
                    "organisation_id": user.organisation_id,
                    "expertise": user.expertise,
                })),
        )
        .await?;
        txn.commit().await?;
        Ok(user)
    }

    /// The invited user behind a still-usable invitation.
    pub async fn invitation_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let inv = invitations::Entity::find()
            .filter(invitations::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        check_invitation(&inv, now)?;
        let user = users::Entity::find_by_id(inv.user_id)
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let user = to_user(user)?;
        // A disabled account's invitation is dead: it never re-activates the account.
        if user.status == UserStatus::Disabled {
            return Err(Error::NotFound.into());
        }
        Ok(user)
    }

    /// Use the invitation: set the password, activate the account. Works once.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: String,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let txn = self.begin_write().await?;
        let inv = invitations::Entity::find()
            .filter(invitations::Column::TokenHash.eq(token_hash))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        check_invitation(&inv, now)?;
        let disabled = users::Entity::find_by_id(inv.user_id)
            .one(&txn)
            .await?
            .is_none_or(|u| u.status == UserStatus::Disabled.as_str());
        if disabled {
            return Err(Error::NotFound.into());
        }
        let used = invitations::Entity::update_many()
            .col_expr(invitations::Column::UsedAt, Expr::value(now))
            .filter(invitations::Column::Id.eq(inv.id))
            .filter(invitations::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if used.rows_affected != 1 {
            return Err(used_error().into());
        }
        users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::value(password_hash))
            .col_expr(
                users::Column::Status,
                Expr::value(UserStatus::Active.as_str()),
            )
            .col_expr(users::Column::UpdatedAt, Expr::value(now))
            .filter(users::Column::Id.eq(inv.user_id))
            .exec(&txn)
            .await?;
        let user = users::Entity::find_by_id(inv.user_id)
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        let user = to_user(user)?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(user.id), "user.invitation_accepted", "user").subject(user.id),
        )
        .await?;
        txn.commit().await?;
        Ok(user)
    }
}

fn used_error() -> Error {
    Error::Conflict(Message::new("conflict.invitation_used"))
}

fn check_invitation(inv: &invitations::Model, now: DateTime<Utc>) -> Result<(), Error> {
    if inv.used_at.is_some() {
        return Err(used_error());
    }
    if inv.expires_at <= now {
        return Err(Error::Conflict(Message::new("conflict.invitation_expired")));
    }
    Ok(())
}

/// Reset mails one account may get in an hour.
pub const RESETS_PER_HOUR: u64 = 3;

/// A reset request that found an account (what the caller needs to mail nothing else).
#[derive(Debug, Clone)]
pub struct NewPasswordReset {
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
    /// The link the mail carries (it holds the token itself).
    pub url: String,
}

async fn usable_reset<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<(password_resets::Model, User), StoreError> {
    let reset = password_resets::Entity::find()
        .filter(password_resets::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    if reset.used_at.is_some() {
        return Err(Error::Conflict(Message::new("conflict.reset_link_used")).into());
    }
    if reset.expires_at <= now {
        return Err(Error::Conflict(Message::new("conflict.reset_link_expired")).into());
    }
    let user = users::Entity::find_by_id(reset.user_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let user = to_user(user)?;
    // A disabled account's link is dead, and never re-activates the account.
    if user.status == UserStatus::Disabled {
        return Err(Error::NotFound.into());
    }
    Ok((reset, user))
}

impl Store {
    /// The account changes its own password: every earlier access and refresh token
    /// of it stops working. Returns the account with its new token version, for the
    /// caller's new token pair.
    pub async fn change_password(
        &self,
        user: UserId,
        password_hash: String,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let txn = self.begin_write().await?;
        users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::value(password_hash))
            .col_expr(users::Column::UpdatedAt, Expr::value(now))
            .filter(users::Column::Id.eq(user.as_uuid()))
            .exec(&txn)
            .await?;
        revoke_all(&txn, user, now).await?;
        bump_version(&txn, user, now).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(user), "user.password_changed", "user").subject(user),
        )
        .await?;
        let fresh = users::Entity::find_by_id(user.as_uuid())
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        let fresh = to_user(fresh)?;
        txn.commit().await?;
        Ok(fresh)
    }

    /// Someone asked to reset the password of `email`. For an account that may sign in
    /// (active or invited — an invited person who lost the invitation), the reset and
    /// its mail are stored in one transaction; for anything else nothing happens. The
    /// answer (whether a mail was queued) is for tests and logs, never for the asker.
    pub async fn request_password_reset(
        &self,
        email: &juri_domain::user::Email,
        reset: NewPasswordReset,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.begin_write().await?;
        let Some(user) = users::Entity::find()
            .filter(users::Column::Email.eq(email.as_str()))
            .one(&txn)
            .await?
        else {
            return Ok(false);
        };
        if user.status == UserStatus::Disabled.as_str() {
            return Ok(false);
        }
        // At most a few mails an hour to one address, however often someone asks: a
        // reset form is no way to flood a person's inbox.
        let recent = password_resets::Entity::find()
            .filter(password_resets::Column::UserId.eq(user.id))
            .filter(password_resets::Column::CreatedAt.gt(now - chrono::Duration::hours(1)))
            .count(&txn)
            .await?;
        if recent >= RESETS_PER_HOUR {
            return Ok(false);
        }
        let id = uuid::Uuid::now_v7();
        password_resets::ActiveModel {
            id: Set(id),
            user_id: Set(user.id),
            token_hash: Set(reset.token_hash),
            created_at: Set(now),
            expires_at: Set(reset.expires_at),
            used_at: Set(None),
        }
        .insert(&txn)
        .await?;
        crate::outbox::enqueue(
            &txn,
            UserId::from_uuid(user.id),
            notification::key::password_reset(id),
            &Notice::PasswordReset {
                url: reset.url,
                expires_at: reset.expires_at,
            },
            now,
        )
        .await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(None, "auth.password_reset_requested", "user").subject(user.id),
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// The account behind a still-usable reset link (for the password policy's context
    /// and the page that asks for the new password).
    pub async fn password_reset_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        Ok(usable_reset(&self.db, token_hash, now).await?.1)
    }

    /// Use a reset link: the new password is set, the link and every other open link
    /// of the account are spent, every session of the account ends. Works once.
    pub async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: String,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let txn = self.begin_write().await?;
        let (reset, user) = usable_reset(&txn, token_hash, now).await?;
        let spent = password_resets::Entity::update_many()
            .col_expr(password_resets::Column::UsedAt, Expr::value(now))
            .filter(password_resets::Column::Id.eq(reset.id))
            .filter(password_resets::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if spent.rows_affected != 1 {
            return Err(Error::Conflict(Message::new("conflict.reset_link_used")).into());
        }
        password_resets::Entity::update_many()
            .col_expr(password_resets::Column::UsedAt, Expr::value(now))
            .filter(password_resets::Column::UserId.eq(reset.user_id))
            .filter(password_resets::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        // An invited person who resets instead of accepting becomes active; a disabled
        // one never reaches here.
        users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::value(password_hash))
            .col_expr(
                users::Column::Status,
                Expr::value(UserStatus::Active.as_str()),
            )
            .col_expr(users::Column::UpdatedAt, Expr::value(now))
            .filter(users::Column::Id.eq(reset.user_id))
            .filter(users::Column::Status.ne(UserStatus::Disabled.as_str()))
            .exec(&txn)
            .await?;
        revoke_all(&txn, user.id, now).await?;
        bump_version(&txn, user.id, now).await?;
        audit::append(
            &txn,
            now,
            AuditRecord::new(Some(user.id), "user.password_reset", "user").subject(user.id),
        )
        .await?;
        txn.commit().await?;
        Ok(user)
    }
}
