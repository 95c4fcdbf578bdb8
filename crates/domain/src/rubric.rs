//! A round's rubric: weighted criteria on whole-number scales, and one judge's score
//! of one entry computed from a sheet exactly as `judging.md` says:
//!
//! ```text
//! S_je = 100 · Σ_c w_c · (x_c − min_c) / (max_c − min_c)  /  Σ_c w_c
//! ```

use crate::Message;
use crate::ids::CriterionId;
use crate::{Error, FieldError};
use serde::{Deserialize, Serialize};

/// One criterion of a rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: CriterionId,
    pub name: String,
    /// What low and high scores mean, for the judge.
    pub description: String,
    /// `w_c > 0`; weights need not sum to 100.
    pub weight: f64,
    pub min: i32,
    pub max: i32,
}

/// The ordered criteria of a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rubric {
    pub criteria: Vec<Criterion>,
}

/// A criterion as an organiser writes it, before it has an id.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionInput {
    /// Keep an existing criterion (and the draft values given to it) when a rubric is
    /// edited; absent for a new criterion.
    #[serde(default)]
    pub id: Option<CriterionId>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub weight: f64,
    pub min: i32,
    pub max: i32,
}

pub const MAX_CRITERIA: usize = 30;

impl Rubric {
    /// Check the organiser's criteria and give each an id.
    pub fn parse(inputs: Vec<CriterionInput>) -> Result<Rubric, Error> {
        let mut errors = Vec::new();
        if inputs.is_empty() || inputs.len() > MAX_CRITERIA {
            errors.push(FieldError::new(
                "rubric.criteria",
                "criteria_count",
                Message::new("field.rubric.criteria_count").with("max_criteria", MAX_CRITERIA),
            ));
        }
        let mut criteria = Vec::with_capacity(inputs.len());
        for (i, c) in inputs.into_iter().enumerate() {
            let at = |f: &str| format!("rubric.criteria[{i}].{f}");
            let name = c.name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 200 {
                errors.push(FieldError::new(
                    at("name"),
                    "invalid_name",
                    Message::new("field.rubric.invalid_name"),
                ));
            }
            if c.description.chars().count() > 2_000 {
                errors.push(FieldError::new(
                    at("description"),
                    "too_long",
                    Message::new("field.rubric.too_long"),
                ));
            }
            if !(c.weight.is_finite() && c.weight > 0.0 && c.weight <= 1_000_000.0) {
                errors.push(FieldError::new(
                    at("weight"),
                    "invalid_weight",
                    Message::new("field.rubric.invalid_weight"),
                ));
            }
            // Each fault of the scale at the bound it is about: a bound out of range
            // at that bound, and a max not above the min at the max.
            let min_ok = (-1_000..=1_000).contains(&c.min);
            let max_ok = (-1_000..=1_000).contains(&c.max);
            if !min_ok {
                errors.push(FieldError::new(
                    at("min"),
                    "invalid_scale",
                    Message::new("field.rubric.invalid_scale"),
                ));
            }
            if !max_ok {
                errors.push(FieldError::new(
                    at("max"),
                    "invalid_scale",
                    Message::new("field.rubric.invalid_scale_2"),
                ));
            }
            if min_ok && max_ok && c.min >= c.max {
                errors.push(FieldError::new(
                    at("max"),
                    "invalid_scale",
                    Message::new("field.rubric.invalid_scale_3"),
                ));
            }
            let id = c.id.unwrap_or_default();
            if criteria.iter().any(|k: &Criterion| k.id == id) {
                errors.push(FieldError::new(
                    at("id"),
                    "duplicate_criterion",
                    Message::new("field.rubric.duplicate_criterion"),
                ));
            }
            criteria.push(Criterion {
                id,
                name,
                description: c.description.trim().to_owned(),
                weight: c.weight,
                min: c.min,
                max: c.max,
            });
        }
        if errors.is_empty() {
            Ok(Rubric { criteria })
        } else {
            Err(Error::Invalid(errors))
        }
    }

    pub fn criterion(&self, id: CriterionId) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// `S_je` on 0–100 from a complete set of values, in rubric order.
    /// Returns `None` when a criterion has no value.
    pub fn score(&self, value_of: impl Fn(CriterionId) -> Option<i32>) -> Option<f64> {
        let mut num = 0.0;
        let mut den = 0.0;
        for c in &self.criteria {
            let x = value_of(c.id)?;
            num += c.weight * f64::from(x - c.min) / f64::from(c.max - c.min);
            den += c.weight;
        }
        (den > 0.0).then(|| 100.0 * num / den)
    }
}

/// One value on a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreValue {
    pub criterion_id: CriterionId,
    pub value: Option<i32>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// Check the values a judge saves: each names a criterion of the rubric, at most once,
/// inside its scale; comments bounded. A draft may leave values empty.
pub fn check_values(rubric: &Rubric, values: &[ScoreValue]) -> Result<(), Error> {
    let mut errors = Vec::new();
    let mut seen = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let at = |f: &str| format!("scores[{i}].{f}");
        let Some(c) = rubric.criterion(v.criterion_id) else {
            errors.push(FieldError::new(
                at("criterion_id"),
                "unknown_criterion",
                Message::new("field.rubric.unknown_criterion"),
            ));
            continue;
        };
        if seen.contains(&c.id) {
            errors.push(FieldError::new(
                at("criterion_id"),
                "duplicate_criterion",
                Message::new("field.rubric.duplicate_criterion_2"),
            ));
        }
        seen.push(c.id);
        if let Some(x) = v.value
            && !(c.min..=c.max).contains(&x)
        {
            errors.push(FieldError::new(
                at("value"),
                "out_of_scale",
                Message::new("field.rubric.out_of_scale")
                    .with("name", &c.name)
                    .with("min", c.min)
                    .with("max", c.max),
            ));
        }
        if v.comment
            .as_deref()
            .is_some_and(|s| s.chars().count() > 5_000)
        {
            errors.push(FieldError::new(
                at("comment"),
                "too_long",
                Message::new("field.rubric.too_long_2"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// A sheet may be submitted when every criterion has a value (checked against the
/// stored values). Names each criterion without one.
pub fn check_complete(rubric: &Rubric, values: &[ScoreValue]) -> Result<(), Error> {
    let missing: Vec<FieldError> = rubric
        .criteria
        .iter()
        .filter(|c| {
            !values
                .iter()
                .any(|v| v.criterion_id == c.id && v.value.is_some())
        })
        .map(|c| {
            FieldError::new(
                format!("scores.{}", c.id),
                "required",
                Message::new("field.rubric.required").with("name", &c.name),
            )
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(missing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, weight: f64, min: i32, max: i32) -> CriterionInput {
        CriterionInput {
            id: None,
            name: name.into(),
            description: String::new(),
            weight,
            min,
            max,
        }
    }

    fn kipp() -> Rubric {
        Rubric::parse(vec![
            input("Kebaruan", 30.0, 1, 10),
            input("Efektivitas", 50.0, 1, 10),
            input("Keberlanjutan", 20.0, 0, 4),
        ])
        .expect("valid")
    }

    #[test]
    fn s_je_follows_the_formula() {
        let r = kipp();
        let ids: Vec<CriterionId> = r.criteria.iter().map(|c| c.id).collect();
        let values = [7, 4, 3];
        let s = r
            .score(|id| ids.iter().position(|i| *i == id).map(|p| values[p]))
            .expect("complete");
        // 100 · (30·6/9 + 50·3/9 + 20·3/4) / 100 = 20 + 16.666… + 15 = 51.666…
        let expected = 100.0 * (30.0 * 6.0 / 9.0 + 50.0 * 3.0 / 9.0 + 20.0 * 3.0 / 4.0) / 100.0;
        assert!((s - expected).abs() < 1e-12, "{s} vs {expected}");
        assert!((s - 51.666_666_666_666_664).abs() < 1e-9);
    }

    #[test]
    fn weights_need_not_sum_to_100() {
        let a = Rubric::parse(vec![input("A", 1.0, 0, 10), input("B", 3.0, 0, 10)]).expect("ok");
        let b = Rubric::parse(vec![input("A", 25.0, 0, 10), input("B", 75.0, 0, 10)]).expect("ok");
        let vals = [10, 2];
        let sa = a.score(|id| a.criteria.iter().position(|c| c.id == id).map(|p| vals[p]));
        let sb = b.score(|id| b.criteria.iter().position(|c| c.id == id).map(|p| vals[p]));
        // 100 · (1·1 + 3·0.2) / 4 = 40
        assert_eq!(sa.map(|s| (s * 1e9).round()), Some(40.0 * 1e9));
        assert_eq!(sa.map(|s| (s * 1e9).round()), sb.map(|s| (s * 1e9).round()));
    }

    #[test]
    fn extremes_are_0_and_100_and_missing_values_give_no_score() {
        let r = kipp();
        let lowest = r.score(|id| r.criterion(id).map(|c| c.min));
        let highest = r.score(|id| r.criterion(id).map(|c| c.max));
        assert_eq!(lowest, Some(0.0));
        assert_eq!(highest, Some(100.0));
        assert_eq!(r.score(|_| None), None);
    }

    #[test]
    fn bad_rubrics_name_their_faults() {
        let Err(Error::Invalid(errors)) = Rubric::parse(vec![
            input("", 1.0, 0, 10),
            input("B", 0.0, 0, 10),
            input("C", 1.0, 5, 5),
            input("D", f64::NAN, 0, 1),
        ]) else {
            panic!("expected invalid");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "rubric.criteria[0].name",
                "rubric.criteria[1].weight",
                "rubric.criteria[2].max",
                "rubric.criteria[3].weight"
            ]
        );
        assert!(Rubric::parse(vec![]).is_err());
    }

    #[test]
    fn each_scale_fault_names_the_bound_it_is_about() {
        let Err(Error::Invalid(errors)) = Rubric::parse(vec![
            input("A", 1.0, -2_000, 10),
            input("B", 1.0, 0, 5_000),
            input("C", 1.0, 7, 3),
            input("D", 1.0, -5_000, 5_000),
        ]) else {
            panic!("expected invalid");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "rubric.criteria[0].min",
                "rubric.criteria[1].max",
                "rubric.criteria[2].max",
                "rubric.criteria[3].min",
                "rubric.criteria[3].max"
            ]
        );
        assert!(errors.iter().all(|e| e.code == "invalid_scale"));
    }

    #[test]
    fn values_must_be_inside_their_scale_and_known() {
        let r = kipp();
        let c = &r.criteria;
        let ok = vec![ScoreValue {
            criterion_id: c[2].id,
            value: Some(4),
            comment: None,
        }];
        assert_eq!(check_values(&r, &ok), Ok(()));
        let bad = vec![
            ScoreValue {
                criterion_id: c[2].id,
                value: Some(5),
                comment: None,
            },
            ScoreValue {
                criterion_id: c[0].id,
                value: Some(0),
                comment: None,
            },
            ScoreValue {
                criterion_id: CriterionId::new(),
                value: Some(1),
                comment: None,
            },
            ScoreValue {
                criterion_id: c[2].id,
                value: None,
                comment: None,
            },
        ];
        let Err(Error::Invalid(errors)) = check_values(&r, &bad) else {
            panic!("expected invalid");
        };
        let codes: Vec<&str> = errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            vec![
                "out_of_scale",
                "out_of_scale",
                "unknown_criterion",
                "duplicate_criterion"
            ]
        );
    }

    #[test]
    fn a_sheet_is_complete_when_every_criterion_has_a_value() {
        let r = kipp();
        let c = &r.criteria;
        let partial: Vec<ScoreValue> = c[..2]
            .iter()
            .map(|c| ScoreValue {
                criterion_id: c.id,
                value: Some(c.min),
                comment: None,
            })
            .collect();
        let Err(Error::Invalid(errors)) = check_complete(&r, &partial) else {
            panic!("expected invalid");
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, format!("scores.{}", c[2].id));
        let mut full = partial;
        full.push(ScoreValue {
            criterion_id: c[2].id,
            value: Some(0),
            comment: None,
        });
        assert_eq!(check_complete(&r, &full), Ok(()));
    }
}
