//! The human report: a verdict line, the request ARN, the HTTP response API Gateway would
//! send, the expectation (if any), then the miette diagnostics and notes.

use std::fmt::Write;

use super::{CheckReport, Style, explain, join_and, render};
use crate::eval::{Case, Decision};
use crate::response::response_for;

/// Renders the whole human report.
pub fn render_check(r: &CheckReport<'_>, style: Style) -> String {
    let mut out = String::new();
    let e = r.eval;
    let req = super::text::escape(&r.request_text()).into_owned();
    let who = |i: usize| {
        r.statement(i)
            .map(|s| super::text::escape(&s.label()).into_owned())
            .unwrap_or_else(|| format!("statement {i}"))
    };
    let http = r.checked.authorizer.shape == crate::Shape::Http;
    let line = match e.decision {
        Decision::Allow if http => format!("allow: {req} is allowed (isAuthorized is true)"),
        Decision::ExplicitDeny if http => {
            format!("explicit deny: {req} is denied (isAuthorized is false)")
        }
        Decision::Allow => format!(
            "allow: {req} is allowed by {}",
            e.deciding
                .first()
                .map_or("a statement".into(), |d| who(d.statement))
        ),
        Decision::ExplicitDeny => format!(
            "explicit deny: {req} is denied by {}",
            e.deciding
                .first()
                .map_or("a statement".into(), |d| who(d.statement))
        ),
        Decision::ImplicitDeny => format!("implicit deny: no statement allows {req}"),
        Decision::Malformed => {
            let n = r.checked.authorizer.problems.len();
            format!(
                "malformed: API Gateway cannot use this authorizer output ({n} problem{})",
                if n == 1 { "" } else { "s" }
            )
        }
        Decision::Depends => {
            let parts: Vec<&str> = e.depends_on.iter().map(|p| p.name()).collect();
            format!(
                "depends: the answer for {req} depends on the {}",
                join_and(&parts)
            )
        }
        Decision::NotInvoked => format!("not invoked: the authorizer does not run for {req}"),
    };
    let _ = writeln!(out, "{}", paint(&line, e.decision, style));
    if e.decision != Decision::Malformed {
        let _ = writeln!(out, "request: {}", r.request.arn_display());
        let unpinned: Vec<&str> = r.request.unpinned().iter().map(|p| p.name()).collect();
        let mut remarks = Vec::new();
        if let Some((part, value)) = r.request.assumed() {
            remarks.push(format!("{part} `{value}` assumed; --{part} sets it"));
        }
        if e.decision != Decision::Depends && !unpinned.is_empty() && !http {
            remarks.push(format!("the same for every {} value", join_and(&unpinned)));
        }
        for remark in remarks {
            let _ = writeln!(out, "         ({remark})");
        }
    }
    let _ = writeln!(
        out,
        "api type: {}{}",
        e.api_type.name(),
        if e.api_type_inferred {
            " (inferred; --api-type sets it)"
        } else {
            ""
        }
    );
    if e.decision == Decision::Depends {
        let _ = writeln!(out);
        for line in case_lines(&e.cases) {
            for (k, l) in textwrap::wrap(&line, style.width.saturating_sub(2).max(40))
                .iter()
                .enumerate()
            {
                let _ = writeln!(out, "{}{l}", if k == 0 { "  " } else { "      " });
            }
        }
    }
    if let Some(resp) = response_for(e.decision, e.api_type) {
        let _ = writeln!(out);
        for l in resp.to_string().lines() {
            if l.is_empty() {
                let _ = writeln!(out);
            } else {
                let _ = writeln!(out, "  {l}");
            }
        }
    }
    if let Some(w) = e.without_conditions {
        let _ = writeln!(
            out,
            "\nif the Conditions do not hold, the decision is {} instead",
            w.phrase()
        );
    }
    if let (Some(exp), Some(met)) = (r.expect, r.expectation_met()) {
        let _ = writeln!(
            out,
            "\nexpected {}: {}",
            exp.as_str(),
            if met {
                "met".to_string()
            } else {
                format!("NOT met (the decision is {})", e.decision.phrase())
            }
        );
    }
    let diags = explain(r);
    let doc = &r.checked.document;
    let spans = diags.iter().flat_map(|d| d.labels.iter().map(|l| l.0));
    let reformatted = super::pretty::has_long_lines(doc.source.text(), spans)
        .then(|| super::pretty::reformat(doc));
    for d in &diags {
        let shown = reformatted
            .as_ref()
            .and_then(|f| d.moved(f.source.named(), |s| f.map(s)))
            .map(|m| m.clip_labels(reformatted.as_ref().map_or("", |f| f.source.text())));
        let _ = write!(out, "\n{}", render(shown.as_ref().unwrap_or(d), style));
    }
    for n in r.notes() {
        let wrapped = textwrap::wrap(n, style.width.saturating_sub(6).max(40));
        let _ = writeln!(out, "\nnote: {}", wrapped.join("\n      "));
    }
    out
}

/// The verdict line in bold colour when colour is on: green for allow, red for a deny or a
/// 500, yellow otherwise. Two ANSI codes do not need a crate.
fn paint(line: &str, d: Decision, style: Style) -> String {
    if !style.color {
        return line.to_string();
    }
    let code = match d {
        Decision::Allow => "32",
        Decision::ExplicitDeny | Decision::ImplicitDeny | Decision::Malformed => "31",
        Decision::Depends | Decision::NotInvoked => "33",
    };
    format!("\x1b[1;{code}m{line}\x1b[0m")
}

/// One line per case, the most common decision folded into "otherwise" when that is exact
/// (cases are disjoint and cover everything, so "otherwise" is just the rest).
pub fn case_lines(cases: &[Case]) -> Vec<String> {
    let mut counts: Vec<(Decision, usize)> = Vec::new();
    for c in cases {
        match counts.iter_mut().find(|(d, _)| *d == c.decision) {
            Some((_, n)) => *n += 1,
            None => counts.push((c.decision, 1)),
        }
    }
    let fold = counts
        .iter()
        .filter(|(_, n)| *n > 1)
        .max_by_key(|(_, n)| *n)
        .map(|(d, _)| *d);
    let width = cases
        .iter()
        .map(|c| c.decision.phrase().len())
        .max()
        .unwrap_or(0);
    let mut lines: Vec<String> = cases
        .iter()
        .filter(|c| Some(c.decision) != fold)
        .map(|c| {
            // An example helps only where a constraint is not already one exact value.
            let example = c
                .example
                .iter()
                .filter(|(p, _)| {
                    c.when.iter().any(|w| {
                        let exact = w.description.starts_with(&format!("{p} is `"))
                            && !w.description.contains(", or ");
                        w.part == *p && !exact
                    })
                })
                .map(|(p, v)| format!("{p}={v}"))
                .collect::<Vec<_>>()
                .join(" ");
            format!(
                "{:width$}  when {}{}",
                c.decision.phrase(),
                c.describe(),
                if example.is_empty() {
                    String::new()
                } else {
                    format!("  (e.g. {example})")
                }
            )
        })
        .collect();
    if let Some(d) = fold {
        lines.push(format!("{:width$}  otherwise", d.phrase()));
    }
    const SHOWN: usize = 12;
    if lines.len() > SHOWN {
        let more = lines.len() - SHOWN;
        lines.truncate(SHOWN);
        lines.push(format!("… and {more} more cases (see --format json)"));
    }
    lines
}

/// Writes the human report of one check.
pub fn write(
    r: &CheckReport<'_>,
    style: Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    out.write_all(render_check(r, style).as_bytes())
}
