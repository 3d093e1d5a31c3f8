//! Authorizer output (every input kind) → evaluation of pinned and unpinned requests →
//! the human and JSON printers (and the JSON error document when it cannot answer). Any panic is
//! a bug; errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::report::{CheckReport, Style, error_json, human, json, render};
use policy_check::{Checked, InputKind, Request};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the input kind and the request; the rest is the file.
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let kind = [
        InputKind::Auto,
        InputKind::Policy,
        InputKind::Rest,
        InputKind::Http,
    ][usize::from(pick & 3)];
    let checked = match Checked::from_bytes("fuzz.json", bytes.to_vec(), kind) {
        Ok(c) => c,
        Err(e) => {
            let _ = render(&e, Style::default());
            let mut doc = Vec::new();
            error_json::write(&e, &mut doc).unwrap();
            serde_json::from_slice::<Value>(&doc).expect("the JSON error document parses");
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
        if pick & 4 == 0 {
            base
        } else {
            Request::new("POST", "/a/b/c")
        },
    ];
    for request in &requests {
        let Ok(eval) = checked.evaluate(request) else {
            continue;
        };
        let lint = policy_check::report::bearing(&checked, &eval);
        let report = CheckReport {
            checked: &checked,
            request,
            eval: &eval,
            expect: None,
            lint: &lint,
        };
        let mut text = Vec::new();
        human::write(&report, Style::default(), &mut text).unwrap();
        let text = String::from_utf8(text).expect("the human report is UTF-8");
        assert!(!text.is_empty());
        // Snippets are windows and labels are few: the report does not amplify its input
        // (a 10 MB Resource once gave 55 MB).
        assert!(
            text.len() <= 64 * 1024 + 2 * bytes.len(),
            "{} bytes of report for {} bytes of input",
            text.len(),
            bytes.len()
        );
        let mut doc = Vec::new();
        json::write(&report, Style::default(), &mut doc).unwrap();
        serde_json::from_slice::<Value>(&doc).expect("the JSON report parses");
    }
});
