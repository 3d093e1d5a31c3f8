//! The default command: decide one request and explain it.

use policy_check::report::{CheckReport, human, json};
use policy_check::{Checked, Decision, EvalError, InputError, Request};

use super::output::{self, read_input};
use super::{CheckArgs, Exit, Format, Pins};

/// Builds the request from METHOD PATH and pins, or from --arn.
pub fn request(
    method: Option<&str>,
    path: Option<&str>,
    arn: Option<&str>,
    pins: &Pins,
) -> Result<Request, String> {
    if let Some(arn) = arn {
        return Request::from_arn(arn).map_err(|e| e.to_string());
    }
    let (Some(m), Some(p)) = (method, path) else {
        return Err("give METHOD and PATH, or --arn".to_string());
    };
    let mut r = Request::new(m, p);
    for (part, v) in [
        (policy_check::Part::Partition, &pins.partition),
        (policy_check::Part::Region, &pins.region),
        (policy_check::Part::Account, &pins.account),
        (policy_check::Part::ApiId, &pins.api_id),
        (policy_check::Part::Stage, &pins.stage),
    ] {
        if let Some(v) = v {
            r = r.with(part, v);
        }
    }
    r.validate()?;
    Ok(r)
}

pub fn run(args: &CheckArgs) -> Exit {
    let style = args.style.style();
    let fail = |e: &InputError| {
        if args.format == Format::Json {
            output::out(&error_json(e));
        }
        output::input_error(e, style);
        Exit::CannotAnswer
    };
    let req = match request(
        args.method.as_deref(),
        args.path.as_deref(),
        args.arn.as_deref(),
        &args.pins,
    ) {
        Ok(r) => r,
        Err(msg) => {
            return fail(&InputError::plain(
                policy_check::source::ErrorKind::Invalid,
                msg,
            ));
        }
    };
    let file = args.file.as_deref().unwrap_or("-");
    let checked = match read_input(file)
        .and_then(|(name, bytes)| Checked::from_bytes(&name, bytes, args.input_kind.into()))
    {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let eval = match checked.evaluate(&req) {
        Ok(e) => e,
        Err(e @ EvalError::BadRequest(_)) => {
            return fail(&InputError::plain(
                policy_check::source::ErrorKind::Invalid,
                e.to_string(),
            ));
        }
        Err(e @ EvalError::TooComplex(_)) => {
            return fail(
                &InputError::plain(policy_check::source::ErrorKind::Invalid, e.to_string())
                    .with_help(
                        "pin more of the ARN (--stage, --api-id, --region, --account, --partition) or give --arn",
                    ),
            );
        }
    };
    let report = CheckReport {
        checked: &checked,
        request: &req,
        eval: &eval,
        expect: args.expect,
    };
    match args.format {
        Format::Human => output::out(&human::render_check(&report, style)),
        Format::Json => {
            let doc = json::build(&report);
            output::out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).expect("the report serializes")
            ));
        }
    }
    exit_for(&report)
}

/// The exit code for a check: --expect turns it into 0 (met) / 1 (not met).
pub fn exit_for(r: &CheckReport<'_>) -> Exit {
    if let Some(met) = r.expectation_met() {
        return if met { Exit::Ok } else { Exit::Denied };
    }
    match r.eval.decision {
        Decision::Allow => Exit::Ok,
        Decision::Malformed => Exit::Malformed,
        _ => Exit::Denied,
    }
}

/// The JSON printed on stdout when the tool cannot answer, so scripts reading JSON always
/// get JSON.
fn error_json(e: &InputError) -> String {
    let v = serde_json::json!({
        "schema_version": policy_check::report::json::SCHEMA_VERSION,
        "decision": null,
        "error": {
            "code": format!("{}", miette::Diagnostic::code(e).map(|c| c.to_string()).unwrap_or_default()),
            "message": e.message,
            "help": e.help,
            "span": e.location(),
        }
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&v).expect("serializes")
    )
}
