//! api.md "Language of answers": a problem document speaks the caller's language
//! (`Accept-Language` for the API, the `lang` cookie for pages), one language at a time,
//! and every `errors[]` item carries a `code` that does not change with it.

use crate::organiser_pages::{body, organiser_cookie};
use crate::pages::get_page;
use juri_tests::TestApp;
use juri_text::{Language, text};
use reqwest::Method;
use serde_json::{Value, json};

async fn register_in(app: &TestApp, lang: Option<&str>, body: Value) -> juri_tests::Reply {
    let mut req = app
        .client
        .request(Method::POST, app.url("/api/v1/auth/register"))
        .json(&body);
    if let Some(l) = lang {
        req = req.header("accept-language", l);
    }
    app.send(req).await
}

fn codes(v: &Value) -> Vec<(String, String)> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or_default().to_owned(),
                        e["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_problem_speaks_the_language_the_caller_accepts_and_keeps_its_codes() {
    let app = TestApp::spawn().await;
    let bad = json!({"email": "not an address", "password": "pendek", "name": "Rina", "submitter_kind": "citizen"});
    let id = register_in(&app, None, bad.clone()).await;
    let en = register_in(&app, Some("en-GB,en;q=0.9"), bad.clone()).await;
    let id_body = id.problem(422).clone();
    let en_body = en.problem(422).clone();

    assert_eq!(id_body["detail"], text(Language::Id, "problem.invalid"));
    assert_eq!(en_body["detail"], text(Language::En, "problem.invalid"));
    // One language each, never both joined.
    assert!(!id.text.contains(text(Language::En, "problem.invalid")));
    assert!(!en.text.contains(text(Language::Id, "problem.invalid")));

    // The same fields and codes in both languages; the messages differ.
    let fields = codes(&id_body);
    assert!(fields.len() >= 2, "{}", id.text);
    assert!(
        fields
            .iter()
            .any(|(f, c)| f == "email" && c == "invalid_email")
    );
    assert_eq!(fields, codes(&en_body));
    let message = |v: &Value, field: &str| {
        v["errors"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["field"] == field))
            .and_then(|e| e["message"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        message(&en_body, "email"),
        text(Language::En, "field.user.invalid_email")
    );
    assert_eq!(
        message(&id_body, "email"),
        text(Language::Id, "field.user.invalid_email")
    );
    assert!(en_body["errors"][0].get("message_en").is_none());

    // A language Juri does not speak falls back to Bahasa Indonesia.
    let fr = register_in(&app, Some("fr-FR"), bad).await;
    assert_eq!(fr.problem(422)["detail"], id_body["detail"]);
}

#[tokio::test]
async fn a_conflict_has_a_stable_code_in_either_language() {
    let app = TestApp::spawn().await;
    app.submitter("rina@example.id").await;
    let again = json!({"email": "rina@example.id", "password": "perahu besar menuju pulau lepar", "name": "Rina", "submitter_kind": "citizen"});
    let id = register_in(&app, Some("id"), again.clone()).await;
    let en = register_in(&app, Some("en"), again).await;
    assert_eq!(id.problem(409)["code"], "email_taken");
    assert_eq!(en.problem(409)["code"], "email_taken");
    assert_eq!(
        id.body["detail"],
        text(Language::Id, "conflict.email_taken")
    );
    assert_eq!(
        en.body["detail"],
        text(Language::En, "conflict.email_taken")
    );
}

#[tokio::test]
async fn sign_in_and_routing_errors_follow_the_language_too() {
    let app = TestApp::spawn().await;
    let r = app
        .get_with_header("/api/v1/me", "accept-language", "en")
        .await;
    assert_eq!(
        r.problem(401)["detail"],
        text(Language::En, "problem.unauthenticated")
    );
    let r = app
        .get_with_header("/api/v1/tidak-ada", "accept-language", "en")
        .await;
    assert_eq!(
        r.problem(404)["detail"],
        text(Language::En, "problem.no_route")
    );
    let r = app.get("/api/v1/tidak-ada", None).await;
    assert_eq!(
        r.problem(404)["detail"],
        text(Language::Id, "problem.no_route")
    );
}

/// The text of `<main>`, without tags.
fn main_text(html: &str) -> String {
    let start = html.find("<main").unwrap_or(0);
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |e| start + e);
    let mut out = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn an_english_page_holds_no_indonesian_sentence_and_the_reverse() {
    let app = TestApp::spawn().await;
    let organiser = organiser_cookie(&app).await;
    let pages = [
        ("/", ""),
        ("/katalog", ""),
        ("/pemenang", ""),
        ("/masuk", ""),
        ("/daftar", ""),
        ("/lupa-sandi", ""),
        ("/panitia", organiser.as_str()),
        ("/akun/sandi", organiser.as_str()),
    ];
    for (lang, foreign) in [(Language::En, Language::Id), (Language::Id, Language::En)] {
        let strange = juri_tests::sentences_only_in(foreign);
        assert!(strange.len() > 100, "the catalogue scan found too little");
        for (path, session) in pages {
            let cookies = if session.is_empty() {
                format!("lang={}", lang.code())
            } else {
                format!("lang={}; {session}", lang.code())
            };
            let r = get_page(&app, path, &cookies).await;
            assert_eq!(r.status(), 200, "{path}");
            let main = main_text(&body(r).await);
            assert!(main.trim().len() > 20, "{path}: no main content");
            let found: Vec<&&str> = strange.iter().filter(|s| main.contains(**s)).collect();
            assert!(found.is_empty(), "{path} in {}: {found:?}", lang.code());
        }
    }
}

/// Times are read in Western Indonesian Time, in each language's own form: an edition
/// that closes at 10:00 UTC closes at 17.00 WIB on the Indonesian home page and at
/// 17:00 WIB on the English one; the API keeps UTC.
#[tokio::test]
async fn times_on_pages_are_wib_in_each_language_s_form() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let now = juri_domain::clock::Clock::now(&*app.clock);
    let closes = juri_text::time::from_input("2030-10-23T17:00").expect("a WIB time");
    let e = app
        .edition_between(&org, now - chrono::Duration::hours(1), closes)
        .await;
    let api = app
        .get(&format!("/api/v1/editions/{}", e.id), Some(&org.access))
        .await;
    assert_eq!(api.body["submission_closes_at"], "2030-10-23T10:00:00Z");
    for (lang, shown) in [
        ("id", "23 Oktober 2030, 17.00 WIB"),
        ("en", "23 October 2030, 17:00 WIB"),
    ] {
        let html = body(get_page(&app, "/", &format!("lang={lang}")).await).await;
        assert!(html.contains(shown), "{lang}: {html}");
        assert!(!html.contains("00 UTC"), "{lang}: a time in UTC: {html}");
    }
}
