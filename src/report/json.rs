//! The JSON report (`--format json`): one object per check, versioned by `schema_version`.
//! The README documents every field; additions keep the version, changes bump it.

use serde::Serialize;

use super::{CheckReport, Diag, explain};
use crate::arn::Part;
use crate::eval::{Case, Decision, StatementTrace};
use crate::response::{HttpResponse, response_for};
use crate::span::Location;

/// The version of this JSON layout.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole JSON report.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// Layout version.
    pub schema_version: u32,
    /// The input's name (path or `<stdin>`).
    pub file: String,
    /// The shape the input was read as.
    pub input_kind: crate::Shape,
    /// The decision.
    pub decision: Decision,
    /// The request.
    pub request: JsonRequest,
    /// The HTTP response (null for `depends`: see `cases`).
    pub response: Option<HttpResponse>,
    /// The statements that decided, first one primary.
    pub deciding: Vec<JsonDeciding>,
    /// Every statement's verdict.
    pub trace: Vec<JsonTrace<'a>>,
    /// For `depends`: disjoint cases covering every value of the unpinned parts.
    pub cases: Vec<JsonCase>,
    /// Statements whose Condition was assumed to hold.
    pub conditional_statements: Vec<usize>,
    /// The decision with the conditional statements left out, when it differs.
    pub decision_without_conditions: Option<Decision>,
    /// Why the output is malformed, and warnings.
    pub diagnostics: Vec<JsonDiagnostic>,
    /// Remarks that do not change the decision.
    pub notes: Vec<String>,
    /// The API type the answer is for (`rest`, `http`, `websocket`).
    pub api_type: crate::api_type::ApiType,
    /// Whether it was inferred rather than given with `--api-type`.
    pub api_type_inferred: bool,
    /// For an implicit deny: the nearest Allow entry, every part where it fails, and a
    /// Resource entry that would allow the request.
    pub nearest: Option<crate::eval::Nearest>,
    /// The `--expect` result, if one was given.
    pub expect: Option<JsonExpect>,
}

/// The request part of the report.
#[derive(Debug, Serialize)]
pub struct JsonRequest {
    /// Upper-cased method, null for WebSocket routes.
    pub method: Option<String>,
    /// Path, null for WebSocket routes.
    pub path: Option<String>,
    /// The method ARN, with `{part}` placeholders for unpinned parts.
    pub arn: String,
    /// Each part's value, null when unpinned.
    pub parts: JsonParts,
    /// The ARN text after the stage.
    pub route: String,
    /// The parts that were not pinned.
    pub unpinned: Vec<Part>,
    /// Parts whose value was assumed, not given: `{"partition": "aws"}` unless pinned.
    pub assumed: std::collections::BTreeMap<Part, String>,
}

/// ARN parts.
#[derive(Debug, Serialize)]
pub struct JsonParts {
    /// Partition.
    pub partition: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Account id.
    pub account: Option<String>,
    /// API id.
    pub api_id: Option<String>,
    /// Stage.
    pub stage: Option<String>,
}

/// A deciding statement.
#[derive(Debug, Serialize)]
pub struct JsonDeciding {
    /// Statement index.
    pub index: usize,
    /// Its Sid.
    pub sid: Option<String>,
    /// Allow or Deny.
    pub effect: crate::Effect,
    /// The Resource entry that matched (null for NotResource).
    pub resource_index: Option<usize>,
    /// That entry's text.
    pub resource: Option<String>,
    /// Where that entry is (or the NotResource key).
    pub span: Location,
    /// Where the statement is.
    pub statement_span: Location,
}

/// One statement's verdict.
#[derive(Debug, Serialize)]
pub struct JsonTrace<'a> {
    /// Its Sid.
    pub sid: Option<&'a str>,
    /// Allow or Deny.
    pub effect: Option<crate::Effect>,
    /// Where the statement is.
    pub span: Option<Location>,
    /// The verdict and reason.
    #[serde(flatten)]
    pub trace: &'a StatementTrace,
}

/// A case of a `depends` decision.
#[derive(Debug, Serialize)]
pub struct JsonCase {
    /// The case.
    #[serde(flatten)]
    pub case: Case,
    /// The constraints in words.
    pub description: String,
    /// The response in this case.
    pub response: Option<HttpResponse>,
}

/// A diagnostic (malformed output, warnings).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// `error`, `warning` or `info` (the vocabulary of every JSON document).
    pub severity: &'static str,
    /// Stable code.
    pub code: String,
    /// The message.
    pub message: String,
    /// The fix.
    pub help: Option<String>,
    /// Labelled spans, the primary first.
    pub labels: Vec<JsonLabel>,
}

/// A labelled span.
#[derive(Debug, Serialize)]
pub struct JsonLabel {
    /// The text.
    pub label: String,
    /// Whether it is the primary label.
    pub primary: bool,
    /// Where.
    pub span: Location,
}

/// The outcome of `--expect`.
#[derive(Debug, Serialize)]
pub struct JsonExpect {
    /// What was expected.
    pub expected: crate::Expect,
    /// Whether it holds.
    pub met: bool,
}

/// Converts a diagnostic to its JSON form.
pub fn diagnostic(d: &Diag, source: &crate::Source) -> JsonDiagnostic {
    JsonDiagnostic {
        severity: match d.severity {
            miette::Severity::Error => "error",
            miette::Severity::Warning => "warning",
            miette::Severity::Advice => "info",
        },
        code: d.code.clone(),
        message: d.message.clone(),
        help: d.help.clone(),
        labels: d
            .labels
            .iter()
            .map(|(s, l, p)| JsonLabel {
                label: l.clone(),
                primary: *p,
                span: source.location(*s),
            })
            .collect(),
    }
}

/// Builds the JSON report.
pub fn build<'a>(r: &CheckReport<'a>) -> JsonReport<'a> {
    let source = &r.checked.document.source;
    let loc = |s| source.location(s);
    let a = &r.checked.authorizer;
    let e = r.eval;
    let part = |p: Part| r.request.get(p).map(str::to_string);
    let deciding = e
        .deciding
        .iter()
        .filter_map(|d| {
            let s = r.statement(d.statement)?;
            let entry = d.resource.map(|i| &s.resource.entries[i]);
            Some(JsonDeciding {
                index: s.index,
                sid: s.sid.as_ref().map(|x| x.value.to_string()),
                effect: s.effect.value,
                resource_index: d.resource,
                resource: entry.map(|x| x.value.to_string()),
                span: loc(entry.map_or(s.resource.key_span, |x| x.span)),
                statement_span: loc(s.span),
            })
        })
        .collect();
    let trace = e
        .trace
        .iter()
        .map(|t| {
            let s = r.statement(t.index);
            JsonTrace {
                sid: s.and_then(|s| s.sid.as_ref().map(|x| x.value.as_str())),
                effect: s.map(|s| s.effect.value),
                span: s.map(|s| loc(s.span)),
                trace: t,
            }
        })
        .collect();
    let diagnostics = explain(r).iter().map(|d| diagnostic(d, source)).collect();
    JsonReport {
        schema_version: SCHEMA_VERSION,
        file: r.checked.document.source.name().to_string(),
        input_kind: a.shape,
        decision: e.decision,
        request: JsonRequest {
            method: r.request.method().map(str::to_string),
            path: r.request.path().map(str::to_string),
            arn: r.request.arn_display(),
            parts: JsonParts {
                partition: part(Part::Partition),
                region: part(Part::Region),
                account: part(Part::Account),
                api_id: part(Part::ApiId),
                stage: part(Part::Stage),
            },
            route: r.request.route().to_string(),
            unpinned: r.request.unpinned(),
            assumed: r
                .request
                .assumed()
                .map(|(p, v)| (p, v.to_string()))
                .into_iter()
                .collect(),
        },
        response: response_for(e.decision, e.api_type),
        deciding,
        trace,
        cases: e
            .cases
            .iter()
            .map(|c| JsonCase {
                description: c.describe(),
                response: response_for(c.decision, e.api_type),
                case: c.clone(),
            })
            .collect(),
        conditional_statements: e.conditional.clone(),
        decision_without_conditions: e.without_conditions,
        diagnostics,
        notes: r.notes().to_vec(),
        api_type: e.api_type,
        api_type_inferred: e.api_type_inferred,
        nearest: e.nearest.clone(),
        expect: r.expect.map(|x| JsonExpect {
            expected: x,
            met: e.meets(x),
        }),
    }
}

/// Writes the JSON document of one check.
pub fn write(
    r: &CheckReport<'_>,
    _style: super::Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    super::write_json(out, &build(r))
}
