//! Regression tests for issue 11 (reliability): each test reproduces one finding and failed
//! before its fix. Commands run under a watchdog, so a hang fails instead of blocking CI.

use crate::common;

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use common::{PINS, allows, guarded, texts};
use serde_json::Value;

/// Pins for every part but the stage.
const STAGE_OPEN: [&str; 8] = [
    "--partition",
    "aws",
    "--region",
    "us-east-1",
    "--account",
    "123456789012",
    "--api-id",
    "a",
];

fn write(dir: &Path, name: impl AsRef<Path>, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn fifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

const ALLOW: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*"}]}"#;

/// Finding 1: `*a` × 50,000 in the stage slot, stage unpinned (before: over 30 s, 5 GB).
#[test]
fn long_wildcard_run_in_an_unpinned_stage_is_too_intricate() {
    for n in [5_000, 50_000] {
        let input = allows([format!(
            "arn:aws:execute-api:us-east-1:123456789012:a/{}/GET/x",
            "*a".repeat(n)
        )]);
        let out = guarded()
            .args(["-", "GET", "/x"])
            .args(STAGE_OPEN)
            .write_stdin(input.clone())
            .output()
            .unwrap();
        let (_, err) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("too intricate to analyse"), "{err}");
        assert!(err.contains("pin the stage"), "{err}");
        // Pinned, it is answered.
        guarded()
            .args(["-", "GET", "/x"])
            .args(PINS)
            .write_stdin(input)
            .assert()
            .code(1);
    }
}

/// Finding 3: 100,000 distinct patterns for the stage (before: over 20 s in `intern`).
#[test]
fn a_hundred_thousand_stage_patterns_are_too_intricate_promptly() {
    let input = allows(
        (0..100_000).map(|i| format!("arn:aws:execute-api:us-east-1:123456789012:a/s{i}*/GET/x")),
    );
    let out = guarded()
        .args(["-", "GET", "/x"])
        .args(STAGE_OPEN)
        .write_stdin(input)
        .output()
        .unwrap();
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("too intricate to analyse"), "{err}");
}

/// Finding 2: lint of 10,000 distinct statements (before: over a minute, pairwise
/// comparisons allocating).
#[test]
fn lint_of_ten_thousand_statements_finishes() {
    let input = allows(
        (0..10_000).map(|i| format!("arn:aws:execute-api:us-east-1:123456789012:a/prod/GET/p{i}")),
    );
    let out = guarded()
        .args(["lint", "-", "--format", "json"])
        .write_stdin(input)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{v}");
    // Still exact where it matters: a redundant statement among the many is found.
    let mut res: Vec<String> = (0..300)
        .map(|i| format!("arn:aws:execute-api:us-east-1:123456789012:a/prod/GET/p{i}"))
        .collect();
    res.push("arn:aws:execute-api:us-east-1:123456789012:a/prod/GET/p1*".into());
    let out = guarded()
        .args(["lint", "-", "--format", "json"])
        .write_stdin(allows(res))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("\"PC051\"").count(), 111, "{text:.2000}");
}

/// Finding 4: a FIFO named like an input in a linted or tested directory (before: hung).
#[test]
fn fifos_in_walked_trees_are_skipped_and_explicit_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.json", ALLOW);
    fifo(&dir.path().join("pipe.json"));
    fifo(&dir.path().join("pipe.test.json"));
    let out = guarded()
        .arg("lint")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 1, "{v}");
    let out = guarded().arg("test").arg(dir.path()).output().unwrap();
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no fixture file") || err.contains("fixture"),
        "{err}"
    );
    for cmd in ["lint", "test"] {
        let out = guarded()
            .arg(cmd)
            .arg(dir.path().join("pipe.json"))
            .output()
            .unwrap();
        let (_, err) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("is not a regular file"), "{err}");
    }
}

/// Finding 5: quoted `**` globs and directory symlinks to `.` and `..` (before: the same
/// file 41 times, or no end).
#[test]
fn globs_do_not_follow_directory_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g");
    write(&g, "a.json", ALLOW);
    write(&g, "sub/b.json", ALLOW);
    std::os::unix::fs::symlink(".", g.join("self")).unwrap();
    std::os::unix::fs::symlink("..", g.join("sub/up")).unwrap();
    let out = guarded()
        .current_dir(dir.path())
        .args(["lint", "g/**/*.json", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 2, "{v}");
    let out = guarded()
        .current_dir(dir.path())
        .args(["lint", "g", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 2, "{v}");
}

/// Finding 7: `[ignore] paths` are relative to the configuration file, from any working
/// directory (before: ignored from the root, linted from a subdirectory).
#[test]
fn ignore_paths_are_relative_to_the_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".policy-check.toml",
        "[ignore]\npaths = [\"gen/**\"]\n",
    );
    // Never allows anything: a finding if linted.
    write(
        dir.path(),
        "gen/x.json",
        r#"{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET"}]}"#,
    );
    for (cwd, arg) in [(".", "gen"), ("gen", "."), ("gen", "x.json")] {
        let out = guarded()
            .current_dir(dir.path().join(cwd))
            .args(["lint", arg, "--format", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["summary"]["ignored"], 1, "from {cwd}: {v}");
    }
}

/// Finding 10: a method ARN of exactly 1600 bytes is within the limit (before: reported
/// one byte longer than it is).
#[test]
fn method_arn_length_is_exact() {
    let head = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/";
    for (len, over) in [(1600, false), (1601, true)] {
        let arn = format!("{head}{}", "a".repeat(len - head.len()));
        assert_eq!(arn.len(), len);
        let out = guarded()
            .args(["policies/allow.json", "--arn", &arn, "--format", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let notes = v["notes"].to_string();
        assert_eq!(notes.contains("414"), over, "{len}: {notes}");
        if over {
            assert!(notes.contains("1601 bytes"), "{notes}");
        }
    }
}

/// Finding 11: `--arn` with an empty verb, wildcards or spaces is no request (before: the
/// empty verb was "allowed").
#[test]
fn impossible_request_arns_are_refused() {
    let base = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod";
    for (tail, says) in [
        ("//things", "HTTP verb"),
        ("/G T/things", "whitespace"),
        ("/GET/*", "wildcard"),
        ("/GET/thing?", "wildcard"),
    ] {
        let out = guarded()
            .args(["policies/allow.json", "--arn", &format!("{base}{tail}")])
            .output()
            .unwrap();
        let (_, err) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{tail}: {err}");
        assert!(err.contains(says), "{tail}: {err}");
    }
}

/// Finding 12: a file whose name is not UTF-8, inside a linted directory (before: re-opened
/// through a lossy display string, so never read).
#[test]
fn non_utf8_file_names_in_a_directory_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.json");
    write(dir.path(), name, ALLOW);
    let out = guarded()
        .arg("lint")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(v["summary"]["files"], 1, "{v}");
    assert_eq!(v["summary"]["unreadable"], 0, "{v}");
}

/// Finding 15: inputs are capped at 64 MiB: files, stdin and a fixture's `output`
/// (before: `/dev/zero` read until memory ran out).
#[test]
fn endless_inputs_stop_at_the_size_cap() {
    let out = guarded().args(["/dev/zero", "GET", "/x"]).output().unwrap();
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("larger than 64 MiB"), "{err}");
    // A real endless stream (`pipe_stdin` would read the file into memory first), so the
    // watchdog is by hand.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("policy-check"))
        .args(["-", "GET", "/x"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > common::WATCHDOG {
            child.kill().unwrap();
            panic!("reading endless stdin did not stop");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("<stdin>` is larger than 64 MiB"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "zero.test.json",
        r#"{"output": "/dev/zero", "cases": [{"request": "GET /x", "expect": "allow"}]}"#,
    );
    let out = guarded()
        .arg("test")
        .arg(dir.path().join("zero.test.json"))
        .output()
        .unwrap();
    let (out_text, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{out_text}{err}");
    assert!(
        format!("{out_text}{err}").contains("larger than 64 MiB"),
        "{out_text}{err}"
    );
}

/// check, lint and test on a read-only copy of the examples write nothing (issue 11, §6).
#[test]
fn a_read_only_tree_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("policies");
    std::fs::create_dir(&tree).unwrap();
    for entry in std::fs::read_dir("policies").unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, tree.join(path.file_name().unwrap())).unwrap();
        }
    }
    let listing = |p: &Path| {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                (path.display().to_string(), std::fs::read(&path).unwrap())
            })
            .collect();
        v.sort();
        v
    };
    let before = listing(&tree);
    let set_readonly = |ro: bool| {
        for p in std::fs::read_dir(&tree)
            .unwrap()
            .map(|e| e.unwrap().path())
            .chain([tree.clone()])
        {
            let mut perm = std::fs::metadata(&p).unwrap().permissions();
            perm.set_readonly(ro);
            std::fs::set_permissions(&p, perm).unwrap();
        }
    };
    set_readonly(true);
    let runs: [&[&str]; 4] = [
        &["policies/allow.json", "GET", "/things"],
        &["lint", "policies"],
        &["lint", "policies", "--format", "sarif"],
        &["test", "policies"],
    ];
    for args in runs {
        let out = guarded()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            texts(&out).1
        );
    }
    set_readonly(false);
    assert_eq!(listing(&tree), before);
    let top: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(top.len(), 1, "nothing written beside the tree");
}

/// The previous fuzzing round: lint of a minified policy with 1,000 dead Allow statements
/// (account `1`) exited 101, a panic inside miette ("Formatting argument out of range") when
/// a label sat past column 65,535. Now each finding is drawn around its label, PC053 shows
/// at most 8 secondary labels and counts the rest.
#[test]
fn a_thousand_dead_statements_on_one_line_lint_without_panic() {
    let dir = tempfile::tempdir().unwrap();
    let policy =
        allows((0..1000).map(|i| format!("arn:aws:execute-api:us-east-1:1:abc/prod/GET/p{i}")));
    assert_eq!(policy.lines().count(), 1);
    write(dir.path(), "dead.json", &policy);
    let out = guarded()
        .current_dir(dir.path())
        .args(["lint", "dead.json"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stdout.contains("PC053 never-allows"), "{stdout}");
    assert!(
        stdout.contains(
            "992 more labelled places are not shown here (--format json lists every label)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("1000 errors, 1 warning"), "{stdout}");
    let longest = stdout.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 400, "longest line: {longest} characters");
    // A label past column 65,535 inside one long string (the account field after a 70 KB
    // region) stays on a long line even re-indented: it is drawn as a window.
    let resource = format!(
        "arn:aws:execute-api:{}:1:abc/prod/GET/x",
        "r".repeat(70_000)
    );
    write(dir.path(), "far.json", &allows([resource]));
    let out = guarded()
        .current_dir(dir.path())
        .args(["lint", "far.json"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.contains("`1` is not an account id"), "{stdout}");
    assert!(stdout.contains("╰── not an account id"), "{stdout}");
    assert!(stdout.contains("rrrrrrrr:1:abc/prod/GET/x\""), "{stdout}");
    assert!(stdout.len() < 16 * 1024, "{} bytes", stdout.len());
}

/// Finding 16: a 10 MB Resource gave 55 MB of check output and 90 MB of lint output (the
/// line, a 10-million-character underline and a label quoting the value).
#[test]
fn a_ten_megabyte_resource_gives_small_output() {
    let dir = tempfile::tempdir().unwrap();
    let resource = format!(
        "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/{}",
        "a".repeat(10_000_000)
    );
    let policy = serde_json::to_string_pretty(&serde_json::json!({
        "principalId": "u",
        "policyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": resource}]}
    }))
    .unwrap();
    write(dir.path(), "big.json", &policy);
    for args in [
        &["big.json", "GET", "/things"][..],
        &["big.json", "GET", "/things", "--stage", "prod"][..],
        &["lint", "big.json"][..],
    ] {
        let out = guarded()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            out.stdout.len() + out.stderr.len() < 64 * 1024,
            "{args:?}: {} bytes",
            out.stdout.len() + out.stderr.len()
        );
        // The snippet still shows where the Resource is, cut around its ends.
        assert!(
            stdout.contains(r#""Resource": "arn:aws:execute-api:us-east-1:123456789012:abc1"#)
                && stdout.contains("…aaaaaaaaaaaaaaaaaaaa")
                && stdout.contains("aaaaaaaaaaaaaaaaaaaa\"\n"),
            "{args:?}: {stdout}"
        );
    }
}

/// Found by the `lint` fuzz target: a file named `//dir/a.json` (the same file as
/// `/dir/a.json`) gave the SARIF URI `//dir/a.json`, a network-path reference naming the host
/// `dir`.
#[test]
fn sarif_uri_of_a_double_slash_path_names_no_host() {
    let dir = tempfile::tempdir().unwrap();
    // One finding (PC054), so one result carries the URI.
    let policy = std::fs::read_to_string("policies/allow.json").unwrap();
    write(dir.path(), "a.json", &policy);
    let file = format!("/{}", dir.path().join("a.json").display());
    assert!(file.starts_with("//"));
    let out = guarded()
        .args(["lint", "--format", "sarif", &file])
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(!uris.is_empty(), "{log}");
    for uri in uris {
        assert_eq!(uri, &file[1..], "{log}");
    }
}

/// Found by the `target` fuzz target: a method that is no HTTP token (`GE"X"T`) was
/// evaluated, though its method ARN is one `--arn` refuses; so was a method starting with `$`,
/// whose ARN reads as a WebSocket route key (`$TG/`). Both are now refused.
#[test]
fn a_method_that_is_no_http_token_is_refused() {
    for method in ["GE\"X\"T", "GET(", "G@T", "GÉT", "$TG", "$connect"] {
        let out = guarded()
            .args(["policies/allow.json", method, "/things"])
            .output()
            .unwrap();
        let (_, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{method}: {stderr}");
        assert!(
            stderr.contains("is not an HTTP method"),
            "{method}: {stderr}"
        );
    }
}

/// Found by the `target` fuzz target: `check` and `request` read invoke URLs differently. A
/// `#fragment` (never sent to the server) ended up in `check`'s stage or path, and a query
/// string holding `/` right after the stage (`/prod?next=/admin`) moved into `check`'s path.
/// Both now share one reader.
#[test]
fn invoke_url_fragments_and_queries_are_not_the_path() {
    for (url, stage, path) in [
        (
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod#top/things",
            "prod",
            "/",
        ),
        (
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod/things#a/b",
            "prod",
            "/things",
        ),
        (
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod?next=/admin",
            "prod",
            "/",
        ),
        (
            "https://ABC123.execute-api.us-east-1.amazonaws.com/prod/things?x=1",
            "prod",
            "/things",
        ),
    ] {
        let out = guarded()
            .args(["policies/allow.json", "GET", url, "--format", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["request"]["parts"]["stage"], stage, "{url}: {v}");
        assert_eq!(v["request"]["path"], path, "{url}: {v}");
        assert_eq!(v["request"]["parts"]["api_id"], "abc123", "{url}: {v}");
    }
}

/// A Deny on `…/items/N/*` in every seventh of 3,000 statements made PC043 compare every
/// Deny entry with every Deny and Allow entry, with no budget: 13,000 statements took 61 s
/// in a release build. Now PC043 shares the pairwise rules' budget; and `check` of a policy
/// over 500 statements no longer lints it at all (it says so and points at `lint`).
#[test]
fn many_denies_with_prefix_holes_lint_within_the_budget() {
    let statements: Vec<String> = (0..3_000)
        .map(|i| {
            let effect = if i % 7 == 3 { "Deny" } else { "Allow" };
            let resources: Vec<String> = (0..5)
                .map(|r| {
                    format!(
                        "\"arn:aws:execute-api:us-east-1:123456789012:api{i}/prod/GET/items/{r}/*\""
                    )
                })
                .collect();
            format!(
                r#"{{"Effect": "{effect}", "Action": "execute-api:Invoke", "Resource": [{}]}}"#,
                resources.join(", ")
            )
        })
        .collect();
    let policy = format!(
        r#"{{"principalId": "u", "policyDocument": {{"Version": "2012-10-17", "Statement": [{}]}}}}"#,
        statements.join(",\n")
    );
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "big.json", &policy);
    // A debug build spends the budget in about 16 s: the 60 s timeout of `cmd` still fails
    // the quadratic version (minutes), and a loaded machine does not make this flaky.
    let out = common::cmd()
        .current_dir(dir.path())
        .args(["lint", "big.json"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let out = guarded()
        .current_dir(dir.path())
        .args(["big.json", "GET", "/items/1"])
        .args(PINS)
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "lint findings are not gathered here for a policy of 3000 statements (over 500)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("run `policy-check lint big.json`"),
        "{stdout}"
    );
}

/// 50,000 literal Resource entries with the stage unpinned answered "too intricate" (exit 2):
/// solving each entry against the request spent the shared budget. An entry whose literal
/// end cannot end the request's ARN is now rejected by a compare, as one whose literal start
/// disagrees already was.
#[test]
fn many_literal_entries_with_the_stage_unpinned_are_answered() {
    let statements: Vec<String> = (0..500)
        .map(|i| {
            let resources: Vec<String> = (0..100)
                .map(|j| {
                    format!("\"arn:aws:execute-api:us-east-1:123456789012:a/prod/GET/s{i}/r{j}\"")
                })
                .collect();
            format!(
                r#"{{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": [{}]}}"#,
                resources.join(", ")
            )
        })
        .collect();
    let policy = format!(
        r#"{{"principalId": "u", "policyDocument": {{"Version": "2012-10-17", "Statement": [{}]}}}}"#,
        statements.join(",\n")
    );
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "wide.json", &policy);
    let run = |path: &str| {
        let out = guarded()
            .current_dir(dir.path())
            .args(["wide.json", "GET", path])
            .args(["--partition", "aws", "--region", "us-east-1"])
            .args(["--account", "123456789012"])
            .args(["--api-id", "a", "--format", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", texts(&out).0));
        // The decision alone: the whole document is megabytes.
        let decision = v["decision"].as_str().unwrap_or("").to_string();
        let first_case = v["cases"][0]["description"]
            .as_str()
            .unwrap_or("")
            .to_string();
        (out.status.code(), decision, first_case)
    };
    assert_eq!(
        run("/p1/x"),
        (Some(1), "implicit_deny".to_string(), String::new())
    );
    assert_eq!(
        run("/s499/r99"),
        (
            Some(1),
            "depends".to_string(),
            "stage is `prod`".to_string()
        )
    );
}
