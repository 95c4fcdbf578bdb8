#![expect(
    clippy::expect_used,
    reason = "test harness: a failed set-up must fail the test at once"
)]

//! The end-to-end test harness: [`TestApp`] starts the real router on a free port of
//! 127.0.0.1 over a fresh database — a temporary SQLite file, or, when
//! `JURI_TEST_DATABASE_URL` names a PostgreSQL server, a uniquely named database that
//! is dropped afterwards — and talks to it with a real HTTP client.

use chrono::{DateTime, Duration, Utc};
use juri_domain::clock::Clock;
use juri_persistence::{Blobs, Store};
use juri_web::keys::Keyring;
use juri_web::{AppState, Config};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The environment variable naming a PostgreSQL server for the tests (an admin URL,
/// e.g. `postgres://postgres@127.0.0.1:5432/postgres`). Unset: SQLite.
pub const PG_ENV: &str = "JURI_TEST_DATABASE_URL";

/// The organiser every test app starts with.
pub const ORGANISER_EMAIL: &str = "panitia@example.id";
pub const ORGANISER_PASSWORD: &str = "rapat mingguan setiap senin pagi";

/// A clock the tests can move forward.
#[derive(Debug, Default)]
pub struct TestClock {
    offset_secs: AtomicI64,
}

impl TestClock {
    pub fn advance(&self, by: Duration) {
        self.offset_secs
            .fetch_add(by.num_seconds(), Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_secs.load(Ordering::SeqCst))
    }
}

/// A database for one test, removed when dropped.
#[derive(Debug)]
pub struct TestDb {
    pub url: String,
    pg: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn new() -> TestDb {
        match std::env::var(PG_ENV) {
            Ok(admin) if !admin.is_empty() => {
                let name = format!("juri_t_{}", uuid::Uuid::now_v7().simple());
                let admin_store = Store::connect(&admin)
                    .await
                    .expect("connect to PostgreSQL admin URL");
                admin_store
                    .execute_raw(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin_store.close().await.ok();
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                TestDb {
                    url: format!("{base}/{name}"),
                    pg: Some((admin, name)),
                    _dir: None,
                }
            }
            _ => {
                let dir = tempfile::tempdir().expect("temp dir");
                TestDb {
                    url: Store::sqlite_url(dir.path()),
                    pg: None,
                    _dir: Some(dir),
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    /// A database that exists already (another test app's, or one reached through a
    /// proxy): used as it is and not dropped afterwards.
    pub fn existing(url: impl Into<String>) -> TestDb {
        TestDb {
            url: url.into(),
            pg: None,
            _dir: None,
        }
    }

    /// Is `JURI_TEST_DATABASE_URL` set (the tests run on PostgreSQL)?
    pub fn on_postgres() -> bool {
        std::env::var(PG_ENV).is_ok_and(|v| !v.is_empty())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            // Drop runs outside async: use a private runtime on its own thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async {
                        if let Ok(s) = Store::connect(&admin).await {
                            let _ = s
                                .execute_raw(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                            let _ = s.close().await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

/// How to build a test app.
#[expect(missing_debug_implementations, reason = "holds closures and a router")]
pub struct TestAppBuilder {
    config: Box<dyn FnOnce(&mut Config) + Send>,
    extra: Option<axum::Router<AppState>>,
    database_url: Option<String>,
    secret_from: Option<PathBuf>,
    blobs: Option<Blobs>,
}

impl TestAppBuilder {
    pub fn config(mut self, f: impl FnOnce(&mut Config) + Send + 'static) -> Self {
        self.config = Box::new(f);
        self
    }

    /// Extra routes served with the same layers (e.g. a route that panics).
    pub fn extra_routes(mut self, r: axum::Router<AppState>) -> Self {
        self.extra = Some(r);
        self
    }

    /// Run on this database instead of a fresh one (it is not dropped afterwards).
    pub fn database_url(mut self, url: impl Into<String>) -> Self {
        self.database_url = Some(url.into());
        self
    }

    /// Sign tokens with the same secret as `other` (several servers, one deployment).
    pub fn same_secret_as(mut self, other: &TestApp) -> Self {
        self.secret_from = Some(other.data_dir.join("jwt-secret"));
        self
    }

    /// Keep attachments in `blobs` instead of the data dir (e.g. an S3-compatible store).
    pub fn blobs(mut self, blobs: Blobs) -> Self {
        self.blobs = Some(blobs);
        self
    }

    pub async fn spawn(self) -> TestApp {
        let db = match self.database_url {
            Some(url) => TestDb::existing(url),
            None => TestDb::new().await,
        };
        let data_dir = tempfile::tempdir().expect("data dir");
        if let Some(secret) = &self.secret_from {
            std::fs::copy(secret, data_dir.path().join("jwt-secret")).expect("copy the secret");
        }
        let mut app = TestApp {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            client: reqwest::Client::new(),
            store: None,
            state: None,
            clock: Arc::new(TestClock::default()),
            shutdown: None,
            handle: None,
            config_fn: self.config,
            extra: self.extra,
            blobs: self.blobs,
            queries: None,
            data_dir: data_dir.path().to_path_buf(),
            _data: data_dir,
            db,
        };
        app.start().await;
        app
    }
}

/// A running Juri over its own database.
#[expect(missing_debug_implementations, reason = "holds closures and a router")]
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    store: Option<Store>,
    state: Option<AppState>,
    pub clock: Arc<TestClock>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<()>>,
    config_fn: Box<dyn FnOnce(&mut Config) + Send>,
    extra: Option<axum::Router<AppState>>,
    blobs: Option<Blobs>,
    /// Every statement the server runs, once [`TestApp::restart_counting_queries`].
    queries: Option<Arc<AtomicU64>>,
    pub data_dir: PathBuf,
    _data: tempfile::TempDir,
    pub db: TestDb,
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub email: String,
    pub password: String,
    pub access: String,
    pub refresh: String,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Assert this is a problem document with `status`, and return it.
    #[track_caller]
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(
            self.content_type(),
            "application/problem+json",
            "body: {}",
            self.text
        );
        assert_eq!(self.body["status"], status);
        assert!(self.body["type"].is_string());
        assert!(self.body["title"].is_string());
        assert!(self.body["detail"].is_string());
        // api.md "Language of answers": every field error has a stable code and a
        // message in one language.
        for e in self.body["errors"].as_array().into_iter().flatten() {
            assert!(
                e["code"].is_string(),
                "an error without a code: {}",
                self.text
            );
            assert!(e["message"].is_string(), "{}", self.text);
        }
        &self.body
    }

    /// The `field`s of a problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder {
            config: Box::new(|_| {}),
            extra: None,
            database_url: None,
            secret_from: None,
            blobs: None,
        }
    }

    pub async fn spawn() -> TestApp {
        Self::builder().spawn().await
    }

    pub fn store(&self) -> &Store {
        self.store.as_ref().expect("server running")
    }

    /// The running server's state (to call use cases directly, e.g. the demo).
    pub fn state(&self) -> &AppState {
        self.state.as_ref().expect("server running")
    }

    async fn start(&mut self) {
        let mut store = Store::connect(&self.db.url).await.expect("connect");
        if self.queries.is_some() {
            self.queries = Some(store.count_queries());
        }
        store.migrate().await.expect("migrate");
        // The same path as `juri serve`: the secret is made once in the data dir.
        let secret = juri_web::config::load_or_create_secret(&self.data_dir).expect("secret");
        let keys = Keyring::new(&secret, &[]).expect("keyring");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        self.addr = listener.local_addr().expect("addr");
        let mut config = Config::new(format!("http://{}", self.addr));
        let f = std::mem::replace(&mut self.config_fn, Box::new(|_| {}));
        f(&mut config);
        let limits = juri_web::ConnectionLimits::of(&config);
        let clock: Arc<dyn Clock> = self.clock.clone();
        let blobs = match &self.blobs {
            Some(b) => b.clone(),
            None => Blobs::local(&self.data_dir.join("files")).expect("blobs"),
        };
        let state = AppState::new(store.clone(), blobs, clock, keys, config).expect("state");
        juri_web::services::bootstrap::ensure_organiser(
            &state,
            Some(ORGANISER_EMAIL),
            Some(SecretString::from(ORGANISER_PASSWORD)),
        )
        .await
        .expect("first organiser");
        self.state = Some(state.clone());
        let app = juri_web::router(state, self.extra.clone());
        let (tx, rx) = oneshot::channel::<()>();
        self.shutdown = Some(tx);
        self.handle = Some(tokio::spawn(async move {
            let _ = juri_web::serve_with(listener, app, limits, async {
                let _ = rx.await;
            })
            .await;
        }));
        self.store = Some(store);
    }

    /// Stop the server gracefully and close its database pool.
    pub async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = h.await;
        }
        if let Some(s) = self.store.take() {
            let _ = s.close().await;
        }
    }

    /// Stop, then start again on the same database and data dir (a new port).
    pub async fn restart(&mut self) {
        self.stop().await;
        self.start().await;
    }

    /// Restart with every statement the server runs counted (tests of "a fixed number
    /// of queries per request"): the counter, which the test resets as it needs.
    pub async fn restart_counting_queries(&mut self) -> Arc<AtomicU64> {
        self.stop().await;
        self.queries = Some(Arc::new(AtomicU64::new(0)));
        self.start().await;
        self.queries.clone().expect("counting")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let res = req.send().await.expect("request sent");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body read");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        self.send(req).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    /// A GET without a token that sends one extra header (a language, a request id,
    /// a proxy's forwarding).
    pub async fn get_with_header(&self, path: &str, name: &str, value: &str) -> Reply {
        self.send(self.client.get(self.url(path)).header(name, value))
            .await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn register(&self, email: &str, password: &str, name: &str) -> Reply {
        self.post(
            "/api/v1/auth/register",
            None,
            json!({"email": email, "password": password, "name": name, "submitter_kind": "citizen"}),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/api/v1/auth/login",
            None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    #[track_caller]
    fn session_from(&self, reply: &Reply, email: &str, password: &str, id: String) -> Session {
        assert_eq!(reply.status, StatusCode::OK, "login: {}", reply.text);
        Session {
            id,
            email: email.to_owned(),
            password: password.to_owned(),
            access: reply.body["access_token"]
                .as_str()
                .expect("access")
                .to_owned(),
            refresh: reply.body["refresh_token"]
                .as_str()
                .expect("refresh")
                .to_owned(),
        }
    }

    /// Sign in again (after moving the clock past the access token's 15 minutes).
    pub async fn again(&self, s: &Session) -> Session {
        let l = self.login(&s.email, &s.password).await;
        self.session_from(&l, &s.email, &s.password, s.id.clone())
    }

    /// Sign up a citizen submitter and sign in.
    pub async fn submitter(&self, email: &str) -> Session {
        let password = "perahu kecil menuju pulau ketawai";
        let r = self.register(email, password, "Warga Sungailiat").await;
        assert_eq!(r.status, StatusCode::CREATED, "register: {}", r.text);
        let id = r.body["id"].as_str().expect("id").to_owned();
        let l = self.login(email, password).await;
        self.session_from(&l, email, password, id)
    }

    /// Sign in as the organiser made at start-up.
    pub async fn organiser(&self) -> Session {
        let l = self.login(ORGANISER_EMAIL, ORGANISER_PASSWORD).await;
        let me_access = l.body["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let me = self.get("/api/v1/me", Some(&me_access)).await;
        let id = me.body["id"].as_str().unwrap_or_default().to_owned();
        self.session_from(&l, ORGANISER_EMAIL, ORGANISER_PASSWORD, id)
    }

    /// An organiser invites a judge, who sets a password and signs in.
    pub async fn judge(&self, organiser: &Session, email: &str) -> Session {
        let password = "timah dan lada dari tanah sendiri".to_owned();
        let created = self
            .post(
                "/api/v1/users",
                Some(&organiser.access),
                json!({"email": email, "name": "Dr. Rahmat Hidayat", "role": "judge", "expertise": ["kesehatan"]}),
            )
            .await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "invite: {}",
            created.text
        );
        let token = created.body["invitation"]["token"].as_str().expect("token");
        let accepted = self
            .post(
                "/api/v1/auth/invitations/accept",
                None,
                json!({"token": token, "password": password}),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "accept: {}", accepted.text);
        let id = accepted.body["id"].as_str().expect("id").to_owned();
        let l = self.login(email, &password).await;
        self.session_from(&l, email, &password, id)
    }
}

/// An edition made for a test, with its default fields and tracks.
#[derive(Debug, Clone)]
pub struct TestEdition {
    pub id: String,
    /// Field ids in order (nine by default).
    pub fields: Vec<String>,
    /// Track ids: OPD, Pelajar, Masyarakat umum.
    pub tracks: Vec<String>,
}

impl TestEdition {
    pub fn citizen_track(&self) -> &str {
        &self.tracks[2]
    }
    pub fn opd_track(&self) -> &str {
        &self.tracks[0]
    }
}

/// The content of a complete entry, ready to submit.
pub fn complete_entry(edition: &TestEdition, title: &str) -> Value {
    json!({
        "title": title,
        "field_id": edition.fields[3],
        "track_id": edition.citizen_track(),
        "summary": "Layanan pesan singkat yang mengingatkan ibu hamil jadwal periksa.",
        "problem": "Banyak ibu hamil di desa terpencil melewatkan pemeriksaan.",
        "solution": "Pengingat otomatis lewat SMS dan WhatsApp dari puskesmas.",
        "how_it_works": "Bidan mencatat jadwal; sistem mengirim pengingat H-3 dan H-1.",
        "impact": "Kunjungan K4 naik dari 61% menjadi 83% dalam setahun.",
        "publication_consent": true
    })
}

impl TestApp {
    /// An edition whose submissions opened an hour ago and close in `days` days.
    pub async fn open_edition(&self, organiser: &Session, days: i64) -> TestEdition {
        let now = self.clock.now();
        self.edition_between(
            organiser,
            now - Duration::hours(1),
            now + Duration::days(days),
        )
        .await
    }

    /// An edition with the given submission window.
    pub async fn edition_between(
        &self,
        organiser: &Session,
        opens: DateTime<Utc>,
        closes: DateTime<Utc>,
    ) -> TestEdition {
        let r = self
            .post(
                "/api/v1/editions",
                Some(&organiser.access),
                json!({"name": "Bangka Innovation Awards 2026", "year": 2026,
                       "submission_opens_at": opens, "submission_closes_at": closes}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "edition: {}", r.text);
        let id = r.body["id"].as_str().expect("id").to_owned();
        self.test_edition(organiser, id).await
    }

    /// The ids of an edition's fields and tracks, in order.
    pub async fn test_edition(&self, organiser: &Session, id: String) -> TestEdition {
        let ids = |v: &Value| -> Vec<String> {
            v.as_array()
                .expect("list")
                .iter()
                .map(|x| x["id"].as_str().expect("id").to_owned())
                .collect()
        };
        let fields = self
            .get(
                &format!("/api/v1/editions/{id}/fields"),
                Some(&organiser.access),
            )
            .await;
        let tracks = self
            .get(
                &format!("/api/v1/editions/{id}/tracks"),
                Some(&organiser.access),
            )
            .await;
        TestEdition {
            id,
            fields: ids(&fields.body),
            tracks: ids(&tracks.body),
        }
    }

    /// An entry of Dinas Kesehatan in the OPD track, submitted by an officer of that
    /// agency who signs up for it: (entry id, agency id).
    pub async fn dinkes_entry(&self, edition: &TestEdition, title: &str) -> (String, String) {
        let orgs = self
            .get("/api/v1/organisations?q=dinas%20kesehatan", None)
            .await;
        let dinkes = orgs.body["items"][0]["id"]
            .as_str()
            .expect("dinkes")
            .to_owned();
        let password = "perahu kecil menuju pulau ketawai";
        let r = self
            .post(
                "/api/v1/auth/register",
                None,
                json!({"email": "opd@example.id", "password": password, "name": "Petugas Dinkes",
                       "submitter_kind": "opd", "organisation_id": dinkes}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let opd = self.login("opd@example.id", password).await;
        let opd = opd.body["access_token"].as_str().expect("token").to_owned();
        let mut body = complete_entry(edition, title);
        body["track_id"] = json!(edition.opd_track());
        let entry = self
            .post(
                &format!("/api/v1/editions/{}/entries", edition.id),
                Some(&opd),
                body,
            )
            .await;
        assert_eq!(entry.status, StatusCode::CREATED, "{}", entry.text);
        let entry = entry.body["id"].as_str().expect("entry").to_owned();
        let r = self
            .post(
                &format!("/api/v1/entries/{entry}/submit"),
                Some(&opd),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        (entry, dinkes)
    }

    /// Agencies added by `organiser` (kind dinas), one per name; their ids.
    pub async fn add_organisations(
        &self,
        organiser: &Session,
        names: impl IntoIterator<Item = String>,
    ) -> Vec<String> {
        let mut ids = Vec::new();
        for name in names {
            let r = self
                .post(
                    "/api/v1/organisations",
                    Some(&organiser.access),
                    json!({"name": name, "kind": "dinas"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            ids.push(r.body["id"].as_str().expect("id").to_owned());
        }
        ids
    }

    /// Screen `entries` eligible, put `judges` (user ids) on the edition's panel, and add
    /// a round with one criterion (0–10, one judge an entry); `extra` is merged into the
    /// round's body (`{"blind": true}`). The round as created.
    pub async fn round_for(
        &self,
        organiser: &Session,
        edition: &TestEdition,
        entries: &[&str],
        judges: &[&str],
        extra: Value,
    ) -> Value {
        for entry in entries {
            let r = self
                .post(
                    &format!("/api/v1/entries/{entry}/screening"),
                    Some(&organiser.access),
                    json!({"eligible": true}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "screening: {}", r.text);
        }
        for judge in judges {
            let r = self
                .post(
                    &format!("/api/v1/editions/{}/judges", edition.id),
                    Some(&organiser.access),
                    json!({"judge_id": judge}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "panel: {}", r.text);
        }
        let mut body = json!({"name": "Evaluasi", "position": 1, "judges_per_entry": 1,
            "rubric": {"criteria": [{"name": "Nilai", "weight": 1, "min": 0, "max": 10}]}});
        if let (Some(b), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(extra.clone());
        }
        let round = self
            .post(
                &format!("/api/v1/editions/{}/rounds", edition.id),
                Some(&organiser.access),
                body,
            )
            .await;
        assert_eq!(round.status, StatusCode::CREATED, "round: {}", round.text);
        round.body
    }

    /// Save `sheet` on the judge's assignment and submit it.
    pub async fn submit_sheet(&self, judge: &Session, assignment: &str, sheet: Value) {
        let r = self
            .call(
                Method::PUT,
                &format!("/api/v1/assignments/{assignment}/sheet"),
                Some(&judge.access),
                Some(sheet),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "save: {}", r.text);
        let r = self
            .post(
                &format!("/api/v1/assignments/{assignment}/sheet/submit"),
                Some(&judge.access),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "submit: {}", r.text);
    }

    /// A new draft by `submitter`; returns its id.
    pub async fn draft(&self, submitter: &Session, edition: &TestEdition, title: &str) -> String {
        let r = self
            .post(
                &format!("/api/v1/editions/{}/entries", edition.id),
                Some(&submitter.access),
                complete_entry(edition, title),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "draft: {}", r.text);
        r.body["id"].as_str().expect("id").to_owned()
    }

    /// Upload `bytes` as `name` to an entry.
    pub async fn upload(&self, token: &str, entry: &str, name: &str, bytes: Vec<u8>) -> Reply {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str("application/pdf")
            .expect("mime");
        let form = reqwest::multipart::Form::new().part("file", part);
        self.send(
            self.client
                .post(self.url(&format!("/api/v1/entries/{entry}/attachments")))
                .bearer_auth(token)
                .multipart(form),
        )
        .await
    }
}

/// A small but real PDF.
pub fn tiny_pdf() -> Vec<u8> {
    pdf_by(None)
}

/// A small, well-formed PDF (cross-reference table and all) with one page that says
/// "Posyandu Digital", and, with `author`, an Info dictionary naming them as Author,
/// Creator and in the Title — what a submitter's word processor leaves in a file.
pub fn pdf_by(author: Option<&str>) -> Vec<u8> {
    let content = "BT /F1 18 Tf 20 100 Td (Posyandu Digital) Tj ET";
    let mut objects = vec![
        "<</Type/Catalog/Pages 2 0 R>>".to_owned(),
        "<</Type/Pages/Kids[3 0 R]/Count 1>>".to_owned(),
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>".to_owned(),
        format!("<</Length {}>>\nstream\n{content}\nendstream", content.len()),
        "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>".to_owned(),
    ];
    if let Some(a) = author {
        objects.push(format!(
            "<</Author({a})/Creator(Dinas Kesehatan - {a})/Title(Proposal {a})>>"
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    let info = if author.is_some() {
        format!("/Info {} 0 R", objects.len())
    } else {
        String::new()
    };
    out.extend_from_slice(
        format!(
            "trailer\n<</Size {}/Root 1 0 R{info}>>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Judging set-up shared by the judging and results tests.
#[expect(missing_debug_implementations, reason = "holds a TestApp")]
/// An edition past its deadline with `n` eligible entries (citizen track, field 3; the
/// first with the file `proposal-0.pdf`),
/// `judges` judges on the panel (expert in field 3 for the first half), and one round.
pub struct Fixture {
    pub app: TestApp,
    pub org: Session,
    pub subs: Vec<Session>,
    pub judges: Vec<Session>,
    pub ed: TestEdition,
    pub entries: Vec<String>,
    pub round: Value,
}

impl Fixture {
    pub fn round_id(&self) -> String {
        self.round["id"].as_str().expect("round id").to_owned()
    }

    pub fn criteria(&self) -> Vec<(String, i64, i64)> {
        self.round["rubric"]["criteria"]
            .as_array()
            .expect("criteria")
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().expect("id").to_owned(),
                    c["min"].as_i64().expect("min"),
                    c["max"].as_i64().expect("max"),
                )
            })
            .collect()
    }

    /// Every criterion at `value` (clamped into its scale).
    pub fn full_sheet(&self, value: i64) -> Value {
        let scores: Vec<Value> = self
            .criteria()
            .iter()
            .map(|(id, min, max)| json!({"criterion_id": id, "value": value.clamp(*min, *max)}))
            .collect();
        json!({"scores": scores})
    }

    /// The id of the judge's first assignment.
    pub async fn first_assignment_of(&self, judge: &Session) -> String {
        self.assignments_of(judge).await[0]["id"]
            .as_str()
            .expect("an assignment id")
            .to_owned()
    }

    pub async fn assignments_of(&self, judge: &Session) -> Vec<Value> {
        let r = self
            .app
            .get("/api/v1/me/assignments", Some(&judge.access))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.body.as_array().expect("list").clone()
    }

    pub async fn auto(&self) -> Reply {
        self.app
            .post(
                &format!("/api/v1/rounds/{}/assignments/auto", self.round_id()),
                Some(&self.org.access),
                json!({}),
            )
            .await
    }
}

pub async fn fixture(n: usize, judges: usize, k: u32, extra_round: Value) -> Fixture {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let mut subs = Vec::new();
    let mut entries = Vec::new();
    for i in 0..n {
        let s = app.submitter(&format!("peserta{i}@example.id")).await;
        let id = app.draft(&s, &ed, &format!("Inovasi nomor {i}")).await;
        if i == 0 {
            // The first entry has a file, for the judges' views of it.
            let up = app
                .upload(&s.access, &id, "proposal-0.pdf", tiny_pdf())
                .await;
            assert_eq!(up.status, StatusCode::CREATED, "{}", up.text);
        }
        let r = app
            .post(
                &format!("/api/v1/entries/{id}/submit"),
                Some(&s.access),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        subs.push(s);
        entries.push(id);
    }
    let mut js = Vec::new();
    for i in 0..judges {
        js.push(app.judge(&org, &format!("juri{i}@example.id")).await);
    }
    app.clock.advance(Duration::days(11));
    let org = app.again(&org).await;
    let subs = {
        let mut out = Vec::new();
        for s in &subs {
            out.push(app.again(s).await);
        }
        out
    };
    let js = {
        let mut out = Vec::new();
        for j in &js {
            out.push(app.again(j).await);
        }
        out
    };
    for id in &entries {
        let r = app
            .post(
                &format!("/api/v1/entries/{id}/screening"),
                Some(&org.access),
                json!({"eligible": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    for (i, j) in js.iter().enumerate() {
        let expertise = if i < judges / 2 {
            json!([ed.fields[3]])
        } else {
            json!([ed.fields[0]])
        };
        let r = app
            .post(
                &format!("/api/v1/editions/{}/judges", ed.id),
                Some(&org.access),
                json!({"judge_id": j.id, "expertise": expertise}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let mut body = json!({
        "name": "Evaluasi Dokumen",
        "position": 1,
        "judges_per_entry": k,
        "rubric": {"criteria": [
            {"name": "Kebaruan", "description": "1: sudah umum; 10: belum pernah ada", "weight": 30, "min": 1, "max": 10},
            {"name": "Efektivitas", "description": "Bukti hasil", "weight": 50, "min": 1, "max": 10},
            {"name": "Keberlanjutan", "weight": 20, "min": 0, "max": 4}
        ]}
    });
    if let (Some(b), Some(extra)) = (body.as_object_mut(), extra_round.as_object()) {
        for (k, v) in extra {
            b.insert(k.clone(), v.clone());
        }
    }
    let round = app
        .post(
            &format!("/api/v1/editions/{}/rounds", ed.id),
            Some(&org.access),
            body,
        )
        .await;
    assert_eq!(round.status, StatusCode::CREATED, "{}", round.text);
    Fixture {
        round: round.body.clone(),
        app,
        org,
        subs,
        judges: js,
        ed,
        entries,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.abort();
        }
    }
}

/// The sentences of `lang`'s catalogue that the other language words differently:
/// any of them on a page of the other language is a text left untranslated.
pub fn sentences_only_in(lang: juri_text::Language) -> Vec<&'static str> {
    let (mine, theirs) = match lang {
        juri_text::Language::Id => (juri_text::ID, juri_text::EN),
        juri_text::Language::En => (juri_text::EN, juri_text::ID),
    };
    mine.iter()
        // The default fields' names are data an edition starts with (shown as stored,
        // whatever the page's language), kept in the catalogue only for the search.
        .filter(|(key, _)| !key.starts_with("default_field."))
        .filter(|(key, t)| {
            let other = theirs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, t)| *t)
                .unwrap_or_default();
            t.chars().count() >= 16 && t.contains(' ') && !t.contains('{') && *t != other
        })
        .map(|(_, t)| *t)
        .collect()
}
