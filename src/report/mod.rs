//! Turning an evaluation into what a person or a program reads: the diagnostics that explain
//! it ([`explain`]), the human text ([`human`]) and the JSON document ([`json`]).
//! Nothing here prints; the CLI decides where the text goes.

mod diag;
pub mod human;
pub mod json;
pub mod pretty;

pub use diag::{DOCS, Diag, Style, render};

use miette::Severity;

use crate::Checked;
use crate::authorizer::{Effect, Statement};
use crate::eval::{Applies, Decision, Evaluation, Expect, Reason};
use crate::request::Request;

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
}

impl CheckReport<'_> {
    /// `GET /things`, or the route for a WebSocket ARN.
    pub fn request_text(&self) -> String {
        match (self.request.method(), self.request.path()) {
            (Some(m), Some(p)) => format!("{m} {p}"),
            _ => self.request.route().to_string(),
        }
    }

    fn statement(&self, i: usize) -> Option<&Statement> {
        self.checked
            .authorizer
            .policy
            .as_ref()
            .and_then(|p| p.statements.get(i))
    }

    /// Notes that do not change the decision (query string dropped, ARN too long).
    pub fn notes(&self) -> Vec<String> {
        let mut notes: Vec<String> = self.request.notes().to_vec();
        let len = self.request.arn_len_at_least();
        if len > 1600 {
            notes.push(format!(
                "the method ARN is {}{len} bytes, over API Gateway's 1600-byte limit: the client gets 414 Request URI too long before the authorizer runs",
                if self.request.unpinned().is_empty() { "" } else { "at least " }
            ));
        }
        notes
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
    }
    for &i in &r.eval.conditional {
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
                "how API Gateway treats Conditions in authorizer policies is not documented; if this one does not hold, the decision is {}",
                w.phrase()
            ));
        } else {
            d = d.help("how API Gateway treats Conditions in authorizer policies is not documented; the decision is the same either way");
        }
        out.push(d);
    }
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
                "add an Allow statement whose Resource covers {arn}"
            ));
    }
    // The nearest miss overall gets the primary label and the help line.
    let mut best: Option<(usize, usize, &crate::eval::NearestMiss)> = None;
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
            Reason::NoResourceMatches { nearest: Some(n) } if s.effect.value == Effect::Allow => {
                let score = n.miss.score;
                if best.is_none_or(|(b, _, _)| score > b) {
                    best = Some((score, t.index, n));
                }
            }
            _ => {}
        }
    }
    match best {
        Some((_, i, n)) => {
            let s = r.statement(i).expect("traced statements exist");
            let e = &s.resource.entries[n.resource];
            let m = &n.miss;
            let what = match m.part.as_str() {
                "shape" => "this entry cannot match any ARN: a Resource with fewer than six ARN fields must end in `*`".to_string(),
                "service" => "the service field takes no wildcard; write `execute-api`".to_string(),
                _ => format!("{}: policy has `{}`, request has `{}`", m.part, m.policy, m.request),
            };
            d = d.primary(e.span, format!("nearest miss: {what}"));
            let (anchor, text) = statement_anchor(s);
            d = d.label(anchor, text);
            d = d.help(format!(
                "to allow {arn}, make {} of {} cover it{}",
                if s.resource.entries.len() > 1 {
                    format!("Resource entry {}", n.resource)
                } else {
                    "the Resource".to_string()
                },
                s.label(),
                match m.part.as_str() {
                    "path" | "method" | "stage" | "api-id" | "region" | "account" | "partition"
                        if !m.policy.contains('*') =>
                        format!(
                            " (its {} is `{}`, the request's is `{}`)",
                            m.part, m.policy, m.request
                        ),
                    _ => String::new(),
                }
            ));
        }
        None => {
            d = d.primary(
                policy.statement_span,
                "no Allow statement applies to this request",
            );
            d = d.help(format!(
                "add an Allow statement whose Resource covers {arn}"
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
