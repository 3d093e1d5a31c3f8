//! Fixture files: an authorizer output and the requests it must let through or stop.
//!
//! ```json
//! {
//!   "output": "explicit-deny.json",
//!   "defaults": { "partition": "aws", "region": "us-east-1", "account": "123456789012",
//!                 "api_id": "abc123", "stage": "prod" },
//!   "cases": [
//!     { "name": "blanket deny", "request": "GET /things", "expect": "explicit-deny", "statement": "DenyAll" },
//!     { "arn": "arn:aws:execute-api:us-east-1:123456789012:ws1/prod/$connect", "expect": "deny" }
//!   ]
//! }
//! ```
//!
//! `output` is a path relative to the fixture file or the output itself as an object;
//! `inline` holds any JSON value as the output (a string, null, an array: outputs that are
//! malformed by shape). Mistakes in the fixture are [`InputError`]s with a span, like policy
//! errors. Running a fixture returns results; it prints nothing.

use std::path::{Path, PathBuf};

use crate::eval::{Decision, Evaluation, Expect};
use crate::source::{Document, ErrorKind, InputError, Json, Node, Source};
use crate::span::Span;
use crate::{Authorizer, Checked, InputKind, Part, Request};

/// The file-name suffix that marks a fixture when a directory is searched.
pub const SUFFIX: &str = ".test.json";

/// A parsed fixture file.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The fixture file's text.
    pub source: Source,
    /// Where the authorizer output comes from.
    pub output: OutputRef,
    /// How to read the output.
    pub input_kind: InputKind,
    /// The cases.
    pub cases: Vec<FixtureCase>,
    /// `lint_clean`: the output must have no lint finding at or above this severity.
    pub lint_clean: Option<crate::lint::Severity>,
}

/// Where a fixture's authorizer output is.
#[derive(Debug, Clone)]
pub enum OutputRef {
    /// A file, resolved against the fixture's directory; the span is of the path string.
    File(PathBuf, Span),
    /// Inline in the fixture file.
    Inline(Node),
}

/// One request with its expected outcome.
#[derive(Debug, Clone)]
pub struct FixtureCase {
    /// The case's name (or its request text).
    pub name: String,
    /// The request.
    pub request: Request,
    /// The expected outcome.
    pub expect: Expect,
    /// The statement expected to decide, by Sid or index.
    pub statement: Option<StatementRef>,
    /// The case object in the fixture file.
    pub span: Span,
}

/// A statement named in a fixture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatementRef {
    /// By Sid.
    Sid(String),
    /// By 0-based index.
    Index(usize),
}

impl std::fmt::Display for StatementRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatementRef::Sid(s) => write!(f, "Sid \"{s}\""),
            StatementRef::Index(i) => write!(f, "statement {i}"),
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "output",
    "inline",
    "input_kind",
    "defaults",
    "cases",
    "lint_clean",
    "description",
];
const PIN_KEYS: &[&str] = &["partition", "region", "account", "api_id", "stage"];
const CASE_KEYS: &[&str] = &[
    "name",
    "request",
    "arn",
    "expect",
    "statement",
    "partition",
    "region",
    "account",
    "api_id",
    "stage",
];

fn bad(src: &Source, span: Span, message: String, help: &str) -> InputError {
    InputError::at(ErrorKind::Invalid, src, span, &message, help)
}

fn check_keys(src: &Source, node: &Node, allowed: &[&str], what: &str) -> Result<(), InputError> {
    for m in node.members() {
        if !allowed.contains(&m.key.value.as_str()) {
            return Err(bad(
                src,
                m.key.span,
                format!("unknown key `{}` in {what}", m.key.value),
                &format!("the keys allowed here are: {}", allowed.join(", ")),
            ));
        }
    }
    Ok(())
}

fn string<'a>(src: &Source, node: &'a Node, what: &str) -> Result<&'a str, InputError> {
    node.as_str().ok_or_else(|| {
        bad(
            src,
            node.span,
            format!("{what} is {}, not a string", node.type_name()),
            "write it as a JSON string",
        )
    })
}

fn pin(src: &Source, mut req: Request, obj: &Node) -> Result<Request, InputError> {
    let parts = [
        ("partition", Part::Partition),
        ("region", Part::Region),
        ("account", Part::Account),
        ("api_id", Part::ApiId),
        ("stage", Part::Stage),
    ];
    for (key, part) in parts {
        if let Some(v) = obj.get(key) {
            req = req.with(part, string(src, v, &format!("`{key}`"))?);
            if let Err(e) = req.validate() {
                return Err(bad(src, v.span, e, "fix the value"));
            }
        }
    }
    Ok(req)
}

impl Fixture {
    /// Whether a parsed JSON document looks like a fixture (it has `cases`).
    pub fn is_fixture(doc: &Document) -> bool {
        doc.root.get("cases").is_some()
    }

    /// Parses a fixture file's text.
    ///
    /// ```
    /// use policy_check::fixture::Fixture;
    /// use policy_check::Source;
    /// let text = r#"{"inline": {"isAuthorized": true}, "cases": [{"request": "GET /", "expect": "allow"}]}"#;
    /// let f = Fixture::parse(Source::new("f.test.json", text)).unwrap();
    /// assert_eq!(f.cases.len(), 1);
    /// let err = Fixture::parse(Source::new("f.test.json", r#"{"inline": {}, "cases": [{"request": "GET /", "expect": "allowed"}]}"#)).unwrap_err();
    /// assert!(err.to_string().contains("allowed"));
    /// ```
    pub fn parse(source: Source) -> Result<Fixture, InputError> {
        let doc = Document::parse(source)?;
        let src = &doc.source;
        let root = &doc.root;
        if !matches!(root.value, Json::Object(_)) {
            return Err(bad(
                src,
                root.span,
                format!("a fixture is an object, not {}", root.type_name()),
                "see the fixture format in the README",
            ));
        }
        check_keys(src, root, TOP_KEYS, "a fixture")?;
        let output = match (root.get("output"), root.get("inline")) {
            (Some(_), Some(_)) => {
                return Err(bad(
                    src,
                    root.member("inline").map_or(root.span, |m| m.key.span),
                    "give either `output` or `inline`, not both".into(),
                    "`output` names a file (or holds an object); `inline` holds any JSON value",
                ));
            }
            (Some(o), None) => match &o.value {
                Json::String(p) => OutputRef::File(PathBuf::from(p), o.span),
                Json::Object(_) => OutputRef::Inline(o.clone()),
                _ => {
                    return Err(bad(
                        src,
                        o.span,
                        format!("`output` is {}", o.type_name()),
                        "give a path relative to this file, or the output object; use `inline` for other JSON values",
                    ));
                }
            },
            (None, Some(i)) => OutputRef::Inline(i.clone()),
            (None, None) => {
                return Err(bad(
                    src,
                    root.span,
                    "the fixture has no `output`".into(),
                    "add \"output\": \"path/to/authorizer-output.json\" (relative to this file)",
                ));
            }
        };
        let input_kind = match root.get("input_kind") {
            None => InputKind::Auto,
            Some(k) => match string(src, k, "`input_kind`")? {
                "auto" => InputKind::Auto,
                "policy" => InputKind::Policy,
                "rest" => InputKind::Rest,
                "http" => InputKind::Http,
                other => {
                    return Err(bad(
                        src,
                        k.span,
                        format!("`{other}` is not an input kind"),
                        "use auto, policy, rest or http",
                    ));
                }
            },
        };
        let defaults = root.get("defaults");
        if let Some(d) = defaults {
            if !matches!(d.value, Json::Object(_)) {
                return Err(bad(
                    src,
                    d.span,
                    "`defaults` must be an object".into(),
                    "e.g. {\"stage\": \"prod\"}",
                ));
            }
            check_keys(src, d, PIN_KEYS, "`defaults`")?;
        }
        let Some(cases_node) = root.get("cases") else {
            return Err(bad(
                src,
                root.span,
                "the fixture has no `cases`".into(),
                "add \"cases\": [{\"request\": \"GET /things\", \"expect\": \"allow\"}]",
            ));
        };
        let Json::Array(items) = &cases_node.value else {
            return Err(bad(
                src,
                cases_node.span,
                "`cases` must be an array".into(),
                "write cases as an array of objects",
            ));
        };
        if items.is_empty() {
            return Err(bad(
                src,
                cases_node.span,
                "`cases` is empty: this fixture tests nothing".into(),
                "add at least one case",
            ));
        }
        let lint_clean = match root.get("lint_clean") {
            None => None,
            Some(Node {
                value: Json::Bool(b),
                ..
            }) => b.then_some(crate::lint::Severity::Warning),
            Some(n) => match n.as_str().and_then(crate::lint::Severity::parse) {
                Some(level) => Some(level),
                None => {
                    return Err(bad(
                        src,
                        n.span,
                        "`lint_clean` must be true, false, \"error\", \"warning\" or \"info\""
                            .into(),
                        "true means no lint finding at warning level or above",
                    ));
                }
            },
        };
        let mut cases = Vec::with_capacity(items.len());
        for item in items {
            cases.push(parse_case(src, item, defaults)?);
        }
        Ok(Fixture {
            source: src.clone(),
            output: output.clone(),
            input_kind,
            cases,
            lint_clean,
        })
    }

    /// Loads the authorizer output the fixture refers to. `dir` is the fixture's directory.
    pub fn load_output(&self, dir: &Path) -> Result<Checked, InputError> {
        match &self.output {
            OutputRef::File(p, span) => {
                let path = dir.join(p);
                let bytes = crate::source::read_path(&path).map_err(|e| {
                    bad(
                        &self.source,
                        *span,
                        e.message,
                        "the path is relative to the fixture file",
                    )
                })?;
                Checked::from_bytes(&path.display().to_string(), bytes, self.input_kind)
            }
            OutputRef::Inline(node) => {
                // The inline output keeps the fixture's text, so labels point into the fixture.
                let full = Document::parse(self.source.clone())?;
                let duplicates = full
                    .duplicates
                    .into_iter()
                    .filter(|d| {
                        d.last.offset >= node.span.offset && d.last.end() <= node.span.end()
                    })
                    .collect();
                let document = Document {
                    source: self.source.clone(),
                    root: node.clone(),
                    duplicates,
                };
                let authorizer = Authorizer::from_document(&document, self.input_kind)?;
                Ok(Checked {
                    document,
                    authorizer,
                })
            }
        }
    }
}

fn parse_case(
    src: &Source,
    item: &Node,
    defaults: Option<&Node>,
) -> Result<FixtureCase, InputError> {
    if !matches!(item.value, Json::Object(_)) {
        return Err(bad(
            src,
            item.span,
            format!("a case is an object, not {}", item.type_name()),
            "e.g. {\"request\": \"GET /things\", \"expect\": \"allow\"}",
        ));
    }
    check_keys(src, item, CASE_KEYS, "a case")?;
    let mut request = match (item.get("request"), item.get("arn")) {
        (Some(r), None) => {
            let text = string(src, r, "`request`")?;
            let Some((method, path)) = text.trim().split_once(' ') else {
                return Err(bad(
                    src,
                    r.span,
                    format!("`{text}` is not `METHOD PATH`"),
                    "write it like \"GET /things\"",
                ));
            };
            let req = Request::new(method, path.trim());
            if let Err(e) = req.validate() {
                return Err(bad(src, r.span, e, "write it like \"GET /things\""));
            }
            req
        }
        (None, Some(a)) => {
            let text = string(src, a, "`arn`")?;
            Request::from_arn(text).map_err(|e| {
                bad(
                    src,
                    a.span,
                    e.to_string(),
                    "e.g. arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things",
                )
            })?
        }
        (Some(_), Some(a)) => {
            return Err(bad(
                src,
                a.span,
                "a case gives either `request` or `arn`, not both".into(),
                "keep one",
            ));
        }
        (None, None) => {
            return Err(bad(
                src,
                item.span,
                "the case has neither `request` nor `arn`".into(),
                "add \"request\": \"GET /things\"",
            ));
        }
    };
    if item.get("arn").is_some() {
        if let Some(m) = item
            .members()
            .iter()
            .find(|m| PIN_KEYS.contains(&m.key.value.as_str()))
        {
            return Err(bad(
                src,
                m.key.span,
                "an `arn` case already pins every part".into(),
                "remove this key, or use `request` with pins",
            ));
        }
    } else {
        if let Some(d) = defaults {
            request = pin(src, request, d)?;
        }
        request = pin(src, request, item)?;
    }
    let Some(e) = item.get("expect") else {
        return Err(bad(
            src,
            item.span,
            "the case has no `expect`".into(),
            "add \"expect\": one of allow, deny, explicit-deny, implicit-deny, malformed, depends",
        ));
    };
    let word = string(src, e, "`expect`")?;
    let expect = Expect::parse(word).ok_or_else(|| {
        bad(
            src,
            e.span,
            format!("`{word}` is not an outcome"),
            "use allow, deny, explicit-deny, implicit-deny, malformed or depends",
        )
    })?;
    let statement = match item.get("statement") {
        None => None,
        Some(Node {
            value: Json::String(s),
            ..
        }) => Some(StatementRef::Sid(s.clone())),
        Some(
            n @ Node {
                value: Json::Number(num),
                ..
            },
        ) => Some(StatementRef::Index(num.parse::<usize>().map_err(|_| {
            bad(
                src,
                n.span,
                format!("`{num}` is not a statement index"),
                "use a 0-based index such as 0, or the statement's Sid",
            )
        })?)),
        Some(n) => {
            return Err(bad(
                src,
                n.span,
                format!("`statement` is {}", n.type_name()),
                "use the Sid (a string) or the 0-based index (a number)",
            ));
        }
    };
    let name = match item.get("name") {
        Some(n) => string(src, n, "`name`")?.to_string(),
        None => match (request.method(), request.path()) {
            (Some(m), Some(p)) => format!("{m} {p}"),
            _ => request.route().to_string(),
        },
    };
    Ok(FixtureCase {
        name,
        request,
        expect,
        statement,
        span: item.span,
    })
}

/// The outcome of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// Whether every expectation held.
    pub ok: bool,
    /// What went wrong, when not ok.
    pub failure: Option<String>,
    /// The evaluation (absent if the request could not be evaluated).
    pub evaluation: Option<Evaluation>,
}

/// Checks the `lint_clean` expectation: no finding (default rule levels) at or above `level`.
/// The failure message lists the offending findings.
pub fn run_lint_clean(checked: &Checked, level: crate::lint::Severity) -> CaseResult {
    let text = checked.document.source.text();
    let offending: Vec<String> = crate::lint::lint_default(checked)
        .into_iter()
        .filter(|f| f.severity >= level)
        .map(|f| {
            let at = crate::Location::of(text, f.span);
            format!(
                "{} {} [{}:{}]: {}",
                f.rule.code, f.severity, at.line, at.column, f.message
            )
        })
        .collect();
    CaseResult {
        ok: offending.is_empty(),
        failure: (!offending.is_empty()).then(|| {
            format!(
                "expected no lint finding at {level} level or above, found {}:\n  {}",
                offending.len(),
                offending.join("\n  ")
            )
        }),
        evaluation: None,
    }
}

/// Runs one case against a loaded output.
pub fn run_case(checked: &Checked, case: &FixtureCase) -> CaseResult {
    let eval = match checked.evaluate(&case.request) {
        Ok(e) => e,
        Err(e) => {
            return CaseResult {
                ok: false,
                failure: Some(format!("could not evaluate: {e}")),
                evaluation: None,
            };
        }
    };
    let mut failure = None;
    if !eval.meets(case.expect) {
        failure = Some(format!(
            "expected {}, got {}",
            case.expect.as_str(),
            eval.decision.phrase()
        ));
    } else if let Some(want) = &case.statement {
        let statements = checked
            .authorizer
            .policy
            .as_ref()
            .map(|p| p.statements.as_slice())
            .unwrap_or_default();
        let deciding: Vec<usize> = if eval.decision == Decision::Depends {
            eval.cases.iter().flat_map(|c| c.deciding.clone()).collect()
        } else {
            eval.deciding.iter().map(|d| d.statement).collect()
        };
        let hit = deciding.iter().any(|&i| match want {
            StatementRef::Index(w) => *w == i,
            StatementRef::Sid(s) => statements
                .get(i)
                .and_then(|st| st.sid.as_ref())
                .is_some_and(|sid| sid.value == *s),
        });
        if !hit {
            let actual: Vec<String> = deciding
                .iter()
                .map(|&i| {
                    statements
                        .get(i)
                        .map_or(format!("statement {i}"), |s| s.label())
                })
                .collect();
            failure = Some(format!(
                "expected {} to decide, but {}",
                want,
                if actual.is_empty() {
                    "no statement decides".to_string()
                } else {
                    format!("{} decided", actual.join(", "))
                }
            ));
        }
    }
    CaseResult {
        ok: failure.is_none(),
        failure,
        evaluation: Some(eval),
    }
}
