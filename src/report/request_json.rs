//! The `request --format json` document. One request: the pipeline's outcome as it
//! serialises (`schema_version`, `outcome`, `answer`, `steps`, `cases`, `assumptions`,
//! `undocumented`, `authorizer_invoked`, `cache`, `authorizer_event`). A `--then`
//! sequence: `{"schema_version": 1, "requests": [...]}`, each item that same object
//! without its `schema_version`, plus `request` (`METHOD TARGET` as given) and `at` (the
//! virtual time in seconds since the first request).

use std::io;

use serde_json::{Value, json};

use super::Style;
use crate::request_run::{Answered, RequestRun};

/// The version of this document's layout (both forms).
pub const SCHEMA_VERSION: u32 = 1;

/// One request of a sequence as a JSON object.
fn item(a: &Answered) -> Value {
    let mut v = serde_json::to_value(&a.outcome).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.remove("schema_version");
        m.insert("request".into(), json!(a.label));
        m.insert("at".into(), json!(a.at));
    }
    v
}

/// The document, as a value.
pub(crate) fn document(run: &RequestRun) -> Value {
    match run.requests.as_slice() {
        [one] => serde_json::to_value(&one.outcome).unwrap_or(Value::Null),
        many => json!({
            "schema_version": SCHEMA_VERSION,
            "requests": many.iter().map(item).collect::<Vec<_>>(),
        }),
    }
}

/// Writes the JSON document of a `request` run.
pub fn write(run: &RequestRun, _style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(run))?;
    out.write_all(b"\n")
}
