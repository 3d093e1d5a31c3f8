//! The CLI as a user runs it: decisions, exit codes, messages, JSON output, bad input.

use crate::common;

use common::{PINS, cmd, without_stage};
use predicates::prelude::*;
use serde_json::Value;

fn stdin_check(input: impl Into<Vec<u8>>) -> assert_cmd::assert::Assert {
    cmd()
        .args(["-", "GET", "/things"])
        .write_stdin(input.into())
        .assert()
}

fn json_of(args: &[&str], stdin: Option<&str>) -> (Value, i32) {
    let mut c = cmd();
    c.args(args).args(["--format", "json"]);
    if let Some(s) = stdin {
        c.write_stdin(s);
    }
    let out = c.output().expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    (v, out.status.code().expect("exit code"))
}

#[test]
fn readme_run_command_explains_the_explicit_deny() {
    cmd()
        .args(["policies/explicit-deny.json", "GET", "/things"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "explicit deny: GET /things is denied by statement 0 (Sid \"DenyAll\")",
        ))
        .stdout(predicate::str::contains("HTTP/1.1 403 Forbidden"))
        .stdout(predicate::str::contains(
            "x-amzn-ErrorType: AccessDeniedException",
        ))
        .stdout(predicate::str::contains(
            r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#,
        ))
        .stdout(predicate::str::contains("`*` matches every request"))
        .stdout(predicate::str::contains(
            "[policies/explicit-deny.json:8:19]",
        ));
}

#[test]
fn exit_codes_follow_the_table() {
    let allow = ["policies/allow.json", "GET", "/things"];
    cmd().args(allow).args(PINS).assert().code(0);
    cmd()
        .args(["policies/implicit-deny.json", "GET", "/things"])
        .assert()
        .code(1);
    cmd()
        .args(["policies/malformed-condition-null.json", "GET", "/things"])
        .assert()
        .code(3);
    cmd()
        .args(["policies/does-not-exist.json", "GET", "/things"])
        .assert()
        .code(2);
    cmd().args(["policies/allow.json", "GET"]).assert().code(2);
    cmd()
        .args(["policies/allow.json", "GET", "things"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("must start with `/`"));
}

#[test]
fn expect_turns_the_check_into_an_assertion() {
    let base = ["policies/explicit-deny.json", "GET", "/things"];
    cmd()
        .args(base)
        .args(["--expect", "explicit-deny"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("expected explicit-deny: met"));
    cmd().args(base).args(["--expect", "deny"]).assert().code(0);
    cmd()
        .args(base)
        .args(["--expect", "allow"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "expected allow: NOT met (the decision is explicit deny)",
        ));
    cmd()
        .args([
            "policies/malformed-context.json",
            "GET",
            "/things",
            "--expect",
            "malformed",
        ])
        .assert()
        .code(0);
    cmd()
        .args(base)
        .args(["--expect", "allowed"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an outcome"));
}

#[test]
fn json_output_has_the_documented_fields() {
    let (v, code) = json_of(
        &without_stage(&[
            "policies/rest-response.json",
            "DELETE",
            "/things/42",
            "--stage",
            "prod",
        ]),
        None,
    );
    assert_eq!(code, 1);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["decision"], "explicit_deny");
    assert_eq!(v["input_kind"], "rest");
    assert_eq!(
        v["request"]["arn"],
        "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/things/42"
    );
    assert_eq!(v["request"]["parts"]["stage"], "prod");
    assert_eq!(v["request"]["method"], "DELETE");
    assert_eq!(v["response"]["status"], 403);
    assert_eq!(v["response"]["error_type"], "AccessDeniedException");
    assert_eq!(
        v["response"]["body"],
        r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#
    );
    let d = &v["deciding"][0];
    assert_eq!(d["sid"], "NoDeletes");
    assert!(d["index"].is_u64());
    assert!(d["resource_index"].is_u64());
    let span = &d["span"];
    let text = std::fs::read_to_string("policies/rest-response.json").unwrap();
    let (off, len) = (
        span["offset"].as_u64().unwrap() as usize,
        span["length"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &text[off..off + len],
        format!("\"{}\"", d["resource"].as_str().unwrap())
    );
    let line = text[..off].lines().count();
    assert_eq!(span["line"].as_u64().unwrap() as usize, line);
    let trace = v["trace"].as_array().unwrap();
    assert!(
        trace
            .iter()
            .any(|t| t["applies"] == "no" && t["reason"]["kind"] == "no_resource_matches")
    );
    assert!(trace.iter().any(|t| t["applies"] == "yes"));
}

#[test]
fn implicit_deny_names_the_nearest_miss() {
    let (v, _) = json_of(
        &[
            &without_stage(&["policies/allow.json", "GET", "/things"])[..],
            &["--stage", "test"],
        ]
        .concat(),
        None,
    );
    assert_eq!(v["decision"], "implicit_deny");
    let miss = &v["trace"][0]["reason"]["nearest"];
    assert_eq!(miss["part"], "stage");
    assert_eq!(miss["policy"], "prod");
    assert_eq!(miss["request"], "test");
    cmd()
        .args(["policies/allow.json", "GET", "/things"])
        .args(&PINS[..8])
        .args(["--stage", "test"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "nearest miss: stage: policy has `prod`, request has `test`",
        ));
}

#[test]
fn unpinned_parts_give_cases_covering_every_value() {
    let (v, code) = json_of(
        &without_stage(&["policies/stage-dependent.json", "GET", "/things"]),
        None,
    );
    assert_eq!(code, 1);
    assert_eq!(v["decision"], "depends");
    assert!(v["response"].is_null());
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0]["decision"], "allow");
    assert_eq!(cases[0]["description"], "stage is `prod`");
    assert_eq!(cases[0]["example"]["stage"], "prod");
    assert_eq!(cases[1]["decision"], "implicit_deny");
    assert_eq!(cases[1]["description"], "stage is not `prod`");
    assert_eq!(cases[1]["response"]["status"], 403);
    // --expect allow must hold in every case; deny neither.
    cmd()
        .args([
            "policies/stage-dependent.json",
            "GET",
            "/things",
            "--expect",
            "allow",
        ])
        .assert()
        .code(1);
    cmd()
        .args([
            "policies/stage-dependent.json",
            "GET",
            "/things",
            "--expect",
            "depends",
        ])
        .assert()
        .code(0);
}

#[test]
fn a_decision_that_holds_for_every_value_is_plain() {
    // Deny on `*`: explicit deny whatever the stage, region, account.
    let (v, _) = json_of(&["policies/explicit-deny.json", "GET", "/things"], None);
    assert_eq!(v["decision"], "explicit_deny");
    assert_eq!(v["request"]["unpinned"].as_array().unwrap().len(), 4);
    assert_eq!(v["request"]["assumed"]["partition"], "aws");
    let (v, _) = json_of(
        &without_stage(&["policies/wildcard-stage.json", "GET", "/things"]),
        None,
    );
    assert_eq!(v["decision"], "allow");
}

#[test]
fn arn_requests_cover_websocket_and_default_stage() {
    cmd()
        .args([
            "policies/websocket-connect.json",
            "--arn",
            "arn:aws:execute-api:us-east-1:123456789012:ws0123abcd/production/$connect",
        ])
        .assert()
        .code(0);
    cmd()
        .args([
            "policies/http-simple-allow.json",
            "--arn",
            "arn:aws:execute-api:us-east-1:123456789012:abc123/$default/GET/things",
        ])
        .assert()
        .code(0);
    cmd()
        .args([
            "policies/allow.json",
            "--arn",
            "arn:aws:lambda:us-east-1:123456789012:function:f",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`lambda`, but authorizer requests are",
        ));
    cmd()
        .args([
            "policies/allow.json",
            "--arn",
            "arn:aws:execute-api:us-east-1:123456789012:abc123",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("API/STAGE/ROUTE"));
    cmd()
        .args([
            "policies/allow.json",
            "--arn",
            "arn:aws:execute-api:us-east-1:1:a/b/GET/x",
            "--stage",
            "prod",
        ])
        .assert()
        .code(2);
}

#[test]
fn query_string_is_dropped_with_a_note() {
    let (v, _) = json_of(&["policies/allow.json", "GET", "/things?page=2"], None);
    assert_eq!(v["request"]["path"], "/things");
    assert!(v["notes"][0].as_str().unwrap().contains("?page=2"));
}

#[test]
fn long_arn_gets_the_414_note() {
    let path = format!("/{}", "a".repeat(1700));
    let (v, _) = json_of(&["policies/explicit-deny.json", "GET", &path], None);
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("414"))
    );
}

#[test]
fn malformed_output_is_exit_3_with_the_label_on_the_node() {
    let cases: [(&str, &str, &str); 9] = [
        (
            r#"{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":null}]}}"#,
            "condition_null",
            "null",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"execute-api:Invoke","Resource":"*"}]}"#,
            "effect",
            "\"allow\"",
        ),
        (
            r#"{"principalId":"u","context":{"user":{"id":1}},"policyDocument":{"Statement":[]}}"#,
            "context_value_type",
            "{\"id\":1}",
        ),
        (
            r#"{"policyDocument":{"Statement":[]}}"#,
            "principal_id_missing",
            "{\"policyDocument\":{\"Statement\":[]}}",
        ),
        ("null", "not_an_object", "null"),
        (r#""Unauthorized""#, "not_an_object", "\"Unauthorized\""),
        (
            r#"{"isAuthorized":"true"}"#,
            "is_authorized_type",
            "\"true\"",
        ),
        (
            r#"{"isAuthorized":true,"principalId":"u"}"#,
            "ambiguous_shape",
            "\"principalId\"",
        ),
        (
            r#"{"Statement":[{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"*"},{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":[]}]}"#,
            "condition_type",
            "[]",
        ),
    ];
    for (input, code, labelled) in cases {
        let (v, exit) = json_of(&["-", "GET", "/things"], Some(input));
        assert_eq!(exit, 3, "{input}");
        assert_eq!(v["decision"], "malformed", "{input}");
        assert_eq!(v["response"]["status"], 500);
        if input.contains("isAuthorized") {
            // HTTP API simple responses get the HTTP API body.
            assert_eq!(
                v["response"]["body"],
                r#"{"message":"Internal Server Error"}"#
            );
        } else {
            assert_eq!(
                v["response"]["error_type"],
                "AuthorizerConfigurationException"
            );
            assert_eq!(v["response"]["body"], r#"{"message": null}"#);
        }
        let d = &v["diagnostics"][0];
        assert_eq!(
            d["code"],
            format!("policy_check::malformed::{code}"),
            "{input}"
        );
        let s = &d["labels"][0]["span"];
        let (o, l) = (
            s["offset"].as_u64().unwrap() as usize,
            s["length"].as_u64().unwrap() as usize,
        );
        assert_eq!(&input[o..o + l], labelled, "{input}");
    }
}

#[test]
fn malformed_wins_over_an_explicit_deny() {
    let input = r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*","Condition":null}]}"#;
    stdin_check(input).code(3);
}

#[test]
fn bad_input_is_exit_2_with_a_position_never_a_panic() {
    let deep_ok = format!("{{\"Statement\": {}{}}}", "[".repeat(126), "]".repeat(126));
    let deep_bad = format!("{}{}", "[".repeat(128), "]".repeat(128));
    let very_deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"".to_vec(), "the input is empty"),
        (b"  \n ".to_vec(), "the input is empty"),
        (b"\xEF\xBB\xBF{}".to_vec(), "byte order mark"),
        (
            b"{\"a\": \"\xff\"}".to_vec(),
            "not valid UTF-8 (bad byte at offset 7)",
        ),
        (b"{\"Statement\": []} x".to_vec(), "trailing characters"),
        (b"{\"Statement\": [}".to_vec(), "expected value"),
        (b"{\"Statement\": [1e400]}".to_vec(), "number out of range"),
        (b"{\"Sid\": \"\\ud800\"}".to_vec(), "not valid JSON"),
        (b"{\"Statement\": [], }".to_vec(), "trailing comma"),
        (b"{'Statement': []}".to_vec(), "key must be a string"),
        (b"// c\n{}".to_vec(), "expected value"),
        (deep_bad.into_bytes(), "recursion limit exceeded"),
        (very_deep.into_bytes(), "recursion limit exceeded"),
        (
            b"{\"statusCode\": 200, \"body\": \"\"}".to_vec(),
            "this is not an authorizer output",
        ),
    ];
    for (input, message) in cases {
        let shown = String::from_utf8_lossy(&input[..input.len().min(40)]).to_string();
        stdin_check(input)
            .code(2)
            .stderr(predicate::str::contains(message).from_utf8())
            .stderr(predicate::str::contains("panicked").not());
        let _ = shown;
    }
    // 126 levels inside the object: 127 in all, which parses.
    stdin_check(deep_ok).code(3);
}

#[test]
fn json_format_reports_errors_as_json_too() {
    let (v, code) = json_of(&["-", "GET", "/things"], Some("{\"a\": 1,}"));
    assert_eq!(code, 2);
    assert!(v["decision"].is_null());
    assert_eq!(v["error"]["code"], "policy_check::not_json");
    assert_eq!(v["error"]["span"]["line"], 1);
    assert_eq!(v["error"]["span"]["column"], 9);
}

#[test]
fn duplicate_keys_warn_and_the_last_wins() {
    let input = r#"{"Statement":[{"Effect":"Allow","Effect":"Deny","Action":"execute-api:Invoke","Resource":"*"}]}"#;
    let (v, code) = json_of(&["-", "GET", "/things"], Some(input));
    assert_eq!(code, 1);
    assert_eq!(v["decision"], "explicit_deny");
    let w = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "policy_check::duplicate_key")
        .expect("warning");
    assert_eq!(w["labels"].as_array().unwrap().len(), 2);
}

#[test]
fn adversarial_wildcards_finish() {
    let pattern = format!("arn:aws:execute-api:*:*:*{}b", "*a".repeat(2000));
    let path = format!("/{}", "a".repeat(20_000));
    let input =
        format!(r#"{{"Statement":[{{"Effect":"Allow","Action":"*","Resource":"{pattern}"}}]}}"#);
    cmd()
        .args(["-", "GET", &path])
        .args(PINS)
        .write_stdin(input)
        .assert()
        .code(1);
}

#[test]
fn huge_input_is_handled() {
    let stmt = r#"{"Effect":"Allow","Action":"execute-api:Invoke","Resource":["arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/*"]}"#;
    let body = vec![stmt; 30_000].join(",");
    let input = format!(r#"{{"Version":"2012-10-17","Statement":[{body}]}}"#);
    assert!(input.len() > 3_000_000);
    cmd()
        .args(["-", "GET", "/items/1"])
        .args(PINS)
        .write_stdin(input)
        .assert()
        .code(0);
}

#[test]
fn every_example_policy_meets_its_fixture() {
    cmd()
        .args(["test", "policies/"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(" passed, 0 failed\n"));
}

#[test]
fn a_wrong_fixture_fails_with_a_useful_message() {
    cmd()
        .args(["test", "tests/fixtures/wrong.test.json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "FAILED  tests/fixtures/wrong.test.json:5 › deliberately wrong",
        ))
        .stdout(predicate::str::contains(
            "expected allow, got explicit deny",
        ))
        .stdout(predicate::str::contains(
            "is denied by statement 0 (Sid \"DenyAll\")",
        ))
        .stdout(predicate::str::ends_with("\n0 passed, 1 failed\n"));
}

#[test]
fn fixture_mistakes_are_errors_with_a_span() {
    cmd()
        .args(["test", "tests/fixtures/bad-key.test.json"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("unknown key `expected` in a case"))
        .stdout(predicate::str::contains("bad-key.test.json:4:33"));
    cmd()
        .args(["test", "tests/fixtures/bad-outcome.test.json"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("`allowed` is not an outcome"));
    cmd()
        .args(["test", "tests/fixtures/nothing-here-*.test.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("matches no fixture file"));
}

#[test]
fn test_formats_json_and_junit() {
    let out = cmd()
        .args([
            "test",
            "policies/explicit-deny.test.json",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["failed"], 0);
    assert!(v["passed"].as_u64().unwrap() >= 1);
    cmd()
        .args([
            "test",
            "tests/fixtures/wrong.test.json",
            "--format",
            "junit",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "<testsuites name=\"policy-check\" tests=\"1\" failures=\"1\" errors=\"0\">",
        ))
        .stdout(predicate::str::contains(
            "<failure message=\"expected allow, got explicit deny\">",
        ));
}

#[test]
fn lint_clean_expectation_in_fixtures() {
    cmd().args(["test", "tests/fixtures/lint-dirty.test.json"]).assert().code(1)
        .stdout(predicate::str::contains("ok      tests/fixtures/lint-dirty.test.json:6 › GET /users/42"))
        .stdout(predicate::str::contains("FAILED  tests/fixtures/lint-dirty.test.json:1 › the output is lint-clean (warning and above)"))
        .stdout(predicate::str::contains("        PC033 error [14:86]: `{orderId}` is a template placeholder"))
        .stdout(predicate::str::ends_with("\n1 passed, 1 failed\n"));
}

#[test]
fn json_spans_refer_to_the_original_input_even_when_minified() {
    let output = r#"{"Statement":[{"Sid":"D","Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/*"},{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let mut args = vec!["-", "DELETE", "/x"];
    args.extend(PINS);
    let (v, _) = json_of(&args, Some(output));
    let span = &v["deciding"][0]["span"];
    let (o, l) = (
        span["offset"].as_u64().unwrap() as usize,
        span["length"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &output[o..o + l],
        "\"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/*\""
    );
    assert_eq!(span["line"], 1);
}

/// `GET /x` on api `a` of account `1`, every part pinned but the stage.
const STAGE_UNPINNED: [&str; 11] = [
    "-",
    "GET",
    "/x",
    "--partition",
    "aws",
    "--region",
    "us-east-1",
    "--account",
    "1",
    "--api-id",
    "a",
];

fn many(statements: usize, resource: impl Fn(usize) -> String) -> String {
    let body: Vec<String> = (0..statements)
        .map(|i| {
            format!(
                r#"{{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"{}"}}"#,
                resource(i)
            )
        })
        .collect();
    format!(r#"{{"Statement":[{}]}}"#, body.join(","))
}

#[test]
fn hundreds_of_stages_give_a_short_answer() {
    let input = many(500, |i| {
        format!("arn:aws:execute-api:us-east-1:1:a/stage{i}x/GET/x")
    });
    let args = STAGE_UNPINNED;
    let out = cmd()
        .args(args)
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.len() < 10_000, "{} bytes", text.len());
    assert!(text.contains("allow          when stage matches one of `stage0x`, `stage1x`, `stage2x`, `stage3x`, 496 more"));
    let (v, _) = json_of(&args, Some(&input));
    assert_eq!(
        v["cases"][0]["when"][0]["any_of"].as_array().unwrap().len(),
        500
    );
    // A region that matches one literal stage excludes nothing else worth naming.
    assert_eq!(
        v["cases"][0]["when"][0]["any_of"][0]["not_matching"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn patterns_too_intricate_to_reason_about_end_quickly_with_exit_2() {
    let input = many(300, |i| {
        format!("arn:aws:execute-api:us-east-1:1:a/*{i}*{}*/GET/x", i + 1)
    });
    cmd()
        .args(STAGE_UNPINNED)
        .write_stdin(input.clone())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("too intricate to analyse"))
        .stderr(predicate::str::contains("help: pin more of the ARN"));
    // Pinned, the same policy is answered directly.
    cmd()
        .args(["-", "GET", "/x"])
        .args(PINS)
        .write_stdin(input)
        .assert()
        .code(1);
}

/// Each subcommand's help and completion entry describe that subcommand. (A clap derive
/// option, `defer`, once gave every subcommand the doc of a flattened option group instead;
/// these texts are what a user reads first.)
#[test]
fn each_subcommand_is_described_by_its_own_text() {
    let about = [
        ("test", "Run fixture files"),
        ("lint", "Lint authorizer outputs"),
        ("rules", "List the lint rules"),
        ("rule", "Print one lint rule"),
        ("schema", "Print the JSON Schema of authorizer output"),
        ("explain", "From an error response you saw"),
        ("completions", "Print a shell completion script"),
        ("man", "Print the man page"),
        ("request", "The whole HTTP answer API Gateway gives"),
        ("routes", "List the routes"),
    ];
    let fish = cmd().args(["completions", "fish"]).output().unwrap();
    let fish = String::from_utf8(fish.stdout).unwrap();
    for (sub, text) in about {
        let out = cmd().args([sub, "--help"]).output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(help.starts_with(text), "{sub} --help starts: {help:.80}");
        assert!(
            fish.lines()
                .any(|l| l.contains(&format!("-a \"{sub}\" -d '{text}"))),
            "fish completion of {sub}"
        );
    }
}
