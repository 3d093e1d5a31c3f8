//! The thin layer from an [`ApiModel`] to the pipeline's [`Plan`]: stage lookup, routing
//! (the apidef router), the method's authorizer, the resource policy and the gateway
//! responses, with spans into the definition. A field the definition hides behind an
//! unresolvable intrinsic, where the answer needs it, is a [`PipelineError::NotModelled`]
//! naming the field: never a guess.

use std::collections::BTreeMap;

use super::gwresponse::{GatewayResponse, GatewayResponses};
use super::identity::{AuthorizerConfig, AuthorizerKind, PayloadVersion, RouteInfo};
use super::resource_policy::ResourcePolicy;
use super::steps::{MatchedRoute, MethodAuth, Plan, RouteCheck, StageCheck, run_plan};
use super::{
    AuthorizerBehaviour, Cache, Evidence, Facts, HttpRequest, PipelineError, PipelineOutcome,
};
use crate::apidef::{
    ApiKeySource, ApiKind, ApiModel, AuthType, Authorizer, Field, Route, RouteMatch, Router,
    SourceKind,
};

/// Answers `req` on the API `api`: the whole HTTP answer API Gateway gives, step by step.
/// `cache` carries the authorizer cache and the virtual clock from one request of a
/// sequence to the next (`Cache::new()` for a single request).
///
/// ```
/// use policy_check::apidef;
/// use policy_check::pipeline::{self, AuthorizerBehaviour, Cache, Facts, HttpRequest};
/// use policy_check::Source;
/// let text = r#"{"openapi": "3.0.1", "paths": {"/things": {"get": {}}}}"#;
/// let api = apidef::load(Source::new("api.json", text), None).unwrap();
/// let req = HttpRequest::from_target("POST", "/things").unwrap();
/// let out = pipeline::run(&api, &req, &Facts::default(), &AuthorizerBehaviour::Unknown, &mut Cache::new()).unwrap();
/// let answer = out.answer.unwrap();
/// assert_eq!((answer.status, answer.error_type.as_deref()), (403, Some("MissingAuthenticationTokenException")));
/// assert_eq!(answer.body.as_deref(), Some(r#"{"message":"Missing Authentication Token"}"#));
/// ```
pub fn run(
    api: &ApiModel,
    req: &HttpRequest,
    facts: &Facts,
    behaviour: &AuthorizerBehaviour,
    cache: &mut Cache,
) -> Result<PipelineOutcome, PipelineError> {
    let mut req = req.clone();
    let mut notes = Vec::new();
    fill(&mut req.api_id, &api.api_id);
    fill(&mut req.region, &api.region);
    if req.account.is_none() {
        req.account.clone_from(&facts.account);
    }
    if req.region.is_none() {
        req.region.clone_from(&facts.region);
    }
    let stage = stage_check(api, &mut req, &mut notes);
    // An export's base path only hints at a stage: its variables are not in the file.
    let stage_variables = req
        .stage
        .as_deref()
        .and_then(|s| api.stage(s))
        .filter(|s| !s.hint)
        .map(|s| {
            let mut vars = BTreeMap::new();
            for v in &s.variables {
                match v.value.value() {
                    Some(value) => {
                        vars.insert(v.name.clone(), value.clone());
                    }
                    None => notes.push(format!(
                        "the stage variable `{}` is unknown offline and left out",
                        v.name
                    )),
                }
            }
            vars
        });
    let route = route_check(api, &req, &mut notes)?;
    let resource_policy = match &api.resource_policy {
        None => None,
        Some(rp) => {
            let doc = known(&rp.document, "the resource policy")?;
            let span = Some(Evidence::new(&api.source, rp.span));
            let statements = doc
                .get("Statement")
                .and_then(|s| s.as_array())
                .map_or(1, Vec::len);
            Some(
                ResourcePolicy::from_json(doc, &vec![span; statements])
                    .map_err(PipelineError::NotModelled)?,
            )
        }
    };
    let plan = Plan {
        kind: api.kind,
        endpoint: api.effective_endpoint_type(),
        stage,
        route,
        resource_policy,
        gateway_responses: gateway_responses(api, &mut notes),
        key_source: api
            .api_key_source
            .as_ref()
            .and_then(|f| f.value().copied())
            .unwrap_or(ApiKeySource::Header),
        stage_variables,
        assumptions: notes,
    };
    run_plan(&plan, &req, facts, behaviour, cache)
}

fn fill(slot: &mut Option<String>, field: &Option<Field<String>>) {
    if slot.is_none() {
        *slot = field.as_ref().and_then(|f| f.value().cloned());
    }
}

fn known<'a, T>(f: &'a Field<T>, what: &str) -> Result<&'a T, PipelineError> {
    match f {
        Field::Known { value, .. } => Ok(value),
        Field::Unknown(u) => Err(PipelineError::NotModelled(format!(
            "{what} ({}) is unknown offline: {}",
            u.field, u.reason
        ))),
    }
}

fn stage_check(api: &ApiModel, req: &mut HttpRequest, notes: &mut Vec<String>) -> StageCheck {
    let Some(name) = req.stage.clone() else {
        notes.push("no stage given: the stage is unknown (pass an invoke URL or --stage)".into());
        return StageCheck::Unlisted;
    };
    if let Some(s) = api.stage(&name) {
        return StageCheck::Deployed(Some(Evidence::new(&api.source, s.span)));
    }
    // An HTTP API's `$default` stage has no stage segment in the URL: the "stage" read from
    // the URL is then the first path segment.
    if api.kind == ApiKind::Http && api.stage("$default").is_some() {
        req.path = if req.path == "/" {
            format!("/{name}")
        } else {
            format!("/{name}{}", req.path)
        };
        req.stage = Some("$default".into());
        return StageCheck::Deployed(
            api.stage("$default")
                .map(|s| Evidence::new(&api.source, s.span)),
        );
    }
    if api.stages.is_empty() {
        return StageCheck::Unlisted;
    }
    if api.stages.iter().any(|s| s.name.value().is_none()) {
        notes.push("a stage name is unknown offline: the stage is taken to be deployed".into());
        return StageCheck::Unlisted;
    }
    if api.stages.iter().all(|s| s.hint) {
        notes.push(format!(
            "the definition's stages come only from an export's base path; stage `{name}` is taken to be deployed"
        ));
        return StageCheck::Unlisted;
    }
    StageCheck::NotDeployed(
        api.stages
            .iter()
            .filter_map(|s| s.name.value().cloned())
            .collect(),
    )
}

fn route_check(
    api: &ApiModel,
    req: &HttpRequest,
    notes: &mut Vec<String>,
) -> Result<RouteCheck, PipelineError> {
    let stage = req.stage.as_deref().unwrap_or("{stage}");
    let found = match Router::new(api).find(&req.method, &req.path) {
        RouteMatch::Found(f) => f,
        RouteMatch::Miss(m) => {
            let closest: Vec<String> = m
                .closest
                .iter()
                .map(|&i| format!("`{}`", api.routes[i].key()))
                .collect();
            let mut detail = format!("no `{} {}` in stage {stage}", req.method, req.path);
            if !closest.is_empty() {
                detail.push_str(&format!("; closest: {}", closest.join(", ")));
            }
            if m.incomplete {
                notes.push(
                    "some routes are hidden behind values unknown offline: the miss is not certain"
                        .into(),
                );
            }
            return Ok(RouteCheck::NoMatch(detail));
        }
    };
    notes.extend(found.assumptions);
    let route = &api.routes[found.route];
    let auth = method_auth(api, route)?;
    Ok(RouteCheck::Matched(Box::new(MatchedRoute {
        label: route.key(),
        span: Some(Evidence::new(&api.source, route.span)),
        info: RouteInfo {
            resource_path: route.path.clone(),
            path_params: found.params.into_iter().collect(),
        },
        auth,
        api_key_required: api.kind == ApiKind::Rest
            && *known(
                &route.api_key_required,
                "whether the method requires an API key",
            )?,
    })))
}

fn header_of(a: Option<&Authorizer>) -> String {
    a.and_then(|a| a.identity_sources.as_ref()?.value()?.first().cloned())
        .and_then(|s| match s.kind {
            SourceKind::Header(h) => Some(h),
            _ => None,
        })
        .unwrap_or_else(|| "Authorization".into())
}

fn method_auth(api: &ApiModel, route: &Route) -> Result<MethodAuth, PipelineError> {
    let authorizer = api.authorizer_of(route);
    Ok(
        match known(&route.auth, "the method's authorization type")? {
            AuthType::None => MethodAuth::None,
            AuthType::AwsIam => MethodAuth::Iam,
            AuthType::CognitoUserPools => MethodAuth::Token {
                kind: "COGNITO_USER_POOLS",
                header: header_of(authorizer),
            },
            AuthType::Jwt => MethodAuth::Token {
                kind: "JWT",
                header: header_of(authorizer),
            },
            AuthType::Custom => {
                let Some(a) = authorizer else {
                    let name = route
                        .authorizer
                        .as_ref()
                        .map_or("(none)", |r| r.name.as_str());
                    return Err(PipelineError::NotModelled(format!(
                        "the method's authorizer `{name}` is not defined in the API definition"
                    )));
                };
                MethodAuth::Custom(authorizer_config(api, a)?)
            }
        },
    )
}

fn authorizer_config(api: &ApiModel, a: &Authorizer) -> Result<AuthorizerConfig, PipelineError> {
    use crate::apidef::AuthorizerKind as K;
    let what = format!("authorizer `{}`", a.name);
    let kind = match (api.kind, known(&a.kind, &what)?) {
        (ApiKind::Rest, K::Token) => AuthorizerKind::Token,
        (ApiKind::Rest, K::Request) => AuthorizerKind::Request,
        (ApiKind::Http, K::Request | K::Token) => AuthorizerKind::Http {
            payload: match a.payload_format.as_ref().and_then(|p| p.value()) {
                Some(v) if v == "1.0" => PayloadVersion::V1,
                _ => PayloadVersion::V2,
            },
            simple: a
                .simple_responses
                .as_ref()
                .and_then(|s| s.value().copied())
                .unwrap_or(false),
        },
        (_, K::Jwt | K::Cognito) => {
            return Err(PipelineError::NotModelled(format!(
                "{what} is a JWT or Cognito authorizer on a CUSTOM method"
            )));
        }
    };
    let (sources, span) = match &a.identity_sources {
        None => (Vec::new(), a.span),
        Some(f) => {
            let list = known(f, &format!("the identity sources of {what}"))?;
            (list.iter().map(|s| s.kind.clone()).collect(), f.span())
        }
    };
    let ttl = match &a.ttl {
        Some(Field::Unknown(u)) => {
            return Err(PipelineError::NotModelled(format!(
                "the TTL of {what} ({}) is unknown offline: {}",
                u.field, u.reason
            )));
        }
        _ => a.ttl_seconds(api.kind),
    };
    let validation_expression = match &a.validation_expression {
        Some(f) => Some(known(f, &format!("the identityValidationExpression of {what}"))?.clone()),
        None => None,
    };
    Ok(AuthorizerConfig {
        name: a.name.clone(),
        kind,
        sources,
        validation_expression,
        ttl,
        span: Some(Evidence::new(&api.source, span)),
    })
}

fn gateway_responses(api: &ApiModel, notes: &mut Vec<String>) -> GatewayResponses {
    let mut out = GatewayResponses::new();
    for g in &api.gateway_responses {
        let Some(t) = g.response_type.value() else {
            notes.push("a gateway response's type is unknown offline and is ignored".into());
            continue;
        };
        let status = g
            .status
            .as_ref()
            .and_then(|s| s.value())
            .and_then(|s| s.parse().ok());
        let headers = g
            .parameters
            .iter()
            .filter_map(|p| Some((p.header()?.to_string(), p.value.value()?.clone())))
            .collect();
        let templates = g
            .templates
            .iter()
            .filter_map(|t| Some((t.content_type.clone(), t.template.value()?.clone())))
            .collect();
        out.insert(
            t.clone(),
            GatewayResponse {
                status,
                headers,
                templates,
                span: Some(Evidence::new(&api.source, g.span)),
            },
        );
    }
    out
}
