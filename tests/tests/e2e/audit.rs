//! The tamper-evident audit trail (`docs/audit.md`): events are sealed into a hash
//! chain after their transactions, the trail shows each event's seal, verification
//! names the first altered or removed event, and two sealers do not fork the chain.

use juri_domain::clock::Clock;
use juri_persistence::{Search, Store};
use juri_tests::{Fixture, Session, TestApp, fixture};
use reqwest::Method;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Events to audit: each added agency is one.
async fn some_events(app: &TestApp, org: &Session, n: usize) -> Vec<String> {
    app.add_organisations(org, (0..n).map(|i| format!("Dinas Uji {i}")))
        .await
}

async fn seal(app: &TestApp) -> u64 {
    app.store().seal_audit(app.clock.now()).await.expect("seal")
}

/// Remove the append-only triggers of `audit_events`, as someone with database
/// access could.
async fn drop_event_triggers(app: &TestApp) {
    let sql: &[&str] = if app.db.is_postgres() {
        &["DROP TRIGGER audit_events_append_only ON audit_events"]
    } else {
        &[
            "DROP TRIGGER audit_events_no_update",
            "DROP TRIGGER audit_events_no_delete",
        ]
    };
    for s in sql {
        app.store().execute_raw(s).await.expect("drop trigger");
    }
}

async fn event_id_about(app: &TestApp, org: &Session, subject: &str) -> i64 {
    let r = app
        .get(
            &format!("/api/v1/audit?subject_type=organisation&subject_id={subject}"),
            Some(&org.access),
        )
        .await;
    r.body["items"][0]["id"].as_i64().expect("event id")
}

async fn verify(app: &TestApp, org: &Session) -> Value {
    let r = app.get("/api/v1/audit/verify", Some(&org.access)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body
}

#[tokio::test]
async fn sealed_events_show_their_position_and_hash_and_the_chain_verifies() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ids = some_events(&app, &org, 3).await;
    let before = app.get("/api/v1/audit", Some(&org.access)).await;
    assert!(
        before.body["items"][0]["position"].is_null(),
        "not sealed yet"
    );
    let total = before.body["total"].as_u64().expect("total");
    assert_eq!(seal(&app).await, total);
    assert_eq!(seal(&app).await, 0, "nothing left to seal");

    let all = app
        .get("/api/v1/audit?per_page=100", Some(&org.access))
        .await;
    let items = all.body["items"].as_array().expect("items");
    let mut positions: Vec<u64> = items
        .iter()
        .map(|e| e["position"].as_u64().expect("sealed"))
        .collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=total).collect::<Vec<_>>());
    assert!(
        items
            .iter()
            .all(|e| e["hash"].as_str().is_some_and(|h| h.len() == 64))
    );
    let head = items
        .iter()
        .find(|e| e["position"].as_u64() == Some(total))
        .expect("head");

    // The filters still work, and the filtered event carries its seal.
    let one = app
        .get(
            &format!(
                "/api/v1/audit?subject_type=organisation&subject_id={}",
                ids[1]
            ),
            Some(&org.access),
        )
        .await;
    assert_eq!(one.body["total"], 1);
    assert!(one.body["items"][0]["position"].as_u64().is_some());

    let v = verify(&app, &org).await;
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["sealed"].as_u64(), Some(total));
    assert_eq!(v["unsealed"], 0);
    assert_eq!(v["head_hash"], head["hash"]);
    assert!(v["first_problem"].is_null());
}

#[tokio::test]
async fn only_organisers_may_verify_the_chain() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("verif@example.id").await;
    let judge = app.judge(&org, "juri.verif@example.id").await;
    app.get("/api/v1/audit/verify", Some(&sub.access))
        .await
        .problem(403);
    app.get("/api/v1/audit/verify", Some(&judge.access))
        .await
        .problem(403);
    app.get("/api/v1/audit/verify", None).await.problem(401);
    // It reads the whole trail: limited like the other expensive routes.
    for _ in 0..5 {
        verify(&app, &org).await;
    }
    app.get("/api/v1/audit/verify", Some(&org.access))
        .await
        .problem(429);
}

#[tokio::test]
async fn an_event_altered_after_sealing_is_named() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ids = some_events(&app, &org, 3).await;
    seal(&app).await;
    let victim = event_id_about(&app, &org, &ids[1]).await;
    drop_event_triggers(&app).await;
    app.store()
        .execute_raw(&format!(
            "UPDATE audit_events SET after = '{{\"name\":\"Dinas Palsu\"}}' WHERE id = {victim}"
        ))
        .await
        .expect("tamper");
    let v = verify(&app, &org).await;
    assert_eq!(v["ok"], false, "{v}");
    let p = &v["first_problem"];
    assert_eq!(p["kind"], "altered", "{v}");
    assert_eq!(p["event_id"].as_i64(), Some(victim));
    assert_eq!(p["action"], "organisation.created");
    // Worded in the caller's language (Indonesian by default), naming the event.
    let said = p["message"].as_str().unwrap_or_default();
    assert!(
        said.contains("diubah setelah disegel") && said.contains(&victim.to_string()),
        "{v}"
    );
    assert_eq!(
        v["sealed"].as_i64(),
        Some(p["position"].as_i64().expect("position") - 1),
        "every seal before it checked out"
    );
}

#[tokio::test]
async fn a_removed_event_is_named() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ids = some_events(&app, &org, 3).await;
    seal(&app).await;
    let victim = event_id_about(&app, &org, &ids[0]).await;
    drop_event_triggers(&app).await;
    app.store()
        .execute_raw(&format!("DELETE FROM audit_events WHERE id = {victim}"))
        .await
        .expect("tamper");
    let v = verify(&app, &org).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_problem"]["kind"], "removed", "{v}");
    assert_eq!(v["first_problem"]["event_id"].as_i64(), Some(victim));
}

#[tokio::test]
async fn the_seals_are_append_only() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    some_events(&app, &org, 1).await;
    seal(&app).await;
    let store = app.store();
    assert!(
        store
            .execute_raw("UPDATE audit_seals SET hash = 'x'")
            .await
            .is_err()
    );
    assert!(store.execute_raw("DELETE FROM audit_seals").await.is_err());
    assert_eq!(verify(&app, &org).await["ok"], true);
}

#[tokio::test]
async fn an_event_left_unsealed_too_long_is_a_problem() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    // Without a sealer (the test server runs none), events wait.
    let fresh = verify(&app, &org).await;
    assert_eq!(fresh["ok"], true, "a fresh event may wait: {fresh}");
    assert!(fresh["unsealed"].as_u64().is_some_and(|n| n > 0));
    app.clock.advance(chrono::Duration::minutes(2));
    let late = verify(&app, &org).await;
    assert_eq!(late["ok"], false, "{late}");
    assert_eq!(late["first_problem"]["kind"], "unsealed");
    seal(&app).await;
    assert_eq!(verify(&app, &org).await["ok"], true);
}

#[tokio::test]
async fn two_sealers_on_one_database_do_not_fork_the_chain() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    some_events(&app, &org, 12).await;
    let other = Store::connect(&app.db.url).await.expect("second server");
    let now = app.clock.now();
    let (a, b) = tokio::join!(app.store().seal_audit(now), other.seal_audit(now));
    let total = a.expect("first sealer") + b.expect("second sealer");
    let v = verify(&app, &org).await;
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["sealed"].as_u64(), Some(total));
    assert_eq!(v["unsealed"], 0);
    other.close().await.ok();
}

/// PostgreSQL hands out event ids before commit, so an event can commit after a newer
/// one was sealed. The sealer's quick search (after the chain's newest event, on most
/// ticks) does not see it; the full search (one tick in `FULL_SEARCH_EVERY`) seals it.
#[tokio::test]
async fn an_event_that_commits_after_a_newer_one_is_sealed_by_the_full_search() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = TestApp::spawn().await;
    if !app.db.is_postgres() {
        // SQLite writes one transaction at a time: ids are in commit order.
        return;
    }
    let org = app.organiser().await;
    seal(&app).await;
    let late = sea_orm::Database::connect(app.db.url.as_str())
        .await
        .expect("connect");
    let txn = late.begin().await.expect("begin");
    txn.execute_unprepared(
        "INSERT INTO audit_events (occurred_at, action, subject_type) \
         VALUES (now(), 'test.late', 'test')",
    )
    .await
    .expect("the late event");
    some_events(&app, &org, 1).await;
    let now = app.clock.now();
    let store = app.store();
    let seal_by =
        |search| async move { store.seal_audit_found_by(search, now).await.expect("seal") };
    assert_eq!(seal_by(Search::AfterNewest).await, 1, "the newer event");
    txn.commit().await.expect("commit");
    assert_eq!(
        seal_by(Search::AfterNewest).await,
        0,
        "the quick search looks after the newest event only"
    );
    let v = verify(&app, &org).await;
    assert_eq!(v["unsealed"], 1, "{v}");
    assert_eq!(seal_by(Search::Full).await, 1, "the full search finds it");
    let v = verify(&app, &org).await;
    assert_eq!(
        (v["ok"].clone(), v["unsealed"].clone()),
        (json!(true), json!(0)),
        "{v}"
    );
    late.close().await.ok();
}

/// Every judge scores every assignment with `value(entry index)` and submits.
async fn score_all(f: &Fixture, value: impl Fn(usize) -> i64) {
    for j in &f.judges {
        for a in f.assignments_of(j).await {
            let idx = f
                .entries
                .iter()
                .position(|e| a["entry_id"] == e.as_str())
                .expect("entry");
            let aid = a["id"].as_str().expect("aid");
            let r = f
                .app
                .call(
                    Method::PUT,
                    &format!("/api/v1/assignments/{aid}/sheet"),
                    Some(&j.access),
                    Some(f.full_sheet(value(idx))),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            let r = f
                .app
                .post(
                    &format!("/api/v1/assignments/{aid}/sheet/submit"),
                    Some(&j.access),
                    json!({}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
    }
}

#[tokio::test]
async fn published_results_are_recomputed_from_the_trail_alone() {
    let f = fixture(3, 1, 1, json!({})).await;
    let app = &f.app;
    let t = Some(f.org.access.as_str());
    assert_eq!(f.auto().await.status, StatusCode::OK);
    // Entries 0 and 1 tie; entry 2 is below.
    score_all(&f, |i| if i == 2 { 3 } else { 7 }).await;
    // A sheet reopened and submitted again with other values: the trail must follow.
    let judge = &f.judges[0];
    let last = f
        .assignments_of(judge)
        .await
        .into_iter()
        .find(|a| a["entry_id"] == f.entries[2].as_str())
        .expect("assignment");
    let aid = last["id"].as_str().expect("aid");
    let r = app
        .post(
            &format!("/api/v1/assignments/{aid}/sheet/reopen"),
            t,
            json!({"reason": "Nilai kriteria kedua salah ketik"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .call(
            Method::PUT,
            &format!("/api/v1/assignments/{aid}/sheet"),
            Some(&judge.access),
            Some(f.full_sheet(2)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .post(
            &format!("/api/v1/assignments/{aid}/sheet/submit"),
            Some(&judge.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let rid = f.round_id();
    app.post(&format!("/api/v1/rounds/{rid}/close"), t, json!({}))
        .await;
    let d = app
        .post(
            &format!("/api/v1/editions/{}/ties", f.ed.id),
            t,
            json!({"entry_ids": [f.entries[1], f.entries[0]], "reason": "Presentasi lapangan lebih meyakinkan"}),
        )
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.text);
    let w = app
        .post(
            &format!("/api/v1/editions/{}/winners", f.ed.id),
            t,
            json!({"winners": [{"entry_id": f.entries[1], "award": "juara_1"}, {"entry_id": f.entries[0], "award": "juara_2"}, {"entry_id": f.entries[2], "award": "harapan_1"}]}),
        )
        .await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.text);
    let p = app
        .post(
            &format!("/api/v1/editions/{}/publish", f.ed.id),
            t,
            json!({}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    let sha = p.body["sha256"].as_str().expect("sha").to_owned();

    seal(app).await;
    let edition: juri_domain::ids::EditionId = f.ed.id.parse().expect("id");
    let r = app
        .store()
        .results_from_trail(edition)
        .await
        .expect("replay");
    assert_eq!(r.recomputed_sha256, sha, "{r:?}");
    assert!(r.matches, "{r:?}");

    // One submitted value changed in the trail: the chain names it and the result
    // rebuilt from the trail no longer matches.
    let submitted = app
        .get(
            &format!("/api/v1/audit?action=sheet.submitted&subject_id={aid}"),
            t,
        )
        .await;
    let newest = &submitted.body["items"][0];
    let event = newest["id"].as_i64().expect("event id");
    let mut after = newest["after"].clone();
    after["scores"][0]["value"] = json!(10);
    drop_event_triggers(app).await;
    let text = after.to_string().replace('\'', "''");
    app.store()
        .execute_raw(&format!(
            "UPDATE audit_events SET after = '{text}' WHERE id = {event}"
        ))
        .await
        .expect("tamper");
    let r = app
        .store()
        .results_from_trail(edition)
        .await
        .expect("replay");
    assert!(!r.matches, "{r:?}");
    assert_ne!(r.recomputed_sha256, sha);
    let v = verify(app, &f.org).await;
    assert_eq!(v["first_problem"]["kind"], "altered", "{v}");
    assert_eq!(v["first_problem"]["event_id"].as_i64(), Some(event));
}

#[tokio::test]
async fn the_audit_page_checks_the_chain_and_names_the_first_altered_event() {
    use crate::organiser_pages::{body, organiser_cookie, page_session};
    use crate::pages::{get_page, post_form};
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ids = some_events(&app, &org, 3).await;
    let cookie = organiser_cookie(&app).await;
    seal(&app).await;
    let origin = app.url("");
    let path = "/panitia/jejak/periksa";

    let html = body(get_page(&app, "/panitia/jejak", &cookie).await).await;
    assert!(html.contains(r#"id="verify-chain""#), "{html}");
    assert!(
        !html.contains(r#"id="verify-result""#),
        "checked only on request"
    );

    let judge = app.judge(&org, "juri.periksa@example.id").await;
    let sub = app.submitter("periksa@example.id").await;
    for (who, s) in [("judge", &judge), ("submitter", &sub)] {
        let c = page_session(&app, &s.email, &s.password).await;
        let r = post_form(&app, path, &[], &c, Some(&origin)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST by a {who}");
    }
    let r = post_form(&app, path, &[], &cookie, Some("http://evil.example")).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let r = post_form(&app, path, &[], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = body(r).await;
    assert!(html.contains("Rantai jejak utuh."), "{html}");
    let v = verify(&app, &org).await;
    let head = v["head_hash"].as_str().expect("head");
    assert!(
        html.contains(&format!(r#"<code id="head-hash">{head}</code>"#)),
        "the same check as the API's: {html}"
    );

    let victim = event_id_about(&app, &org, &ids[1]).await;
    drop_event_triggers(&app).await;
    app.store()
        .execute_raw(&format!(
            "UPDATE audit_events SET after = '{{\"name\":\"Dinas Palsu\"}}' WHERE id = {victim}"
        ))
        .await
        .expect("tamper");
    let r = post_form(&app, path, &[], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = body(r).await;
    assert!(html.contains("Rantai jejak rusak."), "{html}");
    assert!(
        html.contains(&format!("peristiwa #{victim} di posisi")),
        "{html}"
    );
    assert!(html.contains(&format!("#{victim} · organisation.created")));
}

/// Remove the append-only triggers of `audit_seals` too: someone rebuilding the chain.
async fn drop_seal_triggers(app: &TestApp) {
    let sql: &[&str] = if app.db.is_postgres() {
        &["DROP TRIGGER audit_seals_append_only ON audit_seals"]
    } else {
        &[
            "DROP TRIGGER audit_seals_no_update",
            "DROP TRIGGER audit_seals_no_delete",
        ]
    };
    for s in sql {
        app.store().execute_raw(s).await.expect("drop trigger");
    }
}

/// Alter the first agency event and rebuild every seal over the altered trail, as
/// someone with write access to the database (but not the key) could.
async fn rewrite_history(app: &TestApp, sealer: &Store, victim: i64) {
    drop_event_triggers(app).await;
    drop_seal_triggers(app).await;
    app.store()
        .execute_raw(&format!(
            "UPDATE audit_events SET after = '{{\"name\":\"Dinas Palsu\"}}' WHERE id = {victim}"
        ))
        .await
        .expect("tamper");
    app.store()
        .execute_raw("DELETE FROM audit_seals")
        .await
        .expect("remove seals");
    sealer.seal_audit(app.clock.now()).await.expect("reseal");
}

#[tokio::test]
async fn a_rewritten_history_before_a_publication_is_found_by_its_anchor() {
    let f = fixture(1, 1, 1, json!({})).await;
    let app = &f.app;
    let t = Some(f.org.access.as_str());
    let ids = some_events(app, &f.org, 2).await;
    assert_eq!(f.auto().await.status, StatusCode::OK);
    score_all(&f, |_| 7).await;
    app.post(
        &format!("/api/v1/rounds/{}/close", f.round_id()),
        t,
        json!({}),
    )
    .await;
    let w = app
        .post(
            &format!("/api/v1/editions/{}/winners", f.ed.id),
            t,
            json!({"winners": [{"entry_id": f.entries[0], "award": "juara_1"}]}),
        )
        .await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.text);
    let p = app
        .post(
            &format!("/api/v1/editions/{}/publish", f.ed.id),
            t,
            json!({}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    // The snapshot pins the head of the chain sealed up to the publication.
    let edition: juri_domain::ids::EditionId = f.ed.id.parse().expect("id");
    let (text, _) = app
        .store()
        .publication(edition)
        .await
        .expect("publication")
        .expect("published");
    let snapshot: Value = serde_json::from_str(&text).expect("json");
    let pinned = snapshot["audit_head"]["position"].as_i64().expect("pinned");
    assert!(pinned > 2, "{snapshot}");
    assert_eq!(verify(app, &f.org).await["ok"], true);
    // The trail rebuilt from the events still matches, head included.
    seal(app).await;
    assert!(
        app.store()
            .results_from_trail(edition)
            .await
            .expect("replay")
            .matches
    );

    let victim = event_id_about(app, &f.org, &ids[0]).await;
    rewrite_history(app, app.store(), victim).await;
    let v = verify(app, &f.org).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_problem"]["kind"], "anchor_mismatch", "{v}");
    assert_eq!(v["first_problem"]["position"].as_i64(), Some(pinned));
    assert_eq!(v["first_problem"]["edition_id"], f.ed.id.as_str());
}

#[tokio::test]
async fn a_chain_rewritten_without_the_key_is_found() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ids = some_events(&app, &org, 3).await;
    let key = b"kunci penyegelan yang disimpan di luar basis data".as_slice();
    let keyed = Store::connect(&app.db.url)
        .await
        .expect("connect")
        .with_audit_key(Some(key));
    keyed.seal_audit(app.clock.now()).await.expect("seal");
    let deadline = app.clock.now() - chrono::Duration::minutes(1);
    let ok = keyed.verify_audit(deadline).await.expect("verify");
    assert!(ok.ok, "{ok:?}");
    // Without the key the hashes alone still check out after a rewrite...
    let victim = event_id_about(&app, &org, &ids[1]).await;
    rewrite_history(&app, app.store(), victim).await;
    assert!(app.store().verify_audit(deadline).await.expect("verify").ok);
    // ...but not with it: the rebuilt seals carry no HMAC.
    let v = keyed.verify_audit(deadline).await.expect("verify");
    let p = v.first_problem.expect("a problem");
    assert!(
        matches!(p.problem, juri_domain::audit_chain::Problem::Unkeyed { .. }),
        "{p:?}"
    );
    // Forged with another key: the first seal already fails.
    app.store()
        .execute_raw("DELETE FROM audit_seals")
        .await
        .expect("remove seals");
    let forger = Store::connect(&app.db.url)
        .await
        .expect("connect")
        .with_audit_key(Some(b"a key the forger made up, long enough".as_slice()));
    forger.seal_audit(app.clock.now()).await.expect("forge");
    let v = keyed.verify_audit(deadline).await.expect("verify");
    let p = v.first_problem.expect("a problem");
    assert!(
        matches!(
            p.problem,
            juri_domain::audit_chain::Problem::BadMac { position: 1, .. }
        ),
        "{p:?}"
    );
    keyed.close().await.ok();
    forger.close().await.ok();
}
