//! The human `test` report: `ok` / `FAILED` per case (a failed case shows why and the
//! explanation `check` would print), then `N passed, N failed`.

use std::fmt::Write as _;
use std::io;

use super::text::{escape, escape_keep_lines};
use super::{CheckReport, Style, human, render};
use crate::fixture::run::{CaseRun, FileRun, FixtureRun};

/// Writes the human report of a fixture run.
pub fn write(run: &FixtureRun, style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    let mut text = String::new();
    for f in &run.files {
        file(&mut text, f, style);
    }
    let errors = run.errors();
    if errors > 0 {
        let _ = writeln!(
            text,
            "\n{errors} fixture file{} could not be run",
            if errors == 1 { "" } else { "s" }
        );
    }
    let _ = writeln!(text, "\n{} passed, {} failed", run.passed(), run.failed());
    out.write_all(text.as_bytes())
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

/// The `check` explanation of a failed case, when it has an evaluation to explain.
pub(crate) fn explanation(f: &FileRun, c: &CaseRun, style: Style) -> String {
    match (&f.checked, &c.case, &c.result.evaluation) {
        (Some(checked), Some(case), Some(eval)) if !c.result.ok => human::render_check(
            &CheckReport {
                checked,
                request: &case.request,
                eval,
                expect: Some(case.expect),
                lint: &[],
            },
            style,
        ),
        _ => String::new(),
    }
}

/// The requests of a pipeline case (fixtures with `api`): for a sequence, one line per
/// request; for a failed request, each expectation that does not hold and the answer.
pub(crate) fn requests_text(c: &CaseRun) -> String {
    let mut out = String::new();
    let sequence = c.expected == "sequence";
    for (i, r) in c.result.requests.iter().enumerate() {
        if sequence {
            let _ = writeln!(
                out,
                "#{} {} line {} › {}",
                i + 1,
                if r.ok { "ok    " } else { "FAILED" },
                r.line,
                escape(&r.name)
            );
        }
        if r.ok {
            continue;
        }
        let by = if sequence { "   " } else { "" };
        if let Some(why) = &r.failure {
            let _ = writeln!(out, "{}", indent(&escape_keep_lines(&why.to_string()), by));
        }
        if let Some(a) = &r.actual {
            let answer = match a.status {
                Some(s) => format!(
                    "{s}{}{} (step `{}`)",
                    a.error_type
                        .as_deref()
                        .map_or(String::new(), |t| format!(" {t}")),
                    a.body.as_deref().map_or(String::new(), |b| format!(" {b}")),
                    a.step.unwrap_or("")
                ),
                None => format!("depends (cases: {:?})", a.case_statuses),
            };
            let _ = writeln!(out, "{by}answered: {}", escape(&answer));
        }
    }
    out
}

fn file(out: &mut String, f: &FileRun, style: Style) {
    let name = escape(&f.file);
    if let Some(e) = &f.error {
        let _ = writeln!(
            out,
            "ERROR   {name}: the fixture could not be run\n{}",
            indent(&render(e, style), "        ")
        );
        return;
    }
    for c in &f.cases {
        let case = escape(&c.name);
        let requests = requests_text(c);
        if c.result.ok {
            let _ = writeln!(out, "ok      {name}:{} › {case}", c.line);
            if !requests.is_empty() {
                let _ = writeln!(out, "{}", indent(&requests, "        "));
            }
            continue;
        }
        let _ = writeln!(out, "FAILED  {name}:{} › {case}", c.line);
        if !requests.is_empty() {
            let _ = writeln!(out, "{}", indent(&requests, "        "));
        } else if let Some(why) = &c.result.failure {
            let why = why.to_string();
            let _ = writeln!(out, "{}", indent(&escape_keep_lines(&why), "        "));
        }
        let explanation = explanation(f, c, style);
        if !explanation.is_empty() {
            let _ = writeln!(out, "{}\n", indent(&explanation, "        │ "));
        }
    }
}
