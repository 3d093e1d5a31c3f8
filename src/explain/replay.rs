//! Replaying the request through the pipeline (`explain --api … --request …`): the steps the
//! request passes rule their causes out, the step that answers is the reproduced cause, and
//! an answer other than the pasted one is a mismatch.

use super::explanation::{Explanation, Predicted, ReplayFacts, RuledOut};
use crate::apidef::ApiModel;
use crate::pipeline::{
    self, AuthorizerBehaviour, Cache, Facts, HttpRequest, MadeBy, OutcomeKind, PipelineError,
    PipelineOutcome, Step, StepResult,
};

/// Whether a step the request passes rules out every catalog cause of that step. Not the
/// edge (WAF rules and your own CloudFront distribution are not in the definition), not the
/// cache (a replay of one request does not know what earlier requests cached), and not the
/// stage unless the definition lists it (a pass on an unlisted stage is an assumption).
fn pass_rules_out(r: &pipeline::StepReport) -> bool {
    match r.step {
        pipeline::Step::Edge | pipeline::Step::Cache | pipeline::Step::Integration => false,
        pipeline::Step::Stage => r.span.is_some(),
        _ => true,
    }
}

/// Statuses the pipeline never produces by default: throttling, quotas and integration
/// failures. A replay says nothing about them.
fn outside_the_model(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// The `message` / `Message` of a JSON body.
fn body_message(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    ["message", "Message"]
        .iter()
        .find_map(|k| v.get(k).and_then(|m| m.as_str()).map(str::to_string))
}

/// What a pipeline outcome says about the causes: passed and skipped steps rule theirs out
/// (with the step's own detail as why); the step that answers is predicted, with the
/// gateway response that rewrote its answer, if any; a `depends` outcome predicts nothing.
/// `req` is the request replayed.
pub fn replay_facts(outcome: &PipelineOutcome, req: &HttpRequest) -> ReplayFacts {
    let mut facts = ReplayFacts::default();
    let label = req.label();
    let in_stage = req
        .stage
        .as_deref()
        .map(|s| format!(" in stage {s}"))
        .unwrap_or_default();
    for r in &outcome.steps {
        let why = match r.step {
            pipeline::Step::Route if r.detail == label => {
                format!("route `{label}` exists{in_stage}")
            }
            pipeline::Step::Route => {
                format!("route `{}` matches {label}{in_stage}", r.detail)
            }
            pipeline::Step::MethodAuth => {
                format!("the method's authorization is {}", r.detail)
            }
            _ => r.detail.clone(),
        };
        match r.result {
            StepResult::Pass | StepResult::Skipped if pass_rules_out(r) => {
                facts.ruled_out.push(RuledOut { step: r.step, why });
            }
            _ => {}
        }
    }
    if outcome.outcome == OutcomeKind::Depends {
        return facts;
    }
    let Some(answer) = &outcome.answer else {
        return facts;
    };
    let answering = outcome
        .steps
        .iter()
        .rev()
        .find(|r| r.result == StepResult::Answer);
    let step = if answer.made_by == MadeBy::Integration {
        Step::Integration
    } else {
        answer.step
    };
    let status = match &answer.error_type {
        Some(t) => format!("{} {t}", answer.status),
        None => answer.status.to_string(),
    };
    let title = answering.map_or_else(
        || format!("the `{}` step answers {status}", answer.step.name()),
        |r| r.detail.clone(),
    );
    let mut why = format!("{title}: the replay of {label} answers {status} here");
    if let Some(gr) = &answer.gateway_response {
        why.push_str(&format!(
            " (the API's {gr} gateway response writes the status and body)"
        ));
    }
    facts.predicted = Some(Predicted {
        step,
        status: answer.status,
        error_type: answer.error_type.clone(),
        message: answer.body.as_deref().and_then(body_message),
        title,
        why,
    });
    facts
}

impl Explanation {
    /// Replays `req` on `api` (with the authorizer's behaviour and the facts) and folds the
    /// result in with [`Explanation::apply_replay`]; a note says what the API answers. A
    /// pasted throttling, quota or integration failure (429, 502, 503, 504) is outside
    /// what the pipeline models: then nothing is ruled out, and a note says so.
    ///
    /// ```
    /// use policy_check::{apidef, Source};
    /// use policy_check::explain::{Capture, Explanation, Step};
    /// use policy_check::pipeline::{AuthorizerBehaviour, Facts, HttpRequest};
    /// let api = apidef::load(Source::new("api.json",
    ///     r#"{"openapi": "3.0.1", "paths": {"/things": {"get": {}}}}"#), None).unwrap();
    /// let c = Capture::parse("r", br#"HTTP/1.1 403 Forbidden
    /// x-amzn-ErrorType: MissingAuthenticationTokenException
    ///
    /// {"message":"Missing Authentication Token"}"#).unwrap();
    /// let mut e = Explanation::of(&c);
    /// e.replay(&api, &HttpRequest::from_line("POST /things").unwrap(), &Facts::default(),
    ///     &AuthorizerBehaviour::Unknown).unwrap();
    /// assert_eq!(e.causes[0].step, Step::Route);
    /// assert!(e.causes[0].why.as_deref().unwrap().contains("POST"));
    /// assert_eq!(e.mismatch, None);
    /// ```
    pub fn replay(
        &mut self,
        api: &ApiModel,
        req: &HttpRequest,
        facts: &Facts,
        behaviour: &AuthorizerBehaviour,
    ) -> Result<PipelineOutcome, PipelineError> {
        let outcome = pipeline::run(api, req, facts, behaviour, &mut Cache::new())?;
        let mut replay = replay_facts(&outcome, req);
        let label = req.label();
        let answered = replay.predicted.as_ref().map(|p| {
            if p.status < 400 {
                "lets it through to the integration".to_string()
            } else {
                let t = p
                    .error_type
                    .as_deref()
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default();
                format!("answers {}{t} at step `{}`", p.status, p.step)
            }
        });
        match (&answered, self.signature.status) {
            (Some(a), Some(s)) if outside_the_model(s) => {
                self.notes.push(format!(
                    "replay of {label}: your API {a}; the replay does not model throttling, quotas or integration failures, so it rules nothing out"
                ));
                return Ok(outcome);
            }
            (Some(a), _) => self.notes.push(format!("replay of {label}: your API {a}")),
            (None, _) => {
                let on = outcome
                    .steps
                    .iter()
                    .find(|r| r.result == StepResult::Depends)
                    .map(|r| format!(" at step `{}`", r.step.name()))
                    .unwrap_or_default();
                self.notes.push(format!(
                    "replay of {label}: the answer depends on what the definition and facts do not say{on} (policy-check request shows each case); steps before it are ruled out"
                ));
                replay.predicted = None;
            }
        }
        self.apply_replay(&replay);
        // A cause added for the predicted step has the step's detail as its title: its why
        // need not repeat it.
        if let Some(p) = &replay.predicted
            && let Some(c) = self.causes.first_mut()
            && c.title == p.title
            && let Some(short) = c
                .why
                .as_deref()
                .and_then(|w| w.strip_prefix(&format!("{}: ", p.title)))
        {
            c.why = Some(short.to_string());
        }
        // A gateway response the replay applied confirms the catalog's guess at one.
        if let Some(gr) = outcome
            .answer
            .as_ref()
            .and_then(|a| a.gateway_response.as_ref())
            && self.mismatch.is_none()
        {
            for c in self
                .causes
                .iter_mut()
                .filter(|c| c.step == Step::GatewayResponse)
            {
                c.ruled_out = false;
                c.why = Some(format!(
                    "the API's {gr} gateway response, in {}, wrote this answer in the replay",
                    api.source.name()
                ));
            }
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;
    use crate::explain::Capture;

    const API: &str = r#"{"openapi": "3.0.1", "paths": {"/things": {"get": {"security": [{"tok": []}]}}},
      "components": {"securitySchemes": {"tok": {"type": "apiKey", "name": "Authorization", "in": "header",
        "x-amazon-apigateway-authtype": "custom",
        "x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/fn"}}}}}"#;

    fn replayed(pasted: &str, behaviour: &AuthorizerBehaviour) -> Explanation {
        let api = crate::apidef::load(Source::new("api.json", API), None).unwrap();
        let mut e = Explanation::of(&Capture::parse("r", pasted.as_bytes()).unwrap());
        let req = HttpRequest::from_line("GET /things")
            .unwrap()
            .with_header_line("Authorization: t")
            .unwrap();
        e.replay(&api, &req, &Facts::default(), behaviour).unwrap();
        e
    }

    #[test]
    fn an_unknown_authorizer_predicts_nothing_but_rules_out_the_steps_before_it() {
        let e = replayed(
            "HTTP/1.1 403 Forbidden\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n{\"message\":\"Missing Authentication Token\"}",
            &AuthorizerBehaviour::Unknown,
        );
        assert_eq!(e.mismatch, None);
        assert!(
            e.notes.iter().any(|n| n.contains("the answer depends")),
            "{:?}",
            e.notes
        );
        let route = e.causes.iter().find(|c| c.step == Step::Route).unwrap();
        assert!(route.ruled_out);
        assert_eq!(route.why.as_deref(), Some("route `GET /things` exists"));
    }

    #[test]
    fn throttling_is_outside_the_model() {
        let e = replayed(
            "HTTP/1.1 429 Too Many Requests\nx-amzn-ErrorType: TooManyRequestsException\n\n{\"message\":\"Too Many Requests\"}",
            &AuthorizerBehaviour::Throws("Unauthorized".into()),
        );
        assert_eq!(e.mismatch, None);
        assert!(e.causes.iter().all(|c| !c.ruled_out));
        assert!(
            e.notes
                .iter()
                .any(|n| n.contains("does not model throttling")),
            "{:?}",
            e.notes
        );
    }
}
