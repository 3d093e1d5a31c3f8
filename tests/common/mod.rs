//! Helpers shared by the CLI test files.
// Each test crate uses some of these helpers, not all.
#![allow(dead_code)]

use assert_cmd::Command;

/// Pins every ARN part to the examples' test account.
pub const PINS: [&str; 10] = [
    "--partition",
    "aws",
    "--region",
    "us-east-1",
    "--account",
    "123456789012",
    "--api-id",
    "abc123",
    "--stage",
    "prod",
];

/// The binary with colour off and a fixed width, so output is the same everywhere.
pub fn cmd() -> Command {
    let mut c = Command::cargo_bin("policy-check").expect("binary builds");
    c.env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .env("COLUMNS", "100");
    c
}

/// The pins of [`PINS`] except `--stage`, followed by `args` (for checks where the stage is
/// the part left unknown).
pub fn without_stage<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = args.to_vec();
    v.extend(&PINS[..8]);
    v
}
