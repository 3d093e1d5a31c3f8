//! Authorizer output (every input kind) → evaluation of pinned and unpinned requests →
//! human and JSON reports. Any panic is a bug; errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::report::{CheckReport, Style, human, json, render};
use policy_check::{Checked, InputKind, Request};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the input kind and the request; the rest is the file.
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let kind = [InputKind::Auto, InputKind::Policy, InputKind::Rest, InputKind::Http]
        [usize::from(pick & 3)];
    let checked = match Checked::from_bytes("fuzz.json", bytes.to_vec(), kind) {
        Ok(c) => c,
        Err(e) => {
            let _ = render(&e, Style::default());
            return;
        }
    };
    let base = Request::new("GET", "/things");
    let requests = [
        base.clone().pin_defaults(),
        // Stage unpinned, then everything unpinned.
        base.clone()
            .partition("aws")
            .region("us-east-1")
            .account("123456789012")
            .api_id("abc123"),
        if pick & 4 == 0 { base } else { Request::new("POST", "/a/b/c") },
    ];
    for request in &requests {
        let Ok(eval) = checked.evaluate(request) else {
            continue;
        };
        let report = CheckReport {
            checked: &checked,
            request,
            eval: &eval,
            expect: None,
        };
        let text = human::render_check(&report, Style::default());
        assert!(!text.is_empty());
        let doc = json::build(&report);
        serde_json::to_string(&doc).expect("the JSON report serializes");
    }
});
