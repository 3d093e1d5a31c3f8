//! The exit codes of every subcommand: one table, the single source of the README's table,
//! docs/lint.md's and `--help` (the library never exits; the CLI maps its outcomes to these).

/// `(code, meaning)`, Markdown in the meaning.
pub const EXIT_CODES: &[(u8, &str)] = &[
    (
        0,
        "allowed; or the request reaches the integration (`request`: every request of a `--then` sequence); or every `--expect` / fixture expectation met; or lint found nothing at `--fail-level`; or `explain` found a cause",
    ),
    (
        1,
        "denied (explicitly or implicitly); or API Gateway answers an error (`request`); or the answer depends on unpinned parts or unknowns; or an expectation failed; or lint findings at or above `--fail-level` (default `error`); or `explain` knows no cause for the response",
    ),
    (
        2,
        "the tool could not answer: usage error, unreadable file or configuration, not JSON (empty, BOM, invalid UTF-8, trailing garbage, nested deeper than 127 levels), no recognisable shape, a bad `--arn`, a mistake in a fixture file, an API definition it cannot read, a template holding several APIs without `--api-name`, a request it does not model (signed IAM, Cognito or JWT tokens); `lint` and `test` still report the other files",
    ),
    (
        3,
        "the authorizer output is malformed: API Gateway would answer 500",
    ),
];

/// The table in Markdown, as in the README and docs/lint.md.
///
/// ```
/// let md = policy_check::exit_codes::markdown();
/// assert!(md.starts_with("| code | meaning |\n|---|---|\n| 0 | allowed;"));
/// ```
pub fn markdown() -> String {
    let mut out = String::from("| code | meaning |\n|---|---|\n");
    for (code, meaning) in EXIT_CODES {
        out.push_str(&format!("| {code} | {meaning} |\n"));
    }
    out
}

/// The table as plain text for `--help`: one `  N  meaning` line per code, without the
/// Markdown backticks.
pub fn plain() -> String {
    EXIT_CODES
        .iter()
        .map(|(code, meaning)| format!("  {code}  {}\n", meaning.replace('`', "")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_shows_this_table() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
            .expect("README.md");
        assert!(
            readme.contains(&markdown()),
            "README.md's exit-code table differs from exit_codes::EXIT_CODES:\n{}",
            markdown()
        );
        assert!(plain().starts_with("  0  allowed; or the request reaches the integration"));
    }
}
