//! Lint of a document: every rule, and every finding rendered (human and JSON).
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::report::{Style, json, render};
use policy_check::{Checked, InputKind, lint};

fuzz_target!(|data: &[u8]| {
    let Ok(checked) = Checked::from_bytes("fuzz.json", data.to_vec(), InputKind::Auto) else {
        return;
    };
    for finding in lint::lint_default(&checked) {
        let _ = render(&finding.diag(&checked.document), Style::default());
        let plain = finding.plain_diag(&checked.document);
        let doc = json::diagnostic(&plain, &checked.document.source);
        serde_json::to_string(&doc).expect("a finding serializes");
    }
});
