//! The time source. Rules take `now` as an argument; the application holds a `Clock`
//! so tests can move time (deadlines, expiry) without sleeping.

use chrono::{DateTime, Utc};
use std::fmt::Debug;

pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
