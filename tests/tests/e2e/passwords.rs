//! Passwords people expect: change mine, and "forgot password" by mail (through the API
//! and the pages, the mail delivered to the real SMTP sink of `notifications.rs`).

use crate::notifications::{SmtpSink, outbox, worker};
use crate::pages::{cookie_pair, get_page, location, post_form};
use chrono::Duration;
use juri_tests::{Session, TestApp};
use reqwest::StatusCode;
use serde_json::json;

const NEW_PASSWORD: &str = "angin laut membawa kabar baru";

/// Wait until the outbox holds `n` reset mails (the request's work runs after the answer).
async fn reset_mails(app: &TestApp, n: usize) -> Vec<juri_persistence::OutboxMessage> {
    for _ in 0..200 {
        let rows: Vec<_> = outbox(app)
            .await
            .into_iter()
            .filter(|m| m.kind == "password_reset")
            .collect();
        if rows.len() >= n {
            return rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("{n} reset mails expected");
}

/// The token of the link in a reset mail's body.
fn token_in(body: &str) -> String {
    let start = body.find("token=").expect("a link with a token") + "token=".len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn ask_reset(app: &TestApp, email: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({"email": email}))
        .send()
        .await
        .expect("sent")
}

async fn refresh_status(app: &TestApp, s: &Session) -> StatusCode {
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": s.refresh}),
    )
    .await
    .status
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_mailed_link() {
    let Some(sink) = SmtpSink::up().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let sub = app.submitter("lupa@example.id").await;
    let phone = app.again(&sub).await;
    let known = ask_reset(&app, "lupa@example.id").await;
    assert_eq!(known.status(), StatusCode::ACCEPTED);
    let known = known.text().await.expect("body");
    let unknown = ask_reset(&app, "tidak-ada@example.id").await;
    assert_eq!(unknown.status(), StatusCode::ACCEPTED);
    assert_eq!(
        unknown.text().await.expect("body"),
        known,
        "the same answer"
    );
    let rows = reset_mails(&app, 1).await;
    assert_eq!(rows.len(), 1, "nothing for an unknown address: {rows:?}");
    assert_eq!(rows[0].recipient, "lupa@example.id");

    let pass = worker(&app, Some(&sink)).deliver_due().await.expect("pass");
    assert_eq!(pass.sent, 1);
    let mails = sink.messages();
    assert_eq!(mails[0]["rcpt_tos"], json!(["lupa@example.id"]));
    let body = mails[0]["body"].as_str().expect("body");
    assert!(body.contains(&app.url("/lupa-sandi/baru?token=")), "{body}");
    assert!(body.contains("WIB"), "{body}");
    let token = token_in(body);

    // The policy holds; a refused password leaves the link usable.
    let r = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "pendek"}),
        )
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), ["password"]);
    let r = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Once only.
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        json!({"token": token, "password": "dan satu kalimat lagi yang panjang"}),
    )
    .await
    .problem(409);
    // Every session of the account ended; the new password signs in, the old does not.
    for s in [&sub, &phone] {
        assert_eq!(refresh_status(&app, s).await, StatusCode::UNAUTHORIZED);
        app.get("/api/v1/me", Some(&s.access)).await.problem(401);
    }
    app.login("lupa@example.id", &sub.password)
        .await
        .problem(401);
    assert_eq!(
        app.login("lupa@example.id", NEW_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_reset_link_works_for_one_hour_and_never_for_a_disabled_account() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("lama@example.id").await;
    let other = app.submitter("nonaktif@example.id").await;
    assert_eq!(
        ask_reset(&app, "lama@example.id").await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        ask_reset(&app, "nonaktif@example.id").await.status(),
        StatusCode::ACCEPTED
    );
    let rows = reset_mails(&app, 2).await;
    let token_of = |email: &str| {
        token_in(
            &rows
                .iter()
                .find(|m| m.recipient == email)
                .expect("mail")
                .body,
        )
    };
    let (late, disabled) = (token_of("lama@example.id"), token_of("nonaktif@example.id"));
    // The second account is disabled after its link went out.
    let r = app
        .patch(
            &format!("/api/v1/users/{}", other.id),
            Some(&org.access),
            json!({"status": "disabled"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        json!({"token": disabled, "password": NEW_PASSWORD}),
    )
    .await
    .problem(404);
    let user = app
        .get(&format!("/api/v1/users/{}", other.id), Some(&org.access))
        .await;
    assert_eq!(user.body["status"], "disabled");
    app.login("nonaktif@example.id", NEW_PASSWORD)
        .await
        .problem(401);
    // One hour and a minute later the first link has expired.
    app.clock.advance(Duration::minutes(61));
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        json!({"token": late, "password": NEW_PASSWORD}),
    )
    .await
    .problem(409);
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        json!({"token": "bukan-token", "password": NEW_PASSWORD}),
    )
    .await
    .problem(404);
    // Nothing changed for that account: its old password still signs in.
    assert_eq!(
        app.login("lama@example.id", &sub.password).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn changing_my_password_ends_every_other_session() {
    let app = TestApp::spawn().await;
    let sub = app.submitter("ganti@example.id").await;
    let phone = app.again(&sub).await;
    // Wrong current password: 401; a weak new one: 422 at new_password.
    app.post(
        "/api/v1/me/password",
        Some(&sub.access),
        json!({"current_password": "bukan kata sandi saya", "new_password": NEW_PASSWORD}),
    )
    .await
    .problem(401);
    let r = app
        .post(
            "/api/v1/me/password",
            Some(&sub.access),
            json!({"current_password": sub.password, "new_password": "pendek"}),
        )
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), ["new_password"]);
    // Nothing changed so far: the old sessions still work.
    assert_eq!(refresh_status(&app, &phone).await, StatusCode::OK);
    let sub = app.again(&sub).await;
    let phone = app.again(&phone).await;
    let r = app
        .post(
            "/api/v1/me/password",
            Some(&sub.access),
            json!({"current_password": sub.password, "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let access = r.body["access_token"].as_str().expect("access").to_owned();
    let refresh = r.body["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_owned();
    for s in [&sub, &phone] {
        app.get("/api/v1/me", Some(&s.access)).await.problem(401);
        assert_eq!(refresh_status(&app, s).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        app.get("/api/v1/me", Some(&access)).await.status,
        StatusCode::OK
    );
    let renewed = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": refresh}),
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
    app.login("ganti@example.id", &sub.password)
        .await
        .problem(401);
    assert_eq!(
        app.login("ganti@example.id", NEW_PASSWORD).await.status,
        StatusCode::OK
    );
    // Signed out, the route is 401.
    app.post(
        "/api/v1/me/password",
        None,
        json!({"current_password": NEW_PASSWORD, "new_password": "sesuatu yang baru sekali"}),
    )
    .await
    .problem(401);
}

#[tokio::test]
async fn the_pages_change_and_reset_a_password_in_both_languages() {
    let app = TestApp::spawn().await;
    let sub = app.submitter("halaman@example.id").await;
    let origin = app.url("");
    // The sign-in page links to the reset.
    let page = get_page(&app, "/masuk", "").await;
    assert!(
        page.text()
            .await
            .expect("body")
            .contains("href=\"/lupa-sandi\"")
    );
    // Asking: the same page for a known and an unknown address.
    let mut texts = Vec::new();
    for email in ["halaman@example.id", "siapa@example.id"] {
        let r = post_form(&app, "/lupa-sandi", &[("email", email)], "", Some(&origin)).await;
        assert_eq!(r.status(), StatusCode::OK);
        let html = r.text().await.expect("body");
        assert!(html.contains("id=\"reset-sent\""), "{html}");
        texts.push(html.replace(email, ""));
    }
    assert_eq!(texts[0], texts[1]);
    // Something that cannot be an address is named at its field, nothing is sent.
    let r = post_form(
        &app,
        "/lupa-sandi",
        &[("email", "bukan alamat")],
        "",
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(
        html.contains("id=\"e-email\"") && !html.contains("id=\"reset-sent\""),
        "{html}"
    );
    let rows = reset_mails(&app, 1).await;
    let token = token_in(&rows[0].body);
    // A dead link says so before anyone types a password.
    let r = get_page(&app, "/lupa-sandi/baru?token=salah", "").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("href=\"/lupa-sandi\"")
    );
    let r = get_page(&app, &format!("/lupa-sandi/baru?token={token}"), "").await;
    assert_eq!(r.status(), StatusCode::OK);
    // A short password: 422 with the error next to the field, the token kept.
    let r = post_form(
        &app,
        "/lupa-sandi/baru",
        &[("token", &token), ("password", "pendek")],
        "",
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(html.contains("id=\"e-password\"") && html.contains(&token));
    let r = post_form(
        &app,
        "/lupa-sandi/baru",
        &[("token", &token), ("password", NEW_PASSWORD)],
        "",
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/masuk?diterima=1");
    // Signed in with it, in English, the person changes it again on /akun/sandi.
    let r = post_form(
        &app,
        "/masuk",
        &[("email", &sub.email), ("password", NEW_PASSWORD)],
        "",
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookies = format!("{}; lang=en", cookie_pair(r.headers(), "juri_akses"));
    let form = get_page(&app, "/akun/sandi", &cookies).await;
    assert_eq!(form.status(), StatusCode::OK);
    let html = form.text().await.expect("body");
    assert!(html.contains("Change password") && html.contains("Current password"));
    let r = post_form(
        &app,
        "/akun/sandi",
        &[
            ("current_password", "salah sekali tebakannya"),
            ("new_password", "kalimat panjang yang baru lagi"),
        ],
        &cookies,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let html = r.text().await.expect("body");
    assert!(html.contains("The current password is wrong."), "{html}");
    let r = post_form(
        &app,
        "/akun/sandi",
        &[
            ("current_password", NEW_PASSWORD),
            ("new_password", "kalimat panjang yang baru lagi"),
        ],
        &cookies,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/akun/sandi?diubah=1");
    let fresh = cookie_pair(r.headers(), "juri_akses");
    assert_eq!(
        get_page(&app, "/akun/sandi", &fresh).await.status(),
        StatusCode::OK
    );
    // The old cookie no longer works.
    assert_ne!(
        get_page(&app, "/akun/sandi", &cookies).await.status(),
        StatusCode::OK
    );
    // Not signed in: the page sends the browser to sign in.
    assert_eq!(
        get_page(&app, "/akun/sandi", "").await.status(),
        StatusCode::SEE_OTHER
    );
}

/// A string that cannot be an address is refused with the field named (that says
/// nothing about who has an account); the answer to a real one is in one language.
#[tokio::test]
async fn a_reset_for_a_malformed_address_is_refused_and_the_answer_speaks_one_language() {
    let app = TestApp::spawn().await;
    for bad in ["0".repeat(250), "bukan alamat".to_owned(), String::new()] {
        let r = app
            .post("/api/v1/auth/password-reset", None, json!({ "email": bad }))
            .await;
        r.problem(422);
        assert_eq!(r.error_fields(), ["email"], "{bad}");
    }
    for (lang, language) in [
        ("en", juri_text::Language::En),
        ("id", juri_text::Language::Id),
    ] {
        let r = app
            .send(
                app.client
                    .post(app.url("/api/v1/auth/password-reset"))
                    .header("accept-language", lang)
                    .json(&json!({"email": "siapa@example.id"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        assert_eq!(r.body["detail"], juri_text::text(language, "password.sent"));
        assert_eq!(r.body["status"], "accepted");
    }
}
