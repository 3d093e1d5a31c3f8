//! Turning results into what a person or a program reads. Every document has one printer per
//! format, all of the same shape: `write(run, style, out: &mut dyn Write)`. Each JSON
//! document owns its DTOs and its `schema_version`.
//!
//! | document | human | json | other |
//! |---|---|---|---|
//! | check (one request) | [`human`] | [`json`] | |
//! | could not answer | miette via [`render`] | [`error_json`] | |
//! | lint | `lint_human` | `lint_json` | `sarif`, `github` |
//! | test (fixtures) | `test_human` | `test_json` | `junit` |
//! | rules | `rules::write_human` | `rules::write_json` | `rules::write_markdown` |
//! | request | `request_human` | `request_json` | |
//! | routes | `routes_human` | `routes_json` | |
//! | explain (a pasted response) | `explain_human` | `explain_json` | |
//!
//! Nothing here prints; the CLI decides where the text goes.

#[cfg(feature = "lint")]
mod convert;
mod diag;
mod elide;
pub mod error_json;
#[cfg(feature = "api")]
pub mod explain_human;
#[cfg(feature = "api")]
pub mod explain_json;
#[cfg(feature = "lint")]
pub mod github;
pub mod human;
pub mod json;
#[cfg(feature = "lint")]
pub mod junit;
#[cfg(feature = "lint")]
pub mod lint_human;
#[cfg(feature = "lint")]
pub mod lint_json;
pub mod pretty;
#[cfg(all(feature = "api", feature = "lint"))]
pub mod request_human;
#[cfg(all(feature = "api", feature = "lint"))]
pub mod request_json;
#[cfg(all(feature = "api", feature = "lint"))]
pub mod routes_human;
#[cfg(all(feature = "api", feature = "lint"))]
pub mod routes_json;
#[cfg(feature = "lint")]
pub mod rules;
#[cfg(feature = "lint")]
pub mod sarif;
#[cfg(feature = "lint")]
pub mod test_human;
#[cfg(feature = "lint")]
pub mod test_json;
pub(crate) mod text;

#[cfg(feature = "lint")]
pub use convert::{bearing, config_error, finding, finding_in};
pub use diag::{Diag, Style, render};

use miette::Severity;

use crate::Checked;
use crate::authorizer::{Effect, Statement};
use crate::eval::{Applies, Decision, Evaluation, Expect, Reason};
use crate::request::Request;

/// Writes `doc` as pretty JSON and a newline. The serializer makes a call per token: a
/// buffer of its own keeps those calls static instead of through `dyn Write` (a 3.6 MB
/// document took 20% longer that way).
pub(crate) fn write_json(
    out: &mut dyn std::io::Write,
    doc: &impl serde::Serialize,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut buf = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut buf, doc)?;
    buf.write_all(b"\n")?;
    buf.flush()
}

/// Everything one check produced, for the renderers.
#[derive(Debug, Clone, Copy)]
pub struct CheckReport<'a> {
    /// The parsed input.
    pub checked: &'a Checked,
    /// The request.
    pub request: &'a Request,
    /// The answer.
    pub eval: &'a Evaluation,
    /// What `--expect` asked for, if anything.
    pub expect: Option<Expect>,
    /// Lint findings that bear on this answer (see `bearing`), shown after the explanation.
    pub lint: &'a [Diag],
}

impl<'a> CheckReport<'a> {
    /// `GET /things`, or the route for a WebSocket ARN.
    pub fn request_text(&self) -> String {
        match (self.request.method(), self.request.path()) {
            (Some(m), Some(p)) => format!("{m} {p}"),
            _ => self.request.route().to_string(),
        }
    }

    fn statement(&self, i: usize) -> Option<&'a Statement> {
        self.checked
            .authorizer
            .policy
            .as_ref()
            .and_then(|p| p.statements.get(i))
    }

    /// Notes that do not change the decision (query string dropped, ARN too long…).
    pub fn notes(&self) -> &[String] {
        &self.eval.notes
    }

    /// Whether `--expect` (if given) holds.
    pub fn expectation_met(&self) -> Option<bool> {
        self.expect.map(|e| self.eval.meets(e))
    }
}

/// The diagnostics that explain a check: the decision first, then conditions and warnings.
pub fn explain(r: &CheckReport<'_>) -> Vec<Diag> {
    let src = Some(r.checked.document.source.named());
    let a = &r.checked.authorizer;
    let mut out = Vec::new();
    let req = r.request_text();
    match r.eval.decision {
        Decision::Malformed => {
            for p in &a.problems {
                let mut d = Diag::new(Severity::Error, p.code(), &p.message, src.clone())
                    .primary(p.span, &p.label)
                    .help(&p.help);
                for (s, l) in &p.related {
                    d = d.label(*s, l);
                }
                out.push(d);
            }
        }
        Decision::Allow | Decision::ExplicitDeny => out.push(decided(r, src.clone(), &req)),
        Decision::ImplicitDeny => out.push(implicit(r, src.clone(), &req)),
        Decision::Depends => out.push(depends(r, src.clone(), &req)),
        Decision::NotInvoked => {}
    }
    // Only conditional statements that apply to this request can change its answer.
    let applying = |i: usize| {
        r.eval
            .trace
            .iter()
            .any(|t| t.index == i && t.applies != Applies::No)
    };
    for &i in r.eval.conditional.iter().filter(|&&i| applying(i)) {
        let Some(s) = r.statement(i) else { continue };
        let Some(span) = s.condition else { continue };
        let mut d = Diag::new(
            Severity::Warning,
            "policy_check::condition_not_evaluated",
            format!("{} has a Condition, which is assumed to hold", s.label()),
            src.clone(),
        )
        .primary(span, "not evaluated");
        if let Some(w) = r.eval.without_conditions {
            d = d.help(format!(
                "how API Gateway treats Conditions in authorizer policies is not documented; {} {} the request when its Condition holds; without the conditional statements the decision would be {}",
                s.label(),
                if s.effect.value == Effect::Deny { "denies" } else { "allows" },
                w.phrase()
            ));
        } else {
            d = d.help("how API Gateway treats Conditions in authorizer policies is not documented; the decision is the same either way");
        }
        out.push(d);
    }
    out.extend(r.lint.iter().cloned());
    for w in &a.warnings {
        let mut d = Diag::new(Severity::Warning, w.code(), &w.message, src.clone())
            .primary(w.span, &w.label)
            .help(&w.help);
        for (s, l) in &w.related {
            d = d.label(*s, l);
        }
        out.push(d);
    }
    out
}

/// The span to label for "this statement": its Sid if it has one, else its Effect.
fn statement_anchor(s: &Statement) -> (crate::Span, String) {
    match &s.sid {
        Some(sid) => (sid.span, format!("in {}", s.label())),
        None => (s.effect.span, format!("in {}", s.label())),
    }
}

fn decided(
    r: &CheckReport<'_>,
    src: Option<miette::NamedSource<crate::source::SourceText>>,
    req: &str,
) -> Diag {
    let a = &r.checked.authorizer;
    let deny = r.eval.decision == Decision::ExplicitDeny;
    if a.shape == crate::Shape::Http {
        let span = a.is_authorized.as_ref().map(|b| b.span).unwrap_or(a.span);
        let (code, msg, label) = if deny {
            (
                "policy_check::explicit_deny",
                format!("the simple response denies {req}"),
                "isAuthorized is false",
            )
        } else {
            (
                "policy_check::allow",
                format!("the simple response allows {req}"),
                "isAuthorized is true",
            )
        };
        return Diag::new(if deny { Severity::Error } else { Severity::Advice }, code, msg, src)
            .primary(span, label)
            .help(if deny {
                "HTTP API simple responses allow or deny every route at once (and the cached answer is reused for every route)"
            } else {
                "a simple response allows every route of the API for this caller; use an IAM policy response for per-route decisions"
            });
    }
    let Some(first) = r.eval.deciding.first() else {
        return Diag::new(
            Severity::Error,
            "policy_check::internal",
            "no deciding statement recorded",
            src,
        );
    };
    let Some(s) = r.statement(first.statement) else {
        return Diag::new(
            Severity::Error,
            "policy_check::internal",
            "deciding statement out of range",
            src,
        );
    };
    let arn = r.request.arn_display();
    let (verb, code, severity) = if deny {
        ("denies", "policy_check::explicit_deny", Severity::Error)
    } else {
        ("allows", "policy_check::allow", Severity::Advice)
    };
    let mut d = Diag::new(severity, code, format!("{} {verb} {req}", s.label()), src);
    match first.resource {
        Some(i) => {
            let e = &s.resource.entries[i];
            let label = if e.value == "*" {
                "`*` matches every request".to_string()
            } else {
                format!("matches {arn}")
            };
            d = d.primary(e.span, label);
        }
        None => {
            d = d.primary(
                s.resource.key_span,
                "no NotResource entry excludes this request, so the statement applies",
            );
        }
    }
    let (anchor, text) = statement_anchor(s);
    d = d.label(anchor, text);
    // A few "also" labels help; thousands would bury the answer (and slow the renderer).
    const MORE: usize = 3;
    for other in r.eval.deciding.iter().skip(1).take(MORE) {
        if let Some(o) = r.statement(other.statement) {
            let span = other
                .resource
                .map(|i| o.resource.entries[i].span)
                .unwrap_or(o.resource.key_span);
            d = d.label(span, format!("{} also {verb} it", o.label()));
        }
    }
    let rest = r.eval.deciding.len().saturating_sub(1 + MORE);
    let mut also = String::new();
    if rest > 0 {
        also = format!("{rest} more statements {verb} it too (see --format json)");
    }
    if deny {
        let allowed_too = r
            .eval
            .trace
            .iter()
            .filter(|t| t.applies == Applies::Yes)
            .filter_map(|t| r.statement(t.index))
            .find(|s| s.effect.value == Effect::Allow);
        let mut help = "a Deny overrides every Allow; if this caller should get in, narrow the Deny's Resource or drop the statement".to_string();
        if let Some(al) = allowed_too {
            help.push_str(&format!(" ({} would allow it)", al.label()));
        }
        if !also.is_empty() {
            help.push_str(&format!("; {also}"));
        }
        d = d.help(help);
    } else if !also.is_empty() {
        d = d.help(also);
    }
    d
}

fn implicit(
    r: &CheckReport<'_>,
    src: Option<miette::NamedSource<crate::source::SourceText>>,
    req: &str,
) -> Diag {
    let arn = r.request.arn_display();
    let mut d = Diag::new(
        Severity::Error,
        "policy_check::implicit_deny",
        format!("no statement allows {req}"),
        src,
    );
    let Some(policy) = &r.checked.authorizer.policy else {
        return d;
    };
    if policy.statements.is_empty() {
        return d
            .primary(policy.statement_span, "no statements: nothing is allowed")
            .help(format!(
                "add an Allow statement with \"Action\": \"execute-api:Invoke\" and \"Resource\": \"{}\"",
                r.eval.nearest.as_ref().map_or(arn.as_str(), |n| n.fix.as_str())
            ));
    }
    for t in &r.eval.trace {
        let Some(s) = r.statement(t.index) else {
            continue;
        };
        match &t.reason {
            Reason::ActionDoesNotCoverInvoke => {
                d = d.label(
                    s.action.span,
                    format!("{}: does not cover execute-api:Invoke", s.label()),
                );
            }
            Reason::ExcludedByNotResource { resource } => {
                d = d.label(
                    s.resource.entries[*resource].span,
                    format!("{}: NotResource excludes this request", s.label()),
                );
            }
            _ => {}
        }
    }
    // The nearest Allow entry gets the primary label (every part where it fails) and the
    // help line (a Resource string to paste, built from the request and the policy).
    let nearest = r.eval.nearest.as_ref();
    match nearest.and_then(|n| Some((n, r.statement(n.statement)?, n.resource?))) {
        Some((n, s, i)) => {
            let e = &s.resource.entries[i];
            let what = n
                .misses
                .iter()
                .map(|m| match m.part {
                    "shape" => {
                        "a Resource with fewer than six ARN fields must end in `*`".to_string()
                    }
                    "service" => format!("the service is `{}`; write `execute-api`", m.policy),
                    part => format!(
                        "{part}: policy has `{}`, request has `{}`",
                        m.policy, m.request
                    ),
                })
                .collect::<Vec<_>>()
                .join("; ");
            d = d.primary(e.span, format!("nearest miss: {what}"));
            let (anchor, text) = statement_anchor(s);
            d = d.label(anchor, text);
            d = d.help(format!(
                "to allow {req}, add \"{}\" to the Resource of {}",
                n.fix,
                s.label(),
            ));
        }
        None => {
            d = d.primary(
                policy.statement_span,
                "no Allow statement applies to this request",
            );
            let fix = nearest.map_or_else(|| arn.clone(), |n| n.fix.clone());
            d = d.help(format!(
                "add an Allow statement with \"Action\": \"execute-api:Invoke\" and \"Resource\": \"{fix}\""
            ));
        }
    }
    d
}

fn depends(
    r: &CheckReport<'_>,
    src: Option<miette::NamedSource<crate::source::SourceText>>,
    req: &str,
) -> Diag {
    let parts: Vec<&str> = r.eval.depends_on.iter().map(|p| p.name()).collect();
    let mut d = Diag::new(
        Severity::Warning,
        "policy_check::depends",
        format!(
            "the decision for {req} depends on the {} you did not pin",
            join_and(&parts)
        ),
        src,
    );
    // A few labels show where; hundreds would bury the answer.
    const SHOWN: usize = 4;
    let depending: Vec<usize> = r
        .eval
        .trace
        .iter()
        .filter(|t| t.applies == Applies::Depends)
        .map(|t| t.index)
        .collect();
    for (k, &i) in depending.iter().take(SHOWN).enumerate() {
        let Some(s) = r.statement(i) else {
            continue;
        };
        let text = format!("{} applies only for some values", s.label());
        d = if k == 0 {
            d.primary(s.resource.span, text)
        } else {
            d.label(s.resource.span, text)
        };
    }
    let flags: Vec<String> = r
        .eval
        .depends_on
        .iter()
        .map(|p| format!("--{}", p.name()))
        .collect();
    let more = depending.len().saturating_sub(SHOWN);
    let also = if more > 0 {
        format!("{more} more statements also apply only for some values (see --format json); ")
    } else {
        String::new()
    };
    d.help(format!(
        "{also}pin {} (or give --arn) to get a single answer",
        join_and(&flags.iter().map(String::as_str).collect::<Vec<_>>())
    ))
}

/// "a", "a and b", "a, b and c".
pub fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
