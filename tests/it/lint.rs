//! `policy-check lint`: every rule against its fixtures (tests/lint/CODE/bad.json triggers
//! it, ok.json does not), snapshots of each rule's human output, the example policies, the
//! bundled schema, configuration, formats (json, SARIF validated against the official
//! schema, GitHub annotations) and exit codes.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use policy_check::apidef::{self, ApiModel};
use policy_check::lint::{self, RULES};
use policy_check::report::{Style, render};
use policy_check::{Checked, InputKind, Source};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(code: &str, which: &str) -> PathBuf {
    PathBuf::from("tests/lint")
        .join(code)
        .join(format!("{which}.json"))
}

fn load(rel: &Path) -> Checked {
    let bytes =
        std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
    Checked::from_bytes(&rel.display().to_string(), bytes, InputKind::Auto)
        .unwrap_or_else(|e| panic!("{}: {e}", rel.display()))
}

fn codes(c: &Checked) -> Vec<&'static str> {
    lint::lint_default(c).iter().map(|f| f.rule.code).collect()
}

/// The API definition beside a fixture (`tests/lint/CODE/WHICH.api.yaml`), for the rules
/// that need one (`lint --api`).
fn definition(code: &str, which: &str) -> Option<ApiModel> {
    let rel = PathBuf::from("tests/lint")
        .join(code)
        .join(format!("{which}.api.yaml"));
    let text = std::fs::read_to_string(root().join(&rel)).ok()?;
    Some(
        apidef::load(Source::new(&rel.display().to_string(), text), None)
            .unwrap_or_else(|e| panic!("{}: {e}", rel.display())),
    )
}

/// A fixture's findings as a user sees them, each with the text it points into: the
/// output's, and with a definition beside it, the definition's too (`lint --api`).
fn fixture_findings(code: &str, which: &str) -> Vec<(lint::Finding, Source)> {
    let out = load(&fixture(code, which));
    let src = out.document.source.clone();
    match definition(code, which) {
        Some(api) => lint::api::lint_definition(&api)
            .into_iter()
            .map(|f| (f, api.source.clone()))
            .chain(
                lint::api::lint_with_api(&out, &api)
                    .into_iter()
                    .map(|f| (f, src.clone())),
            )
            .collect(),
        None => lint::lint_default(&out)
            .into_iter()
            .map(|f| (f, src.clone()))
            .collect(),
    }
}

fn fixture_codes(code: &str, which: &str) -> Vec<&'static str> {
    fixture_findings(code, which)
        .iter()
        .map(|(f, _)| f.rule.code)
        .collect()
}

/// Runs the binary with `args`, asserts success, returns stdout.
fn stdout_ok<I, S>(args: I) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    bin()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

fn bin() -> Command {
    let mut c = Command::cargo_bin("policy-check").unwrap();
    c.current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    c
}

#[test]
fn every_rule_has_docs_with_the_four_sections() {
    let mut missing = Vec::new();
    for r in RULES {
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## Fix",
        ] {
            if !r.docs.contains(section) {
                missing.push(format!("{} lacks `{section}`", r.code));
            }
        }
        if r.summary.is_empty() {
            missing.push(format!("{} has no summary", r.code));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn every_rule_has_a_triggering_and_a_clean_fixture() {
    let mut missing = Vec::new();
    for r in RULES {
        for which in ["bad", "ok"] {
            if !root().join(fixture(r.code, which)).is_file() {
                missing.push(fixture(r.code, which).display().to_string());
            }
        }
    }
    assert!(missing.is_empty(), "rules without fixtures: {missing:#?}");
    // And no fixture directory names a rule that does not exist.
    for entry in std::fs::read_dir(root().join("tests/lint")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        assert!(
            lint::find_rule(&name).is_some(),
            "tests/lint/{name} names no rule"
        );
    }
}

#[test]
fn bad_fixtures_trigger_their_rule_and_ok_fixtures_do_not() {
    let mut wrong = Vec::new();
    for r in RULES {
        let bad = fixture_codes(r.code, "bad");
        if !bad.contains(&r.code) {
            wrong.push(format!(
                "{}: bad.json does not trigger it (got {bad:?})",
                r.code
            ));
        }
        if fixture_codes(r.code, "ok").contains(&r.code) {
            wrong.push(format!("{}: ok.json triggers it", r.code));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn ok_fixtures_are_clean_at_the_default_fail_level() {
    for r in RULES {
        let errors: Vec<_> = fixture_findings(r.code, "ok")
            .into_iter()
            .filter(|(f, _)| f.severity == lint::Severity::Error)
            .map(|(f, _)| f.rule.code)
            .collect();
        assert!(
            errors.is_empty(),
            "{}: ok.json has errors {errors:?}",
            r.code
        );
    }
}

/// One snapshot per rule: its findings on bad.json as a user sees them. `glob!` runs every
/// rule and reports every failing one, so one failure does not hide the rest.
#[test]
fn human_output_of_every_rule() {
    insta::glob!("../lint", "PC*/bad.json", |path| {
        let code = path
            .parent()
            .and_then(|d| d.file_name())
            .and_then(|n| n.to_str())
            .expect("tests/lint/PCnnn/bad.json");
        let text: String = fixture_findings(code, "bad")
            .iter()
            .filter(|(f, _)| f.rule.code == code)
            .map(|(f, src)| render(&policy_check::report::finding_in(f, src), Style::default()))
            .collect::<Vec<_>>()
            .join("\n");
        insta::assert_snapshot!(text);
    });
}

#[test]
fn spans_point_at_the_culprit() {
    let c = load(&fixture("PC021", "bad"));
    let f = lint::lint_default(&c)
        .into_iter()
        .find(|f| f.rule.code == "PC021")
        .unwrap();
    assert_eq!(
        &c.document.source.text()[f.span.range()],
        "\"execute-api:Invok\""
    );
    assert!(f.help.contains("execute-api:Invoke"), "{}", f.help);
    assert_eq!(f.statement, Some(0));

    let c = load(&fixture("PC032", "bad"));
    let f = lint::lint_default(&c)
        .into_iter()
        .find(|f| f.rule.code == "PC032")
        .unwrap();
    assert_eq!(&c.document.source.text()[f.span.range()], "ANY");
    assert!(f.help.contains('*'));

    let c = load(&fixture("PC009", "bad"));
    let f = lint::lint_default(&c)
        .into_iter()
        .find(|f| f.rule.code == "PC009")
        .unwrap();
    let text = c.document.source.text();
    assert_eq!(&text[f.span.range()], "\"Effect\"");
    assert_eq!(f.related.len(), 1, "both occurrences are labelled");
    assert!(f.related[0].0.offset() < f.span.offset());
}

/// What each example in policies/ is expected to give (`lint` at the default fail level).
#[test]
fn example_policies_lint_as_expected() {
    let expected: &[(&str, &[&str], i32)] = &[
        ("allow.json", &["PC054"], 0),
        // The Deny on `DELETE/things/*` leaves `DELETE /things` open (PC043).
        ("condition-assumed.json", &["PC034", "PC041", "PC043"], 0),
        // Deny only: an info (PC056), the policy can never allow.
        ("explicit-deny.json", &["PC056"], 0),
        ("http-simple-allow.json", &[], 0),
        ("http-simple-deny.json", &[], 0),
        ("http-simple-invalid.json", &["PC000"], 1),
        ("implicit-deny.json", &[], 0),
        ("malformed-condition-null.json", &["PC040"], 1),
        ("malformed-context.json", &["PC004"], 1),
        ("malformed-effect-case.json", &["PC013"], 1),
        ("many-statements.json", &["PC020", "PC036"], 0),
        ("not-resource.json", &["PC052"], 0),
        // Demonstrates a placeholder that never matches: an error by design.
        ("path-parameters.json", &["PC033"], 1),
        ("rest-response.json", &["PC036"], 0),
        ("root-path.json", &["PC054"], 0),
        ("stage-dependent.json", &[], 0),
        ("verb-wildcard-spans-paths.json", &["PC034"], 0),
        // Authorizers run only on $connect: no single-method-arn caching trap (PC054).
        ("websocket-connect.json", &[], 0),
        // `production/*/*` never matches `production/$connect`: an info (PC042).
        ("websocket-verb-wildcard.json", &["PC042"], 0),
        ("wildcard-stage.json", &["PC036"], 0),
    ];
    for (file, want, exit) in expected {
        let rel = PathBuf::from("policies").join(file);
        let mut got = codes(&load(&rel));
        got.sort_unstable();
        got.dedup();
        assert_eq!(&got, want, "{file}");
        bin()
            .args(["lint", "--no-config", rel.to_str().unwrap()])
            .assert()
            .code(*exit);
    }
}

#[test]
fn example_policies_against_the_schema() {
    for entry in std::fs::read_dir(root().join("policies")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") || name.ends_with(".test.json") {
            continue;
        }
        let c = load(&PathBuf::from("policies").join(&name));
        let errors = policy_check::schema::validate(&c);
        if name.starts_with("malformed-") || name == "http-simple-invalid.json" {
            assert!(!errors.is_empty(), "{name} should fail the schema");
        } else {
            assert!(errors.is_empty(), "{name}: {errors:#?}");
        }
    }
}

#[test]
fn schema_command_prints_the_bundled_schema() {
    let out = stdout_ok(["schema"]);
    let printed: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let file: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/authorizer-response.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(printed, file);
    assert_eq!(
        printed["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn rules_and_rule_commands() {
    let out = stdout_ok(["rules"]);
    let text = String::from_utf8(out).unwrap();
    for r in RULES {
        assert!(
            text.contains(r.code) && text.contains(r.name),
            "{} missing",
            r.code
        );
    }
    let out = stdout_ok(["rule", "PC012"]);
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("PC012 version-invalid (warning"), "{text}");
    assert!(text.contains("## Fix"));
    bin().args(["rule", "version-invalid"]).assert().success();
    bin().args(["rule", "PC998"]).assert().code(2);
    let out = stdout_ok(["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["rules"].as_array().unwrap().len(), RULES.len());
}

#[test]
fn fail_level_and_exit_codes() {
    let warn_only = "tests/lint/PC010/bad.json";
    bin()
        .args(["lint", "--no-config", warn_only])
        .assert()
        .code(0);
    bin()
        .args(["lint", "--no-config", "--fail-level", "warning", warn_only])
        .assert()
        .code(1);
    bin()
        .args([
            "lint",
            "--no-config",
            "--fail-level",
            "info",
            "tests/lint/PC036/bad.json",
        ])
        .assert()
        .code(1);
    bin()
        .args(["lint", "--no-config", "tests/lint/PC036/bad.json"])
        .assert()
        .code(0);
    bin()
        .args(["lint", "--no-config", "tests/lint/PC033/bad.json"])
        .assert()
        .code(1);
    bin()
        .args(["lint", "--no-config", "does/not/exist.json"])
        .assert()
        .code(2);
    bin()
        .args(["lint", "--no-config", "--fail-level", "loud", warn_only])
        .assert()
        .code(2);
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn one_bad_file_never_stops_the_rest() {
    let dir = scratch("lint-mixed");
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::write(dir.join("a-not-json.json"), "{ nope").unwrap();
    std::fs::copy(
        root().join("tests/lint/PC033/bad.json"),
        dir.join("nested/b.json"),
    )
    .unwrap();
    std::fs::copy(root().join("tests/lint/PC001/ok.json"), dir.join("c.json")).unwrap();
    std::fs::write(
        dir.join("c.test.json"),
        "not a fixture this lint should read",
    )
    .unwrap();
    let out = bin()
        .args(["lint", "--no-config", dir.to_str().unwrap()])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("not valid JSON"), "{text}");
    assert!(text.contains("PC033 resource-placeholder"), "{text}");
    assert!(
        text.trim_end().ends_with(
            "1 error, 1 warning, 0 infos in 1 of 3 files linted; 1 file could not be read as JSON"
        ),
        "{text}"
    );
    // Globs are expanded by the tool, and skip fixtures too.
    let pattern = format!("{}/**/*.json", dir.display());
    let out = bin()
        .args(["lint", "--no-config", "--format", "json", &pattern])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["summary"]["files"], 3);
    assert_eq!(v["summary"]["unreadable"], 1);
}

#[test]
fn json_format_is_documented_and_stable() {
    let out = bin()
        .args([
            "lint",
            "--no-config",
            "--format",
            "json",
            "tests/lint/PC021/bad.json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema_version"], 1);
    let file = &v["files"][0];
    assert_eq!(file["file"], "tests/lint/PC021/bad.json");
    assert_eq!(file["input_kind"], "rest");
    let f = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "PC021")
        .unwrap();
    assert_eq!(f["name"], "action-unknown");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["statement"], 0);
    assert_eq!(f["span"]["line"], 9);
    assert_eq!(f["span"]["column"], 19);
    assert!(f["labels"][0]["primary"].as_bool().unwrap());
    assert_eq!(v["summary"]["fail_level"], "error");
    assert_eq!(v["summary"]["failed"], true);
}

#[test]
fn github_format_writes_annotations() {
    let out = bin()
        .args([
            "lint",
            "--no-config",
            "--format",
            "github",
            "tests/lint/PC032/bad.json",
            "tests/lint/PC010/bad.json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with(
        "::error file=tests/lint/PC032/bad.json,line=11,col=67,endLine=11,endColumn=70,title=PC032 resource-bad-verb::"
    )), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning file=tests/lint/PC010/bad.json,")),
        "{text}"
    );
    assert!(lines.iter().all(|l| l.starts_with("::")), "{text}");
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles offline");
    let out = bin()
        .args([
            "lint",
            "--no-config",
            "--format",
            "sarif",
            "tests/lint",
            "policies/allow.json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let log: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path().as_str()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        RULES.len()
    );
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > RULES.len());
    let r = results.iter().find(|r| r["ruleId"] == "PC054").unwrap();
    assert_eq!(r["level"], "warning");
    let idx = r["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], "PC054");
}

#[test]
fn config_levels_and_ignores() {
    let dir = scratch("lint-config");
    std::fs::copy(root().join("tests/lint/PC033/bad.json"), dir.join("a.json")).unwrap();
    std::fs::create_dir_all(dir.join("gen")).unwrap();
    std::fs::copy(
        root().join("tests/lint/PC001/bad.json"),
        dir.join("gen/b.json"),
    )
    .unwrap();
    let run = |toml: &str, extra: &[&str]| {
        std::fs::write(dir.join(".policy-check.toml"), toml).unwrap();
        let mut c = bin();
        c.current_dir(&dir).arg("lint").args(extra).arg(".");
        c.assert()
    };
    // Found from the current directory; both files fail.
    run("", &[]).code(1);
    // Level off + path ignore: clean.
    run(
        "[rules]\nresource-placeholder = \"off\"\nPC054 = \"off\"\n[ignore]\npaths = [\"gen/**\"]\n",
        &[],
    )
    .code(0);
    // Downgraded to a warning, failing only with fail-level from the file.
    run(
        "fail-level = \"warning\"\n[rules]\nPC033 = \"warning\"\n[ignore]\npaths = [\"gen/*.json\"]\n",
        &[],
    )
    .code(1);
    run(
        "[rules]\nPC033 = \"warning\"\n[ignore]\npaths = [\"gen/*.json\"]\n",
        &[],
    )
    .code(0);
    // Ignored by Sid (the statement in a.json is `ReadThings`).
    run("[ignore]\nsids = [\"Read*\"]\npaths = [\"gen/**\"]\n", &[]).code(0);
    // Unknown keys are errors with a span.
    let out = run("[rules]\nPC033 = \"off\"\n[ignores]\npaths = []\n", &[])
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("ignores"), "{err}");
    assert!(err.contains(".policy-check.toml:3:"), "{err}");
    let out = run("[rules]\nPC999 = \"off\"\n", &[])
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("`PC999` is not a rule"), "{err}");
    assert!(err.contains(".policy-check.toml:2:1"), "{err}");
    // --no-config skips it; --config names another.
    run("[rules]\nPC999 = \"off\"\n", &["--no-config"]).code(1);
    std::fs::write(
        dir.join("other.toml"),
        "[rules]\nPC033 = \"off\"\nPC054 = \"off\"\nPC001 = \"off\"\n",
    )
    .unwrap();
    run("[rules]\nPC999 = \"off\"\n", &["--config", "other.toml"]).code(0);
}

#[test]
fn docs_have_a_section_for_every_rule() {
    let docs = std::fs::read_to_string(root().join("docs/lint.md")).unwrap();
    for r in RULES {
        let anchor = format!(
            "<a id=\"{}\"></a>\n### {} {}\n",
            r.code.to_ascii_lowercase(),
            r.code,
            r.name
        );
        assert!(
            docs.contains(&anchor),
            "docs/lint.md lacks the section of {}",
            r.code
        );
        assert!(docs.contains(&format!(
            "| [{}](#{}) | `{}` |",
            r.code,
            r.code.to_ascii_lowercase(),
            r.name
        )));
    }
}
