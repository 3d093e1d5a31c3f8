//! The README's examples, run: every ```console block is a transcript (`$ command`, then the
//! exact stdout), so the documentation cannot drift from the tool.
//!
//! Conventions in those blocks: a command ending in `# exits N` must exit with N (else 0); a
//! line holding only `…` in the output stands for any number of lines. Hand-written (about
//! 60 lines) rather than trycmd: these two conventions keep the README readable, and the
//! transcript format needs nothing more.

use std::path::Path;
use std::process::Command;

/// One `$ command` with its expected exit code and output.
struct Example {
    line: usize,
    command: String,
    exit: i32,
    expected: Vec<String>,
}

fn examples(markdown: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_block = false;
    let mut continuing = false;
    // A block inside a list item is indented: its lines lose the fence's indentation.
    let mut indent = 0;
    for (i, raw) in markdown.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.starts_with("```") {
            in_block = trimmed == "```console";
            indent = raw.len() - trimmed.len();
            continuing = false;
            continue;
        }
        if !in_block {
            continue;
        }
        let line = raw.get(indent..).unwrap_or(raw.trim_start());
        if let Some(cmd) = line.strip_prefix("$ ") {
            out.push(Example {
                line: i + 1,
                command: cmd.to_string(),
                exit: 0,
                expected: Vec::new(),
            });
            continuing = cmd.ends_with('\\');
        } else if let Some(ex) = out.last_mut() {
            if continuing {
                ex.command.push('\n');
                ex.command.push_str(line);
                continuing = line.ends_with('\\');
            } else {
                ex.expected.push(line.trim_end().to_string());
            }
        }
    }
    for ex in &mut out {
        if let Some((cmd, code)) = ex.command.rsplit_once("# exits ") {
            ex.exit = code.trim().parse().expect("`# exits N` takes a number");
            ex.command = cmd.trim_end().to_string();
        }
    }
    out
}

/// Whether `actual` matches `expected`, where a `…` line matches any run of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e == "…" => (0..=actual.len()).any(|k| matches(rest, &actual[k..])),
        Some((e, rest)) => actual
            .split_first()
            .is_some_and(|(a, more)| a.trim_end() == e && matches(rest, more)),
    }
}

#[test]
fn readme_examples_run_as_shown() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let bin = Path::new(env!("CARGO_BIN_EXE_policy-check"));
    let path = format!(
        "{}:{}",
        bin.parent()
            .expect("the binary is in a directory")
            .display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let all = examples(&readme);
    assert!(
        all.len() >= 5,
        "the README has {} console examples",
        all.len()
    );
    let mut failures = Vec::new();
    for ex in &all {
        let out = Command::new("sh")
            .arg("-c")
            .arg(&ex.command)
            .current_dir(root)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env_remove("FORCE_COLOR")
            .output()
            .expect("sh runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let actual: Vec<&str> = stdout.lines().collect();
        let mut expected = ex.expected.clone();
        while expected.last().is_some_and(String::is_empty) {
            expected.pop();
        }
        let code = out.status.code().unwrap_or(-1);
        if code != ex.exit || !matches(&expected, &actual) {
            failures.push(format!(
                "README.md:{}: `{}` exited {code} (expected {}); its output:\n{stdout}{}",
                ex.line,
                ex.command,
                ex.exit,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_transcript_matcher_understands_ellipses() {
    let e = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(matches(&e(&["a", "…", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&e(&["a", "…"]), &["a"]));
    assert!(!matches(&e(&["a", "…", "d"]), &["a", "b"]));
    assert!(!matches(&e(&["a"]), &["a", "b"]));
}
