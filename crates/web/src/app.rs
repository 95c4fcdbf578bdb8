//! The router with its layers, and serving it until shutdown.
//!
//! Outermost first: gzip compression of what a client accepts compressed, the request
//! context (request id, one access-log line, security headers, problem documents for
//! bare error responses), panic catching, the request timeout, then the routes with a
//! body size limit.

use crate::error::{Problem, describe};
use crate::pages;
use crate::request_id;
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::any::Any;
use std::sync::Arc;
use std::time::Instant;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::timeout::TimeoutLayer;

/// The whole application. `extra` routes (tests only) get the same layers.
pub fn router(state: AppState, extra: Option<Router<AppState>>) -> Router {
    let timeout = state.config.request_timeout;
    let body_limit = state.config.json_body_limit;
    let upload_limit = usize::try_from(state.config.attachment_max_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(1024 * 1024);
    // Served over TLS (the public URL says so): browsers must keep to HTTPS.
    let hsts = state.config.public_url.starts_with("https://");
    // The API and the probes, registered with their OpenAPI document.
    let (api, _) = crate::openapi::split(upload_limit);
    let mut app = api
        .merge(crate::openapi::docs())
        .merge(pages::router(state.clone(), upload_limit))
        .route("/metrics", get(crate::metrics::serve));
    if let Some(extra) = extra {
        app = app.merge(extra);
    }
    // A route layer runs after routing, so it sees the matched route pattern.
    app.route_layer(middleware::from_fn_with_state(
        state.clone(),
        crate::metrics::record,
    ))
    .fallback(not_found)
    .method_not_allowed_fallback(method_not_allowed)
    .layer(DefaultBodyLimit::max(body_limit))
    .with_state(state)
    .layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        timeout,
    ))
    .layer(CatchPanicLayer::custom(panic_response))
    .layer(middleware::from_fn(request_context))
    .layer(middleware::map_response(
        move |mut res: Response| async move {
            if hsts {
                res.headers_mut().insert(
                    header::STRICT_TRANSPORT_SECURITY,
                    HeaderValue::from_static("max-age=31536000; includeSubDomains"),
                );
            }
            res
        },
    ))
    .layer(compression())
}

/// Pages, JSON, CSS and CSV exports go out gzipped to clients that accept it (a
/// results page shrinks from 182 KB to a tenth on a judge's mobile data). Files that
/// are compressed already (PDF, images, XLSX) are sent as they are. Compressing pages
/// is safe from BREACH-style guessing here: a page holds no secret beside reflected
/// input, since forms are defended by origin checks, not by a token in the page
/// (`docs/web.md`).
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(
        DefaultPredicate::new()
            .and(NotForContentType::const_new("application/pdf"))
            .and(NotForContentType::const_new(
                "application/vnd.openxmlformats",
            )),
    )
}

/// No such route: a browser asking for a page gets the not-found page (with its
/// header, in its language); the API and every other client a problem document.
async fn not_found(
    ctx: pages::Ctx,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> Response {
    let wants_page = !uri.path().starts_with("/api/")
        && headers
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
    if wants_page {
        return pages::render_error_page(&ctx, StatusCode::NOT_FOUND, ctx.t("error.not_found"));
    }
    Problem::keyed(StatusCode::NOT_FOUND, "problem.no_route").into_response()
}

async fn method_not_allowed() -> Response {
    Problem::keyed(StatusCode::METHOD_NOT_ALLOWED, "problem.method_not_allowed").into_response()
}

fn panic_response(payload: Box<dyn Any + Send + 'static>) -> Response {
    let what = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = what, "handler panicked");
    Problem::keyed(StatusCode::INTERNAL_SERVER_ERROR, "problem.internal").into_response()
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn request_context(req: Request, next: Next) -> Response {
    let id = request_id::choose(req.headers().get(request_id::HEADER));
    let method = req.method().clone();
    // The path only: query strings can carry tokens (invitation links).
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let lang = crate::language::from_headers(req.headers());
    let mut res = request_id::scope(
        id.clone(),
        crate::language::scope(lang, async move {
            let res = next.run(req).await;
            problem_for_bare_error(res)
        }),
    )
    .await;
    let status = res.status();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    if status.is_server_error() {
        tracing::warn!(request_id = %id, %method, %path, status = status.as_u16(), latency_ms, "request");
    } else {
        tracing::info!(request_id = %id, %method, %path, status = status.as_u16(), latency_ms, "request");
    }
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert(request_id::HEADER, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Nothing leaves the site. Not `no-referrer`: under it a browser sends
    // `Origin: null` with our own form posts, and the pages' CSRF check needs the origin.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

/// An error response without a body type (from a layer: timeout, body limit) becomes
/// a problem document, so clients see one error format everywhere.
fn problem_for_bare_error(res: Response) -> Response {
    let status = res.status();
    if (status.is_client_error() || status.is_server_error())
        && !res.headers().contains_key(header::CONTENT_TYPE)
    {
        let (slug, _) = describe(status);
        let mut fresh = Problem::keyed(status, &format!("problem.status.{slug}")).into_response();
        for (k, v) in res.headers() {
            if k != header::CONTENT_LENGTH {
                fresh.headers_mut().insert(k.clone(), v.clone());
            }
        }
        return fresh;
    }
    res
}

/// What one server lets its connections take.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// A client must send a request's whole header within this time, or its connection
    /// is closed: a slow client cannot hold a connection by never finishing (slowloris).
    pub header_read_timeout: std::time::Duration,
    /// Connections open at once; more wait in the listen queue until one closes.
    pub max_connections: usize,
}

impl ConnectionLimits {
    pub fn of(config: &crate::config::Config) -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: config.header_read_timeout,
            max_connections: config.max_connections,
        }
    }
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: std::time::Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

/// Serve `app` on `listener` until `shutdown` resolves, then finish the requests in
/// flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, app, ConnectionLimits::default(), shutdown).await
}

/// [`serve`] with explicit connection limits. HTTP/1.1 through hyper directly (axum's
/// `serve` sets no header timeout and no connection cap).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A permit first: at the cap, new connections wait in the kernel's queue.
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service =
            app.clone()
                .map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut()
                        .insert(axum::extract::ConnectInfo(remote));
                    req
                });
        let conn = http.serve_connection(
            TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(service),
        );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // Errors are the client's (reset, timeout, malformed): nothing to report.
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
