//! PC042: an Allow whose route part needs `VERB/PATH` never matches WebSocket route ARNs.

use crate::arn::ResourceFields;
use crate::denote::{is_dead, resource_subset};
use crate::lint::{Ctx, Finding};
use crate::span::Span;

rules! {
    family: Resource;

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
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke",
    ///    "Resource": "arn:aws:execute-api:us-east-1:123456789012:ws0123/production/*/*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Use `…/production/*`, which covers both REST/HTTP method ARNs and WebSocket route
    /// ARNs; keep the entry (and turn the rule off) if the API is REST or HTTP only.
    pub static WEBSOCKET_ROUTE_UNMATCHED = ("PC042", "websocket-route-unmatched", Info, "an Allow whose route needs VERB/PATH never matches WebSocket route ARNs");
}

/// For an entry `…:API/STAGE/ROUTE` whose ROUTE is only wildcards and slashes, with at least
/// one `/` (`*/*`): the byte offset of ROUTE in the entry, the entry up to API, API, STAGE
/// and ROUTE.
fn rest_only_route(entry: &str) -> Option<(usize, &str, &str, &str, &str)> {
    let f = ResourceFields::split(entry);
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
pub(super) fn check_entry(cx: &Ctx<'_>, entry: &str, span: Span, i: usize, out: &mut Vec<Finding>) {
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
                !el.negated && el.entries.iter().any(|(e, _)| resource_subset(&probe, e))
            })
    });
    if covered {
        return;
    }
    out.push(
        Finding::new(
            &WEBSOCKET_ROUTE_UNMATCHED,
            super::sub_span(cx.doc.source.text(), span, entry, Some((off, route.len()))),
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

#[cfg(test)]
mod tests {
    use crate::lint::test_policy::{allow, deny, policy_codes};

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
}
