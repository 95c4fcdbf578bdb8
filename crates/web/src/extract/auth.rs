//! Authentication in an extractor, authorisation by type. [`AuthUser`] is a caller
//! whose bearer token verified and whose account still exists, is active and has not
//! revoked the token. [`Can<R>`] can only be obtained by a caller whose role may do
//! `R::ACTION` (the decision is `juri_domain::access::authorize`), so a handler that
//! takes one cannot run for anyone else.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, OptionalFromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use juri_domain::access::{Action, authorize};
use juri_domain::token::AccessClaims;
use juri_domain::user::User;
use juri_domain::{Error, access};
use std::marker::PhantomData;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: User,
    pub claims: AccessClaims,
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// Verify an access token (from the `Authorization` header, or the pages' session
/// cookie) and load its account, which must be active, of the token's role and at the
/// token's version.
pub async fn authenticate(state: &AppState, token: &str) -> Result<AuthUser, ApiError> {
    let now = state.now().timestamp();
    let claims = state
        .keys
        .verify(token, &state.config.claim_rules, now)
        .map_err(|why| {
            tracing::debug!(?why, "access token refused");
            Error::Unauthenticated
        })?;
    let user = match state.store.user(claims.sub).await {
        Ok(user) => user,
        Err(juri_persistence::StoreError::Domain(Error::NotFound)) => {
            return Err(Error::Unauthenticated.into());
        }
        Err(e) => return Err(e.into()),
    };
    let current = user.status.may_sign_in()
        && user.role == claims.role
        && claims.check_version(user.token_version).is_ok();
    if !current {
        return Err(Error::Unauthenticated.into());
    }
    Ok(AuthUser { user, claims })
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(user.clone());
        }
        let token = bearer(parts).ok_or(Error::Unauthenticated)?;
        let caller = authenticate(state, token).await?;
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// `Option<AuthUser>`: `None` without credentials; a bad token is still 401, so a
/// confused client learns of it.
impl OptionalFromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            return Ok(None);
        }
        <AuthUser as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}

/// Something a handler requires of its caller.
pub trait Requirement: Send + Sync + 'static {
    const ACTION: Action;
}

/// The marker types, one per [`Action`].
pub mod requirements {
    use super::{Action, Requirement};

    macro_rules! requirement {
        ($name:ident) => {
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl Requirement for $name {
                const ACTION: Action = Action::$name;
            }
        };
    }

    requirement!(ReadOwnAccount);
    requirement!(ManageAccounts);
    requirement!(ManageOrganisations);
    requirement!(ReadAudit);
    requirement!(ManageEditions);
    requirement!(ScreenEntries);
    requirement!(CreateEntry);
    requirement!(ListEntries);
    requirement!(ManageJudging);
    requirement!(DeclareConflict);
    requirement!(ScoreEntries);
}

/// Proof that the caller may do `R::ACTION`.
#[derive(Debug, Clone)]
pub struct Can<R: Requirement> {
    pub caller: AuthUser,
    _requirement: PhantomData<R>,
}

impl<R: Requirement> FromRequestParts<AppState> for Can<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller =
            <AuthUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        authorize(caller.user.role, R::ACTION)?;
        debug_assert!(access::may(caller.user.role, R::ACTION));
        Ok(Can {
            caller,
            _requirement: PhantomData,
        })
    }
}

/// The client's address: the socket peer, or, when the peer is one of the configured
/// trusted proxies (`JURI_TRUSTED_PROXIES`), the right-most address in
/// `X-Forwarded-For` that is not a trusted proxy. Anyone can write that header, so it
/// is believed only from a proxy that sets it.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientIp(client_address(
            peer,
            &parts.headers,
            &state.config.trusted_proxies,
        )))
    }
}

/// See [`ClientIp`].
pub fn client_address(peer: IpAddr, headers: &header::HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut hops: Vec<IpAddr> = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(text) = value.to_str() else {
            return peer;
        };
        for hop in text.split(',') {
            match hop.trim().parse() {
                Ok(ip) => hops.push(ip),
                // A malformed chain is not believed at all.
                Err(_) => return peer,
            }
        }
    }
    hops.into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

#[cfg(test)]
mod client_ip_tests {
    use super::*;

    fn headers(xff: &str) -> header::HeaderMap {
        let mut h = header::HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().expect("value"));
        h
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.5".parse().expect("ip");
        let client: IpAddr = "203.0.113.7".parse().expect("ip");
        let spoofed = headers("198.51.100.1, 203.0.113.7");
        assert_eq!(client_address(proxy, &spoofed, &[proxy]), client);
        assert_eq!(client_address(proxy, &spoofed, &[]), proxy, "not trusted");
        assert_eq!(
            client_address(client, &headers("198.51.100.1"), &[proxy]),
            client,
            "a client cannot name itself"
        );
        assert_eq!(client_address(proxy, &headers("nonsense"), &[proxy]), proxy);
        assert_eq!(
            client_address(proxy, &header::HeaderMap::new(), &[proxy]),
            proxy
        );
    }
}
