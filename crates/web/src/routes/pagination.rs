//! `?page=&per_page=` for every list: page from 1 to a million, at most 100 a page, 20
//! by default.

use juri_domain::Message;
use juri_domain::{Error, FieldError};
use serde::Deserialize;

pub const DEFAULT_PER_PAGE: u64 = 20;
pub const MAX_PER_PAGE: u64 = 100;
/// Far beyond any list Juri holds, and small enough that the row offset fits the
/// databases' signed 64-bit integers (a larger page made the query binding panic).
pub const MAX_PAGE: u64 = 1_000_000;

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct PageQuery {
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl PageQuery {
    /// `(page, per_page)`, or 422 naming the parameter out of range.
    pub fn resolve(self) -> Result<(u64, u64), Error> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        let mut errors = Vec::new();
        if page == 0 || page > MAX_PAGE {
            errors.push(FieldError::new(
                "page",
                "out_of_range",
                Message::new("field.pagination.out_of_range").with("max_page", MAX_PAGE),
            ));
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            errors.push(FieldError::new(
                "per_page",
                "out_of_range",
                Message::new("field.pagination.out_of_range.per_page")
                    .with("max_per_page", MAX_PER_PAGE),
            ));
        }
        if errors.is_empty() {
            Ok((page, per_page))
        } else {
            Err(Error::Invalid(errors))
        }
    }
}
