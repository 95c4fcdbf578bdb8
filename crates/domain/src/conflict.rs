//! The conflict-of-interest rule (`judging.md`): a judge has a conflict with an entry
//! when the judge declared one (with the entry or with its agency), when the judge's
//! agency is the entry's agency, or when the judge submitted or co-authored it. Every
//! assignment path — automatic and by hand — asks this one function.

use crate::Message;
use crate::entry::Entry;
use crate::ids::{EntryId, OrganisationId, UserId};
use crate::round::PanelMember;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Why a judge declared a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    Institutional,
    Family,
    Collaborator,
    Supervisor,
    Other,
}

impl ConflictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::Institutional => "institutional",
            ConflictKind::Family => "family",
            ConflictKind::Collaborator => "collaborator",
            ConflictKind::Supervisor => "supervisor",
            ConflictKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ConflictKind> {
        [
            ConflictKind::Institutional,
            ConflictKind::Family,
            ConflictKind::Collaborator,
            ConflictKind::Supervisor,
            ConflictKind::Other,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// What a declared conflict is with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "with", content = "id")]
pub enum ConflictTarget {
    Entry(EntryId),
    Organisation(OrganisationId),
}

/// A judge as the rule sees them.
#[derive(Debug, Clone)]
pub struct JudgeFacts<'a> {
    pub id: UserId,
    pub organisation: Option<OrganisationId>,
    pub email: &'a str,
    pub name: &'a str,
    pub declared: &'a [ConflictTarget],
}

/// An entry as the rule sees it.
#[derive(Debug, Clone)]
pub struct EntryFacts<'a> {
    pub id: EntryId,
    pub submitter: UserId,
    pub organisation: Option<OrganisationId>,
    /// Team members' names and emails (email may be absent).
    pub team: &'a [(String, Option<String>)],
}

fn same_person(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    !a.trim().is_empty() && norm(a) == norm(b)
}

/// Does this judge have a conflict with this entry?
pub fn has_conflict(judge: &JudgeFacts<'_>, entry: &EntryFacts<'_>) -> bool {
    let declared = judge.declared.iter().any(|t| match t {
        ConflictTarget::Entry(e) => *e == entry.id,
        ConflictTarget::Organisation(o) => entry.organisation == Some(*o),
    });
    let same_agency = judge.organisation.is_some() && judge.organisation == entry.organisation;
    let author = entry.submitter == judge.id
        || entry.team.iter().any(|(name, email)| {
            email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(judge.email))
                || same_person(name, judge.name)
        });
    declared || same_agency || author
}

/// An entry's team as the rule reads it, (name, email) per member: a judge who
/// co-authored the entry is recognised by either.
pub fn team_of(e: &Entry) -> Vec<(String, Option<String>)> {
    e.content
        .team
        .iter()
        .map(|m| (m.name.clone(), m.email.clone()))
        .collect()
}

/// Which (entry, judge) pairs conflict, by the one rule ([`has_conflict`]): what the
/// automatic assignment must leave out and an assignment by hand refuses. Both paths
/// ask this, so they cannot disagree. `declared`: the panel's declarations (any
/// judge's; each judge's own are picked out here).
pub fn conflicted_pairs(
    entries: &[Entry],
    panel: &[PanelMember],
    declared: &[DeclaredConflict],
) -> HashSet<(EntryId, UserId)> {
    let mut out = HashSet::new();
    let teams: Vec<Vec<(String, Option<String>)>> = entries.iter().map(team_of).collect();
    for j in panel {
        let mine: Vec<ConflictTarget> = declared
            .iter()
            .filter(|c| c.judge_id == j.judge_id)
            .map(|c| c.target)
            .collect();
        let facts = JudgeFacts {
            id: j.judge_id,
            organisation: j.organisation_id,
            email: &j.email,
            name: &j.name,
            declared: &mine,
        };
        for (e, team) in entries.iter().zip(&teams) {
            let ef = EntryFacts {
                id: e.id,
                submitter: e.submitter_id,
                organisation: e.content.organisation_id,
                team,
            };
            if has_conflict(&facts, &ef) {
                out.insert((e.id, j.judge_id));
            }
        }
    }
    out
}

/// A conflict as declared and recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclaredConflict {
    pub id: crate::ids::ConflictId,
    pub judge_id: UserId,
    pub target: ConflictTarget,
    pub kind: ConflictKind,
    pub reason: String,
    pub declared_by: UserId,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The reason given with a declaration: required, at most 2000 characters.
pub fn conflict_reason(raw: &str) -> Result<String, crate::Error> {
    let r = raw.trim();
    if r.is_empty() || r.chars().count() > 2_000 {
        return Err(crate::Error::invalid(
            "reason",
            "required",
            Message::new("field.conflict.required"),
        ));
    }
    Ok(r.to_owned())
}

/// What a newly declared conflict does to one of the judge's assignments that it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recusal {
    /// The judge leaves the entry and another judge is sought.
    Remove,
    /// Left as it is: the round is closed, or a submitted sheet under an agency-wide
    /// declaration (the score stands; the organiser may reopen or unassign).
    Keep,
    /// Refused: a judge who has submitted their sheet (and may have seen the peers' scores)
    /// cannot take the score back by declaring a conflict with that entry.
    Refuse,
}

/// The one rule for a declaration's effect on an assignment it touches.
pub fn recusal(
    target: ConflictTarget,
    sheet: crate::round::SheetStatus,
    round_closed: bool,
) -> Recusal {
    use crate::round::SheetStatus;
    match (round_closed, sheet, target) {
        (true, _, _) => Recusal::Keep,
        (false, SheetStatus::Submitted, ConflictTarget::Entry(_)) => Recusal::Refuse,
        (false, SheetStatus::Submitted, ConflictTarget::Organisation(_)) => Recusal::Keep,
        (false, SheetStatus::NotStarted | SheetStatus::Draft, _) => Recusal::Remove,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(
        team: &'a [(String, Option<String>)],
        org: Option<OrganisationId>,
    ) -> EntryFacts<'a> {
        EntryFacts {
            id: EntryId::new(),
            submitter: UserId::new(),
            organisation: org,
            team,
        }
    }

    fn judge<'a>(declared: &'a [ConflictTarget], org: Option<OrganisationId>) -> JudgeFacts<'a> {
        JudgeFacts {
            id: UserId::new(),
            organisation: org,
            email: "dewi@unbabel.ac.id",
            name: "Dr. Dewi Lestari",
            declared,
        }
    }

    #[test]
    fn no_link_no_conflict() {
        assert!(!has_conflict(&judge(&[], None), &entry(&[], None)));
        let dinkes = OrganisationId::new();
        assert!(!has_conflict(&judge(&[], None), &entry(&[], Some(dinkes))));
    }

    #[test]
    fn a_declared_conflict_with_the_entry_or_its_agency() {
        let dinkes = OrganisationId::new();
        let e = entry(&[], Some(dinkes));
        assert!(has_conflict(
            &judge(&[ConflictTarget::Entry(e.id)], None),
            &e
        ));
        assert!(has_conflict(
            &judge(&[ConflictTarget::Organisation(dinkes)], None),
            &e
        ));
        assert!(!has_conflict(
            &judge(&[ConflictTarget::Organisation(OrganisationId::new())], None),
            &e
        ));
    }

    #[test]
    fn the_same_agency() {
        let dinkes = OrganisationId::new();
        assert!(has_conflict(
            &judge(&[], Some(dinkes)),
            &entry(&[], Some(dinkes))
        ));
        assert!(!has_conflict(
            &judge(&[], Some(dinkes)),
            &entry(&[], Some(OrganisationId::new()))
        ));
    }

    #[test]
    fn the_submitter_or_a_co_author() {
        let j = judge(&[], None);
        let mut e = entry(&[], None);
        e.submitter = j.id;
        assert!(has_conflict(&j, &e));
        let by_email = [("Someone".to_owned(), Some("DEWI@unbabel.ac.id".to_owned()))];
        assert!(has_conflict(&j, &entry(&by_email, None)));
        let by_name = [("dr.  dewi lestari".to_owned(), None)];
        assert!(has_conflict(&j, &entry(&by_name, None)));
        let other = [("Dewi".to_owned(), None)];
        assert!(!has_conflict(&j, &entry(&other, None)));
    }

    /// An entry of agency `org` submitted by someone else, with `team`.
    fn stored_entry(team: Vec<crate::entry::TeamMember>, org: Option<OrganisationId>) -> Entry {
        let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        Entry {
            id: EntryId::new(),
            edition_id: crate::ids::EditionId::new(),
            submitter_id: UserId::new(),
            status: crate::entry::Status::InJudging,
            content: crate::entry::Content {
                title: "Inovasi".to_owned(),
                organisation_id: org,
                team,
                ..Default::default()
            },
            screening_reason: None,
            screened_at: None,
            submitted_at: Some(at),
            withdrawn_at: None,
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    fn member(name: &str, email: &str, org: Option<OrganisationId>) -> PanelMember {
        PanelMember {
            judge_id: UserId::new(),
            name: name.to_owned(),
            email: email.to_owned(),
            organisation_id: org,
            expertise: Vec::new(),
            added_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        }
    }

    fn declared(judge: &PanelMember, target: ConflictTarget) -> DeclaredConflict {
        DeclaredConflict {
            id: crate::ids::ConflictId::new(),
            judge_id: judge.judge_id,
            target,
            kind: ConflictKind::Other,
            reason: "r".to_owned(),
            declared_by: judge.judge_id,
            created_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_team_is_read_as_names_and_emails() {
        let team = vec![
            crate::entry::TeamMember {
                name: "Dewi".to_owned(),
                role: Some("ketua".to_owned()),
                email: Some("dewi@unbabel.ac.id".to_owned()),
            },
            crate::entry::TeamMember {
                name: "Budi".to_owned(),
                role: None,
                email: None,
            },
        ];
        assert_eq!(
            team_of(&stored_entry(team, None)),
            vec![
                ("Dewi".to_owned(), Some("dewi@unbabel.ac.id".to_owned())),
                ("Budi".to_owned(), None),
            ]
        );
    }

    #[test]
    fn conflicted_pairs_are_the_team_the_agency_and_the_declared_ones_only() {
        let dinkes = OrganisationId::new();
        let co_author = member("Budi Santoso", "budi@dinkes.go.id", None);
        let same_agency = member("Sari", "sari@dinkes.go.id", Some(dinkes));
        let declarer = member("Rina", "rina@unbabel.ac.id", None);
        let unrelated = member("Agus", "agus@unbabel.ac.id", Some(OrganisationId::new()));
        let team = vec![crate::entry::TeamMember {
            name: "Someone".to_owned(),
            role: None,
            email: Some("BUDI@dinkes.go.id".to_owned()),
        }];
        let theirs = stored_entry(team, Some(dinkes));
        let other = stored_entry(Vec::new(), None);
        let panel = [
            co_author.clone(),
            same_agency.clone(),
            declarer.clone(),
            unrelated.clone(),
        ];
        // The declarer names `other`; the unrelated judge's declaration names another
        // judge's agency, which neither entry belongs to.
        let declarations = [
            declared(&declarer, ConflictTarget::Entry(other.id)),
            declared(
                &unrelated,
                ConflictTarget::Organisation(OrganisationId::new()),
            ),
        ];
        let pairs = conflicted_pairs(&[theirs.clone(), other.clone()], &panel, &declarations);
        let expected: HashSet<(EntryId, UserId)> = [
            (theirs.id, co_author.judge_id),
            (theirs.id, same_agency.judge_id),
            (other.id, declarer.judge_id),
        ]
        .into_iter()
        .collect();
        assert_eq!(pairs, expected);
        assert!(!pairs.contains(&(theirs.id, unrelated.judge_id)));
        assert!(!pairs.contains(&(other.id, unrelated.judge_id)));
        // A declaration counts only for the judge who made it.
        assert!(!pairs.contains(&(other.id, co_author.judge_id)));
    }

    #[test]
    fn no_entries_or_no_panel_no_pairs() {
        let j = member("Agus", "agus@unbabel.ac.id", None);
        assert!(conflicted_pairs(&[], std::slice::from_ref(&j), &[]).is_empty());
        assert!(conflicted_pairs(&[stored_entry(Vec::new(), None)], &[], &[]).is_empty());
    }

    #[test]
    fn a_submitted_sheet_is_never_taken_back_by_a_declaration() {
        use crate::round::SheetStatus::*;
        let entry = ConflictTarget::Entry(EntryId::new());
        let agency = ConflictTarget::Organisation(OrganisationId::new());
        assert_eq!(recusal(entry, Submitted, false), Recusal::Refuse);
        assert_eq!(recusal(agency, Submitted, false), Recusal::Keep);
        for status in [NotStarted, Draft] {
            assert_eq!(recusal(entry, status, false), Recusal::Remove);
            assert_eq!(recusal(agency, status, false), Recusal::Remove);
        }
        for status in [NotStarted, Draft, Submitted] {
            assert_eq!(recusal(entry, status, true), Recusal::Keep);
            assert_eq!(recusal(agency, status, true), Recusal::Keep);
        }
    }
}
