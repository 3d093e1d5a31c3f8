//! Reasoning across statements with the pattern engine: shadowed Allows, redundant
//! statements, allow-everything, policies that never allow, and single-ARN policies that
//! break under authorizer caching. These rules need well-formed output (the typed policy),
//! and they only claim what they can prove: an inclusion they cannot decide is no finding.

pub(super) mod deny_prefix_open;

use std::collections::HashMap;

use super::{Ctx, Finding};
use crate::arn::ResourceFields;
use crate::authorizer::{Effect, Statement};
use crate::denote::{Split, is_dead, subset_split};
use crate::eval::covers_invoke;
use crate::source::Json;

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
    /// (A policy of Deny statements only is PC056's, an info.)
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
    /// authorizer copies `event.methodArn` into the policy, and names a second request that
    /// the cached policy would refuse. A WebSocket `$connect` ARN is not reported: the
    /// authorizer runs only on `$connect`, so no other route reuses its answer.
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

    /// ## What it does
    /// Reports `"Statement": []`.
    ///
    /// ## Why it matters
    /// A policy without statements allows nothing: every request gets 403 "User is not
    /// authorized to access this resource". Usually a list built in code stayed empty.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": []}}
    /// ```
    ///
    /// ## Fix
    /// Add the Allow statements the caller needs, or throw `Unauthorized` from the
    /// authorizer to answer 401 instead.
    pub static STATEMENT_EMPTY = ("PC055", "statement-empty", Warning, "an empty Statement array, which can never allow");

    /// ## What it does
    /// Reports a policy whose statements are all Deny.
    ///
    /// ## Why it matters
    /// Without an Allow no request can be allowed: the Deny statements only change the 403's
    /// message (explicit instead of implicit deny). That is fine for an authorizer's "no"
    /// answer, and a mistake when the Allow was meant to be there.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Add the Allow the caller needs beside the Deny (`…:abc123/prod/*`), or keep the
    /// policy as the authorizer's "no" and turn the rule off for it.
    pub static ONLY_DENY = ("PC056", "only-deny", Info, "a policy of Deny statements only, which can never allow");
}

/// A second request that a cached policy allowing only `entry` refuses: the same API,
/// stage and path with another verb (POST for a GET, else GET), as `(VERB /path, ARN)`.
/// `None` for a WebSocket route ARN (`…/prod/$connect`), where no other route reuses the
/// authorizer's answer, and for text that is not a method ARN.
pub(crate) fn second_request(entry: &str) -> Option<(String, String)> {
    let f = ResourceFields::split(entry);
    if f.len() != 6 {
        return None;
    }
    let mut segs = f[5].splitn(4, '/');
    let (api, stage, verb, path) = (segs.next()?, segs.next()?, segs.next()?, segs.next()?);
    let other = if verb == "GET" { "POST" } else { "GET" };
    let arn = format!(
        "{}:{}:{}:{}:{}:{api}/{stage}/{other}/{path}",
        f[0], f[1], f[2], f[3], f[4]
    );
    Some((format!("{other} /{path}"), arn))
}

/// Work units the pairwise rules below may spend on one policy (a comparison costs
/// [`COMPARE_COST`], automaton work one unit per step). Past it they stop and claim nothing
/// more: a finding is only ever reported once proven, so stopping early stays correct.
pub(crate) const LINT_WORK_LIMIT: usize = 20_000_000;

/// The cost of one entry-against-entry comparison, in work units.
pub(crate) const COMPARE_COST: usize = 8;

fn applies_to_invoke(s: &Statement) -> bool {
    covers_invoke(&s.action) && !s.resource.negated
}

/// The live entries of every statement (by index), split once, with their positions among
/// the statement's entries.
struct Live<'a>(Vec<Vec<Split<'a>>>, Vec<Vec<usize>>);

/// Entries of chosen statements by literal prefix. `e ⊆ d` needs `d`'s literal prefix to
/// be a prefix of `e`'s (field by field, a literal field of `d` must equal `e`'s, and a
/// wildcard field's prefix must start `e`'s), so only those are candidates.
struct Index<'a> {
    by_prefix: HashMap<&'a str, Vec<(usize, usize)>>,
    /// The distinct prefix lengths, ascending.
    lengths: Vec<usize>,
}

/// Whether `e ⊆ d`, paying for the comparison from `work`; `false` once it is spent.
fn subset_paid(e: &Split<'_>, d: &Split<'_>, work: &mut usize) -> bool {
    match work.checked_sub(COMPARE_COST) {
        Some(left) => {
            *work = left;
            subset_split(e, d, work)
        }
        None => {
            *work = 0;
            false
        }
    }
}

impl<'a> Live<'a> {
    fn new(st: &'a [Statement]) -> Self {
        let (splits, positions) = st
            .iter()
            .map(|s| {
                s.resource
                    .entries
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| !is_dead(&e.value))
                    .map(|(i, e)| (Split::new(&e.value), i))
                    .unzip()
            })
            .unzip();
        Live(splits, positions)
    }

    fn of(&self, s: &Statement) -> &[Split<'a>] {
        self.0.get(s.index).map_or(&[], Vec::as_slice)
    }

    /// An index of the live entries of the statements `keep` accepts.
    fn index(&self, st: &[Statement], keep: impl Fn(&Statement) -> bool) -> Index<'a> {
        let mut by_prefix: HashMap<&'a str, Vec<(usize, usize)>> = HashMap::new();
        for s in st.iter().filter(|s| keep(s)) {
            for (k, e) in self.of(s).iter().enumerate() {
                by_prefix.entry(e.prefix).or_default().push((s.index, k));
            }
        }
        let mut lengths: Vec<usize> = by_prefix.keys().map(|p| p.len()).collect();
        lengths.sort_unstable();
        lengths.dedup();
        Index { by_prefix, lengths }
    }

    /// The statements (ascending, each once) with an entry in `index` that covers `e`.
    fn covering(&self, index: &Index<'_>, e: &Split<'_>, work: &mut usize) -> Vec<usize> {
        let mut found = Vec::new();
        for &len in &index.lengths {
            if len > e.prefix.len() || *work == 0 {
                break;
            }
            *work = work.saturating_sub(1 + len / 64);
            let Some(candidates) = e.prefix.get(..len).and_then(|p| index.by_prefix.get(p)) else {
                continue;
            };
            for &(t, j) in candidates {
                if found.last() != Some(&t) && subset_paid(e, &self.0[t][j], work) {
                    found.push(t);
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Whether every live entry of `s` is covered by some live entry of `t`.
    fn covered_by(&self, s: usize, t: usize, work: &mut usize) -> bool {
        self.0[s]
            .iter()
            .all(|e| self.0[t].iter().any(|d| subset_paid(e, d, work)))
    }
}

/// For an Allow, the Deny statements shadowing it, if each of its entries is covered by one.
fn shadowing<'s>(
    a: &Statement,
    stmts: &'s [Statement],
    live: &Live<'_>,
    denies: &Index<'_>,
    work: &mut usize,
) -> Option<Vec<&'s Statement>> {
    if !applies_to_invoke(a) || live.of(a).is_empty() {
        return None;
    }
    let mut by: Vec<&Statement> = Vec::new();
    for e in live.of(a) {
        let first = *live.covering(denies, e, work).first()?;
        let d = stmts.iter().find(|s| s.index == first)?;
        if !by.iter().any(|x| x.index == d.index) {
            by.push(d);
        }
    }
    Some(by)
}

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    deny_prefix_open::check(cx, out);
    statement_empty(cx, out);
    let Some(policy) = &cx.auth.policy else {
        return;
    };
    if cx.auth.is_malformed() {
        return;
    }
    let st = &policy.statements;
    let live = Live::new(st);
    let mut work = LINT_WORK_LIMIT;
    let denies = live.index(st, |d| {
        d.effect.value == Effect::Deny && d.condition.is_none() && applies_to_invoke(d)
    });
    let mut any_allow = false;
    let mut any_effective_allow = false;
    for a in st.iter().filter(|s| s.effect.value == Effect::Allow) {
        any_allow = true;
        let shadow = shadowing(a, st, &live, &denies, &mut work);
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
            for (split, &i) in live.of(a).iter().zip(&live.1[a.index]) {
                let e = &a.resource.entries[i];
                let partition = ResourceFields::split(&e.value)
                    .get(1)
                    .copied()
                    .filter(|p| !p.contains(['*', '?']))
                    .unwrap_or("aws");
                let probe = format!("arn:{partition}:execute-api:*:*:*/*");
                if subset_paid(&Split::new(&probe), split, &mut work) {
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
    if let Some((e, span)) = single_method_arn(st)
        && let Some((route, arn)) = second_request(e)
    {
        out.push(Finding::new(
            &SINGLE_METHOD_ARN,
            span,
            format!(
                "the policy allows exactly one method ARN; with authorizer caching on, a second request with the same token, `{route}` ({arn}), gets 403 from the cached policy until the TTL ends"
            ),
            "the only ARN allowed",
            format!(
                "allow every route the caller may use (e.g. {}), or set the authorizer's TTL to 0",
                stage_wide(e)
            ),
        ));
    }
    if !st.is_empty() && st.iter().all(|s| s.effect.value == Effect::Deny) {
        let mut f = Finding::new(
            &ONLY_DENY,
            policy.statement_span,
            "every statement is a Deny: no request can ever be allowed",
            "no Allow here",
            "add the Allow the caller needs beside the Deny, or keep it as the authorizer's \"no\"",
        );
        for d in st {
            f = f.with(d.effect.span, format!("{} denies", d.label()));
        }
        out.push(f);
    }
    redundant(st, &live, &mut work, out);
}

/// `…:API/STAGE/*` for a method ARN: every route of its API and stage.
fn stage_wide(arn: &str) -> String {
    let cut = arn.match_indices('/').nth(1).map_or(arn.len(), |(i, _)| i);
    format!("{}/*", &arn[..cut])
}

/// The one exact method ARN a policy allows, when it allows exactly one (as when the
/// authorizer copies `event.methodArn`): every live Resource entry of every Allow that
/// covers `execute-api:Invoke` is that same wildcard-free six-field ARN, and no Allow uses
/// NotResource. A WebSocket route ARN (`…/prod/$connect`) does not count: no other route
/// reuses the answer. Shared by PC054 and, with an API definition, the cache-trap rule.
pub(crate) fn single_method_arn(st: &[Statement]) -> Option<(&str, crate::Span)> {
    let allows = || st.iter().filter(|s| s.effect.value == Effect::Allow);
    if allows().any(|s| s.resource.negated) {
        return None;
    }
    let mut found: Option<(&str, crate::Span)> = None;
    for e in allows()
        .filter(|s| applies_to_invoke(s))
        .flat_map(|s| &s.resource.entries)
        .filter(|e| !is_dead(&e.value))
    {
        match found {
            Some((v, _)) if v != e.value => return None,
            Some(_) => {}
            None => found = Some((&e.value, e.span)),
        }
    }
    found.filter(|(e, _)| !e.contains(['*', '?']) && second_request(e).is_some())
}

/// `"Statement": []`, read from the raw tree.
fn statement_empty(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(st) = cx.policy.and_then(|p| p.get("Statement")) else {
        return;
    };
    if matches!(&st.value, Json::Array(items) if items.is_empty()) {
        out.push(Finding::new(
            &STATEMENT_EMPTY,
            st.span,
            "the policy has no statements, so every request gets 403",
            "no statements",
            "add the Allow statements the caller needs, or throw `Unauthorized` for a 401",
        ));
    }
}

fn redundant(st: &[Statement], live: &Live<'_>, work: &mut usize, out: &mut Vec<Finding>) {
    let usable = |t: &Statement| applies_to_invoke(t) && t.condition.is_none();
    let allows = live.index(st, |t| t.effect.value == Effect::Allow && usable(t));
    let denies = live.index(st, |t| t.effect.value == Effect::Deny && usable(t));
    for s in st {
        if !applies_to_invoke(s) || live.of(s).is_empty() {
            continue;
        }
        if *work == 0 {
            break;
        }
        let index = if s.effect.value == Effect::Allow {
            &allows
        } else {
            &denies
        };
        // Any statement covering `s` covers its first entry: only those are candidates.
        let by = live
            .covering(index, &live.of(s)[0], work)
            .into_iter()
            .find(|&t| {
                t != s.index
                    && live.covered_by(s.index, t, work)
                    // Two equivalent statements: report only the later one.
                    && !(t > s.index && s.condition.is_none() && live.covered_by(t, s.index, work))
            })
            .and_then(|t| st.iter().find(|x| x.index == t));
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

#[cfg(test)]
mod tests {
    use crate::lint::test_policy::{allow, deny, policy_codes};

    #[test]
    fn single_method_arn_names_the_second_request_and_skips_websocket_connect() {
        assert!(policy_codes(&[allow(&["ARN:abc123/prod/GET/things"])]).contains(&"PC054"));
        // WebSocket authorizers run only on $connect: nothing reuses the answer.
        assert!(!policy_codes(&[allow(&["ARN:ws1/prod/$connect"])]).contains(&"PC054"));
        assert_eq!(
            super::second_request(
                "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things"
            ),
            Some((
                "POST /things".to_string(),
                "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/things".to_string()
            ))
        );
        assert_eq!(
            super::second_request("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/"),
            Some((
                "GET /".to_string(),
                "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/".to_string()
            ))
        );
    }

    #[test]
    fn empty_statement_and_deny_only_policies_can_never_allow() {
        let c = crate::Checked::from_str("e.json", r#"{"Version": "2012-10-17", "Statement": []}"#)
            .unwrap();
        let codes: Vec<_> = crate::lint::lint_default(&c)
            .iter()
            .map(|f| f.rule.code)
            .collect();
        assert_eq!(codes, ["PC055"]);
        assert!(policy_codes(&[deny(&["ARN:abc/prod/*"])]).contains(&"PC056"));
        let mixed = policy_codes(&[deny(&["ARN:abc/prod/DELETE/*"]), allow(&["ARN:abc/prod/*"])]);
        assert!(!mixed.contains(&"PC056"), "{mixed:?}");
        // A dead ARN (the account is missing) makes the only Allow useless.
        let dead = policy_codes(&[allow(&[
            "arn:aws:execute-api:us-east-1:abc123/prod/GET/x/*",
        ])]);
        assert!(
            dead.contains(&"PC031") && dead.contains(&"PC053"),
            "{dead:?}"
        );
    }
}
