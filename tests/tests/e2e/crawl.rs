//! No internal link leads nowhere: every page reachable from the home page, for the
//! public and for each demo account, is followed link by link, and none answers 404
//! or 5xx. The demo has what real data has (winners whose submitters did not consent to
//! the catalogue, closed and open rounds, drafts), so a link that only works for the
//! common case is found here.

use crate::pages::{cookie_pair, get_page, post_form};
use juri_tests::TestApp;
use juri_web::services::demo::{self, DEMO_PASSWORD};
use reqwest::StatusCode;
use std::collections::{BTreeSet, VecDeque};

/// Pages per visitor: enough to reach every kind of page of the demo (the crawl is
/// breadth-first, so every page two or three links from home comes first).
const MAX_PAGES: usize = 250;

/// The internal links of a page (`href="/..."`), entities undone, fragments cut.
fn links(html: &str) -> Vec<String> {
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

/// Follow every internal link from `/` as the visitor with `cookies`; the broken ones.
async fn crawl(app: &TestApp, cookies: &str, who: &str) -> Vec<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = VecDeque::from([("/".to_owned(), "-".to_owned())]);
    let mut broken = Vec::new();
    let mut fetched = 0;
    while let Some((path, from)) = queue.pop_front() {
        if fetched >= MAX_PAGES {
            break;
        }
        if !seen.insert(path.clone()) {
            continue;
        }
        fetched += 1;
        let r = get_page(app, &path, cookies).await;
        let status = r.status();
        if status == StatusCode::NOT_FOUND || status.is_server_error() {
            broken.push(format!("{who}: {path} (linked from {from}) → {status}"));
            continue;
        }
        let is_html = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("text/html"));
        if !is_html || !status.is_success() {
            continue;
        }
        let body = r.text().await.unwrap_or_default();
        for link in links(&body) {
            // Signing out would end the crawl's own session; the API is not a page.
            if link.starts_with("/sesi/keluar") || link.starts_with("/api/") {
                continue;
            }
            if !seen.contains(&link) {
                queue.push_back((link, path.clone()));
            }
        }
    }
    assert!(
        fetched > 10,
        "{who}: the crawl reached only {fetched} pages"
    );
    broken
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_internal_link_of_the_demo_leads_nowhere() {
    let app = TestApp::spawn().await;
    let report = demo::seed(app.state(), false).await.expect("demo");
    let mut broken = crawl(&app, "", "public").await;
    for email in [&report.organiser, &report.judge, &report.submitter] {
        let r = post_form(
            &app,
            "/masuk",
            &[("email", email), ("password", DEMO_PASSWORD), ("next", "")],
            "",
            Some(&app.url("")),
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign-in of {email}");
        let cookies = cookie_pair(r.headers(), "juri_akses");
        broken.extend(crawl(&app, &cookies, email).await);
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn links_are_read_with_their_entities_undone() {
    let html = r##"<a href="/katalog?q=a&amp;halaman=2">x</a> <a href="https://x.example/">y</a>
        <a href="/pemenang/1#juara">z</a> <a href="//evil.example/">w</a>"##;
    assert_eq!(links(html), ["/katalog?q=a&halaman=2", "/pemenang/1"]);
}
