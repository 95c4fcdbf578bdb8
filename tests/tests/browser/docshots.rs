//! Each role's main task as steps, with a screenshot of each step for `docs/web.md`
//! (issue 18): the judge scores a sheet, the submitter signs up and submits, the
//! organiser screens, runs a round and publishes, the visitor finds the winners.
//!
//! The shots always land in `target/screenshots/`; with `JURI_DOC_SHOTS=<dir>` (the
//! docs use `docs/img`) they are also written there as `<role>-<n>-<step>.png`, small
//! enough to keep in git: one pixel per CSS pixel.

use super::axe::{Visitor, enter_as};
use super::{Browser, PASSWORD};
use fantoccini::Locator;
use juri_tests::TestApp;
use juri_web::services::demo;
use reqwest::StatusCode;
use serde_json::json;
use std::path::PathBuf;

/// Where the documentation's copies go, if anywhere.
fn doc_dir() -> Option<PathBuf> {
    std::env::var_os("JURI_DOC_SHOTS").map(PathBuf::from)
}

/// One role's steps: numbers them and saves each shot.
struct Steps {
    role: &'static str,
    n: u32,
}

impl Steps {
    fn new(role: &'static str) -> Steps {
        Steps { role, n: 0 }
    }

    async fn shot(&mut self, b: &mut Browser, step: &str) {
        self.n += 1;
        b.shot(&format!("{}-{step}", self.role)).await;
        if let Some(dir) = doc_dir() {
            std::fs::create_dir_all(&dir).expect("doc image dir");
            let png = small_png(b).await;
            let path = dir.join(format!("{}-{}-{step}.png", self.role, self.n));
            std::fs::write(&path, png).expect("doc image written");
        }
    }
}

/// The viewport as a PNG at one pixel per CSS pixel: a phone's shot is 360×740, a
/// quarter of the pixels of the emulated phone's two device pixels per CSS pixel.
async fn small_png(b: &Browser) -> Vec<u8> {
    let view = b
        .client
        .execute(
            "return [window.scrollX, window.scrollY, window.innerWidth, window.innerHeight, window.devicePixelRatio];",
            vec![],
        )
        .await
        .expect("viewport");
    let n = |i: usize| view[i].as_f64().unwrap_or_default();
    let shot = b
        .cdp(
            "Page.captureScreenshot",
            json!({"format": "png", "clip": {"x": n(0), "y": n(1), "width": n(2), "height": n(3), "scale": 1.0 / n(4)}}),
        )
        .await;
    base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        shot["data"].as_str().expect("PNG data"),
    )
    .expect("PNG decoded")
}

/// The judge (phone, the demo): the queue, the sheet, a tap per criterion, submit.
async fn judge(b: &mut Browser, app: &TestApp, report: &demo::DemoReport) {
    let mut s = Steps::new("judge");
    enter_as(b, app, report, Visitor::Judge, "id").await;
    assert_eq!(b.path().await, "/juri");
    s.shot(b, "queue").await;
    b.click("#queue a").await;
    assert!(b.path().await.starts_with("/juri/penilaian/"));
    s.shot(b, "sheet").await;
    // The middle value of each scale, as a judge would tap it.
    let scales = b
        .client
        .find_all(Locator::Css(".scale-points"))
        .await
        .expect("scales");
    assert!(!scales.is_empty(), "a row of values per criterion");
    for scale in scales {
        let taps = scale
            .find_all(Locator::Css("label.tap"))
            .await
            .expect("values");
        taps[taps.len() / 2].click().await.expect("tapped");
    }
    assert_ne!(b.text_of("#total").await, "–", "the total is computed");
    b.client
        .execute("window.scrollTo(0, document.body.scrollHeight)", vec![])
        .await
        .expect("scrolled");
    s.shot(b, "scored").await;
    b.click("#submit-sheet").await;
    s.shot(b, "confirm").await;
    b.click("#confirm-sheet").await;
    assert_eq!(b.text_of("#sheet-status").await, "Terkirim");
    s.shot(b, "submitted").await;
}

/// The visitor (phone, the demo): home, the catalogue, the winners.
async fn visitor(b: &mut Browser, app: &TestApp, report: &demo::DemoReport) {
    let mut s = Steps::new("visitor");
    enter_as(b, app, report, Visitor::Public, "id").await;
    s.shot(b, "home").await;
    b.goto(&app.url("/katalog")).await;
    s.shot(b, "catalogue").await;
    b.click("main .cards a").await;
    s.shot(b, "innovation").await;
    b.goto(&app.url("/pemenang")).await;
    b.click("main ul a").await;
    s.shot(b, "winners").await;
}

/// The submitter (phone, an open edition): sign up, draft, the checklist, submit.
async fn submitter(b: &mut Browser) {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let mut s = Steps::new("submitter");
    b.goto(&app.url("/daftar")).await;
    b.client
        .delete_all_cookies()
        .await
        .expect("cookies cleared");
    b.goto(&app.url("/daftar")).await;
    b.fill("#f-name", "Siti Rahmawati").await;
    b.fill("#f-email", "siti@example.id").await;
    b.fill("#f-password", PASSWORD).await;
    s.shot(b, "sign-up").await;
    b.click("#sign-up-button").await;
    assert_eq!(b.path().await, "/peserta");
    s.shot(b, "my-entries").await;
    b.click("#new-entry").await;
    b.fill("#f-title", "Pengingat Posyandu lewat WhatsApp")
        .await;
    s.shot(b, "draft").await;
    b.fill_entry(&ed.fields[4], ed.citizen_track()).await;
    s.shot(b, "checklist").await;
    b.attach_pdf().await;
    s.shot(b, "attached").await;
    b.click("#submit-link").await;
    s.shot(b, "confirm").await;
    b.click("#confirm-submit").await;
    assert_eq!(b.text_of("#entry-status").await, "Terkirim");
    s.shot(b, "submitted").await;
}

/// The organiser (desktop): the dashboard, screening, the round, the results, publish,
/// on an edition whose one round is scored and closed.
async fn organiser(b: &mut Browser) {
    let f = juri_tests::fixture(4, 3, 2, json!({})).await;
    let r = f.auto().await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for judge in &f.judges {
        for a in f.assignments_of(judge).await {
            let id = a["id"].as_str().expect("assignment id");
            // A value per entry, so the ranking has an order and no tie to settle.
            let nth = f
                .entries
                .iter()
                .position(|e| a["entry_id"] == e.as_str())
                .expect("an entry of the fixture");
            let value = 9 - 2 * i64::try_from(nth).expect("small");
            let path = format!("/api/v1/assignments/{id}/sheet");
            let r = f
                .app
                .call(
                    reqwest::Method::PUT,
                    &path,
                    Some(&judge.access),
                    Some(f.full_sheet(value)),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            let r = f
                .app
                .post(&format!("{path}/submit"), Some(&judge.access), json!({}))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
    }
    let mut s = Steps::new("organiser");
    super::sign_in_as(b, &f.app, &f.org.email, &f.org.password).await;
    assert_eq!(b.path().await, "/panitia");
    s.shot(b, "dashboard").await;
    let ed = &f.ed.id;
    b.click(&format!("a[href='/panitia/edisi/{ed}']")).await;
    s.shot(b, "edition").await;
    b.click("#queue-link").await;
    s.shot(b, "screening").await;
    b.goto(&f.app.url(&format!("/panitia/babak/{}", f.round_id())))
        .await;
    s.shot(b, "round").await;
    b.click("#close-round").await;
    s.shot(b, "close-round").await;
    b.click("#confirm-close").await;
    b.click("#results-link").await;
    s.shot(b, "results").await;
    b.select("table.ranking select", "juara_1").await;
    b.click("#record-winners").await;
    assert_eq!(b.text_of("#notice").await, "Pemenang tersimpan.");
    b.click("#publish-link").await;
    s.shot(b, "publish").await;
    b.click("#confirm-publish").await;
    assert_eq!(b.text_of("#notice").await, "Hasil diumumkan.");
    s.shot(b, "published").await;
}

/// Each role's main task, walked through as its steps, with a screenshot of each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_roles_main_task_is_walked_through_as_steps_with_screenshots() {
    let app = TestApp::spawn().await;
    let report = demo::seed(app.state(), false).await.expect("demo");
    {
        let Some(mut b) = Browser::start("steps-phone", true).await else {
            return;
        };
        visitor(&mut b, &app, &report).await;
        judge(&mut b, &app, &report).await;
        submitter(&mut b).await;
        b.close().await;
    }
    let Some(mut b) = Browser::start("steps-wide", false).await else {
        return;
    };
    organiser(&mut b).await;
    b.close().await;
}
