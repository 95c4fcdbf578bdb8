//! The organiser's panel page (`/panitia/edisi/{id}/panel`): the edition's judges with
//! their expertise and declared conflicts; adding a judge or changing their
//! expertise; inviting a new judge (the one-time link is shown once, on the answer
//! page, never in an address); declaring a conflict for a judge. The same store calls
//! and services as `POST /users`, `POST /editions/{id}/judges` and `POST /conflicts`.

use crate::error::ApiError;
use crate::extract::requirements::{ManageAccounts, ManageJudging};
use crate::pages::shared::form_errors_or_conflict_at;
use crate::pages::{
    Ctx, FormErrors, PageCan, PagePath, PageResult, PageResultExt, render, see_other,
};
use crate::services::accounts::{self, Invitation, StaffAccount};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use juri_domain::Message;
use juri_domain::conflict::{ConflictKind, ConflictTarget, conflict_reason};
use juri_domain::edition::{Edition, Field};
use juri_domain::entry::Entry;
use juri_domain::ids::{EditionId, EntryId, FieldId, OrganisationId, UserId};
use juri_domain::organisation::Organisation;
use juri_domain::round::PanelMember;
use juri_domain::user::{Role, User};
use juri_domain::{Error, FieldError};
use juri_persistence::EntryFilter;
use serde::Deserialize;

/// A judge of the panel with what the page shows about them.
#[derive(Debug)]
pub struct Member {
    pub m: PanelMember,
    pub expertise: Vec<String>,
    pub conflicts: Vec<String>,
}

impl Member {
    pub fn has(&self, f: &FieldId) -> bool {
        self.m.expertise.contains(f)
    }
}

#[derive(Template)]
#[template(path = "org_panel.html")]
struct PanelPage {
    ctx: Ctx,
    e: Edition,
    members: Vec<Member>,
    /// Judges not on this panel yet.
    others: Vec<User>,
    fields: Vec<Field>,
    entries: Vec<Entry>,
    organisations: Vec<Organisation>,
    /// Which form failed (`invite`, `add`, `conflict`), and why.
    failed: Option<(&'static str, FormErrors)>,
    invitation: Option<(String, Invitation)>,
    notice: Option<&'static str>,
    kinds: Vec<(&'static str, &'static str)>,
}

impl PanelPage {
    fn error(&self, form: &str, field: &str) -> Option<&str> {
        self.failed
            .as_ref()
            .filter(|(f, _)| *f == form)
            .and_then(|(_, e)| e.get(field))
    }

    fn loose(&self, form: &str, shown: &[&str]) -> Vec<&str> {
        self.failed
            .as_ref()
            .filter(|(f, _)| *f == form)
            .map(|(_, e)| e.others(shown))
            .unwrap_or_default()
    }

    /// The invitation form's inputs: name, label, type.
    fn invite_fields(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        vec![
            ("name", self.ctx.t("field.name"), "text"),
            ("email", self.ctx.t("field.email"), "email"),
        ]
    }

    fn invite_loose(&self) -> Vec<&str> {
        self.loose("invite", &["name", "email"])
    }

    fn add_loose(&self) -> Vec<&str> {
        self.loose("add", &["judge_id"])
    }

    fn conflict_loose(&self) -> Vec<&str> {
        self.loose("conflict", &["judge_id", "target", "reason"])
    }
}

fn kinds(ctx: &Ctx) -> Vec<(&'static str, &'static str)> {
    [
        (ConflictKind::Institutional, "conflict.institutional"),
        (ConflictKind::Family, "conflict.family"),
        (ConflictKind::Collaborator, "conflict.collaborator"),
        (ConflictKind::Supervisor, "conflict.supervisor"),
        (ConflictKind::Other, "conflict.other"),
    ]
    .into_iter()
    .map(|(k, key)| (k.as_str(), ctx.t(key)))
    .collect()
}

async fn panel_page_with(
    state: &AppState,
    ctx: Ctx,
    id: EditionId,
    status: StatusCode,
    failed: Option<(&'static str, FormErrors)>,
    invitation: Option<(String, Invitation)>,
    notice: Option<&'static str>,
) -> PageResult {
    let e = state.store.edition(id).await.page(&ctx)?;
    let fields = state.store.fields(id).await.page(&ctx)?;
    let panel = state.store.panel(id).await.page(&ctx)?;
    let entries = state
        .store
        .entries(
            EntryFilter {
                edition: Some(id),
                ..EntryFilter::default()
            },
            1,
            200,
        )
        .await
        .page(&ctx)?
        .items;
    let organisations = state
        .store
        .organisations(false, None, 1, 200)
        .await
        .page(&ctx)?
        .items;
    let mut members = Vec::with_capacity(panel.len());
    for m in panel {
        let conflicts = state
            .store
            .conflicts_of(m.judge_id)
            .await
            .page(&ctx)?
            .into_iter()
            .map(|c| {
                let target = match c.target {
                    ConflictTarget::Entry(x) => entries
                        .iter()
                        .find(|en| en.id == x)
                        .map(|en| en.content.title.clone())
                        .unwrap_or_else(|| x.to_string()),
                    ConflictTarget::Organisation(x) => organisations
                        .iter()
                        .find(|o| o.id == x)
                        .map(|o| o.name.clone())
                        .unwrap_or_else(|| x.to_string()),
                };
                format!("{target} ({}): {}", c.kind.as_str(), c.reason)
            })
            .collect();
        members.push(Member {
            expertise: fields
                .iter()
                .filter(|f| m.expertise.contains(&f.id))
                .map(|f| f.name.clone())
                .collect(),
            conflicts,
            m,
        });
    }
    let others = state
        .store
        .users(Some(Role::Judge), 1, 200)
        .await
        .page(&ctx)?
        .items
        .into_iter()
        .filter(|u| !members.iter().any(|m| m.m.judge_id == u.id))
        .collect();
    Ok(render(
        status,
        &PanelPage {
            kinds: kinds(&ctx),
            ctx,
            e,
            members,
            others,
            fields,
            entries,
            organisations,
            failed,
            invitation,
            notice,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct PanelNotice {
    #[serde(default)]
    diubah: String,
    #[serde(default)]
    konflik: String,
}

/// `GET /panitia/edisi/{id}/panel`.
pub async fn panel(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
    Query(q): Query<PanelNotice>,
) -> PageResult {
    let notice = ctx.notice(&[
        (&q.diubah, "panel.saved"),
        (&q.konflik, "panel.conflict_recorded"),
    ]);
    panel_page_with(&state, ctx, id, StatusCode::OK, None, None, notice).await
}

#[derive(Debug, Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
}

/// The panel page again, with `form`'s errors: a conflict (the same judge or address
/// twice, a conflict already declared) is shown at `field`, the rest at their fields.
async fn refused(
    state: &AppState,
    ctx: Ctx,
    id: EditionId,
    form: &'static str,
    field: &str,
    e: ApiError,
) -> PageResult {
    let errors = form_errors_or_conflict_at(e, field, &ctx)?;
    panel_page_with(
        state,
        ctx,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some((form, errors)),
        None,
        None,
    )
    .await
}

/// `POST /panitia/edisi/{id}/panel/undang`: a judge's account and its one-time link,
/// shown on this answer only.
pub async fn invite(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageAccounts>,
    PagePath(id): PagePath<EditionId>,
    Form(f): Form<InviteForm>,
) -> PageResult {
    let user = caller.user;
    match accounts::create_staff(
        &state,
        user.id,
        StaffAccount {
            email: f.email,
            name: f.name,
            role: Role::Judge,
            organisation_id: None,
            expertise: vec![],
        },
    )
    .await
    {
        Ok((judge, invitation)) => {
            panel_page_with(
                &state,
                ctx,
                id,
                StatusCode::OK,
                None,
                Some((judge.name, invitation)),
                None,
            )
            .await
        }
        Err(e) => refused(&state, ctx, id, "invite", "email", e).await,
    }
}

/// `POST /panitia/edisi/{id}/panel`: put a judge on the panel with their expertise
/// (`judge_id`, `expertise` once per field), or change it.
pub async fn put_judge(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let user = caller.user;
    let judge = pairs
        .iter()
        .find(|(k, _)| k == "judge_id")
        .and_then(|(_, v)| v.parse::<UserId>().ok());
    let expertise: Vec<FieldId> = pairs
        .iter()
        .filter(|(k, _)| k == "expertise")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let outcome = match judge {
        Some(j) => state
            .store
            .put_panel_judge(id, j, expertise, user.id, state.now())
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        None => {
            Err(Error::invalid("judge_id", "required", Message::new("field.panel.required")).into())
        }
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/panitia/edisi/{id}/panel?diubah=1"))),
        Err(e) => refused(&state, ctx, id, "add", "judge_id", e).await,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ConflictForm {
    #[serde(default)]
    judge_id: String,
    /// `entry:<id>` or `organisation:<id>`.
    #[serde(default)]
    target: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
}

impl ConflictForm {
    fn parse(&self) -> Result<(UserId, ConflictTarget, ConflictKind, String), Error> {
        let mut errors = Vec::new();
        let judge = self.judge_id.parse::<UserId>().ok();
        if judge.is_none() {
            errors.push(FieldError::new(
                "judge_id",
                "required",
                Message::new("field.panel.required"),
            ));
        }
        let target = match self.target.split_once(':') {
            Some(("entry", x)) => x.parse::<EntryId>().ok().map(ConflictTarget::Entry),
            Some(("organisation", x)) => x
                .parse::<OrganisationId>()
                .ok()
                .map(ConflictTarget::Organisation),
            _ => None,
        };
        if target.is_none() {
            errors.push(FieldError::new(
                "target",
                "required",
                Message::new("field.panel.required.target"),
            ));
        }
        let reason = match conflict_reason(&self.reason) {
            Ok(r) => Some(r),
            Err(Error::Invalid(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(e) => return Err(e),
        };
        match (judge, target, reason) {
            (Some(j), Some(t), Some(r)) if errors.is_empty() => Ok((
                j,
                t,
                ConflictKind::parse(&self.kind).unwrap_or(ConflictKind::Other),
                r,
            )),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

/// `POST /panitia/edisi/{id}/panel/konflik`: a conflict declared for a judge; the
/// store recuses them from affected assignments and fills the gaps. Declaring for
/// someone else is managing the panel: `ManageJudging` (organisers), which the table
/// lets declare conflicts too.
pub async fn declare_conflict(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
    Form(f): Form<ConflictForm>,
) -> PageResult {
    let user = caller.user;
    let outcome = match f.parse() {
        Ok((judge, target, kind, reason)) => state
            .store
            .declare_conflict(&user, judge, target, kind, reason, state.now())
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/panitia/edisi/{id}/panel?konflik=1"))),
        Err(e) => refused(&state, ctx, id, "conflict", "target", e).await,
    }
}
