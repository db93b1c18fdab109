//! HTTP tests of the Kuajing server: the real server on a random port, spoken
//! to over real connections, each test run on SQLite and on PostgreSQL.
//!
//! One test binary for the crate (link time matters on 2 cores): add modules
//! here rather than new files under `tests/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod attachments;
mod audit;
mod authorization;
mod bad_input;
mod bonded;
mod bonded_flow;
mod bulk;
mod clearance;
mod connections;
mod csv_injection;
mod declaration_day;
mod document_ownership;
mod export_returns;
mod exports;
mod filings;
mod hardening_codec;
mod health;
mod hygiene;
mod openapi;
mod overseas_warehouses;
mod portal;
mod purchase_records;
mod reference;
mod repair;
mod sharing;
mod sign_in;
mod storage;
mod store_floor;
mod summaries;
mod support;
mod webhooks;
