//! The default command: decide one request and explain it.

use crate::report::{self, CheckReport};
use crate::source::ErrorKind;
use crate::{Checked, Decision, EvalError, InputError, Request};

use super::output;
use super::{CheckArgs, Exit, Format, Pins};

/// Builds the request from METHOD PATH (or METHOD URL) and pins, from --arn (an ARN, or an
/// invoke URL with METHOD), or from --event.
pub(crate) fn request(args: &CheckArgs) -> Result<Request, String> {
    let mut r = if let Some(event) = &args.event {
        from_event(event)?
    } else if let Some(arn) = args.arn.as_deref() {
        match args.method.as_deref() {
            Some(m) if arn.starts_with("https://") || arn.starts_with("http://") => {
                Request::from_target(m, arn)?
            }
            Some(_) => return Err("METHOD goes with an invoke URL in --arn, not with an ARN (the ARN holds the method)".to_string()),
            None if arn.starts_with("https://") => {
                return Err("give METHOD before an invoke URL: policy-check FILE GET --arn https://…".to_string());
            }
            None => Request::from_arn(arn).map_err(|e| e.to_string())?,
        }
    } else {
        let (Some(m), Some(p)) = (args.method.as_deref(), args.path.as_deref()) else {
            return Err("give METHOD and PATH, or --arn".to_string());
        };
        pin(Request::from_target(m, p)?, &args.pins)
    };
    if let Some(t) = args.api_type {
        r = r.with_api_type(t.into());
    }
    r.validate()?;
    Ok(r)
}

fn pin(mut r: Request, pins: &Pins) -> Request {
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
    r
}

/// The request of the authorizer event in the file at `path`.
fn from_event(path: &std::path::Path) -> Result<Request, String> {
    let (name, bytes) = crate::input::read_input(path).map_err(|e| e.message)?;
    Request::from_event(&name, &bytes)
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
    let req = match request(args) {
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
    let lint = report::bearing(&checked, &eval);
    let report = CheckReport {
        checked: &checked,
        request: &req,
        eval: &eval,
        expect: args.expect,
        lint: &lint,
    };
    output::write(|o| match args.format {
        Format::Human => report::human::write(&report, style, o),
        Format::Json => report::json::write(&report, style, o),
    });
    let exit = exit_for(&report);
    // The process ends next: leave the memory to the OS rather than free every node of a
    // large policy one by one (a third of the run after parsing on a 6 MB policy).
    std::mem::forget((checked, eval));
    exit
}

/// The exit code for a check: --expect turns it into 0 (met) / 1 (not met).
pub(crate) fn exit_for(r: &CheckReport<'_>) -> Exit {
    if let Some(met) = r.expectation_met() {
        return if met { Exit::Ok } else { Exit::Denied };
    }
    match r.eval.decision {
        Decision::Allow | Decision::NotInvoked => Exit::Ok,
        Decision::Malformed => Exit::Malformed,
        _ => Exit::Denied,
    }
}
