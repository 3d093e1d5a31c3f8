//! `Resource` / `NotResource`: the execute-api ARN
//! `arn:PARTITION:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH`, matched field-wise with
//! IAM wildcards (DESIGN.md, "Matching a Resource").

use super::cross_statement::subset_fields;
use super::{Ctx, Finding, Rule, suggest};
use crate::arn::{ArnTemplate, MethodArn, ResourceFields, Target};
use crate::authorizer::{Effect, Statement};
use crate::eval::covers_invoke;
use crate::pattern::{DEFAULT_LIMIT, Domain, Glob, atoms};
use crate::span::Span;

/// The HTTP verbs that appear in method ARNs.
pub const VERBS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
/// Known ARN partitions.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];
/// API Gateway's limit on a Resource entry in an authorizer policy.
pub const MAX_RESOURCE_LEN: usize = 512;

rule! {
    /// ## What it does
    /// Reports a Resource entry that cannot be an execute-api method ARN: not an ARN at all,
    /// another service (`arn:aws:apigateway:…`, a Lambda ARN), a wildcard in the service
    /// field, too few fields without a final absorbing `*`, or a resource part without
    /// `API/STAGE/ROUTE`.
    ///
    /// ## Why it matters
    /// The entry matches no request, so the statement silently does nothing for it.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Action": "execute-api:Invoke",
    ///  "Resource": "arn:aws:apigateway:us-east-1::/restapis/abc123"}
    /// ```
    ///
    /// ## Fix
    /// Use `arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/VERB/PATH`, with `*` for the
    /// parts that may vary.
    pub static RESOURCE_NOT_EXECUTE_API_ARN = ("PC030", "resource-not-execute-api-arn", Error, "a Resource that is not an execute-api method ARN");
}

rule! {
    /// ## What it does
    /// Reports a partition, region or account field that no real ARN has: an unknown
    /// partition, a region not shaped like `us-east-1`, an account that is not 12 digits
    /// (`false`, `undefined`, `null` from string building), or a partition that cannot go
    /// with the region (`arn:aws:` with `cn-north-1`).
    ///
    /// ## Why it matters
    /// The entry matches no request.
    ///
    /// ## Example
    /// ```json
    /// {"Resource": "arn:aws:execute-api:us-east-1:undefined:abc123/prod/GET/things"}
    /// ```
    ///
    /// ## Fix
    /// Build the ARN from the request's `methodArn`, or use `*` for the field.
    pub static RESOURCE_BAD_ARN_FIELD = ("PC031", "resource-bad-arn-field", Error, "a partition, region or account value no ARN has");
}

rule! {
    /// ## What it does
    /// Reports an HTTP verb that never appears in a method ARN: `ANY`, `ALL`, lower-case
    /// `get`, or a typo. Method ARNs carry the request's actual verb in upper case, even for
    /// an `ANY` method.
    ///
    /// ## Why it matters
    /// The entry matches no request.
    ///
    /// ## Example
    /// ```json
    /// {"Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/ANY/things"}
    /// ```
    ///
    /// ## Fix
    /// Use `*` for every verb, or the upper-case verb (`GET`).
    pub static RESOURCE_BAD_VERB = ("PC032", "resource-bad-verb", Error, "an HTTP verb that never appears in a method ARN");
}

rule! {
    /// ## What it does
    /// Reports path template placeholders (`{id}`, `{proxy+}`) and unfilled template
    /// markers (`<<stage>>`, `${region}`) in a Resource.
    ///
    /// ## Why it matters
    /// The method ARN carries the real path (`/things/42`), never the template
    /// (`/things/{id}`), and IAM treats `{` as a literal character: the entry never matches.
    ///
    /// ## Example
    /// ```json
    /// {"Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things/{id}"}
    /// ```
    ///
    /// ## Fix
    /// Put the real value in, or `*` for any value: `…/GET/things/*`.
    pub static RESOURCE_PLACEHOLDER = ("PC033", "resource-placeholder", Error, "a path template placeholder that never matches a request");
}

rule! {
    /// ## What it does
    /// Reports, in an Allow, a `*` in the verb slot or in the middle of the path that is
    /// followed by more path (`…/prod/*/reports`, `…/GET/users/*/profile`). A Deny that
    /// matches more than meant fails safe and is not reported.
    ///
    /// ## Why it matters
    /// IAM's `*` also matches `/`, so it spans path segments: `prod/*/reports` allows
    /// `GET /admin/reports` and `users/*/profile` allows `users/a/b/c/profile`.
    ///
    /// ## Example
    /// ```json
    /// {"Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/reports"}
    /// ```
    ///
    /// ## Fix
    /// List the verbs and paths you mean, or accept the wider match and turn the rule off
    /// for this Sid in `.policy-check.toml`.
    pub static WILDCARD_SPANS_SEGMENTS = ("PC034", "wildcard-spans-segments", Warning, "a * in the verb slot or mid-path that also matches /");
}

rule! {
    /// ## What it does
    /// Reports a Resource ending in a verb without a trailing slash (`…/prod/GET`).
    ///
    /// ## Why it matters
    /// Every REST method ARN has a path after the verb; the root resource's is
    /// `…/prod/GET/`, with the slash. `…/prod/GET` matches no request at all.
    ///
    /// ## Example
    /// ```json
    /// {"Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET"}
    /// ```
    ///
    /// ## Fix
    /// Write `…/prod/GET/` for the root path, or `…/prod/GET/*` for every path.
    pub static RESOURCE_ROOT_PATH = ("PC035", "resource-root-path", Error, "a Resource ending in the verb misses the root path's trailing slash");
}

rule! {
    /// ## What it does
    /// Reports, in an Allow, a `*` in the API id or stage followed by more of the ARN
    /// (`abc123/*/GET/things`).
    ///
    /// ## Why it matters
    /// That `*` also matches `/`, so `abc123/*/GET/things` matches
    /// `abc123/prod/POST/x/GET/things`, a POST to `/x/GET/things`. Usually harmless, but it
    /// is not "any stage".
    ///
    /// ## Example
    /// ```json
    /// {"Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/things"}
    /// ```
    ///
    /// ## Fix
    /// Name the stage (`abc123/prod/GET/things`) when you can.
    pub static WILDCARD_IN_API_OR_STAGE = ("PC036", "wildcard-in-api-or-stage", Info, "a * in the API id or stage that also spans /");
}

rule! {
    /// ## What it does
    /// Reports a Resource entry longer than 512 characters.
    ///
    /// ## Why it matters
    /// API Gateway limits the Resource of an authorizer's policy to 512 characters.
    ///
    /// ## Example
    /// ```json
    /// {"Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/aaaa…(600 characters)"}
    /// ```
    ///
    /// ## Fix
    /// Shorten it with a trailing `*`.
    pub static RESOURCE_TOO_LONG = ("PC037", "resource-too-long", Error, "a Resource entry over 512 characters");
}

rule! {
    /// ## What it does
    /// Reports `"Resource": []`.
    ///
    /// ## Why it matters
    /// An empty Resource matches nothing, so the statement never applies.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": []}
    /// ```
    ///
    /// ## Fix
    /// Add the method ARNs, or remove the statement.
    pub static RESOURCE_EMPTY = ("PC038", "resource-empty", Warning, "an empty Resource array");
}

rule! {
    /// ## What it does
    /// Reports `NotResource` in an Allow statement.
    ///
    /// ## Why it matters
    /// It allows every ARN except the listed ones: every API, stage and account, now and
    /// later. SAM CLI rejects it and serverless-offline ignores it.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Action": "execute-api:Invoke",
    ///  "NotResource": "arn:aws:execute-api:*:*:*/prod/DELETE/*"}
    /// ```
    ///
    /// ## Fix
    /// List what is allowed in `Resource`, and deny the exceptions with a Deny statement.
    pub static NOT_RESOURCE_WITH_ALLOW = ("PC039", "not-resource-with-allow", Warning, "NotResource in an Allow statement");
}

rule! {
    /// ## What it does
    /// Reports, in an Allow, a Resource whose route part after `API/STAGE/` is only
    /// wildcards and slashes and needs a `/` to match (`…/production/*/*`, `…/prod/*/`).
    /// Such an entry matches REST and HTTP method ARNs (`…/STAGE/VERB/PATH`) only.
    /// Not reported when another Allow entry already covers the stage's `$connect` route.
    ///
    /// ## Why it matters
    /// WebSocket route ARNs have no verb segment: `…/production/$connect`,
    /// `…/production/sendMessage`. `production/*/*` needs a second `/` after the stage,
    /// which they do not have: the entry never allows a WebSocket route, and a connection
    /// that nothing else allows gets 403.
    /// The output does not say which kind of API it is for, so this is only a remark.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Action": "execute-api:Invoke",
    ///  "Resource": "arn:aws:execute-api:us-east-1:123456789012:ws0123/production/*/*"}
    /// ```
    ///
    /// ## Fix
    /// Use `…/production/*`, which covers both REST/HTTP method ARNs and WebSocket route
    /// ARNs; keep the entry (and turn the rule off) if the API is REST or HTTP only.
    pub static WEBSOCKET_ROUTE_UNMATCHED = ("PC042", "websocket-route-unmatched", Info, "an Allow whose route needs VERB/PATH never matches WebSocket route ARNs");
}

rule! {
    /// ## What it does
    /// Reports a Deny entry ending in a literal path segment followed by `/*`
    /// (`…/DELETE/things/*`) when the bare path (`…/DELETE/things`) is not denied by any
    /// other Deny entry but an Allow may allow it. `…/GET/*` is not reported: `*` matches
    /// the empty string, so it covers the root `…/GET/` too.
    ///
    /// ## Why it matters
    /// Matching is anchored and the `/` before `*` is literal, so `…/things/*` matches
    /// `…/things/42` but not `…/things` itself: a request to `/things` is not denied, and
    /// an Allow such as `…/prod/*/things` lets it through.
    ///
    /// ## Example
    /// ```json
    /// [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*"},
    ///  {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/things/*"}]
    /// ```
    ///
    /// ## Fix
    /// Add the bare path as a second Resource entry (`…/prod/DELETE/things`), or use
    /// `…/prod/DELETE/things*`, which also matches `/things-archive`.
    pub static DENY_LEAVES_PREFIX_OPEN = ("PC043", "deny-leaves-prefix-open", Warning, "a Deny on PATH/* that leaves PATH itself open");
}

/// Something wrong with one Resource entry.
#[derive(Debug, Clone)]
pub struct Issue {
    /// The rule.
    pub rule: &'static Rule,
    /// Message.
    pub message: String,
    /// Label.
    pub label: String,
    /// Help.
    pub help: String,
    /// Byte range inside the entry's text to label, if narrower than the entry.
    pub within: Option<(usize, usize)>,
}

fn issue(
    rule: &'static Rule,
    message: String,
    label: &str,
    help: String,
    within: Option<(usize, usize)>,
) -> Issue {
    Issue {
        rule,
        message,
        label: label.to_string(),
        help,
        within,
    }
}

/// Whether the entry can match no request at all (an error-level issue other than length).
pub fn is_dead(entry: &str) -> bool {
    analyze(entry)
        .iter()
        .any(|i| i.rule.severity == super::Severity::Error && i.rule != &RESOURCE_TOO_LONG)
}

/// Everything wrong with one Resource entry.
pub fn analyze(entry: &str) -> Vec<Issue> {
    let mut out = Vec::new();
    if entry.chars().count() > MAX_RESOURCE_LEN {
        out.push(issue(
            &RESOURCE_TOO_LONG,
            format!(
                "Resource entry is {} characters; API Gateway allows {MAX_RESOURCE_LEN}",
                entry.chars().count()
            ),
            "too long",
            "shorten it with a trailing `*`".to_string(),
            None,
        ));
    }
    if entry == "*" {
        return out;
    }
    placeholders(entry, &mut out);
    let rf = ResourceFields::split(entry);
    let f = &rf.fields;
    let n = f.len();
    // Byte offset of field i inside the entry.
    let start = |i: usize| f[..i].iter().map(|x| x.len() + 1).sum::<usize>();
    let not_arn = |msg: String, label: &str, within| {
        issue(
            &RESOURCE_NOT_EXECUTE_API_ARN,
            msg,
            label,
            "use arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/VERB/PATH, with * for parts that may vary".to_string(),
            within,
        )
    };
    if f[0] != "arn" {
        out.push(not_arn(
            format!("Resource \"{}\" is not an ARN", short(entry)),
            "not an ARN",
            None,
        ));
        return out;
    }
    if n < 6 && !f[n - 1].ends_with('*') {
        out.push(not_arn(
            format!(
                "Resource \"{}\" has {n} of the 6 ARN fields and does not end in `*`",
                short(entry)
            ),
            "missing ARN fields",
            None,
        ));
        return out;
    }
    if let Some(svc) = f.get(2) {
        let absorbing = n == 3 && *svc == "*";
        if svc.contains(['*', '?']) && !absorbing {
            out.push(not_arn(
                format!("a wildcard in the service field (`{svc}`) matches nothing"),
                "no wildcard allowed here",
                Some((start(2), svc.len())),
            ));
            return out;
        }
        if !absorbing && *svc != "execute-api" {
            out.push(not_arn(
                format!("Resource is an ARN of service `{svc}`, not `execute-api`"),
                "not execute-api",
                Some((start(2), svc.len())),
            ));
            return out;
        }
    }
    // Fields that are the absorbing last field of a short entry are not checked for shape.
    let literal = |i: usize| -> Option<&str> {
        f.get(i)
            .copied()
            .filter(|v| !(v.contains(['*', '?']) || (i == n - 1 && n < 6)))
    };
    if let Some(p) = literal(1)
        && !PARTITIONS.contains(&p)
    {
        out.push(issue(
            &RESOURCE_BAD_ARN_FIELD,
            format!("`{p}` is not an AWS partition"),
            "unknown partition",
            match suggest(p, PARTITIONS, 2) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "use `aws` (or aws-cn, aws-us-gov…), or `*`".to_string(),
            },
            Some((start(1), p.len())),
        ));
    }
    if let Some(r) = literal(3) {
        if !region_shape(r) {
            out.push(issue(
                &RESOURCE_BAD_ARN_FIELD,
                format!("`{r}` is not a region"),
                "not a region",
                "use a region such as us-east-1, or `*`".to_string(),
                Some((start(3), r.len())),
            ));
        } else if let Some(p) = literal(1) {
            let want = if r.starts_with("cn-") {
                "aws-cn"
            } else if r.starts_with("us-gov-") {
                "aws-us-gov"
            } else if r.starts_with("us-iso-") {
                "aws-iso"
            } else if r.starts_with("us-isob-") {
                "aws-iso-b"
            } else {
                ""
            };
            let ok = if want.is_empty() {
                p == "aws"
                    || !PARTITIONS.contains(&p)
                    || p.starts_with("aws-iso")
                    || p == "aws-eusc"
            } else {
                p == want
            };
            if !ok {
                out.push(issue(
                    &RESOURCE_BAD_ARN_FIELD,
                    format!("region `{r}` is not in partition `{p}`"),
                    "partition and region disagree",
                    format!(
                        "use partition `{}` for {r}, or `*`",
                        if want.is_empty() { "aws" } else { want }
                    ),
                    Some((start(1), p.len())),
                ));
            }
        }
    }
    if let Some(a) = literal(4)
        && !(a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
    {
        out.push(issue(
            &RESOURCE_BAD_ARN_FIELD,
            format!("`{a}` is not an account id (12 digits)"),
            "not an account id",
            "use the 12-digit account id, or `*`".to_string(),
            Some((start(4), a.len())),
        ));
    }
    if n == 6 {
        route_checks(f[5], start(5), &mut out);
    }
    out
}

fn route_checks(res: &str, base: usize, out: &mut Vec<Issue>) {
    let segs: Vec<&str> = res.split('/').collect();
    let seg_start = |i: usize| base + segs[..i].iter().map(|x| x.len() + 1).sum::<usize>();
    if segs.len() < 3 && !res.ends_with('*') {
        out.push(issue(
            &RESOURCE_NOT_EXECUTE_API_ARN,
            format!("the resource part `{res}` lacks API_ID/STAGE/ROUTE"),
            "incomplete",
            "write API_ID/STAGE/VERB/PATH, e.g. abc123/prod/GET/things, or end it in `*`"
                .to_string(),
            Some((base, res.len())),
        ));
        return;
    }
    for (i, what) in [(0, "API id"), (1, "stage")] {
        if segs.get(i) == Some(&"") {
            out.push(issue(
                &RESOURCE_NOT_EXECUTE_API_ARN,
                format!("the {what} is empty"),
                "empty",
                format!("put the {what} here, or `*`"),
                Some((seg_start(i), 0)),
            ));
            return;
        }
    }
    // The verb: only when a path follows (else it may be a WebSocket route key).
    if segs.len() >= 4 {
        let verb = segs[2];
        if !verb.contains(['*', '?']) && !VERBS.contains(&verb) {
            let help = if verb.eq_ignore_ascii_case("any") || verb.eq_ignore_ascii_case("all") {
                "method ARNs carry the request's own verb: use `*` for every verb".to_string()
            } else if VERBS.contains(&verb.to_ascii_uppercase().as_str()) {
                format!(
                    "write `{}`: verbs in method ARNs are upper case",
                    verb.to_ascii_uppercase()
                )
            } else {
                match suggest(verb, VERBS, 2) {
                    Some(v) => format!("did you mean `{v}`? Or use `*` for every verb"),
                    None => "use an upper-case HTTP verb, or `*`".to_string(),
                }
            };
            out.push(issue(
                &RESOURCE_BAD_VERB,
                format!("`{verb}` never appears as the verb of a method ARN"),
                "not a request verb",
                help,
                Some((seg_start(2), verb.len())),
            ));
        }
    }
    if segs.len() == 3 && VERBS.contains(&segs[2]) {
        out.push(issue(
            &RESOURCE_ROOT_PATH,
            format!(
                "`…/{}/{}` matches no request: every method ARN has a path after the verb",
                segs[1], segs[2]
            ),
            "no path after the verb",
            format!(
                "write `…/{}/` for the root path, or `…/{}/*` for every path",
                segs[2], segs[2]
            ),
            Some((seg_start(2), segs[2].len())),
        ));
    }
    // A `*` is harmless when only `/` and `*` follow it.
    let spans_more = |text: &str, at: usize| !text[at + 1..].chars().all(|c| c == '/' || c == '*');
    let route_off = seg_start(2.min(segs.len() - 1)) - base;
    if segs.len() >= 3 {
        let route = &res[route_off..];
        if let Some(p) = route.find('*').filter(|&p| spans_more(route, p)) {
            let in_verb = route[..p].find('/').is_none();
            let (message, label) = if in_verb {
                (
                    format!(
                        "`*` in the verb slot of `{route}` also matches other verbs with deeper paths"
                    ),
                    "also matches `/`",
                )
            } else {
                (
                    format!(
                        "`*` in the middle of `{route}` also matches `/`, so it spans path segments"
                    ),
                    "spans segments",
                )
            };
            out.push(issue(
                &WILDCARD_SPANS_SEGMENTS,
                message,
                label,
                "list the verbs and paths you mean; `*` in IAM matches any characters, `/` included".to_string(),
                Some((base + route_off + p, 1)),
            ));
        }
    }
    let head = &res[..route_off];
    if let Some(p) = head.find('*').filter(|&p| spans_more(res, p)) {
        out.push(issue(
            &WILDCARD_IN_API_OR_STAGE,
            format!(
                "`*` in the {} of `{res}` also matches `/` and the rest of a longer ARN",
                if p < segs[0].len() { "API id" } else { "stage" }
            ),
            "also matches `/`",
            "name the API id and stage when you can".to_string(),
            Some((base + p, 1)),
        ));
    }
}

fn placeholders(entry: &str, out: &mut Vec<Issue>) {
    for (open, close) in [("{", "}"), ("<<", ">>"), ("${", "}")] {
        if let Some(a) = entry.find(open)
            && let Some(b) = entry[a..].find(close)
        {
            let text = &entry[a..a + b + close.len()];
            if open == "{" && entry[..a].ends_with('$') {
                continue;
            }
            out.push(issue(
                &RESOURCE_PLACEHOLDER,
                format!("`{text}` is a template placeholder; method ARNs carry the real path, so this never matches"),
                "literal text, never a real value",
                "put the real value in, or `*` for any value".to_string(),
                Some((a, text.len())),
            ));
            return;
        }
    }
}

fn region_shape(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

fn short(s: &str) -> String {
    if s.chars().count() > 60 {
        s.chars().take(57).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

/// The span of bytes `start..start+len` of a string value, when the literal has no escapes
/// (so source bytes and value bytes line up); otherwise the whole literal.
pub(crate) fn sub_span(text: &str, lit: Span, value: &str, within: Option<(usize, usize)>) -> Span {
    match within {
        Some((start, len))
            if text
                .get(lit.range())
                .is_some_and(|t| t.len() == value.len() + 2) =>
        {
            Span::new(lit.offset + 1 + start, len)
        }
        _ => lit,
    }
}

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let text = cx.doc.source.text();
    for s in &cx.statements {
        let Some(el) = s.resource() else {
            continue;
        };
        let i = s.index;
        if el.negated && s.is_allow() {
            out.push(
                Finding::new(
                    &NOT_RESOURCE_WITH_ALLOW,
                    el.member.key.span,
                    format!("statement {i} allows every ARN except the ones listed in NotResource"),
                    "Allow with NotResource",
                    "list what is allowed in Resource, and deny the exceptions in a Deny statement",
                )
                .in_statement(i),
            );
        }
        if el.empty_array && !el.negated {
            out.push(
                Finding::new(
                    &RESOURCE_EMPTY,
                    el.member.value.span,
                    format!("statement {i} has an empty Resource, so it never applies"),
                    "matches nothing",
                    "add the method ARNs, or remove the statement",
                )
                .in_statement(i),
            );
        }
        for (entry, span) in &el.entries {
            if s.is_allow() && !el.negated {
                websocket_route(cx, entry, *span, i, out);
            }
            for is in analyze(entry) {
                // A wider Deny fails safe; only an Allow that matches more is a surprise.
                let widening =
                    is.rule == &WILDCARD_SPANS_SEGMENTS || is.rule == &WILDCARD_IN_API_OR_STAGE;
                if widening && (el.negated || !s.is_allow()) {
                    continue;
                }
                out.push(
                    Finding::new(
                        is.rule,
                        sub_span(text, *span, entry, is.within),
                        is.message,
                        is.label,
                        is.help,
                    )
                    .in_statement(i),
                );
            }
        }
    }
    deny_prefix_open(cx, out);
}

/// For an entry `…:API/STAGE/ROUTE` whose ROUTE is only wildcards and slashes, with at least
/// one `/` (`*/*`): the byte offset of ROUTE in the entry, the entry up to API, API, STAGE
/// and ROUTE.
fn rest_only_route(entry: &str) -> Option<(usize, &str, &str, &str, &str)> {
    let f = ResourceFields::split(entry).fields;
    if f.len() != 6 {
        return None;
    }
    let res = f[5];
    let mut it = res.splitn(3, '/');
    let (api, stage, route) = (it.next()?, it.next()?, it.next()?);
    if api.is_empty() || stage.is_empty() {
        return None;
    }
    let rest_only = route.contains('/') && route.chars().all(|c| matches!(c, '*' | '?' | '/'));
    rest_only.then(|| {
        let base = entry.len() - res.len();
        (
            base + api.len() + stage.len() + 2,
            &entry[..base],
            api,
            stage,
            route,
        )
    })
}

/// PC042 on one entry of an Allow.
fn websocket_route(cx: &Ctx<'_>, entry: &str, span: Span, i: usize, out: &mut Vec<Finding>) {
    let Some((off, head, api, stage, route)) = rest_only_route(entry) else {
        return;
    };
    if is_dead(entry) {
        return;
    }
    // Another Allow entry that covers this stage's `$connect` shows that WebSocket routes
    // were thought of.
    let probe = format!("{head}{api}/{stage}/$connect");
    let covered = cx.statements.iter().any(|t| {
        t.is_allow()
            && t.resource().is_some_and(|el| {
                !el.negated
                    && el
                        .entries
                        .iter()
                        .any(|(e, _)| super::cross_statement::resource_subset(&probe, e))
            })
    });
    if covered {
        return;
    }
    out.push(
        Finding::new(
            &WEBSOCKET_ROUTE_UNMATCHED,
            sub_span(cx.doc.source.text(), span, entry, Some((off, route.len()))),
            format!(
                "`…/{stage}/{route}` matches REST/HTTP method ARNs only; WebSocket route ARNs (`…/{stage}/$connect`) have no verb segment, so this never matches them"
            ),
            "needs VERB/PATH",
            format!(
                "use `…/{stage}/*` to cover both (or ignore this if the API is REST or HTTP)"
            ),
        )
        .in_statement(i),
    );
}

/// For a Deny entry `…/SEGMENT/*` with a literal path segment: the bare path entry
/// (`…/SEGMENT`) and the segment.
fn prefix_hole(entry: &str) -> Option<(&str, &str)> {
    let bare = entry.strip_suffix("/*")?;
    let f = ResourceFields::split(bare).fields;
    if f.len() != 6 {
        return None;
    }
    // API, stage, verb, then at least one path segment.
    let segs: Vec<&str> = f[5].split('/').collect();
    let seg = *segs.last()?;
    (segs.len() >= 4 && !seg.is_empty() && !seg.contains(['*', '?'])).then_some((bare, seg))
}

/// How the bare path of a PC043 candidate may be allowed.
enum Allowed {
    No,
    /// By this entry (or NotResource key).
    At(Span),
    /// Perhaps: the path has wildcards, so nothing more precise is claimed.
    Maybe,
}

/// Whether some Allow statement may allow a request to `bare` (a live entry with no
/// wildcard after the verb), treating API id and stage as single segments as real method
/// ARNs have them.
fn bare_allowed(bare: &str, st: &[Statement]) -> Allowed {
    let f = ResourceFields::split(bare).fields;
    let mut segs = f[5].splitn(4, '/');
    let (api, stage, verb, path) = (
        segs.next().unwrap_or(""),
        segs.next().unwrap_or(""),
        segs.next().unwrap_or(""),
        segs.next().unwrap_or(""),
    );
    let allows: Vec<&Statement> = st
        .iter()
        .filter(|a| a.effect.value == Effect::Allow && covers_invoke(&a.action))
        .collect();
    if allows.is_empty() {
        return Allowed::No;
    }
    if path.contains(['*', '?']) {
        return Allowed::Maybe;
    }
    let values = [f[1], f[3], f[4], api, stage];
    let parts = values.map(|v| (!v.contains(['*', '?'])).then_some(v));
    let own: Vec<(usize, Glob)> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.contains(['*', '?']) && **v != "*")
        .map(|(k, v)| (k, Glob::new(v)))
        .collect();
    for v in VERBS.iter().filter(|v| crate::pattern::matches(verb, v)) {
        let route = format!("{v}/{path}");
        // With every part known, plain matching says it (and rejects most entries at once).
        let target = match parts {
            [Some(p), Some(r), Some(c), Some(i), Some(s)] => {
                format!("arn:{p}:execute-api:{r}:{c}:{i}/{s}/{route}")
                    .parse::<MethodArn>()
                    .ok()
                    .map(|arn| Target::new(&arn))
            }
            _ => None,
        };
        let template = ArnTemplate::new(parts, &route);
        // One budget for every entry of this candidate, so many entries stay fast.
        let work = std::cell::Cell::new(crate::pattern::WORK_LIMIT);
        // API id and stage hold no `/`, so an entry needing more slashes cannot match.
        let slashes = 2 + route.matches('/').count();
        let end = format!("/{route}");
        let may_match = |e: &str| {
            if let Some(t) = &target {
                return t.matches(e);
            }
            let f = ResourceFields::split(e).fields;
            if let [_, _, _, _, _, res] = f[..] {
                // The ARN ends in `/ROUTE`, and a match ends in the text after the last
                // wildcard: one of the two is a suffix of the other.
                let tail = &res[res.rfind(['*', '?']).map_or(0, |i| i + 1)..];
                if res.matches('/').count() > slashes
                    || !(tail.ends_with(&end) || end.ends_with(tail))
                {
                    return false;
                }
            }
            // Too intricate to solve within the budget: perhaps it matches (no claim).
            let mut left = work.get();
            let found = template
                .constraints(e, &mut left)
                .map_or(true, |ways| ways.iter().any(|w| compatible(w, &own)));
            work.set(left);
            found
        };
        for a in &allows {
            if a.resource.negated {
                // Allows all but the listed ones: excluded only if a listed one surely
                // matches the (literal) bare path.
                let excluded = !bare.contains(['*', '?'])
                    && a.resource
                        .entries
                        .iter()
                        .any(|n| super::cross_statement::resource_subset(bare, &n.value));
                if !excluded {
                    return Allowed::At(a.resource.key_span);
                }
                continue;
            }
            if let Some(e) = a.resource.entries.iter().find(|e| may_match(&e.value)) {
                return Allowed::At(e.span);
            }
        }
    }
    Allowed::No
}

/// Whether each unknown ARN part has a value that meets all of its constraints.
fn compatible(way: &[(usize, Glob)], own: &[(usize, Glob)]) -> bool {
    let domain = Domain::arn_part();
    (0..5).all(|k| {
        let globs: Vec<Glob> = way
            .iter()
            .chain(own)
            .filter(|(v, _)| *v == k)
            .map(|(_, g)| g.clone())
            .collect();
        match globs.len() {
            0 => true,
            1 => globs[0].satisfiable_in(&domain),
            _ => match atoms(&globs, &domain, DEFAULT_LIMIT) {
                Ok(regions) => regions.iter().any(|r| r.member.iter().all(|m| *m)),
                Err(_) => true,
            },
        }
    })
}

/// PC043: a Deny on `…/things/*` that leaves `…/things` itself open.
fn deny_prefix_open(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(policy) = &cx.auth.policy else {
        return;
    };
    if cx.auth.is_malformed() {
        return;
    }
    let st = &policy.statements;
    let denies: Vec<&Statement> = st
        .iter()
        .filter(|d| d.effect.value == Effect::Deny && covers_invoke(&d.action))
        .collect();
    // The entries of each Deny that can match something.
    let live: Vec<Vec<&str>> = denies
        .iter()
        .map(|d| {
            d.resource
                .entries
                .iter()
                .map(|e| e.value.as_str())
                .filter(|e| !is_dead(e))
                .collect()
        })
        .collect();
    let text = cx.doc.source.text();
    for d in denies.iter().filter(|d| !d.resource.negated) {
        for e in &d.resource.entries {
            let Some((bare, seg)) = prefix_hole(&e.value) else {
                continue;
            };
            if is_dead(&e.value) {
                continue;
            }
            let literal = !bare.contains(['*', '?']);
            // One string `bare` matches (its wildcards as short as they go): an entry that
            // covers `bare` matches it, which rules most entries out without automata.
            let witness = bare.replace('*', "").replace('?', "\u{1}");
            let covers =
                |n: &str| subset_fields(&witness, n) && (literal || subset_fields(bare, n));
            let denied = denies.iter().zip(&live).any(|(x, live)| {
                if x.resource.negated {
                    // Denies all but the listed ones: provably covers a literal path only.
                    literal && !live.iter().any(|n| covers(n))
                } else {
                    live.iter().any(|n| covers(n))
                }
            });
            if denied {
                continue;
            }
            let by = match bare_allowed(bare, st) {
                Allowed::No => continue,
                Allowed::At(span) => Some(span),
                Allowed::Maybe => None,
            };
            // From the stage on: `prod/DELETE/things`.
            let res = ResourceFields::split(bare).fields[5];
            let tail = res.split_once('/').map_or(res, |(_, r)| r);
            let mut f = Finding::new(
                &DENY_LEAVES_PREFIX_OPEN,
                sub_span(text, e.span, &e.value, Some((bare.len(), 2))),
                format!(
                    "this Deny does not cover `…/{tail}` itself: `…/{seg}/*` matches only what is below it"
                ),
                format!("matches only below `…/{seg}`"),
                format!(
                    "add `…/{tail}` as a second Resource entry (or use `…/{tail}*`, which also matches `/{seg}-archive`)"
                ),
            )
            .in_statement(d.index);
            if let Some(span) = by {
                // With no wildcard in the bare path, the Allow entry matches it for sure.
                let may = if literal { "is" } else { "may be" };
                f = f.with(span, format!("`…/{tail}` {may} allowed here"));
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(e: &str) -> Vec<&'static str> {
        analyze(e).iter().map(|i| i.rule.code).collect()
    }

    const A: &str = "arn:aws:execute-api:us-east-1:123456789012";

    /// The codes `lint` finds in a policy of `(effect, action, resource key, entries)`.
    fn policy_codes(statements: &[(&str, &str, &str, &[&str])]) -> Vec<&'static str> {
        let st: Vec<serde_json::Value> = statements
            .iter()
            .map(|(effect, action, key, entries)| {
                let entries: Vec<String> = entries.iter().map(|e| e.replace("ARN", A)).collect();
                serde_json::json!({"Effect": effect, "Action": action, *key: entries})
            })
            .collect();
        let doc = serde_json::json!({"Version": "2012-10-17", "Statement": st});
        let c = crate::Checked::from_bytes(
            "t.json",
            doc.to_string().into_bytes(),
            crate::InputKind::Policy,
        )
        .unwrap();
        super::super::lint_default(&c)
            .iter()
            .map(|f| f.rule.code)
            .collect()
    }

    const INVOKE: &str = "execute-api:Invoke";

    /// (Effect, Action, Resource key, entries) of a test statement.
    type Stmt = (
        &'static str,
        &'static str,
        &'static str,
        &'static [&'static str],
    );

    fn allow(entries: &'static [&'static str]) -> Stmt {
        ("Allow", INVOKE, "Resource", entries)
    }

    fn deny(entries: &'static [&'static str]) -> Stmt {
        ("Deny", INVOKE, "Resource", entries)
    }

    #[test]
    fn websocket_route_unmatched() {
        let fires = |st: &[_]| policy_codes(st).contains(&"PC042");
        assert!(fires(&[allow(&["ARN:ws1/prod/*/*"])]));
        assert!(fires(&[allow(&["ARN:ws1/prod/*/"])]));
        assert!(fires(&[allow(&["ARN:ws1/*/*/*"])]));
        assert!(!fires(&[allow(&["ARN:ws1/prod/*"])]));
        assert!(!fires(&[allow(&["ARN:ws1/prod/$connect"])]));
        // A verb or a path: meant for REST or HTTP.
        assert!(!fires(&[allow(&["ARN:abc/prod/GET/*"])]));
        assert!(!fires(&[allow(&["ARN:abc/prod/*/things"])]));
        assert!(!fires(&[allow(&["arn:aws:execute-api:*"])]));
        assert!(!fires(&[deny(&["ARN:ws1/prod/*/*"])]));
        // WebSocket routes covered by another Allow entry.
        assert!(!fires(&[allow(&[
            "ARN:ws1/prod/*/*",
            "ARN:ws1/prod/$connect"
        ])]));
        assert!(!fires(&[
            allow(&["ARN:ws1/prod/*/*"]),
            allow(&["ARN:ws1/*"])
        ]));
    }

    #[test]
    fn deny_leaves_prefix_open() {
        let fires = |st: &[_]| policy_codes(st).contains(&"PC043");
        let all = allow(&["ARN:abc/prod/*"]);
        assert!(fires(&[all, deny(&["ARN:abc/prod/DELETE/things/*"])]));
        assert!(fires(&[all, deny(&["ARN:abc/prod/*/admin/*"])]));
        assert!(fires(&[all, deny(&["ARN:abc/prod/GET/a/b/*"])]));
        // A wildcard stage in the Deny meets the Allow's stage.
        assert!(fires(&[all, deny(&["ARN:abc/*/DELETE/things/*"])]));
        // The bare path is denied too.
        assert!(!fires(&[
            all,
            deny(&["ARN:abc/prod/DELETE/things/*", "ARN:abc/prod/DELETE/things"])
        ]));
        assert!(!fires(&[
            all,
            deny(&["ARN:abc/prod/DELETE/things/*"]),
            deny(&["ARN:abc/prod/*/things"])
        ]));
        assert!(!fires(&[all, deny(&["ARN:abc/prod/DELETE/things*"])]));
        assert!(!fires(&[
            all,
            deny(&["ARN:abc/prod/DELETE/things/*"]),
            ("Deny", INVOKE, "NotResource", &["ARN:abc/prod/GET/*"]),
        ]));
        // `GET/*` covers the root `GET/` already.
        assert!(!fires(&[all, deny(&["ARN:abc/prod/GET/*"])]));
        // Nothing allows the bare path.
        assert!(!fires(&[
            allow(&["ARN:abc/prod/GET/things"]),
            deny(&["ARN:abc/prod/DELETE/things/*"])
        ]));
        assert!(!fires(&[
            allow(&["ARN:abc/*/GET/things", "ARN:abc/*/GET/things/*"]),
            deny(&["ARN:abc/*/DELETE/things/*"])
        ]));
        assert!(!fires(&[
            allow(&["ARN:abc/test/*"]),
            deny(&["ARN:abc/prod/DELETE/things/*"])
        ]));
        assert!(!fires(&[deny(&["ARN:abc/prod/DELETE/things/*"])]));
        // Unknown stage and verb: the Allow entry must fit the rest.
        assert!(fires(&[
            allow(&["ARN:abc/*/GET/t1"]),
            deny(&["ARN:abc/*/*/t1/*"])
        ]));
        assert!(fires(&[
            allow(&["ARN:abc/dev*"]),
            deny(&["ARN:abc/*/*/t1/*"])
        ]));
        assert!(!fires(&[
            allow(&[
                "ARN:abc/*/GET/p1",
                "ARN:abc/*/GET/t1/x",
                "ARN:abc/prod/GET/*/t1"
            ]),
            deny(&["ARN:abc/*/*/t1/*"])
        ]));
        assert!(!fires(&[
            allow(&["ARN:abc/dev*"]),
            deny(&["ARN:abc/prod*/*/t1/*"])
        ]));
        // An Allow with NotResource allows it unless it lists it.
        let not = |e: &'static [&'static str]| ("Allow", INVOKE, "NotResource", e);
        assert!(fires(&[
            not(&["ARN:abc/prod/GET/*"]),
            deny(&["ARN:abc/prod/DELETE/things/*"])
        ]));
        assert!(!fires(&[
            not(&["ARN:abc/prod/DELETE/things"]),
            deny(&["ARN:abc/prod/DELETE/things/*"])
        ]));
        // A Deny that does not cover Invoke denies nothing.
        assert!(!fires(&[
            all,
            (
                "Deny",
                "execute-api:InvalidateCache",
                "Resource",
                &["ARN:abc/prod/DELETE/things/*"]
            ),
        ]));
    }

    #[test]
    fn entries() {
        let ok = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things";
        assert!(codes(ok).is_empty());
        assert!(codes("*").is_empty());
        assert!(codes("arn:aws:execute-api:*").is_empty());
        assert!(codes("arn:aws:execute-api:us-east-1:123456789012:abc123/*").is_empty());
        assert!(codes("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/*").is_empty());
        assert!(codes("arn:aws:execute-api:us-east-1:123456789012:ws1/prod/$connect").is_empty());
        assert_eq!(codes("things"), ["PC030"]);
        assert_eq!(
            codes("arn:aws:lambda:us-east-1:123456789012:function:f"),
            ["PC030"]
        );
        assert_eq!(
            codes("arn:aws:execute-*:us-east-1:123456789012:a/b/GET/"),
            ["PC030"]
        );
        assert_eq!(codes("arn:aws:execute-api:us-east-1"), ["PC030"]);
        assert_eq!(
            codes("arn:aws:execute-api:false:false:a/b/GET/"),
            ["PC031", "PC031"]
        );
        assert_eq!(
            codes("arn:aws:execute-api:cn-north-1:123456789012:a/b/GET/"),
            ["PC031"]
        );
        assert_eq!(
            codes("arn:aws:execute-api:us-east-1:123456789012:a/b/ANY/x"),
            ["PC032"]
        );
        assert_eq!(
            codes("arn:aws:execute-api:us-east-1:123456789012:a/b/get/x"),
            ["PC032"]
        );
        assert_eq!(
            codes("arn:aws:execute-api:us-east-1:123456789012:a/b/GET/x/{id}"),
            ["PC033"]
        );
        assert_eq!(
            codes("arn:aws:execute-api:us-east-1:123456789012:a/b/*/x"),
            ["PC034"]
        );
        assert_eq!(
            codes("arn:aws:execute-api:us-east-1:123456789012:a/b/GET/u/*/p"),
            ["PC034"]
        );
        assert_eq!(
            codes("arn:aws:execute-api:us-east-1:123456789012:a/b/GET"),
            ["PC035"]
        );
        assert_eq!(
            codes("arn:aws:execute-api:us-east-1:123456789012:a/*/GET/x"),
            ["PC036"]
        );
        assert!(is_dead(
            "arn:aws:execute-api:us-east-1:123456789012:a/b/GET"
        ));
        assert!(!is_dead(
            "arn:aws:execute-api:us-east-1:123456789012:a/*/GET/x"
        ));
    }
}
