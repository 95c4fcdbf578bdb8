//! Security promise 1, as a table kept in the repository: every route of the OpenAPI
//! document and every page route, called by six callers — anonymous, submitter A (who
//! owns the objects), submitter B, the judge assigned to A's entry, a judge on the panel
//! but not assigned to it, and an organiser — on objects owned by A, must answer the
//! status written in `access_matrix.txt`. A route without a row there (added later, or
//! renamed) fails the test, and so does a row whose route is gone.
//!
//! Writes send an empty body (`{}` or an empty form): the matrix is about who gets past
//! the door (401, 403, 404 vs. a 4xx about the input), not about the input itself. To
//! rewrite the table after a deliberate change, run with `JURI_RECORD_MATRIX=1` and read
//! the diff: nobody but A, A's judge and the organisers may get a 2xx on A's objects.

use crate::pages::client;
use juri_tests::{Session, TestApp, tiny_pdf};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

const CALLERS: [&str; 6] = ["anon", "subA", "subB", "judgeA", "judgeB", "org"];
const TABLE: &str = "tests/e2e/access_matrix.txt";

/// Routes that change what the rest of the walk sees, in the order they run, last.
const LAST: [&str; 6] = [
    "POST /api/v1/rounds/{id}/close",
    "POST /panitia/babak/{id}/tutup",
    "POST /api/v1/rounds/{id}/advance",
    "POST /panitia/babak/{id}/maju",
    "POST /api/v1/auth/logout",
    "POST /sesi/keluar",
];

/// The page routes, read from the router's own source so that a new route cannot be
/// missed. Constants used as paths are resolved here; an unknown one fails the test.
fn page_routes() -> Vec<(String, String)> {
    let src = include_str!("../../../crates/web/src/pages/mod.rs");
    let consts: BTreeMap<&str, &str> = [
        ("organiser::HOME", "/panitia"),
        ("agencies::PATH", "/panitia/organisasi"),
        ("session::REFRESH_PATH", "/sesi/perbarui"),
    ]
    .into();
    let mut out = Vec::new();
    for chunk in src.split(".route(").skip(1) {
        // The route's arguments end where the next builder call or the function ends.
        let args = chunk.split("\n        .").next().unwrap_or(chunk);
        let args = args.trim_start();
        let path = if let Some(rest) = args.strip_prefix('"') {
            rest.split('"').next().unwrap_or_default().to_owned()
        } else {
            let ident = args.split(',').next().unwrap_or_default().trim();
            (*consts
                .get(ident)
                .unwrap_or_else(|| panic!("unknown path constant {ident}: add it above")))
            .to_owned()
        };
        for (needle, method) in [
            ("get(", "GET"),
            ("post(", "POST"),
            ("put(", "PUT"),
            ("delete(", "DELETE"),
            ("patch(", "PATCH"),
        ] {
            if args.contains(needle) {
                out.push((method.to_owned(), path.clone()));
            }
        }
    }
    assert!(out.len() > 50, "the page routes were not found: {out:?}");
    out
}

/// Every operation of the served OpenAPI document, with the `/api/v1` prefix.
async fn api_routes(app: &TestApp) -> Vec<(String, String)> {
    let doc = app.get("/api/v1/openapi.json", None).await;
    let mut out = Vec::new();
    for (path, item) in doc.body["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                let full = if path.starts_with("/api/")
                    || path.starts_with("/healthz")
                    || path.starts_with("/readyz")
                {
                    path.clone()
                } else {
                    format!("/api/v1{path}")
                };
                out.push((method.to_uppercase(), full));
            }
        }
    }
    out
}

/// A's world: an entry with a file, judged in a round by judge A.
struct World {
    app: TestApp,
    /// One client for the whole walk (building one per request costs ~100 ms).
    http: reqwest::Client,
    callers: Vec<(&'static str, Option<Session>)>,
    ids: BTreeMap<&'static str, String>,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    let ed = app.open_edition(&org, 10).await;
    let a = app.submitter("pemilik@example.id").await;
    let b = app.submitter("tetangga@example.id").await;
    let entry = app.draft(&a, &ed, "Inovasi milik A").await;
    let up = app
        .upload(&a.access, &entry, "proposal.pdf", tiny_pdf())
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text);
    let attachment = up.body["id"].as_str().expect("attachment").to_owned();
    let r = app
        .post(
            &format!("/api/v1/entries/{entry}/submit"),
            Some(&a.access),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let ja = app.judge(&org, "juri-a@example.id").await;
    let jb = app.judge(&org, "juri-b@example.id").await;
    app.clock.advance(chrono::Duration::days(11));
    let org = app.again(&org).await;
    let a = app.again(&a).await;
    let b = app.again(&b).await;
    let ja = app.again(&ja).await;
    let jb = app.again(&jb).await;
    let round = app
        .round_for(&org, &ed, &[&entry], &[&ja.id, &jb.id], json!({}))
        .await;
    let round = round["id"].as_str().expect("round").to_owned();
    let r = app
        .post(
            &format!("/api/v1/rounds/{round}/assignments"),
            Some(&org.access),
            json!({"entry_id": entry, "judge_id": ja.id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let assignment = r.body["id"].as_str().expect("assignment").to_owned();
    let orgs = app.get("/api/v1/organisations", None).await;
    let organisation = orgs.body["items"][0]["id"]
        .as_str()
        .expect("agency")
        .to_owned();
    let ids = BTreeMap::from([
        ("edition", ed.id.clone()),
        ("entry", entry),
        ("attachment", attachment),
        ("round", round),
        ("assignment", assignment),
        ("organisation", organisation),
        ("user", a.id.clone()),
        ("field", ed.fields[0].clone()),
        ("track", ed.tracks[0].clone()),
    ]);
    World {
        app,
        http: client(),
        callers: vec![
            ("anon", None),
            ("subA", Some(a)),
            ("subB", Some(b)),
            ("judgeA", Some(ja)),
            ("judgeB", Some(jb)),
            ("org", Some(org)),
        ],
        ids,
    }
}

/// The path with A's objects in place of its parameters.
fn concrete(path: &str, ids: &BTreeMap<&str, String>) -> String {
    let id_of = |prefix: &str| -> &str {
        let kind = match prefix {
            "editions" | "edisi" | "pemenang" => "edition",
            "entries" | "inovasi" | "berkas" | "innovations" => "entry",
            "rounds" | "babak" => "round",
            "assignments" | "penilaian" => "assignment",
            "organisations" | "organisasi" => "organisation",
            "users" => "user",
            "fields" => "field",
            "tracks" => "track",
            other => panic!("no object for a path parameter after /{other}/ in {path}"),
        };
        ids[kind].as_str()
    };
    let mut out = String::new();
    let mut prev = "";
    for seg in path.split('/').skip(1) {
        out.push('/');
        let value = match seg {
            "{id}" => id_of(prev),
            "{aid}" => ids["attachment"].as_str(),
            "{entry}" => ids["entry"].as_str(),
            "{sheet}" => ids["assignment"].as_str(),
            "{field}" => ids["field"].as_str(),
            "{track}" => ids["track"].as_str(),
            s if s.starts_with('{') => panic!("unknown path parameter {s} in {path}"),
            s => s,
        };
        out.push_str(value);
        prev = seg;
    }
    out
}

async fn status_of(w: &World, method: &str, path: &str, caller: Option<&Session>) -> u16 {
    let app = &w.app;
    let url = app.url(&concrete(path, &w.ids));
    let m: Method = method.parse().expect("method");
    let mut req = w.http.request(m.clone(), url);
    if path.starts_with("/api/") {
        if let Some(s) = caller {
            req = req.bearer_auth(&s.access);
        }
        if matches!(m, Method::POST | Method::PUT | Method::PATCH) {
            req = req.json(&json!({}));
        }
    } else {
        if let Some(s) = caller {
            req = req.header("cookie", format!("juri_akses={}", s.access));
        }
        if m != Method::GET {
            req = req
                .header("origin", app.url(""))
                .header("content-type", "application/x-www-form-urlencoded")
                .body("");
        }
    }
    req.send().await.expect("sent").status().as_u16()
}

fn read_table(text: &str) -> BTreeMap<String, Vec<u16>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(parts.len(), 2 + CALLERS.len(), "malformed row: {l}");
            let statuses = parts[2..]
                .iter()
                .map(|s| s.parse().unwrap_or_else(|_| panic!("bad status in {l}")))
                .collect();
            (format!("{} {}", parts[0], parts[1]), statuses)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_each_caller_as_the_table_says() {
    let w = world().await;
    let mut routes: BTreeSet<String> = BTreeSet::new();
    for (m, p) in api_routes(&w.app).await.into_iter().chain(page_routes()) {
        routes.insert(format!("{m} {p}"));
    }
    let mut order: Vec<String> = routes
        .iter()
        .filter(|r| !LAST.contains(&r.as_str()))
        .cloned()
        .collect();
    for last in LAST {
        assert!(
            routes.contains(last),
            "{last} is no longer a route: update LAST"
        );
        order.push(last.to_owned());
    }
    let mut actual: BTreeMap<String, Vec<u16>> = BTreeMap::new();
    for route in &order {
        let (method, path) = route.split_once(' ').expect("method and path");
        let mut row = Vec::new();
        for (_, caller) in &w.callers {
            row.push(status_of(&w, method, path, caller.as_ref()).await);
        }
        actual.insert(route.clone(), row);
    }

    let mut text = String::from(
        "# The access matrix (security promise 1): see access.rs. Columns:\n# METHOD PATH",
    );
    for c in CALLERS {
        let _ = write!(text, " {c}");
    }
    text.push('\n');
    for (route, row) in &actual {
        let _ = write!(text, "{route}");
        for s in row {
            let _ = write!(text, " {s}");
        }
        text.push('\n');
    }
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE);
    if std::env::var_os("JURI_RECORD_MATRIX").is_some() {
        std::fs::write(&file, &text).expect("write the table");
        return;
    }
    let expected = read_table(&std::fs::read_to_string(&file).expect("the table"));
    let mut problems = Vec::new();
    for (route, row) in &actual {
        match expected.get(route) {
            None => problems.push(format!("no row for {route} (actual {row:?})")),
            Some(want) if want != row => {
                problems.push(format!("{route}: expected {want:?}, got {row:?}"));
            }
            Some(_) => {}
        }
    }
    for route in expected.keys() {
        if !actual.contains_key(route) {
            problems.push(format!("a row for {route}, which is not a route"));
        }
    }
    assert!(
        problems.is_empty(),
        "callers {CALLERS:?}\n{}\n(JURI_RECORD_MATRIX=1 rewrites the table)",
        problems.join("\n")
    );
}

/// The table itself keeps the promise: nobody but A, A's judge and the organisers gets a
/// success on A's objects, except on what is public.
#[test]
fn the_table_gives_no_stranger_access_to_a_s_objects() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE);
    let table = read_table(&std::fs::read_to_string(file).expect("the table"));
    let private = |route: &str| {
        let path = route.split_once(' ').map(|(_, p)| p).unwrap_or(route);
        (path.contains("/entries/{id}")
            || path.contains("/peserta/inovasi/{id}")
            || path.contains("/berkas/")
            || path.contains("/assignments/{id}")
            || path.contains("/juri/penilaian/{id}")
            || path.contains("/users/{id}"))
            && !path.contains("/public/")
    };
    let mut leaks = Vec::new();
    for (route, row) in &table {
        if !private(route) {
            continue;
        }
        // subB (2) and judgeB (4): never a success, and never a 403 that tells the
        // object exists where a 404 should hide it.
        for (i, who) in [(2, "subB"), (4, "judgeB")] {
            if (200..300).contains(&row[i]) {
                leaks.push(format!("{who} gets {} on {route}", row[i]));
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}
