//! The `test --format json` document, versioned by its own `schema_version`.

use std::io;

use serde::Serialize;

use super::Style;
use crate::eval::Decision;
use crate::fixture::run::FixtureRun;
use crate::span::Location;

/// The version of this document's layout.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonTest<'a> {
    schema_version: u32,
    passed: usize,
    failed: usize,
    errors: usize,
    fixtures: Vec<JsonFixture<'a>>,
}

#[derive(Serialize)]
struct JsonFixture<'a> {
    file: &'a str,
    error: Option<JsonError<'a>>,
    cases: Vec<JsonCase<'a>>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    message: &'a str,
    help: Option<&'a str>,
    span: Option<Location>,
}

#[derive(Serialize)]
struct JsonCase<'a> {
    name: &'a str,
    index: Option<usize>,
    line: usize,
    expected: &'a str,
    decision: Option<Decision>,
    ok: bool,
    failure: Option<String>,
    /// Pipeline cases only: each request with its answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    requests: Vec<JsonRequest<'a>>,
}

#[derive(Serialize)]
struct JsonRequest<'a> {
    name: &'a str,
    line: usize,
    expected: &'a str,
    ok: bool,
    failure: Option<String>,
    actual: Option<&'a crate::fixture::Actual>,
}

/// Writes the JSON document of a fixture run.
pub fn write(run: &FixtureRun, _style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    let doc = JsonTest {
        schema_version: SCHEMA_VERSION,
        passed: run.passed(),
        failed: run.failed(),
        errors: run.errors(),
        fixtures: run
            .files
            .iter()
            .map(|f| JsonFixture {
                file: &f.file,
                error: f.error.as_ref().map(|e| JsonError {
                    message: &e.message,
                    help: e.help.as_deref(),
                    span: e.location(),
                }),
                cases: f
                    .cases
                    .iter()
                    .map(|c| JsonCase {
                        name: &c.name,
                        index: c.index,
                        line: c.line,
                        expected: &c.expected,
                        decision: c.result.evaluation.as_ref().map(|e| e.decision),
                        ok: c.result.ok,
                        failure: c.result.failure.as_ref().map(ToString::to_string),
                        requests: c
                            .result
                            .requests
                            .iter()
                            .map(|r| JsonRequest {
                                name: &r.name,
                                line: r.line,
                                expected: &r.expected,
                                ok: r.ok,
                                failure: r.failure.as_ref().map(ToString::to_string),
                                actual: r.actual.as_ref(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    super::write_json(out, &doc)
}
