//! A round's own pages for the organiser: changing the round and its rubric until
//! the rubric is frozen, advancing entries to the next round once it is closed, and
//! reopening a submitted sheet with a reason. Each is refused to a judge and a
//! submitter; a bad form value comes back with its error next to its input and
//! nothing written.

use crate::organiser_pages::{body, organiser_cookie, page_session};
use crate::pages::{get_page, location, post_form};
use juri_tests::{Fixture, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn round_json(f: &Fixture) -> Value {
    let r = f
        .app
        .get(
            &format!("/api/v1/rounds/{}", f.round_id()),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body
}

/// The judge's and the submitter's page cookies.
async fn others(f: &Fixture) -> [(&'static str, String); 2] {
    [
        (
            "judge",
            page_session(&f.app, &f.judges[0].email, &f.judges[0].password).await,
        ),
        (
            "submitter",
            page_session(&f.app, &f.subs[0].email, &f.subs[0].password).await,
        ),
    ]
}

/// The round form's values as the page shows them for the fixture's round, with
/// `changes` put over them.
fn round_form(f: &Fixture, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let round = &f.round;
    let mut pairs: Vec<(String, String)> = vec![
        ("name".into(), "Evaluasi Dokumen".into()),
        ("position".into(), "1".into()),
        ("judges_per_entry".into(), "1".into()),
        ("aggregation".into(), "mean".into()),
    ];
    for (i, c) in round["rubric"]["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .enumerate()
    {
        let text = |k: &str| c[k].as_str().unwrap_or_default().to_owned();
        let num = |k: &str| c[k].to_string();
        pairs.push((format!("criteria_{i}_id"), text("id")));
        pairs.push((format!("criteria_{i}_name"), text("name")));
        pairs.push((format!("criteria_{i}_description"), text("description")));
        pairs.push((format!("criteria_{i}_weight"), num("weight")));
        pairs.push((format!("criteria_{i}_min"), num("min")));
        pairs.push((format!("criteria_{i}_max"), num("max")));
    }
    for (k, v) in changes {
        match pairs.iter_mut().find(|(n, _)| n == k) {
            Some(p) => p.1 = (*v).to_owned(),
            None => pairs.push(((*k).to_owned(), (*v).to_owned())),
        }
    }
    pairs
}

async fn post_pairs(
    app: &TestApp,
    path: &str,
    pairs: &[(String, String)],
    cookie: &str,
) -> reqwest::Response {
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post_form(app, path, &refs, cookie, Some(&app.url(""))).await
}

/// Every sheet of the first judge saved at `value` and submitted.
pub(crate) async fn submit_first_judges_sheets(f: &Fixture, value: i64) -> Vec<String> {
    let mut ids = Vec::new();
    for a in f.assignments_of(&f.judges[0]).await {
        let id = a["id"].as_str().expect("id").to_owned();
        let r = f
            .app
            .call(
                reqwest::Method::PUT,
                &format!("/api/v1/assignments/{id}/sheet"),
                Some(&f.judges[0].access),
                Some(f.full_sheet(value)),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = f
            .app
            .post(
                &format!("/api/v1/assignments/{id}/sheet/submit"),
                Some(&f.judges[0].access),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        ids.push(id);
    }
    ids
}

#[tokio::test]
async fn a_round_is_changed_through_its_page_until_its_rubric_is_frozen() {
    let f = juri_tests::fixture(2, 2, 1, json!({})).await;
    let app = &f.app;
    let round = f.round_id();
    let cookie = organiser_cookie(app).await;
    let path = format!("/panitia/babak/{round}/ubah");
    let before = round_json(&f).await;
    let first = before["rubric"]["criteria"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let r = get_page(app, &path, &cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = body(r).await;
    assert!(html.contains(r#"value="Kebaruan""#), "{html}");
    assert!(html.contains(&format!(r#"name="criteria_0_id" value="{first}""#)));
    assert!(html.contains(r#"id="save-round""#));
    assert!(
        body(get_page(app, &format!("/panitia/babak/{round}"), &cookie).await)
            .await
            .contains(&format!(r#"href="{path}""#)),
        "the round page links to its form"
    );

    // Judges and submitters: refused, and nothing changes.
    for (who, c) in others(&f).await {
        let r = get_page(app, &path, &c).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "GET by a {who}");
        let r = post_pairs(app, &path, &round_form(&f, &[("name", "Diambil alih")]), &c).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST by a {who}");
    }
    assert_eq!(round_json(&f).await, before);

    // Each scale fault stands by the bound it is about.
    let r = post_pairs(
        app,
        &path,
        &round_form(
            &f,
            &[
                ("criteria_0_min", "-5000"),
                ("criteria_1_min", "7"),
                ("criteria_1_max", "3"),
                ("criteria_2_weight", "0"),
            ],
        ),
        &cookie,
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(
        html.contains(r#"id="e-criteria_0_min">Nilai terendah antara -1000 dan 1000."#),
        "{html}"
    );
    assert!(!html.contains(r#"id="e-criteria_0_max""#), "{html}");
    assert!(html.contains(
        r#"id="e-criteria_1_max">Nilai tertinggi harus lebih besar dari nilai terendah."#
    ));
    assert!(!html.contains(r#"id="e-criteria_1_min""#));
    assert!(html.contains(r#"id="e-criteria_2_weight">Bobot harus lebih dari 0."#));
    assert!(
        html.contains(r#"value="-5000""#),
        "what was typed comes back"
    );
    // A scale in halves, and a round with no name: at their inputs.
    let r = post_pairs(
        app,
        &path,
        &round_form(&f, &[("name", " "), ("criteria_2_max", "4.5")]),
        &cookie,
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(
        html.contains(r#"id="e-criteria_2_max">Isi dengan bilangan bulat."#),
        "{html}"
    );
    assert_eq!(round_json(&f).await, before, "nothing written");

    // A good change: settings and the rubric; kept criteria keep their ids.
    let r = post_pairs(
        app,
        &path,
        &round_form(
            &f,
            &[
                ("name", "Evaluasi Dokumen Tahap 1"),
                ("judges_per_entry", "2"),
                ("aggregation", "trimmed_mean"),
                ("blind", "on"),
                ("criteria_0_name", "Kebaruan gagasan"),
                ("criteria_2_max", "5"),
            ],
        ),
        &cookie,
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/panitia/babak/{round}?disimpan=1"));
    assert!(
        body(get_page(app, &location(&r), &cookie).await)
            .await
            .contains("Babak disimpan.")
    );
    let after = round_json(&f).await;
    assert_eq!(after["name"], "Evaluasi Dokumen Tahap 1");
    assert_eq!(after["judges_per_entry"], 2);
    assert_eq!(after["aggregation"], "trimmed_mean");
    assert_eq!(after["blind"], true);
    let criteria = after["rubric"]["criteria"].as_array().expect("criteria");
    assert_eq!(criteria.len(), 3);
    assert_eq!(criteria[0]["id"], first.as_str());
    assert_eq!(criteria[0]["name"], "Kebaruan gagasan");
    assert_eq!(criteria[2]["max"], 5);

    // A sheet is submitted: the rubric is frozen, shown read-only with the reason,
    // and the settings still change.
    let r = f.auto().await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    submit_first_judges_sheets(&f, 3).await;
    let html = body(get_page(app, &path, &cookie).await).await;
    assert!(
        html.contains(r#"id="rubric-frozen">Rubrik terkunci"#),
        "{html}"
    );
    assert!(!html.contains(r#"name="criteria_0_name""#), "read-only");
    assert!(html.contains("Kebaruan gagasan"));
    let r = post_pairs(
        app,
        &path,
        &[
            ("name".into(), "Evaluasi Akhir".into()),
            ("position".into(), "1".into()),
            ("judges_per_entry".into(), "2".into()),
            ("aggregation".into(), "mean".into()),
            ("criteria_0_name".into(), "Dicoba diubah".into()),
            ("criteria_0_weight".into(), "1".into()),
        ],
        &cookie,
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let now = round_json(&f).await;
    assert_eq!(now["name"], "Evaluasi Akhir");
    assert_eq!(now["blind"], false, "the box was not ticked");
    assert_eq!(now["rubric"], after["rubric"], "the frozen rubric is kept");

    // Closed: nothing changes, and the page says why.
    let r = post_form(
        app,
        &format!("/panitia/babak/{round}/tutup"),
        &[],
        &cookie,
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = body(get_page(app, &path, &cookie).await).await;
    assert!(html.contains(r#"id="round-locked""#), "{html}");
    assert!(!html.contains(r#"id="save-round""#));
    let r = post_pairs(
        app,
        &path,
        &round_form(&f, &[("name", "Terlambat")]),
        &cookie,
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains("Babak ini sudah ditutup."));
    assert_eq!(round_json(&f).await["name"], "Evaluasi Akhir");
}

/// The entries in a round, as the API's progress lists them.
async fn entries_in(f: &Fixture, round: &str) -> usize {
    let r = f
        .app
        .get(
            &format!("/api/v1/rounds/{round}/progress"),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["entries"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn entries_advance_from_the_closed_round_page_and_the_page_says_how_many() {
    let f = juri_tests::fixture(3, 2, 1, json!({})).await;
    let app = &f.app;
    let round = f.round_id();
    let cookie = organiser_cookie(app).await;
    let origin = app.url("");
    let page = format!("/panitia/babak/{round}");
    let path = format!("{page}/maju");
    let next = app
        .post(
            &format!("/api/v1/editions/{}/rounds", f.ed.id),
            Some(&f.org.access),
            json!({"name": "Presentasi", "position": 2, "judges_per_entry": 1,
                   "rubric": {"criteria": [{"name": "Paparan", "weight": 1, "min": 1, "max": 10}]}}),
        )
        .await;
    assert_eq!(next.status, StatusCode::CREATED, "{}", next.text);
    let next = next.body["id"].as_str().expect("id").to_owned();
    let r = f.auto().await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // The first judge scores high, the second low: the first judge's entries pass 50.
    let high = submit_first_judges_sheets(&f, 9).await.len();
    for a in f.assignments_of(&f.judges[1]).await {
        let id = a["id"].as_str().expect("id");
        let r = app
            .call(
                reqwest::Method::PUT,
                &format!("/api/v1/assignments/{id}/sheet"),
                Some(&f.judges[1].access),
                Some(f.full_sheet(1)),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = app
            .post(
                &format!("/api/v1/assignments/{id}/sheet/submit"),
                Some(&f.judges[1].access),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    assert!((1..3).contains(&high), "both judges have entries");

    // Open: no form, and a post is told to close the round first.
    let html = body(get_page(app, &page, &cookie).await).await;
    assert!(!html.contains(r#"id="advance""#));
    let r = post_form(app, &path, &[("min_score", "50")], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body(r)
            .await
            .contains(r#"id="e-advance">Tutup babak ini dulu."#)
    );

    let r = post_form(app, &format!("{page}/tutup"), &[], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = body(get_page(app, &page, &cookie).await).await;
    assert!(html.contains(r#"id="advance""#), "{html}");
    assert!(html.contains(r#"<label for="f-top_n_per_track">"#));
    assert!(html.contains(r#"<label for="f-min_score">"#));

    for (who, c) in others(&f).await {
        let r = post_form(app, &path, &[("min_score", "50")], &c, Some(&origin)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST by a {who}");
    }
    // Bad values: by their inputs, nothing advances.
    for (form, at, says) in [
        (
            [("top_n_per_track", ""), ("min_score", "")],
            "e-top_n_per_track",
            "Pilih satu",
        ),
        (
            [("top_n_per_track", "2"), ("min_score", "50")],
            "e-top_n_per_track",
            "Pilih satu",
        ),
        (
            [("top_n_per_track", ""), ("min_score", "banyak")],
            "e-min_score",
            "Isi dengan angka.",
        ),
        (
            [("top_n_per_track", "-1"), ("min_score", "")],
            "e-top_n_per_track",
            "Isi dengan bilangan bulat.",
        ),
    ] {
        let r = post_form(app, &path, &form, &cookie, Some(&origin)).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
        let html = body(r).await;
        assert!(
            html.contains(&format!(r#"id="{at}">{says}"#)),
            "{form:?}: {html}"
        );
        assert_eq!(entries_in(&f, &next).await, 0, "{form:?}");
    }
    let r = post_form(
        app,
        &path,
        &[("top_n_per_track", ""), ("min_score", "50")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{page}?maju={high}"));
    let html = body(get_page(app, &location(&r), &cookie).await).await;
    assert!(
        html.contains(&format!("Inovasi yang maju ke babak berikutnya: {high}")),
        "{html}"
    );
    assert_eq!(entries_in(&f, &next).await, high);
}

/// The first judge's sheet `id` as the judge's list shows it.
async fn sheet_status(f: &Fixture, id: &str) -> String {
    f.assignments_of(&f.judges[0])
        .await
        .iter()
        .find(|a| a["id"] == id)
        .and_then(|a| a["sheet_status"].as_str())
        .expect("the sheet")
        .to_owned()
}

#[tokio::test]
async fn a_submitted_sheet_is_reopened_from_its_own_page_with_a_reason() {
    let f = juri_tests::fixture(2, 2, 1, json!({})).await;
    let app = &f.app;
    let round = f.round_id();
    let cookie = organiser_cookie(app).await;
    let origin = app.url("");
    let page = format!("/panitia/babak/{round}");
    let html = body(get_page(app, &page, &cookie).await).await;
    assert!(html.contains("Belum ada lembar yang dikirim."));
    let r = f.auto().await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let sheets = submit_first_judges_sheets(&f, 6).await;
    let sheet = sheets[0].clone();
    let path = format!("{page}/lembar/{sheet}/buka");

    // The round page links to each submitted sheet; the form is on the sheet's page.
    let html = body(get_page(app, &page, &cookie).await).await;
    assert!(
        html.contains(&format!(r#"<li id="sheet-{sheet}"><a href="{path}">"#)),
        "{html}"
    );
    assert!(!html.contains(r#"name="reason""#), "no reopen forms inline");
    let html = body(get_page(app, &path, &cookie).await).await;
    assert!(html.contains(r#"<label for="f-reason">Alasan membuka kembali"#));
    assert!(html.contains(&format!(r#"action="{path}""#)));
    assert!(html.contains("Dr. Rahmat Hidayat"), "the judge named");

    for (who, c) in others(&f).await {
        let r = post_form(app, &path, &[("reason", "Salah ketik")], &c, Some(&origin)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST by a {who}");
    }
    let r = post_form(
        app,
        &path,
        &[("reason", "Salah ketik")],
        &cookie,
        Some("http://evil.example"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // No reason: the error stands by the reason box and at the top; still submitted.
    let r = post_form(app, &path, &[("reason", "  ")], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(
        html.contains(r#"id="e-reason">Tuliskan alasan membuka kembali"#),
        "{html}"
    );
    assert!(html.contains(r##"<a href="#f-reason">"##), "{html}");
    assert_eq!(sheet_status(&f, &sheet).await, "submitted");

    let r = post_form(
        app,
        &path,
        &[("reason", "Nilai kriteria kedua salah ketik.")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{page}?dibuka=1"));
    let html = body(get_page(app, &location(&r), &cookie).await).await;
    assert!(html.contains("Lembar penilaian dibuka kembali"));
    assert!(!html.contains(&format!(r#"<li id="sheet-{sheet}">"#)));
    assert_eq!(sheet_status(&f, &sheet).await, "draft");
    let a = app
        .get(
            &format!("/api/v1/assignments/{sheet}"),
            Some(&f.judges[0].access),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert!(
        a.text.contains("Nilai kriteria kedua salah ketik."),
        "{}",
        a.text
    );

    // Reopening a draft: refused (409), told on the sheet's page.
    let r = post_form(app, &path, &[("reason", "Lagi")], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = body(r).await;
    assert!(
        html.contains(r#"id="e-reopen">Hanya lembar yang sudah dikirim"#),
        "{html}"
    );
    assert!(html.contains(r#"id="sheet-not-submitted""#));
    assert_eq!(sheet_status(&f, &sheet).await, "draft");
}

#[tokio::test]
async fn one_judge_is_assigned_to_several_entries_at_once_all_or_none() {
    let f = juri_tests::fixture(3, 2, 1, json!({})).await;
    let app = &f.app;
    let round = f.round_id();
    let cookie = organiser_cookie(app).await;
    let origin = app.url("");
    let path = format!("/panitia/babak/{round}/tambah-banyak");
    let judge = &f.judges[0];
    let mine = || async { f.assignments_of(judge).await.len() };
    let html = body(get_page(app, &format!("/panitia/babak/{round}"), &cookie).await).await;
    assert!(html.contains(r#"id="f-assign_many""#), "{html}");
    let tick = |i: usize| format!("pilih_{}", f.entries[i]);
    let (e0, e1, e2) = (tick(0), tick(1), tick(2));

    // No judge, nothing ticked: both told, nothing assigned.
    let r = post_form(app, &path, &[], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(html.contains(r#"id="e-assign_many">Centang setidaknya satu inovasi."#));
    assert_eq!(mine().await, 0);

    let r = post_form(
        app,
        &path,
        &[("judge_id", judge.id.as_str()), (&e0, "1"), (&e1, "1")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).ends_with("?ditugaskan=2"), "{}", location(&r));
    assert_eq!(mine().await, 2);
    // One mail for the change, with the count.
    let mails = app.store().outbox().await.expect("outbox");
    let assigned: Vec<_> = mails
        .iter()
        .filter(|m| m.kind == "judge_assigned")
        .collect();
    assert_eq!(assigned.len(), 1, "{assigned:?}");
    assert!(
        assigned[0].body.contains("2 inovasi baru"),
        "{}",
        assigned[0].body
    );

    // One of them assigned already: refused in place (409), the third not added.
    let r = post_form(
        app,
        &path,
        &[("judge_id", judge.id.as_str()), (&e1, "1"), (&e2, "1")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = body(r).await;
    assert!(html.contains(r#"id="e-assign_many">"#), "{html}");
    assert_eq!(mine().await, 2, "all or none");

    for (who, c) in others(&f).await {
        let r = post_form(
            app,
            &path,
            &[("judge_id", judge.id.as_str()), (&e2, "1")],
            &c,
            Some(&origin),
        )
        .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST by a {who}");
    }
}
