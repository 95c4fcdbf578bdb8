//! `juri bench`: the figures of `docs/performance.md`, measured in one run on a
//! scratch database (SQLite in a temporary folder, or a scratch PostgreSQL database
//! when `DATABASE_URL` names a server), each printed beside the limit that bounds it on
//! this machine. A benchmark, not a test: it checks nothing about time; CI only runs
//! `--quick` to the end.

mod load;
mod seed;

use juri_domain::assignment::{EntryNode, JudgeNode, Problem, assign};
use juri_domain::ids::{CriterionId, EntryId, FieldId, UserId};
use juri_domain::ranking::SubmittedSheet;
use juri_domain::round::Aggregation;
use juri_domain::rubric::ScoreValue;
use juri_domain::scoring::{self, SheetScore};
use juri_persistence::{CatalogueFilter, Store};
use seed::{PASSWORD, Seeded, rubric8};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The steps of a run, to run only some (`--only`), e.g. while profiling one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Step {
    Assignment,
    Aggregation,
    Audit,
    JudgeFlow,
    Saves,
    Catalogue,
    Logins,
    Results,
}

/// The steps asked for: all when none were named.
struct Only<'a>(&'a [Step]);

impl Only<'_> {
    fn wants(&self, step: Step) -> bool {
        self.0.is_empty() || self.0.contains(&step)
    }
}

/// Sizes of one run.
pub struct Scale {
    assign_entries: usize,
    assign_judges: usize,
    /// Submitted sheets of the results round (entries × 3).
    pub sheets: usize,
    pub ranked_entries: usize,
    pub judge_sheets: usize,
    /// Judges saving drafts at once (and clients of the other load rows).
    pub load_judges: usize,
    pub drafts_per_judge: usize,
    pub catalogue: usize,
    /// How long the draft-save row runs; the other load rows run half of it.
    saves_for: Duration,
    logins_in_flight: usize,
}

const FULL: Scale = Scale {
    assign_entries: 10_000,
    assign_judges: 500,
    sheets: 30_000,
    ranked_entries: 1_000,
    judge_sheets: 1_000,
    load_judges: 64,
    drafts_per_judge: 20,
    catalogue: 10_000,
    saves_for: Duration::from_secs(30),
    logins_in_flight: 50,
};

const QUICK: Scale = Scale {
    assign_entries: 300,
    assign_judges: 30,
    sheets: 900,
    ranked_entries: 40,
    judge_sheets: 40,
    load_judges: 8,
    drafts_per_judge: 5,
    catalogue: 300,
    saves_for: Duration::from_secs(2),
    logins_in_flight: 4,
};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
}

/// One row of the table.
struct Row {
    what: String,
    scale: String,
    figure: String,
    target: &'static str,
    limit: String,
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn bench_assignment(scale: &Scale, rng: &mut Rng) -> Row {
    let fields: Vec<FieldId> = (0..9).map(|_| FieldId::new()).collect();
    let entries: Vec<EntryNode> = (0..scale.assign_entries)
        .map(|_| EntryNode {
            id: EntryId::new(),
            field: Some(fields[rng.below(9)]),
        })
        .collect();
    let judges: Vec<JudgeNode> = (0..scale.assign_judges)
        .map(|_| JudgeNode {
            id: UserId::new(),
            expertise: (0..1 + rng.below(3))
                .map(|_| fields[rng.below(9)])
                .collect(),
        })
        .collect();
    let mut conflicts = Vec::new();
    for e in &entries {
        for j in &judges {
            if rng.below(1000) < 20 {
                conflicts.push((e.id, j.id));
            }
        }
    }
    let problem = Problem {
        entries,
        judges,
        k: 3,
        conflicts,
        fixed: vec![],
    };
    let started = Instant::now();
    let outcome = assign(&problem);
    let took = started.elapsed();
    let detail = match outcome {
        Ok(s) => format!("cap {}, {} matches", s.cap, s.expertise_matches),
        Err(e) => format!("infeasible: {e}"),
    };
    Row {
        what: "automatic assignment (domain)".into(),
        scale: format!(
            "{} entries, {} judges, k = 3, 2 % conflicts",
            scale.assign_entries, scale.assign_judges
        ),
        figure: format!("{} ({detail})", ms(took)),
        target: "< 5 s",
        limit: "memory bandwidth (building ~10 M arcs)".into(),
    }
}

fn bench_aggregation(scale: &Scale, rng: &mut Rng) -> Vec<Row> {
    let rubric = rubric8();
    let entries: Vec<EntryId> = (0..scale.sheets / 3).map(|_| EntryId::new()).collect();
    let judges: Vec<UserId> = (0..(scale.sheets / 60).max(3))
        .map(|_| UserId::new())
        .collect();
    let sheets: Vec<SubmittedSheet> = (0..scale.sheets)
        .map(|i| SubmittedSheet {
            entry: entries[i / 3],
            judge: judges[rng.below(judges.len())],
            values: rubric
                .criteria
                .iter()
                .map(|c| (c.id, 1 + i32::try_from(rng.below(10)).unwrap_or(0)))
                .collect(),
        })
        .collect();
    let mut rows = Vec::new();
    for method in [
        Aggregation::Mean,
        Aggregation::TrimmedMean,
        Aggregation::JudgeNormalised,
    ] {
        let started = Instant::now();
        let s_je: Vec<SheetScore> = sheets
            .iter()
            .filter_map(|s| {
                let score = rubric.score(|c: CriterionId| {
                    s.values.iter().find(|(id, _)| *id == c).map(|(_, v)| *v)
                })?;
                Some(SheetScore {
                    entry: s.entry,
                    judge: s.judge,
                    s: score,
                })
            })
            .collect();
        let scores = scoring::round_scores(method, &s_je);
        let took = started.elapsed();
        rows.push(Row {
            what: format!("round scores, {} (domain)", method.as_str()),
            scale: format!(
                "{} sheets x 8 criteria -> {} entries",
                scale.sheets,
                scores.len()
            ),
            figure: ms(took),
            target: "< 100 ms",
            limit: "one core, no IO".into(),
        });
    }
    rows
}

/// A scratch database: SQLite in `dir`, or a fresh PostgreSQL database when
/// `DATABASE_URL` names a server (dropped by [`drop_scratch`]). Returns its URL too.
async fn scratch_store(
    dir: &std::path::Path,
) -> Result<(Store, String, Option<(String, String)>), String> {
    match std::env::var("DATABASE_URL") {
        Ok(admin) if admin.starts_with("postgres") => {
            let name = format!("juri_bench_{}", uuid::Uuid::now_v7().simple());
            let a = Store::connect(&admin).await.map_err(|e| e.to_string())?;
            a.execute_raw(&format!("CREATE DATABASE {name}"))
                .await
                .map_err(|e| e.to_string())?;
            a.close().await.ok();
            let url = database_url(&admin, &name);
            match Store::connect(&url).await {
                Ok(store) => Ok((store, url, Some((admin, name)))),
                Err(e) => {
                    // Not left behind on the server.
                    drop_scratch(Some((admin, name))).await;
                    Err(e.to_string())
                }
            }
        }
        _ => {
            let url = Store::sqlite_url(dir);
            let store = Store::connect(&url).await.map_err(|e| e.to_string())?;
            Ok((store, url, None))
        }
    }
}

/// The URL of database `name` on the server of `admin` (a PostgreSQL URL), keeping
/// its parameters (`?host=/run/postgresql` for a Unix socket, `?sslmode=…`).
fn database_url(admin: &str, name: &str) -> String {
    let (path, query) = match admin.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (admin, None),
    };
    let authority_at = path.find("://").map_or(0, |i| i + 3);
    let base = match path[authority_at..].find('/') {
        Some(slash) => &path[..authority_at + slash],
        None => path,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

async fn drop_scratch(pg: Option<(String, String)>) {
    if let Some((admin, name)) = pg
        && let Ok(a) = Store::connect(&admin).await
    {
        let _ = a
            .execute_raw(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
    }
}

async fn login(http: &reqwest::Client, base: &str, email: &str) -> Result<String, String> {
    let v: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    v["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("login of {email} failed: {v}"))
}

fn full_sheet(rubric: &juri_domain::rubric::Rubric, bump: i32) -> Vec<ScoreValue> {
    rubric
        .criteria
        .iter()
        .map(|c| ScoreValue {
            criterion_id: c.id,
            value: Some((c.min + bump).min(c.max)),
            comment: None,
        })
        .collect()
}

/// Statements the store runs for `f`, on a store of its own that counts them.
async fn queries_for<F, Fut>(url: &str, f: F) -> Result<u64, String>
where
    F: FnOnce(Store) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let mut store = Store::connect(url).await.map_err(|e| e.to_string())?;
    let n = store.count_queries();
    f(store.clone()).await?;
    let counted = n.load(Ordering::Relaxed);
    store.close().await.ok();
    Ok(counted)
}

/// The database's own rate for the draft saves, without HTTP: the same store call
/// the handler makes, from as many tasks as there are judges.
async fn raw_saves(
    store: &Store,
    seeded: &Seeded,
    values: &[ScoreValue],
    duration: Duration,
) -> f64 {
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (judge, mine) in seeded.load_judges.iter().zip(&seeded.drafts) {
        let (store, judge, mine, values) =
            (store.clone(), judge.clone(), mine.clone(), values.to_vec());
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline && !mine.is_empty() {
                let id = mine[usize::try_from(n).unwrap_or(0) % mine.len()];
                let saved = store
                    .save_sheet(id, &judge, values.clone(), None, None, chrono::Utc::now())
                    .await;
                if saved.is_ok() {
                    n += 1;
                }
            }
            n
        }));
    }
    let mut done = 0u64;
    for t in tasks {
        done += t.await.unwrap_or(0);
    }
    done as f64 / started.elapsed().as_secs_f64()
}

/// One judge scoring sheets one after another (GET, PUT, submit): sheets a second,
/// and the time of each step.
async fn judge_flow(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    values: &[ScoreValue],
    n: usize,
) -> Result<(f64, usize, [f64; 3]), String> {
    let mine: Vec<serde_json::Value> = http
        .get(format!("{base}/api/v1/me/assignments"))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut done = 0usize;
    let mut steps = [Duration::ZERO; 3];
    for a in mine.iter().take(n) {
        let id = a["id"].as_str().ok_or("id")?;
        let t = Instant::now();
        http.get(format!("{base}/api/v1/assignments/{id}"))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .bytes()
            .await
            .map_err(|e| e.to_string())?;
        steps[0] += t.elapsed();
        let t = Instant::now();
        http.put(format!("{base}/api/v1/assignments/{id}/sheet"))
            .bearer_auth(token)
            .json(&serde_json::json!({ "scores": values }))
            .send()
            .await
            .map_err(|e| e.to_string())?
            .bytes()
            .await
            .map_err(|e| e.to_string())?;
        steps[1] += t.elapsed();
        let t = Instant::now();
        let r = http
            .post(format!("{base}/api/v1/assignments/{id}/sheet/submit"))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let ok = r.status().is_success();
        r.bytes().await.map_err(|e| e.to_string())?;
        steps[2] += t.elapsed();
        if ok {
            done += 1;
        }
    }
    let per = |d: Duration| d.as_secs_f64() * 1000.0 / done.max(1) as f64;
    Ok((
        done as f64 / started.elapsed().as_secs_f64(),
        done,
        [per(steps[0]), per(steps[1]), per(steps[2])],
    ))
}

/// Median time of `times` GETs of `path`, with the body read; fails on a non-2xx.
async fn median_get(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    times: usize,
) -> Result<Duration, String> {
    let mut took = Vec::with_capacity(times);
    for _ in 0..times {
        let t = Instant::now();
        let r = http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !r.status().is_success() {
            return Err(format!("GET {url}: {}", r.status()));
        }
        r.bytes().await.map_err(|e| e.to_string())?;
        took.push(t.elapsed());
    }
    took.sort();
    Ok(took[took.len() / 2])
}

/// The catalogue query of client `c`'s `i`-th request: a word of the titles, sometimes
/// two, sometimes with a year, over the first three pages.
fn catalogue_query(c: usize, i: u64) -> String {
    let k = c * 31 + usize::try_from(i).unwrap_or(0);
    let word = match k % 3 {
        0 => seed::TOPICS[k % seed::TOPICS.len()],
        1 => seed::THEMES[k % seed::THEMES.len()],
        _ => seed::PLACES[k % seed::PLACES.len()],
    };
    let mut q = format!("q={}", word.to_lowercase().replace(' ', "+"));
    if k.is_multiple_of(4) {
        q.push_str(&format!(
            "+{}",
            seed::PLACES[(k / 4) % seed::PLACES.len()]
                .to_lowercase()
                .replace(' ', "+")
        ));
    }
    if k.is_multiple_of(5) {
        q.push_str(&format!("&year={}", 2016 + k % 10));
    }
    q.push_str(&format!("&page={}", 1 + k % 3));
    q
}

async fn bench_http(scale: &Scale, only: &Only<'_>) -> Result<Vec<Row>, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (store, url, pg) = scratch_store(dir.path()).await?;
    let outcome = measure(scale, only, dir.path(), store, &url).await;
    drop_scratch(pg).await;
    outcome
}

async fn measure(
    scale: &Scale,
    only: &Only<'_>,
    dir: &std::path::Path,
    store: Store,
    url: &str,
) -> Result<Vec<Row>, String> {
    store.migrate().await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    let seeded = seed::seed(&store, scale).await?;
    let seeding = started.elapsed();
    let rubric = store
        .round(seeded.solo_round)
        .await
        .map_err(|e| e.to_string())?
        .rubric;
    let drafts_rubric = match seeded.drafts.iter().flatten().next() {
        Some(id) => {
            store
                .assignment_for(*id, &seeded.organiser)
                .await
                .map_err(|e| e.to_string())?
                .1
                .rubric
        }
        None => rubric.clone(),
    };
    let draft = full_sheet(&drafts_rubric, 2);
    let mut rows = Vec::new();

    // A fixed number of queries: the same reads at a tenth of the size.
    let (small, ranked) = (seeded.small_round, seeded.ranked_round);
    let q_small = queries_for(url, async |s| {
        s.round_results(small)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .await?;
    let q_ranked = queries_for(url, async |s| {
        s.round_results(ranked)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .await?;
    // The catalogue: the queries that load it into memory, then those of one page.
    let (q_build, q_page) = {
        let mut s = Store::connect(url).await.map_err(|e| e.to_string())?;
        let n = s.count_queries();
        s.catalogue(CatalogueFilter::default(), 1, 10)
            .await
            .map_err(|e| e.to_string())?;
        let built = n.swap(0, Ordering::Relaxed);
        s.catalogue(CatalogueFilter::default(), 2, 100)
            .await
            .map_err(|e| e.to_string())?;
        let paged = n.load(Ordering::Relaxed);
        s.close().await.ok();
        (built, paged)
    };

    if only.wants(Step::Catalogue) {
        rows.push(bench_search_cost(url, scale).await?);
    }

    // The audit chain: the set-up's events sealed at once (as a sealer that was stopped
    // would, in batches of one short write transaction each), then walked.
    if only.wants(Step::Audit) {
        rows.extend(bench_audit(&store).await?);
    }

    // The database's own rate for the draft saves, without HTTP.
    let raw = if only.wants(Step::Saves) {
        raw_saves(&store, &seeded, &draft, scale.saves_for / 2).await
    } else {
        f64::NAN
    };
    store.close().await.ok();
    let prepared = Prepared {
        seeded,
        seeding,
        rubric,
        draft,
        raw,
        queries: [q_small, q_ranked, q_build, q_page],
    };
    rows.extend(over_http(scale, only, dir, url, &prepared).await?);
    Ok(rows)
}

/// The catalogue search's worst case against ordinary searches, in the store (no HTTP):
/// the most distinct words allowed, each a common three-letter string found inside many
/// words of the vocabulary,
/// against one or two topic words. The cap on distinct words (`SearchQuery`) is what
/// bounds the ratio.
async fn bench_search_cost(url: &str, scale: &Scale) -> Result<Row, String> {
    let s = Store::connect(url).await.map_err(|e| e.to_string())?;
    let search = |q: String| CatalogueFilter {
        q: Some(q),
        ..CatalogueFilter::default()
    };
    // Load the catalogue into memory first.
    s.catalogue(CatalogueFilter::default(), 1, 20)
        .await
        .map_err(|e| e.to_string())?;
    let n = if scale.catalogue >= 10_000 { 300 } else { 50 };
    let ordinary: Vec<String> = (0..n)
        .map(|i| {
            let mut q = seed::TOPICS[i % seed::TOPICS.len()].to_lowercase();
            if i % 2 == 0 {
                q.push(' ');
                q.push_str(&seed::PLACES[i % seed::PLACES.len()].to_lowercase());
            }
            q
        })
        .collect();
    let worst: Vec<String> = (0..n)
        .map(|i| ["ang kan aan ran", "asi ata ala ama", "ing ang kan ari"][i % 3].to_owned())
        .collect();
    let mut took = [Duration::ZERO; 2];
    for (k, queries) in [&ordinary, &worst].into_iter().enumerate() {
        let started = Instant::now();
        for q in queries {
            s.catalogue(search(q.clone()), 1, 20)
                .await
                .map_err(|e| e.to_string())?;
        }
        took[k] = started.elapsed();
    }
    s.close().await.ok();
    let per = |d: Duration| d / u32::try_from(n).unwrap_or(1);
    let ratio = took[1].as_secs_f64() / took[0].as_secs_f64().max(1e-9);
    Ok(Row {
        what: "catalogue search: worst-case query vs ordinary ones (store, no HTTP)".to_owned(),
        scale: format!("{} innovations, {n} queries each", scale.catalogue),
        figure: format!(
            "worst {} vs ordinary {} a query: ratio {ratio:.2}",
            ms(per(took[1])),
            ms(per(took[0]))
        ),
        target: "worst ≤ 5 ordinary",
        limit: "4 distinct words at most (422 past it); one- and two-letter words from precomputed sets, longer ones by one pass over the vocabulary"
            .to_owned(),
    })
}

/// What the HTTP steps need from the set-up.
struct Prepared {
    seeded: Seeded,
    seeding: Duration,
    /// The solo judge's rubric, and a full draft of the load judges' rubric.
    rubric: juri_domain::rubric::Rubric,
    draft: Vec<ScoreValue>,
    /// The store's own rate for the draft saves (NaN when not measured).
    raw: f64,
    /// Statements: results at the small and ranked sizes, loading the catalogue, a page.
    queries: [u64; 4],
}

/// The audit chain: the set-up's events sealed at once (as a sealer that was stopped
/// would, in batches of one short write transaction each), then walked.
async fn bench_audit(store: &Store) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let t = Instant::now();
    let sealed = store
        .seal_audit(chrono::Utc::now())
        .await
        .map_err(|e| e.to_string())?;
    let sealing = t.elapsed();
    let t = Instant::now();
    let chain = store
        .verify_audit(chrono::Utc::now())
        .await
        .map_err(|e| e.to_string())?;
    let verifying = t.elapsed();
    rows.push(Row {
        what: "audit sealing, pending events chained (store)".into(),
        scale: format!("{sealed} events"),
        figure: format!(
            "{} ({:.1} ms a batch of {})",
            ms(sealing),
            sealing.as_secs_f64() * 1000.0
                / sealed.div_ceil(juri_persistence::SEAL_BATCH).max(1) as f64,
            juri_persistence::SEAL_BATCH
        ),
        target: "< 50 ms a batch",
        limit: "one short write transaction a batch: the longest a writer waits for the sealer"
            .into(),
    });
    rows.push(Row {
        what: "audit verify, the whole chain walked (store)".into(),
        scale: format!("{} events", chain.sealed),
        figure: format!(
            "{}{}",
            ms(verifying),
            if chain.ok { "" } else { " (NOT intact)" }
        ),
        target: "< 1 s a 100,000 events",
        limit: "reads in pages of 1,000 and one SHA-256 an event".into(),
    });
    Ok(rows)
}

/// The rows measured over HTTP against `juri serve` in a process of its own.
async fn over_http(
    scale: &Scale,
    only: &Only<'_>,
    dir: &std::path::Path,
    url: &str,
    prepared: &Prepared,
) -> Result<Vec<Row>, String> {
    let Prepared {
        seeded,
        seeding,
        rubric,
        draft,
        raw,
        queries: [q_small, q_ranked, q_build, q_page],
    } = prepared;
    let mut rows = Vec::new();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .map_err(|e| e.to_string())?;
    let secret = "bench-secret-".repeat(4);
    let server = load::Server::start(
        dir,
        url.starts_with("postgres").then_some(url),
        &secret,
        &http,
    )
    .await?;
    let base = server.base.clone();
    let mut rss_steps: Vec<String> = Vec::new();
    let mut rss_at = |what: &str, server: &load::Server| {
        if let Some(m) = server.peak_rss_mib() {
            rss_steps.push(format!("{what} {m:.0}"));
        }
    };
    rss_at("started", &server);
    let organiser = login(&http, &base, seeded.organiser.email.as_str()).await?;
    let solo = login(&http, &base, seeded.solo_judge.email.as_str()).await?;
    let concurrent = only.wants(Step::Saves) || only.wants(Step::Logins);
    let mut tokens = Vec::with_capacity(seeded.load_judges.len());
    if concurrent {
        for j in &seeded.load_judges {
            tokens.push(login(&http, &base, j.email.as_str()).await?);
        }
    }
    let tokens = Arc::new(tokens);
    let clients = seeded.load_judges.len();
    let short = scale.saves_for / 2;

    // The limits: a bare handler, sequential and concurrent, over the same client.
    let b = base.clone();
    let bare = if concurrent || only.wants(Step::Catalogue) {
        load::run(&http, clients, short, move |h, _, _| {
            h.get(format!("{b}/healthz"))
        })
        .await
        .rps()
    } else {
        f64::NAN
    };
    let b = base.clone();
    let bare_seq = if only.wants(Step::JudgeFlow) {
        load::run(
            &http,
            1,
            short.min(Duration::from_secs(5)),
            move |h, _, _| h.get(format!("{b}/healthz")),
        )
        .await
        .rps()
    } else {
        f64::NAN
    };
    rss_at("bare", &server);

    if only.wants(Step::JudgeFlow) {
        // One judge, one sheet after another.
        let (sheets_per_s, done, steps) = judge_flow(
            &http,
            &base,
            &solo,
            &full_sheet(rubric, 1),
            scale.judge_sheets,
        )
        .await?;
        rows.push(Row {
            what: "one judge submitting sheets (GET, PUT, submit), one client".into(),
            scale: format!("{done} sheets x 8 criteria"),
            figure: format!("{sheets_per_s:.0} sheets/s"),
            target: ">= 400 sheets/s",
            limit: format!(
                "bare handler {bare_seq:.0} req/s sequential: ratio {:.2} (3 requests a sheet); per sheet GET {:.2} ms, PUT {:.2} ms, submit {:.2} ms",
                sheets_per_s * 3.0 / bare_seq,
                steps[0],
                steps[1],
                steps[2]
            ),
        });
        rss_at("judge flow", &server);
    }

    // Draft saves: every judge saving their own sheets.
    let body = Arc::new(
        serde_json::to_vec(&serde_json::json!({ "scores": draft })).map_err(|e| e.to_string())?,
    );
    let drafts = Arc::new(seeded.drafts.clone());
    let saver = {
        let (b, t, d, body) = (base.clone(), tokens.clone(), drafts.clone(), body.clone());
        move |h: &reqwest::Client, c: usize, i: u64| {
            let mine = &d[c % d.len()];
            let id = mine[usize::try_from(i).unwrap_or(0) % mine.len().max(1)];
            h.put(format!("{b}/api/v1/assignments/{id}/sheet"))
                .bearer_auth(&t[c % t.len().max(1)])
                .header("content-type", "application/json")
                .body(body.as_ref().clone())
        }
    };
    if only.wants(Step::Saves) {
        let saves = load::run(&http, clients, scale.saves_for, saver.clone()).await;
        rows.push(Row {
            what: format!("draft sheet saves over HTTP, {clients} concurrent judges"),
            scale: format!("{} s, 8 criteria a sheet", scale.saves_for.as_secs()),
            figure: saves.summary(),
            target: ">= 2,000 req/s, p99 < 50 ms (SQLite)",
            limit: format!(
                "the same saves without HTTP {raw:.0}/s: ratio {:.2}; bare handler {bare:.0} req/s concurrent: ratio {:.2}",
                saves.rps() / raw,
                saves.rps() / bare
            ),
        });
        rss_at("saves", &server);
    }

    if only.wants(Step::Catalogue) {
        // The public catalogue, searched by as many clients.
        let b = base.clone();
        let search = load::run(&http, clients, short, move |h, c, i| {
            h.get(format!(
                "{b}/api/v1/public/innovations?{}",
                catalogue_query(c, i)
            ))
        })
        .await;
        rows.push(Row {
            what: format!("public catalogue search over HTTP, {clients} clients"),
            scale: format!("{} innovations, {} s", seeded.catalogue, short.as_secs()),
            figure: search.summary(),
            target: ">= 3,000 req/s, p99 < 50 ms",
            limit: format!(
                "bare handler {bare:.0} req/s concurrent: ratio {:.2}; {q_build} queries load the whole catalogue into memory, then {q_page} a page (rechecked at most once a second)",
                search.rps() / bare
            ),
        });
        rss_at("catalogue", &server);
    }

    if only.wants(Step::Logins) {
        // A login storm while the judges save.
        let b = base.clone();
        let emails: Arc<Vec<String>> = Arc::new(
            seeded
                .load_judges
                .iter()
                .map(|j| j.email.as_str().to_owned())
                .collect(),
        );
        let storm = load::run(&http, scale.logins_in_flight, short, move |h, c, _| {
            h.post(format!("{b}/api/v1/auth/login"))
                .json(&serde_json::json!({"email": emails[c % emails.len()], "password": PASSWORD}))
        });
        let during = load::run(&http, clients, short, saver);
        let (storm, during) = tokio::join!(storm, during);
        rows.push(Row {
            what: format!(
                "a login storm ({} logins in flight) while {clients} judges save",
                scale.logins_in_flight
            ),
            scale: format!("{} s", short.as_secs()),
            figure: format!("saves: {}", during.summary()),
            target: "sheet-save p99 < 100 ms",
            limit: format!(
                "logins: {} (argon2id m=19 MiB t=2 on its own threads, half the cores)",
                storm.summary()
            ),
        });
        rss_at("login storm", &server);
    }

    if only.wants(Step::Results) {
        // Results, end to end, as the organiser reads them: the big round, then the
        // ranked one.
        let reads = [
            (
                seeded.results_round,
                3,
                "round results route, end to end",
                format!("{} sheets x 8 criteria", seeded.results_sheets),
                "< 1 s",
                "reads of every sheet and score, then the domain aggregation".to_owned(),
            ),
            (
                seeded.ranked_round,
                5,
                "organiser's ranked results (the JSON route)",
                format!("{} entries x 3 sheets", seeded.ranked_entries),
                "< 100 ms, a fixed number of queries",
                format!(
                    "{q_ranked} queries at {} entries, {q_small} at {}",
                    seeded.ranked_entries, seeded.small_entries
                ),
            ),
        ];
        for (round, times, what, scale, target, limit) in reads {
            let took = median_get(
                &http,
                &format!("{base}/api/v1/rounds/{round}/results"),
                &organiser,
                times,
            )
            .await?;
            rows.push(Row {
                what: what.into(),
                scale,
                figure: ms(took),
                target,
                limit,
            });
        }
        rss_at("results", &server);
    }
    let rss = server.peak_rss_mib();
    server.stop();
    rows.push(Row {
        what: "server memory (juri serve, a process of its own)".into(),
        scale: "the steps above".into(),
        figure: rss.map_or("unknown".into(), |m| format!("peak RSS {m:.0} MiB")),
        target: "< 150 MiB",
        limit: format!(
            "peak MiB after each step: {}; seeding the data took {:.1} s (not measured)",
            rss_steps.join(", "),
            seeding.as_secs_f64()
        ),
    });
    Ok(rows)
}
/// Run the benchmarks and print one table.
#[expect(clippy::print_stdout, reason = "the table is the benchmark's output")]
pub async fn run(quick: bool, only: &[Step]) -> Result<(), String> {
    let only = Only(only);
    let scale = if quick { &QUICK } else { &FULL };
    let mut rng = Rng(0x00BA_4C47_u64);
    let backend = if std::env::var("DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let mut rows = Vec::new();
    if only.wants(Step::Assignment) {
        rows.push(bench_assignment(scale, &mut rng));
    }
    if only.wants(Step::Aggregation) {
        rows.extend(bench_aggregation(scale, &mut rng));
    }
    rows.extend(bench_http(scale, &only).await?);
    println!(
        "juri bench{} — {backend}, {} cores",
        if quick { " --quick" } else { "" },
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!("| what | scale | figure | target | what bounds it |");
    println!("| --- | --- | --- | --- | --- |");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} |",
            r.what, r.scale, r.figure, r.target, r.limit
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn a_scratch_database_url_keeps_the_server_and_its_parameters() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/postgres", "juri_x"),
            "postgres://postgres@127.0.0.1:5432/juri_x"
        );
        assert_eq!(
            database_url(
                "postgres://postgres@localhost/postgres?host=/var/run/postgresql",
                "juri_x"
            ),
            "postgres://postgres@localhost/juri_x?host=/var/run/postgresql"
        );
        assert_eq!(
            database_url("postgresql://db.example", "juri_x"),
            "postgresql://db.example/juri_x"
        );
    }
}
