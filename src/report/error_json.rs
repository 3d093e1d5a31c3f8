//! The JSON error document: what `--format json` prints on stdout when the tool cannot
//! answer (exit 2), so scripts that read JSON always get JSON.

use std::io;

use serde::Serialize;

use crate::source::InputError;
use crate::span::Location;

/// The version of this document's layout (the same number as the check document's, whose
/// `decision` field it shares as null).
pub const SCHEMA_VERSION: u32 = super::json::SCHEMA_VERSION;

#[derive(Serialize)]
struct JsonErrorDoc<'a> {
    schema_version: u32,
    decision: Option<()>,
    error: JsonError<'a>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    code: String,
    message: &'a str,
    help: Option<&'a str>,
    span: Option<Location>,
}

/// Writes the error document for `e`.
pub fn write(e: &InputError, out: &mut dyn io::Write) -> io::Result<()> {
    let doc = JsonErrorDoc {
        schema_version: SCHEMA_VERSION,
        decision: None,
        error: JsonError {
            code: miette::Diagnostic::code(e)
                .map(|c| c.to_string())
                .unwrap_or_default(),
            message: &e.message,
            help: e.help.as_deref(),
            span: e.location(),
        },
    };
    super::write_json(out, &doc)
}
