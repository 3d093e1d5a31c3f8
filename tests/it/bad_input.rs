//! The bad-input corpus (issue 11): hundreds of hostile inputs, generated here, each run
//! through the binary under a watchdog. Every one must end with the documented exit code,
//! say where the problem is (`line:col`) when there is input to point at, and never panic.

use crate::common;

use std::os::unix::ffi::OsStrExt;

use common::{PINS, guarded, texts};

/// What a case must produce.
struct Case {
    name: String,
    input: Vec<u8>,
    args: Vec<String>,
    code: i32,
    /// Whether the message must carry a `line:col` position.
    span: bool,
}

fn case(name: impl Into<String>, input: impl Into<Vec<u8>>, code: i32, span: bool) -> Case {
    Case {
        name: name.into(),
        input: input.into(),
        args: Vec::new(),
        code,
        span,
    }
}

/// Runs `check - GET /things` (pinned unless the case says otherwise) on each case.
fn run_all(cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let mut cmd = guarded();
        if c.args.is_empty() {
            cmd.args(["-", "GET", "/things"]).args(PINS);
        } else {
            cmd.args(&c.args);
        }
        let out = cmd.write_stdin(c.input.clone()).output().unwrap();
        let (stdout, stderr) = texts(&out);
        let all = format!("{stdout}{stderr}");
        let mut wrong = Vec::new();
        if out.status.code() != Some(c.code) {
            wrong.push(format!("exit {:?}, wanted {}", out.status.code(), c.code));
        }
        if all.contains("panicked") {
            wrong.push("panic text".to_string());
        }
        if c.span && !has_position(&all) {
            wrong.push("no line:col".to_string());
        }
        if !wrong.is_empty() {
            failures.push(format!("{}: {}\n{all:.600}", c.name, wrong.join(", ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Whether the output names a position: `file:LINE:COL` in a diagnostic, or JSON line and
/// column fields.
fn has_position(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len()).any(|i| {
        bytes[i] == b':'
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
    }) || text.contains("\"line\"")
}

const STATEMENT: &str = r#"{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*"}"#;

fn rest(statement: &str) -> String {
    format!(
        r#"{{"principalId":"u","policyDocument":{{"Version":"2012-10-17","Statement":[{statement}]}},"context":{{"a":"b"}}}}"#
    )
}

#[test]
fn truncated_and_invalid_json() {
    let full = rest(STATEMENT);
    let mut cases: Vec<Case> = (1..full.len())
        .step_by(7)
        .map(|n| case(format!("truncated at {n}"), &full.as_bytes()[..n], 2, true))
        .collect();
    for (name, text) in [
        ("trailing comma", r#"{"Statement":[],}"#),
        ("single quotes", r#"{'Statement':[]}"#),
        ("comment", "{\"Statement\":[] /* c */}"),
        ("NaN", r#"{"principalId":NaN}"#),
        ("bare word", "allow"),
        ("two documents", "{} {}"),
        ("unclosed string", r#"{"a":"b}"#),
        ("control char in string", "{\"a\":\"\u{1}\"}"),
        ("bad escape", r#"{"a":"\q"}"#),
        ("lone high surrogate", r#"{"principalId":"\ud800"}"#),
        ("lone low surrogate", r#"{"principalId":"\udc00"}"#),
        ("hex number", r#"{"principalId":0x10}"#),
        ("leading zero", r#"{"principalId":01}"#),
    ] {
        cases.push(case(name, text, 2, true));
    }
    cases.push(case("empty", "", 2, false));
    cases.push(case("white space", " \n\t ", 2, false));
    cases.push(case("BOM", b"\xef\xbb\xbf{}".to_vec(), 2, false));
    cases.push(case("not UTF-8", b"{\"a\":\"\xff\"}".to_vec(), 2, false));
    cases.push(case("NUL", b"{\"a\":\0}".to_vec(), 2, true));
    cases.push(case(
        "overlong UTF-8",
        b"{\"a\":\"\xc0\xaf\"}".to_vec(),
        2,
        false,
    ));
    run_all(&cases);
}

/// Every wrong type in every position of a REST response gives exit 3 (malformed) or, for
/// the positions API Gateway tolerates, a decision; never a crash.
/// Puts a value at one position of a REST response.
type Wrap = fn(&str) -> String;

#[test]
fn every_wrong_type_in_every_position() {
    let wrong = ["null", "true", "1", "1e400", "\"s\"", "[]", "{}", "[1,2]"];
    let positions: &[(&str, Wrap)] = &[
        ("root", |v| v.to_string()),
        ("principalId", |v| {
            format!(
                r#"{{"principalId":{v},"policyDocument":{{"Version":"2012-10-17","Statement":[{STATEMENT}]}}}}"#
            )
        }),
        ("policyDocument", |v| {
            format!(r#"{{"principalId":"u","policyDocument":{v}}}"#)
        }),
        ("Statement", |v| {
            format!(
                r#"{{"principalId":"u","policyDocument":{{"Version":"2012-10-17","Statement":{v}}}}}"#
            )
        }),
        ("statement", |v| rest(v)),
        ("Effect", |v| {
            rest(&format!(
                r#"{{"Effect":{v},"Action":"execute-api:Invoke","Resource":"*"}}"#
            ))
        }),
        ("Action", |v| {
            rest(&format!(
                r#"{{"Effect":"Allow","Action":{v},"Resource":"*"}}"#
            ))
        }),
        ("Resource", |v| {
            rest(&format!(
                r#"{{"Effect":"Allow","Action":"execute-api:Invoke","Resource":{v}}}"#
            ))
        }),
        ("Condition", |v| {
            rest(&format!(
                r#"{{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{v}}}"#
            ))
        }),
        ("context", |v| {
            format!(
                r#"{{"principalId":"u","policyDocument":{{"Version":"2012-10-17","Statement":[{STATEMENT}]}},"context":{v}}}"#
            )
        }),
        ("context value", |v| {
            format!(
                r#"{{"principalId":"u","policyDocument":{{"Version":"2012-10-17","Statement":[{STATEMENT}]}},"context":{{"k":{v}}}}}"#
            )
        }),
        ("usageIdentifierKey", |v| {
            format!(
                r#"{{"principalId":"u","policyDocument":{{"Version":"2012-10-17","Statement":[{STATEMENT}]}},"usageIdentifierKey":{v}}}"#
            )
        }),
        ("isAuthorized", |v| format!(r#"{{"isAuthorized":{v}}}"#)),
    ];
    let mut failures = Vec::new();
    for (position, make) in positions {
        for v in wrong {
            let input = make(v);
            let out = guarded()
                .args(["-", "GET", "/things"])
                .args(PINS)
                .write_stdin(input.clone())
                .output()
                .unwrap();
            let (stdout, stderr) = texts(&out);
            let code = out.status.code();
            // 0/1 decisions, 2 not an authorizer output, 3 malformed: never anything else.
            let ok = matches!(code, Some(0..=3)) && !stderr.contains("panicked");
            // Malformed and unreadable answers point at the culprit.
            let pointed =
                !matches!(code, Some(2 | 3)) || has_position(&format!("{stdout}{stderr}"));
            if !ok || !pointed {
                failures.push(format!(
                    "{position} = {v}: exit {code:?}\n{stdout}{stderr:.400}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn sizes_nesting_numbers_and_duplicates() {
    let mut cases = Vec::new();
    let nest = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    for n in [126, 127] {
        // Parses (serde_json's limit) but is no authorizer output: exit 2 or 3, never a crash.
        let mut c = case(format!("nesting {n}"), nest(n), 3, true);
        c.code = 3;
        cases.push(c);
    }
    for n in [128, 10_000] {
        cases.push(case(format!("nesting {n}"), nest(n), 2, true));
    }
    cases.push(case(
        "nesting 10,000 objects",
        format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)),
        2,
        true,
    ));
    let huge = "x".repeat(5_000_000);
    cases.push(case(
        "5 MB principalId",
        format!(
            r#"{{"principalId":"{huge}","policyDocument":{{"Version":"2012-10-17","Statement":[{STATEMENT}]}}}}"#
        ),
        0,
        false,
    ));
    cases.push(case(
        "100,000 statements",
        rest(&vec![STATEMENT; 100_000].join(",")),
        0,
        false,
    ));
    cases.push(case(
        "1e400 as principalId",
        format!(
            r#"{{"principalId":1e400,"policyDocument":{{"Version":"2012-10-17","Statement":[{STATEMENT}]}}}}"#
        ),
        2,
        true,
    ));
    cases.push(case(
        "duplicate Effect, last wins",
        rest(r#"{"Effect":"Deny","Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}"#),
        0,
        false,
    ));
    cases.push(case(
        "duplicate policyDocument",
        r#"{"principalId":"u","policyDocument":{},"policyDocument":{"Statement":[]}}"#,
        1,
        false,
    ));
    cases.push(case(
        "NUL inside a string value",
        rest(r#"{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/\u0000"}"#),
        1,
        false,
    ));
    run_all(&cases);
}

/// Adversarial wildcards in every ARN field, with every part left unpinned: an answer or a
/// prompt "too intricate" (exit 2), never a hang.
#[test]
fn adversarial_wildcards_in_every_field_unpinned() {
    let runs = [
        "*a".repeat(3_000),
        "?*".repeat(3_000),
        "*".repeat(20_000),
        format!("{}b", "a*".repeat(2_000)),
    ];
    let mut cases = Vec::new();
    for (k, run) in runs.iter().enumerate() {
        let fields = [
            format!("arn:{run}:execute-api:us-east-1:123456789012:abc123/prod/GET/x"),
            format!("arn:aws:execute-api:{run}:123456789012:abc123/prod/GET/x"),
            format!("arn:aws:execute-api:us-east-1:{run}:abc123/prod/GET/x"),
            format!("arn:aws:execute-api:us-east-1:123456789012:{run}/prod/GET/x"),
            format!("arn:aws:execute-api:us-east-1:123456789012:abc123/{run}/GET/x"),
            format!("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/{run}/x"),
            format!("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/{run}"),
            format!("arn:aws:execute-api:{run}"),
        ];
        for (f, resource) in fields.iter().enumerate() {
            for pinned in [false, true] {
                let statement = format!(
                    r#"{{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"{resource}"}}"#
                );
                let mut c = case(
                    format!("run {k} field {f} pinned {pinned}"),
                    rest(&statement),
                    0,
                    false,
                );
                c.args = vec!["-".into(), "GET".into(), "/x".into()];
                if pinned {
                    c.args.extend(PINS.iter().map(|s| s.to_string()));
                }
                cases.push(c);
            }
        }
    }
    let mut failures = Vec::new();
    for c in &cases {
        let out = guarded()
            .args(&c.args)
            .write_stdin(c.input.clone())
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&out);
        let code = out.status.code();
        let fine = match code {
            Some(0 | 1) => true,
            Some(2) => stderr.contains("too intricate"),
            _ => false,
        };
        if !fine || stderr.contains("panicked") {
            failures.push(format!(
                "{}: exit {code:?}\n{stdout:.300}{stderr:.300}",
                c.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn odd_requests_and_arns() {
    let input = rest(STATEMENT);
    let mut cases = Vec::new();
    let long_arn = format!(
        "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/{}",
        "a".repeat(100_000)
    );
    for (name, args, code) in [
        ("very long ARN", vec!["--arn", &long_arn], 0),
        (
            "empty verb",
            vec!["--arn", "arn:aws:execute-api:us-east-1:1:abc123/prod//x"],
            2,
        ),
        (
            "wildcard ARN",
            vec!["--arn", "arn:aws:execute-api:us-east-1:1:abc123/*/GET/x"],
            2,
        ),
        (
            "tab in ARN",
            vec![
                "--arn",
                "arn:aws:execute-api:us-east-1:1:abc123/prod/GET/\tx",
            ],
            2,
        ),
        ("short ARN", vec!["--arn", "arn:aws:execute-api"], 2),
        ("not an ARN", vec!["--arn", "hello"], 2),
        ("empty ARN", vec!["--arn", ""], 2),
        (
            "lambda ARN",
            vec!["--arn", "arn:aws:lambda:us-east-1:1:function:f"],
            2,
        ),
        ("path without slash", vec!["GET", "things"], 2),
        ("empty method", vec!["", "/things"], 2),
        ("method with slash", vec!["G/T", "/things"], 2),
        ("method with colon", vec!["G:T", "/things"], 2),
        ("unicode path", vec!["GET", "/thïngs/😀"], 0),
        ("path with specials", vec!["GET", "/a*b?c[d]{e}"], 0),
        ("path with percent", vec!["GET", "/%2F%00"], 0),
        ("empty stage pin", vec!["GET", "/x", "--stage", ""], 2),
        ("stage with slash", vec!["GET", "/x", "--stage", "a/b"], 2),
        (
            "region with colon",
            vec!["GET", "/x", "--region", "us:east"],
            2,
        ),
        (
            "long path",
            vec!["GET", &format!("/{}", "p/".repeat(50_000))],
            0,
        ),
    ] {
        let mut c = case(name, input.clone(), code, false);
        c.args = vec!["-".to_string()];
        c.args.extend(args.iter().map(|s| s.to_string()));
        if !args.contains(&"--arn") {
            c.args.extend(
                PINS.iter()
                    .filter(|p| !args.contains(p))
                    .map(|s| s.to_string()),
            );
            // A pin given twice is a usage error of its own: keep the case's pin only.
            if args.contains(&"--stage") || args.contains(&"--region") {
                c.args = vec!["-".to_string()];
                c.args.extend(args.iter().map(|s| s.to_string()));
            }
        }
        cases.push(c);
    }
    run_all(&cases);
}

#[test]
fn bad_fixture_files() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out.json");
    std::fs::write(&output, rest(STATEMENT)).unwrap();
    let fixtures = [
        ("not JSON", "{", true),
        ("array", "[]", true),
        (
            "unknown key",
            r#"{"output":"out.json","cases":[],"bogus":1}"#,
            true,
        ),
        ("missing output", r#"{"cases":[]}"#, true),
        (
            "output missing file",
            r#"{"output":"nope.json","cases":[]}"#,
            true,
        ),
        ("output a directory", r#"{"output":".","cases":[]}"#, true),
        (
            "cases not array",
            r#"{"output":"out.json","cases":{}}"#,
            true,
        ),
        (
            "case not object",
            r#"{"output":"out.json","cases":[1]}"#,
            true,
        ),
        (
            "bad expect",
            r#"{"output":"out.json","cases":[{"request":"GET /x","expect":"maybe"}]}"#,
            true,
        ),
        (
            "bad request",
            r#"{"output":"out.json","cases":[{"request":"GET","expect":"allow"}]}"#,
            true,
        ),
        (
            "bad arn",
            r#"{"output":"out.json","cases":[{"arn":"arn:x","expect":"allow"}]}"#,
            true,
        ),
        (
            "empty verb arn",
            r#"{"output":"out.json","cases":[{"arn":"arn:aws:execute-api:us-east-1:1:a/prod//x","expect":"allow"}]}"#,
            true,
        ),
        (
            "bad pin",
            r#"{"output":"out.json","defaults":{"stage":"a/b"},"cases":[{"request":"GET /x","expect":"allow"}]}"#,
            true,
        ),
        (
            "bad lint_clean",
            r#"{"output":"out.json","lint_clean":"loud","cases":[]}"#,
            true,
        ),
        ("BOM", "\u{feff}{}", false),
        (
            "nesting",
            &format!(
                r#"{{"output":"out.json","cases":{}{}}}"#,
                "[".repeat(200),
                "]".repeat(200)
            ),
            true,
        ),
    ];
    let mut failures = Vec::new();
    for (name, text, span) in fixtures {
        let path = dir.path().join("f.test.json");
        std::fs::write(&path, text).unwrap();
        let out = guarded().arg("test").arg(&path).output().unwrap();
        failures.extend(cannot_answer(name, &out, span));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// What is wrong with `out` for a case that must be exit 2, with a position if `span`.
fn cannot_answer(name: &str, out: &std::process::Output, span: bool) -> Option<String> {
    let (stdout, stderr) = texts(out);
    let all = format!("{stdout}{stderr}");
    let bad =
        out.status.code() != Some(2) || all.contains("panicked") || (span && !has_position(&all));
    bad.then(|| format!("{name}: exit {:?}\n{all:.500}", out.status.code()))
}

#[test]
fn bad_configs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), rest(STATEMENT)).unwrap();
    let configs = [
        ("not TOML", "[rules", true),
        ("unknown key", "colour = 1\n", true),
        ("unknown rule", "[rules]\nPC999 = \"off\"\n", true),
        ("bad level", "[rules]\nPC001 = \"loud\"\n", true),
        ("bad fail-level", "fail-level = \"fatal\"\n", true),
        ("bad glob", "[ignore]\npaths = [\"a[\"]\n", true),
        ("paths not array", "[ignore]\npaths = \"x\"\n", true),
        ("NUL", "fail-level = \"\0\"\n", true),
        ("not UTF-8", "fail-level = \"\u{ff}\"", false),
    ];
    let mut failures = Vec::new();
    for (name, text, span) in configs {
        let path = dir.path().join("c.toml");
        let bytes: Vec<u8> = if name == "not UTF-8" {
            b"fail-level = \"\xff\"".to_vec()
        } else {
            text.as_bytes().to_vec()
        };
        std::fs::write(&path, bytes).unwrap();
        let out = guarded()
            .arg("lint")
            .arg("--config")
            .arg(&path)
            .arg(dir.path().join("a.json"))
            .output()
            .unwrap();
        failures.extend(cannot_answer(name, &out, span));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// FIFOs, symlink loops and odd file names in walked trees: lint and test finish, read
/// each regular file once, and report every name as valid JSON.
#[test]
fn hostile_trees() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("ok.json"), rest(STATEMENT)).unwrap();
    for name in [
        &b"caf\xe9.json"[..],
        b"sp ace.json",
        b"q\"uote.json",
        b"br{ace}.json",
        b"lt<gt>.json",
        b"pipe|caret^tick`.json",
        b"pct%41.json",
        b"new\nline.json",
        b"esc\x1b[2J.json",
    ] {
        std::fs::write(d.join(std::ffi::OsStr::from_bytes(name)), rest(STATEMENT)).unwrap();
    }
    let status = std::process::Command::new("mkfifo")
        .arg(d.join("fifo.json"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink(".", d.join("loop")).unwrap();
    std::os::unix::fs::symlink("missing.json", d.join("dangling.json")).unwrap();
    std::os::unix::fs::symlink("self.json", d.join("self.json")).unwrap();
    for format in ["json", "human"] {
        let out = guarded()
            .arg("lint")
            .arg(d)
            .args(["--format", format])
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&out);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{stdout}{stderr}");
        assert!(!stderr.contains("panicked"));
        if format == "json" {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
            assert_eq!(v["summary"]["files"], 10, "{v}");
        }
    }
    let out = guarded()
        .current_dir(d)
        .args(["lint", "**/*.json", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["summary"]["files"], 10, "{v}");
    let out = guarded().arg("test").arg(d).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "no fixtures here");
}

/// A closed stdout (`| head -0`) is no error and no panic, for every subcommand.
#[test]
fn closed_stdout() {
    for args in [
        vec!["policies/allow.json", "GET", "/things"],
        vec!["lint", "policies"],
        vec!["test", "policies"],
        vec!["rules"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("policy-check"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // closed before anything is written
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
}
