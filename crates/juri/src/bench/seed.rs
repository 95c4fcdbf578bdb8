//! The data of `juri bench`: editions at the scale of a national competition, made
//! through the store's regular paths where they are cheap (users, editions, rounds,
//! the automatic assignment, the import of earlier years) and in bulk where the regular
//! path would take minutes (copies of an entry, a round's submitted sheets).

use super::Scale;
use juri_domain::edition::{EditionDraft, RankingScope};
use juri_domain::entry::{Content, Event};
use juri_domain::ids::{AssignmentId, RoundId};
use juri_domain::import::{RawRow, parse_row};
use juri_domain::round::{Aggregation, PeerSheets, RoundSettings};
use juri_domain::rubric::{CriterionInput, Rubric};
use juri_domain::user::{Email, PersonName, Role, SubmitterKind, User, UserStatus};
use juri_persistence::{EntryCopy, NewUser, Store, StoreError};
use secrecy::SecretString;

pub const PASSWORD: &str = "pantai matras di pagi yang cerah";

/// Words the generated titles are made of; the catalogue search asks for them.
pub const TOPICS: [&str; 24] = [
    "Layanan",
    "Aplikasi",
    "Gerakan",
    "Sistem",
    "Program",
    "Kampung",
    "Sekolah",
    "Pasar",
    "Posyandu",
    "Perpustakaan",
    "Bank",
    "Kebun",
    "Rumah",
    "Kelas",
    "Jaringan",
    "Klinik",
    "Dapur",
    "Patroli",
    "Pojok",
    "Festival",
    "Koperasi",
    "Bengkel",
    "Taman",
    "Kantor",
];
pub const THEMES: [&str; 20] = [
    "Sampah",
    "Lada",
    "Timah",
    "Nelayan",
    "Stunting",
    "Literasi",
    "Digital",
    "Mangrove",
    "Kesehatan",
    "Pangan",
    "Ternak",
    "Wisata",
    "Air Bersih",
    "Disabilitas",
    "Lansia",
    "Ibu Hamil",
    "Pajak",
    "Kependudukan",
    "Pertanian",
    "Energi Surya",
];
pub const PLACES: [&str; 12] = [
    "Sungailiat",
    "Belinyu",
    "Pemali",
    "Merawang",
    "Mendo Barat",
    "Puding Besar",
    "Bakam",
    "Riau Silip",
    "Baturusa",
    "Kemuja",
    "Petaling",
    "Jada Bahrin",
];
const FIELDS: [&str; 8] = [
    "Pertumbuhan ekonomi dan kesempatan kerja",
    "Kesehatan",
    "Ketahanan pangan",
    "Tata kelola pemerintahan",
    "Perlindungan dan pelestarian lingkungan hidup",
    "Pendidikan",
    "Pelayanan publik responsif gender",
    "Pengentasan kemiskinan",
];

pub fn title(i: usize) -> String {
    format!(
        "{} {} {} {}",
        TOPICS[i % TOPICS.len()],
        THEMES[(i / TOPICS.len()) % THEMES.len()],
        PLACES[(i / 7) % PLACES.len()],
        i
    )
}

/// What the load and the measurements need to find again.
#[derive(Debug)]
pub struct Seeded {
    pub organiser: User,
    pub solo_judge: User,
    pub load_judges: Vec<User>,
    /// Each load judge's draft assignments (same order as `load_judges`).
    pub drafts: Vec<Vec<AssignmentId>>,
    /// One judge, every entry: the sequential judge flow.
    pub solo_round: RoundId,
    /// Entries × 3 submitted sheets at the results scale (30,000 sheets).
    pub results_round: RoundId,
    pub results_sheets: usize,
    /// The organiser's ranked results: 1,000 entries × 3 sheets.
    pub ranked_round: RoundId,
    pub ranked_entries: usize,
    /// A tenth of the ranked round, to show the query count does not grow.
    pub small_round: RoundId,
    pub small_entries: usize,
    pub catalogue: usize,
}

pub fn rubric8() -> Rubric {
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

fn err(e: StoreError) -> String {
    e.to_string()
}

struct Maker {
    store: Store,
    organiser: User,
    submitter: User,
    now: chrono::DateTime<chrono::Utc>,
}

impl Maker {
    /// An edition whose deadline has passed, with `n` eligible citizen entries, the
    /// `judges` on its panel, and one round of `k` judges an entry, assigned.
    async fn judged_round(
        &self,
        year: i32,
        n: usize,
        judges: &[User],
        k: u32,
    ) -> Result<RoundId, String> {
        let s = &self.store;
        let opens = self.now - chrono::Duration::days(30);
        let draft = EditionDraft::parse(
            &format!("Bench {year}"),
            year,
            opens,
            self.now - chrono::Duration::days(1),
            true,
            RankingScope::PerTrack,
        )
        .map_err(|e| e.to_string())?;
        let ed = s
            .create_edition(draft, self.organiser.id, opens - chrono::Duration::days(1))
            .await
            .map_err(err)?;
        let fields = s.fields(ed.id).await.map_err(err)?;
        let tracks = s.tracks(ed.id).await.map_err(err)?;
        let track = tracks
            .iter()
            .find(|t| t.submitter_kind == Some(SubmitterKind::Citizen))
            .ok_or("no citizen track")?;
        let content = Content {
            title: title(0),
            field_id: fields.first().map(|f| f.id),
            track_id: Some(track.id),
            summary: "Ringkasan inovasi untuk pengukuran.".into(),
            problem: "Masalah".into(),
            solution: "Solusi".into(),
            how_it_works: "Cara kerja".into(),
            impact: "Dampak".into(),
            publication_consent: true,
            ..Default::default()
        };
        let template = s
            .create_entry(ed.id, &self.submitter, content, opens)
            .await
            .map_err(err)?;
        s.transition_entry(template.id, &self.submitter, Event::Submit, None, opens)
            .await
            .map_err(err)?;
        s.transition_entry(
            template.id,
            &self.organiser,
            Event::Screen { eligible: true },
            None,
            self.now,
        )
        .await
        .map_err(err)?;
        let copies = (1..n)
            .map(|i| EntryCopy {
                title: title(i),
                summary: format!("Ringkasan inovasi {} untuk pengukuran.", title(i)),
                field: fields.get(i % fields.len().max(1)).map(|f| f.id),
            })
            .collect();
        s.bulk_copy_entries(template.id, copies, self.now)
            .await
            .map_err(err)?;
        for j in judges {
            s.put_panel_judge(ed.id, j.id, vec![], self.organiser.id, self.now)
                .await
                .map_err(err)?;
        }
        let settings = RoundSettings {
            name: "Evaluasi dokumen".into(),
            position: 1,
            judges_per_entry: k,
            aggregation: Aggregation::Mean,
            weight: None,
            blind: true,
            disagreement_threshold: 25.0,
            peer_sheets: PeerSheets::Never,
            judge_names_visible: false,
        };
        let round = s
            .create_round(ed.id, settings, rubric8(), self.organiser.id, self.now)
            .await
            .map_err(err)?;
        s.auto_assign(round.id, self.organiser.id, self.now)
            .await
            .map_err(|_| format!("the assignment of the {year} round failed"))?;
        Ok(round.id)
    }
}

async fn users(
    store: &Store,
    now: chrono::DateTime<chrono::Utc>,
    judges: usize,
) -> Result<(User, User, User, Vec<User>), String> {
    let hash = juri_web::passwords::hash_blocking(&SecretString::from(PASSWORD))
        .map_err(|e| e.to_string())?;
    let name = PersonName::parse("Bench").map_err(|e| format!("{}: {}", e.field, e.code))?;
    let mk = |email: &str, role, kind| -> Result<NewUser, String> {
        Ok(NewUser {
            email: Email::parse(email).map_err(|e| format!("{}: {}", e.field, e.code))?,
            name: name.clone(),
            role,
            submitter_kind: kind,
            organisation_id: None,
            password_hash: Some(hash.clone()),
            status: UserStatus::Active,
            expertise: vec![],
        })
    };
    let make = async |email: &str, role, kind| -> Result<User, String> {
        store
            .create_user(mk(email, role, kind)?, None, now)
            .await
            .map_err(err)
    };
    let organiser = make("bench.panitia@juri.local", Role::Organiser, None).await?;
    let solo = make("bench.juri@juri.local", Role::Judge, None).await?;
    let submitter = make(
        "bench.warga@juri.local",
        Role::Submitter,
        Some(SubmitterKind::Citizen),
    )
    .await?;
    let mut load = Vec::with_capacity(judges);
    for j in 0..judges {
        load.push(make(&format!("bench.juri{j}@juri.local"), Role::Judge, None).await?);
    }
    Ok((organiser, solo, submitter, load))
}

/// Innovations of earlier years, through the import (the regular path), spread over
/// ten published archive editions.
async fn catalogue(
    store: &Store,
    n: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), String> {
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let cells = [
            ("year", (2016 + i % 10).to_string()),
            ("title", title(i)),
            ("track", "Masyarakat umum".to_owned()),
            ("field", FIELDS[i % FIELDS.len()].to_owned()),
            (
                "summary",
                format!(
                    "Warga {} mengembangkan {} untuk {}.",
                    PLACES[i % PLACES.len()],
                    TOPICS[(i / 3) % TOPICS.len()].to_lowercase(),
                    THEMES[(i / 5) % THEMES.len()].to_lowercase()
                ),
            ),
            ("consent", "ya".to_owned()),
        ];
        let raw = RawRow {
            line: i + 2,
            cells: cells.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        };
        rows.push(parse_row(&raw).map_err(|e| format!("catalogue row {i}: {e:?}"))?);
    }
    store
        .import_innovations(rows, "bench", now, &|_| {})
        .await
        .map_err(|e| format!("catalogue import: {e:?}"))?;
    Ok(())
}

pub async fn seed(store: &Store, scale: &Scale) -> Result<Seeded, String> {
    let now = chrono::Utc::now();
    let (organiser, solo_judge, submitter, load_judges) =
        users(store, now, scale.load_judges).await?;
    let m = Maker {
        store: store.clone(),
        organiser: organiser.clone(),
        submitter,
        now,
    };
    let solo_round = m
        .judged_round(
            2026,
            scale.judge_sheets,
            std::slice::from_ref(&solo_judge),
            1,
        )
        .await?;
    let drafts_round = m
        .judged_round(
            2027,
            scale.load_judges * scale.drafts_per_judge,
            &load_judges,
            1,
        )
        .await?;
    let mut drafts = Vec::with_capacity(load_judges.len());
    for j in &load_judges {
        let mine = store.my_assignments(j.id).await.map_err(err)?;
        drafts.push(
            mine.into_iter()
                .filter(|a| a.round_id == drafts_round)
                .map(|a| a.id)
                .collect(),
        );
    }
    let value = |i: usize, c: usize| 1 + i32::try_from((i * 7 + c * 3 + i / 13) % 10).unwrap_or(0);
    let results_round = m
        .judged_round(2028, scale.sheets / 3, &load_judges, 3)
        .await?;
    let results_sheets = store
        .bulk_submit_sheets(results_round, value, now)
        .await
        .map_err(err)?;
    let ranked_round = m
        .judged_round(2029, scale.ranked_entries, &load_judges, 3)
        .await?;
    store
        .bulk_submit_sheets(ranked_round, value, now)
        .await
        .map_err(err)?;
    let small_entries = (scale.ranked_entries / 10).max(4);
    let small_round = m.judged_round(2030, small_entries, &load_judges, 3).await?;
    store
        .bulk_submit_sheets(small_round, value, now)
        .await
        .map_err(err)?;
    catalogue(store, scale.catalogue, now).await?;
    Ok(Seeded {
        organiser,
        solo_judge,
        load_judges,
        drafts,
        solo_round,
        results_round,
        results_sheets,
        ranked_round,
        ranked_entries: scale.ranked_entries,
        small_round,
        small_entries,
        catalogue: scale.catalogue,
    })
}
