//! The human route table of `policy-check routes`: one line per route (method, path,
//! authorization, authorizer, API key, where it is defined).

use std::fmt::Write as _;
use std::io;

use super::Style;
use super::routes_json::{format_name, kind_name};
use super::text::escape;
use crate::request_run::RoutesRun;

/// Writes the human route table.
pub fn write(run: &RoutesRun, _style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    let api = &run.api;
    let src = &api.source;
    let mut text = format!(
        "{} ({} API, {}{}): {} route{}\n",
        escape(src.name()),
        kind_name(api.kind).to_uppercase(),
        format_name(api.format),
        api.name
            .as_deref()
            .map_or(String::new(), |n| format!(", `{}`", escape(n))),
        run.rows.len(),
        if run.rows.len() == 1 { "" } else { "s" }
    );
    let width = run
        .rows
        .iter()
        .map(|r| r.method.len() + 1 + r.path.chars().count())
        .max()
        .unwrap_or(0);
    for r in &run.rows {
        let at = src.location(r.span);
        let route = format!("{} {}", r.method, r.path);
        let auth = match (r.auth, &r.authorizer) {
            (Some(a), Some(name)) => format!("{} ({})", a.as_str(), escape(name)),
            (Some(a), None) => a.as_str().to_string(),
            (None, _) => "unknown".to_string(),
        };
        let key = match r.api_key_required {
            Some(true) => "  api key",
            Some(false) => "",
            None => "  api key: unknown",
        };
        let _ = writeln!(
            text,
            "  {:<width$}  {auth}{key}  [{}:{}]",
            escape(&route),
            at.line,
            at.column
        );
    }
    out.write_all(text.as_bytes())
}
