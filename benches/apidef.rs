//! API-definition benchmarks (`cargo bench --bench apidef`), from issue 9: a generated REST
//! export with 5,000 resources × 3 methods. Routing one request must cost little next to
//! reading the file (target: parse + route under 3× parse), and a lookup grows with the
//! path's depth, not with the number of routes.

use policy_check::Source;
use policy_check::apidef::{self, RouteMatch, Router};

fn main() {
    divan::main();
}

/// An OpenAPI export: `/r{i}/{id}` with GET, PUT and DELETE behind one TOKEN authorizer.
fn definition(resources: usize) -> String {
    let op = r#"{"security": [{"tok": []}], "x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST", "uri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:f/invocations"}}"#;
    let paths: Vec<String> = (0..resources)
        .map(|i| format!(r#""/r{i}/{{id}}": {{"get": {op}, "put": {op}, "delete": {op}}}"#))
        .collect();
    format!(
        r#"{{"openapi": "3.0.1", "paths": {{{}}}, "components": {{"securitySchemes": {{"tok": {{"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authorizer": {{"type": "token", "authorizerResultTtlInSeconds": 300}}}}}}}}}}"#,
        paths.join(", ")
    )
}

/// serde_json alone reading the text: the floor.
#[divan::bench(args = [5000])]
fn json_parse_only(bencher: divan::Bencher, n: usize) {
    let text = definition(n);
    bencher.bench(|| serde_json::from_str::<serde_json::Value>(divan::black_box(&text)).unwrap());
}

/// Reading the definition into the model (spans, authorizers, routes).
#[divan::bench(args = [5000])]
fn load(bencher: divan::Bencher, n: usize) {
    let text = definition(n);
    bencher.bench(|| {
        apidef::load(
            Source::new("api.json", divan::black_box(text.clone())),
            None,
        )
        .unwrap()
    });
}

/// Reading, building the trie and routing one request: what `request` does per call.
#[divan::bench(args = [5000])]
fn load_and_route_one(bencher: divan::Bencher, n: usize) {
    let text = definition(n);
    bencher.bench(|| {
        let api = apidef::load(
            Source::new("api.json", divan::black_box(text.clone())),
            None,
        )
        .unwrap();
        let router = Router::new(&api);
        assert!(matches!(
            router.find("PUT", "/r4999/42"),
            RouteMatch::Found(_)
        ));
    });
}

/// One lookup in a built table: flat in the number of routes.
#[divan::bench(args = [500, 5000])]
fn route_one(bencher: divan::Bencher, n: usize) {
    let api = apidef::load(Source::new("api.json", definition(n)), None).unwrap();
    let router = Router::new(&api);
    let path = format!("/r{}/42", n - 1);
    bencher.bench(|| router.find("PUT", divan::black_box(&path)));
}
