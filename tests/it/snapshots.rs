//! Snapshots of the human output, colour off and 100 columns wide, as a user sees it.

use crate::common;

use common::{PINS, cmd, without_stage};

fn run(args: &[&str], stdin: Option<&str>) -> String {
    let mut c = cmd();
    c.args(args);
    if let Some(s) = stdin {
        c.write_stdin(s);
    }
    let out = c.output().expect("runs");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn explicit_deny() {
    insta::assert_snapshot!(run(
        &["policies/explicit-deny.json", "GET", "/things"],
        None
    ));
}

#[test]
fn implicit_deny_nearest_miss() {
    let mut args = vec!["policies/rest-response.json", "POST", "/things"];
    args.extend(PINS);
    insta::assert_snapshot!(run(&args, None));
}

#[test]
fn allow_with_deciding_resource() {
    let mut args = vec!["policies/many-statements.json", "GET", "/products/sku-1234"];
    args.extend(PINS);
    insta::assert_snapshot!(run(&args, None));
}

#[test]
fn depends_on_the_stage() {
    let args = without_stage(&["policies/stage-dependent.json", "GET", "/things"]);
    insta::assert_snapshot!(run(&args, None));
}

#[test]
fn malformed_condition_null() {
    insta::assert_snapshot!(run(
        &["policies/malformed-condition-null.json", "GET", "/things"],
        None
    ));
}

#[test]
fn condition_assumed() {
    let mut args = vec!["policies/condition-assumed.json", "DELETE", "/things/42"];
    args.extend(PINS);
    insta::assert_snapshot!(run(&args, None));
}

#[test]
fn not_json() {
    insta::assert_snapshot!(run(
        &["-", "GET", "/things"],
        Some("{\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}\n")
    ));
}

#[test]
fn http_simple_deny() {
    insta::assert_snapshot!(run(
        &["policies/http-simple-deny.json", "GET", "/things"],
        None
    ));
}

#[test]
fn failing_fixture() {
    insta::assert_snapshot!(run(&["test", "tests/fixtures/wrong.test.json"], None));
}

#[test]
fn minified_stdin_is_reindented_for_display() {
    let output = r#"{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things"},{"Sid":"D","Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/*"}]}}"#;
    let mut args = vec!["-", "DELETE", "/things/1"];
    args.extend(PINS);
    insta::assert_snapshot!(run(&args, Some(output)));
}
