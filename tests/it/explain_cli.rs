//! `policy-check explain` on the command line: the seed guide's captures (httpie, `curl -i`,
//! `curl -v`) with the guide's cause first, who answered, replays against the example API
//! definitions, mismatches, exit codes and the human report.

use crate::common;

use common::{cmd, texts};
use serde_json::Value;

const REST_API: &str = "examples/api/openapi-rest.json";
const HTTP_API: &str = "examples/api/openapi-http.yaml";
const REST_URL: &str = "https://k3xq9w2m1a.execute-api.eu-west-1.amazonaws.com/prod";
const HTTP_URL: &str = "https://p7r2t8v0zc.execute-api.eu-west-1.amazonaws.com/prod";
/// The examples' account, so that policies naming it decide instead of depending on it.
const FACTS: &str = "tests/explain/replay/facts.json";

/// Runs `policy-check explain ARGS --format json`; returns the exit code and the document.
fn explain_json(args: &[&str]) -> (i32, Value) {
    let out = cmd()
        .arg("explain")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&out);
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}\n{stderr}"));
    (out.status.code().unwrap(), v)
}

fn rest_replay<'a>(capture: &'a str, request: &'a str, extra: &[&'a str]) -> Vec<String> {
    let mut v: Vec<String> = [capture, "--api", REST_API, "--request", request]
        .iter()
        .map(|s| s.to_string())
        .collect();
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn run(args: &[String]) -> (i32, Value) {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    explain_json(&refs)
}

/// The causes with `ruled_out` as given, as (step, why).
fn causes(v: &Value, ruled_out: bool) -> Vec<(String, String)> {
    v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ruled_out"] == ruled_out)
        .map(|c| {
            (
                c["step"].as_str().unwrap().to_string(),
                c["why"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A REST replay of `capture` with a bearer token, the authorizer output `output` and the
/// examples' account.
fn token_replay(capture: &str, request: &str, output: &str) -> (i32, Value) {
    run(&rest_replay(
        capture,
        request,
        &[
            "-H",
            "Authorization: Bearer abc",
            "--authorizer-output",
            output,
            "--facts",
            FACTS,
        ],
    ))
}

/// Each seed scenario: its directory, the guide's cause (step and words of its title).
const SEED: [(&str, &str, &str); 8] = [
    (
        "401-unauthorized",
        "identity",
        "identity source of the authorizer is missing",
    ),
    (
        "403-forbidden-api-key",
        "api_key",
        "does not exist, is disabled",
    ),
    (
        "403-explicit-deny",
        "policy",
        "A Deny statement in the authorizer's policy",
    ),
    (
        "403-implicit-deny",
        "policy",
        "No Allow statement in the authorizer's policy",
    ),
    (
        "403-incomplete-signature",
        "route",
        "No resource and method match",
    ),
    (
        "403-missing-or-invalid-token",
        "route",
        "No resource and method match",
    ),
    (
        "400-missing-or-invalid-token",
        "route",
        "No resource and method match",
    ),
    (
        "cloudfront-get-with-body",
        "edge",
        "A GET or HEAD request carried a body",
    ),
];

#[test]
fn every_seed_capture_gives_the_guides_cause_first() {
    for (dir, step, title) in SEED {
        for form in ["httpie.txt", "curl-i.txt", "curl-v.txt"] {
            let path = format!("tests/explain/{dir}/{form}");
            let (code, v) = explain_json(&[&path]);
            assert_eq!(code, 0, "{path}");
            assert_eq!(v["schema_version"], 1);
            let first = &v["causes"][0];
            assert_eq!(first["step"], step, "{path}: {first}");
            assert!(
                first["title"].as_str().unwrap().contains(title),
                "{path}: {first}"
            );
            assert_eq!(first["ruled_out"], false);
            assert!(!first["fixes"].as_array().unwrap().is_empty(), "{path}");
            assert!(!first["confirm"].as_array().unwrap().is_empty(), "{path}");
        }
    }
}

#[test]
fn rest_http_and_cloudfront_are_told_apart() {
    let cases = [
        (
            "403-implicit-deny/curl-i.txt",
            "rest_api",
            Value::from("rest"),
        ),
        ("more/http-403.txt", "http_api", Value::from("http")),
        ("more/jwt-401.txt", "jwt_authorizer", Value::from("http")),
        (
            "cloudfront-get-with-body/curl-i.txt",
            "cloudfront",
            Value::Null,
        ),
    ];
    for (capture, made_by, api_type) in cases {
        let (code, v) = explain_json(&[&format!("tests/explain/{capture}")]);
        assert_eq!(code, 0, "{capture}");
        assert_eq!(v["signature"]["made_by"], made_by, "{capture}");
        assert_eq!(v["signature"]["api_type"], api_type, "{capture}");
    }
    // The same 403 body means different causes on a REST and an HTTP API.
    let (_, rest) = explain_json(&["tests/explain/403-implicit-deny/httpie.txt"]);
    let (_, http) = explain_json(&["tests/explain/more/http-403.txt"]);
    assert_eq!(rest["signature"]["error_type"], "AccessDeniedException");
    assert_eq!(http["signature"]["error_type"], Value::Null);
    assert_eq!(http["signature"]["message"], "Forbidden");
}

#[test]
fn fields_and_stdin_are_inputs_too() {
    let (code, v) = explain_json(&[
        "--status",
        "403",
        "--error-type",
        "AccessDeniedException",
        "--body",
        r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#,
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["causes"][0]["step"], "policy");
    assert_eq!(v["signature"]["made_by"], "rest_api");
    let out = cmd()
        .args(["explain", "-", "--format", "json"])
        .write_stdin(std::fs::read("tests/explain/401-unauthorized/curl-v.txt").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["causes"][0]["step"], "identity");
}

// Replays: the definition shows the route exists, so the routing causes are ruled out.

#[test]
fn replay_reproduces_a_400_as_the_identity_step_behind_a_gateway_response() {
    let request = format!("GET {REST_URL}/things/1");
    let (code, v) = run(&rest_replay(
        "tests/explain/400-missing-or-invalid-token/httpie.txt",
        &request,
        &[],
    ));
    assert_eq!(code, 0);
    assert_eq!(v["mismatch"], Value::Null);
    let first = &v["causes"][0];
    assert_eq!(first["step"], "identity");
    assert_eq!(
        first["title"],
        "the header `Authorization` is missing: 401 without invoking the authorizer"
    );
    assert_eq!(
        first["why"],
        "the replay of GET /things/1 answers 400 UnauthorizedException here (the API's UNAUTHORIZED gateway response writes the status and body)"
    );
    let live = causes(&v, false);
    assert_eq!(live[1].0, "gateway_response");
    assert_eq!(
        live[1].1,
        "the API's UNAUTHORIZED gateway response, in examples/api/openapi-rest.json, wrote this answer in the replay"
    );
    assert_eq!(
        causes(&v, true),
        [
            (
                "route".into(),
                "route `GET /things/{id}` matches GET /things/1 in stage prod".into()
            ),
            ("stage".into(), "stage `prod`".into()),
        ]
    );
}

#[test]
fn replay_of_an_existing_route_rules_out_the_missing_token_causes() {
    let request = format!("GET {REST_URL}/things");
    let (code, v) = token_replay(
        "tests/explain/403-missing-or-invalid-token/curl-v.txt",
        &request,
        "examples/api/outputs/allow-things.json",
    );
    assert_eq!(code, 0);
    let ruled = causes(&v, true);
    assert!(
        ruled.contains(&(
            "route".into(),
            "route `GET /things` exists in stage prod".into()
        )),
        "{ruled:?}"
    );
    assert!(ruled.iter().any(|(s, _)| s == "stage"), "{ruled:?}");
    assert!(causes(&v, false).iter().all(|(s, _)| s != "route"));
}

#[test]
fn replay_of_a_custom_authorizer_route_rules_out_incomplete_signature() {
    let request = format!("POST {REST_URL}/things");
    let (code, v) = token_replay(
        "tests/explain/403-incomplete-signature/curl-i.txt",
        &request,
        "examples/api/outputs/deny-all.json",
    );
    assert_eq!(code, 0);
    let ruled = causes(&v, true);
    assert_eq!(
        ruled,
        [
            (
                "route".into(),
                "route `POST /things` exists in stage prod".into()
            ),
            ("stage".into(), "stage `prod`".into()),
            (
                "method_auth".into(),
                "the method's authorization is CUSTOM: Lambda authorizer `TokenAuth`".into()
            ),
        ]
    );
    assert_eq!(
        v["mismatch"],
        "your API would answer 403 AccessDeniedException here, not 403 IncompleteSignatureException: the response came from elsewhere, e.g. WAF or another stage"
    );
}

#[test]
fn replay_on_an_http_api_rules_out_not_found() {
    let request = format!("GET {HTTP_URL}/things");
    let (code, v) = explain_json(&[
        "tests/explain/more/http-404.txt",
        "--api",
        HTTP_API,
        "--request",
        &request,
    ]);
    assert_eq!(code, 0);
    let ruled = causes(&v, true);
    assert!(
        ruled.contains(&(
            "route".into(),
            "route `GET /things` exists in stage prod".into()
        )),
        "{ruled:?}"
    );
    // The definition's authorizer answers first: the 404 did not come from this API.
    assert_eq!(
        v["mismatch"],
        "your API would answer 401 here, not 404: the response came from elsewhere, e.g. WAF or another stage"
    );
}

#[test]
fn replay_reproduces_an_implicit_deny_and_keeps_the_order() {
    let request = format!("GET {REST_URL}/things/1");
    let (code, v) = token_replay(
        "tests/explain/403-implicit-deny/curl-i.txt",
        &request,
        "tests/explain/replay/allow-get-things.json",
    );
    assert_eq!(code, 0);
    assert_eq!(v["mismatch"], Value::Null);
    let first = &v["causes"][0];
    assert_eq!(first["step"], "policy");
    assert!(
        first["title"]
            .as_str()
            .unwrap()
            .starts_with("No Allow statement"),
        "the catalog's title stays: {first}"
    );
    assert!(
        first["why"]
            .as_str()
            .unwrap()
            .contains("the replay of GET /things/1 answers 403 AccessDeniedException here"),
        "{first}"
    );
}

#[test]
fn a_mismatch_says_what_the_api_would_answer() {
    // No Authorization header: the API answers before the authorizer, with its own 400.
    let request = format!("GET {REST_URL}/things/1");
    let (code, v) = run(&rest_replay(
        "tests/explain/403-explicit-deny/curl-v.txt",
        &request,
        &[],
    ));
    assert_eq!(code, 0);
    assert_eq!(
        v["mismatch"],
        "your API would answer 400 UnauthorizedException here, not 403 AccessDeniedException: the response came from elsewhere, e.g. WAF or another stage"
    );
    // Nothing is promoted on a mismatch: the catalog's first cause stays first.
    assert_eq!(v["causes"][0]["step"], "policy");
    assert_eq!(v["causes"][0]["ruled_out"], false);
}

#[test]
fn exit_codes() {
    // 0: a cause was found.
    let (code, _) = explain_json(&["tests/explain/401-unauthorized/httpie.txt"]);
    assert_eq!(code, 0);
    // 1: no cause matches.
    let (code, v) = explain_json(&["--status", "418", "--body", "short and stout"]);
    assert_eq!(code, 1);
    assert_eq!(v["causes"], Value::Array(vec![]));
    let out = cmd()
        .args(["explain", "tests/explain/more/ok-200.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(texts(&out).0.contains("No known cause"));
    // 2: unreadable input, with the JSON error document under --format json.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"HTTP/1.1 403 Forbidden\n\n\xff\xfe{}").unwrap();
    let request = format!("GET {REST_URL}/things");
    let cases: [Vec<&str>; 6] = [
        vec!["/nonexistent/response.txt"],
        vec![bad.to_str().unwrap()],
        vec!["--status", "999"],
        vec![
            "tests/explain/401-unauthorized/httpie.txt",
            "--api",
            REST_API,
        ],
        vec![
            "tests/explain/401-unauthorized/httpie.txt",
            "--api",
            REST_API,
            "--request",
            &request,
            "-H",
            "no colon",
        ],
        vec![
            "tests/explain/401-unauthorized/httpie.txt",
            "--api",
            "tests/explain/401-unauthorized/httpie.txt",
            "--request",
            &request,
        ],
    ];
    for args in cases {
        let out = cmd()
            .arg("explain")
            .args(&args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", texts(&out).0));
        assert!(v["error"]["message"].is_string(), "{v}");
        assert!(
            !texts(&out).1.is_empty(),
            "{args:?}: a diagnostic on stderr"
        );
    }
    // Usage errors are 2 as well: no input, or replay options without --api.
    for args in [
        vec!["explain"],
        vec!["explain", "--request", "GET /things", "--status", "403"],
        vec!["explain", "x.txt", "--status", "403"],
    ] {
        let out = cmd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn api_without_request_names_the_captured_request() {
    let (code, v) = explain_json(&[
        "tests/explain/403-implicit-deny/curl-v.txt",
        "--api",
        REST_API,
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        v["error"]["message"],
        "--api needs --request 'METHOD TARGET' to replay (the capture shows `GET https://abc123.execute-api.us-east-1.amazonaws.com/prod/things`)"
    );
}

#[test]
fn human_report_of_a_replay() {
    let request = format!("GET {REST_URL}/things/1");
    let out = cmd()
        .args([
            "explain",
            "tests/explain/400-missing-or-invalid-token/curl-i.txt",
            "--api",
            REST_API,
            "--request",
            &request,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(texts(&out).0);
}

#[test]
fn human_report_when_every_cause_is_ruled_out() {
    let request = format!("POST {REST_URL}/things");
    let out = cmd()
        .args([
            "explain",
            "tests/explain/403-incomplete-signature/httpie.txt",
            "--api",
            REST_API,
            "--request",
            &request,
            "-H",
            "Authorization: Bearer abc",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = texts(&out).0;
    assert!(
        text.contains("\nNo cause remains: the replay rules out every known cause"),
        "{text}"
    );
    assert!(text.contains("\nRuled out:\n1. [route]"), "{text}");
}
