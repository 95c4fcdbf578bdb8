//! The agencies (OPD) page under `/panitia/organisasi`: the reference list with a
//! search, a form to add one, and per agency a form to rename it (name, short name,
//! kind) and a button to retire it or bring it back. The same `Store` calls and
//! domain parsing as the API's `POST`/`PATCH /organisations`.

use crate::error::ApiError;
use crate::extract::requirements::ManageOrganisations;
use crate::pages::shared::form_errors_or_conflict_at;
use crate::pages::{
    Ctx, FormErrors, PageCan, PagePath, PageResult, PageResultExt, render, see_other,
};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::ids::OrganisationId;
use juri_domain::organisation::{Organisation, OrganisationKind, OrganisationName, short_name};
use juri_persistence::{NewOrganisation, OrganisationChange};
use serde::Deserialize;

/// Where the page lives.
pub const PATH: &str = "/panitia/organisasi";

/// Agencies per page.
const PER_PAGE: u64 = 50;

/// An agency's form as sent: adding one (all three), renaming one (all three), or the
/// retire button (only `retired`: `1` retires, `0` brings back).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AgencyForm {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    short_name: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    retired: Option<String>,
}

impl AgencyForm {
    /// Every unreadable value a field error by its input.
    fn parse(&self) -> Result<OrganisationChange, Error> {
        let mut errors = Vec::new();
        let name = self
            .name
            .as_deref()
            .map(OrganisationName::parse)
            .transpose()
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let short = self
            .short_name
            .as_deref()
            .map(|s| short_name(Some(s)))
            .transpose()
            .map_err(|e| {
                if let Error::Invalid(list) = e {
                    errors.extend(list);
                }
            })
            .ok()
            .flatten();
        let kind = self
            .kind
            .as_deref()
            .map(str::parse::<OrganisationKind>)
            .transpose()
            .map_err(|e| {
                if let Error::Invalid(list) = e {
                    errors.extend(list);
                }
            })
            .ok()
            .flatten();
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(OrganisationChange {
            name,
            short_name: short,
            kind,
            retired: self.retired.as_deref().map(|r| r == "1"),
        })
    }

    /// A new agency needs a name and a kind.
    fn parse_new(&self) -> Result<NewOrganisation, Error> {
        let filled = AgencyForm {
            name: Some(self.name.clone().unwrap_or_default()),
            kind: Some(self.kind.clone().unwrap_or_default()),
            ..self.clone()
        };
        let change = filled.parse()?;
        match (change.name, change.kind) {
            (Some(name), Some(kind)) => Ok(NewOrganisation {
                name,
                short_name: change.short_name.flatten(),
                kind,
            }),
            _ => Err(Error::invalid(
                "name",
                "required",
                Message::new("field.agencies.required"),
            )),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AgencyQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    halaman: Option<u64>,
    #[serde(default)]
    ditambah: String,
    #[serde(default)]
    disimpan: String,
}

/// A refused form: `which` is `new`, or the id of the agency whose form it was.
#[derive(Debug)]
struct Refusal {
    which: String,
    errors: FormErrors,
    form: AgencyForm,
}

#[derive(Template)]
#[template(path = "org_agencies.html")]
struct AgenciesPage {
    ctx: Ctx,
    items: Vec<Organisation>,
    total: u64,
    page: u64,
    pages: u64,
    q: String,
    kinds: Vec<(&'static str, &'static str)>,
    refused: Option<Refusal>,
    notice: Option<&'static str>,
}

impl AgenciesPage {
    /// The error of `input` on the form `which` (see [`Refusal`]).
    fn error(&self, which: &str, input: &str) -> Option<&str> {
        self.refused
            .as_ref()
            .filter(|r| r.which == which)
            .and_then(|r| r.errors.get(input))
    }

    /// Errors of the form `which` that belong to none of its inputs.
    fn loose(&self, which: &str) -> Vec<&str> {
        self.refused
            .as_ref()
            .filter(|r| r.which == which)
            .map(|r| {
                r.errors
                    .others(&["name", "short_name", "kind"])
                    .into_iter()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// What `input` of the form `which` shows: what was typed when it was refused,
    /// else `own`.
    fn value(&self, which: &str, input: &str, own: impl std::fmt::Display) -> String {
        match self.refused.as_ref().filter(|r| r.which == which) {
            Some(r) => match input {
                "name" => r.form.name.clone(),
                "short_name" => r.form.short_name.clone(),
                _ => r.form.kind.clone(),
            }
            .unwrap_or_default(),
            None => own.to_string(),
        }
    }

    fn kind_label(&self, k: &OrganisationKind) -> &'static str {
        self.kinds
            .iter()
            .find(|(v, _)| *v == k.as_str())
            .map_or("", |(_, label)| *label)
    }

    fn page_link(&self, page: u64) -> String {
        let enc = crate::pages::session::encode;
        format!("{PATH}?q={}&halaman={page}", enc(&self.q))
    }

    fn has_next(&self) -> bool {
        self.page < self.pages
    }
}

fn kinds(ctx: &Ctx) -> Vec<(&'static str, &'static str)> {
    OrganisationKind::ALL
        .into_iter()
        .map(|k| (k.as_str(), ctx.t(kind_key(k))))
        .collect()
}

/// The catalogue key of an agency kind.
fn kind_key(k: OrganisationKind) -> &'static str {
    match k {
        OrganisationKind::Sekretariat => "agency.kind_sekretariat",
        OrganisationKind::Inspektorat => "agency.kind_inspektorat",
        OrganisationKind::Badan => "agency.kind_badan",
        OrganisationKind::Dinas => "agency.kind_dinas",
        OrganisationKind::Satuan => "agency.kind_satuan",
        OrganisationKind::Kecamatan => "agency.kind_kecamatan",
        OrganisationKind::Kelurahan => "agency.kind_kelurahan",
        OrganisationKind::Puskesmas => "agency.kind_puskesmas",
        OrganisationKind::Rsud => "agency.kind_rsud",
        OrganisationKind::Sekolah => "agency.kind_sekolah",
        OrganisationKind::Lainnya => "agency.kind_lainnya",
    }
}

async fn page_with(
    state: &AppState,
    ctx: Ctx,
    q: AgencyQuery,
    status: StatusCode,
    refused: Option<Refusal>,
) -> PageResult {
    let page = q.halaman.unwrap_or(1).max(1);
    let list = state
        .store
        .organisations(true, Some(&q.q), page, PER_PAGE)
        .await
        .page(&ctx)?;
    let notice = ctx.notice(&[(&q.ditambah, "agency.added"), (&q.disimpan, "agency.saved")]);
    Ok(render(
        status,
        &AgenciesPage {
            kinds: kinds(&ctx),
            ctx,
            items: list.items,
            total: list.total,
            page,
            pages: list.total.div_ceil(PER_PAGE).max(1),
            q: q.q.trim().to_owned(),
            refused,
            notice,
        },
    ))
}

/// A refusal shown on the page by the form it came from; a conflict (a name taken)
/// by its name input.
async fn refused(
    state: &AppState,
    ctx: Ctx,
    which: String,
    form: AgencyForm,
    e: ApiError,
) -> PageResult {
    let errors = form_errors_or_conflict_at(e, "name", &ctx)?;
    page_with(
        state,
        ctx,
        AgencyQuery::default(),
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(Refusal {
            which,
            errors,
            form,
        }),
    )
    .await
}

/// `GET /panitia/organisasi`: every agency, retired ones marked, with a search.
pub async fn list(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageOrganisations>,
    Query(q): Query<AgencyQuery>,
) -> PageResult {
    page_with(&state, ctx, q, StatusCode::OK, None).await
}

/// `POST /panitia/organisasi`: a new agency.
pub async fn create(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageOrganisations>,
    Form(f): Form<AgencyForm>,
) -> PageResult {
    let user = caller.user;
    let outcome = match f.parse_new() {
        Ok(new) => state
            .store
            .create_organisation(new, user.id, state.now())
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("{PATH}?ditambah=1"))),
        Err(e) => refused(&state, ctx, "new".to_owned(), f, e).await,
    }
}

/// `POST /panitia/organisasi/{id}`: rename an agency, or retire it or bring it back.
pub async fn update(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageOrganisations>,
    PagePath(oid): PagePath<OrganisationId>,
    Form(f): Form<AgencyForm>,
) -> PageResult {
    let user = caller.user;
    let outcome = match f.parse() {
        Ok(change) => state
            .store
            .update_organisation(oid, change, user.id, state.now())
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("{PATH}?disimpan=1"))),
        Err(e) => refused(&state, ctx, oid.to_string(), f, e).await,
    }
}
