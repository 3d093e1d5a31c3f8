//! The decision and its trace: which statements apply to the request, which one decided,
//! and, for those that did not apply, why not.
//!
//! Semantics (DESIGN.md): a statement applies when its Action (or NotAction) covers
//! `execute-api:Invoke` and its Resource (or NotResource) matches the method ARN. Any
//! applying Deny gives an explicit deny, else any applying Allow gives allow, else implicit
//! deny. Malformed output wins over everything. Conditions are assumed to hold, and the
//! decision without the conditional statements is given when it differs.

mod cases;
mod nearest;

pub use cases::{Case, PartConstraint, Region};
pub use nearest::{Nearest, PartMiss};

use serde::Serialize;

use crate::api_type::ApiType;
use crate::arn::{self, Miss, Part};
use crate::authorizer::{Authorizer, Effect, Element, Shape, Statement};
use crate::pattern;
use crate::request::Request;

/// What API Gateway does with the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The request goes on to the integration.
    Allow,
    /// A Deny statement applies: 403 "… with an explicit deny".
    ExplicitDeny,
    /// No statement applies: 403 "User is not authorized to access this resource".
    ImplicitDeny,
    /// API Gateway cannot use the output: 500.
    Malformed,
    /// Unpinned ARN parts decide; see the cases.
    Depends,
    /// The authorizer is not called for this request (a WebSocket route other than
    /// `$connect`): the policy decides nothing here.
    NotInvoked,
}

impl Decision {
    /// `allow`, `explicit deny`…, for messages.
    pub fn phrase(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::ExplicitDeny => "explicit deny",
            Decision::ImplicitDeny => "implicit deny",
            Decision::Malformed => "malformed",
            Decision::Depends => "depends",
            Decision::NotInvoked => "not invoked",
        }
    }

    /// Whether the request is let through.
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// An expectation about the decision, as `--expect` and fixtures state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// Allowed (in every case, if unpinned parts matter).
    Allow,
    /// Denied, explicitly or implicitly (in every case).
    Deny,
    /// Explicitly denied (in every case).
    ExplicitDeny,
    /// Implicitly denied (in every case).
    ImplicitDeny,
    /// Rejected as malformed (500).
    Malformed,
    /// The answer depends on unpinned ARN parts.
    Depends,
    /// The authorizer is not called (WebSocket routes other than `$connect`).
    NotInvoked,
}

impl Expect {
    /// Parses `allow`, `deny`, `explicit-deny`, `implicit-deny`, `malformed`, `depends`,
    /// `not-invoked`, in any case, with `_` or `-`.
    pub fn parse(s: &str) -> Option<Expect> {
        Some(match s.replace('_', "-").to_ascii_lowercase().as_str() {
            "allow" => Expect::Allow,
            "deny" => Expect::Deny,
            "explicit-deny" => Expect::ExplicitDeny,
            "implicit-deny" => Expect::ImplicitDeny,
            "malformed" => Expect::Malformed,
            "depends" => Expect::Depends,
            "not-invoked" => Expect::NotInvoked,
            _ => return None,
        })
    }

    /// The word as written in fixtures.
    pub fn as_str(self) -> &'static str {
        match self {
            Expect::Allow => "allow",
            Expect::Deny => "deny",
            Expect::ExplicitDeny => "explicit-deny",
            Expect::ImplicitDeny => "implicit-deny",
            Expect::Malformed => "malformed",
            Expect::Depends => "depends",
            Expect::NotInvoked => "not-invoked",
        }
    }

    fn holds_for(self, d: Decision) -> bool {
        match self {
            Expect::Allow => d == Decision::Allow,
            Expect::Deny => matches!(d, Decision::ExplicitDeny | Decision::ImplicitDeny),
            Expect::ExplicitDeny => d == Decision::ExplicitDeny,
            Expect::ImplicitDeny => d == Decision::ImplicitDeny,
            Expect::Malformed => d == Decision::Malformed,
            Expect::Depends => d == Decision::Depends,
            Expect::NotInvoked => d == Decision::NotInvoked,
        }
    }
}

/// Whether a statement applies to the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    /// For every value of the unpinned parts.
    Yes,
    /// For no value.
    No,
    /// For some values only.
    Depends,
}

/// Why a statement does or does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// It applies; `resources` are the Resource entries that match (none for NotResource).
    Matches {
        /// Indices of matching Resource entries.
        resources: Vec<usize>,
    },
    /// Its Action / NotAction does not cover `execute-api:Invoke`.
    ActionDoesNotCoverInvoke,
    /// None of its Resource entries matches; `nearest` is the entry that came closest
    /// (worked out when the decision is an implicit deny, where it is the explanation).
    NoResourceMatches {
        /// The closest entry and where it fails. (Boxed: it is rare and large, and every
        /// statement of a policy has a trace; inline, it doubled a trace's size.)
        nearest: Option<Box<NearestMiss>>,
    },
    /// A NotResource entry matches the request, which excludes it.
    ExcludedByNotResource {
        /// The NotResource entry that matches.
        resource: usize,
    },
    /// It applies only for some values of the unpinned parts.
    DependsOnUnpinned,
}

/// The Resource entry that came closest to matching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearestMiss {
    /// Index in the Resource array.
    pub resource: usize,
    /// Where it fails.
    #[serde(flatten)]
    pub miss: Miss,
}

/// One statement's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementTrace {
    /// The statement's index.
    pub index: usize,
    /// Whether it applies.
    pub applies: Applies,
    /// Why.
    pub reason: Reason,
}

/// A statement that decided the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deciding {
    /// The statement's index.
    pub statement: usize,
    /// The Resource entry that matched, if the statement uses Resource.
    pub resource: Option<usize>,
}

/// The full answer for one request.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// The statements that decided it (applying Denies for explicit deny, applying Allows for
    /// allow), the first one being the one to show.
    pub deciding: Vec<Deciding>,
    /// Every statement's verdict, in order (empty for HTTP simple responses and malformed
    /// output).
    pub trace: Vec<StatementTrace>,
    /// For `Depends`: the decision for every value of the unpinned parts.
    pub cases: Vec<Case>,
    /// Statements with a Condition, which is assumed to hold.
    pub conditional: Vec<usize>,
    /// The decision if the conditional statements are left out, when it differs.
    pub without_conditions: Option<Decision>,
    /// The unpinned parts the answer depends on.
    pub depends_on: Vec<Part>,
    /// For an implicit deny: the nearest Allow entry, where it fails, and the fix.
    pub nearest: Option<Nearest>,
    /// The API type the answer is for.
    pub api_type: ApiType,
    /// Whether the API type was inferred (not given).
    pub api_type_inferred: bool,
    /// Remarks that do not change the decision (query string dropped, ARN too long, a bare
    /// policyDocument, an unusual verb).
    pub notes: Vec<String>,
}

impl Evaluation {
    /// Whether the request is allowed (for every value of the unpinned parts).
    pub fn is_allowed(&self) -> bool {
        self.decision.is_allowed()
    }

    /// Whether the expectation holds: for `Depends`, it must hold in every case.
    pub fn meets(&self, e: Expect) -> bool {
        if self.decision == Decision::Depends && e != Expect::Depends {
            return !self.cases.is_empty() && self.cases.iter().all(|c| e.holds_for(c.decision));
        }
        e.holds_for(self.decision)
    }
}

/// Why the evaluator could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// The request itself is wrong (bad path, bad part value).
    #[error("{0}")]
    BadRequest(String),
    /// Unpinned parts make the question too big.
    #[error("{0}")]
    TooComplex(TooIntricate),
}

/// The analysis of unpinned ARN parts ran out of its work or memory budget: the Resource
/// patterns are too many or too intricate to answer for every value of these parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooIntricate {
    /// The parts whose analysis gave up (the first is the one to pin).
    pub parts: Vec<Part>,
}

impl std::fmt::Display for TooIntricate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pin = self.parts.first().map_or("ARN parts", |p| p.name());
        write!(
            f,
            "the Resource patterns are too intricate to analyse with the {} unpinned (the analysis stops at its work and memory budget); pin the {pin}",
            words(&self.parts)
        )
    }
}

impl std::error::Error for TooIntricate {}

/// `stage`, `api-id and stage`, `region, api-id and stage`.
fn words(parts: &[Part]) -> String {
    let names: Vec<&str> = parts.iter().map(|p| p.name()).collect();
    match names.split_last() {
        None => "ARN parts".to_string(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Decides `request` against `authorizer`.
///
/// ```
/// use policy_check::{evaluate, Authorizer, Decision, Document, InputKind, Request, Source};
/// let text = r#"{"Version": "2012-10-17", "Statement": [
///     {"Effect": "Allow", "Action": "execute-api:Invoke",
///      "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things"}]}"#;
/// let doc = Document::parse(Source::new("p.json", text)).unwrap();
/// let a = Authorizer::from_document(&doc, InputKind::Auto).unwrap();
/// let req = Request::new("GET", "/things").pin_defaults();
/// assert_eq!(evaluate(&a, &req).unwrap().decision, Decision::Allow);
/// // With the stage unpinned, the answer depends on it.
/// let req = Request::new("GET", "/things").partition("aws").region("us-east-1")
///     .account("123456789012").api_id("abc123");
/// let e = evaluate(&a, &req).unwrap();
/// assert_eq!(e.decision, Decision::Depends);
/// assert_eq!(e.cases[0].describe(), "stage is `prod`");
/// ```
pub fn evaluate(authorizer: &Authorizer, request: &Request) -> Result<Evaluation, EvalError> {
    request.validate().map_err(EvalError::BadRequest)?;
    let (api_type, api_type_inferred) = match request.api_type() {
        Some(t) => (t, false),
        None => (
            ApiType::infer(
                authorizer.shape,
                request.get(Part::Stage),
                request.method().is_none().then(|| request.route()),
            ),
            true,
        ),
    };
    let mut e = Evaluation {
        decision: Decision::Malformed,
        deciding: Vec::new(),
        trace: Vec::new(),
        cases: Vec::new(),
        conditional: Vec::new(),
        without_conditions: None,
        depends_on: Vec::new(),
        nearest: None,
        api_type,
        api_type_inferred,
        notes: notes(authorizer, request),
    };
    if api_type == ApiType::Websocket && request.route() != "$connect" {
        e.notes.insert(
            0,
            format!(
                "WebSocket authorizers run only on `$connect`; API Gateway does not call the authorizer for `{}`, so this output decides nothing for it",
                request.route()
            ),
        );
        e.decision = Decision::NotInvoked;
        return Ok(e);
    }
    if authorizer.is_malformed() {
        return Ok(e);
    }
    if authorizer.shape == Shape::Http {
        e.decision = match &authorizer.is_authorized {
            Some(b) if b.value => Decision::Allow,
            _ => Decision::ExplicitDeny,
        };
        return Ok(e);
    }
    let Some(policy) = &authorizer.policy else {
        return Ok(e);
    };
    let statements = &policy.statements;
    e.conditional = statements
        .iter()
        .filter(|s| s.condition.is_some())
        .map(|s| s.index)
        .collect();
    match request.arn() {
        Some(arn) => concrete(statements, &arn, &mut e),
        None => cases::unpinned(statements, request, &mut e).map_err(EvalError::TooComplex)?,
    }
    if e.decision == Decision::ImplicitDeny {
        e.nearest = nearest::nearest(statements, request);
    }
    Ok(e)
}

/// The method ARN length past which API Gateway answers 414 before the authorizer runs.
pub const MAX_ARN_BYTES: usize = 1600;

fn notes(authorizer: &Authorizer, request: &Request) -> Vec<String> {
    let mut notes: Vec<String> = request.notes().to_vec();
    let len = request.arn_len_at_least();
    if len > MAX_ARN_BYTES {
        notes.push(format!(
            "the method ARN is {}{len} bytes, over API Gateway's {MAX_ARN_BYTES}-byte limit: the client gets 414 Request URI too long before the authorizer runs",
            if request.unpinned().is_empty() { "" } else { "at least " }
        ));
    }
    if authorizer.shape == Shape::Policy {
        notes.push(
            "this is a bare policyDocument, evaluated as asked; an authorizer that returns it as is gets a 500 from API Gateway: wrap it as {\"principalId\": \"…\", \"policyDocument\": {…}}".to_string(),
        );
    }
    notes
}

/// Whether an Action element covers `execute-api:Invoke` (ASCII case-insensitive).
pub fn covers_invoke(action: &Element) -> bool {
    let any = action.entries.iter().any(|a| {
        let a = a.value.as_str();
        // The common spellings first, without allocating.
        a == "*"
            || a.eq_ignore_ascii_case("execute-api:invoke")
            || a.eq_ignore_ascii_case("execute-api:*")
            || pattern::matches(&a.to_ascii_lowercase(), "execute-api:invoke")
    });
    any != action.negated
}

/// The decision from which statements apply.
fn decide(statements: &[Statement], applies: impl Fn(usize) -> bool) -> Decision {
    let mut allow = false;
    for s in statements {
        if applies(s.index) {
            match s.effect.value {
                Effect::Deny => return Decision::ExplicitDeny,
                Effect::Allow => allow = true,
            }
        }
    }
    if allow {
        Decision::Allow
    } else {
        Decision::ImplicitDeny
    }
}

fn concrete(statements: &[Statement], arn: &arn::MethodArn, e: &mut Evaluation) {
    let target = arn::Target::new(arn);
    let mut applying = vec![false; statements.len()];
    // Sized up front: grown by doubling, the trace of a 100,000-statement policy peaked at
    // 1.3x its size.
    e.trace.reserve_exact(statements.len());
    for s in statements {
        let t = trace_one(s, &target);
        applying[s.index] = t.applies == Applies::Yes;
        e.trace.push(t);
    }
    e.decision = decide(statements, |i| applying[i]);
    // Nearest misses explain why nothing allowed the request; when a statement decided,
    // they are noise (and the costly part of evaluating a large policy), so they are only
    // worked out for an implicit deny.
    if e.decision == Decision::ImplicitDeny {
        for t in &mut e.trace {
            if let Reason::NoResourceMatches { nearest } = &mut t.reason {
                *nearest = nearest_miss(&statements[t.index], arn).map(Box::new);
            }
        }
    }
    let decided_by = match e.decision {
        Decision::ExplicitDeny => Some(Effect::Deny),
        Decision::Allow => Some(Effect::Allow),
        _ => None,
    };
    if let Some(effect) = decided_by {
        e.deciding = statements
            .iter()
            .filter(|s| applying[s.index] && s.effect.value == effect)
            .map(|s| Deciding {
                statement: s.index,
                resource: match &e.trace[s.index].reason {
                    Reason::Matches { resources } => resources.first().copied(),
                    _ => None,
                },
            })
            .collect();
    }
    if !e.conditional.is_empty() {
        let without = decide(statements, |i| {
            applying[i] && statements[i].condition.is_none()
        });
        if without != e.decision {
            e.without_conditions = Some(without);
        }
    }
}

/// One statement against a concrete ARN (nearest misses are left out: see [`nearest_miss`]).
pub fn trace_one(s: &Statement, target: &arn::Target) -> StatementTrace {
    let no = |reason| StatementTrace {
        index: s.index,
        applies: Applies::No,
        reason,
    };
    if !covers_invoke(&s.action) {
        return no(Reason::ActionDoesNotCoverInvoke);
    }
    let matched: Vec<usize> = s
        .resource
        .entries
        .iter()
        .enumerate()
        .filter(|(_, r)| target.matches(&r.value))
        .map(|(i, _)| i)
        .collect();
    if s.resource.negated {
        return match matched.first() {
            Some(&i) => no(Reason::ExcludedByNotResource { resource: i }),
            None => StatementTrace {
                index: s.index,
                applies: Applies::Yes,
                reason: Reason::Matches {
                    resources: Vec::new(),
                },
            },
        };
    }
    if matched.is_empty() {
        return no(Reason::NoResourceMatches { nearest: None });
    }
    StatementTrace {
        index: s.index,
        applies: Applies::Yes,
        reason: Reason::Matches { resources: matched },
    }
}

/// The Resource entry that gets furthest before it fails (first one on ties).
pub fn nearest_miss(s: &Statement, arn: &arn::MethodArn) -> Option<NearestMiss> {
    s.resource
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            arn::explain_miss(&r.value, arn).map(|miss| NearestMiss { resource: i, miss })
        })
        .min_by_key(|n| std::cmp::Reverse(n.miss.score))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Checked, Request};

    fn check(policy: &str) -> Checked {
        Checked::from_str("t.json", policy).expect("valid input")
    }

    fn decide_for(policy: &str, req: &Request) -> Evaluation {
        check(policy).evaluate(req).expect("evaluates")
    }

    fn pinned(method: &str, path: &str) -> Request {
        Request::new(method, path).pin_defaults()
    }

    const ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod";

    #[test]
    fn deny_beats_allow_and_nothing_is_implicit_deny() {
        let p = format!(
            r#"{{"Statement":[
              {{"Sid":"A","Effect":"Allow","Action":"execute-api:Invoke","Resource":"{ARN}/*"}},
              {{"Sid":"D","Effect":"Deny","Action":"execute-api:Invoke","Resource":"{ARN}/DELETE/*"}}]}}"#
        );
        let e = decide_for(&p, &pinned("DELETE", "/x"));
        assert_eq!(e.decision, Decision::ExplicitDeny);
        assert_eq!(e.deciding[0].statement, 1);
        let e = decide_for(&p, &pinned("GET", "/x"));
        assert_eq!(e.decision, Decision::Allow);
        assert_eq!(
            e.deciding,
            vec![Deciding {
                statement: 0,
                resource: Some(0)
            }]
        );
        let e = decide_for(r#"{"Statement":[]}"#, &pinned("GET", "/x"));
        assert_eq!(e.decision, Decision::ImplicitDeny);
    }

    #[test]
    fn action_matching_is_case_insensitive_with_wildcards() {
        for action in [
            "execute-api:Invoke",
            "execute-api:invoke",
            "EXECUTE-API:INVOKE",
            "execute-api:*",
            "execute-api:Inv*",
            "*",
        ] {
            let p = format!(
                r#"{{"Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
            );
            assert_eq!(
                decide_for(&p, &pinned("GET", "/")).decision,
                Decision::Allow,
                "{action}"
            );
        }
        let p = r#"{"Statement":[{"Effect":"Allow","Action":"execute-api:InvalidateCache","Resource":"*"}]}"#;
        let e = decide_for(p, &pinned("GET", "/"));
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert_eq!(e.trace[0].reason, Reason::ActionDoesNotCoverInvoke);
    }

    #[test]
    fn not_action_and_not_resource() {
        let p = format!(
            r#"{{"Statement":[{{"Effect":"Allow","NotAction":"execute-api:InvalidateCache","NotResource":"{ARN}/GET/secret"}}]}}"#
        );
        assert_eq!(
            decide_for(&p, &pinned("GET", "/open")).decision,
            Decision::Allow
        );
        let e = decide_for(&p, &pinned("GET", "/secret"));
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert_eq!(
            e.trace[0].reason,
            Reason::ExcludedByNotResource { resource: 0 }
        );
        let empty = r#"{"Statement":[{"Effect":"Allow","Action":[],"Resource":"*"},{"Effect":"Allow","Action":"*","Resource":[]}]}"#;
        assert_eq!(
            decide_for(empty, &pinned("GET", "/")).decision,
            Decision::ImplicitDeny
        );
        let all = r#"{"Statement":[{"Effect":"Allow","NotAction":[],"NotResource":[]}]}"#;
        assert_eq!(
            decide_for(all, &pinned("GET", "/")).decision,
            Decision::Allow
        );
    }

    #[test]
    fn single_statement_object_is_accepted() {
        let p = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        assert_eq!(decide_for(p, &pinned("GET", "/")).decision, Decision::Allow);
    }

    #[test]
    fn conditions_are_assumed_and_the_alternative_reported() {
        let p = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
            {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#;
        let e = decide_for(p, &pinned("GET", "/"));
        assert_eq!(e.decision, Decision::ExplicitDeny);
        assert_eq!(e.conditional, vec![1]);
        assert_eq!(e.without_conditions, Some(Decision::Allow));
    }

    #[test]
    fn http_simple_responses() {
        let e = decide_for(
            r#"{"isAuthorized": false, "context": {"a": [1]}}"#,
            &Request::new("GET", "/"),
        );
        assert_eq!(e.decision, Decision::ExplicitDeny);
        let e = decide_for(r#"{"isAuthorized": true}"#, &Request::new("GET", "/"));
        assert!(e.is_allowed());
    }

    #[test]
    fn unpinned_reasoning_is_exact() {
        // Allow on stages matching `pr*`, Deny on `prod`: three regions of stage values.
        let p = format!(
            r#"{{"Statement":[
            {{"Effect":"Allow","Action":"*","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/pr*/GET/x"}},
            {{"Effect":"Deny","Action":"*","Resource":"{ARN}/GET/x"}}]}}"#
        );
        let req = Request::new("GET", "/x")
            .partition("aws")
            .region("us-east-1")
            .account("123456789012")
            .api_id("abc123");
        let e = decide_for(&p, &req);
        assert_eq!(e.decision, Decision::Depends);
        assert_eq!(e.depends_on, vec![Part::Stage]);
        let find = |d: Decision| {
            e.cases
                .iter()
                .find(|c| c.decision == d)
                .expect("case")
                .describe()
        };
        assert_eq!(find(Decision::ExplicitDeny), "stage is `prod`");
        assert_eq!(find(Decision::Allow), "stage matches `pr*` but not `prod`");
        assert_eq!(find(Decision::ImplicitDeny), "stage does not match `pr*`");
        // Every example lies in its own case: re-evaluating it pinned gives that decision.
        for c in &e.cases {
            let stage = &c.example.iter().find(|(p, _)| *p == Part::Stage).unwrap().1;
            let again = decide_for(&p, &req.clone().stage(stage));
            assert_eq!(again.decision, c.decision, "{stage}");
        }
        assert!(!e.meets(Expect::Allow));
        assert!(!e.meets(Expect::Deny));
    }

    #[test]
    fn star_in_api_id_cannot_swallow_the_stage_separator() {
        // `*` in the resource field may span `/`, so `abc*` also covers every stage of abc…
        let p = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:execute-api:us-east-1:1:abc*"}]}"#;
        let req = Request::new("GET", "/x")
            .partition("aws")
            .region("us-east-1")
            .account("1");
        let e = decide_for(p, &req);
        assert_eq!(e.decision, Decision::Depends);
        assert_eq!(
            e.cases
                .iter()
                .find(|c| c.decision == Decision::Allow)
                .unwrap()
                .describe(),
            "api-id matches `abc*`"
        );
    }

    #[test]
    fn deny_everything_holds_for_every_value() {
        let e = decide_for(
            r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#,
            &Request::new("GET", "/"),
        );
        assert_eq!(e.decision, Decision::ExplicitDeny);
        assert!(e.cases.is_empty());
        assert_eq!(e.deciding[0].statement, 0);
    }
}
