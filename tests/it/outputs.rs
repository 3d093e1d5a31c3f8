//! Every machine-readable output, rendered in-process by the library's printers and
//! snapshotted whole, so a change to any field (or to `schema_version`) shows up in review.

use std::path::PathBuf;

use policy_check::config::Config;
use policy_check::fixture::run::{LintConfig, run_files as run_fixtures};
use policy_check::lint::Severity;
use policy_check::lint_run::run_files as run_lint;
use policy_check::report::{self, Style};
use policy_check::{InputKind, Request};

type Printer<T> = fn(&T, Style, &mut dyn std::io::Write) -> std::io::Result<()>;

fn print<T>(run: &T, printer: Printer<T>) -> String {
    let mut out = Vec::new();
    printer(run, Style::default(), &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("printers write UTF-8")
}

fn lint_run() -> policy_check::lint_run::LintRun {
    let files = vec![
        PathBuf::from("tests/lint/PC013/bad.json"),
        PathBuf::from("tests/lint/PC033/bad.json"),
        PathBuf::from("tests/lint/PC013/ok.json"),
    ];
    run_lint(
        files,
        &Config::default(),
        InputKind::Auto,
        Severity::Warning,
    )
}

fn fixture_run() -> policy_check::fixture::run::FixtureRun {
    let files = vec![
        PathBuf::from("policies/explicit-deny.test.json"),
        PathBuf::from("tests/fixtures/wrong.test.json"),
        PathBuf::from("tests/fixtures/bad-key.test.json"),
    ];
    run_fixtures(&files, &LintConfig::Default)
}

#[test]
fn lint_json_document() {
    let text = print(&lint_run(), report::lint_json::write);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema_version"], 1);
    insta::assert_snapshot!(text);
}

#[test]
fn lint_sarif_log() {
    let text = print(&lint_run(), report::sarif::write);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], "2.1.0");
    insta::assert_snapshot!(text);
}

#[test]
fn lint_github_commands() {
    insta::assert_snapshot!(print(&lint_run(), report::github::write));
}

#[test]
fn fixture_json_document() {
    let text = print(&fixture_run(), report::test_json::write);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema_version"], 1);
    insta::assert_snapshot!(text);
}

#[test]
fn fixture_junit_report() {
    insta::assert_snapshot!(print(&fixture_run(), report::junit::write));
}

#[test]
fn check_json_document() {
    let checked = policy_check::Checked::from_str(
        "deny.json",
        r#"{"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": [
            {"Sid": "NoDeletes", "Effect": "Deny", "Action": "execute-api:Invoke",
             "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/*/DELETE/*"}]}}"#,
    )
    .unwrap();
    let request = Request::new("DELETE", "/things/1").pin_defaults();
    let eval = checked.evaluate(&request).unwrap();
    let r = report::CheckReport {
        checked: &checked,
        request: &request,
        eval: &eval,
        expect: None,
        lint: &[],
    };
    let mut out = Vec::new();
    report::json::write(&r, Style::default(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema_version"], 1);
    insta::assert_snapshot!(text);
}

#[test]
fn rules_json_document() {
    let mut out = Vec::new();
    report::rules::write_json(&mut out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema_version"], 1);
    let codes: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    insta::assert_snapshot!(codes.join("\n"));
}
