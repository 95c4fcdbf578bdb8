//! Judging: rounds and rubrics, the panel, conflicts, assignments (automatic and by
//! hand), score sheets, progress, closing and advancing rounds.

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::requirements::{DeclareConflict, ManageJudging, ScoreEntries};
use crate::extract::{ApiJson, ApiPath, AuthUser, Can};
use crate::state::AppState;
use crate::views;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use juri_domain::Message;
use juri_domain::conflict::{ConflictTarget, conflict_reason};
use juri_domain::entry::Entry;
use juri_domain::ids::{AssignmentId, EditionId, RoundId, UserId};
use juri_domain::round::{Assignment, DEFAULT_DISAGREEMENT, Round, RoundSettings};
use juri_domain::rubric::{CriterionInput, Rubric, ScoreValue};
use juri_domain::scoring::AdvanceRule;
use juri_domain::user::Role;
use juri_domain::{Error, FieldError};
use juri_persistence::AssignFailure;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricBody {
    #[schema(value_type = Vec<views::CriterionInput>)]
    criteria: Vec<CriterionInput>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundBody {
    name: String,
    position: i32,
    rubric: RubricBody,
    judges_per_entry: u32,
    #[serde(default)]
    aggregation: views::Aggregation,
    weight: Option<f64>,
    blind: Option<bool>,
    disagreement_threshold: Option<f64>,
    #[serde(default)]
    peer_sheets: views::PeerSheets,
    #[serde(default)]
    judge_names_visible: bool,
}

#[utoipa::path(post, path = "/editions/{id}/rounds", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), request_body = RoundBody, responses((status = 201, description = "The new round", body = views::Round)))]
pub async fn create_round(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(edition): ApiPath<EditionId>,
    ApiJson(b): ApiJson<RoundBody>,
) -> ApiResult<(StatusCode, Json<views::Round>)> {
    let e = state.store.edition(edition).await?;
    let rubric = Rubric::parse(b.rubric.criteria);
    let settings = RoundSettings {
        name: b.name,
        position: b.position,
        judges_per_entry: b.judges_per_entry,
        aggregation: b.aggregation.into(),
        weight: b.weight,
        blind: b.blind.unwrap_or(e.blind_judging),
        disagreement_threshold: b.disagreement_threshold.unwrap_or(DEFAULT_DISAGREEMENT),
        peer_sheets: b.peer_sheets.into(),
        judge_names_visible: b.judge_names_visible,
    }
    .check();
    // One answer lists the faults of both the settings and the rubric.
    let (settings, rubric) = match (settings, rubric) {
        (Ok(s), Ok(r)) => (s, r),
        (s, r) => {
            let mut errors = Vec::new();
            for e in [s.err(), r.err()].into_iter().flatten() {
                if let Error::Invalid(mut list) = e {
                    errors.append(&mut list);
                }
            }
            return Err(Error::Invalid(errors).into());
        }
    };
    let round = state
        .store
        .create_round(edition, settings, rubric, can.caller.user.id, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(round.into())))
}

#[utoipa::path(get, path = "/editions/{id}/rounds", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), responses((status = 200, description = "The edition's rounds", body = Vec<views::Round>)))]
pub async fn list_rounds(
    State(state): State<AppState>,
    _can: Can<ManageJudging>,
    ApiPath(edition): ApiPath<EditionId>,
) -> ApiResult<Json<Vec<views::Round>>> {
    Ok(Json(views::list(state.store.rounds(edition).await?)))
}

#[utoipa::path(get, path = "/rounds/{id}", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, description = "One round", body = views::Round)))]
pub async fn get_round(
    State(state): State<AppState>,
    _can: Can<ManageJudging>,
    ApiPath(id): ApiPath<RoundId>,
) -> ApiResult<Json<views::Round>> {
    Ok(Json(state.store.round(id).await?.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundPatch {
    name: Option<String>,
    position: Option<i32>,
    rubric: Option<RubricBody>,
    judges_per_entry: Option<u32>,
    aggregation: Option<views::Aggregation>,
    #[serde(default, deserialize_with = "crate::extract::json::nullable")]
    weight: Option<Option<f64>>,
    blind: Option<bool>,
    disagreement_threshold: Option<f64>,
    peer_sheets: Option<views::PeerSheets>,
    judge_names_visible: Option<bool>,
}

/// Change a round; its rubric only until the first sheet is submitted.
#[utoipa::path(patch, path = "/rounds/{id}", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), request_body = RoundPatch, responses((status = 200, description = "The changed round", body = views::Round)))]
pub async fn update_round(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(id): ApiPath<RoundId>,
    ApiJson(b): ApiJson<RoundPatch>,
) -> ApiResult<Json<views::Round>> {
    let current = state.store.round(id).await?;
    let mut s = RoundSettings::of(&current);
    if let Some(v) = b.name {
        s.name = v;
    }
    if let Some(v) = b.position {
        s.position = v;
    }
    if let Some(v) = b.judges_per_entry {
        s.judges_per_entry = v;
    }
    if let Some(v) = b.aggregation {
        s.aggregation = v.into();
    }
    if let Some(v) = b.weight {
        s.weight = v;
    }
    if let Some(v) = b.blind {
        s.blind = v;
    }
    if let Some(v) = b.disagreement_threshold {
        s.disagreement_threshold = v;
    }
    if let Some(v) = b.peer_sheets {
        s.peer_sheets = v.into();
    }
    if let Some(v) = b.judge_names_visible {
        s.judge_names_visible = v;
    }
    let settings = s.check()?;
    let rubric = b.rubric.map(|r| Rubric::parse(r.criteria)).transpose()?;
    Ok(Json(
        state
            .store
            .update_round(id, settings, rubric, can.caller.user.id, state.now())
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelBody {
    judge_id: views::UserId,
    #[serde(default)]
    expertise: Vec<views::FieldId>,
}

#[utoipa::path(post, path = "/editions/{id}/judges", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), request_body = PanelBody, responses((status = 201, description = "The judge on the panel", body = views::PanelMember)))]
pub async fn add_judge(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(edition): ApiPath<EditionId>,
    ApiJson(b): ApiJson<PanelBody>,
) -> ApiResult<(StatusCode, Json<views::PanelMember>)> {
    let m = state
        .store
        .put_panel_judge(
            edition,
            b.judge_id.into(),
            views::list(b.expertise),
            can.caller.user.id,
            state.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

#[utoipa::path(get, path = "/editions/{id}/judges", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Edition id")), responses((status = 200, description = "The panel", body = Vec<views::PanelMember>)))]
pub async fn list_judges(
    State(state): State<AppState>,
    _can: Can<ManageJudging>,
    ApiPath(edition): ApiPath<EditionId>,
) -> ApiResult<Json<Vec<views::PanelMember>>> {
    Ok(Json(views::list(state.store.panel(edition).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConflictBody {
    entry_id: Option<views::EntryId>,
    organisation_id: Option<views::OrganisationId>,
    /// Organisers declare for a judge; judges declare for themselves.
    judge_id: Option<views::UserId>,
    #[serde(default = "other_kind")]
    kind: views::ConflictKind,
    reason: String,
}

fn other_kind() -> views::ConflictKind {
    views::ConflictKind::Other
}

#[utoipa::path(post, path = "/conflicts", tag = "judging", security(("bearer" = [])), request_body = ConflictBody, responses((status = 201, description = "The conflict, and the assignments it removed", body = views::ConflictOutcome)))]
pub async fn declare_conflict(
    State(state): State<AppState>,
    can: Can<DeclareConflict>,
    ApiJson(b): ApiJson<ConflictBody>,
) -> ApiResult<(StatusCode, Json<views::ConflictOutcome>)> {
    let caller = &can.caller.user;
    let judge = match (caller.role, b.judge_id.map(UserId::from)) {
        (Role::Judge, None) => caller.id,
        (Role::Judge, Some(j)) if j == caller.id => caller.id,
        (Role::Judge, Some(_)) => return Err(Error::Forbidden.into()),
        (_, Some(j)) => j,
        (_, None) => {
            return Err(Error::invalid(
                "judge_id",
                "required",
                Message::new("field.judging.required"),
            )
            .into());
        }
    };
    let target = match (b.entry_id, b.organisation_id) {
        (Some(e), None) => ConflictTarget::Entry(e.into()),
        (None, Some(o)) => ConflictTarget::Organisation(o.into()),
        _ => {
            return Err(Error::invalid(
                "entry_id",
                "one_target",
                Message::new("field.judging.one_target"),
            )
            .into());
        }
    };
    let reason = conflict_reason(&b.reason)?;
    let outcome = state
        .store
        .declare_conflict(caller, judge, target, b.kind.into(), reason, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(outcome.into())))
}

fn infeasible(shortfalls: Vec<juri_persistence::Shortfall>) -> Response {
    #[derive(Serialize)]
    struct Body {
        #[serde(flatten)]
        problem: Problem,
        entries: Vec<views::Shortfall>,
    }
    let errors = shortfalls
        .iter()
        .map(|s| {
            FieldError::new(
                format!("entries.{}", s.entry_id),
                "not_enough_judges",
                Message::new("field.judging.not_enough_judges")
                    .with("title", &s.title)
                    .with("available", s.available)
                    .with("needed", s.needed),
            )
        })
        .collect::<Vec<_>>();
    let problem = Problem::keyed(StatusCode::UNPROCESSABLE_ENTITY, "problem.infeasible")
        .with_errors(&errors, crate::language::current());
    let mut res = (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(Body {
            problem,
            entries: views::list(shortfalls),
        }),
    )
        .into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(crate::error::PROBLEM_JSON),
    );
    res
}

#[utoipa::path(post, path = "/rounds/{id}/assignments/auto", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, description = "The assignment and its statistics", body = views::AutoAssignment), (status = 422, description = "No assignment exists: the entries that cannot get enough judges", body = crate::openapi::Infeasible, content_type = "application/problem+json"), (status = 429, description = "Too many expensive requests", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn auto_assign(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(round): ApiPath<RoundId>,
) -> Result<Json<views::AutoAssignment>, Response> {
    // A min-cost flow over every entry and judge: counted as expensive (security.md 16).
    state
        .expensive(can.caller.user.id)
        .map_err(IntoResponse::into_response)?;
    match state
        .store
        .auto_assign(round, can.caller.user.id, state.now())
        .await
    {
        Ok(a) => Ok(Json(a.into())),
        Err(AssignFailure::Infeasible(s)) => Err(infeasible(s)),
        Err(AssignFailure::Store(e)) => Err(ApiError::from(e).into_response()),
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairBody {
    entry_id: views::EntryId,
    judge_id: views::UserId,
}

#[utoipa::path(post, path = "/rounds/{id}/assignments", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), request_body = PairBody, responses((status = 201, description = "The new assignment", body = views::Assignment)))]
pub async fn assign(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(round): ApiPath<RoundId>,
    ApiJson(b): ApiJson<PairBody>,
) -> ApiResult<(StatusCode, Json<views::Assignment>)> {
    let a = state
        .store
        .assign_by_hand(
            round,
            b.entry_id.into(),
            b.judge_id.into(),
            can.caller.user.id,
            state.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

#[utoipa::path(delete, path = "/rounds/{id}/assignments", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), request_body = PairBody, responses((status = 204, description = "The assignment is removed")))]
pub async fn unassign(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(round): ApiPath<RoundId>,
    ApiJson(b): ApiJson<PairBody>,
) -> ApiResult<StatusCode> {
    state
        .store
        .unassign(
            round,
            b.entry_id.into(),
            b.judge_id.into(),
            can.caller.user.id,
            state.now(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/me/assignments", tag = "judging", security(("bearer" = [])), responses((status = 200, description = "What the judge must score, with status", body = Vec<views::MyAssignment>)))]
pub async fn my_assignments(
    State(state): State<AppState>,
    can: Can<ScoreEntries>,
) -> ApiResult<Json<Vec<views::MyAssignment>>> {
    Ok(Json(views::list(
        state.store.my_assignments(can.caller.user.id).await?,
    )))
}

/// The entry as a judge sees it: in a blind round, nothing that names who submitted it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JudgeEntryView {
    id: views::EntryId,
    title: String,
    field_id: Option<views::FieldId>,
    track_id: Option<views::TrackId>,
    status: views::Status,
    summary: String,
    problem: String,
    solution: String,
    how_it_works: String,
    impact: String,
    cost: String,
    replicability: String,
    sustainability: String,
    stakeholders: String,
    started_on: Option<NaiveDate>,
    video_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    submitter_id: Option<views::UserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organisation_id: Option<views::OrganisationId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<Vec<views::TeamMember>>,
}

impl JudgeEntryView {
    fn new(e: Entry, blind: bool) -> Self {
        let c = e.content;
        JudgeEntryView {
            id: e.id.into(),
            title: c.title,
            field_id: c.field_id.map(Into::into),
            track_id: c.track_id.map(Into::into),
            status: e.status.into(),
            summary: c.summary,
            problem: c.problem,
            solution: c.solution,
            how_it_works: c.how_it_works,
            impact: c.impact,
            cost: c.cost,
            replicability: c.replicability,
            sustainability: c.sustainability,
            stakeholders: c.stakeholders,
            started_on: c.started_on,
            video_url: c.video_url,
            submitter_id: (!blind).then_some(e.submitter_id.into()),
            organisation_id: if blind {
                None
            } else {
                c.organisation_id.map(Into::into)
            },
            team: (!blind).then(|| views::list(c.team)),
        }
    }
}

/// Another judge's submitted sheet, as this caller may see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PeerSheet {
    judge: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    judge_id: Option<views::UserId>,
    score: Option<f64>,
    sheet: views::Sheet,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssignmentView {
    id: views::AssignmentId,
    round: views::Round,
    entry: JudgeEntryView,
    attachments: Vec<views::Attachment>,
    sheet: views::Sheet,
    /// `S_je` of this sheet once every criterion has a value.
    score: Option<f64>,
    peer_sheets: Vec<PeerSheet>,
}

fn score_of(round: &Round, values: &[ScoreValue]) -> Option<f64> {
    round.rubric.score(|c| {
        values
            .iter()
            .find(|v| v.criterion_id == c)
            .and_then(|v| v.value)
    })
}

fn etag(version: i64) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("\"{version}\"")).ok()
}

#[utoipa::path(get, path = "/assignments/{id}", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Assignment id")), responses((status = 200, description = "The entry as the judge may see it, the rubric and the sheet", body = AssignmentView, headers(("ETag" = String, description = "The sheet's version")))))]
pub async fn get_assignment(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<AssignmentId>,
) -> ApiResult<Response> {
    let user = &caller.user;
    let d = state.store.assignment_detail(id, user).await?;
    let (a, round) = (d.assignment, d.round);
    let organiser = user.role == Role::Organiser;
    let mut peer_views = Vec::with_capacity(d.peers.len());
    for (i, (p, name)) in d.peers.into_iter().enumerate() {
        let (judge, judge_id) = match name {
            Some(name) => (name, Some(p.judge_id.into())),
            None => (format!("Juri {}", i + 1), None),
        };
        peer_views.push(PeerSheet {
            judge,
            judge_id,
            score: score_of(&round, &p.sheet.scores),
            sheet: p.sheet.into(),
        });
    }
    let view = AssignmentView {
        id: a.id.into(),
        score: score_of(&round, &a.sheet.scores),
        entry: JudgeEntryView::new(d.entry, round.blind && !organiser),
        attachments: views::list(d.attachments),
        sheet: a.sheet.clone().into(),
        round: round.into(),
        peer_sheets: peer_views,
    };
    let mut res = Json(view).into_response();
    if let Some(v) = etag(a.sheet.version) {
        res.headers_mut().insert(header::ETAG, v);
    }
    Ok(res)
}

/// The body of a save: the domain's type, so the fuzz target (`fuzz/`) reads the
/// same bytes the same way; `views::SheetInput` documents it.
pub type SheetBody = juri_domain::round::SheetInput;

fn if_match(headers: &HeaderMap) -> Option<i64> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|s| {
            s.trim()
                .trim_start_matches("W/")
                .trim_matches('"')
                .to_owned()
        })
        .and_then(|s| s.parse().ok())
}

fn sheet_response(a: Assignment) -> Response {
    let tag = etag(a.sheet.version);
    let mut res = Json(views::Assignment::from(a)).into_response();
    if let Some(v) = tag {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

#[utoipa::path(put, path = "/assignments/{id}/sheet", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Assignment id"), ("If-Match" = Option<String>, Header, description = "The sheet's ETag read last; a stale one is refused with 409")), request_body = views::SheetInput, responses((status = 200, description = "The saved draft sheet", body = views::Assignment, headers(("ETag" = String, description = "The sheet's new version")))))]
pub async fn save_sheet(
    State(state): State<AppState>,
    can: Can<ScoreEntries>,
    ApiPath(id): ApiPath<AssignmentId>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<SheetBody>,
) -> ApiResult<Response> {
    let expected = if_match(&headers).or(b.version);
    let a = state
        .store
        .save_sheet(
            id,
            &can.caller.user,
            b.scores,
            b.comment,
            expected,
            state.now(),
        )
        .await?;
    Ok(sheet_response(a))
}

#[utoipa::path(post, path = "/assignments/{id}/sheet/submit", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Assignment id")), responses((status = 200, description = "The submitted sheet, now read-only", body = views::Assignment, headers(("ETag" = String, description = "The sheet's new version")))))]
pub async fn submit_sheet(
    State(state): State<AppState>,
    can: Can<ScoreEntries>,
    ApiPath(id): ApiPath<AssignmentId>,
) -> ApiResult<Response> {
    let a = state
        .store
        .submit_sheet(id, &can.caller.user, state.now())
        .await?;
    Ok(sheet_response(a))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenBody {
    reason: String,
}

#[utoipa::path(post, path = "/assignments/{id}/sheet/reopen", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Assignment id")), request_body = ReopenBody, responses((status = 200, description = "The sheet, back in draft", body = views::Assignment, headers(("ETag" = String, description = "The sheet's new version")))))]
pub async fn reopen_sheet(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(id): ApiPath<AssignmentId>,
    ApiJson(b): ApiJson<ReopenBody>,
) -> ApiResult<Response> {
    let a = state
        .store
        .reopen_sheet(id, can.caller.user.id, &b.reason, state.now())
        .await?;
    Ok(sheet_response(a))
}

#[utoipa::path(get, path = "/rounds/{id}/progress", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, description = "Sheets done and total per judge and per entry", body = views::Progress)))]
pub async fn progress(
    State(state): State<AppState>,
    _can: Can<ManageJudging>,
    ApiPath(round): ApiPath<RoundId>,
) -> ApiResult<Json<views::Progress>> {
    Ok(Json(state.store.progress(round).await?.into()))
}

#[utoipa::path(post, path = "/rounds/{id}/close", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, description = "The closed round", body = views::Round)))]
pub async fn close_round(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(round): ApiPath<RoundId>,
) -> ApiResult<Json<views::Round>> {
    Ok(Json(
        state
            .store
            .close_round(round, can.caller.user.id, state.now())
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvanceBody {
    top_n_per_track: Option<usize>,
    min_score: Option<f64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Advanced {
    advanced: Vec<views::EntryId>,
    at: DateTime<Utc>,
}

#[utoipa::path(post, path = "/rounds/{id}/advance", tag = "judging", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), request_body = AdvanceBody, responses((status = 200, description = "The entries moved into the next round", body = Advanced)))]
pub async fn advance(
    State(state): State<AppState>,
    can: Can<ManageJudging>,
    ApiPath(round): ApiPath<RoundId>,
    ApiJson(b): ApiJson<AdvanceBody>,
) -> ApiResult<Json<Advanced>> {
    let rule = AdvanceRule::choose(b.top_n_per_track, b.min_score)?;
    let now = state.now();
    let advanced = state
        .store
        .advance(round, rule, can.caller.user.id, now)
        .await?;
    Ok(Json(Advanced {
        advanced: views::list(advanced),
        at: now,
    }))
}
