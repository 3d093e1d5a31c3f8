//! The `explain` driver: read the pasted response, match it, and replay the request when an
//! API definition and a request are given. Every failure is an [`InputError`] (exit 2).

use std::path::Path;

use super::capture::{Capture, MAX_CAPTURE_BYTES, read_capped};
use super::explanation::Explanation;
use crate::pipeline::HttpRequest;
use crate::pipeline::inputs::{load_api, load_behaviour, load_facts};
use crate::source::{ErrorKind, InputError};

/// What a replay needs, as the command line gives it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReplayInput<'a> {
    /// The API definition.
    pub(crate) api: &'a Path,
    /// The API of a template holding several.
    pub(crate) api_name: Option<&'a str>,
    /// `METHOD TARGET`.
    pub(crate) request: Option<&'a str>,
    /// `Name: value` headers.
    pub(crate) headers: &'a [String],
    /// The authorizer's output file.
    pub(crate) authorizer_output: Option<&'a Path>,
    /// The message the authorizer throws.
    pub(crate) authorizer_throws: Option<&'a str>,
    /// The facts file.
    pub(crate) facts: Option<&'a Path>,
}

/// Reads a pasted response from `path` (`-` is standard input), at most
/// [`MAX_CAPTURE_BYTES`], and parses it.
pub(crate) fn read_capture(path: &Path) -> Result<Capture, InputError> {
    let (name, bytes) = if path.as_os_str() == "-" {
        let name = crate::input::STDIN_NAME;
        (
            name.to_string(),
            read_capped(name, std::io::stdin().lock())?,
        )
    } else {
        let (name, bytes) = crate::input::read_input(path)?;
        if bytes.len() > MAX_CAPTURE_BYTES {
            // The capture cap is lower than the file cap: let the capped reader say so.
            read_capped(&name, bytes.as_slice())?;
        }
        (name, bytes)
    };
    Capture::parse(&name, &bytes)
}

/// Explains `capture`, replaying the request when `replay` is given.
pub(crate) fn run(
    capture: &Capture,
    replay: Option<&ReplayInput<'_>>,
) -> Result<Explanation, InputError> {
    let mut explanation = Explanation::of(capture);
    let Some(r) = replay else {
        return Ok(explanation);
    };
    let Some(line) = r.request else {
        let seen = capture
            .request
            .as_ref()
            .map(|c| format!(" (the capture shows `{} {}`)", c.method, c.target))
            .unwrap_or_default();
        return Err(InputError::plain(
            ErrorKind::Invalid,
            format!("--api needs --request 'METHOD TARGET' to replay{seen}"),
        )
        .with_help(
            "give the request and its headers: --request 'GET /things' -H 'Authorization: …'",
        ));
    };
    let invalid = |m: String| InputError::plain(ErrorKind::Invalid, m);
    let mut req = HttpRequest::from_line(line).map_err(invalid)?;
    for h in r.headers {
        req = req.with_header_line(h).map_err(invalid)?;
    }
    let api = load_api(r.api, r.api_name)?;
    let behaviour = load_behaviour(r.authorizer_output, r.authorizer_throws)?;
    let facts = load_facts(r.facts)?;
    explanation
        .replay(&api, &req, &facts, &behaviour)
        .map_err(|e| invalid(format!("the replay of {} cannot answer: {e}", req.label())))?;
    Ok(explanation)
}
