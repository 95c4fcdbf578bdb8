//! Per-client rate limits on sign-up, token refresh and uploads: the request past the
//! limit gets 429 with `Retry-After`, writes nothing, and another client is not
//! affected. The tests' second client speaks from 127.0.0.2.

use chrono::Duration;
use juri_domain::throttle::FailureLimit;
use juri_tests::{TestApp, tiny_pdf};
use reqwest::StatusCode;
use serde_json::json;
use std::net::{IpAddr, Ipv4Addr};

fn other_client() -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)))
        .build()
        .expect("client")
}

fn two_per(window: Duration) -> FailureLimit {
    FailureLimit {
        max_failures: 2,
        window,
    }
}

const PASSWORD: &str = "perahu kecil menuju pulau ketawai";

fn registration(email: &str) -> serde_json::Value {
    json!({"email": email, "password": PASSWORD, "name": "Warga Belinyu", "submitter_kind": "citizen"})
}

#[tokio::test]
async fn sign_up_past_the_client_limit_is_refused_and_writes_nothing() {
    let app = TestApp::builder()
        .config(|c| c.sign_up_per_client = two_per(Duration::hours(1)))
        .spawn()
        .await;
    for i in 0..2 {
        let r = app
            .post(
                "/api/v1/auth/register",
                None,
                registration(&format!("w{i}@example.id")),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let users = app.store().count_users().await.expect("count");
    let refused = app
        .post(
            "/api/v1/auth/register",
            None,
            registration("ketiga@example.id"),
        )
        .await;
    refused.problem(429);
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!(wait > 0 && wait <= 3600, "{wait}");
    assert_eq!(app.store().count_users().await.expect("count"), users);
    app.login("ketiga@example.id", PASSWORD).await.problem(401);

    // Another address signs up freely.
    let other = app
        .send(
            other_client()
                .post(app.url("/api/v1/auth/register"))
                .json(&registration("tetangga@example.id")),
        )
        .await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.text);

    // The window moves on.
    app.clock.advance(Duration::hours(1) + Duration::seconds(1));
    let later = app
        .post(
            "/api/v1/auth/register",
            None,
            registration("ketiga@example.id"),
        )
        .await;
    assert_eq!(later.status, StatusCode::CREATED, "{}", later.text);
}

#[tokio::test]
async fn refresh_past_the_client_limit_is_refused_and_leaves_the_token_unused() {
    let app = TestApp::builder()
        .config(|c| c.refresh_per_client = two_per(Duration::minutes(1)))
        .spawn()
        .await;
    let s = app.submitter("warga@example.id").await;
    let mut refresh = s.refresh.clone();
    for _ in 0..2 {
        let r = app
            .post(
                "/api/v1/auth/refresh",
                None,
                json!({"refresh_token": refresh}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        refresh = r.body["refresh_token"].as_str().expect("token").to_owned();
    }
    let refused = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": refresh}),
        )
        .await;
    refused.problem(429);
    assert!(refused.headers.contains_key("retry-after"));
    // The refused request did not use the token up: another client may still use it
    // (had it been marked used, this would be a reuse, refused with 401).
    let other = app
        .send(
            other_client()
                .post(app.url("/api/v1/auth/refresh"))
                .json(&json!({"refresh_token": refresh})),
        )
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text);
}

#[tokio::test]
async fn uploads_past_the_client_limit_are_refused_and_store_nothing() {
    let app = TestApp::builder()
        .config(|c| {
            c.upload_per_client = FailureLimit {
                max_failures: 1,
                window: Duration::minutes(1),
            }
        })
        .spawn()
        .await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let s = app.submitter("warga@example.id").await;
    let entry = app.draft(&s, &ed, "Pengingat posyandu").await;
    let first = app
        .upload(&s.access, &entry, "proposal.pdf", tiny_pdf())
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let blobs = app.state().blobs.count().await.expect("count");

    let mut second = tiny_pdf();
    second.extend_from_slice(b"% versi kedua\n");
    let refused = app
        .upload(&s.access, &entry, "proposal-2.pdf", second.clone())
        .await;
    refused.problem(429);
    assert_eq!(app.state().blobs.count().await.expect("count"), blobs);
    let list = app
        .get(
            &format!("/api/v1/entries/{entry}/attachments"),
            Some(&s.access),
        )
        .await;
    assert_eq!(list.body.as_array().map(Vec::len), Some(1), "{}", list.text);

    let part = reqwest::multipart::Part::bytes(second)
        .file_name("proposal-2.pdf")
        .mime_str("application/pdf")
        .expect("mime");
    let other = app
        .send(
            other_client()
                .post(app.url(&format!("/api/v1/entries/{entry}/attachments")))
                .bearer_auth(&s.access)
                .multipart(reqwest::multipart::Form::new().part("file", part)),
        )
        .await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.text);
}

#[tokio::test]
async fn a_catalogue_search_is_bounded_in_words_and_length() {
    let app = TestApp::spawn().await;
    // Repeated and contained words count once: this is one word, searched as such.
    let repeated = vec!["a"; 99].join("+");
    let r = app
        .get(&format!("/api/v1/public/innovations?q={repeated}"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Five different words, or more than 200 characters: 422 naming q, on both doors.
    let five = "lada+timah+pantai+sampah+posyandu";
    let long = vec!["a"; 2_000].join("+");
    for q in [five, long.as_str()] {
        let r = app
            .get(&format!("/api/v1/public/innovations?q={q}"), None)
            .await;
        r.problem(422);
        assert_eq!(r.error_fields(), ["q"], "{}", r.text);
        let page = app
            .send(app.client.get(app.url(&format!("/katalog?q={q}"))))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let four = "lada+timah+pantai+sampah";
    let r = app
        .get(&format!("/api/v1/public/innovations?q={four}"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn a_client_that_never_finishes_its_header_is_dropped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::builder()
        .config(|c| c.header_read_timeout = std::time::Duration::from_secs(1))
        .spawn()
        .await;
    let mut slow = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: juri\r\nX-Slow: 1")
        .await
        .expect("write");
    // The server closes it (an answer, if any, then end of stream) well before this
    // guard: its timeout is one second.
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        slow.read_to_end(&mut rest),
    )
    .await;
    assert!(closed.is_ok(), "the slow connection is still open");
    // Everyone else is served as usual.
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn connections_past_the_limit_wait_until_one_closes() {
    let app = TestApp::builder()
        .config(|c| c.max_connections = 2)
        .spawn()
        .await;
    let idle_a = tokio::net::TcpStream::connect(app.addr).await.expect("a");
    let _idle_b = tokio::net::TcpStream::connect(app.addr).await.expect("b");
    let fresh = || {
        reqwest::Client::builder()
            .timeout(std::time::Duration::from_millis(1500))
            .build()
            .expect("client")
    };
    // Both connections are taken: a third is not served.
    let third = fresh().get(app.url("/healthz")).send().await;
    assert!(third.is_err(), "served past the limit: {third:?}");
    drop(idle_a);
    let mut served = None;
    for _ in 0..20 {
        if let Ok(r) = fresh().get(app.url("/healthz")).send().await {
            served = Some(r.status());
            break;
        }
    }
    assert_eq!(served, Some(StatusCode::OK));
}

#[tokio::test]
async fn the_sixth_automatic_assignment_in_a_minute_is_429_and_changes_nothing() {
    let f = juri_tests::fixture(2, 2, 1, json!({})).await;
    for i in 1..=5 {
        let r = f.auto().await;
        assert_eq!(r.status, StatusCode::OK, "run {i}: {}", r.text);
    }
    let r = f.auto().await;
    r.problem(429);
    assert!(r.headers.contains_key("retry-after"));
    // The page's button shares the same budget.
    let page = f
        .app
        .send(
            f.app
                .client
                .post(
                    f.app
                        .url(&format!("/panitia/babak/{}/otomatis", f.round_id())),
                )
                .header("cookie", format!("juri_akses={}", f.org.access))
                .header("origin", f.app.url("")),
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{}", page.text);
    f.app.clock.advance(Duration::seconds(61));
    let org = f.app.again(&f.org).await;
    let r = f
        .app
        .post(
            &format!("/api/v1/rounds/{}/assignments/auto", f.round_id()),
            Some(&org.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}
