//! Notifications: the outbox is written in the transaction of each change, and the mail
//! worker delivers it to a real SMTP server on loopback (aiosmtpd, `tests/smtp/sink.py`),
//! which may be down at first. Without aiosmtpd the SMTP tests print SKIP and pass,
//! unless `JURI_REQUIRE_SMTP` is set (`.ci/run` sets it).

use chrono::Duration;
use juri_domain::Language;
use juri_domain::clock::Clock;
use juri_domain::ids::UserId;
use juri_persistence::OutboxMessage;
use juri_tests::{Session, TestApp, TestEdition, fixture};
use juri_web::mail::{MailSettings, MailWorker};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::{Value, json};
use std::path::PathBuf;

/// aiosmtpd on a port of 127.0.0.1, writing each message it accepts as JSON into a
/// directory. Killed when dropped.
pub(crate) struct SmtpSink {
    child: Option<std::process::Child>,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

fn aiosmtpd_installed() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("JURI_REQUIRE_SMTP").is_none(),
            "JURI_REQUIRE_SMTP is set but aiosmtpd cannot be imported (python3 -m pip install aiosmtpd)"
        );
        eprintln!(
            "SKIP: SMTP test skipped, aiosmtpd is not installed (python3 -m pip install aiosmtpd)"
        );
    }
    ok
}

impl SmtpSink {
    /// A sink on a free port, not started yet (a mail server that is down), or `None`
    /// when aiosmtpd is missing (skip).
    fn down() -> Option<SmtpSink> {
        if !aiosmtpd_installed() {
            return None;
        }
        Some(SmtpSink {
            child: None,
            port: free_port(),
            dir: tempfile::tempdir().expect("mail dir"),
        })
    }

    pub(crate) async fn up() -> Option<SmtpSink> {
        let mut sink = SmtpSink::down()?;
        sink.start().await;
        Some(sink)
    }

    async fn start(&mut self) {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("smtp/sink.py");
        let child = std::process::Command::new("python3")
            .arg(script)
            .arg(self.port.to_string())
            .arg(self.dir.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start the SMTP sink");
        self.child = Some(child);
        // Wait until it accepts connections (a readiness poll, not a timing assertion).
        for _ in 0..300 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the SMTP sink did not start");
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far.
    pub(crate) fn messages(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(self.dir.path()).expect("read mail dir") {
            let path = e.expect("entry").path();
            if path.extension().is_some_and(|x| x == "json") {
                let text = std::fs::read_to_string(&path).expect("read message");
                out.push(serde_json::from_str(&text).expect("message json"));
            }
        }
        out
    }

    /// Wait until `n` messages arrived (for the worker running on its own).
    async fn wait_for(&self, n: usize) -> Vec<Value> {
        for _ in 0..400 {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("{n} messages expected, got {:?}", self.messages());
    }
}

fn settings(app: &TestApp, smtp: Option<&SmtpSink>) -> MailSettings {
    MailSettings {
        smtp_url: smtp.map(|s| SecretString::from(s.url())),
        from: "Panitia BIA <panitia@bangka.example>".to_owned(),
        poll: std::time::Duration::from_millis(100),
        smtp_timeout: std::time::Duration::from_secs(5),
        ..MailSettings::new(&app.url(""))
    }
}

pub(crate) fn worker(app: &TestApp, smtp: Option<&SmtpSink>) -> MailWorker {
    MailWorker::new(app.store().clone(), app.clock.clone(), settings(app, smtp))
        .expect("mail worker")
}

pub(crate) async fn outbox(app: &TestApp) -> Vec<OutboxMessage> {
    app.store().outbox().await.expect("outbox")
}

fn of_kind<'a>(rows: &'a [OutboxMessage], kind: &str) -> Vec<&'a OutboxMessage> {
    rows.iter().filter(|m| m.kind == kind).collect()
}

async fn submit(app: &TestApp, s: &Session, entry: &str) {
    let r = app
        .post(
            &format!("/api/v1/entries/{entry}/submit"),
            Some(&s.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

/// The language switch of the pages, by a signed-in user.
async fn choose_language(app: &TestApp, s: &Session, lang: &str) {
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(app.url("/bahasa"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", app.url(""))
        .header("cookie", format!("juri_akses={}", s.access))
        .body(format!("lang={lang}&next=%2F"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

fn user_id(s: &Session) -> UserId {
    s.id.parse().expect("user id")
}

async fn submitted_entry(app: &TestApp, ed: &TestEdition, email: &str, title: &str) -> Session {
    let s = app.submitter(email).await;
    let e = app.draft(&s, ed, title).await;
    submit(app, &s, &e).await;
    s
}

#[tokio::test]
async fn a_submission_mail_arrives_in_the_language_the_submitter_chose() {
    let Some(sink) = SmtpSink::up().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let siti = app.submitter("siti@example.id").await;
    let john = app.submitter("john@example.id").await;
    choose_language(&app, &john, "en").await;
    assert_eq!(
        app.store().language_of(user_id(&john)).await.expect("lang"),
        Language::En
    );
    assert_eq!(
        app.store().language_of(user_id(&siti)).await.expect("lang"),
        Language::Id
    );
    let e1 = app.draft(&siti, &ed, "Arsip digital desa").await;
    let e2 = app.draft(&john, &ed, "Peta banjir warga").await;
    submit(&app, &siti, &e1).await;
    submit(&app, &john, &e2).await;

    // Queued with the change, not sent yet.
    let rows = outbox(&app).await;
    assert_eq!(of_kind(&rows, "entry_submitted").len(), 2, "{rows:?}");
    assert!(rows.iter().all(|m| m.sent_at.is_none() && m.attempts == 0));

    let pass = worker(&app, Some(&sink)).deliver_due().await.expect("pass");
    assert_eq!((pass.sent, pass.failed), (2, 0));
    let mut mails = sink.messages();
    mails.sort_by_key(|m| m["to"].as_str().unwrap_or_default().to_owned());
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert_eq!(mails[0]["rcpt_tos"], json!(["john@example.id"]));
    assert_eq!(mails[0]["subject"], "Entry received: Peta banjir warga");
    assert!(
        mails[0]["body"]
            .as_str()
            .expect("body")
            .starts_with("Dear Warga Sungailiat,"),
        "{}",
        mails[0]["body"]
    );
    assert_eq!(mails[1]["rcpt_tos"], json!(["siti@example.id"]));
    assert_eq!(mails[1]["subject"], "Inovasi diterima: Arsip digital desa");
    let body = mails[1]["body"].as_str().expect("body");
    assert!(body.contains("Bangka Innovation Awards 2026"), "{body}");
    assert!(body.starts_with("Yth. Warga Sungailiat,"), "{body}");
    // A link to the submitter's page, in the reader's language.
    let link = format!("Buka Juri: {}", app.url("/peserta"));
    assert!(body.contains(&link), "{body}");
    let link = format!("Open Juri: {}", app.url("/peserta"));
    assert!(
        mails[0]["body"].as_str().expect("body").contains(&link),
        "{}",
        mails[0]["body"]
    );
    assert_eq!(mails[1]["mail_from"], "panitia@bangka.example");
    assert!(
        mails[1]["content_type"]
            .as_str()
            .expect("type")
            .starts_with("text/plain"),
        "{}",
        mails[1]["content_type"]
    );
    let rows = outbox(&app).await;
    assert!(
        rows.iter()
            .all(|m| m.sent_at.is_some() && m.attempts == 1 && m.last_error.is_none()),
        "{rows:?}"
    );
    // Nothing is left to send: another pass sends nothing again.
    let again = worker(&app, Some(&sink)).deliver_due().await.expect("pass");
    assert_eq!(again.sent, 0);
    assert_eq!(sink.messages().len(), 2);
}

#[tokio::test]
async fn a_mail_server_that_is_down_delays_mail_but_loses_none() {
    let Some(mut sink) = SmtpSink::down() else {
        return;
    };
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    submitted_entry(&app, &ed, "sabar@example.id", "Bank sampah sekolah").await;
    let w = worker(&app, Some(&sink));

    // The server is down: the try fails, the message stays, with its error.
    let pass = w.deliver_due().await.expect("pass");
    assert_eq!((pass.sent, pass.failed), (0, 1));
    let rows = outbox(&app).await;
    assert_eq!(rows.len(), 1);
    let m = &rows[0];
    assert!(m.sent_at.is_none());
    assert_eq!(m.attempts, 1);
    assert!(
        m.last_error.as_deref().is_some_and(|e| !e.is_empty()),
        "{m:?}"
    );
    // Not before the first retry delay (one minute)…
    let wait = m.next_attempt_at - app.clock.now();
    assert!(
        wait > Duration::seconds(50) && wait <= Duration::minutes(1),
        "{wait}"
    );
    assert_eq!(w.deliver_due().await.expect("pass").failed, 0);
    // …and the second failure waits twice as long.
    app.clock.advance(Duration::seconds(61));
    assert_eq!(w.deliver_due().await.expect("pass").failed, 1);
    let m = outbox(&app).await.remove(0);
    assert_eq!(m.attempts, 2);
    let wait = m.next_attempt_at - app.clock.now();
    assert!(
        wait > Duration::seconds(110) && wait <= Duration::minutes(2),
        "{wait}"
    );

    // The server comes back: at the next due try the mail arrives, exactly once.
    sink.start().await;
    assert_eq!(w.deliver_due().await.expect("pass").sent, 0, "not due yet");
    app.clock.advance(Duration::minutes(2));
    let pass = w.deliver_due().await.expect("pass");
    assert_eq!((pass.sent, pass.failed), (1, 0));
    for _ in 0..3 {
        app.clock.advance(Duration::hours(2));
        assert_eq!(w.deliver_due().await.expect("pass").sent, 0);
    }
    let mails = sink.messages();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["rcpt_tos"], json!(["sabar@example.id"]));
    assert_eq!(mails[0]["subject"], "Inovasi diterima: Bank sampah sekolah");
    let m = outbox(&app).await.remove(0);
    assert!(m.sent_at.is_some());
    assert_eq!(m.attempts, 3);
    assert!(m.last_error.is_none());
}

#[tokio::test]
async fn two_workers_on_one_database_never_send_a_message_twice() {
    let Some(sink) = SmtpSink::up().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let s = app.submitter("rajin@example.id").await;
    for i in 0..8 {
        let e = app.draft(&s, &ed, &format!("Inovasi ke-{i}")).await;
        submit(&app, &s, &e).await;
    }
    let a = worker(&app, Some(&sink));
    let b = worker(&app, Some(&sink));
    let (pa, pb) = tokio::join!(a.deliver_due(), b.deliver_due());
    let (pa, pb) = (pa.expect("a"), pb.expect("b"));
    assert_eq!(pa.sent + pb.sent, 8, "{pa:?} {pb:?}");
    let mails = sink.messages();
    assert_eq!(mails.len(), 8);
    let mut ids: Vec<&str> = mails
        .iter()
        .map(|m| m["message_id"].as_str().expect("id"))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 8, "every message once");
}

#[tokio::test]
async fn the_worker_started_as_by_juri_serve_delivers_on_its_own() {
    let Some(sink) = SmtpSink::up().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let task = worker(&app, Some(&sink)).spawn();
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    submitted_entry(&app, &ed, "mandiri@example.id", "Kebun gizi").await;
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0]["subject"], "Inovasi diterima: Kebun gizi");
    task.abort();
}

#[tokio::test]
async fn a_refused_request_queues_no_mail() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let s = app.submitter("warga@example.id").await;
    let other = app.submitter("lain@example.id").await;
    let e = app.draft(&s, &ed, "Air bersih").await;
    // Someone else's entry: 404, and nothing queued.
    app.post(
        &format!("/api/v1/entries/{e}/submit"),
        Some(&other.access),
        json!({}),
    )
    .await
    .problem(404);
    // Incomplete (no impact): the submission is refused.
    let incomplete = app
        .post(
            &format!("/api/v1/editions/{}/entries", ed.id),
            Some(&s.access),
            {
                let mut body = juri_tests::complete_entry(&ed, "Belum lengkap");
                body.as_object_mut().expect("object").remove("impact");
                body
            },
        )
        .await;
    assert_eq!(
        incomplete.status,
        StatusCode::CREATED,
        "{}",
        incomplete.text
    );
    let inc = incomplete.body["id"].as_str().expect("id");
    app.post(
        &format!("/api/v1/entries/{inc}/submit"),
        Some(&s.access),
        json!({}),
    )
    .await
    .problem(422);
    // Screening is the organiser's: a submitter is refused, nothing is queued.
    submit(&app, &s, &e).await;
    let before = outbox(&app).await.len();
    assert_eq!(before, 1);
    app.clock.advance(Duration::days(11));
    let s = app.again(&s).await;
    let r = app
        .post(
            &format!("/api/v1/entries/{e}/screening"),
            Some(&s.access),
            json!({"eligible": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    // Screening as ineligible without a reason: 422, nothing queued.
    let org = app.again(&org).await;
    app.post(
        &format!("/api/v1/entries/{e}/screening"),
        Some(&org.access),
        json!({"eligible": false}),
    )
    .await
    .problem(422);
    assert_eq!(outbox(&app).await.len(), before);
}

#[tokio::test]
async fn screening_mails_the_result_and_the_reason() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let a = app.submitter("lolos@example.id").await;
    let b = app.submitter("gugur@example.id").await;
    choose_language(&app, &b, "en").await;
    let ea = app.draft(&a, &ed, "Posyandu digital").await;
    let eb = app.draft(&b, &ed, "Lampu jalan surya").await;
    submit(&app, &a, &ea).await;
    submit(&app, &b, &eb).await;
    app.clock.advance(Duration::days(11));
    let org = app.again(&org).await;
    for (e, body) in [
        (&ea, json!({"eligible": true})),
        (
            &eb,
            json!({"eligible": false, "reason": "Proposal belum ditandatangani"}),
        ),
    ] {
        let r = app
            .post(
                &format!("/api/v1/entries/{e}/screening"),
                Some(&org.access),
                body,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let rows = outbox(&app).await;
    let screened = of_kind(&rows, "entry_screened");
    assert_eq!(screened.len(), 2, "{rows:?}");
    let to_a = screened
        .iter()
        .find(|m| m.recipient == "lolos@example.id")
        .expect("a");
    assert_eq!(to_a.subject, "Lolos seleksi administrasi: Posyandu digital");
    let to_b = screened
        .iter()
        .find(|m| m.recipient == "gugur@example.id")
        .expect("b");
    assert_eq!(to_b.language, Language::En);
    assert_eq!(to_b.subject, "Not eligible: Lampu jalan surya");
    assert!(
        to_b.body.contains("Reason: Proposal belum ditandatangani"),
        "{}",
        to_b.body
    );
}

#[tokio::test]
async fn judges_get_one_mail_per_assignment_change_with_the_count() {
    let f = fixture(4, 2, 2, json!({})).await;
    let app = &f.app;
    assert_eq!(of_kind(&outbox(app).await, "judge_assigned").len(), 0);
    let auto = f.auto().await;
    assert_eq!(auto.status, StatusCode::OK, "{}", auto.text);
    let rows = outbox(app).await;
    let assigned = of_kind(&rows, "judge_assigned");
    // Two judges, four entries, two judges each: every judge has all four, one mail each.
    assert_eq!(assigned.len(), 2, "{assigned:?}");
    for j in &f.judges {
        let m = assigned
            .iter()
            .find(|m| m.user_id == Some(user_id(j)))
            .expect("mail for each judge");
        assert_eq!(m.subject, "Penugasan penilaian baru: Evaluasi Dokumen");
        assert!(m.body.contains("4 inovasi baru"), "{}", m.body);
        assert!(m.body.contains("memegang 4 inovasi"), "{}", m.body);
    }
    // Running it again adds nobody: no new mail.
    assert_eq!(f.auto().await.status, StatusCode::OK);
    assert_eq!(of_kind(&outbox(app).await, "judge_assigned").len(), 2);

    // A change by hand: one judge is removed from an entry and put back.
    let rid = f.round_id();
    let j = &f.judges[0];
    let r = app
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/rounds/{rid}/assignments"),
            Some(&f.org.access),
            Some(json!({"entry_id": f.entries[0], "judge_id": j.id})),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.text);
    let r = app
        .post(
            &format!("/api/v1/rounds/{rid}/assignments"),
            Some(&f.org.access),
            json!({"entry_id": f.entries[0], "judge_id": j.id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let rows = outbox(app).await;
    let assigned = of_kind(&rows, "judge_assigned");
    assert_eq!(assigned.len(), 3);
    let last = assigned.last().expect("last");
    assert_eq!(last.user_id, Some(user_id(j)));
    assert!(last.body.contains("1 inovasi baru"), "{}", last.body);
    // A refused change by hand (already assigned) queues nothing.
    let again = app
        .post(
            &format!("/api/v1/rounds/{rid}/assignments"),
            Some(&f.org.access),
            json!({"entry_id": f.entries[0], "judge_id": j.id}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert_eq!(of_kind(&outbox(app).await, "judge_assigned").len(), 3);
}

#[tokio::test]
async fn publishing_mails_every_submitter_once() {
    let f = fixture(3, 2, 2, json!({})).await;
    let app = &f.app;
    assert_eq!(f.auto().await.status, StatusCode::OK);
    for j in &f.judges {
        for a in f.assignments_of(j).await {
            let aid = a["id"].as_str().expect("aid");
            // Entry i scores 2 + 3i: no ties to decide.
            let idx = f
                .entries
                .iter()
                .position(|e| a["entry_id"] == e.as_str())
                .expect("entry");
            let r = app
                .call(
                    reqwest::Method::PUT,
                    &format!("/api/v1/assignments/{aid}/sheet"),
                    Some(&j.access),
                    Some(f.full_sheet(2 + 3 * idx as i64)),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            let r = app
                .post(
                    &format!("/api/v1/assignments/{aid}/sheet/submit"),
                    Some(&j.access),
                    json!({}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
    }
    let rid = f.round_id();
    let r = app
        .post(
            &format!("/api/v1/rounds/{rid}/close"),
            Some(&f.org.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let w = app
        .post(
            &format!("/api/v1/editions/{}/winners", f.ed.id),
            Some(&f.org.access),
            json!({"winners": [{"entry_id": f.entries[2], "award": "juara_1"}]}),
        )
        .await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.text);
    assert!(of_kind(&outbox(app).await, "results_published").is_empty());
    let p = app
        .post(
            &format!("/api/v1/editions/{}/publish", f.ed.id),
            Some(&f.org.access),
            json!({}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    let rows = outbox(app).await;
    let published = of_kind(&rows, "results_published");
    let mut to: Vec<&str> = published.iter().map(|m| m.recipient.as_str()).collect();
    to.sort_unstable();
    assert_eq!(
        to,
        [
            "peserta0@example.id",
            "peserta1@example.id",
            "peserta2@example.id"
        ]
    );
    assert!(
        published
            .iter()
            .all(|m| m.subject == "Hasil Bangka Innovation Awards 2026 telah diumumkan")
    );
    // The edition's own screening mails were queued too, one per entry.
    assert_eq!(of_kind(&rows, "entry_screened").len(), 3);
    // Publishing again is refused and queues nothing more.
    let again = app
        .post(
            &format!("/api/v1/editions/{}/publish", f.ed.id),
            Some(&f.org.access),
            json!({}),
        )
        .await;
    assert!(again.status.is_client_error(), "{}", again.text);
    assert_eq!(of_kind(&outbox(app).await, "results_published").len(), 3);
}

#[tokio::test]
async fn deadline_reminders_are_queued_once_and_logged_without_smtp() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let lazy = app.submitter("lupa@example.id").await;
    app.draft(&lazy, &ed, "Draf pertama").await;
    app.draft(&lazy, &ed, "Draf kedua").await;
    // Someone with everything submitted is not reminded.
    submitted_entry(&app, &ed, "tepat@example.id", "Sudah dikirim").await;
    let w = worker(&app, None);
    assert!(!w.uses_smtp());

    // Ten days before the deadline: no reminder; the submission mail goes to the log.
    let pass = w.tick().await.expect("tick");
    assert_eq!((pass.reminders, pass.sent), (0, 1));
    assert!(of_kind(&outbox(&app).await, "submission_reminder").is_empty());
    // Within 48 hours of it: one reminder, to the one with drafts.
    app.clock.advance(Duration::days(8) + Duration::hours(12));
    let pass = w.tick().await.expect("tick");
    assert_eq!(pass.reminders, 1);
    // Without JURI_SMTP_URL the messages go to the log and count as sent.
    assert_eq!(pass.sent, 1);
    let rows = outbox(&app).await;
    let reminders = of_kind(&rows, "submission_reminder");
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].recipient, "lupa@example.id");
    assert!(
        reminders[0].body.contains("2 draf"),
        "{}",
        reminders[0].body
    );
    assert!(reminders[0].sent_at.is_some());
    // Later ticks, and after the deadline: never again.
    for _ in 0..3 {
        app.clock.advance(Duration::hours(6));
        assert_eq!(w.tick().await.expect("tick").reminders, 0);
    }
    app.clock.advance(Duration::days(2));
    assert_eq!(w.tick().await.expect("tick").reminders, 0);
    assert_eq!(of_kind(&outbox(&app).await, "submission_reminder").len(), 1);
}

#[tokio::test]
async fn a_bad_smtp_url_is_refused_without_repeating_it() {
    let app = TestApp::spawn().await;
    let mut s = settings(&app, None);
    s.smtp_url = Some(SecretString::from("ftp://user:rahasia@host".to_owned()));
    let err = MailWorker::new(app.store().clone(), app.clock.clone(), s).expect_err("refused");
    assert!(!err.contains("rahasia"), "{err}");
    let w = worker(&app, None);
    assert!(!format!("{w:?}").contains("smtp://"));
    // The default From (noreply@ the public URL's host) is a valid address, also for an
    // IP address or an IPv6 literal: `juri serve` starts without JURI_MAIL_FROM.
    for url in [
        app.url(""),
        "https://juri.bangka.go.id".to_owned(),
        "http://[::1]:8080".to_owned(),
    ] {
        let defaults = MailSettings::new(&url);
        assert!(defaults.from.contains("<noreply@"), "{}", defaults.from);
        MailWorker::new(app.store().clone(), app.clock.clone(), defaults).expect("default From");
    }
}

#[tokio::test]
async fn a_submitter_who_met_no_open_edition_is_mailed_once_when_one_opens() {
    let Some(sink) = SmtpSink::up().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    // The edition opens in two days; the submitter signs up now and finds none open.
    let now = app.clock.now();
    app.edition_between(&org, now + Duration::days(2), now + Duration::days(20))
        .await;
    let early = app.submitter("awal@example.id").await;
    let r = crate::pages::get_page(
        &app,
        "/peserta",
        &crate::organiser_pages::page_session(&app, &early.email, &early.password).await,
    )
    .await;
    let html = r.text().await.expect("body");
    assert!(html.contains(r#"id="mail-when-open""#), "{html}");
    let w = worker(&app, Some(&sink));
    // Not open yet: nothing queued.
    assert_eq!(w.tick().await.expect("tick").reminders, 0);

    app.clock.advance(Duration::days(2) + Duration::hours(1));
    // Someone signing up once it is open sees it on their page: no mail for them.
    let late = app.submitter("telat@example.id").await;
    let pass = w.tick().await.expect("tick");
    assert_eq!((pass.reminders, pass.sent), (1, 1));
    let mails = sink.messages();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["rcpt_tos"], json!([early.email]));
    assert_eq!(
        mails[0]["subject"],
        "Pengajuan Bangka Innovation Awards 2026 sudah dibuka"
    );
    let body = mails[0]["body"].as_str().expect("body");
    assert!(body.contains(&app.url("/peserta")), "{body}");
    // Later ticks: never again.
    app.clock.advance(Duration::hours(6));
    assert_eq!(w.tick().await.expect("tick").reminders, 0);
    assert_eq!(of_kind(&outbox(&app).await, "edition_opened").len(), 1);
    assert!(
        outbox(&app)
            .await
            .iter()
            .all(|m| m.recipient != late.email || m.kind != "edition_opened")
    );
}
