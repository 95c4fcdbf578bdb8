//! `juri demo`: a realistic, deterministic Bangka Innovation Awards so that a newcomer
//! sees a working system at once — a published edition of last year (winners and a
//! catalogue), and this year's edition with about 150 entries from real agencies,
//! students and citizens, 15 judges, a scored and closed document round and a
//! presentation round in progress. Everything is made through the same store calls as
//! the API, with times in the past, so every rule applies to the demo too.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use juri_domain::Message;
use juri_domain::award::Award;
use juri_domain::conflict::{ConflictKind, ConflictTarget};
use juri_domain::edition::{EditionDraft, RankingScope};
use juri_domain::entry::{Content, Event, TeamMember};
use juri_domain::ids::{EditionId, EntryId, OrganisationId};
use juri_domain::round::{Aggregation, PeerSheets, RoundSettings};
use juri_domain::rubric::{CriterionInput, Rubric, ScoreValue};
use juri_domain::scoring::AdvanceRule;
use juri_domain::user::{Email, PersonName, Role, SubmitterKind, User, UserStatus};
use juri_domain::{Error, attachment};
use juri_persistence::{AssignFailure, NewAttachment, NewUser};
use secrecy::SecretString;
use serde::Serialize;

/// The password of every demo account (printed by `juri demo`).
pub const DEMO_PASSWORD: &str = "pantai matras di pagi yang cerah";

/// What the demo made, and how to sign in.
#[derive(Debug, Serialize)]
pub struct DemoReport {
    pub organiser: String,
    pub judge: String,
    pub submitter: String,
    pub password: &'static str,
    pub current_edition: EditionId,
    pub published_edition: EditionId,
    pub entries: usize,
    pub judges: usize,
}

/// A small deterministic generator (xorshift64*): the same demo every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Topics per field (in the order of the default fields): (acronym, what it does).
const TOPICS: [&[(&str, &str)]; 9] = [
    &[
        ("SIPADU", "pelayanan perizinan terpadu satu pintu daring"),
        ("E-KINERJA", "penilaian kinerja pegawai berbasis aplikasi"),
        ("SIMDA-ASET", "pencatatan aset daerah dengan kode QR"),
        (
            "LAPOR BUPATI",
            "kanal pengaduan warga yang dijawab dalam tiga hari",
        ),
        ("SIKEPO", "rapat koordinasi tanpa kertas antar-OPD"),
    ],
    &[
        ("BERKAH", "pendataan keluarga miskin dari rumah ke rumah"),
        ("DAPUR SEHAT", "dapur umum untuk lansia sebatang kara"),
        ("SIBUNG", "bantuan usaha bagi keluarga nelayan"),
        ("RUMAH LAYAK", "bedah rumah gotong royong bersama desa"),
    ],
    &[
        ("PUSLING", "perpustakaan keliling ke dusun terpencil"),
        ("SEKOLAH TIMAH", "belajar sejarah tambang timah di sekolah"),
        ("GEMAR MEMBACA", "pojok baca di pos ronda"),
        ("KELAS PESISIR", "kelas sore anak nelayan"),
        ("GURU BERBAGI", "berbagi bahan ajar antar-guru sekecamatan"),
    ],
    &[
        (
            "SI BUNDA",
            "pengingat jadwal periksa ibu hamil lewat pesan singkat",
        ),
        (
            "POSYANDU DIGITAL",
            "pencatatan tumbuh kembang balita di posyandu",
        ),
        ("GERAK CEPAT", "ambulans desa untuk gawat darurat"),
        (
            "STOP STUNTING",
            "pendampingan gizi seribu hari pertama kehidupan",
        ),
        ("APOTEK HIDUP", "tanaman obat keluarga di pekarangan"),
    ],
    &[
        ("LADA EMAS", "pendampingan petani lada putih Muntok"),
        ("LUMBUNG DESA", "cadangan beras desa saat musim angin barat"),
        ("KOLAM TERPAL", "budidaya lele di bekas lahan tambang"),
        ("PANEN IKAN", "pendingin ikan tenaga surya untuk nelayan"),
    ],
    &[
        ("UMKM NAIK KELAS", "pelatihan pemasaran daring bagi UMKM"),
        ("PASAR RAKYAT", "pasar mingguan hasil bumi desa"),
        ("KERJA LOKAL", "bursa kerja daring untuk lulusan SMK"),
        ("KRIYA TIMAH", "kerajinan dari limbah timah"),
    ],
    &[
        (
            "DESA MANDIRI",
            "badan usaha milik desa pengelola air bersih",
        ),
        ("KARANG TARUNA", "pemuda desa mengelola wisata pantai"),
        ("PKK PINTAR", "literasi keuangan ibu rumah tangga"),
        ("KAMPUNG ADAT", "menghidupkan kembali nganggung di kampung"),
    ],
    &[
        (
            "RUANG SETARA",
            "layanan ramah perempuan dan anak di kantor kecamatan",
        ),
        ("SAHABAT DIFABEL", "loket prioritas penyandang disabilitas"),
        ("IBU BEKERJA", "ruang laktasi di kantor pelayanan"),
    ],
    &[
        ("BANK SAMPAH", "tabungan sampah yang ditukar sembako"),
        (
            "HIJAU KEMBALI",
            "reklamasi lahan bekas tambang dengan pohon buah",
        ),
        ("PANTAI BERSIH", "gerakan bersih pantai tiap Jumat"),
        ("MANGROVE KITA", "penanaman bakau bersama nelayan"),
    ],
];

const PLACES: [&str; 8] = [
    "Sungailiat",
    "Pemali",
    "Bakam",
    "Belinyu",
    "Riau Silip",
    "Merawang",
    "Mendo Barat",
    "Puding Besar",
];

const PEOPLE: [&str; 24] = [
    "Siti Aminah",
    "Rahmat Hidayat",
    "Dewi Lestari",
    "Budi Santoso",
    "Nur Aisyah",
    "Agus Salim",
    "Fitri Handayani",
    "Hendra Wijaya",
    "Rina Marlina",
    "Yusuf Maulana",
    "Sri Wahyuni",
    "Andi Pratama",
    "Lina Oktaviani",
    "Fajar Nugroho",
    "Maya Sari",
    "Irwan Setiawan",
    "Putri Anggraini",
    "Rudi Hartono",
    "Wulan Dari",
    "Teguh Prasetyo",
    "Yanti Susanti",
    "Dedi Kurniawan",
    "Ratna Dewi",
    "Arif Rahman",
];

const JUDGES: [(&str, &str); 15] = [
    (
        "Dr. Ir. Hasan Basri",
        "Pertumbuhan ekonomi dan kesempatan kerja",
    ),
    ("Prof. Dr. Nurhayati", "Pendidikan"),
    ("dr. Sri Rahayu, M.Kes.", "Kesehatan"),
    ("Dr. Andri Saputra", "Tata kelola pemerintahan"),
    (
        "Ir. Bambang Sutrisno",
        "Perlindungan dan pelestarian lingkungan hidup",
    ),
    ("Dr. Fauziah", "Pemberdayaan masyarakat"),
    ("Drs. Syamsul Bahri", "Pengentasan kemiskinan"),
    ("Dr. Lestari Wulandari", "Pelayanan publik responsif gender"),
    ("Ir. Ahmad Fauzi, M.Si.", "Ketahanan pangan"),
    ("Dr. Hendra Gunawan", "Tata kelola pemerintahan"),
    ("Dra. Kartini Sembiring", "Pendidikan"),
    ("Dr. Yoga Pratama", "Kesehatan"),
    (
        "Ir. Dian Permata",
        "Perlindungan dan pelestarian lingkungan hidup",
    ),
    (
        "Dr. Muhammad Ridwan",
        "Pertumbuhan ekonomi dan kesempatan kerja",
    ),
    ("Dr. Rosmala Dewi", "Pemberdayaan masyarakat"),
];

fn kipp_rubric() -> Result<Rubric, Error> {
    let c = |name: &str, description: &str, weight: f64| CriterionInput {
        id: None,
        name: name.to_owned(),
        description: description.to_owned(),
        weight,
        min: 1,
        max: 10,
    };
    Rubric::parse(vec![
        c(
            "Kebaruan",
            "1–3: sudah umum; 4–7: modifikasi; 8–10: belum pernah ada di daerah lain",
            20.0,
        ),
        c(
            "Efektivitas",
            "Sejauh mana masalah teratasi, dengan bukti data",
            25.0,
        ),
        c(
            "Kebermanfaatan",
            "Jumlah dan keragaman penerima manfaat",
            20.0,
        ),
        c(
            "Dapat direplikasi",
            "Mudah ditiru OPD atau daerah lain",
            15.0,
        ),
        c(
            "Keberlanjutan",
            "Anggaran, regulasi dan SDM yang menjamin keberlanjutan",
            10.0,
        ),
        c(
            "Keterlibatan pemangku kepentingan",
            "Peran warga, swasta dan akademisi",
            10.0,
        ),
    ])
}

fn presentation_rubric() -> Result<Rubric, Error> {
    let c = |name: &str, weight: f64| CriterionInput {
        id: None,
        name: name.to_owned(),
        description: String::new(),
        weight,
        min: 1,
        max: 5,
    };
    Rubric::parse(vec![
        c("Penguasaan materi", 40.0),
        c("Bukti dampak", 40.0),
        c("Kejelasan penyampaian", 20.0),
    ])
}

/// A small valid PDF naming the innovation (ASCII only, which PDF strings need).
fn proposal_pdf(title: &str) -> Vec<u8> {
    let ascii: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == ' ' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let stream = format!("BT /F1 14 Tf 40 760 Td (Proposal inovasi: {ascii}) Tj ET");
    format!(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
         3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n\
         4 0 obj<</Length {}>>stream\n{stream}\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n\
         trailer<</Root 1 0 R>>\n%%EOF\n",
        stream.len()
    )
    .into_bytes()
}

struct Ctx<'a> {
    state: &'a AppState,
    hash: String,
    rng: Rng,
}

impl Ctx<'_> {
    #[expect(clippy::too_many_arguments, reason = "an account is made of these")]
    async fn account(
        &self,
        email: &str,
        name: &str,
        role: Role,
        kind: Option<SubmitterKind>,
        organisation: Option<OrganisationId>,
        expertise: Vec<String>,
        at: DateTime<Utc>,
    ) -> ApiResult<User> {
        Ok(self
            .state
            .store
            .create_user(
                NewUser {
                    email: Email::parse(email).map_err(Error::from)?,
                    name: PersonName::parse(name).map_err(Error::from)?,
                    role,
                    submitter_kind: kind,
                    organisation_id: organisation,
                    password_hash: Some(self.hash.clone()),
                    status: UserStatus::Active,
                    expertise,
                },
                None,
                at,
            )
            .await?)
    }
}

fn store_err(e: AssignFailure) -> ApiError {
    match e {
        AssignFailure::Store(e) => e.into(),
        AssignFailure::Infeasible(_) => ApiError::internal("demo assignment infeasible".to_owned()),
    }
}

/// One edition's worth of entries, judged. Returns the entries made.
#[expect(
    clippy::too_many_arguments,
    reason = "one call per edition, all of it needed"
)]
async fn edition(
    ctx: &mut Ctx<'_>,
    organiser: &User,
    year: i32,
    opens: DateTime<Utc>,
    entries_wanted: usize,
    submitters: &[(User, Option<OrganisationId>)],
    judges: &[(User, Vec<String>)],
    finish: bool,
) -> ApiResult<(EditionId, usize)> {
    let st = ctx.state;
    let closes = opens + Duration::days(45);
    let draft = EditionDraft::parse(
        &format!("Bangka Innovation Awards {year}"),
        year,
        opens,
        closes,
        true,
        RankingScope::PerTrack,
    )?;
    let ed = st
        .store
        .create_edition(draft, organiser.id, opens - Duration::days(10))
        .await?;
    let fields = st.store.fields(ed.id).await?;
    let tracks = st.store.tracks(ed.id).await?;
    let mut made: Vec<(EntryId, User)> = Vec::new();
    for i in 0..entries_wanted {
        // OPD about half, then students and citizens.
        let (submitter, org) = &submitters[i % submitters.len()];
        let kind = submitter.submitter_kind.unwrap_or(SubmitterKind::Citizen);
        let track = tracks
            .iter()
            .find(|t| t.submitter_kind == Some(kind))
            .ok_or_else(|| ApiError::internal("demo track".to_owned()))?;
        let f = ctx.rng.below(fields.len());
        let (acronym, topic) = *ctx.rng.pick(TOPICS[f]);
        let place = PLACES[(i / 3) % PLACES.len()];
        let title = format!("{acronym} {year}: {topic} di {place} #{}", i + 1);
        let team: Vec<TeamMember> = (0..1 + ctx.rng.below(3))
            .map(|_| TeamMember {
                name: (*ctx.rng.pick(&PEOPLE)).to_owned(),
                role: Some("anggota tim".to_owned()),
                email: None,
            })
            .collect();
        let at = opens + Duration::days(1 + i64::try_from(i % 40).unwrap_or(0));
        let content = Content {
            title,
            field_id: Some(fields[f].id),
            track_id: Some(track.id),
            organisation_id: *org,
            summary: format!("{acronym} adalah inovasi {topic} yang dimulai di {place} dan kini dipakai warga setiap hari."),
            problem: format!("Sebelum {acronym}, warga {place} menempuh jarak jauh dan menunggu lama; data tersebar di buku catatan."),
            solution: format!("{acronym} menghadirkan {topic} dengan cara yang sederhana, murah dan mudah ditiru."),
            how_it_works: "Petugas mencatat kebutuhan warga, tim menindaklanjuti dalam satu minggu, dan hasilnya diumumkan di papan informasi desa serta grup WhatsApp.".to_owned(),
            impact: format!("Dalam satu tahun, {} warga terlayani; waktu tunggu turun dari {} hari menjadi {} hari.", 100 + ctx.rng.below(2000), 7 + ctx.rng.below(14), 1 + ctx.rng.below(3)),
            cost: format!("Rp{} juta per tahun dari APBD dan swadaya.", 5 + ctx.rng.below(95)),
            replicability: "Dapat diterapkan di kecamatan lain dengan pelatihan dua hari.".to_owned(),
            sustainability: "Diatur dalam keputusan kepala OPD dan dianggarkan setiap tahun.".to_owned(),
            stakeholders: "Pemerintah desa, PKK, karang taruna, puskesmas dan pelaku usaha setempat.".to_owned(),
            started_on: chrono::NaiveDate::from_ymd_opt(year - 1, 1 + u32::try_from(i % 12).unwrap_or(0), 1),
            team,
            video_url: (i % 4 == 0).then(|| format!("https://video.example.id/inovasi-{year}-{}", i + 1)),
            publication_consent: i % 9 != 0,
        };
        let e = st.store.create_entry(ed.id, submitter, content, at).await?;
        if i % 2 == 0 {
            let mut w = st.blobs.writer().await?;
            let pdf = proposal_pdf(&e.content.title);
            w.write(&pdf).await?;
            let stored = w.finish().await?;
            st.store
                .add_attachment(
                    e.id,
                    submitter,
                    NewAttachment {
                        sha256: stored.sha256,
                        size: stored.size,
                        kind: attachment::Kind::Pdf,
                        file_name: "proposal.pdf".to_owned(),
                    },
                    st.config.attachments_per_entry,
                    at,
                )
                .await?;
        }
        st.store
            .transition_entry(
                e.id,
                submitter,
                Event::Submit,
                None,
                at + Duration::hours(2),
            )
            .await?;
        made.push((e.id, submitter.clone()));
    }
    // Screening, after the deadline.
    let screen_at = closes + Duration::days(2);
    for (n, (id, _)) in made.iter().enumerate() {
        let eligible = n % 11 != 5;
        let reason =
            (!eligible).then(|| "Surat pernyataan kepala OPD belum dilampirkan.".to_owned());
        st.store
            .transition_entry(
                *id,
                organiser,
                Event::Screen { eligible },
                reason,
                screen_at,
            )
            .await?;
    }
    // The panel, with some declared conflicts.
    for (j, expertise) in judges {
        let ids = fields
            .iter()
            .filter(|f| expertise.contains(&f.name))
            .map(|f| f.id)
            .collect();
        st.store
            .put_panel_judge(ed.id, j.id, ids, organiser.id, screen_at)
            .await?;
    }
    if let (Some((j, _)), Some((entry, _))) = (judges.first(), made.get(3)) {
        st.store
            .declare_conflict(
                organiser,
                j.id,
                ConflictTarget::Entry(*entry),
                ConflictKind::Family,
                "Kerabat dekat anggota tim pengusul.".to_owned(),
                screen_at,
            )
            .await?;
    }
    let settings = |name: &str, position: i32| RoundSettings {
        name: name.to_owned(),
        position,
        judges_per_entry: 3,
        aggregation: if position == 1 {
            Aggregation::Mean
        } else {
            Aggregation::TrimmedMean
        },
        weight: None,
        blind: true,
        disagreement_threshold: 25.0,
        peer_sheets: PeerSheets::AfterSubmitting,
        judge_names_visible: false,
    };
    let r1 = st
        .store
        .create_round(
            ed.id,
            settings("Evaluasi Dokumen", 1).check()?,
            kipp_rubric()?,
            organiser.id,
            screen_at,
        )
        .await?;
    let r2 = st
        .store
        .create_round(
            ed.id,
            settings("Presentasi dan Wawancara", 2).check()?,
            presentation_rubric()?,
            organiser.id,
            screen_at,
        )
        .await?;
    let judge_at = screen_at + Duration::days(3);
    st.store
        .auto_assign(r1.id, organiser.id, judge_at)
        .await
        .map_err(store_err)?;
    // Each judge has a temperament: harsh, neutral or lenient.
    let quality: std::collections::HashMap<EntryId, i64> = made
        .iter()
        .map(|(id, _)| (*id, i64::try_from(ctx.rng.below(5)).unwrap_or(0)))
        .collect();
    score_round(ctx, judges, &r1, &quality, judge_at, 1.0).await?;
    st.store
        .close_round(r1.id, organiser.id, judge_at + Duration::days(10))
        .await?;
    st.store
        .advance(
            r1.id,
            AdvanceRule::TopN(5),
            organiser.id,
            judge_at + Duration::days(10),
        )
        .await?;
    st.store
        .auto_assign(r2.id, organiser.id, judge_at + Duration::days(11))
        .await
        .map_err(store_err)?;
    let share = if finish { 1.0 } else { 0.5 };
    score_round(
        ctx,
        judges,
        &r2,
        &quality,
        judge_at + Duration::days(12),
        share,
    )
    .await?;
    if finish {
        let decide_at = judge_at + Duration::days(20);
        st.store.close_round(r2.id, organiser.id, decide_at).await?;
        let results = st.store.edition_results(ed.id).await?;
        let mut winners = Vec::new();
        for g in &results.ranking.groups {
            // Settle any tie among the top three by the recorded order.
            let top: Vec<&juri_domain::ranking::RankedEntry> = g
                .entries
                .iter()
                .filter(|e| e.rank.is_some_and(|r| r <= 3))
                .collect();
            let mut seen_ties: Vec<u32> = Vec::new();
            for e in &top {
                if e.tie && e.rank.is_some_and(|r| !seen_ties.contains(&r)) {
                    let r = e.rank.unwrap_or_default();
                    seen_ties.push(r);
                    let tied: Vec<EntryId> = g
                        .entries
                        .iter()
                        .filter(|x| x.rank == e.rank)
                        .map(|x| x.entry_id)
                        .collect();
                    st.store
                        .decide_tie(
                            ed.id,
                            tied,
                            "Diputuskan dewan juri setelah verifikasi lapangan.".to_owned(),
                            organiser.id,
                            decide_at,
                        )
                        .await?;
                }
            }
            for (e, award) in top
                .iter()
                .zip([Award::Juara1, Award::Juara2, Award::Juara3])
            {
                winners.push((e.entry_id, award));
            }
        }
        st.store
            .record_winners(ed.id, winners, organiser.id, decide_at)
            .await?;
        st.store
            .publish(ed.id, organiser.id, decide_at + Duration::days(1))
            .await?;
    }
    Ok((ed.id, made.len()))
}

async fn score_round(
    ctx: &mut Ctx<'_>,
    judges: &[(User, Vec<String>)],
    round: &juri_domain::round::Round,
    quality: &std::collections::HashMap<EntryId, i64>,
    at: DateTime<Utc>,
    share: f64,
) -> ApiResult<()> {
    let st = ctx.state;
    for (n, (judge, _)) in judges.iter().enumerate() {
        let bias = i64::try_from(n % 3).unwrap_or(0) - 1;
        let mine = st.store.my_assignments(judge.id).await?;
        let mine: Vec<_> = mine
            .into_iter()
            .filter(|a| a.round_id == round.id)
            .collect();
        let to_submit = (mine.len() as f64 * share).round() as usize;
        for (k, a) in mine.iter().enumerate() {
            let q = quality.get(&a.entry_id).copied().unwrap_or(2);
            let values: Vec<ScoreValue> = round
                .rubric
                .criteria
                .iter()
                .map(|c| {
                    let span = i64::from(c.max - c.min);
                    let noise = i64::try_from(ctx.rng.below(3)).unwrap_or(0) - 1;
                    let v = i64::from(c.min) + span * (q + 3) / 8 + bias + noise;
                    ScoreValue {
                        criterion_id: c.id,
                        value: Some(
                            i32::try_from(v.clamp(i64::from(c.min), i64::from(c.max)))
                                .unwrap_or(c.min),
                        ),
                        comment: (k % 5 == 0)
                            .then(|| "Bukti dampak cukup kuat; perlu data pembanding.".to_owned()),
                    }
                })
                .collect();
            let when = at + Duration::hours(i64::try_from(k).unwrap_or(0));
            st.store
                .save_sheet(a.id, judge, values, None, None, when)
                .await?;
            if k < to_submit {
                st.store
                    .submit_sheet(a.id, judge, when + Duration::minutes(5))
                    .await?;
            }
        }
    }
    Ok(())
}

/// Create the demo. Refuses a database that holds anything beyond the first organiser,
/// unless `force`.
pub async fn seed(state: &AppState, force: bool) -> ApiResult<DemoReport> {
    let has_data = state.store.count_users().await? > 1
        || state
            .store
            .editions(juri_persistence::EditionVisibility::All, 1, 1)
            .await?
            .total
            > 0;
    if has_data && !force {
        return Err(Error::Conflict(Message::new("conflict.database_not_empty")).into());
    }
    let hash = crate::passwords::hash_blocking(&SecretString::from(DEMO_PASSWORD))?;
    let mut ctx = Ctx {
        state,
        hash,
        rng: Rng(0x5EED_BA4C_A201_0001),
    };
    let now = state.now();
    let t0 = now - Duration::days(500);
    let organiser = ctx
        .account(
            "panitia.demo@juri.local",
            "Panitia Bappeda (demo)",
            Role::Organiser,
            None,
            None,
            vec![],
            t0,
        )
        .await?;
    let orgs = state.store.organisations(false, None, 1, 100).await?.items;
    let mut judges = Vec::new();
    for (i, (name, expertise)) in JUDGES.iter().enumerate() {
        // Three judges work at agencies: their agency's entries are conflicts.
        let org = (i % 5 == 4).then(|| orgs.get(i).map(|o| o.id)).flatten();
        let u = ctx
            .account(
                &format!("juri{:02}@juri.local", i + 1),
                name,
                Role::Judge,
                None,
                org,
                vec![(*expertise).to_owned()],
                t0,
            )
            .await?;
        judges.push((u, vec![(*expertise).to_owned()]));
    }
    let mut submitters = Vec::new();
    for (i, org) in orgs.iter().take(24).enumerate() {
        let u = ctx
            .account(
                &format!("opd{:02}@juri.local", i + 1),
                PEOPLE[i % PEOPLE.len()],
                Role::Submitter,
                Some(SubmitterKind::Opd),
                Some(org.id),
                vec![],
                t0,
            )
            .await?;
        submitters.push((u, Some(org.id)));
    }
    for i in 0..12 {
        let u = ctx
            .account(
                &format!("pelajar{:02}@juri.local", i + 1),
                PEOPLE[(i + 7) % PEOPLE.len()],
                Role::Submitter,
                Some(SubmitterKind::Student),
                None,
                vec![],
                t0,
            )
            .await?;
        submitters.push((u, None));
        let u = ctx
            .account(
                &format!("warga{:02}@juri.local", i + 1),
                PEOPLE[(i + 13) % PEOPLE.len()],
                Role::Submitter,
                Some(SubmitterKind::Citizen),
                None,
                vec![],
                t0,
            )
            .await?;
        submitters.push((u, None));
    }
    let (published, _) = edition(
        &mut ctx,
        &organiser,
        2024,
        now - Duration::days(420),
        48,
        &submitters,
        &judges,
        true,
    )
    .await?;
    let (current, n) = edition(
        &mut ctx,
        &organiser,
        2025,
        now - Duration::days(90),
        150,
        &submitters,
        &judges,
        false,
    )
    .await?;
    Ok(DemoReport {
        organiser: organiser.email.to_string(),
        judge: judges
            .first()
            .map(|(j, _)| j.email.to_string())
            .unwrap_or_default(),
        submitter: submitters
            .first()
            .map(|(s, _)| s.email.to_string())
            .unwrap_or_default(),
        password: DEMO_PASSWORD,
        current_edition: current,
        published_edition: published,
        entries: n,
        judges: judges.len(),
    })
}
