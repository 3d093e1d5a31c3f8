//! `policy-check lint`, `rules`, `rule` and `schema`.
//!
//! Exit codes of `lint`: 0 no finding at or above `--fail-level` · 1 findings at or above
//! it · 2 a usage or configuration error, or a file that could not be read or is not JSON
//! (every other file is still linted and reported).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use policy_check::config::Config;
use policy_check::lint::{self, Finding, RULES, Rule, Severity};
use policy_check::report::{Style, render};
use policy_check::{Checked, InputError, InputKind, Location};
use serde::Serialize;

use super::output::{self, read_input};
use super::{Exit, InputKindArg, StyleArgs};

/// The version of the `--format json` layout (docs/lint.md documents it).
pub const JSON_VERSION: u32 = 1;

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Authorizer outputs: files, directories (searched for `*.json`, skipping `*.test.json`
    /// fixtures) or quoted glob patterns such as 'authorizers/**/*.json'; `-` reads stdin.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    format: LintFormat,
    /// Exit 1 when a finding is at or above this severity [default: error, or `fail-level`
    /// in the configuration].
    #[arg(long, value_enum)]
    fail_level: Option<FailLevel>,
    /// Configuration file [default: the nearest .policy-check.toml from the current
    /// directory upwards].
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any .policy-check.toml.
    #[arg(long)]
    no_config: bool,
    /// How to read the inputs; `auto` detects each file's shape from its keys.
    #[arg(long, value_enum, default_value_t = InputKindArg::Auto)]
    input_kind: InputKindArg,
    #[command(flatten)]
    style: StyleArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LintFormat {
    /// miette reports grouped by file, then a summary line.
    Human,
    /// One JSON document (docs/lint.md).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailLevel {
    Error,
    Warning,
    Info,
}

impl From<FailLevel> for Severity {
    fn from(f: FailLevel) -> Self {
        match f {
            FailLevel::Error => Severity::Error,
            FailLevel::Warning => Severity::Warning,
            FailLevel::Info => Severity::Info,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RulesFormat {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// A rule code (`PC012`) or name (`version-invalid`).
    #[arg(value_name = "RULE")]
    rule: String,
}

/// Files to lint: `*.json` from directories and globs, except `*.test.json` fixtures.
pub fn discover(paths: &[String]) -> Result<Vec<PathBuf>, String> {
    super::discover::discover(
        paths,
        |name| name.ends_with(".json") && !name.ends_with(".test.json"),
        "authorizer output file",
    )
}

/// One linted file.
struct Linted {
    file: String,
    checked: Option<Checked>,
    findings: Vec<Finding>,
    error: Option<InputError>,
}

fn lint_file(path: &Path, config: &Config, kind: InputKind) -> Linted {
    let file = path.display().to_string();
    match read_input(path).and_then(|(name, bytes)| Checked::from_bytes(&name, bytes, kind)) {
        Ok(c) => Linted {
            findings: lint::lint(&c, config),
            file,
            checked: Some(c),
            error: None,
        },
        Err(e) => Linted {
            file,
            checked: None,
            findings: Vec::new(),
            error: Some(e),
        },
    }
}

/// Lints every file on all cores, keeping the input order.
fn lint_all(files: &[PathBuf], config: &Config, kind: InputKind) -> Vec<Linted> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().div_ceil(64).max(1));
    if workers <= 1 {
        return files.iter().map(|f| lint_file(f, config, kind)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, Linted)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break };
                        mine.push((i, lint_file(f, config, kind)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a lint worker panicked"))
            .collect()
    });
    let mut all: Vec<(usize, Linted)> = parts.drain(..).flatten().collect();
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, l)| l).collect()
}

#[derive(Debug, Default, Clone, Copy, Serialize)]
struct Counts {
    files: usize,
    ignored: usize,
    unreadable: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub fn run(args: &LintArgs) -> Exit {
    let style = args.style.style();
    let config = if args.no_config {
        Config::default()
    } else {
        let path = args.config.clone().or_else(|| {
            std::env::current_dir()
                .ok()
                .and_then(|d| Config::discover(&d))
        });
        match path.map(|p| Config::load(&p)) {
            None => Config::default(),
            Some(Ok(c)) => c,
            Some(Err(e)) => {
                eprint!("{}", render(&e.diag(), style));
                return Exit::CannotAnswer;
            }
        }
    };
    let fail: Severity = args
        .fail_level
        .map(Severity::from)
        .or(config.fail_level)
        .unwrap_or(Severity::Error);
    let files = match discover(&args.paths) {
        Ok(f) if f.is_empty() => {
            output::error("no `*.json` authorizer output files found");
            return Exit::CannotAnswer;
        }
        Ok(f) => f,
        Err(e) => {
            output::error(&e);
            return Exit::CannotAnswer;
        }
    };
    let (ignored, files): (Vec<PathBuf>, Vec<PathBuf>) =
        files.into_iter().partition(|f| config.ignores_path(f));
    let results = lint_all(&files, &config, args.input_kind.into());
    let mut counts = Counts {
        files: results.len(),
        ignored: ignored.len(),
        ..Counts::default()
    };
    for r in &results {
        counts.unreadable += usize::from(r.error.is_some());
        for f in &r.findings {
            match f.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
    }
    let failed = results
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity >= fail);
    let text = match args.format {
        LintFormat::Human => human(&results, counts, style),
        LintFormat::Json => json(&results, counts, fail, failed),
        LintFormat::Sarif => sarif(&results),
        LintFormat::Github => github(&results),
    };
    output::out(&text);
    if args.format != LintFormat::Human {
        for e in results.iter().filter_map(|r| r.error.as_ref()) {
            output::input_error(e, style);
        }
    }
    if counts.unreadable > 0 {
        Exit::CannotAnswer
    } else if failed {
        Exit::Denied
    } else {
        Exit::Ok
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn human(results: &[Linted], c: Counts, style: Style) -> String {
    let mut out = String::new();
    let mut with_findings = 0;
    for r in results {
        if let Some(e) = &r.error {
            let _ = writeln!(out, "── {} ──\n", r.file);
            out.push_str(&render(e, style));
            out.push('\n');
            continue;
        }
        let Some(checked) = &r.checked else { continue };
        if r.findings.is_empty() {
            continue;
        }
        with_findings += 1;
        let _ = writeln!(out, "── {} ──\n", r.file);
        // Minified outputs (one long line) are shown re-indented, as `check` does.
        let doc = &checked.document;
        let spans = r
            .findings
            .iter()
            .flat_map(|f| std::iter::once(f.span).chain(f.related.iter().map(|x| x.0)));
        let reformatted = policy_check::report::pretty::has_long_lines(doc.source.text(), spans)
            .then(|| policy_check::report::pretty::reformat(doc));
        for f in &r.findings {
            let mut d = f.diag(doc);
            if let Some(moved) = reformatted
                .as_ref()
                .and_then(|p| d.diag.moved(p.source.named(), |s| p.map(s)))
            {
                d.diag = moved;
            }
            out.push_str(&render(&d, style));
            out.push('\n');
        }
    }
    let total = c.errors + c.warnings + c.infos;
    let mut summary = if total == 0 {
        format!("no findings in {}", plural(c.files, "file", "files"))
    } else {
        format!(
            "{}, {}, {} in {} of {} linted",
            plural(c.errors, "error", "errors"),
            plural(c.warnings, "warning", "warnings"),
            plural(c.infos, "info", "infos"),
            with_findings,
            plural(c.files, "file", "files")
        )
    };
    if c.unreadable > 0 {
        let _ = write!(
            summary,
            "; {} could not be read as JSON",
            plural(c.unreadable, "file", "files")
        );
    }
    if c.ignored > 0 {
        let _ = write!(
            summary,
            "; {} ignored by the configuration",
            plural(c.ignored, "file", "files")
        );
    }
    let _ = writeln!(out, "{summary}");
    out
}

// ---- JSON ----------------------------------------------------------------------------

#[derive(Serialize)]
struct JsonOut<'a> {
    schema_version: u32,
    files: Vec<JsonFile<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonSummary {
    #[serde(flatten)]
    counts: Counts,
    fail_level: Severity,
    failed: bool,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    input_kind: Option<policy_check::Shape>,
    error: Option<JsonError>,
    findings: Vec<JsonFinding>,
}

#[derive(Serialize)]
struct JsonError {
    kind: String,
    message: String,
    span: Option<Location>,
}

#[derive(Serialize)]
struct JsonFinding {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    message: String,
    help: String,
    statement: Option<usize>,
    span: Location,
    labels: Vec<JsonLabel>,
}

#[derive(Serialize)]
struct JsonLabel {
    label: String,
    primary: bool,
    span: Location,
}

fn json(results: &[Linted], counts: Counts, fail: Severity, failed: bool) -> String {
    let files = results
        .iter()
        .map(|r| {
            let text = r.checked.as_ref().map_or("", |c| c.document.source.text());
            JsonFile {
                file: &r.file,
                input_kind: r.checked.as_ref().map(|c| c.authorizer.shape),
                error: r.error.as_ref().map(|e| JsonError {
                    kind: format!("{:?}", e.kind).to_ascii_lowercase(),
                    message: e.message.clone(),
                    span: e.location(),
                }),
                findings: r
                    .findings
                    .iter()
                    .map(|f| JsonFinding {
                        code: f.rule.code,
                        name: f.rule.name,
                        severity: f.severity,
                        message: f.message.clone(),
                        help: f.help.clone(),
                        statement: f.statement,
                        span: Location::of(text, f.span),
                        labels: std::iter::once(JsonLabel {
                            label: f.label.clone(),
                            primary: true,
                            span: Location::of(text, f.span),
                        })
                        .chain(f.related.iter().map(|(s, l)| JsonLabel {
                            label: l.clone(),
                            primary: false,
                            span: Location::of(text, *s),
                        }))
                        .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    let doc = JsonOut {
        schema_version: JSON_VERSION,
        files,
        summary: JsonSummary {
            counts,
            fail_level: fail,
            failed,
        },
    };
    serde_json::to_string_pretty(&doc).expect("serializable") + "\n"
}

// ---- SARIF 2.1.0 ---------------------------------------------------------------------

#[derive(Serialize)]
struct SarifLog {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<SarifRun>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun {
    tool: SarifTool,
    invocations: Vec<SarifInvocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct SarifTool {
    driver: SarifDriver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifDriver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<SarifRule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule {
    id: &'static str,
    name: &'static str,
    short_description: SarifText,
    full_description: SarifText,
    help: SarifHelp,
    default_configuration: SarifConfiguration,
    properties: SarifRuleProperties,
}

#[derive(Serialize)]
struct SarifRuleProperties {
    family: &'static str,
}

#[derive(Serialize)]
struct SarifConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
struct SarifText {
    text: String,
}

#[derive(Serialize)]
struct SarifHelp {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifInvocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<SarifNotification>,
}

#[derive(Serialize)]
struct SarifNotification {
    level: &'static str,
    message: SarifText,
    locations: Vec<SarifLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: SarifText,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: SarifPhysical,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<SarifText>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysical {
    artifact_location: SarifArtifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<SarifRegion>,
}

#[derive(Serialize)]
struct SarifArtifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn uri(file: &str) -> String {
    file.replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20")
        .replace('#', "%23")
        .replace('?', "%3F")
}

fn region(text: &str, span: policy_check::Span) -> SarifRegion {
    let start = Location::of(text, span);
    let end = Location::of(text, policy_check::Span::new(span.end(), 0));
    SarifRegion {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        byte_offset: span.offset,
        byte_length: span.len,
    }
}

fn sarif_location(file: &str, text: &str, span: policy_check::Span) -> SarifPhysical {
    SarifPhysical {
        artifact_location: SarifArtifact { uri: uri(file) },
        region: Some(region(text, span)),
    }
}

fn sarif(results: &[Linted]) -> String {
    let rules = RULES
        .iter()
        .map(|r| SarifRule {
            id: r.code,
            name: r.name,
            short_description: SarifText {
                text: r.summary.to_string(),
            },
            full_description: SarifText {
                text: first_paragraph(r),
            },
            help: SarifHelp {
                text: r.docs_text(),
                markdown: r.docs_text(),
            },
            default_configuration: SarifConfiguration {
                level: sarif_level(r.severity),
            },
            properties: SarifRuleProperties {
                family: r.family_name(),
            },
        })
        .collect();
    let index = |rule: &Rule| RULES.iter().position(|r| r.code == rule.code).unwrap_or(0);
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for r in results {
        if let Some(e) = &r.error {
            notes.push(SarifNotification {
                level: "error",
                message: SarifText {
                    text: e.message.clone(),
                },
                locations: vec![SarifLocation {
                    id: None,
                    physical_location: SarifPhysical {
                        artifact_location: SarifArtifact { uri: uri(&r.file) },
                        region: None,
                    },
                    message: None,
                }],
            });
            continue;
        }
        let Some(c) = &r.checked else { continue };
        let text = c.document.source.text();
        for f in &r.findings {
            out.push(SarifResult {
                rule_id: f.rule.code,
                rule_index: index(f.rule),
                level: sarif_level(f.severity),
                message: SarifText {
                    text: format!("{} ({}); help: {}", f.message, f.label, f.help),
                },
                locations: vec![SarifLocation {
                    id: None,
                    physical_location: sarif_location(&r.file, text, f.span),
                    message: None,
                }],
                related_locations: f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, (s, l))| SarifLocation {
                        id: Some(i + 1),
                        physical_location: sarif_location(&r.file, text, *s),
                        message: Some(SarifText { text: l.clone() }),
                    })
                    .collect(),
            });
        }
    }
    let log = SarifLog {
        schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        version: "2.1.0",
        runs: vec![SarifRun {
            tool: SarifTool {
                driver: SarifDriver {
                    name: "policy-check",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            invocations: vec![SarifInvocation {
                execution_successful: notes.is_empty(),
                tool_execution_notifications: notes,
            }],
            column_kind: "unicodeCodePoints",
            results: out,
        }],
    };
    serde_json::to_string_pretty(&log).expect("serializable") + "\n"
}

fn first_paragraph(r: &Rule) -> String {
    let docs = r.docs_text();
    let body = docs
        .split("## What it does")
        .nth(1)
        .unwrap_or(&docs)
        .split("\n## ")
        .next()
        .unwrap_or("");
    body.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---- GitHub workflow commands ---------------------------------------------------------

fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github(results: &[Linted]) -> String {
    let mut out = String::new();
    for r in results {
        if let Some(e) = &r.error {
            let at = e
                .location()
                .map(|l| format!(",line={},col={}", l.line, l.column))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "::error file={}{at},title=policy-check::{}",
                gh_prop(&r.file),
                gh_data(&e.message)
            );
            continue;
        }
        let Some(c) = &r.checked else { continue };
        let text = c.document.source.text();
        for f in &r.findings {
            let reg = region(text, f.span);
            let cmd = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let _ = writeln!(
                out,
                "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                gh_prop(&r.file),
                reg.start_line,
                reg.start_column,
                reg.end_line,
                reg.end_column,
                gh_prop(&format!("{} {}", f.rule.code, f.rule.name)),
                gh_data(&format!("{} (help: {})", f.message, f.help))
            );
        }
    }
    out
}

// ---- rules, rule, schema ----------------------------------------------------------------

#[derive(Serialize)]
struct JsonRule {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    family: &'static str,
    summary: &'static str,
    docs: String,
}

fn json_rule(r: &Rule) -> JsonRule {
    JsonRule {
        code: r.code,
        name: r.name,
        severity: r.severity,
        family: r.family_name(),
        summary: r.summary,
        docs: r.docs_text(),
    }
}

pub fn rules(args: &RulesArgs) -> Exit {
    let text = match args.format {
        RulesFormat::Json => {
            let all: Vec<JsonRule> = RULES.iter().map(|r| json_rule(r)).collect();
            serde_json::to_string_pretty(&all).expect("serializable") + "\n"
        }
        RulesFormat::Human => {
            let mut out = String::new();
            let w = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let mut family = "";
            for r in RULES {
                if r.family_name() != family {
                    family = r.family_name();
                    let _ = writeln!(out, "{}{family}", if out.is_empty() { "" } else { "\n" });
                }
                let _ = writeln!(
                    out,
                    "  {}  {:w$}  {:7}  {}",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary
                );
            }
            let _ = writeln!(
                out,
                "\n{} rules; `policy-check rule CODE` prints one",
                RULES.len()
            );
            out
        }
    };
    output::out(&text);
    Exit::Ok
}

pub fn rule(args: &RuleArgs) -> Exit {
    match lint::find_rule(&args.rule) {
        Some(r) => {
            output::out(&format!(
                "{} {} ({}, {} family)\n\n{}\n\n{}",
                r.code,
                r.name,
                r.severity,
                r.family_name(),
                r.summary,
                r.docs_text()
            ));
            Exit::Ok
        }
        None => {
            let near = lint::RULES
                .iter()
                .map(|r| r.name)
                .find(|n| n.contains(&args.rule.to_ascii_lowercase()));
            output::error(&format!(
                "no rule `{}`{}; `policy-check rules` lists them",
                args.rule,
                near.map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default()
            ));
            Exit::CannotAnswer
        }
    }
}

pub fn schema() -> Exit {
    output::out(policy_check::schema::SCHEMA);
    Exit::Ok
}
