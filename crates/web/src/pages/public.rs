//! What anyone may read without signing in: the home page (the current edition, its
//! timeline, the latest winners), the winners of each published edition, the
//! catalogue of innovations with search, filters and pages, one page per innovation.

use crate::pages::shared::phase_key;
use crate::pages::{Ctx, PagePath, PageResult, PageResultExt, render};
use crate::routes::pagination::PageQuery;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use juri_domain::edition::{Edition, Phase};
use juri_domain::ids::{EditionId, EntryId};
use juri_persistence::{
    AnnouncedWinner, CatalogueFilter, EditionVisibility, PublicInnovation, PublicWinner, StoreError,
};
use serde::Deserialize;

/// The current edition as the home page shows it.
#[derive(Debug)]
pub struct CurrentEdition {
    pub name: String,
    pub phase: &'static str,
    pub opens: String,
    pub closes: String,
    pub open_now: bool,
}

/// One winner's card: the award, the innovation and who receives the award.
#[derive(Debug)]
pub struct WinnerCard {
    pub w: PublicWinner,
    /// The agency for an agency's entry; otherwise the team members' names.
    pub awardee: String,
}

/// The winners of one category (track): OPD, students, citizens.
#[derive(Debug)]
pub struct WinnerGroup {
    pub category: String,
    pub cards: Vec<WinnerCard>,
}

/// The winners in one group per category, the categories in the edition's order
/// (`tracks`, by position) and the awards in rank order within each, so a reader finds
/// their category's juara 1 without scanning a mixed list.
fn by_category(winners: Vec<PublicWinner>, tracks: &[String]) -> Vec<WinnerGroup> {
    let mut groups: Vec<WinnerGroup> = Vec::new();
    for w in winners {
        let category = w.track.clone().unwrap_or_default();
        let awardee = match &w.organisation {
            Some(agency) => agency.clone(),
            None => w.team.join(", "),
        };
        let card = WinnerCard { w, awardee };
        match groups.iter_mut().find(|g| g.category == category) {
            Some(g) => g.cards.push(card),
            None => groups.push(WinnerGroup {
                category,
                cards: vec![card],
            }),
        }
    }
    // A category the edition no longer lists goes last rather than disappearing.
    groups.sort_by_key(|g| {
        tracks
            .iter()
            .position(|t| *t == g.category)
            .unwrap_or(usize::MAX)
    });
    for g in &mut groups {
        g.cards
            .sort_by(|a, b| (a.w.award, &a.w.field).cmp(&(b.w.award, &b.w.field)));
    }
    groups
}

/// A published edition's winners, grouped by category.
async fn winner_groups(
    state: &AppState,
    ctx: &Ctx,
    edition: EditionId,
) -> Result<Vec<WinnerGroup>, crate::pages::PageError> {
    let winners = state.store.public_winners(edition).await.page(ctx)?;
    let tracks: Vec<String> = state
        .store
        .tracks(edition)
        .await
        .page(ctx)?
        .into_iter()
        .map(|t| t.name)
        .collect();
    Ok(by_category(winners, &tracks))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    current: Option<CurrentEdition>,
    winners_of: Option<(EditionId, String)>,
    groups: Vec<WinnerGroup>,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let now = state.now();
    let current = state
        .store
        .editions(EditionVisibility::OpenedBy(now), 1, 1)
        .await
        .page(&ctx)?
        .items
        .into_iter()
        .next()
        .map(|e: Edition| CurrentEdition {
            phase: ctx.t(phase_key(e.phase(now))),
            opens: ctx.when(&e.submission_opens_at),
            closes: ctx.when(&e.submission_closes_at),
            open_now: e.phase(now) == Phase::Open,
            name: e.name,
        });
    let latest = state
        .store
        .editions(EditionVisibility::Published, 1, 1)
        .await
        .page(&ctx)?
        .items
        .into_iter()
        .next();
    let (winners_of, groups) = match latest {
        Some(e) => (
            Some((e.id, e.name)),
            winner_groups(&state, &ctx, e.id).await?,
        ),
        None => (None, vec![]),
    };
    Ok(render(
        StatusCode::OK,
        &HomePage {
            ctx,
            current,
            winners_of,
            groups,
        },
    ))
}

#[derive(Template)]
#[template(path = "winners_index.html")]
struct WinnersIndex {
    ctx: Ctx,
    /// The latest published edition, whose winners the index shows.
    latest: Option<Edition>,
    groups: Vec<WinnerGroup>,
    /// The earlier published editions, each a link to its winners.
    others: Vec<Edition>,
}

pub async fn winners_index(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let mut editions = state
        .store
        .editions(EditionVisibility::Published, 1, 100)
        .await
        .page(&ctx)?
        .items
        .into_iter();
    let latest = editions.next();
    let groups = match &latest {
        Some(e) => winner_groups(&state, &ctx, e.id).await?,
        None => vec![],
    };
    Ok(render(
        StatusCode::OK,
        &WinnersIndex {
            ctx,
            latest,
            groups,
            others: editions.collect(),
        },
    ))
}

#[derive(Template)]
#[template(path = "winners.html")]
struct WinnersPage {
    ctx: Ctx,
    edition: Edition,
    groups: Vec<WinnerGroup>,
}

pub async fn winners(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<EditionId>,
) -> PageResult {
    let groups = winner_groups(&state, &ctx, id).await?;
    let edition = state.store.edition(id).await.page(&ctx)?;
    Ok(render(
        StatusCode::OK,
        &WinnersPage {
            ctx,
            edition,
            groups,
        },
    ))
}

/// The catalogue's query: everything optional, empty means "any".
#[derive(Debug, Default, Deserialize)]
pub struct CatalogueQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    tahun: String,
    #[serde(default)]
    bidang: String,
    #[serde(default)]
    kategori: String,
    #[serde(default)]
    halaman: String,
}

const PER_PAGE: u64 = 20;

#[derive(Template)]
#[template(path = "catalogue.html")]
struct CataloguePage {
    ctx: Ctx,
    query: CatalogueQuery,
    years: Vec<i32>,
    fields: Vec<String>,
    tracks: Vec<String>,
    items: Vec<PublicInnovation>,
    total: u64,
    page: u64,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
    /// What to try instead, when nothing matched.
    empty: Option<EmptyResult>,
}

/// An empty result is no dead end: it suggests fewer words when words were searched,
/// links to the same search without each filter that was set, and to the whole
/// catalogue.
#[derive(Debug)]
struct EmptyResult {
    fewer_words: bool,
    without_year: Option<String>,
    without_field: Option<String>,
    without_track: Option<String>,
}

impl EmptyResult {
    fn for_query(query: &CatalogueQuery) -> Self {
        let link = |q: &str, tahun: &str, bidang: &str, kategori: &str| {
            format!(
                "/katalog?q={}&tahun={}&bidang={}&kategori={}",
                crate::pages::session::encode(q.trim()),
                crate::pages::session::encode(tahun.trim()),
                crate::pages::session::encode(bidang.trim()),
                crate::pages::session::encode(kategori.trim()),
            )
        };
        let (q, y, f, t) = (&query.q, &query.tahun, &query.bidang, &query.kategori);
        let set = |s: &str| !s.trim().is_empty();
        EmptyResult {
            fewer_words: set(q),
            without_year: set(y).then(|| link(q, "", f, t)),
            without_field: set(f).then(|| link(q, y, "", t)),
            without_track: set(t).then(|| link(q, y, f, "")),
        }
    }
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

pub async fn catalogue(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<CatalogueQuery>,
) -> PageResult {
    let page = query.halaman.trim().parse::<u64>().ok();
    let (page, per_page) = PageQuery {
        page,
        per_page: Some(PER_PAGE),
    }
    .resolve()
    .page(&ctx)?;
    let filter = CatalogueFilter {
        q: non_empty(&query.q),
        year: query.tahun.trim().parse().ok(),
        field: non_empty(&query.bidang),
        track: non_empty(&query.kategori),
        organisation: None,
    };
    let found = state
        .store
        .catalogue(filter, page, per_page)
        .await
        .page(&ctx)?;
    // The filter choices: the names used by the published editions.
    let editions = state
        .store
        .editions(EditionVisibility::Published, 1, 100)
        .await
        .page(&ctx)?
        .items;
    let mut years: Vec<i32> = editions.iter().map(|e| e.year).collect();
    years.dedup();
    let mut fields = Vec::new();
    let mut tracks = Vec::new();
    for e in &editions {
        for f in state.store.fields(e.id).await.page(&ctx)? {
            if !fields.contains(&f.name) {
                fields.push(f.name);
            }
        }
        for t in state.store.tracks(e.id).await.page(&ctx)? {
            if !tracks.contains(&t.name) {
                tracks.push(t.name);
            }
        }
    }
    let pages = found.total.div_ceil(per_page).max(1);
    let link = |p: u64| {
        format!(
            "/katalog?q={}&tahun={}&bidang={}&kategori={}&halaman={p}",
            crate::pages::session::encode(query.q.trim()),
            crate::pages::session::encode(query.tahun.trim()),
            crate::pages::session::encode(query.bidang.trim()),
            crate::pages::session::encode(query.kategori.trim()),
        )
    };
    let prev = (page > 1).then(|| link(page - 1));
    let next = (page < pages).then(|| link(page + 1));
    let empty = (found.total == 0).then(|| EmptyResult::for_query(&query));
    Ok(render(
        StatusCode::OK,
        &CataloguePage {
            ctx,
            query,
            years,
            fields,
            tracks,
            items: found.items,
            total: found.total,
            page,
            pages,
            prev,
            next,
            empty,
        },
    ))
}

#[derive(Template)]
#[template(path = "innovation.html")]
struct InnovationPage {
    ctx: Ctx,
    i: PublicInnovation,
}

/// A winner whose submitter did not consent to the catalogue: only what was announced.
#[derive(Template)]
#[template(path = "winner_announced.html")]
struct AnnouncedWinnerPage {
    ctx: Ctx,
    a: AnnouncedWinner,
}

/// `GET /inovasi/{id}`: the catalogue's page of an innovation, or, for a winner outside
/// the catalogue, the page of what was announced (winners' lists link here).
pub async fn innovation(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<EntryId>,
) -> PageResult {
    match state.store.public_innovation(id).await {
        Ok(i) => Ok(render(StatusCode::OK, &InnovationPage { ctx, i })),
        Err(StoreError::Domain(juri_domain::Error::NotFound)) => {
            let a = state.store.public_winner(id).await.page(&ctx)?;
            Ok(render(StatusCode::OK, &AnnouncedWinnerPage { ctx, a }))
        }
        Err(e) => Err(e).page(&ctx),
    }
}
