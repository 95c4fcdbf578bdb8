//! Settings the web layer runs with, and the JWT secret kept in the data dir.

use juri_domain::throttle::FailureLimit;
use juri_domain::token::{ACCESS_TOKEN_SECONDS, ClaimRules, LEEWAY_SECONDS};
use secrecy::SecretString;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// What the server needs to know beyond its database.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where people reach Juri, for links in invitations (no trailing slash).
    pub public_url: String,
    pub claim_rules: ClaimRules,
    pub refresh_token_days: i64,
    pub invitation_days: i64,
    pub login_limit_per_account: FailureLimit,
    pub login_limit_per_client: FailureLimit,
    /// How many password hashes may run at once.
    pub hash_concurrency: usize,
    /// How many may wait for their turn; more are refused with 503 and `Retry-After`.
    pub hash_queue: usize,
    pub request_timeout: Duration,
    /// A request's whole header must arrive within this time (slow clients are dropped).
    pub header_read_timeout: Duration,
    /// Connections served at once by this server.
    pub max_connections: usize,
    /// The largest JSON body accepted.
    pub json_body_limit: usize,
    /// The largest attachment accepted, in bytes.
    pub attachment_max_bytes: u64,
    /// How many attachments one entry may have.
    pub attachments_per_entry: usize,
    /// Exports and automatic assignments per user per minute.
    pub expensive_per_minute: u32,
    /// Sign-ups per client address (429 past it).
    pub sign_up_per_client: FailureLimit,
    /// Token refreshes per client address.
    pub refresh_per_client: FailureLimit,
    /// Attachment uploads per client address.
    pub upload_per_client: FailureLimit,
    /// "Forgot password" requests per client address.
    pub reset_per_client: FailureLimit,
    /// A bearer token that `/metrics` requires; without one, `/metrics` answers only
    /// clients on the loopback interface.
    pub metrics_token: Option<SecretString>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see `ClientIp`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Config {
    pub fn new(public_url: impl Into<String>) -> Self {
        Config {
            public_url: public_url.into().trim_end_matches('/').to_owned(),
            claim_rules: ClaimRules {
                issuer: "juri".to_owned(),
                audience: "juri-api".to_owned(),
                leeway: LEEWAY_SECONDS,
                max_lifetime: ACCESS_TOKEN_SECONDS,
            },
            refresh_token_days: 30,
            invitation_days: 7,
            login_limit_per_account: FailureLimit::PER_ACCOUNT,
            login_limit_per_client: FailureLimit::PER_CLIENT,
            // Half the cores: a login storm must leave the other half to everyone else.
            hash_concurrency: std::thread::available_parallelism()
                .map(|n| n.get() / 2)
                .unwrap_or(1)
                .max(1),
            // ~2 s of waiting at one thread's ~30 ms a hash.
            hash_queue: 64,
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1024,
            json_body_limit: 256 * 1024,
            attachment_max_bytes: juri_domain::attachment::DEFAULT_MAX_BYTES,
            attachments_per_entry: juri_domain::attachment::DEFAULT_MAX_PER_ENTRY,
            expensive_per_minute: 5,
            // An office may sign up many officers from one address on the first day.
            sign_up_per_client: FailureLimit {
                max_failures: 20,
                window: chrono::Duration::hours(1),
            },
            refresh_per_client: FailureLimit {
                max_failures: 60,
                window: chrono::Duration::minutes(1),
            },
            upload_per_client: FailureLimit {
                max_failures: 30,
                window: chrono::Duration::minutes(1),
            },
            reset_per_client: FailureLimit {
                max_failures: 10,
                window: chrono::Duration::hours(1),
            },
            metrics_token: None,
            trusted_proxies: Vec::new(),
        }
    }
}

/// The JWT secret kept in `<data dir>/jwt-secret` (mode 0600): made once when no
/// `JURI_JWT_SECRET` is given, so tokens survive restarts.
pub fn load_or_create_secret(data_dir: &Path) -> std::io::Result<SecretString> {
    let path = data_dir.join("jwt-secret");
    match std::fs::read_to_string(&path) {
        Ok(s) if s.trim().len() >= 32 => return Ok(SecretString::from(s.trim().to_owned())),
        Ok(_) => {
            return Err(std::io::Error::other(format!(
                "{} holds a secret shorter than 32 characters",
                path.display()
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let secret = crate::keys::random_token() + &crate::keys::random_token();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&path)?;
    f.write_all(secret.as_bytes())?;
    f.sync_all()?;
    Ok(SecretString::from(secret))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn the_secret_is_made_once_kept_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("juri-secret-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let first = load_or_create_secret(&dir).expect("created");
        let again = load_or_create_secret(&dir).expect("read");
        assert_eq!(first.expose_secret(), again.expose_secret());
        assert!(first.expose_secret().len() >= 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("jwt-secret"))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
