//! The organiser's edition set-up: a new edition, its settings and timeline, its
//! fields (bidang) and tracks (kategori). The rules of what may change in which phase
//! are the store's, as for the API's `PATCH`; a page sends only what was changed, so
//! an unchanged value is never refused for its phase.

use crate::error::ApiError;
use crate::extract::requirements::ManageEditions;
use crate::pages::shared::{form_errors, form_errors_or_conflict_at};
use crate::pages::{
    Ctx, FormErrors, PageCan, PagePath, PageResult, PageResultExt, render, see_other,
};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use juri_domain::Message;
use juri_domain::edition::{
    Edition, EditionChange, EditionDraft, Field, RankingScope, Track, category_name,
};
use juri_domain::ids::{EditionId, FieldId, TrackId};
use juri_domain::user::{SubmitterKind, User};
use juri_domain::{Error, FieldError};
use juri_persistence::{CategoryChange, NewTrack};
use serde::Deserialize;

/// `datetime-local` inputs hold WIB wall-clock times (the pages say so).
fn local(t: &DateTime<Utc>) -> String {
    juri_text::time::to_input(*t)
}

/// The edition form as sent (and shown again).
#[derive(Debug, Default, Deserialize)]
pub struct EditionForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub submission_opens_at: String,
    #[serde(default)]
    pub submission_closes_at: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub blind_judging: Option<String>,
    #[serde(default)]
    pub ranking_scope: String,
}

/// The form's values, parsed; unreadable ones are field errors.
struct Parsed {
    year: i32,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    scope: RankingScope,
}

impl EditionForm {
    fn of(e: &Edition) -> EditionForm {
        EditionForm {
            name: e.name.clone(),
            year: e.year.to_string(),
            submission_opens_at: local(&e.submission_opens_at),
            submission_closes_at: local(&e.submission_closes_at),
            blind_judging: e.blind_judging.then(|| "on".to_owned()),
            ranking_scope: e.ranking_scope.as_str().to_owned(),
        }
    }

    pub fn blind(&self) -> bool {
        self.blind_judging.is_some()
    }

    fn parse(&self) -> Result<Parsed, Error> {
        let mut errors = Vec::new();
        let year = self.year.trim().parse::<i32>().map_err(|_| {
            errors.push(FieldError::new(
                "year",
                "not_a_number",
                Message::new("field.setup.not_a_number"),
            ))
        });
        let mut when = |raw: &str, field: &'static str| {
            juri_text::time::from_input(raw).ok_or_else(|| {
                errors.push(FieldError::new(
                    field,
                    "invalid_date",
                    Message::new("field.setup.invalid_date"),
                ))
            })
        };
        let opens = when(&self.submission_opens_at, "submission_opens_at");
        let closes = when(&self.submission_closes_at, "submission_closes_at");
        let scope = RankingScope::parse(&self.ranking_scope).unwrap_or(RankingScope::PerTrack);
        match (year, opens, closes) {
            (Ok(year), Ok(opens), Ok(closes)) => Ok(Parsed {
                year,
                opens,
                closes,
                scope,
            }),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

fn scopes(ctx: &Ctx) -> Vec<(&'static str, &'static str)> {
    vec![
        (RankingScope::PerTrack.as_str(), ctx.t("setup.per_track")),
        (
            RankingScope::PerTrackAndField.as_str(),
            ctx.t("setup.per_track_and_field"),
        ),
    ]
}

#[derive(Template)]
#[template(path = "org_edition_form.html")]
struct NewEditionPage {
    ctx: Ctx,
    form: EditionForm,
    errors: FormErrors,
    scopes: Vec<(&'static str, &'static str)>,
}

/// `GET /panitia/edisi/baru`.
pub async fn new_edition(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageEditions>,
) -> PageResult {
    let now = state.now();
    let form = EditionForm {
        year: now.format("%Y").to_string(),
        blind_judging: Some("on".to_owned()),
        ranking_scope: RankingScope::PerTrack.as_str().to_owned(),
        ..EditionForm::default()
    };
    Ok(render(
        StatusCode::OK,
        &NewEditionPage {
            scopes: scopes(&ctx),
            ctx,
            form,
            errors: FormErrors::default(),
        },
    ))
}

/// `POST /panitia/edisi/baru`: the edition, with the default fields and tracks.
pub async fn create_edition(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageEditions>,
    Form(form): Form<EditionForm>,
) -> PageResult {
    let user = caller.user;
    let outcome = match form.parse().and_then(|p| {
        EditionDraft::parse(&form.name, p.year, p.opens, p.closes, form.blind(), p.scope)
    }) {
        Ok(draft) => state
            .store
            .create_edition(draft, user.id, state.now())
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(e) => Ok(see_other(&format!("/panitia/edisi/{}/atur?dibuat=1", e.id))),
        Err(e) => {
            let errors = form_errors(e, &ctx)?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &NewEditionPage {
                    scopes: scopes(&ctx),
                    ctx,
                    form,
                    errors,
                },
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "org_setup.html")]
struct SetupPage {
    ctx: Ctx,
    e: Edition,
    form: EditionForm,
    errors: FormErrors,
    scopes: Vec<(&'static str, &'static str)>,
    fields: Vec<Field>,
    tracks: Vec<Track>,
    /// The category form that failed, why, and what was typed into it.
    refused: Option<CategoryRefusal>,
    notice: Option<&'static str>,
}

/// A refused category form: `which` is `field` or `track` for the forms of a new
/// one, or the id of the field or track whose own form it was.
#[derive(Debug)]
struct CategoryRefusal {
    which: String,
    errors: FormErrors,
    form: CategoryChangeForm,
}

impl SetupPage {
    /// The error of `input` on the form `which` (see [`CategoryRefusal`]).
    fn item_error(&self, which: &str, input: &str) -> Option<&str> {
        self.refused
            .as_ref()
            .filter(|r| r.which == which)
            .and_then(|r| r.errors.get(input))
    }

    fn category_error(&self, which: &str) -> Option<&str> {
        self.item_error(which, "name")
    }

    /// What `input` of the item's own form shows: what was typed when it was
    /// refused, else the item's own value.
    fn item_value(&self, which: &str, input: &str, own: impl std::fmt::Display) -> String {
        match self.refused.as_ref().filter(|r| r.which == which) {
            Some(r) => match input {
                "name" => r.form.name.clone().unwrap_or_default(),
                _ => r.form.position.clone().unwrap_or_default(),
            },
            None => own.to_string(),
        }
    }

    fn kind_label(&self, t: &Track) -> &'static str {
        match t.submitter_kind {
            Some(SubmitterKind::Opd) => self.ctx.t("setup.kind_opd"),
            Some(SubmitterKind::Student) => self.ctx.t("setup.kind_student"),
            Some(SubmitterKind::Citizen) => self.ctx.t("setup.kind_citizen"),
            None => self.ctx.t("setup.kind_any"),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SetupNotice {
    #[serde(default)]
    dibuat: String,
    #[serde(default)]
    disimpan: String,
}

#[expect(
    clippy::too_many_arguments,
    reason = "one page with three forms: each can come back with its own errors"
)]
async fn setup_page_with(
    state: &AppState,
    ctx: Ctx,
    id: EditionId,
    status: StatusCode,
    form: Option<EditionForm>,
    errors: FormErrors,
    refused: Option<CategoryRefusal>,
    notice: Option<&'static str>,
) -> PageResult {
    let e = state.store.edition(id).await.page(&ctx)?;
    let fields = state.store.fields(id).await.page(&ctx)?;
    let tracks = state.store.tracks(id).await.page(&ctx)?;
    Ok(render(
        status,
        &SetupPage {
            form: form.unwrap_or_else(|| EditionForm::of(&e)),
            scopes: scopes(&ctx),
            ctx,
            e,
            errors,
            fields,
            tracks,
            refused,
            notice,
        },
    ))
}

/// `GET /panitia/edisi/{id}/atur`: settings and timeline, fields, tracks.
pub async fn setup(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageEditions>,
    PagePath(id): PagePath<EditionId>,
    Query(q): Query<SetupNotice>,
) -> PageResult {
    let notice = ctx.notice(&[(&q.dibuat, "setup.created"), (&q.disimpan, "setup.saved")]);
    setup_page_with(
        &state,
        ctx,
        id,
        StatusCode::OK,
        None,
        FormErrors::default(),
        None,
        notice,
    )
    .await
}

/// `POST /panitia/edisi/{id}/atur`: the changed settings only.
pub async fn update_edition(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageEditions>,
    PagePath(id): PagePath<EditionId>,
    Form(form): Form<EditionForm>,
) -> PageResult {
    let user = caller.user;
    let current = state.store.edition(id).await.page(&ctx)?;
    let outcome = match form.parse() {
        Ok(p) => {
            let name = form.name.trim().to_owned();
            let change = EditionChange {
                name: (name != current.name).then_some(name),
                year: (p.year != current.year).then_some(p.year),
                submission_opens_at: (p.opens != current.submission_opens_at).then_some(p.opens),
                submission_closes_at: (p.closes != current.submission_closes_at)
                    .then_some(p.closes),
                blind_judging: (form.blind() != current.blind_judging).then_some(form.blind()),
                ranking_scope: (p.scope != current.ranking_scope).then_some(p.scope),
            };
            state
                .store
                .update_edition(id, change, user.id, state.now())
                .await
                .map_err(ApiError::from)
        }
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/panitia/edisi/{id}/atur?disimpan=1"))),
        Err(e) => {
            // A change the phase forbids is a conflict: told above the form.
            let errors = form_errors_or_conflict_at(e, "edition", &ctx)?;
            setup_page_with(
                &state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(form),
                errors,
                None,
                None,
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CategoryForm {
    #[serde(default)]
    name: String,
    /// Tracks: `opd`, `student`, `citizen`, or empty for everyone.
    #[serde(default)]
    submitter_kind: String,
    #[serde(default)]
    requires_organisation: Option<String>,
}

/// Show a refused category form on the set-up page (`which`: see
/// [`CategoryRefusal`]), a conflict (a name taken, a phase that forbids it) by its
/// name input.
async fn category_refused(
    state: &AppState,
    ctx: Ctx,
    id: EditionId,
    which: String,
    form: CategoryChangeForm,
    e: ApiError,
) -> PageResult {
    let errors = form_errors_or_conflict_at(e, "name", &ctx)?;
    setup_page_with(
        state,
        ctx,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        FormErrors::default(),
        Some(CategoryRefusal {
            which,
            errors,
            form,
        }),
        None,
    )
    .await
}

/// A new category form's name, to show again when refused.
fn typed(name: &str) -> CategoryChangeForm {
    CategoryChangeForm {
        name: Some(name.to_owned()),
        ..CategoryChangeForm::default()
    }
}

/// `POST /panitia/edisi/{id}/bidang`: a new field.
pub async fn add_field(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageEditions>,
    PagePath(id): PagePath<EditionId>,
    Form(f): Form<CategoryForm>,
) -> PageResult {
    let user = caller.user;
    let outcome = match category_name(&f.name) {
        Ok(name) => state
            .store
            .add_field(id, name, user.id, state.now())
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(Error::from(e).into()),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/panitia/edisi/{id}/atur?disimpan=1"))),
        Err(e) => category_refused(&state, ctx, id, "field".into(), typed(&f.name), e).await,
    }
}

/// `POST /panitia/edisi/{id}/kategori`: a new track.
pub async fn add_track(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageEditions>,
    PagePath(id): PagePath<EditionId>,
    Form(f): Form<CategoryForm>,
) -> PageResult {
    let user = caller.user;
    let kind = match f.submitter_kind.trim() {
        "" => Ok(None),
        k => k.parse::<SubmitterKind>().map(Some),
    };
    let outcome = match (category_name(&f.name).map_err(Error::from), kind) {
        (Ok(name), Ok(kind)) => state
            .store
            .add_track(
                id,
                NewTrack {
                    name,
                    submitter_kind: kind,
                    requires_organisation: f.requires_organisation.is_some(),
                },
                user.id,
                state.now(),
            )
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        (Err(e), _) | (_, Err(e)) => Err(e.into()),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/panitia/edisi/{id}/atur?disimpan=1"))),
        Err(e) => category_refused(&state, ctx, id, "track".into(), typed(&f.name), e).await,
    }
}

/// A field's or track's own form: its name and position, or (the retire button)
/// only `retired`: `1` retires, `0` brings back.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct CategoryChangeForm {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    position: Option<String>,
    #[serde(default)]
    retired: Option<String>,
}

impl CategoryChangeForm {
    /// The change as the API's `PATCH` takes it; an unreadable value is a field error
    /// by its input.
    fn parse(&self) -> Result<CategoryChange, Error> {
        let mut errors = Vec::new();
        let name = self
            .name
            .as_deref()
            .map(category_name)
            .transpose()
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let position = self
            .position
            .as_deref()
            .map(|p| p.trim().parse::<i32>())
            .transpose()
            .map_err(|_| {
                errors.push(FieldError::new(
                    "position",
                    "not_a_whole_number",
                    Message::new("field.setup.not_a_whole_number"),
                ))
            })
            .ok()
            .flatten();
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(CategoryChange {
            name,
            position,
            retired: self.retired.as_deref().map(|r| r == "1"),
        })
    }
}

/// The category of an edition a change is about, a field or a track; one handler
/// serves both.
#[derive(Debug, Clone, Copy)]
enum Category {
    Field(FieldId),
    Track(TrackId),
}

impl Category {
    /// The id, as the page's forms name the item.
    fn item(self) -> String {
        match self {
            Category::Field(id) => id.to_string(),
            Category::Track(id) => id.to_string(),
        }
    }
}

/// Change a field or track of an edition: rename it, move it, retire it or bring it
/// back. A refusal is shown by the item's own form.
async fn change_category(
    state: AppState,
    ctx: Ctx,
    user: User,
    id: EditionId,
    which: Category,
    f: CategoryChangeForm,
) -> PageResult {
    let done = match f.parse() {
        Ok(change) => match which {
            Category::Field(field) => {
                let r = state
                    .store
                    .update_field(id, field, change, user.id, state.now());
                r.await.map(|_| ()).map_err(ApiError::from)
            }
            Category::Track(track) => {
                let r = state
                    .store
                    .update_track(id, track, change, user.id, state.now());
                r.await.map(|_| ()).map_err(ApiError::from)
            }
        },
        Err(e) => Err(e.into()),
    };
    match done {
        Ok(()) => Ok(see_other(&format!("/panitia/edisi/{id}/atur?disimpan=1"))),
        Err(e) => category_refused(&state, ctx, id, which.item(), f, e).await,
    }
}

/// `POST /panitia/edisi/{id}/bidang/{field}`: rename, move, retire or bring back a
/// field.
pub async fn change_field(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageEditions>,
    PagePath((id, field)): PagePath<(EditionId, FieldId)>,
    Form(f): Form<CategoryChangeForm>,
) -> PageResult {
    let which = Category::Field(field);
    change_category(state, ctx, caller.user, id, which, f).await
}

/// `POST /panitia/edisi/{id}/kategori/{track}`: rename, move, retire or bring back a
/// track.
pub async fn change_track(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageEditions>,
    PagePath((id, track)): PagePath<(EditionId, TrackId)>,
    Form(f): Form<CategoryChangeForm>,
) -> PageResult {
    let which = Category::Track(track);
    change_category(state, ctx, caller.user, id, which, f).await
}
