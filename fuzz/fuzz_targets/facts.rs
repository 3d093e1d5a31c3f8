//! Facts files (`--facts`): parse, then answer a few requests through the pipeline over the
//! example REST API with those facts (API keys, stage variables, endpoint type, account).
//! Errors are rendered, to check they draw; panics and hangs are bugs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::Source;
use policy_check::apidef::{self, ApiModel};
use policy_check::pipeline::{self, AuthorizerBehaviour, Cache, Facts, HttpRequest};
use policy_check::report::{Style, render};
use std::sync::OnceLock;

fn api() -> &'static ApiModel {
    static API: OnceLock<ApiModel> = OnceLock::new();
    API.get_or_init(|| {
        let text = include_str!("../../examples/api/openapi-rest.json");
        apidef::load(Source::new("openapi-rest.json", text), None).expect("the example loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let facts = match Source::from_bytes("facts.json", data.to_vec()).and_then(Facts::from_source) {
        Ok(f) => f,
        Err(e) => {
            let _ = render(&e, Style::default());
            return;
        }
    };
    let keys: Vec<String> = facts
        .api_keys
        .iter()
        .flatten()
        .take(2)
        .map(|k| k.value.clone())
        .chain(["unknown-key".to_string()])
        .collect();
    for key in &keys {
        for (method, path) in [("GET", "/things"), ("POST", "/things/42"), ("GET", "/nope")] {
            let mut req = HttpRequest::new(method, path)
                .header("Authorization", "Bearer t")
                .header("x-api-key", key);
            req.stage = Some("prod".into());
            if let Ok(out) = pipeline::run(
                api(),
                &req,
                &facts,
                &AuthorizerBehaviour::Unknown,
                &mut Cache::new(),
            ) {
                serde_json::to_string(&out).expect("the outcome serializes");
            }
        }
    }
});
