//! `.policy-check.toml`: parse, then ask it about rules, Sids and paths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::config::Config;
use policy_check::lint::RULES;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(".policy-check.toml", text, Path::new("/base")) {
        Ok(c) => {
            for rule in RULES {
                let _ = c.level(rule);
            }
            let _ = c.ignores_sid("LegacyAllow");
            let _ = c.ignores_path(Path::new("/base/gen/a.json"));
        }
        Err(e) => {
            let _ = policy_check::report::render(
                &policy_check::report::config_error(&e),
                Default::default(),
            );
        }
    }
});
