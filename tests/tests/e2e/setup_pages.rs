//! The set-up page's own forms per field and track: rename, reorder, retire. A bad
//! value comes back by the item's own form (never the "new field" form) and nothing
//! is written; judges and submitters are refused.

use crate::organiser_pages::{body, organiser_cookie, page_session};
use crate::pages::{get_page, location, post_form};
use chrono::Duration;
use juri_domain::clock::Clock;
use juri_tests::{Session, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

async fn list(app: &TestApp, org: &Session, edition: &str, what: &str) -> Vec<Value> {
    let r = app
        .get(
            &format!("/api/v1/editions/{edition}/{what}"),
            Some(&org.access),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body.as_array().expect("list").clone()
}

#[tokio::test]
async fn fields_and_tracks_are_renamed_and_reordered_by_their_own_forms() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let now = app.clock.now();
    let ed = app
        .edition_between(&org, now + Duration::days(5), now + Duration::days(30))
        .await;
    let id = &ed.id;
    let cookie = organiser_cookie(&app).await;
    let origin = app.url("");
    let page = format!("/panitia/edisi/{id}/atur");
    let (f1, f2, f3) = (&ed.fields[1], &ed.fields[2], &ed.fields[3]);
    let track = &ed.tracks[0];

    let html = body(get_page(&app, &page, &cookie).await).await;
    assert!(
        html.contains(&format!(r#"<label for="f-name-{f1}">Nama</label>"#)),
        "{html}"
    );
    assert!(html.contains(&format!(r#"<label for="f-position-{f1}">Urutan</label>"#)));
    assert!(html.contains(&format!(r#"action="/panitia/edisi/{id}/kategori/{track}""#)));

    let judge = app.judge(&org, "juri@example.id").await;
    let submitter = app.submitter("peserta@example.id").await;
    for (who, s) in [("judge", &judge), ("submitter", &submitter)] {
        let c = page_session(&app, &s.email, &s.password).await;
        for path in [
            format!("/panitia/edisi/{id}/bidang/{f1}"),
            format!("/panitia/edisi/{id}/kategori/{track}"),
        ] {
            let r = post_form(
                &app,
                &path,
                &[("name", "Diambil alih"), ("position", "1")],
                &c,
                Some(&origin),
            )
            .await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} by a {who}");
        }
    }
    let fields_before = list(&app, &org, id, "fields").await;
    let tracks_before = list(&app, &org, id, "tracks").await;
    assert!(
        fields_before
            .iter()
            .chain(&tracks_before)
            .all(|x| x["name"] != "Diambil alih")
    );

    // Bad values: by the item's own inputs, with what was typed; nothing written.
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/bidang/{f2}"),
        &[("name", "x"), ("position", "dua")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(
        html.contains(&format!(r#"id="e-name-{f2}">Nama 2 sampai 120 karakter."#)),
        "{html}"
    );
    assert!(html.contains(&format!(
        r#"id="e-position-{f2}">Isi urutan dengan bilangan bulat."#
    )));
    assert!(html.contains(&format!(
        r#"id="f-position-{f2}" name="position" type="number" value="dua""#
    )));
    assert!(
        !html.contains(r#"id="e-field-name""#),
        "not the new-field form"
    );
    let taken = fields_before[0]["name"].as_str().expect("name").to_owned();
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/bidang/{f3}"),
        &[("name", &taken), ("position", "4")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(html.contains(&format!(r#"id="e-name-{f3}""#)), "{html}");
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/kategori/{track}"),
        &[("name", ""), ("position", "1")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains(&format!(r#"id="e-name-{track}""#)));
    assert_eq!(list(&app, &org, id, "fields").await, fields_before);
    assert_eq!(list(&app, &org, id, "tracks").await, tracks_before);

    // Renamed and moved to the top; a track renamed and moved to the end.
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/bidang/{f2}"),
        &[("name", "Kesehatan Masyarakat"), ("position", "0")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{page}?disimpan=1"));
    let fields = list(&app, &org, id, "fields").await;
    assert_eq!(fields[0]["id"], f2.as_str());
    assert_eq!(fields[0]["name"], "Kesehatan Masyarakat");
    assert_eq!(fields[0]["position"], 0);
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/kategori/{track}"),
        &[("name", "Perangkat Daerah"), ("position", "99")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let tracks = list(&app, &org, id, "tracks").await;
    let last = tracks.last().expect("tracks");
    assert_eq!(last["id"], track.as_str());
    assert_eq!(last["name"], "Perangkat Daerah");
    // The retire button posts to the same place.
    let r = post_form(
        &app,
        &format!("/panitia/edisi/{id}/kategori/{track}"),
        &[("retired", "1")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let tracks = list(&app, &org, id, "tracks").await;
    let t = tracks
        .iter()
        .find(|t| t["id"] == track.as_str())
        .expect("track");
    assert_eq!(t["retired"], true);
    assert_eq!(t["name"], "Perangkat Daerah", "the name is kept");
}
