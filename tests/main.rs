//! The one integration-test binary: each module is a family of tests.

mod support;

mod bad_inputs;
mod cli;
mod convert;
mod convert_snapshots;
mod docs;
mod gate;
mod inventory_snapshots;
mod real_flask;
mod real_models;
mod real_urls;
mod report_html;
