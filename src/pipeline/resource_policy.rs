//! The API's resource policy (REST only; pipeline.md §2.6, aws-semantics §3.3): an
//! explicit-deny pre-pass before the authorizer, then the combination with the
//! authorizer's verdict by Table A (same account) or Table B (cross-account).
//!
//! Conditions: `aws:SourceIp` with `IpAddress` / `NotIpAddress` is evaluated against
//! `--source-ip`; without it, and for every other key, the answer forks (`depends`): an
//! unknown condition is never taken as true.

use std::net::IpAddr;

use ipnet::IpNet;
use serde_json::Value;

use super::{Evidence, ForkKind, Forks, Step};
use crate::authorizer::Element;
use crate::eval::covers_invoke;
use crate::pattern;
use crate::span::{Span, Spanned};

/// `Effect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RpEffect {
    Allow,
    Deny,
}

/// One condition clause: `{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clause {
    pub(crate) operator: String,
    pub(crate) key: String,
    pub(crate) values: Vec<String>,
}

/// One statement of the resource policy.
#[derive(Debug, Clone)]
pub(crate) struct RpStatement {
    pub(crate) effect: RpEffect,
    /// `Principal` is `*` or `{"AWS": "*"}`: it applies to callers IAM does not know
    /// (a Lambda authorizer's callers).
    pub(crate) anonymous: bool,
    /// `NotPrincipal` was used.
    pub(crate) not_principal: bool,
    pub(crate) action: Element,
    pub(crate) resource_negated: bool,
    pub(crate) resources: Vec<String>,
    pub(crate) conditions: Vec<Clause>,
    pub(crate) span: Option<Evidence>,
}

/// A resource policy.
#[derive(Debug, Clone, Default)]
pub(crate) struct ResourcePolicy {
    pub(crate) statements: Vec<RpStatement>,
}

fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    match v? {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

fn is_star(v: &Value) -> bool {
    match v {
        Value::String(s) => s == "*",
        Value::Object(m) => m
            .get("AWS")
            .and_then(|a| strings(Some(a)))
            .is_some_and(|a| a.iter().any(|s| s == "*")),
        _ => false,
    }
}

impl ResourcePolicy {
    /// Reads a policy document (`x-amazon-apigateway-policy`, `RestApi.Policy`); `spans`
    /// gives each statement's evidence, by index, when known.
    pub(crate) fn from_json(
        doc: &Value,
        spans: &[Option<Evidence>],
    ) -> Result<ResourcePolicy, String> {
        let statements = match doc.get("Statement") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(s @ Value::Object(_)) => vec![s],
            _ => return Err("the resource policy has no Statement list".into()),
        };
        let mut out = Vec::new();
        for (i, s) in statements.into_iter().enumerate() {
            let bad = |what: &str| format!("resource policy statement {i}: {what}");
            let effect = match s.get("Effect").and_then(Value::as_str) {
                Some("Allow") => RpEffect::Allow,
                Some("Deny") => RpEffect::Deny,
                _ => return Err(bad("Effect must be Allow or Deny")),
            };
            let (negated, actions) = match (s.get("Action"), s.get("NotAction")) {
                (Some(a), None) => (false, strings(Some(a))),
                (None, Some(a)) => (true, strings(Some(a))),
                _ => return Err(bad("needs exactly one of Action and NotAction")),
            };
            let actions = actions.ok_or_else(|| bad("Action must be a string or strings"))?;
            let (resource_negated, resources) = match (s.get("Resource"), s.get("NotResource")) {
                (Some(r), None) => (false, strings(Some(r))),
                (None, Some(r)) => (true, strings(Some(r))),
                _ => return Err(bad("needs exactly one of Resource and NotResource")),
            };
            let resources = resources.ok_or_else(|| bad("Resource must be a string or strings"))?;
            let mut conditions = Vec::new();
            match s.get("Condition") {
                None => {}
                Some(Value::Object(ops)) => {
                    for (operator, keys) in ops {
                        let Value::Object(keys) = keys else {
                            return Err(bad("a Condition operator must hold an object"));
                        };
                        for (key, values) in keys {
                            conditions.push(Clause {
                                operator: operator.clone(),
                                key: key.clone(),
                                values: strings(Some(values))
                                    .ok_or_else(|| bad("condition values must be strings"))?,
                            });
                        }
                    }
                }
                Some(_) => return Err(bad("Condition must be an object")),
            }
            let principal = s.get("Principal");
            let not_principal = s.get("NotPrincipal");
            out.push(RpStatement {
                effect,
                anonymous: principal.is_some_and(is_star),
                not_principal: not_principal.is_some(),
                action: Element {
                    negated,
                    key_span: Span::default(),
                    span: Span::default(),
                    entries: actions
                        .into_iter()
                        .map(|a| Spanned::new(a.into(), Span::default()))
                        .collect(),
                },
                resource_negated,
                resources,
                conditions,
                span: spans.get(i).cloned().flatten(),
            });
        }
        Ok(ResourcePolicy { statements: out })
    }
}

/// The request as the resource policy sees it.
pub(crate) struct RpRequest<'a> {
    /// `{stage}/{METHOD}/{path}` (the ARN after the API id).
    pub(crate) stage_route: &'a str,
    /// The whole method ARN when every part is known.
    pub(crate) arn: Option<&'a str>,
    /// The ARN as shown (unknown parts as `{account}`).
    pub(crate) arn_display: &'a str,
    pub(crate) source_ip: Option<IpAddr>,
}

/// The resource policy's own verdict on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RpVerdict {
    /// Statement i allows.
    Allow(usize),
    /// Statement i denies.
    Deny(usize),
    /// No statement applies.
    Neither,
}

/// Whether a Resource entry covers the request: `execute-api:/stage/METHOD/path` is the
/// short form API Gateway expands with the API's own ARN.
fn resource_covers(entry: &str, req: &RpRequest, forks: &mut Forks) -> bool {
    if entry == "*" {
        return true;
    }
    if let Some(rest) = entry.strip_prefix("execute-api:/") {
        return pattern::matches(rest, req.stage_route);
    }
    match req.arn {
        Some(arn) => pattern::matches(entry, arn),
        None => {
            forks.choose(
                ForkKind::Unknown,
                Step::ResourcePolicy,
                format!("whether the resource policy's `{entry}` covers {} (pin the region, account and API id)", req.arn_display),
                vec!["it does".into(), "it does not".into()],
            ) == 0
        }
    }
}

fn clause_holds(c: &Clause, req: &RpRequest, forks: &mut Forks) -> bool {
    let op = c.operator.trim_end_matches("IfExists");
    if c.key.eq_ignore_ascii_case("aws:SourceIp") && matches!(op, "IpAddress" | "NotIpAddress") {
        if let Some(ip) = req.source_ip {
            let inside = c.values.iter().any(|v| cidr_contains(v, ip));
            return inside == (op == "IpAddress");
        }
        let cond = format!("{} {{aws:SourceIp: {}}}", c.operator, c.values.join(", "));
        return forks.choose(
            ForkKind::Unknown,
            Step::ResourcePolicy,
            format!("whether the client's IP address meets `{cond}` (give --source-ip)"),
            vec![
                format!("the source IP meets `{cond}`"),
                format!("the source IP does not meet `{cond}`"),
            ],
        ) == 0;
    }
    let cond = format!("{} {{{}: {}}}", c.operator, c.key, c.values.join(", "));
    forks.choose(
        ForkKind::Unknown,
        Step::ResourcePolicy,
        format!("whether the resource policy condition `{cond}` holds (only aws:SourceIp is evaluated offline)"),
        vec![
            format!("`{cond}` holds"),
            format!("`{cond}` does not hold"),
        ],
    ) == 0
}

/// `10.0.0.0/8` or a bare address (a /32 or /128).
fn cidr_contains(value: &str, ip: IpAddr) -> bool {
    let value = value.trim();
    match value.parse::<IpNet>() {
        Ok(net) => net.contains(&ip),
        Err(_) => value.parse::<IpAddr>() == Ok(ip),
    }
}

/// The policy's verdict on `req`. Run it once per request: every unknown it meets becomes
/// a fork.
pub(crate) fn evaluate(
    policy: &ResourcePolicy,
    req: &RpRequest,
    forks: &mut Forks,
    notes: &mut Vec<String>,
) -> RpVerdict {
    let mut allow = None;
    for (i, s) in policy.statements.iter().enumerate() {
        if !s.anonymous && !s.not_principal {
            notes.push(format!("resource policy statement {i} names specific principals, so it is taken not to apply to the callers of a Lambda-authorized method, whom IAM does not know [I]"));
            continue;
        }
        if s.not_principal {
            notes.push(format!("resource policy statement {i} uses NotPrincipal; anonymous callers are taken to be outside it, so it applies [I]"));
        }
        if !covers_invoke(&s.action) {
            continue;
        }
        let covered = s.resources.iter().any(|r| resource_covers(r, req, forks));
        if covered == s.resource_negated {
            continue;
        }
        if !s.conditions.iter().all(|c| clause_holds(c, req, forks)) {
            continue;
        }
        match s.effect {
            RpEffect::Deny => return RpVerdict::Deny(i),
            RpEffect::Allow => {
                allow.get_or_insert(i);
            }
        }
    }
    allow.map_or(RpVerdict::Neither, RpVerdict::Allow)
}

/// The authorizer's verdict, for the combination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthVerdict {
    Allow,
    ImplicitDeny,
    ExplicitDeny,
}

/// The combined result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Combined {
    Allow,
    /// The authorizer's explicit deny decides.
    AuthorizerExplicitDeny,
    /// The authorizer's implicit deny decides.
    AuthorizerImplicitDeny,
    /// The resource policy's explicit deny decides.
    PolicyExplicitDeny,
    /// Nothing in the resource policy allows, and it has to.
    PolicyImplicitDeny,
}

/// Table A (same account) and Table B (cross-account), aws-semantics §3.3.
pub(crate) fn combine(auth: AuthVerdict, rp: RpVerdict, cross_account: bool) -> Combined {
    use AuthVerdict as A;
    match (auth, rp) {
        (A::ExplicitDeny, _) => Combined::AuthorizerExplicitDeny,
        (_, RpVerdict::Deny(_)) => Combined::PolicyExplicitDeny,
        (A::Allow, RpVerdict::Allow(_)) => Combined::Allow,
        (A::Allow, RpVerdict::Neither) if cross_account => Combined::PolicyImplicitDeny,
        (A::Allow, RpVerdict::Neither) => Combined::Allow,
        (A::ImplicitDeny, RpVerdict::Allow(_)) if !cross_account => Combined::Allow,
        (A::ImplicitDeny, _) => Combined::AuthorizerImplicitDeny,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(v: Value) -> ResourcePolicy {
        ResourcePolicy::from_json(&v, &[]).unwrap()
    }

    fn verdicts(p: &ResourcePolicy, ip: Option<&str>) -> Vec<RpVerdict> {
        let arn = "arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/things";
        let req = RpRequest {
            stage_route: "prod/GET/things",
            arn: Some(arn),
            arn_display: arn,
            source_ip: ip.map(|i| i.parse().unwrap()),
        };
        super::super::explore(|f| evaluate(p, &req, f, &mut Vec::new()))
            .0
            .into_iter()
            .map(|r| r.1)
            .collect()
    }

    fn ip_policy(op: &str) -> ResourcePolicy {
        policy(json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
            {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "execute-api:Invoke",
             "Resource": "execute-api:/*/GET/*", "Condition": {op: {"aws:SourceIp": ["10.0.0.0/8", "192.168.1.7"]}}}
        ]}))
    }

    #[test]
    fn source_ip_conditions() {
        let p = ip_policy("NotIpAddress");
        assert_eq!(verdicts(&p, Some("10.1.2.3")), [RpVerdict::Allow(0)]);
        assert_eq!(verdicts(&p, Some("192.168.1.7")), [RpVerdict::Allow(0)]);
        assert_eq!(verdicts(&p, Some("8.8.8.8")), [RpVerdict::Deny(1)]);
        assert_eq!(
            verdicts(&ip_policy("IpAddress"), Some("10.9.9.9")),
            [RpVerdict::Deny(1)]
        );
        assert_eq!(verdicts(&p, Some("2001:db8::1")), [RpVerdict::Deny(1)]);
        // Without --source-ip: both cases.
        assert_eq!(
            verdicts(&p, None),
            [RpVerdict::Deny(1), RpVerdict::Allow(0)]
        );
    }

    #[test]
    fn other_conditions_and_principals() {
        let p = policy(
            json!({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "execute-api:*",
            "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}}),
        );
        assert_eq!(
            verdicts(&p, Some("1.2.3.4")),
            [RpVerdict::Allow(0), RpVerdict::Neither]
        );
        let named = policy(
            json!({"Statement": [{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::1:root"},
            "Action": "execute-api:Invoke", "Resource": "*"}]}),
        );
        assert_eq!(verdicts(&named, None), [RpVerdict::Neither]);
        let other_path = policy(json!({"Statement": [{"Effect": "Allow", "Principal": "*",
            "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:111122223333:abc123/prod/POST/*"}]}));
        assert_eq!(verdicts(&other_path, None), [RpVerdict::Neither]);
        assert!(
            ResourcePolicy::from_json(&json!({"Statement": [{"Effect": "allow"}]}), &[]).is_err()
        );
    }

    #[test]
    fn tables_a_and_b() {
        use AuthVerdict as A;
        use Combined as C;
        let (allow, deny, neither) = (RpVerdict::Allow(0), RpVerdict::Deny(0), RpVerdict::Neither);
        let rows = [
            (A::Allow, allow, C::Allow, C::Allow),
            (A::Allow, neither, C::Allow, C::PolicyImplicitDeny),
            (A::Allow, deny, C::PolicyExplicitDeny, C::PolicyExplicitDeny),
            (A::ImplicitDeny, allow, C::Allow, C::AuthorizerImplicitDeny),
            (
                A::ImplicitDeny,
                neither,
                C::AuthorizerImplicitDeny,
                C::AuthorizerImplicitDeny,
            ),
            (
                A::ImplicitDeny,
                deny,
                C::PolicyExplicitDeny,
                C::PolicyExplicitDeny,
            ),
            (
                A::ExplicitDeny,
                allow,
                C::AuthorizerExplicitDeny,
                C::AuthorizerExplicitDeny,
            ),
            (
                A::ExplicitDeny,
                deny,
                C::AuthorizerExplicitDeny,
                C::AuthorizerExplicitDeny,
            ),
        ];
        for (auth, rp, a, b) in rows {
            assert_eq!(combine(auth, rp, false), a, "A {auth:?} {rp:?}");
            assert_eq!(combine(auth, rp, true), b, "B {auth:?} {rp:?}");
        }
    }
}
