//! ARNs and requests: `MethodArn` parsing, `Request::from_arn`, `Request::new` with pins.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::{MethodArn, Part, Request};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(arn) = text.parse::<MethodArn>() {
        // A parsed ARN prints back as itself, and its length is the one reported.
        assert_eq!(arn.to_string(), text);
        // A MethodArn is a request unless --arn refuses it on purpose (a verb without a
        // path, a wildcard, whitespace).
        if let Ok(r) = Request::from_arn(text) {
            assert_eq!(r.arn_len_at_least(), text.len());
            assert_eq!(r.arn().expect("every part pinned").to_string(), text);
        }
    }
    // METHOD PATH with pins taken from the rest of the text.
    let mut fields = text.split('\n');
    let (method, path) = (fields.next().unwrap_or(""), fields.next().unwrap_or("/"));
    let mut r = Request::new(method, path);
    for (part, value) in Part::ALL.into_iter().zip(fields) {
        r = r.with(part, value);
    }
    let _ = r.validate();
    let _ = r.arn_display();
    if let Some(arn) = r.arn() {
        assert_eq!(arn.to_string().len(), r.arn_len_at_least());
    }
});
