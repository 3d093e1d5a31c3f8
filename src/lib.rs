//! `policy-check` predicts what AWS API Gateway does with a Lambda authorizer's output for a
//! request (allow, explicit deny, implicit deny, or a 500 for malformed output) and explains
//! which statement and Resource entry decided it.
//!
//! The pipeline runs one way: [`Source`] → [`Document`] (span-preserving JSON) →
//! [`Authorizer`] (typed, spanned model) → [`evaluate`] with a [`Request`] →
//! [`Evaluation`] → [`response_for`] and the reports in [`report`].
//!
//! ```
//! use policy_check::{Checked, Decision, Request};
//! let output = r#"{"principalId": "user-1", "policyDocument": {"Version": "2012-10-17",
//!   "Statement": [{"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "*"}]}}"#;
//! let checked = Checked::from_str("deny.json", output).unwrap();
//! let eval = checked.evaluate(&Request::new("GET", "/things")).unwrap();
//! assert_eq!(eval.decision, Decision::ExplicitDeny);
//! assert_eq!(eval.deciding[0].statement, 0);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub(crate) mod api_type;
#[cfg(feature = "api")]
pub mod apidef;
#[cfg(test)]
mod architecture;
pub(crate) mod arn;
pub(crate) mod authorizer;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "lint")]
pub mod config;
#[cfg(feature = "lint")]
mod denote;
#[cfg(feature = "lint")]
pub(crate) mod discover;
pub(crate) mod eval;
pub mod exit_codes;
#[cfg(feature = "api")]
pub mod explain;
#[cfg(feature = "lint")]
pub mod fixture;
#[cfg(any(feature = "lint", feature = "api"))]
pub(crate) mod input;
#[cfg(feature = "lint")]
pub mod lint;
#[cfg(feature = "lint")]
pub mod lint_run;
#[cfg(feature = "lint")]
pub(crate) mod par;
pub mod pattern;
#[cfg(feature = "api")]
pub mod pipeline;
pub mod report;
pub(crate) mod request;
#[cfg(all(feature = "api", feature = "lint"))]
pub mod request_run;
pub(crate) mod response;
#[cfg(feature = "lint")]
pub mod schema;
pub mod source;
pub(crate) mod span;
pub mod testing;

pub use api_type::ApiType;
pub use arn::{ArnError, MethodArn, Miss, MissPart, Part, explain_miss, resource_matches};
pub use authorizer::{
    Authorizer, Effect, Element, InputKind, Policy, Problem, ProblemKind, Shape, Statement,
};
pub use eval::{
    Applies, Case, Deciding, Decision, EvalError, Evaluation, Expect, Nearest, NearestMiss,
    PartConstraint, PartMiss, Reason, Region, StatementTrace, TooIntricate, evaluate,
};
pub use request::Request;
pub use response::{HttpResponse, response_for};
pub use source::{Document, InputError, Source};
pub use span::{Location, Span, Spanned};

/// A parsed and modelled authorizer output, ready to evaluate requests against.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The JSON document (source text, tree, duplicate keys).
    pub document: Document,
    /// The typed model, with any problems that make it malformed.
    pub authorizer: Authorizer,
}

impl Checked {
    /// Parses `text` (named `name` in diagnostics), detecting its shape.
    pub fn from_str(name: &str, text: &str) -> Result<Checked, InputError> {
        Checked::from_source(Source::new(name, text), InputKind::Auto)
    }

    /// Parses raw bytes (which must be UTF-8 JSON) as `kind`.
    pub fn from_bytes(name: &str, bytes: Vec<u8>, kind: InputKind) -> Result<Checked, InputError> {
        Checked::from_source(Source::from_bytes(name, bytes)?, kind)
    }

    /// Parses a `serde_json::Value`, e.g. one built in a unit test.
    pub fn from_value(value: &serde_json::Value) -> Result<Checked, InputError> {
        let text = serde_json::to_string_pretty(value).expect("a Value always serializes");
        Checked::from_str("<value>", &text)
    }

    /// Parses any `Serialize` value, e.g. an `aws_lambda_events` authorizer response.
    pub fn from_serialize<T: serde::Serialize>(value: &T) -> Result<Checked, InputError> {
        let text = serde_json::to_string_pretty(value).map_err(|e| {
            InputError::plain(
                source::ErrorKind::Syntax,
                format!("the value does not serialize to JSON: {e}"),
            )
        })?;
        Checked::from_str("<value>", &text)
    }

    /// Parses a [`Source`] as `kind`.
    pub fn from_source(source: Source, kind: InputKind) -> Result<Checked, InputError> {
        let document = Document::parse(source)?;
        let authorizer = Authorizer::from_document(&document, kind)?;
        Ok(Checked {
            document,
            authorizer,
        })
    }

    /// Decides `request`.
    pub fn evaluate(&self, request: &Request) -> Result<Evaluation, EvalError> {
        evaluate(&self.authorizer, request)
    }
}
