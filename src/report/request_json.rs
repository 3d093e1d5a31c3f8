//! The `request --format json` document. One request: the pipeline's outcome as it
//! serialises (`schema_version`, `outcome`, `answer`, `steps`, `cases`, `assumptions`,
//! `undocumented`, `authorizer_invoked`, `cache`, `authorizer_event`). A `--then`
//! sequence: `{"schema_version": 1, "requests": [...]}`, each item that same object
//! without its `schema_version`, plus `request` (`METHOD TARGET` as given) and `at` (the
//! virtual time in seconds since the first request).

use std::io;

use serde::Serialize;

use super::Style;
use crate::pipeline::{Answer, CacheUse, Case, OutcomeKind, StepReport};
use crate::request_run::{Answered, RequestRun};

/// The version of this document's layout (both forms).
pub const SCHEMA_VERSION: u32 = 1;

/// One request of a sequence: the outcome's fields, in the same order, after `request`
/// and `at`.
#[derive(Serialize)]
struct Item<'a> {
    request: &'a str,
    at: u64,
    outcome: OutcomeKind,
    answer: Option<&'a Answer>,
    steps: &'a [StepReport],
    cases: &'a [Case],
    assumptions: &'a [String],
    undocumented: &'a [String],
    authorizer_invoked: Option<bool>,
    cache: Option<&'a CacheUse>,
    authorizer_event: Option<&'a serde_json::Value>,
}

#[derive(Serialize)]
struct Sequence<'a> {
    schema_version: u32,
    requests: Vec<Item<'a>>,
}

fn item(a: &Answered) -> Item<'_> {
    let o = &a.outcome;
    Item {
        request: &a.label,
        at: a.at,
        outcome: o.outcome,
        answer: o.answer.as_ref(),
        steps: &o.steps,
        cases: &o.cases,
        assumptions: &o.assumptions,
        undocumented: &o.undocumented,
        authorizer_invoked: o.authorizer_invoked,
        cache: o.cache.as_ref(),
        authorizer_event: o.authorizer_event.as_ref(),
    }
}

/// Writes the JSON document of a `request` run.
pub fn write(run: &RequestRun, _style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    match run.requests.as_slice() {
        [one] => super::write_json(out, &one.outcome),
        many => super::write_json(
            out,
            &Sequence {
                schema_version: SCHEMA_VERSION,
                requests: many.iter().map(item).collect(),
            },
        ),
    }
}
