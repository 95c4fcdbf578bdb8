//! The OpenAPI document of the JSON API, generated from the handlers' `#[utoipa::path]`
//! annotations as `routes::api` registers them (one list for the router and the
//! document), served at `/api/v1/openapi.json`, with Swagger UI at `/api/docs`.
//!
//! Handlers document their successes and the errors particular to them; `conventions`
//! adds the problem responses every operation of a kind can give (400 and 422 for
//! input, 401 and 403 with a token, 404 with an id in the path, 409 for writes, 5xx),
//! so the document says every status the server answers.

use crate::error::{PROBLEM_JSON, Problem, describe};
use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::sync::LazyLock;
use utoipa::OpenApi;
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, ResponseBuilder};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::{Config, SwaggerUi};

/// Where the document is served.
pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";
/// Where Swagger UI is served.
pub const DOCS_PATH: &str = "/api/docs";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Juri API",
        version = "1",
        description = "The JSON API of Juri, the judging system of the Bangka Innovation Awards. \
                       Errors are RFC 9457 problem documents (`application/problem+json`). \
                       Sign in with `POST /api/v1/auth/login` and send the access token as \
                       `Authorization: Bearer <token>`."
    ),
    tags(
        (name = "auth", description = "Sign-up, sign-in, tokens, invitations"),
        (name = "users", description = "One's own account; organisers manage accounts"),
        (name = "organisations", description = "The agencies (OPD)"),
        (name = "editions", description = "Editions, their fields and tracks"),
        (name = "entries", description = "Entries: drafts, submission, screening"),
        (name = "attachments", description = "Files attached to entries"),
        (name = "judging", description = "Rounds, panel, conflicts, assignments, score sheets"),
        (name = "results", description = "Rankings, ties, winners, publication, exports"),
        (name = "public", description = "What anyone may read: published results and the catalogue"),
        (name = "audit", description = "The tamper-evident audit trail"),
        (name = "meta", description = "This document, liveness, readiness"),
    ),
    components(schemas(Problem, crate::error::ProblemField, Infeasible, UploadForm))
)]
struct ApiDoc;

/// The body of the 422 of an automatic assignment that cannot be made: a problem
/// document naming, in `entries`, the entries that cannot get enough judges.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Infeasible {
    #[serde(flatten)]
    pub problem: Problem,
    pub entries: Vec<crate::views::Shortfall>,
}

/// The multipart form of an upload: one part named `file` (PDF, JPEG or PNG).
#[derive(Debug, utoipa::ToSchema)]
pub struct UploadForm {
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    pub file: Vec<u8>,
}

/// The API router and its document, from the same registrations.
pub fn split(upload_limit: usize) -> (Router<AppState>, Document) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", crate::routes::api(upload_limit))
        .merge(crate::routes::probes())
        .split_for_parts();
    conventions(&mut doc);
    (router, doc)
}

/// The document, built once. The upload limit does not change it.
pub fn document() -> &'static Document {
    static DOC: LazyLock<Document> = LazyLock::new(|| split(0).1);
    &DOC
}

/// The document as JSON text, serialised once.
static DOCUMENT_JSON: LazyLock<String> = LazyLock::new(|| {
    serde_json::to_string(document()).unwrap_or_else(|e| {
        tracing::error!(error = %e, "the OpenAPI document does not serialise");
        String::from("{}")
    })
});

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(get, path = "/openapi.json", tag = "meta", responses(
    (status = 200, description = "This document (OpenAPI 3.1)", content_type = "application/json", body = Object)
))]
pub async fn document_json() -> Response {
    let mut res = DOCUMENT_JSON.as_str().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// Swagger UI's own CSP: its files are all served from here (no CDN, no inline
/// script), but it styles its elements with inline `style` attributes. Only the
/// `/api/docs` pages get it; the rest of the site keeps the strict policy.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                            img-src 'self' data:; connect-src 'self'; object-src 'none'; \
                            base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Swagger UI at `/api/docs`, reading the document from `/api/v1/openapi.json`.
pub fn docs<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let config = Config::new([DOCUMENT_PATH])
        // The default sends the document to validator.swagger.io for a badge.
        .validator_url("none")
        .try_it_out_enabled(true)
        .persist_authorization(false);
    Router::from(SwaggerUi::new(DOCS_PATH).config(config)).layer(axum::middleware::map_response(
        |mut res: Response| async move {
            res.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(DOCS_CSP),
            );
            res
        },
    ))
}

const SECURITY_SCHEME: &str = "bearer";

/// The statuses an operation can answer with a problem document, by what it takes.
fn general_problems(path: &str, method: &HttpMethod, op: &Operation) -> Vec<StatusCode> {
    let mut out = vec![
        StatusCode::REQUEST_TIMEOUT,
        StatusCode::INTERNAL_SERVER_ERROR,
        StatusCode::SERVICE_UNAVAILABLE,
    ];
    let takes_input =
        op.request_body.is_some() || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    if takes_input {
        out.extend([StatusCode::BAD_REQUEST, StatusCode::UNPROCESSABLE_ENTITY]);
    }
    if op.request_body.is_some() {
        out.extend([
            StatusCode::PAYLOAD_TOO_LARGE,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ]);
    }
    let needs_token = op.security.as_ref().is_some_and(|s| !s.is_empty());
    if needs_token {
        out.extend([StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN]);
    }
    if path.contains('{') {
        out.push(StatusCode::NOT_FOUND);
    }
    if !matches!(method, HttpMethod::Get) {
        out.push(StatusCode::CONFLICT);
    }
    out
}

/// Adds the bearer security scheme, one shared response per problem status, and each
/// operation's general problem responses (kept where a handler documents its own).
fn conventions(doc: &mut Document) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        SECURITY_SCHEME.to_owned(),
        RefOr::T(SecurityScheme::Http({
            let mut h = Http::new(HttpAuthScheme::Bearer);
            h.bearer_format = Some("JWT".to_owned());
            h
        })),
    );
    let mut used = Vec::new();
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops = [
            (HttpMethod::Get, &mut item.get),
            (HttpMethod::Post, &mut item.post),
            (HttpMethod::Put, &mut item.put),
            (HttpMethod::Patch, &mut item.patch),
            (HttpMethod::Delete, &mut item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op.as_mut() else { continue };
            // utoipa's default is the function's name, which repeats across modules.
            op.operation_id = Some(operation_id(&method, path));
            for status in general_problems(path, &method, op) {
                let code = status.as_u16().to_string();
                if let std::collections::btree_map::Entry::Vacant(slot) =
                    op.responses.responses.entry(code)
                {
                    let (slug, _) = describe(status);
                    slot.insert(RefOr::Ref(Ref::from_response_name(slug.to_owned())));
                    if !used.contains(&status) {
                        used.push(status);
                    }
                }
            }
        }
    }
    for status in used {
        let (slug, title) = describe(status);
        let response = ResponseBuilder::new()
            .description(title)
            .content(
                PROBLEM_JSON,
                Content::new(Some(Ref::from_schema_name("Problem"))),
            )
            .build();
        components
            .responses
            .insert(slug.to_owned(), RefOr::T(response));
    }
}

/// `get_api_v1_editions_id_fields`: unique per method and path, stable for clients.
fn operation_id(method: &HttpMethod, path: &str) -> String {
    let method = match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Put => "put",
        HttpMethod::Patch => "patch",
        HttpMethod::Delete => "delete",
        HttpMethod::Head => "head",
        HttpMethod::Options => "options",
        HttpMethod::Trace => "trace",
    };
    let path: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut id = format!("{method}_{}", path.trim_matches('_'));
    while id.contains("__") {
        id = id.replace("__", "_");
    }
    id
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    fn snapshot() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
    }

    /// The schema name of every `ToSchema` type in `dir` (its Rust name, or the one
    /// `#[schema(as = …)]` gives it), with where it is.
    fn schema_names(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for f in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = f.path();
            if path.is_dir() {
                schema_names(&path, out);
                continue;
            }
            let Ok(src) = std::fs::read_to_string(&path) else {
                continue;
            };
            let lines: Vec<&str> = src.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                if !(line.trim_start().starts_with("#[") && line.contains("ToSchema")) {
                    continue;
                }
                let mut renamed = None;
                for next in lines.iter().skip(i).take(8) {
                    if let Some(at) = next.find("as = ") {
                        let rest = &next[at + 5..];
                        let end = rest.find([')', ',']).unwrap_or(rest.len());
                        renamed = rest[..end].rsplit("::").next().map(str::to_owned);
                    }
                    let t = next.trim_start().trim_start_matches("pub ");
                    if let Some(rest) = t.strip_prefix("struct ").or(t.strip_prefix("enum ")) {
                        let name: String = rest
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        out.push((
                            renamed.take().unwrap_or(name),
                            format!("{}:{}", path.display(), i + 1),
                        ));
                        break;
                    }
                }
            }
        }
    }

    /// utoipa keeps one schema a name: two request bodies both called `CreateBody`
    /// once made the document describe `POST /users` with the entry's body. So no
    /// two types that go into the document share a name.
    #[test]
    fn no_two_schemas_share_a_name() {
        let mut names = Vec::new();
        schema_names(
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut names,
        );
        assert!(names.len() > 50, "too few schemas found: {names:?}");
        names.sort();
        let twice: Vec<_> = names
            .windows(2)
            .filter(|w| w[0].0 == w[1].0)
            .map(|w| format!("{} at {} and {}", w[0].0, w[0].1, w[1].1))
            .collect();
        assert!(twice.is_empty(), "{twice:#?}");
    }

    /// The rules and the store know nothing of the API's document: its schemas are the
    /// views' (`crate::views`), so neither crate may depend on utoipa again.
    #[test]
    fn the_rules_and_the_store_know_nothing_of_openapi() {
        for manifest in [
            include_str!("../../domain/Cargo.toml"),
            include_str!("../../persistence/Cargo.toml"),
        ] {
            assert!(!manifest.contains("utoipa"), "{manifest}");
            assert!(!manifest.contains("openapi"), "{manifest}");
        }
    }

    /// The contract as the server states it is kept in `docs/openapi.json`: a change to
    /// the document shows in review as a diff of that file, and a refactor (response
    /// types moving between crates) must leave it identical. After a deliberate change
    /// of the contract, rewrite it with `JURI_RECORD_OPENAPI=1` and read the diff.
    #[test]
    fn the_document_is_the_one_in_docs() -> Result<(), Box<dyn std::error::Error>> {
        let actual = serde_json::to_value(super::document())?;
        if std::env::var_os("JURI_RECORD_OPENAPI").is_some() {
            std::fs::write(snapshot(), serde_json::to_string_pretty(&actual)? + "\n")?;
            return Ok(());
        }
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(snapshot())?)?;
        if actual != expected {
            let (a, e) = (
                serde_json::to_string_pretty(&actual)?,
                serde_json::to_string_pretty(&expected)?,
            );
            let first = a
                .lines()
                .zip(e.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(a.lines().count().min(e.lines().count()));
            panic!(
                "the OpenAPI document differs from docs/openapi.json from line {}:\n  now:  {}\n  docs: {}\n\
                 (JURI_RECORD_OPENAPI=1 rewrites the file after a deliberate change)",
                first + 1,
                a.lines().nth(first).unwrap_or("<end>"),
                e.lines().nth(first).unwrap_or("<end>"),
            );
        }
        Ok(())
    }
}
