//! Issue 8, "today's answers": each test pins one answer a new user got wrong or unreadable.

use crate::common;

use common::cmd;
use predicates::prelude::*;
use serde_json::Value;

fn json(args: &[&str], stdin: Option<&str>) -> (Value, i32) {
    let mut c = cmd();
    c.args(args).args(["--format", "json"]);
    if let Some(s) = stdin {
        c.write_stdin(s);
    }
    let out = c.output().expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    (v, out.status.code().expect("exit code"))
}

const ANY_REGION_POLICY: &str = r#"{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/*/GET/things"}],"Version":"2012-10-17"}"#;

#[test]
fn the_partition_is_assumed_from_the_region_not_a_depends() {
    let (v, code) = json(&["-", "GET", "/things"], Some(ANY_REGION_POLICY));
    assert_eq!((v["decision"].as_str(), code), (Some("allow"), 0));
    assert_eq!(v["request"]["assumed"]["partition"], "aws");
    // A China region assumes aws-cn, which this policy does not allow.
    let (v, code) = json(
        &["-", "GET", "/things", "--region", "cn-north-1"],
        Some(ANY_REGION_POLICY),
    );
    assert_eq!((v["decision"].as_str(), code), (Some("implicit_deny"), 1));
    assert_eq!(v["request"]["assumed"]["partition"], "aws-cn");
    // A pinned partition is not assumed.
    let (v, _) = json(
        &["-", "GET", "/things", "--partition", "aws"],
        Some(ANY_REGION_POLICY),
    );
    assert_eq!(v["request"]["assumed"], serde_json::json!({}));
    cmd()
        .args(["-", "GET", "/things"])
        .write_stdin(ANY_REGION_POLICY)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "(partition `aws` assumed; --partition sets it)",
        ));
}

#[test]
fn the_api_type_is_inferred_and_named() {
    let (v, _) = json(&["policies/explicit-deny.json", "GET", "/things"], None);
    assert_eq!(v["api_type"], "rest");
    assert_eq!(v["api_type_inferred"], true);
    // A $default stage is an HTTP API: HTTP API bodies, with the remark.
    let (v, code) = json(
        &[
            "policies/explicit-deny.json",
            "GET",
            "/things",
            "--stage",
            "$default",
        ],
        None,
    );
    assert_eq!((v["api_type"].as_str(), code), (Some("http"), 1));
    assert_eq!(v["response"]["body"], r#"{"message":"Forbidden"}"#);
    assert_eq!(v["response"]["error_type"], Value::Null);
    assert!(
        v["response"]["remark"]
            .as_str()
            .unwrap()
            .contains("contested")
    );
    // --api-type overrides the inference.
    let (v, _) = json(
        &[
            "policies/explicit-deny.json",
            "GET",
            "/things",
            "--api-type",
            "http",
        ],
        None,
    );
    assert_eq!(
        (v["api_type"].as_str(), v["api_type_inferred"].as_bool()),
        (Some("http"), Some(false))
    );
    cmd()
        .args([
            "policies/explicit-deny.json",
            "GET",
            "/things",
            "--stage",
            "$default",
        ])
        .assert()
        .stdout(predicate::str::contains(
            "api type: HTTP API (inferred; --api-type sets it)",
        ));
}

#[test]
fn websocket_routes_other_than_connect_are_not_invoked() {
    let arn = "arn:aws:execute-api:us-east-1:123456789012:ws1/prod/$disconnect";
    let (v, code) = json(&["policies/websocket-connect.json", "--arn", arn], None);
    assert_eq!((v["decision"].as_str(), code), (Some("not_invoked"), 0));
    assert_eq!(v["response"], Value::Null);
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .contains("only on `$connect`")
    );
    // $connect allowed: no "200 OK", and the WebSocket API is named.
    let connect = "arn:aws:execute-api:us-east-1:123456789012:ws1/prod/$connect";
    cmd()
        .args(["policies/websocket-connect.json", "--arn", connect])
        .assert()
        .stdout(predicate::str::contains("api type: WebSocket API"))
        .stdout(predicate::str::contains("200 OK").not());
    cmd()
        .args([
            "policies/websocket-connect.json",
            "--arn",
            arn,
            "--expect",
            "NOT_INVOKED",
        ])
        .assert()
        .code(0);
}

#[test]
fn a_bare_policy_document_gets_the_500_note_and_empty_object_is_malformed() {
    let (v, code) = json(&["-", "GET", "/things"], Some(ANY_REGION_POLICY));
    assert_eq!(code, 0);
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("bare policyDocument"))
    );
    let (v, code) = json(&["-", "GET", "/things"], Some("{}"));
    assert_eq!((v["decision"].as_str(), code), (Some("malformed"), 3));
}

#[test]
fn duplicate_context_keys_validate_the_last_one() {
    let out = r#"{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]},"context":{"a":{"x":1},"a":"ok"}}"#;
    let (v, code) = json(&["-", "GET", "/x"], Some(out));
    assert_eq!((v["decision"].as_str(), code), (Some("allow"), 0));
    let reversed = r#"{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]},"context":{"a":"ok","a":{"x":1}}}"#;
    let (v, code) = json(&["-", "GET", "/x"], Some(reversed));
    assert_eq!((v["decision"].as_str(), code), (Some("malformed"), 3));
}

#[test]
fn allow_says_what_is_not_checked() {
    cmd()
        .args(["policies/allow.json", "GET", "/things"])
        .args(common::PINS)
        .assert()
        .stdout(predicate::str::contains(
            "the authorizer lets the request through",
        ))
        .stdout(predicate::str::contains("policy-check request --api"))
        .stdout(predicate::str::contains("passed on to the integration").not());
}

#[test]
fn only_applying_conditional_statements_are_listed() {
    // condition-assumed.json: statement 2's Condition is on GET /admin/*, which GET /things
    // does not reach.
    cmd()
        .args(["policies/condition-assumed.json", "DELETE", "/things/1"])
        .args(common::PINS)
        .assert()
        .stdout(predicate::str::contains("AdminFromVpn").not());
}

#[test]
fn implicit_deny_lists_every_failing_part_and_a_resource_to_paste() {
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:test/test/POST/stuff-is-not-things*"}]}"#;
    let (v, code) = json(&["-", "GET", "/things"], Some(policy));
    assert_eq!(code, 1);
    let misses: Vec<(String, String, String)> = v["nearest"]["misses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["part"].as_str().unwrap().to_string(),
                m["policy"].as_str().unwrap().to_string(),
                m["request"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        misses,
        vec![
            ("method".into(), "POST".into(), "GET".into()),
            (
                "path".into(),
                "stuff-is-not-things*".into(),
                "things".into()
            )
        ]
    );
    // Unpinned api-id and stage keep the policy's values; nothing is a {placeholder}.
    assert_eq!(
        v["nearest"]["fix"],
        "arn:aws:execute-api:us-east-1:123456789012:test/test/GET/things"
    );
    cmd()
        .args(["-", "GET", "/things"])
        .write_stdin(policy)
        .assert()
        .stdout(predicate::str::contains(
            "path: policy has `stuff-is-not-things*`, request has `things`",
        ))
        .stdout(
            predicate::str::contains("test/test/GET/things")
                .and(predicate::str::contains("request has `test").not()),
        );
}

#[test]
fn requests_as_users_hold_them() {
    // An invoke URL pins api id, region and stage.
    let (v, _) = json(
        &[
            "policies/allow.json",
            "GET",
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod/things?x=1",
        ],
        None,
    );
    assert_eq!(v["request"]["parts"]["api_id"], "abc123");
    assert_eq!(v["request"]["parts"]["stage"], "prod");
    assert_eq!(v["request"]["parts"]["region"], "us-east-1");
    // --arn takes an invoke URL after METHOD, too.
    let (v, _) = json(
        &[
            "policies/allow.json",
            "GET",
            "--arn",
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod/things",
        ],
        None,
    );
    assert_eq!(v["request"]["path"], "/things");
    // An authorizer event.
    let dir = tempdir();
    let event = dir.join("event.json");
    std::fs::write(
        &event,
        r#"{"type":"TOKEN","authorizationToken":"t","methodArn":"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things"}"#,
    )
    .unwrap();
    let (v, _) = json(
        &["policies/allow.json", "--event", event.to_str().unwrap()],
        None,
    );
    assert_eq!(
        v["request"]["arn"],
        "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things"
    );
    // --arn is a request, not a pattern.
    for (arn, why) in [
        ("arn:aws:execute-api:us-east-1:1:abc/prod/*/*", "wildcard"),
        (
            "arn:aws:execute-api:us-east-1:1:abc/prod/GET /x",
            "whitespace",
        ),
        (
            "arn:aws:execute-api:us-east-1:1:abc/prod//things",
            "verb is empty",
        ),
        ("arn:aws:execute-api:us-east-1:1:abc/prod/GET", "no path"),
    ] {
        cmd()
            .env("COLUMNS", "300")
            .args(["policies/allow.json", "--arn", arn])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(why));
    }
    cmd()
        .args(["policies/allow.json", "FETCH", "/things"])
        .assert()
        .stdout(predicate::str::contains(
            "`FETCH` is not an HTTP method API Gateway routes",
        ));
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("policy-check-answers-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn terminals_get_width_and_colour_and_arns_stay_whole() {
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/a-rather-long-path/with/several/segments"}]}"#;
    let out = cmd()
        .env("COLUMNS", "60")
        .args(["-", "GET", "/x"])
        .args(common::PINS)
        .write_stdin(policy)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("\"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/x\""),
        "{text}"
    );
    cmd()
        .args(["policies/allow.json", "GET", "/things", "--color", "always"])
        .args(common::PINS)
        .assert()
        .stdout(predicate::str::starts_with("\u{1b}[1;32mallow"));
}

#[test]
fn json_format_prints_json_for_usage_errors() {
    let out = cmd()
        .args(["policies/allow.json", "GET", "--format", "json", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["decision"], Value::Null);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("usage:")
    );
}

#[test]
fn small_ones() {
    // Bare `policy-check` prints help.
    cmd()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Usage:"));
    // --expect in any case and spelling; --help lists the values.
    for word in [
        "explicit-deny",
        "explicit_deny",
        "EXPLICIT_DENY",
        "Explicit-Deny",
    ] {
        cmd()
            .args([
                "policies/explicit-deny.json",
                "GET",
                "/things",
                "--expect",
                word,
            ])
            .assert()
            .code(0);
    }
    cmd()
        .arg("--help")
        .assert()
        .stdout(predicate::str::contains(
            "implicit-deny, malformed, depends",
        ));
    // `lint -` names standard input `<stdin>` in every format.
    cmd()
        .args(["lint", "-"])
        .write_stdin(r#"{"Statement": []}"#)
        .assert()
        .stdout(predicate::str::contains("── <stdin> ──"))
        .stdout(predicate::str::contains("[<stdin>:1:"));
    cmd()
        .args(["lint", "-", "--format", "json"])
        .write_stdin(r#"{"Statement": []}"#)
        .assert()
        .stdout(predicate::str::contains(r#""file": "<stdin>""#));
    // A non-authorizer JSON is labelled at its first key, not printed whole.
    let mut lock = String::from("{\"name\": \"x\", \"lockfileVersion\": 3, \"packages\": {");
    for i in 0..500 {
        lock.push_str(&format!(
            "\"node_modules/p{i}\": {{\"version\": \"1.0.{i}\"}},\n"
        ));
    }
    lock.push_str("\"z\": {}}}");
    let out = cmd()
        .args(["-", "GET", "/"])
        .write_stdin(lock)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("this is not an authorizer output"), "{err}");
    assert!(err.lines().count() < 20, "{err}");
}

#[test]
fn fixtures_carry_index_and_line_and_check_statement_names() {
    let dir = tempdir().join("fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("policies/explicit-deny.json", dir.join("out.json")).unwrap();
    let f = dir.join("typo.test.json");
    std::fs::write(
        &f,
        "{\"output\": \"out.json\",\n \"cases\": [\n  {\"request\": \"GET /x\", \"expect\": \"deny\", \"statement\": \"DenyAl\"}\n ]}",
    )
    .unwrap();
    cmd()
        .args(["test", f.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("the output has no Sid \"DenyAl\""))
        .stdout(predicate::str::contains("typo.test.json:3:"));
    let f = dir.join("null.test.json");
    std::fs::write(
        &f,
        "{\"output\": \"out.json\", \"defaults\": {\"stage\": \"prod\"},\n \"cases\": [\n  {\"request\": \"GET /x\", \"expect\": \"explicit_deny\"},\n  {\"request\": \"GET /y\", \"stage\": null, \"expect\": \"explicit-deny\"}\n ]}",
    )
    .unwrap();
    let out = cmd()
        .args(["test", f.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cases = &v["fixtures"][0]["cases"];
    assert_eq!(
        (cases[0]["index"].as_u64(), cases[0]["line"].as_u64()),
        (Some(0), Some(3))
    );
    assert_eq!(
        (cases[1]["index"].as_u64(), cases[1]["line"].as_u64()),
        (Some(1), Some(4))
    );
    assert_eq!(cases[0]["expected"], "explicit_deny");
    // An authorizer output given to `test` says what to do instead.
    cmd()
        .args(["test", "policies/explicit-deny.json"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "this is an authorizer output, not a fixture",
        ));
}

#[test]
fn lint_clean_in_fixtures_uses_the_configuration() {
    let dir = tempdir().join("cfg");
    std::fs::create_dir_all(&dir).unwrap();
    let out_name = "out.json";
    std::fs::copy("policies/path-parameters.json", dir.join(out_name)).unwrap();
    std::fs::write(
        dir.join("d.test.json"),
        r#"{"output": "out.json", "lint_clean": true, "cases": [{"request": "GET /users/42", "expect": "allow", "stage": "prod", "region": "us-east-1", "account": "123456789012", "api_id": "abc123"}]}"#,
    )
    .unwrap();
    cmd().args(["test", dir.to_str().unwrap()]).assert().code(1);
    let lint = cmd()
        .args([
            "lint",
            "--format",
            "json",
            dir.join(out_name).to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&lint.stdout).unwrap();
    let mut rules = String::from("[rules]\n");
    for f in v["files"][0]["findings"].as_array().unwrap() {
        rules.push_str(&format!("{} = \"off\"\n", f["code"].as_str().unwrap()));
    }
    std::fs::write(dir.join(".policy-check.toml"), rules).unwrap();
    cmd()
        .args(["lint", out_name])
        .current_dir(&dir)
        .assert()
        .code(0);
    cmd().args(["test", dir.to_str().unwrap()]).assert().code(0);
    cmd()
        .args(["test", "--no-config", dir.to_str().unwrap()])
        .assert()
        .code(1);
}

#[test]
fn check_shows_the_lint_findings_that_bear_on_the_answer() {
    let out = r#"{"principalId":"u","usageIdentifierKey":42,"policyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/ANY/things/{id}"}]}}"#;
    cmd()
        .args(["-", "GET", "/things/1"])
        .args(common::PINS)
        .write_stdin(out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "PC006 usage-identifier-key-not-string",
        ))
        .stdout(predicate::str::contains("PC032 resource-bad-verb"))
        .stdout(predicate::str::contains("PC033 resource-placeholder"))
        .stdout(predicate::str::contains("see: policy-check rule PC033"));
    let (v, _) = json(&["-", "GET", "/things/1"], Some(out));
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"PC006 usage-identifier-key-not-string"),
        "{codes:?}"
    );
}
