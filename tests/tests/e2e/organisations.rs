//! The agencies reference list: seeded, public to read, organisers add/rename/retire.

use juri_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn the_agencies_of_kabupaten_bangka_are_seeded() {
    let app = TestApp::spawn().await;
    let r = app.get("/api/v1/organisations?per_page=100", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let total = r.body["total"].as_u64().expect("total");
    assert!(total >= 30, "{total}");
    let names = item_names(&r.body);
    for expected in [
        "Badan Perencanaan Pembangunan Daerah",
        "RSUD Depati Bahrin",
        "Puskesmas Belinyu",
        "Kecamatan Merawang",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "listed in name order");
}

#[tokio::test]
async fn search_is_case_insensitive_and_paginated() {
    let app = TestApp::spawn().await;
    let r = app
        .get("/api/v1/organisations?q=PUSKESMAS&per_page=4&page=2", None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["total"], 10);
    assert_eq!(r.body["page"], 2);
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(4));
    // The short name people use finds the agency too, in any case.
    let r = app.get("/api/v1/organisations?q=bappeda", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let names = item_names(&r.body);
    assert_eq!(
        names,
        vec!["Badan Perencanaan Pembangunan Daerah"],
        "{}",
        r.text
    );
    // LIKE wildcards in the search are literal.
    let r = app.get("/api/v1/organisations?q=%25", None).await;
    assert_eq!(r.body["total"], 0, "{}", r.text);
}

#[tokio::test]
async fn an_organiser_adds_renames_and_retires_an_agency() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let created = app
        .post(
            "/api/v1/organisations",
            Some(&org.access),
            json!({"name": "Dinas Kelautan", "short_name": "DKP", "kind": "dinas"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.body["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/organisations/{id}");

    let dup = app
        .post(
            "/api/v1/organisations",
            Some(&org.access),
            json!({"name": "Dinas Kelautan", "kind": "dinas"}),
        )
        .await;
    dup.problem(409);

    let renamed = app
        .patch(
            &path,
            Some(&org.access),
            json!({"name": "Dinas Kelautan dan Perikanan", "short_name": null}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.body["name"], "Dinas Kelautan dan Perikanan");
    assert_eq!(renamed.body["short_name"], serde_json::Value::Null);
    assert_eq!(renamed.body["kind"], "dinas");

    let retired = app
        .patch(&path, Some(&org.access), json!({"retired": true}))
        .await;
    assert_eq!(retired.body["retired"], true);
    let listed = app.get("/api/v1/organisations?q=kelautan", None).await;
    assert_eq!(listed.body["total"], 0, "retired agencies are not offered");
    let with_retired = app
        .get(
            "/api/v1/organisations?q=kelautan&include_retired=true",
            None,
        )
        .await;
    assert_eq!(with_retired.body["total"], 1);
    // Still readable by id: old entries name it.
    assert_eq!(
        app.get(&path, None).await.body["name"],
        "Dinas Kelautan dan Perikanan"
    );
    // A retired agency takes no new sign-ups.
    let r = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "opd@example.id", "password": "perahu kecil menuju pulau ketawai",
                   "name": "Petugas", "submitter_kind": "opd", "organisation_id": id}),
        )
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
}

#[tokio::test]
async fn agency_writes_are_for_organisers_only_and_validated() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("warga@example.id").await;
    let body = json!({"name": "Dinas Palsu", "kind": "dinas"});
    app.post("/api/v1/organisations", None, body.clone())
        .await
        .problem(401);
    app.post("/api/v1/organisations", Some(&sub.access), body.clone())
        .await
        .problem(403);
    let any = app.get("/api/v1/organisations", None).await.body["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.patch(
        &format!("/api/v1/organisations/{any}"),
        Some(&sub.access),
        json!({"retired": true}),
    )
    .await
    .problem(403);
    let bad = app
        .post(
            "/api/v1/organisations",
            Some(&org.access),
            json!({"name": "X", "kind": "kementerian"}),
        )
        .await;
    bad.problem(422);
    assert_eq!(bad.error_fields(), vec!["kind"]);
    app.get("/api/v1/organisations/not-an-id", None)
        .await
        .problem(404);
    app.get(
        &format!("/api/v1/organisations/{}", uuid::Uuid::now_v7()),
        None,
    )
    .await
    .problem(404);
    app.patch(
        &format!("/api/v1/organisations/{}", uuid::Uuid::now_v7()),
        Some(&org.access),
        json!({"retired": true}),
    )
    .await
    .problem(404);
    let search = app.get("/api/v1/organisations?q=palsu", None).await;
    assert_eq!(
        search.body["total"], 0,
        "nothing was written by the refused calls"
    );
}

/// The names of a page of agencies.
fn item_names(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect()
}
