//! `policy-check test`: arguments and dispatch (the runner is `fixture::run`, the printers
//! `report::{test_human, test_json, junit}`).

use crate::fixture::run::LintConfig;
use crate::fixture::{self, SUFFIX};
use crate::report;

use super::output;
use super::{Exit, StyleArgs};

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Fixture files, directories (searched for `*.test.json`) or quoted glob patterns.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    format: TestFormat,
    /// Configuration for `lint_clean` expectations [default: the nearest .policy-check.toml
    /// from each fixture's directory upwards, as `lint` would use].
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<std::path::PathBuf>,
    /// Ignore any .policy-check.toml (`lint_clean` uses every rule's default level).
    #[arg(long)]
    no_config: bool,
    #[command(flatten)]
    style: StyleArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TestFormat {
    Human,
    Json,
    Junit,
}

pub fn run(args: &TestArgs) -> Exit {
    let style = args.style.style();
    let files = match fixture::run::discover(&args.paths) {
        Ok(f) if f.is_empty() => {
            output::error(&format!("no `*{SUFFIX}` fixture files found"));
            return Exit::CannotAnswer;
        }
        Ok(f) => f,
        Err(e) => {
            output::error(&e);
            return Exit::CannotAnswer;
        }
    };
    let config = if args.no_config {
        LintConfig::Default
    } else if let Some(path) = &args.config {
        match crate::config::Config::load(path) {
            Ok(c) => LintConfig::Given(c),
            Err(e) => {
                output::diagnostic(&report::config_error(&e), args.style.stderr_style());
                return Exit::CannotAnswer;
            }
        }
    } else {
        LintConfig::Nearest
    };
    let run = fixture::run::run_files(&files, &config);
    output::write(|o| match args.format {
        TestFormat::Human => report::test_human::write(&run, style, o),
        TestFormat::Json => report::test_json::write(&run, style, o),
        TestFormat::Junit => report::junit::write(&run, style, o),
    });
    if args.format != TestFormat::Human {
        for e in run.files.iter().filter_map(|f| f.error.as_ref()) {
            output::diagnostic(e, args.style.stderr_style());
        }
    }
    if run.errors() > 0 {
        Exit::CannotAnswer
    } else if run.failed() > 0 {
        Exit::Denied
    } else {
        Exit::Ok
    }
}
