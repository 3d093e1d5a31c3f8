//! A small Rust authorizer built on aws_lambda_events types, unit-tested with policy-check's
//! library API: the way a Rust team would test its own authorizer.

use aws_lambda_events::apigw::{
    ApiGatewayCustomAuthorizerPolicy, ApiGatewayCustomAuthorizerRequest,
    ApiGatewayCustomAuthorizerResponse,
};
use aws_lambda_events::iam::{IamPolicyEffect, IamPolicyStatement};
use policy_check::{Checked, Decision, Request};

/// The authorizer under test: admins may do anything on their stage, readers may GET, and
/// everybody is refused DELETE on /audit. Policies cover the whole stage so that API
/// Gateway's policy cache (keyed by token) stays correct across routes.
fn authorizer(req: &ApiGatewayCustomAuthorizerRequest) -> ApiGatewayCustomAuthorizerResponse {
    let token = req.authorization_token.clone().unwrap_or_default();
    let method_arn = req.method_arn.clone().unwrap_or_default();
    // arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH → keep up to the stage.
    let stage_prefix: String = {
        let (head, resource) = method_arn.rsplit_once(':').unwrap_or(("", ""));
        let mut parts = resource.splitn(3, '/');
        let api = parts.next().unwrap_or("");
        let stage = parts.next().unwrap_or("");
        format!("{head}:{api}/{stage}")
    };
    let statement = |effect: IamPolicyEffect, resource: String| IamPolicyStatement {
        action: vec!["execute-api:Invoke".to_string()],
        effect,
        resource: vec![resource],
        condition: None,
    };
    let mut statements = match token.as_str() {
        "admin" => vec![statement(
            IamPolicyEffect::Allow,
            format!("{stage_prefix}/*/*"),
        )],
        "reader" => vec![statement(
            IamPolicyEffect::Allow,
            format!("{stage_prefix}/GET/*"),
        )],
        _ => vec![],
    };
    statements.push(statement(
        IamPolicyEffect::Deny,
        format!("{stage_prefix}/DELETE/audit*"),
    ));
    ApiGatewayCustomAuthorizerResponse {
        principal_id: Some(format!("user-{token}")),
        policy_document: ApiGatewayCustomAuthorizerPolicy {
            version: Some("2012-10-17".to_string()),
            statement: statements,
        },
        context: serde_json::json!({"role": token}),
        usage_identifier_key: None,
    }
}

const METHOD_ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things";

fn output_for(token: &str) -> Checked {
    let req = ApiGatewayCustomAuthorizerRequest {
        type_: Some("TOKEN".to_string()),
        authorization_token: Some(token.to_string()),
        method_arn: Some(METHOD_ARN.to_string()),
    };
    Checked::from_serialize(&authorizer(&req)).expect("the response serializes to valid JSON")
}

fn on_prod(method: &str, path: &str) -> Request {
    Request::new(method, path)
        .partition("aws")
        .region("us-east-1")
        .account("123456789012")
        .api_id("abc123")
        .stage("prod")
}

#[test]
fn readers_can_get_but_not_post() {
    let out = output_for("reader");
    out.assert_allows(&on_prod("GET", "/things/42"));
    out.assert_denies(&on_prod("POST", "/things"));
    assert_eq!(
        out.decision(&on_prod("POST", "/things")),
        Some(Decision::ImplicitDeny)
    );
}

#[test]
fn the_cached_policy_covers_other_routes_of_the_stage() {
    // The policy was produced for GET /things; API Gateway reuses it for other routes.
    let out = output_for("admin");
    out.assert_allows(&on_prod("PUT", "/orders/7"));
    out.assert_denies(&on_prod("GET", "/things").stage("dev"));
}

#[test]
fn nobody_deletes_the_audit_log() {
    for token in ["admin", "reader", "stranger"] {
        let out = output_for(token);
        let eval = out.assert_denies(&on_prod("DELETE", "/audit/2024"));
        if token != "stranger" {
            assert_eq!(eval.decision, Decision::ExplicitDeny);
            assert_eq!(eval.deciding[0].statement, 1);
        }
    }
}

#[test]
fn a_typed_condition_none_is_not_serialized_as_null() {
    // aws_lambda_events skips `condition: None`; a `"Condition": null` would be a 500.
    let out = output_for("reader");
    assert!(!out.document.source.text().contains("Condition"));
    assert!(!out.authorizer.is_malformed());
}

#[test]
fn a_failed_assertion_panics_with_the_explanation() {
    let out = output_for("reader");
    let panic = std::panic::catch_unwind(|| {
        out.assert_allows(&on_prod("DELETE", "/audit/1"));
    })
    .expect_err("the assertion fails");
    let message = panic
        .downcast_ref::<String>()
        .expect("a formatted panic message");
    assert!(message.contains("expected allow for arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/audit/1, got explicit deny"));
    assert!(message.contains("statement 1 denies DELETE /audit/1"));
    assert!(message.contains("╭─[<value>:"));
}

#[test]
fn from_value_and_simple_responses() {
    let simple = serde_json::json!({"isAuthorized": false, "context": {"reason": "expired"}});
    let out = Checked::from_value(&simple).unwrap();
    out.assert_denies(&Request::new("GET", "/anything"));
}
