//! Reasoning across statements with the pattern engine: shadowed Allows, redundant
//! statements, allow-everything, policies that never allow, and single-ARN policies that
//! break under authorizer caching. These rules need well-formed output (the typed policy),
//! and they only claim what they can prove: an inclusion they cannot decide is no finding.

pub(super) mod deny_prefix_open;

use super::{Ctx, Finding};
use crate::arn::ResourceFields;
use crate::authorizer::{Effect, Statement};
use crate::denote::{is_dead, subset_fields};
use crate::eval::covers_invoke;

pub use deny_prefix_open::DENY_LEAVES_PREFIX_OPEN;

rules! {
    family: CrossStatement;

    /// ## What it does
    /// Reports an Allow statement every Resource of which is also denied by a Deny statement
    /// (without Condition) that covers `execute-api:Invoke`.
    ///
    /// ## Why it matters
    /// Deny always wins, so the Allow is dead code: whoever reads the policy thinks it grants
    /// something it never does.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/admin"},
    ///   {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Remove the Allow, or narrow the Deny so that it no longer covers it.
    pub static ALLOW_SHADOWED_BY_DENY = ("PC050", "allow-shadowed-by-deny", Warning, "an Allow fully shadowed by a Deny");

    /// ## What it does
    /// Reports a statement whose every Resource is already covered by another statement
    /// with the same Effect (and no Condition) that covers `execute-api:Invoke`.
    ///
    /// ## Why it matters
    /// Removing it changes nothing; it only makes the policy longer (and policies have size
    /// limits).
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*"},
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Remove the redundant statement.
    pub static REDUNDANT_STATEMENT = ("PC051", "redundant-statement", Info, "a statement covered by another of the same effect");

    /// ## What it does
    /// Reports an Allow on every method of every API in every account and region: `*`,
    /// `arn:aws:execute-api:*`, `arn:aws:execute-api:*:*:*`.
    ///
    /// ## Why it matters
    /// The policy is cached per token, so one caller's answer is reused for every route
    /// behind the authorizer; any API that shares the authorizer is open too.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Scope it to your API and stage: `arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*`.
    pub static ALLOW_EVERYTHING = ("PC052", "allow-everything", Warning, "an Allow on every route of every API");

    /// ## What it does
    /// Reports a policy that has Allow statements none of which can ever apply: they do not
    /// cover `execute-api:Invoke`, their Resources match nothing, or a Deny shadows them.
    /// (A policy of Deny statements only is taken as an intended "no" and not reported.)
    ///
    /// ## Why it matters
    /// Every request gets 403, although the policy was clearly meant to allow something.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Fix the findings on the Allow statements (here: `…/prod/GET/`).
    pub static NEVER_ALLOWS = ("PC053", "never-allows", Warning, "a policy whose Allow statements can never apply");

    /// ## What it does
    /// Reports a policy whose only allowed Resource is one exact method ARN, as when the
    /// authorizer copies `event.methodArn` into the policy.
    ///
    /// ## Why it matters
    /// With authorizer caching on (the default TTL is 300 s), API Gateway reuses the cached
    /// policy for the same token on other routes; the ARN does not match them, and the client
    /// gets 403 "User is not authorized to access this resource" until the cache expires
    /// (AWS Knowledge Center). Local emulators re-invoke the authorizer per request, so
    /// this never shows up locally.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke",
    ///    "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Allow every route the caller may use (e.g. `…:abc123/prod/*`), or set the
    /// authorizer's result TTL to 0.
    pub static SINGLE_METHOD_ARN = ("PC054", "single-method-arn", Warning, "the policy allows exactly one method ARN, which breaks with authorizer caching");
}

fn applies_to_invoke(s: &Statement) -> bool {
    covers_invoke(&s.action) && !s.resource.negated
}

/// The entries of each statement (by index) that can match something.
struct Live<'a>(Vec<Vec<&'a str>>);

impl<'a> Live<'a> {
    fn new(st: &'a [Statement]) -> Self {
        Live(
            st.iter()
                .map(|s| {
                    s.resource
                        .entries
                        .iter()
                        .map(|e| e.value.as_str())
                        .filter(|e| !is_dead(e))
                        .collect()
                })
                .collect(),
        )
    }

    fn of(&self, s: &Statement) -> &[&'a str] {
        self.0.get(s.index).map_or(&[], Vec::as_slice)
    }

    /// Whether every live entry of `s` is covered by some live entry of `t`.
    fn covered_by(&self, s: &Statement, t: &Statement) -> bool {
        let ts = self.of(t);
        self.of(s)
            .iter()
            .all(|e| ts.iter().any(|d| subset_fields(e, d)))
    }
}

/// For an Allow, the Deny statements shadowing it, if each of its entries is covered by one.
fn shadowing<'a>(
    a: &Statement,
    stmts: &'a [Statement],
    live: &Live<'_>,
) -> Option<Vec<&'a Statement>> {
    if !applies_to_invoke(a) || live.of(a).is_empty() {
        return None;
    }
    let mut by = Vec::new();
    for e in live.of(a) {
        let d = stmts.iter().find(|d| {
            d.effect.value == Effect::Deny
                && d.condition.is_none()
                && applies_to_invoke(d)
                && live.of(d).iter().any(|x| subset_fields(e, x))
        })?;
        if !by.contains(&d) {
            by.push(d);
        }
    }
    Some(by)
}

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    deny_prefix_open::check(cx, out);
    let Some(policy) = &cx.auth.policy else {
        return;
    };
    if cx.auth.is_malformed() {
        return;
    }
    let st = &policy.statements;
    let live = Live::new(st);
    let mut any_allow = false;
    let mut any_effective_allow = false;
    let mut allowed_entries: Vec<(&str, crate::Span)> = Vec::new();
    for a in st.iter().filter(|s| s.effect.value == Effect::Allow) {
        any_allow = true;
        let shadow = shadowing(a, st, &live);
        if let Some(by) = &shadow {
            let mut f = Finding::new(
                &ALLOW_SHADOWED_BY_DENY,
                a.effect.span,
                format!(
                    "{} never allows anything: everything it allows is denied by {}",
                    a.label(),
                    by.iter()
                        .map(|d| d.label())
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
                "this Allow is dead",
                "remove the Allow, or narrow the Deny",
            )
            .in_statement(a.index);
            for d in by {
                f = f.with(d.effect.span, format!("denied by {}", d.label()));
            }
            out.push(f);
        }
        if applies_to_invoke(a) {
            if shadow.is_none() && !live.of(a).is_empty() {
                any_effective_allow = true;
            }
            for e in a
                .resource
                .entries
                .iter()
                .filter(|e| live.of(a).contains(&e.value.as_str()))
            {
                allowed_entries.push((&e.value, e.span));
                let partition = ResourceFields::split(&e.value)
                    .get(1)
                    .copied()
                    .filter(|p| !p.contains(['*', '?']))
                    .unwrap_or("aws");
                let probe = format!("arn:{partition}:execute-api:*:*:*/*");
                if subset_fields(&probe, &e.value) {
                    out.push(
                        Finding::new(
                            &ALLOW_EVERYTHING,
                            e.span,
                            format!(
                                "{} allows every method of every API in every account and region",
                                a.label()
                            ),
                            "matches every execute-api ARN",
                            "scope it to your API and stage, e.g. arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/*",
                        )
                        .in_statement(a.index),
                    );
                }
            }
        } else if covers_invoke(&a.action) {
            // Allow with NotResource: effective.
            any_effective_allow = true;
        }
    }
    if any_allow && !any_effective_allow {
        let mut f = Finding::new(
            &NEVER_ALLOWS,
            policy.statement_span,
            "no Allow statement can ever apply: every request gets 403",
            "nothing here can allow a request",
            "fix the findings on the Allow statements",
        );
        for a in st.iter().filter(|s| s.effect.value == Effect::Allow) {
            f = f.with(a.effect.span, format!("{} never applies", a.label()));
        }
        out.push(f);
    }
    let mut distinct: Vec<&str> = allowed_entries.iter().map(|(e, _)| *e).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() == 1
        && !st
            .iter()
            .any(|s| s.effect.value == Effect::Allow && s.resource.negated)
    {
        let e = distinct[0];
        if ResourceFields::split(e).len() == 6 && !e.contains(['*', '?']) {
            let span = allowed_entries[0].1;
            out.push(Finding::new(
                &SINGLE_METHOD_ARN,
                span,
                "the policy allows exactly one method ARN; with authorizer caching on, API Gateway reuses it for the caller's other routes and answers 403",
                "the only ARN allowed",
                "allow every route the caller may use (e.g. …:API_ID/STAGE/*), or set the authorizer's TTL to 0",
            ));
        }
    }
    redundant(st, &live, out);
}

fn redundant(st: &[Statement], live: &Live<'_>, out: &mut Vec<Finding>) {
    let usable = |t: &Statement| applies_to_invoke(t) && t.condition.is_none();
    for s in st {
        if !applies_to_invoke(s) || live.of(s).is_empty() {
            continue;
        }
        let by = st.iter().find(|t| {
            t.index != s.index
                && t.effect.value == s.effect.value
                && usable(t)
                && live.covered_by(s, t)
                // Two equivalent statements: report only the later one.
                && !(t.index > s.index && s.condition.is_none() && live.covered_by(t, s))
        });
        if let Some(t) = by {
            out.push(
                Finding::new(
                    &REDUNDANT_STATEMENT,
                    s.span,
                    format!(
                        "{} is redundant: {} already covers everything it matches",
                        s.label(),
                        t.label()
                    ),
                    "redundant",
                    "remove it",
                )
                .with(t.span, "covered by this one")
                .in_statement(s.index),
            );
        }
    }
}
