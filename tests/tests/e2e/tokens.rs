//! Access tokens (RFC 8725) and refresh tokens (RFC 9700): each way a token can be
//! wrong gets 401; rotation, reuse detection, logout, restarts.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use juri_tests::{Session, TestApp};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::{Value, json};

fn secret(app: &TestApp) -> String {
    std::fs::read_to_string(app.data_dir.join("jwt-secret")).expect("secret kept in the data dir")
}

/// The claims the server put in `token`, decoded without checking.
fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json")
}

/// Sign `claims` with the server's own key, with header tweaks.
fn forge(app: &TestApp, claims: &Value, tweak: impl FnOnce(&mut Header)) -> String {
    let secret = secret(app);
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some("at+jwt".into());
    header.kid = Some(juri_web::keys::kid_for(&SecretString::from(secret.clone())));
    tweak(&mut header);
    let key = EncodingKey::from_secret(secret.as_bytes()).expect("key");
    jsonwebtoken::encode(&header, claims, &key).expect("encode")
}

async fn me_status(app: &TestApp, token: &str) -> u16 {
    let r = app.get("/api/v1/me", Some(token)).await;
    if r.status != StatusCode::OK {
        r.problem(r.status.as_u16());
    }
    r.status.as_u16()
}

async fn setup() -> (TestApp, Session) {
    let app = TestApp::spawn().await;
    let s = app.submitter("token@example.id").await;
    (app, s)
}

#[tokio::test]
async fn a_token_forged_with_our_key_but_the_same_claims_is_accepted() {
    // The control for the tests below: our forging reproduces a valid token.
    let (app, s) = setup().await;
    let claims = claims_of(&s.access);
    assert_eq!(me_status(&app, &forge(&app, &claims, |_| {})).await, 200);
    for claim in [
        "sub", "role", "iat", "nbf", "exp", "iss", "aud", "jti", "ver",
    ] {
        assert!(claims.get(claim).is_some(), "claim {claim} is issued");
    }
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(s.access.split('.').next().expect("header"))
            .expect("b64"),
    )
    .expect("json");
    assert_eq!(header["alg"], "HS256");
    assert_eq!(header["typ"], "at+jwt");
    assert!(header["kid"].is_string());
}

#[tokio::test]
async fn every_malformed_or_foreign_token_is_401() {
    let (app, s) = setup().await;
    let claims = claims_of(&s.access);
    let with = |k: &str, v: Value| {
        let mut c = claims.clone();
        c[k] = v;
        c
    };
    let without = |k: &str| {
        let mut c = claims.clone();
        c.as_object_mut().map(|o| o.remove(k));
        c
    };
    let now = chrono::Utc::now().timestamp();

    // alg: none, unsigned.
    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"at+jwt"}"#);
    let body = s.access.split('.').nth(1).expect("payload");
    let alg_none = format!("{none_header}.{body}.");
    // Tampered: the payload changed (role upgraded), the signature kept.
    let parts: Vec<&str> = s.access.split('.').collect();
    let upgraded = URL_SAFE_NO_PAD.encode(with("role", json!("organiser")).to_string());
    let tampered = format!("{}.{}.{}", parts[0], upgraded, parts[2]);

    let cases: Vec<(&str, String)> = vec![
        ("alg none", alg_none),
        ("tampered payload", tampered),
        ("garbage", "not.a.jwt".into()),
        ("HS512", forge(&app, &claims, |h| h.alg = Algorithm::HS512)),
        (
            "unknown kid",
            forge(&app, &claims, |h| h.kid = Some("0000000000000000".into())),
        ),
        ("no kid", forge(&app, &claims, |h| h.kid = None)),
        (
            "wrong typ",
            forge(&app, &claims, |h| h.typ = Some("JWT".into())),
        ),
        (
            "jku header",
            forge(&app, &claims, |h| {
                h.jku = Some("http://127.0.0.1:1/keys".into())
            }),
        ),
        (
            "expired",
            forge(&app, &with("exp", json!(now - 60)), |_| {}),
        ),
        (
            "nbf in the future",
            forge(&app, &with("nbf", json!(now + 600)), |_| {}),
        ),
        (
            "wrong issuer",
            forge(&app, &with("iss", json!("evil")), |_| {}),
        ),
        (
            "wrong audience",
            forge(&app, &with("aud", json!("other-api")), |_| {}),
        ),
        (
            "audience as a list",
            forge(&app, &with("aud", json!(["juri-api", "x"])), |_| {}),
        ),
        ("missing aud", forge(&app, &without("aud"), |_| {})),
        ("missing exp", forge(&app, &without("exp"), |_| {})),
        ("missing nbf", forge(&app, &without("nbf"), |_| {})),
        ("missing jti", forge(&app, &without("jti"), |_| {})),
        ("missing ver", forge(&app, &without("ver"), |_| {})),
        (
            "old token version",
            forge(&app, &with("ver", json!(-1)), |_| {}),
        ),
        (
            "another role than the account's",
            forge(&app, &with("role", json!("organiser")), |_| {}),
        ),
        (
            "unknown subject",
            forge(
                &app,
                &with("sub", json!(uuid::Uuid::now_v7().to_string())),
                |_| {},
            ),
        ),
        (
            "30-day lifetime",
            forge(&app, &with("exp", json!(now + 30 * 86400)), |_| {}),
        ),
        ("the refresh token", s.refresh.clone()),
    ];
    for (what, token) in cases {
        assert_eq!(me_status(&app, &token).await, 401, "{what}");
    }
    // A token signed with another secret entirely.
    let other =
        EncodingKey::from_secret(b"another secret that is long enough to sign").expect("key");
    let mut h = Header::new(Algorithm::HS256);
    h.typ = Some("at+jwt".into());
    h.kid = Some(juri_web::keys::kid_for(&SecretString::from(secret(&app))));
    let foreign = jsonwebtoken::encode(&h, &claims, &other).expect("encode");
    assert_eq!(me_status(&app, &foreign).await, 401, "foreign signature");
    // Without a token, or with another scheme.
    app.get("/api/v1/me", None).await.problem(401);
    let basic = app
        .send(
            app.client
                .get(app.url("/api/v1/me"))
                .basic_auth("a", Some("b")),
        )
        .await;
    basic.problem(401);
    // The original still works: nothing above revoked it.
    assert_eq!(me_status(&app, &s.access).await, 200);
}

#[tokio::test]
async fn access_tokens_expire_after_fifteen_minutes() {
    let (app, s) = setup().await;
    app.clock.advance(chrono::Duration::minutes(14));
    assert_eq!(me_status(&app, &s.access).await, 200);
    app.clock
        .advance(chrono::Duration::minutes(1) + chrono::Duration::seconds(6));
    assert_eq!(me_status(&app, &s.access).await, 401);
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let (app, s) = setup().await;
    let first = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let second_refresh = first.body["refresh_token"]
        .as_str()
        .expect("new refresh")
        .to_owned();
    assert_ne!(second_refresh, s.refresh);
    let new_access = first.body["access_token"].as_str().expect("access");
    assert_eq!(me_status(&app, new_access).await, 200);

    // The old refresh token again: reuse. Refused, and the family is revoked.
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": s.refresh}),
    )
    .await
    .problem(401);
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": second_refresh}),
    )
    .await
    .problem(401);
    // Another sign-in (another family) is unaffected.
    let other = app.login(&s.email, &s.password).await;
    let other_refresh = other.body["refresh_token"].as_str().expect("refresh");
    let r = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": other_refresh}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // Unknown tokens are simply refused.
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": "nonsense"}),
    )
    .await
    .problem(401);
}

#[tokio::test]
async fn refresh_tokens_expire_after_thirty_days() {
    let (app, s) = setup().await;
    app.clock
        .advance(chrono::Duration::days(30) + chrono::Duration::seconds(1));
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": s.refresh}),
    )
    .await
    .problem(401);
}

#[tokio::test]
async fn logout_revokes_the_access_token_and_the_refresh_family() {
    let (app, s) = setup().await;
    let r = app
        .post(
            "/api/v1/auth/logout",
            Some(&s.access),
            json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(me_status(&app, &s.access).await, 401);
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": s.refresh}),
    )
    .await
    .problem(401);
    // Signing in again works and gives a working token.
    let again = app.login(&s.email, &s.password).await;
    assert_eq!(
        me_status(&app, again.body["access_token"].as_str().expect("access")).await,
        200
    );
    // Logout needs a signed-in caller; an empty body is fine.
    app.call(reqwest::Method::POST, "/api/v1/auth/logout", None, None)
        .await
        .problem(401);
    let empty = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/logout",
            again.body["access_token"].as_str(),
            None,
        )
        .await;
    assert_eq!(empty.status, StatusCode::NO_CONTENT, "{}", empty.text);
}

#[tokio::test]
async fn logout_without_a_token_signs_out_everywhere() {
    let (app, s) = setup().await;
    // Two devices: the first sign-in (s) and a phone.
    let phone = app.login(&s.email, &s.password).await;
    let phone_refresh = phone.body["refresh_token"].as_str().expect("refresh");
    let r = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/logout",
            Some(&s.access),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    for refresh in [s.refresh.as_str(), phone_refresh] {
        app.post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": refresh}),
        )
        .await
        .problem(401);
    }
    assert_eq!(
        me_status(&app, phone.body["access_token"].as_str().expect("access")).await,
        401
    );
}

#[tokio::test]
async fn logout_with_a_token_ends_only_that_device() {
    let (app, s) = setup().await;
    let phone = app.login(&s.email, &s.password).await;
    let phone_refresh = phone.body["refresh_token"].as_str().expect("refresh");
    let r = app
        .post(
            "/api/v1/auth/logout",
            Some(&s.access),
            json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let renewed = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": phone_refresh}),
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
}

#[tokio::test]
async fn a_restart_keeps_users_and_tokens_valid() {
    let mut app = TestApp::spawn().await;
    let s = app.submitter("tetap@example.id").await;
    app.restart().await;
    assert_eq!(me_status(&app, &s.access).await, 200);
    let r = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        app.login(&s.email, &s.password).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_judge_calling_an_organiser_route_is_403() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let judge = app.judge(&org, "juri@example.id").await;
    let r = app
        .post(
            "/api/v1/organisations",
            Some(&judge.access),
            json!({"name": "Dinas Baru", "kind": "dinas"}),
        )
        .await;
    r.problem(403);
    let r = app
        .post(
            "/api/v1/users",
            Some(&judge.access),
            json!({"email": "x@example.id", "name": "X", "role": "judge"}),
        )
        .await;
    r.problem(403);
}
