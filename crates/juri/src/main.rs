//! The `juri` command: a thin shell over `juri-web` and `juri-persistence`.

mod audit;
mod backup;
mod bench;
mod import;
mod memory;

use clap::{Parser, Subcommand};

/// A server that handles bursts (a login storm, a 30,000-sheet result) must give the
/// memory back afterwards; with glibc's per-thread arenas the bench's peak RSS was
/// 588 MiB, with mimalloc 415 MiB (before the other fixes of docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use juri_domain::clock::SystemClock;
use juri_persistence::{Blobs, Store};
use juri_web::keys::Keyring;
use juri_web::services::bootstrap;
use juri_web::{AppState, Config};
use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Parser)]
#[command(
    name = "juri",
    version,
    about = "Juri — sistem penjurian Bangka Innovation Awards"
)]
struct Cli {
    /// Where Juri keeps its database (SQLite), secret and files.
    #[arg(long, env = "JURI_DATA_DIR", default_value = "./data", global = true)]
    data_dir: PathBuf,
    /// The database; without it, SQLite in the data dir.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// The audit sealing key (32+ characters), kept outside the database: every seal
    /// carries its HMAC, and `juri audit verify` checks them (docs/audit.md).
    #[arg(long, env = "JURI_AUDIT_KEY", global = true, hide_env_values = true)]
    audit_key: Option<SecretString>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
#[expect(
    clippy::large_enum_variant,
    reason = "parsed once at start-up; boxing buys nothing"
)]
enum Command {
    /// Run the server (migrates the database first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "JURI_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// The address people use to reach Juri (for links in invitations).
        #[arg(long, env = "JURI_PUBLIC_URL")]
        public_url: Option<String>,
        /// Secret for signing access tokens (32+ characters). Without it, one is made
        /// once and kept in the data dir.
        #[arg(long, env = "JURI_JWT_SECRET", hide_env_values = true)]
        jwt_secret: Option<SecretString>,
        /// Earlier secrets, comma-separated: tokens they signed still verify.
        #[arg(
            long,
            env = "JURI_JWT_PREVIOUS_SECRETS",
            hide_env_values = true,
            value_delimiter = ','
        )]
        jwt_previous_secrets: Vec<SecretString>,
        /// Email of the first organiser, made when the database has none.
        #[arg(long, env = "JURI_ADMIN_EMAIL")]
        admin_email: Option<String>,
        /// Password of the first organiser; without it, one is generated and printed once.
        #[arg(long, env = "JURI_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: Option<SecretString>,
        /// The largest attachment accepted, in MiB.
        #[arg(long, env = "JURI_MAX_UPLOAD_MIB", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=1024))]
        max_upload_mib: u64,
        /// How many attachments one entry may have.
        #[arg(long, env = "JURI_MAX_ATTACHMENTS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=100))]
        max_attachments: u64,
        /// On an empty database, create the demo edition first (see `juri demo`).
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        ops: OpsArgs,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Measure the figures of docs/performance.md on a scratch database.
    Bench {
        /// Small sizes, seconds: what CI runs to check the benchmark still works.
        #[arg(long)]
        quick: bool,
        /// Run only these steps (comma-separated), e.g. to profile one of them; the
        /// memory row is always printed.
        #[arg(long, value_delimiter = ',')]
        only: Vec<bench::Step>,
    },
    /// Create a realistic demo: last year's published edition and this year's edition
    /// with about 150 entries, 15 judges, one round closed and one in progress.
    Demo {
        /// Add the demo even though the database holds data.
        #[arg(long)]
        force: bool,
    },
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// The audit trail's hash chain (docs/audit.md).
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write a consistent copy of the database and the attachments into a new
    /// directory, while the server runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump).
    Backup {
        /// The directory to create (it must not exist or be empty).
        dir: PathBuf,
    },
    /// Replace the database and add the attachments from a backup directory. Stop the
    /// server first.
    Restore {
        /// A directory written by `juri backup`.
        dir: PathBuf,
        /// Replace a database that already holds data.
        #[arg(long)]
        force: bool,
    },
    /// Import the innovations of earlier years from a CSV or XLSX file (docs/import.md):
    /// every line is checked first, and nothing is imported if any line is wrong.
    Import {
        /// The file: `.csv` (UTF-8, comma or semicolon) or `.xlsx` (first sheet).
        file: PathBuf,
        /// Check the file against the database and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Seal pending events, walk the chain, name the first altered or removed event
    /// (exit 1); OK with the count and head hash otherwise.
    Verify,
    /// Recompute an edition's published results from the audit trail alone and
    /// compare them with the published SHA-256 (exit 1 when they differ).
    Results {
        /// The edition's id.
        edition_id: String,
    },
}

/// Operations settings of `juri serve` (docs/operations.md).
#[derive(Debug, clap::Args)]
struct OpsArgs {
    /// Bearer token that `GET /metrics` requires. Without it, /metrics answers only
    /// local requests that did not come through a proxy.
    #[arg(long, env = "JURI_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<SecretString>,
    /// Reverse proxies (comma-separated IP addresses) whose X-Forwarded-For is believed.
    #[arg(long, env = "JURI_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Sign-ups per client address per hour.
    #[arg(long, env = "JURI_SIGN_UPS_PER_HOUR", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    sign_ups_per_hour: u32,
    /// Token refreshes per client address per minute.
    #[arg(long, env = "JURI_REFRESHES_PER_MINUTE", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    refreshes_per_minute: u32,
    /// Attachment uploads per client address per minute.
    #[arg(long, env = "JURI_UPLOADS_PER_MINUTE", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    uploads_per_minute: u32,
    /// Where attachments live: `file:///path` or `s3://bucket?endpoint=…&region=…`
    /// (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). Default: the
    /// data dir's `files/`.
    #[arg(long, env = "JURI_STORAGE_URL")]
    storage_url: Option<String>,
    /// Seconds a client has to send a request's whole header; then the connection is
    /// closed (slow clients cannot hold connections).
    #[arg(long, env = "JURI_HEADER_TIMEOUT_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    header_timeout_seconds: u64,
    /// Connections this server serves at once; more wait until one closes.
    #[arg(long, env = "JURI_MAX_CONNECTIONS", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_connections: u64,
}

/// Mail settings of `juri serve` (docs/operations.md, "Mail").
#[derive(Debug, clap::Args)]
struct MailArgs {
    /// The SMTP server: `smtp://host:port` (plain), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host` (TLS). Without it, mail is written to the
    /// log and not sent.
    #[arg(long, env = "JURI_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<SecretString>,
    /// The From address of Juri's mail. Default: noreply@<host of the public URL>.
    #[arg(long, env = "JURI_MAIL_FROM")]
    mail_from: Option<String>,
    /// Seconds between the mail worker's passes.
    #[arg(long, env = "JURI_MAIL_POLL_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    mail_poll_seconds: u64,
    /// Seconds to wait after a first failed delivery; doubled per failure.
    #[arg(long, env = "JURI_MAIL_RETRY_MIN_SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86400))]
    mail_retry_min_seconds: u64,
    /// The longest wait between two tries of one message (it is never dropped).
    #[arg(long, env = "JURI_MAIL_RETRY_MAX_SECONDS", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..=86400))]
    mail_retry_max_seconds: u64,
}

impl MailArgs {
    fn settings(self, public_url: &str) -> juri_web::mail::MailSettings {
        let secs = |s: u64| chrono::Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX));
        let defaults = juri_web::mail::MailSettings::new(public_url);
        juri_web::mail::MailSettings {
            smtp_url: self.smtp_url,
            from: self.mail_from.unwrap_or_else(|| defaults.from.clone()),
            poll: std::time::Duration::from_secs(self.mail_poll_seconds),
            retry_min: secs(self.mail_retry_min_seconds),
            retry_max: secs(self.mail_retry_max_seconds.max(self.mail_retry_min_seconds)),
            ..defaults
        }
    }
}

impl OpsArgs {
    fn apply(self, config: &mut Config) {
        use juri_domain::throttle::FailureLimit;
        let per = |max_failures, window| FailureLimit {
            max_failures,
            window,
        };
        config.metrics_token = self.metrics_token;
        config.trusted_proxies = self.trusted_proxies;
        config.sign_up_per_client = per(self.sign_ups_per_hour, chrono::Duration::hours(1));
        config.refresh_per_client = per(self.refreshes_per_minute, chrono::Duration::minutes(1));
        config.upload_per_client = per(self.uploads_per_minute, chrono::Duration::minutes(1));
        config.header_read_timeout = std::time::Duration::from_secs(self.header_timeout_seconds);
        config.max_connections = usize::try_from(self.max_connections).unwrap_or(usize::MAX);
    }
}

fn init_logs(default_filter: &str) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("JURI_LOG").unwrap_or_else(|_| EnvFilter::new(default_filter));
    let json = std::env::var("JURI_LOG_FORMAT").is_ok_and(|f| f == "json");
    // Colours only for a person at a terminal: in a file or a journal they are noise.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(colour);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open_store(
    data_dir: &Path,
    url: Option<&str>,
    audit_key: Option<&SecretString>,
) -> Result<Store, String> {
    use secrecy::ExposeSecret;
    if let Some(k) = audit_key
        && k.expose_secret().chars().count() < 32
    {
        return Err("JURI_AUDIT_KEY must be at least 32 characters".to_owned());
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create data dir {}: {e}", data_dir.display()))?;
    let url = url
        .map(str::to_owned)
        .unwrap_or_else(|| Store::sqlite_url(data_dir));
    let store = Store::connect(&url)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?
        .with_audit_key(audit_key.map(|k| k.expose_secret().as_bytes()));
    store
        .migrate()
        .await
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    Ok(store)
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is called, not
/// when first polled: a signal that came just after the URL was printed used to end
/// the process at once, without the clean shutdown.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let listen = |kind: tokio::signal::unix::SignalKind, name: &'static str| {
        let mut stream = tokio::signal::unix::signal(kind);
        async move {
            match stream.as_mut() {
                Ok(s) => {
                    s.recv().await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot listen for {name}");
                    std::future::pending::<()>().await;
                }
            }
        }
    };
    #[cfg(unix)]
    let (ctrl_c, term) = (
        listen(tokio::signal::unix::SignalKind::interrupt(), "Ctrl-C"),
        listen(tokio::signal::unix::SignalKind::terminate(), "SIGTERM"),
    );
    #[cfg(not(unix))]
    let (ctrl_c, term) = (
        async {
            if let Err(e) = tokio::signal::ctrl_c().await {
                tracing::error!(error = %e, "cannot listen for Ctrl-C");
                std::future::pending::<()>().await;
            }
        },
        std::future::pending::<()>(),
    );
    async move {
        tokio::select! {
            () = ctrl_c => {},
            () = term => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}

#[expect(
    clippy::print_stdout,
    reason = "the URL and a generated password are for the person at the terminal"
)]
async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Migrate => {
            open_store(
                &cli.data_dir,
                cli.database_url.as_deref(),
                cli.audit_key.as_ref(),
            )
            .await?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Bench { quick, only } => bench::run(quick, &only).await,
        Command::Audit { command } => {
            let store = open_store(
                &cli.data_dir,
                cli.database_url.as_deref(),
                cli.audit_key.as_ref(),
            )
            .await?;
            let outcome = match command {
                AuditCommand::Verify => audit::verify(&store).await,
                AuditCommand::Results { edition_id } => audit::results(&store, &edition_id).await,
            };
            store.close().await.ok();
            outcome
        }
        Command::Backup { dir } => {
            let target = backup::Target {
                data_dir: &cli.data_dir,
                database_url: cli.database_url.as_deref(),
            };
            backup::backup(&target, &dir).await
        }
        Command::Restore { dir, force } => {
            let target = backup::Target {
                data_dir: &cli.data_dir,
                database_url: cli.database_url.as_deref(),
            };
            backup::restore(&target, &dir, force).await
        }
        Command::Demo { force } => {
            let store = open_store(
                &cli.data_dir,
                cli.database_url.as_deref(),
                cli.audit_key.as_ref(),
            )
            .await?;
            let secret = juri_web::config::load_or_create_secret(&cli.data_dir)
                .map_err(|e| format!("cannot keep the JWT secret in the data dir: {e}"))?;
            let keys = Keyring::new(&secret, &[])?;
            let blobs = Blobs::local(&cli.data_dir.join("files"))
                .map_err(|e| format!("cannot open the file store: {e}"))?;
            let state = AppState::new(
                store,
                blobs,
                Arc::new(SystemClock),
                keys,
                Config::new("http://127.0.0.1:8080"),
            )
            .map_err(|e| e.to_string())?;
            let report = juri_web::services::demo::seed(&state, force)
                .await
                .map_err(|e| format!("cannot create the demo: {}", e.for_operator()))?;
            print_demo(&report);
            Ok(())
        }
        Command::Import { file, dry_run } => {
            let store = open_store(
                &cli.data_dir,
                cli.database_url.as_deref(),
                cli.audit_key.as_ref(),
            )
            .await?;
            let outcome = import::run(&store, &file, dry_run).await;
            store.close().await.ok();
            outcome
        }
        Command::Serve {
            bind,
            public_url,
            jwt_secret,
            jwt_previous_secrets,
            admin_email,
            admin_password,
            max_upload_mib,
            max_attachments,
            demo,
            ops,
            mail,
        } => {
            let store = open_store(
                &cli.data_dir,
                cli.database_url.as_deref(),
                cli.audit_key.as_ref(),
            )
            .await?;
            let secret = match jwt_secret {
                Some(s) => s,
                None => juri_web::config::load_or_create_secret(&cli.data_dir)
                    .map_err(|e| format!("cannot keep the JWT secret in the data dir: {e}"))?,
            };
            let keys = Keyring::new(&secret, &jwt_previous_secrets)?;
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
            let local = listener
                .local_addr()
                .map_err(|e| format!("cannot read the bound address: {e}"))?;
            let url = public_url.unwrap_or_else(|| format!("http://{local}"));
            let blobs = match ops.storage_url.as_deref() {
                Some(url) => Blobs::from_url(url, None),
                None => Blobs::local(&cli.data_dir.join("files")),
            }
            .map_err(|e| format!("cannot open the file store: {e}"))?;
            let mut config = Config {
                attachment_max_bytes: max_upload_mib * 1024 * 1024,
                attachments_per_entry: usize::try_from(max_attachments).unwrap_or(10),
                ..Config::new(url.clone())
            };
            ops.apply(&mut config);
            let connection_limits = juri_web::ConnectionLimits::of(&config);
            let state = AppState::new(store, blobs, Arc::new(SystemClock), keys, config)
                .map_err(|e| e.to_string())?;
            if let Some(first) =
                bootstrap::ensure_organiser(&state, admin_email.as_deref(), admin_password)
                    .await
                    .map_err(|e| {
                        format!("cannot create the first organiser: {}", e.for_operator())
                    })?
            {
                println!("Akun panitia pertama / first organiser: {}", first.email);
                if let Some(p) = first.generated_password {
                    use secrecy::ExposeSecret;
                    println!(
                        "Kata sandi / password (shown once, keep it safe): {}",
                        p.expose_secret()
                    );
                }
            }
            if demo {
                match juri_web::services::demo::seed(&state, false).await {
                    Ok(report) => print_demo(&report),
                    Err(juri_web::error::ApiError::Domain(juri_domain::Error::Conflict(_))) => {
                        println!(
                            "Basis data tidak kosong: demo dilewati. / The database is not empty: no demo added."
                        );
                    }
                    Err(e) => {
                        return Err(format!("cannot create the demo: {}", e.for_operator()));
                    }
                }
            }
            // The audit chain is sealed beside the writes, never inside them.
            let sealer = state
                .store
                .spawn_sealer(state.clock.clone(), std::time::Duration::from_secs(1));
            // Mail leaves through the outbox, never from inside a request.
            let mailer = juri_web::mail::MailWorker::new(
                state.store.clone(),
                state.clock.clone(),
                mail.settings(&url),
            )?;
            if mailer.uses_smtp() {
                tracing::info!("mail: delivered through JURI_SMTP_URL");
            } else {
                tracing::warn!("mail: no JURI_SMTP_URL, messages are written to the log only");
            }
            let mailer = mailer.spawn();
            let store = state.store.clone();
            let clock = state.clock.clone();
            let shutdown = shutdown_signal();
            println!("Juri berjalan di / is running at {url}");
            tracing::info!(%local, "listening");
            let served = juri_web::serve_with(
                listener,
                juri_web::router(state, None),
                connection_limits,
                shutdown,
            )
            .await
            .map_err(|e| format!("server error: {e}"));
            sealer.abort();
            mailer.abort();
            // The last requests' events are sealed before the process ends.
            if let Err(e) = store.seal_audit(clock.now()).await {
                tracing::warn!(error = %e, "cannot seal the last audit events");
            }
            served
        }
    }
}

#[expect(
    clippy::print_stdout,
    reason = "the demo accounts are for the person at the terminal"
)]
fn print_demo(r: &juri_web::services::demo::DemoReport) {
    println!(
        "Demo dibuat / demo created: {} inovasi, {} juri.",
        r.entries, r.judges
    );
    println!("  panitia / organiser : {}", r.organiser);
    println!("  juri / judge        : {}", r.judge);
    println!("  peserta / submitter : {}", r.submitter);
    println!(
        "  kata sandi / password (semua akun demo / every demo account): {}",
        r.password
    );
}

fn main() -> ExitCode {
    // Before any thread starts: it may start this process again (see `memory`).
    let untuned = memory::tune();
    run_main(untuned)
}

#[tokio::main]
async fn run_main(untuned: Option<String>) -> ExitCode {
    let cli = Cli::parse();
    // A benchmark's table must not drown in one log line per request.
    init_logs(if matches!(cli.command, Command::Bench { .. }) {
        "warn"
    } else {
        "info,sqlx=warn,sea_orm=warn"
    });
    if let Some(why) = untuned {
        tracing::warn!("{why}");
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("juri: {e}");
            ExitCode::FAILURE
        }
    }
}
