//! Who may do what. Every route's role check is a call to [`authorize`] with a named
//! [`Action`], so the whole permission table is here, in one place, and tested.
//! Per-object rules (may this submitter see this entry?) live beside their objects.

use crate::Error;
use crate::Message;
use crate::user::Role;

/// Things a signed-in user may ask for, named by what they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read one's own account (`GET /me`), sign out.
    ReadOwnAccount,
    /// Create judge and organiser accounts (invitations), list and disable accounts.
    ManageAccounts,
    /// Add, rename and retire agencies in the reference list.
    ManageOrganisations,
    /// Read the audit trail.
    ReadAudit,
    /// Create and change editions, their fields, tracks and timeline.
    ManageEditions,
    /// Screen submitted entries (eligible / ineligible).
    ScreenEntries,
    /// Draft an entry (only submitters enter the competition).
    CreateEntry,
    /// List entries: one's own (submitters) or all (organisers). Judges see theirs
    /// through their assignments instead.
    ListEntries,
    /// Rounds, rubrics, the panel, assignments, progress, closing and advancing rounds,
    /// reopening sheets.
    ManageJudging,
    /// Declare a conflict of interest (judges for themselves, organisers for a judge).
    DeclareConflict,
    /// Score the entries one is assigned to.
    ScoreEntries,
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::ReadOwnAccount,
        Action::ManageAccounts,
        Action::ManageOrganisations,
        Action::ReadAudit,
        Action::ManageEditions,
        Action::ScreenEntries,
        Action::CreateEntry,
        Action::ListEntries,
        Action::ManageJudging,
        Action::DeclareConflict,
        Action::ScoreEntries,
    ];
}

/// May a user with `role` perform `action`?
pub fn may(role: Role, action: Action) -> bool {
    match action {
        Action::ReadOwnAccount => true,
        Action::ManageAccounts
        | Action::ManageOrganisations
        | Action::ReadAudit
        | Action::ManageEditions
        | Action::ScreenEntries
        | Action::ManageJudging => role == Role::Organiser,
        Action::DeclareConflict => role != Role::Submitter,
        Action::ScoreEntries => role == Role::Judge,
        Action::CreateEntry => role == Role::Submitter,
        Action::ListEntries => role != Role::Judge,
    }
}

/// [`may`], as a result: a signed-in user who may not is `Forbidden` (403).
pub fn authorize(role: Role, action: Action) -> Result<(), Error> {
    if may(role, action) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Organisers create judges and organisers; submitters sign themselves up.
pub fn staff_role(role: Role) -> Result<Role, Error> {
    match role {
        Role::Judge | Role::Organiser => Ok(role),
        Role::Submitter => Err(Error::invalid(
            "role",
            "not_a_staff_role",
            Message::new("field.access.not_a_staff_role"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_permission_table() {
        // (action, submitter, judge, organiser)
        let table = [
            (Action::ReadOwnAccount, true, true, true),
            (Action::ManageAccounts, false, false, true),
            (Action::ManageOrganisations, false, false, true),
            (Action::ReadAudit, false, false, true),
            (Action::ManageEditions, false, false, true),
            (Action::ScreenEntries, false, false, true),
            (Action::CreateEntry, true, false, false),
            (Action::ListEntries, true, false, true),
            (Action::ManageJudging, false, false, true),
            (Action::DeclareConflict, false, true, true),
            (Action::ScoreEntries, false, true, false),
        ];
        assert_eq!(table.len(), Action::ALL.len());
        for (action, s, j, o) in table {
            assert_eq!(may(Role::Submitter, action), s, "submitter {action:?}");
            assert_eq!(may(Role::Judge, action), j, "judge {action:?}");
            assert_eq!(may(Role::Organiser, action), o, "organiser {action:?}");
        }
    }

    #[test]
    fn a_refusal_is_forbidden() {
        assert_eq!(
            authorize(Role::Judge, Action::ManageAccounts),
            Err(Error::Forbidden)
        );
        assert_eq!(authorize(Role::Organiser, Action::ManageAccounts), Ok(()));
    }

    #[test]
    fn only_judges_and_organisers_are_staff() {
        assert_eq!(staff_role(Role::Judge), Ok(Role::Judge));
        assert_eq!(staff_role(Role::Organiser), Ok(Role::Organiser));
        assert!(matches!(
            staff_role(Role::Submitter),
            Err(Error::Invalid(_))
        ));
    }
}
