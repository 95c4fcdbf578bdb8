//! Results: rankings, ties, winners, the frozen publication, the public pages.

use chrono::Duration;
use juri_tests::{Fixture, TestApp, complete_entry, fixture};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

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

fn group_entries(results: &Value) -> Vec<Value> {
    results["ranking"]["groups"][0]["entries"]
        .as_array()
        .expect("entries")
        .clone()
}

/// S_je of a sheet with every criterion at `v` on the fixture's rubric:
/// weights 30, 50, 20 on scales 1–10, 1–10, 0–4.
fn s_je(v: i64) -> f64 {
    let n = |x: i64, lo: i64, hi: i64| (x.clamp(lo, hi) - lo) as f64 / (hi - lo) as f64;
    100.0 * (30.0 * n(v, 1, 10) + 50.0 * n(v, 1, 10) + 20.0 * n(v, 0, 4)) / 100.0
}

#[tokio::test]
async fn a_whole_edition_from_sign_up_to_publication() {
    let f = fixture(3, 2, 2, json!({})).await;
    let app = &f.app;
    let auto = f.auto().await;
    assert_eq!(auto.status, StatusCode::OK, "{}", auto.text);
    // Entry i scores 2 + 3i on every criterion: entry 2 first, then 1, then 0.
    score_all(&f, |i| 2 + 3 * i as i64).await;
    let rid = f.round_id();
    app.post(
        &format!("/api/v1/rounds/{rid}/close"),
        Some(&f.org.access),
        json!({}),
    )
    .await;

    let rr = app
        .get(
            &format!("/api/v1/rounds/{rid}/results"),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(rr.status, StatusCode::OK, "{}", rr.text);
    let rows = group_entries(&rr.body);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["entry_id"], f.entries[2].as_str());
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[2]["entry_id"], f.entries[0].as_str());
    // Both judges gave the same values: the entry's score is that S_je, to the last decimal.
    let top = rows[0]["final_score"].as_f64().expect("score");
    assert!((top - s_je(8)).abs() < 1e-9, "{top} vs {}", s_je(8));
    let judge_scores = rows[0]["rounds"][0]["judge_scores"]
        .as_array()
        .expect("judge scores");
    assert_eq!(judge_scores.len(), 2);
    assert_eq!(rows[0]["rounds"][0]["flagged"], false);
    // Perfect agreement between the two judges.
    assert!(
        (rr.body["alpha"].as_f64().expect("alpha") - 1.0).abs() < 1e-9,
        "{}",
        rr.body["alpha"]
    );
    assert_eq!(rr.body["judges"].as_array().map(Vec::len), Some(2));

    let er = app
        .get(
            &format!("/api/v1/editions/{}/results", f.ed.id),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(er.status, StatusCode::OK, "{}", er.text);
    assert_eq!(
        group_entries(&er.body)[0]["entry_id"],
        f.entries[2].as_str()
    );

    let w = app
        .post(
            &format!("/api/v1/editions/{}/winners", f.ed.id),
            Some(&f.org.access),
            json!({"winners": [{"entry_id": f.entries[2], "award": "juara_1"}, {"entry_id": f.entries[1], "award": "juara_2"}]}),
        )
        .await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.text);
    let ed = app
        .get(
            &format!("/api/v1/editions/{}", f.ed.id),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(ed.body["phase"], "decided");

    let p = app
        .post(
            &format!("/api/v1/editions/{}/publish", f.ed.id),
            Some(&f.org.access),
            json!({}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    let sha = p.body["sha256"].as_str().expect("sha").to_owned();
    assert_eq!(sha.len(), 64);

    // The stored snapshot is what recomputing from the stored sheets gives.
    let edition_id: juri_domain::ids::EditionId = f.ed.id.parse().expect("id");
    let (stored, stored_sha) = app
        .store()
        .publication(edition_id)
        .await
        .expect("query")
        .expect("published");
    let recomputed = app
        .store()
        .recompute_snapshot(edition_id)
        .await
        .expect("recompute");
    assert_eq!(stored, recomputed);
    use sha2::Digest;
    assert_eq!(
        hex::encode(sha2::Sha256::digest(recomputed.as_bytes())),
        stored_sha
    );
    assert_eq!(stored_sha, sha);

    // Frozen: every write is 409.
    let t = Some(f.org.access.as_str());
    app.post(
        &format!("/api/v1/editions/{}/winners", f.ed.id),
        t,
        json!({"winners": []}),
    )
    .await
    .problem(409);
    app.post(
        &format!("/api/v1/editions/{}/publish", f.ed.id),
        t,
        json!({}),
    )
    .await
    .problem(409);
    app.patch(
        &format!("/api/v1/editions/{}", f.ed.id),
        t,
        json!({"name": "Diubah"}),
    )
    .await
    .problem(409);
    app.post(
        &format!("/api/v1/editions/{}/rounds", f.ed.id),
        t,
        json!({"name": "Babak susulan", "position": 5, "judges_per_entry": 1, "rubric": {"criteria": [{"name": "A", "weight": 1, "min": 0, "max": 1}]}}),
    )
    .await
    .problem(409);
    app.post(
        &format!("/api/v1/entries/{}/screening", f.entries[0]),
        t,
        json!({"eligible": false, "reason": "x"}),
    )
    .await
    .problem(409);
    let a = f.first_assignment_of(&f.judges[0]).await;
    app.post(
        &format!("/api/v1/assignments/{a}/sheet/reopen"),
        t,
        json!({"reason": "koreksi"}),
    )
    .await
    .problem(409);
    app.call(
        Method::PUT,
        &format!("/api/v1/assignments/{a}/sheet"),
        Some(&f.judges[0].access),
        Some(f.full_sheet(1)),
    )
    .await
    .problem(409);
    app.patch(
        &format!("/api/v1/rounds/{rid}"),
        t,
        json!({"name": "Diubah"}),
    )
    .await
    .problem(409);
    app.post(
        &format!("/api/v1/editions/{}/ties", f.ed.id),
        t,
        json!({"entry_ids": [f.entries[0], f.entries[1]], "reason": "x"}),
    )
    .await
    .problem(409);
    // The snapshot did not move.
    let (after, _) = app
        .store()
        .publication(edition_id)
        .await
        .expect("query")
        .expect("published");
    assert_eq!(after, stored);

    // The public sees the edition and its winners, with the published scores.
    let pe = app.get("/api/v1/public/editions", None).await;
    assert_eq!(pe.body["total"], 1, "{}", pe.text);
    let pw = app
        .get(
            &format!("/api/v1/public/editions/{}/winners", f.ed.id),
            None,
        )
        .await;
    assert_eq!(pw.status, StatusCode::OK, "{}", pw.text);
    let winners = pw.body.as_array().expect("winners");
    assert_eq!(winners.len(), 2);
    assert_eq!(winners[0]["award"], "juara_1");
    assert_eq!(winners[0]["award_label"], "Juara I");
    assert_eq!(winners[0]["title"], "Inovasi nomor 2");
    assert_eq!(winners[0]["field"], "Kesehatan");
    assert!((winners[0]["score"].as_f64().expect("score") - top).abs() < 1e-9);
    for leak in ["judge", "sheet", "email", "submitter"] {
        assert!(
            !pw.text.contains(leak),
            "{leak} in public winners: {}",
            pw.text
        );
    }
    // Entry statuses moved.
    let e = app
        .get(
            &format!("/api/v1/entries/{}", f.entries[2]),
            Some(&f.subs[2].access),
        )
        .await;
    assert_eq!(e.body["status"], "winner");
    let e = app
        .get(
            &format!("/api/v1/entries/{}", f.entries[0]),
            Some(&f.subs[0].access),
        )
        .await;
    assert_eq!(e.body["status"], "not_awarded");
    // And the catalogue has the innovations, with their award.
    let c = app
        .get("/api/v1/public/innovations?q=INOVASI%20nomor", None)
        .await;
    assert_eq!(c.body["total"], 3, "{}", c.text);
    let one = app
        .get(
            &format!("/api/v1/public/innovations/{}", f.entries[2]),
            None,
        )
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["award"], "juara_1");
    assert_eq!(one.body["year"], 2026);
}

#[tokio::test]
async fn unconsented_ineligible_and_unpublished_entries_are_never_public() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 5).await;
    let sub = app.submitter("publik@example.id").await;
    let mut ids = Vec::new();
    for (title, consent) in [
        ("Lampu jalan tenaga surya", true),
        ("Rahasia dapur umum", false),
        ("Ditolak administrasi", true),
    ] {
        let mut body = complete_entry(&ed, title);
        body["publication_consent"] = json!(consent);
        let r = app
            .post(
                &format!("/api/v1/editions/{}/entries", ed.id),
                Some(&sub.access),
                body,
            )
            .await;
        let id = r.body["id"].as_str().expect("id").to_owned();
        app.post(
            &format!("/api/v1/entries/{id}/submit"),
            Some(&sub.access),
            json!({}),
        )
        .await;
        ids.push(id);
    }
    let judge = app.judge(&org, "juri@example.id").await;
    app.clock.advance(Duration::days(6));
    let org = app.again(&org).await;
    let judge = app.again(&judge).await;
    for (i, id) in ids.iter().enumerate() {
        let body = if i == 2 {
            json!({"eligible": false, "reason": "Tidak lengkap"})
        } else {
            json!({"eligible": true})
        };
        app.post(
            &format!("/api/v1/entries/{id}/screening"),
            Some(&org.access),
            body,
        )
        .await;
    }
    // Before publication nothing is public, not even the consenting eligible entry.
    for title in ["Lampu%20jalan", "Rahasia", "Ditolak"] {
        let r = app
            .get(&format!("/api/v1/public/innovations?q={title}"), None)
            .await;
        assert_eq!(r.body["total"], 0, "{title}: {}", r.text);
    }
    app.get(&format!("/api/v1/public/innovations/{}", ids[0]), None)
        .await
        .problem(404);
    app.get(&format!("/api/v1/public/editions/{}/winners", ed.id), None)
        .await
        .problem(404);

    // Judge, decide, publish.
    app.post(
        &format!("/api/v1/editions/{}/judges", ed.id),
        Some(&org.access),
        json!({"judge_id": judge.id}),
    )
    .await;
    let round = app
        .post(
            &format!("/api/v1/editions/{}/rounds", ed.id),
            Some(&org.access),
            json!({"name": "Evaluasi", "position": 1, "judges_per_entry": 1, "rubric": {"criteria": [{"name": "Nilai", "weight": 1, "min": 0, "max": 10}]}}),
        )
        .await;
    let rid = round.body["id"].as_str().expect("rid").to_owned();
    let crit = round.body["rubric"]["criteria"][0]["id"]
        .as_str()
        .expect("crit")
        .to_owned();
    app.post(
        &format!("/api/v1/rounds/{rid}/assignments/auto"),
        Some(&org.access),
        json!({}),
    )
    .await;
    let mine = app.get("/api/v1/me/assignments", Some(&judge.access)).await;
    assert_eq!(
        mine.body.as_array().map(Vec::len),
        Some(2),
        "the ineligible entry is not judged"
    );
    for (i, a) in mine.body.as_array().expect("list").iter().enumerate() {
        let aid = a["id"].as_str().expect("aid");
        app.call(
            Method::PUT,
            &format!("/api/v1/assignments/{aid}/sheet"),
            Some(&judge.access),
            Some(json!({"scores": [{"criterion_id": crit, "value": 5 + i}]})),
        )
        .await;
        app.post(
            &format!("/api/v1/assignments/{aid}/sheet/submit"),
            Some(&judge.access),
            json!({}),
        )
        .await;
    }
    app.post(
        &format!("/api/v1/rounds/{rid}/close"),
        Some(&org.access),
        json!({}),
    )
    .await;
    let w = app
        .post(
            &format!("/api/v1/editions/{}/winners", ed.id),
            Some(&org.access),
            json!({"winners": [{"entry_id": ids[0], "award": "juara_1"},
                               {"entry_id": ids[1], "award": "juara_2"}]}),
        )
        .await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.text);
    let p = app
        .post(
            &format!("/api/v1/editions/{}/publish", ed.id),
            Some(&org.access),
            json!({}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);

    let found = app
        .get("/api/v1/public/innovations?q=lampu%20JALAN%20surya", None)
        .await;
    assert_eq!(found.body["total"], 1, "{}", found.text);
    for title in ["Rahasia%20dapur%20umum", "Ditolak%20administrasi"] {
        let r = app
            .get(&format!("/api/v1/public/innovations?q={title}"), None)
            .await;
        assert_eq!(
            r.body["total"], 0,
            "{title} must never be public: {}",
            r.text
        );
    }
    app.get(&format!("/api/v1/public/innovations/{}", ids[1]), None)
        .await
        .problem(404);
    app.get(&format!("/api/v1/public/innovations/{}", ids[2]), None)
        .await
        .problem(404);
    // Filters.
    assert_eq!(
        app.get("/api/v1/public/innovations?year=2026", None)
            .await
            .body["total"],
        1
    );
    assert_eq!(
        app.get("/api/v1/public/innovations?year=2025", None)
            .await
            .body["total"],
        0
    );
    assert_eq!(
        app.get("/api/v1/public/innovations?field=kesehatan", None)
            .await
            .body["total"],
        1
    );
    assert_eq!(
        app.get("/api/v1/public/innovations?field=pendidikan", None)
            .await
            .body["total"],
        0
    );
    assert_eq!(
        app.get("/api/v1/public/innovations?track=Masyarakat%20umum", None)
            .await
            .body["total"],
        1
    );
    let one = app
        .get(&format!("/api/v1/public/innovations/{}", ids[0]), None)
        .await;
    for leak in ["publik@example.id", &sub.id, "screening", "submitter"] {
        assert!(!one.text.contains(leak), "{leak} leaked: {}", one.text);
    }
    // The unconsented winner is linked from the winners' page: its page shows what was
    // announced (title, award) and nothing of the entry itself.
    let winners = app
        .send(app.client.get(app.url(&format!("/pemenang/{}", ed.id))))
        .await;
    assert!(winners.text.contains(&format!("/inovasi/{}", ids[1])));
    let page = app
        .send(app.client.get(app.url(&format!("/inovasi/{}", ids[1]))))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("Rahasia dapur umum"), "{}", page.text);
    assert!(page.text.contains("Juara II"), "{}", page.text);
    let summary = complete_entry(&ed, "x")["summary"]
        .as_str()
        .expect("summary")
        .to_owned();
    assert!(!page.text.contains(&summary), "{}", page.text);
    let ineligible = app
        .send(app.client.get(app.url(&format!("/inovasi/{}", ids[2]))))
        .await;
    assert_eq!(ineligible.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_tie_must_be_decided_with_a_reason_before_awarding() {
    let f = fixture(3, 1, 1, json!({})).await;
    let app = &f.app;
    f.auto().await;
    // Entries 0 and 1 tie exactly; entry 2 is below.
    score_all(&f, |i| if i == 2 { 3 } else { 7 }).await;
    let rid = f.round_id();
    let t = Some(f.org.access.as_str());
    // Winners before the round is closed: refused.
    app.post(
        &format!("/api/v1/editions/{}/winners", f.ed.id),
        t,
        json!({"winners": [{"entry_id": f.entries[0], "award": "juara_1"}]}),
    )
    .await
    .problem(409);
    app.post(&format!("/api/v1/rounds/{rid}/close"), t, json!({}))
        .await;
    let er = app
        .get(&format!("/api/v1/editions/{}/results", f.ed.id), t)
        .await;
    assert_eq!(er.body["ranking"]["ties"], 1, "{}", er.text);
    let rows = group_entries(&er.body);
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[1]["rank"], 1);
    assert_eq!(rows[2]["rank"], 3);
    assert_eq!(rows[0]["tie"], true);
    let winners = json!({"winners": [{"entry_id": f.entries[1], "award": "juara_1"}, {"entry_id": f.entries[0], "award": "juara_2"}]});
    app.post(
        &format!("/api/v1/editions/{}/winners", f.ed.id),
        t,
        winners.clone(),
    )
    .await
    .problem(409);
    // A decision must name exactly the tied entries, with a reason.
    app.post(
        &format!("/api/v1/editions/{}/ties", f.ed.id),
        t,
        json!({"entry_ids": [f.entries[1], f.entries[2]], "reason": "x"}),
    )
    .await
    .problem(422);
    app.post(
        &format!("/api/v1/editions/{}/ties", f.ed.id),
        t,
        json!({"entry_ids": [f.entries[1], f.entries[0]], "reason": ""}),
    )
    .await
    .problem(422);
    let d = app
        .post(
            &format!("/api/v1/editions/{}/ties", f.ed.id),
            t,
            json!({"entry_ids": [f.entries[1], f.entries[0]], "reason": "Presentasi lapangan lebih meyakinkan"}),
        )
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.text);
    let w = app
        .post(&format!("/api/v1/editions/{}/winners", f.ed.id), t, winners)
        .await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.text);
    // The same award twice in one track is refused.
    let dup = app
        .post(&format!("/api/v1/editions/{}/winners", f.ed.id), t, json!({"winners": [{"entry_id": f.entries[1], "award": "juara_1"}, {"entry_id": f.entries[2], "award": "juara_1"}]}))
        .await;
    dup.problem(422);
    // Only organisers see results and record winners.
    for who in [&f.judges[0], &f.subs[0]] {
        app.get(
            &format!("/api/v1/editions/{}/results", f.ed.id),
            Some(&who.access),
        )
        .await
        .problem(403);
        app.get(&format!("/api/v1/rounds/{rid}/results"), Some(&who.access))
            .await
            .problem(403);
        app.post(
            &format!("/api/v1/editions/{}/publish", f.ed.id),
            Some(&who.access),
            json!({}),
        )
        .await
        .problem(403);
    }
}
