//! The web pages over plain HTTP (the browser tests are in `tests/browser`): the
//! session cookies and their attributes, renewal and sign-out, the CSRF check, the
//! API ignoring the cookie, form errors next to their fields, the language cookie.

use chrono::Duration;
use juri_tests::{ORGANISER_EMAIL, ORGANISER_PASSWORD, TestApp};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};

const PASSWORD: &str = "perahu kecil menuju pulau ketawai";

/// A client that shows redirects instead of following them.
pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// `application/x-www-form-urlencoded`, as a browser sends a form.
pub(crate) fn form(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b' ' => "+".to_owned(),
                b if b.is_ascii_alphanumeric() || b"-._*".contains(&b) => (b as char).to_string(),
                b => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Post a form from one of our own pages (the browser's `Origin`).
pub(crate) async fn post_form(
    app: &TestApp,
    path: &str,
    pairs: &[(&str, &str)],
    cookies: &str,
    origin: Option<&str>,
) -> reqwest::Response {
    let mut req = client()
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(pairs));
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    if !cookies.is_empty() {
        req = req.header("cookie", cookies);
    }
    req.send().await.expect("sent")
}

pub(crate) async fn get_page(app: &TestApp, path: &str, cookies: &str) -> reqwest::Response {
    let mut req = client().get(app.url(path));
    if !cookies.is_empty() {
        req = req.header("cookie", cookies);
    }
    req.send().await.expect("sent")
}

/// The body of a page GET with `cookies`.
pub(crate) async fn page_text(app: &TestApp, path: &str, cookies: &str) -> String {
    get_page(app, path, cookies)
        .await
        .text()
        .await
        .expect("body")
}

pub(crate) fn set_cookies(h: &HeaderMap) -> Vec<String> {
    h.get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect()
}

/// `name=value` of the cookie `name` set by a response.
pub(crate) fn cookie_pair(h: &HeaderMap, name: &str) -> String {
    set_cookies(h)
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .and_then(|c| c.split(';').next().map(str::to_owned))
        .unwrap_or_else(|| panic!("no cookie {name} in {:?}", set_cookies(h)))
}

pub(crate) fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Sign a citizen up through the API, then in through the page: the cookies.
async fn signed_in(app: &TestApp, email: &str) -> (String, String) {
    let r = app.register(email, PASSWORD, "Warga Sungailiat").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let origin = app.url("");
    let r = post_form(
        app,
        "/masuk",
        &[("email", email), ("password", PASSWORD), ("next", "")],
        "",
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/peserta");
    (
        cookie_pair(r.headers(), "juri_akses"),
        cookie_pair(r.headers(), "juri_segar"),
    )
}

#[tokio::test]
async fn signing_in_sets_the_session_cookies_with_exact_attributes() {
    let app = TestApp::spawn().await;
    app.register("warga@example.id", PASSWORD, "Warga Sungailiat")
        .await;
    let r = post_form(
        &app,
        "/masuk",
        &[("email", "warga@example.id"), ("password", PASSWORD)],
        "",
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookies = set_cookies(r.headers());
    let access = cookies
        .iter()
        .find(|c| c.starts_with("juri_akses="))
        .expect("access cookie");
    let refresh = cookies
        .iter()
        .find(|c| c.starts_with("juri_segar="))
        .expect("refresh cookie");
    for (c, path, max_age) in [(access, "/", "900"), (refresh, "/sesi", "2592000")] {
        let attrs: Vec<&str> = c.split(';').skip(1).map(str::trim).collect();
        assert!(attrs.contains(&"HttpOnly"), "{c}");
        assert!(attrs.contains(&"SameSite=Lax"), "{c}");
        assert!(attrs.contains(&format!("Path={path}").as_str()), "{c}");
        assert!(
            attrs.contains(&format!("Max-Age={max_age}").as_str()),
            "{c}"
        );
        // Plain http here: `Secure` only behind TLS.
        assert!(!attrs.contains(&"Secure"), "{c}");
    }
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_public_url_is_https() {
    let app = TestApp::builder()
        .config(|c| c.public_url = "https://juri.example.id".to_owned())
        .spawn()
        .await;
    app.register("warga@example.id", PASSWORD, "Warga Sungailiat")
        .await;
    let r = post_form(
        &app,
        "/masuk",
        &[("email", "warga@example.id"), ("password", PASSWORD)],
        "",
        Some("https://juri.example.id"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for c in set_cookies(r.headers()) {
        assert!(c.split(';').any(|a| a.trim() == "Secure"), "{c}");
    }
}

#[tokio::test]
async fn the_api_never_accepts_the_session_cookie() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let (access, _) = signed_in(&app, "warga@example.id").await;
    let r = client()
        .post(app.url(&format!("/api/v1/editions/{}/entries", ed.id)))
        .header("cookie", &access)
        .header("origin", app.url(""))
        .json(&juri_tests::complete_entry(&ed, "Lewat cookie"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let list = app
        .get("/api/v1/entries", Some(&app.organiser().await.access))
        .await;
    assert_eq!(list.body["total"], 0, "{}", list.text);
}

#[tokio::test]
async fn a_form_post_from_another_origin_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let body = [
        ("email", "tamu@example.id"),
        ("name", "Tamu Lain"),
        ("password", PASSWORD),
        ("submitter_kind", "citizen"),
    ];
    for origin in [Some("http://127.0.0.1:1"), Some("null"), None] {
        let r = post_form(&app, "/daftar", &body, "", origin).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "origin {origin:?}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .expect("type")
                .starts_with("text/html")
        );
    }
    let login = app.login("tamu@example.id", PASSWORD).await;
    assert_eq!(
        login.status,
        StatusCode::UNAUTHORIZED,
        "no account was made"
    );
    // The same form from our own page goes through.
    let r = post_form(&app, "/daftar", &body, "", Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/peserta");
    assert_eq!(
        app.login("tamu@example.id", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn after_sign_out_the_old_cookie_opens_nothing() {
    let app = TestApp::spawn().await;
    let (access, refresh) = signed_in(&app, "warga@example.id").await;
    let r = get_page(&app, "/peserta", &access).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = post_form(
        &app,
        "/sesi/keluar",
        &[],
        &format!("{access}; {refresh}"),
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for c in set_cookies(r.headers()) {
        assert!(c.contains("Max-Age=0"), "cleared: {c}");
    }
    let r = get_page(&app, "/peserta", &access).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/sesi/perbarui?next=/peserta");
    // The refresh token was revoked too: the renewal sends the browser to sign in.
    let r = get_page(&app, "/sesi/perbarui?next=/peserta", &refresh).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/masuk?next=/peserta");
}

#[tokio::test]
async fn signing_out_after_the_access_cookie_expired_still_ends_the_session() {
    let app = TestApp::spawn().await;
    let (_access, refresh) = signed_in(&app, "warga@example.id").await;
    app.clock.advance(Duration::minutes(16));
    // The browser sends only the refresh cookie: the access cookie has expired.
    let r = post_form(&app, "/sesi/keluar", &[], &refresh, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = get_page(&app, "/sesi/perbarui?next=/peserta", &refresh).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&r),
        "/masuk?next=/peserta",
        "the refresh token no longer signs in"
    );
}

#[tokio::test]
async fn a_next_that_a_browser_would_turn_into_another_host_goes_home() {
    let app = TestApp::spawn().await;
    let r = app
        .register("warga@example.id", PASSWORD, "Warga Sungailiat")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "//evil.example",
        "/ /evil.example",
    ] {
        let r = post_form(
            &app,
            "/masuk",
            &[
                ("email", "warga@example.id"),
                ("password", PASSWORD),
                ("next", next),
            ],
            "",
            Some(&app.url("")),
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/peserta", "next = {next:?}");
        // The language switch and the sign-in form's own link behave the same.
        let r = post_form(
            &app,
            "/bahasa",
            &[("lang", "en"), ("next", next)],
            "",
            Some(&app.url("")),
        )
        .await;
        assert_eq!(location(&r), "/", "next = {next:?}");
    }
}

#[tokio::test]
async fn an_expired_session_is_renewed_from_the_refresh_cookie() {
    let app = TestApp::spawn().await;
    let (access, refresh) = signed_in(&app, "warga@example.id").await;
    app.clock.advance(Duration::minutes(16));
    let r = get_page(&app, "/peserta", &access).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/sesi/perbarui?next=/peserta");
    let r = get_page(&app, "/sesi/perbarui?next=/peserta", &refresh).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/peserta");
    let renewed = cookie_pair(r.headers(), "juri_akses");
    assert_ne!(renewed, access);
    let r = get_page(&app, "/peserta", &renewed).await;
    assert_eq!(r.status(), StatusCode::OK);
    // The old refresh token was rotated away: using it again revokes the family.
    let r = get_page(&app, "/sesi/perbarui?next=/peserta", &refresh).await;
    assert_eq!(location(&r), "/masuk?next=/peserta");
}

#[tokio::test]
async fn a_wrong_password_is_shown_next_to_the_password_field() {
    let app = TestApp::spawn().await;
    let r = post_form(
        &app,
        "/masuk",
        &[
            ("email", ORGANISER_EMAIL),
            ("password", "salah sekali kata sandinya"),
        ],
        "",
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookies(r.headers()).is_empty());
    let html = r.text().await.expect("body");
    assert!(html.contains(r#"aria-describedby="e-password""#), "{html}");
    assert!(
        html.contains(r#"<p class="field-error" id="e-password">Email atau kata sandi salah.</p>"#)
    );
    // The organiser can still sign in: one failure is not a lock-out.
    let r = post_form(
        &app,
        "/masuk",
        &[("email", ORGANISER_EMAIL), ("password", ORGANISER_PASSWORD)],
        "",
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_entry_form_names_the_missing_choices_next_to_their_fields() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let (access, _) = signed_in(&app, "warga@example.id").await;
    let r = post_form(
        &app,
        "/peserta/inovasi/baru",
        &[("edition_id", ed.id.as_str()), ("title", "Tanpa bidang")],
        &access,
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(html.contains(r#"<p class="field-error" id="e-field_id">Pilih bidang.</p>"#));
    // A citizen's category comes from the account: shown, not asked; no agency list.
    assert!(html.contains(r#"id="f-track_id-fixed""#), "{html}");
    assert!(!html.contains(r#"<select id="f-track_id""#));
    assert!(!html.contains(r#"<select id="f-organisation_id""#));
    assert!(
        html.contains(r#"value="Tanpa bidang""#),
        "what was typed is kept"
    );
    let list = app.get("/api/v1/entries", Some(&org.access)).await;
    assert_eq!(list.body["total"], 0);
    // Complete choices: a draft, shown on its page.
    let r = post_form(
        &app,
        "/peserta/inovasi/baru",
        &[
            ("edition_id", ed.id.as_str()),
            ("title", "Pengingat Posyandu"),
            ("field_id", ed.fields[3].as_str()),
            ("track_id", ed.citizen_track()),
        ],
        &access,
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/peserta/inovasi/"));
    let page = get_page(&app, &location(&r), &access).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .expect("body")
            .contains("Pengingat Posyandu")
    );
    let list = app.get("/api/v1/entries", Some(&org.access)).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["status"], "draft");
}

#[tokio::test]
async fn the_language_cookie_switches_every_page_to_english() {
    let app = TestApp::spawn().await;
    let r = get_page(&app, "/katalog", "").await;
    let html = r.text().await.expect("body");
    assert!(html.contains(r#"<html lang="id">"#) && html.contains("Katalog inovasi"));
    let r = post_form(
        &app,
        "/bahasa",
        &[("lang", "en"), ("next", "/katalog?q=air")],
        "",
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/katalog?q=air");
    let lang = cookie_pair(r.headers(), "lang");
    assert_eq!(lang, "lang=en");
    let html = get_page(&app, "/katalog", &lang)
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains(r#"<html lang="en">"#) && html.contains("Innovation catalogue"));
    // A switch never sends the browser to another site.
    let r = post_form(
        &app,
        "/bahasa",
        &[("lang", "id"), ("next", "//evil.example/")],
        "",
        Some(&app.url("")),
    )
    .await;
    assert_eq!(location(&r), "/");
}

#[tokio::test]
async fn pages_a_user_may_not_see_are_not_found_or_forbidden() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let other = app.submitter("lain@example.id").await;
    let theirs = app.draft(&other, &ed, "Milik orang lain").await;
    let (access, _) = signed_in(&app, "warga@example.id").await;
    let r = get_page(&app, &format!("/peserta/inovasi/{theirs}"), &access).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(!r.text().await.expect("body").contains("Milik orang lain"));
    // The public page of an unpublished entry is not found either.
    let r = get_page(&app, &format!("/inovasi/{theirs}"), "").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_judges_score_sheet_is_not_found_and_the_script_is_a_file() {
    let f = juri_tests::fixture(2, 2, 1, serde_json::json!({})).await;
    let r = f.auto().await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let theirs = f.first_assignment_of(&f.judges[0]).await;
    let mine = f.first_assignment_of(&f.judges[1]).await;
    let r = post_form(
        &f.app,
        "/masuk",
        &[
            ("email", f.judges[1].email.as_str()),
            ("password", f.judges[1].password.as_str()),
        ],
        "",
        Some(&f.app.url("")),
    )
    .await;
    assert_eq!(location(&r), "/juri");
    let access = cookie_pair(r.headers(), "juri_akses");
    let r = get_page(&f.app, &format!("/juri/penilaian/{theirs}"), &access).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = get_page(&f.app, &format!("/juri/penilaian/{mine}"), &access).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("body");
    assert!(html.contains(r#"<script src="/static/skor.js" defer></script>"#));
    assert!(!html.contains("<script>"), "no inline script");
    let js = get_page(&f.app, "/static/skor.js", "").await;
    assert_eq!(js.status(), StatusCode::OK);
    assert!(
        js.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/javascript")
    );
    // A submitter has no judge pages.
    let (submitter, _) = signed_in(&f.app, "warga@example.id").await;
    let r = get_page(&f.app, "/juri", &submitter).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_judge_declares_a_conflict_from_the_score_sheet_and_is_recused() {
    let f = juri_tests::fixture(2, 3, 1, serde_json::json!({})).await;
    let r = f.auto().await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut picked = None;
    for j in &f.judges {
        if let Some(a) = f.assignments_of(j).await.first() {
            picked = Some((j.clone(), a["id"].as_str().expect("id").to_owned()));
            break;
        }
    }
    let (judge, assignment) = picked.expect("a judge with an assignment");
    let r = post_form(
        &f.app,
        "/masuk",
        &[
            ("email", judge.email.as_str()),
            ("password", judge.password.as_str()),
        ],
        "",
        Some(&f.app.url("")),
    )
    .await;
    let access = cookie_pair(r.headers(), "juri_akses");
    let path = format!("/juri/penilaian/{assignment}/konflik");
    // No reason: the error stands next to the reason field, nothing changes.
    let r = post_form(
        &f.app,
        &path,
        &[("kind", "family")],
        &access,
        Some(&f.app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains(r#"<p class="field-error" id="e-reason">"#)
    );
    assert_eq!(f.assignments_of(&judge).await.len(), 1);
    let r = post_form(
        &f.app,
        &path,
        &[("kind", "family"), ("reason", "Pengusulnya adik saya.")],
        &access,
        Some(&f.app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/juri?konflik=1");
    assert!(f.assignments_of(&judge).await.is_empty(), "recused");
    let r = get_page(&f.app, &format!("/juri/penilaian/{assignment}"), &access).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_attachment_downloads_with_the_session_cookie_for_its_owner_only() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let owner = app.submitter("pemilik@example.id").await;
    let entry = app.draft(&owner, &ed, "Dengan proposal").await;
    let up = app
        .upload(
            &owner.access,
            &entry,
            "proposal.pdf",
            juri_tests::tiny_pdf(),
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text);
    let aid = up.body["id"].as_str().expect("id").to_owned();
    let path = format!("/berkas/{entry}/{aid}");
    let r = post_form(
        &app,
        "/masuk",
        &[("email", "pemilik@example.id"), ("password", PASSWORD)],
        "",
        Some(&app.url("")),
    )
    .await;
    let mine = cookie_pair(r.headers(), "juri_akses");
    let r = get_page(&app, &path, &mine).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .expect("disposition")
            .starts_with("attachment")
    );
    assert_eq!(
        r.headers()["content-security-policy"],
        "sandbox; default-src 'none'"
    );
    assert_eq!(
        r.bytes().await.expect("bytes").to_vec(),
        juri_tests::tiny_pdf()
    );
    let (other, _) = signed_in(&app, "lain@example.id").await;
    assert_eq!(
        get_page(&app, &path, &other).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = get_page(&app, &path, "").await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "anonymous: sign in first"
    );
}

#[tokio::test]
async fn the_sign_up_form_is_held_to_the_same_client_limit_as_the_api() {
    let app = TestApp::builder()
        .config(|c| {
            c.sign_up_per_client = juri_domain::throttle::FailureLimit {
                max_failures: 1,
                window: Duration::hours(1),
            }
        })
        .spawn()
        .await;
    let body = |email: &'static str| {
        [
            ("email", email),
            ("name", "Warga Pemali"),
            ("password", PASSWORD),
            ("submitter_kind", "citizen"),
        ]
    };
    let first = post_form(
        &app,
        "/daftar",
        &body("satu@example.id"),
        "",
        Some(&app.url("")),
    )
    .await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = post_form(
        &app,
        "/daftar",
        &body("dua@example.id"),
        "",
        Some(&app.url("")),
    )
    .await;
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.login("dua@example.id", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED,
        "the refused sign-up made no account"
    );
}

#[tokio::test]
async fn hsts_is_sent_only_when_juri_is_served_over_https() {
    let plain = TestApp::spawn().await;
    let r = get_page(&plain, "/", "").await;
    assert!(r.headers().get("strict-transport-security").is_none());
    let tls = TestApp::builder()
        .config(|c| c.public_url = "https://juri.example.id".to_owned())
        .spawn()
        .await;
    for path in ["/", "/api/v1/public/editions", "/nothing-here"] {
        let r = get_page(&tls, path, "").await;
        assert_eq!(
            r.headers()
                .get("strict-transport-security")
                .and_then(|v| v.to_str().ok()),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }
}

/// A failed form says what went wrong at its top: a summary listing every error, each
/// a link to its input, that takes the focus when the page loads (no script needed);
/// the errors still stand by their fields too.
#[tokio::test]
async fn a_failed_form_opens_with_a_summary_linking_to_each_field() {
    let app = TestApp::spawn().await;
    let r = post_form(
        &app,
        "/daftar",
        &[
            ("name", ""),
            ("email", "bukan-alamat"),
            ("password", "pendek"),
            ("submitter_kind", "citizen"),
        ],
        "",
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    let summary = html
        .split(r#"<div class="error-summary" id="kesalahan" role="alert" tabindex="-1" autofocus>"#)
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("a summary");
    for field in ["name", "email", "password"] {
        assert!(
            summary.contains(&format!(r##"href="#f-{field}""##)),
            "{field}: {summary}"
        );
        assert!(
            html.contains(&format!(r#"id="f-{field}""#)),
            "{field}: the link's target"
        );
        assert!(
            html.contains(&format!(r#"id="e-{field}""#)),
            "{field}: by the field too"
        );
    }
    let (at_summary, at_first_field) = (
        html.find(r#"id="kesalahan""#).expect("summary"),
        html.find(r#"id="f-name""#).expect("field"),
    );
    assert!(at_summary < at_first_field, "the summary comes first");
    // A form that went through has none.
    let page = get_page(&app, "/daftar", "")
        .await
        .text()
        .await
        .expect("body");
    assert!(!page.contains("kesalahan"));
}

/// The new-entry form as a browser sends it: multipart, the file last.
async fn post_new_entry(
    app: &TestApp,
    cookies: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text((*k).to_owned(), (*v).to_owned());
    }
    let part = match file {
        Some((name, bytes)) => reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        // No file chosen: browsers send the part empty, with an empty name.
        None => reqwest::multipart::Part::bytes(Vec::new()).file_name(String::new()),
    };
    form = form.part("file", part);
    client()
        .post(app.url("/peserta/inovasi/baru"))
        .header("cookie", cookies)
        .header("origin", app.url(""))
        .multipart(form)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_draft_is_created_with_its_file_in_one_form_or_not_at_all() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let (access, _) = signed_in(&app, "warga@example.id").await;
    let entries =
        || async { app.get("/api/v1/entries", Some(&org.access)).await.body["total"].clone() };
    let html = page_text(
        &app,
        &format!("/peserta/inovasi/baru?edisi={}", ed.id),
        &access,
    )
    .await;
    assert!(html.contains(r#"enctype="multipart/form-data""#), "{html}");
    assert!(html.contains(r#"<input id="f-file" name="file" type="file""#));
    let good = [
        ("edition_id", ed.id.as_str()),
        ("title", "Posyandu keliling"),
        ("field_id", ed.fields[3].as_str()),
        ("track_id", ed.citizen_track()),
    ];

    // A file that is not a PDF, JPEG or PNG: refused by the file input, what was typed
    // kept, nothing created.
    let r = post_new_entry(
        &app,
        &access,
        &good,
        Some(("catatan.txt", b"hanya teks".to_vec())),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(
        html.contains(r#"<p class="field-error" id="e-file">"#),
        "{html}"
    );
    assert!(
        html.contains(r#"value="Posyandu keliling""#),
        "typed text kept"
    );
    assert_eq!(entries().await, 0);

    // A file with a field missing: nothing created; the file must be chosen again.
    let r = post_new_entry(
        &app,
        &access,
        &[("edition_id", ed.id.as_str()), ("title", "Tanpa bidang")],
        Some(("proposal.pdf", juri_tests::tiny_pdf())),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(html.contains("pilih berkasnya lagi"), "{html}");
    assert_eq!(entries().await, 0);

    // Fields and a PDF together: the draft and its file in one step.
    let r = post_new_entry(
        &app,
        &access,
        &good,
        Some(("proposal.pdf", juri_tests::tiny_pdf())),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    assert!(to.ends_with("?disimpan=1&lampiran=1"), "{to}");
    let id = to
        .trim_start_matches("/peserta/inovasi/")
        .split('?')
        .next()
        .expect("the id")
        .to_owned();
    let files = app
        .get(
            &format!("/api/v1/entries/{id}/attachments"),
            Some(&org.access),
        )
        .await;
    assert_eq!(
        files.body.as_array().map(Vec::len),
        Some(1),
        "{}",
        files.text
    );
    assert_eq!(files.body[0]["file_name"], "proposal.pdf");

    // No file chosen: a draft as before.
    let r = post_new_entry(&app, &access, &good, None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).ends_with("?disimpan=1"));
    assert_eq!(entries().await, 2);
}
