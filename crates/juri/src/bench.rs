//! `juri bench`: the figures of `docs/performance.md`, measured in one run on a
//! scratch database (SQLite in a temporary folder, or a scratch PostgreSQL database
//! when `DATABASE_URL` names a server), each printed beside the limit that bounds it on
//! this machine. A benchmark, not a test: it checks nothing about time; CI only runs
//! `--quick` to the end.

use juri_domain::assignment::{EntryNode, JudgeNode, Problem, assign};
use juri_domain::clock::SystemClock;
use juri_domain::edition::{EditionDraft, RankingScope};
use juri_domain::entry::{Content, Event};
use juri_domain::ids::{CriterionId, EntryId, FieldId, UserId};
use juri_domain::ranking::SubmittedSheet;
use juri_domain::round::{Aggregation, PeerSheets, RoundSettings};
use juri_domain::rubric::{CriterionInput, Rubric, ScoreValue};
use juri_domain::scoring::{self, SheetScore};
use juri_domain::user::{Email, PersonName, Role, SubmitterKind, UserStatus};
use juri_persistence::{Blobs, NewUser, Store};
use juri_web::keys::Keyring;
use juri_web::{AppState, Config};
use secrecy::SecretString;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Sizes of one run.
struct Scale {
    assign_entries: usize,
    assign_judges: usize,
    sheets: usize,
    ranked_entries: usize,
    judge_sheets: usize,
}

const FULL: Scale = Scale {
    assign_entries: 10_000,
    assign_judges: 500,
    sheets: 30_000,
    ranked_entries: 1_000,
    judge_sheets: 1_000,
};

const QUICK: Scale = Scale {
    assign_entries: 300,
    assign_judges: 30,
    sheets: 900,
    ranked_entries: 40,
    judge_sheets: 40,
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

fn rubric8() -> Rubric {
    let c = |i: usize| CriterionInput {
        id: None,
        name: format!("Kriteria {i}"),
        description: String::new(),
        weight: 1.0 + i as f64,
        min: 1,
        max: 10,
    };
    Rubric::parse((0..8).map(c).collect()).unwrap_or(Rubric { criteria: vec![] })
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

async fn scratch_store(dir: &std::path::Path) -> Result<(Store, Option<(String, String)>), String> {
    match std::env::var("DATABASE_URL") {
        Ok(admin) if admin.starts_with("postgres") => {
            let name = format!("juri_bench_{}", uuid::Uuid::now_v7().simple());
            let a = Store::connect(&admin).await.map_err(|e| e.to_string())?;
            a.execute_raw(&format!("CREATE DATABASE {name}"))
                .await
                .map_err(|e| e.to_string())?;
            a.close().await.ok();
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            let store = Store::connect(&format!("{base}/{name}"))
                .await
                .map_err(|e| e.to_string())?;
            Ok((store, Some((admin, name))))
        }
        _ => Ok((
            Store::connect(&Store::sqlite_url(dir))
                .await
                .map_err(|e| e.to_string())?,
            None,
        )),
    }
}

const PASSWORD: &str = "pantai matras di pagi yang cerah";

/// A closed-deadline edition with `n` eligible entries, one judge and a one-judge round.
async fn judged_edition(
    state: &AppState,
    n: usize,
) -> Result<(juri_domain::round::Round, juri_domain::user::User), String> {
    let s = &state.store;
    let err = |e: juri_persistence::StoreError| e.to_string();
    let now = chrono::Utc::now();
    let hash = juri_web::passwords::hash_blocking(&SecretString::from(PASSWORD))
        .map_err(|e| e.to_string())?;
    let name = PersonName::parse("Bench").map_err(|e| e.message_en)?;
    let mk = |email: &str, role, kind| -> Result<NewUser, String> {
        Ok(NewUser {
            email: Email::parse(email).map_err(|e| e.message_en)?,
            name: name.clone(),
            role,
            submitter_kind: kind,
            organisation_id: None,
            password_hash: Some(hash.clone()),
            status: UserStatus::Active,
            expertise: vec![],
        })
    };
    let organiser = s
        .create_user(
            mk("bench.panitia@juri.local", Role::Organiser, None)?,
            None,
            now,
        )
        .await
        .map_err(err)?;
    let judge = s
        .create_user(mk("bench.juri@juri.local", Role::Judge, None)?, None, now)
        .await
        .map_err(err)?;
    let sub = s
        .create_user(
            mk(
                "bench.warga@juri.local",
                Role::Submitter,
                Some(SubmitterKind::Citizen),
            )?,
            None,
            now,
        )
        .await
        .map_err(err)?;
    let opens = now - chrono::Duration::days(30);
    let draft = EditionDraft::parse(
        "Bench edition",
        2026,
        opens,
        now - chrono::Duration::days(1),
        true,
        RankingScope::PerTrack,
    )
    .map_err(|e| e.to_string())?;
    let ed = s
        .create_edition(draft, organiser.id, opens - chrono::Duration::days(1))
        .await
        .map_err(err)?;
    let fields = s.fields(ed.id).await.map_err(err)?;
    let tracks = s.tracks(ed.id).await.map_err(err)?;
    let track = tracks
        .iter()
        .find(|t| t.submitter_kind == Some(SubmitterKind::Citizen))
        .ok_or("track")?;
    for i in 0..n {
        let at = opens + chrono::Duration::minutes(i64::try_from(i).unwrap_or(0));
        let content = Content {
            title: format!("Inovasi bench {i}"),
            field_id: Some(fields[i % fields.len()].id),
            track_id: Some(track.id),
            summary: "Ringkasan".into(),
            problem: "Masalah".into(),
            solution: "Solusi".into(),
            how_it_works: "Cara kerja".into(),
            impact: "Dampak".into(),
            publication_consent: true,
            ..Default::default()
        };
        let e = s
            .create_entry(ed.id, &sub, content, at)
            .await
            .map_err(err)?;
        s.transition_entry(e.id, &sub, Event::Submit, None, at)
            .await
            .map_err(err)?;
        s.transition_entry(
            e.id,
            &organiser,
            Event::Screen { eligible: true },
            None,
            now,
        )
        .await
        .map_err(err)?;
    }
    s.put_panel_judge(ed.id, judge.id, vec![], organiser.id, now)
        .await
        .map_err(err)?;
    let settings = RoundSettings {
        name: "Evaluasi".into(),
        position: 1,
        judges_per_entry: 1,
        aggregation: Aggregation::Mean,
        weight: None,
        blind: true,
        disagreement_threshold: 25.0,
        peer_sheets: PeerSheets::Never,
        judge_names_visible: false,
    };
    let round = s
        .create_round(ed.id, settings, rubric8(), organiser.id, now)
        .await
        .map_err(err)?;
    s.auto_assign(round.id, organiser.id, now)
        .await
        .map_err(|_| "assignment failed".to_owned())?;
    Ok((round, judge))
}

/// A bare handler's sequential throughput over the same client: the limit of the
/// sequential judge flow on this machine.
async fn bare_rps(base: &str, client: &reqwest::Client, n: usize) -> f64 {
    let started = Instant::now();
    for _ in 0..n {
        let _ = client.get(format!("{base}/healthz")).send().await;
    }
    n as f64 / started.elapsed().as_secs_f64()
}

async fn bench_http(scale: &Scale, sealer: bool) -> Result<Vec<Row>, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (store, pg) = scratch_store(dir.path()).await?;
    store.migrate().await.map_err(|e| e.to_string())?;
    let keys = Keyring::new(&SecretString::from("bench-secret-".repeat(4)), &[])?;
    let blobs = Blobs::local(&dir.path().join("files")).map_err(|e| e.to_string())?;
    let state = AppState::new(
        store.clone(),
        blobs,
        Arc::new(SystemClock),
        keys,
        Config::new("http://127.0.0.1"),
    )
    .map_err(|e| e.to_string())?;
    let (round, judge) =
        judged_edition(&state, scale.judge_sheets.max(scale.ranked_entries)).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let base = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let app = juri_web::router(state.clone(), None);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(juri_web::serve(listener, app, async {
        let _ = rx.await;
    }));
    // The set-up's audit events are pending: seal them at once, as a sealer that was
    // stopped would, to time the batches (each one write transaction).
    let started = Instant::now();
    let sealed = store
        .seal_audit(chrono::Utc::now())
        .await
        .map_err(|e| e.to_string())?;
    let sealing = started.elapsed();
    // As in `juri serve`: the audit sealer runs beside the judges' writes.
    let sealer = sealer.then(|| store.spawn_sealer(Arc::new(SystemClock), Duration::from_secs(1)));
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": judge.email.as_str(), "password": PASSWORD}))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let token = login["access_token"].as_str().ok_or("login")?.to_owned();
    let mine: Vec<serde_json::Value> = client
        .get(format!("{base}/api/v1/me/assignments"))
        .bearer_auth(&token)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let values: Vec<ScoreValue> = round
        .rubric
        .criteria
        .iter()
        .map(|c| ScoreValue {
            criterion_id: c.id,
            value: Some(c.min + 1),
            comment: None,
        })
        .collect();
    let started = Instant::now();
    let mut done = 0usize;
    // Time per step, to see which request dominates.
    let mut steps = [Duration::ZERO; 3];
    for a in mine.iter().take(scale.judge_sheets) {
        let id = a["id"].as_str().ok_or("id")?;
        let t = Instant::now();
        client
            .get(format!("{base}/api/v1/assignments/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        steps[0] += t.elapsed();
        let t = Instant::now();
        client
            .put(format!("{base}/api/v1/assignments/{id}/sheet"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"scores": values}))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        steps[1] += t.elapsed();
        let t = Instant::now();
        let r = client
            .post(format!("{base}/api/v1/assignments/{id}/sheet/submit"))
            .bearer_auth(&token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        steps[2] += t.elapsed();
        if r.status().is_success() {
            done += 1;
        }
    }
    let per = |d: Duration| d.as_secs_f64() * 1000.0 / done.max(1) as f64;
    let sheets_per_s = done as f64 / started.elapsed().as_secs_f64();
    let bare = bare_rps(&base, &client, 500.min(scale.judge_sheets * 10)).await;
    // The organiser's ranked results, through the store (the JSON route does only this).
    let started = Instant::now();
    let results = store
        .round_results(round.id)
        .await
        .map_err(|e| e.to_string())?;
    let ranked = started.elapsed();
    let _ = store.seal_audit(chrono::Utc::now()).await;
    let started = Instant::now();
    let chain = store
        .verify_audit(chrono::Utc::now())
        .await
        .map_err(|e| e.to_string())?;
    let verifying = started.elapsed();
    let _ = tx.send(());
    let _ = server.await;
    if let Some(s) = sealer {
        s.abort();
    }
    store.close().await.ok();
    if let Some((admin, name)) = pg
        && let Ok(a) = Store::connect(&admin).await
    {
        let _ = a
            .execute_raw(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
    }
    let entries: usize = results.ranking.groups.iter().map(|g| g.entries.len()).sum();
    Ok(vec![
        Row {
            what: "one judge submitting sheets (GET, PUT, submit), one client".into(),
            scale: format!("{done} sheets x 8 criteria"),
            figure: format!("{sheets_per_s:.0} sheets/s"),
            target: ">= 400 sheets/s",
            limit: format!(
                "bare handler {bare:.0} req/s sequential; ratio {:.2}; per sheet: GET {:.2} ms, PUT {:.2} ms, submit {:.2} ms",
                sheets_per_s * 3.0 / bare,
                per(steps[0]),
                per(steps[1]),
                per(steps[2])
            ),
        },
        Row {
            what: "ranked round results (store, as the JSON route)".into(),
            scale: format!("{entries} entries x 1 sheet"),
            figure: ms(ranked),
            target: "< 100 ms",
            limit: "database reads; a fixed number of queries per round".into(),
        },
        Row {
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
        },
        Row {
            what: "audit verify, the whole chain walked (store)".into(),
            scale: format!("{} events", chain.sealed),
            figure: format!(
                "{}{}",
                ms(verifying),
                if chain.ok { "" } else { " (NOT intact)" }
            ),
            target: "< 1 s a 100,000 events",
            limit: "reads in pages of 1,000 and one SHA-256 an event".into(),
        },
    ])
}

/// Run the benchmarks and print one table.
#[expect(clippy::print_stdout, reason = "the table is the benchmark's output")]
pub async fn run(quick: bool, sealer: bool) -> Result<(), String> {
    let scale = if quick { &QUICK } else { &FULL };
    let mut rng = Rng(0x00BA_4C47_u64);
    let backend = if std::env::var("DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let mut rows = vec![bench_assignment(scale, &mut rng)];
    rows.extend(bench_aggregation(scale, &mut rng));
    rows.extend(bench_http(scale, sealer).await?);
    println!(
        "juri bench{}{} — {backend}, {} cores",
        if quick { " --quick" } else { "" },
        if sealer { "" } else { " --no-sealer" },
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
