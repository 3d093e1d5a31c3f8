//! The request to decide: `METHOD PATH` with optional pins for the ARN parts, or a whole
//! method ARN.

use crate::arn::{ArnTemplate, MethodArn, Part};

/// A request as API Gateway would pass it to the authorizer, possibly with unknown ARN parts.
///
/// Parts left unpinned are unknown, not defaulted: the evaluator then answers for every
/// value they can take. The one exception is the partition: unless pinned, it is the
/// partition of the pinned region (`cn-*` → `aws-cn`, `us-gov-*` → `aws-us-gov`, the ISO
/// regions likewise), else `aws`, and [`Request::assumed`] says so.
///
/// ```
/// use policy_check::{Part, Request};
/// let r = Request::new("get", "/things?page=2").stage("prod");
/// assert_eq!(r.method(), Some("GET"));
/// assert_eq!(r.route(), "GET/things");
/// assert_eq!(r.unpinned(), vec![Part::Region, Part::Account, Part::ApiId]);
/// assert_eq!(r.assumed(), Some((Part::Partition, "aws")));
/// assert_eq!(r.arn_display(), "arn:aws:execute-api:{region}:{account}:{api-id}/prod/GET/things");
/// assert_eq!(Request::new("GET", "/").region("cn-north-1").get(Part::Partition), Some("aws-cn"));
///
/// let url = Request::from_target("GET", "https://abc123.execute-api.us-east-1.amazonaws.com/prod/things?x=1").unwrap();
/// assert_eq!(url.arn_display(), "arn:aws:execute-api:us-east-1:{account}:abc123/prod/GET/things");
///
/// let ws = Request::from_arn("arn:aws:execute-api:us-east-1:1:ws1/production/$connect").unwrap();
/// assert!(ws.unpinned().is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    parts: [Option<String>; 5],
    method: Option<String>,
    path: Option<String>,
    route: String,
    problem: Option<String>,
    notes: Vec<String>,
    partition_assumed: bool,
    api_type: Option<crate::api_type::ApiType>,
}

/// The partition a region belongs to (`aws` for every commercial region and for unknown
/// names). Sources: the partition list in the IAM ARN reference.
pub(crate) fn partition_of(region: Option<&str>) -> &'static str {
    let Some(r) = region else { return "aws" };
    [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-isof-", "aws-iso-f"),
    ]
    .iter()
    .find(|(prefix, _)| r.starts_with(prefix))
    .map_or("aws", |(_, p)| p)
}

/// The HTTP methods a request can have (API Gateway's list; `ANY` is a method setting, not a
/// request verb).
const VERBS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

impl Request {
    /// A request for `METHOD PATH`. The method is upper-cased; a query string is dropped
    /// (with a note); nothing else is normalised. A path that does not start with `/` is
    /// kept and reported by [`Request::validate`].
    pub fn new(method: &str, path: &str) -> Request {
        let method = method.to_ascii_uppercase();
        let mut notes = Vec::new();
        let mut path_only = path;
        if let Some((p, q)) = path.split_once('?') {
            notes.push(format!(
                "the query string `?{q}` is not part of the method ARN and was dropped"
            ));
            path_only = p;
        }
        let mut problem = None;
        if !path_only.starts_with('/') {
            problem = Some(format!(
                "the path `{path}` must start with `/` (the root is `/`)"
            ));
        } else if method.is_empty()
            // An HTTP method is a token (RFC 9110), a wildcard is no request's method, and a
            // route starting with `$` is a WebSocket route key: anything else could not be
            // written back as a request ARN.
            || method.starts_with('$')
            || method
                .chars()
                .any(|c| !crate::arn::is_token_char(c) || c == '*')
        {
            problem = Some(format!("`{method}` is not an HTTP method"));
        } else if !VERBS.contains(&method.as_str()) {
            notes.push(verb_note(&method));
        }
        Request {
            parts: [Some("aws".to_string()), None, None, None, None],
            route: format!("{method}{path_only}"),
            method: Some(method),
            path: Some(path_only.to_string()),
            problem,
            notes,
            partition_assumed: true,
            api_type: None,
        }
    }

    /// A request for `METHOD TARGET`, where TARGET is a path (`/things?x=1`) or an invoke URL
    /// (`https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/{path}`), which pins the
    /// API id, region and stage.
    pub fn from_target(method: &str, target: &str) -> Result<Request, String> {
        let Some(url) = invoke_url(target) else {
            return Ok(Request::new(method, target));
        };
        let url = url?;
        let r = Request::new(method, &url.target)
            .api_id(&url.api_id)
            .region(&url.region)
            .stage(url.stage)
            .partition(url.partition);
        r.validate()?;
        Ok(r)
    }

    /// Sets the API type the answer is given for (otherwise inferred: see
    /// [`ApiType::infer`](crate::api_type::ApiType::infer)).
    pub fn with_api_type(mut self, t: crate::api_type::ApiType) -> Request {
        self.api_type = Some(t);
        self
    }

    /// The API type set with [`Request::with_api_type`], if any.
    pub fn api_type(&self) -> Option<crate::api_type::ApiType> {
        self.api_type
    }

    /// The part whose value was assumed rather than given: the partition, derived from the
    /// region (or `aws`), unless pinned.
    pub fn assumed(&self) -> Option<(Part, &str)> {
        self.partition_assumed
            .then(|| self.get(Part::Partition).map(|p| (Part::Partition, p)))
            .flatten()
    }

    /// The request of a Lambda authorizer event (the JSON API Gateway sends the authorizer):
    /// its `methodArn` (REST, WebSocket) or `routeArn` (HTTP API). `name` labels errors.
    ///
    /// ```
    /// use policy_check::Request;
    /// let event = br#"{"type": "TOKEN", "methodArn": "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/things"}"#;
    /// let r = Request::from_event("event.json", event).unwrap();
    /// assert_eq!(r.path(), Some("/things"));
    /// let err = Request::from_event("e.json", b"{}").unwrap_err();
    /// assert!(err.contains("has no `methodArn` or `routeArn`"));
    /// ```
    pub fn from_event(name: &str, bytes: &[u8]) -> Result<Request, String> {
        let v: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| format!("`{name}` is not a JSON authorizer event: {e}"))?;
        let arn = ["methodArn", "routeArn"]
            .iter()
            .find_map(|k| v.get(k).and_then(|a| a.as_str()))
            .ok_or_else(|| {
                format!("`{name}` has no `methodArn` or `routeArn`: it is not an authorizer event")
            })?;
        Request::from_arn(arn).map_err(|e| e.to_string())
    }

    /// A request given as a whole method ARN (every part pinned). This is how HTTP API
    /// `$default` stages and WebSocket route keys (`$connect`) are expressed.
    ///
    /// It is a request's ARN, not a pattern: `*`, `?` or whitespace in it is an error, as is
    /// a route with a verb but no path (`…/prod/GET`) or an empty verb (`…/prod//things`).
    pub fn from_arn(arn: &str) -> Result<Request, crate::arn::ArnError> {
        let err = |reason: &str| crate::arn::ArnError {
            arn: arn.to_string(),
            reason: reason.to_string(),
        };
        if arn.contains(['*', '?']) {
            return Err(err(
                "it holds a wildcard; --arn takes the ARN of one request (a policy's Resource is a pattern, a request's ARN is not)",
            ));
        }
        if arn.chars().any(char::is_whitespace) {
            return Err(err("it holds whitespace; quote the ARN of one request"));
        }
        let a: MethodArn = arn.parse()?;
        let mut notes = Vec::new();
        let (method, path) = match a.route.split_once('/') {
            Some((m, p)) if !m.starts_with('$') => {
                if !VERBS.contains(&m) {
                    notes.push(verb_note(m));
                }
                (Some(m.to_string()), Some(format!("/{p}")))
            }
            None if !a.route.starts_with('$') => {
                return Err(err(
                    "the route has a verb but no path; the root is `GET/` (a trailing slash), other paths `GET/things`",
                ));
            }
            _ => (None, None),
        };
        Ok(Request {
            parts: [
                Some(a.partition),
                Some(a.region),
                Some(a.account),
                Some(a.api_id),
                Some(a.stage),
            ],
            method,
            path,
            route: a.route,
            problem: None,
            notes,
            partition_assumed: false,
            api_type: None,
        })
    }

    /// Pins one ARN part.
    pub fn with(mut self, part: Part, value: &str) -> Request {
        if value.is_empty() || value.contains(['/', ':']) {
            self.problem = Some(format!(
                "the {part} `{value}` cannot be empty or hold `/` or `:`"
            ));
        }
        self.parts[part.index()] = Some(value.to_string());
        if part == Part::Partition {
            self.partition_assumed = false;
        } else if part == Part::Region && self.partition_assumed {
            self.parts[Part::Partition.index()] = Some(partition_of(Some(value)).to_string());
        }
        self
    }

    /// Leaves a part unknown (a fixture's `"stage": null` unpins a default). An unpinned
    /// partition goes back to its assumed value.
    pub fn unpin(mut self, part: Part) -> Request {
        if part == Part::Partition {
            self.partition_assumed = true;
            self.parts[0] = Some(partition_of(self.get(Part::Region)).to_string());
        } else {
            self.parts[part.index()] = None;
        }
        self
    }

    /// Pins the partition (`aws`, `aws-cn`…).
    pub fn partition(self, v: &str) -> Request {
        self.with(Part::Partition, v)
    }
    /// Pins the region.
    pub fn region(self, v: &str) -> Request {
        self.with(Part::Region, v)
    }
    /// Pins the account id.
    pub fn account(self, v: &str) -> Request {
        self.with(Part::Account, v)
    }
    /// Pins the API id.
    pub fn api_id(self, v: &str) -> Request {
        self.with(Part::ApiId, v)
    }
    /// Pins the stage.
    pub fn stage(self, v: &str) -> Request {
        self.with(Part::Stage, v)
    }

    /// Pins every part that is not pinned yet to the common placeholder values of a single
    /// test account (`aws`, `us-east-1`, `123456789012`, `abc123`, `prod`).
    pub fn pin_defaults(mut self) -> Request {
        let defaults = ["aws", "us-east-1", "123456789012", "abc123", "prod"];
        for (slot, d) in self.parts.iter_mut().zip(defaults) {
            slot.get_or_insert_with(|| d.to_string());
        }
        self
    }

    /// The value of a part, if pinned.
    pub fn get(&self, part: Part) -> Option<&str> {
        self.parts[part.index()].as_deref()
    }

    /// The upper-cased method, unless the request is a WebSocket route.
    pub fn method(&self) -> Option<&str> {
        self.method.as_deref()
    }

    /// The path, unless the request is a WebSocket route.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The ARN text after the stage: `GET/things`, `GET/`, `$connect`.
    pub fn route(&self) -> &str {
        &self.route
    }

    /// The parts left unknown, in ARN order.
    pub fn unpinned(&self) -> Vec<Part> {
        Part::ALL
            .into_iter()
            .filter(|p| self.parts[p.index()].is_none())
            .collect()
    }

    /// Notes about what was dropped from the request.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Reports a path without a leading `/`, an empty method, or a bad part value.
    pub fn validate(&self) -> Result<(), String> {
        match &self.problem {
            Some(p) => Err(p.clone()),
            None => Ok(()),
        }
    }

    /// The concrete ARN, when every part is pinned.
    pub fn arn(&self) -> Option<MethodArn> {
        let [Some(p), Some(r), Some(a), Some(i), Some(s)] = &self.parts else {
            return None;
        };
        Some(MethodArn {
            partition: p.clone(),
            region: r.clone(),
            account: a.clone(),
            api_id: i.clone(),
            stage: s.clone(),
            route: self.route.clone(),
        })
    }

    /// The ARN with `{stage}`-style placeholders for unknown parts.
    pub fn arn_display(&self) -> String {
        let v = |p: Part| {
            self.get(p)
                .map(str::to_string)
                .unwrap_or_else(|| format!("{{{}}}", p.name()))
        };
        format!(
            "arn:{}:execute-api:{}:{}:{}/{}/{}",
            v(Part::Partition),
            v(Part::Region),
            v(Part::Account),
            v(Part::ApiId),
            v(Part::Stage),
            self.route
        )
    }

    /// The ARN's length in bytes when every part is pinned, else a lower bound (unknown
    /// parts counted as one byte).
    pub fn arn_len_at_least(&self) -> usize {
        let known: usize = self
            .parts
            .iter()
            .map(|p| p.as_ref().map_or(1, String::len))
            .sum();
        // `arn:` P `:execute-api:` R `:` A `:` I `/` S `/` ROUTE: 21 bytes of separators.
        "arn::execute-api::::/".len() + known + self.route.len()
    }

    #[doc(hidden)]
    pub(crate) fn template(&self) -> ArnTemplate {
        let parts = [0, 1, 2, 3, 4].map(|i| self.parts[i].as_deref());
        ArnTemplate::new(parts, &self.route)
    }
}

/// What an execute-api invoke URL pins.
pub(crate) struct InvokeUrl<'a> {
    /// The API id, lower case (host names are case-insensitive).
    pub(crate) api_id: String,
    /// The region, lower case.
    pub(crate) region: String,
    /// `aws-cn` for `amazonaws.com.cn`, else the region's partition.
    pub(crate) partition: &'static str,
    /// The stage.
    pub(crate) stage: &'a str,
    /// The path after the stage, starting with `/`, with its query string if any.
    pub(crate) target: String,
}

/// Reads `https://{api-id}.execute-api.{region}.amazonaws.com[.cn]/{stage}/{path}[?query]`;
/// `None` when `target` is not an http(s) URL. The one reader of invoke URLs: `check`
/// ([`Request::from_target`]) and `request` (`HttpRequest::from_target`) must agree on what
/// a URL names. A `#fragment` is never sent to the server, so it is dropped.
pub(crate) fn invoke_url(target: &str) -> Option<Result<InvokeUrl<'_>, String>> {
    let rest = target
        .strip_prefix("https://")
        .or_else(|| target.strip_prefix("http://"))?;
    let bad = |why: &str| {
        format!(
            "`{target}` is not an execute-api invoke URL ({why}); expected https://{{api-id}}.execute-api.{{region}}.amazonaws.com/{{stage}}/{{path}}"
        )
    };
    let rest = rest.split('#').next().unwrap_or("");
    let (host, after) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let host = host.to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let [api_id, "execute-api", region, "amazonaws", "com", tld @ ..] = labels.as_slice() else {
        return Some(Err(bad(
            "the host is not {api-id}.execute-api.{region}.amazonaws.com; for a custom domain give the path and --stage",
        )));
    };
    let partition = match tld {
        [] => partition_of(Some(region)),
        ["cn"] => "aws-cn",
        _ => return Some(Err(bad("the domain is not amazonaws.com"))),
    };
    let after = after.strip_prefix('/').unwrap_or(after);
    let (stage, path) = match after.find(['/', '?']) {
        Some(i) if after.as_bytes()[i] == b'/' => (&after[..i], after[i..].to_string()),
        Some(i) => (&after[..i], format!("/{}", &after[i..])),
        None => (after, "/".to_string()),
    };
    if stage.is_empty() {
        return Some(Err(bad("it names no stage")));
    }
    Some(Ok(InvokeUrl {
        api_id: api_id.to_string(),
        region: region.to_string(),
        partition,
        stage,
        target: path,
    }))
}

fn verb_note(method: &str) -> String {
    if method == "ANY" {
        "`ANY` is a method setting, not a request verb: the method ARN carries the request's real verb (GET, POST…)".to_string()
    } else {
        format!(
            "`{method}` is not an HTTP method API Gateway routes ({}); it is evaluated as given",
            VERBS.join(", ")
        )
    }
}
