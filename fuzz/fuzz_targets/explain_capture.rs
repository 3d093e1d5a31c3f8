//! `explain`: arbitrary bytes as a pasted response (curl, httpie, HAR, a body or a message),
//! matched against the catalog and printed in both formats. Nothing may panic, and an
//! explanation always prints.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::explain::{Capture, Explanation};
use policy_check::report::{Style, explain_human, explain_json};

fuzz_target!(|data: &[u8]| {
    let Ok(captures) = Capture::parse_all("fuzz.txt", data) else {
        return;
    };
    let first = Capture::parse("fuzz.txt", data).expect("parse_all accepted these bytes");
    for capture in std::iter::once(first).chain(captures) {
        let explanation = Explanation::of(&capture);
        let mut out = Vec::new();
        explain_human::write(&explanation, Style::default(), &mut out).expect("writes to a Vec");
        let text = String::from_utf8(out).expect("the report is UTF-8");
        // Decoded text is escaped: no raw escape character reaches a terminal.
        assert!(!text.contains('\u{1b}'));
        let mut out = Vec::new();
        explain_json::write(&explanation, Style::default(), &mut out).expect("writes to a Vec");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("the document is JSON");
        assert_eq!(v["schema_version"], 1);
        assert_eq!(
            v["causes"].as_array().map(Vec::len),
            Some(explanation.causes.len())
        );
    }
});
