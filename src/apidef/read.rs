//! What every reader shares: turning tree nodes into [`Field`]s through a resolver (plain
//! values in an OpenAPI file; CloudFormation intrinsics in a template), and errors.

use super::model::{Field, IdentitySource, Unknown};
use super::tree::{V, Val};
use crate::source::{ErrorKind, InputError, Source};
use crate::span::Span;

/// Resolves a node to plain data: a scalar's text, or a list, or why it cannot be known.
pub(crate) trait Resolve {
    /// The node with every intrinsic it holds evaluated, or why that is impossible offline.
    fn resolve(&self, v: &Val) -> Result<Val, String>;
}

/// Plain OpenAPI: nothing to evaluate.
pub(crate) struct Plain;

impl Resolve for Plain {
    fn resolve(&self, v: &Val) -> Result<Val, String> {
        Ok(v.clone())
    }
}

/// Field readers over a resolver.
pub(crate) struct Ctx<'a> {
    pub resolver: &'a dyn Resolve,
    pub source: &'a Source,
}

impl Ctx<'_> {
    pub fn unknown<T>(&self, field: &str, reason: String, span: Span) -> Field<T> {
        Field::Unknown(Unknown {
            field: field.to_string(),
            reason,
            span,
        })
    }

    /// A string field (numbers and booleans give their text).
    pub fn string(&self, v: &Val, field: &str) -> Field<String> {
        match self.resolver.resolve(v) {
            Ok(r) => match r.scalar_text() {
                Some(s) => Field::known(s, v.span),
                None => self.unknown(
                    field,
                    format!("expected a string, found {}", r.type_name()),
                    v.span,
                ),
            },
            Err(reason) => self.unknown(field, reason, v.span),
        }
    }

    pub fn boolean(&self, v: &Val, field: &str) -> Field<bool> {
        match self.resolver.resolve(v) {
            Ok(Val { v: V::Bool(b), .. }) => Field::known(b, v.span),
            Ok(Val { v: V::Str(s), .. }) if s.eq_ignore_ascii_case("true") => {
                Field::known(true, v.span)
            }
            Ok(Val { v: V::Str(s), .. }) if s.eq_ignore_ascii_case("false") => {
                Field::known(false, v.span)
            }
            Ok(r) => self.unknown(
                field,
                format!("expected true or false, found {}", r.type_name()),
                v.span,
            ),
            Err(reason) => self.unknown(field, reason, v.span),
        }
    }

    pub fn number(&self, v: &Val, field: &str) -> Field<u64> {
        match self.string(v, field) {
            Field::Known { value, span } => match value.trim().parse::<u64>() {
                Ok(n) => Field::known(n, span),
                Err(_) => self.unknown(
                    field,
                    format!("expected a whole number, found `{value}`"),
                    span,
                ),
            },
            Field::Unknown(u) => Field::Unknown(u),
        }
    }

    /// The node as JSON with intrinsics evaluated (resource policies).
    pub fn json(&self, v: &Val, field: &str) -> Field<serde_json::Value> {
        match self.resolver.resolve(v) {
            Ok(r) => Field::known(r.to_json(), v.span),
            Err(reason) => self.unknown(field, reason, v.span),
        }
    }

    /// Identity sources from a comma-separated string (REST, OpenAPI) or a list (HTTP API
    /// CloudFormation), each item parsed. Items keep their own span when the string is
    /// written without escapes.
    pub fn identity_sources(&self, v: &Val, field: &str) -> Field<Vec<IdentitySource>> {
        let resolved = match self.resolver.resolve(v) {
            Ok(r) => r,
            Err(reason) => return self.unknown(field, reason, v.span),
        };
        let mut items: Vec<(String, Span)> = Vec::new();
        match &resolved.v {
            V::Seq(list) => {
                for (i, it) in list.iter().enumerate() {
                    // Items of a literal list keep their span; a computed list (Fn::Split)
                    // points at the expression.
                    let span = v.items().get(i).map_or(v.span, |o| o.span);
                    match it.scalar_text() {
                        Some(s) => items.extend(self.split(&s, span)),
                        None => {
                            return self.unknown(
                                field,
                                format!("expected a string, found {}", it.type_name()),
                                span,
                            );
                        }
                    }
                }
            }
            _ => match resolved.scalar_text() {
                Some(s) => items.extend(self.split(&s, v.span)),
                None => {
                    return self.unknown(
                        field,
                        format!("expected a string, found {}", resolved.type_name()),
                        v.span,
                    );
                }
            },
        }
        let mut out = Vec::new();
        for (raw, span) in items {
            match IdentitySource::parse(&raw, span) {
                Some(s) => out.push(s),
                None => {
                    return self.unknown(
                        field,
                        format!("`{raw}` is not an identity source API Gateway reads"),
                        span,
                    );
                }
            }
        }
        Field::known(out, v.span)
    }

    /// Splits `a, b` at commas; each part gets its exact span when the node's text is the
    /// string itself (no escapes), else the node's span.
    fn split(&self, s: &str, span: Span) -> Vec<(String, Span)> {
        let text = self.source.text().get(span.range()).unwrap_or("");
        let inner = text
            .strip_prefix(['"', '\''])
            .and_then(|t| t.strip_suffix(['"', '\'']))
            .unwrap_or(text);
        let base = if inner == s {
            Some(span.offset() + (text.len() - inner.len()).min(1))
        } else {
            None
        };
        let mut out = Vec::new();
        let mut at = 0;
        for part in s.split(',') {
            let lead = part.len() - part.trim_start().len();
            let t = part.trim();
            if !t.is_empty() {
                let sp = base.map_or(span, |b| Span::new(b + at + lead, t.len()));
                out.push((t.to_string(), sp));
            }
            at += part.len() + 1;
        }
        out
    }
}

/// An error in the definition (exit 2), labelled at `span`.
pub(crate) fn invalid(source: &Source, span: Span, message: String, help: &str) -> InputError {
    InputError::at(ErrorKind::Invalid, source, span, &message, help)
}

/// The smallest span covering `a` and `b` (a key and its value).
pub(crate) fn cover(a: Span, b: Span) -> Span {
    let start = a.offset().min(b.offset());
    Span::new(start, a.end().max(b.end()) - start)
}
