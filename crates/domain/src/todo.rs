//! What the organisers have to do next in an edition, by its phase: the to-do list on
//! the edition's page. A rule of the competition (what must be in place before the
//! next step can succeed), so it lives here and is tested without a page.

use crate::edition::Phase;
use crate::ids::RoundId;

/// Where an edition stands, as far as its next steps depend on it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Situation {
    pub fields: usize,
    pub tracks: usize,
    /// Judges on the edition's panel.
    pub panel: usize,
    /// Entries submitted and not yet screened.
    pub to_screen: u64,
    /// Entries that passed screening (eligible, in judging, winners).
    pub passed: u64,
    pub rounds: Vec<RoundSituation>,
    /// Winners are recorded for the results.
    pub winners_recorded: bool,
}

/// One round's state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoundSituation {
    pub id: RoundId,
    pub closed: bool,
    /// Sheets assigned and submitted.
    pub sheets: usize,
    pub submitted: usize,
}

/// Where a to-do is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    SetUp,
    Panel,
    Screening,
    NewRound,
    Round(RoundId),
    Results,
    Publish,
}

/// One thing to do: its catalogue key (`todo.<what>`), how many it is about (entries
/// to screen, sheets missing) and where it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Todo {
    pub what: &'static str,
    pub count: Option<u64>,
    pub place: Place,
}

fn todo(what: &'static str, count: Option<u64>, place: Place) -> Todo {
    Todo { what, count, place }
}

/// The to-do list of an edition in `phase`, most urgent first. Empty once published.
pub fn todos(phase: Phase, s: &Situation) -> Vec<Todo> {
    let mut out = Vec::new();
    if phase == Phase::Published {
        return out;
    }
    // Set-up gaps block everything after them: submitters must choose a field and a
    // track, and nobody can be assigned without a panel.
    if matches!(phase, Phase::SetUp | Phase::Open) {
        if s.fields == 0 {
            out.push(todo("todo.add_field", None, Place::SetUp));
        }
        if s.tracks == 0 {
            out.push(todo("todo.add_track", None, Place::SetUp));
        }
    }
    if s.panel == 0 {
        out.push(todo("todo.invite_judges", None, Place::Panel));
    }
    match phase {
        Phase::SetUp | Phase::Open | Phase::Published => {
            if s.rounds.is_empty() {
                out.push(todo("todo.create_round", None, Place::NewRound));
            }
        }
        Phase::Screening => {
            if s.to_screen > 0 {
                out.push(todo("todo.screen", Some(s.to_screen), Place::Screening));
            }
            if s.rounds.is_empty() {
                out.push(todo("todo.create_round", None, Place::NewRound));
            } else if s.passed > 0
                && let Some(first) = s.rounds.first()
            {
                out.push(todo("todo.start_judging", None, Place::Round(first.id)));
            }
        }
        Phase::Judging => {
            for r in s.rounds.iter().filter(|r| !r.closed) {
                if r.sheets == 0 {
                    out.push(todo("todo.assign", None, Place::Round(r.id)));
                } else if r.submitted < r.sheets {
                    let missing = (r.sheets - r.submitted) as u64;
                    out.push(todo(
                        "todo.sheets_missing",
                        Some(missing),
                        Place::Round(r.id),
                    ));
                } else {
                    out.push(todo("todo.close_round", None, Place::Round(r.id)));
                }
            }
            if s.rounds.iter().all(|r| r.closed) {
                if s.winners_recorded {
                    out.push(todo("todo.publish", None, Place::Publish));
                } else {
                    out.push(todo("todo.record_winners", None, Place::Results));
                }
            }
        }
        Phase::Decided => out.push(todo("todo.publish", None, Place::Publish)),
    }
    out
}

/// Every key [`todos`] can name (the catalogue must word each one).
pub const KEYS: &[&str] = &[
    "todo.add_field",
    "todo.add_track",
    "todo.invite_judges",
    "todo.create_round",
    "todo.screen",
    "todo.start_judging",
    "todo.assign",
    "todo.sheets_missing",
    "todo.close_round",
    "todo.record_winners",
    "todo.publish",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn ready() -> Situation {
        Situation {
            fields: 3,
            tracks: 2,
            panel: 4,
            ..Situation::default()
        }
    }

    fn round(closed: bool, sheets: usize, submitted: usize) -> RoundSituation {
        RoundSituation {
            id: RoundId::new(),
            closed,
            sheets,
            submitted,
        }
    }

    fn whats(list: &[Todo]) -> Vec<&'static str> {
        list.iter().map(|t| t.what).collect()
    }

    #[test]
    fn an_edition_being_set_up_asks_for_its_fields_tracks_panel_and_a_round() {
        assert_eq!(
            whats(&todos(Phase::SetUp, &Situation::default())),
            [
                "todo.add_field",
                "todo.add_track",
                "todo.invite_judges",
                "todo.create_round"
            ]
        );
        assert_eq!(whats(&todos(Phase::SetUp, &ready())), ["todo.create_round"]);
    }

    #[test]
    fn screening_counts_what_is_left_and_then_points_at_the_first_round() {
        let mut s = ready();
        s.to_screen = 7;
        s.passed = 3;
        s.rounds = vec![round(false, 0, 0), round(false, 0, 0)];
        let list = todos(Phase::Screening, &s);
        assert_eq!(whats(&list), ["todo.screen", "todo.start_judging"]);
        assert_eq!(list[0].count, Some(7));
        assert_eq!(list[1].place, Place::Round(s.rounds[0].id));
        // Nothing passed yet: no judging to start.
        s.passed = 0;
        assert_eq!(whats(&todos(Phase::Screening, &s)), ["todo.screen"]);
    }

    #[test]
    fn judging_names_each_open_round_s_next_step_then_the_results() {
        let mut s = ready();
        s.rounds = vec![round(true, 6, 6), round(false, 6, 4), round(false, 0, 0)];
        let list = todos(Phase::Judging, &s);
        assert_eq!(whats(&list), ["todo.sheets_missing", "todo.assign"]);
        assert_eq!(list[0].count, Some(2));
        assert_eq!(list[0].place, Place::Round(s.rounds[1].id));

        s.rounds = vec![round(true, 6, 6), round(false, 4, 4)];
        assert_eq!(whats(&todos(Phase::Judging, &s)), ["todo.close_round"]);

        s.rounds = vec![round(true, 6, 6), round(true, 4, 4)];
        assert_eq!(whats(&todos(Phase::Judging, &s)), ["todo.record_winners"]);
        s.winners_recorded = true;
        assert_eq!(whats(&todos(Phase::Judging, &s)), ["todo.publish"]);
        assert_eq!(whats(&todos(Phase::Decided, &s)), ["todo.publish"]);
    }

    #[test]
    fn a_published_edition_has_nothing_left_to_do() {
        assert!(todos(Phase::Published, &Situation::default()).is_empty());
    }

    #[test]
    fn every_key_is_listed() {
        let mut s = Situation {
            to_screen: 1,
            passed: 1,
            ..Situation::default()
        };
        let mut seen = std::collections::BTreeSet::new();
        for phase in [
            Phase::SetUp,
            Phase::Screening,
            Phase::Judging,
            Phase::Decided,
        ] {
            for rounds in [
                vec![],
                vec![round(false, 0, 0)],
                vec![round(false, 2, 1)],
                vec![round(false, 2, 2)],
                vec![round(true, 2, 2)],
            ] {
                for recorded in [false, true] {
                    s.rounds = rounds.clone();
                    s.winners_recorded = recorded;
                    seen.extend(whats(&todos(phase, &s)));
                }
            }
        }
        let keys: std::collections::BTreeSet<&str> = KEYS.iter().copied().collect();
        assert_eq!(seen, keys);
    }
}
