//! The pipeline end to end, from API definitions: every row of pipeline.md §2.12 and every
//! family of §2, with the exact status, x-amzn-ErrorType and body.

use serde_json::{Value, json};

use super::*;
use crate::apidef::{self, ApiModel};
use crate::{Checked, Source};

const ARN: &str = "arn:aws:execute-api:us-east-1:111122223333:abc123/prod";
const IMPLICIT: &str = r#"{"Message":"User is not authorized to access this resource"}"#;
const EXPLICIT: &str =
    r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#;
const UNAUTHORIZED: &str = r#"{"message":"Unauthorized"}"#;
const MISSING: &str = r#"{"message":"Missing Authentication Token"}"#;
const FORBIDDEN: &str = r#"{"message":"Forbidden"}"#;

fn token_scheme(ttl: u64, regex: Option<&str>) -> Value {
    let mut a = json!({"type": "token", "identitySource": "method.request.header.Authorization",
        "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/fn", "authorizerResultTtlInSeconds": ttl});
    if let Some(r) = regex {
        a["identityValidationExpression"] = json!(r);
    }
    json!({"type": "apiKey", "name": "Authorization", "in": "header",
        "x-amazon-apigateway-authtype": "custom", "x-amazon-apigateway-authorizer": a})
}

/// A REST API export: a TOKEN authorizer `tok`, a REQUEST authorizer `req` (TTL 0), IAM,
/// an open route and a route that also needs an API key.
fn rest_doc() -> Value {
    json!({
        "openapi": "3.0.1",
        "servers": [{"url": "https://abc123.execute-api.us-east-1.amazonaws.com/{basePath}",
                     "variables": {"basePath": {"default": "prod"}}}],
        "paths": {
            "/things": {"get": {"security": [{"tok": []}]},
                        "post": {"security": [{"tok": [], "key": []}]}},
            "/things/{id}": {"get": {"security": [{"tok": []}]}},
            "/open": {"get": {}},
            "/iam": {"get": {"security": [{"sigv4": []}]}},
            "/req": {"get": {"security": [{"req": []}]}},
            "/{proxy+}": {"x-amazon-apigateway-any-method": {"security": [{"tok": []}]}}
        },
        "components": {"securitySchemes": {
            "tok": token_scheme(300, None),
            "key": {"type": "apiKey", "name": "x-api-key", "in": "header"},
            "sigv4": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"},
            "req": {"type": "apiKey", "name": "Unused", "in": "header", "x-amazon-apigateway-authtype": "custom",
                    "x-amazon-apigateway-authorizer": {"type": "request", "authorizerResultTtlInSeconds": 0,
                        "identitySource": "method.request.header.X-User, method.request.querystring.tenant, stageVariables.env"}}
        }}
    })
}

fn load(doc: &Value) -> ApiModel {
    apidef::load(Source::new("api.json", doc.to_string()), None).unwrap()
}

fn load_text(name: &str, text: &str) -> ApiModel {
    apidef::load(Source::new(name, text), None).unwrap()
}

fn req(method: &str, target: &str) -> HttpRequest {
    let mut r = HttpRequest::new(method, target);
    r.stage = Some("prod".into());
    r.account = Some("111122223333".into());
    r
}

fn output(v: Value) -> AuthorizerBehaviour {
    AuthorizerBehaviour::Output(Checked::from_value(&v).unwrap())
}

fn policy(effect: &str, resource: &str) -> AuthorizerBehaviour {
    output(
        json!({"principalId": "u1", "policyDocument": {"Version": "2012-10-17",
        "Statement": [{"Effect": effect, "Action": "execute-api:Invoke", "Resource": resource}]}}),
    )
}

fn allow_all() -> AuthorizerBehaviour {
    policy("Allow", "*")
}

fn ask_with(
    api: &ApiModel,
    r: &HttpRequest,
    facts: &Facts,
    b: &AuthorizerBehaviour,
) -> PipelineOutcome {
    run(api, r, facts, b, &mut Cache::new()).unwrap()
}

fn ask(api: &ApiModel, r: &HttpRequest, b: &AuthorizerBehaviour) -> PipelineOutcome {
    ask_with(api, r, &Facts::default(), b)
}

/// (status, x-amzn-ErrorType, body, deciding step) of an answer outcome.
fn seen(out: &PipelineOutcome) -> (u16, Option<&str>, Option<&str>, Step) {
    let a = out
        .answer
        .as_ref()
        .unwrap_or_else(|| panic!("depends: {:#?}", out.cases));
    (a.status, a.error_type.as_deref(), a.body.as_deref(), a.step)
}

fn statuses(out: &PipelineOutcome) -> Vec<(String, u16)> {
    assert_eq!(out.outcome, OutcomeKind::Depends, "{:?}", out.answer);
    out.cases
        .iter()
        .map(|c| (c.when.clone(), c.answer.status))
        .collect()
}

/// The x-amzn-ErrorType and body of the common answers.
type Kind = (Option<&'static str>, Option<&'static str>);
const MAT: Kind = (Some("MissingAuthenticationTokenException"), Some(MISSING));
const UNAUTH: Kind = (Some("UnauthorizedException"), Some(UNAUTHORIZED));
const EXPLICIT_DENY: Kind = (Some("AccessDeniedException"), Some(EXPLICIT));
const IMPLICIT_DENY: Kind = (Some("AccessDeniedException"), Some(IMPLICIT));
/// The examples' customised UNAUTHORIZED response (status 400, type header kept).
const CUSTOM_401: Kind = (
    Some("UnauthorizedException"),
    Some(r#"{"message":"Missing or invalid token"}"#),
);
const BAD_KEY: Kind = (Some("ForbiddenException"), Some(FORBIDDEN));

/// Asserts the answer's status, x-amzn-ErrorType, body and deciding step.
fn expect(out: &PipelineOutcome, status: u16, kind: Kind, step: Step) {
    assert_eq!(seen(out), (status, kind.0, kind.1, step));
}

fn case_statuses(out: &PipelineOutcome) -> Vec<u16> {
    statuses(out).into_iter().map(|c| c.1).collect()
}

fn facts(text: &str) -> Facts {
    Facts::from_str("facts.json", text).unwrap()
}

/// The REST export without its `/{proxy+}` catch-all.
fn no_proxy() -> Value {
    let mut doc = rest_doc();
    doc["paths"].as_object_mut().unwrap().remove("/{proxy+}");
    doc
}

#[test]
fn routing_misses() {
    let api = load(&no_proxy());
    // No route, no Authorization header.
    let out = ask(&api, &req("DELETE", "/open"), &allow_all());
    expect(&out, 403, MAT, Step::Route);
    assert_eq!(out.authorizer_invoked, None);
    let route = out.steps.iter().find(|s| s.step == Step::Route).unwrap();
    assert!(
        route
            .detail
            .starts_with("no `DELETE /open` in stage prod; closest: `GET /open`"),
        "{}",
        route.detail
    );
    // A bearer token on a missing route (the seed guide's IncompleteSignature).
    let r = req("POST", "/open").header("Authorization", "Bearer abc");
    assert_eq!(
        seen(&ask(&api, &r, &allow_all())),
        (
            403,
            Some("IncompleteSignatureException"),
            Some(
                r#"{"message":"'abc' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc'."}"#
            ),
            Step::Route
        )
    );
    // A JWT with no scheme word: the other message.
    let r = req("POST", "/open").header("Authorization", "eyJ.x.y");
    let body = ask(&api, &r, &allow_all()).answer.unwrap().body.unwrap();
    assert!(
        body.starts_with(r#"{"message":"Authorization header requires 'Credential' parameter."#),
        "{body}"
    );
    // A query-string key is not an Authorization header.
    let out = ask(&api, &req("PUT", "/open?key=k1"), &allow_all());
    assert_eq!(seen(&out).1, Some("MissingAuthenticationTokenException"));
}

#[test]
fn routing_fallback_and_proxy() {
    let api = load(&rest_doc());
    // `{proxy+}` takes what `/open` does not serve, with the fallback recorded.
    let out = ask(
        &api,
        &req("POST", "/open").header("Authorization", "t"),
        &allow_all(),
    );
    assert_eq!(seen(&out).0, 200);
    assert!(out.steps.iter().any(|s| s.detail == "ANY /{proxy+}"));
    assert!(
        out.assumptions.iter().any(|a| a.contains("falls back")),
        "{:?}",
        out.assumptions
    );
    // `{proxy+}` never matches `/`.
    assert_eq!(seen(&ask(&api, &req("GET", "/"), &allow_all())).0, 403);
    // A trailing slash is ignored on REST.
    let out = ask(
        &api,
        &req("GET", "/things/").header("Authorization", "t"),
        &allow_all(),
    );
    assert_eq!(seen(&out).0, 200);
}

#[test]
fn stage_from_a_template() {
    let template = json!({"Resources": {
        "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Body": {"openapi": "3.0.1",
            "paths": {"/open": {"get": {}}}}}},
        "Prod": {"Type": "AWS::ApiGateway::Stage", "Properties": {"RestApiId": {"Ref": "Api"}, "StageName": "prod"}}
    }});
    let api = load(&template);
    let mut r = req("GET", "/open");
    assert_eq!(seen(&ask(&api, &r, &AuthorizerBehaviour::Unknown)).0, 200);
    r.stage = Some("dev".into());
    let out = ask(&api, &r, &AuthorizerBehaviour::Unknown);
    expect(&out, 403, MAT, Step::Stage);
    assert!(
        out.steps
            .last()
            .unwrap()
            .detail
            .contains("no stage `dev` (stages: prod)")
    );
}

#[test]
fn edge_get_with_a_body() {
    let api = load(&rest_doc());
    let mut r = req("GET", "/open");
    r.body = Some("data=value".into());
    let out = ask(&api, &r, &allow_all());
    let a = out.answer.as_ref().unwrap();
    assert_eq!(
        (a.status, a.error_type.as_deref(), a.step, a.made_by),
        (403, None, Step::Edge, MadeBy::Cloudfront)
    );
    assert!(
        a.body
            .as_deref()
            .unwrap()
            .contains("Generated by cloudfront (CloudFront)")
    );
    // A regional endpoint has no CloudFront in front.
    let regional = ask_with(
        &api,
        &r,
        &facts(r#"{"endpoint_type": "REGIONAL"}"#),
        &allow_all(),
    );
    assert_eq!(seen(&regional).0, 200);
    let mut doc = rest_doc();
    doc["x-amazon-apigateway-endpoint-configuration"] = json!({"types": ["REGIONAL"]});
    assert_eq!(seen(&ask(&load(&doc), &r, &allow_all())).0, 200);
    // POST with a body is fine.
    let mut p = req("POST", "/things")
        .header("Authorization", "t")
        .header("x-api-key", "k");
    p.body = Some("{}".into());
    assert_ne!(
        seen(&ask_with(
            &api,
            &p,
            &facts(r#"{"api_keys": []}"#),
            &allow_all()
        ))
        .3,
        Step::Edge
    );
}

#[test]
fn method_auth_iam() {
    let api = load(&rest_doc());
    let out = ask(&api, &req("GET", "/iam"), &allow_all());
    expect(&out, 403, MAT, Step::MethodAuth);
    let out = ask(
        &api,
        &req("GET", "/iam").header("Authorization", "Bearer x"),
        &allow_all(),
    );
    assert_eq!(seen(&out).1, Some("IncompleteSignatureException"));
    let signed = req("GET", "/iam").header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=c",
    );
    assert!(matches!(
        run(
            &api,
            &signed,
            &Facts::default(),
            &allow_all(),
            &mut Cache::new()
        ),
        Err(PipelineError::NotModelled(_))
    ));
}

#[test]
fn identity_sources() {
    let api = load(&rest_doc());
    // TOKEN header missing: 401 without invoking the authorizer.
    let out = ask(&api, &req("GET", "/things"), &allow_all());
    expect(&out, 401, UNAUTH, Step::Identity);
    assert_eq!(out.authorizer_invoked, Some(false));
    // REQUEST: all sources required; the query name is case-sensitive.
    let vars = facts(r#"{"stage_variables": {"env": "prod"}}"#);
    let r = req("GET", "/req?Tenant=t1").header("X-User", "u");
    assert_eq!(seen(&ask_with(&api, &r, &vars, &allow_all())).0, 401);
    let r = req("GET", "/req?tenant=t1").header("x-user", "u");
    let out = ask_with(&api, &r, &vars, &allow_all());
    assert_eq!((seen(&out).0, out.authorizer_invoked), (200, Some(true)));
    // The stage variable unknown: both cases.
    let out = ask(&api, &r, &allow_all());
    let cases = statuses(&out);
    assert_eq!(
        cases,
        [
            ("`env` is set and non-empty".to_string(), 200),
            ("`env` is not set".to_string(), 401)
        ]
    );
}

#[test]
fn identity_regex_readings() {
    let mut doc = rest_doc();
    doc["components"]["securitySchemes"]["tok"] = token_scheme(300, Some("Bearer [a-z]+"));
    let api = load(&doc);
    // Agree: a match anywhere and a whole match both hold.
    let r = req("GET", "/things").header("Authorization", "Bearer abc");
    let out = ask(&api, &r, &allow_all());
    assert_eq!(seen(&out).0, 200);
    assert!(
        out.assumptions
            .iter()
            .any(|a| a.contains("both readings agree"))
    );
    // Disagree: `Bearer abc1` matches somewhere, not wholly.
    let r = req("GET", "/things").header("Authorization", "Bearer abc1");
    let out = ask(&api, &r, &allow_all());
    assert_eq!(case_statuses(&out), [401, 200]);
    assert_eq!(out.undocumented.len(), 1);
    assert!(out.undocumented[0].contains("must match the whole header value"));
    assert_eq!(
        out.steps
            .iter()
            .find(|s| s.step == Step::Identity)
            .unwrap()
            .result,
        StepResult::Depends
    );
}

#[test]
fn authorizer_outcomes() {
    let api = load(&rest_doc());
    let r = req("GET", "/things").header("Authorization", "t");
    let out = ask(
        &api,
        &r,
        &AuthorizerBehaviour::Throws("Unauthorized".into()),
    );
    expect(&out, 401, UNAUTH, Step::Authorizer);
    assert_eq!(out.authorizer_invoked, Some(true));
    let out = ask(
        &api,
        &r,
        &AuthorizerBehaviour::Throws("Error: Invalid token".into()),
    );
    assert_eq!(
        seen(&out),
        (
            500,
            Some("AuthorizerConfigurationException"),
            Some(r#"{"message": null}"#),
            Step::Authorizer
        )
    );
    assert_eq!(out.exit_code(), 1);
    let out = ask(
        &api,
        &r,
        &output(json!({"principalId": "u", "policyDocument": {"Statement": [
        {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*", "Condition": null}]}})),
    );
    assert_eq!(seen(&out).0, 500);
    assert_eq!(out.exit_code(), 3);
    // Explicit and implicit deny, allow.
    let out = ask(&api, &r, &policy("Deny", "*"));
    expect(&out, 403, EXPLICIT_DENY, Step::Policy);
    let out = ask(
        &api,
        &r,
        &policy(
            "Allow",
            "arn:aws:execute-api:*:*:test/test/GET/stuff-is-not-things*",
        ),
    );
    expect(&out, 403, IMPLICIT_DENY, Step::Policy);
    let out = ask(&api, &r, &policy("Allow", &format!("{ARN}/GET/things")));
    assert_eq!(seen(&out), (200, None, None, Step::Integration));
    assert_eq!(out.exit_code(), 0);
}

#[test]
fn unknown_authorizer_prints_the_event() {
    let api = load(&rest_doc());
    let r = req("GET", "/things/7").header("Authorization", "Bearer t");
    let out = ask(&api, &r, &AuthorizerBehaviour::Unknown);
    assert_eq!(case_statuses(&out), [200, 403, 403, 401, 500]);
    assert_eq!(
        out.authorizer_event,
        Some(
            json!({"type": "TOKEN", "authorizationToken": "Bearer t", "methodArn": format!("{ARN}/GET/things/7")})
        )
    );
    assert_eq!(
        out.steps
            .iter()
            .find(|s| s.step == Step::Authorizer)
            .unwrap()
            .result,
        StepResult::Depends
    );
}

#[test]
fn uri_too_long() {
    let api = load(&rest_doc());
    let long = format!("/{}", "a".repeat(1600));
    let out = ask(
        &api,
        &req("GET", &long).header("Authorization", "t"),
        &allow_all(),
    );
    assert_eq!(
        seen(&out),
        (414, None, Some("Request URI too long"), Step::Authorizer)
    );
}

#[test]
fn api_keys() {
    let api = load(&rest_doc());
    let r = |key: Option<&str>| {
        let r = req("POST", "/things").header("Authorization", "t");
        match key {
            Some(k) => r.header("X-API-Key", k),
            None => r,
        }
    };
    let keys = facts(
        r#"{"api_keys": [{"value": "k1", "enabled": true, "stages": ["abc123/prod"]},
        {"value": "k2", "enabled": false, "stages": ["abc123/prod"]},
        {"value": "k3", "enabled": true, "stages": ["abc123/dev"]}]}"#,
    );
    assert_eq!(
        seen(&ask_with(&api, &r(Some("k1")), &keys, &allow_all())).0,
        200
    );
    for bad in [Some("k2"), Some("k3"), Some("nope"), None] {
        let out = ask_with(&api, &r(bad), &keys, &allow_all());
        expect(&out, 403, BAD_KEY, Step::ApiKey);
    }
    // No facts: each case's answer.
    let out = ask(&api, &r(Some("k1")), &allow_all());
    assert_eq!(case_statuses(&out), [200, 403]);
    // The key-check order is undocumented: it matters when the authorizer denies too.
    let out = ask_with(&api, &r(None), &keys, &policy("Deny", "*"));
    assert_eq!(case_statuses(&out), [403, 403]);
    assert!(out.undocumented[0].contains("before or after the authorizer"));
}

#[test]
fn api_key_from_the_authorizer() {
    let mut doc = rest_doc();
    doc["x-amazon-apigateway-api-key-source"] = json!("AUTHORIZER");
    let api = load(&doc);
    let keys =
        facts(r#"{"api_keys": [{"value": "k1", "enabled": true, "stages": ["abc123/prod"]}]}"#);
    let r = req("POST", "/things").header("Authorization", "t");
    let with_key = |k: &str| {
        output(
            json!({"principalId": "u", "usageIdentifierKey": k, "policyDocument": {
        "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}}),
        )
    };
    assert_eq!(seen(&ask_with(&api, &r, &keys, &with_key("k1"))).0, 200);
    assert_eq!(
        seen(&ask_with(&api, &r, &keys, &with_key("k9"))).1,
        Some("ForbiddenException")
    );
    assert_eq!(
        seen(&ask_with(&api, &r, &keys, &allow_all())).2,
        Some(FORBIDDEN)
    );
}

fn with_policy(statements: Value) -> ApiModel {
    let mut doc = rest_doc();
    doc["x-amazon-apigateway-policy"] = json!({"Version": "2012-10-17", "Statement": statements});
    load(&doc)
}

/// Asserts the resource policy's own 403 for `GET {path}`.
fn rp_denied(out: &PipelineOutcome, path: &str, explicit: &str) {
    let body = format!(
        r#"{{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: {ARN}/GET{path}{explicit}"}}"#
    );
    let want = (Some("AccessDeniedException"), Some(body.as_str()));
    assert_eq!(seen(out), (403, want.0, want.1, Step::ResourcePolicy));
}

#[test]
fn resource_policy() {
    let api = with_policy(json!([
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
         "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}
    ]));
    let mut r = req("GET", "/things").header("Authorization", "t");
    r.source_ip = Some("198.51.100.1".parse().unwrap());
    let out = ask(&api, &r, &allow_all());
    rp_denied(&out, "/things", " with an explicit deny");
    assert_eq!(out.authorizer_invoked, None);
    r.source_ip = Some("203.0.113.9".parse().unwrap());
    // Table A: the resource policy's Allow covers an authorizer that is silent.
    let silent = policy("Allow", &format!("{ARN}/GET/elsewhere"));
    assert_eq!(seen(&ask(&api, &r, &silent)).0, 200);
    // Table B: both must allow.
    let cross = facts(r#"{"cross_account": true}"#);
    expect(
        &ask_with(&api, &r, &cross, &silent),
        403,
        IMPLICIT_DENY,
        Step::Policy,
    );
    // An authorizer Deny beats the resource policy's Allow.
    assert_eq!(seen(&ask(&api, &r, &policy("Deny", "*"))).2, Some(EXPLICIT));
    // Without --source-ip: each case.
    r.source_ip = None;
    let out = ask(&api, &r, &allow_all());
    assert_eq!(case_statuses(&out), [403, 200]);
    assert!(out.cases[0].when.contains("NotIpAddress"));
}

#[test]
fn resource_policy_only() {
    let api = with_policy(json!([
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*/GET/things"}
    ]));
    // `/open` has no authorizer and the policy does not allow it.
    let out = ask(&api, &req("GET", "/open"), &allow_all());
    rp_denied(&out, "/open", "");
    // Table B: the authorizer allows, the resource policy is silent.
    let cross = facts(r#"{"cross_account": true}"#);
    let r = req("GET", "/things/1").header("Authorization", "t");
    let out = ask_with(&api, &r, &cross, &allow_all());
    assert_eq!(seen(&out).3, Step::ResourcePolicy);
    assert!(
        seen(&out)
            .2
            .unwrap()
            .starts_with(r#"{"Message":"User: anonymous"#)
    );
}

#[test]
fn gateway_responses() {
    let mut doc = no_proxy();
    doc["x-amazon-apigateway-gateway-responses"] = json!({
        "MISSING_AUTHENTICATION_TOKEN": {"statusCode": 404,
            "responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
            "responseTemplates": {"application/json": "{\"message\":$context.error.messageString,\"type\":\"$context.error.responseType\"}"}},
        "DEFAULT_4XX": {"statusCode": 400, "responseTemplates": {"application/json": "{\"message\":\"Missing or invalid token\"}"}},
        "ACCESS_DENIED": {"responseTemplates": {"application/json": "{\"reason\":\"$context.authorizer.reason\"}"}}
    });
    let api = load(&doc);
    let out = ask(&api, &req("DELETE", "/open"), &allow_all());
    let a = out.answer.as_ref().unwrap();
    assert_eq!(
        (a.status, a.error_type.as_deref(), a.body.as_deref()),
        (
            404,
            Some("MissingAuthenticationTokenException"),
            Some(
                r#"{"message":"Missing Authentication Token","type":"MISSING_AUTHENTICATION_TOKEN"}"#
            )
        )
    );
    assert_eq!(a.headers["Access-Control-Allow-Origin"], "*");
    assert_eq!(
        a.headers["x-amzn-ErrorType"],
        "MissingAuthenticationTokenException"
    );
    // DEFAULT_4XX re-statuses the API key 403 (the seed guide's 400 "Missing or invalid token").
    let r = req("POST", "/things").header("Authorization", "t");
    let out = ask_with(&api, &r, &facts(r#"{"api_keys": []}"#), &allow_all());
    assert_eq!(
        seen(&out),
        (
            400,
            Some("ForbiddenException"),
            Some(r#"{"message":"Missing or invalid token"}"#),
            Step::ApiKey
        )
    );
    // ACCESS_DENIED with the authorizer's context.
    let deny = output(json!({"principalId": "u", "context": {"reason": "expired"},
        "policyDocument": {"Statement": [{"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "*"}]}}));
    let out = ask(
        &api,
        &req("GET", "/things").header("Authorization", "t"),
        &deny,
    );
    assert_eq!(
        seen(&out),
        (
            403,
            Some("AccessDeniedException"),
            Some(r#"{"reason":"expired"}"#),
            Step::Policy
        )
    );
    // UNAUTHORIZED may or may not fall back to DEFAULT_4XX: undocumented.
    let out = ask(&api, &req("GET", "/things"), &allow_all());
    assert_eq!(case_statuses(&out), [401, 400]);
    assert!(out.undocumented[0].contains("UNAUTHORIZED"));
}

const HTTP_API: &str = r#"openapi: 3.0.1
x-amazon-apigateway-importexport-version: "1.0"
paths:
  /pets:
    get:
      security: [{lambda: []}]
  /pets/{id}:
    get:
      security: [{lambda: []}]
  /plain:
    get: {}
components:
  securitySchemes:
    lambda:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer:
        type: request
        identitySource: $request.header.Authorization
        authorizerPayloadFormatVersion: "2.0"
        enableSimpleResponses: true
        authorizerResultTtlInSeconds: 300
"#;

#[test]
fn http_api() {
    let api = load_text("http.yaml", HTTP_API);
    let no_route = ask(&api, &req("GET", "/dogs"), &allow_all());
    assert_eq!(
        seen(&no_route),
        (404, None, Some(r#"{"message":"Not Found"}"#), Step::Route)
    );
    // A trailing slash is significant.
    assert_eq!(
        seen(&ask(&api, &req("GET", "/plain/"), &allow_all())).0,
        404
    );
    let out = ask(&api, &req("GET", "/pets"), &allow_all());
    assert_eq!(seen(&out), (401, None, Some(UNAUTHORIZED), Step::Identity));
    let r = req("GET", "/pets").header("authorization", "t");
    let yes = output(json!({"isAuthorized": true}));
    let no = output(json!({"isAuthorized": false}));
    assert_eq!(seen(&ask(&api, &r, &yes)).0, 200);
    let out = ask(&api, &r, &no);
    assert_eq!(seen(&out), (403, None, Some(FORBIDDEN), Step::Policy));
    assert!(out.assumptions.iter().any(|a| a.contains("[C]")));
    assert!(out.undocumented[0].contains("contested by one report of 401"));
    let out = ask(&api, &r, &AuthorizerBehaviour::Throws("boom".into()));
    assert_eq!(
        seen(&out),
        (
            500,
            None,
            Some(r#"{"message":"Internal Server Error"}"#),
            Step::Authorizer
        )
    );
    // A policy output on an HTTP API still gets the HTTP bodies.
    assert_eq!(
        seen(&ask(&api, &r, &policy("Deny", "*"))).2,
        Some(FORBIDDEN)
    );
    let event = ask(&api, &r, &AuthorizerBehaviour::Unknown)
        .authorizer_event
        .unwrap();
    assert_eq!(event["version"], "2.0");
    assert_eq!(event["identitySource"], json!(["t"]));
}

#[test]
fn http_api_stages() {
    let template = |stage: &str| {
        json!({"Resources": {
            "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Body": {"openapi": "3.0.1",
                "x-amazon-apigateway-importexport-version": "1.0", "paths": {"/pets": {"get": {}}}}}},
            "Stage": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Api"}, "StageName": stage}}
        }})
    };
    let url = "https://abc123.execute-api.us-east-1.amazonaws.com/pets";
    let r = HttpRequest::from_target("GET", url).unwrap();
    // A `$default` stage: the URL has no stage segment.
    let out = ask(&load(&template("$default")), &r, &allow_all());
    assert_eq!(seen(&out).0, 200);
    assert!(out.steps.iter().any(|s| s.detail == "GET /pets"));
    // Only `prod`: `pets` is no stage.
    let out = ask(&load(&template("prod")), &r, &allow_all());
    assert_eq!(
        seen(&out),
        (404, None, Some(r#"{"message":"Not Found"}"#), Step::Stage)
    );
}

/// Runs a sequence on one cache: (after seconds, request, behaviour).
fn sequence(
    api: &ApiModel,
    steps: &[(u64, HttpRequest, AuthorizerBehaviour)],
) -> Vec<PipelineOutcome> {
    let mut cache = Cache::new();
    steps
        .iter()
        .map(|(after, r, b)| {
            cache.advance(*after);
            run(api, r, &Facts::default(), b, &mut cache).unwrap()
        })
        .collect()
}

fn summary(outs: &[PipelineOutcome]) -> Vec<(u16, Option<bool>, Option<usize>)> {
    outs.iter()
        .map(|o| {
            (
                seen(o).0,
                o.authorizer_invoked,
                o.cache.as_ref().map(|c| c.from_request),
            )
        })
        .collect()
}

#[test]
fn caching_token() {
    let api = load(&rest_doc());
    let exact = |p: &str| policy("Allow", &format!("{ARN}/GET/things/{p}"));
    let t = |path: &str, token: &str| req("GET", path).header("Authorization", token);
    let outs = sequence(
        &api,
        &[
            (0, t("/things/1", "T"), exact("1")),
            (60, t("/things/2", "T"), exact("2")),
            (0, t("/things/2", "U"), exact("2")),
            (241, t("/things/2", "T"), exact("2")),
        ],
    );
    // 1: invoked, allowed. 2: the cached exact-ARN policy fails the new ARN (the classic
    // "works once, then 403"). 3: another token misses the cache. 4: 301 s later the entry
    // expired and the authorizer runs again.
    assert_eq!(
        summary(&outs),
        [
            (200, Some(true), None),
            (403, Some(false), Some(1)),
            (200, Some(true), None),
            (200, Some(true), None)
        ]
    );
    assert_eq!(
        outs[1].answer.as_ref().unwrap().body.as_deref(),
        Some(IMPLICIT)
    );
    let policy_step = outs[1]
        .steps
        .iter()
        .find(|s| s.step == Step::Policy)
        .unwrap();
    assert!(
        policy_step
            .detail
            .contains("cached by request #1 (GET /things/1)"),
        "{}",
        policy_step.detail
    );
    assert!(
        policy_step
            .detail
            .contains(&format!("nearest Resource is `{ARN}/GET/things/1`"))
    );
}

#[test]
fn caching_off_and_request_keys() {
    let mut doc = rest_doc();
    doc["components"]["securitySchemes"]["tok"] = token_scheme(0, None);
    let api = load(&doc);
    let r = req("GET", "/things/2").header("Authorization", "T");
    let outs = sequence(
        &api,
        &[
            (
                0,
                req("GET", "/things/1").header("Authorization", "T"),
                policy("Allow", &format!("{ARN}/GET/things/1")),
            ),
            (1, r, policy("Allow", &format!("{ARN}/GET/things/2"))),
        ],
    );
    assert_eq!(
        summary(&outs),
        [(200, Some(true), None), (200, Some(true), None)]
    );
    // REQUEST with a TTL: every identity value is part of the key.
    let mut doc = rest_doc();
    doc["components"]["securitySchemes"]["req"]["x-amazon-apigateway-authorizer"]["authorizerResultTtlInSeconds"] =
        json!(300);
    doc["paths"]["/req2"] = json!({"get": {"security": [{"req": []}]}});
    let api = load(&doc);
    let mut cache = Cache::new();
    let vars = facts(r#"{"stage_variables": {"env": "prod"}}"#);
    let only_req = policy("Allow", &format!("{ARN}/GET/req"));
    let mut go = |path: &str, tenant: &str| {
        let r = req("GET", &format!("{path}?tenant={tenant}")).header("X-User", "u");
        let o = run(&api, &r, &vars, &only_req, &mut cache).unwrap();
        (seen(&o).0, o.authorizer_invoked)
    };
    assert_eq!(go("/req", "a"), (200, Some(true)));
    assert_eq!(go("/req2", "a"), (403, Some(false)));
    assert_eq!(go("/req2", "b"), (403, Some(true)));
}

#[test]
fn caching_http_simple_responses() {
    let api = load_text("http.yaml", HTTP_API);
    let r = |p: &str| req("GET", p).header("Authorization", "T");
    // The verdict is cached for every route, whatever the later output would be.
    let outs = sequence(
        &api,
        &[
            (0, r("/pets"), output(json!({"isAuthorized": true}))),
            (10, r("/pets/1"), output(json!({"isAuthorized": false}))),
        ],
    );
    assert_eq!(
        summary(&outs),
        [(200, Some(true), None), (200, Some(false), Some(1))]
    );
    // Without a TTL in the definition the HTTP API default is undocumented.
    let no_ttl = load_text(
        "http.yaml",
        &HTTP_API.replace("        authorizerResultTtlInSeconds: 300\n", ""),
    );
    let outs = sequence(
        &no_ttl,
        &[
            (0, r("/pets"), output(json!({"isAuthorized": true}))),
            (10, r("/pets/1"), output(json!({"isAuthorized": false}))),
        ],
    );
    second_hangs_on(&outs, 200, [200, 403], "default is undocumented");
}

/// The first request answers `first`; the second depends on an undocumented point.
fn second_hangs_on(outs: &[PipelineOutcome], first: u16, cases: [u16; 2], point: &str) {
    assert_eq!(seen(&outs[0]).0, first);
    assert_eq!(case_statuses(&outs[1]), cases);
    assert!(
        outs[1].undocumented[0].contains(point),
        "{:?}",
        outs[1].undocumented
    );
}

#[test]
fn caching_of_a_401_is_undocumented() {
    let api = load(&rest_doc());
    let r = req("GET", "/things").header("Authorization", "T");
    let outs = sequence(
        &api,
        &[
            (
                0,
                r.clone(),
                AuthorizerBehaviour::Throws("Unauthorized".into()),
            ),
            (5, r, allow_all()),
        ],
    );
    second_hangs_on(&outs, 401, [200, 401], "401");
}

#[test]
fn json_contract() {
    let api = load(&rest_doc());
    let out = ask(&api, &req("GET", "/things"), &allow_all());
    let v = serde_json::to_value(&out).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["outcome"], "answer");
    assert_eq!(v["answer"]["status"], 401);
    assert_eq!(v["answer"]["error_type"], "UnauthorizedException");
    assert_eq!(v["answer"]["body"], UNAUTHORIZED);
    assert_eq!(v["answer"]["step"], "identity");
    assert_eq!(v["answer"]["made_by"], "api_gateway");
    assert_eq!(
        v["answer"]["headers"]["x-amzn-ErrorType"],
        "UnauthorizedException"
    );
    let steps: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["edge", "stage", "route", "method_auth", "identity"]);
    assert_eq!(v["steps"][4]["result"], "answer");
    assert_eq!(v["steps"][2]["span"]["file"], "api.json");
    assert!(v["steps"][2]["span"]["line"].is_number());
    for key in ["cases", "assumptions", "undocumented"] {
        assert!(v[key].is_array(), "{key}");
    }
}

/// The seed guide's eight answers, from the example REST export (its UNAUTHORIZED and
/// DEFAULT_4XX gateway responses rewrite some of them, as on the guide's API).
#[test]
fn seed_guide_scenarios_from_the_example_export() {
    let api = load_text(
        "openapi-rest.json",
        include_str!("../../examples/api/openapi-rest.json"),
    );
    let example = |name: &str, text: &str| {
        AuthorizerBehaviour::Output(Checked::from_str(name, text).unwrap())
    };
    let allow = example(
        "allow-things.json",
        include_str!("../../examples/api/outputs/allow-things.json"),
    );
    let deny = example(
        "deny-all.json",
        include_str!("../../examples/api/outputs/deny-all.json"),
    );
    let keys = facts(
        r#"{"account": "210987654321", "api_keys": [{"value": "k-live", "enabled": true, "stages": ["k3xq9w2m1a/prod"]}]}"#,
    );
    let base = "https://k3xq9w2m1a.execute-api.eu-west-1.amazonaws.com/prod";
    let get = |method: &str, path: &str| {
        HttpRequest::from_target(method, &format!("{base}{path}")).unwrap()
    };
    let bearer = |r: HttpRequest| r.header("Authorization", "Bearer abc.def");
    let body = |out: &PipelineOutcome| out.answer.as_ref().unwrap().body.clone().unwrap();
    // 1. No identity source: 401, re-statused to 400 by the customised UNAUTHORIZED.
    let out = ask_with(&api, &get("POST", "/things"), &keys, &allow);
    expect(&out, 400, CUSTOM_401, Step::Identity);
    assert_eq!(
        out.answer.as_ref().unwrap().headers["Access-Control-Allow-Origin"],
        "*"
    );
    // On the keyed GET, with neither header, it hangs on the undocumented key-check order.
    let out = ask_with(&api, &get("GET", "/things"), &keys, &allow);
    assert_eq!(case_statuses(&out), [400, 403]);
    // 2. No API key: 403 ForbiddenException.
    let out = ask_with(&api, &bearer(get("GET", "/things")), &keys, &allow);
    assert_eq!(
        seen(&out),
        (
            403,
            Some("ForbiddenException"),
            Some(FORBIDDEN),
            Step::ApiKey
        )
    );
    // With the key, the request reaches the integration.
    let keyed = bearer(get("GET", "/things")).header("x-api-key", "k-live");
    assert_eq!(seen(&ask_with(&api, &keyed, &keys, &allow)).0, 200);
    // 3. Explicit deny (DEFAULT_4XX's template writes a lowercase `message`, as in the guide).
    let out = ask_with(&api, &bearer(get("POST", "/things")), &keys, &deny);
    assert_eq!(
        seen(&out),
        (
            403,
            Some("AccessDeniedException"),
            Some(
                r#"{"message":"User is not authorized to access this resource with an explicit deny"}"#
            ),
            Step::Policy
        )
    );
    // 4. Implicit deny: the guide's policy names another API and stage.
    let other = example(
        "other.json",
        r#"{"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": [
        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": ["arn:aws:execute-api:*:*:test/test/GET/stuff-is-not-things*"]}]}}"#,
    );
    let out = ask_with(&api, &bearer(get("POST", "/things")), &keys, &other);
    assert_eq!(
        body(&out),
        r#"{"message":"User is not authorized to access this resource"}"#
    );
    assert_eq!(seen(&out).1, Some("AccessDeniedException"));
    // 5. No such route, with a bearer token: IncompleteSignature.
    let out = ask_with(
        &api,
        &get("GET", "/does-not-exist").header("Authorization", "Bearer tok"),
        &keys,
        &allow,
    );
    assert_eq!(seen(&out).1, Some("IncompleteSignatureException"));
    assert_eq!(
        body(&out),
        r#"{"message":"'tok' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer tok'."}"#
    );
    // 6. No such route, the key in the query string: MissingAuthenticationToken.
    let out = ask_with(
        &api,
        &get("GET", "/does-not-exist?key=k-live"),
        &keys,
        &allow,
    );
    assert_eq!(
        seen(&out),
        (
            403,
            Some("MissingAuthenticationTokenException"),
            Some(MISSING),
            Step::Route
        )
    );
    // 7. GET with a body on the edge-optimized endpoint: CloudFront's page.
    let mut with_body = keyed.clone();
    with_body.body = Some("data=value".into());
    let out = ask_with(&api, &with_body, &keys, &allow);
    assert_eq!(out.answer.as_ref().unwrap().made_by, MadeBy::Cloudfront);
    assert!(body(&out).contains("<H2>The request could not be satisfied.</H2>"));
}
#[test]
fn same_answers_from_sam_and_cdk_templates() {
    for (name, text) in [
        (
            "sam-template.yaml",
            include_str!("../../examples/api/sam-template.yaml"),
        ),
        (
            "cdk-template.json",
            include_str!("../../examples/api/cdk-template.json"),
        ),
    ] {
        let api = load_text(name, text);
        let ask_bearer = |m: &str, p: &str| {
            ask(
                &api,
                &req(m, p).header("Authorization", "Bearer abc"),
                &allow_all(),
            )
        };
        assert_eq!(seen(&ask_bearer("POST", "/things")).0, 200, "{name}");
        assert_eq!(
            seen(&ask_bearer("GET", "/things")),
            (
                403,
                Some("ForbiddenException"),
                Some(FORBIDDEN),
                Step::ApiKey
            ),
            "{name}"
        );
        assert_eq!(
            seen(&ask_bearer("GET", "/nope")).1,
            Some("IncompleteSignatureException"),
            "{name}"
        );
        let out = ask(&api, &req("POST", "/things"), &allow_all());
        expect(&out, 400, CUSTOM_401, Step::Identity);
    }
}
