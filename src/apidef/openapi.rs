//! OpenAPI 3.0 / 3.1 and Swagger 2.0 with the `x-amazon-apigateway-*` extensions: REST and
//! HTTP API exports, and the same documents as a CloudFormation `Body` or SAM
//! `DefinitionBody` (then the resolver evaluates intrinsics inside them).

use super::model::{
    ApiKeySource, ApiKind, ApiModel, AuthType, Authorizer, AuthorizerKind, AuthorizerRef, CorsFrom,
    CorsHint, EndpointType, Field, Format, GatewayResponse, IdentitySource, ResourcePolicy,
    ResponseParameter, ResponseTemplate, Route, Severity, SourceKind, Stage,
};
use super::read::{Ctx, cover, invalid};
use super::tree::Val;
use crate::source::InputError;
use crate::span::Span;

/// The methods API Gateway routes (plus `x-amazon-apigateway-any-method`).
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];
const ANY_METHOD: &str = "x-amazon-apigateway-any-method";

/// Whether `root` is an OpenAPI / Swagger document, and which.
pub(crate) fn format_of(root: &Val) -> Option<Format> {
    if root.get("openapi").is_some() {
        Some(Format::OpenApi3)
    } else if root.get("swagger").is_some() {
        Some(Format::Swagger2)
    } else {
        None
    }
}

/// REST unless the document shows an HTTP API export's marks.
pub(crate) fn kind_of(root: &Val) -> ApiKind {
    let schemes = schemes(root);
    let http_authorizer = schemes.iter().any(|(_, s)| {
        s.get("x-amazon-apigateway-authorizer").is_some_and(|a| {
            a.get("authorizerPayloadFormatVersion").is_some()
                || a.get("type")
                    .and_then(Val::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("jwt"))
        })
    });
    let default_route = root
        .get("paths")
        .is_some_and(|p| p.get("/$default").is_some());
    if root
        .get("x-amazon-apigateway-importexport-version")
        .is_some()
        || root.get("x-amazon-apigateway-cors").is_some()
        || http_authorizer
        || default_route
    {
        ApiKind::Http
    } else {
        ApiKind::Rest
    }
}

fn schemes(root: &Val) -> Vec<(&super::tree::Entry, &Val)> {
    root.get("components")
        .and_then(|c| c.get("securitySchemes"))
        .or_else(|| root.get("securityDefinitions"))
        .map(|s| s.entries().iter().map(|e| (e, &e.value)).collect())
        .unwrap_or_default()
}

/// What a security scheme name stands for in an operation's `security`.
enum Scheme {
    Authorizer(usize),
    ApiKey,
    Iam,
}

/// Reads the document into `model` (whose format and kind the caller set).
pub(crate) fn read_into(root: &Val, ctx: &Ctx, model: &mut ApiModel) -> Result<(), InputError> {
    let kind = model.kind;
    if model.name.is_none() {
        model.name = root
            .get("info")
            .and_then(|i| i.get("title"))
            .and_then(Val::scalar_text);
    }
    read_server(root, ctx, model);

    let mut names: Vec<(String, Scheme)> = Vec::new();
    for (entry, scheme) in schemes(root) {
        if let Some(a) = scheme.get("x-amazon-apigateway-authorizer") {
            names.push((
                entry.key.clone(),
                Scheme::Authorizer(model.authorizers.len()),
            ));
            let authorizer = read_authorizer(&entry.key, scheme, a, ctx, kind);
            model.authorizers.push(authorizer);
        } else if scheme
            .get("x-amazon-apigateway-authtype")
            .and_then(Val::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("awsSigv4"))
        {
            names.push((entry.key.clone(), Scheme::Iam));
        } else if scheme.get("type").and_then(Val::as_str) == Some("apiKey") {
            names.push((entry.key.clone(), Scheme::ApiKey));
        }
    }

    if let Some(sec) = root
        .entry("security")
        .filter(|e| !e.value.items().is_empty())
    {
        let what = match kind {
            ApiKind::Rest => "REST APIs ignore root-level `security`; set it on each operation",
            ApiKind::Http => {
                "root-level `security` is not read; set it on each operation (import applies it per operation)"
            }
        };
        model.note(
            "root-security-ignored",
            Severity::Warning,
            what,
            Some(sec.key_span),
        );
    }

    if let Some(v) = root.get("x-amazon-apigateway-api-key-source") {
        model.api_key_source = Some(api_key_source(ctx, v));
    }
    if let Some(t) = root
        .get("x-amazon-apigateway-endpoint-configuration")
        .and_then(|v| v.get("types"))
    {
        model.endpoint_type = Some(endpoint_types(ctx, t));
    }
    if let Some(e) = root.entry("x-amazon-apigateway-policy") {
        if kind == ApiKind::Http {
            unsupported(model, e);
        }
        model.resource_policy = Some(ResourcePolicy {
            document: ctx.json(&e.value, "x-amazon-apigateway-policy"),
            span: e.value.span,
        });
    }
    if let Some(e) = root.entry("x-amazon-apigateway-gateway-responses") {
        if kind == ApiKind::Http {
            unsupported(model, e);
        }
        for r in e.value.entries() {
            let gr = gateway_response(
                ctx,
                Field::known(r.key.clone(), r.key_span),
                r.value.span,
                r.value.get("statusCode"),
                r.value.get("responseParameters"),
                r.value.get("responseTemplates"),
            );
            model.gateway_responses.push(gr);
        }
    }
    if let Some(v) = root.get("x-amazon-apigateway-cors") {
        model.cors.push(CorsHint {
            from: CorsFrom::HttpApiConfig,
            span: v.span,
        });
    }

    let Some(paths) = root.get("paths") else {
        return Ok(());
    };
    for path in paths.entries() {
        if path.key.starts_with("x-") {
            continue;
        }
        let is_default = kind == ApiKind::Http && path.key == "/$default";
        if !is_default && !path.key.starts_with('/') {
            return Err(invalid(
                ctx.source,
                path.key_span,
                format!("the path `{}` does not start with `/`", path.key),
                "API Gateway paths start with `/`",
            ));
        }
        for op in path.value.entries() {
            let method = if op.key == ANY_METHOD {
                "ANY".to_string()
            } else if METHODS.contains(&op.key.to_ascii_lowercase().as_str()) {
                op.key.to_ascii_uppercase()
            } else {
                continue;
            };
            if method == "OPTIONS"
                && !model
                    .cors
                    .iter()
                    .any(|c| c.from == CorsFrom::OptionsMethods)
            {
                model.cors.push(CorsHint {
                    from: CorsFrom::OptionsMethods,
                    span: op.key_span,
                });
            }
            let route = read_operation(ctx, &names, model, &op.value, method, path, is_default)?;
            model.routes.push(route);
        }
    }
    Ok(())
}

fn unsupported(model: &mut ApiModel, e: &super::tree::Entry) {
    model.note(
        "http-api-unsupported-extension",
        Severity::Warning,
        format!(
            "HTTP APIs do not support `{}`: API Gateway ignores it",
            e.key
        ),
        Some(e.key_span),
    );
}

pub(crate) fn api_key_source(ctx: &Ctx, v: &Val) -> Field<ApiKeySource> {
    match ctx.string(v, "ApiKeySource") {
        Field::Known { value, span } => match value.to_ascii_uppercase().as_str() {
            "HEADER" => Field::known(ApiKeySource::Header, span),
            "AUTHORIZER" => Field::known(ApiKeySource::Authorizer, span),
            _ => ctx.unknown(
                "ApiKeySource",
                format!("`{value}` is neither HEADER nor AUTHORIZER"),
                span,
            ),
        },
        Field::Unknown(u) => Field::Unknown(u),
    }
}

/// `types: [REGIONAL]` (a list) or a single string.
pub(crate) fn endpoint_types(ctx: &Ctx, t: &Val) -> Field<EndpointType> {
    let first = t.items().first().unwrap_or(t);
    match ctx.string(first, "EndpointConfiguration.Types") {
        Field::Known { value, span } => match EndpointType::parse(&value) {
            Some(e) => Field::known(e, span),
            None => ctx.unknown(
                "EndpointConfiguration.Types",
                format!("`{value}` is not EDGE, REGIONAL or PRIVATE"),
                span,
            ),
        },
        Field::Unknown(u) => Field::Unknown(u),
    }
}

/// `servers[0].url` (+ `variables.basePath.default`) or Swagger `host` + `basePath`: an
/// export's api id, region and stage (hints).
fn read_server(root: &Val, ctx: &Ctx, model: &mut ApiModel) {
    let (host, host_span, base) =
        if let Some(server) = root.get("servers").and_then(|s| s.items().first()) {
            let Some(url) = server.get("url") else { return };
            let Some(text) = url.as_str() else { return };
            let rest = text.split_once("://").map_or(text, |(_, r)| r);
            let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
            let base = if path.contains("{basePath}") {
                server
                    .get("variables")
                    .and_then(|v| v.get("basePath"))
                    .and_then(|b| b.get("default"))
                    .map(|d| (ctx.string(d, "servers.variables.basePath.default"), d.span))
            } else {
                Some((Field::known(path.to_string(), url.span), url.span))
            };
            (host.to_string(), url.span, base)
        } else {
            let Some(h) = root.get("host") else { return };
            let base = root
                .get("basePath")
                .map(|b| (ctx.string(b, "basePath"), b.span));
            (h.scalar_text().unwrap_or_default(), h.span, base)
        };
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() >= 4 && labels[1] == "execute-api" {
        model.api_id = Some(Field::known(labels[0].to_string(), host_span));
        model.region = Some(Field::known(labels[2].to_string(), host_span));
    }
    if let Some((Field::Known { value, span }, _)) = base {
        let stage = value.trim_matches('/');
        if !stage.is_empty() && !stage.contains('/') && !stage.contains('{') {
            model.stages.push(Stage {
                name: Field::known(stage.to_string(), span),
                variables: Vec::new(),
                span,
                hint: true,
            });
        }
    }
}

fn read_authorizer(name: &str, scheme: &Val, a: &Val, ctx: &Ctx, api: ApiKind) -> Authorizer {
    let kind = match a.get("type") {
        Some(t) => match ctx.string(t, "x-amazon-apigateway-authorizer.type") {
            Field::Known { value, span } => match value.to_ascii_lowercase().as_str() {
                "token" => Field::known(AuthorizerKind::Token, span),
                "request" => Field::known(AuthorizerKind::Request, span),
                "jwt" => Field::known(AuthorizerKind::Jwt, span),
                "cognito_user_pools" => Field::known(AuthorizerKind::Cognito, span),
                _ => ctx.unknown(
                    "x-amazon-apigateway-authorizer.type",
                    format!("`{value}` is not token, request, jwt or cognito_user_pools"),
                    span,
                ),
            },
            Field::Unknown(u) => Field::Unknown(u),
        },
        // The extension page gives `token` as the REST default.
        None if api == ApiKind::Rest => Field::known(AuthorizerKind::Token, a.span),
        None => Field::known(AuthorizerKind::Request, a.span),
    };
    let identity_sources = match a.get("identitySource") {
        Some(v) => Some(ctx.identity_sources(v, "identitySource")),
        // A TOKEN scheme names its header in the scheme (`name`, `in: header`); exports
        // often carry no identitySource.
        None if kind.value() == Some(&AuthorizerKind::Token) => {
            scheme.get("name").map(|n| match ctx.string(n, "name") {
                Field::Known { value, span } => Field::known(
                    vec![IdentitySource {
                        raw: format!("method.request.header.{value}"),
                        kind: SourceKind::Header(value),
                        span,
                    }],
                    span,
                ),
                Field::Unknown(u) => Field::Unknown(u),
            })
        }
        None => None,
    };
    Authorizer {
        name: name.to_string(),
        span: scheme.span,
        kind,
        identity_sources,
        validation_expression: a
            .get("identityValidationExpression")
            .map(|v| ctx.string(v, "identityValidationExpression")),
        ttl: a
            .get("authorizerResultTtlInSeconds")
            .map(|v| ctx.number(v, "authorizerResultTtlInSeconds")),
        simple_responses: a
            .get("enableSimpleResponses")
            .map(|v| ctx.boolean(v, "enableSimpleResponses")),
        payload_format: a
            .get("authorizerPayloadFormatVersion")
            .map(|v| ctx.string(v, "authorizerPayloadFormatVersion")),
    }
}

fn read_operation(
    ctx: &Ctx,
    names: &[(String, Scheme)],
    model: &ApiModel,
    op: &Val,
    method: String,
    path: &super::tree::Entry,
    is_default: bool,
) -> Result<Route, InputError> {
    let mut authorizer = None;
    let mut api_key = false;
    let mut iam = false;
    if let Some(sec) = op.entry("security") {
        if model.kind == ApiKind::Http && sec.value.items().len() > 1 {
            return Err(invalid(
                ctx.source,
                sec.key_span,
                "an HTTP API operation has several security requirements".into(),
                "HTTP APIs take one security requirement per operation",
            ));
        }
        // Several entries (or several names in one) are all required: API Gateway reads
        // `[{auth: []}, {api_key: []}]` as authorizer AND key.
        for req in sec.value.items() {
            for e in req.entries() {
                match names.iter().find(|(n, _)| *n == e.key) {
                    Some((_, Scheme::Authorizer(i))) => {
                        authorizer = Some(AuthorizerRef {
                            name: e.key.clone(),
                            span: e.key_span,
                            index: Some(*i),
                        })
                    }
                    Some((_, Scheme::ApiKey)) => api_key = true,
                    Some((_, Scheme::Iam)) => iam = true,
                    None => {
                        return Err(invalid(
                            ctx.source,
                            e.key_span,
                            format!("`{}` is not a security scheme of this document", e.key),
                            "define it under components.securitySchemes (or securityDefinitions)",
                        ));
                    }
                }
            }
        }
    }
    let auth = if let Some(r) = &authorizer {
        let a = &model.authorizers[r.index.unwrap_or_default()];
        match a.kind.value() {
            Some(AuthorizerKind::Jwt) => Field::known(AuthType::Jwt, r.span),
            Some(AuthorizerKind::Cognito) => Field::known(AuthType::CognitoUserPools, r.span),
            _ => Field::known(AuthType::Custom, r.span),
        }
    } else if iam {
        Field::known(AuthType::AwsIam, op.span)
    } else if let Some(t) = op
        .get("x-amazon-apigateway-auth")
        .and_then(|a| a.get("type"))
    {
        match ctx.string(t, "x-amazon-apigateway-auth.type") {
            Field::Known { value, span } => match AuthType::parse(&value) {
                Some(a) => Field::known(a, span),
                None => ctx.unknown(
                    "x-amazon-apigateway-auth.type",
                    format!("`{value}` is not an authorization type"),
                    span,
                ),
            },
            Field::Unknown(u) => Field::Unknown(u),
        }
    } else {
        Field::known(AuthType::None, op.span)
    };
    Ok(Route {
        method: if is_default { "ANY".into() } else { method },
        path: if is_default {
            "$default".into()
        } else {
            path.key.clone()
        },
        path_span: path.key_span,
        span: op.span,
        auth,
        authorizer,
        api_key_required: Field::known(api_key, op.get("security").map_or(op.span, |s| s.span)),
        integration: op.get("x-amazon-apigateway-integration").is_some(),
    })
}

/// One gateway response from its parts (OpenAPI extension, CFN resource, SAM property).
pub(crate) fn gateway_response(
    ctx: &Ctx,
    response_type: Field<String>,
    span: Span,
    status: Option<&Val>,
    parameters: Option<&Val>,
    templates: Option<&Val>,
) -> GatewayResponse {
    GatewayResponse {
        response_type,
        status: status.map(|s| ctx.string(s, "statusCode")),
        parameters: parameters
            .map(|p| {
                p.entries()
                    .iter()
                    .map(|e| ResponseParameter {
                        target: e.key.clone(),
                        value: ctx.string(&e.value, "responseParameters"),
                        span: cover(e.key_span, e.value.span),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        templates: templates
            .map(|t| {
                t.entries()
                    .iter()
                    .map(|e| ResponseTemplate {
                        content_type: e.key.clone(),
                        template: ctx.string(&e.value, "responseTemplates"),
                        span: cover(e.key_span, e.value.span),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        span,
    }
}
