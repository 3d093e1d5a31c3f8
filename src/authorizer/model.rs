//! The typed, spanned model of an authorizer output: shapes, statements, elements.

use crate::source::Str;
use crate::span::{Span, Spanned};

use super::Problem;

/// Which shape to read the input as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputKind {
    /// Detect from the keys present.
    #[default]
    Auto,
    /// A bare policyDocument (`Version`, `Statement`).
    Policy,
    /// A REST API (or HTTP API payload 1.0) authorizer response.
    Rest,
    /// An HTTP API simple response (`isAuthorized`).
    Http,
}

/// The shape the input was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// A bare policyDocument.
    Policy,
    /// A REST authorizer response.
    Rest,
    /// An HTTP API simple response.
    Http,
}

/// `Allow` or `Deny`: case-sensitive, as IAM defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Effect {
    /// `"Allow"`
    Allow,
    /// `"Deny"`
    Deny,
}

/// An `Action`/`NotAction` or `Resource`/`NotResource` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// True for `NotAction` / `NotResource`.
    pub negated: bool,
    /// The span of the key (`"Resource"`).
    pub key_span: Span,
    /// The span of the value (string or array).
    pub span: Span,
    /// The entries; a bare string is one entry.
    pub entries: Vec<Spanned<Str>>,
}

/// One policy statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// 0-based position in `Statement`.
    pub index: usize,
    /// The whole statement object.
    pub span: Span,
    /// `Sid`, if it is a string.
    pub sid: Option<Spanned<Str>>,
    /// `Effect`.
    pub effect: Spanned<Effect>,
    /// `Action` or `NotAction`.
    pub action: Element,
    /// `Resource` or `NotResource`.
    pub resource: Element,
    /// The span of a (non-null, object) `Condition`, which is not evaluated.
    pub condition: Option<Span>,
}

impl Statement {
    /// `statement 2 (Sid "ReadOnly")` or `statement 2`.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) => format!("statement {} (Sid \"{}\")", self.index, sid.value),
            None => format!("statement {}", self.index),
        }
    }
}

/// A policyDocument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The policyDocument object.
    pub span: Span,
    /// The `Statement` value.
    pub statement_span: Span,
    /// `Version`, if a string.
    pub version: Option<Spanned<Str>>,
    /// The statements (a single statement object counts as one).
    pub statements: Vec<Statement>,
}

/// The model of one authorizer output.
#[derive(Debug, Clone)]
pub struct Authorizer {
    /// The shape it was read as.
    pub shape: Shape,
    /// The root value's span.
    pub span: Span,
    /// The policy (REST response or bare policy), when well formed.
    pub policy: Option<Policy>,
    /// `isAuthorized` of an HTTP simple response.
    pub is_authorized: Option<Spanned<bool>>,
    /// Why API Gateway would answer 500; empty when well formed.
    pub problems: Vec<Problem>,
    /// Accepted but suspicious: duplicate keys, a numeric principalId, null context values.
    pub warnings: Vec<Problem>,
}

impl Authorizer {
    /// Whether API Gateway would reject the output (500).
    pub fn is_malformed(&self) -> bool {
        !self.problems.is_empty()
    }
}
