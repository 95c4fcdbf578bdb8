//! Awards and the public catalogue's text search.
//!
//! Winners are recorded per group (track, or track and field where the edition ranks
//! that way): juara 1–3 and harapan 1–3, each at most once per group, an entry at most
//! once. A tied entry cannot be awarded until the tie is decided with a reason.

use crate::Error;
use crate::FieldError;
use crate::Message;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Award {
    #[serde(rename = "juara_1")]
    Juara1,
    #[serde(rename = "juara_2")]
    Juara2,
    #[serde(rename = "juara_3")]
    Juara3,
    #[serde(rename = "harapan_1")]
    Harapan1,
    #[serde(rename = "harapan_2")]
    Harapan2,
    #[serde(rename = "harapan_3")]
    Harapan3,
}

impl Award {
    pub const ALL: [Award; 6] = [
        Award::Juara1,
        Award::Juara2,
        Award::Juara3,
        Award::Harapan1,
        Award::Harapan2,
        Award::Harapan3,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Award::Juara1 => "juara_1",
            Award::Juara2 => "juara_2",
            Award::Juara3 => "juara_3",
            Award::Harapan1 => "harapan_1",
            Award::Harapan2 => "harapan_2",
            Award::Harapan3 => "harapan_3",
        }
    }

    pub fn parse(s: &str) -> Option<Award> {
        Award::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// How the award reads on the public pages.
    pub fn label(self) -> &'static str {
        match self {
            Award::Juara1 => "Juara I",
            Award::Juara2 => "Juara II",
            Award::Juara3 => "Juara III",
            Award::Harapan1 => "Harapan I",
            Award::Harapan2 => "Harapan II",
            Award::Harapan3 => "Harapan III",
        }
    }
}

/// One award to record, with the group the entry is ranked in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardChoice<G> {
    pub entry: crate::ids::EntryId,
    pub award: Award,
    pub group: G,
    /// The entry shares its rank with another and no decision has been recorded.
    pub undecided_tie: bool,
}

/// Check a set of awards: each award at most once per group, each entry at most once,
/// no undecided tie.
pub fn check_awards<G: PartialEq>(choices: &[AwardChoice<G>]) -> Result<(), Error> {
    let mut errors = Vec::new();
    for (i, c) in choices.iter().enumerate() {
        let at = format!("winners[{i}]");
        if choices[..i].iter().any(|d| d.entry == c.entry) {
            errors.push(FieldError::new(
                format!("{at}.entry_id"),
                "duplicate_entry",
                Message::new("field.award.duplicate_entry"),
            ));
        }
        if choices[..i]
            .iter()
            .any(|d| d.award == c.award && d.group == c.group)
        {
            errors.push(FieldError::new(
                format!("{at}.award"),
                "duplicate_award",
                Message::new("field.award.duplicate_award"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if choices.iter().any(|c| c.undecided_tie) {
        return Err(Error::Conflict(Message::new("conflict.tie_undecided")));
    }
    Ok(())
}

/// The form of a text that search compares: accents removed, lower case, spaces
/// collapsed — "Pelayanan Publik" finds "pelayanan públik" and the reverse.
pub fn search_key(text: &str) -> String {
    let folded: String = text
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The reason an organiser gives for ordering a tie: required, at most 2,000
/// characters (it is published with the results).
pub fn tie_reason(raw: &str) -> Result<String, Error> {
    let reason = raw.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 2_000 {
        return Err(Error::invalid(
            "reason",
            "required",
            Message::new("field.results.required"),
        ));
    }
    Ok(reason)
}

/// The awards proposed for one group's ranking, row by row (best first): Juara I–III
/// for the first three places when each is held by one entry alone. A tie or an entry
/// without a rank stops the proposal there: that is the organisers' to decide.
pub fn proposal(places: &[(Option<u32>, bool)]) -> Vec<Option<Award>> {
    let podium = [Award::Juara1, Award::Juara2, Award::Juara3];
    let mut out = vec![None; places.len()];
    for (i, award) in podium.into_iter().enumerate() {
        match places.get(i) {
            Some((Some(rank), false)) if *rank as usize == i + 1 => out[i] = Some(award),
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::EntryId;

    fn choice(entry: EntryId, award: Award, group: u8, tie: bool) -> AwardChoice<u8> {
        AwardChoice {
            entry,
            award,
            group,
            undecided_tie: tie,
        }
    }

    #[test]
    fn each_award_once_per_group_and_each_entry_once() {
        let (a, b, c) = (EntryId::new(), EntryId::new(), EntryId::new());
        assert_eq!(
            check_awards(&[
                choice(a, Award::Juara1, 1, false),
                choice(b, Award::Juara1, 2, false)
            ]),
            Ok(())
        );
        let Err(Error::Invalid(e)) = check_awards(&[
            choice(a, Award::Juara1, 1, false),
            choice(b, Award::Juara1, 1, false),
        ]) else {
            panic!("expected invalid");
        };
        assert_eq!(e[0].code, "duplicate_award");
        let Err(Error::Invalid(e)) = check_awards(&[
            choice(c, Award::Juara1, 1, false),
            choice(c, Award::Juara2, 1, false),
        ]) else {
            panic!("expected invalid");
        };
        assert_eq!(e[0].code, "duplicate_entry");
    }

    #[test]
    fn an_undecided_tie_blocks_the_awards() {
        let a = EntryId::new();
        assert!(matches!(
            check_awards(&[choice(a, Award::Juara2, 1, true)]),
            Err(Error::Conflict(_))
        ));
    }

    #[test]
    fn awards_round_trip() {
        for a in Award::ALL {
            assert_eq!(Award::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn search_ignores_case_accents_and_punctuation() {
        assert_eq!(
            search_key("Pelayanan  PÚBLIK—Responsif"),
            "pelayanan publik responsif"
        );
        assert_eq!(search_key("Ékonomi kréatif"), search_key("ekonomi KREATIF"));
        assert_eq!(search_key("  "), "");
    }

    #[test]
    fn a_tie_needs_a_reason_of_at_most_2000_characters() {
        assert_eq!(
            tie_reason("  Nilai inovasi lebih tinggi  "),
            Ok("Nilai inovasi lebih tinggi".to_owned())
        );
        assert!(matches!(tie_reason("   "), Err(Error::Invalid(_))));
        assert!(tie_reason(&"a".repeat(2_000)).is_ok());
        assert!(matches!(
            tie_reason(&"a".repeat(2_001)),
            Err(Error::Invalid(_))
        ));
    }

    #[test]
    fn the_first_three_places_are_proposed_until_a_tie() {
        use super::proposal;
        let clear = [
            (Some(1), false),
            (Some(2), false),
            (Some(3), false),
            (Some(4), false),
        ];
        assert_eq!(
            proposal(&clear),
            vec![
                Some(Award::Juara1),
                Some(Award::Juara2),
                Some(Award::Juara3),
                None
            ]
        );
        // Second place shared: only the first is proposed.
        let tied = [(Some(1), false), (Some(2), true), (Some(2), true)];
        assert_eq!(proposal(&tied), vec![Some(Award::Juara1), None, None]);
        assert_eq!(proposal(&[(None, false)]), vec![None]);
        assert!(proposal(&[]).is_empty());
        assert_eq!(proposal(&[(Some(1), false)]), vec![Some(Award::Juara1)]);
    }
}
