//! The bundled JSON Schema (draft 2020-12) of authorizer output,
//! `schemas/authorizer-response.schema.json`, and validation against it with the jsonschema
//! crate. Every jsonschema call stays in this module: the crate is 0.x and moves fast.
//!
//! The crate is built without default features, so no resolver is compiled in: the schema
//! is embedded, and a remote `$ref` would fail to compile instead of reaching the network.
//! Errors carry an RFC 6901 instance path, which is mapped back to the span of the node (or,
//! for an unexpected key, of the key) in the file.

use std::sync::OnceLock;

use crate::Checked;
use crate::source::{Document, Json, Node};
use crate::span::Span;

mod fast;

/// The schema text, as shipped.
pub const SCHEMA: &str = include_str!("../schemas/authorizer-response.schema.json");

/// One schema violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// The JSON pointer of the offending value (`/policyDocument/Statement/0/Effect`).
    pub pointer: String,
    /// The schema keyword that failed (`enum`, `required`, `additionalProperties`, `oneOf`…).
    pub keyword: String,
    /// The jsonschema message.
    pub message: String,
    /// Where it is in the file.
    pub span: Span,
}

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(SCHEMA).expect("the bundled schema is JSON");
        jsonschema::draft202012::new(&schema).expect("the bundled schema compiles")
    })
}

/// Validates a checked output against the bundled schema; errors are sorted by position.
pub fn validate(checked: &Checked) -> Vec<SchemaError> {
    validate_document(&checked.document)
}

/// [`validate`] for a parsed document.
pub fn validate_document(doc: &Document) -> Vec<SchemaError> {
    if fast::surely_valid(&doc.root) {
        #[cfg(debug_assertions)]
        if let Ok(instance) = serde_json::from_str::<serde_json::Value>(doc.source.text()) {
            // Debug builds (every test, every fuzz run) re-check the arbiter's verdict.
            assert!(
                validator().is_valid(&instance),
                "the fast schema check accepted what jsonschema refuses: {}",
                doc.source.text()
            );
        }
        return Vec::new();
    }
    let Ok(instance) = serde_json::from_str::<serde_json::Value>(doc.source.text()) else {
        return Vec::new();
    };
    let v = validator();
    if v.is_valid(&instance) {
        return Vec::new();
    }
    let mut out: Vec<SchemaError> = v
        .iter_errors(&instance)
        .map(|e| {
            let pointer = e.instance_path().as_str().to_string();
            let node = resolve(&doc.root, &pointer).unwrap_or(&doc.root);
            let (span, message) = match e.kind() {
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    let key = unexpected.first().and_then(|k| node.member(k));
                    (
                        key.map_or(node.span, |m| m.key.span),
                        format!(
                            "unexpected key{} {}",
                            if unexpected.len() > 1 { "s" } else { "" },
                            unexpected
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                }
                _ => (node.span, e.to_string()),
            };
            SchemaError {
                keyword: e.kind().keyword().to_string(),
                pointer,
                message,
                span,
            }
        })
        .collect();
    out.sort_by(|a, b| (a.span.offset(), &a.pointer).cmp(&(b.span.offset(), &b.pointer)));
    out.dedup();
    out
}

/// The node at an RFC 6901 pointer (last duplicate key wins, as in serde_json).
pub fn resolve<'a>(root: &'a Node, pointer: &str) -> Option<&'a Node> {
    let mut node = root;
    if pointer.is_empty() {
        return Some(node);
    }
    for raw in pointer.strip_prefix('/')?.split('/') {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        node = match &node.value {
            Json::Object(_) => node.get(&seg)?,
            Json::Array(items) => items.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_compiles_and_maps_spans() {
        let text = r#"{"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Id": 7, "Statement": []}}"#;
        let c = Checked::from_str("x.json", text).unwrap();
        let errs = validate(&c);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].pointer, "/policyDocument/Id");
        assert_eq!(&text[errs[0].span.range()], "7");
        let text = r#"{"Version": "2012-10-17", "Statements": []}"#;
        let c = Checked::from_str("x.json", text).unwrap();
        let errs = validate(&c);
        assert!(
            errs.iter()
                .any(|e| &text[e.span.range()] == "\"Statements\""),
            "{errs:?}"
        );
    }

    #[test]
    fn keywords_are_the_schema_keywords() {
        let text = r#"{"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke"}]}}"#;
        let c = Checked::from_str("x.json", text).unwrap();
        let keywords: Vec<String> = validate(&c).into_iter().map(|e| e.keyword).collect();
        // A missing Resource fails a `oneOf` (named as the keyword, not `oneOfNotValid`).
        assert!(keywords.iter().any(|k| k == "oneOf"), "{keywords:?}");
    }
}
