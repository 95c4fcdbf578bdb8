//! A round's form: a new round with its rubric, and changing a round as the API's
//! `PATCH /rounds/{id}` does: its settings while it is open, its rubric until the
//! first sheet is submitted. One template serves both; a rubric that can no longer
//! change is shown read-only with the reason the domain gives.

use crate::error::ApiError;
use crate::extract::requirements::ManageJudging;
use crate::pages::shared::{form_errors, form_errors_or_conflict_at};
use crate::pages::{
    Ctx, FormErrors, PageCan, PagePath, PageResult, PageResultExt, render, see_other,
};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use juri_domain::Message;
use juri_domain::edition::Edition;
use juri_domain::ids::{CriterionId, EditionId, RoundId};
use juri_domain::round::{Aggregation, DEFAULT_DISAGREEMENT, Round, RoundSettings};
use juri_domain::rubric::{Criterion, CriterionInput, MAX_CRITERIA, Rubric};
use juri_domain::{Error, FieldError};

/// How many criterion rows the form offers at least (empty rows are left out).
const CRITERION_ROWS: usize = 6;

/// One criterion row of the round form. `id` (hidden) keeps an existing criterion,
/// and the draft values given to it, when the rubric is changed.
#[derive(Debug, Default, Clone)]
pub struct CriterionRow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub weight: String,
    pub min: String,
    pub max: String,
}

impl CriterionRow {
    fn blank() -> CriterionRow {
        CriterionRow {
            min: "1".to_owned(),
            max: "10".to_owned(),
            ..CriterionRow::default()
        }
    }

    fn of(c: &Criterion) -> CriterionRow {
        CriterionRow {
            id: c.id.to_string(),
            name: c.name.clone(),
            description: c.description.clone(),
            weight: c.weight.to_string(),
            min: c.min.to_string(),
            max: c.max.to_string(),
        }
    }

    fn is_empty(&self) -> bool {
        self.name.trim().is_empty()
            && self.description.trim().is_empty()
            && self.weight.trim().is_empty()
    }
}

/// The round form as sent: `name`, `position`, `judges_per_entry`, `aggregation`,
/// `blind` (a checkbox), and `criteria_<i>_<id|name|description|weight|min|max>`
/// per row.
#[derive(Debug, Clone)]
pub struct RoundForm {
    pub name: String,
    pub position: String,
    pub judges_per_entry: String,
    pub aggregation: String,
    pub blind: bool,
    pub rows: Vec<CriterionRow>,
}

impl RoundForm {
    fn blank(position: usize, blind: bool) -> RoundForm {
        RoundForm {
            name: String::new(),
            position: position.to_string(),
            judges_per_entry: "3".to_owned(),
            aggregation: Aggregation::Mean.as_str().to_owned(),
            blind,
            rows: vec![CriterionRow::blank(); CRITERION_ROWS],
        }
    }

    /// An existing round, with room for one more criterion at least.
    fn of_round(r: &Round) -> RoundForm {
        let mut rows: Vec<CriterionRow> = r.rubric.criteria.iter().map(CriterionRow::of).collect();
        let room = CRITERION_ROWS.max(rows.len() + 1).min(MAX_CRITERIA);
        if rows.len() < room {
            rows.resize(room, CriterionRow::blank());
        }
        RoundForm {
            name: r.name.clone(),
            position: r.position.to_string(),
            judges_per_entry: r.judges_per_entry.to_string(),
            aggregation: r.aggregation.as_str().to_owned(),
            blind: r.blind,
            rows,
        }
    }

    fn of(pairs: &[(String, String)]) -> RoundForm {
        let mut f = RoundForm {
            name: String::new(),
            position: String::new(),
            judges_per_entry: String::new(),
            aggregation: String::new(),
            blind: false,
            rows: Vec::new(),
        };
        for (k, v) in pairs {
            match k.as_str() {
                "name" => f.name = v.clone(),
                "position" => f.position = v.clone(),
                "judges_per_entry" => f.judges_per_entry = v.clone(),
                "aggregation" => f.aggregation = v.clone(),
                "blind" => f.blind = true,
                _ => {
                    let Some((i, what)) = k
                        .strip_prefix("criteria_")
                        .and_then(|rest| rest.split_once('_'))
                    else {
                        continue;
                    };
                    let Some(i) = i.parse::<usize>().ok().filter(|i| *i < MAX_CRITERIA) else {
                        continue;
                    };
                    if f.rows.len() <= i {
                        f.rows.resize(i + 1, CriterionRow::default());
                    }
                    let Some(row) = f.rows.get_mut(i) else {
                        continue;
                    };
                    match what {
                        "id" => row.id = v.clone(),
                        "name" => row.name = v.clone(),
                        "description" => row.description = v.clone(),
                        "weight" => row.weight = v.clone(),
                        "min" => row.min = v.clone(),
                        "max" => row.max = v.clone(),
                        _ => {}
                    }
                }
            }
        }
        if f.rows.len() < CRITERION_ROWS {
            f.rows.resize(CRITERION_ROWS, CriterionRow::default());
        }
        f
    }

    /// `base` with the form's settings, and the rubric; every fault a field error
    /// named as the form names its input.
    fn parse(&self, base: RoundSettings) -> Result<(RoundSettings, Rubric), Error> {
        let mut errors = Vec::new();
        let position = whole(&self.position, "position".to_owned(), &mut errors);
        let k = whole(
            &self.judges_per_entry,
            "judges_per_entry".to_owned(),
            &mut errors,
        );
        // Which form row each parsed criterion came from, to put its errors there.
        let mut from_row = Vec::new();
        let mut inputs = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            if r.is_empty() {
                continue;
            }
            let weight = number(&r.weight, format!("criteria_{i}_weight"), &mut errors);
            let min = whole(&r.min, format!("criteria_{i}_min"), &mut errors);
            let max = whole(&r.max, format!("criteria_{i}_max"), &mut errors);
            from_row.push(i);
            inputs.push(CriterionInput {
                id: r.id.trim().parse::<CriterionId>().ok(),
                name: r.name.clone(),
                description: r.description.clone(),
                weight: weight.unwrap_or(0.0),
                min: min.unwrap_or(0),
                max: max.unwrap_or(0),
            });
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let settings = RoundSettings {
            name: self.name.clone(),
            position: position.unwrap_or(0),
            judges_per_entry: k.and_then(|v| u32::try_from(v).ok()).unwrap_or(0),
            aggregation: Aggregation::parse(&self.aggregation).unwrap_or(Aggregation::Mean),
            blind: self.blind,
            ..base
        }
        .check();
        let rubric = Rubric::parse(inputs);
        match (settings, rubric) {
            (Ok(s), Ok(r)) => Ok((s, r)),
            (s, r) => {
                for e in [s.err(), r.err()].into_iter().flatten() {
                    if let Error::Invalid(list) = e {
                        errors.extend(list.into_iter().map(|mut fe| {
                            fe.field = row_field(&fe.field, &from_row);
                            fe
                        }));
                    }
                }
                Err(Error::Invalid(errors))
            }
        }
    }
}

/// A number as typed (a decimal comma read as a point), or a field error.
fn number(raw: &str, field: String, errors: &mut Vec<FieldError>) -> Option<f64> {
    let v = raw.trim().replace(',', ".").parse::<f64>().ok();
    if v.is_none() {
        errors.push(FieldError::new(
            field,
            "not_a_number",
            Message::new("field.round_form.not_a_number"),
        ));
    }
    v
}

/// A whole number as typed, or a field error: `2.5` is not silently made `2`.
fn whole(raw: &str, field: String, errors: &mut Vec<FieldError>) -> Option<i32> {
    let v = raw.trim().parse::<i32>().ok();
    if v.is_none() {
        errors.push(FieldError::new(
            field,
            "not_a_whole_number",
            Message::new("field.round_form.not_a_whole_number"),
        ));
    }
    v
}

/// `rubric.criteria[2].weight` → `criteria_<row of the third criterion>_weight`;
/// `rubric.criteria` (no criterion at all) → the first row's name.
fn row_field(field: &str, from_row: &[usize]) -> String {
    if field == "rubric.criteria" {
        return "criteria_0_name".to_owned();
    }
    let Some(rest) = field.strip_prefix("rubric.criteria[") else {
        return field.to_owned();
    };
    let Some((i, what)) = rest.split_once("].") else {
        return field.to_owned();
    };
    let row = i
        .parse::<usize>()
        .ok()
        .and_then(|i| from_row.get(i).copied())
        .unwrap_or(0);
    let what = if what == "id" { "name" } else { what };
    format!("criteria_{row}_{what}")
}

#[derive(Template)]
#[template(path = "org_round_form.html")]
struct RoundFormPage {
    ctx: Ctx,
    e: Edition,
    /// The round being changed; `None` for a new round.
    round: Option<Round>,
    form: RoundForm,
    errors: FormErrors,
    aggregations: Vec<(&'static str, &'static str)>,
    /// Why the round can no longer change at all (it is closed).
    closed: Option<String>,
    /// Why the rubric can no longer change (shown read-only).
    frozen: Option<String>,
}

/// One criterion row of the round form, ready to show.
#[derive(Debug)]
pub struct RowView {
    pub number: usize,
    pub id_name: String,
    pub id: String,
    pub cells: Vec<Cell>,
}

/// One input of a criterion row.
#[derive(Debug)]
pub struct Cell {
    pub name: String,
    pub label: &'static str,
    pub value: String,
    pub kind: &'static str,
    pub error: Option<String>,
}

impl RoundFormPage {
    fn rows(&self) -> Vec<RowView> {
        self.form
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| RowView {
                number: i + 1,
                id_name: format!("criteria_{i}_id"),
                id: r.id.clone(),
                cells: [
                    ("name", "round.c_name", &r.name, "text"),
                    ("description", "round.c_description", &r.description, "text"),
                    ("weight", "round.c_weight", &r.weight, "number"),
                    ("min", "round.c_min", &r.min, "number"),
                    ("max", "round.c_max", &r.max, "number"),
                ]
                .into_iter()
                .map(|(what, label, value, kind)| {
                    let name = format!("criteria_{i}_{what}");
                    Cell {
                        error: self.errors.get(&name).map(str::to_owned),
                        name,
                        label: self.ctx.t(label),
                        value: value.clone(),
                        kind,
                    }
                })
                .collect(),
            })
            .collect()
    }

    /// Errors that belong to no input of the form (shown at its top).
    fn loose_errors(&self) -> Vec<&str> {
        self.errors.not_shown(|f| {
            ["name", "position", "judges_per_entry"].contains(&f) || f.starts_with("criteria_")
        })
    }

    /// Where the form is sent.
    fn action(&self) -> String {
        match &self.round {
            Some(r) => format!("/panitia/babak/{}/ubah", r.id),
            None => format!("/panitia/edisi/{}/babak/baru", self.e.id),
        }
    }
}

fn aggregations(ctx: &Ctx) -> Vec<(&'static str, &'static str)> {
    vec![
        (Aggregation::Mean.as_str(), ctx.t("round.agg_mean")),
        (
            Aggregation::TrimmedMean.as_str(),
            ctx.t("round.agg_trimmed"),
        ),
        (
            Aggregation::JudgeNormalised.as_str(),
            ctx.t("round.agg_normalised"),
        ),
    ]
}

/// `GET /panitia/edisi/{id}/babak/baru`: the form of a new round and its rubric.
pub async fn new_round(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
) -> PageResult {
    let e = state.store.edition(id).await.page(&ctx)?;
    let next = state.store.rounds(id).await.page(&ctx)?.len() + 1;
    Ok(render(
        StatusCode::OK,
        &RoundFormPage {
            aggregations: aggregations(&ctx),
            form: RoundForm::blank(next, e.blind_judging),
            ctx,
            e,
            round: None,
            errors: FormErrors::default(),
            closed: None,
            frozen: None,
        },
    ))
}

/// `POST /panitia/edisi/{id}/babak/baru`: create the round (it is open at once).
pub async fn create_round(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let user = caller.user;
    let e = state.store.edition(id).await.page(&ctx)?;
    let form = RoundForm::of(&pairs);
    let base = RoundSettings {
        name: String::new(),
        position: 0,
        judges_per_entry: 0,
        aggregation: Aggregation::Mean,
        weight: None,
        blind: e.blind_judging,
        disagreement_threshold: DEFAULT_DISAGREEMENT,
        peer_sheets: Default::default(),
        judge_names_visible: false,
    };
    let outcome = match form.parse(base) {
        Ok((settings, rubric)) => state
            .store
            .create_round(id, settings, rubric, user.id, state.now())
            .await
            .map_err(ApiError::from),
        Err(err) => Err(err.into()),
    };
    match outcome {
        Ok(round) => Ok(see_other(&format!("/panitia/babak/{}?dibuat=1", round.id))),
        Err(err) => {
            let errors = form_errors(err, &ctx)?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RoundFormPage {
                    aggregations: aggregations(&ctx),
                    ctx,
                    e,
                    round: None,
                    form,
                    errors,
                    closed: None,
                    frozen: None,
                },
            ))
        }
    }
}

/// Why the round, or only its rubric, can no longer change: the domain's reasons.
async fn locks(
    state: &AppState,
    round: &Round,
    ctx: &Ctx,
) -> Result<(Option<String>, Option<String>), ApiError> {
    let why = |r: Result<(), Error>| match r {
        Err(Error::Conflict(why)) => Some(ctx.say(&why)),
        _ => None,
    };
    let closed = why(round.check_open());
    let submitted = state.store.progress(round.id).await?.sheets_submitted;
    let frozen = why(round.check_rubric_editable(submitted > 0));
    Ok((closed, frozen))
}

/// The change form of a round, with `form` (the round's own values when `None`).
async fn edit_page_with(
    state: &AppState,
    ctx: Ctx,
    round: Round,
    status: StatusCode,
    form: Option<RoundForm>,
    errors: FormErrors,
) -> PageResult {
    let e = state.store.edition(round.edition_id).await.page(&ctx)?;
    let (closed, frozen) = locks(state, &round, &ctx).await.page(&ctx)?;
    Ok(render(
        status,
        &RoundFormPage {
            aggregations: aggregations(&ctx),
            form: form.unwrap_or_else(|| RoundForm::of_round(&round)),
            ctx,
            e,
            round: Some(round),
            errors,
            closed,
            frozen,
        },
    ))
}

/// `GET /panitia/babak/{id}/ubah`: change a round's settings and, until the first
/// sheet is submitted, its rubric.
pub async fn edit_round(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<RoundId>,
) -> PageResult {
    let round = state.store.round(id).await.page(&ctx)?;
    edit_page_with(
        &state,
        ctx,
        round,
        StatusCode::OK,
        None,
        FormErrors::default(),
    )
    .await
}

/// `POST /panitia/babak/{id}/ubah`: the round's settings and, while it may change,
/// its rubric. An unchanged rubric is not sent, so a rubric frozen in the meantime
/// does not refuse a change of the settings alone.
pub async fn update_round(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<RoundId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let user = caller.user;
    let current = state.store.round(id).await.page(&ctx)?;
    let (_, frozen) = locks(&state, &current, &ctx).await.page(&ctx)?;
    let mut form = RoundForm::of(&pairs);
    if frozen.is_some() {
        // A frozen rubric is not on the form: the round's own stands in for it.
        form.rows = RoundForm::of_round(&current).rows;
    }
    let outcome = match form.parse(RoundSettings::of(&current)) {
        Ok((settings, rubric)) => {
            let rubric = (rubric != current.rubric).then_some(rubric);
            state
                .store
                .update_round(id, settings, rubric, user.id, state.now())
                .await
                .map_err(ApiError::from)
        }
        Err(err) => Err(err.into()),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/panitia/babak/{id}?disimpan=1"))),
        Err(err) => {
            // A round closed, or a position taken: told above the form.
            let errors = form_errors_or_conflict_at(err, "round", &ctx)?;
            edit_page_with(
                &state,
                ctx,
                current,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(form),
                errors,
            )
            .await
        }
    }
}
