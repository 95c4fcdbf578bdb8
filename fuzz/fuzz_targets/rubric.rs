//! Any bytes as the criteria of a round's rubric (the `rubric.criteria` of
//! `POST /api/v1/editions/{id}/rounds`): `Rubric::parse` never panics, and a rubric it
//! accepts scores every sheet between 0 and 100.
#![no_main]

use juri_domain::rubric::{CriterionInput, Rubric};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(inputs) = serde_json::from_slice::<Vec<CriterionInput>>(data) else {
        return;
    };
    let Ok(rubric) = Rubric::parse(inputs) else {
        return;
    };
    for pick in [
        |c: &juri_domain::rubric::Criterion| c.min,
        |c: &juri_domain::rubric::Criterion| c.max,
    ] {
        let score = rubric
            .score(|id| rubric.criterion(id).map(pick))
            .expect("every criterion has a value");
        assert!((-1e-9..=100.0 + 1e-9).contains(&score), "score {score}");
    }
});
