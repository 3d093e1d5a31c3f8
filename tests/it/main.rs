//! Every integration test, in one crate: one link instead of fifteen. Each module is one
//! area of the tool as a user meets it; `common` holds the shared helpers.

mod answers;
mod bad_input;
mod cli;
mod common;
mod completions;
mod explain;
mod explain_cli;
mod json_differential;
mod lint;
mod lint_api;
mod outputs;
mod readme;
mod reliability;
mod request;
mod rust_authorizer;
mod snapshots;
