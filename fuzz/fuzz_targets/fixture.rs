//! Fixture files: parse, then run every case against an inline output.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::Source;
use policy_check::fixture::{Fixture, OutputRef, run_case};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = Source::from_bytes("fuzz.test.json", data.to_vec()) else {
        return;
    };
    let Ok(fixture) = Fixture::parse(source) else {
        return;
    };
    // Only inline outputs: a path in fuzz input must not make the fuzzer read files.
    if !matches!(fixture.output, OutputRef::Inline(_)) {
        return;
    }
    let Ok(checked) = fixture.load_output(std::path::Path::new("/nonexistent")) else {
        return;
    };
    for case in &fixture.cases {
        let _ = run_case(&checked, case);
    }
});
