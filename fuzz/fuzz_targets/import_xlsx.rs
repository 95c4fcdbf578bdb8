//! Any bytes as an XLSX file of `juri import`: reading the first sheet and checking
//! every line never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(sheet) = juri_import::read_xlsx(data) else {
        return;
    };
    let records = sheet.records.len();
    if let Ok((rows, _)) = juri_import::parse_sheet(sheet, &mut || {}) {
        assert!(rows.len() <= records);
    }
});
