//! `Condition`: not documented for authorizer policies (DESIGN.md: the decision assumes it
//! holds, and says so).

use super::{Ctx, Finding};
use crate::source::Json;

rules! {
    family: Condition;

    /// ## What it does
    /// Reports `"Condition": null` or a Condition that is not an object (an array, a string).
    ///
    /// ## Why it matters
    /// API Gateway answers 500 for the whole output. Typed SDKs produce `null` when an
    /// optional Condition field is serialized without being skipped.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*", "Condition": null}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Leave the key out when there is no condition (`skip_serializing_if`, `omitempty`).
    pub static CONDITION_MALFORMED = ("PC040", "condition-malformed", Error, "Condition is null or not an object");

    /// ## What it does
    /// Reports any (well-formed) Condition in an authorizer policy.
    ///
    /// ## Why it matters
    /// AWS does not document how API Gateway evaluates conditions in authorizer policies;
    /// the SDK response types have no Condition field and both local emulators ignore it, so
    /// local and deployed results can differ. policy-check assumes the condition holds.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*",
    ///    "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Decide in the authorizer's code instead, and return only the statements that apply.
    pub static CONDITION_UNEVALUATED = ("PC041", "condition-unevaluated", Warning, "a Condition, whose evaluation is undocumented");
}

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.statements {
        if let Some(m) = s.node.member("Condition")
            && matches!(m.value.value, Json::Object(_))
        {
            out.push(
                Finding::new(
                    &CONDITION_UNEVALUATED,
                    m.key.span,
                    format!("statement {}: how API Gateway evaluates a Condition in an authorizer policy is not documented", s.index),
                    "assumed to hold",
                    "decide in the authorizer's code and return only the statements that apply",
                )
                .with(m.value.span, "not evaluated by policy-check")
                .in_statement(s.index),
            );
        }
    }
}
