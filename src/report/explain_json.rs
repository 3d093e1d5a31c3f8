//! The `explain --format json` document (`schema_version` 1): `{"schema_version",
//! "signature": {"status", "error_type", "message", "made_by", "api_type"}, "causes":
//! [{"step", "title", "fixes", "confirm", "source", "ruled_out", "why"}], "notes",
//! "mismatch"}`, most likely cause first. `notes` and `mismatch` were added after the first
//! layout; additions keep the version.

use std::io;

use serde::Serialize;

use super::Style;
use crate::explain::{Cause, Explanation, Signature};

/// The version of this document's layout.
pub const SCHEMA_VERSION: u32 = 1;

/// The document.
#[derive(Debug, Serialize)]
struct Document<'a> {
    schema_version: u32,
    /// What the response was matched on.
    signature: &'a Signature,
    /// The causes, most likely first; ruled-out causes last.
    causes: &'a [Cause],
    /// Facts about the capture, the match and the replay, for people.
    notes: &'a [String],
    /// Set when a replay answers differently from the pasted response.
    mismatch: Option<&'a str>,
}

/// Writes the JSON document of `explanation` (pretty-printed, one trailing newline).
pub fn write(explanation: &Explanation, _style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        signature: &explanation.signature,
        causes: &explanation.causes,
        notes: &explanation.notes,
        mismatch: explanation.mismatch.as_deref(),
    };
    super::write_json(out, &doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Capture;

    #[test]
    fn the_document_has_the_contract_names() {
        let text = "HTTP/1.1 403 Forbidden\nx-amzn-ErrorType: AccessDeniedException\n\n{\"Message\":\"User is not authorized to access this resource\"}";
        let e = Explanation::of(&Capture::parse("t", text.as_bytes()).unwrap());
        let mut buf = Vec::new();
        write(&e, Style::default(), &mut buf).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        let keys = |v: &serde_json::Value| {
            let mut k: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(
            keys(&v),
            ["causes", "mismatch", "notes", "schema_version", "signature"]
        );
        assert_eq!(v["schema_version"], 1);
        assert_eq!(
            keys(&v["signature"]),
            ["api_type", "error_type", "made_by", "message", "status"]
        );
        assert_eq!(
            keys(&v["causes"][0]),
            [
                "confirm",
                "fixes",
                "ruled_out",
                "source",
                "step",
                "title",
                "why"
            ]
        );
        assert_eq!(v["signature"]["made_by"], "rest_api");
        assert_eq!(v["signature"]["api_type"], "rest");
        assert_eq!(v["causes"][0]["step"], "policy");
        assert_eq!(v["causes"][0]["source"], "O");
        assert_eq!(v["causes"][0]["why"], serde_json::Value::Null);
        assert_eq!(v["mismatch"], serde_json::Value::Null);
    }
}
