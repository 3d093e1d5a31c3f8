//! `explain`'s library half: pasted responses (tests/explain/) parsed and explained.
//!
//! tests/explain/<scenario>/ holds each scenario of the seed guide in four forms: httpie
//! output, `curl -i` (HTTP/2, CRLF), `curl -v`, and the guide's own layout (the error type,
//! `...` for elided headers, no blank line). tests/explain/more/ holds other responses.

use std::path::{Path, PathBuf};

use policy_check::explain::{
    ApiType, Capture, Explanation, Fields, Form, MAX_CAPTURE_BYTES, MadeBy, Step,
};
use policy_check::report::{Style, explain_human, explain_json};
use policy_check::source::ErrorKind;
use proptest::prelude::*;

fn render_human(e: &Explanation) -> String {
    let mut buf = Vec::new();
    explain_human::write(e, Style::default(), &mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/explain")
}

fn load(rel: &str) -> Capture {
    let bytes = std::fs::read(dir().join(rel)).unwrap();
    Capture::parse(rel, &bytes).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn explain(rel: &str) -> Explanation {
    Explanation::of(&load(rel))
}

struct Seed {
    dir: &'static str,
    status: u16,
    error_type: Option<&'static str>,
    made_by: MadeBy,
    /// The cause the guide names: its step and words of its title.
    step: Step,
    title: &'static str,
}

const SEED: [Seed; 8] = [
    Seed {
        dir: "401-unauthorized",
        status: 401,
        error_type: Some("UnauthorizedException"),
        made_by: MadeBy::RestApi,
        step: Step::Identity,
        title: "identity source of the authorizer is missing",
    },
    Seed {
        dir: "403-forbidden-api-key",
        status: 403,
        error_type: Some("ForbiddenException"),
        made_by: MadeBy::RestApi,
        step: Step::ApiKey,
        title: "does not exist, is disabled",
    },
    Seed {
        dir: "403-explicit-deny",
        status: 403,
        error_type: Some("AccessDeniedException"),
        made_by: MadeBy::RestApi,
        step: Step::Policy,
        title: "A Deny statement in the authorizer's policy",
    },
    Seed {
        dir: "403-implicit-deny",
        status: 403,
        error_type: Some("AccessDeniedException"),
        made_by: MadeBy::RestApi,
        step: Step::Policy,
        title: "No Allow statement in the authorizer's policy",
    },
    Seed {
        dir: "403-incomplete-signature",
        status: 403,
        error_type: Some("IncompleteSignatureException"),
        made_by: MadeBy::RestApi,
        step: Step::Route,
        title: "No resource and method match",
    },
    Seed {
        dir: "403-missing-or-invalid-token",
        status: 403,
        error_type: Some("MissingAuthenticationTokenException"),
        made_by: MadeBy::RestApi,
        step: Step::Route,
        title: "No resource and method match",
    },
    Seed {
        dir: "400-missing-or-invalid-token",
        status: 400,
        error_type: None,
        made_by: MadeBy::RestApi,
        step: Step::Route,
        title: "No resource and method match",
    },
    Seed {
        dir: "cloudfront-get-with-body",
        status: 403,
        error_type: None,
        made_by: MadeBy::CloudFront,
        step: Step::Edge,
        title: "A GET or HEAD request carried a body",
    },
];

const FORMS: [&str; 4] = ["httpie.txt", "curl-i.txt", "curl-v.txt", "guide.txt"];

#[test]
fn every_seed_scenario_gives_the_guides_cause_first_in_every_form() {
    for s in &SEED {
        for form in FORMS {
            let at = format!("{}/{form}", s.dir);
            let c = load(&at);
            assert_eq!(c.status, Some(s.status), "{at}");
            assert_eq!(c.error_type.as_deref(), s.error_type, "{at}");
            // The guide's layout shows no request id: only the error type (or the body) tells.
            let made_by = match (form, s.error_type, s.made_by) {
                ("guide.txt", None, MadeBy::RestApi) => MadeBy::ApiGateway,
                _ => s.made_by,
            };
            assert_eq!(c.made_by, made_by, "{at}");
            let e = Explanation::of(&c);
            let first = e.causes.first().unwrap_or_else(|| panic!("{at}: no cause"));
            assert_eq!(first.step, s.step, "{at}: {first:?}");
            assert!(first.title.contains(s.title), "{at}: {}", first.title);
            assert!(!first.fixes.is_empty() && !first.confirm.is_empty(), "{at}");
        }
    }
}

#[test]
fn the_guides_other_causes_follow() {
    let e = explain("403-forbidden-api-key/httpie.txt");
    let titles: Vec<&str> = e.causes.iter().map(|c| c.title.as_str()).collect();
    assert!(titles[1].contains("usageIdentifierKey"), "{titles:?}");
    assert!(
        titles[2].contains("no usage plan it belongs to covers this API's stage"),
        "{titles:?}"
    );
    let e = explain("403-implicit-deny/curl-v.txt");
    assert!(
        e.causes
            .iter()
            .any(|c| c.step == Step::Cache && c.title.contains("first call works"))
    );
    // A body AWS never sends says how to find the gateway response that wrote it.
    let e = explain("400-missing-or-invalid-token/curl-i.txt");
    let gr = e
        .causes
        .iter()
        .find(|c| c.step == Step::GatewayResponse)
        .unwrap();
    assert!(
        gr.confirm[0].starts_with("aws apigateway get-gateway-responses"),
        "{gr:?}"
    );
}

#[test]
fn curl_verbose_gives_the_request() {
    let c = load("cloudfront-get-with-body/curl-v.txt");
    assert_eq!(c.form, Form::CurlVerbose);
    let r = c.request.unwrap();
    assert_eq!(r.method, "GET");
    assert_eq!(
        r.target,
        "https://abc123.execute-api.us-east-1.amazonaws.com/prod/things"
    );
    assert!(c.body.unwrap().ends_with("</BODY></HTML>"));
    let c = load("more/httpie-verbose.txt");
    assert_eq!(c.form, Form::HttpMessage);
    assert_eq!(
        c.request.unwrap().target,
        "https://abc123.execute-api.us-east-1.amazonaws.com/prod/things"
    );
    assert_eq!(
        Explanation::of(&load("more/httpie-verbose.txt")).causes[0].step,
        Step::Policy
    );
}

#[test]
fn rest_http_and_cloudfront_are_told_apart() {
    let cases = [
        (
            "403-implicit-deny/curl-i.txt",
            MadeBy::RestApi,
            Some(ApiType::Rest),
        ),
        ("more/http-404.txt", MadeBy::HttpApi, Some(ApiType::Http)),
        ("more/http-403.txt", MadeBy::HttpApi, Some(ApiType::Http)),
        (
            "more/jwt-401.txt",
            MadeBy::JwtAuthorizer,
            Some(ApiType::Http),
        ),
        (
            "cloudfront-get-with-body/curl-i.txt",
            MadeBy::CloudFront,
            None,
        ),
        // X-Cache: Error from cloudfront on API Gateway's own errors (edge endpoint).
        (
            "more/rest-implicit-deny-edge.txt",
            MadeBy::RestApi,
            Some(ApiType::Rest),
        ),
        (
            "more/rest-500-authorizer-edge.txt",
            MadeBy::RestApi,
            Some(ApiType::Rest),
        ),
    ];
    for (at, made_by, api_type) in cases {
        let c = load(at);
        assert_eq!((c.made_by, c.api_type), (made_by, api_type), "{at}");
    }
    let c = load("more/jwt-401.txt");
    assert!(
        c.notes[0].ends_with("error=\"invalid_token\" error_description=\"the token has expired\""),
        "{:?}",
        c.notes
    );
    let c = load("more/rest-implicit-deny-edge.txt");
    assert!(
        c.notes[0].contains("X-Cache: Error from cloudfront"),
        "{:?}",
        c.notes
    );
    assert!(load("cloudfront-get-with-body/curl-i.txt").notes.is_empty());
}

#[test]
fn each_kind_of_response_gets_its_cause() {
    let cases = [
        ("more/http-404.txt", Step::Route, "no $default route"),
        (
            "more/http-403.txt",
            Step::Policy,
            "Lambda authorizer denied",
        ),
        ("more/http-401.txt", Step::Identity, "identity source"),
        (
            "more/http-500.txt",
            Step::Authorizer,
            "could not be invoked",
        ),
        (
            "more/jwt-401.txt",
            Step::Authorizer,
            "JWT authorizer rejected the token",
        ),
        (
            "more/rest-500-authorizer-edge.txt",
            Step::Authorizer,
            "output is malformed",
        ),
        (
            "more/resource-policy-anonymous.txt",
            Step::ResourcePolicy,
            "Deny statement of the API's resource policy",
        ),
        ("more/throttled-429.txt", Step::ApiKey, "rate or burst"),
        ("more/timeout-504.txt", Step::Integration, "29 seconds"),
    ];
    for (at, step, title) in cases {
        let e = explain(at);
        let first = e.causes.first().unwrap_or_else(|| panic!("{at}: no cause"));
        assert_eq!(first.step, step, "{at}");
        assert!(first.title.contains(title), "{at}: {}", first.title);
    }
    // The HTTP API's 401 is not the REST one: no TOKEN regex cause.
    let e = explain("more/http-401.txt");
    assert!(
        !e.causes
            .iter()
            .any(|c| c.title.contains("identityValidationExpression"))
    );
}

#[test]
fn a_customised_status_keeps_the_error_types_cause_and_names_the_gateway_response_next() {
    let e = explain("more/customised-404.txt");
    assert_eq!(e.causes[0].step, Step::Route);
    let last = &e.causes[1];
    assert_eq!(last.step, Step::GatewayResponse);
    assert!(
        last.title.starts_with("The status is not API Gateway's default for MissingAuthenticationTokenException: the API customises the MISSING_AUTHENTICATION_TOKEN gateway response"),
        "{}",
        last.title
    );
    assert_eq!(
        last.confirm[0],
        "aws apigateway get-gateway-response --rest-api-id <api-id> --response-type MISSING_AUTHENTICATION_TOKEN"
    );
}

#[test]
fn a_har_file_gives_the_last_error_entry_or_all_of_them() {
    let c = load("more/session.har");
    assert_eq!(
        c.form,
        Form::Har {
            entry: 3,
            entries: 5
        }
    );
    assert_eq!(c.status, Some(401));
    assert_eq!(c.made_by, MadeBy::RestApi);
    assert_eq!(
        c.notes[0],
        "HAR file with 5 entries: took entry 4 (the last with an error status)"
    );
    let r = c.request.as_ref().unwrap();
    assert_eq!(
        (r.method.as_str(), r.target.as_str()),
        (
            "GET",
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod/things/3"
        )
    );
    assert_eq!(Explanation::of(&c).causes[0].step, Step::Identity);
    let bytes = std::fs::read(dir().join("more/session.har")).unwrap();
    let all = Capture::parse_all("session.har", &bytes).unwrap();
    let statuses: Vec<_> = all.iter().map(|c| c.status).collect();
    assert_eq!(statuses, [Some(403), Some(401)]);
    assert_eq!(Explanation::of(&all[0]).causes[0].step, Step::Policy);
    let e = Capture::parse("empty.har", br#"{"log": {"entries": []}}"#).unwrap_err();
    assert_eq!(e.message, "the HAR file has no entries");
}

#[test]
fn a_bare_message_or_body_is_explained() {
    let c = Capture::parse("m", b"User is not authorized to access this resource\n").unwrap();
    assert_eq!(
        (c.form, c.made_by, c.status),
        (Form::Message, MadeBy::Unknown, None)
    );
    assert_eq!(Explanation::of(&c).causes[0].step, Step::Policy);
    let c = Capture::parse("m", br#""Missing Authentication Token""#).unwrap();
    assert_eq!(Explanation::of(&c).causes[0].step, Step::Route);
    // `{"message":"Forbidden"}` alone could be a REST API key failure or an HTTP API deny.
    let c = Capture::parse("b", br#"{"message":"Forbidden"}"#).unwrap();
    assert_eq!(
        (c.form, c.made_by, c.api_type),
        (Form::JsonBody, MadeBy::ApiGateway, None)
    );
    let steps: Vec<Step> = Explanation::of(&c).causes.iter().map(|c| c.step).collect();
    assert!(
        steps.contains(&Step::ApiKey) && steps.contains(&Step::Policy),
        "{steps:?}"
    );
    // A piece of a known message is matched fuzzily, and says so.
    let c = Capture::parse("m", b"not a valid key=value pair (missing equal-sign)").unwrap();
    let e = Explanation::of(&c);
    assert_eq!(e.causes[0].step, Step::Route);
    assert!(
        e.notes.iter().any(|n| n.contains("in part")),
        "{:?}",
        e.notes
    );
}

#[test]
fn fields_are_explained() {
    let c = Capture::from_fields(Fields {
        status: Some(403),
        error_type: Some("AccessDeniedException".into()),
        body: Some(
            r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#
                .into(),
        ),
    })
    .unwrap();
    assert_eq!((c.form, c.made_by), (Form::Fields, MadeBy::RestApi));
    assert_eq!(Explanation::of(&c).causes[0].step, Step::Policy);
    let c = Capture::from_fields(Fields {
        status: Some(500),
        error_type: Some("AuthorizerConfigurationException".into()),
        body: None,
    })
    .unwrap();
    assert_eq!(Explanation::of(&c).causes[0].step, Step::Authorizer);
    assert!(
        Capture::from_fields(Fields {
            status: Some(999),
            ..Fields::default()
        })
        .is_err()
    );
}

#[test]
fn an_unknown_response_has_no_cause() {
    for c in [
        load("more/ok-200.txt"),
        Capture::parse("m", b"hello, world").unwrap(),
        // A status alone says too little.
        Capture::from_fields(Fields {
            status: Some(403),
            ..Fields::default()
        })
        .unwrap(),
    ] {
        let e = Explanation::of(&c);
        assert!(!e.found(), "{c:?} → {:?}", e.causes);
        assert!(render_human(&e).contains("No known cause"));
    }
}

#[test]
fn unreadable_input_is_an_error() {
    let cases: [(&[u8], ErrorKind); 4] = [
        (b"HTTP/1.1 403 Forbidden\n\n\xff\xfe{}", ErrorKind::Utf8),
        (
            b"HTTP/1.1 403 Forbidden\n\n\x00\x01\x02",
            ErrorKind::Invalid,
        ),
        (b" \n\r\n\t", ErrorKind::Empty),
        (b"HTTP/1.1 99999 Nope\n\n{}", ErrorKind::Invalid),
    ];
    for (bytes, kind) in cases {
        let e = Capture::parse("input", bytes).unwrap_err();
        assert_eq!(e.kind, kind, "{e}");
    }
    let e = Capture::parse("input", b"HTTP/1.1 403 Forbidden\n\n\x00").unwrap_err();
    assert_eq!(e.location().map(|l| (l.line, l.column)), Some((3, 1)));
    let huge = vec![b'a'; MAX_CAPTURE_BYTES + 1];
    assert!(
        Capture::parse("huge", &huge)
            .unwrap_err()
            .message
            .contains("larger than")
    );
}

#[test]
fn human_rendering() {
    insta::assert_snapshot!(render_human(&explain("403-implicit-deny/httpie.txt")));
}

#[test]
fn json_document() {
    let e = explain("more/rest-500-authorizer-edge.txt");
    let mut buf = Vec::new();
    explain_json::write(&e, Style::default(), &mut buf).unwrap();
    insta::assert_snapshot!(String::from_utf8(buf).unwrap());
}

proptest! {
    #[test]
    fn parsing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Capture::parse("p", &bytes).map(|c| Explanation::of(&c));
    }

    #[test]
    fn parsing_response_like_text_never_panics(
        parts in proptest::collection::vec(
            prop::sample::select(vec![
                "HTTP/1.1 403 Forbidden", "HTTP/2 401 ", "< HTTP/2 500 ", "< ", "> GET / HTTP/2",
                "x-amzn-ErrorType: AccessDeniedException:x", "apigw-requestid: a", "{\"message\":", "\"Forbidden\"}",
                "{\"log\":{\"entries\":[{\"response\":{\"status\":403}}]}}", "<TITLE>ERROR: The request could not be satisfied</TITLE>",
                "Generated by cloudfront (CloudFront)", "\n", "\r\n", "", "...", "* Connection #0 left intact", "\u{1b}[31m", "é",
            ]),
            0..30,
        )
    ) {
        let text = parts.concat();
        let _ = Capture::parse("p", text.as_bytes()).map(|c| render_human(&Explanation::of(&c)));
    }
}
