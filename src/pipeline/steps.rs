//! The steps in order (DESIGN.md): edge → stage → route → method auth → resource-policy
//! pre-pass → identity → cache → authorizer → policy → resource-policy combination → API
//! key → integration; REST gateway responses then rewrite the answer.
//!
//! `Plan` is what the API definition says about one request once routed; the glue from
//! the API model builds it, and everything here works from it and plain inputs.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::answer::{self, ApiKind, Outcome, is_sigv4};
use super::api_key::{self, KeyInput};
use super::cache::{Cache, CacheUse, Cached};
use super::facts::{EndpointType, Facts};
use super::gwresponse::{self, GatewayResponses, RenderContext};
use super::identity::{self, AuthorizerConfig, AuthorizerKind, Identity, RouteInfo};
use super::resource_policy::{self, AuthVerdict, Combined, ResourcePolicy, RpRequest, RpVerdict};
use super::{
    Answer, Case, Evidence, ForkKind, ForkPoint, Forks, HttpRequest, OutcomeKind, PipelineOutcome,
    Step, StepReport, StepResult, explore,
};
use crate::Checked;
use crate::apidef::ApiKeySource as KeySource;
use crate::eval::{Decision, Reason};
use crate::source::Json;

/// What the authorizer does for this request: the tool never runs code.
// One value per request: the size difference between variants costs nothing worth a Box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum AuthorizerBehaviour {
    /// It returns this output (`--authorizer-output`).
    Output(Checked),
    /// It throws this message (`--authorizer-throws`): `Unauthorized` is 401, anything else 500.
    Throws(String),
    /// Not given: when the pipeline needs it, the answer depends on the authorizer, and the
    /// event it would receive is printed.
    Unknown,
}

/// Why the pipeline cannot answer (exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PipelineError {
    /// IAM signatures, Cognito and JWT tokens are not checked offline.
    #[error("not modelled: {0}")]
    NotModelled(String),
    /// The request itself is wrong.
    #[error("{0}")]
    BadRequest(String),
}

/// The method's authorization type.
#[derive(Debug, Clone)]
pub(crate) enum MethodAuth {
    None,
    Custom(AuthorizerConfig),
    Iam,
    /// Cognito user pools (REST) or JWT (HTTP): only a missing token header is answered.
    Token {
        kind: &'static str,
        header: String,
    },
}

/// A matched route.
#[derive(Debug, Clone)]
pub(crate) struct MatchedRoute {
    /// `GET /things/{id}`.
    pub(crate) label: String,
    pub(crate) span: Option<Evidence>,
    pub(crate) info: RouteInfo,
    pub(crate) auth: MethodAuth,
    pub(crate) api_key_required: bool,
}

/// The stage named by the request.
#[derive(Debug, Clone)]
pub(crate) enum StageCheck {
    /// It is one of the definition's stages.
    Deployed(Option<Evidence>),
    /// It is not; the stages the definition has.
    NotDeployed(Vec<String>),
    /// The definition lists no stages (an export without servers): taken as deployed.
    Unlisted,
}

/// The routing result.
#[derive(Debug, Clone)]
pub(crate) enum RouteCheck {
    Matched(Box<MatchedRoute>),
    /// No route; the detail names the closest routes.
    NoMatch(String),
}

/// What the API definition says about one request, after routing.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) kind: ApiKind,
    pub(crate) endpoint: Option<EndpointType>,
    pub(crate) stage: StageCheck,
    pub(crate) route: RouteCheck,
    pub(crate) resource_policy: Option<ResourcePolicy>,
    pub(crate) gateway_responses: GatewayResponses,
    pub(crate) key_source: KeySource,
    /// The stage's variables, when the definition has them (the facts file wins).
    pub(crate) stage_variables: Option<BTreeMap<String, String>>,
    /// What routing assumed (e.g. the fallback to a less specific resource).
    pub(crate) assumptions: Vec<String>,
}

/// What the authorizer produced, fresh or cached.
#[derive(Clone)]
enum AuthResult {
    Output(Arc<Checked>),
    Unauthorized,
    Failed(String),
}

struct Runner<'a> {
    plan: &'a Plan,
    req: &'a HttpRequest,
    facts: &'a Facts,
    number: usize,
    forks: &'a mut Forks,
    cache: Cache,
    steps: Vec<StepReport>,
    notes: Vec<String>,
    invoked: Option<bool>,
    cache_use: Option<CacheUse>,
    event: Option<Value>,
    authorizer_context: BTreeMap<String, String>,
    /// The authorizer's behaviour was not given: its output here is one assumed reading.
    assumed_output: bool,
}

/// One run's result.
struct RunResult {
    answer: Answer,
    steps: Vec<StepReport>,
    notes: Vec<String>,
    invoked: Option<bool>,
    cache_use: Option<CacheUse>,
    event: Option<Value>,
}

fn synthetic(text: &str) -> Arc<Checked> {
    Arc::new(Checked::from_str("<assumed authorizer output>", text).expect("a fixed valid output"))
}

/// The REST context map and usageIdentifierKey of an output.
fn extras(c: &Checked) -> (BTreeMap<String, String>, Option<String>) {
    let root = &c.document.root;
    let mut ctx = BTreeMap::new();
    if let Some(p) = root.get("principalId")
        && let Json::String(s) | Json::Number(s) = &p.value
    {
        ctx.insert("principalId".into(), s.to_string());
    }
    for m in root.get("context").map_or(&[][..], |c| c.members()) {
        let v = match &m.value.value {
            Json::String(s) | Json::Number(s) => s.to_string(),
            Json::Bool(b) => b.to_string(),
            _ => continue,
        };
        ctx.insert(m.key.value.to_string(), v);
    }
    let key = root
        .get("usageIdentifierKey")
        .and_then(|k| k.as_str())
        .map(str::to_string);
    (ctx, key)
}

impl Runner<'_> {
    fn report(
        &mut self,
        step: Step,
        result: StepResult,
        detail: impl Into<String>,
        span: Option<Evidence>,
    ) {
        self.steps.push(StepReport {
            step,
            result,
            detail: detail.into(),
            span,
        });
    }

    fn pass(&mut self, step: Step, detail: impl Into<String>, span: Option<Evidence>) {
        self.report(step, StepResult::Pass, detail, span);
    }

    fn skip(&mut self, step: Step, detail: impl Into<String>) {
        self.report(step, StepResult::Skipped, detail, None);
    }

    fn answer(
        &mut self,
        step: Step,
        o: Outcome,
        detail: impl Into<String>,
        span: Option<Evidence>,
    ) -> Answer {
        self.report(step, StepResult::Answer, detail, span);
        answer::answer(&o, self.plan.kind, step)
    }

    fn rest(&self) -> bool {
        self.plan.kind == ApiKind::Rest
    }

    fn stage_variables(&self) -> Option<&BTreeMap<String, String>> {
        self.facts
            .stage_variables
            .as_ref()
            .or(self.plan.stage_variables.as_ref())
    }

    fn arn_display(&self) -> String {
        self.req.arn_request().arn_display()
    }

    fn run(&mut self, behaviour: &AuthorizerBehaviour) -> Result<Answer, PipelineError> {
        let mut a = self.steps_until_answer(behaviour)?;
        if self.rest() {
            let route = match &self.plan.route {
                RouteCheck::Matched(r) => r.info.clone(),
                RouteCheck::NoMatch(_) => RouteInfo::default(),
            };
            let vars = self.stage_variables().cloned();
            let authorizer = std::mem::take(&mut self.authorizer_context);
            let ctx = RenderContext {
                request: self.req,
                path_params: &route.path_params,
                stage_variables: vars.as_ref(),
                authorizer: &authorizer,
                resource_path: &route.resource_path,
            };
            if let Some(applied) = gwresponse::apply(
                &mut a,
                &self.plan.gateway_responses,
                &ctx,
                self.forks,
                &mut self.notes,
            ) {
                self.notes.push(applied.detail);
                if let Some(last) = self.steps.last_mut()
                    && last.span.is_none()
                {
                    last.span = applied.span;
                }
            }
        }
        Ok(a)
    }

    fn steps_until_answer(
        &mut self,
        behaviour: &AuthorizerBehaviour,
    ) -> Result<Answer, PipelineError> {
        let plan = self.plan;
        let req = self.req;
        let rest = self.rest();
        // Edge.
        let get_like = matches!(req.method.as_str(), "GET" | "HEAD");
        let has_body = req.body.as_deref().is_some_and(|b| !b.is_empty());
        if !rest {
            self.skip(Step::Edge, "HTTP APIs are regional: no CloudFront in front");
        } else if !(get_like && has_body) {
            self.pass(Step::Edge, "not a GET or HEAD with a body", None);
        } else {
            let edge = match self.facts.endpoint_type.or(plan.endpoint) {
                Some(t) => t == EndpointType::Edge,
                None => {
                    self.forks.choose(
                        ForkKind::Unknown,
                        Step::Edge,
                        "the endpoint type (give endpoint_type in the facts file)",
                        vec![
                            "the endpoint is EDGE (CloudFront in front)".into(),
                            "the endpoint is REGIONAL or PRIVATE".into(),
                        ],
                    ) == 0
                }
            };
            if edge {
                return Ok(self.answer(
                    Step::Edge,
                    Outcome::CloudFrontGetWithBody,
                    format!(
                        "CloudFront refuses a {} with a body before API Gateway sees it",
                        req.method
                    ),
                    None,
                ));
            }
            self.notes.push("what a regional or private endpoint does with a GET body is undocumented; it is taken to pass [I]".into());
            self.pass(
                Step::Edge,
                "no CloudFront in front of a regional or private endpoint",
                None,
            );
        }
        // Stage.
        let stage = req.stage.as_deref().unwrap_or("{stage}");
        match &plan.stage {
            StageCheck::Deployed(span) => {
                self.pass(Step::Stage, format!("stage `{stage}`"), span.clone())
            }
            StageCheck::Unlisted => {
                self.notes.push(format!(
                    "the definition lists no stages: stage `{stage}` is taken to be deployed"
                ));
                self.pass(
                    Step::Stage,
                    format!("stage `{stage}` (not listed in the definition)"),
                    None,
                );
            }
            StageCheck::NotDeployed(known) => {
                let o = if rest {
                    Outcome::MissingAuthenticationToken
                } else {
                    Outcome::NotFound
                };
                let list = if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                };
                return Ok(self.answer(
                    Step::Stage,
                    o,
                    format!("no stage `{stage}` (stages: {list})"),
                    None,
                ));
            }
        }
        // Route.
        let route = match &plan.route {
            RouteCheck::Matched(r) => r,
            RouteCheck::NoMatch(detail) => {
                let o = match req.header_value("Authorization") {
                    _ if !rest => Outcome::NotFound,
                    Some(v) if !is_sigv4(v) => Outcome::IncompleteSignature(v.to_string()),
                    _ => Outcome::MissingAuthenticationToken,
                };
                return Ok(self.answer(Step::Route, o, detail.clone(), None));
            }
        };
        self.pass(Step::Route, route.label.clone(), route.span.clone());
        // Method authorization.
        let auth_header = req.header_value("Authorization");
        match &route.auth {
            MethodAuth::None => self.pass(Step::MethodAuth, "NONE", None),
            MethodAuth::Custom(cfg) => self.pass(
                Step::MethodAuth,
                format!("CUSTOM: Lambda authorizer `{}`", cfg.name),
                cfg.span.clone(),
            ),
            MethodAuth::Iam => match auth_header {
                None => {
                    return Ok(self.answer(
                        Step::MethodAuth,
                        Outcome::MissingAuthenticationToken,
                        "AWS_IAM method called without a SigV4 signature",
                        None,
                    ));
                }
                Some(v) if !is_sigv4(v) && rest => {
                    return Ok(self.answer(
                        Step::MethodAuth,
                        Outcome::IncompleteSignature(v.to_string()),
                        "AWS_IAM method called with a non-SigV4 Authorization header",
                        None,
                    ));
                }
                Some(_) => {
                    return Err(PipelineError::NotModelled(
                        "the method uses AWS_IAM and the request is signed: signatures and IAM policies are not checked offline".into(),
                    ));
                }
            },
            MethodAuth::Token { kind, header } => {
                if req.header_value(header).is_none_or(str::is_empty) {
                    return Ok(self.answer(
                        Step::MethodAuth,
                        Outcome::Unauthorized,
                        format!("{kind} method called without the `{header}` header"),
                        None,
                    ));
                }
                return Err(PipelineError::NotModelled(format!(
                    "the method uses {kind}: tokens are not validated offline"
                )));
            }
        }
        // Resource policy, pre-pass.
        let arn = self.arn_display();
        let arn_request = req.arn_request();
        let mut rp_verdict = None;
        if let (true, Some(rp)) = (rest, &plan.resource_policy) {
            let concrete = arn_request.arn().map(|a| a.to_string());
            let stage_route = format!("{stage}/{}", arn_request.route());
            let rpr = RpRequest {
                stage_route: &stage_route,
                arn: concrete.as_deref(),
                arn_display: &arn,
                source_ip: req.source_ip,
            };
            let v = resource_policy::evaluate(rp, &rpr, self.forks, &mut self.notes);
            if let RpVerdict::Deny(i) = v {
                let span = rp.statements[i].span.clone();
                return Ok(self.answer(
                    Step::ResourcePolicy,
                    Outcome::ResourcePolicyExplicitDeny(arn),
                    format!("resource policy statement {i} denies the request (pre-pass: the authorizer is not invoked)"),
                    span,
                ));
            }
            self.pass(
                Step::ResourcePolicy,
                "pre-pass: no Deny in the resource policy applies",
                None,
            );
            rp_verdict = Some(v);
        } else if !rest && plan.resource_policy.is_some() {
            self.notes.push(
                "HTTP APIs have no resource policy; the one in the definition is ignored".into(),
            );
        }
        let has_authorizer = matches!(route.auth, MethodAuth::Custom(_));
        let key_needed = rest && route.api_key_required;
        let key_first = key_needed
            && has_authorizer
            && plan.key_source == KeySource::Header
            && self.forks.choose(
                ForkKind::Undocumented,
                Step::ApiKey,
                "whether the HEADER API key is checked before or after the authorizer",
                vec![
                    "the API key is checked after the authorizer".into(),
                    "the API key is checked before the identity sources".into(),
                ],
            ) == 1;
        if key_first && let Some(a) = self.api_key(None) {
            return Ok(a);
        }
        // The authorizer.
        let mut usage_key = None;
        let auth_verdict = match &route.auth {
            MethodAuth::Custom(cfg) => {
                let len = arn_request.arn_len_at_least();
                if len > 1600 {
                    return Ok(self.answer(
                        Step::Authorizer,
                        Outcome::UriTooLong,
                        format!("the method ARN is {len} bytes, over the 1600-byte limit"),
                        None,
                    ));
                }
                match self.authorize(cfg, route, behaviour, &mut usage_key)? {
                    Ok(v) => Some(v),
                    Err(a) => return Ok(a),
                }
            }
            _ => {
                for s in [Step::Identity, Step::Cache, Step::Authorizer, Step::Policy] {
                    self.skip(s, "no Lambda authorizer on this method");
                }
                None
            }
        };
        // Combination with the resource policy.
        let cross = self.facts.cross_account.unwrap_or(false);
        match (rp_verdict, auth_verdict) {
            (Some(rp), Some(p)) => {
                if self.facts.cross_account.is_none() {
                    self.notes.push("the caller is taken to be in the API's account (Table A); set cross_account in the facts file for Table B".into());
                }
                let table = if cross { "Table B" } else { "Table A" };
                let span = match rp {
                    RpVerdict::Allow(i) | RpVerdict::Deny(i) => plan
                        .resource_policy
                        .as_ref()
                        .and_then(|x| x.statements[i].span.clone()),
                    RpVerdict::Neither => None,
                };
                let combined = resource_policy::combine(p.verdict, rp, cross);
                let rp_says = format!("{table}: the resource policy {}", rp_phrase(rp));
                if matches!(
                    combined,
                    Combined::AuthorizerExplicitDeny | Combined::AuthorizerImplicitDeny
                ) {
                    return Ok(self.answer(
                        Step::Policy,
                        Outcome::PolicyDeny(p.decision),
                        format!("{}; {rp_says}", p.detail),
                        p.span,
                    ));
                }
                self.report(Step::Policy, StepResult::Pass, p.detail, p.span);
                match combined {
                    Combined::PolicyExplicitDeny => {
                        return Ok(self.answer(
                            Step::ResourcePolicy,
                            Outcome::ResourcePolicyExplicitDeny(arn),
                            rp_says,
                            span,
                        ));
                    }
                    Combined::PolicyImplicitDeny => {
                        return Ok(self.answer(
                            Step::ResourcePolicy,
                            Outcome::ResourcePolicyImplicitDeny(arn),
                            format!("{rp_says}: across accounts both must allow"),
                            None,
                        ));
                    }
                    _ => self.pass(Step::ResourcePolicy, rp_says, span),
                }
            }
            (Some(rp), None) => match rp {
                RpVerdict::Allow(i) => {
                    let span = plan
                        .resource_policy
                        .as_ref()
                        .and_then(|x| x.statements[i].span.clone());
                    self.pass(
                        Step::ResourcePolicy,
                        format!("resource policy statement {i} allows"),
                        span,
                    )
                }
                _ => {
                    return Ok(self.answer(
                        Step::ResourcePolicy,
                        Outcome::ResourcePolicyImplicitDeny(arn),
                        "nothing in the resource policy allows the request, and there is no authorizer",
                        None,
                    ));
                }
            },
            (None, Some(p)) if !p.decision.is_allowed() => {
                return Ok(self.answer(
                    Step::Policy,
                    Outcome::PolicyDeny(p.decision),
                    p.detail,
                    p.span,
                ));
            }
            (None, Some(p)) => self.report(Step::Policy, StepResult::Pass, p.detail, p.span),
            (None, None) => {}
        }
        // API key.
        if key_needed && !key_first {
            if let Some(a) = self.api_key(usage_key.as_deref()) {
                return Ok(a);
            }
        } else if !key_needed {
            self.skip(Step::ApiKey, "no API key required");
        }
        Ok(self.answer(
            Step::Integration,
            Outcome::Integration,
            "the request reaches the integration",
            None,
        ))
    }

    /// The API-key step; `Some(answer)` when it rejects.
    fn api_key(&mut self, usage_key: Option<&str>) -> Option<Answer> {
        let RouteCheck::Matched(route) = &self.plan.route else {
            return None;
        };
        let input = KeyInput {
            source: self.plan.key_source,
            header: self.req.header_value("x-api-key"),
            has_authorizer: matches!(route.auth, MethodAuth::Custom(_)),
            usage_identifier_key: usage_key,
            api_stage: match (&self.req.api_id, &self.req.stage) {
                (Some(a), Some(s)) => Some(format!("{a}/{s}")),
                _ => None,
            },
            stage: self.req.stage.as_deref(),
        };
        let keys = self.facts.api_keys.as_deref();
        match api_key::check(&input, keys, self.forks, &mut self.notes) {
            Ok(detail) => {
                self.pass(Step::ApiKey, detail, None);
                None
            }
            Err(why) => Some(self.answer(Step::ApiKey, Outcome::InvalidApiKey, why, None)),
        }
    }

    /// Identity, cache, authorizer and policy. `Ok(Ok(verdict))` goes on; `Ok(Err(answer))`
    /// ends the pipeline.
    fn authorize(
        &mut self,
        cfg: &AuthorizerConfig,
        route: &MatchedRoute,
        behaviour: &AuthorizerBehaviour,
        usage_key: &mut Option<String>,
    ) -> Result<Result<PolicyResult, Answer>, PipelineError> {
        let req = self.req;
        let vars = self.stage_variables().cloned();
        let values = match identity::check(cfg, req, vars.as_ref(), self.forks, &mut self.notes) {
            Identity::Missing(why) => {
                self.invoked = Some(false);
                return Ok(Err(self.answer(
                    Step::Identity,
                    Outcome::Unauthorized,
                    format!("{why}: 401 without invoking the authorizer"),
                    cfg.span.clone(),
                )));
            }
            Identity::Present(v) => v,
        };
        self.pass(
            Step::Identity,
            "every identity source is present",
            cfg.span.clone(),
        );
        // Cache.
        let http = matches!(cfg.kind, AuthorizerKind::Http { .. });
        let ttl = cfg.ttl;
        let cacheable = ttl != Some(0) && !values.is_empty();
        let key = format!(
            "{}/{}|{}|{}",
            req.api_id.as_deref().unwrap_or("{api-id}"),
            req.stage.as_deref().unwrap_or("{stage}"),
            cfg.name,
            values.join("\u{0}")
        );
        let mut result = None;
        if !cacheable {
            let why = if ttl == Some(0) {
                "caching is off (TTL 0)"
            } else {
                "no identity sources: nothing to cache on"
            };
            self.skip(Step::Cache, why);
        } else if let Some(hit) = self.lookup(&key, ttl) {
            result = Some(hit);
        } else {
            self.pass(
                Step::Cache,
                "no cached result for these identity values",
                None,
            );
        }
        let from_cache = result.is_some();
        let result = match result {
            Some(r) => r,
            None => {
                self.invoked = Some(true);
                let (r, real) = self.invoke(cfg, route, behaviour, vars.as_ref());
                if cacheable && real {
                    let item = match &r {
                        AuthResult::Output(c) if !c.authorizer.is_malformed() => {
                            Cached::Output(c.clone())
                        }
                        AuthResult::Output(_) | AuthResult::Failed(_) => Cached::Failed,
                        AuthResult::Unauthorized => Cached::Unauthorized,
                    };
                    self.cache.store(key, ttl, self.number, req.label(), item);
                }
                r
            }
        };
        let prefix = if from_cache {
            "the cached result: "
        } else {
            ""
        };
        let checked = match result {
            AuthResult::Unauthorized => {
                return Ok(Err(self.answer(
                    Step::Authorizer,
                    Outcome::Unauthorized,
                    format!("{prefix}the authorizer threw `Unauthorized`"),
                    None,
                )));
            }
            AuthResult::Failed(why) => {
                return Ok(Err(self.answer(
                    Step::Authorizer,
                    Outcome::AuthorizerError,
                    format!("{prefix}{why}"),
                    None,
                )));
            }
            AuthResult::Output(c) if c.authorizer.is_malformed() => {
                let p = &c.authorizer.problems[0];
                let span = Some(Evidence::new(&c.document.source, p.span));
                return Ok(Err(self.answer(
                    Step::Authorizer,
                    Outcome::MalformedOutput,
                    format!("malformed output: {}", p.message),
                    span,
                )));
            }
            AuthResult::Output(c) => c,
        };
        let (ctx, uik) = extras(&checked);
        self.authorizer_context = ctx;
        *usage_key = uik;
        if self.assumed_output {
            self.pass(Step::Authorizer, "the authorizer's behaviour is not given: each case assumes one (see authorizer_event for the event it receives)", None);
        } else if !from_cache {
            self.pass(
                Step::Authorizer,
                "the authorizer returned a well-formed output",
                None,
            );
        }
        self.policy(&checked, cfg, http).map(Ok)
    }

    /// The cache lookup, with its undocumented points as forks.
    fn lookup(&mut self, key: &str, ttl: Option<u64>) -> Option<AuthResult> {
        let (entry, age) = self.cache.get(key)?;
        let entry = entry.clone();
        let alive = match entry.ttl.or(ttl) {
            Some(t) => age < t,
            None => {
                self.forks.choose(
                    ForkKind::Undocumented,
                    Step::Cache,
                    format!("whether an HTTP API authorizer result without a TTL in the definition is still cached after {age} s (the default is undocumented)"),
                    vec![
                        format!("the result of request #{} is still cached", entry.request),
                        "nothing was cached: no default TTL".into(),
                    ],
                ) == 0
            }
        };
        if !alive {
            self.cache.remove(key);
            self.pass(
                Step::Cache,
                format!(
                    "the result cached by request #{} expired ({age} s ≥ TTL)",
                    entry.request
                ),
                None,
            );
            return None;
        }
        let result = match &entry.item {
            Cached::Output(c) => AuthResult::Output(c.clone()),
            negative => {
                let what = if matches!(negative, Cached::Unauthorized) {
                    "401"
                } else {
                    "500"
                };
                let r = self.forks.choose(
                    ForkKind::Undocumented,
                    Step::Cache,
                    format!("whether a {what} authorizer result is cached (undocumented)"),
                    vec![
                        format!("a {what} is not cached: the authorizer is invoked again"),
                        format!(
                            "a {what} is cached: request #{}'s answer is repeated",
                            entry.request
                        ),
                    ],
                );
                if r == 0 {
                    self.pass(
                        Step::Cache,
                        format!("request #{}'s {what} is not reused", entry.request),
                        None,
                    );
                    return None;
                }
                if matches!(negative, Cached::Unauthorized) {
                    AuthResult::Unauthorized
                } else {
                    AuthResult::Failed("the authorizer failed".into())
                }
            }
        };
        self.invoked = Some(false);
        self.cache_use = Some(CacheUse {
            from_request: entry.request,
            from_label: entry.label.clone(),
            age,
        });
        self.pass(
            Step::Cache,
            format!(
                "the authorizer is not invoked: request #{} ({}) cached its result {age} s ago",
                entry.request, entry.label
            ),
            None,
        );
        Some(result)
    }

    /// Invokes the authorizer; the flag says whether the behaviour was given (assumed
    /// outputs are not cached).
    fn invoke(
        &mut self,
        cfg: &AuthorizerConfig,
        route: &MatchedRoute,
        behaviour: &AuthorizerBehaviour,
        vars: Option<&BTreeMap<String, String>>,
    ) -> (AuthResult, bool) {
        match behaviour {
            AuthorizerBehaviour::Output(c) => (AuthResult::Output(Arc::new(c.clone())), true),
            AuthorizerBehaviour::Throws(m) if m == "Unauthorized" => {
                (AuthResult::Unauthorized, true)
            }
            AuthorizerBehaviour::Throws(m) => (
                AuthResult::Failed(format!(
                    "the authorizer threw `{m}` (only `Unauthorized` gives 401)"
                )),
                true,
            ),
            AuthorizerBehaviour::Unknown => {
                self.assumed_output = true;
                self.event = Some(identity::event(cfg, self.req, &route.info, vars));
                let simple = matches!(cfg.kind, AuthorizerKind::Http { simple: true, .. });
                let mut readings: Vec<(&str, Option<&str>)> = if simple {
                    vec![
                        (
                            "the authorizer returns {\"isAuthorized\": true}",
                            Some(r#"{"isAuthorized": true}"#),
                        ),
                        (
                            "the authorizer returns {\"isAuthorized\": false}",
                            Some(r#"{"isAuthorized": false}"#),
                        ),
                    ]
                } else {
                    vec![
                        (
                            "the authorizer's policy allows the request",
                            Some(
                                r#"{"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}}"#,
                            ),
                        ),
                        (
                            "the authorizer's policy denies it explicitly",
                            Some(
                                r#"{"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "*"}]}}"#,
                            ),
                        ),
                        (
                            "the authorizer's policy does not cover it",
                            Some(
                                r#"{"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": []}}"#,
                            ),
                        ),
                    ]
                };
                readings.push(("the authorizer throws `Unauthorized`", None));
                readings.push((
                    "the authorizer throws another error or returns malformed output",
                    None,
                ));
                let r = self.forks.choose(
                    ForkKind::Authorizer,
                    Step::Authorizer,
                    "what the authorizer returns (give --authorizer-output or --authorizer-throws)",
                    readings.iter().map(|(d, _)| d.to_string()).collect(),
                );
                let result = match readings[r].1 {
                    Some(text) => AuthResult::Output(synthetic(text)),
                    None if r == readings.len() - 2 => AuthResult::Unauthorized,
                    None => AuthResult::Failed("the authorizer failed".into()),
                };
                (result, false)
            }
        }
    }

    /// Evaluates the output's policy (or simple verdict) against this request's ARN.
    fn policy(
        &mut self,
        c: &Checked,
        cfg: &AuthorizerConfig,
        http: bool,
    ) -> Result<PolicyResult, PipelineError> {
        let eval = c
            .evaluate(&self.req.arn_request())
            .map_err(|e| PipelineError::BadRequest(e.to_string()))?;
        let mut decision = eval.decision;
        if decision == Decision::Depends {
            let readings: Vec<String> = eval
                .cases
                .iter()
                .map(|k| format!("{} ({})", k.describe(), k.decision.phrase()))
                .collect();
            let r = self.forks.choose(
                ForkKind::Unknown,
                Step::Policy,
                "the ARN parts that are not pinned (give --region, --account, --api-id, --stage or the facts file)",
                readings,
            );
            decision = eval
                .cases
                .get(r)
                .map_or(Decision::ImplicitDeny, |k| k.decision);
        }
        if !eval.conditional.is_empty() {
            self.notes.push(format!(
                "the authorizer policy's Condition blocks (statements {:?}) are assumed to hold (undocumented for authorizer policies)",
                eval.conditional
            ));
        }
        if http && !decision.is_allowed() {
            self.notes.push("an HTTP API authorizer denial is answered 403 {\"message\":\"Forbidden\"}: inferred, and contested by one report of 401 [C]".into());
        }
        if let AuthorizerKind::Http { simple, .. } = cfg.kind
            && simple != (c.authorizer.shape == crate::Shape::Http)
        {
            self.notes.push(format!(
                "the authorizer {} simple responses but its output {} one",
                if simple { "has" } else { "does not have" },
                if simple { "is not" } else { "is" }
            ));
        }
        let mut detail = format!("the authorizer's output: {}", decision.phrase());
        if let Some(used) = &self.cache_use {
            detail = format!(
                "the output cached by request #{} ({}) gives {} for {}",
                used.from_request,
                used.from_label,
                decision.phrase(),
                self.arn_display()
            );
            if decision == Decision::ImplicitDeny
                && let Some(entry) = nearest_entry(c, &eval.trace)
            {
                detail.push_str(&format!("; the nearest Resource is `{entry}`"));
            }
        }
        let span = eval
            .deciding
            .first()
            .filter(|_| !self.assumed_output)
            .and_then(|d| c.authorizer.policy.as_ref()?.statements.get(d.statement))
            .map(|s| Evidence::new(&c.document.source, s.span));
        let verdict = match decision {
            Decision::Allow => AuthVerdict::Allow,
            Decision::ExplicitDeny => AuthVerdict::ExplicitDeny,
            _ => AuthVerdict::ImplicitDeny,
        };
        Ok(PolicyResult {
            verdict,
            decision,
            detail,
            span,
        })
    }
}

/// The authorizer policy's verdict on this request.
struct PolicyResult {
    verdict: AuthVerdict,
    decision: Decision,
    detail: String,
    span: Option<Evidence>,
}

fn rp_phrase(v: RpVerdict) -> String {
    match v {
        RpVerdict::Allow(i) => format!("allows (statement {i})"),
        RpVerdict::Deny(i) => format!("denies (statement {i})"),
        RpVerdict::Neither => "neither allows nor denies".into(),
    }
}

/// The Resource entry that came closest to the ARN, for a cached implicit deny.
fn nearest_entry(c: &Checked, trace: &[crate::eval::StatementTrace]) -> Option<String> {
    let policy = c.authorizer.policy.as_ref()?;
    trace.iter().find_map(|t| match &t.reason {
        Reason::NoResourceMatches { nearest: Some(n) } => policy
            .statements
            .get(t.index)?
            .resource
            .entries
            .get(n.resource)
            .map(|e| e.value.to_string()),
        _ => None,
    })
}

/// Answers one request of a sequence sharing `cache` (`req` already completed from the
/// definition and the facts).
pub(crate) fn run_plan(
    plan: &Plan,
    req: &HttpRequest,
    facts: &Facts,
    behaviour: &AuthorizerBehaviour,
    cache: &mut Cache,
) -> Result<PipelineOutcome, PipelineError> {
    let number = cache.begin();
    let (runs, complete) = explore(|forks| {
        let mut r = Runner {
            plan,
            req,
            facts,
            number,
            forks,
            cache: cache.clone(),
            steps: Vec::new(),
            notes: Vec::new(),
            invoked: None,
            cache_use: None,
            event: None,
            authorizer_context: BTreeMap::new(),
            assumed_output: false,
        };
        let answer = r.run(behaviour);
        let Runner {
            steps,
            notes,
            invoked,
            cache_use,
            event,
            cache: after,
            ..
        } = r;
        answer.map(|answer| {
            (
                RunResult {
                    answer,
                    steps,
                    notes,
                    invoked,
                    cache_use,
                    event,
                },
                after,
            )
        })
    });
    let mut ok = Vec::new();
    for (seen, r) in runs {
        ok.push((seen, r?));
    }
    let mut out = aggregate(&ok, &plan.assumptions);
    if !complete {
        out.assumptions
            .push("too many combinations of unknowns: not every case was explored".into());
    }
    *cache = ok.swap_remove(0).1.1;
    Ok(out)
}

/// One outcome from every run: an answer when they agree, else `depends` with the cases.
fn aggregate(
    runs: &[(Vec<ForkPoint>, (RunResult, Cache))],
    plan_notes: &[String],
) -> PipelineOutcome {
    let first = &runs[0].1.0;
    let same = runs.iter().all(|(_, (r, _))| r.answer == first.answer);
    // The questions met, in order, and whether their reading changes the answer.
    let mut questions: Vec<(&ForkPoint, bool)> = Vec::new();
    for (seen, _) in runs {
        for p in seen {
            if questions.iter().any(|(q, _)| q.question == p.question) {
                continue;
            }
            let mut by_reading: BTreeMap<usize, Vec<&Answer>> = BTreeMap::new();
            for (s, (r, _)) in runs {
                if let Some(x) = s.iter().find(|x| x.question == p.question) {
                    let v = by_reading.entry(x.chosen).or_default();
                    if !v.contains(&&r.answer) {
                        v.push(&r.answer);
                    }
                }
            }
            let mut sets = by_reading.values();
            let head = sets.next();
            let matters = sets.any(|s| Some(s) != head);
            questions.push((p, matters));
        }
    }
    let mut assumptions: Vec<String> = plan_notes.to_vec();
    let mut undocumented = Vec::new();
    for n in &first.notes {
        if !assumptions.contains(n) {
            assumptions.push(n.clone());
        }
        // A note tagged [C] is a contested point the answer was given on anyway (a decided
        // reading, DESIGN.md): the answer hangs on it, so it is listed as such too.
        if n.contains("[C]") && !undocumented.contains(n) {
            undocumented.push(n.clone());
        }
    }
    for (q, matters) in &questions {
        match (q.kind, matters) {
            (ForkKind::Undocumented, true) => undocumented.push(q.question.clone()),
            (ForkKind::Undocumented, false) => assumptions.push(format!(
                "{} is undocumented; every reading gives this answer",
                q.question
            )),
            (_, false) => assumptions.push(format!(
                "not needed: {} (every case gives this answer)",
                q.question
            )),
            _ => {}
        }
    }
    let mut steps = first.steps.clone();
    let mut cases = Vec::new();
    if !same {
        for (q, matters) in &questions {
            if *matters && let Some(s) = steps.iter_mut().find(|s| s.step == q.step) {
                s.result = StepResult::Depends;
            }
        }
        for (seen, (r, _)) in runs {
            let when: Vec<String> = seen
                .iter()
                .filter(|p| {
                    questions
                        .iter()
                        .any(|(q, m)| *m && q.question == p.question)
                })
                .map(|p| p.readings[p.chosen].clone())
                .collect();
            let when = when.join("; ");
            // Readings with the same answer make one case.
            match cases.iter_mut().find(|c: &&mut Case| c.answer == r.answer) {
                Some(c) if !c.when.split(" or ").any(|w| w == when) => {
                    c.when = format!("{} or {when}", c.when);
                }
                Some(_) => {}
                None => cases.push(Case {
                    when,
                    answer: r.answer.clone(),
                }),
            }
        }
    }
    let invoked = runs
        .iter()
        .all(|(_, (r, _))| r.invoked == first.invoked)
        .then_some(first.invoked)
        .flatten();
    PipelineOutcome {
        schema_version: 1,
        outcome: if same {
            OutcomeKind::Answer
        } else {
            OutcomeKind::Depends
        },
        answer: same.then(|| first.answer.clone()),
        steps,
        cases,
        assumptions,
        undocumented,
        authorizer_invoked: invoked,
        cache: first.cache_use.clone(),
        authorizer_event: first.event.clone(),
    }
}
