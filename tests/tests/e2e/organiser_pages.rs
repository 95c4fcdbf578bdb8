//! The organiser's pages over plain HTTP: each renders for an organiser and is
//! refused to a judge and a submitter; a bad form shows its error next to its field
//! and writes nothing; a cross-site POST is refused; and the steps of an edition
//! (screening, a round, assignment, closing, ties, winners, publishing, exports)
//! change what the API then reports.

use crate::pages::{cookie_pair, get_page, location, page_text, post_form};
use chrono::Duration;
use juri_tests::{ORGANISER_EMAIL, ORGANISER_PASSWORD, Session, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Sign in through the page: the access cookie.
pub(crate) async fn page_session(app: &TestApp, email: &str, password: &str) -> String {
    let r = post_form(
        app,
        "/masuk",
        &[("email", email), ("password", password)],
        "",
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign-in of {email}");
    cookie_pair(r.headers(), "juri_akses")
}

pub(crate) async fn organiser_cookie(app: &TestApp) -> String {
    page_session(app, ORGANISER_EMAIL, ORGANISER_PASSWORD).await
}

pub(crate) async fn body(r: reqwest::Response) -> String {
    r.text().await.expect("body")
}

async fn entry_json(app: &TestApp, org: &Session, id: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/entries/{id}"), Some(&org.access))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body
}

/// An edition past its deadline with `n` submitted (unscreened) entries.
async fn submitted_entries(n: usize) -> (TestApp, Session, juri_tests::TestEdition, Vec<String>) {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let mut ids = Vec::new();
    for i in 0..n {
        let s = app.submitter(&format!("peserta{i}@example.id")).await;
        let id = app.draft(&s, &ed, &format!("Inovasi seleksi {i}")).await;
        let r = app
            .post(
                &format!("/api/v1/entries/{id}/submit"),
                Some(&s.access),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        ids.push(id);
    }
    app.clock.advance(Duration::days(11));
    let org = app.again(&org).await;
    (app, org, ed, ids)
}

#[tokio::test]
async fn every_organiser_page_renders_for_an_organiser_and_is_refused_to_judges_and_submitters() {
    let f = juri_tests::fixture(2, 2, 1, json!({})).await;
    let app = &f.app;
    let round = f.round_id();
    let ed = &f.ed.id;
    let entry = &f.entries[0];
    let org = organiser_cookie(app).await;
    let judge = page_session(app, &f.judges[0].email, &f.judges[0].password).await;
    let submitter = page_session(app, &f.subs[0].email, &f.subs[0].password).await;
    let pages = [
        ("/panitia".to_owned(), "Bangka Innovation Awards 2026"),
        (format!("/panitia/edisi/{ed}"), "Seleksi administrasi"),
        (
            format!("/panitia/edisi/{ed}/seleksi?status=semua"),
            "Inovasi nomor 0",
        ),
        (format!("/panitia/inovasi/{entry}"), "Inovasi nomor 0"),
        (format!("/panitia/edisi/{ed}/babak/baru"), "Nama kriteria"),
        (format!("/panitia/babak/{round}"), "Evaluasi Dokumen"),
        (
            format!("/panitia/edisi/{ed}/hasil"),
            "Sebaran nilai tiap juri",
        ),
        (
            format!("/panitia/edisi/{ed}/terbitkan"),
            "tidak dapat dibatalkan",
        ),
    ];
    for (path, text) in &pages {
        let r = get_page(app, path, &org).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let html = body(r).await;
        assert!(html.contains(text), "{path} shows {text:?}");
        assert!(!html.contains("<script>"), "{path}: no inline script");
        for (who, cookie) in [("judge", &judge), ("submitter", &submitter)] {
            let r = get_page(app, path, cookie).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} for a {who}");
        }
        let r = get_page(app, path, "").await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path} for a visitor");
        assert!(location(&r).starts_with("/sesi/perbarui?next="), "{path}");
    }
    // The header links the organiser to their area.
    let html = body(get_page(app, "/", &org).await).await;
    assert!(html.contains(r#"<a href="/panitia">Panitia</a>"#));

    // Every state-changing page refuses a judge and changes nothing.
    let origin = app.url("");
    for path in [
        format!("/panitia/inovasi/{entry}/seleksi"),
        format!("/panitia/edisi/{ed}/babak/baru"),
        format!("/panitia/babak/{round}/otomatis"),
        format!("/panitia/babak/{round}/tambah"),
        format!("/panitia/babak/{round}/hapus"),
        format!("/panitia/babak/{round}/tutup"),
        format!("/panitia/edisi/{ed}/seri"),
        format!("/panitia/edisi/{ed}/pemenang"),
        format!("/panitia/edisi/{ed}/terbitkan"),
    ] {
        let r = post_form(
            app,
            &path,
            &[("eligible", "tidak"), ("reason", "x"), ("name", "Babak")],
            &judge,
            Some(&origin),
        )
        .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST {path} by a judge");
    }
    let rounds = app
        .get(
            &format!("/api/v1/editions/{ed}/rounds"),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(rounds.body.as_array().map(Vec::len), Some(1));
    let progress = app
        .get(
            &format!("/api/v1/rounds/{round}/progress"),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(progress.body["sheets_total"], 0, "{}", progress.text);
    assert_eq!(entry_json(app, &f.org, entry).await["status"], "eligible");
}

/// "Lolos seleksi" on the organisers' home counts every entry that passed screening,
/// also those now in judging (it once said 0 with 136 entries being judged).
#[tokio::test]
async fn the_home_counts_entries_in_judging_as_passed_screening() {
    let f = juri_tests::fixture(3, 2, 1, json!({})).await;
    let app = &f.app;
    let r = app
        .post(
            &format!("/api/v1/rounds/{}/assignments/auto", f.round_id()),
            Some(&f.org.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let statuses: Vec<Value> = {
        let mut out = Vec::new();
        for id in &f.entries {
            out.push(entry_json(app, &f.org, id).await["status"].clone());
        }
        out
    };
    assert!(statuses.iter().any(|s| s == "in_judging"), "{statuses:?}");
    let cookie = organiser_cookie(app).await;
    let html = body(get_page(app, "/panitia", &cookie).await).await;
    assert!(
        html.contains(&format!(r#"<td id="passed-{}">3</td>"#, f.ed.id)),
        "{html}"
    );
}

#[tokio::test]
async fn screening_from_the_queue_needs_a_result_and_a_reason_when_ineligible() {
    let (app, org, ed, ids) = submitted_entries(2).await;
    let cookie = organiser_cookie(&app).await;
    let origin = app.url("");

    let html =
        body(get_page(&app, &format!("/panitia/edisi/{}/seleksi", ed.id), &cookie).await).await;
    assert!(html.contains(r#"id="result-count">2 inovasi"#), "both wait");
    let html = body(get_page(&app, "/panitia", &cookie).await).await;
    assert!(html.contains(&format!(
        r#"<a href="/panitia/edisi/{}/seleksi">2</a>"#,
        ed.id
    )));

    let path = format!("/panitia/inovasi/{}/seleksi", ids[0]);
    // No result chosen: the error stands by the choice.
    let r = post_form(&app, &path, &[("reason", "")], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(
        html.contains(r#"<p class="field-error" id="e-eligible">Pilih hasil seleksi.</p>"#),
        "{html}"
    );
    // Ineligible without a reason: the error stands by the reason, the choice kept.
    let r = post_form(
        &app,
        &path,
        &[("eligible", "tidak"), ("reason", "  ")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(
        html.contains(r#"id="e-reason""#) && html.contains("Alasan wajib diisi"),
        "{html}"
    );
    assert!(html.contains(r#"value="tidak" checked"#));
    assert_eq!(entry_json(&app, &org, &ids[0]).await["status"], "submitted");

    // From another site: refused before anything runs.
    let r = post_form(
        &app,
        &path,
        &[("eligible", "ya")],
        &cookie,
        Some("http://evil.example"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(entry_json(&app, &org, &ids[0]).await["status"], "submitted");

    let r = post_form(
        &app,
        &path,
        &[("eligible", "tidak"), ("reason", "Bukan inovasi daerah.")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with(&format!("/panitia/edisi/{}/seleksi?diseleksi=", ed.id)));
    let e = entry_json(&app, &org, &ids[0]).await;
    assert_eq!(e["status"], "ineligible");
    assert_eq!(e["screening_reason"], "Bukan inovasi daerah.");
    let r = post_form(
        &app,
        &format!("/panitia/inovasi/{}/seleksi", ids[1]),
        &[("eligible", "ya"), ("reason", "")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(entry_json(&app, &org, &ids[1]).await["status"], "eligible");

    // The queue's default shows what still waits: nothing; the filter finds the rest.
    let html =
        body(get_page(&app, &format!("/panitia/edisi/{}/seleksi", ed.id), &cookie).await).await;
    assert!(html.contains(r#"id="result-count">0 inovasi"#));
    let html = body(
        get_page(
            &app,
            &format!("/panitia/edisi/{}/seleksi?status=ineligible", ed.id),
            &cookie,
        )
        .await,
    )
    .await;
    assert!(html.contains(r#"id="result-count">1 inovasi"#) && html.contains("Inovasi seleksi 0"));
}

#[tokio::test]
async fn several_entries_pass_screening_at_once_all_or_none() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let s = app.submitter(&format!("peserta{i}@example.id")).await;
        let id = app.draft(&s, &ed, &format!("Inovasi seleksi {i}")).await;
        // The third stays a draft: it cannot be screened.
        if i < 2 {
            let r = app
                .post(
                    &format!("/api/v1/entries/{id}/submit"),
                    Some(&s.access),
                    json!({}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        ids.push(id);
    }
    app.clock.advance(Duration::days(11));
    let org = app.again(&org).await;
    let cookie = organiser_cookie(&app).await;
    let origin = app.url("");
    let queue = format!("/panitia/edisi/{}/seleksi", ed.id);
    let html = page_text(&app, &queue, &cookie).await;
    for id in &ids[..2] {
        assert!(
            html.contains(&format!(r#"name="pilih_{id}" value="1""#)),
            "{html}"
        );
    }
    let status = |id: &String| {
        let (app, org, id) = (&app, &org, id.clone());
        async move { entry_json(app, org, &id).await["status"].clone() }
    };
    let tick = |id: &String| format!("pilih_{id}");
    let (a, b, draft) = (tick(&ids[0]), tick(&ids[1]), tick(&ids[2]));

    // Nothing ticked: told by the button, nothing changes.
    let r = post_form(&app, &queue, &[], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(
        html.contains(r#"id="e-screen_many">Centang setidaknya satu inovasi."#),
        "{html}"
    );
    assert!(html.contains(r##"<a href="#f-screen_many">"##), "{html}");

    // A draft among the ticked: refused in place (409), and none passes.
    let r = post_form(
        &app,
        &queue,
        &[(a.as_str(), "1"), (draft.as_str(), "1")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.expect("body");
    assert!(html.contains(r#"id="sign-out""#), "{html}");
    assert!(html.contains(r#"id="e-screen_many">"#), "{html}");
    assert_eq!(status(&ids[0]).await, "submitted", "all or none");

    // An id that names nothing: the not-found page, none passes.
    let unknown = tick(&uuid::Uuid::now_v7().to_string());
    let r = post_form(
        &app,
        &queue,
        &[(a.as_str(), "1"), (unknown.as_str(), "1")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(status(&ids[0]).await, "submitted");

    let r = post_form(
        &app,
        &queue,
        &[(a.as_str(), "1"), (b.as_str(), "1")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page_text(&app, &location(&r), &cookie).await;
    assert!(
        html.contains("2 inovasi dinyatakan lolos seleksi."),
        "{html}"
    );
    assert_eq!(status(&ids[0]).await, "eligible");
    assert_eq!(status(&ids[1]).await, "eligible");
    assert_eq!(status(&ids[2]).await, "draft");
    // Each was recorded as if screened alone.
    let trail = app
        .get("/api/v1/audit?action=entry.screened", Some(&org.access))
        .await;
    assert_eq!(trail.body["total"], 2, "{}", trail.text);

    // A judge may not.
    let judge = app.judge(&org, "juri@example.id").await;
    let jc = page_session(&app, &judge.email, &judge.password).await;
    let r = post_form(&app, &queue, &[(b.as_str(), "1")], &jc, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_round_form_with_errors_shows_them_by_their_inputs_and_creates_nothing() {
    let (app, org, ed, _) = submitted_entries(1).await;
    let cookie = organiser_cookie(&app).await;
    let origin = app.url("");
    let path = format!("/panitia/edisi/{}/babak/baru", ed.id);
    let r = post_form(
        &app,
        &path,
        &[
            ("name", ""),
            ("position", "1"),
            ("judges_per_entry", "2"),
            ("aggregation", "mean"),
            ("criteria_0_name", "Kebaruan"),
            ("criteria_0_weight", "0"),
            ("criteria_0_min", "1"),
            ("criteria_0_max", "10"),
            ("criteria_2_name", "Dampak"),
            ("criteria_2_weight", "banyak"),
            ("criteria_2_min", "1"),
            ("criteria_2_max", "10"),
        ],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(
        html.contains(r#"id="e-criteria_2_weight">Isi dengan angka."#),
        "{html}"
    );
    assert!(
        !html.contains(r#"id="e-criteria_0_weight""#),
        "a number error stops before the rubric's rules"
    );
    assert!(
        html.contains(r#"value="Dampak""#),
        "what was typed comes back"
    );
    // The numbers read, the rubric's and the settings' rules speak, at their inputs.
    let r = post_form(
        &app,
        &path,
        &[
            ("name", ""),
            ("position", "1"),
            ("judges_per_entry", "2"),
            ("criteria_1_name", "Kebaruan"),
            ("criteria_1_weight", "0"),
            ("criteria_1_min", "1"),
            ("criteria_1_max", "10"),
        ],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(
        html.contains(r#"id="e-criteria_1_weight">Bobot harus lebih dari 0."#),
        "{html}"
    );
    assert!(html.contains(r#"id="e-name""#), "{html}");
    let rounds = app
        .get(
            &format!("/api/v1/editions/{}/rounds", ed.id),
            Some(&org.access),
        )
        .await;
    assert_eq!(
        rounds.body.as_array().map(Vec::len),
        Some(0),
        "nothing written"
    );

    // From another site: refused.
    let good = [
        ("name", "Evaluasi Dokumen"),
        ("position", "1"),
        ("judges_per_entry", "2"),
        ("aggregation", "trimmed_mean"),
        ("criteria_0_name", "Kebaruan"),
        (
            "criteria_0_description",
            "1: sudah umum; 10: belum pernah ada",
        ),
        ("criteria_0_weight", "40"),
        ("criteria_0_min", "1"),
        ("criteria_0_max", "10"),
        ("criteria_3_name", "Dampak"),
        ("criteria_3_weight", "60"),
        ("criteria_3_min", "0"),
        ("criteria_3_max", "4"),
    ];
    let r = post_form(&app, &path, &good, &cookie, Some("http://evil.example")).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post_form(&app, &path, &good, &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rounds = app
        .get(
            &format!("/api/v1/editions/{}/rounds", ed.id),
            Some(&org.access),
        )
        .await;
    let round = &rounds.body[0];
    assert_eq!(round["name"], "Evaluasi Dokumen");
    assert_eq!(round["judges_per_entry"], 2);
    assert_eq!(round["aggregation"], "trimmed_mean");
    let criteria = round["rubric"]["criteria"].as_array().expect("criteria");
    assert_eq!(criteria.len(), 2, "empty rows are left out");
    assert_eq!(criteria[1]["name"], "Dampak");
    assert_eq!(criteria[1]["max"], 4);
    assert_eq!(
        location(&r),
        format!(
            "/panitia/babak/{}?dibuat=1",
            round["id"].as_str().expect("id")
        )
    );
}

#[tokio::test]
async fn a_round_is_assigned_changed_by_hand_and_closed_through_its_page() {
    let f = juri_tests::fixture(3, 2, 1, json!({})).await;
    let app = &f.app;
    let round = f.round_id();
    let cookie = organiser_cookie(app).await;
    let origin = app.url("");
    let page = format!("/panitia/babak/{round}");
    let progress = || async {
        app.get(
            &format!("/api/v1/rounds/{round}/progress"),
            Some(&f.org.access),
        )
        .await
        .body
    };

    let r = post_form(
        app,
        &format!("{page}/otomatis"),
        &[],
        &cookie,
        Some("http://evil.example"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(progress().await["sheets_total"], 0);
    let r = post_form(
        app,
        &format!("{page}/otomatis"),
        &[],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{page}?ditugaskan=3"));
    let html = body(get_page(app, &location(&r), &cookie).await).await;
    assert!(html.contains(r#"<dd id="stat-entries">3</dd>"#), "{html}");
    assert!(html.contains(r#"<dd id="stat-pairs">3</dd>"#));
    assert!(html.contains(r#"<dd id="stat-load">1–2</dd>"#));
    assert!(html.contains(r#"<dd id="stat-short">0</dd>"#));
    assert!(html.contains("Penugasan baru: 3") || html.contains("Penugasan baru:"));

    // The pair of the first judge, removed by hand, then an entry is short.
    let mine = f.assignments_of(&f.judges[0]).await;
    let entry = mine[0]["entry_id"].as_str().expect("entry").to_owned();
    let judge = f.judges[0].id.clone();
    let r = post_form(
        app,
        &format!("{page}/hapus"),
        &[("entry_id", &entry), ("judge_id", "")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains("Pilih juri."));
    assert_eq!(progress().await["sheets_total"], 3, "nothing removed");
    let r = post_form(
        app,
        &format!("{page}/hapus"),
        &[("entry_id", &entry), ("judge_id", &judge)],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(progress().await["sheets_total"], 2);
    let html = body(get_page(app, &page, &cookie).await).await;
    assert!(html.contains(r#"<dd id="stat-short">1</dd>"#));
    // Removing it again: told on the page.
    let r = post_form(
        app,
        &format!("{page}/hapus"),
        &[("entry_id", &entry), ("judge_id", &judge)],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains(r#"id="e-pair""#));
    let r = post_form(
        app,
        &format!("{page}/tambah"),
        &[("entry_id", &entry), ("judge_id", &judge)],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(progress().await["sheets_total"], 3);

    // A judge submits: the bars move.
    let a = f.first_assignment_of(&f.judges[0]).await;
    let r = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/assignments/{a}/sheet"),
            Some(&f.judges[0].access),
            Some(f.full_sheet(5)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .post(
            &format!("/api/v1/assignments/{a}/sheet/submit"),
            Some(&f.judges[0].access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let html = body(get_page(app, &page, &cookie).await).await;
    assert!(html.contains(r#"<p id="progress-text">1 / 3 "#), "{html}");
    assert!(html.contains(r#"<progress max="100" value="33""#));
    assert!(
        html.contains(r#"value="100" aria-labelledby="pe-"#),
        "one entry is done"
    );

    let r = post_form(app, &format!("{page}/tutup"), &[], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let closed = app
        .get(&format!("/api/v1/rounds/{round}"), Some(&f.org.access))
        .await;
    assert!(closed.body["closed_at"].is_string(), "{}", closed.text);
    let html = body(get_page(app, &location(&r), &cookie).await).await;
    assert!(html.contains("Babak ditutup.") && !html.contains(r#"id="auto-assign""#));
}

/// Each judge submits every sheet of theirs with all criteria at `value`.
async fn score_all(f: &juri_tests::Fixture, values: &[i64]) {
    for (judge, value) in f.judges.iter().zip(values) {
        for a in f.assignments_of(judge).await {
            let id = a["id"].as_str().expect("id");
            let r = f
                .app
                .call(
                    reqwest::Method::PUT,
                    &format!("/api/v1/assignments/{id}/sheet"),
                    Some(&judge.access),
                    Some(f.full_sheet(*value)),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            let r = f
                .app
                .post(
                    &format!("/api/v1/assignments/{id}/sheet/submit"),
                    Some(&judge.access),
                    json!({}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
    }
}

#[tokio::test]
async fn results_show_bars_and_charts_and_take_ties_winners_and_publication() {
    let f = juri_tests::fixture(2, 2, 1, json!({})).await;
    let app = &f.app;
    let ed = &f.ed.id;
    let cookie = organiser_cookie(app).await;
    let origin = app.url("");
    assert_eq!(f.auto().await.status, StatusCode::OK);
    // The same values from both judges: the two entries tie.
    score_all(&f, &[7, 7]).await;
    let r = post_form(
        app,
        &format!("/panitia/babak/{}/tutup", f.round_id()),
        &[],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let results = format!("/panitia/edisi/{ed}/hasil");
    let html = body(get_page(app, &results, &cookie).await).await;
    assert!(
        html.contains(r#"<span class="badge flag-tie">Seri</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"<svg class="distribution""#));
    assert_eq!(
        html.matches(r#"<g class="judge">"#).count(),
        2,
        "a row per judge"
    );
    assert_eq!(
        html.matches(r#"<svg class="bar""#).count(),
        2,
        "a bar per entry"
    );
    assert!(html.contains(r#"href="/panitia/edisi/"#) && html.contains("ekspor.xlsx"));

    // Winners before the tie is decided: refused, told on the page, nothing written.
    let a0 = format!("award_{}", f.entries[0]);
    let r = post_form(
        app,
        &format!("/panitia/edisi/{ed}/pemenang"),
        &[(&a0, "juara_1")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert!(r.status().is_client_error(), "{}", r.status());
    assert!(
        body(r)
            .await
            .contains(r#"class="field-error" role="alert""#)
    );
    let res = app
        .get(
            &format!("/api/v1/editions/{ed}/results"),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(res.body["winners"].as_array().map(Vec::len), Some(0));

    // A tie decision without a reason: the error stands by the reason.
    let o0 = format!("order_{}", f.entries[0]);
    let o1 = format!("order_{}", f.entries[1]);
    let key = {
        let mut ids = f.entries.clone();
        ids.sort();
        // The set's form is named by its first entry in ranking order; either is fine
        // for the page, which puts the error by the set it came from.
        ids[0].clone()
    };
    let r = post_form(
        app,
        &format!("/panitia/edisi/{ed}/seri"),
        &[("set", &key), (&o0, "1"), (&o1, "2"), ("reason", "")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(html.contains("Tuliskan alasan keputusan"), "{html}");
    let res = app
        .get(
            &format!("/api/v1/editions/{ed}/results"),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(res.body["tie_decisions"].as_array().map(Vec::len), Some(0));
    let r = post_form(
        app,
        &format!("/panitia/edisi/{ed}/seri"),
        &[
            ("set", &key),
            (&o0, "1"),
            (&o1, "1"),
            ("reason", "Dampak lebih luas"),
        ],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "two entries at one place"
    );
    let r = post_form(
        app,
        &format!("/panitia/edisi/{ed}/seri"),
        &[
            ("set", &key),
            (&o0, "1"),
            (&o1, "2"),
            ("reason", "Dampak lebih luas"),
        ],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let res = app
        .get(
            &format!("/api/v1/editions/{ed}/results"),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(
        res.body["tie_decisions"][0]["entry_ids"][0],
        f.entries[0].as_str()
    );

    let r = post_form(
        app,
        &format!("/panitia/edisi/{ed}/pemenang"),
        &[(&a0, "juara_1")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", body(r).await);
    let res = app
        .get(
            &format!("/api/v1/editions/{ed}/results"),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(res.body["winners"][0]["award"], "juara_1");

    // Publishing: the confirmation says it cannot be undone; a cross-site POST fails.
    let html = body(get_page(app, &format!("/panitia/edisi/{ed}/terbitkan"), &cookie).await).await;
    assert!(
        html.contains("Pengumuman tidak dapat dibatalkan")
            && html.contains("Juara I: Inovasi nomor 0")
    );
    let r = post_form(
        app,
        &format!("/panitia/edisi/{ed}/terbitkan"),
        &[],
        &cookie,
        Some("http://evil.example"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let public = app
        .get(&format!("/api/v1/public/editions/{ed}/winners"), None)
        .await;
    assert_ne!(
        public.status,
        StatusCode::OK,
        "not published yet: {}",
        public.text
    );
    let r = post_form(
        app,
        &format!("/panitia/edisi/{ed}/terbitkan"),
        &[],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let public = app
        .get(&format!("/api/v1/public/editions/{ed}/winners"), None)
        .await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.text);
    assert!(public.text.contains("Inovasi nomor 0"));
    let html = body(get_page(app, &results, &cookie).await).await;
    assert!(html.contains(r#"id="published""#) && !html.contains(r#"id="record-winners""#));

    // The exports, with the session cookie.
    let r = get_page(app, &format!("/panitia/edisi/{ed}/ekspor.csv"), &cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    assert!(body(r).await.contains("Inovasi nomor 0"));
    let r = get_page(app, &format!("/panitia/edisi/{ed}/ekspor.xlsx"), &cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(&r.bytes().await.expect("bytes")[..2], b"PK", "a zip: XLSX");
}

#[tokio::test]
async fn the_audit_trail_page_filters_pages_and_refuses_others() {
    let (app, org, ed, ids) = submitted_entries(1).await;
    let cookie = organiser_cookie(&app).await;
    let html = body(get_page(&app, "/panitia/jejak", &cookie).await).await;
    // In words: the action, the subject by name linking to its page and its own
    // trail, the change as a before/after table; the filters chosen from lists.
    assert!(
        html.contains(r#"data-action="edition.created">Edisi dibuat</strong>"#),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"Edisi: <a href="/panitia/edisi/{}">Bangka Innovation Awards 2026</a>"#,
            ed.id
        )),
        "{html}"
    );
    assert!(html.contains(&format!(
        r#"href="/panitia/jejak?subjek=entry&#38;id_subjek={}" class="subject-trail""#,
        ids[0]
    )));
    assert!(html.contains(r#"<table class="change">"#), "{html}");
    assert!(html.contains(r#"<option value="entry.screened">Inovasi diseleksi</option>"#));
    assert!(
        html.contains(&format!(r#"<option value="{}">"#, org.id)),
        "actors by name"
    );
    assert!(
        !html.contains(r#"name="id_subjek" type="text""#),
        "no ids to type"
    );
    // Filtered by subject: only the entry's events, the entry named.
    let r = get_page(
        &app,
        &format!("/panitia/jejak?subjek=entry&id_subjek={}", ids[0]),
        &cookie,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = body(r).await;
    assert!(html.contains(r#"id="only-subject""#), "{html}");
    assert!(html.contains(r#">Inovasi dikirim</strong>"#), "{html}");
    assert!(!html.contains(r#"data-action="edition.created""#));
    let r = get_page(
        &app,
        &format!(
            "/panitia/jejak?aksi=edition.created&subjek=edition&id_subjek={}",
            ed.id
        ),
        &cookie,
    )
    .await;
    let html = body(r).await;
    assert!(html.contains(r#"id="result-count">1 kejadian"#), "{html}");
    // A bad date: the error by its field.
    let r = get_page(&app, "/panitia/jejak?sejak=kemarin", &cookie).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body(r)
            .await
            .contains(r#"<p class="field-error" id="e-sejak">"#)
    );
    // Past the last page: empty, not an error.
    let r = get_page(&app, "/panitia/jejak?halaman=99", &cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
    let judge = app.judge(&org, "juri@example.id").await;
    let jc = page_session(&app, &judge.email, &judge.password).await;
    assert_eq!(
        get_page(&app, "/panitia/jejak", &jc).await.status(),
        StatusCode::FORBIDDEN
    );
    let sc = page_session(
        &app,
        "peserta0@example.id",
        "perahu kecil menuju pulau ketawai",
    )
    .await;
    assert_eq!(
        get_page(&app, "/panitia/jejak", &sc).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_edition_is_set_up_through_the_pages_within_the_rules_of_its_phase() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let cookie = organiser_cookie(&app).await;
    let origin = app.url("");
    assert_eq!(
        get_page(&app, "/panitia/edisi/baru", &cookie)
            .await
            .status(),
        StatusCode::OK
    );
    // Bad values: by their fields, nothing created.
    let r = post_form(
        &app,
        "/panitia/edisi/baru",
        &[
            ("name", "BI"),
            ("year", "2027"),
            ("submission_opens_at", "2027-03-01T00:00"),
            ("submission_closes_at", "2027-02-01T00:00"),
            ("ranking_scope", "per_track"),
        ],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(
        html.contains(r#"id="e-name""#) && html.contains(r#"id="e-submission_closes_at""#),
        "{html}"
    );
    let list = app.get("/api/v1/editions", Some(&org.access)).await;
    assert_eq!(list.body["total"], 0);
    let good = [
        ("name", "Bangka Innovation Awards 2027"),
        ("year", "2027"),
        ("submission_opens_at", "2027-03-01T00:00"),
        ("submission_closes_at", "2027-05-31T17:00"),
        ("ranking_scope", "per_track_and_field"),
    ];
    let r = post_form(
        &app,
        "/panitia/edisi/baru",
        &good,
        &cookie,
        Some("http://evil.example"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post_form(&app, "/panitia/edisi/baru", &good, &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let list = app.get("/api/v1/editions", Some(&org.access)).await;
    let e = &list.body["items"][0];
    let id = e["id"].as_str().expect("id").to_owned();
    assert_eq!(location(&r), format!("/panitia/edisi/{id}/atur?dibuat=1"));
    assert_eq!(e["blind_judging"], false, "the box was not ticked");
    assert_eq!(e["ranking_scope"], "per_track_and_field");
    // Typed in WIB (UTC+7), stored in UTC.
    assert_eq!(e["submission_closes_at"], "2027-05-31T10:00:00Z");

    // A field and a track; a too-short name is told by its input.
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/bidang"),
        &[("name", "x")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains(r#"id="e-field-name""#));
    let before = app
        .get(&format!("/api/v1/editions/{id}/fields"), Some(&org.access))
        .await;
    let n = before.body.as_array().map(Vec::len).expect("fields");
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/bidang"),
        &[("name", "Pariwisata Bahari")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let fields = app
        .get(&format!("/api/v1/editions/{id}/fields"), Some(&org.access))
        .await;
    assert_eq!(fields.body.as_array().map(Vec::len), Some(n + 1));
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/kategori"),
        &[("name", "Desa"), ("submitter_kind", "citizen")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let tracks = app
        .get(&format!("/api/v1/editions/{id}/tracks"), Some(&org.access))
        .await;
    let desa = tracks
        .body
        .as_array()
        .expect("tracks")
        .iter()
        .find(|t| t["name"] == "Desa")
        .expect("Desa");
    assert_eq!(desa["submitter_kind"], "citizen");
    let first_field = fields.body[0]["id"].as_str().expect("id");
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/bidang/{first_field}"),
        &[("retired", "1")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let fields = app
        .get(&format!("/api/v1/editions/{id}/fields"), Some(&org.access))
        .await;
    assert_eq!(fields.body[0]["retired"], true);

    // Once submissions are open, the opening cannot move: told, nothing changed; the
    // rest of the form (the same values) is no reason to refuse.
    app.clock.advance(Duration::days(400));
    let cookie = organiser_cookie(&app).await;
    let r = get_page(&app, &format!("/panitia/edisi/{id}/atur"), &cookie).await;
    let html = body(r).await;
    assert!(html.contains(r#"value="2027-03-01T00:00""#), "{html}");
    let mut moved = good;
    moved[0].1 = "BIA 2027";
    moved[2].1 = "2027-02-01T00:00";
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/atur"),
        &moved,
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains(r#"id="e-edition""#));
    let org = app.again(&org).await;
    let e = app
        .get(&format!("/api/v1/editions/{id}"), Some(&org.access))
        .await;
    assert_eq!(
        e.body["name"], "Bangka Innovation Awards 2027",
        "nothing changed"
    );
    let mut renamed = good;
    renamed[0].1 = "BIA 2027";
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/atur"),
        &renamed,
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let e = app
        .get(&format!("/api/v1/editions/{id}"), Some(&org.access))
        .await;
    assert_eq!(e.body["name"], "BIA 2027");

    let judge = app.judge(&org, "juri@example.id").await;
    let jc = page_session(&app, &judge.email, &judge.password).await;
    for path in [
        "/panitia/edisi/baru".to_owned(),
        format!("/panitia/edisi/{id}/atur"),
    ] {
        assert_eq!(
            get_page(&app, &path, &jc).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/bidang"),
        &[("name", "Dari juri")],
        &jc,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_panel_page_invites_adds_and_records_conflicts() {
    let (app, org, ed, ids) = submitted_entries(1).await;
    let cookie = organiser_cookie(&app).await;
    let origin = app.url("");
    let panel = format!("/panitia/edisi/{}/panel", ed.id);
    let r = post_form(
        &app,
        &format!("{panel}/undang"),
        &[("name", "Dr. Ayu"), ("email", "bukan-email")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains(r#"id="e-invite-email""#));
    let r = post_form(
        &app,
        &format!("{panel}/undang"),
        &[("name", "Dr. Ayu Lestari"), ("email", "ayu@example.id")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the link is shown on the answer itself"
    );
    let html = body(r).await;
    let url_start = html
        .find(r#"<code id="invitation-url">"#)
        .expect("the link")
        + r#"<code id="invitation-url">"#.len();
    let link = &html[url_start..url_start + html[url_start..].find('<').expect("end")];
    let token = link
        .split("token=")
        .nth(1)
        .expect("token")
        .replace("&amp;", "&");
    let accepted = app
        .post(
            "/api/v1/auth/invitations/accept",
            None,
            json!({"token": token, "password": "timah dan lada dari tanah sendiri"}),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    let judge = accepted.body["id"].as_str().expect("id").to_owned();

    let r = post_form(
        &app,
        &panel,
        &[("judge_id", ""), ("expertise", &ed.fields[3])],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains(r#"id="e-add-judge""#));
    let r = post_form(
        &app,
        &panel,
        &[
            ("judge_id", &judge),
            ("expertise", &ed.fields[3]),
            ("expertise", &ed.fields[4]),
        ],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let members = app
        .get(
            &format!("/api/v1/editions/{}/judges", ed.id),
            Some(&org.access),
        )
        .await;
    assert_eq!(
        members.body[0]["expertise"].as_array().map(Vec::len),
        Some(2),
        "{}",
        members.text
    );

    let target = format!("entry:{}", ids[0]);
    let r = post_form(
        &app,
        &format!("{panel}/konflik"),
        &[("judge_id", &judge), ("target", &target), ("reason", "")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains(r#"id="e-conflict-reason""#));
    let r = post_form(
        &app,
        &format!("{panel}/konflik"),
        &[
            ("judge_id", &judge),
            ("target", &target),
            ("kind", "family"),
            ("reason", "Suami pengusul"),
        ],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = body(get_page(&app, &panel, &cookie).await).await;
    assert!(
        html.contains("Inovasi seleksi 0 (family): Suami pengusul"),
        "{html}"
    );

    let sub = page_session(
        &app,
        "peserta0@example.id",
        "perahu kecil menuju pulau ketawai",
    )
    .await;
    assert_eq!(
        get_page(&app, &panel, &sub).await.status(),
        StatusCode::FORBIDDEN
    );
    let r = post_form(
        &app,
        &format!("{panel}/undang"),
        &[("name", "Dr. Palsu"), ("email", "palsu@example.id")],
        &sub,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post_form(
        &app,
        &format!("{panel}/undang"),
        &[("name", "Dr. Palsu"), ("email", "palsu@example.id")],
        &cookie,
        Some("http://evil.example"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let users = app.get("/api/v1/users?role=judge", Some(&org.access)).await;
    assert_eq!(users.body["total"], 1, "{}", users.text);
}

#[tokio::test]
async fn the_results_page_proposes_the_podium_of_each_group_until_winners_are_recorded() {
    // One judge, three entries scored apart: no tie anywhere.
    let f = juri_tests::fixture(3, 1, 1, json!({})).await;
    let app = &f.app;
    assert_eq!(f.auto().await.status, StatusCode::OK);
    let judge = &f.judges[0];
    for a in f.assignments_of(judge).await {
        let id = a["id"].as_str().expect("id");
        let idx = f
            .entries
            .iter()
            .position(|e| a["entry_id"] == e.as_str())
            .expect("entry");
        let value = 2 + 3 * idx as i64;
        let r = app
            .call(
                reqwest::Method::PUT,
                &format!("/api/v1/assignments/{id}/sheet"),
                Some(&judge.access),
                Some(f.full_sheet(value)),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = app
            .post(
                &format!("/api/v1/assignments/{id}/sheet/submit"),
                Some(&judge.access),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let cookie = organiser_cookie(app).await;
    let origin = app.url("");
    let r = post_form(
        app,
        &format!("/panitia/babak/{}/tutup", f.round_id()),
        &[],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let results = format!("/panitia/edisi/{}/hasil", f.ed.id);
    let html = page_text(app, &results, &cookie).await;
    assert!(html.contains(r#"id="proposal""#), "{html}");
    // The best entry (the last, scored highest) is proposed Juara I, and so on down.
    let select = |entry: &str| {
        html.split(&format!(r#"<select id="award-{entry}""#))
            .nth(1)
            .and_then(|rest| rest.split("</select>").next())
            .unwrap_or_else(|| panic!("the award of {entry}: {html}"))
            .to_owned()
    };
    assert!(select(&f.entries[2]).contains(r#"<option value="juara_1" selected>"#));
    assert!(select(&f.entries[1]).contains(r#"<option value="juara_2" selected>"#));
    assert!(select(&f.entries[0]).contains(r#"<option value="juara_3" selected>"#));
    // Each title opens how its score came about: the judge's S_je and each value.
    let drill = format!("/panitia/edisi/{}/hasil/{}", f.ed.id, f.entries[2]);
    assert!(
        html.contains(&format!(r#"href="{drill}" class="drill""#)),
        "{html}"
    );
    let page = page_text(app, &drill, &cookie).await;
    assert!(page.contains("Inovasi nomor 2"), "{page}");
    assert_eq!(
        page.matches(r#"class="card drill-sheet""#).count(),
        1,
        "{page}"
    );
    assert!(
        page.contains("Dr. Rahmat Hidayat · S<sub>je</sub>"),
        "{page}"
    );
    // 8 on every criterion: (8−1)/9 of 80 % of the weight and 4/4 of 20 %.
    let expected = format!("{:.1}", 100.0 * (0.3 * 7.0 / 9.0 + 0.5 * 7.0 / 9.0 + 0.2));
    assert!(
        page.contains(&format!(r#"<span class="sje">{expected}</span>"#)),
        "{expected}: {page}"
    );
    // An entry of another edition, or none: not found.
    let other = format!(
        "/panitia/edisi/{}/hasil/{}",
        uuid::Uuid::now_v7(),
        f.entries[2]
    );
    assert_eq!(
        get_page(app, &other, &cookie).await.status(),
        StatusCode::NOT_FOUND
    );
    // Nothing is recorded until the organiser confirms.
    let recorded = app
        .get(
            &format!("/api/v1/editions/{}/results", f.ed.id),
            Some(&f.org.access),
        )
        .await;
    assert_eq!(recorded.body["winners"], json!([]), "{}", recorded.text);

    // Confirmed: recorded, and no longer a proposal.
    let fields: Vec<(String, String)> = [(2, "juara_1"), (1, "juara_2"), (0, "juara_3")]
        .iter()
        .map(|(i, a)| (format!("award_{}", f.entries[*i]), (*a).to_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = post_form(
        app,
        &format!("/panitia/edisi/{}/pemenang", f.ed.id),
        &pairs,
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page_text(app, &results, &cookie).await;
    assert!(!html.contains(r#"id="proposal""#));
    assert!(!html.contains(r#"class="badge proposed""#));
}

#[tokio::test]
async fn an_order_the_final_score_did_not_decide_says_what_did() {
    let f = juri_tests::fixture(2, 1, 1, json!({})).await;
    let app = &f.app;
    assert_eq!(f.auto().await.status, StatusCode::OK);
    let judge = &f.judges[0];
    let ids: Vec<String> = f.criteria().into_iter().map(|(id, _, _)| id).collect();
    // Kebaruan 30 % (1–10), Efektivitas 50 % (1–10), Keberlanjutan 20 % (0–4): both
    // score exactly 50, entry 0 on Efektivitas (the heaviest), entry 1 on the others.
    let values = |entry: usize| if entry == 0 { [1, 10, 0] } else { [10, 1, 4] };
    for a in f.assignments_of(judge).await {
        let id = a["id"].as_str().expect("id");
        let entry = f
            .entries
            .iter()
            .position(|e| a["entry_id"] == e.as_str())
            .expect("entry");
        let scores: Vec<Value> = ids
            .iter()
            .zip(values(entry))
            .map(|(c, v)| json!({"criterion_id": c, "value": v}))
            .collect();
        let r = app
            .call(
                reqwest::Method::PUT,
                &format!("/api/v1/assignments/{id}/sheet"),
                Some(&judge.access),
                Some(json!({ "scores": scores })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = app
            .post(
                &format!("/api/v1/assignments/{id}/sheet/submit"),
                Some(&judge.access),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let cookie = organiser_cookie(app).await;
    let html = page_text(app, &format!("/panitia/edisi/{}/hasil", f.ed.id), &cookie).await;
    let row = |entry: &str| {
        html.split(&format!("/hasil/{entry}\""))
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .unwrap_or_else(|| panic!("the row of {entry}: {html}"))
            .to_owned()
    };
    // Entry 0 first, entry 1 below it by the heaviest criterion; the round reached named.
    assert!(html.find(&f.entries[0]) < html.find(&f.entries[1]));
    assert!(
        row(&f.entries[1]).contains(
            "Nilai akhir sama dengan yang di atasnya; diurutkan menurut kriteria Efektivitas."
        ),
        "{}",
        row(&f.entries[1])
    );
    assert!(!row(&f.entries[0]).contains("class=\"meta decided\""));
    assert!(row(&f.entries[0]).contains("<td>Evaluasi Dokumen</td>"));
}
