//! Page flows beyond the basics of `pages.rs`: the submitter's team, entered row by
//! row without script; withdrawing with a confirmation; a form that outlives the
//! access cookie; and a judge's view of the other judges' sheets.

use crate::pages::{cookie_pair, get_page, location, page_text, post_form};
use juri_tests::{Session, TestApp, TestEdition};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Sign in through the page: the access cookie.
async fn cookie(app: &TestApp, s: &Session) -> String {
    let r = post_form(
        app,
        "/masuk",
        &[("email", &s.email), ("password", &s.password)],
        "",
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign-in of {}", s.email);
    cookie_pair(r.headers(), "juri_akses")
}

/// The form's fields for a complete entry of `ed`, as the page would send them.
fn entry_form<'a>(
    ed: &'a TestEdition,
    title: &'a str,
    version: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("edition_id", ed.id.as_str()),
        ("title", title),
        ("field_id", ed.fields[3].as_str()),
        ("track_id", ed.citizen_track()),
        ("summary", "Ringkasan."),
        ("version", version),
    ]
}

#[tokio::test]
async fn the_team_is_entered_row_by_row_and_a_bad_address_is_named_at_the_team() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let citizen = app.submitter("warga@example.id").await;
    let jar = cookie(&app, &citizen).await;

    // Rows 0 and 2 filled, row 1 left empty: the team is the two members, in order.
    let mut fields = entry_form(&ed, "Bank sampah digital", "");
    fields.extend([
        ("team_0_name", "Siti Aminah"),
        ("team_0_role", "Ketua"),
        ("team_0_email", "siti@example.id"),
        ("team_1_name", ""),
        ("team_2_name", "  Budi  "),
    ]);
    let r = post_form(
        &app,
        "/peserta/inovasi/baru",
        &fields,
        &jar,
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = location(&r);
    let id = page
        .trim_start_matches("/peserta/inovasi/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    let entry = app
        .get(&format!("/api/v1/entries/{id}"), Some(&citizen.access))
        .await;
    assert_eq!(
        entry.body["team"],
        json!([
            {"name": "Siti Aminah", "role": "Ketua", "email": "siti@example.id"},
            {"name": "Budi", "role": null, "email": null}
        ]),
        "{}",
        entry.text
    );
    let version = entry.body["version"].to_string();

    // The page shows both members and three empty rows after them.
    let html = page_text(&app, &page, &jar).await;
    assert!(
        html.contains(r#"name="team_0_name" type="text" value="Siti Aminah""#),
        "{html}"
    );
    assert!(html.contains(r#"name="team_1_name" type="text" value="Budi""#));
    assert!(html.contains(r#"id="f-team_4_name""#));
    assert!(!html.contains(r#"id="f-team_5_name""#));
    assert!(
        html.contains(r#"<label for="f-team_4_email">"#),
        "every input has a label"
    );

    // A member with a bad address: 422, the error at the team, what was typed kept,
    // nothing written.
    let mut fields = entry_form(&ed, "Bank sampah digital", &version);
    fields.extend([
        ("team_0_name", "Siti Aminah"),
        ("team_0_email", "bukan-alamat"),
    ]);
    let r = post_form(
        &app,
        &format!("/peserta/inovasi/{id}"),
        &fields,
        &jar,
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(
        html.contains(r#"<p class="field-error" id="e-team">"#),
        "{html}"
    );
    assert!(html.contains(r#"value="bukan-alamat""#));
    let after = app
        .get(&format!("/api/v1/entries/{id}"), Some(&citizen.access))
        .await;
    assert_eq!(after.body, entry.body, "a refused save writes nothing");

    // Clearing a name removes that member.
    let mut fields = entry_form(&ed, "Bank sampah digital", &version);
    fields.extend([("team_0_name", ""), ("team_1_name", "Budi")]);
    let r = post_form(
        &app,
        &format!("/peserta/inovasi/{id}"),
        &fields,
        &jar,
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let after = app
        .get(&format!("/api/v1/entries/{id}"), Some(&citizen.access))
        .await;
    assert_eq!(
        after.body["team"],
        json!([{"name": "Budi", "role": null, "email": null}])
    );
}

async fn status(app: &TestApp, id: &str, owner: &Session) -> String {
    let r = app
        .get(&format!("/api/v1/entries/{id}"), Some(&owner.access))
        .await;
    r.body["status"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn withdrawing_is_confirmed_first_and_only_the_owner_can() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let citizen = app.submitter("warga@example.id").await;
    let other = app.submitter("tetangga@example.id").await;
    let id = app.draft(&citizen, &ed, "Peta banjir warga").await;
    let r = app
        .post(
            &format!("/api/v1/entries/{id}/submit"),
            Some(&citizen.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let jar = cookie(&app, &citizen).await;

    // The entry page links to the question; asking changes nothing.
    let html = page_text(&app, &format!("/peserta/inovasi/{id}"), &jar).await;
    assert!(html.contains(&format!(r#"href="/peserta/inovasi/{id}/tarik""#)));
    let ask = get_page(&app, &format!("/peserta/inovasi/{id}/tarik"), &jar).await;
    assert_eq!(ask.status(), StatusCode::OK);
    let ask = ask.text().await.expect("body");
    assert!(ask.contains("tidak dapat dibatalkan"), "{ask}");
    assert!(ask.contains(r#"id="confirm-tarik""#));
    assert_eq!(status(&app, &id, &citizen).await, "submitted");

    // Another submitter does not see it; an organiser's role may not withdraw.
    let other_jar = cookie(&app, &other).await;
    let path = format!("/peserta/inovasi/{id}/tarik");
    let r = post_form(&app, &path, &[], &other_jar, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let org_jar = cookie(&app, &org).await;
    let r = post_form(&app, &path, &[], &org_jar, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A cross-site form cannot do it either.
    let r = post_form(&app, &path, &[], &jar, Some("http://evil.example")).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(status(&app, &id, &citizen).await, "submitted");

    // The owner confirms: withdrawn, said on the page, and no way back.
    let r = post_form(&app, &path, &[], &jar, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/peserta/inovasi/{id}?ditarik=1"));
    assert_eq!(status(&app, &id, &citizen).await, "withdrawn");
    let html = page_text(&app, &location(&r), &jar).await;
    assert!(html.contains("Inovasi telah ditarik."));
    assert!(!html.contains(&format!(r#"href="/peserta/inovasi/{id}/tarik""#)));
    let r = post_form(&app, &path, &[], &jar, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(status(&app, &id, &citizen).await, "withdrawn");
}

#[tokio::test]
async fn a_form_sent_after_the_access_cookie_ran_out_is_kept_through_the_refresh() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let citizen = app.submitter("warga@example.id").await;
    let id = app.draft(&citizen, &ed, "Peta banjir warga").await;
    let origin = app.url("");
    let r = post_form(
        &app,
        "/masuk",
        &[("email", &citizen.email), ("password", &citizen.password)],
        "",
        Some(&origin),
    )
    .await;
    let access = cookie_pair(r.headers(), "juri_akses");
    let refresh = cookie_pair(r.headers(), "juri_segar");

    // Twenty minutes of typing: the access cookie has run out when the form is sent.
    app.clock.advance(chrono::Duration::minutes(20));
    let page = format!("/peserta/inovasi/{id}");
    let fields = entry_form(&ed, "Peta banjir warga, versi panjang", "1");
    let r = post_form(&app, &page, &fields, &access, Some(&origin)).await;
    assert_eq!(
        r.status(),
        StatusCode::TEMPORARY_REDIRECT,
        "307 keeps the form"
    );
    let detour = location(&r);
    assert_eq!(detour, format!("/sesi/perbarui?next={page}"));

    // The browser sends the same form to the refresh (the refresh cookie's path), which
    // renews the session and sends it back with another 307.
    let r = post_form(&app, &detour, &fields, &refresh, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(location(&r), page);
    let renewed = cookie_pair(r.headers(), "juri_akses");
    let r = post_form(&app, &page, &fields, &renewed, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let citizen = app.again(&citizen).await;
    let entry = app
        .get(&format!("/api/v1/entries/{id}"), Some(&citizen.access))
        .await;
    assert_eq!(entry.body["title"], "Peta banjir warga, versi panjang");

    // A refresh token already used is no session: the sign-in page, nothing written.
    app.clock.advance(chrono::Duration::minutes(20));
    let fields = entry_form(&ed, "Tidak tersimpan", "2");
    let r = post_form(&app, &detour, &fields, &refresh, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/masuk?next="), "{}", location(&r));
    let after = app
        .get(
            &format!("/api/v1/entries/{id}"),
            Some(&app.again(&citizen).await.access),
        )
        .await;
    assert_eq!(after.body["title"], "Peta banjir warga, versi panjang");
}

/// Put a full sheet with an overall comment, then submit it, through the API.
async fn submit_sheet(f: &juri_tests::Fixture, judge: &Session, value: i64, comment: &str) {
    let a = f.assignments_of(judge).await;
    let id = a[0]["id"].as_str().expect("assignment id");
    let mut sheet = f.full_sheet(value);
    sheet["comment"] = json!(comment);
    let path = format!("/api/v1/assignments/{id}/sheet");
    let r = f
        .app
        .call(
            reqwest::Method::PUT,
            &path,
            Some(&judge.access),
            Some(sheet),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = f
        .app
        .post(&format!("{path}/submit"), Some(&judge.access), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn a_judge_sees_the_other_sheets_only_after_submitting_and_without_names() {
    let f = juri_tests::fixture(1, 2, 2, json!({"peer_sheets": "after_submitting"})).await;
    let r = f.auto().await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let (a, b) = (&f.judges[0], &f.judges[1]);
    submit_sheet(&f, b, 8, "Sangat bermanfaat bagi warga desa.").await;

    let jar = cookie(&f.app, a).await;
    let mine = f.first_assignment_of(a).await;
    let page = format!("/juri/penilaian/{mine}");
    let html = page_text(&f.app, &page, &jar).await;
    assert!(!html.contains("peer-sheets"), "not before submitting");
    assert!(!html.contains("Sangat bermanfaat"));

    submit_sheet(&f, a, 5, "Cukup.").await;
    let html = page_text(&f.app, &page, &jar).await;
    assert!(html.contains(r#"id="peer-sheets""#), "{html}");
    assert!(html.contains("Sangat bermanfaat bagi warga desa."));
    assert!(html.contains("Juri 1"), "a number, not a name");
    let names = f
        .app
        .get(
            &format!("/api/v1/editions/{}/judges", f.ed.id),
            Some(&f.org.access),
        )
        .await;
    let b_name = names
        .body
        .as_array()
        .expect("panel")
        .iter()
        .find(|m| m["judge_id"] == json!(b.id))
        .and_then(|m| m["name"].as_str())
        .expect("b's name")
        .to_owned();
    // (Every fixture judge has the same name, shown in the header for the reader: look
    // in the section only.)
    let section = html
        .split(r#"id="peer-sheets""#)
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the section");
    assert!(
        !section.contains(&b_name),
        "the other judge's name stays hidden"
    );
    // Kebaruan 8 of 1–10, Efektivitas 8 of 1–10, Keberlanjutan 4 of 0–4: the total
    // the API gives that sheet.
    let r = f
        .app
        .get(&format!("/api/v1/assignments/{mine}"), Some(&a.access))
        .await;
    let total = r.body["peer_sheets"][0]["score"].as_f64().expect("score");
    assert!(html.contains(&format!("{total:.1}")), "{total}");
}

#[tokio::test]
async fn a_draft_is_deleted_after_a_question_with_its_files() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let citizen = app.submitter("warga@example.id").await;
    let other = app.submitter("tetangga@example.id").await;
    let id = app.draft(&citizen, &ed, "Peta banjir warga").await;
    let r = app
        .upload(&citizen.access, &id, "proposal.pdf", juri_tests::tiny_pdf())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let blobs = juri_persistence::Blobs::local(&app.data_dir.join("files")).expect("blobs");
    assert_eq!(blobs.count().await.expect("count"), 1);
    let jar = cookie(&app, &citizen).await;
    let path = format!("/peserta/inovasi/{id}/hapus");

    let html = page_text(&app, &format!("/peserta/inovasi/{id}"), &jar).await;
    assert!(
        html.contains(&format!(r#"href="{path}""#)),
        "a draft offers deleting"
    );
    let ask = page_text(&app, &path, &jar).await;
    assert!(ask.contains(r#"id="confirm-hapus""#), "{ask}");

    // Not someone else's, not by another role, not from another site.
    let other_jar = cookie(&app, &other).await;
    let r = post_form(&app, &path, &[], &other_jar, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let org_jar = cookie(&app, &org).await;
    let r = post_form(&app, &path, &[], &org_jar, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post_form(&app, &path, &[], &jar, Some("http://evil.example")).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .get(&format!("/api/v1/entries/{id}"), Some(&citizen.access))
        .await;
    assert_eq!(r.status, StatusCode::OK, "still there");

    let r = post_form(&app, &path, &[], &jar, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/peserta?dihapus=1");
    let html = page_text(&app, &location(&r), &jar).await;
    assert!(html.contains("Draf telah dihapus."));
    assert!(!html.contains("Peta banjir warga"));
    let r = app
        .get(&format!("/api/v1/entries/{id}"), Some(&citizen.access))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let blobs = juri_persistence::Blobs::local(&app.data_dir.join("files")).expect("blobs");
    assert_eq!(
        blobs.count().await.expect("count"),
        0,
        "the PDF went with it"
    );
}

#[tokio::test]
async fn a_judge_declares_a_conflict_with_an_agency_and_leaves_its_entries() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let (entry, dinkes) = app.dinkes_entry(&ed, "Posyandu digital").await;
    let password = "perahu kecil menuju pulau ketawai";
    let first = app.judge(&org, "satu@example.id").await;
    let second = app.judge(&org, "dua@example.id").await;
    app.clock.advance(chrono::Duration::days(11));
    let org = app.again(&org).await;
    let r = app
        .post(
            &format!("/api/v1/entries/{entry}/screening"),
            Some(&org.access),
            json!({"eligible": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for j in [&first, &second] {
        let r = app
            .post(
                &format!("/api/v1/editions/{}/judges", ed.id),
                Some(&org.access),
                json!({"judge_id": j.id}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let round = app
        .post(
            &format!("/api/v1/editions/{}/rounds", ed.id),
            Some(&org.access),
            json!({"name": "Evaluasi", "position": 1, "judges_per_entry": 1,
                   "rubric": {"criteria": [{"name": "Nilai", "weight": 1, "min": 0, "max": 10}]}}),
        )
        .await;
    let rid = round.body["id"].as_str().expect("round").to_owned();
    let r = app
        .post(
            &format!("/api/v1/rounds/{rid}/assignments/auto"),
            Some(&org.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mine = |s: Session| {
        let app = &app;
        async move {
            let s = app.again(&s).await;
            let r = app.get("/api/v1/me/assignments", Some(&s.access)).await;
            r.body.as_array().map(Vec::len).unwrap_or_default()
        }
    };
    let (holder, other) = if mine(first.clone()).await == 1 {
        (first, second)
    } else {
        (second, first)
    };
    let jar = cookie(&app, &holder).await;
    let html = page_text(&app, "/juri", &jar).await;
    assert!(
        html.contains(r#"<label for="f-organisation_id">"#),
        "{html}"
    );

    // Nothing chosen, no reason: both named by their fields, nothing recorded.
    let r = post_form(
        &app,
        "/juri/konflik",
        &[("kind", "institutional")],
        &jar,
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(
        html.contains(r#"<p class="field-error" id="e-organisation_id">"#),
        "{html}"
    );
    assert!(html.contains(r#"<p class="field-error" id="e-reason">"#));
    assert_eq!(mine(holder.clone()).await, 1);
    // A submitter has no such form.
    let opd_jar = {
        let r = post_form(
            &app,
            "/masuk",
            &[("email", "opd@example.id"), ("password", password)],
            "",
            Some(&app.url("")),
        )
        .await;
        cookie_pair(r.headers(), "juri_akses")
    };
    let fields = [
        ("organisation_id", dinkes.as_str()),
        ("kind", "institutional"),
        ("reason", "Saya pegawai Dinkes."),
    ];
    let r = post_form(&app, "/juri/konflik", &fields, &opd_jar, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(mine(holder.clone()).await, 1);

    // Declared: recused from the agency's entry, which goes to the other judge.
    let r = post_form(&app, "/juri/konflik", &fields, &jar, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/juri?konflik=1");
    assert_eq!(mine(holder.clone()).await, 0, "recused");
    assert_eq!(mine(other.clone()).await, 1, "the gap is filled");
    // Declaring it again changes nothing.
    let r = post_form(&app, "/juri/konflik", &fields, &jar, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(mine(holder.clone()).await, 0);
    assert_eq!(mine(other.clone()).await, 1);
}

/// At national scale the agencies outnumber what the conflict form lists (the first
/// 100 by name): the form says so and finds the others by name, and an agency chosen
/// from a search stays chosen when the form comes back with an error.
#[tokio::test]
async fn a_judge_finds_an_agency_beyond_the_first_hundred_by_name() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ids = app
        .add_organisations(&org, (0..105).map(|i| format!("Dinas Uji {i:03}")))
        .await;
    let last = ids.last().expect("the 105th").clone();
    let judge = app.judge(&org, "juri.nasional@example.id").await;
    let jar = cookie(&app, &judge).await;
    let page = |path: &'static str| {
        let (app, jar) = (&app, &jar);
        async move {
            let r = get_page(app, path, jar).await;
            assert_eq!(r.status(), StatusCode::OK);
            r.text().await.expect("body")
        }
    };
    // The agency select's options, less "choose".
    let options = |html: &str| {
        let select = html
            .split(r#"<select id="f-organisation_id""#)
            .nth(1)
            .and_then(|s| s.split("</select>").next())
            .expect("the agency select");
        select.matches("<option value=\"").count() - 1
    };

    let html = page("/juri").await;
    assert!(html.contains(r#"id="agencies-more""#), "{html}");
    assert_eq!(options(&html), 100);
    assert!(!html.contains("Dinas Uji 104"));
    assert!(!html.contains(r#"<details class="card" id="agency-conflict" open>"#));

    let html = page("/juri?instansi=uji%20104").await;
    assert!(
        html.contains(&format!(r#"<option value="{last}">Dinas Uji 104</option>"#)),
        "{html}"
    );
    assert_eq!(options(&html), 1);
    assert!(!html.contains(r#"id="agencies-more""#));
    assert!(html.contains(r#"<details class="card" id="agency-conflict" open>"#));
    assert!(html.contains(r#"value="uji 104""#));

    let html = page("/juri?instansi=tidak%20ada").await;
    assert!(html.contains(r#"id="agencies-none""#), "{html}");
    assert_eq!(options(&html), 0);

    // Chosen from the search, sent without a reason: refused, still chosen.
    let r = post_form(
        &app,
        "/juri/konflik",
        &[("organisation_id", &last), ("kind", "institutional")],
        &jar,
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(
        html.contains(&format!(
            r#"<option value="{last}" selected>Dinas Uji 104</option>"#
        )),
        "{html}"
    );
    assert!(html.contains(r#"<p class="field-error" id="e-reason">"#));
}

/// A judge's list is a queue: what is left to score first ("Perlu dinilai (n)"), the
/// submitted sheets behind a disclosure; "Kirim & lanjut" submits and opens the next
/// sheet to score, and after the last one the list says nothing is left.
#[tokio::test]
async fn a_judge_works_through_a_queue_with_submit_and_next() {
    let f = juri_tests::fixture(3, 1, 1, json!({})).await;
    let r = f.auto().await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let judge = &f.judges[0];
    let ids: Vec<String> = f
        .assignments_of(judge)
        .await
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    // Every sheet filled in as a draft, ready to send.
    for id in &ids {
        let r = f
            .app
            .call(
                reqwest::Method::PUT,
                &format!("/api/v1/assignments/{id}/sheet"),
                Some(&judge.access),
                Some(f.full_sheet(7)),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let jar = cookie(&f.app, judge).await;
    let origin = f.app.url("");
    let list = |jar: String| {
        let app = &f.app;
        async move { page_text(app, "/juri", &jar).await }
    };
    let html = list(jar.clone()).await;
    assert!(
        html.contains(r#"<span id="queue-count">3</span>"#),
        "{html}"
    );
    assert!(!html.contains(r#"id="past-work""#), "nothing done yet");

    for (i, id) in ids.iter().enumerate() {
        let confirm = page_text(&f.app, &format!("/juri/penilaian/{id}/kirim"), &jar).await;
        let last = i == ids.len() - 1;
        assert_eq!(
            confirm.contains(r#"id="confirm-sheet-next""#),
            !last,
            "submit-and-next only while another sheet waits: {confirm}"
        );
        let r = post_form(
            &f.app,
            &format!("/juri/penilaian/{id}/kirim?lanjut=1"),
            &[],
            &jar,
            Some(&origin),
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        if last {
            assert_eq!(location(&r), "/juri?selesai=1");
        } else {
            assert_eq!(
                location(&r),
                format!("/juri/penilaian/{}?berikutnya=1", ids[i + 1])
            );
            let next = page_text(&f.app, &location(&r), &jar).await;
            assert!(next.contains("Lembar penilaian sebelumnya terkirim."));
            let html = list(jar.clone()).await;
            assert!(
                html.contains(&format!(
                    r#"<span id="queue-count">{}</span>"#,
                    ids.len() - i - 1
                )),
                "{html}"
            );
            let past = html
                .split(r#"id="past-work""#)
                .nth(1)
                .expect("the submitted sheets behind a disclosure");
            assert!(past.contains(&format!("/juri/penilaian/{id}")));
        }
    }
    let html = list(jar).await;
    assert!(
        html.contains(r#"<span id="queue-count">0</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"id="queue-empty""#));
    let statuses: Vec<Value> = f
        .assignments_of(judge)
        .await
        .iter()
        .map(|a| a["sheet_status"].clone())
        .collect();
    assert!(statuses.iter().all(|s| s == "submitted"), "{statuses:?}");
}

/// A scale of up to eleven points is a row of buttons, one tap a value (nothing to
/// type, no "3" that becomes "32"); a wider one keeps a number box. The primary
/// button submits; saving a draft is the secondary one.
#[tokio::test]
async fn narrow_scales_are_tapped_and_wide_ones_typed() {
    let f = juri_tests::fixture(
        1,
        1,
        1,
        json!({"rubric": {"criteria": [
            {"name": "Kebaruan", "weight": 50, "min": 0, "max": 10},
            {"name": "Skor rinci", "weight": 50, "min": 0, "max": 100}
        ]}}),
    )
    .await;
    let r = f.auto().await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let judge = &f.judges[0];
    let jar = cookie(&f.app, judge).await;
    let id = f.first_assignment_of(judge).await;
    let html = page_text(&f.app, &format!("/juri/penilaian/{id}"), &jar).await;
    let criteria = f.criteria();
    let (narrow, wide) = (&criteria[0].0, &criteria[1].0);
    assert_eq!(html.matches(r#"type="radio""#).count(), 11, "0 to 10");
    assert!(html.contains(&format!(
        r#"id="v-{narrow}-10" name="v_{narrow}" value="10""#
    )));
    assert!(html.contains(&format!(r#"id="v-{wide}" name="v_{wide}" type="number""#)));
    let submit = html.find(r#"id="submit-sheet""#).expect("submit");
    let save = html.find(r#"id="save-sheet""#).expect("save");
    assert!(submit < save, "the primary action comes first");
    assert!(html.contains(r#"id="total-hint""#), "the total explained");
}

/// The words fit the entry's state: a draft is saved as a draft; a submitted entry
/// changed before the deadline says "Simpan perubahan" and "Perubahan tersimpan",
/// never "Draf tersimpan".
#[tokio::test]
async fn a_submitted_entry_is_changed_not_drafted() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let citizen = app.submitter("warga@example.id").await;
    let jar = cookie(&app, &citizen).await;
    let origin = app.url("");
    let r = app
        .post(
            &format!("/api/v1/editions/{}/entries", ed.id),
            Some(&citizen.access),
            juri_tests::complete_entry(&ed, "Bank sampah digital"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["id"].as_str().expect("id").to_owned();
    let page = format!("/peserta/inovasi/{id}");
    let html = page_text(&app, &page, &jar).await;
    assert!(html.contains(r#"id="save-draft">Simpan draf<"#), "a draft");

    let r = app
        .post(
            &format!("/api/v1/entries/{id}/submit"),
            Some(&citizen.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let version = r.body["version"].to_string();
    let html = page_text(&app, &page, &jar).await;
    assert!(
        html.contains(r#"id="save-draft">Simpan perubahan<"#),
        "{html}"
    );
    // The whole form, as the page sends it back: every text of the complete entry.
    let content = juri_tests::complete_entry(&ed, "Bank sampah digital desa");
    let mut fields: Vec<(&str, &str)> = content
        .as_object()
        .expect("an object")
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)))
        .collect();
    fields.extend([("publication_consent", "on"), ("version", version.as_str())]);
    let r = post_form(&app, &page, &fields, &jar, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{page}?diubah=1"));
    let html = page_text(&app, &location(&r), &jar).await;
    assert!(html.contains("Perubahan tersimpan."), "{html}");
    assert!(!html.contains("Draf tersimpan."));
}

/// A new account with no edition taking entries meets no dead end: the page says so,
/// when the last edition closed, and where the next one will be announced.
#[tokio::test]
async fn with_no_edition_open_the_submitter_is_told_what_to_expect() {
    let app = TestApp::spawn().await;
    let citizen = app.submitter("warga@example.id").await;
    let jar = cookie(&app, &citizen).await;
    let html = page_text(&app, "/peserta", &jar).await;
    assert!(html.contains(r#"id="no-open-edition""#), "{html}");
    assert!(html.contains("Belum ada edisi yang membuka pengajuan."));
    assert!(!html.contains(r#"id="new-entry""#));

    let org = app.organiser().await;
    let ed = app.open_edition(&org, 3).await;
    let html = page_text(&app, "/peserta", &jar).await;
    assert!(!html.contains(r#"id="no-open-edition""#), "one is open");
    assert!(html.contains(r#"id="new-entry""#));

    app.clock.advance(chrono::Duration::days(4));
    let jar = cookie(&app, &app.again(&citizen).await).await;
    let html = page_text(&app, "/peserta", &jar).await;
    let closed = app
        .get(&format!("/api/v1/editions/{}", ed.id), None)
        .await
        .body["submission_closes_at"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| juri_text::time::long(t.with_timezone(&chrono::Utc), juri_text::Language::Id))
        .expect("the deadline");
    assert!(
        html.contains(&format!(
            "Pengajuan Bangka Innovation Awards 2026 sudah ditutup pada {closed}."
        )),
        "{html}"
    );
}

/// Before a draft is submitted its page shows what a submission still needs, each
/// missing item a link to its input, and the fields a submission requires are
/// marked on the form.
#[tokio::test]
async fn a_draft_shows_a_checklist_of_what_submitting_needs() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let citizen = app.submitter("warga@example.id").await;
    let jar = cookie(&app, &citizen).await;
    let r = app
        .post(
            &format!("/api/v1/editions/{}/entries", ed.id),
            Some(&citizen.access),
            json!({"title": "Bank sampah digital", "field_id": ed.fields[3], "track_id": ed.citizen_track()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["id"].as_str().expect("id").to_owned();
    let page = format!("/peserta/inovasi/{id}");
    let html = page_text(&app, &page, &jar).await;
    let list = html
        .split(r#"<div id="checklist">"#)
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("a checklist");
    for missing in ["summary", "problem", "solution", "how_it_works", "impact"] {
        assert!(
            list.contains(&format!(r##"href="#f-{missing}""##)),
            "{missing}: {list}"
        );
    }
    for done in ["title", "field_id", "track_id"] {
        assert!(
            !list.contains(&format!(r##"href="#f-{done}""##)),
            "{done} is done"
        );
    }
    assert!(list.contains("Lengkapi isian yang belum dicentang"));
    let summary_label = html
        .split(r#"<label for="f-summary">"#)
        .nth(1)
        .and_then(|rest| rest.split("</label>").next())
        .expect("the summary's label");
    assert!(
        summary_label.contains(r#"<span class="req">*</span>"#),
        "{summary_label}"
    );

    let r = app
        .patch(
            &format!("/api/v1/entries/{id}"),
            Some(&citizen.access),
            juri_tests::complete_entry(&ed, "Bank sampah digital"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let html = page_text(&app, &page, &jar).await;
    assert!(html.contains("inovasi siap dikirim"), "{html}");
}

/// Removing a file takes a confirmation: the entry page links to a page that names
/// the file; only its form removes it.
#[tokio::test]
async fn a_file_is_removed_only_after_a_confirmation() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let citizen = app.submitter("warga@example.id").await;
    let jar = cookie(&app, &citizen).await;
    let id = app.draft(&citizen, &ed, "Bank sampah digital").await;
    let up = app
        .upload(&citizen.access, &id, "proposal.pdf", juri_tests::tiny_pdf())
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text);
    let aid = up.body["id"].as_str().expect("id").to_owned();
    let confirm = format!("/peserta/inovasi/{id}/lampiran/{aid}/hapus");
    let html = page_text(&app, &format!("/peserta/inovasi/{id}"), &jar).await;
    assert!(html.contains(&format!(r#"<a class="button secondary" href="{confirm}">"#)));
    let html = page_text(&app, &confirm, &jar).await;
    assert!(
        html.contains(r#"<p class="lead" id="file-to-remove">proposal.pdf</p>"#),
        "{html}"
    );
    let listed = app
        .get(
            &format!("/api/v1/entries/{id}/attachments"),
            Some(&citizen.access),
        )
        .await;
    assert_eq!(
        listed.body.as_array().map(Vec::len),
        Some(1),
        "still there after the GET"
    );
    let r = post_form(&app, &confirm, &[], &jar, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let listed = app
        .get(
            &format!("/api/v1/entries/{id}/attachments"),
            Some(&citizen.access),
        )
        .await;
    assert_eq!(listed.body.as_array().map(Vec::len), Some(0), "removed");
}
