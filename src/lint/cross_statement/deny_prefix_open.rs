//! PC043: a Deny on `…/PATH/*` that leaves `…/PATH` itself open while an Allow may allow
//! it. Reasoning across statements: which Deny entries cover the bare path, and whether an
//! Allow entry can match it.

use super::{COMPARE_COST, LINT_WORK_LIMIT};
use crate::arn::{ArnTemplate, MethodArn, ResourceFields, Target};
use crate::authorizer::{Effect, Statement};
use crate::denote::{VERBS, is_dead, resource_subset, subset_fields};
use crate::eval::covers_invoke;
use crate::lint::resource::sub_span;
use crate::lint::{Ctx, Finding};
use crate::pattern::{DEFAULT_LIMIT, Domain, Glob, atoms};
use crate::span::Span;

rules! {
    family: CrossStatement;

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
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*"},
    ///   {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/things/*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Add the bare path as a second Resource entry (`…/prod/DELETE/things`), or use
    /// `…/prod/DELETE/things*`, which also matches `/things-archive`.
    pub static DENY_LEAVES_PREFIX_OPEN = ("PC043", "deny-leaves-prefix-open", Warning, "a Deny on PATH/* that leaves PATH itself open");
}

/// For a Deny entry `…/SEGMENT/*` with a literal path segment: the bare path entry
/// (`…/SEGMENT`) and the segment.
fn prefix_hole(entry: &str) -> Option<(&str, &str)> {
    let bare = entry.strip_suffix("/*")?;
    let f = ResourceFields::split(bare);
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
/// ARNs have them. `None` once the policy's `budget` is spent.
fn bare_allowed(bare: &str, st: &[Statement], budget: &mut usize) -> Option<Allowed> {
    let f = ResourceFields::split(bare);
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
        return Some(Allowed::No);
    }
    if path.contains(['*', '?']) {
        return Some(Allowed::Maybe);
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
        // One automaton budget for every entry of this candidate, taken from the policy's.
        let given = crate::pattern::WORK_LIMIT.min(*budget);
        let work = std::cell::Cell::new(given);
        // API id and stage hold no `/`, so an entry needing more slashes cannot match.
        let slashes = 2 + route.matches('/').count();
        let end = format!("/{route}");
        let may_match = |e: &str| {
            if let Some(t) = &target {
                return t.matches(e);
            }
            let f = ResourceFields::split(e);
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
                        .any(|n| resource_subset(bare, &n.value));
                if !excluded {
                    return Some(Allowed::At(a.resource.key_span));
                }
                continue;
            }
            for e in &a.resource.entries {
                // Every entry tried is paid for: a policy of thousands of Denies and Allows
                // would otherwise take minutes (13,000 statements once took 60 s).
                *budget = budget.checked_sub(COMPARE_COST)?;
                if may_match(&e.value) {
                    return Some(Allowed::At(e.span));
                }
            }
        }
        *budget = budget.saturating_sub(given - work.get());
    }
    Some(Allowed::No)
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
pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
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
    // One budget for the whole policy, as the other pairwise rules have: past it the rule
    // stops and claims nothing more (a finding is reported only once proven).
    let mut budget = LINT_WORK_LIMIT;
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
            let compared: usize = live.iter().map(Vec::len).sum();
            let Some(left) = budget.checked_sub(compared.saturating_mul(COMPARE_COST)) else {
                return;
            };
            budget = left;
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
            let by = match bare_allowed(bare, st, &mut budget) {
                None => return,
                Some(Allowed::No) => continue,
                Some(Allowed::At(span)) => Some(span),
                Some(Allowed::Maybe) => None,
            };
            // From the stage on: `prod/DELETE/things`.
            let res = ResourceFields::split(bare)[5];
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
    use crate::lint::test_policy::{INVOKE, allow, deny, policy_codes};

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
}
