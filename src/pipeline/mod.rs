//! The request steps around the authorizer: what API Gateway answers to a whole request
//! (pipeline.md §2, DESIGN.md "Decided semantics: the whole request").
//!
//! Each step returns pass / answer / depends / skipped. The first answer ends the pipeline;
//! REST gateway responses then rewrite it. What the inputs do not say, and undocumented
//! behaviour, is computed every plausible way (`Forks`): when the readings agree the
//! answer stands with an assumption; when they differ the outcome is `depends`, with each
//! case's HTTP answer.

mod answer;
pub(crate) mod api_key;
mod cache;
mod facts;
pub(crate) mod gwresponse;
pub(crate) mod identity;
pub(crate) mod inputs;
mod plan;
mod request;
pub(crate) mod resource_policy;
mod steps;

use serde::{Deserialize, Serialize};

pub use answer::{Answer, ApiKind, MadeBy};
pub use cache::{Cache, CacheUse};
pub use facts::{ApiKeyFact, EndpointType, Facts};
pub use plan::run;
pub use request::HttpRequest;
pub use steps::{AuthorizerBehaviour, PipelineError};

use crate::source::Source;
use crate::span::{Location, Span};

/// The steps, in pipeline order (JSON contract: snake_case names). `explain` uses the same
/// names for its causes (re-exported as `explain::Step`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// CloudFront in front of an edge-optimized endpoint (and WAF, which also answers before
    /// the stage).
    Edge,
    /// The stage named by the URL (first path segment, or a custom domain's base path).
    Stage,
    /// The route: resource and method (REST) or route (HTTP API).
    Route,
    /// The method's authorization type (NONE, CUSTOM, AWS_IAM, COGNITO_USER_POOLS, JWT).
    MethodAuth,
    /// The API's resource policy (pre-pass or combination).
    ResourcePolicy,
    /// The authorizer's identity sources and validation expression.
    Identity,
    /// The authorizer result cache.
    Cache,
    /// Invoking the authorizer and reading its output.
    Authorizer,
    /// Evaluating the authorizer's policy (or simple response) for the request.
    Policy,
    /// API key and usage plan checks, throttles and quotas.
    ApiKey,
    /// The integration (the backend).
    Integration,
    /// A customised gateway response that rewrote the status, headers or body. Not a step
    /// `request` reports (it applies the rewrite to the answer): a cause `explain` names.
    GatewayResponse,
}

impl Step {
    /// Every step, in pipeline order.
    pub const ALL: [Step; 12] = [
        Step::Edge,
        Step::Stage,
        Step::Route,
        Step::MethodAuth,
        Step::ResourcePolicy,
        Step::Identity,
        Step::Cache,
        Step::Authorizer,
        Step::Policy,
        Step::ApiKey,
        Step::Integration,
        Step::GatewayResponse,
    ];

    /// The contract name (`method_auth`), as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Step::Edge => "edge",
            Step::Stage => "stage",
            Step::Route => "route",
            Step::MethodAuth => "method_auth",
            Step::ResourcePolicy => "resource_policy",
            Step::Identity => "identity",
            Step::Cache => "cache",
            Step::Authorizer => "authorizer",
            Step::Policy => "policy",
            Step::ApiKey => "api_key",
            Step::Integration => "integration",
            Step::GatewayResponse => "gateway_response",
        }
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A step's result (JSON contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepResult {
    /// The request goes on.
    Pass,
    /// The step answered the request.
    Answer,
    /// The answer hangs on something unknown or undocumented at this step.
    Depends,
    /// The step does not apply (e.g. no authorizer).
    Skipped,
}

/// Where a step's evidence is: a file and a span in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The file's name as given.
    pub file: String,
    /// Byte offset, length, 1-based line and column.
    #[serde(flatten)]
    pub location: Location,
    /// The span, for labels.
    #[serde(skip)]
    pub span: Span,
}

impl Evidence {
    /// Points at `span` in `source`.
    pub fn new(source: &Source, span: Span) -> Evidence {
        Evidence {
            file: source.name().to_string(),
            location: source.location(span),
            span,
        }
    }
}

/// One line of the step trace (JSON contract: `steps[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepReport {
    /// The step.
    pub step: Step,
    /// What it did.
    pub result: StepResult,
    /// One sentence: why.
    pub detail: String,
    /// Its evidence, when it has one.
    pub span: Option<Evidence>,
}

/// `answer` or `depends` (JSON contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// One answer.
    Answer,
    /// Several answers, one per case.
    Depends,
}

/// One case of a `depends` outcome (JSON contract: `cases[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// The condition, e.g. "the API key `k1` is valid, enabled and in a usage plan for abc123/prod".
    pub when: String,
    /// The answer then.
    pub answer: Answer,
}

/// The answer to one request (JSON contract of `policy-check request`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineOutcome {
    /// Always 1.
    pub schema_version: u32,
    /// `answer` or `depends`.
    pub outcome: OutcomeKind,
    /// The answer; null when it depends.
    pub answer: Option<Answer>,
    /// The step trace (of the first reading, when it depends).
    pub steps: Vec<StepReport>,
    /// One answer per case, when it depends.
    pub cases: Vec<Case>,
    /// What the answer assumes (documented defaults, inferred behaviour, readings that agree).
    pub assumptions: Vec<String>,
    /// Undocumented or contested points the answer hangs on.
    pub undocumented: Vec<String>,
    /// Whether the authorizer Lambda was invoked; null when no authorizer ran or it depends.
    pub authorizer_invoked: Option<bool>,
    /// The cached result that was used, if any.
    pub cache: Option<CacheUse>,
    /// The event API Gateway would send the authorizer, when its behaviour was needed but
    /// not given: a ready test event.
    pub authorizer_event: Option<serde_json::Value>,
}

impl PipelineOutcome {
    /// The exit code of `policy-check request`: 0 reaches the integration, 3 the
    /// authorizer's output is malformed (500), 1 any other answer or `depends`.
    pub fn exit_code(&self) -> u8 {
        match &self.answer {
            Some(a) if a.made_by == MadeBy::Integration => 0,
            Some(a) if a.malformed_output => 3,
            _ => 1,
        }
    }
}

/// Whether a fork is an undocumented behaviour or a missing fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ForkKind {
    /// AWS does not document it (pipeline.md §2.14).
    Undocumented,
    /// The definition and the facts do not say.
    Unknown,
    /// The authorizer's behaviour was not given.
    Authorizer,
}

/// A point where the pipeline took one of several readings.
#[derive(Debug, Clone)]
pub(crate) struct ForkPoint {
    pub(crate) kind: ForkKind,
    pub(crate) step: Step,
    /// The question, e.g. "whether the identity regex must match the whole header".
    pub(crate) question: String,
    /// One phrase per reading.
    pub(crate) readings: Vec<String>,
    pub(crate) chosen: usize,
}

/// The readings chosen in one run: the first runs take reading 0 everywhere; the explorer
/// presets a prefix of choices to visit the others.
#[derive(Debug, Default)]
pub(crate) struct Forks {
    preset: Vec<usize>,
    pub(crate) seen: Vec<ForkPoint>,
}

impl Forks {
    /// Takes a reading for a new fork point and returns its index.
    pub(crate) fn choose(
        &mut self,
        kind: ForkKind,
        step: Step,
        question: impl Into<String>,
        readings: Vec<String>,
    ) -> usize {
        let chosen = self.preset.get(self.seen.len()).copied().unwrap_or(0);
        self.seen.push(ForkPoint {
            kind,
            step,
            question: question.into(),
            readings,
            chosen,
        });
        chosen
    }
}

/// Most runs one request may take (every combination of readings); the rest are reported
/// as not explored.
const RUN_BUDGET: usize = 64;

/// Runs `f` under every combination of readings it meets (depth-first, bounded).
pub(crate) fn explore<R>(mut f: impl FnMut(&mut Forks) -> R) -> (Vec<(Vec<ForkPoint>, R)>, bool) {
    let mut queue = vec![Vec::new()];
    let mut runs = Vec::new();
    while let Some(preset) = queue.pop() {
        if runs.len() == RUN_BUDGET {
            return (runs, false);
        }
        let fixed = preset.len();
        let mut forks = Forks {
            preset,
            seen: Vec::new(),
        };
        let r = f(&mut forks);
        // Branch on the points this run met for the first time, last first so that the
        // pop order visits the readings in order.
        for i in (fixed..forks.seen.len()).rev() {
            for alt in (1..forks.seen[i].readings.len()).rev() {
                let mut p: Vec<usize> = forks.seen[..i].iter().map(|s| s.chosen).collect();
                p.push(alt);
                queue.push(p);
            }
        }
        runs.push((forks.seen, r));
    }
    (runs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explore_visits_every_combination_once() {
        let (runs, complete) = explore(|f| {
            let a = f.choose(
                ForkKind::Unknown,
                Step::Edge,
                "a",
                vec!["0".into(), "1".into()],
            );
            if a == 1 {
                let b = f.choose(
                    ForkKind::Unknown,
                    Step::Edge,
                    "b",
                    vec!["0".into(), "1".into(), "2".into()],
                );
                return (a, b);
            }
            (a, 9)
        });
        assert!(complete);
        let got: Vec<(usize, usize)> = runs.iter().map(|r| r.1).collect();
        assert_eq!(got, [(0, 9), (1, 0), (1, 1), (1, 2)]);
    }

    #[test]
    fn step_names_match_serde() {
        for s in [
            Step::Edge,
            Step::MethodAuth,
            Step::ResourcePolicy,
            Step::ApiKey,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.name());
        }
    }
}

#[cfg(test)]
mod e2e_tests;
