//! `policy-check request` and `policy-check routes`: arguments and dispatch (the driver is
//! `request_run`, the printers `report::{request_human, request_json, routes_human,
//! routes_json}`).
//!
//! `--then 'METHOD TARGET'` starts another request of a sequence. The options that belong
//! to one request (`-H`, `--data`, `--source-ip`, `--after`, `--authorizer-output`,
//! `--authorizer-throws`) apply to the request whose `--then` they follow (before the first
//! `--then`: the first request). clap keeps each occurrence's position on the command line
//! (`ArgMatches::indices_of`), which is how they are grouped; what a request leaves out
//! is carried over from the one before it by `request_run::sequence`.

use std::path::PathBuf;

use clap::ArgMatches;

use crate::InputError;
use crate::report;
use crate::request_run::{self, BehaviourSpec, Pins, RequestParts, RequestSpec};
use crate::source::ErrorKind;

use super::output;
use super::{Exit, Format, StyleArgs};

/// The requests API Gateway would answer, from the API's own definition.
#[derive(Debug, clap::Args)]
#[command(after_help = REQUEST_HELP)]
pub(crate) struct RequestArgs {
    /// The API definition: OpenAPI 3 / Swagger 2 (JSON or YAML, with the
    /// x-amazon-apigateway-* extensions), or a CloudFormation / SAM template (`cdk synth`
    /// output is one).
    #[arg(long, value_name = "API_FILE")]
    api: PathBuf,
    /// The API's logical id, when the template holds several.
    #[arg(long, value_name = "NAME")]
    api_name: Option<String>,
    /// What no definition carries: API keys and their plans, stage variables, endpoint
    /// type, cross-account, account, region (JSON).
    #[arg(long, value_name = "FACTS_FILE")]
    facts: Option<PathBuf>,
    /// Stage name (an invoke URL's stage wins).
    #[arg(long)]
    stage: Option<String>,
    /// Region (an invoke URL's region wins).
    #[arg(long)]
    region: Option<String>,
    /// Account id of the API.
    #[arg(long)]
    account: Option<String>,
    /// API id (an invoke URL's API id wins).
    #[arg(long = "api-id", value_name = "ID")]
    api_id: Option<String>,
    /// ARN partition [default: the region's partition].
    #[arg(long)]
    partition: Option<String>,
    /// What the authorizer returns (`-` reads standard input). Given after a `--then`, for
    /// that request; otherwise the previous request's behaviour is kept.
    #[arg(long, value_name = "FILE", action = clap::ArgAction::Append)]
    authorizer_output: Vec<PathBuf>,
    /// The message the authorizer throws (`Unauthorized` → 401, anything else → 500).
    #[arg(long, value_name = "MESSAGE", action = clap::ArgAction::Append)]
    authorizer_throws: Vec<String>,
    /// A request header, `Name: value` (repeatable). Headers given after a `--then` replace
    /// the previous request's; a `--then` without any keeps them.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", action = clap::ArgAction::Append)]
    header: Vec<String>,
    /// The request body (only for the request it follows).
    #[arg(long, value_name = "BODY", action = clap::ArgAction::Append)]
    data: Vec<String>,
    /// The client's IP address, for `aws:SourceIp` conditions of the resource policy.
    #[arg(long, value_name = "IP", action = clap::ArgAction::Append)]
    source_ip: Vec<std::net::IpAddr>,
    /// Another request after this one, sharing the authorizer cache (repeatable).
    #[arg(long, value_name = "METHOD TARGET", action = clap::ArgAction::Append)]
    then: Vec<String>,
    /// Seconds between the previous request and the `--then` request it follows.
    #[arg(long, value_name = "SECONDS", action = clap::ArgAction::Append)]
    after: Vec<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// HTTP method.
    #[arg(value_name = "METHOD")]
    method: String,
    /// A path after the stage (`/things?x=1`, with --stage), or a whole invoke URL
    /// (`https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/{path}`).
    #[arg(value_name = "TARGET")]
    target: String,
    #[command(flatten)]
    style: StyleArgs,
}

const REQUEST_HELP: &str = "Sequences (the authorizer cache, with a virtual clock):
  policy-check request --api api.json --authorizer-output out.json -H 'Authorization: Bearer t' \\
      GET /things/1 --stage prod --then 'GET /things/2' --after 60 --then 'GET /things/2' -H 'Authorization: Bearer u'
  Options after a --then apply to that request; -H, --authorizer-output/--authorizer-throws and
  --source-ip not given again are kept from the previous request; --data and --after are not.";

/// The route table the tool reads from an API definition.
#[derive(Debug, clap::Args)]
pub(crate) struct RoutesArgs {
    /// The API definition.
    #[arg(long, value_name = "API_FILE")]
    api: PathBuf,
    /// The API's logical id, when the template holds several.
    #[arg(long, value_name = "NAME")]
    api_name: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    style: StyleArgs,
}

/// The occurrences of option `id`, each with its position on the command line.
fn occurrences<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Vec<(usize, T)> {
    match (m.indices_of(id), m.get_many::<T>(id)) {
        (Some(i), Some(v)) => i.zip(v.cloned()).collect(),
        _ => Vec::new(),
    }
}

fn usage(message: impl Into<String>) -> InputError {
    InputError::plain(ErrorKind::Invalid, message).with_help("policy-check request --help")
}

/// Splits the command line into the requests of the sequence (see the module's comment).
fn specs(args: &RequestArgs, m: &ArgMatches) -> Result<Vec<RequestSpec>, InputError> {
    let thens: Vec<(usize, String)> = occurrences(m, "then");
    // The request an occurrence at `index` belongs to: 0 before the first --then.
    let owner = |index: usize| thens.iter().filter(|(t, _)| *t < index).count();
    let n = thens.len() + 1;
    let mut per: Vec<RequestParts> = (0..n).map(|_| RequestParts::default()).collect();
    (per[0].method, per[0].target) = (args.method.clone(), args.target.clone());
    for (i, h) in occurrences::<String>(m, "header") {
        let Some((name, value)) = h.split_once(':') else {
            return Err(usage(format!(
                "`{h}` is not a header: write -H 'Name: value'"
            )));
        };
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(usage(format!("`{h}` has no header name before `:`")));
        }
        per[owner(i)]
            .headers
            .get_or_insert_with(Vec::new)
            .push((name.to_string(), value.trim_start().to_string()));
    }
    for (i, d) in occurrences::<String>(m, "data") {
        set_once(&mut per[owner(i)].data, d, "--data")?;
    }
    for (i, ip) in occurrences::<std::net::IpAddr>(m, "source_ip") {
        set_once(&mut per[owner(i)].source_ip, ip, "--source-ip")?;
    }
    for (i, s) in occurrences::<u64>(m, "after") {
        let k = owner(i);
        if k == 0 {
            return Err(usage(
                "--after goes after a --then: it is the time since the previous request",
            ));
        }
        set_once(&mut per[k].after, s, "--after")?;
    }
    for (i, p) in occurrences::<PathBuf>(m, "authorizer_output") {
        set_once(
            &mut per[owner(i)].behaviour,
            BehaviourSpec::Output(p),
            "--authorizer-output or --authorizer-throws",
        )?;
    }
    for (i, t) in occurrences::<String>(m, "authorizer_throws") {
        set_once(
            &mut per[owner(i)].behaviour,
            BehaviourSpec::Throws(t),
            "--authorizer-output or --authorizer-throws",
        )?;
    }
    for (k, p) in per.iter_mut().enumerate().skip(1) {
        let text = thens[k - 1].1.trim();
        let Some((m, t)) = text.split_once(char::is_whitespace) else {
            return Err(usage(format!(
                "--then `{text}` is not `METHOD TARGET`: write --then 'GET /things'"
            )));
        };
        (p.method, p.target) = (m.to_string(), t.trim().to_string());
    }
    Ok(request_run::sequence(per))
}

fn set_once<T>(slot: &mut Option<T>, v: T, what: &str) -> Result<(), InputError> {
    if slot.is_some() {
        return Err(usage(format!(
            "{what} given twice for one request (each --then starts a new request)"
        )));
    }
    *slot = Some(v);
    Ok(())
}

fn fail(e: &InputError, format: Format, style: &StyleArgs) -> Exit {
    if format == Format::Json {
        output::write(|o| report::error_json::write(e, o));
    }
    output::diagnostic(e, style.stderr_style());
    Exit::CannotAnswer
}

pub(crate) fn run(args: &RequestArgs, m: &ArgMatches) -> Exit {
    let specs = match specs(args, m) {
        Ok(s) => s,
        Err(e) => return fail(&e, args.format, &args.style),
    };
    let pins = Pins {
        stage: args.stage.clone(),
        region: args.region.clone(),
        account: args.account.clone(),
        api_id: args.api_id.clone(),
        partition: args.partition.clone(),
    };
    let run = match request_run::run(
        &args.api,
        args.api_name.as_deref(),
        args.facts.as_deref(),
        &pins,
        &specs,
    ) {
        Ok(r) => r,
        Err(e) => return fail(&e, args.format, &args.style),
    };
    let style = args.style.style();
    output::write(|o| match args.format {
        Format::Human => report::request_human::write(&run, style, o),
        Format::Json => report::request_json::write(&run, style, o),
    });
    match run.exit_code() {
        0 => Exit::Ok,
        3 => Exit::Malformed,
        _ => Exit::Denied,
    }
}

pub(crate) fn routes(args: &RoutesArgs) -> Exit {
    let run = match request_run::routes(&args.api, args.api_name.as_deref()) {
        Ok(r) => r,
        Err(e) => return fail(&e, args.format, &args.style),
    };
    let style = args.style.style();
    output::write(|o| match args.format {
        Format::Human => report::routes_human::write(&run, style, o),
        Format::Json => report::routes_json::write(&run, style, o),
    });
    Exit::Ok
}
