//! Importing the innovations of earlier years: all rows or none, every bad row named by
//! its line, and the imported innovations in the public catalogue under their year.
//! The file is read the way `juri import` reads a CSV (header on line 1), parsed by
//! the domain, and handed to the store.

use juri_domain::clock::Clock;
use juri_domain::import::{ImportRow, RawRow, RowError, check_header, parse_row};
use juri_persistence::{ImportFailure, ImportReport, import_edition_name};
use juri_tests::TestApp;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::Digest;

const EXAMPLE: &str = include_str!("../../../docs/import-example.csv");

/// The rows of a comma-separated text, or the errors of its lines.
pub(crate) fn parse(text: &str) -> Result<Vec<ImportRow>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records().map(|r| r.expect("csv record"));
    let header: Vec<String> = records
        .next()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let header = check_header(1, &header)?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in records.enumerate() {
        let raw = RawRow::from_record(i + 2, &header, record.iter().map(str::to_owned))
            .map_err(|e| vec![e])?;
        match parse_row(&raw) {
            Ok(row) => rows.push(row),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

pub(crate) async fn import(app: &TestApp, text: &str) -> Result<ImportReport, ImportFailure> {
    let rows = parse(text).expect("every line parses on its own");
    let sha = hex::encode(sha2::Sha256::digest(text.as_bytes()));
    app.store()
        .import_innovations(rows, &sha, app.clock.now(), &|_| {})
        .await
}

fn row_errors(outcome: Result<ImportReport, ImportFailure>) -> Vec<RowError> {
    match outcome {
        Err(ImportFailure::Rows(errors)) => errors,
        other => panic!("expected row errors, got {other:?}"),
    }
}

async fn catalogue_total(app: &TestApp, query: &str) -> u64 {
    let r = app
        .get(&format!("/api/v1/public/innovations{query}"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["total"].as_u64().expect("total")
}

fn titles(body: &Value) -> Vec<String> {
    let mut out: Vec<String> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().expect("title").to_owned())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn the_example_file_is_imported_into_the_catalogue_under_its_years() {
    let app = TestApp::spawn().await;
    let report = import(&app, EXAMPLE).await.expect("imported");
    assert!(report.written);
    assert_eq!((report.entries, report.winners), (10, 7));
    let years: Vec<(i32, bool, usize, usize)> = report
        .editions
        .iter()
        .map(|e| (e.year, e.created, e.entries, e.winners))
        .collect();
    assert_eq!(years, vec![(2021, true, 5, 4), (2022, true, 5, 3)]);

    // Both years are published editions, with their names.
    let editions = app.get("/api/v1/public/editions", None).await;
    assert_eq!(editions.body["total"], 2, "{}", editions.text);
    assert_eq!(
        editions.body["items"][0]["name"],
        import_edition_name(2022).as_str()
    );
    assert_eq!(editions.body["items"][0]["phase"], "published");

    // The 2021 innovations, every field and agency resolved.
    let c = app
        .get("/api/v1/public/innovations?year=2021&per_page=50", None)
        .await;
    assert_eq!(c.body["total"], 5, "{}", c.text);
    assert_eq!(
        titles(&c.body),
        vec![
            "Bank Sampah Nelayan Pantai Matras",
            "Kerupuk Ikan Kemasan Vakum Desa Rebo",
            "Penyiram Kebun Lada Otomatis dengan Sensor Kelembapan",
            "Posyandu Remaja Digital",
            "Si Jebol: Dukcapil Jemput Bola ke Desa",
        ]
    );
    let items = c.body["items"].as_array().expect("items");
    let jebol = items
        .iter()
        .find(|i| i["title"] == "Si Jebol: Dukcapil Jemput Bola ke Desa")
        .expect("Si Jebol");
    assert_eq!(jebol["year"], 2021);
    assert_eq!(jebol["track"], "OPD");
    assert_eq!(jebol["field"], "Tata kelola pemerintahan");
    assert_eq!(
        jebol["organisation"],
        "Dinas Kependudukan dan Pencatatan Sipil"
    );
    assert_eq!(jebol["award"], "juara_1");
    assert_eq!(jebol["started_on"], "2020-03-02");
    assert_eq!(
        jebol["team"],
        serde_json::json!(["Hendra Saputra", "Yuliana Sari", "Rudi Hartono"])
    );
    // The 2022 innovation without consent stays out of the catalogue.
    assert_eq!(catalogue_total(&app, "?year=2022").await, 4);
    assert_eq!(
        catalogue_total(&app, "?q=kebun%20gizi%20bekas%20tambang").await,
        0
    );
    // Search and filters work on imported innovations as on judged ones.
    assert_eq!(catalogue_total(&app, "?q=JEMPUT%20bola").await, 1);
    assert_eq!(catalogue_total(&app, "?year=2022&track=opd").await, 3);

    // The winners of 2021, with their labels and no score (nothing was judged here).
    let id_2021 = report.editions[0].edition_id.expect("edition id");
    let w = app
        .get(&format!("/api/v1/public/editions/{id_2021}/winners"), None)
        .await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.text);
    let winners = w.body.as_array().expect("winners");
    assert_eq!(winners.len(), 4, "{}", w.text);
    let mut awarded: Vec<(String, String)> = winners
        .iter()
        .map(|x| {
            (
                x["award_label"].as_str().expect("label").to_owned(),
                x["title"].as_str().expect("title").to_owned(),
            )
        })
        .collect();
    awarded.sort();
    assert_eq!(
        awarded,
        vec![
            (
                "Harapan I".to_owned(),
                "Kerupuk Ikan Kemasan Vakum Desa Rebo".to_owned()
            ),
            (
                "Juara I".to_owned(),
                "Penyiram Kebun Lada Otomatis dengan Sensor Kelembapan".to_owned()
            ),
            (
                "Juara I".to_owned(),
                "Si Jebol: Dukcapil Jemput Bola ke Desa".to_owned()
            ),
            ("Juara II".to_owned(), "Posyandu Remaja Digital".to_owned()),
        ]
    );
    assert!(winners.iter().all(|x| x["score"].is_null()));

    // The publication says where the result came from.
    let (snapshot, sha) = app
        .store()
        .publication(id_2021)
        .await
        .expect("query")
        .expect("published");
    assert_eq!(hex::encode(sha2::Sha256::digest(snapshot.as_bytes())), sha);
    let snapshot: Value = serde_json::from_str(&snapshot).expect("json");
    let source = hex::encode(sha2::Sha256::digest(EXAMPLE.as_bytes()));
    assert_eq!(snapshot["imported"]["source_sha256"], source.as_str());
    assert_eq!(snapshot["winners"].as_array().map(Vec::len), Some(4));

    // One audit event for the whole import.
    let events = app
        .store()
        .audit_events_about("import", &source)
        .await
        .expect("audit");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "import.completed");
    assert_eq!(events[0].after.as_ref().expect("after")["entries"], 10);
}

/// The example with one more line, `line` (placed last, so it is line 12).
fn example_with(line: &str) -> String {
    format!("{EXAMPLE}{line}\n")
}

#[tokio::test]
async fn an_import_with_one_bad_row_imports_nothing_and_names_the_row() {
    let app = TestApp::spawn().await;
    let before = catalogue_total(&app, "").await;
    // A field that no edition has: only the database can tell.
    let text = example_with(
        "2022,Lampu Jalan Tenaga Surya Desa Kimak,Masyarakat umum,Bidang Rahasia,,Lampu jalan swadaya warga.,,,,,,,,",
    );
    let errors = row_errors(import(&app, &text).await);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 12);
    assert_eq!(errors[0].column, "field");
    let printed = juri_text::row_error(juri_text::Language::Id, &errors[0]);
    assert!(
        printed.starts_with("baris 12, kolom field: ") && printed.contains("Bidang Rahasia"),
        "{printed}"
    );
    // Nothing was written: no innovation, no edition, no archive account, no event.
    assert_eq!(catalogue_total(&app, "").await, before);
    let editions = app.get("/api/v1/public/editions", None).await;
    assert_eq!(editions.body["total"], 0, "{}", editions.text);
    let org = app.organiser().await;
    let all = app.get("/api/v1/editions", Some(&org.access)).await;
    assert_eq!(all.body["total"], 0, "{}", all.text);
    let sha = hex::encode(sha2::Sha256::digest(text.as_bytes()));
    let events = app
        .store()
        .audit_events_about("import", &sha)
        .await
        .expect("audit");
    assert!(events.is_empty());

    // The same file without the bad line goes in whole.
    let report = import(&app, EXAMPLE).await.expect("imported");
    assert_eq!(report.entries, 10);
    assert_eq!(catalogue_total(&app, "").await, before + 9);
}

#[tokio::test]
async fn an_unknown_agency_on_an_opd_row_is_named_with_its_line() {
    let app = TestApp::spawn().await;
    let text = example_with(
        "2021,Aplikasi Pajak Daerah Daring,OPD,Tata kelola pemerintahan,Dinas Pajak Antariksa,Bayar pajak daerah dari ponsel.,,,,,,,,",
    );
    let errors = row_errors(import(&app, &text).await);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].line, errors[0].column.as_str()),
        (12, "organisation")
    );
    assert_eq!(
        errors[0].message.param("name"),
        Some("Dinas Pajak Antariksa")
    );

    // An OPD row without an agency is named too, and so is every other bad row.
    let text = example_with(
        "2021,Aplikasi Pajak Daerah Daring,opd,Tata kelola pemerintahan,,Bayar pajak daerah dari ponsel.,,,,,,,,\n2021,Posyandu Remaja Digital,Pelajar,Kesehatan,,Salinan judul yang sudah ada.,,,,,,,juara_1,",
    );
    let errors = row_errors(import(&app, &text).await);
    let named: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(
        named,
        vec![(12, "organisation"), (13, "title"), (13, "award")],
        "{errors:?}"
    );
    assert_eq!(catalogue_total(&app, "").await, 0);
}

#[tokio::test]
async fn importing_the_same_file_twice_adds_nothing_the_second_time() {
    let app = TestApp::spawn().await;
    import(&app, EXAMPLE).await.expect("imported");
    let errors = row_errors(import(&app, EXAMPLE).await);
    // Every line is named as already imported.
    let mut lines: Vec<usize> = errors
        .iter()
        .filter(|e| e.column == "title")
        .map(|e| e.line)
        .collect();
    lines.dedup();
    assert_eq!(lines, (2..=11).collect::<Vec<_>>());
    assert_eq!(catalogue_total(&app, "").await, 9);
}

#[tokio::test]
async fn a_running_edition_of_the_same_year_is_not_imported_into() {
    let app = TestApp::spawn().await;
    let org = app.organiser().await;
    // The harness's edition is "Bangka Innovation Awards 2026", open now.
    app.open_edition(&org, 10).await;
    let text =
        "year,title,track,field,summary\n2026,Inovasi Susulan,Pelajar,Pendidikan,Ringkasan.\n";
    let errors = row_errors(import(&app, text).await);
    let named: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(named, vec![(2, "year")], "{errors:?}");
    assert_eq!(
        errors[0].message.param("edition"),
        Some(import_edition_name(2026).as_str())
    );
}
