//! The agencies (OPD) page: list and search, add, rename, retire. Judges and
//! submitters are refused; a bad value comes back by the input of the form it was
//! typed into, and nothing is written.

use crate::organiser_pages::{body, organiser_cookie, page_session};
use crate::pages::{get_page, location, post_form};
use juri_tests::{Session, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

/// Every agency (retired too), as the API lists them.
async fn agencies(app: &TestApp) -> Vec<Value> {
    let r = app
        .get(
            "/api/v1/organisations?include_retired=true&per_page=100",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["items"].as_array().expect("items").clone()
}

fn named<'a>(list: &'a [Value], name: &str) -> Option<&'a Value> {
    list.iter().find(|o| o["name"] == name)
}

#[tokio::test]
async fn agencies_are_added_renamed_and_retired_through_their_page() {
    let app = TestApp::spawn().await;
    let org: Session = app.organiser().await;
    let cookie = organiser_cookie(&app).await;
    let origin = app.url("");
    let path = "/panitia/organisasi";

    let r = get_page(&app, path, &cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = body(r).await;
    assert!(
        html.contains("RSUD Depati Bahrin"),
        "seeded agencies listed"
    );
    assert!(html.contains(r#"<label for="f-name-new">Nama instansi</label>"#));
    assert!(html.contains(r#"<label for="f-kind-new">Jenis instansi</label>"#));
    assert!(
        body(get_page(&app, "/panitia", &cookie).await)
            .await
            .contains(r#"href="/panitia/organisasi""#),
        "linked from the organiser's home"
    );
    let html = body(get_page(&app, "/panitia/organisasi?q=puskesmas", &cookie).await).await;
    assert!(html.contains(r#"id="agency-count">10 instansi"#), "{html}");
    assert!(!html.contains("RSUD Depati Bahrin"));

    let judge = app.judge(&org, "juri@example.id").await;
    let submitter = app.submitter("peserta@example.id").await;
    let some = agencies(&app).await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    for (who, s) in [("judge", &judge), ("submitter", &submitter)] {
        let c = page_session(&app, &s.email, &s.password).await;
        assert_eq!(
            get_page(&app, path, &c).await.status(),
            StatusCode::FORBIDDEN,
            "GET by a {who}"
        );
        for p in [path.to_owned(), format!("{path}/{some}")] {
            let r = post_form(
                &app,
                &p,
                &[
                    ("name", "Dinas Siluman"),
                    ("kind", "dinas"),
                    ("retired", "1"),
                ],
                &c,
                Some(&origin),
            )
            .await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST {p} by a {who}");
        }
    }
    let before = agencies(&app).await;
    assert!(named(&before, "Dinas Siluman").is_none());
    assert!(before.iter().all(|o| o["retired"] == false));

    // Bad values by their inputs on the new-agency form; nothing added.
    let long = "x".repeat(61);
    let r = post_form(
        &app,
        path,
        &[("name", "x"), ("short_name", &long), ("kind", "")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(
        html.contains(r#"id="e-name-new">Nama instansi 2 sampai 200 karakter."#),
        "{html}"
    );
    assert!(html.contains(r#"id="e-short_name-new">Singkatan paling banyak 60 karakter."#));
    assert!(html.contains(r#"id="e-kind-new">Jenis instansi tidak dikenal."#));
    assert!(
        html.contains(&format!(r#"value="{long}""#)),
        "typed comes back"
    );
    assert_eq!(agencies(&app).await.len(), before.len(), "nothing added");

    let r = post_form(
        &app,
        path,
        &[
            ("name", "Dinas Kelautan dan Perikanan"),
            ("short_name", "DKP"),
            ("kind", "dinas"),
        ],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{path}?ditambah=1"));
    assert!(
        body(get_page(&app, &location(&r), &cookie).await)
            .await
            .contains("Instansi ditambahkan.")
    );
    let list = agencies(&app).await;
    let dkp = named(&list, "Dinas Kelautan dan Perikanan").expect("added");
    assert_eq!(dkp["short_name"], "DKP");
    assert_eq!(dkp["kind"], "dinas");
    let id = dkp["id"].as_str().expect("id").to_owned();

    // Renaming with a bad name: told by this agency's own form, not the new one.
    let item = format!("{path}/{id}");
    let r = post_form(
        &app,
        &item,
        &[("name", " "), ("short_name", "DKP"), ("kind", "dinas")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(html.contains(&format!(r#"id="e-name-{id}""#)), "{html}");
    assert!(!html.contains(r#"id="e-name-new""#));
    assert_eq!(
        named(&agencies(&app).await, "Dinas Kelautan dan Perikanan").map(|o| o["id"].clone()),
        Some(Value::from(id.as_str())),
        "nothing renamed"
    );
    // A name another agency has: told by the name input of this agency's form.
    let r = post_form(
        &app,
        &item,
        &[("name", "RSUD Depati Bahrin"), ("kind", "rsud")],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains(&format!(r#"id="e-name-{id}""#)));
    let r = post_form(
        &app,
        &item,
        &[
            ("name", "Dinas Kelautan Bangka"),
            ("short_name", ""),
            ("kind", "lainnya"),
        ],
        &cookie,
        Some(&origin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let list = agencies(&app).await;
    let renamed = list.iter().find(|o| o["id"] == id.as_str()).expect("there");
    assert_eq!(renamed["name"], "Dinas Kelautan Bangka");
    assert!(renamed["short_name"].is_null(), "cleared");
    assert_eq!(renamed["kind"], "lainnya");

    // Retired, then brought back, by the same address.
    let r = post_form(&app, &item, &[("retired", "1")], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let list = agencies(&app).await;
    let retired = list.iter().find(|o| o["id"] == id.as_str()).expect("there");
    assert_eq!(retired["retired"], true);
    assert_eq!(retired["name"], "Dinas Kelautan Bangka", "the name is kept");
    let html = body(get_page(&app, "/panitia/organisasi?q=Kelautan%20Bangka", &cookie).await).await;
    assert!(html.contains(r#"name="retired" value="0""#), "{html}");
    let r = post_form(&app, &item, &[("retired", "0")], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let list = agencies(&app).await;
    assert_eq!(
        list.iter().find(|o| o["id"] == id.as_str()).expect("there")["retired"],
        false
    );
}
