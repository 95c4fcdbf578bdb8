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
        },
    ))
}
