//! The request to decide: `METHOD PATH` with optional pins for the ARN parts, or a whole
//! method ARN.

use crate::arn::{ArnTemplate, MethodArn, Part};

/// A request as API Gateway would pass it to the authorizer, possibly with unknown ARN parts.
///
/// Parts left unpinned are unknown, not defaulted: the evaluator then answers for every
/// value they can take.
///
/// ```
/// use policy_check::{Part, Request};
/// let r = Request::new("get", "/things?page=2").stage("prod");
/// assert_eq!(r.method(), Some("GET"));
/// assert_eq!(r.route(), "GET/things");
/// assert_eq!(r.unpinned(), vec![Part::Partition, Part::Region, Part::Account, Part::ApiId]);
/// assert_eq!(r.arn_display(), "arn:{partition}:execute-api:{region}:{account}:{api-id}/prod/GET/things");
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
}

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
        } else if method.is_empty() || method.contains(['/', ':', ' ']) {
            problem = Some(format!("`{method}` is not an HTTP method"));
        }
        Request {
            parts: Default::default(),
            route: format!("{method}{path_only}"),
            method: Some(method),
            path: Some(path_only.to_string()),
            problem,
            notes,
        }
    }

    /// A request given as a whole method ARN (every part pinned). This is how HTTP API
    /// `$default` stages and WebSocket route keys (`$connect`) are expressed.
    pub fn from_arn(arn: &str) -> Result<Request, crate::arn::ArnError> {
        let a: MethodArn = arn.parse()?;
        let (method, path) = match a.route.split_once('/') {
            Some((m, p)) if !m.starts_with('$') => (Some(m.to_string()), Some(format!("/{p}"))),
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
            notes: Vec::new(),
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

    pub(crate) fn template(&self) -> ArnTemplate {
        let parts = [0, 1, 2, 3, 4].map(|i| self.parts[i].as_deref());
        ArnTemplate::new(parts, &self.route)
    }
}
