//! Storage promises: migrations both ways, password hashes, the audit trail.

use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version};
use juri_domain::user::{Email, PersonName, Role, SubmitterKind, UserStatus};
use juri_persistence::{NewUser, Store};
use juri_tests::{TestApp, TestDb};
use reqwest::StatusCode;

#[tokio::test]
async fn migrations_run_up_down_and_up_again() {
    let db = TestDb::new().await;
    let store = Store::connect(&db.url).await.expect("connect");
    store.migrate().await.expect("up");
    store.migrate_down_all().await.expect("down");
    store.migrate().await.expect("up again");
    assert!(store.count_organisers().await.is_ok());
    store.close().await.expect("close");
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_phc_strings() {
    let app = TestApp::spawn().await;
    let s = app.submitter("hash@example.id").await;
    let creds = app
        .store()
        .credentials_by_email(&Email::parse(&s.email).expect("email"))
        .await
        .expect("query")
        .expect("user");
    let hash = creds.password_hash.clone().expect("hash");
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(
        !format!("{creds:?}").contains("argon2"),
        "Debug hides the hash"
    );
}

#[tokio::test]
async fn a_weaker_hash_is_upgraded_at_sign_in() {
    let app = TestApp::spawn().await;
    let password = "perahu kecil menuju pulau ketawai";
    let weak = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(4096, 1, 1, None).expect("params"),
    )
    .hash_password(password.as_bytes())
    .expect("hash")
    .to_string();
    app.store()
        .create_user(
            NewUser {
                email: Email::parse("lama@example.id").expect("email"),
                name: PersonName::parse("Akun Lama").expect("name"),
                role: Role::Submitter,
                submitter_kind: Some(SubmitterKind::Citizen),
                organisation_id: None,
                password_hash: Some(weak.clone()),
                status: UserStatus::Active,
                expertise: vec![],
            },
            None,
            chrono::Utc::now(),
        )
        .await
        .expect("seeded");
    assert_eq!(
        app.login("lama@example.id", password).await.status,
        StatusCode::OK
    );
    let stored = app
        .store()
        .credentials_by_email(&Email::parse("lama@example.id").expect("email"))
        .await
        .expect("query")
        .expect("user")
        .password_hash
        .expect("hash");
    assert_ne!(stored, weak);
    assert!(
        stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{stored}"
    );
    // And the upgraded hash still signs in.
    assert_eq!(
        app.login("lama@example.id", password).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_audit_log_is_append_only() {
    let app = TestApp::spawn().await;
    app.submitter("audit@example.id").await;
    let store = app.store();
    assert!(
        store
            .execute_raw("UPDATE audit_events SET action = 'forged'")
            .await
            .is_err()
    );
    assert!(store.execute_raw("DELETE FROM audit_events").await.is_err());
    // Inserting still works (the triggers refuse only changes).
    let inserted = store
        .execute_raw(
            "INSERT INTO audit_events (occurred_at, action, subject_type) VALUES ('2026-01-01T00:00:00Z', 'test.event', 'test')",
        )
        .await;
    assert_eq!(inserted.ok(), Some(1));
}

#[tokio::test]
async fn organisers_browse_the_audit_trail_and_others_cannot() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("jejak@example.id").await;
    let created = app
        .post(
            "/api/v1/organisations",
            Some(&org.access),
            serde_json::json!({"name": "Dinas Kelautan", "kind": "dinas"}),
        )
        .await;
    let id = created.body["id"].as_str().expect("id").to_owned();
    let all = app.get("/api/v1/audit", Some(&org.access)).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text);
    assert!(
        all.body["total"].as_u64().is_some_and(|n| n >= 3),
        "{}",
        all.text
    );
    assert_eq!(
        all.body["items"][0]["action"], "organisation.created",
        "newest first"
    );
    let one = app
        .get(
            &format!("/api/v1/audit?subject_type=organisation&subject_id={id}"),
            Some(&org.access),
        )
        .await;
    assert_eq!(one.body["total"], 1);
    assert_eq!(one.body["items"][0]["after"]["name"], "Dinas Kelautan");
    assert_eq!(one.body["items"][0]["actor_id"], org.id.as_str());
    let by_action = app
        .get("/api/v1/audit?action=user.created", Some(&org.access))
        .await;
    assert!(
        by_action.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|e| e["action"] == "user.created")
    );
    // No secret is ever in the trail.
    let text = app
        .get("/api/v1/audit?per_page=100", Some(&org.access))
        .await
        .text;
    assert!(
        !text.contains(&sub.password) && !text.contains("argon2") && !text.contains(&sub.refresh)
    );
    app.get("/api/v1/audit", Some(&sub.access))
        .await
        .problem(403);
    app.get("/api/v1/audit", None).await.problem(401);
}

/// A moto S3 server on a free port, stopped when dropped.
struct Moto {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `moto_server` if it is installed. `JURI_REQUIRE_S3` (set by `.ci/run`) makes a
/// missing one a failure instead of a skip.
async fn moto() -> Option<Moto> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = std::process::Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let child = match child {
        Ok(c) => c,
        Err(e) => {
            assert!(
                std::env::var_os("JURI_REQUIRE_S3").is_none(),
                "JURI_REQUIRE_S3 is set but moto_server cannot start: {e}"
            );
            eprintln!("S3 test skipped: moto_server is not installed (pip install 'moto[server]')");
            return None;
        }
    };
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    // Wait until it answers (a readiness poll, not a timing assertion).
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client.get(&moto.endpoint).send().await.is_ok() {
            return Some(moto);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("moto_server did not start");
}

#[tokio::test]
async fn attachments_live_in_an_s3_compatible_store_when_configured() {
    let Some(moto) = moto().await else {
        return;
    };
    let client = reqwest::Client::new();
    let made = client
        .put(format!("{}/juri-lampiran", moto.endpoint))
        .send()
        .await
        .expect("create bucket");
    assert!(made.status().is_success(), "{}", made.status());
    let url = format!(
        "s3://juri-lampiran?endpoint={}&region=us-east-1",
        moto.endpoint
    );
    let blobs =
        juri_persistence::Blobs::from_url(&url, Some(("testing", "testing"))).expect("s3 blobs");
    let app = TestApp::builder().blobs(blobs).spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let s = app.submitter("warga@example.id").await;
    let entry = app.draft(&s, &ed, "Arsip digital desa").await;
    let pdf = juri_tests::tiny_pdf();
    let up = app
        .upload(&s.access, &entry, "proposal.pdf", pdf.clone())
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text);
    let aid = up.body["id"].as_str().expect("id");

    // The content is in the bucket under its hash, and nothing on the local disk.
    let listing = client
        .get(format!("{}/juri-lampiran?list-type=2", moto.endpoint))
        .send()
        .await
        .expect("list")
        .text()
        .await
        .expect("xml");
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&pdf));
    assert!(listing.contains(&sha), "{listing}");
    assert!(!listing.contains("staging/"), "{listing}");
    assert!(!app.data_dir.join("files").exists());

    let down = app
        .send(
            app.client
                .get(app.url(&format!("/api/v1/entries/{entry}/attachments/{aid}")))
                .bearer_auth(&s.access),
        )
        .await;
    assert_eq!(down.status, StatusCode::OK);
    assert_eq!(down.text.as_bytes(), pdf.as_slice());
}
