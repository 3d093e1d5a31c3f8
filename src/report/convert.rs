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
    let text = source.text();
    let mut d = Diag::new(
        f.severity.miette(),
        format!("{} {}", f.rule.code, f.rule.name),
        f.message.clone(),
        Some(source.named()),
    )
    .primary(f.span, f.label.clone())
    .with_url(format!("see: policy-check rule {}", f.rule.code));
    // Every place is labelled here; drawing keeps the first few and counts the rest
    // (`elide`), so the count is said once, whatever the diagnostic.
    for (s, l) in &f.related {
        d = d.label(*s, l.clone());
    }
    if !f.help.is_empty() {
        d = d.help(f.help.clone());
    }
    d.clip_labels(text)
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

/// The lint findings that bear on one answer, as diagnostics for `check` to show beside it:
/// findings in the statements that decided (or came nearest) and
/// about the envelope, at warning level or above. What `check` already says (malformed
/// output, core warnings, Conditions) is left out, so nothing is said twice.
pub fn bearing(checked: &crate::Checked, eval: &crate::Evaluation) -> Vec<Diag> {
    use crate::eval::Decision;
    if eval.decision == Decision::Malformed || eval.decision == Decision::NotInvoked {
        return Vec::new();
    }
    let auth = &checked.authorizer;
    let core: Vec<crate::Span> = auth
        .problems
        .iter()
        .chain(&auth.warnings)
        .map(|p| p.span)
        .collect();
    // Linting costs more than answering on a big policy (its pairwise rules spend up to
    // their budget): past this size `check` stays quick and points at `lint` instead.
    const MAX_STATEMENTS: usize = 500;
    let statements = auth.policy.as_ref().map_or(0, |p| p.statements.len());
    if statements > MAX_STATEMENTS {
        return vec![
            Diag::new(
                miette::Severity::Advice,
                "policy_check::lint_skipped",
                format!(
                    "lint findings are not gathered here for a policy of {statements} statements (over {MAX_STATEMENTS})"
                ),
                None,
            )
            .help(format!(
                "run `policy-check lint {}` to see them",
                checked.document.source.name()
            )),
        ];
    }
    let mut relevant: Vec<usize> = eval.deciding.iter().map(|d| d.statement).collect();
    relevant.extend(eval.nearest.as_ref().map(|n| n.statement));
    let found: Vec<Finding> = crate::lint::lint_without_schema(checked)
        .into_iter()
        .filter(|f| f.severity >= crate::lint::Severity::Warning)
        .filter(|f| !core.contains(&f.span))
        .filter(|f| f.rule != &crate::lint::condition::CONDITION_UNEVALUATED)
        .filter(|f| f.statement.is_none_or(|i| relevant.contains(&i)))
        .collect();
    // A few findings help; hundreds (a generated policy) would bury the answer.
    const SHOWN: usize = 6;
    let mut out: Vec<Diag> = found
        .iter()
        .take(SHOWN)
        .map(|f| finding(f, &checked.document))
        .collect();
    if found.len() > SHOWN {
        out.push(
            Diag::new(
                miette::Severity::Advice,
                "policy_check::more_findings",
                format!(
                    "{} more lint findings bear on this answer",
                    found.len() - SHOWN
                ),
                None,
            )
            .help(format!(
                "run `policy-check lint {}` to see them all",
                checked.document.source.name()
            )),
        );
    }
    out
}
