//! The one-pass JSON parser against serde_json, the arbiter: a text parses exactly when
//! serde_json parses it as a `Value`, and a refused text carries serde_json's message. The
//! fuzz profile keeps debug assertions, so `Document::parse` also re-checks every text it
//! accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::{Document, Source};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let serde = serde_json::from_str::<serde_json::Value>(text);
    match (serde, Document::parse(Source::new("fuzz.json", text))) {
        (Ok(_), Ok(_)) => {}
        (Err(e), Err(ours)) => {
            let theirs = e.to_string();
            let theirs = theirs.rsplit_once(" at line ").map_or(&*theirs, |(m, _)| m);
            assert_eq!(ours.message, format!("not valid JSON: {theirs}"));
        }
        (Ok(_), Err(e)) => panic!("refused what serde_json takes: {e}"),
        (Err(e), Ok(_)) => panic!("took what serde_json refuses: {e}"),
    }
});
