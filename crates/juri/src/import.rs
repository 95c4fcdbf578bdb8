//! `juri import FILE`: the innovations of earlier years from a CSV or XLSX file
//! (layout: `docs/import.md`). Every line is read and checked first — formats by
//! `juri_import` and `juri_domain::import`, names against the database by the store —
//! and every bad line is reported with its number and column; only a file without one
//! is imported, in one transaction. `--dry-run` checks and writes nothing.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use juri_domain::import::RowError;
use juri_import::{parse_sheet, read_sheet};
use juri_persistence::{ImportFailure, ImportReport, Store};
use sha2::{Digest, Sha256};
use std::io::IsTerminal;
use std::path::Path;

fn bar(len: usize, what: &str) -> ProgressBar {
    let len = u64::try_from(len).unwrap_or(u64::MAX);
    if !std::io::stdout().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stdout());
    if let Ok(style) = ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} baris") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_owned());
    bar
}

#[expect(
    clippy::print_stdout,
    reason = "the report is for the person at the terminal"
)]
fn print_report(report: &ImportReport, file: &Path, sha256: &str) {
    if report.written {
        println!(
            "Impor selesai / import done: {} inovasi ({} pemenang) dari / from {} (SHA-256 {sha256})",
            report.entries,
            report.winners,
            file.display()
        );
    } else {
        println!(
            "Pemeriksaan lolos, tidak ada yang ditulis / check passed, nothing written: {} inovasi ({} pemenang) siap diimpor / ready to import",
            report.entries, report.winners
        );
    }
    for e in &report.editions {
        let how = match (e.created, report.written) {
            (true, true) => "dibuat dan diumumkan / created and published",
            (true, false) => "akan dibuat dan diumumkan / to be created and published",
            (false, _) => "sudah ada / existing",
        };
        println!(
            "  {} ({how}): {} inovasi, {} pemenang",
            e.name, e.entries, e.winners
        );
    }
}

fn print_errors(errors: &[RowError]) -> String {
    // An operator's terminal: Bahasa Indonesia, then English.
    for e in errors {
        eprintln!("{}", juri_text::row_error(juri_text::Language::Id, e));
        eprintln!("  {}", juri_text::row_error(juri_text::Language::En, e));
    }
    format!(
        "{} kesalahan; tidak ada yang diimpor / {} errors; nothing was imported",
        errors.len(),
        errors.len()
    )
}

/// `juri import FILE [--dry-run]`: Ok when imported (or, on a dry run, importable).
pub async fn run(store: &Store, file: &Path, dry_run: bool) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    // An operator's terminal: Bahasa Indonesia, then English.
    let sheet = read_sheet(file, &bytes).map_err(|m| {
        format!(
            "{} / {}",
            juri_text::render(juri_text::Language::Id, &m),
            juri_text::render(juri_text::Language::En, &m)
        )
    })?;
    let checking = bar(sheet.records.len(), "Memeriksa");
    let parsed = parse_sheet(sheet, &mut || checking.inc(1));
    checking.finish_and_clear();
    let (rows, mut errors) = parsed.map_err(|errors| print_errors(&errors))?;
    let now = chrono::Utc::now();
    if !errors.is_empty() {
        // Name the unknown names of the good lines too, so one run reports every line.
        if !rows.is_empty() {
            match store.check_import(rows, now).await {
                Ok(_) => {}
                Err(ImportFailure::Rows(more)) => errors.extend(more),
                Err(ImportFailure::Store(e)) => return Err(format!("cannot check: {e}")),
            }
        }
        errors.sort_by_key(|e| e.line);
        return Err(print_errors(&errors));
    }
    if rows.is_empty() {
        return Err("Berkas tidak berisi inovasi / The file holds no innovations.".to_owned());
    }
    let outcome = if dry_run {
        store.check_import(rows, now).await
    } else {
        let importing = bar(rows.len(), "Mengimpor");
        let n = importing.clone();
        let outcome = store
            .import_innovations(rows, &sha256, now, &move |done| {
                n.set_position(u64::try_from(done).unwrap_or(u64::MAX));
            })
            .await;
        importing.finish_and_clear();
        outcome
    };
    match outcome {
        Ok(report) => {
            print_report(&report, file, &sha256);
            Ok(())
        }
        Err(ImportFailure::Rows(errors)) => Err(print_errors(&errors)),
        Err(ImportFailure::Store(e)) => Err(format!("cannot import: {e}")),
    }
}
