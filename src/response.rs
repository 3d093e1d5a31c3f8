//! The HTTP answer API Gateway gives for a decision (default gateway responses; custom
//! gateway responses can change all of it). Sources: reference/aws-semantics.md §4.

use serde::Serialize;

use crate::eval::Decision;

pub use crate::api_type::ApiType;

/// What the client sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpResponse {
    /// Status code (200 stands for "the authorizer lets it through").
    pub status: u16,
    /// Reason phrase for the status line.
    pub reason: &'static str,
    /// The `x-amzn-ErrorType` header, if API Gateway sets one.
    pub error_type: Option<&'static str>,
    /// The exact body, if API Gateway writes it.
    pub body: Option<&'static str>,
    /// How sure the answer is, when AWS does not document it exactly: `inferred` or
    /// `contested`, with the reason.
    pub remark: Option<&'static str>,
}

const HTTP_DENY_REMARK: &str = "inferred, contested: AWS documents no HTTP API deny body; 403 {\"message\":\"Forbidden\"} is what is observed, one report says 401";
const HTTP_500_REMARK: &str = "the status is documented; the exact body is inferred";
const WS_DENY_REMARK: &str = "AWS documents \"a 401 or 403 response\" for a refused $connect handshake; no body is documented";

/// The response for `decision` on an API of type `api`.
///
/// ```
/// use policy_check::{response_for, ApiType, Decision};
/// let r = response_for(Decision::ExplicitDeny, ApiType::Rest).unwrap();
/// assert_eq!(r.status, 403);
/// assert_eq!(r.error_type, Some("AccessDeniedException"));
/// assert_eq!(r.body, Some(r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#));
/// assert_eq!(response_for(Decision::ImplicitDeny, ApiType::Http).unwrap().body, Some(r#"{"message":"Forbidden"}"#));
/// assert!(response_for(Decision::Depends, ApiType::Rest).is_none());
/// ```
pub fn response_for(decision: Decision, api: ApiType) -> Option<HttpResponse> {
    let r = |status, reason, error_type, body, remark| HttpResponse {
        status,
        reason,
        error_type,
        body,
        remark,
    };
    Some(match (decision, api) {
        (Decision::Depends | Decision::NotInvoked, _) => return None,
        (Decision::Allow, _) => r(200, "OK", None, None, None),
        (Decision::ExplicitDeny | Decision::ImplicitDeny, ApiType::Websocket) => {
            r(403, "Forbidden", None, None, Some(WS_DENY_REMARK))
        }
        (Decision::ExplicitDeny | Decision::ImplicitDeny, ApiType::Http) => r(
            403,
            "Forbidden",
            None,
            Some(r#"{"message":"Forbidden"}"#),
            Some(HTTP_DENY_REMARK),
        ),
        (Decision::Malformed, ApiType::Http | ApiType::Websocket) => r(
            500,
            "Internal Server Error",
            None,
            Some(r#"{"message":"Internal Server Error"}"#),
            Some(HTTP_500_REMARK),
        ),
        (Decision::ExplicitDeny, ApiType::Rest) => r(
            403,
            "Forbidden",
            Some("AccessDeniedException"),
            Some(
                r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#,
            ),
            None,
        ),
        (Decision::ImplicitDeny, ApiType::Rest) => r(
            403,
            "Forbidden",
            Some("AccessDeniedException"),
            Some(r#"{"Message":"User is not authorized to access this resource"}"#),
            None,
        ),
        (Decision::Malformed, ApiType::Rest) => r(
            500,
            "Internal Server Error",
            Some("AuthorizerConfigurationException"),
            Some(r#"{"message": null}"#),
            None,
        ),
    })
}

impl std::fmt::Display for HttpResponse {
    /// The response as a curl user would see it: status line, header, body.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.status == 200 {
            // Without the API definition the tool only knows the authorizer's part.
            return write!(
                f,
                "the authorizer lets the request through; whether the route exists, an API key is\nneeded or a resource policy applies is not checked without the API definition\n(see `policy-check request --api`)"
            );
        }
        write!(f, "HTTP/1.1 {} {}", self.status, self.reason)?;
        if let Some(t) = self.error_type {
            write!(f, "\nx-amzn-ErrorType: {t}")?;
        }
        if let Some(b) = self.body {
            write!(f, "\n\n{b}")?;
        }
        if let Some(r) = self.remark {
            write!(f, "\n\n({r})")?;
        }
        Ok(())
    }
}
