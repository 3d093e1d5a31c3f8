//! The rule table (`policy-check rules`) and one rule's documentation (`policy-check rule`).

use std::fmt::Write as _;
use std::io;

use serde::Serialize;

use crate::lint::{RULES, Rule, Severity};

/// The version of the `rules --format json` layout.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonRules {
    schema_version: u32,
    rules: Vec<JsonRule>,
}

#[derive(Serialize)]
struct JsonRule {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    family: &'static str,
    summary: &'static str,
    docs: String,
}

/// Writes every rule as one JSON document.
pub fn write_json(out: &mut dyn io::Write) -> io::Result<()> {
    let doc = JsonRules {
        schema_version: SCHEMA_VERSION,
        rules: RULES
            .iter()
            .map(|r| JsonRule {
                code: r.code,
                name: r.name,
                severity: r.severity,
                family: r.family_name(),
                summary: r.summary,
                docs: r.docs_text(),
            })
            .collect(),
    };
    super::write_json(out, &doc)
}

/// Writes the rule table grouped by family.
pub fn write_human(out: &mut dyn io::Write) -> io::Result<()> {
    let mut text = String::new();
    let w = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut family = "";
    for r in RULES {
        if r.family_name() != family {
            family = r.family_name();
            let _ = writeln!(text, "{}{family}", if text.is_empty() { "" } else { "\n" });
        }
        let _ = writeln!(
            text,
            "  {}  {:w$}  {:7}  {}",
            r.code,
            r.name,
            r.severity.as_str(),
            r.summary
        );
    }
    let _ = writeln!(
        text,
        "\n{} rules; `policy-check rule CODE` prints one",
        RULES.len()
    );
    out.write_all(text.as_bytes())
}

/// Writes one rule's documentation.
pub fn write_rule(r: &Rule, out: &mut dyn io::Write) -> io::Result<()> {
    write!(
        out,
        "{} {} ({}, {} family)\n\n{}\n\n{}",
        r.code,
        r.name,
        r.severity,
        r.family_name(),
        r.summary,
        r.docs_text()
    )
}

/// Writes the rule reference as Markdown: docs/lint.md, generated from the rules' doc
/// comments.
pub fn write_markdown(out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(crate::lint::docs_markdown().as_bytes())
}
