//! The human `request` report: for each request, the step trace (✓ passed, ✗ answered,
//! ? depends, · skipped; each with where its evidence is), the exact HTTP answer (or each
//! case's answer when it depends), the cache, assumptions and undocumented points, the
//! ready test event when the authorizer's behaviour was not given, then miette reports
//! labelled in the files involved.

use std::fmt::Write as _;
use std::io;

use miette::Severity;

use super::text::{escape, escape_keep_lines};
use super::{CheckReport, Diag, Style, explain, render};
use crate::apidef::{RouteMatch, Router};
use crate::pipeline::{Answer, MadeBy, OutcomeKind, Step, StepReport, StepResult};
use crate::request_run::{Answered, RequestRun};
use crate::source::Source;

/// Writes the human report of a `request` run.
pub fn write(run: &RequestRun, style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    let text = render_run(run, style);
    out.write_all(text.as_bytes())
}

/// The whole report as text.
pub(crate) fn render_run(run: &RequestRun, style: Style) -> String {
    let mut text = String::new();
    let n = run.requests.len();
    for (i, a) in run.requests.iter().enumerate() {
        if n > 1 {
            let _ = writeln!(
                text,
                "{}── request #{} of {n} at t={} s: {}",
                if i == 0 { "" } else { "\n" },
                i + 1,
                a.at,
                escape(&a.label)
            );
        }
        one(&mut text, run, a, style);
    }
    text
}

/// The reason phrase of a status line.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        414 => "URI Too Long",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// The HTTP answer as a client sees it: status line, headers, blank line, body.
pub(crate) fn http_text(a: &Answer) -> String {
    let mut t = format!("HTTP/1.1 {} {}", a.status, reason(a.status))
        .trim_end()
        .to_string();
    t.push('\n');
    for (k, v) in &a.headers {
        let _ = writeln!(t, "{}: {}", escape(k), escape(v));
    }
    match (&a.body, a.made_by) {
        (Some(b), _) => {
            let _ = write!(t, "\n{}", escape_keep_lines(b));
        }
        (None, MadeBy::Integration) => {
            t.push_str("\n(the integration's own response: the request reaches the backend)")
        }
        (None, _) => {}
    }
    t
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| format!("{by}{l}").trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn mark(r: StepResult, step: Step) -> &'static str {
    match r {
        StepResult::Pass => "✓",
        // Reaching the integration is the good answer.
        StepResult::Answer if step == Step::Integration => "✓",
        StepResult::Answer => "✗",
        StepResult::Depends => "?",
        StepResult::Skipped => "·",
    }
}

fn step_line(s: &StepReport) -> String {
    let at = s.span.as_ref().map_or(String::new(), |e| {
        format!(
            "  [{}:{}:{}]",
            escape(&e.file),
            e.location.line,
            e.location.column
        )
    });
    format!(
        "  {} {:<16}{}{at}",
        mark(s.result, s.step),
        s.step.name(),
        escape(&s.detail)
    )
}

fn one(text: &mut String, run: &RequestRun, a: &Answered, style: Style) {
    let o = &a.outcome;
    let _ = writeln!(text, "steps:");
    for s in &o.steps {
        let _ = writeln!(text, "{}", step_line(s));
    }
    if let Some(c) = &o.cache {
        let _ = writeln!(
            text,
            "cache: the authorizer was not invoked; request #{} ({}) cached its result {} s earlier",
            c.from_request,
            escape(&c.from_label),
            c.age
        );
    } else if let Some(inv) = o.authorizer_invoked {
        let _ = writeln!(
            text,
            "cache: the authorizer was {}",
            if inv { "invoked" } else { "not invoked" }
        );
    }
    match (&o.outcome, &o.answer) {
        (OutcomeKind::Answer, Some(ans)) => {
            let who = match ans.made_by {
                MadeBy::Cloudfront => "CloudFront answers",
                MadeBy::ApiGateway => "API Gateway answers",
                MadeBy::Integration => "reaches the integration",
            };
            let _ = writeln!(text, "\nanswer ({who}, decided at `{}`):", ans.step.name());
            let _ = writeln!(text, "{}", indent(&http_text(ans), "  "));
        }
        _ => {
            let _ = writeln!(
                text,
                "\ndepends: the answer hangs on what the inputs do not say ({} cases)",
                o.cases.len()
            );
            for (i, c) in o.cases.iter().enumerate() {
                let _ = writeln!(
                    text,
                    "\n  case {}: when {}\n  decided at `{}`:",
                    i + 1,
                    escape(&c.when),
                    c.answer.step.name()
                );
                let _ = writeln!(text, "{}", indent(&http_text(&c.answer), "    "));
            }
        }
    }
    list(text, "assumptions", &o.assumptions);
    list(
        text,
        "undocumented (the answer hangs on these)",
        &o.undocumented,
    );
    if let Some(ev) = &o.authorizer_event {
        let pretty = serde_json::to_string_pretty(ev).unwrap_or_default();
        let _ = writeln!(
            text,
            "\nthe authorizer's behaviour is not given (--authorizer-output FILE or --authorizer-throws MESSAGE); the event API Gateway sends it, a ready test event:\n{}",
            indent(&escape_keep_lines(&pretty), "  ")
        );
    }
    for d in diagnostics(run, a) {
        let _ = write!(text, "\n{}", render(&d, style));
    }
}

fn list(text: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(text, "\n{title}:");
    for i in items {
        let _ = writeln!(text, "  - {}", escape(i));
    }
}

/// The source a step's evidence points into, by file name.
fn source_of<'a>(run: &'a RequestRun, a: &'a Answered, file: &str) -> Option<&'a Source> {
    [
        Some(&run.api.source),
        run.facts.source.as_ref(),
        a.output.as_ref().map(|c| &c.document.source),
    ]
    .into_iter()
    .flatten()
    .find(|s| s.name() == file)
}

fn code(step: Step) -> String {
    format!("policy_check::request::{}", step.name())
}

/// The miette reports of one request: the deciding step with its evidence, the closest
/// routes on a miss, the authorizer's identity sources, and the policy's own explanation
/// when the authorizer's policy decides.
pub(crate) fn diagnostics(run: &RequestRun, a: &Answered) -> Vec<Diag> {
    let o = &a.outcome;
    let mut out = Vec::new();
    let Some(deciding) = o
        .steps
        .iter()
        .rev()
        .find(|s| matches!(s.result, StepResult::Answer | StepResult::Depends))
    else {
        return out;
    };
    if deciding.step == Step::Integration {
        return out;
    }
    let severity = if deciding.result == StepResult::Depends {
        Severity::Warning
    } else {
        Severity::Error
    };
    let headline = match &o.answer {
        Some(ans) => format!(
            "{} {}: {}",
            ans.status,
            ans.error_type.as_deref().unwrap_or(reason(ans.status)),
            deciding.detail
        ),
        None => format!("depends at `{}`: {}", deciding.step.name(), deciding.detail),
    };
    if deciding.step == Step::Route {
        out.push(route_miss(run, a, severity, &headline));
    } else if let Some(ev) = &deciding.span
        && let Some(src) = source_of(run, a, &ev.file)
    {
        let gw = run.api.gateway_responses.iter().any(|g| g.span == ev.span);
        let label = match deciding.step {
            _ if gw => "the gateway response that rewrote the answer",
            Step::Identity => "the authorizer's identity sources (checked before it is invoked)",
            Step::Policy => "this statement decides",
            Step::ResourcePolicy => "the resource policy statement that decides",
            Step::Authorizer => "here",
            _ => "the evidence",
        };
        let d = Diag::new(severity, code(deciding.step), &headline, Some(src.named()))
            .primary(first_line(src, ev.span), label);
        out.push(with_rewrites(d, o));
    } else {
        let d = Diag::new(severity, code(deciding.step), &headline, None);
        out.push(with_rewrites(d, o));
    }
    // The cache: whose result was reused, and the authorizer's TTL.
    if let Some(c) = &o.cache
        && let Some(id) = o.steps.iter().find(|s| s.step == Step::Identity)
        && let Some(ev) = &id.span
        && let Some(src) = source_of(run, a, &ev.file)
    {
        out.push(
            Diag::new(
                Severity::Advice,
                code(Step::Cache),
                format!(
                    "the authorizer was not invoked: the result of request #{} ({}) was reused, {} s old",
                    c.from_request, c.from_label, c.age
                ),
                Some(src.named()),
            )
            .primary(first_line(src, ev.span), "cached per identity-source value for the authorizer's TTL")
            .help("a cached policy is evaluated again against each later request's method ARN: allow every route the token may call (e.g. …/stage/*/*), or set the TTL to 0"),
        );
    }
    // The authorizer's policy decided: the explanation `check` gives, in the output file.
    if matches!(deciding.step, Step::Policy)
        && let Some(checked) = &a.output
    {
        let req = a.request.arn_request();
        if let Ok(eval) = checked.evaluate(&req) {
            let report = CheckReport {
                checked,
                request: &req,
                eval: &eval,
                expect: None,
                lint: &[],
            };
            out.extend(explain(&report));
        }
    }
    out
}

/// The notes saying a gateway response rewrote the answer, as the help line.
fn with_rewrites(d: Diag, o: &crate::pipeline::PipelineOutcome) -> Diag {
    let notes: Vec<&str> = o
        .assumptions
        .iter()
        .filter(|n| n.contains("gateway response"))
        .map(String::as_str)
        .collect();
    if notes.is_empty() {
        d
    } else {
        d.help(notes.join("; "))
    }
}

/// The first line of `span`: a route or a gateway response spans a whole object, and the
/// label needs only where it starts.
fn first_line(src: &Source, span: crate::span::Span) -> crate::span::Span {
    let text = src.text().get(span.range()).unwrap_or_default();
    crate::span::Span::new(span.offset(), text.find('\n').unwrap_or(text.len()))
}

/// No route: labels on the closest routes of the definition.
fn route_miss(run: &RequestRun, a: &Answered, severity: Severity, headline: &str) -> Diag {
    let api = &run.api;
    let mut d = Diag::new(
        severity,
        code(Step::Route),
        headline,
        Some(api.source.named()),
    );
    if let RouteMatch::Miss(m) = Router::new(api).find(&a.request.method, &a.request.path) {
        for (k, &i) in m.closest.iter().enumerate() {
            let r = &api.routes[i];
            let label = format!("closest route: `{}`", r.key());
            let span = first_line(&api.source, r.span);
            d = if k == 0 {
                d.primary(span, label)
            } else {
                d.label(span, label)
            };
        }
        if let Some(g) = a
            .outcome
            .steps
            .iter()
            .find(|s| s.step == Step::Route)
            .and_then(|s| s.span.as_ref())
            .filter(|e| e.file == api.source.name())
        {
            d = d.label(
                first_line(&api.source, g.span),
                "the gateway response that rewrote the answer",
            );
        }
        if m.closest.is_empty() {
            d = d.help("the definition has no route near this path: check the method and the path after the stage");
        } else {
            d = d.help("API Gateway answers 403 for a route it does not have (not 404): check the method and the path, or add the route");
        }
    }
    d
}
