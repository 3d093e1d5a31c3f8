//! docs/explain.md, generated from the catalog. (The reports of an [`super::Explanation`]
//! are printers in `report`: `explain_human`, `explain_json`.)

use std::fmt::Write;

use super::catalog::{Catalog, CauseSpec, Entry, Step, Tag, catalog};

pub(crate) fn api_type_name(t: super::capture::ApiType) -> &'static str {
    match t {
        super::capture::ApiType::Rest => "rest",
        super::capture::ApiType::Http => "http",
    }
}

fn code_if_command(s: &str) -> String {
    let command = ["aws ", "policy-check ", "curl ", "http "]
        .iter()
        .any(|p| s.starts_with(p));
    match (command, s.contains('`')) {
        // A code span holding backticks (JMESPath literals) needs a longer fence.
        (true, true) => format!("`` {s} ``"),
        (true, false) => format!("`{s}`"),
        (false, _) => s.to_string(),
    }
}

/// What one step means, for the docs' vocabulary table.
fn step_meaning(step: Step) -> &'static str {
    match step {
        Step::Edge => "CloudFront in front of an edge-optimized endpoint or distribution, and WAF",
        Step::Stage => "the stage (first path segment, or a custom domain's base path mapping)",
        Step::Route => "resource and method (REST) or route (HTTP API) matching",
        Step::MethodAuth => "the method's authorization type (AWS_IAM, Cognito, JWT, custom)",
        Step::ResourcePolicy => "the REST API's resource policy",
        Step::Identity => "the authorizer's identity sources and validation expression",
        Step::Cache => "the authorizer result cache",
        Step::Authorizer => "invoking the authorizer and reading its output",
        Step::Policy => "the authorizer's policy (or simple response) for this request",
        Step::ApiKey => "API keys, usage plans, throttling and quotas",
        Step::Integration => "the backend behind the method or route",
        Step::GatewayResponse => "a customised gateway response that rewrote the answer",
    }
}

fn keys(e: &Entry) -> String {
    let mut k = Vec::new();
    if let Some(t) = e.api_type {
        k.push(format!("API type `{}`", api_type_name(t)));
    }
    if let Some(m) = e.made_by {
        k.push(format!("made by {}", m.describe()));
    }
    if let Some(s) = e.status {
        k.push(format!("status `{s}`"));
    }
    if let Some(t) = &e.error_type {
        k.push(format!("`x-amzn-ErrorType: {t}`"));
    }
    if !e.messages.is_empty() {
        let ms: Vec<String> = e.messages.iter().map(|m| format!("`{m}`")).collect();
        k.push(format!("message {}", ms.join(" or ")));
    }
    for m in &e.unless_messages {
        k.push(format!("but not `{m}`"));
    }
    if let Some(b) = &e.body {
        k.push(format!("body `{b}`"));
    }
    k.join(", ")
}

/// docs/explain.md: the whole catalog as Markdown (what `explain` knows, for a
/// `--list`-style output or the docs).
///
/// ```
/// let md = policy_check::explain::catalog_markdown();
/// assert!(md.contains("<a id=\"rest-403-implicit-deny\"></a>"));
/// ```
pub fn catalog_markdown() -> String {
    render_markdown(catalog())
}

fn render_markdown(catalog: &Catalog) -> String {
    let mut out = String::new();
    out.push_str(
        "# `policy-check explain`: responses and their causes\n\n\
         <!-- Generated from src/explain/catalog.toml: do not edit. Regenerate with\n     \
         UPDATE_DOCS=1 cargo test --lib explain::docs -->\n\n\
         `policy-check explain` reads a response as you have it (`curl -i` or `curl -v` output,\n\
         httpie output, a HAR file, a bare body or message) and lists the causes that produce it,\n\
         most likely first. This page is the whole catalog it matches against.\n\n\
         ## How a response is matched\n\n\
         Messages are compared in lower case with white space collapsed and trailing full stops\n\
         dropped; `*` matches any run of characters. The best tier that matches wins:\n\n\
         1. the `x-amzn-ErrorType` and the message agree;\n\
         2. the message agrees, or every key of an entry without a message does (status, who answered);\n\
         3. the message holds an entry's message, or is a piece of one;\n\
         4. the error type agrees but the status or body is not the default: the entry's causes, and a\n   \
         customised gateway response.\n\n\
         Who answered is told from the headers and the body: `x-amzn-ErrorType`, `x-amzn-RequestId`\n\
         or `x-amz-apigw-id` mean a REST API; `apigw-requestid` alone an HTTP API; `www-authenticate:\n\
         Bearer …` an HTTP API JWT authorizer; CloudFront's HTML error page without API Gateway headers\n\
         means CloudFront itself answered. `X-Cache: Error from cloudfront` is not proof of that: API\n\
         Gateway's own errors carry it too behind an edge-optimized endpoint.\n\n\
         ## Steps\n\n| step | meaning |\n|---|---|\n",
    );
    for s in Step::ALL {
        let _ = writeln!(out, "| `{s}` | {} |", step_meaning(s));
    }
    out.push_str("\nSources: ");
    let tags: Vec<String> = [Tag::D, Tag::O, Tag::I]
        .iter()
        .map(|t| format!("`{t:?}` {}", t.describe()))
        .collect();
    out.push_str(&tags.join(", "));
    out.push_str(" (the tags of the project's reference notes).\n\n## Responses\n\n| response | keys |\n|---|---|\n");
    for e in &catalog.entries {
        let _ = writeln!(out, "| [{}](#{}) | {} |", e.summary, e.id, keys(e));
    }
    for e in &catalog.entries {
        let _ = write!(out, "\n<a id=\"{}\"></a>\n### {}\n\n", e.id, e.summary);
        let _ = writeln!(out, "Matched on: {}.", keys(e));
        if let Some(g) = &e.gateway_response {
            let _ = writeln!(out, "Gateway response type: `{g}`.");
        }
        out.push('\n');
        for (i, c) in e.causes.iter().enumerate() {
            markdown_cause(&mut out, i + 1, c);
        }
    }
    out.push_str(
        "\n<a id=\"customised\"></a>\n### Any known error type with a status or body that is not the default\n\n\
         Added right after the first cause of the error type's entry (`{what}`, `{error_type}` and\n\
         `{response_type}` are filled in).\n\n",
    );
    markdown_cause(&mut out, 1, &catalog.customised);
    out
}

fn markdown_cause(out: &mut String, n: usize, c: &CauseSpec) {
    let _ = writeln!(
        out,
        "{n}. **`{}`** {} *({})*",
        c.step,
        c.title,
        c.source.describe()
    );
    for f in &c.fixes {
        let _ = writeln!(out, "   - Fix: {}", code_if_command(f));
    }
    for k in &c.confirm {
        let _ = writeln!(out, "   - Confirm: {}", code_if_command(k));
    }
    for ev in &c.evidence {
        let _ = writeln!(out, "   - Source: {ev}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/explain.md is generated; `UPDATE_DOCS=1` rewrites it.
    #[test]
    fn docs_explain_md_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/explain.md");
        let want = render_markdown(catalog());
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &want).unwrap();
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/explain.md is stale: regenerate it with `UPDATE_DOCS=1 cargo test --lib explain::docs`"
        );
    }
}
