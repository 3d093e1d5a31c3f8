//! `policy-check lint`: every mistake an authorizer can put in its output, found before
//! deploy.
//!
//! The rules live one family per file (ruff's layout): each rule is a [`Rule`] declared with
//! the `rule!` macro, whose doc comment is the rule's documentation (what it does, why it
//! matters, an example, the fix) and is kept at run time in [`Rule::docs`] for
//! `policy-check rule PC012`. [`RULES`] is the central code table.
//!
//! Rules read the raw JSON tree where they must work on malformed output (a 500 in one
//! statement should not hide a typo in another), and the typed [`Policy`](crate::Policy)
//! for reasoning across statements, which needs well-formed output. Everything API Gateway
//! rejects is already found by the core model ([`Authorizer::problems`]); those problems are
//! reported here under rule codes too, so a lint run never misses a 500.

use std::fmt;

use serde::Serialize;

use crate::Checked;
use crate::authorizer::{Authorizer, Shape};
use crate::config::Config;
use crate::source::{Document, Json, Member, Node};
use crate::span::Span;

/// Declares a rule: its doc comment becomes [`Rule::docs`].
macro_rules! rule {
    ($(#[doc = $doc:literal])* pub static $id:ident = ($code:literal, $name:literal, $sev:ident, $summary:literal);) => {
        $(#[doc = $doc])*
        pub static $id: $crate::lint::Rule = $crate::lint::Rule {
            code: $code,
            name: $name,
            severity: $crate::lint::Severity::$sev,
            family: module_path!(),
            summary: $summary,
            docs: concat!($($doc, "\n"),*),
        };
    };
}

pub mod action;
pub mod condition;
pub mod cross_statement;
pub mod envelope;
pub mod resource;
pub mod run;
pub mod version_effect_sid;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never the reason a run fails unless `--fail-level info`.
    Info,
    /// Works, but is risky or surprising.
    Warning,
    /// API Gateway rejects it, or it can never work.
    Error,
}

impl Severity {
    /// `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `error`, `warning`, `info`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }

    /// The miette severity used for rendering.
    pub fn miette(self) -> miette::Severity {
        match self {
            Severity::Info => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A lint rule: stable code, name, default severity and documentation.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, `PC001`…; never reused.
    pub code: &'static str,
    /// Kebab-case name, usable wherever the code is (config, `policy-check rule`).
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// The module that holds it (its family).
    pub family: &'static str,
    /// One line.
    pub summary: &'static str,
    /// The rule's doc comment, Markdown.
    pub docs: &'static str,
}

impl Rule {
    /// The family name: `envelope`, `action`…
    pub fn family_name(&self) -> &'static str {
        self.family.rsplit("::").next().unwrap_or(self.family)
    }

    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn docs_text(&self) -> String {
        let mut out = String::new();
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim_end().to_string() + "\n"
    }

    /// Where the rule is documented, relative to the repository root.
    pub fn url(&self) -> String {
        format!("docs/lint.md#{}", self.code.to_ascii_lowercase())
    }
}

/// Every rule, in code order.
pub static RULES: &[&Rule] = &[
    &envelope::MALFORMED_OUTPUT,
    &envelope::PRINCIPAL_ID_MISSING,
    &envelope::PRINCIPAL_ID_NOT_STRING,
    &envelope::POLICY_DOCUMENT_MISSING,
    &envelope::CONTEXT_VALUE_NOT_SCALAR,
    &envelope::CONTEXT_VALUE_NULL,
    &envelope::USAGE_IDENTIFIER_KEY_NOT_STRING,
    &envelope::UNKNOWN_KEY,
    &envelope::PRINCIPAL_IN_POLICY,
    &envelope::DUPLICATE_KEY,
    &version_effect_sid::VERSION_MISSING,
    &version_effect_sid::VERSION_OLD,
    &version_effect_sid::VERSION_INVALID,
    &version_effect_sid::EFFECT_INVALID,
    &version_effect_sid::SID_DUPLICATE,
    &version_effect_sid::SID_INVALID,
    &action::ACTION_NOT_INVOKE,
    &action::ACTION_UNKNOWN,
    &action::ACTION_OVERBROAD,
    &action::NOT_ACTION,
    &action::ACTION_EMPTY,
    &resource::RESOURCE_NOT_EXECUTE_API_ARN,
    &resource::RESOURCE_BAD_ARN_FIELD,
    &resource::RESOURCE_BAD_VERB,
    &resource::RESOURCE_PLACEHOLDER,
    &resource::WILDCARD_SPANS_SEGMENTS,
    &resource::RESOURCE_ROOT_PATH,
    &resource::WILDCARD_IN_API_OR_STAGE,
    &resource::RESOURCE_TOO_LONG,
    &resource::RESOURCE_EMPTY,
    &resource::NOT_RESOURCE_WITH_ALLOW,
    &condition::CONDITION_MALFORMED,
    &condition::CONDITION_UNEVALUATED,
    &resource::WEBSOCKET_ROUTE_UNMATCHED,
    &resource::DENY_LEAVES_PREFIX_OPEN,
    &cross_statement::ALLOW_SHADOWED_BY_DENY,
    &cross_statement::REDUNDANT_STATEMENT,
    &cross_statement::ALLOW_EVERYTHING,
    &cross_statement::NEVER_ALLOWS,
    &cross_statement::SINGLE_METHOD_ARN,
    &envelope::SCHEMA_VIOLATION,
];

/// Finds a rule by code (`PC012`, any case) or name (`version-invalid`).
pub fn find_rule(key: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}

/// One finding: a rule, where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// The effective severity (the rule's default unless the config changes it).
    pub severity: Severity,
    /// One line.
    pub message: String,
    /// The primary span.
    pub span: Span,
    /// The primary label.
    pub label: String,
    /// Secondary labels.
    pub related: Vec<(Span, String)>,
    /// The fix.
    pub help: String,
    /// The 0-based statement the finding is in, if any.
    pub statement: Option<usize>,
}

impl Finding {
    /// A finding of `rule` at `span`.
    pub fn new(
        rule: &'static Rule,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Finding {
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            span,
            label: label.into(),
            related: Vec::new(),
            help: help.into(),
            statement: None,
        }
    }

    /// Adds a secondary label.
    pub fn with(mut self, span: Span, label: impl Into<String>) -> Finding {
        self.related.push((span, label.into()));
        self
    }

    /// Records the statement it belongs to.
    pub fn in_statement(mut self, index: usize) -> Finding {
        self.statement = Some(index);
        self
    }

    /// The diagnostic for rendering, over `doc`'s source; its URL is the rule's section of
    /// docs/lint.md.
    pub fn diag(&self, doc: &Document) -> LintDiag {
        LintDiag {
            diag: self.plain_diag(doc),
            url: self.rule.url(),
        }
    }

    /// The diagnostic as the core's [`Diag`](crate::report::Diag) (whose URL is the README's).
    pub fn plain_diag(&self, doc: &Document) -> crate::report::Diag {
        let mut d = crate::report::Diag::new(
            self.severity.miette(),
            format!("{} {}", self.rule.code, self.rule.name),
            self.message.clone(),
            Some(doc.source.named()),
        )
        .primary(self.span, self.label.clone());
        for (s, l) in &self.related {
            d = d.label(*s, l.clone());
        }
        if !self.help.is_empty() {
            d = d.help(self.help.clone());
        }
        d
    }
}

/// A finding's diagnostic: the core's [`Diag`](crate::report::Diag) with the rule's own
/// documentation URL.
#[derive(Debug, Clone)]
pub struct LintDiag {
    /// The diagnostic.
    pub diag: crate::report::Diag,
    /// `docs/lint.md#pc012`.
    pub url: String,
}

impl fmt::Display for LintDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diag.fmt(f)
    }
}

impl std::error::Error for LintDiag {}

impl miette::Diagnostic for LintDiag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diag.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.diag.severity()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        miette::Diagnostic::help(&self.diag)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.url))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.diag.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.diag.labels()
    }
}

/// A statement as found in the raw JSON tree (so rules run even on malformed output).
#[derive(Debug, Clone, Copy)]
pub struct RawStatement<'a> {
    /// 0-based position in `Statement`.
    pub index: usize,
    /// The statement object.
    pub node: &'a Node,
}

/// An Action/Resource element read from the raw tree.
#[derive(Debug, Clone)]
pub struct RawElement<'a> {
    /// The member (`"Resource": …`).
    pub member: &'a Member,
    /// `NotAction` / `NotResource`.
    pub negated: bool,
    /// The string entries with their spans (non-strings are skipped: the core reports them).
    pub entries: Vec<(&'a str, Span)>,
    /// Whether the value is an empty array.
    pub empty_array: bool,
}

impl<'a> RawStatement<'a> {
    /// The Effect string, if a string.
    pub fn effect(&self) -> Option<&'a str> {
        self.node.get("Effect").and_then(Node::as_str)
    }

    /// Whether the Effect is exactly `Allow`.
    pub fn is_allow(&self) -> bool {
        self.effect() == Some("Allow")
    }

    /// `Action`/`NotAction` (or `Resource`/`NotResource`); `Action` wins when both are set.
    pub fn element(&self, key: &str, not_key: &str) -> Option<RawElement<'a>> {
        let (member, negated) = match (self.node.member(key), self.node.member(not_key)) {
            (Some(m), _) => (m, false),
            (None, Some(m)) => (m, true),
            (None, None) => return None,
        };
        let (entries, empty_array) = match &member.value.value {
            Json::String(s) => (vec![(s.as_str(), member.value.span)], false),
            Json::Array(items) => (
                items
                    .iter()
                    .filter_map(|n| n.as_str().map(|s| (s, n.span)))
                    .collect(),
                items.is_empty(),
            ),
            _ => (Vec::new(), false),
        };
        Some(RawElement {
            member,
            negated,
            entries,
            empty_array,
        })
    }

    /// The `Action` element.
    pub fn action(&self) -> Option<RawElement<'a>> {
        self.element("Action", "NotAction")
    }

    /// The `Resource` element.
    pub fn resource(&self) -> Option<RawElement<'a>> {
        self.element("Resource", "NotResource")
    }
}

/// What a rule family sees.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The parsed document.
    pub doc: &'a Document,
    /// The typed model (with the core's problems and warnings).
    pub auth: &'a Authorizer,
    /// The policyDocument object, when there is one.
    pub policy: Option<&'a Node>,
    /// The statement objects of the raw tree.
    pub statements: Vec<RawStatement<'a>>,
}

impl<'a> Ctx<'a> {
    /// Builds the context for one checked output.
    pub fn new(checked: &'a Checked) -> Ctx<'a> {
        let root = &checked.document.root;
        let policy = match checked.authorizer.shape {
            Shape::Policy => Some(root),
            Shape::Rest => root.get("policyDocument"),
            Shape::Http => None,
        }
        .filter(|n| matches!(n.value, Json::Object(_)));
        let mut statements = Vec::new();
        if let Some(st) = policy.and_then(|p| p.get("Statement")) {
            match &st.value {
                Json::Array(items) => {
                    for (index, node) in items.iter().enumerate() {
                        if matches!(node.value, Json::Object(_)) {
                            statements.push(RawStatement { index, node });
                        }
                    }
                }
                Json::Object(_) => statements.push(RawStatement { index: 0, node: st }),
                _ => {}
            }
        }
        Ctx {
            doc: &checked.document,
            auth: &checked.authorizer,
            policy,
            statements,
        }
    }

    /// The statement whose object contains `span`.
    pub fn statement_at(&self, span: Span) -> Option<usize> {
        self.statements
            .iter()
            .find(|s| s.node.span.offset <= span.offset && span.end() <= s.node.span.end())
            .map(|s| s.index)
    }
}

/// Lints one checked output with `config` (rule levels and Sid ignores; path ignores are
/// the caller's, who knows the path). Findings are sorted by position, then code.
pub fn lint(checked: &Checked, config: &Config) -> Vec<Finding> {
    let cx = Ctx::new(checked);
    let mut out = Vec::new();
    envelope::check(&cx, &mut out);
    version_effect_sid::check(&cx, &mut out);
    action::check(&cx, &mut out);
    resource::check(&cx, &mut out);
    condition::check(&cx, &mut out);
    cross_statement::check(&cx, &mut out);
    // The schema is the editor's view of the same rules: report a violation only when no
    // rule already said something inside the node it is about.
    let schema = crate::schema::findings(checked);
    let ruled = out.len();
    for f in schema {
        let inside = |o: &Finding| f.span.offset <= o.span.offset && o.span.end() <= f.span.end();
        if !out[..ruled].iter().any(inside) {
            out.push(f);
        }
    }
    for f in &mut out {
        if f.statement.is_none() {
            f.statement = cx.statement_at(f.span);
        }
    }
    let mut kept: Vec<Finding> = out
        .into_iter()
        .filter_map(|mut f| {
            let level = config.level(f.rule)?;
            f.severity = level;
            let ignored = f.statement.is_some_and(|i| {
                cx.statements
                    .iter()
                    .find(|s| s.index == i)
                    .and_then(|s| s.node.get("Sid").and_then(Node::as_str))
                    .is_some_and(|sid| config.ignores_sid(sid))
            });
            (!ignored).then_some(f)
        })
        .collect();
    kept.sort_by(|a, b| {
        (a.span.offset, a.rule.code, a.span.len).cmp(&(b.span.offset, b.rule.code, b.span.len))
    });
    kept.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    kept
}

/// Lints with the default configuration (every rule at its default severity).
pub fn lint_default(checked: &Checked) -> Vec<Finding> {
    lint(checked, &Config::default())
}

/// Levenshtein distance, for did-you-mean suggestions (short strings only).
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `word` (case-insensitive), if within `max` edits.
pub(crate) fn suggest<'c>(word: &str, candidates: &[&'c str], max: usize) -> Option<&'c str> {
    let w = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (distance(&w, &c.to_ascii_lowercase()), *c))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        for r in RULES {
            assert!(r.code.starts_with("PC") && r.code.len() == 5, "{}", r.code);
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{}",
                r.name
            );
        }
    }

    #[test]
    fn distance_and_suggest() {
        assert_eq!(distance("invok", "invoke"), 1);
        assert_eq!(
            suggest("Invok", &["Invoke", "InvalidateCache"], 2),
            Some("Invoke")
        );
        assert_eq!(suggest("zzzzzz", &["Invoke"], 2), None);
    }
}
