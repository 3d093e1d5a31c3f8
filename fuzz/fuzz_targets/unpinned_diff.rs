//! Differential: the unpinned analysis against pinned evaluation. Every case's example
//! value, pinned, must evaluate to that case's decision; a uniform answer must hold when
//! the stage is pinned to any value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::{Checked, Decision, Part, Request};

fn base() -> Request {
    Request::new("GET", "/x")
        .partition("aws")
        .region("us-east-1")
        .account("123456789012")
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Lines "A pattern" / "D pattern": statements for api-id/stage patterns.
    let statements: Vec<String> = text
        .lines()
        .take(8)
        .filter_map(|l| {
            let (effect, tail) = match l.split_at_checked(1)? {
                ("A", t) => ("Allow", t),
                ("D", t) => ("Deny", t),
                _ => return None,
            };
            let resource = format!("arn:aws:execute-api:us-east-1:123456789012:{tail}");
            Some(
                serde_json::json!({"Effect": effect, "Action": "execute-api:Invoke", "Resource": resource})
                    .to_string(),
            )
        })
        .collect();
    if statements.is_empty() {
        return;
    }
    let policy = format!(r#"{{"Statement":[{}]}}"#, statements.join(","));
    let Ok(checked) = Checked::from_str("fuzz.json", &policy) else {
        return;
    };
    let open = base();
    let Ok(eval) = checked.evaluate(&open) else {
        return; // too intricate: a clear answer, not a wrong one
    };
    let pinned = |example: &[(Part, String)]| {
        let mut r = base();
        for (part, value) in example {
            r = r.with(*part, value);
        }
        checked
            .evaluate(&r)
            .expect("a pinned request is answered")
            .decision
    };
    if eval.decision == Decision::Depends {
        for case in &eval.cases {
            assert_eq!(
                pinned(&case.example),
                case.decision,
                "case {} with example {:?}",
                case.describe(),
                case.example
            );
        }
    } else {
        for v in ["abc123", "prod", "x", "a-b_c"] {
            let example = [(Part::ApiId, v.to_string()), (Part::Stage, v.to_string())];
            assert_eq!(pinned(&example), eval.decision, "{v}");
        }
    }
});
