//! The one way from a lint finding or a configuration error to a [`Diag`].

use super::Diag;
use crate::config::ConfigError;
use crate::lint::Finding;
use crate::source::{Document, Source};

/// A lint finding as a diagnostic over `doc`'s source, pointing at `policy-check rule CODE`
/// for its documentation.
pub fn finding(f: &Finding, doc: &Document) -> Diag {
    finding_in(f, &doc.source)
}

/// A lint finding as a diagnostic over `source` (an output, or the API definition for the
/// rules that lint it).
pub fn finding_in(f: &Finding, source: &Source) -> Diag {
    let mut d = Diag::new(
        f.severity.miette(),
        format!("{} {}", f.rule.code, f.rule.name),
        f.message.clone(),
        Some(source.named()),
    )
    .primary(f.span, f.label.clone())
    .with_url(format!("see: policy-check rule {}", f.rule.code));
    for (s, l) in &f.related {
        d = d.label(*s, l.clone());
    }
    if !f.help.is_empty() {
        d = d.help(f.help.clone());
    }
    d
}

/// An unreadable or invalid `.policy-check.toml` as a diagnostic.
pub fn config_error(e: &ConfigError) -> Diag {
    let mut d = Diag::new(
        miette::Severity::Error,
        "policy_check::config",
        format!("invalid configuration: {}", e.message),
        Some(e.source().named()),
    );
    if let Some(s) = e.span {
        d = d.primary(s, "here");
    }
    d.help("`policy-check rules` lists the rule codes and names; the keys and values allowed are in docs/lint.md (Configuration)")
}
