//! Entries: the submission lifecycle, the deadline, attachments, screening, visibility.

use chrono::Duration;
use juri_domain::clock::Clock;
use juri_tests::{TestApp, complete_entry, tiny_pdf};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn draft_attachment_submit_screening_as_the_submitter_sees_it() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("siti@example.id").await;
    let ed = app.open_edition(&org, 30).await;

    // A draft needs only a title, a field and a track.
    let r = app
        .post(
            &format!("/api/v1/editions/{}/entries", ed.id),
            Some(&sub.access),
            json!({"title": "Si Bunda: pengingat periksa kehamilan", "field_id": ed.fields[3], "track_id": ed.citizen_track()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["status"], "draft");
    assert_eq!(r.headers["etag"], "\"1\"");
    let id = r.body["id"].as_str().expect("id").to_owned();

    // Submitting an incomplete draft names every missing field.
    let r = app
        .post(
            &format!("/api/v1/entries/{id}/submit"),
            Some(&sub.access),
            json!({}),
        )
        .await;
    r.problem(422);
    assert_eq!(
        r.error_fields(),
        vec!["summary", "problem", "solution", "how_it_works", "impact"]
    );

    // Fill it in, attach the proposal, submit.
    let mut patch = complete_entry(&ed, "Si Bunda: pengingat periksa kehamilan");
    patch["team"] = json!([{"name": "Bd. Rina", "role": "bidan koordinator"}]);
    patch["video_url"] = json!("https://video.example.id/si-bunda");
    patch["started_on"] = json!("2024-03-01");
    let r = app
        .patch(&format!("/api/v1/entries/{id}"), Some(&sub.access), patch)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["version"], 2);
    let up = app
        .upload(&sub.access, &id, "proposal.pdf", tiny_pdf())
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text);
    assert_eq!(up.body["content_type"], "application/pdf");
    assert_eq!(up.body["size"], tiny_pdf().len());
    let r = app
        .post(
            &format!("/api/v1/entries/{id}/submit"),
            Some(&sub.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "submitted");
    assert!(r.body["submitted_at"].is_string());

    // After the deadline the organiser screens it, with a reason the submitter reads.
    app.clock.advance(Duration::days(31));
    let (org, sub) = (app.again(&org).await, app.again(&sub).await);
    let r = app
        .post(
            &format!("/api/v1/entries/{id}/screening"),
            Some(&org.access),
            json!({"eligible": false, "reason": "Surat pernyataan kepala puskesmas belum dilampirkan."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let seen = app
        .get(&format!("/api/v1/entries/{id}"), Some(&sub.access))
        .await;
    assert_eq!(seen.body["status"], "ineligible");
    assert_eq!(
        seen.body["screening_reason"],
        "Surat pernyataan kepala puskesmas belum dilampirkan."
    );
    // A correction before judging starts: eligible after all.
    let r = app
        .post(
            &format!("/api/v1/entries/{id}/screening"),
            Some(&org.access),
            json!({"eligible": true}),
        )
        .await;
    assert_eq!(r.body["status"], "eligible");
    let mine = app.get("/api/v1/entries", Some(&sub.access)).await;
    assert_eq!(mine.body["total"], 1);
    assert_eq!(mine.body["items"][0]["status"], "eligible");
    // The trail records every step.
    let events = app
        .store()
        .audit_events_about("entry", &id)
        .await
        .expect("audit");
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "entry.created",
            "entry.edited",
            "attachment.added",
            "entry.submitted",
            "entry.screened",
            "entry.screened"
        ]
    );
}

#[tokio::test]
async fn another_submitter_gets_404_on_the_entry_and_its_attachment() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let owner = app.submitter("pemilik@example.id").await;
    let other = app.submitter("lain@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let id = app.draft(&owner, &ed, "Inovasi milik orang").await;
    let up = app.upload(&owner.access, &id, "p.pdf", tiny_pdf()).await;
    let aid = up.body["id"].as_str().expect("aid").to_owned();
    let judge = app.judge(&org, "juri@example.id").await;

    for who in [&other, &judge] {
        let t = Some(who.access.as_str());
        app.get(&format!("/api/v1/entries/{id}"), t)
            .await
            .problem(404);
        app.get(&format!("/api/v1/entries/{id}/attachments"), t)
            .await
            .problem(404);
        app.get(&format!("/api/v1/entries/{id}/attachments/{aid}"), t)
            .await
            .problem(404);
        app.patch(
            &format!("/api/v1/entries/{id}"),
            t,
            json!({"title": "Dibajak"}),
        )
        .await
        .problem(404);
        app.call(Method::DELETE, &format!("/api/v1/entries/{id}"), t, None)
            .await
            .problem(404);
        app.call(
            Method::DELETE,
            &format!("/api/v1/entries/{id}/attachments/{aid}"),
            t,
            None,
        )
        .await
        .problem(404);
        app.post(&format!("/api/v1/entries/{id}/submit"), t, json!({}))
            .await
            .problem(404);
        app.post(&format!("/api/v1/entries/{id}/withdraw"), t, json!({}))
            .await
            .problem(404);
        app.upload(&who.access, &id, "x.pdf", tiny_pdf())
            .await
            .problem(404);
    }
    // A missing entry looks exactly the same.
    let missing = uuid::Uuid::now_v7();
    app.get(&format!("/api/v1/entries/{missing}"), Some(&other.access))
        .await
        .problem(404);
    // Other submitters do not see it listed; judges may not list entries at all.
    assert_eq!(
        app.get("/api/v1/entries", Some(&other.access)).await.body["total"],
        0
    );
    app.get("/api/v1/entries", Some(&judge.access))
        .await
        .problem(403);
    app.get("/api/v1/entries", None).await.problem(401);
    // Untouched.
    let r = app
        .get(&format!("/api/v1/entries/{id}"), Some(&owner.access))
        .await;
    assert_eq!(r.body["title"], "Inovasi milik orang");
    assert_eq!(r.body["status"], "draft");
    // The organiser sees it and can download its file.
    let r = app
        .get(
            &format!("/api/v1/entries/{id}/attachments/{aid}"),
            Some(&org.access),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_download_is_the_same_bytes_served_safely() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("unduh@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let id = app.draft(&sub, &ed, "Unduhan").await;
    let pdf = tiny_pdf();
    let up = app
        .upload(&sub.access, &id, "../../etc/passwd", pdf.clone())
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text);
    assert_eq!(up.body["file_name"], "passwd.pdf", "the name is harmless");
    let aid = up.body["id"].as_str().expect("aid");
    let res = app
        .client
        .get(app.url(&format!("/api/v1/entries/{id}/attachments/{aid}")))
        .bearer_auth(&sub.access)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["content-security-policy"]
            .to_str()
            .expect("csp")
            .starts_with("sandbox")
    );
    let cd = h["content-disposition"].to_str().expect("cd");
    assert!(
        cd.starts_with("attachment;") && cd.contains("passwd.pdf"),
        "{cd}"
    );
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), pdf);
    // Nothing was written outside the data dir's file store.
    assert!(!app.data_dir.join("files").join("..").join("etc").exists());
}

#[tokio::test]
async fn an_executable_named_pdf_is_415_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("exe@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let id = app.draft(&sub, &ed, "Berkas palsu").await;
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec();
    exe.extend(std::iter::repeat_n(0u8, 4096));
    app.upload(&sub.access, &id, "proposal.pdf", exe)
        .await
        .problem(415);
    app.upload(
        &sub.access,
        &id,
        "script.pdf",
        b"<script>alert(1)</script>".to_vec(),
    )
    .await
    .problem(415);
    app.upload(&sub.access, &id, "tiny.pdf", b"%P".to_vec())
        .await
        .problem(415);
    assert_eq!(app.store().count_attachments().await.expect("count"), 0);
    let blobs = juri_persistence::Blobs::local(&app.data_dir.join("files")).expect("blobs");
    assert_eq!(
        blobs.count().await.expect("count"),
        0,
        "no file, not even a staging one"
    );
    // PNG and JPEG are welcome, whatever their names say.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let r = app.upload(&sub.access, &id, "foto.pdf", png).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["content_type"], "image/png");
    assert_eq!(r.body["file_name"], "foto.png");
}

#[tokio::test]
async fn a_file_over_the_cap_is_413_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("besar@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let id = app.draft(&sub, &ed, "Berkas besar").await;
    let mut big = tiny_pdf();
    big.resize(20 * 1024 * 1024 + 1, b' ');
    app.upload(&sub.access, &id, "besar.pdf", big)
        .await
        .problem(413);
    assert_eq!(app.store().count_attachments().await.expect("count"), 0);
    let blobs = juri_persistence::Blobs::local(&app.data_dir.join("files")).expect("blobs");
    assert_eq!(blobs.count().await.expect("count"), 0);
    // Exactly at the cap is fine.
    let mut at_cap = tiny_pdf();
    at_cap.resize(20 * 1024 * 1024, b' ');
    let r = app.upload(&sub.access, &id, "pas.pdf", at_cap).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

#[tokio::test]
async fn a_body_that_is_not_multipart_is_a_400_problem_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("rusak@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let id = app.draft(&sub, &ed, "Unggahan rusak").await;
    let url = app.url(&format!("/api/v1/entries/{id}/attachments"));
    for content_type in [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "application/json",
    ] {
        let r = app
            .send(
                app.client
                    .post(&url)
                    .bearer_auth(&sub.access)
                    .header("content-type", content_type)
                    .header("accept-language", "en")
                    .body("--x\r\nnot a part\r\n"),
            )
            .await;
        let p = r.problem(400);
        assert!(
            p["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("Malformed upload")),
            "{content_type}: {}",
            r.text
        );
    }
    // A boundary that the body never uses.
    let r = app
        .send(
            app.client
                .post(&url)
                .bearer_auth(&sub.access)
                .header("content-type", "multipart/form-data; boundary=abc")
                .body("tidak ada bagian di sini"),
        )
        .await;
    assert_eq!(r.content_type(), "application/problem+json", "{}", r.text);
    assert!(r.status.is_client_error(), "{}", r.text);
    assert_eq!(app.store().count_attachments().await.expect("count"), 0);
}

#[tokio::test]
async fn an_entry_takes_a_limited_number_of_files() {
    let app = TestApp::builder()
        .config(|c| c.attachments_per_entry = 2)
        .spawn()
        .await;
    let org = app.organiser().await;
    let sub = app.submitter("banyak@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let id = app.draft(&sub, &ed, "Banyak berkas").await;
    for _ in 0..2 {
        assert_eq!(
            app.upload(&sub.access, &id, "a.pdf", tiny_pdf())
                .await
                .status,
            StatusCode::CREATED
        );
    }
    app.upload(&sub.access, &id, "c.pdf", tiny_pdf())
        .await
        .problem(409);
    // Removing one makes room again.
    let list = app
        .get(
            &format!("/api/v1/entries/{id}/attachments"),
            Some(&sub.access),
        )
        .await;
    let aid = list.body[0]["id"].as_str().expect("aid");
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/entries/{id}/attachments/{aid}"),
            Some(&sub.access),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.upload(&sub.access, &id, "c.pdf", tiny_pdf())
            .await
            .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn after_the_deadline_nothing_a_submitter_does_changes_the_entry() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("telat@example.id").await;
    let ed = app.open_edition(&org, 2).await;
    let draft = app.draft(&sub, &ed, "Terlambat").await;
    let submitted = app.draft(&sub, &ed, "Tepat waktu").await;
    let r = app
        .post(
            &format!("/api/v1/entries/{submitted}/submit"),
            Some(&sub.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let before = app
        .get(&format!("/api/v1/entries/{draft}"), Some(&sub.access))
        .await;

    app.clock.advance(Duration::days(2));
    let sub = app.again(&sub).await;
    let t = Some(sub.access.as_str());
    app.post(&format!("/api/v1/entries/{draft}/submit"), t, json!({}))
        .await
        .problem(409);
    app.patch(
        &format!("/api/v1/entries/{draft}"),
        t,
        json!({"title": "Diubah"}),
    )
    .await
    .problem(409);
    app.patch(
        &format!("/api/v1/entries/{submitted}"),
        t,
        json!({"title": "Diubah"}),
    )
    .await
    .problem(409);
    app.post(
        &format!("/api/v1/entries/{submitted}/withdraw"),
        t,
        json!({}),
    )
    .await
    .problem(409);
    app.call(Method::DELETE, &format!("/api/v1/entries/{draft}"), t, None)
        .await
        .problem(409);
    app.upload(&sub.access, &draft, "a.pdf", tiny_pdf())
        .await
        .problem(409);
    app.post(
        &format!("/api/v1/editions/{}/entries", ed.id),
        t,
        complete_entry(&ed, "Baru"),
    )
    .await
    .problem(409);

    let after = app
        .get(&format!("/api/v1/entries/{draft}"), Some(&sub.access))
        .await;
    assert_eq!(before.body, after.body, "the entry is unchanged");
    let s = app
        .get(&format!("/api/v1/entries/{submitted}"), Some(&sub.access))
        .await;
    assert_eq!(s.body["status"], "submitted");
    assert_eq!(s.body["title"], "Tepat waktu");
}

#[tokio::test]
async fn the_deadline_second_itself_is_closed() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("detik@example.id").await;
    let now = app.clock.now();
    let ed = app
        .edition_between(&org, now - Duration::hours(1), now + Duration::seconds(30))
        .await;
    let id = app.draft(&sub, &ed, "Detik terakhir").await;
    app.clock.advance(Duration::seconds(31));
    // (30 seconds: the access token is still valid)
    app.post(
        &format!("/api/v1/entries/{id}/submit"),
        Some(&sub.access),
        json!({}),
    )
    .await
    .problem(409);
}

#[tokio::test]
async fn a_submitted_entry_may_be_edited_before_the_deadline_and_it_is_recorded() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("ubah@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let id = app.draft(&sub, &ed, "Versi pertama").await;
    app.post(
        &format!("/api/v1/entries/{id}/submit"),
        Some(&sub.access),
        json!({}),
    )
    .await;
    let r = app
        .patch(
            &format!("/api/v1/entries/{id}"),
            Some(&sub.access),
            json!({"title": "Versi kedua"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "submitted");
    // A submitted entry must stay complete.
    let r = app
        .patch(
            &format!("/api/v1/entries/{id}"),
            Some(&sub.access),
            json!({"impact": ""}),
        )
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), vec!["impact"]);
    let events = app
        .store()
        .audit_events_about("entry", &id)
        .await
        .expect("audit");
    let edit = events
        .iter()
        .find(|e| e.action == "entry.edited_after_submission")
        .expect("recorded");
    assert_eq!(
        edit.before.as_ref().map(|b| b["title"].clone()),
        Some(json!("Versi pertama"))
    );
    assert_eq!(
        edit.after.as_ref().map(|a| a["title"].clone()),
        Some(json!("Versi kedua"))
    );
}

#[tokio::test]
async fn a_stale_write_is_409_and_the_newer_one_stays() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("versi@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let id = app.draft(&sub, &ed, "Awal").await;
    let path = format!("/api/v1/entries/{id}");
    let first = app
        .send(
            app.client
                .patch(app.url(&path))
                .bearer_auth(&sub.access)
                .header("if-match", "\"1\"")
                .json(&json!({"title": "Dari laptop"})),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.headers["etag"], "\"2\"");
    let stale = app
        .send(
            app.client
                .patch(app.url(&path))
                .bearer_auth(&sub.access)
                .header("if-match", "\"1\"")
                .json(&json!({"title": "Dari ponsel"})),
        )
        .await;
    stale.problem(409);
    let stale_body = app
        .patch(
            &path,
            Some(&sub.access),
            json!({"title": "Dari tablet", "version": 1}),
        )
        .await;
    stale_body.problem(409);
    assert_eq!(
        app.get(&path, Some(&sub.access)).await.body["title"],
        "Dari laptop"
    );
}

#[tokio::test]
async fn a_submitter_cannot_set_the_status_or_owner() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("licik@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let id = app.draft(&sub, &ed, "Licik").await;
    for body in [
        json!({"status": "winner"}),
        json!({"submitter_id": org.id}),
        json!({"screening_reason": "ok"}),
    ] {
        let r = app
            .patch(&format!("/api/v1/entries/{id}"), Some(&sub.access), body)
            .await;
        r.problem(422);
    }
    let mut create = complete_entry(&ed, "Licik 2");
    create["status"] = json!("eligible");
    app.post(
        &format!("/api/v1/editions/{}/entries", ed.id),
        Some(&sub.access),
        create,
    )
    .await
    .problem(422);
    assert_eq!(
        app.get(&format!("/api/v1/entries/{id}"), Some(&sub.access))
            .await
            .body["status"],
        "draft"
    );
}

#[tokio::test]
async fn screening_is_for_organisers_after_the_deadline() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("seleksi@example.id").await;
    let judge = app.judge(&org, "juri@example.id").await;
    let ed = app.open_edition(&org, 5).await;
    let id = app.draft(&sub, &ed, "Untuk diseleksi").await;
    app.post(
        &format!("/api/v1/entries/{id}/submit"),
        Some(&sub.access),
        json!({}),
    )
    .await;
    let body = json!({"eligible": true});
    let path = format!("/api/v1/entries/{id}/screening");
    app.post(&path, Some(&judge.access), body.clone())
        .await
        .problem(403);
    app.post(&path, Some(&sub.access), body.clone())
        .await
        .problem(403);
    app.post(&path, None, body.clone()).await.problem(401);
    // Before the deadline, not yet.
    app.post(&path, Some(&org.access), body.clone())
        .await
        .problem(409);
    app.clock.advance(Duration::days(6));
    let (org, sub) = (app.again(&org).await, app.again(&sub).await);
    // Ineligible needs a reason.
    let r = app
        .post(&path, Some(&org.access), json!({"eligible": false}))
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), vec!["reason"]);
    assert_eq!(
        app.get(&format!("/api/v1/entries/{id}"), Some(&sub.access))
            .await
            .body["status"],
        "submitted"
    );
    let r = app.post(&path, Some(&org.access), body).await;
    assert_eq!(r.body["status"], "eligible");
    // The queue, filtered.
    let q = app
        .get(
            &format!(
                "/api/v1/entries?edition={}&status=eligible&track={}",
                ed.id,
                ed.citizen_track()
            ),
            Some(&org.access),
        )
        .await;
    assert_eq!(q.body["total"], 1, "{}", q.text);
    let q = app
        .get(
            &format!("/api/v1/entries?edition={}&status=submitted", ed.id),
            Some(&org.access),
        )
        .await;
    assert_eq!(q.body["total"], 0);
}

#[tokio::test]
async fn drafts_are_deleted_and_submissions_withdrawn() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("tarik@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let draft = app.draft(&sub, &ed, "Draf").await;
    app.upload(&sub.access, &draft, "a.pdf", tiny_pdf()).await;
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/entries/{draft}"),
            Some(&sub.access),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    app.get(&format!("/api/v1/entries/{draft}"), Some(&sub.access))
        .await
        .problem(404);
    let blobs = juri_persistence::Blobs::local(&app.data_dir.join("files")).expect("blobs");
    assert_eq!(
        blobs.count().await.expect("count"),
        0,
        "its file went with it"
    );

    let sent = app.draft(&sub, &ed, "Diajukan").await;
    app.post(
        &format!("/api/v1/entries/{sent}/submit"),
        Some(&sub.access),
        json!({}),
    )
    .await;
    app.call(
        Method::DELETE,
        &format!("/api/v1/entries/{sent}"),
        Some(&sub.access),
        None,
    )
    .await
    .problem(409);
    let r = app
        .post(
            &format!("/api/v1/entries/{sent}/withdraw"),
            Some(&sub.access),
            json!({}),
        )
        .await;
    assert_eq!(r.body["status"], "withdrawn");
    app.post(
        &format!("/api/v1/entries/{sent}/submit"),
        Some(&sub.access),
        json!({}),
    )
    .await
    .problem(409);
}

#[tokio::test]
async fn tracks_take_their_own_kind_of_submitter_and_opd_entries_name_their_agency() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let citizen = app.submitter("warga@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let mut body = complete_entry(&ed, "Salah kategori");
    body["track_id"] = json!(ed.tracks[1]); // Pelajar
    let r = app
        .post(
            &format!("/api/v1/editions/{}/entries", ed.id),
            Some(&citizen.access),
            body,
        )
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), vec!["track_id"]);
    let mut body = complete_entry(&ed, "Bidang asing");
    body["field_id"] = json!(uuid::Uuid::now_v7().to_string());
    let r = app
        .post(
            &format!("/api/v1/editions/{}/entries", ed.id),
            Some(&citizen.access),
            body,
        )
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), vec!["field_id"]);

    // An agency officer: their agency is the entry's by default.
    let orgs = app.get("/api/v1/organisations?q=dukcapil", None).await;
    let orgs = if orgs.body["total"] == 0 {
        app.get("/api/v1/organisations?q=kependudukan", None).await
    } else {
        orgs
    };
    let dukcapil = orgs.body["items"][0]["id"]
        .as_str()
        .expect("agency")
        .to_owned();
    let r = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "opd@example.id", "password": "perahu kecil menuju pulau ketawai",
                   "name": "Petugas", "submitter_kind": "opd", "organisation_id": dukcapil}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let l = app
        .login("opd@example.id", "perahu kecil menuju pulau ketawai")
        .await;
    let opd = l.body["access_token"].as_str().expect("token").to_owned();
    let mut body = complete_entry(&ed, "Adminduk keliling");
    body["track_id"] = json!(ed.opd_track());
    let r = app
        .post(
            &format!("/api/v1/editions/{}/entries", ed.id),
            Some(&opd),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["organisation_id"], dukcapil.as_str());
    let id = r.body["id"].as_str().expect("id").to_owned();
    // Clearing the agency makes the OPD entry incomplete.
    app.patch(
        &format!("/api/v1/entries/{id}"),
        Some(&opd),
        json!({"organisation_id": null}),
    )
    .await;
    let r = app
        .post(
            &format!("/api/v1/entries/{id}/submit"),
            Some(&opd),
            json!({}),
        )
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
}

#[tokio::test]
async fn organisers_and_judges_do_not_enter_entries() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let judge = app.judge(&org, "juri@example.id").await;
    let ed = app.open_edition(&org, 30).await;
    let path = format!("/api/v1/editions/{}/entries", ed.id);
    app.post(&path, Some(&org.access), complete_entry(&ed, "X"))
        .await
        .problem(403);
    app.post(&path, Some(&judge.access), complete_entry(&ed, "X"))
        .await
        .problem(403);
    app.post(&path, None, complete_entry(&ed, "X"))
        .await
        .problem(401);
}
