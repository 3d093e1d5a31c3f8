//! `policy-check test`: run fixture files and report `ok` / `FAILED` per case, ending with
//! the line `N passed, N failed`.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use policy_check::fixture::{CaseResult, Fixture, SUFFIX, run_case};
use policy_check::report::{CheckReport, Style, human, render};
use policy_check::{InputError, Source};

use super::output::{self, read_input};
use super::{Exit, StyleArgs};

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Fixture files, directories (searched for `*.test.json`) or quoted glob patterns.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    format: TestFormat,
    #[command(flatten)]
    style: StyleArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TestFormat {
    Human,
    Json,
    Junit,
}

/// Fixture files: `*.test.json` from directories and globs.
pub fn discover(paths: &[String]) -> Result<Vec<PathBuf>, String> {
    super::discover::discover(paths, |name| name.ends_with(SUFFIX), "fixture file")
}

struct FileResult {
    file: String,
    cases: Vec<(String, String, CaseResult, String)>,
    error: Option<(InputError, String)>,
}

fn run_file(path: &Path, style: Style) -> FileResult {
    let file = path.display().to_string();
    let fail = |e: InputError| FileResult {
        file: file.clone(),
        cases: Vec::new(),
        error: Some((e.clone(), render(&e, style))),
    };
    let fixture = match read_input(path)
        .and_then(|(name, bytes)| Source::from_bytes(&name, bytes))
        .and_then(Fixture::parse)
    {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let checked = match fixture.load_output(dir) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let mut cases: Vec<(String, String, CaseResult, String)> = fixture
        .cases
        .iter()
        .map(|case| {
            let result = run_case(&checked, case);
            let explanation = match &result.evaluation {
                Some(eval) if !result.ok => human::render_check(
                    &CheckReport {
                        checked: &checked,
                        request: &case.request,
                        eval,
                        expect: Some(case.expect),
                    },
                    style,
                ),
                _ => String::new(),
            };
            (
                case.name.clone(),
                case.expect.as_str().to_string(),
                result,
                explanation,
            )
        })
        .collect();
    if let Some(level) = fixture.lint_clean {
        cases.push((
            format!("the output is lint-clean ({level} and above)"),
            "lint-clean".to_string(),
            policy_check::fixture::run_lint_clean(&checked, level),
            String::new(),
        ));
    }
    FileResult {
        file,
        cases,
        error: None,
    }
}

pub fn run(args: &TestArgs) -> Exit {
    let style = args.style.style();
    let files = match discover(&args.paths) {
        Ok(f) if f.is_empty() => {
            output::error(&format!("no `*{SUFFIX}` fixture files found"));
            return Exit::CannotAnswer;
        }
        Ok(f) => f,
        Err(e) => {
            output::error(&e);
            return Exit::CannotAnswer;
        }
    };
    let results: Vec<FileResult> = files.iter().map(|f| run_file(f, style)).collect();
    let passed = results
        .iter()
        .flat_map(|r| &r.cases)
        .filter(|c| c.2.ok)
        .count();
    let failed = results
        .iter()
        .flat_map(|r| &r.cases)
        .filter(|c| !c.2.ok)
        .count();
    let errors = results.iter().filter(|r| r.error.is_some()).count();
    let text = match args.format {
        TestFormat::Human => human_text(&results, passed, failed, errors),
        TestFormat::Json => json_text(&results, passed, failed),
        TestFormat::Junit => junit_text(&results, passed, failed, errors),
    };
    output::out(&text);
    if args.format != TestFormat::Human {
        for (e, _) in results.iter().filter_map(|r| r.error.as_ref()) {
            output::input_error(e, style);
        }
    }
    if errors > 0 {
        Exit::CannotAnswer
    } else if failed > 0 {
        Exit::Denied
    } else {
        Exit::Ok
    }
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{by}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn human_text(results: &[FileResult], passed: usize, failed: usize, errors: usize) -> String {
    let mut out = String::new();
    for r in results {
        if let Some((_, rendered)) = &r.error {
            let _ = writeln!(
                out,
                "ERROR   {}: the fixture could not be run\n{}",
                r.file,
                indent(rendered, "        ")
            );
            continue;
        }
        for (name, _, res, explanation) in &r.cases {
            if res.ok {
                let _ = writeln!(out, "ok      {} › {name}", r.file);
            } else {
                let _ = writeln!(out, "FAILED  {} › {name}", r.file);
                if let Some(f) = &res.failure {
                    let _ = writeln!(out, "{}", indent(f, "        "));
                }
                if !explanation.is_empty() {
                    let _ = writeln!(out, "{}\n", indent(explanation, "        │ "));
                }
            }
        }
    }
    if errors > 0 {
        let _ = writeln!(
            out,
            "\n{errors} fixture file{} could not be run",
            if errors == 1 { "" } else { "s" }
        );
    }
    let _ = writeln!(out, "\n{passed} passed, {failed} failed");
    out
}

fn json_text(results: &[FileResult], passed: usize, failed: usize) -> String {
    let fixtures: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            serde_json::json!({
                "file": r.file,
                "error": r.error.as_ref().map(|(e, _)| serde_json::json!({
                    "message": e.message, "help": e.help, "span": e.location(),
                })),
                "cases": r.cases.iter().map(|(name, expected, res, _)| serde_json::json!({
                    "name": name,
                    "expected": expected,
                    "decision": res.evaluation.as_ref().map(|e| e.decision),
                    "ok": res.ok,
                    "failure": res.failure,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let v = serde_json::json!({
        "schema_version": policy_check::report::json::SCHEMA_VERSION,
        "passed": passed,
        "failed": failed,
        "errors": results.iter().filter(|r| r.error.is_some()).count(),
        "fixtures": fixtures,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&v).expect("serializes")
    )
}

fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => o.push('?'),
            c => o.push(c),
        }
    }
    o
}

fn junit_text(results: &[FileResult], passed: usize, failed: usize, errors: usize) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"policy-check\" tests=\"{}\" failures=\"{failed}\" errors=\"{errors}\">",
        passed + failed + errors
    );
    for r in results {
        let f = r.cases.iter().filter(|c| !c.2.ok).count();
        let e = usize::from(r.error.is_some());
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" errors=\"{e}\">",
            xml(&r.file),
            r.cases.len() + e
        );
        if let Some((err, rendered)) = &r.error {
            let _ = writeln!(
                out,
                "    <testcase name=\"(fixture)\" classname=\"{}\">\n      <error message=\"{}\">{}</error>\n    </testcase>",
                xml(&r.file),
                xml(&err.message),
                xml(rendered)
            );
        }
        for (name, _, res, explanation) in &r.cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\"",
                xml(name),
                xml(&r.file)
            );
            match &res.failure {
                None => {
                    let _ = writeln!(out, "/>");
                }
                Some(fail) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                        xml(fail),
                        xml(explanation)
                    );
                }
            }
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    out.push_str("</testsuites>\n");
    out
}
