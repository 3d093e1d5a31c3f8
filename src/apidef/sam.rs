//! SAM templates: `AWS::Serverless::Api` / `HttpApi` and the implicit APIs built from
//! function `Events`, lowered into the model the way the SAM translator lowers them into
//! OpenAPI (`samtranslator/model/api/api_generator.py`, `model/apigateway.py`,
//! `plugins/api/implicit_rest_api_plugin.py`).

use super::cfn::{self, Template};
use super::model::{
    ApiKey, ApiKind, ApiModel, AuthType, Authorizer, AuthorizerKind, AuthorizerRef, CorsFrom,
    CorsHint, Field, Format, IdentitySource, ResourcePolicy, Route, Severity, SourceKind, Stage,
    StageVariable, UsagePlan,
};
use super::openapi;
use super::read::{Ctx, invalid};
use super::tree::{Entry, V, Val};
use crate::source::{InputError, Source};
use crate::span::Span;

const API: &str = "AWS::Serverless::Api";
const HTTP_API: &str = "AWS::Serverless::HttpApi";
const FUNCTION: &str = "AWS::Serverless::Function";
/// The logical ids SAM gives the implicit APIs.
const IMPLICIT_REST: &str = "ServerlessRestApi";
const IMPLICIT_HTTP: &str = "ServerlessHttpApi";

/// Whether the template declares the SAM transform.
pub(crate) fn is_sam(root: &Val) -> bool {
    let is = |v: &Val| v.as_str() == Some("AWS::Serverless-2016-10-31");
    root.get("Transform")
        .is_some_and(|t| is(t) || t.items().iter().any(is))
}

/// A function event that makes a route.
struct Event<'a> {
    entry: &'a Entry,
    props: Option<&'a Val>,
    api: String,
}

fn events<'a>(t: &Template<'a>, http: bool) -> Vec<Event<'a>> {
    let (ty, key, implicit) = if http {
        ("HttpApi", "ApiId", IMPLICIT_HTTP)
    } else {
        ("Api", "RestApiId", IMPLICIT_REST)
    };
    let mut out = Vec::new();
    for (_, f) in t.of_type(FUNCTION) {
        let Some(evs) = f.get("Properties").and_then(|p| p.get("Events")) else {
            continue;
        };
        for e in evs.entries() {
            if e.value.get("Type").and_then(Val::as_str) != Some(ty) {
                continue;
            }
            let props = e.value.get("Properties");
            let api = props
                .and_then(|p| p.get(key))
                .and_then(Template::target)
                .map_or_else(|| implicit.to_string(), |(id, _)| id);
            out.push(Event {
                entry: e,
                props,
                api,
            });
        }
    }
    out
}

/// The APIs of a SAM template: explicit ones, implicit ones, and plain CloudFormation ones.
pub(crate) fn api_ids(t: &Template) -> Vec<String> {
    let mut ids: Vec<String> = t.of_type(API).iter().map(|(e, _)| e.key.clone()).collect();
    ids.extend(t.of_type(HTTP_API).iter().map(|(e, _)| e.key.clone()));
    for (http, implicit) in [(false, IMPLICIT_REST), (true, IMPLICIT_HTTP)] {
        if events(t, http).iter().any(|e| e.api == implicit) && !ids.iter().any(|i| i == implicit) {
            ids.push(implicit.to_string());
        }
    }
    ids.extend(cfn::api_ids(t));
    ids
}

/// Reads API `id` of a SAM template.
pub(crate) fn read(
    source: &Source,
    root: &Val,
    t: &Template,
    id: &str,
) -> Result<ApiModel, InputError> {
    let ty = t.resource_type(id);
    let http = match ty {
        Some(API) => false,
        Some(HTTP_API) => true,
        None if id == IMPLICIT_REST => false,
        None if id == IMPLICIT_HTTP => true,
        _ => {
            let mut m = cfn::read(source, t, id)?;
            m.format = Format::Sam;
            return Ok(m);
        }
    };
    let ctx = Ctx {
        resolver: t,
        source,
    };
    let kind = if http { ApiKind::Http } else { ApiKind::Rest };
    let mut model = ApiModel::empty(source.clone(), Format::Sam, kind);
    model.name = Some(id.to_string());
    let own = ty.and_then(|_| t_props(root, id));
    let globals = root
        .get("Globals")
        .and_then(|g| g.get(if http { "HttpApi" } else { "Api" }));
    // A property of the API, else of `Globals`.
    let prop = |k: &str| {
        own.and_then(|p| p.get(k))
            .or_else(|| globals.and_then(|g| g.get(k)))
    };
    let span = t_span(root, id).unwrap_or(root.span);

    // Routes written in DefinitionBody come first; the API's defaults apply to them below.
    let mut body_routes = 0;
    if let Some(body) = prop("DefinitionBody") {
        openapi::read_into(body, &ctx, &mut model)?;
        body_routes = model.routes.len();
        model.name = Some(id.to_string());
    }
    if let Some(u) = prop("DefinitionUri") {
        model.unknown_routes.push(super::model::Unknown {
            field: "DefinitionUri".into(),
            reason: "the definition is in another file or S3; pass that file instead".into(),
            span: u.span,
        });
    }
    // Stages: `StageName`; the implicit APIs use `Prod` / `$default`.
    let stage_name = match prop("StageName") {
        Some(v) => ctx.string(v, "StageName"),
        None if http => Field::known("$default".to_string(), span),
        None => Field::known("Prod".to_string(), span),
    };
    model.stages.push(Stage {
        name: stage_name.clone(),
        variables: prop("Variables")
            .or_else(|| prop("StageVariables"))
            .map(|m| {
                m.entries()
                    .iter()
                    .map(|e| StageVariable {
                        name: e.key.clone(),
                        value: ctx.string(&e.value, "Variables"),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        span: prop("StageName").map_or(span, |v| v.span),
        hint: false,
    });
    if !http && prop("OpenApiVersion").is_none() && ty.is_some() {
        // Without OpenApiVersion the translator's Deployment also creates a stage named
        // `Stage` (aws/serverless-application-model#191).
        model.stages.push(Stage {
            name: Field::known("Stage".into(), span),
            variables: Vec::new(),
            span,
            hint: false,
        });
        model.note(
            "sam-extra-stage",
            Severity::Info,
            "without OpenApiVersion SAM also deploys a stage named `Stage`",
            Some(span),
        );
    }
    if let Some(v) = prop("EndpointConfiguration") {
        let t = v.get("Type").unwrap_or(v);
        model.endpoint_type = Some(openapi::endpoint_types(&ctx, t));
    }
    if let Some(v) = prop("ApiKeySourceType") {
        model.api_key_source = Some(openapi::api_key_source(&ctx, v));
    }
    if let Some(c) = prop("Cors").or_else(|| prop("CorsConfiguration")) {
        let from = if http {
            CorsFrom::HttpApiConfig
        } else {
            CorsFrom::SamRestCors
        };
        model.cors.push(CorsHint { from, span: c.span });
    }
    if let Some(gr) = prop("GatewayResponses") {
        for e in gr.entries() {
            let params = e.value.get("ResponseParameters").map(sam_parameters);
            model.gateway_responses.push(openapi::gateway_response(
                &ctx,
                Field::known(e.key.clone(), e.key_span),
                e.value.span,
                e.value.get("StatusCode"),
                params.as_ref(),
                e.value.get("ResponseTemplates"),
            ));
        }
    }

    let auth = prop("Auth");
    let auth_prop = |k: &str| auth.and_then(|a| a.get(k));
    if let Some(auths) = auth_prop("Authorizers") {
        for e in auths.entries() {
            model.authorizers.push(authorizer(&ctx, e, http));
        }
    }
    if let Some(plan) = auth_prop("UsagePlan") {
        usage_plan(&ctx, &mut model, id, plan, &stage_name);
    }
    let default_auth = auth_prop("DefaultAuthorizer");
    let default_key = auth_prop("ApiKeyRequired").map(|v| ctx.boolean(v, "Auth.ApiKeyRequired"));
    // Both default to true: preflights get the default authorizer and the API key. (A value
    // hidden behind an unresolvable intrinsic keeps the default.)
    let preflight =
        |k: &str| auth_prop(k).is_none_or(|v| ctx.boolean(v, k).value() != Some(&false));
    let preflight_key = preflight("AddApiKeyRequiredToCorsPreflight");
    let preflight_auth = preflight("AddDefaultAuthorizerToCorsPreflight");
    let mut event_policy = None;

    for ev in events(t, http).into_iter().filter(|e| e.api == id) {
        let p = ev.props;
        let get = |k: &str| p.and_then(|p| p.get(k));
        let (method, path, path_span) = match (get("Method"), get("Path")) {
            (Some(m), Some(pa)) => {
                let m = match ctx.string(m, "Method") {
                    Field::Known { value, .. } => value.to_ascii_uppercase(),
                    Field::Unknown(u) => {
                        model.unknown_routes.push(u);
                        continue;
                    }
                };
                match ctx.string(pa, "Path") {
                    // SAM trims a trailing slash from HTTP API paths (#1949).
                    Field::Known { value, span } => (m, trim_path(&value, http), span),
                    Field::Unknown(u) => {
                        model.unknown_routes.push(u);
                        continue;
                    }
                }
            }
            (None, None) if http => ("ANY".into(), "$default".into(), ev.entry.key_span),
            _ => {
                return Err(invalid(
                    source,
                    ev.entry.key_span,
                    format!("the event {} needs both Path and Method", ev.entry.key),
                    "set Path and Method on the event",
                ));
            }
        };
        let method = if method == "ANY" || method == "X-AMAZON-APIGATEWAY-ANY-METHOD" {
            "ANY".to_string()
        } else {
            method
        };
        let ev_auth = get("Auth");
        if let Some(rp) = ev_auth.and_then(|a| a.entry("ResourcePolicy")) {
            event_policy.get_or_insert(rp.key_span);
        }
        let default_here = if method == "OPTIONS" && !preflight_auth {
            None
        } else {
            default_auth
        };
        let named = ev_auth.and_then(|a| a.get("Authorizer")).or(default_here);
        let (auth, authorizer) = route_auth(&ctx, &model, named, ev.entry.value.span)?;
        let key = ev_auth
            .and_then(|a| a.get("ApiKeyRequired"))
            .map(|v| ctx.boolean(v, "Auth.ApiKeyRequired"))
            .or_else(|| default_key.clone())
            .unwrap_or(Field::known(false, ev.entry.value.span));
        model.routes.push(Route {
            method,
            path,
            path_span,
            span: ev.entry.value.span,
            auth,
            authorizer,
            api_key_required: if http {
                Field::known(false, ev.entry.value.span)
            } else {
                key
            },
            integration: true,
        });
    }

    // The translator applies DefaultAuthorizer / ApiKeyRequired (`set_path_default_*`) to
    // DefinitionBody methods that set no security of their own; events got them above.
    if default_auth.is_some() || default_key.is_some() {
        let (auth, authorizer) = route_auth(&ctx, &model, default_auth, span)?;
        for r in model.routes[..body_routes].iter_mut() {
            let options = r.method == "OPTIONS";
            let open = r.authorizer.is_none() && r.auth.value() == Some(&AuthType::None);
            if open && (!options || preflight_auth) {
                r.auth = auth.clone();
                r.authorizer = authorizer.clone();
            }
            if let (Some(k), false) = (&default_key, http)
                && (!options || preflight_key)
                && r.api_key_required.value() == Some(&false)
            {
                r.api_key_required = k.clone();
            }
        }
    }

    if let Some(span) = event_policy {
        // Per-event policies are merged per path by the translator; not lowered here, so the
        // API's policy is unknown rather than partly right.
        model.resource_policy = Some(ResourcePolicy {
            document: ctx.unknown(
                "Events.Auth.ResourcePolicy",
                "a function event's ResourcePolicy is not lowered by this tool".into(),
                span,
            ),
            span,
        });
    } else if let Some(p) = auth_prop("ResourcePolicy").filter(|_| !http) {
        model.resource_policy = Some(resource_policy(&ctx, &model, p, &stage_name));
    }

    // REST `Cors`: the translator adds an OPTIONS method on every path, behind the default
    // authorizer unless AddDefaultAuthorizerToCorsPreflight is false.
    if !http && model.cors.iter().any(|c| c.from == CorsFrom::SamRestCors) {
        let cors_span = model.cors[0].span;
        let (auth, authorizer) = if preflight_auth {
            route_auth(&ctx, &model, default_auth, cors_span)?
        } else {
            (Field::known(AuthType::None, cors_span), None)
        };
        let mut paths: Vec<(String, Span)> = Vec::new();
        for r in &model.routes {
            if !paths.iter().any(|(p, _)| *p == r.path) {
                paths.push((r.path.clone(), r.path_span));
            }
        }
        for (path, path_span) in paths {
            if !model
                .routes
                .iter()
                .any(|r| r.path == path && r.method == "OPTIONS")
            {
                model.routes.push(Route {
                    method: "OPTIONS".into(),
                    path,
                    path_span,
                    span: cors_span,
                    auth: auth.clone(),
                    authorizer: authorizer.clone(),
                    api_key_required: match &default_key {
                        Some(k) if preflight_key => k.clone(),
                        _ => Field::known(false, cors_span),
                    },
                    integration: true,
                });
            }
        }
    }
    Ok(model)
}

fn t_props<'a>(root: &'a Val, id: &str) -> Option<&'a Val> {
    root.get("Resources")?.get(id)?.get("Properties")
}

fn t_span(root: &Val, id: &str) -> Option<Span> {
    Some(root.get("Resources")?.get(id)?.span)
}

fn trim_path(p: &str, http: bool) -> String {
    if http && p.len() > 1 {
        p.trim_end_matches('/').to_string()
    } else {
        p.to_string()
    }
}

/// `Authorizer: Name | NONE | AWS_IAM` → auth type and reference.
fn route_auth(
    ctx: &Ctx,
    model: &ApiModel,
    named: Option<&Val>,
    span: Span,
) -> Result<(Field<AuthType>, Option<AuthorizerRef>), InputError> {
    let Some(v) = named else {
        return Ok((Field::known(AuthType::None, span), None));
    };
    let name = match ctx.string(v, "Auth.Authorizer") {
        Field::Known { value, .. } => value,
        Field::Unknown(u) => return Ok((Field::Unknown(u), None)),
    };
    match name.as_str() {
        "NONE" => return Ok((Field::known(AuthType::None, v.span), None)),
        "AWS_IAM" => return Ok((Field::known(AuthType::AwsIam, v.span), None)),
        _ => {}
    }
    let Some(i) = model.authorizers.iter().position(|a| a.name == name) else {
        return Err(invalid(
            ctx.source,
            v.span,
            format!("`{name}` is not one of the API's Auth.Authorizers"),
            "define it under Auth.Authorizers, or use NONE / AWS_IAM",
        ));
    };
    let auth = match model.authorizers[i].kind.value() {
        Some(AuthorizerKind::Jwt) => AuthType::Jwt,
        Some(AuthorizerKind::Cognito) => AuthType::CognitoUserPools,
        _ => AuthType::Custom,
    };
    Ok((
        Field::known(auth, v.span),
        Some(AuthorizerRef {
            name,
            span: v.span,
            index: Some(i),
        }),
    ))
}

/// `Auth.Authorizers.<Name>` (REST: Lambda TOKEN/REQUEST or Cognito; HTTP: Lambda or JWT).
fn authorizer(ctx: &Ctx, e: &Entry, http: bool) -> Authorizer {
    let a = &e.value;
    let identity = a.get("Identity");
    let id = |k: &str| identity.and_then(|i| i.get(k));
    let kind = if a.get("UserPoolArn").is_some() {
        Field::known(AuthorizerKind::Cognito, a.span)
    } else if a.get("JwtConfiguration").is_some() {
        Field::known(AuthorizerKind::Jwt, a.span)
    } else if http {
        Field::known(AuthorizerKind::Request, a.span)
    } else {
        // `FunctionPayloadType` defaults to TOKEN (`_get_function_payload_type`).
        match a
            .get("FunctionPayloadType")
            .map(|v| ctx.string(v, "FunctionPayloadType"))
        {
            None => Field::known(AuthorizerKind::Token, a.span),
            Some(Field::Known { value, span }) if value.eq_ignore_ascii_case("REQUEST") => {
                Field::known(AuthorizerKind::Request, span)
            }
            Some(Field::Known { value, span }) if value.eq_ignore_ascii_case("TOKEN") => {
                Field::known(AuthorizerKind::Token, span)
            }
            Some(Field::Known { value, span }) => ctx.unknown(
                "FunctionPayloadType",
                format!("`{value}` is not TOKEN or REQUEST"),
                span,
            ),
            Some(Field::Unknown(u)) => Field::Unknown(u),
        }
    };
    let sources = match kind.value() {
        Some(AuthorizerKind::Token | AuthorizerKind::Cognito) => {
            let (name, span) = match id("Header") {
                Some(h) => (ctx.string(h, "Identity.Header"), h.span),
                None => (Field::known("Authorization".to_string(), a.span), a.span),
            };
            Some(name.map(|n| {
                vec![IdentitySource {
                    raw: format!("method.request.header.{n}"),
                    kind: SourceKind::Header(n),
                    span,
                }]
            }))
        }
        Some(AuthorizerKind::Jwt) => a
            .get("IdentitySource")
            .map(|v| ctx.identity_sources(v, "IdentitySource")),
        _ => lists(ctx, identity, http),
    };
    Authorizer {
        name: e.key.clone(),
        span: cover_entry(e),
        kind,
        identity_sources: sources,
        validation_expression: id("ValidationExpression")
            .map(|v| ctx.string(v, "ValidationExpression")),
        ttl: id("ReauthorizeEvery").map(|v| ctx.number(v, "ReauthorizeEvery")),
        simple_responses: a
            .get("EnableSimpleResponses")
            .map(|v| ctx.boolean(v, "EnableSimpleResponses")),
        payload_format: a
            .get("AuthorizerPayloadFormatVersion")
            .map(|v| ctx.string(v, "AuthorizerPayloadFormatVersion")),
    }
}

fn cover_entry(e: &Entry) -> Span {
    super::read::cover(e.key_span, e.value.span)
}

/// REQUEST identity: `Headers`, `QueryStrings`, `StageVariables`, `Context` lists
/// (`_get_identity_source`), in that order.
fn lists(ctx: &Ctx, identity: Option<&Val>, http: bool) -> Option<Field<Vec<IdentitySource>>> {
    let identity = identity?;
    let mut out = Vec::new();
    let groups = [
        ("Headers", "method.request.header.", "$request.header."),
        (
            "QueryStrings",
            "method.request.querystring.",
            "$request.querystring.",
        ),
        ("StageVariables", "stageVariables.", "$stageVariables."),
        ("Context", "context.", "$context."),
    ];
    for (key, rest, http_prefix) in groups {
        let prefix = if http { http_prefix } else { rest };
        for item in identity.get(key).map(Val::items).unwrap_or_default() {
            let parsed = match ctx.string(item, key) {
                Field::Known { value, span } => {
                    IdentitySource::parse(&format!("{prefix}{value}"), span)
                }
                Field::Unknown(u) => return Some(Field::Unknown(u)),
            };
            match parsed {
                Some(s) => out.push(s),
                None => {
                    return Some(ctx.unknown(
                        key,
                        "an empty identity source name".into(),
                        item.span,
                    ));
                }
            }
        }
    }
    (!out.is_empty()).then(|| Field::known(out, identity.span))
}

/// SAM's `ResponseParameters: {Headers: {X: v}, Paths: …, QueryStrings: …}` →
/// `gatewayresponse.header.X: v`.
fn sam_parameters(p: &Val) -> Val {
    let mut entries = Vec::new();
    for (group, prefix) in [
        ("Headers", "gatewayresponse.header."),
        ("Paths", "gatewayresponse.path."),
        ("QueryStrings", "gatewayresponse.querystring."),
    ] {
        for e in p.get(group).map(Val::entries).unwrap_or_default() {
            entries.push(Entry {
                key: format!("{prefix}{}", e.key),
                key_span: e.key_span,
                value: e.value.clone(),
            });
        }
    }
    Val {
        span: p.span,
        v: V::Map(entries),
    }
}

/// `Auth.ResourcePolicy`, lowered as the translator's `SwaggerEditor.add_resource_policy`
/// does for every path, then `CustomStatements` appended. Resources use API Gateway's
/// `execute-api:/{stage}/{METHOD}/{path}` short form (path parameters become `*`).
fn resource_policy(ctx: &Ctx, model: &ApiModel, p: &Val, stage: &Field<String>) -> ResourcePolicy {
    let document = match lower_policy(ctx, model, p, stage) {
        Ok(doc) => Field::known(doc, p.span),
        Err(u) => Field::Unknown(u),
    };
    ResourcePolicy {
        document,
        span: p.span,
    }
}

fn lower_policy(
    ctx: &Ctx,
    model: &ApiModel,
    p: &Val,
    stage: &Field<String>,
) -> Result<serde_json::Value, super::model::Unknown> {
    use serde_json::{Value, json};
    let list = |key: &str| -> Result<Option<Value>, super::model::Unknown> {
        match p.get(key) {
            None => Ok(None),
            Some(v) => match ctx.json(v, &format!("Auth.ResourcePolicy.{key}")) {
                Field::Known { value, .. } => Ok(Some(match value {
                    Value::Array(_) => value,
                    other => Value::Array(vec![other]),
                })),
                Field::Unknown(u) => Err(u),
            },
        }
    };
    let stage = match stage {
        Field::Known { value, .. } => value.clone(),
        Field::Unknown(u) => return Err(u.clone()),
    };
    let mut statements: Vec<Value> = Vec::new();
    let mut paths: Vec<&str> = Vec::new();
    for r in &model.routes {
        if !paths.contains(&r.path.as_str()) {
            paths.push(&r.path);
        }
    }
    let account_allow = list("AwsAccountWhitelist")?;
    let account_deny = list("AwsAccountBlacklist")?;
    let ip_allow = list("IpRangeWhitelist")?;
    let ip_deny = list("IpRangeBlacklist")?;
    let vpc =
        |strings: &str, vpcs: &str, vpces: &str| -> Result<Option<Value>, super::model::Unknown> {
            let mut cond = serde_json::Map::new();
            let mut add = |k: &str, items: Vec<Value>| {
                if !items.is_empty() {
                    let e = cond.entry(k).or_insert_with(|| json!([]));
                    e.as_array_mut().expect("built as an array").extend(items);
                }
            };
            if let Some(Value::Array(items)) = list(strings)? {
                let of = |prefix: &str| {
                    items
                        .iter()
                        .filter(|i| i.as_str().is_some_and(|s| s.starts_with(prefix)))
                        .cloned()
                        .collect::<Vec<_>>()
                };
                add("aws:SourceVpc", of("vpc-"));
                add("aws:SourceVpce", of("vpce-"));
            }
            if let Some(Value::Array(items)) = list(vpcs)? {
                add("aws:SourceVpc", items);
            }
            if let Some(Value::Array(items)) = list(vpces)? {
                add("aws:SourceVpce", items);
            }
            Ok((!cond.is_empty()).then_some(Value::Object(cond)))
        };
    let vpc_deny = vpc(
        "SourceVpcBlacklist",
        "IntrinsicVpcBlacklist",
        "IntrinsicVpceBlacklist",
    )?;
    let vpc_allow = vpc(
        "SourceVpcWhitelist",
        "IntrinsicVpcWhitelist",
        "IntrinsicVpceWhitelist",
    )?;
    for path in paths {
        let resources: Vec<Value> = model
            .routes
            .iter()
            .filter(|r| r.path == path)
            .map(|r| {
                let method = if r.method == "ANY" {
                    "*"
                } else {
                    r.method.as_str()
                };
                let path: Vec<&str> = path
                    .split('/')
                    .map(|seg| {
                        if seg.starts_with('{') && seg.ends_with('}') {
                            "*"
                        } else {
                            seg
                        }
                    })
                    .collect();
                json!(format!("execute-api:/{stage}/{method}{}", path.join("/")))
            })
            .collect();
        let base = |effect: &str| json!({"Effect": effect, "Action": "execute-api:Invoke", "Resource": resources.clone()});
        for (accounts, effect) in [(&account_allow, "Allow"), (&account_deny, "Deny")] {
            if let Some(a) = accounts
                .as_ref()
                .filter(|a| a.as_array().is_some_and(|x| !x.is_empty()))
            {
                let mut s = base(effect);
                s["Principal"] = json!({"AWS": a});
                statements.push(s);
            }
        }
        let conditional = [
            (&ip_allow, "NotIpAddress", "aws:SourceIp"),
            (&ip_deny, "IpAddress", "aws:SourceIp"),
        ];
        for (ips, op, key) in conditional {
            if let Some(ips) = ips
                .as_ref()
                .filter(|a| a.as_array().is_some_and(|x| !x.is_empty()))
            {
                let mut allow = base("Allow");
                allow["Principal"] = json!("*");
                let mut deny = base("Deny");
                deny["Principal"] = json!("*");
                deny["Condition"] = json!({op: {key: ips}});
                push_unique(allow, &mut statements);
                push_unique(deny, &mut statements);
            }
        }
        for (cond, op) in [(&vpc_deny, "StringEquals"), (&vpc_allow, "StringNotEquals")] {
            if let Some(cond) = cond {
                let mut allow = base("Allow");
                allow["Principal"] = json!("*");
                let mut deny = base("Deny");
                deny["Principal"] = json!("*");
                deny["Condition"] = json!({op: cond});
                push_unique(allow, &mut statements);
                push_unique(deny, &mut statements);
            }
        }
    }
    if let Some(Value::Array(custom)) = list("CustomStatements")? {
        for s in custom {
            push_unique(s, &mut statements);
        }
    }
    Ok(json!({"Version": "2012-10-17", "Statement": statements}))
}

/// Appends `s` unless an equal statement is there (the translator's `if s not in statement`).
fn push_unique(s: serde_json::Value, statements: &mut Vec<serde_json::Value>) {
    if !statements.contains(&s) {
        statements.push(s);
    }
}

/// `Auth.UsagePlan.CreateUsagePlan: PER_API | SHARED` creates a plan for this API's stage and
/// one key whose value is generated at deploy time.
fn usage_plan(ctx: &Ctx, model: &mut ApiModel, id: &str, plan: &Val, stage: &Field<String>) {
    let create = plan
        .get("CreateUsagePlan")
        .map(|v| ctx.string(v, "CreateUsagePlan"));
    let name = match create.as_ref().and_then(Field::value).map(String::as_str) {
        Some("PER_API") => format!("{id}UsagePlan"),
        Some("SHARED") => "ServerlessUsagePlan".to_string(),
        _ => return,
    };
    let key = format!("{name}Key").replace("UsagePlanKey", "ApiKey");
    model.usage_plans.push(UsagePlan {
        name,
        stages: vec![(Field::known(id.to_string(), plan.span), stage.clone())],
        keys: vec![key.clone()],
        span: plan.span,
    });
    model.api_keys.push(ApiKey {
        name: key,
        enabled: None,
        value: None,
        span: plan.span,
    });
}
