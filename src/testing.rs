//! Helpers for unit tests of authorizers written in Rust: build the output with your own
//! types, then assert what API Gateway would do with it. A failed assertion panics with the
//! same explanation the CLI prints (miette report, no colour), so the test log says which
//! statement decided and what to change.
//!
//! ```
//! use policy_check::{Checked, Request};
//! let output = serde_json::json!({
//!     "principalId": "user-1",
//!     "policyDocument": {"Version": "2012-10-17", "Statement": [{
//!         "Effect": "Allow", "Action": "execute-api:Invoke",
//!         "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things/*"}]}
//! });
//! let checked = Checked::from_value(&output).unwrap();
//! let get = Request::new("GET", "/things/42").pin_defaults();
//! checked.assert_allows(&get);
//! assert_eq!(checked.deciding_sid(&get), None); // no Sid on that statement
//! checked.assert_denies(&Request::new("DELETE", "/things/42").pin_defaults());
//! ```

use crate::eval::{Decision, Evaluation, Expect};
use crate::report::{CheckReport, Style, human};
use crate::{Checked, Request};

impl Checked {
    /// The human explanation for `request`, as the CLI prints it (no colour, 100 columns).
    pub fn explain(&self, request: &Request) -> String {
        match self.evaluate(request) {
            Ok(eval) => self.render(request, &eval, None),
            Err(e) => format!("could not evaluate {}: {e}", request.route()),
        }
    }

    fn render(&self, request: &Request, eval: &Evaluation, expect: Option<Expect>) -> String {
        human::render_check(
            &CheckReport {
                checked: self,
                request,
                eval,
                expect,
                lint: &[],
            },
            Style::default(),
        )
    }

    /// Panics, with the explanation, unless `request` gets the `expected` outcome.
    #[track_caller]
    pub fn assert_outcome(&self, request: &Request, expected: Expect) -> Evaluation {
        let eval = match self.evaluate(request) {
            Ok(e) => e,
            Err(e) => panic!("policy-check could not evaluate {}: {e}", request.route()),
        };
        if !eval.meets(expected) {
            panic!(
                "expected {} for {}, got {}\n\n{}",
                expected.as_str(),
                request.arn_display(),
                eval.decision.phrase(),
                self.render(request, &eval, Some(expected))
            );
        }
        eval
    }

    /// Panics, with the explanation, unless `request` is allowed.
    #[track_caller]
    pub fn assert_allows(&self, request: &Request) -> Evaluation {
        self.assert_outcome(request, Expect::Allow)
    }

    /// Panics, with the explanation, unless `request` is denied (explicitly or implicitly).
    #[track_caller]
    pub fn assert_denies(&self, request: &Request) -> Evaluation {
        self.assert_outcome(request, Expect::Deny)
    }

    /// Panics, with the explanation, unless API Gateway would reject the output (500).
    #[track_caller]
    pub fn assert_malformed(&self) {
        let any = Request::new("GET", "/").pin_defaults();
        self.assert_outcome(&any, Expect::Malformed);
    }

    /// The Sid of the first statement that decides `request` (allow or explicit deny).
    pub fn deciding_sid(&self, request: &Request) -> Option<String> {
        let eval = self.evaluate(request).ok()?;
        let first = eval.deciding.first()?;
        let policy = self.authorizer.policy.as_ref()?;
        policy.statements[first.statement]
            .sid
            .as_ref()
            .map(|s| s.value.to_string())
    }

    /// The decision for `request` (`Malformed` when the output is, whatever the request).
    pub fn decision(&self, request: &Request) -> Option<Decision> {
        self.evaluate(request).ok().map(|e| e.decision)
    }
}
