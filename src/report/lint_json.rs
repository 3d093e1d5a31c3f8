//! The lint JSON document (`lint --format json`), versioned by its own `schema_version`
//! (docs/lint.md documents it).

use std::io;

use serde::Serialize;

use super::Style;
use crate::lint::Severity;
use crate::lint_run::{Counts, LintRun, Linted};
use crate::span::Location;

/// The version of this document's layout.
pub const SCHEMA_VERSION: u32 = 1;

/// Writes the JSON document of a lint run.
pub fn write(run: &LintRun, _style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    let text = json(&run.results, run.counts, run.fail_level, run.failed());
    out.write_all(text.as_bytes())
}

#[derive(Serialize)]
struct JsonOut<'a> {
    schema_version: u32,
    files: Vec<JsonFile<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonSummary {
    #[serde(flatten)]
    counts: Counts,
    fail_level: Severity,
    failed: bool,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    /// `api_definition` for the definition given with `--api`, else `authorizer_output`.
    role: &'static str,
    input_kind: Option<crate::Shape>,
    error: Option<JsonError>,
    findings: Vec<JsonFinding>,
}

#[derive(Serialize)]
struct JsonError {
    kind: String,
    message: String,
    span: Option<Location>,
}

#[derive(Serialize)]
struct JsonFinding {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    message: String,
    help: String,
    statement: Option<usize>,
    span: Location,
    labels: Vec<JsonLabel>,
}

#[derive(Serialize)]
struct JsonLabel {
    label: String,
    primary: bool,
    span: Location,
}

fn json(results: &[Linted], counts: Counts, fail: Severity, failed: bool) -> String {
    let files = results
        .iter()
        .map(|r| {
            let source = r.source();
            let loc = |s: crate::Span| source.map_or_else(Location::default, |src| src.location(s));
            JsonFile {
                file: &r.file,
                role: if r.definition.is_some() {
                    "api_definition"
                } else {
                    "authorizer_output"
                },
                input_kind: r.checked.as_ref().map(|c| c.authorizer.shape),
                error: r.error.as_ref().map(|e| JsonError {
                    kind: format!("{:?}", e.kind).to_ascii_lowercase(),
                    message: e.message.clone(),
                    span: e.location(),
                }),
                findings: r
                    .findings
                    .iter()
                    .map(|f| JsonFinding {
                        code: f.rule.code,
                        name: f.rule.name,
                        severity: f.severity,
                        message: f.message.clone(),
                        help: f.help.clone(),
                        statement: f.statement,
                        span: loc(f.span),
                        labels: std::iter::once(JsonLabel {
                            label: f.label.clone(),
                            primary: true,
                            span: loc(f.span),
                        })
                        .chain(f.related.iter().map(|(s, l)| JsonLabel {
                            label: l.clone(),
                            primary: false,
                            span: loc(*s),
                        }))
                        .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    let doc = JsonOut {
        schema_version: SCHEMA_VERSION,
        files,
        summary: JsonSummary {
            counts,
            fail_level: fail,
            failed,
        },
    };
    serde_json::to_string_pretty(&doc).expect("serializable") + "\n"
}
