//! `policy-check lint --api API_FILE`: the definition read once (exit 2 with its span when it
//! cannot be), its own findings as an entry of their own in every format, outputs linted
//! against it; and `lint DIR` in a Node repository (walks respecting .gitignore, hidden
//! directories and node_modules; JSON files that are not authorizer outputs skipped).

use crate::common;

use std::path::Path;

use common::cmd;

const API: &str = "openapi: 3.0.1
paths:
  /things:
    get:
      security: [{MyAuth: []}]
    post:
      security: [{MyAuth: []}]
  /{proxy+}:
    get:
      security: [{MyAuth: []}]
components:
  securitySchemes:
    MyAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: token
        identityValidationExpression: \"Bearer .+\"
";

/// An output of the API's authorizer that copies the methodArn (the caching trap).
const OUT: &str = r#"{"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things"}
]}}
"#;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api.yaml", API);
    write(dir.path(), "out.json", OUT);
    dir
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

#[test]
fn human_report_lints_the_definition_and_the_outputs_against_it() {
    let dir = project();
    let a = cmd()
        .current_dir(dir.path())
        .args(["lint", "--no-config", "--api", "api.yaml", "out.json"])
        .assert()
        .code(0);
    insta::assert_snapshot!("lint_api_human", stdout(&a));
    // Warnings fail the run when asked.
    cmd()
        .current_dir(dir.path())
        .args([
            "lint",
            "--no-config",
            "--fail-level",
            "warning",
            "--api",
            "api.yaml",
            "out.json",
        ])
        .assert()
        .code(1);
}

#[test]
fn without_the_definition_pc054_speaks_and_with_ttl_zero_nothing_does() {
    let dir = project();
    let a = cmd()
        .current_dir(dir.path())
        .args(["lint", "--no-config", "--format", "json", "out.json"])
        .assert()
        .code(0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(doc["files"][0]["findings"][0]["code"], "PC054");
    // The authorizer does not cache: the single ARN is fine.
    write(
        dir.path(),
        "api.yaml",
        &API.replace(
            "type: token",
            "type: token\n        authorizerResultTtlInSeconds: 0",
        ),
    );
    let a = cmd()
        .current_dir(dir.path())
        .args([
            "lint",
            "--no-config",
            "--format",
            "json",
            "--api",
            "api.yaml",
            "out.json",
        ])
        .assert()
        .code(0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(doc["files"][1]["file"], "out.json");
    assert_eq!(doc["files"][1]["findings"], serde_json::json!([]));
}

#[test]
fn json_sarif_and_github_carry_findings_in_the_definition() {
    let dir = project();
    let a = cmd()
        .current_dir(dir.path())
        .args([
            "lint",
            "--no-config",
            "--format",
            "json",
            "--api",
            "api.yaml",
            "out.json",
        ])
        .assert()
        .code(0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let def = &doc["files"][0];
    assert_eq!(def["file"], "api.yaml");
    assert_eq!(def["role"], "api_definition");
    assert_eq!(def["input_kind"], serde_json::Value::Null);
    let codes: Vec<&str> = def["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["PC062", "PC067"]);
    // PC067 points at the expression, line 20 of api.yaml.
    assert_eq!(def["findings"][1]["span"]["line"], 20);
    assert_eq!(doc["files"][1]["role"], "authorizer_output");
    assert_eq!(doc["files"][1]["findings"][0]["code"], "PC061");
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(doc["summary"]["warnings"], 3);

    let a = cmd()
        .current_dir(dir.path())
        .args([
            "lint",
            "--no-config",
            "--format",
            "sarif",
            "--api",
            "api.yaml",
            "out.json",
        ])
        .assert()
        .code(0);
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let pc067 = results.iter().find(|r| r["ruleId"] == "PC067").unwrap();
    let loc = &pc067["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "api.yaml");
    assert_eq!(loc["region"]["startLine"], 20);

    let a = cmd()
        .current_dir(dir.path())
        .args([
            "lint",
            "--no-config",
            "--format",
            "github",
            "--api",
            "api.yaml",
            "out.json",
        ])
        .assert()
        .code(0);
    let text = stdout(&a);
    assert!(
        text.lines()
            .any(|l| l.starts_with("::warning file=api.yaml,line=20,")
                && l.contains("PC067 identity-regex-anchoring")),
        "{text}"
    );
}

#[test]
fn an_unreadable_definition_is_exit_2_with_its_span() {
    let dir = project();
    write(
        dir.path(),
        "bad.yaml",
        "openapi: 3.0.1\npaths:\n  things:\n    get: {}\n",
    );
    let a = cmd()
        .current_dir(dir.path())
        .args(["lint", "--no-config", "--api", "bad.yaml", "out.json"])
        .assert()
        .code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("the path `things` does not start with `/`"),
        "{err}"
    );
    assert!(err.contains("bad.yaml:3:3"), "{err}");
    assert!(a.get_output().stdout.is_empty());
    cmd()
        .current_dir(dir.path())
        .args(["lint", "--no-config", "--api", "missing.yaml", "out.json"])
        .assert()
        .code(2);
    // --api-name needs --api.
    cmd()
        .current_dir(dir.path())
        .args(["lint", "--no-config", "--api-name", "Api", "out.json"])
        .assert()
        .code(2);
}

/// `policy-check lint .` in a Node project: dependencies, ignored and hidden directories are
/// not walked, and JSON that is not an authorizer output is skipped and counted.
#[test]
fn lint_dot_in_a_node_repository() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "package.json",
        r#"{"name": "app", "version": "1.0.0", "dependencies": {}}"#,
    );
    write(
        d,
        "tsconfig.json",
        r#"{"compilerOptions": {"strict": true}}"#,
    );
    write(d, "authorizer/out.json", OUT);
    write(d, "node_modules/dep/package.json", r#"{"name": "dep"}"#);
    write(d, "node_modules/dep/policy.json", "{not json");
    write(d, ".gitignore", "cdk.out/\n");
    write(d, "cdk.out/manifest.json", "{not json");
    write(d, ".cache/x.json", "{not json");
    let a = cmd()
        .current_dir(d)
        .args(["lint", "--no-config", "."])
        .assert()
        .code(0);
    let text = stdout(&a);
    assert!(text.contains("── ./authorizer/out.json ──"), "{text}");
    assert!(
        text.ends_with(
            "0 errors, 1 warning, 0 infos in 1 of 1 file linted; 2 not authorizer outputs, skipped\n"
        ),
        "{text}"
    );
    let a = cmd()
        .current_dir(d)
        .args(["lint", "--no-config", "--format", "json", "."])
        .assert()
        .code(0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(doc["summary"]["not_authorizer"], 2);
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(doc["summary"]["unreadable"], 0);
    // A glob finds them too, and skips them the same way.
    cmd()
        .current_dir(d)
        .args(["lint", "--no-config", "*.json"])
        .assert()
        .code(0)
        .stdout(predicates::str::ends_with(
            "no findings in 0 files; 2 not authorizer outputs, skipped\n",
        ));
    // Named explicitly, a package.json is still an error.
    cmd()
        .current_dir(d)
        .args(["lint", "--no-config", "package.json", "authorizer/out.json"])
        .assert()
        .code(2);
}
