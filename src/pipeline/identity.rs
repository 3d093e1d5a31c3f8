//! Identity sources (pipeline.md §2.7): every configured source must be present and
//! non-empty, and a TOKEN header must pass `identityValidationExpression`, or API Gateway
//! answers 401 without invoking the authorizer. Also builds the event the authorizer would
//! receive.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Evidence, ForkKind, Forks, HttpRequest, Step};
use crate::apidef::SourceKind;

/// HTTP API authorizer payload format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PayloadVersion {
    /// `1.0`: REST-like event, `identitySource` joined with commas.
    V1,
    /// `2.0`: `identitySource` is an array.
    V2,
}

/// What kind of Lambda authorizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthorizerKind {
    /// REST TOKEN: one header, optional regex.
    Token,
    /// REST REQUEST: any mix of sources.
    Request,
    /// HTTP API Lambda authorizer.
    Http {
        payload: PayloadVersion,
        /// `enableSimpleResponses`.
        simple: bool,
    },
}

fn describe(s: &SourceKind) -> String {
    match s {
        SourceKind::Header(n) => format!("header `{n}`"),
        SourceKind::Query(n) => format!("query string parameter `{n}`"),
        SourceKind::StageVariable(n) => format!("stage variable `{n}`"),
        SourceKind::Context(n) => format!("context variable `{n}`"),
    }
}

/// An authorizer as the pipeline needs it.
#[derive(Debug, Clone)]
pub(crate) struct AuthorizerConfig {
    /// Its name (cache scope, messages).
    pub(crate) name: String,
    pub(crate) kind: AuthorizerKind,
    pub(crate) sources: Vec<SourceKind>,
    /// `identityValidationExpression` (REST TOKEN only).
    pub(crate) validation_expression: Option<String>,
    /// The effective `authorizerResultTtlInSeconds` (REST: 300 when absent); None when
    /// unknown (an HTTP API without one: the default is undocumented).
    pub(crate) ttl: Option<u64>,
    /// The identity source in the definition.
    pub(crate) span: Option<Evidence>,
}

/// The identity check's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Identity {
    /// Everything present: the values, in source order (the cache key).
    Present(Vec<String>),
    /// 401: why.
    Missing(String),
}

/// Context variables offline: the ones the request pins, else a stand-in that is present.
fn context_value(name: &str, req: &HttpRequest, notes: &mut Vec<String>) -> String {
    let known = match name {
        "httpMethod" => Some(req.method.clone()),
        "stage" => req.stage.clone(),
        "path" => Some(req.path.clone()),
        "apiId" => req.api_id.clone(),
        "accountId" => req.account.clone(),
        "identity.sourceIp" => req.source_ip.map(|ip| ip.to_string()),
        "routeKey" => Some(format!("{} {}", req.method, req.path)),
        _ => None,
    };
    known.unwrap_or_else(|| {
        notes.push(format!(
            "the context variable `{name}` is assumed present (API Gateway sets it on every request) [I]"
        ));
        format!("{{context.{name}}}")
    })
}

/// Checks the identity sources of `cfg` on `req`.
pub(crate) fn check(
    cfg: &AuthorizerConfig,
    req: &HttpRequest,
    stage_variables: Option<&BTreeMap<String, String>>,
    forks: &mut Forks,
    notes: &mut Vec<String>,
) -> Identity {
    let mut values = Vec::new();
    for source in &cfg.sources {
        let value = match source {
            SourceKind::Header(n) => req.header_value(n).map(str::to_string),
            SourceKind::Query(n) => req.query_param(n).map(str::to_string),
            SourceKind::Context(n) => Some(context_value(n, req, notes)),
            SourceKind::StageVariable(n) => match stage_variables {
                Some(vars) => vars.get(n).cloned(),
                None => {
                    let stage = req.stage.as_deref().unwrap_or("{stage}");
                    let r = forks.choose(
                        ForkKind::Unknown,
                        Step::Identity,
                        format!("whether the stage variable `{n}` is set on stage `{stage}` (give it in the facts file's stage_variables)"),
                        vec![
                            format!("`{n}` is set and non-empty"),
                            format!("`{n}` is not set"),
                        ],
                    );
                    (r == 0).then(|| format!("{{stageVariables.{n}}}"))
                }
            },
        };
        match value {
            Some(v) if !v.is_empty() => values.push(v),
            Some(_) => return Identity::Missing(format!("the {} is empty", describe(source))),
            None => return Identity::Missing(format!("the {} is missing", describe(source))),
        }
    }
    if cfg.kind == AuthorizerKind::Request && cfg.ttl == Some(0) && !cfg.sources.is_empty() {
        notes.push("with caching off (TTL 0) the identity sources are still checked for presence, as reported by serverless-offline's maintainers; the console doc words the check as applying when caching is on [C]".to_string());
    }
    if let (AuthorizerKind::Token, Some(expr), Some(token)) =
        (cfg.kind, &cfg.validation_expression, values.first())
    {
        return regex_check(expr, token, forks, notes)
            .map_or_else(|| Identity::Present(values.clone()), Identity::Missing);
    }
    Identity::Present(values)
}

/// The TOKEN regex under both readings; `Some(why)` when the header fails it.
fn regex_check(
    expr: &str,
    token: &str,
    forks: &mut Forks,
    notes: &mut Vec<String>,
) -> Option<String> {
    // Size limits keep a hostile expression from costing more than a few MB and linear time
    // (the regex crate never backtracks).
    let build = |p: &str| regex::RegexBuilder::new(p).size_limit(1 << 20).build();
    let (Ok(search), Ok(full)) = (build(expr), build(&format!("^(?:{expr})$"))) else {
        let r = forks.choose(
            ForkKind::Unknown,
            Step::Identity,
            format!("whether `{expr}` matches the header (the tool cannot read this regex; API Gateway uses Java's dialect)"),
            vec!["it matches".into(), "it does not match".into()],
        );
        return (r == 1).then(|| format!("the header fails identityValidationExpression `{expr}`"));
    };
    let (f, s) = (full.is_match(token), search.is_match(token));
    let fail = format!("the header value fails identityValidationExpression `{expr}`");
    if f == s {
        notes.push(format!(
            "identityValidationExpression `{expr}` {} the header whether it must match the whole value or anywhere (undocumented; both readings agree)",
            if f { "matches" } else { "does not match" }
        ));
        return (!f).then_some(fail);
    }
    let r = forks.choose(
        ForkKind::Undocumented,
        Step::Identity,
        format!("whether identityValidationExpression `{expr}` must match the whole header value or only somewhere in it"),
        vec![
            format!("the whole value must match: {}", if f { "it does" } else { "it does not" }),
            format!("a match anywhere suffices: {}", if s { "there is one" } else { "there is none" }),
        ],
    );
    let ok = if r == 0 { f } else { s };
    (!ok).then_some(fail)
}

/// Where the request was routed, for the event.
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteInfo {
    /// The resource template (`/things/{id}`) or HTTP route key path.
    pub(crate) resource_path: String,
    pub(crate) path_params: BTreeMap<String, String>,
}

fn string_map<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>, lower: bool) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        let k = if lower {
            k.to_ascii_lowercase()
        } else {
            k.to_string()
        };
        m.entry(k).or_insert_with(|| Value::String(v.to_string()));
    }
    Value::Object(m)
}

/// The event API Gateway sends the authorizer for `req` (a ready test event; unknown ARN
/// parts are written as `{account}` and the like).
pub(crate) fn event(
    cfg: &AuthorizerConfig,
    req: &HttpRequest,
    route: &RouteInfo,
    stage_variables: Option<&BTreeMap<String, String>>,
) -> Value {
    let arn = req.arn_request().arn_display();
    let headers = string_map(
        req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        false,
    );
    let query = string_map(req.query_pairs(), false);
    let vars = stage_variables.map_or(json!({}), |v| json!(v));
    let params = json!(route.path_params);
    let unknown =
        |v: &Option<String>, name: &str| v.clone().unwrap_or_else(|| format!("{{{name}}}"));
    let stage = unknown(&req.stage, "stage");
    let source_ip = req
        .source_ip
        .map_or_else(|| "{source-ip}".to_string(), |ip| ip.to_string());
    let mut notes = Vec::new();
    let identity: Vec<String> = cfg
        .sources
        .iter()
        .filter_map(|s| match s {
            SourceKind::Header(n) => req.header_value(n).map(str::to_string),
            SourceKind::Query(n) => req.query_param(n).map(str::to_string),
            SourceKind::StageVariable(n) => stage_variables.and_then(|v| v.get(n).cloned()),
            SourceKind::Context(n) => Some(context_value(n, req, &mut notes)),
        })
        .collect();
    let rest_context = json!({
        "accountId": unknown(&req.account, "account"),
        "apiId": unknown(&req.api_id, "api-id"),
        "httpMethod": req.method,
        "path": format!("/{stage}{}", req.path),
        "resourcePath": route.resource_path,
        "stage": stage,
        "identity": {"sourceIp": source_ip},
    });
    match cfg.kind {
        AuthorizerKind::Token => json!({
            "type": "TOKEN",
            "authorizationToken": identity.first().cloned().unwrap_or_default(),
            "methodArn": arn,
        }),
        AuthorizerKind::Request
        | AuthorizerKind::Http {
            payload: PayloadVersion::V1,
            ..
        } => {
            let mut e = json!({
                "type": "REQUEST",
                "methodArn": arn,
                "resource": route.resource_path,
                "path": req.path,
                "httpMethod": req.method,
                "headers": headers,
                "queryStringParameters": query,
                "pathParameters": params,
                "stageVariables": vars,
                "requestContext": rest_context,
            });
            // HTTP API payload 1.0 is the REST event plus the joined identity values.
            if cfg.kind != AuthorizerKind::Request {
                e["version"] = json!("1.0");
                e["identitySource"] = json!(identity.join(","));
                e["authorizationToken"] = json!(identity.first().cloned().unwrap_or_default());
            }
            e
        }
        AuthorizerKind::Http {
            payload: PayloadVersion::V2,
            ..
        } => json!({
            "version": "2.0",
            "type": "REQUEST",
            "routeArn": arn,
            "identitySource": identity,
            "routeKey": format!("{} {}", req.method, route.resource_path),
            "rawPath": req.path,
            "rawQueryString": req.query.clone().unwrap_or_default(),
            "headers": string_map(req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())), true),
            "queryStringParameters": query,
            "pathParameters": params,
            "stageVariables": vars,
            "requestContext": {
                "accountId": unknown(&req.account, "account"),
                "apiId": unknown(&req.api_id, "api-id"),
                "http": {"method": req.method, "path": req.path, "sourceIp": source_ip},
                "routeKey": format!("{} {}", req.method, route.resource_path),
                "stage": stage,
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn source(s: &str) -> Result<SourceKind, ()> {
        crate::apidef::IdentitySource::parse(s, Span::default())
            .map(|s| s.kind)
            .ok_or(())
    }

    fn token(expr: Option<&str>) -> AuthorizerConfig {
        AuthorizerConfig {
            name: "auth".into(),
            kind: AuthorizerKind::Token,
            sources: vec![source("method.request.header.Authorization").unwrap()],
            validation_expression: expr.map(str::to_string),
            ttl: None,
            span: None,
        }
    }

    fn run(
        cfg: &AuthorizerConfig,
        req: &HttpRequest,
        vars: Option<&BTreeMap<String, String>>,
    ) -> Vec<(Vec<String>, Identity)> {
        super::super::explore(|f| check(cfg, req, vars, f, &mut Vec::new()))
            .0
            .into_iter()
            .map(|(seen, r)| {
                (
                    seen.iter().map(|s| s.readings[s.chosen].clone()).collect(),
                    r,
                )
            })
            .collect()
    }

    fn one(cfg: &AuthorizerConfig, req: &HttpRequest) -> Identity {
        let mut runs = run(cfg, req, None);
        assert_eq!(runs.len(), 1, "{runs:?}");
        runs.remove(0).1
    }

    #[test]
    fn token_header_present_and_non_empty() {
        let cfg = token(None);
        let req = HttpRequest::new("GET", "/things");
        assert_eq!(
            one(&cfg, &req),
            Identity::Missing("the header `Authorization` is missing".into())
        );
        assert_eq!(
            one(&cfg, &req.clone().header("authorization", "")),
            Identity::Missing("the header `Authorization` is empty".into())
        );
        assert_eq!(
            one(&cfg, &req.header("AUTHORIZATION", "Bearer t")),
            Identity::Present(vec!["Bearer t".into()])
        );
    }

    #[test]
    fn regex_readings() {
        let req = HttpRequest::new("GET", "/").header("Authorization", "Bearer abc");
        // Both readings agree: no fork.
        assert_eq!(
            one(&token(Some("^Bearer [a-z]+$")), &req),
            Identity::Present(vec!["Bearer abc".into()])
        );
        assert!(matches!(
            one(&token(Some("^Basic ")), &req),
            Identity::Missing(_)
        ));
        // They differ: full match fails, search succeeds.
        let runs = run(&token(Some("Bearer")), &req, None);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].0, ["the whole value must match: it does not"]);
        assert!(matches!(runs[0].1, Identity::Missing(_)));
        assert_eq!(runs[1].1, Identity::Present(vec!["Bearer abc".into()]));
        // A regex the tool cannot read (look-ahead) is a fork too.
        assert_eq!(run(&token(Some("(?=B)Bearer")), &req, None).len(), 2);
    }

    #[test]
    fn request_sources_all_required() {
        let mut cfg = token(None);
        cfg.kind = AuthorizerKind::Request;
        cfg.sources = [
            "method.request.header.X-User",
            "method.request.querystring.tenant",
            "stageVariables.env",
        ]
        .iter()
        .map(|s| source(s).unwrap())
        .collect();
        let vars: BTreeMap<String, String> = [("env".to_string(), "prod".to_string())].into();
        let req = HttpRequest::new("GET", "/x?tenant=t1").header("x-user", "u");
        assert_eq!(
            run(&cfg, &req, Some(&vars))[0].1,
            Identity::Present(vec!["u".into(), "t1".into(), "prod".into()])
        );
        let req2 = HttpRequest::new("GET", "/x?Tenant=t1").header("x-user", "u");
        assert_eq!(
            run(&cfg, &req2, Some(&vars))[0].1,
            Identity::Missing("the query string parameter `tenant` is missing".into())
        );
        // Unknown stage variables: both cases.
        let runs = run(&cfg, &req, None);
        assert_eq!(runs.len(), 2);
        assert_eq!(
            runs[1].1,
            Identity::Missing("the stage variable `env` is missing".into())
        );
    }

    #[test]
    fn http_sources_and_events() {
        let cfg = AuthorizerConfig {
            name: "a".into(),
            kind: AuthorizerKind::Http {
                payload: PayloadVersion::V2,
                simple: true,
            },
            sources: vec![
                source("$request.header.Authorization").unwrap(),
                source("$request.querystring.q").unwrap(),
            ],
            validation_expression: None,
            ttl: None,
            span: None,
        };
        let req = HttpRequest::new("GET", "/pets?q=1").header("AuThOrIzAtIoN", "t");
        assert_eq!(
            one(&cfg, &req),
            Identity::Present(vec!["t".into(), "1".into()])
        );
        let e = event(
            &cfg,
            &req,
            &RouteInfo {
                resource_path: "/pets".into(),
                ..Default::default()
            },
            None,
        );
        assert_eq!(e["identitySource"], json!(["t", "1"]));
        assert_eq!(
            e["routeArn"],
            "arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/GET/pets"
        );
        assert_eq!(e["headers"]["authorization"], "t");
        let t = event(&token(None), &req, &RouteInfo::default(), None);
        assert_eq!(
            t,
            json!({"type": "TOKEN", "authorizationToken": "t",
            "methodArn": "arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/GET/pets"})
        );
    }
}
