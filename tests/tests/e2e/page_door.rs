//! The pages' door (`pages::PageCan<R>`, `pages::PagePath<T>`): a visitor takes the
//! detour through the session renewal to sign in (a form with 307, so it is sent
//! again), a signed-in caller of another role gets the 403 page, a malformed id the
//! 404 page, each in the page's language. The door comes before the id and the form.

use crate::organiser_pages::body;
use crate::pages::{get_page, location, post_form};
use juri_tests::{Session, TestApp};
use juri_text::Language;
use reqwest::StatusCode;

const LANGS: [Language; 2] = [Language::Id, Language::En];

/// The `lang` cookie, and the session's access cookie when there is one.
fn cookies(lang: Language, access: Option<&str>) -> String {
    match access {
        Some(a) => format!("lang={}; juri_akses={a}", lang.code()),
        None => format!("lang={}", lang.code()),
    }
}

/// An app with an organiser, a submitter and a judge.
async fn one_of_each() -> (TestApp, Session, Session, Session) {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let sub = app.submitter("warga@example.id").await;
    let judge = app.judge(&org, "juri@example.id").await;
    (app, org, sub, judge)
}

/// An empty form from one of our own pages: about the door, not the input.
async fn post_empty(app: &TestApp, path: &str, cookies: &str) -> reqwest::Response {
    post_form(app, path, &[], cookies, Some(&app.url(""))).await
}

/// The page's text as the browser shows it (the template escapes).
fn unescape(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `r` is the error page of `status` saying `key`'s text in `lang`: its body.
async fn error_page(r: reqwest::Response, status: StatusCode, lang: Language, key: &str) -> String {
    let what = format!("{} {}", r.url().path(), lang.code());
    assert_eq!(r.status(), status, "{what}");
    let content_type = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("text/html"),
        "{what}: {content_type}"
    );
    let html = body(r).await;
    let text = unescape(&html);
    assert!(
        text.contains(&format!(r#"<html lang="{}">"#, lang.code())),
        "{what}"
    );
    assert!(
        text.contains(juri_text::text(lang, key)),
        "{what} should say {key}"
    );
    html
}

#[tokio::test]
async fn another_role_gets_the_forbidden_page_in_its_language() {
    let (app, org, sub, judge) = one_of_each().await;
    // (page, a caller its door refuses): the organiser's, the submitter's and the
    // judge's doors, each by the other roles.
    let refused = [
        ("/panitia", &sub),
        ("/panitia/edisi/baru", &judge),
        ("/panitia/jejak", &judge),
        ("/panitia/organisasi", &sub),
        ("/peserta", &judge),
        ("/peserta", &org),
        ("/juri", &sub),
        ("/juri", &org),
    ];
    for lang in LANGS {
        for (path, who) in refused {
            let r = get_page(&app, path, &cookies(lang, Some(&who.access))).await;
            error_page(r, StatusCode::FORBIDDEN, lang, "error.forbidden").await;
        }
        // A form is refused before it is read: an empty one would be 422 otherwise.
        for (path, who) in [("/panitia/organisasi", &judge), ("/juri/konflik", &sub)] {
            let r = post_empty(&app, path, &cookies(lang, Some(&who.access))).await;
            error_page(r, StatusCode::FORBIDDEN, lang, "error.forbidden").await;
        }
    }
    // Each role still passes its own door.
    for (path, who) in [("/panitia", &org), ("/peserta", &sub), ("/juri", &judge)] {
        let r = get_page(&app, path, &cookies(Language::En, Some(&who.access))).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn a_visitor_is_sent_to_sign_in_and_a_form_takes_the_detour_with_it() {
    let app = TestApp::spawn().await;
    let some_edition = uuid::Uuid::new_v4();
    let pages = [
        "/panitia".to_owned(),
        "/peserta".to_owned(),
        "/juri".to_owned(),
        "/akun/sandi".to_owned(),
        format!("/panitia/edisi/{some_edition}"),
        // The door comes before the id: a stranger learns nothing from it.
        "/panitia/edisi/bukan-id".to_owned(),
        "/peserta/inovasi/bukan-id".to_owned(),
        "/berkas/bukan/id".to_owned(),
    ];
    for lang in LANGS {
        for path in &pages {
            let r = get_page(&app, path, &cookies(lang, None)).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
            assert_eq!(location(&r), format!("/sesi/perbarui?next={path}"));
        }
        // A form: 307, so the browser sends it again after signing in.
        for path in [
            "/panitia/organisasi".to_owned(),
            format!("/panitia/edisi/{some_edition}/bidang"),
            "/panitia/edisi/bukan-id/bidang".to_owned(),
        ] {
            let r = post_empty(&app, &path, &cookies(lang, None)).await;
            assert_eq!(r.status(), StatusCode::TEMPORARY_REDIRECT, "POST {path}");
            assert_eq!(location(&r), format!("/sesi/perbarui?next={path}"));
        }
    }
}

#[tokio::test]
async fn a_malformed_id_is_the_not_found_page_in_the_page_s_language() {
    let (app, org, sub, judge) = one_of_each().await;
    let unknown = uuid::Uuid::new_v4();
    for lang in LANGS {
        // A malformed id answers exactly what an id that names nothing answers.
        let malformed = get_page(
            &app,
            "/panitia/edisi/bukan-id",
            &cookies(lang, Some(&org.access)),
        )
        .await;
        let malformed = error_page(malformed, StatusCode::NOT_FOUND, lang, "error.not_found").await;
        let missing = get_page(
            &app,
            &format!("/panitia/edisi/{unknown}"),
            &cookies(lang, Some(&org.access)),
        )
        .await;
        let missing = error_page(missing, StatusCode::NOT_FOUND, lang, "error.not_found").await;
        // The same page (the language switch comes back to each one's own address).
        assert_eq!(malformed, missing.replace(&unknown.to_string(), "bukan-id"));

        let pages = [
            ("/panitia/babak/42/ubah".to_owned(), Some(&org)),
            ("/peserta/inovasi/bukan-id".to_owned(), Some(&sub)),
            ("/peserta/inovasi/%FF/kirim".to_owned(), Some(&sub)),
            ("/juri/penilaian/bukan-id".to_owned(), Some(&judge)),
            (format!("/berkas/{unknown}/bukan-id"), Some(&sub)),
            // The public pages too.
            ("/inovasi/bukan-id".to_owned(), None),
            ("/pemenang/bukan-id".to_owned(), None),
        ];
        for (path, who) in &pages {
            let r = get_page(&app, path, &cookies(lang, who.map(|s| s.access.as_str()))).await;
            error_page(r, StatusCode::NOT_FOUND, lang, "error.not_found").await;
        }
        // The id is read before the form: 404, not the form's 422.
        for path in [
            format!("/panitia/edisi/{unknown}/bidang/bukan-id"),
            format!("/panitia/babak/{unknown}/lembar/bukan-id/buka"),
            "/panitia/organisasi/bukan-id".to_owned(),
        ] {
            let r = post_empty(&app, &path, &cookies(lang, Some(&org.access))).await;
            error_page(r, StatusCode::NOT_FOUND, lang, "error.not_found").await;
        }
    }
}
