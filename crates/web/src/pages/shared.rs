//! What the submitter's, judge's and organiser's pages share besides their door
//! ([`crate::pages::PageCan`]): the labels of an entry's status, turning a domain
//! error into field errors for the form that caused it, and the entry's content
//! (`templates/entry_view.html`, `file_list.html`).

use crate::error::ApiError;
use crate::pages::{Ctx, FormErrors, PageError};
use axum::http::StatusCode;
use juri_domain::Error;
use juri_domain::edition::Phase;
use juri_domain::entry::{Entry, Status};

/// A list's page number from the query (`halaman`): an unreadable one, or one below
/// 1, shows the first page rather than failing the page.
pub fn page_number(raw: &str) -> u64 {
    raw.parse::<u64>().ok().filter(|p| *p >= 1).unwrap_or(1)
}

/// The catalogue key of an edition's phase.
pub fn phase_key(p: Phase) -> &'static str {
    match p {
        Phase::SetUp => "phase.set_up",
        Phase::Open => "phase.open",
        Phase::Screening => "phase.screening",
        Phase::Judging => "phase.judging",
        Phase::Decided => "phase.decided",
        Phase::Published => "phase.published",
    }
}

/// The catalogue key of an entry's status.
pub fn status_key(s: Status) -> &'static str {
    match s {
        Status::Draft => "status.draft",
        Status::Submitted => "status.submitted",
        Status::Eligible => "status.eligible",
        Status::Ineligible => "status.ineligible",
        Status::InJudging => "status.in_judging",
        Status::Winner => "status.winner",
        Status::NotAwarded => "status.not_awarded",
        Status::Withdrawn => "status.withdrawn",
    }
}

/// The catalogue key of what happens next to an entry, as its submitter reads it.
pub fn next_key(s: Status) -> &'static str {
    match s {
        Status::Draft => "next.draft",
        Status::Submitted => "next.submitted",
        Status::Eligible => "next.eligible",
        Status::Ineligible => "next.ineligible",
        Status::InJudging => "next.in_judging",
        Status::Winner => "next.winner",
        Status::NotAwarded => "next.not_awarded",
        Status::Withdrawn => "next.withdrawn",
    }
}

/// A form's failure: field errors to show next to their fields (the form is rendered
/// again, 422), or anything else as an error page.
pub fn form_errors(e: impl Into<ApiError>, ctx: &Ctx) -> Result<FormErrors, PageError> {
    match e.into() {
        ApiError::Domain(Error::Invalid(errors)) => Ok(FormErrors::new(&errors, ctx.lang)),
        e => Err(PageError::new(e, ctx)),
    }
}

/// As [`form_errors`], and a conflict (a name taken, a state that no longer allows the
/// action) shown at `field`: the input or form it is about.
pub fn form_errors_or_conflict_at(
    e: impl Into<ApiError>,
    field: &str,
    ctx: &Ctx,
) -> Result<FormErrors, PageError> {
    match e.into() {
        ApiError::Domain(Error::Conflict(why)) => Ok(FormErrors::one(field, &ctx.say(&why))),
        e => form_errors(e, ctx),
    }
}

/// A refused action shown in place: the errors for its form (a conflict at `field`,
/// the action's own error, by its button), and the status to answer with: 409 when
/// the state does not allow the action now, 422 when the input is refused.
pub fn refusal_at(
    e: impl Into<ApiError>,
    field: &str,
    ctx: &Ctx,
) -> Result<(StatusCode, FormErrors), PageError> {
    let e = e.into();
    let status = match &e {
        ApiError::Domain(Error::Conflict(_)) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, form_errors_or_conflict_at(e, field, ctx)?))
}

/// An upload's failure, put next to the file input: the wrong type, too large, no
/// file, or an entry no longer open to changes. Anything else is an error page.
pub fn upload_errors(e: ApiError, ctx: &Ctx) -> Result<FormErrors, PageError> {
    let key = match &e {
        ApiError::UnsupportedMediaType(_) => "error.upload_type",
        ApiError::PayloadTooLarge => "error.too_large",
        ApiError::Domain(Error::Invalid(_)) => "entry.choose_file",
        ApiError::Domain(Error::Conflict(_)) => "error.conflict",
        _ => return Err(PageError::new(e, ctx)),
    };
    Ok(FormErrors::one("file", ctx.t(key)))
}

/// The written parts of an entry that are not empty, each with its heading's
/// catalogue key: what `entry_view.html` shows to the submitter (once the entry can no
/// longer be edited), to a judge and to an organiser.
pub fn sections(entry: &Entry) -> Vec<(&'static str, &str)> {
    let c = &entry.content;
    [
        ("entry.summary", c.summary.as_str()),
        ("entry.problem", c.problem.as_str()),
        ("entry.solution", c.solution.as_str()),
        ("entry.how_it_works", c.how_it_works.as_str()),
        ("entry.impact", c.impact.as_str()),
        ("entry.cost", c.cost.as_str()),
        ("entry.replicability", c.replicability.as_str()),
        ("entry.sustainability", c.sustainability.as_str()),
        ("entry.stakeholders", c.stakeholders.as_str()),
    ]
    .into_iter()
    .filter(|(_, text)| !text.trim().is_empty())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::page_number;

    #[test]
    fn a_page_number_falls_back_to_the_first_page() {
        assert_eq!(page_number("3"), 3);
        assert_eq!(page_number("1"), 1);
        for bad in ["", "0", "-2", "dua", "1.5", "99999999999999999999999"] {
            assert_eq!(page_number(bad), 1, "{bad}");
        }
    }
}
