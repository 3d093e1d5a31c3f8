//! The HTTP answer API Gateway gives for a decision (default gateway responses; custom
//! gateway responses can change all of it). Sources: reference/aws-semantics.md §4.

use serde::Serialize;

use crate::authorizer::Shape;
use crate::eval::Decision;

/// What the client sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpResponse {
    /// Status code (200 stands for "passed on to the integration").
    pub status: u16,
    /// Reason phrase for the status line.
    pub reason: &'static str,
    /// The `x-amzn-ErrorType` header, if API Gateway sets one.
    pub error_type: Option<&'static str>,
    /// The exact body, if API Gateway writes it.
    pub body: Option<&'static str>,
}

/// The response for `decision` on an output of `shape`.
///
/// REST defaults apply to policy outputs (REST APIs and HTTP API payload 1.0 alike, since
/// the output does not say which); HTTP API simple responses get the HTTP API bodies.
///
/// ```
/// use policy_check::{response_for, Decision, Shape};
/// let r = response_for(Decision::ExplicitDeny, Shape::Rest).unwrap();
/// assert_eq!(r.status, 403);
/// assert_eq!(r.error_type, Some("AccessDeniedException"));
/// assert_eq!(r.body, Some(r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#));
/// assert!(response_for(Decision::Depends, Shape::Rest).is_none());
/// ```
pub fn response_for(decision: Decision, shape: Shape) -> Option<HttpResponse> {
    let http = shape == Shape::Http;
    Some(match decision {
        Decision::Allow => HttpResponse {
            status: 200,
            reason: "OK",
            error_type: None,
            body: None,
        },
        Decision::ExplicitDeny if http => HttpResponse {
            status: 403,
            reason: "Forbidden",
            error_type: None,
            body: Some(r#"{"message":"Forbidden"}"#),
        },
        Decision::ImplicitDeny if http => HttpResponse {
            status: 403,
            reason: "Forbidden",
            error_type: None,
            body: Some(r#"{"message":"Forbidden"}"#),
        },
        Decision::Malformed if http => HttpResponse {
            status: 500,
            reason: "Internal Server Error",
            error_type: None,
            body: Some(r#"{"message":"Internal Server Error"}"#),
        },
        Decision::ExplicitDeny => HttpResponse {
            status: 403,
            reason: "Forbidden",
            error_type: Some("AccessDeniedException"),
            body: Some(
                r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#,
            ),
        },
        Decision::ImplicitDeny => HttpResponse {
            status: 403,
            reason: "Forbidden",
            error_type: Some("AccessDeniedException"),
            body: Some(r#"{"Message":"User is not authorized to access this resource"}"#),
        },
        Decision::Malformed => HttpResponse {
            status: 500,
            reason: "Internal Server Error",
            error_type: Some("AuthorizerConfigurationException"),
            body: Some(r#"{"message": null}"#),
        },
        Decision::Depends => return None,
    })
}

impl std::fmt::Display for HttpResponse {
    /// The response as a curl user would see it: status line, header, body.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP/1.1 {} {}", self.status, self.reason)?;
        if let Some(t) = self.error_type {
            write!(f, "\nx-amzn-ErrorType: {t}")?;
        }
        match self.body {
            Some(b) => write!(f, "\n\n{b}"),
            None if self.status == 200 => {
                write!(f, "\n\n(the request is passed on to the integration)")
            }
            None => Ok(()),
        }
    }
}
