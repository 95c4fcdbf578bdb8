//! Assignments and score sheets: starting a round, the automatic assignment (the
//! optimal one of `juri_domain::assignment`), assignments by hand, conflicts with
//! recusal and reassignment, saving and submitting sheets with version checks,
//! progress, closing a round and advancing its best entries.
//!
//! One file per idea, each adding its own `impl Store` block: `assign` (who judges
//! what), `conflicts` (declarations and recusal), `sheets` (reading and writing a
//! judge's sheet), `progress` (a round's state, closing and advancing it).

mod assign;
mod conflicts;
mod progress;
mod sheets;

pub use assign::{AssignFailure, AutoAssignment, Shortfall};
pub use conflicts::ConflictOutcome;
pub use progress::{Count, Progress, Reminded, SubmittedSheet};
pub(crate) use sheets::PendingSaves;
pub use sheets::{AssignmentDetail, MyAssignment};
