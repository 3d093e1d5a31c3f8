//! Rules over the API definition itself; their findings' spans point into the definition.

use super::{
    API_KEY_SOURCE_WITHOUT_AUTHORIZER, GATEWAY_RESPONSES_MISSING_CORS,
    HTTP_API_UNSUPPORTED_EXTENSION, IDENTITY_REGEX_ANCHORING, PREFLIGHT_BEHIND_AUTHORIZER,
    PROXY_WITHOUT_ROOT, ROOT_SECURITY_IGNORED,
};
use crate::apidef::{ApiKeySource, ApiKind, ApiModel, AuthType, AuthorizerKind, CorsFrom, Field};
use crate::lint::{Finding, Rule};
use crate::span::Span;

/// Lints the definition itself (PC062–PC068), findings sorted by position. Their spans
/// are into `api.source`.
///
/// ```
/// use policy_check::{Source, apidef, lint};
/// let api = apidef::load(Source::new("api.yaml",
///     "openapi: 3.0.1\npaths:\n  /{proxy+}:\n    x-amazon-apigateway-any-method: {}\n"), None).unwrap();
/// let codes: Vec<_> = lint::api::lint_definition(&api).iter().map(|f| f.rule.code).collect();
/// assert_eq!(codes, ["PC062"]);
/// ```
pub fn lint_definition(api: &ApiModel) -> Vec<Finding> {
    let mut out = Vec::new();
    proxy_without_root(api, &mut out);
    preflight(api, &mut out);
    gateway_cors(api, &mut out);
    from_notes(api, &mut out);
    api_key_source(api, &mut out);
    regex_anchoring(api, &mut out);
    out.sort_by(|a, b| {
        (a.span.offset(), a.rule.code, a.span.len()).cmp(&(
            b.span.offset(),
            b.rule.code,
            b.span.len(),
        ))
    });
    out
}

fn proxy_without_root(api: &ApiModel, out: &mut Vec<Finding>) {
    if api.kind != ApiKind::Rest || api.routes.iter().any(|r| r.path == "/") {
        return;
    }
    if let Some(r) = api.routes.iter().find(|r| r.path == "/{proxy+}") {
        let verb = if r.method == "ANY" { "GET" } else { &r.method };
        out.push(Finding::new(
            &PROXY_WITHOUT_ROOT,
            r.path_span,
            format!(
                "`/{{proxy+}}` never matches the root path: `{verb} /` gets 403 Missing Authentication Token"
            ),
            "does not match `/`",
            format!("add `{}` on `/` too", r.method),
        ));
    }
}

/// An authorization type a browser's preflight cannot pass (it carries no credentials).
fn needs_credentials(auth: &Field<AuthType>) -> bool {
    auth.value().is_some_and(|a| *a != AuthType::None)
}

fn preflight(api: &ApiModel, out: &mut Vec<Finding>) {
    for r in api.routes.iter().filter(|r| r.method == "OPTIONS") {
        if needs_credentials(&r.auth) {
            let auth = r.auth.value().map_or("", |a| a.as_str());
            let mut f = Finding::new(
                &PREFLIGHT_BEHIND_AUTHORIZER,
                r.path_span,
                format!(
                    "the CORS preflight `OPTIONS {}` needs {auth} authorization: browsers send it without credentials, so it gets 401 and every cross-origin call fails",
                    r.path
                ),
                "preflight behind the authorizer",
                "make OPTIONS open (`security: []`; in SAM `AddDefaultAuthorizerToCorsPreflight: false`)",
            );
            if let Some(a) = &r.authorizer {
                f = f.with(a.span, "the authorizer it must pass");
            }
            out.push(f);
        }
    }
    if api.kind == ApiKind::Http
        && !api.cors.iter().any(|c| c.from == CorsFrom::HttpApiConfig)
        && !api
            .routes
            .iter()
            .any(|r| r.method == "OPTIONS" && r.path == "/{proxy+}")
        && let Some(r) = api
            .routes
            .iter()
            .find(|r| r.path == "$default" && needs_credentials(&r.auth))
    {
        out.push(Finding::new(
            &PREFLIGHT_BEHIND_AUTHORIZER,
            r.path_span,
            "the `$default` route catches CORS preflights (OPTIONS) and sends them to its authorizer: browsers send them without credentials, so they get 401",
            "preflights land here",
            "configure CORS on the API (API Gateway then answers preflights itself), or add an open `OPTIONS /{proxy+}` route",
        ));
    }
}

fn gateway_cors(api: &ApiModel, out: &mut Vec<Finding>) {
    if api.kind != ApiKind::Rest || api.cors.is_empty() {
        return;
    }
    let has_origin = |g: &crate::apidef::GatewayResponse| {
        g.parameters.iter().any(|p| {
            p.header()
                .is_some_and(|h| h.eq_ignore_ascii_case("Access-Control-Allow-Origin"))
        })
    };
    let cors_span = api.cors[0].span;
    if api.gateway_response("DEFAULT_4XX").is_none() {
        out.push(Finding::new(
            &GATEWAY_RESPONSES_MISSING_CORS,
            cors_span,
            "the API uses CORS but DEFAULT_4XX adds no Access-Control-Allow-Origin: browsers show API Gateway's own 401 and 403 as CORS errors",
            "CORS configured here",
            "add a DEFAULT_4XX (and DEFAULT_5XX) gateway response with gatewayresponse.header.Access-Control-Allow-Origin",
        ));
    }
    for g in api.gateway_responses.iter().filter(|g| !has_origin(g)) {
        let name = g
            .response_type
            .value()
            .map_or("this gateway response", String::as_str);
        out.push(
            Finding::new(
                &GATEWAY_RESPONSES_MISSING_CORS,
                g.response_type.span(),
                format!(
                    "the API uses CORS but {name} has no Access-Control-Allow-Origin header: browsers show it as a CORS error"
                ),
                "no Access-Control-Allow-Origin",
                format!("add gatewayresponse.header.Access-Control-Allow-Origin to {name}"),
            )
            .with(cors_span, "CORS configured here"),
        );
    }
}

fn from_notes(api: &ApiModel, out: &mut Vec<Finding>) {
    for n in &api.notes {
        let (rule, label, help): (&'static Rule, &str, &str) = match n.code {
            "root-security-ignored" if api.kind == ApiKind::Rest => (
                &ROOT_SECURITY_IGNORED,
                "ignored by REST APIs",
                "put `security` on each operation",
            ),
            "http-api-unsupported-extension" => (
                &HTTP_API_UNSUPPORTED_EXTENSION,
                "not supported by HTTP APIs",
                "remove it; restrict access with an authorizer instead",
            ),
            _ => continue,
        };
        let message = if rule == &ROOT_SECURITY_IGNORED {
            let open = api
                .routes
                .iter()
                .filter(|r| r.auth.value() == Some(&AuthType::None))
                .count();
            match open {
                0 => n.message.clone(),
                _ => format!(
                    "{}: {open} of {} methods have no authorization and are open to anyone",
                    n.message,
                    api.routes.len()
                ),
            }
        } else {
            n.message.clone()
        };
        out.push(Finding::new(
            rule,
            n.span.unwrap_or(Span::new(0, 0)),
            message,
            label,
            help,
        ));
    }
}

fn api_key_source(api: &ApiModel, out: &mut Vec<Finding>) {
    let Some(Field::Known {
        value: ApiKeySource::Authorizer,
        span: source_span,
    }) = &api.api_key_source
    else {
        return;
    };
    for r in &api.routes {
        let lambda = api.authorizer_of(r).is_some_and(|a| {
            matches!(
                a.kind.value(),
                Some(AuthorizerKind::Token | AuthorizerKind::Request)
            )
        });
        // An unresolved authorizer reference may be a Lambda one: no claim.
        let unresolved = r.authorizer.as_ref().is_some_and(|a| a.index.is_none());
        if r.api_key_required.value() == Some(&true) && !lambda && !unresolved {
            out.push(
                Finding::new(
                    &API_KEY_SOURCE_WITHOUT_AUTHORIZER,
                    r.path_span,
                    format!(
                        "`{}` requires an API key from the authorizer's usageIdentifierKey but has no Lambda authorizer: every request gets 403 Forbidden",
                        r.key()
                    ),
                    "no authorizer to supply the key",
                    "give the method a Lambda authorizer that returns usageIdentifierKey, or use the HEADER key source",
                )
                .with(*source_span, "keys come from the authorizer"),
            );
        }
    }
}

fn regex_anchoring(api: &ApiModel, out: &mut Vec<Finding>) {
    for a in &api.authorizers {
        let Some(Field::Known { value, span }) = &a.validation_expression else {
            continue;
        };
        if value.starts_with('^') && value.ends_with('$') && !value.ends_with("\\$") {
            continue;
        }
        let anchored = format!(
            "^{}{}",
            value.strip_prefix('^').unwrap_or(value),
            if value.ends_with('$') && !value.ends_with("\\$") {
                ""
            } else {
                "$"
            }
        );
        out.push(Finding::new(
            &IDENTITY_REGEX_ANCHORING,
            *span,
            format!(
                "authorizer `{}`'s identityValidationExpression `{value}` is not anchored: whether API Gateway matches it against the whole header value is undocumented",
                a.name
            ),
            "not anchored as ^…$",
            format!("anchor it: `{anchored}`"),
        ));
    }
}
