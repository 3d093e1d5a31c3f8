//! `policy-check request` and `routes` as a user runs them: transcripts (colour off, 100
//! columns), the JSON contract, `--then` sequences, exit codes and bad definitions.

use crate::common;

use common::{cmd, texts};
use serde_json::Value;

const GUIDE: &str = "examples/api/guide-api.json";
const FACTS: &str = "examples/api/guide-facts.json";
const URL: &str = "https://g8d2k4m6p0.execute-api.us-east-1.amazonaws.com/prod";

fn transcript(args: &[&str]) -> String {
    let out = cmd().args(args).output().expect("runs");
    let (o, e) = texts(&out);
    format!(
        "exit: {}\n--- stdout\n{o}--- stderr\n{e}",
        out.status.code().unwrap_or(-1)
    )
}

fn json(args: &[&str]) -> (i32, Value) {
    let out = cmd().args(args).output().expect("runs");
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), v)
}

fn url(path: &str) -> String {
    format!("{URL}{path}")
}

#[test]
fn explicit_deny_human() {
    let u = url("/things");
    insta::assert_snapshot!(transcript(&[
        "request",
        "--api",
        GUIDE,
        "--facts",
        FACTS,
        "--authorizer-output",
        "examples/api/outputs/guide-deny-all.json",
        "-H",
        "Authorization: Bearer t",
        "POST",
        &u,
    ]));
}

#[test]
fn route_miss_names_the_closest_routes() {
    let u = url("/thing");
    insta::assert_snapshot!(transcript(&[
        "request", "--api", GUIDE, "--facts", FACTS, "POST", &u
    ]));
}

#[test]
fn unknown_authorizer_prints_the_test_event() {
    let u = url("/things/7");
    insta::assert_snapshot!(transcript(&[
        "request",
        "--api",
        GUIDE,
        "--facts",
        FACTS,
        "-H",
        "Authorization: Bearer t",
        "GET",
        &u,
    ]));
}

#[test]
fn json_contract_for_one_request() {
    let u = url("/things");
    let (code, v) = json(&[
        "request", "--api", GUIDE, "--facts", FACTS, "--format", "json", "POST", &u,
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["outcome"], "answer");
    let a = &v["answer"];
    assert_eq!(a["status"], 401);
    assert_eq!(a["error_type"], "UnauthorizedException");
    assert_eq!(a["body"], r#"{"message":"Unauthorized"}"#);
    assert_eq!(a["step"], "identity");
    assert_eq!(a["made_by"], "api_gateway");
    assert_eq!(a["headers"]["x-amzn-ErrorType"], "UnauthorizedException");
    assert_eq!(v["authorizer_invoked"], false);
    let steps: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["edge", "stage", "route", "method_auth", "identity"]);
    assert_eq!(v["steps"][4]["result"], "answer");
    assert_eq!(v["steps"][2]["span"]["file"], GUIDE);
    insta::assert_json_snapshot!(v);
}

#[test]
fn exit_codes() {
    let code = |args: &[&str]| cmd().args(args).output().unwrap().status.code();
    let things = url("/things");
    let base = ["request", "--api", GUIDE, "--facts", FACTS];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter().chain(extra).map(|s| s.to_string()).collect()
    };
    let run = |v: Vec<String>| code(&v.iter().map(String::as_str).collect::<Vec<_>>());
    // 0: reaches the integration.
    let allow = [
        "--authorizer-output",
        "examples/api/outputs/guide-allow-with-key.json",
        "-H",
        "Authorization: Bearer k",
        "GET",
        &things,
    ];
    assert_eq!(run(with(&allow)), Some(0));
    // 1: API Gateway answers an error; or it depends.
    assert_eq!(run(with(&["POST", &things])), Some(1));
    assert_eq!(
        run(with(&["-H", "Authorization: Bearer k", "POST", &things])),
        Some(1)
    );
    // 3: the authorizer output is malformed (500).
    let bad = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(bad.path(), r#"{"principalId": "u", "policyDocument": {"Statement": [{"Effect": "allow", "Action": "execute-api:Invoke", "Resource": "*"}]}}"#).unwrap();
    let p = bad.path().to_str().unwrap();
    assert_eq!(
        run(with(&[
            "--authorizer-output",
            p,
            "-H",
            "Authorization: Bearer k",
            "POST",
            &things
        ])),
        Some(3)
    );
    // 2: usage, a missing definition, an unreadable target, NotModelled.
    assert_eq!(run(with(&["GET", "things"])), Some(2));
    assert_eq!(
        code(&["request", "--api", "nope.json", "GET", "/x"]),
        Some(2)
    );
    assert_eq!(run(with(&["--after", "5", "GET", &things])), Some(2));
    assert_eq!(
        run(with(&[
            "--authorizer-throws",
            "x",
            "--authorizer-output",
            "-",
            "GET",
            &things
        ])),
        Some(2)
    );
}

#[test]
fn sequences_share_one_cache() {
    let one = url("/things/1");
    let (code, v) = json(&[
        "request",
        "--api",
        GUIDE,
        "--facts",
        FACTS,
        "--format",
        "json",
        "--authorizer-output",
        "examples/api/outputs/guide-allow-thing-1.json",
        "-H",
        "Authorization: Bearer t-1",
        "GET",
        &one,
        "--then",
        &format!("GET {}", url("/things/2")),
        "--after",
        "60",
        "--then",
        &format!("GET {}", url("/things/2")),
        "-H",
        "Authorization: Bearer t-2",
        "--authorizer-output",
        "examples/api/outputs/guide-allow-thing-2.json",
        "--then",
        &format!("GET {}", url("/things/2")),
        "--after",
        "300",
        "-H",
        "Authorization: Bearer t-1",
    ]);
    assert_eq!(code, 1, "the second request is denied");
    assert_eq!(v["schema_version"], 1);
    let reqs = v["requests"].as_array().unwrap();
    let got: Vec<(u64, u64, Value, Value)> = reqs
        .iter()
        .map(|r| {
            (
                r["at"].as_u64().unwrap(),
                r["answer"]["status"].as_u64().unwrap(),
                r["authorizer_invoked"].clone(),
                r["cache"]["from_request"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (0, 200, Value::Bool(true), Value::Null),
            (60, 403, Value::Bool(false), Value::from(1)),
            (60, 200, Value::Bool(true), Value::Null),
            (360, 200, Value::Bool(true), Value::Null),
        ]
    );
    assert_eq!(reqs[1]["request"], format!("GET {}", url("/things/2")));
    assert!(reqs[1].get("schema_version").is_none());
    assert_eq!(
        reqs[1]["answer"]["body"],
        r#"{"Message":"User is not authorized to access this resource"}"#
    );
}

#[test]
fn sequence_human() {
    let one = url("/things/1");
    let two = format!("GET {}", url("/things/2"));
    insta::assert_snapshot!(transcript(&[
        "request",
        "--api",
        GUIDE,
        "--facts",
        FACTS,
        "--authorizer-output",
        "examples/api/outputs/guide-allow-thing-1.json",
        "-H",
        "Authorization: Bearer t-1",
        "GET",
        &one,
        "--then",
        &two,
        "--after",
        "60",
    ]));
}

#[test]
fn routes_human_and_json() {
    insta::assert_snapshot!(transcript(&[
        "routes",
        "--api",
        "examples/api/sam-template.yaml"
    ]));
    let (code, v) = json(&["routes", "--api", GUIDE, "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["api"]["kind"], "rest");
    let rows: Vec<String> = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["method"].as_str().unwrap(),
                r["path"].as_str().unwrap(),
                r["auth"],
                r["api_key_required"]
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            r#"GET /things "CUSTOM" true"#,
            r#"POST /things "CUSTOM" false"#,
            r#"GET /things/{id} "CUSTOM" false"#
        ]
    );
    assert!(v["routes"][0]["span"]["line"].as_u64().unwrap() > 1);
}

#[test]
fn bad_definitions_exit_2_with_a_span() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("api.yaml");
    std::fs::write(&yaml, "openapi: 3.0.1\npaths:\n  /x: {get: [\n").unwrap();
    insta::with_settings!({filters => vec![(regex_lite(dir.path()).as_str(), "[DIR]")]}, {
        insta::assert_snapshot!(transcript(&["request", "--api", yaml.to_str().unwrap(), "GET", "/x", "--stage", "prod"]));
    });
    let not_api = dir.path().join("package.json");
    std::fs::write(&not_api, r#"{"name": "x", "version": "1.0.0"}"#).unwrap();
    let out = cmd()
        .args([
            "routes",
            "--api",
            not_api.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("not an API definition"),
        "{v}"
    );
}

#[test]
fn several_apis_need_api_name() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("template.json");
    std::fs::write(
        &t,
        r#"{"Resources": {
  "Alpha": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "a"}},
  "Beta": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "b", "ProtocolType": "HTTP"}}}}"#,
    )
    .unwrap();
    let path = t.to_str().unwrap();
    let out = cmd().args(["routes", "--api", path]).output().unwrap();
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("the template holds several APIs: Alpha, Beta"),
        "{err}"
    );
    assert!(err.contains("--api-name"), "{err}");
    let out = cmd()
        .args(["routes", "--api", path, "--api-name", "Alpha"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// The temporary directory as a regex for insta filters.
fn regex_lite(p: &std::path::Path) -> String {
    let mut s = String::new();
    for c in p.display().to_string().chars() {
        // Any other character is matched by `.`: enough for a unique temporary path.
        s.push(if c.is_ascii_alphanumeric() { c } else { '.' });
    }
    s
}

/// Writes a fixture next to copies of the guide's API and facts.
fn fixture_dir(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in [GUIDE, FACTS] {
        let name = std::path::Path::new(f).file_name().unwrap();
        std::fs::copy(f, dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("f.test.json"), fixture).unwrap();
    dir
}

#[test]
fn a_failed_pipeline_case_shows_expected_and_actual() {
    let dir = fixture_dir(&format!(
        r#"{{"api": "guide-api.json", "facts": "guide-facts.json", "cases": [
  {{"name": "wrong", "request": "POST {URL}/things", "expect": {{"status": 403, "step": "identity", "body": "x"}}}},
  {{"name": "seq", "sequence": [
    {{"request": "POST {URL}/things", "expect": {{"status": 401}}}},
    {{"request": "POST {URL}/things", "after": 5, "expect": "allow"}}]}}]}}"#
    ));
    let out = cmd().arg("test").arg(dir.path()).output().unwrap();
    let (o, _) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{o}");
    assert!(o.contains("status: expected 403, got 401"), "{o}");
    assert!(
        o.contains(r#"body: expected "x", got "{\"message\":\"Unauthorized\"}""#),
        "{o}"
    );
    assert!(!o.contains("step: expected"), "{o}");
    assert!(o.contains("#1 ok     line"), "{o}");
    assert!(o.contains("#2 FAILED line"), "{o}");
    assert!(
        o.contains("outcome: expected allow, got 401 UnauthorizedException at `identity`"),
        "{o}"
    );
    let out = cmd()
        .args(["test", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let seq = &v["fixtures"][0]["cases"][1];
    assert_eq!(seq["expected"], "sequence");
    assert_eq!(seq["requests"][1]["ok"], false);
    assert_eq!(seq["requests"][1]["actual"]["status"], 401);
    assert_eq!(seq["requests"][1]["actual"]["step"], "identity");
}

#[test]
fn unknown_keys_in_api_fixtures_are_errors_with_spans() {
    let dir = fixture_dir(&format!(
        r#"{{"api": "guide-api.json", "cases": [
  {{"request": "GET {URL}/things", "header": {{"a": "b"}}, "expect": "allow"}}]}}"#
    ));
    let out = cmd().arg("test").arg(dir.path()).output().unwrap();
    let (o, _) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{o}");
    assert!(o.contains("unknown key `header` in a request case"), "{o}");
    assert!(o.contains("f.test.json:2:89"), "{o}");
}

/// `expect.step` names a step `request` reports; `gateway_response` (a cause `explain`
/// names) is not one, and the help lists the steps.
#[test]
fn an_unknown_expected_step_is_an_error_that_lists_the_steps() {
    let dir = fixture_dir(&format!(
        r#"{{"api": "guide-api.json", "cases": [
  {{"request": "GET {URL}/things", "expect": {{"status": 403, "step": "gateway_response"}}}}]}}"#
    ));
    let out = cmd().arg("test").arg(dir.path()).output().unwrap();
    let (o, _) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{o}");
    assert!(o.contains("`gateway_response` is not a step"), "{o}");
    // The help is wrapped to the terminal width: compare its words, up to the blank line.
    let help = o.split("help: ").nth(1).unwrap_or_default();
    let help = help.split("\n\n").next().unwrap_or_default();
    assert_eq!(
        help.split_whitespace().collect::<Vec<_>>().join(" "),
        "the steps are: edge, stage, route, method_auth, resource_policy, identity, cache, authorizer, policy, api_key, integration",
        "{o}"
    );
}

/// The facts file may be YAML: the same facts give the same answers, and a mistake in the
/// YAML is an error pointing at its line.
#[test]
fn yaml_facts_answer_as_json_facts_do() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("facts.yaml");
    std::fs::write(
        &yaml,
        "account: \"111122223333\"\napi_keys:\n  - value: k-live\n    enabled: true\n    stages: [g8d2k4m6p0/prod]\n  - value: k-off\n    enabled: false\n    stages: [g8d2k4m6p0/prod]\n",
    )
    .unwrap();
    let yaml = yaml.to_str().unwrap();
    let u = url("/things");
    let mut statuses = Vec::new();
    // The authorizer gives the API key (usageIdentifierKey): one the facts hold, one they do not.
    for output in ["guide-allow-with-key.json", "guide-allow-unknown-key.json"] {
        let output = format!("examples/api/outputs/{output}");
        let answer = |facts: &str| {
            let (code, v) = json(&[
                "request",
                "--api",
                GUIDE,
                "--facts",
                facts,
                "--authorizer-output",
                &output,
                "-H",
                "Authorization: Bearer t",
                "--format",
                "json",
                "GET",
                &u,
            ]);
            (code, v["outcome"].clone(), v["answer"].clone())
        };
        let (code, outcome, answer_) = answer(yaml);
        assert_ne!(code, 2, "{outcome} {answer_}");
        assert_eq!((code, outcome, answer_.clone()), answer(FACTS), "{output}");
        statuses.push(answer_["status"].clone());
    }
    assert_eq!(statuses, [200, 403]);
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "account: \"1\"\nregoin: eu-west-1\n").unwrap();
    let out = cmd()
        .args(["request", "--api", GUIDE, "--facts"])
        .arg(&bad)
        .args(["POST", &u])
        .output()
        .unwrap();
    let (_, e) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(e.contains("unknown key `regoin` in the facts file"), "{e}");
    assert!(e.contains("bad.yaml:2:1"), "{e}");
}
