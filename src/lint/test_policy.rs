//! Test helpers: lint a policy built from a few statements and list the codes found.

pub(super) const A: &str = "arn:aws:execute-api:us-east-1:123456789012";

/// The codes `lint` finds in a policy of `(effect, action, resource key, entries)`.
pub(super) fn policy_codes(statements: &[(&str, &str, &str, &[&str])]) -> Vec<&'static str> {
    let st: Vec<serde_json::Value> = statements
        .iter()
        .map(|(effect, action, key, entries)| {
            let entries: Vec<String> = entries.iter().map(|e| e.replace("ARN", A)).collect();
            serde_json::json!({"Effect": effect, "Action": action, *key: entries})
        })
        .collect();
    let doc = serde_json::json!({"Version": "2012-10-17", "Statement": st});
    let c = crate::Checked::from_bytes(
        "t.json",
        doc.to_string().into_bytes(),
        crate::InputKind::Policy,
    )
    .unwrap();
    super::lint_default(&c)
        .iter()
        .map(|f| f.rule.code)
        .collect()
}

pub(super) const INVOKE: &str = "execute-api:Invoke";

/// (Effect, Action, Resource key, entries) of a test statement.
pub(super) type Stmt = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

pub(super) fn allow(entries: &'static [&'static str]) -> Stmt {
    ("Allow", INVOKE, "Resource", entries)
}

pub(super) fn deny(entries: &'static [&'static str]) -> Stmt {
    ("Deny", INVOKE, "Resource", entries)
}
