//! Exports: XLSX and CSV hold the numbers the results route shows, and user text never
//! becomes a formula.

use calamine::{Data, Reader, Xlsx};
use chrono::Duration;
use juri_tests::{TestApp, complete_entry};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::io::Cursor;

const EVIL: &str = "=HYPERLINK(\"http://x\",\"y\")";

#[tokio::test]
async fn exports_hold_the_results_and_no_formula() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 5).await;
    let sub = app.submitter("ekspor@example.id").await;
    let mut ids = Vec::new();
    for title in [EVIL, "Perpustakaan keliling desa"] {
        let r = app
            .post(
                &format!("/api/v1/editions/{}/entries", ed.id),
                Some(&sub.access),
                complete_entry(&ed, title),
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
    let (org, judge, sub) = (
        app.again(&org).await,
        app.again(&judge).await,
        app.again(&sub).await,
    );
    for id in &ids {
        app.post(
            &format!("/api/v1/entries/{id}/screening"),
            Some(&org.access),
            json!({"eligible": true}),
        )
        .await;
    }
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
            json!({"name": "Evaluasi", "position": 1, "judges_per_entry": 1,
                   "rubric": {"criteria": [{"name": "Dampak", "weight": 2, "min": 0, "max": 10}, {"name": "Biaya", "weight": 1, "min": 1, "max": 5}]}}),
        )
        .await;
    let rid = round.body["id"].as_str().expect("rid").to_owned();
    let crit: Vec<String> = round.body["rubric"]["criteria"]
        .as_array()
        .expect("c")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    app.post(
        &format!("/api/v1/rounds/{rid}/assignments/auto"),
        Some(&org.access),
        json!({}),
    )
    .await;
    let mine = app.get("/api/v1/me/assignments", Some(&judge.access)).await;
    for (i, a) in mine.body.as_array().expect("list").iter().enumerate() {
        let aid = a["id"].as_str().expect("aid");
        let scores = json!({"scores": [{"criterion_id": crit[0], "value": 6 + i}, {"criterion_id": crit[1], "value": 2 + i, "comment": "=cmd|' /C calc'!A0"}]});
        app.call(
            Method::PUT,
            &format!("/api/v1/assignments/{aid}/sheet"),
            Some(&judge.access),
            Some(scores),
        )
        .await;
        app.post(
            &format!("/api/v1/assignments/{aid}/sheet/submit"),
            Some(&judge.access),
            json!({}),
        )
        .await;
    }
    let results = app
        .get(
            &format!("/api/v1/editions/{}/results", ed.id),
            Some(&org.access),
        )
        .await;
    let expected: std::collections::HashMap<String, f64> =
        results.body["ranking"]["groups"][0]["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| {
                (
                    e["entry_id"].as_str().expect("id").to_owned(),
                    e["final_score"].as_f64().expect("score"),
                )
            })
            .collect();
    assert_eq!(expected.len(), 2);

    // XLSX
    let res = app
        .client
        .get(app.url(&format!("/api/v1/editions/{}/export.xlsx", ed.id)))
        .bearer_auth(&org.access)
        .send()
        .await
        .expect("xlsx");
    assert_eq!(res.status(), StatusCode::OK);
    let named = res.headers()["content-disposition"].to_str().expect("cd");
    assert!(
        named.starts_with("attachment; filename=\"hasil-bangka-innovation-awards-2026-")
            && named.ends_with(".xlsx\""),
        "{named}"
    );
    let bytes = res.bytes().await.expect("bytes").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a real XLSX file");
    assert_eq!(
        book.sheet_names(),
        vec!["Peringkat", "Lembar penilaian", "Juri"]
    );
    let ranking = book.worksheet_range("Peringkat").expect("ranking sheet");
    let mut seen = 0;
    for row in ranking.rows().skip(1) {
        let id = row[8].to_string();
        let Some(score) = expected.get(&id) else {
            continue;
        };
        seen += 1;
        assert!(
            matches!(row[5], Data::Float(x) if (x - score).abs() < 1e-9),
            "score cell {:?} vs {score}",
            row[5]
        );
        assert!(matches!(row[2], Data::Float(_)), "rank is a number");
        if id == ids[0] {
            assert_eq!(
                row[3],
                Data::String(EVIL.to_owned()),
                "the title is a string, not a formula"
            );
        }
    }
    assert_eq!(seen, 2);
    let formulas = book.worksheet_formula("Peringkat").expect("formulas");
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula anywhere"
    );
    let sheets = book.worksheet_range("Lembar penilaian").expect("sheets");
    assert_eq!(
        sheets.rows().count(),
        1 + 2 * 2,
        "one row per sheet and criterion"
    );
    assert!(
        sheets
            .rows()
            .skip(1)
            .all(|r| matches!(r[7], Data::Float(_)) && matches!(r[9], Data::Float(_)))
    );
    let judges = book.worksheet_range("Juri").expect("judges");
    assert_eq!(judges.rows().count(), 2);

    // CSV
    let csv = app
        .client
        .get(app.url(&format!("/api/v1/editions/{}/export.csv", ed.id)))
        .bearer_auth(&org.access)
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("text/csv")
    );
    // The form an Indonesian Excel opens in columns: a byte-order mark, semicolons,
    // decimal commas; named after the edition and the day (WIB).
    let day = juri_text::time::today(juri_domain::clock::Clock::now(&*app.clock));
    assert_eq!(
        csv.headers()["content-disposition"],
        format!(
            "attachment; filename=\"peringkat-bangka-innovation-awards-2026-{}.csv\"",
            day.format("%Y-%m-%d")
        )
        .as_str()
    );
    let text = csv.text().await.expect("text");
    assert!(
        text.starts_with("\u{feff}kategori;bidang;peringkat;"),
        "{text}"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut rows = 0;
    for rec in reader.records() {
        let rec = rec.expect("record");
        rows += 1;
        let id = rec.get(8).expect("id").to_owned();
        let score = rec.get(5).expect("score");
        assert!(score.contains(',') && !score.contains('.'), "{score}");
        let score: f64 = score.replace(',', ".").parse().expect("a number");
        assert!((score - expected[&id]).abs() < 1e-6);
        if id == ids[0] {
            assert!(
                rec.get(3).expect("title").starts_with("'="),
                "{:?}",
                rec.get(3)
            );
        }
    }
    assert_eq!(rows, 2);

    // Organisers only.
    for who in [&judge, &sub] {
        app.get(
            &format!("/api/v1/editions/{}/export.xlsx", ed.id),
            Some(&who.access),
        )
        .await
        .problem(403);
        app.get(
            &format!("/api/v1/editions/{}/export.csv", ed.id),
            Some(&who.access),
        )
        .await
        .problem(403);
    }
}

#[tokio::test]
async fn the_sixth_export_in_a_minute_is_429() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 5).await;
    let path = format!("/api/v1/editions/{}/export.csv", ed.id);
    for i in 1..=5 {
        let r = app.get(&path, Some(&org.access)).await;
        assert_eq!(r.status, StatusCode::OK, "export {i}: {}", r.text);
    }
    let r = app.get(&path, Some(&org.access)).await;
    r.problem(429);
    assert!(r.headers.contains_key("retry-after"));
    app.clock.advance(Duration::seconds(61));
    assert_eq!(
        app.get(&path, Some(&org.access)).await.status,
        StatusCode::OK
    );
}
