//! The demo edition: believable, complete, and refused over real data.

use juri_tests::TestApp;
use juri_web::services::demo::{self, DEMO_PASSWORD};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_gives_a_newcomer_a_whole_awards_year() {
    let app = TestApp::spawn().await;
    let started = std::time::Instant::now();
    let report = demo::seed(app.state(), false).await.expect("demo");
    eprintln!("demo seeded in {:?}", started.elapsed());
    assert_eq!(report.entries, 150);
    assert_eq!(report.judges, 15);

    // The public sees last year's winners and a catalogue.
    let eds = app.get("/api/v1/public/editions", None).await;
    assert_eq!(eds.body["total"], 1, "{}", eds.text);
    let published = eds.body["items"][0]["id"].as_str().expect("id").to_owned();
    let winners = app
        .get(
            &format!("/api/v1/public/editions/{published}/winners"),
            None,
        )
        .await;
    assert_eq!(
        winners.body.as_array().map(Vec::len),
        Some(9),
        "juara 1–3 in three tracks: {}",
        winners.text
    );
    let cat = app.get("/api/v1/public/innovations?year=2024", None).await;
    assert!(
        cat.body["total"].as_u64().is_some_and(|n| n >= 30),
        "{}",
        cat.body["total"]
    );

    // Accounts work with the printed password.
    let org = app.login(&report.organiser, DEMO_PASSWORD).await;
    assert_eq!(org.status, StatusCode::OK);
    let org = org.body["access_token"].as_str().expect("token").to_owned();
    let judge = app.login(&report.judge, DEMO_PASSWORD).await;
    assert_eq!(judge.status, StatusCode::OK);
    let sub = app.login(&report.submitter, DEMO_PASSWORD).await;
    assert_eq!(sub.status, StatusCode::OK);

    // This year: 150 entries, round 1 scored and closed, round 2 in progress.
    let current = report.current_edition.to_string();
    let entries = app
        .get(
            &format!("/api/v1/entries?edition={current}&per_page=1"),
            Some(&org),
        )
        .await;
    assert_eq!(entries.body["total"], 150);
    let rounds = app
        .get(&format!("/api/v1/editions/{current}/rounds"), Some(&org))
        .await;
    let rounds = rounds.body.as_array().expect("rounds").clone();
    assert_eq!(rounds.len(), 2);
    assert!(rounds[0]["closed_at"].is_string());
    assert_eq!(
        rounds[0]["rubric"]["criteria"].as_array().map(Vec::len),
        Some(6)
    );
    assert_eq!(rounds[1]["closed_at"], Value::Null);
    let p1 = app
        .get(
            &format!(
                "/api/v1/rounds/{}/progress",
                rounds[0]["id"].as_str().expect("id")
            ),
            Some(&org),
        )
        .await;
    assert_eq!(p1.body["sheets_submitted"], p1.body["sheets_total"]);
    let p2 = app
        .get(
            &format!(
                "/api/v1/rounds/{}/progress",
                rounds[1]["id"].as_str().expect("id")
            ),
            Some(&org),
        )
        .await;
    let (done, total) = (
        p2.body["sheets_submitted"].as_u64().expect("n"),
        p2.body["sheets_total"].as_u64().expect("n"),
    );
    assert!(
        done > 0 && done < total,
        "round 2 in progress: {done}/{total}"
    );
    let r1 = app
        .get(
            &format!(
                "/api/v1/rounds/{}/results",
                rounds[0]["id"].as_str().expect("id")
            ),
            Some(&org),
        )
        .await;
    assert!(r1.body["alpha"].is_number(), "{}", r1.body["alpha"]);

    // A second run over this data is refused.
    let again = demo::seed(app.state(), false).await;
    assert!(again.is_err());
}
