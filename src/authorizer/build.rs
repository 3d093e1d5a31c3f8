//! Building the model from the JSON tree, validating every statement on the way: what API
//! Gateway rejects becomes a [`Problem`] of a malformed [`ProblemKind`].

use super::detect::detect;
use super::{
    Authorizer, Effect, Element, InputKind, Policy, Problem, ProblemKind, Shape, Statement,
};
use crate::source::{Document, InputError, Json, Node};
use crate::span::{Span, Spanned};

impl Authorizer {
    /// Reads a parsed document as authorizer output.
    ///
    /// Fails (exit 2) only when `kind` is `Auto` and the JSON object has none of the keys that
    /// identify a shape; everything API Gateway would reject is reported in `problems`.
    ///
    /// ```
    /// use policy_check::{Authorizer, Document, InputKind, ProblemKind, Source};
    /// let text = r#"{"principalId": "u", "policyDocument": {"Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*", "Condition": null}]}}"#;
    /// let doc = Document::parse(Source::new("r.json", text)).unwrap();
    /// let a = Authorizer::from_document(&doc, InputKind::Auto).unwrap();
    /// assert!(a.is_malformed());
    /// assert_eq!(a.problems[0].kind, ProblemKind::ConditionNull);
    /// assert_eq!(a.problems[0].code(), "policy_check::malformed::condition_null");
    /// ```
    pub fn from_document(doc: &Document, kind: InputKind) -> Result<Authorizer, InputError> {
        let root = &doc.root;
        let mut b = Builder::default();
        for d in &doc.duplicates {
            b.problem(
                ProblemKind::DuplicateKey,
                format!("the key `{}` appears twice in one object", d.key),
                d.last,
                "this one counts",
                "remove one of them: JSON readers disagree on which wins (serde_json, like most, keeps the last)",
            )
            .related
            .push((d.first, "this one is ignored".to_string()));
        }
        let shape = match kind {
            InputKind::Policy => Shape::Policy,
            InputKind::Rest => Shape::Rest,
            InputKind::Http => Shape::Http,
            InputKind::Auto => detect(doc)?,
        };
        let mut out = Authorizer {
            shape,
            span: root.span,
            policy: None,
            is_authorized: None,
            problems: Vec::new(),
            warnings: Vec::new(),
        };
        if !matches!(root.value, Json::Object(_)) {
            b.problem(
                ProblemKind::NotAnObject,
                format!("the authorizer returned {}, not a JSON object", root.type_name()),
                root.span,
                "API Gateway cannot read this as authorizer output",
                "return an object: a policyDocument inside {principalId, policyDocument}, or {isAuthorized} for HTTP API simple responses",
            );
        } else {
            match shape {
                Shape::Policy => {
                    if let Some(k) = root.member("isAuthorized") {
                        b.ambiguous(k.key.span, "isAuthorized", "a policy document");
                    }
                    out.policy = b.policy(root)
                }
                Shape::Rest => out.policy = b.rest(root),
                Shape::Http => out.is_authorized = b.http(root),
            }
        }
        out.problems = b.problems;
        out.warnings = b.warnings;
        Ok(out)
    }
}

#[derive(Default)]
struct Builder {
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Builder {
    /// Records a problem: a malformed kind among the problems, any other among the
    /// warnings.
    fn problem(
        &mut self,
        kind: ProblemKind,
        message: String,
        span: Span,
        label: &str,
        help: &str,
    ) -> &mut Problem {
        let list = if kind.is_malformed() {
            &mut self.problems
        } else {
            &mut self.warnings
        };
        list.push(Problem {
            kind,
            message,
            span,
            label: label.to_string(),
            help: help.to_string(),
            related: Vec::new(),
        });
        list.last_mut().expect("just pushed")
    }

    fn rest(&mut self, root: &Node) -> Option<Policy> {
        if let Some(k) = root.member("isAuthorized") {
            self.ambiguous(k.key.span, "isAuthorized", "a REST response");
        }
        match root.get("principalId") {
            None => {
                self.problem(
                    ProblemKind::PrincipalIdMissing,
                    "the response has no `principalId`".to_string(),
                    root.span,
                    "principalId is required here",
                    "add \"principalId\": \"<the caller's id>\" beside policyDocument",
                );
            }
            Some(p) => match &p.value {
                Json::String(_) => {}
                Json::Number(_) | Json::Bool(_) => {
                    self.problem(
                        ProblemKind::PrincipalIdNotString,
                        format!("`principalId` is {}, not a string", p.type_name()),
                        p.span,
                        "accepted, but stringified",
                        "return the principal id as a string",
                    );
                }
                _ => {
                    self.problem(
                        ProblemKind::PrincipalIdType,
                        format!(
                            "`principalId` is {}; API Gateway needs a string",
                            p.type_name()
                        ),
                        p.span,
                        "not a string",
                        "set principalId to a string such as the user id",
                    );
                }
            },
        }
        if let Some(ctx) = root.get("context") {
            self.rest_context(ctx);
        }
        if let Some(k) = root.get("usageIdentifierKey")
            && matches!(k.value, Json::Object(_) | Json::Array(_))
        {
            self.problem(
                ProblemKind::UsageIdentifierKeyType,
                format!(
                    "`usageIdentifierKey` is {}; it must be an API key string",
                    k.type_name()
                ),
                k.span,
                "not a string",
                "set usageIdentifierKey to the API key value, or leave it out",
            );
        }
        match root.get("policyDocument") {
            None => {
                self.problem(
                    ProblemKind::PolicyDocumentMissing,
                    "the response has no `policyDocument`".to_string(),
                    root.span,
                    "policyDocument is required here",
                    "add \"policyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": [...]}",
                );
                None
            }
            Some(pd) if !matches!(pd.value, Json::Object(_)) => {
                let hint = if pd.as_str().is_some() {
                    "return the policy as a JSON object, not a string holding JSON"
                } else {
                    "make policyDocument an object with Version and Statement"
                };
                self.problem(
                    ProblemKind::PolicyDocumentType,
                    format!("`policyDocument` is {}, not an object", pd.type_name()),
                    pd.span,
                    "not an object",
                    hint,
                );
                None
            }
            Some(pd) => self.policy(pd),
        }
    }

    fn rest_context(&mut self, ctx: &Node) {
        match &ctx.value {
            Json::Null => {}
            Json::Object(members) => {
                // The last of duplicate keys wins, for validation too (as in serde_json).
                let last = |i: usize, m: &crate::source::Member| {
                    !members[i + 1..].iter().any(|o| o.key.value == m.key.value)
                };
                for (_, m) in members.iter().enumerate().filter(|(i, m)| last(*i, m)) {
                    match &m.value.value {
                        Json::Object(_) | Json::Array(_) => {
                            self.problem(
                                ProblemKind::ContextValueType,
                                format!(
                                    "context value `{}` is {}; REST APIs accept only strings, numbers and booleans",
                                    m.key.value,
                                    m.value.type_name()
                                ),
                                m.value.span,
                                "API Gateway cannot put this in $context.authorizer",
                                "flatten it (e.g. JSON.stringify the value) or move it to separate keys",
                            );
                        }
                        Json::Null => {
                            self.problem(
                                ProblemKind::ContextValueNull,
                                format!("context value `{}` is null", m.key.value),
                                m.value.span,
                                "null here",
                                "what API Gateway does with null context values is not documented; leave the key out instead",
                            );
                        }
                        _ => {}
                    }
                }
            }
            _ => {
                self.problem(
                    ProblemKind::ContextType,
                    format!("`context` is {}; it must be an object", ctx.type_name()),
                    ctx.span,
                    "not an object",
                    "make context a flat object of strings, numbers and booleans, or leave it out",
                );
            }
        }
    }

    fn http(&mut self, root: &Node) -> Option<Spanned<bool>> {
        for key in [
            "principalId",
            "policyDocument",
            "usageIdentifierKey",
            "Statement",
        ] {
            if let Some(m) = root.member(key) {
                self.ambiguous(
                    m.key.span,
                    key,
                    "an HTTP API simple response (isAuthorized)",
                );
            }
        }
        if let Some(ctx) = root.get("context")
            && !matches!(ctx.value, Json::Null | Json::Object(_))
        {
            self.problem(
                ProblemKind::ContextType,
                format!("`context` is {}; it must be an object", ctx.type_name()),
                ctx.span,
                "not an object",
                "make context an object, or leave it out",
            );
        }
        match root.get("isAuthorized") {
            Some(Node {
                value: Json::Bool(b),
                span,
            }) => Some(Spanned::new(*b, *span)),
            Some(v) => {
                let hint = if v.as_str().is_some() {
                    "use the JSON boolean true or false, not a string"
                } else {
                    "set isAuthorized to true or false"
                };
                self.problem(
                    ProblemKind::IsAuthorizedType,
                    format!("`isAuthorized` is {}, not a boolean", v.type_name()),
                    v.span,
                    "not true or false",
                    hint,
                );
                None
            }
            None => {
                self.problem(
                    ProblemKind::IsAuthorizedMissing,
                    "the simple response has no `isAuthorized`".to_string(),
                    root.span,
                    "isAuthorized is required here",
                    "add \"isAuthorized\": true or false",
                );
                None
            }
        }
    }

    fn ambiguous(&mut self, span: Span, key: &str, shape: &str) {
        self.problem(
            ProblemKind::AmbiguousShape,
            format!("`{key}` does not belong in {shape}: the output mixes two response formats"),
            span,
            "from the other format",
            "return either {isAuthorized, context} (HTTP API simple response) or {principalId, policyDocument, context} (IAM policy), not both",
        );
    }

    fn policy(&mut self, pd: &Node) -> Option<Policy> {
        if !matches!(pd.value, Json::Object(_)) {
            self.problem(
                ProblemKind::PolicyDocumentType,
                format!("the policy document is {}, not an object", pd.type_name()),
                pd.span,
                "not an object",
                "make it an object with Version and Statement",
            );
            return None;
        }
        let version = pd
            .get("Version")
            .and_then(|v| v.as_shared_str().map(|s| Spanned::new(s.clone(), v.span)));
        let st = match pd.get("Statement") {
            None => {
                self.problem(
                    ProblemKind::StatementMissing,
                    "the policy document has no `Statement`".to_string(),
                    pd.span,
                    "Statement is required here",
                    "add \"Statement\": [ ... ] (check the spelling: `Statement`, singular, capital S)",
                );
                return None;
            }
            Some(s) => s,
        };
        let nodes: Vec<&Node> = match &st.value {
            Json::Array(items) => items.iter().collect(),
            Json::Object(_) => vec![st],
            _ => {
                self.problem(
                    ProblemKind::StatementType,
                    format!(
                        "`Statement` is {}; it must be an array of statements",
                        st.type_name()
                    ),
                    st.span,
                    "not an array or object",
                    "make Statement an array of {Effect, Action, Resource} objects",
                );
                return None;
            }
        };
        let before = self.problems.len();
        // Sized up front: grown by doubling, a 100,000-statement vector peaked at 1.3x its size.
        let mut statements = Vec::with_capacity(nodes.len());
        for (i, n) in nodes.iter().enumerate() {
            statements.extend(self.statement(i, n));
        }
        (self.problems.len() == before).then_some(Policy {
            span: pd.span,
            statement_span: st.span,
            version,
            statements,
        })
    }

    fn statement(&mut self, index: usize, n: &Node) -> Option<Statement> {
        if !matches!(n.value, Json::Object(_)) {
            self.problem(
                ProblemKind::StatementNotObject,
                format!("statement {index} is {}, not an object", n.type_name()),
                n.span,
                "not a statement object",
                "each statement is an object with Effect, Action and Resource",
            );
            return None;
        }
        let effect = match n.get("Effect") {
            Some(Node {
                value: Json::String(s),
                span,
            }) if s == "Allow" || s == "Deny" => Some(Spanned::new(
                if s == "Allow" {
                    Effect::Allow
                } else {
                    Effect::Deny
                },
                *span,
            )),
            Some(e) => {
                let help = match e.as_str() {
                    Some(s) if s.eq_ignore_ascii_case("allow") => {
                        "write \"Allow\": Effect is case-sensitive".to_string()
                    }
                    Some(s) if s.eq_ignore_ascii_case("deny") => {
                        "write \"Deny\": Effect is case-sensitive".to_string()
                    }
                    _ => "Effect must be exactly \"Allow\" or \"Deny\"".to_string(),
                };
                self.problem(
                    ProblemKind::Effect,
                    format!(
                        "statement {index}: Effect is {}, not \"Allow\" or \"Deny\"",
                        match e.as_str() {
                            Some(s) => format!("\"{s}\""),
                            None => e.type_name().to_string(),
                        }
                    ),
                    e.span,
                    "not Allow or Deny",
                    &help,
                );
                None
            }
            None => {
                let hint = n
                    .members()
                    .iter()
                    .find(|m| m.key.value.eq_ignore_ascii_case("effect"))
                    .map(|m| format!("the key is spelled `{}`; write `Effect`", m.key.value))
                    .unwrap_or_else(|| "add \"Effect\": \"Allow\" or \"Deny\"".to_string());
                self.problem(
                    ProblemKind::Effect,
                    format!("statement {index} has no Effect"),
                    n.span,
                    "Effect is required",
                    &hint,
                );
                None
            }
        };
        let action = self.element(index, n, "Action", "NotAction");
        let resource = self.element(index, n, "Resource", "NotResource");
        let condition = match n.member("Condition") {
            None => None,
            Some(m) => match &m.value.value {
                Json::Object(_) => Some(m.value.span),
                Json::Null => {
                    self.problem(
                        ProblemKind::ConditionNull,
                        format!("statement {index}: `\"Condition\": null` makes API Gateway answer 500"),
                        m.value.span,
                        "null Condition",
                        "leave the Condition key out when there is none (typed SDKs: skip serializing None)",
                    ).related.push((m.key.span, "this key must go".to_string()));
                    None
                }
                _ => {
                    self.problem(
                        ProblemKind::ConditionType,
                        format!(
                            "statement {index}: Condition is {}, not an object",
                            m.value.type_name()
                        ),
                        m.value.span,
                        "not an object",
                        "Condition is an object such as {\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}, or leave it out",
                    );
                    None
                }
            },
        };
        let sid = n
            .get("Sid")
            .and_then(|s| s.as_shared_str().map(|v| Spanned::new(v.clone(), s.span)));
        Some(Statement {
            index,
            span: n.span,
            sid,
            effect: effect?,
            action: action?,
            resource: resource?,
            condition,
        })
    }

    fn element(&mut self, index: usize, n: &Node, key: &str, not_key: &str) -> Option<Element> {
        let (m, negated) = match (n.member(key), n.member(not_key)) {
            (Some(a), Some(b)) => {
                self.problem(
                    ProblemKind::ElementBoth,
                    format!("statement {index} has both {key} and {not_key}"),
                    b.key.span,
                    "only one of the two is allowed",
                    &format!("keep either {key} or {not_key}"),
                )
                .related
                .push((a.key.span, format!("{key} here")));
                return None;
            }
            (Some(a), None) => (a, false),
            (None, Some(b)) => (b, true),
            (None, None) => {
                let near = n
                    .members()
                    .iter()
                    .find(|m| {
                        let k = m.key.value.to_ascii_lowercase();
                        k == key.to_ascii_lowercase()
                            || k == format!("{}s", key.to_ascii_lowercase())
                    })
                    .map(|m| format!("the key is spelled `{}`; write `{key}`", m.key.value));
                self.problem(
                    ProblemKind::ElementMissing,
                    format!("statement {index} has neither {key} nor {not_key}"),
                    n.span,
                    &format!("{key} is required"),
                    &near.unwrap_or_else(|| format!("add \"{key}\": [...]")),
                );
                return None;
            }
        };
        let name = &m.key.value;
        let entries = match &m.value.value {
            Json::String(s) => vec![Spanned::new(s.clone(), m.value.span)],
            Json::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for it in items {
                    match &it.value {
                        Json::String(s) => out.push(Spanned::new(s.clone(), it.span)),
                        _ => {
                            self.problem(
                                ProblemKind::ElementEntryType,
                                format!(
                                    "statement {index}: an entry of {name} is {}, not a string",
                                    it.type_name()
                                ),
                                it.span,
                                "not a string",
                                &format!("every {name} entry is a string"),
                            );
                            return None;
                        }
                    }
                }
                out
            }
            _ => {
                self.problem(
                    ProblemKind::ElementType,
                    format!(
                        "statement {index}: {name} is {}, not a string or an array of strings",
                        m.value.type_name()
                    ),
                    m.value.span,
                    "not a string or array",
                    &format!("write {name} as a string or an array of strings"),
                );
                return None;
            }
        };
        Some(Element {
            negated,
            key_span: m.key.span,
            span: m.value.span,
            entries,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    /// One input per problem kind: (read as, input, the kind it gives, the text it labels).
    const CASES: &[(InputKind, &str, ProblemKind, &str)] = &[
        (InputKind::Auto, "null", ProblemKind::NotAnObject, "null"),
        (
            InputKind::Auto,
            r#"{"policyDocument":{"Statement":[]}}"#,
            ProblemKind::PrincipalIdMissing,
            r#"{"policyDocument":{"Statement":[]}}"#,
        ),
        (
            InputKind::Auto,
            r#"{"principalId":null,"policyDocument":{"Statement":[]}}"#,
            ProblemKind::PrincipalIdType,
            "null",
        ),
        (
            InputKind::Auto,
            r#"{"principalId":"u","usageIdentifierKey":["k"],"policyDocument":{"Statement":[]}}"#,
            ProblemKind::UsageIdentifierKeyType,
            r#"["k"]"#,
        ),
        (
            InputKind::Auto,
            r#"{"principalId":"u"}"#,
            ProblemKind::PolicyDocumentMissing,
            r#"{"principalId":"u"}"#,
        ),
        (
            InputKind::Auto,
            r#"{"principalId":"u","policyDocument":"{}"}"#,
            ProblemKind::PolicyDocumentType,
            r#""{}""#,
        ),
        (
            InputKind::Auto,
            r#"{"principalId":"u","context":{"a":[1]},"policyDocument":{"Statement":[]}}"#,
            ProblemKind::ContextValueType,
            "[1]",
        ),
        (
            InputKind::Auto,
            r#"{"principalId":"u","context":"x","policyDocument":{"Statement":[]}}"#,
            ProblemKind::ContextType,
            r#""x""#,
        ),
        (
            InputKind::Auto,
            r#"{"isAuthorized":true,"context":[]}"#,
            ProblemKind::ContextType,
            "[]",
        ),
        (
            InputKind::Auto,
            r#"{"isAuthorized":"true"}"#,
            ProblemKind::IsAuthorizedType,
            r#""true""#,
        ),
        (
            InputKind::Http,
            r#"{"context":{}}"#,
            ProblemKind::IsAuthorizedMissing,
            r#"{"context":{}}"#,
        ),
        (
            InputKind::Auto,
            r#"{"isAuthorized":true,"principalId":"u"}"#,
            ProblemKind::AmbiguousShape,
            r#""principalId""#,
        ),
        (
            InputKind::Auto,
            r#"{"Version":"2012-10-17"}"#,
            ProblemKind::StatementMissing,
            r#"{"Version":"2012-10-17"}"#,
        ),
        (
            InputKind::Auto,
            r#"{"Statement":"Allow"}"#,
            ProblemKind::StatementType,
            r#""Allow""#,
        ),
        (
            InputKind::Auto,
            r#"{"Statement":[1]}"#,
            ProblemKind::StatementNotObject,
            "1",
        ),
        (
            InputKind::Auto,
            r#"{"Statement":[{"Effect":"allow","Action":"execute-api:Invoke","Resource":"*"}]}"#,
            ProblemKind::Effect,
            r#""allow""#,
        ),
        (
            InputKind::Auto,
            r#"{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":null}]}"#,
            ProblemKind::ConditionNull,
            "null",
        ),
        (
            InputKind::Auto,
            r#"{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":[]}]}"#,
            ProblemKind::ConditionType,
            "[]",
        ),
        (
            InputKind::Auto,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","NotAction":"b","Resource":"*"}]}"#,
            ProblemKind::ElementBoth,
            r#""NotAction""#,
        ),
        (
            InputKind::Auto,
            r#"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#,
            ProblemKind::ElementMissing,
            r#"{"Effect":"Allow","Resource":"*"}"#,
        ),
        (
            InputKind::Auto,
            r#"{"Statement":[{"Effect":"Allow","Action":["a",1],"Resource":"*"}]}"#,
            ProblemKind::ElementEntryType,
            "1",
        ),
        (
            InputKind::Auto,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Resource":{}}]}"#,
            ProblemKind::ElementType,
            "{}",
        ),
        (
            InputKind::Auto,
            r#"{"Statement":[],"Statement":[]}"#,
            ProblemKind::DuplicateKey,
            r#""Statement""#,
        ),
        (
            InputKind::Auto,
            r#"{"principalId":42,"policyDocument":{"Statement":[]}}"#,
            ProblemKind::PrincipalIdNotString,
            "42",
        ),
        (
            InputKind::Auto,
            r#"{"principalId":"u","context":{"a":null},"policyDocument":{"Statement":[]}}"#,
            ProblemKind::ContextValueNull,
            "null",
        ),
    ];

    fn build(kind: InputKind, text: &str) -> Authorizer {
        let doc = Document::parse(Source::new("t.json", text)).expect("valid JSON");
        Authorizer::from_document(&doc, kind).expect("a known shape")
    }

    #[test]
    fn each_input_gives_exactly_its_problem_on_the_right_node() {
        for &(kind, text, want, labelled) in CASES {
            let a = build(kind, text);
            let found: Vec<&Problem> = a.problems.iter().chain(&a.warnings).collect();
            assert_eq!(found.len(), 1, "{text}: {found:#?}");
            let p = found[0];
            assert_eq!(p.kind, want, "{text}");
            assert_eq!(&text[p.span.range()], labelled, "{text}");
            assert_eq!(a.is_malformed(), want.is_malformed(), "{text}");
            assert!(!p.help.is_empty() && !p.message.is_empty(), "{text}");
        }
    }

    #[test]
    fn every_problem_kind_has_a_test_input() {
        let tested: std::collections::BTreeSet<ProblemKind> = CASES.iter().map(|c| c.2).collect();
        let untested: Vec<_> = ProblemKind::ALL
            .iter()
            .filter(|k| !tested.contains(k))
            .collect();
        assert!(
            untested.is_empty(),
            "kinds without a test input: {untested:?}"
        );
    }

    #[test]
    fn codes_are_unique_and_say_whether_malformed() {
        let mut codes: Vec<&str> = ProblemKind::ALL.iter().map(|k| k.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ProblemKind::ALL.len());
        for k in ProblemKind::ALL {
            assert_eq!(
                k.code().starts_with("policy_check::malformed::"),
                k.is_malformed(),
                "{k:?}"
            );
        }
    }
}
