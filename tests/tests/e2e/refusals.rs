//! Refusals stay in place (issue 18, organisers): an action the state does not allow
//! now answers 409 with the same page, the reason by the action and in the summary at
//! the top, under the signed-in header; actions that cannot succeed are shown disabled
//! with their reason. Closing a round names what is missing first; "Ingatkan" mails
//! the judges behind, each at most once a day. (A sheet is reopened from its own
//! page: `round_pages.rs`.)

use crate::notifications::{SmtpSink, outbox, worker};
use crate::organiser_pages::organiser_cookie;
use crate::pages::{get_page, location, page_text, post_form};
use crate::round_pages::submit_first_judges_sheets;
use chrono::Duration;
use juri_tests::TestApp;
use reqwest::StatusCode;
use serde_json::json;

/// The page is shown to the signed-in organiser: the header names them.
fn assert_signed_in(html: &str) {
    assert!(
        html.contains(r#"id="sign-out""#),
        "signed-in header: {html}"
    );
    assert!(!html.contains(r#"id="sign-in-link""#), "{html}");
}

/// The summary at the top names the refusal and links to the action's form.
fn assert_summary_links_to(html: &str, form: &str, why: &str) {
    let summary = html
        .split(r#"id="kesalahan""#)
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .unwrap_or_else(|| panic!("no error summary: {html}"));
    assert!(summary.contains(&format!("href=\"#{form}\"")), "{summary}");
    assert!(summary.contains(why), "{summary}");
    assert!(html.contains(&format!("id=\"{form}\"")), "{html}");
}

#[tokio::test]
async fn screening_before_the_deadline_is_refused_on_the_entry_page_with_its_reason() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let s = app.submitter("siti@example.id").await;
    let id = app.draft(&s, &ed, "Arsip digital desa").await;
    let r = app
        .post(
            &format!("/api/v1/entries/{id}/submit"),
            Some(&s.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let cookie = organiser_cookie(&app).await;
    let page = format!("/panitia/inovasi/{id}");
    let not_yet = "Seleksi administrasi dimulai setelah batas pengajuan.";
    let why = "Seleksi administrasi hanya setelah batas pengajuan";

    // Before the deadline the button is disabled and says why.
    let html = page_text(&app, &page, &cookie).await;
    assert!(
        html.contains(r#"id="screen-button" disabled aria-describedby="e-screen""#),
        "{html}"
    );
    assert!(html.contains(not_yet), "{html}");

    // Sent anyway (a stale page): the same page, 409, the reason by the button and
    // at the top, the organiser still signed in; the entry is unchanged.
    let r = post_form(
        &app,
        &format!("{page}/seleksi"),
        &[("eligible", "ya")],
        &cookie,
        Some(&app.url("")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.expect("body");
    assert_signed_in(&html);
    assert!(html.contains("Arsip digital desa"), "the entry's own page");
    assert!(html.contains(r#"id="e-screen">"#), "{html}");
    assert_summary_links_to(&html, "f-screen", why);
    let e = app
        .get(&format!("/api/v1/entries/{id}"), Some(&org.access))
        .await;
    assert_eq!(e.body["status"], "submitted", "{}", e.text);

    // After the deadline the button is live.
    app.clock.advance(Duration::days(11));
    let cookie = organiser_cookie(&app).await;
    let html = page_text(&app, &page, &cookie).await;
    assert!(html.contains(r#"id="screen-button">"#), "{html}");
}

#[tokio::test]
async fn publishing_without_winners_is_disabled_and_refused_in_place() {
    let f = juri_tests::fixture(2, 2, 1, json!({})).await;
    let app = &f.app;
    let cookie = organiser_cookie(app).await;
    let page = format!("/panitia/edisi/{}/terbitkan", f.ed.id);
    let html = page_text(app, &page, &cookie).await;
    assert!(
        html.contains(r#"id="confirm-publish" disabled aria-describedby="e-no-winners""#),
        "{html}"
    );
    assert!(html.contains("Belum ada pemenang tercatat."), "{html}");

    let r = post_form(app, &page, &[], &cookie, Some(&app.url(""))).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.expect("body");
    assert_signed_in(&html);
    assert!(html.contains(r#"id="e-publish">"#), "{html}");
    assert!(
        html.contains(r#"id="cannot-undo""#),
        "the confirmation itself"
    );
    let p = app
        .get(
            &format!("/api/v1/editions/{}/publication", f.ed.id),
            Some(&f.org.access),
        )
        .await;
    assert_ne!(p.status, StatusCode::OK, "not published: {}", p.text);
}

#[tokio::test]
async fn an_error_page_keeps_the_signed_in_header() {
    let app = TestApp::spawn().await;
    app.organiser().await;
    let cookie = organiser_cookie(&app).await;
    let missing = uuid::Uuid::now_v7();
    for path in [
        format!("/panitia/inovasi/{missing}"),
        "/panitia/edisi/bukan-id".to_owned(),
    ] {
        let r = get_page(&app, &path, &cookie).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let html = r.text().await.expect("body");
        assert_signed_in(&html);
    }
}

#[tokio::test]
async fn closing_a_round_asks_first_and_names_the_judges_behind() {
    let f = juri_tests::fixture(3, 2, 2, json!({})).await;
    let app = &f.app;
    assert_eq!(f.auto().await.status, StatusCode::OK);
    submit_first_judges_sheets(&f, 6).await;
    let cookie = organiser_cookie(app).await;
    let round = format!("/panitia/babak/{}", f.round_id());

    // The round page: the judge behind listed first, and closing is a link.
    let html = page_text(app, &round, &cookie).await;
    let at = |judge: &juri_tests::Session| {
        html.find(&format!(r#"id="pj-{}""#, judge.id))
            .unwrap_or_else(|| panic!("judge {} listed: {html}", judge.id))
    };
    assert!(at(&f.judges[1]) < at(&f.judges[0]), "behind first");
    // The fixture's third criterion has no description: flagged, with the way to add one.
    assert!(
        html.contains(r#"id="undescribed">1 kriteria belum punya deskripsi"#),
        "{html}"
    );
    assert_eq!(html.matches("no-description").count(), 1);
    assert!(html.contains(&format!(r#"href="{round}/tutup" id="close-round""#)));
    assert!(
        html.contains(r#"id="close-missing">3 lembar belum dikirim."#),
        "{html}"
    );

    let confirm = page_text(app, &format!("{round}/tutup"), &cookie).await;
    assert_signed_in(&confirm);
    let missing = confirm
        .split(r#"id="close-missing""#)
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .expect("missing listed");
    // Only the judge behind (all judges of the fixture share one name).
    assert_eq!(missing.matches("<li>").count(), 1, "{missing}");
    assert!(
        missing.contains("Dr. Rahmat Hidayat: 3 belum dikirim (0 / 3)"),
        "{missing}"
    );

    let origin = app.url("");
    let close = || async {
        let path = format!("{round}/tutup");
        post_form(app, &path, &[], &cookie, Some(&origin)).await
    };
    assert_eq!(close().await.status(), StatusCode::SEE_OTHER);
    // Closed already: the confirmation again, 409, with the reason by its button.
    let r = close().await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.expect("body");
    assert_signed_in(&html);
    assert_summary_links_to(&html, "f-close", "Babak ini sudah ditutup.");
    assert!(html.contains(r#"id="confirm-close" disabled"#), "{html}");
}

#[tokio::test]
async fn ingatkan_mails_the_judges_behind_at_most_once_a_day() {
    let Some(sink) = SmtpSink::up().await else {
        return;
    };
    let f = juri_tests::fixture(3, 2, 2, json!({})).await;
    let app = &f.app;
    assert_eq!(f.auto().await.status, StatusCode::OK);
    submit_first_judges_sheets(&f, 6).await;
    // The assignment mails are out of the way first.
    worker(app, Some(&sink)).deliver_due().await.expect("pass");
    let before = sink.messages().len();
    let cookie = organiser_cookie(app).await;
    let round = format!("/panitia/babak/{}", f.round_id());
    let origin = app.url("");
    let remind = |cookie: &str| {
        let (path, cookie, origin) = (format!("{round}/ingatkan"), cookie.to_owned(), &origin);
        async move { post_form(app, &path, &[], &cookie, Some(origin)).await }
    };

    let r = remind(&cookie).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page_text(app, &location(&r), &cookie).await;
    assert!(html.contains("1 juri diingatkan lewat surel."), "{html}");
    worker(app, Some(&sink)).deliver_due().await.expect("pass");
    let mails = sink.messages();
    assert_eq!(mails.len(), before + 1, "{mails:?}");
    let reminder = mails
        .iter()
        .find(|m| m["subject"] == "Pengingat penilaian: Evaluasi Dokumen")
        .expect("the reminder");
    assert_eq!(reminder["rcpt_tos"], json!([f.judges[1].email]));
    let body = reminder["body"].as_str().expect("body");
    assert!(body.contains("Masih ada 3 lembar penilaian"), "{body}");
    assert!(body.contains(&app.url("/juri")), "{body}");

    // Pressed again the same day: nobody is mailed twice.
    let r = remind(&cookie).await;
    let html = page_text(app, &location(&r), &cookie).await;
    assert!(
        html.contains("0 juri diingatkan lewat surel. 1 juri sudah diingatkan hari ini."),
        "{html}"
    );
    worker(app, Some(&sink)).deliver_due().await.expect("pass");
    assert_eq!(sink.messages().len(), before + 1);

    // The next day (WIB) the judge may be reminded again.
    app.clock.advance(Duration::days(1));
    let cookie = organiser_cookie(app).await;
    let r = remind(&cookie).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    worker(app, Some(&sink)).deliver_due().await.expect("pass");
    assert_eq!(sink.messages().len(), before + 2);
    let reminders = outbox(app)
        .await
        .into_iter()
        .filter(|m| m.kind == "judge_reminder")
        .count();
    assert_eq!(reminders, 2);

    // A closed round reminds nobody: refused in place.
    let r = post_form(app, &format!("{round}/tutup"), &[], &cookie, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = remind(&cookie).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.expect("body");
    assert_signed_in(&html);
    assert!(html.contains("Babak ini sudah ditutup."), "{html}");
}

#[tokio::test]
async fn a_browser_on_an_unknown_address_gets_the_not_found_page_signed_in() {
    let app = TestApp::spawn().await;
    app.organiser().await;
    let cookie = organiser_cookie(&app).await;
    let page = |path: &'static str, accept: &'static str| {
        let (app, cookie) = (&app, &cookie);
        async move {
            crate::pages::client()
                .get(app.url(path))
                .header("cookie", cookie.as_str())
                .header("accept", accept)
                .send()
                .await
                .expect("sent")
        }
    };
    let r = page(
        "/panitia/tidak-ada",
        "text/html,application/xhtml+xml,*/*;q=0.8",
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/html"))
    );
    let html = r.text().await.expect("body");
    assert_signed_in(&html);
    assert!(html.contains("tidak ditemukan"), "{html}");
    // The API, and a client that does not ask for a page: a problem document.
    for (path, accept) in [
        ("/api/v1/tidak-ada", "text/html"),
        ("/panitia/tidak-ada", "application/json"),
    ] {
        let r = page(path, accept).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
}
