//! Command-line definitions and dispatch. Exit codes (one table for every subcommand):
//! 0 allowed / all expectations met · 1 denied or depends / an expectation failed ·
//! 2 the tool could not answer (usage, I/O, not JSON) · 3 the authorizer output is malformed.

mod check;
mod completions;
mod discover;
mod lint_cmd;
mod output;
mod test_cmd;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes (every subcommand):
  0  allowed; every --expect / fixture expectation met; lint clean at --fail-level
  1  denied, explicitly or implicitly, or the answer depends on unpinned ARN parts;
     an expectation failed; lint findings at or above --fail-level
  2  the tool could not answer: usage error, unreadable file, not JSON
  3  the authorizer output is malformed: API Gateway would answer 500

Examples:
  policy-check policy.json GET /things --stage prod
  policy-check policy.json --arn arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things
  node authorizer.js | policy-check - GET /things --format json
  policy-check test 'fixtures/**/*.test.json'
  policy-check lint 'authorizers/**/*.json' --format sarif";

/// Predict what API Gateway does with a Lambda authorizer's output, offline, and explain why.
#[derive(Debug, Parser)]
#[command(
    name = "policy-check",
    version,
    about,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run fixture files: each names an authorizer output and requests with expected outcomes.
    Test(test_cmd::TestArgs),
    /// Lint authorizer outputs: every finding of every file, with rule codes and spans.
    Lint(lint_cmd::LintArgs),
    /// List the lint rules.
    Rules(lint_cmd::RulesArgs),
    /// Print one lint rule's documentation (`policy-check rule PC012`).
    Rule(lint_cmd::RuleArgs),
    /// Print the JSON Schema of authorizer output (for editors).
    Schema,
    /// Print a shell completion script (`policy-check completions bash > /etc/bash_completion.d/policy-check`).
    Completions(completions::CompletionsArgs),
    /// Print the man page in roff (`policy-check man > policy-check.1`).
    Man,
}

/// Arguments of the default command: decide one request.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The authorizer output: a policyDocument, a REST authorizer response or an HTTP API
    /// simple response; `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    file: Option<String>,
    /// HTTP method of the request (upper-cased).
    #[arg(value_name = "METHOD", required_unless_present = "arn")]
    method: Option<String>,
    /// Request path, starting with `/` (a query string is dropped).
    #[arg(value_name = "PATH", required_unless_present = "arn")]
    path: Option<String>,
    /// The whole method ARN instead of METHOD PATH (needed for `$default` stages and
    /// WebSocket routes such as `$connect`).
    #[arg(long, conflicts_with_all = ["method", "path", "partition", "region", "account", "api_id", "stage"])]
    arn: Option<String>,
    #[command(flatten)]
    pins: Pins,
    /// How to read the input; `auto` detects it from its keys.
    #[arg(long, value_enum, default_value_t = InputKindArg::Auto)]
    input_kind: InputKindArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Assert the outcome: exit 0 when it holds, 1 when it does not. With unpinned parts
    /// it must hold for every value of them.
    #[arg(long, value_parser = parse_expect)]
    expect: Option<policy_check::Expect>,
    #[command(flatten)]
    style: StyleArgs,
}

/// ARN parts to pin; unpinned parts are unknown, and the answer must hold for all of them.
#[derive(Debug, Args, Clone, Default)]
pub struct Pins {
    /// ARN partition (aws, aws-cn, aws-us-gov…).
    #[arg(long)]
    partition: Option<String>,
    /// Region, e.g. us-east-1.
    #[arg(long)]
    region: Option<String>,
    /// Account id.
    #[arg(long)]
    account: Option<String>,
    /// API id.
    #[arg(long = "api-id")]
    api_id: Option<String>,
    /// Stage name.
    #[arg(long)]
    stage: Option<String>,
}

/// Colour and width of human output.
#[derive(Debug, Args, Clone)]
pub struct StyleArgs {
    /// Colour: auto uses it on a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum InputKindArg {
    Auto,
    Policy,
    Rest,
    Http,
}

impl From<InputKindArg> for policy_check::InputKind {
    fn from(k: InputKindArg) -> Self {
        match k {
            InputKindArg::Auto => policy_check::InputKind::Auto,
            InputKindArg::Policy => policy_check::InputKind::Policy,
            InputKindArg::Rest => policy_check::InputKind::Rest,
            InputKindArg::Http => policy_check::InputKind::Http,
        }
    }
}

fn parse_expect(s: &str) -> Result<policy_check::Expect, String> {
    policy_check::Expect::parse(s).ok_or_else(|| {
        format!("`{s}` is not an outcome; use allow, deny, explicit-deny, implicit-deny, malformed or depends")
    })
}

impl StyleArgs {
    fn style(&self) -> policy_check::report::Style {
        use std::io::IsTerminal;
        let color = match self.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        };
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .filter(|w| *w >= 40)
            .unwrap_or(100);
        policy_check::report::Style { color, width }
    }
}

/// Exit codes, as documented in --help and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0
    Ok,
    /// 1
    Denied,
    /// 2
    CannotAnswer,
    /// 3
    Malformed,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(match e {
            Exit::Ok => 0,
            Exit::Denied => 1,
            Exit::CannotAnswer => 2,
            Exit::Malformed => 3,
        })
    }
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let exit = match cli.command {
        Some(Command::Test(args)) => test_cmd::run(&args),
        Some(Command::Lint(args)) => lint_cmd::run(&args),
        Some(Command::Rules(args)) => lint_cmd::rules(&args),
        Some(Command::Rule(args)) => lint_cmd::rule(&args),
        Some(Command::Schema) => lint_cmd::schema(),
        Some(Command::Completions(args)) => completions::completions(&args),
        Some(Command::Man) => completions::man(),
        None => check::run(&cli.check),
    };
    exit.into()
}
