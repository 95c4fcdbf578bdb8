//! The CSRF check of the pages: a state-changing request (anything but GET, HEAD,
//! OPTIONS) must come from a page of ours. Browsers send `Origin` with every form
//! POST; when it is missing (some privacy settings), `Referer` stands in. The origin
//! must be the configured public URL's, or the one the request itself was addressed
//! to (`Host`), which another site cannot choose. No token state is kept.
//!
//! The JSON API needs no such check: it authenticates by the `Authorization` header
//! only, which a browser never adds to a cross-site request, and ignores the cookie.

use crate::pages::{Ctx, render_error_page};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// `scheme://host[:port]` of a URL, lower-cased; `None` if it is not absolute.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    if host.is_empty() || scheme.is_empty() {
        return None;
    }
    Some(format!("{}://{}", scheme, host).to_ascii_lowercase())
}

/// Does this request come from one of our own pages?
pub fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|v| *v != "null")
        .and_then(origin_of)
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
        });
    let Some(claimed) = claimed else {
        return false;
    };
    if origin_of(public_url).is_some_and(|o| o == claimed) {
        return true;
    }
    // The host the browser addressed: a cross-site page cannot make it another's.
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    match (host, claimed.split_once("://")) {
        (Some(host), Some((_, claimed_host))) => host == claimed_host,
        _ => false,
    }
}

/// The middleware: a refused request gets a 403 page and never reaches its handler,
/// so nothing is written.
pub async fn check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || same_origin(req.headers(), &state.config.public_url) {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "cross-site form refused");
    let ctx = Ctx::anonymous(crate::pages::i18n::from_cookie(req.headers()));
    render_error_page(&ctx, StatusCode::FORBIDDEN, ctx.t("error.csrf"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn our_origin_passes_and_others_do_not() {
        let url = "https://juri.bangka.go.id";
        assert!(same_origin(
            &headers(&[(header::ORIGIN, "https://juri.bangka.go.id")]),
            url
        ));
        assert!(!same_origin(
            &headers(&[(header::ORIGIN, "https://evil.example")]),
            url
        ));
        // The scheme counts: an http page may not post to the https site.
        assert!(!same_origin(
            &headers(&[(header::ORIGIN, "http://juri.bangka.go.id")]),
            url
        ));
        assert!(!same_origin(&headers(&[]), url));
        assert!(!same_origin(&headers(&[(header::ORIGIN, "null")]), url));
    }

    #[test]
    fn the_referer_stands_in_and_the_host_counts() {
        let url = "http://127.0.0.1:8080";
        assert!(same_origin(
            &headers(&[(header::REFERER, "http://127.0.0.1:8080/masuk?next=/")]),
            url
        ));
        assert!(same_origin(
            &headers(&[
                (header::ORIGIN, "http://localhost:8080"),
                (header::HOST, "localhost:8080")
            ]),
            url
        ));
        assert!(!same_origin(
            &headers(&[
                (header::ORIGIN, "http://127.0.0.1:9999"),
                (header::HOST, "127.0.0.1:8080")
            ]),
            url
        ));
    }
}
