//! Path segments: `ApiPath<EntryId>`, or `ApiPath<(RoundId, AssignmentId)>` for two.
//! A segment that does not parse names nothing: a 404 problem document, as the id
//! types' `FromStr` says (`juri_domain::ids`). A route and handler that disagree on
//! the segments are our bug: a 500 problem document. Never axum's text/plain. Being
//! an extractor, it answers before the body is read: a malformed id is 404 even when
//! the body would have been refused too.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::extract::rejection::PathRejection;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, Copy, Default)]
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(rejected)
    }
}

/// axum calls a value that does not parse (an id that is not a UUID, bad UTF-8) a
/// client error, and a mismatch between route and handler a server error. The ids
/// deserialize through the same `Uuid` parser as their `FromStr`, so a malformed id
/// answers exactly what `id.parse()?` answered.
fn rejected(rej: PathRejection) -> ApiError {
    if rej.status().is_client_error() {
        juri_domain::Error::NotFound.into()
    } else {
        // Kept as the cause, so the 500's log line walks down to axum's own words.
        ApiError::internal(rej)
    }
}

/// The router of [`testing::path_suite`] for the path extractor `$extractor`, with
/// `$by_hand` (the handler's parsing it replaced) at `/by-hand/{id}`.
#[cfg(test)]
macro_rules! path_suite_router {
    ($extractor:ident, $by_hand:expr) => {
        axum::Router::new()
            .route(
                "/entries/{id}",
                axum::routing::get(
                    |$extractor(id): $extractor<juri_domain::ids::EntryId>| async move {
                        id.to_string()
                    },
                ),
            )
            .route("/by-hand/{id}", axum::routing::get($by_hand))
            .route(
                "/rounds/{round}/sheets/{sheet}",
                axum::routing::get(
                    |$extractor((round, sheet)): $extractor<(
                        juri_domain::ids::RoundId,
                        juri_domain::ids::AssignmentId,
                    )>| async move { format!("{round} {sheet}") },
                ),
            )
    };
}
#[cfg(test)]
pub(crate) use path_suite_router;

/// What the tests of the API's and the pages' path extractors share.
#[cfg(test)]
pub(crate) mod testing {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use http_body_util::BodyExt;
    use juri_domain::ids::{AssignmentId, EntryId, RoundId};
    use juri_text::Language;
    use tower::ServiceExt;

    /// A response, read whole.
    #[derive(Debug, PartialEq, Eq)]
    pub(crate) struct Answer {
        pub status: StatusCode,
        pub content_type: String,
        pub body: String,
    }

    pub(crate) async fn answer(app: Router, req: Request<Body>) -> Answer {
        let res = app.oneshot(req).await.expect("infallible");
        let status = res.status();
        let content_type = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Answer {
            status,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// Ways of writing `id`, good and bad, on which an extractor must answer what
    /// `FromStr` by hand answered.
    pub(crate) fn id_forms(id: EntryId) -> Vec<String> {
        let simple = id.as_uuid().simple().to_string();
        vec![
            id.to_string(),
            id.to_string().to_uppercase(),
            simple.clone(),
            format!("%7B{id}%7D"),
            format!("urn:uuid:{id}"),
            simple[1..].to_owned(),
            format!("{id}0"),
            "x".repeat(36),
        ]
    }

    /// The suite both path extractors pass, through `call` (a language and a URI to an
    /// answer) on a router with `/entries/{id}` (the extractor, answering the id),
    /// `/by-hand/{id}` (the handlers' parsing it replaced) and
    /// `/rounds/{round}/sheets/{sheet}` (two ids, answering both). `not_found` checks a
    /// refusal in the language asked for.
    pub(crate) async fn path_suite<F, Fut>(call: F, not_found: fn(&Answer, Language))
    where
        F: Fn(Language, String) -> Fut,
        Fut: Future<Output = Answer>,
    {
        let id = EntryId::new();
        let a = call(Language::Id, format!("/entries/{id}")).await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.body, id.to_string());
        for lang in [Language::Id, Language::En] {
            for bad in ["42", "not-an-id", "..%2Fetc", "%FF"] {
                not_found(&call(lang, format!("/entries/{bad}")).await, lang);
            }
            for form in id_forms(id) {
                let typed = call(lang, format!("/entries/{form}")).await;
                let by_hand = call(lang, format!("/by-hand/{form}")).await;
                assert_eq!(typed, by_hand, "{form}");
            }
        }
        let (round, sheet) = (RoundId::new(), AssignmentId::new());
        let a = call(Language::Id, format!("/rounds/{round}/sheets/{sheet}")).await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.body, format!("{round} {sheet}"));
        for uri in [
            format!("/rounds/nope/sheets/{sheet}"),
            format!("/rounds/{round}/sheets/nope"),
        ] {
            not_found(&call(Language::En, uri).await, Language::En);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{Answer, answer, path_suite};
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::extract::Path;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use juri_domain::ids::EntryId;
    use juri_text::Language;

    fn app() -> Router {
        // What the handlers did before: the reference the extractor must match.
        path_suite_router!(ApiPath, |Path(id): Path<String>| async move {
            let id: EntryId = id.parse()?;
            Ok::<_, ApiError>(id.to_string())
        })
        // A handler that wants more segments than its route has.
        .route(
            "/wrong/{id}",
            get(|ApiPath((a, b)): ApiPath<(EntryId, EntryId)>| async move { format!("{a} {b}") }),
        )
    }

    async fn call(lang: Language, uri: String) -> Answer {
        let req = Request::builder()
            .uri(uri)
            .body(Body::empty())
            .expect("request");
        crate::language::scope(lang, answer(app(), req)).await
    }

    fn assert_not_found(a: &Answer, lang: Language) {
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
        assert_eq!(a.content_type, crate::error::PROBLEM_JSON);
        let doc: serde_json::Value = serde_json::from_str(&a.body).expect("json");
        assert_eq!(doc["type"], "/problems/not-found");
        assert_eq!(doc["status"], 404);
        assert_eq!(doc["detail"], juri_text::text(lang, "problem.not_found"));
    }

    #[tokio::test]
    async fn a_malformed_id_is_a_404_problem_document_in_the_callers_language() {
        path_suite(call, assert_not_found).await;
    }

    #[tokio::test]
    async fn a_route_that_disagrees_with_its_handler_is_a_500_problem_document() {
        let a = call(Language::Id, format!("/wrong/{}", EntryId::new())).await;
        assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(a.content_type, crate::error::PROBLEM_JSON);
        assert!(!a.body.contains("parameters"), "no internals: {}", a.body);
    }
}
