//! The editions: the organiser's home with every edition's phase and counts, and one
//! edition with its timeline, entries by status and rounds.

use crate::extract::requirements::ManageEditions;
use crate::pages::shared::{phase_key, status_key};
use crate::pages::{Ctx, PageCan, PagePath, PageResult, PageResultExt, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use juri_domain::edition::{Edition, Phase};
use juri_domain::entry::Status;
use juri_domain::ids::EditionId;
use juri_domain::round::Round;
use juri_domain::todo::{self, Place, RoundSituation, Situation, Todo};
use juri_persistence::EditionVisibility;

#[derive(Debug)]
pub struct EditionRow {
    pub e: Edition,
    pub phase: &'static str,
    pub entries: u64,
    pub to_screen: u64,
    pub eligible: u64,
}

#[derive(Template)]
#[template(path = "org_home.html")]
struct HomePage {
    ctx: Ctx,
    rows: Vec<EditionRow>,
}

/// `GET /panitia`: every edition, newest first, with its phase and counts.
pub async fn home(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageEditions>,
) -> PageResult {
    let now = state.now();
    let editions = state
        .store
        .editions(EditionVisibility::All, 1, 50)
        .await
        .page(&ctx)?
        .items;
    let mut rows = Vec::with_capacity(editions.len());
    for e in editions {
        let counts = state.store.entry_counts(e.id).await.page(&ctx)?;
        let sum = |which: fn(Status) -> bool| -> u64 {
            counts
                .iter()
                .filter(|(s, _)| which(**s))
                .map(|(_, n)| n)
                .sum()
        };
        rows.push(EditionRow {
            phase: ctx.t(phase_key(e.phase(now))),
            entries: sum(|_| true),
            to_screen: sum(|s| s == Status::Submitted),
            eligible: sum(Status::passed_screening),
            e,
        });
    }
    Ok(render(StatusCode::OK, &HomePage { ctx, rows }))
}

#[derive(Template)]
#[template(path = "org_edition.html")]
struct EditionPage {
    ctx: Ctx,
    e: Edition,
    phase: &'static str,
    published: bool,
    opens: String,
    closes: String,
    counts: Vec<(&'static str, u64)>,
    rounds: Vec<Round>,
    /// What to do next, in words, each with its count and the page where it is done.
    todos: Vec<TodoLine>,
}

/// A to-do as the page shows it.
#[derive(Debug)]
pub struct TodoLine {
    pub text: String,
    pub href: String,
}

/// The situation of the edition for its to-do list (`juri_domain::todo`).
async fn situation(
    state: &AppState,
    e: &Edition,
    phase: Phase,
    rounds: &[Round],
    by_status: &std::collections::HashMap<Status, u64>,
) -> Result<Situation, crate::error::ApiError> {
    let count = |which: fn(Status) -> bool| -> u64 {
        by_status
            .iter()
            .filter(|(s, _)| which(**s))
            .map(|(_, n)| n)
            .sum()
    };
    let mut round_states = Vec::with_capacity(rounds.len());
    for r in rounds {
        let (sheets, submitted) = if r.closed_at.is_some() {
            (0, 0)
        } else {
            let p = state.store.progress(r.id).await?;
            (p.sheets_total, p.sheets_submitted)
        };
        round_states.push(RoundSituation {
            id: r.id,
            closed: r.closed_at.is_some(),
            sheets,
            submitted,
        });
    }
    // The results are read only when every round is closed (they are not cheap).
    let all_closed = !rounds.is_empty() && rounds.iter().all(|r| r.closed_at.is_some());
    let winners_recorded = matches!(phase, Phase::Judging | Phase::Decided)
        && all_closed
        && !state.store.edition_results(e.id).await?.winners.is_empty();
    Ok(Situation {
        fields: state.store.fields(e.id).await?.len(),
        tracks: state.store.tracks(e.id).await?.len(),
        panel: state.store.panel(e.id).await?.len(),
        to_screen: count(|s| s == Status::Submitted),
        passed: count(Status::passed_screening),
        rounds: round_states,
        winners_recorded,
    })
}

fn todo_line(ctx: &Ctx, e: &Edition, t: &Todo) -> TodoLine {
    let id = e.id;
    let href = match t.place {
        Place::SetUp => format!("/panitia/edisi/{id}/atur"),
        Place::Panel => format!("/panitia/edisi/{id}/panel"),
        Place::Screening => format!("/panitia/edisi/{id}/seleksi"),
        Place::NewRound => format!("/panitia/edisi/{id}/babak/baru"),
        Place::Round(r) => format!("/panitia/babak/{r}"),
        Place::Results => format!("/panitia/edisi/{id}/hasil"),
        Place::Publish => format!("/panitia/edisi/{id}/terbitkan"),
    };
    let text = juri_text::fill(
        ctx.t(t.what),
        &[("count", t.count.unwrap_or(0).to_string())],
    );
    TodoLine { text, href }
}

/// `GET /panitia/edisi/{id}`: one edition: its timeline, entries by status, rounds,
/// and the way to each step.
pub async fn edition(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageEditions>,
    PagePath(id): PagePath<EditionId>,
) -> PageResult {
    let e = state.store.edition(id).await.page(&ctx)?;
    let by_status = state.store.entry_counts(id).await.page(&ctx)?;
    let mut counts = Vec::new();
    for s in [
        Status::Submitted,
        Status::Eligible,
        Status::Ineligible,
        Status::InJudging,
        Status::Winner,
    ] {
        counts.push((
            ctx.t(status_key(s)),
            by_status.get(&s).copied().unwrap_or(0),
        ));
    }
    let rounds = state.store.rounds(id).await.page(&ctx)?;
    let phase = e.phase(state.now());
    let todos = todo::todos(
        phase,
        &situation(&state, &e, phase, &rounds, &by_status)
            .await
            .page(&ctx)?,
    )
    .iter()
    .map(|t| todo_line(&ctx, &e, t))
    .collect();
    Ok(render(
        StatusCode::OK,
        &EditionPage {
            phase: ctx.t(phase_key(phase)),
            published: phase == Phase::Published,
            opens: ctx.when(&e.submission_opens_at),
            closes: ctx.when(&e.submission_closes_at),
            ctx,
            e,
            counts,
            rounds,
            todos,
        },
    ))
}
