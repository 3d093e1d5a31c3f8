//! The `routes --format json` document: `{"schema_version": 1, "api": {"file", "kind",
//! "format", "name"}, "routes": [{"method", "path", "auth", "authorizer",
//! "api_key_required", "span": {"offset", "length", "line", "column"}}]}`. `auth` and
//! `api_key_required` are null when the definition hides them behind a value unknown
//! offline.

use std::io;

use serde::Serialize;

use super::Style;
use crate::request_run::RoutesRun;
use crate::span::Location;

/// The version of this document's layout.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    api: Api<'a>,
    routes: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct Api<'a> {
    file: &'a str,
    kind: &'static str,
    format: &'static str,
    name: Option<&'a str>,
}

#[derive(Serialize)]
struct Row<'a> {
    method: &'a str,
    path: &'a str,
    auth: Option<&'static str>,
    authorizer: Option<&'a str>,
    api_key_required: Option<bool>,
    span: Location,
}

/// `rest` or `http`.
pub(crate) fn kind_name(k: crate::apidef::ApiKind) -> &'static str {
    match k {
        crate::apidef::ApiKind::Rest => "rest",
        crate::apidef::ApiKind::Http => "http",
    }
}

/// `openapi3`, `swagger2`, `cloudformation` or `sam`.
pub(crate) fn format_name(f: crate::apidef::Format) -> &'static str {
    use crate::apidef::Format as F;
    match f {
        F::OpenApi3 => "openapi3",
        F::Swagger2 => "swagger2",
        F::CloudFormation => "cloudformation",
        F::Sam => "sam",
    }
}

/// Writes the JSON route table.
pub fn write(run: &RoutesRun, _style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    let src = &run.api.source;
    let doc = Doc {
        schema_version: SCHEMA_VERSION,
        api: Api {
            file: src.name(),
            kind: kind_name(run.api.kind),
            format: format_name(run.api.format),
            name: run.api.name.as_deref(),
        },
        routes: run
            .rows
            .iter()
            .map(|r| Row {
                method: &r.method,
                path: &r.path,
                auth: r.auth.map(|a| a.as_str()),
                authorizer: r.authorizer.as_deref(),
                api_key_required: r.api_key_required,
                span: src.location(r.span),
            })
            .collect(),
    };
    super::write_json(out, &doc)
}
