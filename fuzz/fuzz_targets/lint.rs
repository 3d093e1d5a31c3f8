//! Lint of a document → every printer of a lint run: human, JSON and SARIF. The SARIF log
//! and the JSON document must parse, and every SARIF `artifactLocation.uri` must be a valid
//! URI reference whatever the file name. Input: `NAME\0DOCUMENT` (or just a document).
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::config::Config;
use policy_check::lint::Severity;
use policy_check::lint_run::{self, LintRun};
use policy_check::report::{Style, lint_human, lint_json, sarif};
use policy_check::{Checked, InputKind};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (name, bytes) = policy_check_fuzz::named(data, "fuzz.json");
    let checked = Checked::from_bytes(&name, bytes.to_vec(), InputKind::Auto);
    let config = Config::default();
    let opts = lint_run::Options {
        config: &config,
        kind: InputKind::Auto,
        fail_level: Severity::Error,
        api: None,
    };
    let linted = lint_run::lint_one(name, checked, &opts);
    let run = LintRun::new(vec![linted], 0, Severity::Error);
    let style = Style::default();

    let mut human = Vec::new();
    lint_human::write(&run, style, &mut human).unwrap();
    let human = String::from_utf8(human).expect("the human report is UTF-8");
    // Snippets are windows and labels are few: each finding is drawn in bounded space (a
    // 10 MB Resource once gave 90 MB).
    let findings = run.results[0].findings.len();
    assert!(
        human.len() <= 64 * 1024 + findings * 16 * 1024,
        "{} bytes of report for {findings} findings",
        human.len()
    );

    let mut json = Vec::new();
    lint_json::write(&run, style, &mut json).unwrap();
    serde_json::from_slice::<Value>(&json).expect("the lint JSON parses");

    let mut out = Vec::new();
    sarif::write(&run, style, &mut out).unwrap();
    let log: Value = serde_json::from_slice(&out).expect("the SARIF log parses as JSON");
    let mut uris = Vec::new();
    collect_uris(&log, &mut uris);
    assert!(
        !uris.is_empty() || run.results[0].findings.is_empty() && run.results[0].error.is_none()
    );
    for uri in uris {
        assert!(
            fluent_uri::UriRef::parse(uri.as_str()).is_ok(),
            "not a URI reference: {uri:?}"
        );
        // A name must not turn into a network-path reference (`//host/…`).
        assert!(!uri.starts_with("//"), "network-path reference: {uri:?}");
    }
});

/// Every `artifactLocation.uri` in the log.
fn collect_uris(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(u)) = m.get("artifactLocation").and_then(|a| a.get("uri")) {
                out.push(u.clone());
            }
            m.values().for_each(|x| collect_uris(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_uris(x, out)),
        _ => {}
    }
}
