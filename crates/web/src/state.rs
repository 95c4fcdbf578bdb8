//! What every handler can reach: the store, the clock, keys, hashing, limits.

use crate::config::Config;
use crate::keys::Keyring;
use crate::passwords::Passwords;
use crate::throttle::{ClientLimits, ExpensiveLimiter, Limited};
use juri_domain::clock::Clock;
use juri_persistence::{Blobs, Store};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub blobs: Blobs,
    pub clock: Arc<dyn Clock>,
    pub keys: Arc<Keyring>,
    pub passwords: Passwords,
    pub expensive: Arc<ExpensiveLimiter>,
    pub limits: Arc<ClientLimits>,
    pub metrics: Arc<crate::metrics::Metrics>,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(
        store: Store,
        blobs: Blobs,
        clock: Arc<dyn Clock>,
        keys: Keyring,
        config: Config,
    ) -> Result<Self, crate::error::ApiError> {
        Ok(AppState {
            store,
            blobs,
            clock,
            keys: Arc::new(keys),
            passwords: Passwords::new(config.hash_concurrency, config.hash_queue)?,
            expensive: Arc::new(ExpensiveLimiter::new(config.expensive_per_minute)),
            limits: Arc::new(ClientLimits::new(
                config.sign_up_per_client,
                config.refresh_per_client,
                config.upload_per_client,
                config.reset_per_client,
            )),
            metrics: Arc::new(crate::metrics::Metrics::new()),
            config: Arc::new(config),
        })
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Count one expensive request of `user` (429 past the per-minute limit).
    pub fn expensive(&self, user: juri_domain::ids::UserId) -> Result<(), crate::error::ApiError> {
        self.expensive
            .hit(user, self.now())
            .map_err(|retry_after_secs| {
                juri_domain::Error::TooManyAttempts { retry_after_secs }.into()
            })
    }

    /// Count one request of `client` against a per-client limit (429 past it). Call it
    /// before anything is written.
    pub fn limit(
        &self,
        what: Limited,
        client: std::net::IpAddr,
    ) -> Result<(), crate::error::ApiError> {
        self.limits
            .hit(what, client, self.now())
            .map_err(|retry_after_secs| {
                juri_domain::Error::TooManyAttempts { retry_after_secs }.into()
            })
    }
}
