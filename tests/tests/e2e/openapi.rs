//! The OpenAPI document: served, well-formed OpenAPI 3.1, and the same set of routes
//! as the router in both directions; Swagger UI at `/api/docs` under its own CSP.

use juri_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The router's own 404 (no route) says this; a handler's 404 (no such thing) does not.
const NO_ROUTE: &str = "There is nothing at this address.";

/// The contract's route list (`/work/shared/docs/api.md`, "Routes"), method and path.
const CONTRACT: &[(&str, &str)] = &[
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("post", "/api/v1/users"),
    ("post", "/api/v1/auth/invitations/accept"),
    ("get", "/api/v1/organisations"),
    ("post", "/api/v1/organisations"),
    ("patch", "/api/v1/organisations/{id}"),
    ("post", "/api/v1/editions"),
    ("get", "/api/v1/editions"),
    ("get", "/api/v1/editions/{id}"),
    ("patch", "/api/v1/editions/{id}"),
    ("post", "/api/v1/editions/{id}/fields"),
    ("get", "/api/v1/editions/{id}/fields"),
    ("post", "/api/v1/editions/{id}/tracks"),
    ("get", "/api/v1/editions/{id}/tracks"),
    ("post", "/api/v1/editions/{id}/rounds"),
    ("get", "/api/v1/editions/{id}/rounds"),
    ("post", "/api/v1/editions/{id}/judges"),
    ("get", "/api/v1/editions/{id}/judges"),
    ("post", "/api/v1/editions/{id}/entries"),
    ("get", "/api/v1/entries"),
    ("get", "/api/v1/entries/{id}"),
    ("patch", "/api/v1/entries/{id}"),
    ("delete", "/api/v1/entries/{id}"),
    ("post", "/api/v1/entries/{id}/attachments"),
    ("get", "/api/v1/entries/{id}/attachments/{aid}"),
    ("delete", "/api/v1/entries/{id}/attachments/{aid}"),
    ("post", "/api/v1/entries/{id}/submit"),
    ("post", "/api/v1/entries/{id}/withdraw"),
    ("post", "/api/v1/entries/{id}/screening"),
    ("post", "/api/v1/conflicts"),
    ("post", "/api/v1/rounds/{id}/assignments/auto"),
    ("post", "/api/v1/rounds/{id}/assignments"),
    ("delete", "/api/v1/rounds/{id}/assignments"),
    ("get", "/api/v1/me/assignments"),
    ("get", "/api/v1/assignments/{id}"),
    ("put", "/api/v1/assignments/{id}/sheet"),
    ("post", "/api/v1/assignments/{id}/sheet/submit"),
    ("post", "/api/v1/assignments/{id}/sheet/reopen"),
    ("get", "/api/v1/rounds/{id}/progress"),
    ("post", "/api/v1/rounds/{id}/close"),
    ("get", "/api/v1/rounds/{id}/results"),
    ("post", "/api/v1/rounds/{id}/advance"),
    ("get", "/api/v1/editions/{id}/results"),
    ("post", "/api/v1/editions/{id}/winners"),
    ("post", "/api/v1/editions/{id}/publish"),
    ("get", "/api/v1/editions/{id}/export.xlsx"),
    ("get", "/api/v1/editions/{id}/export.csv"),
    ("get", "/api/v1/public/editions"),
    ("get", "/api/v1/public/editions/{id}/winners"),
    ("get", "/api/v1/public/innovations"),
    ("get", "/api/v1/public/innovations/{id}"),
    ("get", "/api/v1/audit"),
    ("get", "/healthz"),
    ("get", "/readyz"),
];

async fn document(app: &TestApp) -> Value {
    let r = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.content_type().starts_with("application/json"));
    r.body
}

/// `{path: {methods}}` of the document.
fn operations(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let paths = doc["paths"].as_object().expect("paths is an object");
    paths
        .iter()
        .map(|(path, item)| {
            let item = item.as_object().expect("a path item is an object");
            let methods = item
                .keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .cloned()
                .collect();
            (path.clone(), methods)
        })
        .collect()
}

/// Every `$ref` in `v` names something in `doc`'s components.
fn check_refs(doc: &Value, v: &Value, at: &str) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "$ref" {
                    let target = child.as_str().expect("$ref is a string");
                    let pointer = target
                        .strip_prefix('#')
                        .unwrap_or_else(|| panic!("{at}: external $ref {target}"));
                    assert!(
                        doc.pointer(pointer).is_some(),
                        "{at}: $ref {target} points at nothing"
                    );
                } else {
                    check_refs(doc, child, &format!("{at}/{k}"));
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_refs(doc, child, &format!("{at}/{i}"));
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn the_document_is_well_formed_openapi_3_1() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let version = doc["openapi"].as_str().expect("openapi version");
    assert!(version.starts_with("3.1."), "version {version}");
    assert!(doc["info"]["title"].is_string());
    assert!(doc["info"]["version"].is_string());
    check_refs(&doc, &doc, "#");

    let mut ids = BTreeSet::new();
    for (path, methods) in operations(&doc) {
        assert!(path.starts_with('/'), "{path}");
        let declared_in_path: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .map(str::to_owned)
            .collect();
        for m in methods {
            let op = &doc["paths"][&path][&m];
            let id = op["operationId"].as_str().expect("operationId");
            assert!(ids.insert(id.to_owned()), "operationId {id} repeats");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{m} {path} has no tag"
            );
            let responses = op["responses"].as_object().expect("responses");
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{m} {path} documents no success"
            );
            // Each `{name}` of the path is a required path parameter, and nothing else is.
            let params: BTreeSet<String> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .inspect(|p| assert_eq!(p["required"], true, "{m} {path}"))
                        .filter_map(|p| p["name"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(params, declared_in_path, "{m} {path}");
            // Errors are problem documents; operations with a token say so.
            if let Some(r) = responses.get("500") {
                let r = if let Some(target) = r["$ref"].as_str() {
                    doc.pointer(&target[1..]).expect("resolved")
                } else {
                    r
                };
                assert!(r["content"]["application/problem+json"].is_object());
            } else {
                panic!("{m} {path} does not document 500");
            }
            if op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()))
            {
                assert!(responses.contains_key("401"), "{m} {path}: no 401");
            }
        }
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for name in [
        "Problem",
        "ProblemField",
        "UserView",
        "Entry",
        "Round",
        "Sheet",
    ] {
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "schema {name} missing"
        );
    }
}

#[tokio::test]
async fn the_contract_routes_are_all_in_the_document() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let ops = operations(&doc);
    for (method, path) in CONTRACT {
        assert!(
            ops.get(*path).is_some_and(|m| m.contains(*method)),
            "{method} {path} is in the contract but not in the document"
        );
    }
}

/// Every documented operation is answered by a route (never the router's 404 or
/// 405), and every method the document leaves out of a path is 405: the router serves
/// nothing on these paths that the document does not show.
#[tokio::test]
async fn the_router_answers_exactly_the_documented_operations() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let organiser = app.organiser().await;
    let ops = operations(&doc);
    assert!(ops.len() > 50, "only {} paths", ops.len());
    let id = uuid::Uuid::now_v7().to_string();
    for (path, methods) in &ops {
        let concrete: String = path
            .split('/')
            .map(|s| if s.starts_with('{') { id.as_str() } else { s })
            .collect::<Vec<_>>()
            .join("/");
        for m in METHODS {
            // Logging out would revoke the token the other probes use.
            if *path == "/api/v1/auth/logout" && m == "post" {
                continue;
            }
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).expect("method");
            let r = app
                .send(
                    app.client
                        .request(method, app.url(&concrete))
                        .bearer_auth(&organiser.access)
                        .header("content-type", "application/json")
                        .body("{}"),
                )
                .await;
            if methods.contains(m) {
                assert_ne!(
                    r.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{m} {path} is documented but not routed"
                );
                assert!(
                    !(r.status == StatusCode::NOT_FOUND && r.text.contains(NO_ROUTE)),
                    "{m} {path} is documented but not routed: {}",
                    r.text
                );
                assert!(
                    !r.status.is_server_error(),
                    "{m} {path}: {} {}",
                    r.status,
                    r.text
                );
            } else {
                assert_eq!(
                    r.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{m} {path} is routed but not documented"
                );
            }
        }
    }
    let out = app
        .post(
            "/api/v1/auth/logout",
            Some(&organiser.access),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.text);
}

/// The API's routes are registered only through `routes!` (which takes each handler's
/// path and method from its `#[utoipa::path]`), so none can be served without being
/// in the document. This reads the sources: a plain `.route(` under `/api` fails here.
#[test]
fn api_routes_are_registered_only_with_their_documentation() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/web/src");
    // The code, without comments (which may name what they forbid).
    let code = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let routes_mod =
        code(&std::fs::read_to_string(root.join("routes/mod.rs")).expect("routes/mod.rs"));
    for needle in [
        ".route(",
        ".route_service(",
        ".nest(",
        ".nest_service(",
        ".merge(",
    ] {
        assert!(
            !routes_mod.contains(needle),
            "routes/mod.rs uses {needle}: register API routes with `.routes(routes!(…))`"
        );
    }
    let registered = routes_mod.matches("routes!(").count();
    assert!(registered > 40, "only {registered} registrations");
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs")
                // openapi.rs nests the documented router itself under /api/v1.
                && !p.ends_with("openapi.rs")
            {
                let text = code(&std::fs::read_to_string(&p).expect("source"));
                let compact: String = text.split_whitespace().collect();
                for bad in [
                    ".route(\"/api",
                    ".nest(\"/api",
                    ".route(\"/healthz",
                    ".route(\"/readyz",
                ] {
                    assert!(
                        !compact.contains(bad),
                        "{} registers {bad}…) outside the documented router",
                        p.display()
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn swagger_ui_is_served_under_its_own_csp_and_nothing_else_is() {
    let app = TestApp::spawn().await;
    // `/api/docs` redirects to `/api/docs/`; the client follows.
    let r = app.get("/api/docs", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.content_type().starts_with("text/html"),
        "{}",
        r.content_type()
    );
    assert!(r.text.contains("swagger-ui-bundle.js"));
    assert!(!r.text.contains("<script>"), "no inline script");
    let csp = r.headers["content-security-policy"].to_str().expect("csp");
    assert_eq!(csp, juri_web::openapi::DOCS_CSP);
    assert!(
        csp.contains("script-src 'self';"),
        "scripts stay same-origin"
    );

    let init = app.get("/api/docs/swagger-initializer.js", None).await;
    assert_eq!(init.status, StatusCode::OK);
    assert!(init.text.contains("/api/v1/openapi.json"), "{}", init.text);
    assert!(!init.text.contains("petstore"));
    for asset in ["swagger-ui-bundle.js", "swagger-ui.css"] {
        let a = app.get(&format!("/api/docs/{asset}"), None).await;
        assert_eq!(a.status, StatusCode::OK, "{asset}");
    }
    // No script or style from anywhere else: the page works offline.
    assert!(!r.text.contains("https://"));

    // Everywhere else the strict policy stays.
    for path in ["/", "/api/v1/openapi.json", "/api/v1/me", "/healthz"] {
        let other = app.get(path, None).await;
        let csp = other.headers["content-security-policy"]
            .to_str()
            .expect("csp");
        assert!(
            csp.contains("style-src 'self';") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
    }
}
