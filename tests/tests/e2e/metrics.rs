//! `/metrics`: Prometheus text with a counter and a latency histogram per matched
//! route, and the database pool; a bearer token when one is configured.

use juri_tests::TestApp;
use reqwest::StatusCode;
use secrecy::SecretString;

#[tokio::test]
async fn a_request_shows_up_in_the_counter_of_its_route() {
    let app = TestApp::spawn().await;
    for _ in 0..2 {
        let r = app.get("/api/v1/organisations", None).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    app.get(
        "/api/v1/organisations/0191a2b3-0000-7000-8000-000000000000",
        None,
    )
    .await
    .problem(404);
    let m = app.get("/metrics", None).await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.text);
    assert!(
        m.content_type().starts_with("text/plain"),
        "{}",
        m.content_type()
    );
    let text = &m.text;
    assert!(
        text.contains(
            r#"juri_http_requests_total{method="GET",route="/api/v1/organisations",status="2xx"} 2"#
        ),
        "{text}"
    );
    // The route pattern, never the id: the number of series stays bounded.
    assert!(
        text.contains(
            r#"juri_http_requests_total{method="GET",route="/api/v1/organisations/{id}",status="4xx"} 1"#
        ),
        "{text}"
    );
    assert!(!text.contains("0191a2b3"), "{text}");
    assert!(
        text.contains(r#"juri_http_request_duration_seconds_count{method="GET",route="/api/v1/organisations",status="2xx"} 2"#),
        "{text}"
    );
    assert!(text.contains("juri_http_request_duration_seconds_bucket{"));
    for gauge in [
        "juri_db_pool_connections ",
        "juri_db_pool_idle_connections ",
        "juri_db_pool_max_connections ",
    ] {
        assert!(text.contains(gauge), "{gauge} missing: {text}");
    }
    assert!(!text.contains("juri_db_pool_max_connections 0"), "{text}");
}

#[tokio::test]
async fn with_a_token_configured_metrics_need_it() {
    let token = "token-pemantauan-yang-panjang-sekali";
    let app = TestApp::builder()
        .config(move |c| c.metrics_token = Some(SecretString::from(token)))
        .spawn()
        .await;
    app.get("/metrics", None).await.problem(401);
    app.get("/metrics", Some("token-yang-salah"))
        .await
        .problem(401);
    let ok = app.get("/metrics", Some(token)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert!(ok.text.contains("juri_http_requests_total"));
}

#[tokio::test]
async fn without_a_token_metrics_are_hidden_from_requests_through_a_proxy() {
    let app = TestApp::spawn().await;
    // A local proxy forwards requests from anywhere: they must not see /metrics.
    let forwarded = app
        .get_with_header("/metrics", "x-forwarded-for", "203.0.113.9")
        .await;
    forwarded.problem(404);
    assert_eq!(app.get("/metrics", None).await.status, StatusCode::OK);
}
