//! What every handler can reach: the store, the clock, keys, hashing, limits.

use crate::config::Config;
use crate::keys::Keyring;
use crate::passwords::Passwords;
use crate::throttle::{ExpensiveLimiter, LoginThrottle};
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
    pub throttle: Arc<LoginThrottle>,
    pub expensive: Arc<ExpensiveLimiter>,
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
            passwords: Passwords::new(config.hash_concurrency)?,
            throttle: Arc::new(LoginThrottle::new(
                config.login_limit_per_account,
                config.login_limit_per_client,
            )),
            expensive: Arc::new(ExpensiveLimiter::new(config.expensive_per_minute)),
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
}
