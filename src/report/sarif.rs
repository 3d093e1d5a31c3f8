//! The SARIF 2.1.0 log of a lint run (code-scanning upload). Hand-written serde structs, as
//! ruff does: the SARIF crates add dozens of dependencies for a dozen fields.

use std::io;

use serde::Serialize;

use super::Style;
use crate::lint::{RULES, Rule, Severity};
use crate::lint_run::{LintRun, Linted};
use crate::source::Source;
use crate::span::Span;

/// Writes the SARIF log of a lint run.
pub fn write(run: &LintRun, _style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(sarif(&run.results).as_bytes())
}

#[derive(Serialize)]
struct SarifLog {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<SarifRun>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun {
    tool: SarifTool,
    invocations: Vec<SarifInvocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct SarifTool {
    driver: SarifDriver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifDriver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<SarifRule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule {
    id: &'static str,
    name: &'static str,
    short_description: SarifText,
    full_description: SarifText,
    help: SarifHelp,
    default_configuration: SarifConfiguration,
    properties: SarifRuleProperties,
}

#[derive(Serialize)]
struct SarifRuleProperties {
    family: &'static str,
}

#[derive(Serialize)]
struct SarifConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
struct SarifText {
    text: String,
}

#[derive(Serialize)]
struct SarifHelp {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifInvocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<SarifNotification>,
}

#[derive(Serialize)]
struct SarifNotification {
    level: &'static str,
    message: SarifText,
    locations: Vec<SarifLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: SarifText,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: SarifPhysical,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<SarifText>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysical {
    artifact_location: SarifArtifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<SarifRegion>,
}

#[derive(Serialize)]
struct SarifArtifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SarifRegion {
    pub(crate) start_line: usize,
    pub(crate) start_column: usize,
    pub(crate) end_line: usize,
    pub(crate) end_column: usize,
    byte_offset: usize,
    byte_length: usize,
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for a file name: `/` kept (and `\\` turned into it), RFC 3986
/// unreserved characters kept, every other byte of the UTF-8 name percent-encoded, so any
/// name (non-ASCII, `{`, `"`, controls…) gives a valid reference.
pub(crate) fn uri(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    let file = file.replace('\\', "/");
    // `//x/a.json` is `/x/a.json` to the file system, but a URI reference starting with `//`
    // names a host `x`: keep one leading slash.
    let file = match file.trim_start_matches('/') {
        rest if rest.len() + 1 < file.len() => &file[file.len() - rest.len() - 1..],
        _ => file.as_str(),
    };
    for b in file.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Start and end of `span`, from the source's cached line index.
pub(crate) fn region(source: &Source, span: Span) -> SarifRegion {
    let start = source.location(span);
    let end = source.location(Span::new(span.end(), 0));
    SarifRegion {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        byte_offset: span.offset(),
        byte_length: span.len(),
    }
}

fn sarif_location(file: &str, source: &Source, span: Span) -> SarifPhysical {
    SarifPhysical {
        artifact_location: SarifArtifact { uri: uri(file) },
        region: Some(region(source, span)),
    }
}

fn sarif(results: &[Linted]) -> String {
    let rules = RULES
        .iter()
        .map(|r| SarifRule {
            id: r.code,
            name: r.name,
            short_description: SarifText {
                text: r.summary.to_string(),
            },
            full_description: SarifText {
                text: first_paragraph(r),
            },
            help: SarifHelp {
                text: r.docs_text(),
                markdown: r.docs_text(),
            },
            default_configuration: SarifConfiguration {
                level: sarif_level(r.severity),
            },
            properties: SarifRuleProperties {
                family: r.family_name(),
            },
        })
        .collect();
    let index = |rule: &Rule| RULES.iter().position(|r| r.code == rule.code).unwrap_or(0);
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for r in results {
        if let Some(e) = &r.error {
            notes.push(SarifNotification {
                level: "error",
                message: SarifText {
                    text: e.message.clone(),
                },
                locations: vec![SarifLocation {
                    id: None,
                    physical_location: SarifPhysical {
                        artifact_location: SarifArtifact { uri: uri(&r.file) },
                        region: None,
                    },
                    message: None,
                }],
            });
            continue;
        }
        let Some(text) = r.source() else { continue };
        for f in &r.findings {
            out.push(SarifResult {
                rule_id: f.rule.code,
                rule_index: index(f.rule),
                level: sarif_level(f.severity),
                message: SarifText {
                    text: format!("{} ({}); help: {}", f.message, f.label, f.help),
                },
                locations: vec![SarifLocation {
                    id: None,
                    physical_location: sarif_location(&r.file, text, f.span),
                    message: None,
                }],
                related_locations: f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, (s, l))| SarifLocation {
                        id: Some(i + 1),
                        physical_location: sarif_location(&r.file, text, *s),
                        message: Some(SarifText { text: l.clone() }),
                    })
                    .collect(),
            });
        }
    }
    let log = SarifLog {
        schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        version: "2.1.0",
        runs: vec![SarifRun {
            tool: SarifTool {
                driver: SarifDriver {
                    name: "policy-check",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            invocations: vec![SarifInvocation {
                execution_successful: notes.is_empty(),
                tool_execution_notifications: notes,
            }],
            column_kind: "unicodeCodePoints",
            results: out,
        }],
    };
    serde_json::to_string_pretty(&log).expect("serializable") + "\n"
}

fn first_paragraph(r: &Rule) -> String {
    let docs = r.docs_text();
    let body = docs
        .split("## What it does")
        .nth(1)
        .unwrap_or(&docs)
        .split("\n## ")
        .next()
        .unwrap_or("");
    body.split_whitespace().collect::<Vec<_>>().join(" ")
}
