//! Scale-out and failure, on PostgreSQL (skipped on SQLite, which one server owns):
//! two servers on one database behave as one service, and a lost database gives 503
//! problem documents and a failing `/readyz` until it returns, without a restart.

use juri_tests::{TestApp, TestDb, fixture};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

fn skip_on_sqlite(test: &str) -> bool {
    if TestDb::on_postgres() {
        return false;
    }
    eprintln!("{test}: skipped on SQLite (needs PostgreSQL: set JURI_TEST_DATABASE_URL)");
    true
}

/// A TCP proxy between the server and PostgreSQL that the test can cut and restore.
struct Proxy {
    addr: SocketAddr,
    open: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let open = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (o, l) = (open.clone(), links.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !o.load(Ordering::SeqCst) {
                    // Cut: the connection is closed at once, as by a dead host.
                    drop(inbound);
                    continue;
                }
                let upstream = upstream.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut out) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
                l.lock().expect("links").push(link);
            }
        });
        Proxy {
            addr,
            open,
            links,
            accept,
        }
    }

    /// The database goes away: open connections break, new ones are refused.
    fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        for link in self.links.lock().expect("links").drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}

/// `postgres://user@host:port/db` → (`host:port`, the URL with `proxy` as host:port).
fn through(url: &str, proxy: SocketAddr) -> (String, String) {
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let (userinfo, hostpath) = match rest.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), rest),
    };
    let (host, path) = hostpath.split_once('/').expect("path");
    (
        host.to_owned(),
        format!("{scheme}://{userinfo}{proxy}/{path}"),
    )
}

#[tokio::test]
async fn a_lost_database_gives_503_and_juri_recovers_when_it_returns() {
    if skip_on_sqlite("a_lost_database_gives_503_and_juri_recovers_when_it_returns") {
        return;
    }
    let db = TestDb::new().await;
    let (upstream, _) = through(&db.url, "127.0.0.1:1".parse().expect("addr"));
    let proxy = Proxy::start(upstream).await;
    let (_, proxied) = through(&db.url, proxy.addr);
    let app = TestApp::builder().database_url(proxied).spawn().await;
    let org = app.organiser().await;
    assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);

    proxy.cut();
    app.get("/api/v1/me", Some(&org.access)).await.problem(503);
    let write = app
        .post(
            "/api/v1/organisations",
            Some(&org.access),
            json!({"name": "Dinas Baru", "kind": "dinas"}),
        )
        .await;
    let problem = write.problem(503);
    assert!(problem["request_id"].is_string());
    assert!(write.headers.contains_key("retry-after"));
    app.get("/api/v1/organisations", None).await.problem(503);
    app.get("/readyz", None).await.problem(503);
    assert_eq!(
        app.get("/healthz", None).await.status,
        StatusCode::OK,
        "the process itself is alive"
    );

    proxy.restore();
    assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
    let me = app.get("/api/v1/me", Some(&org.access)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    let write = app
        .post(
            "/api/v1/organisations",
            Some(&org.access),
            json!({"name": "Dinas Baru", "kind": "dinas"}),
        )
        .await;
    assert_eq!(write.status, StatusCode::CREATED, "{}", write.text);
    drop(app);
    drop(db);
}

#[tokio::test]
async fn two_servers_share_one_sign_in_budget() {
    if skip_on_sqlite("two_servers_share_one_sign_in_budget") {
        return;
    }
    let a = TestApp::spawn().await;
    a.submitter("target@example.id").await;
    let b = TestApp::builder()
        .database_url(a.db.url.clone())
        .same_secret_as(&a)
        .spawn()
        .await;
    // Ten wrong guesses spread over both servers use up the account's one budget.
    for i in 0..10 {
        let server = if i % 2 == 0 { &a } else { &b };
        let r = server
            .login("target@example.id", "tebakan yang salah sekali")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "guess {i}: {}", r.text);
    }
    for server in [&a, &b] {
        let r = server
            .login("target@example.id", "tebakan yang salah sekali")
            .await;
        r.problem(429);
        assert!(r.headers.contains_key("retry-after"));
    }
}

#[tokio::test]
async fn two_servers_on_one_database_act_as_one() {
    if skip_on_sqlite("two_servers_on_one_database_act_as_one") {
        return;
    }
    let f = fixture(1, 1, 1, json!({})).await;
    f.auto().await;
    let a = &f.app;
    let b = TestApp::builder()
        .database_url(a.db.url.clone())
        .same_secret_as(a)
        .spawn()
        .await;
    // The fixture moved A's clock past the deadline; B runs on the same time.
    b.clock.advance(chrono::Duration::days(11));

    // An access token issued by A works on B.
    let judge = &f.judges[0];
    let me = b.get("/api/v1/me", Some(&judge.access)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["id"], judge.id.as_str());

    // A refresh token rotated on A is spent on B too (and its reuse revokes the family).
    let s = &f.subs[0];
    let rotated = a
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.text);
    b.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": s.refresh}),
    )
    .await
    .problem(401);
    let successor = rotated.body["refresh_token"].as_str().expect("token");
    a.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": successor}),
    )
    .await
    .problem(401);

    // Versioned saves of one sheet through both servers: each save is 200 or 409
    // (stale); no 200 is lost, and the sheet ends as the last 200 left it.
    let aid = f.first_assignment_of(judge).await;
    let path = format!("/api/v1/assignments/{aid}");
    let servers = [a.url(""), b.url("")];
    let mut tasks = Vec::new();
    for t in 0..4 {
        let client = a.client.clone();
        let token = judge.access.clone();
        let servers = servers.clone();
        let path = path.clone();
        let scores = f.full_sheet(5)["scores"].clone();
        tasks.push(tokio::spawn(async move {
            let mut saved: Vec<(i64, String)> = Vec::new();
            let mut attempt = 0;
            while saved.len() < 3 {
                attempt += 1;
                assert!(attempt < 200, "too many conflicts");
                let base = &servers[(t + attempt) % 2];
                let view = client
                    .get(format!("{base}{path}"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("view");
                assert_eq!(view.status(), StatusCode::OK);
                let version =
                    view.json::<serde_json::Value>().await.expect("json")["sheet"]["version"]
                        .as_i64()
                        .expect("version");
                let comment = format!("tugas {t}, simpanan {}", saved.len());
                let other = &servers[(t + attempt + 1) % 2];
                let res = client
                    .request(Method::PUT, format!("{other}{path}/sheet"))
                    .bearer_auth(&token)
                    .header("if-match", format!("\"{version}\""))
                    .json(&json!({"scores": scores, "comment": comment}))
                    .send()
                    .await
                    .expect("save");
                match res.status() {
                    StatusCode::OK => {
                        let body: serde_json::Value = res.json().await.expect("json");
                        let v = body["sheet"]["version"].as_i64().expect("version");
                        assert_eq!(v, version + 1);
                        saved.push((v, comment));
                    }
                    StatusCode::CONFLICT => {}
                    other => panic!("save through {base}: {other}"),
                }
            }
            saved
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    all.sort();
    let versions: Vec<i64> = all.iter().map(|(v, _)| *v).collect();
    let first = versions[0];
    assert_eq!(
        versions,
        (first..first + 12).collect::<Vec<_>>(),
        "every 200 moved the version by one: no save was lost"
    );
    let last = b.get(&path, Some(&judge.access)).await;
    assert_eq!(last.body["sheet"]["version"], versions[11]);
    assert_eq!(last.body["sheet"]["comment"], all[11].1.as_str());
}
