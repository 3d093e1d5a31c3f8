//! API definitions (OpenAPI / Swagger, CloudFormation, SAM; JSON and YAML) through
//! `apidef::load`, then the route table, the router and a few requests through the whole
//! pipeline with the authorizer's behaviour unknown. Errors are fine (rendered, to check
//! they draw); panics and hangs are not. The first byte picks the file name (`.json` holds
//! `{…}` to strict JSON, any other name falls back to YAML) and the API a template names.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::Source;
use policy_check::apidef::{self, Router};
use policy_check::pipeline::{self, AuthorizerBehaviour, Cache, Facts, HttpRequest};
use policy_check::report::{Style, render};

/// A concrete path for a route template: `{id}` → `x`, `{proxy+}` → `a/b`.
fn concrete(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                let name = &rest[open + 1..open + close];
                out.push_str(if name.ends_with('+') { "a/b" } else { "x" });
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = ["api.json", "template.yaml", "openapi.yml", "api"][usize::from(pick & 3)];
    let api_name = (pick & 4 != 0).then_some("Api");
    let source = match Source::from_bytes(name, bytes.to_vec()) {
        Ok(s) => s,
        Err(e) => {
            let _ = render(&e, Style::default());
            return;
        }
    };
    let api = match apidef::load(source, api_name) {
        Ok(api) => api,
        Err(e) => {
            let _ = render(&e, Style::default());
            return;
        }
    };
    let rows = apidef::routes(&api);
    let router = Router::new(&api);
    let mut requests: Vec<HttpRequest> = rows
        .iter()
        .take(4)
        .map(|r| {
            let method = if r.method == "ANY" {
                "GET"
            } else {
                r.method.as_str()
            };
            let path = if r.path == "$default" {
                "/".to_string()
            } else {
                concrete(&r.path)
            };
            let _ = router.find(method, &path);
            HttpRequest::new(method, &path)
        })
        .collect();
    requests.push(HttpRequest::new("GET", "/no/such/route"));
    requests.push(HttpRequest::new("OPTIONS", "/"));
    let stage = api.stages.first().and_then(|s| s.name.value().cloned());
    for mut req in requests {
        req.stage = stage.clone().or(Some("prod".into()));
        let req = req
            .header("Authorization", "Bearer t")
            .header("x-api-key", "k");
        let out = pipeline::run(
            &api,
            &req,
            &Facts::default(),
            &AuthorizerBehaviour::Unknown,
            &mut Cache::new(),
        );
        if let Ok(out) = out {
            serde_json::to_string(&out).expect("the outcome serializes");
            let _ = out.exit_code();
        }
    }
});
