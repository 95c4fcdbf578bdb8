//! `/entries` and `/editions/{id}/entries`: submitters draft, edit, submit and withdraw
//! their own entries; organisers see all and screen them. Another user's entry is
//! always 404.

use crate::error::ApiResult;
use crate::extract::requirements::{CreateEntry, ListEntries, ScreenEntries};
use crate::extract::{ApiJson, ApiPath, ApiQuery, AuthUser, Can};
use crate::routes::pagination::PageQuery;
use crate::state::AppState;
use crate::views;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::entry::{Content, ContentPatch, Entry, Event};
use juri_domain::ids::{EditionId, EntryId};
use juri_domain::user::Role;
use juri_persistence::EntryFilter;
use serde::Deserialize;

/// An entry with its version as an ETag, for `If-Match` on the next write.
fn with_etag(status: StatusCode, entry: Entry) -> Response {
    let etag = HeaderValue::from_str(&format!("\"{}\"", entry.version)).ok();
    let mut res = (status, Json(views::Entry::from(entry))).into_response();
    if let Some(v) = etag {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// `If-Match: "3"` (or `W/"3"`), if sent.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, Error> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    v.to_str()
        .ok()
        .map(|s| s.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|s| s.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| {
            Error::invalid(
                "If-Match",
                "invalid_etag",
                Message::new("field.entries.invalid_etag"),
            )
        })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEntryBody {
    title: String,
    field_id: Option<views::FieldId>,
    track_id: Option<views::TrackId>,
    organisation_id: Option<views::OrganisationId>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    problem: String,
    #[serde(default)]
    solution: String,
    #[serde(default)]
    how_it_works: String,
    #[serde(default)]
    impact: String,
    #[serde(default)]
    cost: String,
    #[serde(default)]
    replicability: String,
    #[serde(default)]
    sustainability: String,
    #[serde(default)]
    stakeholders: String,
    started_on: Option<NaiveDate>,
    #[serde(default)]
    team: Vec<views::TeamMember>,
    video_url: Option<String>,
    #[serde(default)]
    publication_consent: bool,
}

#[utoipa::path(post, path = "/editions/{id}/entries", tag = "entries", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), request_body = CreateEntryBody, responses((status = 201, description = "The new draft; its version is the ETag", body = views::Entry, headers(("ETag" = String, description = "The entry's version, for If-Match")))))]
pub async fn create(
    State(state): State<AppState>,
    can: Can<CreateEntry>,
    ApiPath(edition): ApiPath<EditionId>,
    ApiJson(b): ApiJson<CreateEntryBody>,
) -> ApiResult<Response> {
    let (field_id, track_id) = (b.field_id.map(Into::into), b.track_id.map(Into::into));
    juri_domain::entry::require_categories(field_id, track_id)?;
    let content = Content {
        title: b.title,
        field_id,
        track_id,
        organisation_id: b.organisation_id.map(Into::into),
        summary: b.summary,
        problem: b.problem,
        solution: b.solution,
        how_it_works: b.how_it_works,
        impact: b.impact,
        cost: b.cost,
        replicability: b.replicability,
        sustainability: b.sustainability,
        stakeholders: b.stakeholders,
        started_on: b.started_on,
        team: views::list(b.team),
        video_url: b.video_url,
        publication_consent: b.publication_consent,
    };
    let entry = state
        .store
        .create_entry(edition, &can.caller.user, content, state.now())
        .await?;
    Ok(with_etag(StatusCode::CREATED, entry))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    edition: Option<views::EditionId>,
    status: Option<views::Status>,
    field: Option<views::FieldId>,
    track: Option<views::TrackId>,
    organisation: Option<views::OrganisationId>,
    q: Option<String>,
    /// From 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    page: Option<u64>,
    /// 1 to 100; 20 by default.
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u64>,
}

#[utoipa::path(get, path = "/entries", tag = "entries", security(("bearer" = [])), params(ListQuery), responses((status = 200, description = "A submitter's own entries; an organiser's all", body = views::Page<views::Entry>)))]
pub async fn list(
    State(state): State<AppState>,
    can: Can<ListEntries>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<views::Page<views::Entry>>> {
    let (page, per_page) = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .resolve()?;
    let user = &can.caller.user;
    let filter = EntryFilter {
        // A submitter lists their own entries only, whatever else they ask.
        submitter: (user.role != Role::Organiser).then_some(user.id),
        edition: q.edition.map(Into::into),
        status: q.status.map(Into::into),
        field: q.field.map(Into::into),
        track: q.track.map(Into::into),
        organisation: q.organisation.map(Into::into),
        q: q.q,
    };
    Ok(Json(
        state.store.entries(filter, page, per_page).await?.into(),
    ))
}

#[utoipa::path(get, path = "/entries/{id}", tag = "entries", security(("bearer" = [])), params(("id" = String, Path, description = "Entry id")), responses((status = 200, description = "The entry", body = views::Entry, headers(("ETag" = String, description = "The entry's version, for If-Match")))))]
pub async fn get(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<EntryId>,
) -> ApiResult<Response> {
    let entry = state.store.entry_for(id, &caller.user, false).await?;
    Ok(with_etag(StatusCode::OK, entry))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    title: Option<String>,
    field_id: Option<views::FieldId>,
    track_id: Option<views::TrackId>,
    #[serde(default, deserialize_with = "crate::extract::json::nullable")]
    organisation_id: Option<Option<views::OrganisationId>>,
    summary: Option<String>,
    problem: Option<String>,
    solution: Option<String>,
    how_it_works: Option<String>,
    impact: Option<String>,
    cost: Option<String>,
    replicability: Option<String>,
    sustainability: Option<String>,
    stakeholders: Option<String>,
    #[serde(default, deserialize_with = "crate::extract::json::nullable")]
    started_on: Option<Option<NaiveDate>>,
    team: Option<Vec<views::TeamMember>>,
    #[serde(default, deserialize_with = "crate::extract::json::nullable")]
    video_url: Option<Option<String>>,
    publication_consent: Option<bool>,
    /// The version the client read (alternative to `If-Match`).
    version: Option<i64>,
}

#[utoipa::path(patch, path = "/entries/{id}", tag = "entries", security(("bearer" = [])), params(("id" = String, Path, description = "Entry id"), ("If-Match" = Option<String>, Header, description = "The ETag read last; a stale one is refused with 409")), request_body = PatchBody, responses((status = 200, description = "The changed entry", body = views::Entry, headers(("ETag" = String, description = "The entry's new version")))))]
pub async fn update(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<EntryId>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<PatchBody>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?.or(b.version);
    let patch = ContentPatch {
        title: b.title,
        field_id: b.field_id.map(Into::into),
        track_id: b.track_id.map(Into::into),
        organisation_id: b.organisation_id.map(|o| o.map(Into::into)),
        summary: b.summary,
        problem: b.problem,
        solution: b.solution,
        how_it_works: b.how_it_works,
        impact: b.impact,
        cost: b.cost,
        replicability: b.replicability,
        sustainability: b.sustainability,
        stakeholders: b.stakeholders,
        started_on: b.started_on,
        team: b.team.map(views::list),
        video_url: b.video_url,
        publication_consent: b.publication_consent,
    };
    let entry = state
        .store
        .update_entry(id, &caller.user, patch, expected, state.now())
        .await?;
    Ok(with_etag(StatusCode::OK, entry))
}

#[utoipa::path(delete, path = "/entries/{id}", tag = "entries", security(("bearer" = [])), params(("id" = String, Path, description = "Entry id")), responses((status = 204, description = "The draft is deleted")))]
pub async fn delete(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<EntryId>,
) -> ApiResult<StatusCode> {
    let blobs = state
        .store
        .delete_entry(id, &caller.user, state.now())
        .await?;
    for sha in blobs {
        crate::routes::attachments::forget_blob(&state, &sha).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/entries/{id}/submit", tag = "entries", security(("bearer" = [])), params(("id" = String, Path, description = "Entry id")), responses((status = 200, description = "The submitted entry", body = views::Entry, headers(("ETag" = String, description = "The entry's new version")))))]
pub async fn submit(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<EntryId>,
) -> ApiResult<Response> {
    let entry = state
        .store
        .transition_entry(id, &caller.user, Event::Submit, None, state.now())
        .await?;
    Ok(with_etag(StatusCode::OK, entry))
}

#[utoipa::path(post, path = "/entries/{id}/withdraw", tag = "entries", security(("bearer" = [])), params(("id" = String, Path, description = "Entry id")), responses((status = 200, description = "The withdrawn entry", body = views::Entry, headers(("ETag" = String, description = "The entry's new version")))))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<EntryId>,
) -> ApiResult<Response> {
    let entry = state
        .store
        .transition_entry(id, &caller.user, Event::Withdraw, None, state.now())
        .await?;
    Ok(with_etag(StatusCode::OK, entry))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningBody {
    eligible: bool,
    #[serde(default)]
    reason: Option<String>,
}

#[utoipa::path(post, path = "/entries/{id}/screening", tag = "entries", security(("bearer" = [])), params(("id" = String, Path, description = "Entry id")), request_body = ScreeningBody, responses((status = 200, description = "The screened entry", body = views::Entry, headers(("ETag" = String, description = "The entry's new version")))))]
pub async fn screen(
    State(state): State<AppState>,
    can: Can<ScreenEntries>,
    ApiPath(id): ApiPath<EntryId>,
    ApiJson(b): ApiJson<ScreeningBody>,
) -> ApiResult<Response> {
    let entry = state
        .store
        .transition_entry(
            id,
            &can.caller.user,
            Event::Screen {
                eligible: b.eligible,
            },
            b.reason,
            state.now(),
        )
        .await?;
    Ok(with_etag(StatusCode::OK, entry))
}
