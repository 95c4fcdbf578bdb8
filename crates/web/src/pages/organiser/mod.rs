//! The organiser's pages under `/panitia`: the editions with their phase and counts,
//! the screening queue and form, a round's set-up with its rubric, the automatic and
//! manual assignment with its statistics, round progress, closing a round, the
//! results (ranking bars, flags, each judge's score distribution as an SVG chart),
//! tie decisions, winners, publishing behind a confirmation, and the exports. Each
//! page authorises with the permission table exactly as the API route it mirrors,
//! and makes the same `Store` call.

mod editions;
mod publish;
mod results;
mod rounds;
mod screening;

// The router names every handler as `organiser::…`.
pub use editions::{edition, home};
pub use publish::{publish, publish_confirm};
pub use results::{decide_tie, drilldown, export_csv, export_xlsx, record_winners, results};
pub use rounds::{
    advance, assign, assign_many, auto_assign, close_confirm, close_round, remind, reopen_form,
    reopen_sheet, round, unassign,
};
pub use screening::{entry, queue, screen, screen_many};

use crate::error::ApiError;
use crate::state::AppState;
use juri_domain::round::Round;
use std::collections::HashMap;

/// The organiser's area starts here.
pub const HOME: &str = "/panitia";

/// Entry titles of an edition's rounds, from each round's progress (which names every
/// entry that reached it).
async fn titles(state: &AppState, rounds: &[Round]) -> Result<HashMap<String, String>, ApiError> {
    let mut out = HashMap::new();
    for r in rounds {
        for c in state.store.progress(r.id).await?.entries {
            out.insert(c.id, c.name);
        }
    }
    Ok(out)
}
