//! PC099: the bundled JSON Schema's view of the output. The schema module validates and
//! returns its own errors; this rule turns them into findings where no other rule already
//! said something.

use crate::lint::{Ctx, Finding};
use crate::schema;

rules! {
    family: Envelope;

    /// ## What it does
    /// Validates the output against the bundled JSON Schema
    /// (`schemas/authorizer-response.schema.json`, printed by `policy-check schema`) and
    /// reports violations that no other rule reported at the same place.
    ///
    /// ## Why it matters
    /// The schema is what editors check as you type; this rule keeps the command line and
    /// the editor in agreement.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Id": 7, "Statement": []}}
    /// ```
    ///
    /// ## Fix
    /// Follow the message: here, `Id` must be a string.
    pub static SCHEMA_VIOLATION = ("PC099", "schema-violation", Error, "the output does not match the authorizer-response JSON Schema");
}

/// Adds a finding for each schema violation inside which no rule found anything (the schema
/// is the editor's view of the same rules). Runs after every other rule.
pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let ruled = out.len();
    for e in schema::validate_document(cx.doc) {
        let inside =
            |o: &Finding| e.span.offset() <= o.span.offset() && o.span.end() <= e.span.end();
        if out[..ruled].iter().any(inside) {
            continue;
        }
        out.push(Finding::new(
            &SCHEMA_VIOLATION,
            e.span,
            format!(
                "schema: {} (at {})",
                e.message,
                if e.pointer.is_empty() {
                    "/"
                } else {
                    &e.pointer
                }
            ),
            format!("fails `{}`", e.keyword),
            "see `policy-check schema` for what is allowed here",
        ));
    }
}
