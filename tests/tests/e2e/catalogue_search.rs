//! The public catalogue's search and the winners' pages (issue 18, "Everyone"): a
//! search finds an innovation by its field (in either language), its agency, a team
//! member and a place named in its texts, but never by the cost the public does not
//! see; an empty result says what to try; the winners stand in one group per category
//! with the awardee named. The innovations are put in the catalogue the way `juri
//! import` does; everything else goes through HTTP.

use crate::import::import;
use crate::pages::page_text;
use juri_persistence::{CatalogueFilter, Store};
use juri_tests::TestApp;
use reqwest::StatusCode;
use serde_json::json;

/// Four innovations of 2025. No title, summary or text says "kesehatan", "dinas" or
/// a team member's name, so each search below can only find them through what this
/// change added. The cost names "Rahasiadana", which the public never sees.
const FILE: &str = "\
year,title,track,field,organisation,summary,problem,solution,impact,how_it_works,cost,started_on,team,award,consent
2025,Pengingat Minum Obat TB,OPD,Kesehatan,Dinas Kesehatan,Pesan singkat untuk pasien TB.,Pasien berhenti minum obat.,Pengingat harian.,Kepatuhan naik.,Kader di Desa Kimak mengantar obat ke rumah.,Rahasiadana 40 juta,2024-01-02,Bd. Siti Aminah; dr. Fajar Ramadhan,juara_1,ya
2025,Si Jebol Jemput Bola,OPD,Tata kelola pemerintahan,Dukcapil,Petugas datang ke kantor desa.,Warga jauh dari kantor.,Layanan keliling.,Perekaman naik.,Jadwal lewat WhatsApp.,,2024-03-02,Hendra Saputra,juara_2,ya
2025,Penyiram Kebun Lada Otomatis,Pelajar,Ketahanan pangan,,Alat penyiram berbasis Arduino.,Petani kehabisan air.,Sensor kelembapan tanah.,Uji coba di kebun Petaling menghemat air.,Pompa menyala saat tanah kering.,,2024-02-01,Aldi Pratama; Citra Lestari,juara_1,ya
2025,Bank Sampah Nelayan,Masyarakat umum,Pemberdayaan masyarakat,,Nelayan menukar sampah plastik.,Sampah di pantai.,Bank sampah di pelelangan ikan.,Pantai lebih bersih.,Sampah ditimbang dan dicatat.,,2024-01-18,Ahmad Fauzi; Nurhayati,juara_1,ya
";

const OBAT: &str = "Pengingat Minum Obat TB";
const JEBOL: &str = "Si Jebol Jemput Bola";
const LADA: &str = "Penyiram Kebun Lada Otomatis";
const SAMPAH: &str = "Bank Sampah Nelayan";
const ALL: [&str; 4] = [OBAT, JEBOL, LADA, SAMPAH];

async fn catalogue() -> TestApp {
    let app = TestApp::spawn().await;
    let report = import(&app, FILE).await.expect("imported");
    assert_eq!((report.entries, report.winners), (4, 4));
    app
}

/// The titles a catalogue page lists for `q` (Indonesian page), checking its count.
async fn found(app: &TestApp, q: &str) -> Vec<&'static str> {
    let html = page_text(app, &format!("/katalog?q={}", urlencode(q)), "").await;
    let titles: Vec<&'static str> = ALL.into_iter().filter(|t| html.contains(t)).collect();
    assert!(
        html.contains(&format!("{} inovasi ditemukan", titles.len())),
        "{q}: {html}"
    );
    titles
}

fn urlencode(s: &str) -> String {
    s.replace(' ', "%20")
}

#[tokio::test]
async fn the_catalogue_finds_an_innovation_by_its_field_in_either_language() {
    let app = catalogue().await;
    assert_eq!(found(&app, "kesehatan").await, [OBAT]);
    assert_eq!(found(&app, "Health").await, [OBAT]);
    assert_eq!(found(&app, "ketahanan pangan").await, [LADA]);
    assert_eq!(found(&app, "food security").await, [LADA]);
}

#[tokio::test]
async fn the_catalogue_finds_an_agency_s_innovation_by_the_agency_s_name_even_after_a_rename() {
    let app = catalogue().await;
    assert_eq!(found(&app, "Dinas Kesehatan").await, [OBAT]);
    // The JSON catalogue shares the search.
    let api = app
        .get("/api/v1/public/innovations?q=dinas%20kesehatan", None)
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text);
    assert_eq!(api.body["total"], 1, "{}", api.text);

    let org = app.organiser().await;
    let dinkes = app
        .get("/api/v1/organisations?q=dinas%20kesehatan", None)
        .await;
    let id = dinkes.body["items"][0]["id"].as_str().expect("dinkes");
    let renamed = app
        .patch(
            &format!("/api/v1/organisations/{id}"),
            Some(&org.access),
            json!({"name": "Dinas Kesehatan dan Keluarga Berencana"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(found(&app, "keluarga berencana").await, [OBAT]);
}

#[tokio::test]
async fn the_catalogue_finds_an_innovation_by_a_team_member_s_name() {
    let app = catalogue().await;
    assert_eq!(found(&app, "Citra Lestari").await, [LADA]);
    assert_eq!(found(&app, "fajar").await, [OBAT]);
}

#[tokio::test]
async fn the_catalogue_finds_a_place_named_in_the_texts_but_not_the_hidden_cost() {
    let app = catalogue().await;
    assert_eq!(found(&app, "Petaling").await, [LADA]);
    assert_eq!(found(&app, "desa kimak").await, [OBAT]);
    // The cost is not public: finding by it would reveal it word by word.
    assert_eq!(found(&app, "rahasiadana").await, Vec::<&str>::new());
}

#[tokio::test]
async fn an_empty_result_suggests_what_to_try_in_both_languages() {
    let app = catalogue().await;
    // Ampersands in links as the browser reads them, however the template escapes them.
    let html = page_text(&app, "/katalog?q=kapal%20selam&tahun=2025", "")
        .await
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(html.contains("0 inovasi ditemukan"), "{html}");
    assert!(html.contains("Tidak ada inovasi yang cocok"), "{html}");
    assert!(html.contains("kata yang lebih sedikit"), "{html}");
    // The same search without the year, and the whole catalogue, one tap away.
    assert!(
        html.contains(
            r#"<a href="/katalog?q=kapal%20selam&tahun=&bidang=&kategori=">tanpa filter tahun</a>"#
        ),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/katalog">lihat semua inovasi</a>"#),
        "{html}"
    );
    // No filter that was not set is offered for clearing.
    assert!(!html.contains("tanpa filter bidang"), "{html}");

    let en = page_text(&app, "/katalog?q=kapal%20selam&kategori=Pelajar", "lang=en").await;
    assert!(en.contains("No innovation matches"), "{en}");
    assert!(en.contains("without the track filter"), "{en}");
    assert!(en.contains("browse every innovation"), "{en}");

    // A result is not empty: no suggestion.
    let some = page_text(&app, "/katalog?q=sampah", "").await;
    assert!(!some.contains("Tidak ada inovasi yang cocok"), "{some}");
}

/// The winners' sections of a page: (category, section HTML), in page order.
fn groups(html: &str) -> Vec<(String, String)> {
    html.split(r#"<section class="winner-group""#)
        .skip(1)
        .map(|s| {
            let section = s.split("</section>").next().unwrap_or_default().to_owned();
            // `aria-labelledby="…">\n<hN id="…">Category</hN>`
            let title = section
                .split_once("\n<h")
                .and_then(|(_, rest)| rest.split_once('>'))
                .and_then(|(_, rest)| rest.split_once("</h"))
                .map(|(t, _)| t.to_owned())
                .unwrap_or_default();
            (title, section)
        })
        .collect()
}

#[tokio::test]
async fn the_winners_stand_in_one_group_per_category_with_the_awardee_named() {
    let app = catalogue().await;
    let editions = app.get("/api/v1/public/editions", None).await;
    let id = editions.body["items"][0]["id"].as_str().expect("edition");

    for path in [
        format!("/pemenang/{id}"),
        "/pemenang".to_owned(),
        "/".to_owned(),
    ] {
        let html = page_text(&app, &path, "").await;
        let g = groups(&html);
        let names: Vec<&str> = g.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["OPD", "Pelajar", "Masyarakat umum"],
            "{path}: {html}"
        );
        let (opd, pelajar, umum) = (&g[0].1, &g[1].1, &g[2].1);
        // Each winner in its own category, juara 1 before juara 2.
        assert!(opd.contains(OBAT) && opd.contains(JEBOL), "{path}: {opd}");
        assert!(
            opd.find(OBAT) < opd.find(JEBOL),
            "{path}: juara 1 first: {opd}"
        );
        assert!(pelajar.contains(LADA) && !pelajar.contains(OBAT), "{path}");
        assert!(umum.contains(SAMPAH), "{path}");
        // The awardee: the agency, or the team's names.
        assert!(
            opd.contains("Penerima: <strong>Dinas Kesehatan</strong>"),
            "{path}: {opd}"
        );
        assert!(
            pelajar.contains("Penerima: <strong>Aldi Pratama, Citra Lestari</strong>"),
            "{path}: {pelajar}"
        );
        assert!(
            umum.contains("Penerima: <strong>Ahmad Fauzi, Nurhayati</strong>"),
            "{path}: {umum}"
        );
    }
    let en = page_text(&app, &format!("/pemenang/{id}"), "lang=en").await;
    assert!(
        en.contains("Awarded to: <strong>Dinas Kesehatan</strong>"),
        "{en}"
    );
}

/// The migration recomputes the search text of rows written before it: undone, the
/// stored text is the title and summary again and a team member is not found; redone,
/// they are.
#[tokio::test]
async fn the_migration_recomputes_the_search_text_of_existing_innovations() {
    let app = catalogue().await;
    let by_team = || CatalogueFilter {
        q: Some("Citra Lestari".to_owned()),
        ..CatalogueFilter::default()
    };
    // A fresh store each time: each keeps its own copy of the catalogue.
    let down = Store::connect(&app.db.url).await.expect("connect");
    down.migrate_down(1).await.expect("down");
    let before = down.catalogue(by_team(), 1, 20).await.expect("search");
    assert_eq!(before.total, 0);
    down.migrate().await.expect("up");
    let up = Store::connect(&app.db.url).await.expect("connect");
    let after = up.catalogue(by_team(), 1, 20).await.expect("search");
    assert_eq!(after.total, 1);
    assert_eq!(after.items[0].title, LADA);
}
