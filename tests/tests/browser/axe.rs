//! axe-core (vendored under `tests/vendor/axe-core`) over every kind of page of the
//! demo: the public pages, and each demo role's pages signed in, in both languages and
//! at a phone's 360×740 and a desktop's 1280×900, with zero violations (issue 18).
//!
//! "Every kind of page": the pages are found by following the links from each
//! visitor's home, as the crawl of the end-to-end tests does, and one page of each
//! route (ids and query values set aside) is checked. Checking all 150 entries'
//! pages would say the same thing 150 times and take minutes.

use super::{Browser, sign_in_as};
use juri_tests::TestApp;
use juri_web::services::demo::{self, DEMO_PASSWORD};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// axe-core itself, injected into each page by WebDriver "execute script": script run
/// by the driver is not subject to the page's Content-Security-Policy
/// (`script-src 'self'`), which would refuse the same code put in the page.
const AXE: &str = include_str!("../../vendor/axe-core/axe.min.js");

/// Pages fetched per visitor while looking for the kinds of page. The crawl is
/// breadth-first, so every kind two or three links from home comes first.
const CRAWL_LIMIT: usize = 400;

/// Who looks at the pages: nobody signed in, or a demo account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Visitor {
    Public,
    Organiser,
    Judge,
    Submitter,
}

impl Visitor {
    pub(crate) const ALL: [Visitor; 4] = [
        Visitor::Public,
        Visitor::Organiser,
        Visitor::Judge,
        Visitor::Submitter,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Visitor::Public => "public",
            Visitor::Organiser => "organiser",
            Visitor::Judge => "judge",
            Visitor::Submitter => "submitter",
        }
    }

    pub(crate) fn email(self, report: &demo::DemoReport) -> Option<&str> {
        match self {
            Visitor::Public => None,
            Visitor::Organiser => Some(&report.organiser),
            Visitor::Judge => Some(&report.judge),
            Visitor::Submitter => Some(&report.submitter),
        }
    }
}

/// Sign `visitor` in through the sign-in page (or only forget whoever was signed in),
/// then choose `lang` with the header's switch, as a person would.
pub(crate) async fn enter_as(
    b: &mut Browser,
    app: &TestApp,
    report: &demo::DemoReport,
    visitor: Visitor,
    lang: &str,
) {
    match visitor.email(report) {
        Some(email) => sign_in_as(b, app, email, DEMO_PASSWORD).await,
        None => {
            b.goto(&app.url("/")).await;
            b.client
                .delete_all_cookies()
                .await
                .expect("cookies cleared");
            b.goto(&app.url("/")).await;
        }
    }
    let now = page_lang(b).await;
    if now != lang {
        b.click("#lang-switch").await;
    }
    assert_eq!(page_lang(b).await, lang, "the switch chose {lang}");
}

async fn page_lang(b: &Browser) -> String {
    b.client
        .execute("return document.documentElement.lang", vec![])
        .await
        .expect("lang")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The browser's cookies as one `Cookie` header, to crawl with its session.
async fn cookie_header(b: &Browser) -> String {
    b.client
        .get_all_cookies()
        .await
        .expect("cookies")
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A page's kind: its path with every segment that holds a digit (an id) as `{}`, and
/// the names of its query parameters.
pub(crate) fn kind(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<&str> = path
        .split('/')
        .map(|s| {
            if s.chars().any(|c| c.is_ascii_digit()) {
                "{}"
            } else {
                s
            }
        })
        .collect();
    let mut names: Vec<&str> = query
        .split('&')
        .filter_map(|p| p.split('=').next())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        segments.join("/")
    } else {
        format!("{}?{}", segments.join("/"), names.join("&"))
    }
}

/// The internal links of a page (`href="/..."`), entities undone, fragments cut.
pub(crate) fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| h.starts_with('/') && !h.starts_with("//"))
        .map(|h| {
            h.replace("&amp;", "&")
                .replace("&#x2F;", "/")
                .replace("&#47;", "/")
                .replace("&#x3D;", "=")
        })
        .map(|h| h.split('#').next().unwrap_or_default().to_owned())
        .filter(|h| !h.is_empty())
        .collect()
}

/// One page of each kind a visitor with `cookies` reaches from `home`, in the order the
/// breadth-first crawl met them, leaving out the kinds in `skip` (already checked for
/// another visitor) but never `home` itself.
pub(crate) async fn pages_of_each_kind(
    app: &TestApp,
    cookies: &str,
    home: &str,
    skip: &BTreeSet<String>,
) -> Vec<String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    let mut seen = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    let mut pages = Vec::new();
    let mut queue = VecDeque::from([home.to_owned()]);
    let mut fetched = 0;
    while let Some(path) = queue.pop_front() {
        if fetched >= CRAWL_LIMIT {
            break;
        }
        if !seen.insert(path.clone()) {
            continue;
        }
        let k = kind(&path);
        // A second page of a kind already found is only a way to further links: the
        // lists (catalogue, queue) link to all their items, so it adds nothing.
        if kinds.contains(&k) && path != home {
            continue;
        }
        fetched += 1;
        let r = http
            .get(app.url(&path))
            .header("cookie", cookies)
            .send()
            .await
            .expect("page fetched");
        let html = r.status().is_success()
            && r.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("text/html"));
        if !html {
            continue;
        }
        kinds.insert(k.clone());
        if path == home || !skip.contains(&k) {
            pages.push(path.clone());
        }
        let body = r.text().await.expect("page body");
        for link in links(&body) {
            // Signing out would end the session; the API and files are not pages.
            if link.starts_with("/sesi/keluar")
                || link.starts_with("/api/")
                || link.starts_with("/berkas/")
                || link.starts_with("/static/")
            {
                continue;
            }
            if !seen.contains(&link) {
                queue.push_back(link);
            }
        }
    }
    pages
}

/// Inject axe-core into the page shown and run it; its violations, one line each.
pub(crate) async fn axe_violations(b: &Browser, where_: &str) -> Vec<String> {
    let loaded = b
        .client
        .execute(
            &format!("{AXE}\n;return typeof window.axe === 'object';"),
            vec![],
        )
        .await
        .expect("axe-core injected");
    assert_eq!(loaded, json!(true), "axe-core loaded into {where_}");
    let result = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, {resultTypes: ['violations']})\
               .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,\
                   targets: v.nodes.map(n => n.target.join(' '))}))))\
               .catch(e => done({error: String(e)}));",
            vec![],
        )
        .await
        .expect("axe-core ran");
    if let Some(e) = result.get("error") {
        panic!("axe-core failed on {where_}: {e}");
    }
    let mut lines = Vec::new();
    for v in result.as_array().map(Vec::as_slice).unwrap_or_default() {
        let id = v["id"].as_str().unwrap_or("?");
        let impact = v["impact"].as_str().unwrap_or("?");
        let help = v["help"].as_str().unwrap_or("?");
        for target in v["targets"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            lines.push(format!(
                "{id} ({impact}) `{}` on {where_}: {help}",
                target.as_str().unwrap_or("?")
            ));
        }
    }
    lines
}

/// Each visitor's pages: for the public, those reached from `/` signed out; for each
/// demo role, its pages reached from its home that no earlier visitor reached (the
/// shared public pages are checked once), plus its home.
pub(crate) async fn demo_pages(
    b: &mut Browser,
    app: &TestApp,
    report: &demo::DemoReport,
) -> BTreeMap<Visitor, Vec<String>> {
    let mut checked = BTreeSet::new();
    let mut all = BTreeMap::new();
    for visitor in Visitor::ALL {
        enter_as(b, app, report, visitor, "id").await;
        let home = b.path().await;
        let cookies = cookie_header(b).await;
        let mut pages = pages_of_each_kind(app, &cookies, &home, &checked).await;
        match visitor {
            // No link leads to a page of something that is not there; people reach
            // it all the same.
            Visitor::Public => {
                pages.push("/inovasi/00000000-0000-0000-0000-000000000000".to_owned())
            }
            // The sheet's confirmation is reached by its form, which a crawl does not
            // send.
            Visitor::Judge => {
                let confirms: Vec<String> = pages
                    .iter()
                    .filter(|p| kind(p) == "/juri/penilaian/{}")
                    .map(|p| format!("{p}/kirim"))
                    .collect();
                assert!(!confirms.is_empty(), "the judge reached a sheet");
                pages.extend(confirms);
            }
            Visitor::Organiser | Visitor::Submitter => {}
        }
        checked.extend(pages.iter().map(|p| kind(p)));
        all.insert(visitor, pages);
    }
    all
}

/// Every kind of page of the demo, for the public and each role, in Bahasa Indonesia
/// and English, on a phone and a desktop: axe-core finds nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_core_finds_no_violation_on_any_page_of_the_demo_in_both_languages_and_sizes() {
    let app = TestApp::spawn().await;
    let report = demo::seed(app.state(), false).await.expect("demo");
    let mut pages: Option<BTreeMap<Visitor, Vec<String>>> = None;
    let mut found = Vec::new();
    let mut runs = 0;
    for (phone, size) in [(true, "360×740"), (false, "1280×900")] {
        let Some(mut b) = Browser::start(if phone { "axe-phone" } else { "axe-wide" }, phone).await
        else {
            return;
        };
        if pages.is_none() {
            pages = Some(demo_pages(&mut b, &app, &report).await);
        }
        let Some(pages) = &pages else { continue };
        for lang in ["id", "en"] {
            for (visitor, paths) in pages {
                enter_as(&mut b, &app, &report, *visitor, lang).await;
                for path in paths {
                    b.goto(&app.url(path)).await;
                    let where_ = format!("{path} ({}, {lang}, {size})", visitor.name());
                    found.extend(axe_violations(&b, &where_).await);
                    runs += 1;
                }
            }
        }
        if phone {
            b.shot("last-page").await;
        }
        b.close().await;
    }
    let Some(pages) = pages else { return };
    let count: usize = pages.values().map(Vec::len).sum();
    eprintln!(
        "axe-core: {runs} runs over {count} pages: {}",
        pages
            .iter()
            .map(|(v, p)| format!("{}: {}", v.name(), p.join(" ")))
            .collect::<Vec<_>>()
            .join("; ")
    );
    assert!(count > 20, "the crawl found only {count} pages: {pages:?}");
    assert!(
        found.is_empty(),
        "axe-core found {} violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn a_page_kind_sets_ids_and_query_values_aside() {
    assert_eq!(
        kind(
            "/panitia/edisi/0193a6c2-7d1e-7c3a-9f00-1a2b3c4d5e6f/seleksi?status=eligible&halaman=2"
        ),
        "/panitia/edisi/{}/seleksi?halaman&status"
    );
    assert_eq!(kind("/panitia/edisi/baru"), "/panitia/edisi/baru");
    assert_eq!(kind("/"), "/");
}

#[test]
fn links_are_read_with_their_entities_undone() {
    let html = r##"<a href="/katalog?q=a&amp;halaman=2">x</a> <a href="https://x.example/">y</a>
        <a href="/pemenang/1#juara">z</a> <a href="//evil.example/">w</a>"##;
    assert_eq!(links(html), ["/katalog?q=a&halaman=2", "/pemenang/1"]);
}
