//! Sign-up, sign-in, the password policy, invitations, roles, brute force.

use chrono::Duration;
use juri_tests::{ORGANISER_EMAIL, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_citizen_signs_up_signs_in_and_reads_their_account() {
    let app = TestApp::spawn().await;
    let r = app
        .register(
            "Siti.Aminah@Example.id",
            "perahu kecil menuju pulau ketawai",
            "Siti Aminah",
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["email"], "siti.aminah@example.id");
    assert_eq!(r.body["role"], "submitter");
    assert_eq!(r.body["submitter_kind"], "citizen");
    assert!(r.body.get("password_hash").is_none());
    assert!(
        !r.text.contains("argon2"),
        "no hash in responses: {}",
        r.text
    );

    let l = app
        .login(
            "siti.aminah@example.id",
            "perahu kecil menuju pulau ketawai",
        )
        .await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.text);
    assert_eq!(l.body["token_type"], "Bearer");
    assert_eq!(l.body["expires_in"], 900);
    assert!(
        l.body["refresh_token"]
            .as_str()
            .is_some_and(|t| t.len() == 43)
    );

    let me = app.get("/api/v1/me", l.body["access_token"].as_str()).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["id"], r.body["id"]);
    assert_eq!(me.body["name"], "Siti Aminah");
    assert_eq!(me.body["role"], "submitter");
    assert!(me.body["last_login_at"].is_string());
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_401() {
    let app = TestApp::spawn().await;
    app.submitter("budi@example.id").await;
    let wrong = app
        .login("budi@example.id", "bukan kata sandi yang benar")
        .await;
    let unknown = app
        .login("tidak.ada@example.id", "bukan kata sandi yang benar")
        .await;
    wrong.problem(401);
    unknown.problem(401);
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().map(|o| o.remove("request_id"));
        v
    };
    assert_eq!(strip(wrong.body.clone()), strip(unknown.body.clone()));
    assert_eq!(
        wrong.headers.get("www-authenticate"),
        unknown.headers.get("www-authenticate")
    );
}

#[tokio::test]
async fn password_length_is_checked_in_code_points() {
    let app = TestApp::spawn().await;
    let cases = [
        ("a@example.id", "lada putih kam", 422),  // 14 characters
        ("b@example.id", "lada putih kami", 201), // 15
        ("c@example.id", &"kebun lada kami ".repeat(4), 201), // 64
        ("d@example.id", "🌴🐟🌊🦀🍍🌺🐢🌞🥥🐚🏝🚤🎣🌧🦜", 201), // 15 emoji
        ("e@example.id", "saya cinta pulau bangka", 422), // blocklisted word
        ("f@example.id", "passwordpassword", 422), // common
        ("g@example.id", "warga sungai selan hebat", 422), // the user's own name
    ];
    for (email, password, expected) in cases {
        let name = if email.starts_with('g') {
            "Selan Hebat"
        } else {
            "Warga"
        };
        let r = app.register(email, password, name).await;
        assert_eq!(r.status.as_u16(), expected, "{password:?}: {}", r.text);
        if expected == 422 {
            r.problem(422);
            assert_eq!(r.error_fields(), vec!["password"], "{}", r.text);
        }
    }
    // What was refused was not stored: the address is still free.
    let again = app
        .register("a@example.id", "lada putih kami", "Warga")
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
}

#[tokio::test]
async fn a_sixty_four_character_password_signs_in() {
    let app = TestApp::spawn().await;
    let password = "kebun lada kami ".repeat(4);
    assert_eq!(password.chars().count(), 64);
    assert_eq!(
        app.register("x@example.id", &password, "Warga")
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.login("x@example.id", &password).await.status,
        StatusCode::OK
    );
    // Exactly as typed: without the trailing space it is another password.
    app.login("x@example.id", password.trim_end())
        .await
        .problem(401);
}

#[tokio::test]
async fn a_second_account_with_the_same_email_is_409() {
    let app = TestApp::spawn().await;
    app.submitter("rina@example.id").await;
    let r = app
        .register("RINA@example.id", "perahu besar menuju pulau lepar", "Rina")
        .await;
    r.problem(409);
}

#[tokio::test]
async fn sign_up_cannot_choose_its_role() {
    let app = TestApp::spawn().await;
    let r = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "m@example.id", "password": "perahu kecil menuju pulau ketawai",
                   "name": "M", "submitter_kind": "citizen", "role": "organiser"}),
        )
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), vec!["role"]);
    // And nothing was created.
    app.login("m@example.id", "perahu kecil menuju pulau ketawai")
        .await
        .problem(401);
}

#[tokio::test]
async fn an_opd_submitter_must_name_a_current_agency() {
    let app = TestApp::spawn().await;
    let body = |org: Option<&str>| {
        json!({"email": "opd@example.id", "password": "perahu kecil menuju pulau ketawai",
               "name": "Petugas", "submitter_kind": "opd", "organisation_id": org})
    };
    let r = app.post("/api/v1/auth/register", None, body(None)).await;
    r.problem(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
    let unknown = uuid::Uuid::now_v7().to_string();
    let r = app
        .post("/api/v1/auth/register", None, body(Some(&unknown)))
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);

    let orgs = app
        .get("/api/v1/organisations?q=dinas%20kesehatan", None)
        .await;
    let dinkes = orgs.body["items"][0]["id"]
        .as_str()
        .expect("Dinas Kesehatan is seeded")
        .to_owned();
    let r = app
        .post("/api/v1/auth/register", None, body(Some(&dinkes)))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["organisation_id"], dinkes.as_str());
}

#[tokio::test]
async fn an_invited_judge_sets_a_password_once_and_signs_in() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let created = app
        .post(
            "/api/v1/users",
            Some(&org.access),
            json!({"email": "juri1@unbabel.ac.id", "name": "Dr. Dewi Lestari", "role": "judge",
                   "expertise": ["kesehatan", "pendidikan"]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["user"]["status"], "invited");
    assert_eq!(created.body["user"]["role"], "judge");
    let token = created.body["invitation"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let url = created.body["invitation"]["url"].as_str().expect("url");
    assert!(
        url.starts_with(&app.url("/")) && url.contains(&token),
        "{url}"
    );
    assert!(created.body["invitation"]["expires_at"].is_string());

    // Before accepting, the account cannot sign in.
    app.login("juri1@unbabel.ac.id", "hutan mangrove di pesisir timur")
        .await
        .problem(401);
    // A weak password is refused and the invitation stays usable.
    let weak = app
        .post(
            "/api/v1/auth/invitations/accept",
            None,
            json!({"token": token, "password": "dewi lestari 2025 juri"}),
        )
        .await;
    weak.problem(422);
    let ok = app
        .post(
            "/api/v1/auth/invitations/accept",
            None,
            json!({"token": token, "password": "hutan mangrove di pesisir timur"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.body["status"], "active");
    let again = app
        .post(
            "/api/v1/auth/invitations/accept",
            None,
            json!({"token": token, "password": "hutan bakau di pesisir barat"}),
        )
        .await;
    again.problem(409);
    app.post(
        "/api/v1/auth/invitations/accept",
        None,
        json!({"token": "no-such-token", "password": "hutan bakau di pesisir barat"}),
    )
    .await
    .problem(404);

    let l = app
        .login("juri1@unbabel.ac.id", "hutan mangrove di pesisir timur")
        .await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.text);
    let me = app.get("/api/v1/me", l.body["access_token"].as_str()).await;
    assert_eq!(me.body["role"], "judge");
    assert_eq!(me.body["expertise"], json!(["kesehatan", "pendidikan"]));
}

#[tokio::test]
async fn a_disabled_account_is_not_revived_by_its_invitation() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let created = app
        .post(
            "/api/v1/users",
            Some(&org.access),
            json!({"email": "mantan@example.id", "name": "Mantan Juri", "role": "judge"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.body["user"]["id"].as_str().expect("id");
    let token = created.body["invitation"]["token"].as_str().expect("token");
    let r = app
        .patch(
            &format!("/api/v1/users/{id}"),
            Some(&org.access),
            json!({"status": "disabled"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let password = "lada putih dari kebun mentok";
    app.post(
        "/api/v1/auth/invitations/accept",
        None,
        json!({"token": token, "password": password}),
    )
    .await
    .problem(404);
    app.login("mantan@example.id", password).await.problem(401);
    let user = app
        .get(&format!("/api/v1/users/{id}"), Some(&org.access))
        .await;
    assert_eq!(user.status, StatusCode::OK, "{}", user.text);
    assert_eq!(user.body["status"], "disabled");
}

#[tokio::test]
async fn an_invitation_expires_after_seven_days() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let created = app
        .post(
            "/api/v1/users",
            Some(&org.access),
            json!({"email": "j@example.id", "name": "J", "role": "judge"}),
        )
        .await;
    let token = created.body["invitation"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    app.clock
        .advance(chrono::Duration::days(7) + chrono::Duration::seconds(1));
    app.post(
        "/api/v1/auth/invitations/accept",
        None,
        json!({"token": token, "password": "hutan mangrove di pesisir timur"}),
    )
    .await
    .problem(409);
}

#[tokio::test]
async fn only_organisers_create_accounts() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let judge = app.judge(&org, "juri2@example.id").await;
    let sub = app.submitter("warga@example.id").await;
    let body = json!({"email": "new@example.id", "name": "New", "role": "organiser"});
    app.post("/api/v1/users", Some(&judge.access), body.clone())
        .await
        .problem(403);
    app.post("/api/v1/users", Some(&sub.access), body.clone())
        .await
        .problem(403);
    app.post("/api/v1/users", None, body.clone())
        .await
        .problem(401);
    app.get("/api/v1/users", Some(&judge.access))
        .await
        .problem(403);
    app.get("/api/v1/users", Some(&sub.access))
        .await
        .problem(403);
    // Nothing was created by the refused calls.
    let list = app
        .get("/api/v1/users?per_page=100", Some(&org.access))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["total"], 3, "{}", list.text);
    // Organisers cannot create submitters (they sign up themselves).
    let r = app
        .post(
            "/api/v1/users",
            Some(&org.access),
            json!({"email": "s@example.id", "name": "S", "role": "submitter"}),
        )
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), vec!["role"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_guesses_sent_at_once_get_no_more_than_ten_checked() {
    let app = TestApp::spawn().await;
    let sub = app.submitter("target@example.id").await;
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let client = app.client.clone();
        let url = app.url("/api/v1/auth/login");
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(
                    &json!({"email": "target@example.id", "password": "tebakan yang salah sekali"}),
                )
                .send()
                .await
                .map(|r| r.status())
        }));
    }
    let mut unauthorized = 0;
    let mut limited = 0;
    for t in tasks {
        match t.await.expect("task").expect("sent") {
            StatusCode::UNAUTHORIZED => unauthorized += 1,
            StatusCode::TOO_MANY_REQUESTS => limited += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(unauthorized, 10, "only ten guesses were checked");
    assert_eq!(limited, 30);
    // The right password is refused too until the window has passed.
    app.login("target@example.id", &sub.password)
        .await
        .problem(429);
    app.clock.advance(Duration::minutes(16));
    assert_eq!(
        app.login("target@example.id", &sub.password).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_eleventh_bad_sign_in_is_429_with_retry_after() {
    let app = TestApp::spawn().await;
    let sub = app.submitter("target@example.id").await;
    for i in 1..=10 {
        let r = app
            .login("target@example.id", "tebakan yang salah sekali")
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "attempt {i}: {}",
            r.text
        );
    }
    let r = app
        .login("target@example.id", "tebakan yang salah sekali")
        .await;
    r.problem(429);
    let retry: u64 = r.headers["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&retry), "{retry}");
    // Even the right password waits now.
    app.login("target@example.id", &sub.password)
        .await
        .problem(429);
    // After the window, the right password works again.
    app.clock.advance(chrono::Duration::seconds(901));
    assert_eq!(
        app.login("target@example.id", &sub.password).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_client_guessing_many_accounts_is_limited_too() {
    let app = TestApp::builder()
        .config(|c| c.login_limit_per_client.max_failures = 5)
        .spawn()
        .await;
    for i in 0..5 {
        let r = app
            .login(&format!("user{i}@example.id"), "tebakan yang salah sekali")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    app.login("user99@example.id", "tebakan yang salah sekali")
        .await
        .problem(429);
}

#[tokio::test]
async fn a_disabled_account_loses_access_and_refresh_at_once() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("nakal@example.id").await;
    let r = app
        .patch(
            &format!("/api/v1/users/{}", sub.id),
            Some(&org.access),
            json!({"status": "disabled"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "disabled");
    app.get("/api/v1/me", Some(&sub.access)).await.problem(401);
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": sub.refresh}),
    )
    .await
    .problem(401);
    app.login(&sub.email, &sub.password).await.problem(401);
    // Organisers cannot lock themselves out.
    app.patch(
        &format!("/api/v1/users/{}", org.id),
        Some(&org.access),
        json!({"status": "disabled"}),
    )
    .await
    .problem(409);
    // Enabled again, the account signs in.
    app.patch(
        &format!("/api/v1/users/{}", sub.id),
        Some(&org.access),
        json!({"status": "active"}),
    )
    .await;
    assert_eq!(
        app.login(&sub.email, &sub.password).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_first_organiser_exists_and_another_start_makes_no_second() {
    let mut app = TestApp::spawn().await;
    let org = app.organiser().await;
    let me = app.get("/api/v1/me", Some(&org.access)).await;
    assert_eq!(me.body["email"], ORGANISER_EMAIL);
    assert_eq!(me.body["role"], "organiser");
    app.restart().await;
    let org = app.organiser().await;
    let list = app
        .get("/api/v1/users?role=organiser", Some(&org.access))
        .await;
    assert_eq!(list.body["total"], 1, "{}", list.text);
}
