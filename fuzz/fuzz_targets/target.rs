//! Request targets: `METHOD\nTARGET` where TARGET is a path or an invoke URL, through
//! `Request::from_target` (the CLI's check) and `HttpRequest::from_target` (`request`).
//! Invariants: a request's rendered ARN is as long as `arn_len_at_least` says once every part
//! is pinned, parses back as the same ARN and is accepted by `Request::from_arn` as the same
//! request; both readers of an invoke URL agree on its API id, region, stage and path.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::pipeline::HttpRequest;
use policy_check::{MethodArn, Part, Request};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (method, target) = text.split_once('\n').unwrap_or(("GET", text));
    let Ok(r) = Request::from_target(method, target) else {
        return;
    };
    let _ = r.arn_display();
    if r.validate().is_err() {
        return;
    }
    // Pin whatever the target left open.
    let mut pinned = r.clone();
    for (part, value) in
        Part::ALL
            .into_iter()
            .zip(["aws", "us-east-1", "123456789012", "abc123", "prod"])
    {
        if pinned.get(part).is_none() {
            pinned = pinned.with(part, value);
        }
    }
    let arn = pinned.arn().expect("every part is pinned");
    let rendered = arn.to_string();
    assert_eq!(rendered.len(), pinned.arn_len_at_least(), "{rendered}");
    assert!(r.arn_len_at_least() <= rendered.len());
    // Paths are opaque: a wildcard, whitespace or a control character in one is evaluated as
    // given, but no request ARN holds them, so `--arn` refuses them on purpose. Any other
    // request's ARN parses back as the same request.
    if !rendered.contains(['*', '?'])
        && !rendered
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        let parsed: MethodArn = rendered.parse().expect("a request's ARN parses");
        assert_eq!(parsed, arn);
        let again = Request::from_arn(&rendered).expect("a request's ARN is a request");
        assert_eq!(again.arn(), Some(arn));
        assert_eq!(again.method(), pinned.method());
        assert_eq!(again.path(), pinned.path());
    }
    // The pipeline's reader of the same target.
    if let Ok(h) = HttpRequest::from_target(method, target) {
        if target.starts_with("https://") || target.starts_with("http://") {
            assert_eq!(h.stage.as_deref(), r.get(Part::Stage), "stage of {target}");
            assert_eq!(
                h.api_id.as_deref().map(str::to_ascii_lowercase).as_deref(),
                r.get(Part::ApiId),
                "api id of {target}"
            );
            assert_eq!(
                h.region.as_deref().map(str::to_ascii_lowercase).as_deref(),
                r.get(Part::Region),
                "region of {target}"
            );
        }
        assert_eq!(Some(h.path.as_str()), r.path(), "path of {target}");
    }
});
