//! The authorizer response around the policy: principalId, policyDocument, context,
//! usageIdentifierKey, unknown keys, duplicate keys. Most of what API Gateway rejects here is
//! found by the core model; this family gives those problems their rule codes.

use super::{Ctx, Finding, Rule, suggest};
use crate::authorizer::{ProblemKind, Shape};
use crate::source::{Json, Node};

rules! {
    family: Envelope;

    /// ## What it does
    /// Reports any reason API Gateway would reject the output (HTTP 500) that no more
    /// specific rule covers: `Statement` missing or not an array, a statement that is not an
    /// object, Action and NotAction both present, an Action entry that is not a string,
    /// `isAuthorized` mixed with a REST response, and so on.
    ///
    /// ## Why it matters
    /// API Gateway answers every request with 500 `AuthorizerConfigurationException`; no
    /// statement is looked at, not even a Deny.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statements": []}}
    /// ```
    ///
    /// ## Fix
    /// Follow the help line: here, spell the key `Statement`.
    pub static MALFORMED_OUTPUT = ("PC000", "malformed-output", Error, "the output is malformed: API Gateway answers 500");

    /// ## What it does
    /// Reports a REST authorizer response whose `principalId` is missing, null, an object or
    /// an array.
    ///
    /// ## Why it matters
    /// API Gateway needs a principal id for every REST response and answers 500 without one.
    ///
    /// ## Example
    /// ```json
    /// {"policyDocument": {"Version": "2012-10-17", "Statement": []}}
    /// ```
    ///
    /// ## Fix
    /// Add `"principalId": "<the caller's id>"` beside `policyDocument`.
    pub static PRINCIPAL_ID_MISSING = ("PC001", "principal-id-missing", Error, "principalId is missing or not a string");

    /// ## What it does
    /// Reports a `principalId` that is a number or a boolean.
    ///
    /// ## Why it matters
    /// API Gateway accepts it and turns it into a string, but SDK types, local emulators
    /// (SAM CLI requires a `str`) and logging code downstream may not.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": 42, "policyDocument": {"Version": "2012-10-17", "Statement": []}}
    /// ```
    ///
    /// ## Fix
    /// Return the id as a string: `"principalId": "42"`.
    pub static PRINCIPAL_ID_NOT_STRING = ("PC002", "principal-id-not-string", Warning, "principalId is a number or boolean");

    /// ## What it does
    /// Reports a REST response without a `policyDocument`, or with one that is not an object
    /// (often a string holding JSON).
    ///
    /// ## Why it matters
    /// API Gateway answers 500: a REST authorizer must return a policy.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "u", "policyDocument": "{\"Version\": \"2012-10-17\"}"}
    /// ```
    ///
    /// ## Fix
    /// Return `"policyDocument": {"Version": "2012-10-17", "Statement": [...]}` as an object.
    pub static POLICY_DOCUMENT_MISSING = ("PC003", "policy-document-missing", Error, "policyDocument is missing or not an object");

    /// ## What it does
    /// Reports a REST response `context` that is not an object, or a context value that is
    /// an object or an array.
    ///
    /// ## Why it matters
    /// API Gateway documents that "you cannot set a JSON object or array as a valid value of
    /// any key in the context map"; it answers 500. (HTTP API simple responses accept them.)
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": []},
    ///  "context": {"profile": {"name": "Ada"}}}
    /// ```
    ///
    /// ## Fix
    /// Flatten the value into separate keys, or `JSON.stringify` it.
    pub static CONTEXT_VALUE_NOT_SCALAR = ("PC004", "context-value-not-scalar", Error, "a REST context value is an object or array");

    /// ## What it does
    /// Reports a context value that is `null`.
    ///
    /// ## Why it matters
    /// API Gateway accepts it, but what `$context.authorizer.KEY` then holds is not
    /// documented, and mapping templates that read it may break.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": []},
    ///  "context": {"tenant": null}}
    /// ```
    ///
    /// ## Fix
    /// Leave the key out when there is no value.
    pub static CONTEXT_VALUE_NULL = ("PC005", "context-value-null", Warning, "a context value is null");

    /// ## What it does
    /// Reports a `usageIdentifierKey` that is not a string.
    ///
    /// ## Why it matters
    /// An object or array makes API Gateway answer 500. Any other non-string can never be the
    /// API key of a usage plan, so with the API key source set to `AUTHORIZER` every request
    /// gets 403 Forbidden.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "u", "usageIdentifierKey": 12345,
    ///  "policyDocument": {"Version": "2012-10-17", "Statement": []}}
    /// ```
    ///
    /// ## Fix
    /// Set it to the API key value as a string, or leave it out.
    pub static USAGE_IDENTIFIER_KEY_NOT_STRING = ("PC006", "usage-identifier-key-not-string", Error, "usageIdentifierKey is not a string");

    /// ## What it does
    /// Reports keys API Gateway does not know at the top level, in the policyDocument or in a
    /// statement (`Statements`, `Resources`, lower-case `effect`, a top-level `Effect`), with
    /// the closest known key.
    ///
    /// ## Why it matters
    /// Unknown keys are ignored, so a misspelt key silently drops what it holds; when the
    /// required key is then missing, the output is malformed as well.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"effect": "Allow",
    ///   "Action": "execute-api:Invoke", "Resource": "*"}]}
    /// ```
    ///
    /// ## Fix
    /// Use the exact, case-sensitive key: `Effect`.
    pub static UNKNOWN_KEY = ("PC007", "unknown-key", Warning, "a key API Gateway does not know");

    /// ## What it does
    /// Reports `Principal` or `NotPrincipal` in an authorizer policy.
    ///
    /// ## Why it matters
    /// An authorizer policy is an identity policy for the caller named by `principalId`; a
    /// Principal element has no meaning there (IAM rejects it in identity policies) and what
    /// API Gateway does with it is not documented.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Remove it; the principal is the response's `principalId`.
    pub static PRINCIPAL_IN_POLICY = ("PC008", "principal-in-policy", Warning, "Principal or NotPrincipal in an authorizer policy");

    /// ## What it does
    /// Reports a key that appears twice in one JSON object, labelling both occurrences.
    ///
    /// ## Why it matters
    /// JSON readers disagree on which one wins (serde_json and most keep the last), so the
    /// policy you review may not be the one API Gateway applies.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Deny", "Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Keep one of them.
    pub static DUPLICATE_KEY = ("PC009", "duplicate-key", Warning, "a key appears twice in one object");
}

/// The rule under which a core problem or warning is reported. Exhaustive: a new kind
/// must be given its rule here.
fn core_rule(kind: ProblemKind) -> &'static Rule {
    use super::{condition, version_effect_sid};
    use ProblemKind as K;
    match kind {
        K::PrincipalIdMissing | K::PrincipalIdType => &PRINCIPAL_ID_MISSING,
        K::PrincipalIdNotString => &PRINCIPAL_ID_NOT_STRING,
        K::PolicyDocumentMissing | K::PolicyDocumentType => &POLICY_DOCUMENT_MISSING,
        K::ContextValueType | K::ContextType => &CONTEXT_VALUE_NOT_SCALAR,
        K::ContextValueNull => &CONTEXT_VALUE_NULL,
        K::UsageIdentifierKeyType => &USAGE_IDENTIFIER_KEY_NOT_STRING,
        K::DuplicateKey => &DUPLICATE_KEY,
        K::Effect => &version_effect_sid::EFFECT_INVALID,
        K::ConditionNull | K::ConditionType => &condition::CONDITION_MALFORMED,
        K::NotAnObject
        | K::IsAuthorizedType
        | K::IsAuthorizedMissing
        | K::AmbiguousShape
        | K::StatementMissing
        | K::StatementType
        | K::StatementNotObject
        | K::ElementBoth
        | K::ElementMissing
        | K::ElementEntryType
        | K::ElementType => &MALFORMED_OUTPUT,
    }
}

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in cx.auth.problems.iter().chain(&cx.auth.warnings) {
        let mut f = Finding::new(
            core_rule(p.kind),
            p.span,
            p.message.clone(),
            p.label.clone(),
            p.help.clone(),
        );
        f.related = p.related.clone();
        out.push(f);
    }
    let root = &cx.doc.root;
    if !matches!(root.value, Json::Object(_)) {
        return;
    }
    if cx.auth.shape == Shape::Rest
        && let Some(k) = root.get("usageIdentifierKey")
        && matches!(k.value, Json::Number(_) | Json::Bool(_) | Json::Null)
    {
        out.push(Finding::new(
            &USAGE_IDENTIFIER_KEY_NOT_STRING,
            k.span,
            format!("`usageIdentifierKey` is {}, not a string", k.type_name()),
            "not an API key",
            "set usageIdentifierKey to the API key value as a string, or leave it out",
        ));
    }
    let top: &[&str] = match cx.auth.shape {
        Shape::Rest => &[
            "principalId",
            "policyDocument",
            "context",
            "usageIdentifierKey",
            "isAuthorized",
        ],
        Shape::Http => &[
            "isAuthorized",
            "context",
            "principalId",
            "policyDocument",
            "usageIdentifierKey",
            "Statement",
        ],
        Shape::Policy => POLICY_KEYS,
    };
    // The keys of the other shape are the core's `ambiguous_shape` (PC000), not unknown.
    let expected = match cx.auth.shape {
        Shape::Rest => &top[..4],
        Shape::Http => &top[..2],
        Shape::Policy => top,
    };
    unknown_keys(root, top, expected, "the response", out);
    if cx.auth.shape == Shape::Rest
        && let Some(pd) = cx.policy
    {
        unknown_keys(pd, POLICY_KEYS, POLICY_KEYS, "the policyDocument", out);
    }
    for s in &cx.statements {
        unknown_keys(s.node, STATEMENT_KEYS, STATEMENT_KEYS, "a statement", out);
        for key in ["Principal", "NotPrincipal"] {
            if let Some(m) = s.node.member(key) {
                out.push(
                    Finding::new(
                        &PRINCIPAL_IN_POLICY,
                        m.key.span,
                        format!(
                            "statement {} has `{key}`, which an authorizer policy does not use",
                            s.index
                        ),
                        "no meaning in an identity policy",
                        "remove it: the principal is the response's principalId",
                    )
                    .in_statement(s.index),
                );
            }
        }
    }
}

const POLICY_KEYS: &[&str] = &["Version", "Statement", "Id"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "Principal",
    "NotPrincipal",
];

fn unknown_keys(
    node: &Node,
    accepted: &[&str],
    known: &[&str],
    place: &str,
    out: &mut Vec<Finding>,
) {
    for m in node.members() {
        let key = m.key.value.as_str();
        if accepted.contains(&key) {
            continue;
        }
        let all: Vec<&str> = known
            .iter()
            .chain(POLICY_KEYS)
            .chain(STATEMENT_KEYS)
            .copied()
            .collect();
        let near = known
            .iter()
            .find(|k| k.eq_ignore_ascii_case(key) || format!("{k}s").eq_ignore_ascii_case(key))
            .copied()
            .or_else(|| suggest(key, known, 2));
        let (label, help) = match near {
            Some(k) => (
                format!("did you mean `{k}`?"),
                format!("rename it to `{k}` (keys are case-sensitive)"),
            ),
            None if all.contains(&key) => (
                "does not belong here".to_string(),
                format!("`{key}` belongs in another part of the output; move it or remove it"),
            ),
            None => (
                "ignored by API Gateway".to_string(),
                format!("remove it; known keys here are {}", known.join(", ")),
            ),
        };
        out.push(Finding::new(
            &UNKNOWN_KEY,
            m.key.span,
            format!("unknown key `{key}` in {place}"),
            label,
            help,
        ));
    }
}
