//! `policy-check explain`: arguments and dispatch (the driver is `explain::run`).

use std::path::PathBuf;

use clap::Args;

use super::{Exit, Format, StyleArgs, output};
use crate::explain::run::{self, ReplayInput};
use crate::explain::{Capture, Fields};
use crate::report;
use crate::source::InputError;

/// Arguments of `policy-check explain`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("input").required(true).multiple(true)
    .args(["file", "status", "error_type", "body"]))]
pub(crate) struct ExplainArgs {
    /// The response as you have it: `curl -i` or `curl -v` output, httpie output, a HAR
    /// file, a bare body or message; `-` reads standard input.
    #[arg(value_name = "FILE", conflicts_with_all = ["status", "error_type", "body"])]
    file: Option<PathBuf>,
    /// The response's status code, instead of FILE.
    #[arg(long, value_name = "CODE")]
    status: Option<u16>,
    /// The response's `x-amzn-ErrorType` header, instead of FILE.
    #[arg(long, value_name = "TYPE")]
    error_type: Option<String>,
    /// The response's body (JSON, HTML or a message), instead of FILE.
    #[arg(long, value_name = "BODY")]
    body: Option<String>,
    /// The API definition (OpenAPI / Swagger, CloudFormation or SAM): with --request, the
    /// request is replayed and the causes it rules out are marked.
    #[arg(long, value_name = "API_FILE")]
    api: Option<PathBuf>,
    /// The API to use in a template that holds several (its logical id).
    #[arg(long, value_name = "NAME", requires = "api")]
    api_name: Option<String>,
    /// The request that got the response, `METHOD TARGET`: a path after the stage or an
    /// invoke URL (which pins the stage), e.g. 'GET https://abc123.execute-api.us-east-1.amazonaws.com/prod/things'.
    #[arg(long, value_name = "METHOD TARGET", requires = "api")]
    request: Option<String>,
    /// A request header, 'Name: value' (repeatable).
    #[arg(
        short = 'H',
        long = "header",
        value_name = "HEADER",
        requires = "request"
    )]
    headers: Vec<String>,
    /// What the authorizer returns for the request (a JSON file).
    #[arg(
        long,
        value_name = "FILE",
        requires = "request",
        conflicts_with = "authorizer_throws"
    )]
    authorizer_output: Option<PathBuf>,
    /// The message the authorizer throws instead (`Unauthorized` → 401, anything else → 500).
    #[arg(long, value_name = "MESSAGE", requires = "request")]
    authorizer_throws: Option<String>,
    /// Facts no definition carries (API keys, stage variables, account…), a JSON file.
    #[arg(long, value_name = "FILE", requires = "request")]
    facts: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    style: StyleArgs,
}

/// Exit 0 when a cause was found, 1 when none matches, 2 when the input cannot be read.
pub(crate) fn run(args: &ExplainArgs) -> Exit {
    let fail = |e: &InputError| {
        if args.format == Format::Json {
            output::write(|o| report::error_json::write(e, o));
        }
        output::diagnostic(e, args.style.stderr_style());
        Exit::CannotAnswer
    };
    let capture = match &args.file {
        Some(path) => run::read_capture(path),
        None => Capture::from_fields(Fields {
            status: args.status,
            error_type: args.error_type.clone(),
            body: args.body.clone(),
        }),
    };
    let capture = match capture {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let replay = args.api.as_deref().map(|api| ReplayInput {
        api,
        api_name: args.api_name.as_deref(),
        request: args.request.as_deref(),
        headers: &args.headers,
        authorizer_output: args.authorizer_output.as_deref(),
        authorizer_throws: args.authorizer_throws.as_deref(),
        facts: args.facts.as_deref(),
    });
    let explanation = match run::run(&capture, replay.as_ref()) {
        Ok(e) => e,
        Err(e) => return fail(&e),
    };
    let style = args.style.style();
    output::write(|o| match args.format {
        Format::Human => report::explain_human::write(&explanation, style, o),
        Format::Json => report::explain_json::write(&explanation, style, o),
    });
    if explanation.found() {
        Exit::Ok
    } else {
        Exit::Denied
    }
}
