//! `policy-check lint`, `rules`, `rule` and `schema`.
//!
//! Exit codes of `lint`: 0 no finding at or above `--fail-level` · 1 findings at or above
//! it · 2 a usage or configuration error, or a file that could not be read or is not JSON
//! (every other file is still linted and reported), or an API definition (`--api`) that
//! cannot be read.

use std::path::PathBuf;

use crate::config::Config;
use crate::lint::{self, Severity};
use crate::report;

use super::output;
use super::{Exit, InputKindArg, StyleArgs};

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
    /// The API definition the outputs answer for (OpenAPI / Swagger, CloudFormation or SAM;
    /// JSON or YAML): adds the rules that need it, over each output and over the definition.
    #[arg(long, value_name = "API_FILE")]
    api: Option<PathBuf>,
    /// The API to use when the template holds several (its logical id).
    #[arg(long, value_name = "NAME", requires = "api")]
    api_name: Option<String>,
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
    /// The rule reference as Markdown (docs/lint.md's rule sections).
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// A rule code (`PC012`) or name (`version-invalid`).
    #[arg(value_name = "RULE")]
    rule: String,
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
                output::diagnostic(&report::config_error(&e), args.style.stderr_style());
                return Exit::CannotAnswer;
            }
        }
    };
    let fail: Severity = args
        .fail_level
        .map(Severity::from)
        .or(config.fail_level)
        .unwrap_or(Severity::Error);
    let files = match crate::lint_run::discover(&args.paths) {
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
    // The definition is read once, before any output: unreadable is exit 2 with its span.
    let api = match &args.api {
        Some(path) => match crate::lint_run::load_api(path, args.api_name.as_deref()) {
            Ok(api) => Some(api),
            Err(e) => {
                output::diagnostic(&e, args.style.stderr_style());
                return Exit::CannotAnswer;
            }
        },
        None => None,
    };
    let opts = crate::lint_run::Options {
        config: &config,
        kind: args.input_kind.into(),
        fail_level: fail,
        api: api.as_ref(),
    };
    let run = crate::lint_run::run(files, &opts);
    output::write(|o| match args.format {
        LintFormat::Human => report::lint_human::write(&run, style, o),
        LintFormat::Json => report::lint_json::write(&run, style, o),
        LintFormat::Sarif => report::sarif::write(&run, style, o),
        LintFormat::Github => report::github::write(&run, style, o),
    });
    if args.format != LintFormat::Human {
        for e in run.errors() {
            output::diagnostic(e, args.style.stderr_style());
        }
    }
    if run.counts.unreadable > 0 {
        Exit::CannotAnswer
    } else if run.failed() {
        Exit::Denied
    } else {
        Exit::Ok
    }
}

pub fn rules(args: &RulesArgs) -> Exit {
    output::write(|o| match args.format {
        RulesFormat::Json => report::rules::write_json(o),
        RulesFormat::Human => report::rules::write_human(o),
        RulesFormat::Markdown => report::rules::write_markdown(o),
    });
    Exit::Ok
}

pub fn rule(args: &RuleArgs) -> Exit {
    match lint::find_rule(&args.rule) {
        Some(r) => {
            output::write(|o| report::rules::write_rule(r, o));
            Exit::Ok
        }
        None => {
            let names: Vec<&str> = lint::RULES.iter().map(|r| r.name).collect();
            let near = lint::suggest(&args.rule, &names, 3);
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
    output::write(|o| o.write_all(crate::schema::SCHEMA.as_bytes()));
    Exit::Ok
}
