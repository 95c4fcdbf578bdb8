//! The pages' door, the API's in page form. [`PageCan<R>`] is the API's `Can<R>`: only a
//! signed-in caller whose role may do `R::ACTION` gets one, so a handler that takes it
//! cannot run for anyone else. [`PagePath<T>`] is the API's `ApiPath<T>`: the path's
//! ids, parsed. Both refuse as pages do (the sign-in detour, the 403 or 404 page in
//! the page's language), before the handler runs and before the body is read: put
//! them before a `Form` or `Multipart`, and `PageCan` before `PagePath`, so that a
//! stranger learns nothing from an id.

use crate::extract::{ApiPath, AuthUser, Requirement};
use crate::pages::{Ctx, PageError, i18n};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use juri_domain::access::authorize;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

/// The page's context with proof that its caller may do `R::ACTION`.
#[derive(Debug, Clone)]
pub struct PageCan<R: Requirement> {
    pub ctx: Ctx,
    pub caller: AuthUser,
    _requirement: PhantomData<R>,
}

impl<R: Requirement> FromRequestParts<AppState> for PageCan<R> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let Ok(ctx) = Ctx::from_request_parts(parts, state).await;
        // A visitor takes the detour through the session renewal to sign in.
        let caller = ctx.require()?.clone();
        // Anyone else signed in is refused by the same table as the API (403).
        authorize(caller.user.role, R::ACTION).map_err(|e| PageError::new(e, &ctx))?;
        Ok(PageCan {
            ctx,
            caller,
            _requirement: PhantomData,
        })
    }
}

/// Path segments, as [`ApiPath`] parses them: a segment that does not parse names
/// nothing, the 404 page; a route and handler that disagree, the 500 page.
#[derive(Debug, Clone, Copy)]
pub struct PagePath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PagePath<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        match ApiPath::<T>::from_request_parts(parts, state).await {
            Ok(ApiPath(t)) => Ok(PagePath(t)),
            // Refused as a page that keeps the caller's header when `PageCan` (or
            // `Ctx`) before this has authenticated; the language alone otherwise.
            Err(e) => {
                let ctx = parts
                    .extensions
                    .get::<Ctx>()
                    .cloned()
                    .unwrap_or_else(|| Ctx::anonymous(i18n::from_cookie(&parts.headers)));
                Err(PageError::new(e, &ctx))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::path_suite_router;
    use crate::extract::testing::{Answer, answer, path_suite};
    use crate::pages::{PageResultExt, session};
    use axum::Router;
    use axum::body::Body;
    use axum::extract::Path;
    use axum::http::{HeaderMap, Request, StatusCode, header};
    use juri_domain::ids::EntryId;
    use juri_text::Language;

    fn app() -> Router {
        // What the page handlers did before: the reference the extractor must match.
        path_suite_router!(
            PagePath,
            |headers: HeaderMap, Path(id): Path<String>| async move {
                let ctx = Ctx::anonymous(i18n::from_cookie(&headers));
                let id: EntryId = id.parse().page(&ctx)?;
                Ok::<_, PageError>(id.to_string())
            }
        )
    }

    async fn call(lang: Language, uri: String) -> Answer {
        let req = Request::builder()
            .uri(uri)
            .header(
                header::COOKIE,
                format!("{}={}", session::LANG_COOKIE, lang.code()),
            )
            .body(Body::empty())
            .expect("request");
        answer(app(), req).await
    }

    fn assert_not_found_page(a: &Answer, lang: Language) {
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
        assert!(
            a.content_type.starts_with("text/html"),
            "{}",
            a.content_type
        );
        assert!(
            a.body
                .contains(&format!(r#"<html lang="{}">"#, lang.code()))
        );
        assert!(a.body.contains(juri_text::text(lang, "error.not_found")));
    }

    #[tokio::test]
    async fn a_malformed_id_is_the_not_found_page_in_the_page_s_language() {
        // `%FF` too, which axum's `Path<String>` answered with a 400 in plain text.
        path_suite(call, assert_not_found_page).await;
    }
}
