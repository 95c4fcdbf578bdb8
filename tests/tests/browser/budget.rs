//! A slow phone is the normal case (issue 18): every page of the demo, opened on a
//! phone under Chrome's "3G" network emulation (DevTools' preset, formerly named
//! "Slow 3G"), transfers at most [`PAGE_BUDGET`] bytes with the stylesheet cached, and
//! a judge's sheet opens with one request.
//!
//! Bytes are asserted: they do not depend on the machine. Times are recorded, not
//! asserted (a shared 2-core machine makes any timed assertion flaky); with
//! `JURI_BUDGET_REPORT=<file>` the figures are written there as the table of
//! `docs/performance.md`.

use super::Browser;
use super::axe::{Visitor, demo_pages, enter_as};
use fantoccini::Locator;
use juri_tests::TestApp;
use juri_web::services::demo;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// The most a page may transfer: its HTML compressed, with its response headers, and
/// whatever else it loads that is not cached already.
const PAGE_BUDGET: u64 = 30_000;

/// DevTools' "3G" preset (named "Slow 3G" until 2024), as `SDK.NetworkManager.Slow3GConditions`
/// defines it in ChromeDevTools/devtools-frontend `front_end/core/sdk/NetworkManager.ts`:
/// 500 kbit/s × 0.8 each way (50,000 B/s) and 400 ms × 5 of latency added to each request.
fn slow_3g() -> Value {
    json!({
        "offline": false,
        "latency": 400 * 5,
        "downloadThroughput": 500 * 1000 / 8 * 8 / 10,
        "uploadThroughput": 500 * 1000 / 8 * 8 / 10,
    })
}

impl Browser {
    /// Send one Chrome DevTools Protocol command through chromedriver's
    /// `goog/cdp/execute` endpoint. Plain HTTP to chromedriver: fantoccini's
    /// `issue_cmd` could carry it too, but its trait names `url` crate types the
    /// workspace does not otherwise depend on.
    pub(crate) async fn cdp(&self, cmd: &str, params: Value) -> Value {
        let session = self
            .client
            .session_id()
            .await
            .expect("session id")
            .expect("a session");
        let r = reqwest::Client::new()
            .post(format!(
                "{}/session/{session}/goog/cdp/execute",
                self.driver_url
            ))
            .json(&json!({"cmd": cmd, "params": params}))
            .send()
            .await
            .expect("CDP command sent");
        let ok = r.status().is_success();
        let body: Value = r.json().await.expect("CDP answer");
        assert!(ok, "{cmd}: {body}");
        body["value"].clone()
    }

    /// Under Slow 3G from now on, or at full speed again.
    pub(crate) async fn slow_3g(&self, on: bool) {
        self.cdp("Network.enable", json!({})).await;
        let conditions = if on {
            slow_3g()
        } else {
            json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        };
        self.cdp("Network.emulateNetworkConditions", conditions)
            .await;
    }

    /// What the page shown cost: bytes transferred (the document with its headers,
    /// plus every subresource not served from the cache) and, in milliseconds from the
    /// start of its navigation, when its document was parsed (readable and usable:
    /// `domInteractive`) and when it had loaded.
    pub(crate) async fn page_cost(&self) -> PageCost {
        let v = self
            .client
            .execute(
                "const n = performance.getEntriesByType('navigation')[0];\
                 const r = performance.getEntriesByType('resource');\
                 return {document: n.transferSize,\
                         others: r.reduce((s, e) => s + e.transferSize, 0),\
                         uncached: r.filter(e => e.transferSize > 0).map(e => e.name),\
                         interactive: n.domInteractive, loaded: n.loadEventEnd};",
                vec![],
            )
            .await
            .expect("performance entries");
        // Whole bytes and milliseconds: the entries hold doubles.
        let whole = |k: &str| v[k].as_f64().unwrap_or_default().round() as u64;
        PageCost {
            bytes: whole("document") + whole("others"),
            uncached: v["uncached"].to_string(),
            interactive_ms: whole("interactive"),
            loaded_ms: whole("loaded"),
        }
    }
}

/// What one page cost to open.
#[derive(Debug)]
pub(crate) struct PageCost {
    bytes: u64,
    /// The subresources fetched over the network (a JSON list of addresses).
    uncached: String,
    interactive_ms: u64,
    loaded_ms: u64,
}

/// Every kind of page of the demo, for the public and each role, on a phone under
/// Slow 3G with the stylesheet and script cached, transfers at most 30 KB; the
/// judge's sheet, tapped from the queue, is one request of at most 30 KB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_the_demo_fits_a_slow_phone_budget_of_30_kb() {
    let Some(mut b) = Browser::start("budget", true).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let report = demo::seed(app.state(), false).await.expect("demo");
    let pages = demo_pages(&mut b, &app, &report).await;
    let mut table = String::from(
        "| page | role | transferred | readable (domInteractive) | loaded |\n| --- | --- | ---: | ---: | ---: |\n",
    );
    let mut over = Vec::new();
    for (visitor, paths) in &pages {
        enter_as(&mut b, &app, &report, *visitor, "id").await;
        // Once at full speed: the stylesheet and the script are in the cache after.
        for path in paths {
            b.goto(&app.url(path)).await;
        }
        b.slow_3g(true).await;
        for path in paths {
            b.goto(&app.url(path)).await;
            let cost = b.page_cost().await;
            if cost.bytes > PAGE_BUDGET {
                over.push(format!("{path} ({}): {cost:?}", visitor.name()));
            }
            writeln!(
                table,
                "| `{}` | {} | {} B | {} ms | {} ms |",
                super::axe::kind(path),
                visitor.name(),
                cost.bytes,
                cost.interactive_ms,
                cost.loaded_ms
            )
            .expect("table row");
        }
        // The judge's core moment: from the queue, the tap that opens the next sheet.
        if *visitor == Visitor::Judge {
            b.goto(&app.url("/juri")).await;
            b.click("#queue a").await;
            assert!(b.path().await.starts_with("/juri/penilaian/"));
            let cost = b.page_cost().await;
            assert_eq!(
                cost.uncached, "[]",
                "the sheet needs nothing but its document: {cost:?}"
            );
            assert!(
                cost.bytes <= PAGE_BUDGET,
                "the sheet is over budget: {cost:?}"
            );
            assert!(
                b.client.find(Locator::Css("form .scale")).await.is_ok(),
                "the sheet's form is there"
            );
            b.shot("sheet-slow-3g").await;
            writeln!(
                table,
                "| `/juri` → tap → sheet | judge | {} B | {} ms | {} ms |",
                cost.bytes, cost.interactive_ms, cost.loaded_ms
            )
            .expect("table row");
        }
        b.slow_3g(false).await;
    }
    b.close().await;
    eprintln!("{table}");
    if let Some(file) = std::env::var_os("JURI_BUDGET_REPORT") {
        std::fs::write(file, &table).expect("report written");
    }
    assert!(
        over.is_empty(),
        "over the budget of {PAGE_BUDGET} B:\n{}",
        over.join("\n")
    );
}
