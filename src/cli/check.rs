//! The default command: decide one request and explain it.

use crate::report::{self, CheckReport};
use crate::source::ErrorKind;
use crate::{Checked, Decision, EvalError, InputError, Request};

use super::output;
use super::{CheckArgs, Exit, Format, Pins};

/// Builds the request from METHOD PATH and pins, or from --arn.
pub(crate) fn request(
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
        (crate::Part::Partition, &pins.partition),
        (crate::Part::Region, &pins.region),
        (crate::Part::Account, &pins.account),
        (crate::Part::ApiId, &pins.api_id),
        (crate::Part::Stage, &pins.stage),
    ] {
        if let Some(v) = v {
            r = r.with(part, v);
        }
    }
    r.validate()?;
    Ok(r)
}

pub(crate) fn run(args: &CheckArgs) -> Exit {
    let style = args.style.style();
    let fail = |e: &InputError| {
        if args.format == Format::Json {
            output::write(|o| report::error_json::write(e, o));
        }
        output::diagnostic(e, args.style.stderr_style());
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
            return fail(&InputError::plain(ErrorKind::Invalid, msg));
        }
    };
    let file = std::path::Path::new(args.file.as_deref().unwrap_or("-"));
    let checked = match crate::input::read_input(file)
        .and_then(|(name, bytes)| Checked::from_bytes(&name, bytes, args.input_kind.into()))
    {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let eval = match checked.evaluate(&req) {
        Ok(e) => e,
        Err(e @ EvalError::BadRequest(_)) => {
            return fail(&InputError::plain(ErrorKind::Invalid, e.to_string()));
        }
        Err(e @ EvalError::TooComplex(_)) => {
            return fail(
                &InputError::plain(ErrorKind::Invalid, e.to_string())
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
    output::write(|o| match args.format {
        Format::Human => report::human::write(&report, style, o),
        Format::Json => report::json::write(&report, style, o),
    });
    exit_for(&report)
}

/// The exit code for a check: --expect turns it into 0 (met) / 1 (not met).
pub(crate) fn exit_for(r: &CheckReport<'_>) -> Exit {
    if let Some(met) = r.expectation_met() {
        return if met { Exit::Ok } else { Exit::Denied };
    }
    match r.eval.decision {
        Decision::Allow => Exit::Ok,
        Decision::Malformed => Exit::Malformed,
        _ => Exit::Denied,
    }
}
