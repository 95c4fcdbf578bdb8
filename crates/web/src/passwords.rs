//! Password hashing with argon2id (OWASP minimum, pinned: m=19456 KiB, t=2, p=1) in
//! PHC strings. Hashing is slow on purpose, so it runs on a few threads of its own: a
//! login storm queues here instead of stalling the async workers that serve everyone
//! else, and the 19 MiB each hash needs is reused by the same threads instead of
//! being left behind in the allocator of every thread of the blocking pool (which
//! grew the server's resident memory by ~20 MiB per thread that ever hashed). Unknown
//! accounts are checked against a dummy hash so that they take as long as a wrong
//! password.

use crate::error::ApiError;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::{Arc, Mutex, mpsc};

pub const M_COST: u32 = 19_456;
pub const T_COST: u32 = 2;
pub const P_COST: u32 = 1;

fn hasher() -> Result<Argon2<'static>, ApiError> {
    let params = Params::new(M_COST, T_COST, P_COST, None)
        .map_err(|e| ApiError::internal(format!("argon2 params: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hash synchronously (blocking): for start-up and tools.
pub fn hash_blocking(password: &SecretString) -> Result<String, ApiError> {
    hasher()?
        .hash_password(password.expose_secret().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(format!("argon2 hash: {e}")))
}

/// Is a stored hash weaker than what we use today (and so due for a rehash)?
pub fn is_weaker(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return true;
    };
    if parsed.algorithm.as_str() != "argon2id" {
        return true;
    }
    match Params::try_from(&parsed) {
        Ok(p) => p.m_cost() < M_COST || p.t_cost() < T_COST,
        Err(_) => true,
    }
}

/// The outcome of checking a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub ok: bool,
    pub needs_rehash: bool,
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing service shared by all requests: `threads` threads taking jobs in order
/// from a bounded queue. A full queue refuses at once (503 with `Retry-After`) instead
/// of growing without end under a storm, and a job whose request has gone by the time
/// its turn comes is skipped, not hashed for nobody.
#[derive(Clone)]
pub struct Passwords {
    jobs: mpsc::SyncSender<Job>,
    threads: usize,
    dummy: Arc<str>,
}

impl fmt::Debug for Passwords {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Passwords")
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

impl Passwords {
    /// `concurrency` hashes at most at once, each on a thread of its own. The threads
    /// end when the last `Passwords` handle is dropped.
    pub fn new(concurrency: usize, queue: usize) -> Result<Self, ApiError> {
        let (tx, rx) = mpsc::sync_channel::<Job>(queue.max(1));
        let rx = Arc::new(Mutex::new(rx));
        let threads = concurrency.max(1);
        for i in 0..threads {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("juri-hash-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for the next job.
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })
                .map_err(|e| ApiError::internal(format!("hashing thread: {e}")))?;
        }
        // On a hashing thread, which keeps the 19 MiB it needs for the next hash; made
        // here, the block stayed resident in the caller's allocator for nothing.
        let (done_tx, done_rx) = mpsc::channel();
        tx.send(Box::new(move || {
            let _ = done_tx.send(hash_blocking(&SecretString::from(
                "dummy password for unknown accounts",
            )));
        }))
        .map_err(|_| ApiError::internal("hashing threads stopped".to_owned()))?;
        let dummy = done_rx
            .recv()
            .map_err(|_| ApiError::internal("hashing job lost".to_owned()))??;
        Ok(Passwords {
            jobs: tx,
            threads,
            dummy: dummy.into(),
        })
    }

    /// Queue `work`; its answer comes through the receiver. Dropping the receiver
    /// (the request went away) before the work starts cancels it.
    fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<tokio::sync::oneshot::Receiver<Result<T, ApiError>>, ApiError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            if tx.is_closed() {
                return;
            }
            let _ = tx.send(work());
        });
        match self.jobs.try_send(job) {
            Ok(()) => Ok(rx),
            Err(mpsc::TrySendError::Full(_)) => Err(ApiError::Unavailable(
                "every password check slot is taken".into(),
            )),
            Err(mpsc::TrySendError::Disconnected(_)) => {
                Err(ApiError::internal("hashing threads stopped".to_owned()))
            }
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        self.submit(work)?
            .await
            .map_err(|_| ApiError::internal("hashing job lost".to_owned()))?
    }

    pub async fn hash(&self, password: SecretString) -> Result<String, ApiError> {
        self.run(move || hash_blocking(&password)).await
    }

    /// Check `password` against `stored`, or against the dummy hash when there is
    /// no stored hash, so both cases cost the same.
    pub async fn verify(
        &self,
        password: SecretString,
        stored: Option<String>,
    ) -> Result<Verified, ApiError> {
        let dummy = self.dummy.clone();
        self.run(move || {
            let real = stored.is_some();
            let target = stored.unwrap_or_else(|| dummy.to_string());
            let Ok(parsed) = PasswordHash::new(&target) else {
                return Ok(Verified {
                    ok: false,
                    needs_rehash: false,
                });
            };
            let ok = real
                && hasher()?
                    .verify_password(password.expose_secret().as_bytes(), &parsed)
                    .is_ok();
            // The dummy is verified too, so both paths take the same time.
            if !real {
                let _ = hasher()?.verify_password(password.expose_secret().as_bytes(), &parsed);
            }
            Ok(Verified {
                ok,
                needs_rehash: ok && is_weaker(&target),
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_pinned_parameters() {
        let h = hash_blocking(&SecretString::from("kapal nelayan pulang sore")).expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(!is_weaker(&h));
    }

    #[test]
    fn weaker_parameters_are_detected() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8, 1, 1, None).expect("params"),
        )
        .hash_password(b"kapal nelayan pulang sore")
        .expect("hash")
        .to_string();
        assert!(is_weaker(&weak));
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::default())
            .hash_password(b"kapal nelayan pulang sore")
            .expect("hash")
            .to_string();
        assert!(is_weaker(&argon2i));
        assert!(is_weaker("not a phc string"));
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_a_gone_request_is_not_hashed() {
        let p = Passwords::new(1, 2).expect("threads");
        // Hold the one thread until told.
        let (release, wait) = mpsc::channel::<()>();
        let blocker = p
            .submit(move || {
                let _ = wait.recv();
                Ok(())
            })
            .expect("queued");
        // The thread may not have taken the blocker yet: fill until refused.
        let ran = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut queued = Vec::new();
        let refused = loop {
            let ran = ran.clone();
            match p.submit(move || {
                ran.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                Ok(())
            }) {
                Ok(rx) => queued.push(rx),
                Err(e) => break e,
            }
            assert!(
                queued.len() <= 3,
                "the queue holds at most 2 (+1 being taken)"
            );
        };
        assert!(matches!(refused, ApiError::Unavailable(_)), "{refused:?}");
        // The requests of the queued jobs go away; then the thread is released.
        drop(queued);
        release.send(()).expect("release");
        blocker.await.expect("answer").expect("ran");
        // A job queued after them runs, and by then the dropped ones were skipped.
        let after = ran.clone();
        p.run(move || Ok(after.load(std::sync::atomic::Ordering::SeqCst)))
            .await
            .expect("ran");
        assert_eq!(ran.load(std::sync::atomic::Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn verify_accepts_the_right_password_only() {
        let p = Passwords::new(2, 16).expect("passwords");
        let h = p
            .hash(SecretString::from("kapal nelayan pulang sore"))
            .await
            .expect("hash");
        let right = p
            .verify(
                SecretString::from("kapal nelayan pulang sore"),
                Some(h.clone()),
            )
            .await
            .expect("verify");
        assert_eq!(
            right,
            Verified {
                ok: true,
                needs_rehash: false
            }
        );
        let wrong = p
            .verify(SecretString::from("kapal nelayan pulang pagi"), Some(h))
            .await
            .expect("verify");
        assert!(!wrong.ok);
        let unknown = p
            .verify(
                SecretString::from("dummy password for unknown accounts"),
                None,
            )
            .await
            .expect("verify");
        assert!(!unknown.ok, "the dummy hash never signs anyone in");
    }
}
