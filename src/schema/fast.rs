//! A hand-written "surely valid" check of the bundled schema, so that a valid output (the
//! common case: every clean fixture, every `lint_clean`) is answered without compiling the
//! schema.
//!
//! Why by hand: compiling the schema with jsonschema costs ~1.5 ms of one-time start-up in
//! each process (its meta-schemas are parsed and compiled to validate ours first, and the
//! crate offers no public way to skip that), three quarters of a short command's whole
//! start-up budget. This check only ever says "valid" or "not sure": anything it does not
//! vouch for goes to jsonschema, which stays the arbiter and writes every message. It must
//! never say "valid" where jsonschema would not; debug builds (every test and fuzz run)
//! re-check each such answer against jsonschema, and `tests/it/schema_fast.rs` compares the
//! two on generated documents.
//!
//! Each function mirrors one `$defs` entry of `schemas/authorizer-response.schema.json`.
//! Every member of an object is checked, duplicates included (stricter than the last-wins
//! value jsonschema sees, so only ever on the safe side).

use crate::source::{Json, Member, Node};

/// Whether the schema surely accepts `root`: `false` means "ask jsonschema".
pub(crate) fn surely_valid(root: &Node) -> bool {
    let Json::Object(members) = &root.value else {
        return false;
    };
    let has = |key: &str| members.iter().any(|m| m.key.value == key);
    if has("isAuthorized") {
        http_simple_response(members)
    } else if [
        "principalId",
        "policyDocument",
        "usageIdentifierKey",
        "context",
    ]
    .into_iter()
    .any(has)
    {
        rest_response(members)
    } else {
        policy_document(root)
    }
}

/// `#/$defs/httpSimpleResponse`.
fn http_simple_response(members: &[Member]) -> bool {
    members.iter().all(|m| match m.key.value.as_str() {
        "isAuthorized" => matches!(m.value.value, Json::Bool(_)),
        "context" => matches!(m.value.value, Json::Object(_) | Json::Null),
        _ => false,
    })
}

/// `#/$defs/restResponse`.
fn rest_response(members: &[Member]) -> bool {
    let has = |key: &str| members.iter().any(|m| m.key.value == key);
    has("principalId")
        && has("policyDocument")
        && members.iter().all(|m| match m.key.value.as_str() {
            "principalId" => scalar(&m.value),
            "policyDocument" => policy_document(&m.value),
            "context" => match &m.value.value {
                Json::Null => true,
                Json::Object(values) => {
                    values.iter().all(|v| scalar(&v.value) || v.value.is_null())
                }
                _ => false,
            },
            "usageIdentifierKey" => string(&m.value),
            _ => false,
        })
}

/// `#/$defs/policyDocument`.
fn policy_document(node: &Node) -> bool {
    let Json::Object(members) = &node.value else {
        return false;
    };
    members.iter().any(|m| m.key.value == "Statement")
        && members.iter().all(|m| match m.key.value.as_str() {
            "Version" => matches!(m.value.as_str(), Some("2012-10-17" | "2008-10-17")),
            "Id" => string(&m.value),
            "Statement" => match &m.value.value {
                Json::Array(items) => items.iter().all(statement),
                Json::Object(_) => statement(&m.value),
                _ => false,
            },
            _ => false,
        })
}

/// `#/$defs/statement`.
fn statement(node: &Node) -> bool {
    let Json::Object(members) = &node.value else {
        return false;
    };
    let has = |key: &str| members.iter().any(|m| m.key.value == key);
    has("Effect")
        && has("Action") != has("NotAction")
        && has("Resource") != has("NotResource")
        && members.iter().all(|m| match m.key.value.as_str() {
            "Sid" => string(&m.value),
            "Effect" => matches!(m.value.as_str(), Some("Allow" | "Deny")),
            "Action" | "NotAction" | "Resource" | "NotResource" => string_or_strings(&m.value),
            "Condition" => matches!(m.value.value, Json::Object(_)),
            "Principal" | "NotPrincipal" => true,
            _ => false,
        })
}

/// `#/$defs/stringOrStrings`.
fn string_or_strings(node: &Node) -> bool {
    match &node.value {
        Json::String(_) => true,
        Json::Array(items) => items.iter().all(string),
        _ => false,
    }
}

fn string(node: &Node) -> bool {
    matches!(node.value, Json::String(_))
}

/// A string, number or boolean.
fn scalar(node: &Node) -> bool {
    matches!(
        node.value,
        Json::String(_) | Json::Number(_) | Json::Bool(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Document, Source};
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// Values of every JSON type, including the ones the schema asks for.
    fn any_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(json!(null)),
            Just(json!(true)),
            Just(json!(7)),
            Just(json!("Allow")),
            Just(json!("Deny")),
            Just(json!("allow")),
            Just(json!("2012-10-17")),
            Just(json!("2008-10-17")),
            Just(json!("arn:aws:execute-api:*")),
            Just(json!([])),
            Just(json!(["a", "b"])),
            Just(json!(["a", 1])),
            Just(json!({})),
            Just(json!({"k": "v", "n": null})),
            Just(json!({"k": []})),
        ]
    }

    /// An object whose keys come from `keys` (each at most once), with values from `value`.
    fn object(
        keys: &'static [&'static str],
        value: impl Strategy<Value = Value>,
    ) -> impl Strategy<Value = Value> {
        proptest::collection::vec((0..keys.len(), value), 0..keys.len() + 1).prop_map(
            move |pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (keys[k].into(), v))
                        .collect(),
                )
            },
        )
    }

    /// `base` with at most one key of `keys` set to any value or removed: valid documents
    /// and their nearest invalid neighbours, where a wrong fast check would show.
    fn mutated(
        base: impl Strategy<Value = Value>,
        keys: &'static [&'static str],
    ) -> impl Strategy<Value = Value> {
        let change = proptest::option::of((0..keys.len(), proptest::option::of(any_value())));
        (base, change).prop_map(move |(mut v, change)| {
            if let (Value::Object(map), Some((k, value))) = (&mut v, change) {
                match value {
                    Some(x) => map.insert(keys[k].into(), x),
                    None => map.remove(keys[k]),
                };
            }
            v
        })
    }

    fn statement() -> impl Strategy<Value = Value> {
        const KEYS: &[&str] = &[
            "Sid",
            "Effect",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Condition",
            "Principal",
            "NotPrincipal",
            "Extra",
        ];
        let strings = || prop_oneof![Just(json!("a")), Just(json!(["a", "b"])), Just(json!([]))];
        let valid = (
            prop_oneof![Just("Allow"), Just("Deny")],
            prop_oneof![Just("Action"), Just("NotAction")],
            strings(),
            prop_oneof![Just("Resource"), Just("NotResource")],
            strings(),
            any::<[bool; 3]>(),
        )
            .prop_map(
                |(effect, action, a, resource, r, [sid, condition, principal])| {
                    let mut m = serde_json::Map::new();
                    m.insert("Effect".into(), json!(effect));
                    m.insert(action.into(), a);
                    m.insert(resource.into(), r);
                    if sid {
                        m.insert("Sid".into(), json!("S1"));
                    }
                    if condition {
                        m.insert("Condition".into(), json!({"StringEquals": {}}));
                    }
                    if principal {
                        m.insert("Principal".into(), json!("*"));
                    }
                    Value::Object(m)
                },
            );
        prop_oneof![mutated(valid, KEYS), object(KEYS, any_value())]
    }

    fn policy() -> impl Strategy<Value = Value> {
        const KEYS: &[&str] = &["Version", "Id", "Statement", "Extra"];
        let statements = prop_oneof![
            statement(),
            proptest::collection::vec(statement(), 0..3).prop_map(Value::Array),
        ];
        let valid = (statements, any::<[bool; 2]>()).prop_map(|(st, [version, id])| {
            let mut m = serde_json::Map::new();
            m.insert("Statement".into(), st);
            if version {
                m.insert("Version".into(), json!("2012-10-17"));
            }
            if id {
                m.insert("Id".into(), json!("P"));
            }
            Value::Object(m)
        });
        mutated(valid, KEYS)
    }

    fn document() -> impl Strategy<Value = Value> {
        const KEYS: &[&str] = &[
            "isAuthorized",
            "principalId",
            "policyDocument",
            "context",
            "usageIdentifierKey",
            "Version",
            "Statement",
            "Extra",
        ];
        let rest = (policy(), any::<[bool; 2]>()).prop_map(|(policy, [context, key])| {
            let mut m = serde_json::Map::new();
            m.insert("principalId".into(), json!("user"));
            m.insert("policyDocument".into(), policy);
            if context {
                m.insert(
                    "context".into(),
                    json!({"s": "v", "n": 1, "b": false, "z": null}),
                );
            }
            if key {
                m.insert("usageIdentifierKey".into(), json!("k"));
            }
            Value::Object(m)
        });
        let http = any::<[bool; 2]>().prop_map(|[allowed, context]| {
            let mut m = serde_json::Map::new();
            m.insert("isAuthorized".into(), json!(allowed));
            if context {
                m.insert("context".into(), json!({"k": ["any"]}));
            }
            Value::Object(m)
        });
        prop_oneof![
            mutated(rest, KEYS),
            mutated(http, KEYS),
            policy(),
            object(KEYS, prop_oneof![2 => policy(), 3 => any_value()]),
            any_value(),
        ]
    }

    fn agree(value: &Value) {
        let text = value.to_string();
        let doc = Document::parse(Source::new("x.json", text.as_str())).unwrap();
        let fast = surely_valid(&doc.root);
        let slow = super::super::validator().is_valid(value);
        // No duplicate keys here, so the two must agree exactly: a "not sure" on a valid
        // document would be a missed fast path, a "valid" on an invalid one a wrong answer.
        assert_eq!(fast, slow, "{text}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn the_fast_check_agrees_with_jsonschema(value in document()) {
            agree(&value);
        }
    }

    #[test]
    fn it_vouches_for_the_usual_shapes() {
        for text in [
            r#"{"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": ["arn:aws:execute-api:*"]}]}, "context": {"n": 1, "b": true, "z": null}, "usageIdentifierKey": "k"}"#,
            r#"{"isAuthorized": false, "context": {"a": [1]}}"#,
            r#"{"Statement": {"Sid": "S", "Effect": "Deny", "NotAction": [], "NotResource": "*", "Condition": {}, "Principal": 1}}"#,
        ] {
            let value: Value = serde_json::from_str(text).unwrap();
            agree(&value);
            assert!(
                surely_valid(&Document::parse(Source::new("x", text)).unwrap().root),
                "{text}"
            );
        }
    }

    #[test]
    fn duplicates_are_checked_in_every_occurrence() {
        // jsonschema sees only the last `Effect` (valid); the fast check asks it instead.
        let text = r#"{"Statement": [{"Effect": "Maybe", "Effect": "Allow", "Action": "a", "Resource": "r"}]}"#;
        let doc = Document::parse(Source::new("x", text)).unwrap();
        assert!(!surely_valid(&doc.root));
        assert!(super::super::validate_document(&doc).is_empty());
    }
}
