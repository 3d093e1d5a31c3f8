//! The driver of `policy-check request` and `routes`: files in, a [`RequestRun`] (or
//! [`RoutesRun`]) out. It reads the API definition, the facts file and the authorizer's
//! behaviour, then answers each request of a sequence through one shared [`Cache`] with a
//! virtual clock (issue 10 §2). It prints nothing: printers in `report/` render the runs.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use crate::apidef::{self, ApiModel, RouteRow};
use crate::pipeline::{
    self, AuthorizerBehaviour, Cache, Facts, HttpRequest, PipelineError, PipelineOutcome,
};
use crate::source::ErrorKind;
use crate::{Checked, InputError, InputKind, Source};

/// Where the authorizer's behaviour comes from, for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BehaviourSpec {
    /// An output file (`-` is standard input).
    Output(PathBuf),
    /// The message it throws.
    Throws(String),
    /// Not given.
    Unknown,
}

/// One request of a sequence, as given on the command line or in a fixture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSpec {
    /// The method, as given.
    pub method: String,
    /// A path (`/things?x=1`) or an invoke URL.
    pub target: String,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub data: Option<String>,
    /// The client's address.
    pub source_ip: Option<IpAddr>,
    /// Seconds since the previous request (the virtual clock; 0 for the first).
    pub after: u64,
    /// What the authorizer does.
    pub behaviour: BehaviourSpec,
}

/// What one request of a `request … --then …` sequence was given: anything left out is
/// taken from the request before it (see [`sequence`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestParts {
    /// The method, as given.
    pub method: String,
    /// A path or an invoke URL.
    pub target: String,
    /// `-H`, in order.
    pub headers: Option<Vec<(String, String)>>,
    /// `--data`.
    pub data: Option<String>,
    /// `--source-ip`.
    pub source_ip: Option<IpAddr>,
    /// `--after`: seconds since the previous request.
    pub after: Option<u64>,
    /// `--authorizer-output` or `--authorizer-throws`.
    pub behaviour: Option<BehaviourSpec>,
}

/// The requests of a command-line sequence. A request that gives no headers, client address
/// or authorizer behaviour repeats the previous request's (a client retrying with the same
/// token); the body and the delay are its own. The first request's delay is 0.
///
/// ```
/// use policy_check::request_run::{BehaviourSpec, RequestParts, sequence};
/// let first = RequestParts {
///     method: "GET".into(),
///     target: "/things".into(),
///     headers: Some(vec![("Authorization".into(), "Bearer t".into())]),
///     behaviour: Some(BehaviourSpec::Throws("Unauthorized".into())),
///     ..Default::default()
/// };
/// let then = RequestParts { method: "POST".into(), target: "/things".into(), after: Some(5), ..Default::default() };
/// let specs = sequence(vec![first, then]);
/// assert_eq!(specs[1].headers, specs[0].headers);
/// assert_eq!(specs[1].behaviour, BehaviourSpec::Throws("Unauthorized".into()));
/// assert_eq!((specs[0].after, specs[1].after), (0, 5));
/// ```
pub fn sequence(parts: Vec<RequestParts>) -> Vec<RequestSpec> {
    let mut out: Vec<RequestSpec> = Vec::with_capacity(parts.len());
    for p in parts {
        let prev = out.last();
        out.push(RequestSpec {
            method: p.method,
            target: p.target,
            headers: p
                .headers
                .or_else(|| prev.map(|r| r.headers.clone()))
                .unwrap_or_default(),
            data: p.data,
            source_ip: p.source_ip.or_else(|| prev.and_then(|r| r.source_ip)),
            after: if prev.is_some() {
                p.after.unwrap_or(0)
            } else {
                0
            },
            behaviour: p
                .behaviour
                .or_else(|| prev.map(|r| r.behaviour.clone()))
                .unwrap_or(BehaviourSpec::Unknown),
        });
    }
    out
}

/// ARN parts and stage given as options (an invoke URL's own parts win).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pins {
    /// `--stage`.
    pub stage: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--account`.
    pub account: Option<String>,
    /// `--api-id`.
    pub api_id: Option<String>,
    /// `--partition`.
    pub partition: Option<String>,
}

/// One answered request.
#[derive(Debug, Clone)]
pub struct Answered {
    /// `GET /things` as given (the target as typed).
    pub label: String,
    /// The request as the pipeline saw it.
    pub request: HttpRequest,
    /// The virtual time of the request, in seconds since the first.
    pub at: u64,
    /// The answer.
    pub outcome: PipelineOutcome,
    /// The authorizer output this request's policy step read (its own, or the cached one of
    /// an earlier request), for the policy's labels.
    pub output: Option<Checked>,
}

/// Everything one `request` run produced.
#[derive(Debug)]
pub struct RequestRun {
    /// The API definition.
    pub api: ApiModel,
    /// The facts file, if any.
    pub facts: Facts,
    /// Each request, in order (one unless `--then` was given).
    pub requests: Vec<Answered>,
}

impl RequestRun {
    /// The exit code: 0 when every request reaches the integration, 3 when some
    /// authorizer output is malformed (500), else 1.
    pub fn exit_code(&self) -> u8 {
        let codes: Vec<u8> = self
            .requests
            .iter()
            .map(|r| r.outcome.exit_code())
            .collect();
        if codes.contains(&3) {
            3
        } else if codes.iter().all(|c| *c == 0) {
            0
        } else {
            1
        }
    }
}

/// The route table of one API (`policy-check routes`).
#[derive(Debug)]
pub struct RoutesRun {
    /// The API definition.
    pub api: ApiModel,
    /// Sorted by path, then method.
    pub rows: Vec<RouteRow>,
}

/// Reads an API definition file.
pub fn load_api(path: &Path, api_name: Option<&str>) -> Result<ApiModel, InputError> {
    let (name, bytes) = crate::input::read_input(path)?;
    apidef::load(Source::from_bytes(&name, bytes)?, api_name)
}

/// Reads a facts file.
pub fn load_facts(path: &Path) -> Result<Facts, InputError> {
    let (name, bytes) = crate::input::read_input(path)?;
    Facts::from_source(Source::from_bytes(&name, bytes)?)
}

/// `policy-check routes`.
pub fn routes(api: &Path, api_name: Option<&str>) -> Result<RoutesRun, InputError> {
    let api = load_api(api, api_name)?;
    let rows = apidef::routes(&api);
    Ok(RoutesRun { api, rows })
}

/// The pipeline's refusal as a could-not-answer error.
pub(crate) fn pipeline_error(e: PipelineError) -> InputError {
    let help = match &e {
        PipelineError::NotModelled(_) => {
            "policy-check answers Lambda authorizers, open methods and the documented answers to missing credentials; this request needs more"
        }
        PipelineError::BadRequest(_) => "fix the request",
    };
    InputError::plain(ErrorKind::Invalid, e.to_string()).with_help(help)
}

/// Builds the pipeline's request from a spec and the pins.
pub(crate) fn http_request(spec: &RequestSpec, pins: &Pins) -> Result<HttpRequest, InputError> {
    let mut r = HttpRequest::from_target(&spec.method, &spec.target)
        .map_err(|m| InputError::plain(ErrorKind::Invalid, m))?;
    if r.method.is_empty() || !r.method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(InputError::plain(
            ErrorKind::Invalid,
            format!("`{}` is not an HTTP method", spec.method),
        )
        .with_help("e.g. GET, POST, PUT, DELETE"));
    }
    let pin = |slot: &mut Option<String>, v: &Option<String>| {
        if slot.is_none() {
            slot.clone_from(v);
        }
    };
    pin(&mut r.stage, &pins.stage);
    pin(&mut r.region, &pins.region);
    pin(&mut r.account, &pins.account);
    pin(&mut r.api_id, &pins.api_id);
    pin(&mut r.partition, &pins.partition);
    r.headers.clone_from(&spec.headers);
    r.body.clone_from(&spec.data);
    r.source_ip = spec.source_ip;
    Ok(r)
}

/// Loads authorizer outputs once per path (standard input can be read only once).
#[derive(Default)]
pub(crate) struct Outputs {
    loaded: HashMap<PathBuf, Checked>,
}

impl Outputs {
    /// The behaviour of `spec`, reading its output file on first use.
    pub(crate) fn behaviour(
        &mut self,
        spec: &BehaviourSpec,
    ) -> Result<AuthorizerBehaviour, InputError> {
        Ok(match spec {
            BehaviourSpec::Unknown => AuthorizerBehaviour::Unknown,
            BehaviourSpec::Throws(m) => AuthorizerBehaviour::Throws(m.clone()),
            BehaviourSpec::Output(path) => {
                if !self.loaded.contains_key(path) {
                    let (name, bytes) = crate::input::read_input(path)?;
                    let c = Checked::from_bytes(&name, bytes, InputKind::Auto)?;
                    self.loaded.insert(path.clone(), c);
                }
                AuthorizerBehaviour::Output(self.loaded[path].clone())
            }
        })
    }
}

/// Answers `requests` in order through one cache. `behaviours` are already loaded.
pub(crate) fn answer_all(
    api: &ApiModel,
    facts: &Facts,
    requests: Vec<(String, HttpRequest, u64, AuthorizerBehaviour)>,
) -> Result<Vec<Answered>, PipelineError> {
    let mut cache = Cache::new();
    let mut out: Vec<Answered> = Vec::with_capacity(requests.len());
    for (label, request, after, behaviour) in requests {
        cache.advance(after);
        let outcome = pipeline::run(api, &request, facts, &behaviour, &mut cache)?;
        // The policy step of a cache hit read the output of the request that cached it.
        let output = match (&outcome.cache, &behaviour) {
            (Some(used), _) => out
                .get(used.from_request.wrapping_sub(1))
                .and_then(|a| a.output.clone()),
            (None, AuthorizerBehaviour::Output(c)) => Some(c.clone()),
            (None, _) => None,
        };
        out.push(Answered {
            label,
            request,
            at: cache.now(),
            outcome,
            output,
        });
    }
    Ok(out)
}

/// `policy-check request`: reads the files and answers every request of the sequence.
pub fn run(
    api: &Path,
    api_name: Option<&str>,
    facts: Option<&Path>,
    pins: &Pins,
    specs: &[RequestSpec],
) -> Result<RequestRun, InputError> {
    let api = load_api(api, api_name)?;
    let facts = match facts {
        Some(p) => load_facts(p)?,
        None => Facts::default(),
    };
    let mut outputs = Outputs::default();
    let mut prepared = Vec::with_capacity(specs.len());
    for s in specs {
        prepared.push((
            format!("{} {}", s.method.to_ascii_uppercase(), s.target),
            http_request(s, pins)?,
            s.after,
            outputs.behaviour(&s.behaviour)?,
        ));
    }
    let requests = answer_all(&api, &facts, prepared).map_err(pipeline_error)?;
    Ok(RequestRun {
        api,
        facts,
        requests,
    })
}
