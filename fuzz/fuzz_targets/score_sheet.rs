//! Any bytes as the JSON body of a sheet save (`PUT /api/v1/assignments/{id}/sheet`),
//! run through the same domain checks as the store: they never panic, and a sheet they
//! accept scores between 0 and 100.
#![no_main]

use juri_domain::ids::CriterionId;
use juri_domain::round::{SheetInput, sheet_comment};
use juri_domain::rubric::{CriterionInput, Rubric, check_complete, check_values};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// Criteria with the ids `…0001` to `…0003` (the seed corpus uses them), on
/// different scales.
static RUBRIC: LazyLock<Rubric> = LazyLock::new(|| {
    let scales = [(1, 5, 30.0), (0, 100, 50.0), (-10, 10, 20.0)];
    let inputs = scales
        .iter()
        .enumerate()
        .map(|(i, &(min, max, weight))| CriterionInput {
            id: Some(CriterionId::from_uuid(uuid::Uuid::from_u128(i as u128 + 1))),
            name: format!("Kriteria {}", i + 1),
            description: String::new(),
            weight,
            min,
            max,
        })
        .collect();
    Rubric::parse(inputs).expect("the fixed rubric is valid")
});

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<SheetInput>(data) else {
        return;
    };
    let rubric = &*RUBRIC;
    let _ = sheet_comment(input.comment.clone());
    if check_values(rubric, &input.scores).is_err() {
        return;
    }
    for v in &input.scores {
        let c = rubric.criterion(v.criterion_id).expect("checked: known");
        if let Some(x) = v.value {
            assert!((c.min..=c.max).contains(&x));
        }
    }
    if check_complete(rubric, &input.scores).is_ok() {
        let score = rubric
            .score(|id| {
                input
                    .scores
                    .iter()
                    .find(|v| v.criterion_id == id)
                    .and_then(|v| v.value)
            })
            .expect("complete: scored");
        assert!((0.0..=100.0).contains(&score), "score {score}");
    }
});
