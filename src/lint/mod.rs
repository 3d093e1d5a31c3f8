//! `policy-check lint`: every mistake an authorizer can put in its output, found before
//! deploy.
//!
//! The rules live in one file per family, or per rule when it has logic of its own (ruff's
//! layout). Each file declares its rules in one `rules!` table, which names their family and
//! lists them for the registry; a rule's doc comment is its documentation (what it does, why
//! it matters, an example, the fix), kept at run time in [`Rule::docs`] for
//! `policy-check rule PC012` and turned into docs/lint.md by [`docs_markdown`]. [`RULES`], the
//! central code table, is built from those tables, so a declared rule is always registered.
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
use crate::source::{Document, Json, Member, Node};
use crate::span::Span;

/// Declares the rules of one file: their family, and for each its doc comment (which
/// becomes [`Rule::docs`]), static, code, name, default severity and summary. It also
/// defines the file's `FILE_RULES`, which [`RULES`] is built from: a file whose table is not
/// listed there fails the build (an unused constant, under `-D warnings`), and one file
/// cannot hold two tables (two `FILE_RULES`).
macro_rules! rules {
    (family: $family:ident; $($(#[doc = $doc:literal])* pub static $id:ident = ($code:literal, $name:literal, $sev:ident, $summary:literal);)+) => {
        $(
            $(#[doc = $doc])*
            pub static $id: $crate::lint::Rule = $crate::lint::Rule {
                code: $code,
                name: $name,
                severity: $crate::lint::Severity::$sev,
                family: $crate::lint::Family::$family,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        )+
        /// The rules this file declares, for the registry.
        pub(in crate::lint) const FILE_RULES: &[&$crate::lint::Rule] = &[$(&$id),+];
    };
}

pub mod action;
pub mod api;
pub mod condition;
pub mod cross_statement;
mod docs;
pub mod envelope;
pub mod resource;
mod schema_violation;
#[cfg(test)]
mod test_policy;
pub mod version_effect_sid;

pub use docs::docs_markdown;
pub use schema_violation::SCHEMA_VIOLATION;

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

/// A group of rules, named in `policy-check rules` and docs/lint.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// The response around the policy: principalId, policyDocument, context, keys.
    Envelope,
    /// Version, Effect and Sid.
    VersionEffectSid,
    /// Action and NotAction.
    Action,
    /// Resource and NotResource, one entry at a time.
    Resource,
    /// Condition.
    Condition,
    /// Reasoning across statements.
    CrossStatement,
    /// Rules that need the API definition (`lint --api`).
    Api,
}

impl Family {
    /// `envelope`, `version_effect_sid`, `action`, `resource`, `condition`,
    /// `cross_statement`, `api`.
    pub fn name(self) -> &'static str {
        match self {
            Family::Envelope => "envelope",
            Family::VersionEffectSid => "version_effect_sid",
            Family::Action => "action",
            Family::Resource => "resource",
            Family::Condition => "condition",
            Family::CrossStatement => "cross_statement",
            Family::Api => "api",
        }
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
    /// Its family (the group `policy-check rules` lists it in).
    pub family: Family,
    /// One line.
    pub summary: &'static str,
    /// The rule's doc comment, Markdown.
    pub docs: &'static str,
}

impl Rule {
    /// The family name: `envelope`, `action`…
    pub fn family_name(&self) -> &'static str {
        self.family.name()
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
}

/// The `rules!` table of every file that declares rules.
const FILE_TABLES: &[&[&Rule]] = &[
    envelope::FILE_RULES,
    schema_violation::FILE_RULES,
    version_effect_sid::FILE_RULES,
    action::FILE_RULES,
    resource::FILE_RULES,
    resource::websocket_route::FILE_RULES,
    condition::FILE_RULES,
    cross_statement::FILE_RULES,
    cross_statement::deny_prefix_open::FILE_RULES,
    api::FILE_RULES,
];

const RULE_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < FILE_TABLES.len() {
        n += FILE_TABLES[i].len();
        i += 1;
    }
    n
};

/// Whether code `a` sorts before code `b` (byte order, in a `const fn`).
const fn code_before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

/// The file tables concatenated and sorted by code, at compile time.
const fn in_code_order() -> [&'static Rule; RULE_COUNT] {
    let mut out = [FILE_TABLES[0][0]; RULE_COUNT];
    let mut k = 0;
    let mut i = 0;
    while i < FILE_TABLES.len() {
        let mut j = 0;
        while j < FILE_TABLES[i].len() {
            out[k] = FILE_TABLES[i][j];
            k += 1;
            j += 1;
        }
        i += 1;
    }
    // Insertion sort: a few dozen rules.
    let mut x = 1;
    while x < RULE_COUNT {
        let mut y = x;
        while y > 0 && code_before(out[y].code, out[y - 1].code) {
            let t = out[y];
            out[y] = out[y - 1];
            out[y - 1] = t;
            y -= 1;
        }
        x += 1;
    }
    out
}

static ALL_RULES: [&Rule; RULE_COUNT] = in_code_order();

/// Every rule, in code order: the central code table, built from the `rules!` table of each
/// file (so a declared rule is always listed here).
pub static RULES: &[&Rule] = &ALL_RULES;

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
            .find(|s| s.node.span.offset() <= span.offset() && span.end() <= s.node.span.end())
            .map(|s| s.index)
    }
}

/// Lints one checked output with every rule at its default severity. Findings are sorted
/// by position, then code. Configuration (levels, ignored Sids) is applied afterwards by
/// [`Config::apply`](crate::config::Config::apply), with [`sid_of`]; ignored paths are the
/// caller's, who knows the path.
pub fn lint_default(checked: &Checked) -> Vec<Finding> {
    lint_rules(checked, true)
}

/// [`lint_default`] without PC099 (the JSON Schema), for `check`'s findings that bear on
/// an answer: compiling the schema validator would double the start-up of every `check`,
/// and what it finds there is the malformed output `check` reports itself.
pub(crate) fn lint_without_schema(checked: &Checked) -> Vec<Finding> {
    lint_rules(checked, false)
}

fn lint_rules(checked: &Checked, schema: bool) -> Vec<Finding> {
    let cx = Ctx::new(checked);
    let mut out = Vec::new();
    envelope::check(&cx, &mut out);
    version_effect_sid::check(&cx, &mut out);
    action::check(&cx, &mut out);
    resource::check(&cx, &mut out);
    condition::check(&cx, &mut out);
    cross_statement::check(&cx, &mut out);
    if schema {
        schema_violation::check(&cx, &mut out);
    }
    for f in &mut out {
        if f.statement.is_none() {
            f.statement = cx.statement_at(f.span);
        }
    }
    out.sort_by(|a, b| {
        (a.span.offset(), a.rule.code, a.span.len()).cmp(&(
            b.span.offset(),
            b.rule.code,
            b.span.len(),
        ))
    });
    out.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    out
}

/// The Sid of each statement of `checked` (by 0-based index, read from the raw tree so it
/// works on malformed output too), for [`Config::apply`](crate::config::Config::apply).
///
/// ```
/// use policy_check::{Checked, config::Config, lint};
/// let c = Checked::from_str("p.json", r#"{"Statement": [{"Sid": "Legacy", "Effect": "Allow",
///   "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:a/b/ANY/x"}]}"#).unwrap();
/// assert!(!lint::lint_default(&c).is_empty());
/// let config = Config::parse("c.toml", "[ignore]\nsids = [\"Leg*\"]\n", std::path::Path::new("")).unwrap();
/// assert!(config.apply(lint::lint_default(&c), lint::sid_of(&c)).iter().all(|f| f.statement.is_none()));
/// ```
pub fn sid_of<'a>(checked: &'a Checked) -> impl Fn(usize) -> Option<&'a str> + 'a {
    let sids: Vec<(usize, &str)> = Ctx::new(checked)
        .statements
        .iter()
        .filter_map(|s| Some((s.index, s.node.get("Sid")?.as_str()?)))
        .collect();
    move |i| sids.iter().find(|(j, _)| *j == i).map(|(_, sid)| *sid)
}

/// The candidate closest to `word` (case-insensitive Levenshtein distance, by `strsim`),
/// if within `max` edits: for did-you-mean help lines (and `policy-check rule`).
///
/// ```
/// assert_eq!(policy_check::lint::suggest("Invok", &["Invoke", "InvalidateCache"], 2), Some("Invoke"));
/// assert_eq!(policy_check::lint::suggest("zzzzzz", &["Invoke"], 2), None);
/// ```
pub fn suggest<'c>(word: &str, candidates: &[&'c str], max: usize) -> Option<&'c str> {
    let w = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(&w, &c.to_ascii_lowercase()), *c))
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
    fn suggest_takes_the_nearest_within_reach() {
        assert_eq!(
            suggest("Invok", &["Invoke", "InvalidateCache"], 2),
            Some("Invoke")
        );
        assert_eq!(suggest("GTE", &["GET", "PUT"], 2), Some("GET"));
        assert_eq!(suggest("zzzzzz", &["Invoke"], 2), None);
    }

    #[test]
    fn rules_are_in_code_order_and_each_file_table_is_listed_once() {
        assert!(RULES.windows(2).all(|w| w[0].code < w[1].code));
        let listed: usize = FILE_TABLES.iter().map(|t| t.len()).sum();
        assert_eq!(listed, RULES.len());
    }
}
