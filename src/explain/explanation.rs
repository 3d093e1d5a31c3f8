//! From a parsed response to its ranked causes, and the hook through which a pipeline replay
//! rules causes out or confirms one.

use serde::Serialize;

use super::capture::Capture;
pub use super::capture::Signature;
use super::catalog::{CauseSpec, Step, Tag, Tier, catalog, normalise};

/// One possible cause of the response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// The pipeline step it belongs to.
    pub step: Step,
    /// What went wrong, in one line.
    pub title: String,
    /// What to change.
    pub fixes: Vec<String>,
    /// How to confirm it: AWS CLI commands or execution-log lines.
    pub confirm: Vec<String>,
    /// How we know.
    pub source: Tag,
    /// A replay showed it cannot be the cause.
    pub ruled_out: bool,
    /// Why it was ruled out, or why a replay reproduced it.
    pub why: Option<String>,
}

impl Cause {
    fn from_spec(spec: &CauseSpec) -> Cause {
        Cause {
            step: spec.step,
            title: spec.title.clone(),
            fixes: spec.fixes.clone(),
            confirm: spec.confirm.clone(),
            source: spec.source,
            ruled_out: false,
            why: None,
        }
    }
}

/// The causes of a response, most likely first.
///
/// ```
/// use policy_check::explain::{Capture, Explanation, Step};
/// let text = "HTTP/1.1 403 Forbidden\nx-amzn-ErrorType: AccessDeniedException\n\n\
///             {\"Message\":\"User is not authorized to access this resource with an explicit deny\"}";
/// let capture = Capture::parse("response.txt", text.as_bytes()).unwrap();
/// let explanation = Explanation::of(&capture);
/// assert!(explanation.found());
/// assert_eq!(explanation.causes[0].step, Step::Policy);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// What the response was matched on.
    pub signature: Signature,
    /// The causes, most likely first; ruled-out causes last.
    pub causes: Vec<Cause>,
    /// The ids of the catalog entries that matched (anchors in docs/explain.md).
    pub entries: Vec<String>,
    /// Facts about the capture and the match, for people (not in the JSON contract).
    pub notes: Vec<String>,
    /// Set by [`Explanation::apply_replay`] when the replayed pipeline answers differently
    /// from the pasted response.
    pub mismatch: Option<String>,
}

/// What a pipeline replay of the request found, for [`Explanation::apply_replay`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplayFacts {
    /// Steps the request passes, with why ("route `GET /things` exists in stage prod").
    pub ruled_out: Vec<RuledOut>,
    /// The answer the pipeline predicts, when it predicts one (not when it depends).
    pub predicted: Option<Predicted>,
}

/// A step the replay passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuledOut {
    /// The step.
    pub step: Step,
    /// Why it passed, for people.
    pub why: String,
}

/// The pipeline's predicted answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predicted {
    /// The step that answered (`Integration` when the request gets through).
    pub step: Step,
    /// The status (below 400: the request reaches the integration).
    pub status: u16,
    /// The `x-amzn-ErrorType` it would carry.
    pub error_type: Option<String>,
    /// The body's message it would carry.
    pub message: Option<String>,
    /// The step's label, as `request` prints it; the title of the cause added when no
    /// catalog cause has this step.
    pub title: String,
    /// Why the step answers ("no statement allows …/GET/things"); becomes the cause's `why`.
    pub why: String,
}

impl Explanation {
    /// Matches `capture` against the catalog. No cause means the response is not one the
    /// catalog knows (the CLI exits 1).
    pub fn of(capture: &Capture) -> Explanation {
        let signature = Signature::of(capture);
        let cat = catalog();
        let hits = cat.lookup(&signature, capture.body.as_deref());
        let mut causes: Vec<Cause> = Vec::new();
        let mut notes = capture.notes.clone();
        let mut entries = Vec::new();
        for hit in &hits {
            entries.push(hit.entry.id.clone());
            for spec in &hit.entry.causes {
                if !causes
                    .iter()
                    .any(|c| c.step == spec.step && c.title == spec.title)
                {
                    causes.push(Cause::from_spec(spec));
                }
            }
        }
        if let Some(hit) = hits.iter().find(|h| h.tier == Tier::Customised) {
            let fill = |s: &str| {
                s.replace("{what}", hit.customised.unwrap_or("body"))
                    .replace(
                        "{error_type}",
                        hit.entry.error_type.as_deref().unwrap_or(""),
                    )
                    .replace(
                        "{response_type}",
                        hit.entry
                            .gateway_response
                            .as_deref()
                            .unwrap_or("DEFAULT_4XX"),
                    )
            };
            let spec = &cat.customised;
            // Not a rival cause but a certain fact about the answer: right after the first.
            let at = causes.len().min(1);
            causes.insert(
                at,
                Cause {
                    title: fill(&spec.title),
                    fixes: spec.fixes.iter().map(|f| fill(f)).collect(),
                    confirm: spec.confirm.iter().map(|c| fill(c)).collect(),
                    ..Cause::from_spec(spec)
                },
            );
        }
        if hits.iter().any(|h| h.tier == Tier::Fuzzy) {
            notes.push(
                "no entry matched the message exactly; these causes match it in part".to_string(),
            );
        }
        Explanation {
            signature,
            causes,
            entries,
            notes,
            mismatch: None,
        }
    }

    /// Whether any cause was found.
    pub fn found(&self) -> bool {
        !self.causes.is_empty()
    }

    /// Folds in what a pipeline replay found: causes in a step the replay passed are marked
    /// ruled out (with why) and move last; when the predicted answer is the pasted one, the
    /// causes of the predicted step come first (a cause is added if the catalog has none for
    /// that step) with the replay's why; when it is not, [`Explanation::mismatch`] says so
    /// and nothing is promoted.
    ///
    /// ```
    /// use policy_check::explain::{Capture, Explanation, Predicted, ReplayFacts, RuledOut, Step};
    /// let capture = Capture::parse("r", br#"HTTP/1.1 403 Forbidden
    /// x-amzn-ErrorType: MissingAuthenticationTokenException
    ///
    /// {"message":"Missing Authentication Token"}"#).unwrap();
    /// let mut e = Explanation::of(&capture);
    /// e.apply_replay(&ReplayFacts {
    ///     ruled_out: vec![RuledOut { step: Step::Route, why: "route `GET /things` exists in stage prod".into() }],
    ///     predicted: Some(Predicted {
    ///         step: Step::Identity, status: 401, error_type: Some("UnauthorizedException".into()),
    ///         message: Some("Unauthorized".into()), title: "identity source missing".into(),
    ///         why: "no `Authorization` header".into(),
    ///     }),
    /// });
    /// assert!(e.causes.iter().filter(|c| c.step == Step::Route).all(|c| c.ruled_out));
    /// assert!(e.mismatch.unwrap().starts_with("your API would answer 401 UnauthorizedException here, not 403"));
    /// ```
    pub fn apply_replay(&mut self, facts: &ReplayFacts) {
        for cause in &mut self.causes {
            if let Some(r) = facts.ruled_out.iter().find(|r| r.step == cause.step) {
                cause.ruled_out = true;
                cause.why = Some(r.why.clone());
            }
        }
        let mut reproduced = None;
        if let Some(p) = &facts.predicted {
            match self.difference(p) {
                Some(mismatch) => self.mismatch = Some(mismatch),
                None => reproduced = Some(p),
            }
        }
        if let Some(p) = reproduced {
            let mut any = false;
            for cause in self.causes.iter_mut().filter(|c| c.step == p.step) {
                cause.ruled_out = false;
                cause.why = Some(p.why.clone());
                any = true;
            }
            if !any {
                self.causes.push(Cause {
                    step: p.step,
                    title: p.title.clone(),
                    fixes: Vec::new(),
                    confirm: Vec::new(),
                    source: Tag::I,
                    ruled_out: false,
                    why: Some(p.why.clone()),
                });
            }
        }
        // Stable: reproduced first, then the rest in catalog order, ruled out last.
        let rank = |c: &Cause| match reproduced {
            Some(p) if c.step == p.step => 0,
            _ if c.ruled_out => 2,
            _ => 1,
        };
        self.causes.sort_by_key(rank);
    }

    /// The mismatch note when `p` is not the pasted answer.
    fn difference(&self, p: &Predicted) -> Option<String> {
        let sig = &self.signature;
        let status_differs = sig.status.is_some_and(|s| s != p.status);
        let type_differs = match (&sig.error_type, &p.error_type) {
            (Some(a), Some(b)) => !a.eq_ignore_ascii_case(b),
            (Some(_), None) => true,
            _ => false,
        };
        let message_differs = match (&sig.message, &p.message) {
            (Some(a), Some(b)) => normalise(a) != normalise(b),
            _ => false,
        };
        let differs = status_differs || type_differs || message_differs || p.status < 400;
        if !differs {
            return None;
        }
        let describe = |status: Option<u16>, error_type: Option<&str>, message: Option<&str>| {
            let mut parts = Vec::new();
            if let Some(s) = status {
                parts.push(s.to_string());
            }
            if let Some(t) = error_type {
                parts.push(t.to_string());
            }
            if parts.is_empty()
                && let Some(m) = message
            {
                parts.push(format!("\"{m}\""));
            }
            parts.join(" ")
        };
        let pasted = describe(
            sig.status,
            sig.error_type.as_deref(),
            sig.message.as_deref(),
        );
        let would = if p.status < 400 {
            "let this request through to the integration".to_string()
        } else {
            format!(
                "answer {}",
                describe(
                    Some(p.status),
                    p.error_type.as_deref(),
                    p.message.as_deref()
                )
            )
        };
        Some(format!(
            "your API would {would} here, not {pasted}: the response came from elsewhere, \
             e.g. WAF or another stage"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explain(text: &str) -> Explanation {
        Explanation::of(&Capture::parse("t", text.as_bytes()).unwrap())
    }

    const IMPLICIT: &str = "HTTP/1.1 403 Forbidden\nx-amzn-ErrorType: AccessDeniedException\n\n{\"Message\":\"User is not authorized to access this resource\"}";

    #[test]
    fn reproduced_step_moves_first_and_ruled_out_last() {
        let mut e = explain(IMPLICIT);
        assert_eq!(e.causes[0].step, Step::Policy);
        let cache_at = e.causes.iter().position(|c| c.step == Step::Cache).unwrap();
        assert!(cache_at > 0);
        e.apply_replay(&ReplayFacts {
            ruled_out: vec![RuledOut {
                step: Step::Policy,
                why: "the policy allows GET /things".into(),
            }],
            predicted: Some(Predicted {
                step: Step::Cache,
                status: 403,
                error_type: Some("AccessDeniedException".into()),
                message: Some("User is not authorized to access this resource".into()),
                title: "cached policy".into(),
                why: "the policy cached for GET /things/1 does not cover GET /things/2".into(),
            }),
        });
        assert_eq!(e.causes[0].step, Step::Cache);
        assert!(!e.causes[0].ruled_out);
        assert_eq!(
            e.causes[0].why.as_deref(),
            Some("the policy cached for GET /things/1 does not cover GET /things/2")
        );
        let last = e.causes.last().unwrap();
        assert!(last.ruled_out && last.step == Step::Policy);
        assert_eq!(e.mismatch, None);
    }

    #[test]
    fn predicted_step_without_a_cause_is_added() {
        let mut e = explain(IMPLICIT);
        let n = e.causes.len();
        e.apply_replay(&ReplayFacts {
            ruled_out: vec![],
            predicted: Some(Predicted {
                step: Step::GatewayResponse,
                status: 403,
                error_type: Some("AccessDeniedException".into()),
                message: None,
                title: "gateway response ACCESS_DENIED".into(),
                why: "defined in openapi.yaml".into(),
            }),
        });
        assert_eq!(e.causes.len(), n + 1);
        assert_eq!(e.causes[0].title, "gateway response ACCESS_DENIED");
    }

    #[test]
    fn an_allowed_prediction_is_a_mismatch() {
        let mut e = explain(IMPLICIT);
        e.apply_replay(&ReplayFacts {
            ruled_out: vec![],
            predicted: Some(Predicted {
                step: Step::Integration,
                status: 200,
                error_type: None,
                message: None,
                title: "reaches the integration".into(),
                why: "allowed".into(),
            }),
        });
        assert_eq!(
            e.mismatch.as_deref(),
            Some(
                "your API would let this request through to the integration here, not 403 AccessDeniedException: the response came from elsewhere, e.g. WAF or another stage"
            )
        );
        assert_eq!(
            e.causes[0].step,
            Step::Policy,
            "nothing promoted on a mismatch"
        );
    }

    #[test]
    fn a_bare_message_mismatch_names_the_predicted_answer() {
        let mut e = explain("User is not authorized to access this resource");
        e.apply_replay(&ReplayFacts {
            ruled_out: vec![],
            predicted: Some(Predicted {
                step: Step::Identity,
                status: 401,
                error_type: Some("UnauthorizedException".into()),
                message: Some("Unauthorized".into()),
                title: "identity source missing".into(),
                why: "no `Authorization` header".into(),
            }),
        });
        assert_eq!(
            e.mismatch.as_deref(),
            Some(
                "your API would answer 401 UnauthorizedException here, not \"User is not authorized to access this resource\": the response came from elsewhere, e.g. WAF or another stage"
            )
        );
    }
}
