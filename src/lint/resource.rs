//! `Resource` / `NotResource`: the execute-api ARN
//! `arn:PARTITION:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH`, matched field-wise with
//! IAM wildcards (DESIGN.md, "Matching a Resource").

pub(super) mod websocket_route;

use super::{Ctx, Finding, Rule, suggest};
use crate::arn::ResourceFields;
use crate::denote::{
    PARTITIONS, VERBS, absorbed_misfit, is_account, is_region, literal_field,
    partition_fits_region, placeholder, region_partition,
};
use crate::span::Span;

pub use websocket_route::WEBSOCKET_ROUTE_UNMATCHED;
/// API Gateway's limit on a Resource entry in an authorizer policy.
pub const MAX_RESOURCE_LEN: usize = 512;

rules! {
    family: Resource;

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
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke",
    ///    "Resource": "arn:aws:apigateway:us-east-1::/restapis/abc123"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Use `arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/VERB/PATH`, with `*` for the
    /// parts that may vary.
    pub static RESOURCE_NOT_EXECUTE_API_ARN = ("PC030", "resource-not-execute-api-arn", Error, "a Resource that is not an execute-api method ARN");

    /// ## What it does
    /// Reports a partition, region or account field that no real ARN has: an unknown
    /// partition, a region not shaped like `us-east-1`, an account that is not 12 digits
    /// (`false`, `undefined`, `null` from string building), or a partition that cannot go
    /// with the region (`arn:aws:` with `cn-north-1`). Also a field left out: in
    /// `arn:aws:execute-api:us-east-1:abc123/prod/GET/x/*` the account is missing, so
    /// `abc123/prod/…` stands where the 12-digit account id goes.
    ///
    /// ## Why it matters
    /// The entry matches no request.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:undefined:abc123/prod/GET/things"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Build the ARN from the request's `methodArn`, or use `*` for the field.
    pub static RESOURCE_BAD_ARN_FIELD = ("PC031", "resource-bad-arn-field", Error, "a partition, region or account value no ARN has");

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
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/ANY/things"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Use `*` for every verb, or the upper-case verb (`GET`).
    pub static RESOURCE_BAD_VERB = ("PC032", "resource-bad-verb", Error, "an HTTP verb that never appears in a method ARN");

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
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things/{id}"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Put the real value in, or `*` for any value: `…/GET/things/*`.
    pub static RESOURCE_PLACEHOLDER = ("PC033", "resource-placeholder", Error, "a path template placeholder that never matches a request");

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
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/reports"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// List the verbs and paths you mean, or accept the wider match and turn the rule off
    /// for this Sid in `.policy-check.toml`.
    pub static WILDCARD_SPANS_SEGMENTS = ("PC034", "wildcard-spans-segments", Warning, "a * in the verb slot or mid-path that also matches /");

    /// ## What it does
    /// Reports a Resource ending in a verb without a trailing slash (`…/prod/GET`).
    ///
    /// ## Why it matters
    /// Every REST method ARN has a path after the verb; the root resource's is
    /// `…/prod/GET/`, with the slash. `…/prod/GET` matches no request at all.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Write `…/prod/GET/` for the root path, or `…/prod/GET/*` for every path.
    pub static RESOURCE_ROOT_PATH = ("PC035", "resource-root-path", Error, "a Resource ending in the verb misses the root path's trailing slash");

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
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/things"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Name the stage (`abc123/prod/GET/things`) when you can.
    pub static WILDCARD_IN_API_OR_STAGE = ("PC036", "wildcard-in-api-or-stage", Info, "a * in the API id or stage that also spans /");

    /// ## What it does
    /// Reports a Resource entry longer than 512 characters.
    ///
    /// ## Why it matters
    /// API Gateway limits the Resource of an authorizer's policy to 512 characters.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/segment00/segment01/segment02/segment03/segment04/segment05/segment06/segment07/segment08/segment09/segment10/segment11/segment12/segment13/segment14/segment15/segment16/segment17/segment18/segment19/segment20/segment21/segment22/segment23/segment24/segment25/segment26/segment27/segment28/segment29/segment30/segment31/segment32/segment33/segment34/segment35/segment36/segment37/segment38/segment39/segment40/segment41/segment42/segment43/segment44/segment45/segment46/segment47/segment48/segment49/segment50/segment51"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Shorten it with a trailing `*`.
    pub static RESOURCE_TOO_LONG = ("PC037", "resource-too-long", Error, "a Resource entry over 512 characters");

    /// ## What it does
    /// Reports `"Resource": []`.
    ///
    /// ## Why it matters
    /// An empty Resource matches nothing, so the statement never applies.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": []}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Add the method ARNs, or remove the statement.
    pub static RESOURCE_EMPTY = ("PC038", "resource-empty", Warning, "an empty Resource array");

    /// ## What it does
    /// Reports `NotResource` in an Allow statement.
    ///
    /// ## Why it matters
    /// It allows every ARN except the listed ones: every API, stage and account, now and
    /// later. SAM CLI rejects it and serverless-offline ignores it.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke",
    ///    "NotResource": "arn:aws:execute-api:*:*:*/prod/DELETE/*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// List what is allowed in `Resource`, and deny the exceptions with a Deny statement.
    pub static NOT_RESOURCE_WITH_ALLOW = ("PC039", "not-resource-with-allow", Warning, "NotResource in an Allow statement");
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
    if let Some((at, len)) = placeholder(entry) {
        out.push(issue(
            &RESOURCE_PLACEHOLDER,
            format!(
                "`{}` is a template placeholder; method ARNs carry the real path, so this never matches",
                &entry[at..at + len]
            ),
            "literal text, never a real value",
            "put the real value in, or `*` for any value".to_string(),
            Some((at, len)),
        ));
    }
    let f = ResourceFields::split(entry);
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
    let literal = |i: usize| literal_field(&f, i);
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
        if !is_region(r) {
            out.push(issue(
                &RESOURCE_BAD_ARN_FIELD,
                format!("`{r}` is not a region"),
                "not a region",
                "use a region such as us-east-1, or `*`".to_string(),
                Some((start(3), r.len())),
            ));
        } else if let Some(p) = literal(1)
            && !partition_fits_region(p, r)
        {
            out.push(issue(
                &RESOURCE_BAD_ARN_FIELD,
                format!("region `{r}` is not in partition `{p}`"),
                "partition and region disagree",
                format!(
                    "use partition `{}` for {r}, or `*`",
                    region_partition(r).unwrap_or("aws")
                ),
                Some((start(1), p.len())),
            ));
        }
    }
    if let Some(a) = literal(4)
        && !is_account(a)
    {
        out.push(issue(
            &RESOURCE_BAD_ARN_FIELD,
            format!("`{a}` is not an account id (12 digits)"),
            "not an account id",
            "use the 12-digit account id, or `*`".to_string(),
            Some((start(4), a.len())),
        ));
    }
    if let Some(i) = absorbed_misfit(&f) {
        let what = ["", "partition", "service", "region", "account id"][i];
        out.push(issue(
            &RESOURCE_BAD_ARN_FIELD,
            format!(
                "Resource has {n} of the 6 ARN fields: `{}` stands where the {what} goes, so it matches no ARN (a field is missing)",
                short(f[n - 1])
            ),
            &format!("not a valid {what}: a field is missing"),
            format!("write all six fields, e.g. `{}`", with_missing_fields(&f)),
            Some((start(n - 1), f[n - 1].len())),
        ));
    }
    if n == 6 {
        route_checks(f[5], start(5), &mut out);
    }
    out
}

/// A short entry with `*` put in for its missing fields, before its last field (or before
/// an account id standing where the region goes).
fn with_missing_fields(f: &ResourceFields<'_>) -> String {
    let n = f.len();
    let mut fields: Vec<&str> = f[..n - 1].to_vec();
    let mut missing = 6 - n;
    if n == 5 && is_account(f[3]) && !is_region(f[3]) {
        fields.insert(3, "*");
        missing -= 1;
    }
    fields.extend(std::iter::repeat_n("*", missing));
    fields.push(f[n - 1]);
    fields.join(":")
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
            Span::new(lit.offset() + 1 + start, len)
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
                websocket_route::check_entry(cx, entry, *span, i, out);
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(e: &str) -> Vec<&'static str> {
        analyze(e).iter().map(|i| i.rule.code).collect()
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
        // A field left out: the absorbing last field stands where the account id goes.
        assert_eq!(
            codes("arn:aws:execute-api:us-east-1:abc123/prod/GET/x/*"),
            ["PC031"]
        );
        assert_eq!(codes("arn:aws:execute-api:abc123/prod/*"), ["PC031"]);
        assert!(codes("arn:aws:execute-api:us-east-1:1234*").is_empty());
        assert!(codes("arn:aws:execute-api:us-east-1:123456789012:abc*").is_empty());
        assert!(codes("arn:aws:execute-api:us-*").is_empty());
        assert!(codes("arn:aws:execute-api:us-east-1:*").is_empty());
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
    }

    /// `denote::is_dead` (a boolean for the pairwise rules) says what the error-level
    /// findings of `analyze` say, without building their messages.
    #[test]
    fn is_dead_agrees_with_the_error_findings() {
        let long = format!(
            "arn:aws:execute-api:us-east-1:123456789012:a/b/GET/{}",
            "x".repeat(600)
        );
        let mut entries: Vec<String> = [
            "*",
            "things",
            "arn:*",
            "arm:aws:execute-api:*",
            "arn:aws:*",
            "arn:aws:execute-api:*",
            "arn:aws:execute-*",
            "arn:aws:execute-api:us-east-1",
            "arn:aws:execute-api:us-east-1:*",
            "arn:aws:execute-api:us-east-1:abc123/prod/GET/x/*",
            "arn:aws:execute-api:abc123/prod/*",
            "arn:aws:execute-api:us-east-1:1234*",
            "arn:aws:exec*",
            "arn:aws:execute-api:us-east-1:123456789012:abc*",
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            "arn:aws:*:us-east-1:123456789012:a/b/GET/",
            "arn:aws:execute-api:false:false:a/b/GET/",
            "arn:aws:execute-api:cn-north-1:123456789012:a/b/GET/",
            "arn:aws-cn:execute-api:cn-north-1:123456789012:a/b/GET/",
            "arn:awz:execute-api:us-east-1:123456789012:a/b/GET/",
            "arn:aws:execute-api:us-east-1:12345:a/b/GET/",
            "arn:aws:execute-api:us-east-1:123456789012:a",
            "arn:aws:execute-api:us-east-1:123456789012:a*",
            "arn:aws:execute-api:us-east-1:123456789012:/b*",
            "arn:aws:execute-api:us-east-1:123456789012:a//GET/x",
            "arn:aws:execute-api:us-east-1:123456789012:a/b",
            "arn:aws:execute-api:us-east-1:123456789012:a/b/ANY/x",
            "arn:aws:execute-api:us-east-1:123456789012:a/b/get/x",
            "arn:aws:execute-api:us-east-1:123456789012:a/b/G*/x",
            "arn:aws:execute-api:us-east-1:123456789012:a/b/GET",
            "arn:aws:execute-api:us-east-1:123456789012:a/b/$connect",
            "arn:aws:execute-api:us-east-1:123456789012:a/b/GET/x/{id}",
            "arn:aws:execute-api:us-east-1:123456789012:a/b/GET/${x}",
            "arn:aws:execute-api:<<region>>:123456789012:a/b/GET/x",
            "arn:aws:execute-api:us-east-1:123456789012:a/*/GET/x",
            "arn:aws:execute-api:us-east-1:123456789012:a/b/*/x",
            "arn:aws:execute-api:us-east-1:123456789012:a/b/GET/",
            "arn:aws:execute-api:us-*:*:a/b/GET/x",
            "arn:aws:execute-api:us-east-1:123456789012:a/b/GET/a:b",
        ]
        .map(String::from)
        .to_vec();
        entries.push(long);
        for e in &entries {
            let errors = analyze(e).iter().any(|i| {
                i.rule.severity == super::super::Severity::Error && i.rule != &RESOURCE_TOO_LONG
            });
            assert_eq!(crate::denote::is_dead(e), errors, "{e}");
        }
    }
}
