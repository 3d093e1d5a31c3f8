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

/// The binary with colour off and a fixed width, so output is the same everywhere. A run
/// that takes over a minute is killed, so a regression to a hang fails the test instead of
/// blocking CI (a generous bound, not a timing assertion).
pub fn cmd() -> Command {
    let mut c = Command::cargo_bin("policy-check").expect("binary builds");
    c.env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .env("COLUMNS", "100")
        .timeout(std::time::Duration::from_secs(60));
    c
}

/// The pins of [`PINS`] except `--stage`, followed by `args` (for checks where the stage is
/// the part left unknown).
#[allow(dead_code)]
pub fn without_stage<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = args.to_vec();
    v.extend(&PINS[..8]);
    v
}

/// The harness timeout for inputs that once hung: generous, so a slow machine passes and a
/// hang fails instead of blocking CI (no timing is asserted).
pub const WATCHDOG: std::time::Duration = std::time::Duration::from_secs(20);

/// [`cmd`] with the [`WATCHDOG`] timeout.
#[allow(dead_code)] // not every test file uses every helper
pub fn guarded() -> Command {
    let mut c = cmd();
    c.timeout(WATCHDOG);
    c
}

/// A policy of one Allow per Resource entry in `resources`.
#[allow(dead_code)]
pub fn allows<S: AsRef<str>>(resources: impl IntoIterator<Item = S>) -> String {
    let body: Vec<String> = resources
        .into_iter()
        .map(|r| {
            serde_json::json!({"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": r.as_ref()})
                .to_string()
        })
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        body.join(",")
    )
}

/// Stdout and stderr of a finished command, as text.
#[allow(dead_code)]
pub fn texts(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
