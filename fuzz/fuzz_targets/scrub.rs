//! Any bytes as an attachment for a blind judge: the first byte picks the kind (PDF,
//! JPEG, PNG), the rest is the file. `scrub` never panics, and what it returns scrubs
//! again: an image to the same bytes, a PDF without error (lopdf reads what it wrote).
#![no_main]

use juri_scrub::{Kind, scrub};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let kind = match pick % 3 {
        0 => Kind::Pdf,
        1 => Kind::Jpeg,
        _ => Kind::Png,
    };
    let Ok(clean) = scrub(kind, file) else {
        return;
    };
    let again = scrub(kind, &clean);
    match kind {
        Kind::Pdf => assert!(again.is_ok(), "scrubbed PDF unreadable: {again:?}"),
        Kind::Jpeg | Kind::Png => {
            assert_eq!(again.ok().as_deref(), Some(&clean[..]), "{kind} not stable")
        }
    }
});
