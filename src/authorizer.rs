//! Authorizer output shapes and the typed, spanned policy model.
//!
//! Three shapes are accepted: a bare policyDocument, a whole REST authorizer response
//! (`principalId`, `policyDocument`, `context`, `usageIdentifierKey`) and an HTTP API simple
//! response (`isAuthorized`, `context`). Building the model validates every statement,
//! whether it will apply or not: anything DESIGN.md calls malformed becomes a [`Problem`],
//! and any problem means API Gateway answers 500, whatever the statements say.

use crate::source::{Document, ErrorKind, InputError, Json, Node};
use crate::span::{Span, Spanned};

/// Which shape to read the input as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputKind {
    /// Detect from the keys present.
    #[default]
    Auto,
    /// A bare policyDocument (`Version`, `Statement`).
    Policy,
    /// A REST API (or HTTP API payload 1.0) authorizer response.
    Rest,
    /// An HTTP API simple response (`isAuthorized`).
    Http,
}

/// The shape the input was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// A bare policyDocument.
    Policy,
    /// A REST authorizer response.
    Rest,
    /// An HTTP API simple response.
    Http,
}

/// `Allow` or `Deny`: case-sensitive, as IAM defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Effect {
    /// `"Allow"`
    Allow,
    /// `"Deny"`
    Deny,
}

/// An `Action`/`NotAction` or `Resource`/`NotResource` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// True for `NotAction` / `NotResource`.
    pub negated: bool,
    /// The span of the key (`"Resource"`).
    pub key_span: Span,
    /// The span of the value (string or array).
    pub span: Span,
    /// The entries; a bare string is one entry.
    pub entries: Vec<Spanned<String>>,
}

/// One policy statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// 0-based position in `Statement`.
    pub index: usize,
    /// The whole statement object.
    pub span: Span,
    /// `Sid`, if it is a string.
    pub sid: Option<Spanned<String>>,
    /// `Effect`.
    pub effect: Spanned<Effect>,
    /// `Action` or `NotAction`.
    pub action: Element,
    /// `Resource` or `NotResource`.
    pub resource: Element,
    /// The span of a (non-null, object) `Condition`, which is not evaluated.
    pub condition: Option<Span>,
}

impl Statement {
    /// `statement 2 (Sid "ReadOnly")` or `statement 2`.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) => format!("statement {} (Sid \"{}\")", self.index, sid.value),
            None => format!("statement {}", self.index),
        }
    }
}

/// A policyDocument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The policyDocument object.
    pub span: Span,
    /// The `Statement` value.
    pub statement_span: Span,
    /// `Version`, if a string.
    pub version: Option<Spanned<String>>,
    /// The statements (a single statement object counts as one).
    pub statements: Vec<Statement>,
}

/// Something that makes API Gateway reject the output (500), or, as a warning, something it
/// accepts but that deserves a look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A stable code, e.g. `policy_check::malformed::condition_null`.
    pub code: &'static str,
    /// One line: what is wrong.
    pub message: String,
    /// The node to label.
    pub span: Span,
    /// The label text.
    pub label: String,
    /// How to fix it.
    pub help: String,
    /// Further spans to label (e.g. the first of two duplicate keys).
    pub related: Vec<(Span, String)>,
}

/// The model of one authorizer output.
#[derive(Debug, Clone)]
pub struct Authorizer {
    /// The shape it was read as.
    pub shape: Shape,
    /// The root value's span.
    pub span: Span,
    /// The policy (REST response or bare policy), when well formed.
    pub policy: Option<Policy>,
    /// `isAuthorized` of an HTTP simple response.
    pub is_authorized: Option<Spanned<bool>>,
    /// Why API Gateway would answer 500; empty when well formed.
    pub problems: Vec<Problem>,
    /// Accepted but suspicious: duplicate keys, a numeric principalId, null context values.
    pub warnings: Vec<Problem>,
}

impl Authorizer {
    /// Whether API Gateway would reject the output (500).
    pub fn is_malformed(&self) -> bool {
        !self.problems.is_empty()
    }

    /// Reads a parsed document as authorizer output.
    ///
    /// Fails (exit 2) only when `kind` is `Auto` and the JSON object has none of the keys that
    /// identify a shape; everything API Gateway would reject is reported in `problems`.
    ///
    /// ```
    /// use policy_check::{Authorizer, Document, InputKind, Source};
    /// let text = r#"{"principalId": "u", "policyDocument": {"Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*", "Condition": null}]}}"#;
    /// let doc = Document::parse(Source::new("r.json", text)).unwrap();
    /// let a = Authorizer::from_document(&doc, InputKind::Auto).unwrap();
    /// assert!(a.is_malformed());
    /// assert_eq!(a.problems[0].code, "policy_check::malformed::condition_null");
    /// ```
    pub fn from_document(doc: &Document, kind: InputKind) -> Result<Authorizer, InputError> {
        let root = &doc.root;
        let mut b = Builder::default();
        for d in &doc.duplicates {
            b.warn(
                "policy_check::duplicate_key",
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
                "policy_check::malformed::not_an_object",
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

fn detect(doc: &Document) -> Result<Shape, InputError> {
    let root = &doc.root;
    // Not an object, or `{}`: API Gateway answers 500 (read as a REST response, which
    // reports it as malformed).
    if root.members().is_empty() {
        return Ok(Shape::Rest);
    }
    let has = |k: &str| root.get(k).is_some();
    if has("isAuthorized") {
        return Ok(Shape::Http);
    }
    if has("principalId") || has("policyDocument") || has("usageIdentifierKey") || has("context") {
        return Ok(Shape::Rest);
    }
    if has("Statement") || has("Version") {
        return Ok(Shape::Policy);
    }
    let keys: Vec<&str> = root
        .members()
        .iter()
        .map(|m| m.key.value.as_str())
        .collect();
    let hint = if root.get("statusCode").is_some() {
        " (`statusCode` looks like a Lambda proxy response: an authorizer returns a policy, not an HTTP response)"
    } else {
        ""
    };
    // One label on the first key: a package-lock.json must not be printed whole.
    let first = root.members().first().map_or(root.span, |m| m.key.span);
    Err(InputError::at(
        ErrorKind::Shape,
        &doc.source,
        first,
        &format!(
            "this is not an authorizer output: it has {}{hint}",
            if keys.len() > 6 {
                format!(
                    "the keys {}, … ({} in all), none an authorizer's",
                    keys[..6].join(", "),
                    keys.len()
                )
            } else {
                format!("only the keys {}", keys.join(", "))
            }
        ),
        "expected a policyDocument (Statement), a REST response (principalId, policyDocument) or an HTTP API simple response (isAuthorized); use --input-kind to say which",
    ))
}

#[derive(Default)]
struct Builder {
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Builder {
    fn problem(
        &mut self,
        code: &'static str,
        message: String,
        span: Span,
        label: &str,
        help: &str,
    ) -> &mut Problem {
        self.problems.push(Problem {
            code,
            message,
            span,
            label: label.to_string(),
            help: help.to_string(),
            related: Vec::new(),
        });
        self.problems.last_mut().expect("just pushed")
    }

    fn warn(
        &mut self,
        code: &'static str,
        message: String,
        span: Span,
        label: &str,
        help: &str,
    ) -> &mut Problem {
        self.warnings.push(Problem {
            code,
            message,
            span,
            label: label.to_string(),
            help: help.to_string(),
            related: Vec::new(),
        });
        self.warnings.last_mut().expect("just pushed")
    }

    fn rest(&mut self, root: &Node) -> Option<Policy> {
        if let Some(k) = root.member("isAuthorized") {
            self.ambiguous(k.key.span, "isAuthorized", "a REST response");
        }
        match root.get("principalId") {
            None => {
                self.problem(
                    "policy_check::malformed::principal_id_missing",
                    "the response has no `principalId`".to_string(),
                    root.span,
                    "principalId is required here",
                    "add \"principalId\": \"<the caller's id>\" beside policyDocument",
                );
            }
            Some(p) => match &p.value {
                Json::String(_) => {}
                Json::Number(_) | Json::Bool(_) => {
                    self.warn(
                        "policy_check::principal_id_not_string",
                        format!("`principalId` is {}, not a string", p.type_name()),
                        p.span,
                        "accepted, but stringified",
                        "return the principal id as a string",
                    );
                }
                _ => {
                    self.problem(
                        "policy_check::malformed::principal_id_type",
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
                "policy_check::malformed::usage_identifier_key_type",
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
                    "policy_check::malformed::policy_document_missing",
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
                    "policy_check::malformed::policy_document_type",
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
                                "policy_check::malformed::context_value_type",
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
                            self.warn(
                                "policy_check::context_value_null",
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
                    "policy_check::malformed::context_type",
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
                "policy_check::malformed::context_type",
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
                    "policy_check::malformed::is_authorized_type",
                    format!("`isAuthorized` is {}, not a boolean", v.type_name()),
                    v.span,
                    "not true or false",
                    hint,
                );
                None
            }
            None => {
                self.problem(
                    "policy_check::malformed::is_authorized_missing",
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
            "policy_check::malformed::ambiguous_shape",
            format!("`{key}` does not belong in {shape}: the output mixes two response formats"),
            span,
            "from the other format",
            "return either {isAuthorized, context} (HTTP API simple response) or {principalId, policyDocument, context} (IAM policy), not both",
        );
    }

    fn policy(&mut self, pd: &Node) -> Option<Policy> {
        if !matches!(pd.value, Json::Object(_)) {
            self.problem(
                "policy_check::malformed::policy_document_type",
                format!("the policy document is {}, not an object", pd.type_name()),
                pd.span,
                "not an object",
                "make it an object with Version and Statement",
            );
            return None;
        }
        let version = pd
            .get("Version")
            .and_then(|v| v.as_str().map(|s| Spanned::new(s.to_string(), v.span)));
        let st = match pd.get("Statement") {
            None => {
                self.problem(
                    "policy_check::malformed::statement_missing",
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
                    "policy_check::malformed::statement_type",
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
        let statements: Vec<Statement> = nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.statement(i, n))
            .collect();
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
                "policy_check::malformed::statement_not_object",
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
                    "policy_check::malformed::effect",
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
                    "policy_check::malformed::effect",
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
                        "policy_check::malformed::condition_null",
                        format!("statement {index}: `\"Condition\": null` makes API Gateway answer 500"),
                        m.value.span,
                        "null Condition",
                        "leave the Condition key out when there is none (typed SDKs: skip serializing None)",
                    ).related.push((m.key.span, "this key must go".to_string()));
                    None
                }
                _ => {
                    self.problem(
                        "policy_check::malformed::condition_type",
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
            .and_then(|s| s.as_str().map(|v| Spanned::new(v.to_string(), s.span)));
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
                    "policy_check::malformed::element_both",
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
                    "policy_check::malformed::element_missing",
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
                                "policy_check::malformed::element_entry_type",
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
                    "policy_check::malformed::element_type",
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
