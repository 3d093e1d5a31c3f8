//! Command-line definitions and dispatch. Exit codes (one table for every subcommand):
//! 0 allowed / all expectations met · 1 denied or depends / an expectation failed ·
//! 2 the tool could not answer (usage, I/O, not JSON) · 3 the authorizer output is malformed.

mod check;
mod completions;
mod explain_cmd;
mod lint_cmd;
mod output;
mod request_cmd;
mod test_cmd;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The text after `--help`'s options: the exit-code table (one source: `exit_codes`) and
/// examples.
fn after_help() -> String {
    format!(
        "Exit codes (every subcommand):\n{}\nExamples:\n{}",
        crate::exit_codes::plain(),
        "  policy-check policy.json GET /things --stage prod
  policy-check policy.json --arn arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things
  policy-check policy.json GET https://abc123.execute-api.us-east-1.amazonaws.com/prod/things
  node authorizer.js | policy-check - GET /things --format json
  policy-check test 'fixtures/**/*.test.json'
  policy-check lint 'authorizers/**/*.json' --format sarif"
    )
}

/// Predict what API Gateway does with a Lambda authorizer's output, offline, and explain why.
#[derive(Debug, Parser)]
#[command(
    name = "policy-check",
    version,
    about,
    after_help = after_help(),
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    arg_required_else_help = true
)]
pub(crate) struct Cli {
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
    /// From an error response you saw (curl, httpie, HAR, or --status/--error-type/--body)
    /// to its causes, most likely first; with --api and --request, replay the request.
    Explain(explain_cmd::ExplainArgs),
    /// Print a shell completion script (`policy-check completions bash > /etc/bash_completion.d/policy-check`).
    Completions(completions::CompletionsArgs),
    /// Print the man page in roff (`policy-check man > policy-check.1`).
    Man,
    /// The whole HTTP answer API Gateway gives to a request, from the API's definition.
    Request(Box<request_cmd::RequestArgs>),
    /// List the routes the tool reads from an API definition.
    Routes(request_cmd::RoutesArgs),
}

/// Arguments of the default command: decide one request.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The authorizer output: a policyDocument, a REST authorizer response or an HTTP API
    /// simple response; `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    file: Option<String>,
    /// HTTP method of the request (upper-cased).
    #[arg(value_name = "METHOD", required_unless_present_any = ["arn", "event"])]
    method: Option<String>,
    /// Request path, starting with `/` (a query string is dropped), or a whole invoke URL
    /// (`https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/{path}`), which pins the
    /// API id, region and stage.
    #[arg(value_name = "PATH", required_unless_present_any = ["arn", "event"])]
    path: Option<String>,
    /// The request's method ARN instead of METHOD PATH (needed for `$default` stages and
    /// WebSocket routes such as `$connect`), or an invoke URL with METHOD.
    #[arg(long, conflicts_with_all = ["path", "partition", "region", "account", "api_id", "stage", "event"])]
    arn: Option<String>,
    /// An authorizer event (the JSON API Gateway sends the authorizer, e.g. from a test or a
    /// log): its `methodArn` or `routeArn` is the request.
    #[arg(long, value_name = "EVENT_FILE", conflicts_with_all = ["method", "path", "partition", "region", "account", "api_id", "stage"])]
    event: Option<std::path::PathBuf>,
    #[command(flatten)]
    pins: Pins,
    /// The API type the answer is for [default: inferred: an HTTP simple response or a
    /// `$default` stage → http; a WebSocket route key → websocket; else rest].
    #[arg(long, value_enum)]
    api_type: Option<ApiTypeArg>,
    /// How to read the input; `auto` detects it from its keys.
    #[arg(long, value_enum, default_value_t = InputKindArg::Auto)]
    input_kind: InputKindArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Assert the outcome: exit 0 when it holds, 1 when it does not. With unpinned parts
    /// it must hold for every value of them. One of allow, deny, explicit-deny,
    /// implicit-deny, malformed, depends, not-invoked (any case; `_` or `-`).
    #[arg(long, value_parser = parse_expect, value_name = "OUTCOME")]
    expect: Option<crate::Expect>,
    #[command(flatten)]
    style: StyleArgs,
}

/// ARN parts to pin; unpinned parts are unknown, and the answer must hold for all of them.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct Pins {
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
pub(crate) struct StyleArgs {
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
enum ApiTypeArg {
    Rest,
    Http,
    Websocket,
}

impl From<ApiTypeArg> for crate::ApiType {
    fn from(a: ApiTypeArg) -> Self {
        match a {
            ApiTypeArg::Rest => crate::ApiType::Rest,
            ApiTypeArg::Http => crate::ApiType::Http,
            ApiTypeArg::Websocket => crate::ApiType::Websocket,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum InputKindArg {
    Auto,
    Policy,
    Rest,
    Http,
}

impl From<InputKindArg> for crate::InputKind {
    fn from(k: InputKindArg) -> Self {
        match k {
            InputKindArg::Auto => crate::InputKind::Auto,
            InputKindArg::Policy => crate::InputKind::Policy,
            InputKindArg::Rest => crate::InputKind::Rest,
            InputKindArg::Http => crate::InputKind::Http,
        }
    }
}

fn parse_expect(s: &str) -> Result<crate::Expect, String> {
    crate::Expect::parse(s).ok_or_else(|| {
        format!("`{s}` is not an outcome; use allow, deny, explicit-deny, implicit-deny, malformed, depends or not-invoked")
    })
}

impl StyleArgs {
    /// The style of what goes to stdout (reports).
    fn style(&self) -> crate::report::Style {
        use std::io::IsTerminal;
        let out = std::io::stdout();
        self.style_for(out.is_terminal(), terminal_size::terminal_size_of(&out))
    }

    /// The style of what goes to stderr (could-not-answer errors): colour is decided by
    /// stderr being a terminal, so `2>err.log` never gets escapes.
    fn stderr_style(&self) -> crate::report::Style {
        use std::io::IsTerminal;
        let err = std::io::stderr();
        self.style_for(err.is_terminal(), terminal_size::terminal_size_of(&err))
    }

    fn style_for(
        &self,
        terminal: bool,
        size: Option<(terminal_size::Width, terminal_size::Height)>,
    ) -> crate::report::Style {
        let color = match self.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal,
        };
        // COLUMNS wins (tests and scripts fix the width with it); then the terminal's own
        // width; 100 columns when neither is known (pipes, files).
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .or_else(|| size.filter(|_| terminal).map(|(w, _)| usize::from(w.0)))
            .filter(|w| *w >= 40)
            .unwrap_or(100);
        crate::report::Style { color, width }
    }
}

/// Exit codes, as documented in --help and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
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

/// Parses the command line and runs it: the whole binary.
pub fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    // The matches are kept: `request` groups its options by their position (`--then`).
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|c| (c, m)));
    let (cli, matches) = match parsed {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let exit = match cli.command {
        Some(Command::Test(args)) => test_cmd::run(&args),
        Some(Command::Lint(args)) => lint_cmd::run(&args),
        Some(Command::Rules(args)) => lint_cmd::rules(&args),
        Some(Command::Rule(args)) => lint_cmd::rule(&args),
        Some(Command::Schema) => lint_cmd::schema(),
        Some(Command::Explain(args)) => explain_cmd::run(&args),
        Some(Command::Completions(args)) => completions::completions(&args),
        Some(Command::Man) => completions::man(),
        Some(Command::Request(args)) => match matches.subcommand_matches("request") {
            Some(m) => request_cmd::run(&args, m),
            None => Exit::CannotAnswer,
        },
        Some(Command::Routes(args)) => request_cmd::routes(&args),
        None => check::run(&cli.check),
    };
    exit.into()
}

/// A clap error: help and version go to stdout (exit 0); a usage error is printed by clap on
/// stderr and, when `--format json` was asked for, also as the JSON error document on stdout
/// (exit 2), so scripts reading JSON always get JSON.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    if matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let args: Vec<String> = std::env::args().collect();
    let json = args
        .windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json")
        || args.iter().any(|a| a == "--format=json");
    if json {
        let message = e.kind().as_str().map_or_else(
            || e.to_string().lines().next().unwrap_or_default().to_string(),
            str::to_string,
        );
        let err = crate::InputError::plain(
            crate::source::ErrorKind::Invalid,
            format!("usage: {message}"),
        )
        .with_help("policy-check --help shows the usage");
        output::write(|o| crate::report::error_json::write(&err, o));
    }
    let _ = e.print();
    ExitCode::from(2)
}
