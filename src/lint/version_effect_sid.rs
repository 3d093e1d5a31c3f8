//! `Version`, `Effect` and `Sid`.

use std::collections::HashMap;

use super::{Ctx, Finding};
use crate::source::{Json, Node};

rules! {
    family: VersionEffectSid;

    /// ## What it does
    /// Reports a policyDocument without `Version`.
    ///
    /// ## Why it matters
    /// IAM then assumes the 2008-10-17 language, in which policy variables are literal text;
    /// every IAM validator (Access Analyzer, parliament) flags it.
    ///
    /// ## Example
    /// ```json
    /// {"Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}
    /// ```
    ///
    /// ## Fix
    /// Add `"Version": "2012-10-17"`.
    pub static VERSION_MISSING = ("PC010", "version-missing", Warning, "the policyDocument has no Version");

    /// ## What it does
    /// Reports `"Version": "2008-10-17"`.
    ///
    /// ## Why it matters
    /// The old policy language has no policy variables and is kept only for compatibility.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2008-10-17", "Statement": []}
    /// ```
    ///
    /// ## Fix
    /// Use `"Version": "2012-10-17"`.
    pub static VERSION_OLD = ("PC011", "version-old", Warning, "the policy uses the 2008-10-17 language");

    /// ## What it does
    /// Reports a `Version` that is neither `2012-10-17` nor `2008-10-17` (a typo such as
    /// `2012-10-16`, a date of today, or a value that is not a string).
    ///
    /// ## Why it matters
    /// IAM rejects unknown versions; API Gateway's handling of them is not documented, and
    /// the same policy fails wherever it is validated as IAM.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-16", "Statement": []}
    /// ```
    ///
    /// ## Fix
    /// Use `"Version": "2012-10-17"`: it is a language version, not a date to update.
    pub static VERSION_INVALID = ("PC012", "version-invalid", Warning, "Version is not a known policy language version");

    /// ## What it does
    /// Reports a statement whose `Effect` is missing or not exactly `Allow` or `Deny`
    /// (`ALLOW`, `allow`, `Permit`).
    ///
    /// ## Why it matters
    /// Effect is case-sensitive. API Gateway answers 500 for the whole output, even when
    /// another statement denies. Local emulators disagree (serverless-offline accepts any
    /// case), so it may work locally and fail once deployed.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "allow", "Action": "execute-api:Invoke", "Resource": "*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Write exactly `"Allow"` or `"Deny"`.
    pub static EFFECT_INVALID = ("PC013", "effect-invalid", Error, "Effect is not exactly Allow or Deny");

    /// ## What it does
    /// Reports two statements with the same `Sid`.
    ///
    /// ## Why it matters
    /// Sids identify statements in explanations, fixtures and ignore lists; IAM requires them
    /// to be unique within a policy.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Sid": "Read", "Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/*"},
    ///   {"Sid": "Read", "Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/admin"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Rename one of them.
    pub static SID_DUPLICATE = ("PC014", "sid-duplicate", Warning, "two statements share a Sid");

    /// ## What it does
    /// Reports a `Sid` that is empty, not a string, or holds characters other than ASCII
    /// letters and digits.
    ///
    /// ## Why it matters
    /// IAM accepts only `[A-Za-z0-9]` in Sids of identity policies; tools that validate the
    /// policy as IAM reject it.
    ///
    /// ## Example
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Sid": "read-things", "Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Use letters and digits only (`ReadThings`), or leave Sid out.
    pub static SID_INVALID = ("PC015", "sid-invalid", Warning, "Sid is empty, not a string, or not alphanumeric");
}

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if let Some(pd) = cx.policy {
        match pd.get("Version") {
            None => out.push(Finding::new(
                &VERSION_MISSING,
                pd.member("Statement").map_or(pd.span, |m| m.key.span),
                "the policyDocument has no `Version`",
                "no Version in this policy",
                "add \"Version\": \"2012-10-17\"",
            )),
            Some(Node {
                value: Json::String(v),
                span,
            }) if v == "2012-10-17" => {
                let _ = span;
            }
            Some(Node {
                value: Json::String(v),
                span,
            }) if v == "2008-10-17" => out.push(Finding::new(
                &VERSION_OLD,
                *span,
                "the policy uses the old 2008-10-17 language",
                "old version",
                "use \"Version\": \"2012-10-17\"",
            )),
            Some(v) => out.push(Finding::new(
                &VERSION_INVALID,
                v.span,
                match v.as_str() {
                    Some(s) => format!("`Version` \"{s}\" is not a policy language version"),
                    None => format!("`Version` is {}, not a string", v.type_name()),
                },
                "not 2012-10-17",
                "use \"Version\": \"2012-10-17\" (a language version, not a date)",
            )),
        }
    }
    let mut seen: HashMap<&str, (usize, crate::Span)> = HashMap::new();
    for s in &cx.statements {
        let Some(sid) = s.node.get("Sid") else {
            continue;
        };
        match sid.as_str() {
            Some(v) if !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric()) => {}
            Some("") => out.push(
                Finding::new(
                    &SID_INVALID,
                    sid.span,
                    format!("statement {} has an empty Sid", s.index),
                    "empty",
                    "give it a name of letters and digits, or leave Sid out",
                )
                .in_statement(s.index),
            ),
            Some(v) => {
                let fixed: String = v.chars().filter(char::is_ascii_alphanumeric).collect();
                out.push(
                    Finding::new(
                        &SID_INVALID,
                        sid.span,
                        format!(
                            "statement {}: Sid \"{v}\" holds characters other than A-Z, a-z, 0-9",
                            s.index
                        ),
                        "not alphanumeric",
                        if fixed.is_empty() {
                            "use letters and digits only".to_string()
                        } else {
                            format!("use letters and digits only, e.g. \"{fixed}\"")
                        },
                    )
                    .in_statement(s.index),
                );
            }
            None => out.push(
                Finding::new(
                    &SID_INVALID,
                    sid.span,
                    format!(
                        "statement {}: Sid is {}, not a string",
                        s.index,
                        sid.type_name()
                    ),
                    "not a string",
                    "make Sid a string of letters and digits, or leave it out",
                )
                .in_statement(s.index),
            ),
        }
        if let Some(v) = sid.as_str().filter(|v| !v.is_empty()) {
            if let Some((first, first_span)) = seen.get(v) {
                out.push(
                    Finding::new(
                        &SID_DUPLICATE,
                        sid.span,
                        format!("statements {first} and {} share the Sid \"{v}\"", s.index),
                        "used again here",
                        "give every statement its own Sid",
                    )
                    .with(*first_span, "first used here")
                    .in_statement(s.index),
                );
            } else {
                seen.insert(v, (s.index, sid.span));
            }
        }
    }
}
