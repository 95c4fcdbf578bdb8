#![expect(
    clippy::expect_used,
    reason = "test helpers: a failed step must fail the test at once"
)]

//! End-to-end tests: the real server on a free port, a real HTTP client, a fresh
//! database per test (SQLite, or PostgreSQL with `JURI_TEST_DATABASE_URL`).

mod access;
mod accounts;
mod agency_pages;
mod audit;
mod catalogue_search;
mod crawl;
mod demo;
mod editions;
mod entries;
mod errors;
mod exports;
mod import;
mod judging;
mod language;
mod limits;
mod metrics;
mod notifications;
mod openapi;
mod organisations;
mod organiser_pages;
mod page_door;
mod page_flows;
mod pages;
mod passwords;
mod refusals;
mod results;
mod round_pages;
mod scale;
mod setup_pages;
mod storage;
mod tokens;
