//! Editions: set-up with default fields and tracks, phases, who may see and change what.

use chrono::Duration;
use juri_domain::clock::Clock;
use juri_tests::TestApp;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_new_edition_has_the_nine_fields_and_three_tracks() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 30).await;
    let fields = app
        .get(&format!("/api/v1/editions/{}/fields", ed.id), None)
        .await;
    let names: Vec<&str> = fields
        .body
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert_eq!(names.len(), 9);
    assert_eq!(names[0], "Tata kelola pemerintahan");
    assert!(names.contains(&"Pelayanan publik responsif gender"));
    let tracks = app
        .get(&format!("/api/v1/editions/{}/tracks", ed.id), None)
        .await;
    let tracks = tracks.body.as_array().expect("list").clone();
    assert_eq!(tracks.len(), 3);
    assert_eq!(tracks[0]["name"], "OPD");
    assert_eq!(tracks[0]["requires_organisation"], true);
    assert_eq!(tracks[1]["submitter_kind"], "student");
    assert_eq!(tracks[2]["submitter_kind"], "citizen");
    let e = app.get(&format!("/api/v1/editions/{}", ed.id), None).await;
    assert_eq!(e.body["phase"], "open");
    assert_eq!(e.body["blind_judging"], true);
    assert_eq!(e.body["ranking_scope"], "per_track");
}

#[tokio::test]
async fn fields_and_tracks_change_only_before_submissions_open() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let now = app.clock.now();
    let ed = app
        .edition_between(&org, now + Duration::days(1), now + Duration::days(30))
        .await;
    let tok = Some(org.access.as_str());
    let added = app
        .post(
            &format!("/api/v1/editions/{}/fields", ed.id),
            tok,
            json!({"name": "Ekonomi kreatif"}),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    assert_eq!(added.body["position"], 10);
    let dup = app
        .post(
            &format!("/api/v1/editions/{}/fields", ed.id),
            tok,
            json!({"name": "Ekonomi kreatif"}),
        )
        .await;
    dup.problem(409);
    let renamed = app
        .patch(
            &format!("/api/v1/editions/{}/fields/{}", ed.id, ed.fields[0]),
            tok,
            json!({"name": "Tata kelola pemerintahan daerah"}),
        )
        .await;
    assert_eq!(renamed.body["name"], "Tata kelola pemerintahan daerah");
    let retired = app
        .patch(
            &format!("/api/v1/editions/{}/fields/{}", ed.id, ed.fields[1]),
            tok,
            json!({"retired": true}),
        )
        .await;
    assert_eq!(retired.body["retired"], true);
    let track = app
        .post(
            &format!("/api/v1/editions/{}/tracks", ed.id),
            tok,
            json!({"name": "Desa", "requires_organisation": false}),
        )
        .await;
    assert_eq!(track.status, StatusCode::CREATED, "{}", track.text);
    assert_eq!(track.body["submitter_kind"], serde_json::Value::Null);

    // Once submissions open, the categories are fixed.
    app.clock.advance(Duration::days(1) + Duration::seconds(1));
    let org = app.again(&org).await;
    let tok = Some(org.access.as_str());
    app.post(
        &format!("/api/v1/editions/{}/fields", ed.id),
        tok,
        json!({"name": "Pariwisata"}),
    )
    .await
    .problem(409);
    app.patch(
        &format!("/api/v1/editions/{}/tracks/{}", ed.id, ed.tracks[0]),
        tok,
        json!({"name": "Perangkat Daerah"}),
    )
    .await
    .problem(409);
    let fields = app
        .get(&format!("/api/v1/editions/{}/fields", ed.id), tok)
        .await;
    assert_eq!(
        fields.body.as_array().map(Vec::len),
        Some(10),
        "nothing was added by the refused call"
    );
}

#[tokio::test]
async fn what_may_change_in_an_edition_depends_on_its_phase() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let path = format!("/api/v1/editions/{}", ed.id);
    let tok = Some(org.access.as_str());
    let now = app.clock.now();
    // Open: the deadline may move, the opening may not.
    let r = app
        .patch(
            &path,
            tok,
            json!({"submission_closes_at": now + Duration::days(20)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.patch(&path, tok, json!({"submission_opens_at": now}))
        .await
        .problem(409);
    let bad = app
        .patch(
            &path,
            tok,
            json!({"submission_closes_at": now - Duration::days(1)}),
        )
        .await;
    bad.problem(422);
    // After the deadline: fixed.
    app.clock.advance(Duration::days(21));
    let org = app.again(&org).await;
    let tok = Some(org.access.as_str());
    let r = app.get(&path, tok).await;
    assert_eq!(r.body["phase"], "screening");
    app.patch(
        &path,
        tok,
        json!({"submission_closes_at": now + Duration::days(40)}),
    )
    .await
    .problem(409);
    let renamed = app.patch(&path, tok, json!({"name": "BIA 2026"})).await;
    assert_eq!(renamed.body["name"], "BIA 2026");
    // Unknown fields are not silently ignored.
    app.patch(&path, tok, json!({"published_at": now}))
        .await
        .problem(422);
}

#[tokio::test]
async fn new_editions_are_validated() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let now = app.clock.now();
    let r = app
        .post(
            "/api/v1/editions",
            Some(&org.access),
            json!({"name": "X", "year": 1990, "submission_opens_at": now, "submission_closes_at": now - Duration::days(1)}),
        )
        .await;
    r.problem(422);
    assert_eq!(
        r.error_fields(),
        vec!["name", "year", "submission_closes_at"]
    );
}

#[tokio::test]
async fn only_organisers_set_up_editions_and_unannounced_ones_are_hidden() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("warga@example.id").await;
    let judge = app.judge(&org, "juri@example.id").await;
    let now = app.clock.now();
    let body = json!({"name": "BIA 2027", "year": 2027, "submission_opens_at": now, "submission_closes_at": now + Duration::days(9)});
    app.post("/api/v1/editions", Some(&sub.access), body.clone())
        .await
        .problem(403);
    app.post("/api/v1/editions", Some(&judge.access), body.clone())
        .await
        .problem(403);
    app.post("/api/v1/editions", None, body).await.problem(401);

    let future = app
        .edition_between(&org, now + Duration::days(5), now + Duration::days(30))
        .await;
    let open = app.open_edition(&org, 30).await;
    // The public and submitters see the open edition, not the one still in set-up.
    let listed = app.get("/api/v1/editions", Some(&sub.access)).await;
    assert_eq!(listed.body["total"], 1, "{}", listed.text);
    assert_eq!(listed.body["items"][0]["id"], open.id.as_str());
    app.get(&format!("/api/v1/editions/{}", future.id), None)
        .await
        .problem(404);
    app.get(
        &format!("/api/v1/editions/{}/fields", future.id),
        Some(&sub.access),
    )
    .await
    .problem(404);
    let all = app.get("/api/v1/editions", Some(&org.access)).await;
    assert_eq!(all.body["total"], 2);
    app.patch(
        &format!("/api/v1/editions/{}", open.id),
        Some(&sub.access),
        json!({"name": "Hacked"}),
    )
    .await
    .problem(403);
    app.post(
        &format!("/api/v1/editions/{}/fields", future.id),
        Some(&judge.access),
        json!({"name": "X Y"}),
    )
    .await
    .problem(403);
}
