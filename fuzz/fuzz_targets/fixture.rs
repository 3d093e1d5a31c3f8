//! Fixture files: parse, run every case against an inline output, then every printer of a
//! test run: human, JSON and JUnit. The JUnit XML must be well-formed (checked with a real
//! XML parser) and the JSON must parse, whatever the names and pins. Input:
//! `NAME\0FIXTURE` (or just a fixture).
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::Source;
use policy_check::fixture::run::{FileRun, FixtureRun, LintConfig, run_fixture};
use policy_check::fixture::{Fixture, OutputRef};
use policy_check::report::{Style, junit, test_human, test_json};

fn file_run(name: &str, bytes: &[u8]) -> Option<FileRun> {
    let fixture = match Source::from_bytes(name, bytes.to_vec()).and_then(Fixture::parse) {
        Ok(f) => f,
        Err(e) => {
            return Some(FileRun {
                file: name.to_string(),
                checked: None,
                cases: Vec::new(),
                error: Some(e),
            });
        }
    };
    // Only inline outputs: a path in fuzz input must not make the fuzzer read files.
    if !matches!(fixture.output, OutputRef::Inline(_)) {
        return None;
    }
    let dir = std::path::Path::new("/nonexistent");
    Some(run_fixture(
        name.to_string(),
        &fixture,
        dir,
        &LintConfig::Default,
    ))
}

fuzz_target!(|data: &[u8]| {
    let (name, bytes) = policy_check_fuzz::named(data, "fuzz.test.json");
    let Some(file) = file_run(&name, bytes) else {
        return;
    };
    let run = FixtureRun { files: vec![file] };
    let style = Style::default();

    let mut human = Vec::new();
    test_human::write(&run, style, &mut human).unwrap();
    String::from_utf8(human).expect("the human report is UTF-8");

    let mut json = Vec::new();
    test_json::write(&run, style, &mut json).unwrap();
    serde_json::from_slice::<serde_json::Value>(&json).expect("the test JSON parses");

    let mut xml = Vec::new();
    junit::write(&run, style, &mut xml).unwrap();
    let xml = String::from_utf8(xml).expect("JUnit XML is UTF-8");
    if let Err(e) = roxmltree::Document::parse(&xml) {
        panic!("JUnit XML is not well-formed: {e}\n{xml}");
    }
});
