//! The load side of `juri bench`: the server runs as a child process (the real
//! `juri serve` on a scratch database), so its memory is its own and the load generator
//! here does not share its runtime. Traffic goes to 127.0.0.1 only, and every run stops
//! at its deadline.

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `juri serve` in a child process.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Start the server on a free loopback port over `data_dir` (SQLite) or
    /// `database_url`, and wait until `/readyz` answers.
    pub async fn start(
        data_dir: &Path,
        database_url: Option<&str>,
        jwt_secret: &str,
        http: &reqwest::Client,
    ) -> Result<Server, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let log = std::fs::File::create(data_dir.join("server.log")).map_err(|e| e.to_string())?;
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut cmd = Command::new(exe);
        cmd.arg("serve")
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .env("JURI_DATA_DIR", data_dir)
            .env("JURI_JWT_SECRET", jwt_secret)
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone().map_err(|e| e.to_string())?))
            .stderr(Stdio::from(log));
        if let Some(url) = database_url {
            cmd.env("DATABASE_URL", url);
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start juri serve: {e}"))?;
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = http
                .get(format!("{}/readyz", server.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return Ok(server);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "juri serve did not become ready; see {}",
                    data_dir.join("server.log").display()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The server's peak resident set so far (`VmHWM`), in MiB.
    pub fn peak_rss_mib(&self) -> Option<f64> {
        let status = std::fs::File::open(format!("/proc/{}/status", self.child.id())).ok()?;
        std::io::BufReader::new(status)
            .lines()
            .map_while(Result::ok)
            .find_map(|l| {
                let kib = l.strip_prefix("VmHWM:")?.trim().strip_suffix("kB")?.trim();
                kib.parse::<f64>().ok()
            })
            .map(|kib| kib / 1024.0)
    }

    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// What a load run measured.
#[derive(Debug, Default)]
pub struct Stats {
    pub ok: u64,
    pub failed: u64,
    pub elapsed: Duration,
    /// Latencies of every request, in microseconds, sorted.
    latencies: Vec<u32>,
}

impl Stats {
    pub fn rps(&self) -> f64 {
        (self.ok + self.failed) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The `q` quantile (0..1) of the latencies, in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies.len() - 1) as f64 * q).round() as usize;
        f64::from(self.latencies[i.min(self.latencies.len() - 1)]) / 1000.0
    }

    pub fn summary(&self) -> String {
        format!(
            "{:.0} req/s, p50 {:.1} ms, p99 {:.1} ms, {} failed of {}",
            self.rps(),
            self.quantile_ms(0.5),
            self.quantile_ms(0.99),
            self.failed,
            self.ok + self.failed
        )
    }
}

/// `clients` concurrent loops for `duration`: client `c`'s `i`-th request is
/// `make(c, i)`; the body is read in full. A response that is not 2xx counts as failed.
pub async fn run<F>(http: &reqwest::Client, clients: usize, duration: Duration, make: F) -> Stats
where
    F: Fn(&reqwest::Client, usize, u64) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        let make = make.clone();
        let http = http.clone();
        tasks.push(tokio::spawn(async move {
            let mut s = Stats::default();
            let mut i = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                let ok = match make(&http, c, i).send().await {
                    Ok(r) => {
                        let good = r.status().is_success();
                        good && r.bytes().await.is_ok()
                    }
                    Err(_) => false,
                };
                let us = u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX);
                s.latencies.push(us);
                if ok {
                    s.ok += 1;
                } else {
                    s.failed += 1;
                }
                i += 1;
            }
            s
        }));
    }
    let mut all = Stats::default();
    for t in tasks {
        if let Ok(s) = t.await {
            all.ok += s.ok;
            all.failed += s.failed;
            all.latencies.extend(s.latencies);
        }
    }
    all.elapsed = started.elapsed();
    all.latencies.sort_unstable();
    all
}
