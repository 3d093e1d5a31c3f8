//! Readers and routing, end to end over small definitions and the examples in examples/api/.

use super::*;
use crate::span::{Location, Span};

fn load_str(name: &str, text: &str) -> Result<ApiModel, InputError> {
    load(Source::new(name, text), None)
}

fn example(name: &str) -> ApiModel {
    let path = format!("{}/examples/api/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    load(Source::new(name, text), None).unwrap()
}

/// What a user sees of the route table, authorizer by its identity sources (names differ
/// between formats: a scheme name, a logical id).
fn table(api: &ApiModel) -> Vec<String> {
    routes(api)
        .iter()
        .zip(std::iter::repeat(api))
        .map(|(r, api)| {
            let route = api
                .routes
                .iter()
                .find(|x| x.method == r.method && x.path == r.path)
                .unwrap();
            let sources = api
                .authorizer_of(route)
                .and_then(|a| a.identity_sources.as_ref())
                .and_then(|s| s.value())
                .map(|s| {
                    s.iter()
                        .map(|i| i.raw.clone())
                        .collect::<Vec<_>>()
                        .join(",")
                });
            format!(
                "{} {} {:?} key={:?} sources={:?}",
                r.method, r.path, r.auth, r.api_key_required, sources
            )
        })
        .collect()
}

fn text_at(api: &ApiModel, span: Span) -> &str {
    &api.source.text()[span.range()]
}

#[test]
fn the_same_api_in_three_formats_gives_one_route_table() {
    let openapi = example("openapi-rest.json");
    let cfn = example("cdk-template.json");
    let sam = example("sam-template.yaml");
    let expected = vec![
        "GET /things Some(Custom) key=Some(true) sources=Some(\"method.request.header.Authorization\")",
        "POST /things Some(Custom) key=Some(false) sources=Some(\"method.request.header.Authorization\")",
        "GET /things/{id} Some(Custom) key=Some(false) sources=Some(\"method.request.header.Authorization\")",
    ];
    let mut expected_sorted = expected.clone();
    expected_sorted.sort_by_key(|l| {
        let mut p = l.split(' ');
        let m = p.next().unwrap().to_string();
        (p.next().unwrap().to_string(), m)
    });
    assert_eq!(table(&openapi), expected_sorted);
    assert_eq!(table(&cfn), expected_sorted);
    assert_eq!(table(&sam), expected_sorted);
    for api in [&openapi, &cfn, &sam] {
        let a = &api.authorizers[0];
        assert_eq!(a.kind.value(), Some(&AuthorizerKind::Token));
        assert_eq!(a.ttl_seconds(ApiKind::Rest), Some(300));
        assert_eq!(
            a.validation_expression
                .as_ref()
                .and_then(Field::value)
                .unwrap(),
            "^Bearer [-0-9A-Za-z._~+/]+=*$"
        );
        let gr = api.gateway_response("UNAUTHORIZED").unwrap();
        assert_eq!(gr.status.as_ref().and_then(Field::value).unwrap(), "400");
        assert_eq!(
            gr.parameters[0].header(),
            Some("Access-Control-Allow-Origin")
        );
        assert_eq!(api.effective_endpoint_type(), Some(EndpointType::Edge));
        assert!(api.stage("prod").is_some(), "{:?}", api.stages);
    }
    // An export carries the api id and region; templates do not.
    assert_eq!(
        openapi.api_id.as_ref().and_then(Field::value).unwrap(),
        "k3xq9w2m1a"
    );
    assert_eq!(
        openapi.region.as_ref().and_then(Field::value).unwrap(),
        "eu-west-1"
    );
    assert!(openapi.stage("prod").unwrap().hint);
    // CloudFormation: stage variables, the usage plan and its generated key.
    let prod = cfn.stage("prod").unwrap();
    assert_eq!(prod.variables[0].value.value().unwrap(), "strict");
    assert_eq!(cfn.usage_plans[0].stages[0].1.value().unwrap(), "prod");
    assert_eq!(cfn.usage_plans[0].keys, vec!["ThingsApiKey0D2F4B68"]);
    assert!(
        cfn.notes
            .iter()
            .any(|n| n.code == "api-key-value-generated")
    );
    // Spans point at what was read.
    let get = &cfn
        .routes
        .iter()
        .find(|r| r.method == "GET" && r.path == "/things")
        .unwrap();
    assert_eq!(text_at(&cfn, get.path_span), "\"things\"");
    let a = &sam.authorizers[0];
    let src = &a.identity_sources.as_ref().unwrap().value().unwrap()[0];
    assert_eq!(text_at(&sam, src.span), "Authorization");
}

#[test]
fn http_api_export() {
    let api = example("openapi-http.yaml");
    assert_eq!(api.kind, ApiKind::Http);
    assert_eq!(api.effective_endpoint_type(), Some(EndpointType::Regional));
    let a = &api.authorizers[0];
    assert_eq!(a.kind.value(), Some(&AuthorizerKind::Request));
    assert_eq!(
        a.simple_responses.as_ref().and_then(Field::value),
        Some(&true)
    );
    assert_eq!(
        a.payload_format.as_ref().and_then(Field::value).unwrap(),
        "2.0"
    );
    let s = &a.identity_sources.as_ref().unwrap().value().unwrap()[0];
    assert_eq!(s.kind, SourceKind::Header("Authorization".into()));
    assert_eq!(text_at(&api, s.span), "$request.header.Authorization");
    assert_eq!(api.cors[0].from, CorsFrom::HttpApiConfig);
    assert!(api.stage("prod").is_some());
    assert_eq!(routes(&api).len(), 3);
}

#[test]
fn identity_sources_of_every_kind() {
    let text = r#"{"swagger": "2.0", "securityDefinitions": {"req": {"type": "apiKey",
      "name": "Unused", "in": "header", "x-amazon-apigateway-authorizer": {"type": "request",
      "identitySource": "method.request.header.X-Tenant, method.request.querystring.key, stageVariables.mode, context.identity.sourceIp",
      "authorizerResultTtlInSeconds": 0}}}, "paths": {"/": {"get": {"security": [{"req": []}]}}}}"#;
    let api = load_str("s.json", text).unwrap();
    let a = &api.authorizers[0];
    let got: Vec<SourceKind> = a
        .identity_sources
        .as_ref()
        .unwrap()
        .value()
        .unwrap()
        .iter()
        .map(|s| s.kind.clone())
        .collect();
    assert_eq!(
        got,
        vec![
            SourceKind::Header("X-Tenant".into()),
            SourceKind::Query("key".into()),
            SourceKind::StageVariable("mode".into()),
            SourceKind::Context("identity.sourceIp".into()),
        ]
    );
    let spans: Vec<&str> = a
        .identity_sources
        .as_ref()
        .unwrap()
        .value()
        .unwrap()
        .iter()
        .map(|s| text_at(&api, s.span))
        .collect();
    assert_eq!(spans[1], "method.request.querystring.key");
    assert_eq!(a.ttl_seconds(ApiKind::Rest), Some(0));
    // An unknown expression makes the sources unknown, pointing at it.
    let bad = text.replace("stageVariables.mode", "body.mode");
    let api = load_str("s.json", &bad).unwrap();
    let u = api.authorizers[0]
        .identity_sources
        .as_ref()
        .unwrap()
        .unknown()
        .unwrap()
        .clone();
    assert_eq!(text_at(&api, u.span), "body.mode");
}

#[test]
fn root_security_is_ignored_on_rest_and_said_so() {
    let text = "openapi: 3.0.1\nsecurity:\n  - k: []\npaths:\n  /a:\n    get: {}\ncomponents:\n  securitySchemes:\n    k: {type: apiKey, name: x-api-key, in: header}\n";
    let api = load_str("r.yaml", text).unwrap();
    assert_eq!(api.routes[0].api_key_required.value(), Some(&false));
    let n = api
        .notes
        .iter()
        .find(|n| n.code == "root-security-ignored")
        .unwrap();
    assert_eq!(text_at(&api, n.span.unwrap()), "security");
}

fn rest(paths: &[(&str, &str)]) -> ApiModel {
    let mut doc = serde_json::json!({"openapi": "3.0.1", "paths": {}});
    for (method, path) in paths {
        let m = if *method == "ANY" {
            "x-amazon-apigateway-any-method".to_string()
        } else {
            method.to_lowercase()
        };
        doc["paths"]
            .as_object_mut()
            .unwrap()
            .entry(path.to_string())
            .or_insert(serde_json::json!({}))[m] = serde_json::json!({});
    }
    load_str("r.json", &serde_json::to_string_pretty(&doc).unwrap()).unwrap()
}

/// (route key, path parameters, number of assumptions).
type Hit = (String, Vec<(String, String)>, usize);

fn found(api: &ApiModel, method: &str, path: &str) -> Option<Hit> {
    match Router::new(api).find(method, path) {
        RouteMatch::Found(f) => Some((api.routes[f.route].key(), f.params, f.assumptions.len())),
        RouteMatch::Miss(_) => None,
    }
}

#[test]
fn rest_routing_rules() {
    let api = rest(&[
        ("GET", "/part1"),
        ("GET", "/{param+}"),
        ("GET", "/part1/hardcoded"),
        ("PATCH", "/users/me"),
        ("GET", "/users/{userId}"),
        ("POST", "/test"),
        ("OPTIONS", "/{param+}"),
        ("GET", "/any"),
        ("ANY", "/any"),
    ]);
    // Literal beats parameter beats greedy.
    assert_eq!(
        found(&api, "GET", "/part1/hardcoded").unwrap().0,
        "GET /part1/hardcoded"
    );
    let (key, params, assumed) = found(&api, "GET", "/part1/other").unwrap();
    assert_eq!((key.as_str(), assumed), ("GET /{param+}", 0));
    assert_eq!(
        params,
        vec![("param".to_string(), "part1/other".to_string())]
    );
    // Method fallback to a less specific resource, recorded as an assumption.
    let (key, params, assumed) = found(&api, "GET", "/users/me").unwrap();
    assert_eq!(key, "GET /users/{userId}");
    assert_eq!(params, vec![("userId".to_string(), "me".to_string())]);
    assert_eq!(assumed, 1);
    assert_eq!(
        found(&api, "OPTIONS", "/test").unwrap().0,
        "OPTIONS /{param+}"
    );
    assert!(found(&api, "POST", "/users/me").is_none());
    // ANY covers the verbs without an explicit method; the explicit one wins.
    assert_eq!(found(&api, "GET", "/any").unwrap().0, "GET /any");
    assert_eq!(found(&api, "DELETE", "/any").unwrap().0, "ANY /any");
    // HEAD is not GET.
    assert_eq!(found(&api, "HEAD", "/part1"), None);
    // {proxy+} never matches the root; a trailing slash and a leading // are ignored.
    assert!(found(&api, "GET", "/").is_none());
    assert_eq!(found(&api, "GET", "/part1/").unwrap().0, "GET /part1");
    assert_eq!(found(&api, "GET", "//part1").unwrap().0, "GET /part1");
    assert_eq!(found(&api, "GET", "/part1?x=1").unwrap().0, "GET /part1");
    // Case-sensitive paths.
    assert_eq!(found(&api, "GET", "/PART1").unwrap().0, "GET /{param+}");
}

#[test]
fn a_miss_names_the_closest_routes() {
    let api = rest(&[
        ("GET", "/things"),
        ("POST", "/thing"),
        ("DELETE", "/other/x"),
    ]);
    let RouteMatch::Miss(miss) = Router::new(&api).find("POST", "/things") else {
        panic!()
    };
    let keys: Vec<String> = miss.closest.iter().map(|&i| api.routes[i].key()).collect();
    assert_eq!(
        keys[..2],
        ["GET /things".to_string(), "POST /thing".to_string()]
    );
    assert!(!miss.incomplete);
}

#[test]
fn http_routing_rules() {
    let text = "openapi: 3.0.1\nx-amazon-apigateway-importexport-version: '1.0'\npaths:\n  /pets:\n    get: {}\n  /pets/{proxy+}:\n    x-amazon-apigateway-any-method: {}\n  /pets/dog/{id}:\n    get: {}\n";
    let api = load_str("h.yaml", text).unwrap();
    assert_eq!(api.kind, ApiKind::Http);
    assert_eq!(found(&api, "GET", "/pets").unwrap().0, "GET /pets");
    assert_eq!(
        found(&api, "GET", "/pets/dog/1").unwrap().0,
        "GET /pets/dog/{id}"
    );
    assert_eq!(
        found(&api, "POST", "/pets/dog/1").unwrap().0,
        "ANY /pets/{proxy+}"
    );
    // A trailing slash is significant.
    assert!(found(&api, "GET", "/pets/").is_none());
    let with_default = format!(
        "{text}  /$default:\n    x-amazon-apigateway-any-method: {{isDefaultRoute: true}}\n"
    );
    let api = load_str("h.yaml", &with_default).unwrap();
    assert_eq!(found(&api, "GET", "/nope").unwrap().0, "$default");
    assert_eq!(found(&api, "GET", "/pets").unwrap().0, "GET /pets");
}

#[test]
fn routing_cost_grows_with_depth_not_route_count() {
    let many: Vec<(String, String)> = (0..2000)
        .map(|i| ("GET".to_string(), format!("/r{i}/{{id}}")))
        .collect();
    let refs: Vec<(&str, &str)> = many.iter().map(|(m, p)| (m.as_str(), p.as_str())).collect();
    let api = rest(&refs);
    let router = Router::new(&api);
    // The trie holds one node per distinct prefix: root + 2000 literals + 2000 params.
    assert_eq!(router_nodes(&router), 4001);
    assert_eq!(found(&api, "GET", "/r1999/7").unwrap().0, "GET /r1999/{id}");
}

fn router_nodes(r: &Router) -> usize {
    format!("{r:?}").matches("template:").count()
}

#[test]
fn bad_definitions_are_errors_with_spans() {
    let e = load_str("p.json", r#"{"name": "x", "version": "1.0.0"}"#).unwrap_err();
    assert!(
        e.message.starts_with("not an API definition"),
        "{}",
        e.message
    );
    let e = load_str(
        "m.yaml",
        "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      security: [{nope: []}]\n",
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "`nope` is not a security scheme of this document"
    );
    assert_eq!(
        (e.location().unwrap().line, e.location().unwrap().column),
        (5, 19)
    );
    let e = load_str("y.yaml", "openapi: 3.0.1\npaths:\n  /a: {get: {}\n").unwrap_err();
    assert!(e.message.starts_with("not valid YAML"), "{}", e.message);
    assert!(e.location().unwrap().line >= 3);
    let cfn = r#"{"Resources": {
      "A": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}},
      "B": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}}}}"#;
    let e = load_str("t.json", cfn).unwrap_err();
    assert_eq!(e.message, "the template holds several APIs: A, B");
    assert!(load(Source::new("t.json", cfn), Some("B")).is_ok());
    let e = load(Source::new("t.json", cfn), Some("C")).unwrap_err();
    assert!(e.message.contains("no API named `C`"), "{}", e.message);
    let missing = r#"{"Resources": {
      "A": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}},
      "M": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "A"},
        "ResourceId": {"Fn::GetAtt": ["A", "RootResourceId"]}, "HttpMethod": "GET",
        "AuthorizationType": "CUSTOM", "AuthorizerId": {"Ref": "Gone"}}}}}"#;
    let e = load_str("t.json", missing).unwrap_err();
    assert_eq!(
        e.message,
        "`Gone` is not an AWS::ApiGateway::Authorizer of this API"
    );
    let sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        E: {Type: Api, Properties: {Path: /a, Method: get, Auth: {Authorizer: Nope}}}\n";
    let e = load_str("s.yaml", sam).unwrap_err();
    assert_eq!(e.message, "`Nope` is not one of the API's Auth.Authorizers");
}

#[test]
fn unresolvable_intrinsics_are_unknown_with_their_span() {
    let text = r#"Parameters:
  Stage: {Type: String}
  Part: {Type: String, Default: things}
Conditions:
  IsProd: !Equals [!Ref Part, things]
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      EndpointConfiguration: {Types: [!If [IsProd, REGIONAL, EDGE]]}
  Things:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: !Ref Part}
  Hidden:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: !ImportValue shared-part}
  Get:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Api, ResourceId: !Ref Things, HttpMethod: GET, AuthorizationType: NONE}
  Put:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Api, ResourceId: !Ref Hidden, HttpMethod: PUT, AuthorizationType: NONE}
  Auth:
    Type: AWS::ApiGateway::Authorizer
    Properties: {RestApiId: !Ref Api, Type: REQUEST, IdentitySource: !Sub "method.request.header.${Stage}"}
  St:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref Api, StageName: !Sub "${AWS::Region}-x"}
"#;
    let api = load_str("t.yaml", text).unwrap();
    // Parameters with defaults and conditions on them are evaluated.
    assert_eq!(api.routes.len(), 1);
    assert_eq!(api.routes[0].path, "/things");
    assert_eq!(api.effective_endpoint_type(), Some(EndpointType::Regional));
    // ImportValue hides a route: the miss is not certain.
    assert_eq!(api.unknown_routes.len(), 1);
    assert_eq!(
        text_at(&api, api.unknown_routes[0].span),
        "!ImportValue shared-part"
    );
    let RouteMatch::Miss(miss) = Router::new(&api).find("PUT", "/x") else {
        panic!()
    };
    assert!(miss.incomplete);
    let u = api.authorizers[0]
        .identity_sources
        .as_ref()
        .unwrap()
        .unknown()
        .unwrap();
    assert_eq!(u.reason, "the parameter Stage has no Default");
    assert_eq!(
        text_at(&api, u.span),
        "!Sub \"method.request.header.${Stage}\""
    );
    let st = api.stages[0].name.unknown().unwrap();
    assert!(st.reason.contains("AWS::Region"), "{}", st.reason);
    let loc = Location::of(api.source.text(), st.span);
    assert_eq!(loc.line, 28);
}

#[test]
fn sam_implicit_api_and_http_api() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        A: {Type: Api, Properties: {Path: /a, Method: any}}\n        H: {Type: HttpApi, Properties: {Path: /h/, Method: get}}\n        D: {Type: HttpApi}\n";
    let e = load_str("s.yaml", text).unwrap_err();
    assert_eq!(
        e.message,
        "the template holds several APIs: ServerlessRestApi, ServerlessHttpApi"
    );
    let rest = load(Source::new("s.yaml", text), Some("ServerlessRestApi")).unwrap();
    assert_eq!(rest.stages[0].name.value().unwrap(), "Prod");
    assert_eq!(rest.routes[0].key(), "ANY /a");
    let http = load(Source::new("s.yaml", text), Some("ServerlessHttpApi")).unwrap();
    assert_eq!(http.kind, ApiKind::Http);
    let keys: Vec<String> = http.routes.iter().map(Route::key).collect();
    assert_eq!(keys, vec!["GET /h", "$default"]);
    assert_eq!(http.stages[0].name.value().unwrap(), "$default");
}

/// A SAM template with an `AWS::Serverless::Api` named `Api`, whose properties and the
/// resources after it are `rest` (indented as under `Properties:`).
fn sam_api(rest: &str) -> String {
    format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n{rest}"
    )
}

#[test]
fn sam_request_authorizer_and_cors_preflight() {
    let text = sam_api(
        r#"      StageName: dev
      OpenApiVersion: 3.0.1
      Cors: "'*'"
      Auth:
        DefaultAuthorizer: Req
        Authorizers:
          Req:
            FunctionArn: arn:aws:lambda:us-east-1:111122223333:function:a
            FunctionPayloadType: REQUEST
            Identity:
              Headers: [X-Tenant]
              QueryStrings: [key]
              StageVariables: [mode]
  F:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        G: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: get}}
"#,
    );
    let api = load_str("s.yaml", &text).unwrap();
    let raws: Vec<String> = api.authorizers[0]
        .identity_sources
        .as_ref()
        .unwrap()
        .value()
        .unwrap()
        .iter()
        .map(|s| s.raw.clone())
        .collect();
    assert_eq!(
        raws,
        [
            "method.request.header.X-Tenant",
            "method.request.querystring.key",
            "stageVariables.mode"
        ]
    );
    let options = api.routes.iter().find(|r| r.method == "OPTIONS").unwrap();
    // AddDefaultAuthorizerToCorsPreflight defaults to true.
    assert_eq!(options.auth.value(), Some(&AuthType::Custom));
    let off = text.replace(
        "DefaultAuthorizer: Req",
        "DefaultAuthorizer: Req\n        AddDefaultAuthorizerToCorsPreflight: false",
    );
    let api = load_str("s.yaml", &off).unwrap();
    let options = api.routes.iter().find(|r| r.method == "OPTIONS").unwrap();
    assert_eq!(options.auth.value(), Some(&AuthType::None));
}

#[test]
fn sam_resource_policy_shorthand_is_lowered_like_the_translator() {
    let text = sam_api(
        r#"      StageName: prod
      Auth:
        ResourcePolicy:
          IpRangeBlacklist: ["192.0.2.0/24"]
          CustomStatements:
            - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "execute-api:/*"}
  F:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        G: {Type: Api, Properties: {RestApiId: !Ref Api, Path: "/things/{id}", Method: get}}
        A: {Type: Api, Properties: {RestApiId: !Ref Api, Path: "/things/{id}", Method: any}}
"#,
    );
    let api = load_str("s.yaml", &text).unwrap();
    let doc = api
        .resource_policy
        .unwrap()
        .document
        .value()
        .unwrap()
        .clone();
    let resources = serde_json::json!([
        "execute-api:/prod/GET/things/*",
        "execute-api:/prod/*/things/*"
    ]);
    assert_eq!(
        doc,
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": resources, "Principal": "*"},
            {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": resources, "Principal": "*",
             "Condition": {"IpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}}},
            {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}
        ]})
    );
}

#[test]
fn sam_defaults_reach_preflights_unless_switched_off() {
    let text = sam_api(
        r#"      StageName: prod
      Cors: "'*'"
      Auth:
        ApiKeyRequired: true
  F:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        G: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: get}}
        P: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: post, Auth: {ApiKeyRequired: false}}}
"#,
    );
    let api = load_str("s.yaml", &text).unwrap();
    let key = |api: &ApiModel, m: &str| {
        *api.routes
            .iter()
            .find(|r| r.method == m)
            .unwrap()
            .api_key_required
            .value()
            .unwrap()
    };
    assert!(key(&api, "GET"));
    assert!(
        !key(&api, "POST"),
        "an event's explicit false wins over the default"
    );
    assert!(
        key(&api, "OPTIONS"),
        "AddApiKeyRequiredToCorsPreflight defaults to true"
    );
    let off = text.replace(
        "ApiKeyRequired: true",
        "ApiKeyRequired: true\n        AddApiKeyRequiredToCorsPreflight: false",
    );
    assert!(!key(&load_str("s.yaml", &off).unwrap(), "OPTIONS"));
}

#[test]
fn swagger2_host_base_path_and_method_auth() {
    let text = r#"{"swagger": "2.0", "host": "abc123.execute-api.us-east-1.amazonaws.com", "basePath": "/test",
      "securityDefinitions": {"sigv4": {"type": "apiKey", "name": "Authorization", "in": "header",
        "x-amazon-apigateway-authtype": "awsSigv4"}},
      "paths": {"/open": {"get": {"x-amazon-apigateway-auth": {"type": "NONE"}}},
                "/iam": {"get": {"security": [{"sigv4": []}]}},
                "/iam2": {"get": {"x-amazon-apigateway-auth": {"type": "AWS_IAM"}}}}}"#;
    let api = load_str("s.json", text).unwrap();
    assert_eq!(api.format, Format::Swagger2);
    assert_eq!(
        api.api_id.as_ref().and_then(Field::value).unwrap(),
        "abc123"
    );
    assert_eq!(api.stage("test").map(|s| s.hint), Some(true));
    let auth: Vec<Option<AuthType>> = routes(&api).iter().map(|r| r.auth).collect();
    assert_eq!(
        auth,
        [
            Some(AuthType::AwsIam),
            Some(AuthType::AwsIam),
            Some(AuthType::None)
        ]
    );
}

#[test]
fn cloudformation_http_api_and_unsupported_extensions() {
    let text = r#"{"Resources": {
      "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP",
        "CorsConfiguration": {"AllowOrigins": ["*"]}}},
      "Auth": {"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": {"ApiId": {"Ref": "Api"},
        "AuthorizerType": "REQUEST", "IdentitySource": ["$request.header.Authorization", "$context.routeKey"],
        "AuthorizerPayloadFormatVersion": "2.0", "EnableSimpleResponses": true}},
      "R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Api"},
        "RouteKey": "GET /pets/{proxy+}", "AuthorizationType": "CUSTOM", "AuthorizerId": {"Ref": "Auth"}}},
      "D": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Api"}, "RouteKey": "$default"}},
      "S": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Api"}, "StageName": "$default",
        "StageVariables": {"mode": "strict"}}}}}"#;
    let api = load_str("t.json", text).unwrap();
    assert_eq!(api.kind, ApiKind::Http);
    let sources = api.authorizers[0]
        .identity_sources
        .as_ref()
        .unwrap()
        .value()
        .unwrap();
    assert_eq!(sources[1].kind, SourceKind::Context("routeKey".into()));
    assert_eq!(text_at(&api, sources[1].span), "$context.routeKey");
    assert_eq!(api.authorizers[0].ttl_seconds(ApiKind::Http), None);
    assert_eq!(
        found(&api, "GET", "/pets/a/b").unwrap().0,
        "GET /pets/{proxy+}"
    );
    assert_eq!(found(&api, "POST", "/pets/a").unwrap().0, "$default");
    assert_eq!(api.stage("$default").unwrap().variables[0].name, "mode");
    let doc = "openapi: 3.0.1\nx-amazon-apigateway-importexport-version: '1.0'\nx-amazon-apigateway-policy: {}\npaths: {}\n";
    let api = load_str("h.yaml", doc).unwrap();
    assert_eq!(api.notes[0].code, "http-api-unsupported-extension");
}
