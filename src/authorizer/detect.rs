//! Which of the three shapes an output is, from the keys it has.

use super::Shape;
use crate::source::{Document, ErrorKind, InputError};

pub(super) fn detect(doc: &Document) -> Result<Shape, InputError> {
    let root = &doc.root;
    // Not an object, or `{}`: API Gateway answers 500 (read as a REST response, which
    // reports it as malformed).
    if root.members().is_empty() {
        return Ok(Shape::Rest);
    }
    let has = |k: &str| root.get(k).is_some();
    if has("isAuthorized") {
        return Ok(Shape::Http);
    }
    if has("principalId") || has("policyDocument") || has("usageIdentifierKey") || has("context") {
        return Ok(Shape::Rest);
    }
    if has("Statement") || has("Version") {
        return Ok(Shape::Policy);
    }
    let keys: Vec<&str> = root
        .members()
        .iter()
        .map(|m| m.key.value.as_str())
        .collect();
    let hint = if root.get("statusCode").is_some() {
        " (`statusCode` looks like a Lambda proxy response: an authorizer returns a policy, not an HTTP response)"
    } else {
        ""
    };
    // One label on the first key: a package-lock.json must not be printed whole.
    let first = root.members().first().map_or(root.span, |m| m.key.span);
    Err(InputError::at(
        ErrorKind::Shape,
        &doc.source,
        first,
        &format!(
            "this is not an authorizer output: it has {}{hint}",
            if keys.len() > 6 {
                format!(
                    "the keys {}, … ({} in all), none an authorizer's",
                    keys[..6].join(", "),
                    keys.len()
                )
            } else {
                format!("only the keys {}", keys.join(", "))
            }
        ),
        "expected a policyDocument (Statement), a REST response (principalId, policyDocument) or an HTTP API simple response (isAuthorized); use --input-kind to say which",
    ))
}
