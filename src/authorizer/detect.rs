//! Which of the three shapes an output is, from the keys it has.

use super::Shape;
use crate::source::{Document, ErrorKind, InputError, Json};

pub(super) fn detect(doc: &Document) -> Result<Shape, InputError> {
    let root = &doc.root;
    if !matches!(root.value, Json::Object(_)) {
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
    Err(InputError::at(
        ErrorKind::Shape,
        &doc.source,
        root.span,
        &format!(
            "cannot tell what kind of authorizer output this is: it has {}{hint}",
            if keys.is_empty() {
                "no keys".to_string()
            } else {
                format!("only the keys {}", keys.join(", "))
            }
        ),
        "expected a policyDocument (Statement), a REST response (principalId, policyDocument) or an HTTP API simple response (isAuthorized); use --input-kind to say which",
    ))
}
