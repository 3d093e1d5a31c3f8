//! The execute-api ARN: `arn:PARTITION:execute-api:REGION:ACCOUNT:API/STAGE/ROUTE`, where
//! ROUTE is `VERB/PATH` (`GET/things`, `GET/` for the root) or a WebSocket route key
//! (`$connect`). Parsing it, naming its parts, and matching policy Resources against it
//! under the IAM ARN rules in DESIGN.md.

use std::fmt;

use crate::pattern::{self, Assignment, Glob, Piece};

/// A part of the method ARN that the request may leave unpinned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// `aws`, `aws-cn`, `aws-us-gov`…
    Partition,
    /// `us-east-1`…
    Region,
    /// The 12-digit account id.
    Account,
    /// The API id, e.g. `abc123defg`.
    ApiId,
    /// The stage name, e.g. `prod` or `$default`.
    Stage,
}

impl Part {
    /// All parts, in ARN order.
    pub const ALL: [Part; 5] = [
        Part::Partition,
        Part::Region,
        Part::Account,
        Part::ApiId,
        Part::Stage,
    ];

    /// The name used in messages and options (`api-id`, `stage`…).
    pub fn name(self) -> &'static str {
        match self {
            Part::Partition => "partition",
            Part::Region => "region",
            Part::Account => "account",
            Part::ApiId => "api-id",
            Part::Stage => "stage",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A concrete method ARN, as API Gateway passes it to the authorizer.
///
/// ```
/// use policy_check::MethodArn;
/// let arn: MethodArn = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things".parse().unwrap();
/// assert_eq!(arn.stage, "prod");
/// assert_eq!(arn.route, "GET/things");
/// assert_eq!(arn.to_string(), "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things");
/// assert!("arn:aws:lambda:us-east-1:1:function:f".parse::<MethodArn>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodArn {
    /// Partition, e.g. `aws`.
    pub partition: String,
    /// Region, e.g. `us-east-1`.
    pub region: String,
    /// Account id.
    pub account: String,
    /// API id.
    pub api_id: String,
    /// Stage name.
    pub stage: String,
    /// Everything after the stage: `GET/things`, `GET/`, `$connect`.
    pub route: String,
}

impl fmt::Display for MethodArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:execute-api:{}:{}:{}/{}/{}",
            self.partition, self.region, self.account, self.api_id, self.stage, self.route
        )
    }
}

/// Why a string is not an execute-api method ARN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{arn}` is not an execute-api method ARN: {reason}")]
pub struct ArnError {
    /// The text given.
    pub arn: String,
    /// What is wrong with it.
    pub reason: String,
}

impl std::str::FromStr for MethodArn {
    type Err = ArnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason: &str| ArnError {
            arn: s.to_string(),
            reason: reason.to_string(),
        };
        let f: Vec<&str> = s.splitn(6, ':').collect();
        if f.len() < 6 {
            return Err(err(
                "expected arn:PARTITION:execute-api:REGION:ACCOUNT:API/STAGE/ROUTE (six colon-separated fields)",
            ));
        }
        if f[0] != "arn" {
            return Err(err("it must start with `arn:`"));
        }
        if f[2] != "execute-api" {
            return Err(err(&format!(
                "the service is `{}`, but authorizer requests are `execute-api`",
                f[2]
            )));
        }
        for (name, v) in [("partition", f[1]), ("region", f[3]), ("account", f[4])] {
            if v.is_empty() {
                return Err(err(&format!("the {name} is empty")));
            }
        }
        let mut rest = f[5].splitn(3, '/');
        let api_id = rest.next().unwrap_or("");
        let stage = rest.next().unwrap_or("");
        let route = rest.next().unwrap_or("");
        if api_id.is_empty() || stage.is_empty() || route.is_empty() {
            return Err(err(
                "the resource must be API/STAGE/ROUTE, e.g. abc123/prod/GET/things or abc123/prod/$connect",
            ));
        }
        Ok(MethodArn {
            partition: f[1].to_string(),
            region: f[3].to_string(),
            account: f[4].to_string(),
            api_id: api_id.to_string(),
            stage: stage.to_string(),
            route: route.to_string(),
        })
    }
}

/// A policy Resource entry split into ARN fields at its first five colons (the sixth field
/// keeps any further colons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceFields<'a> {
    /// The fields, one to six of them.
    pub fields: Vec<&'a str>,
}

/// Names of the six ARN fields, for messages.
pub const FIELD_NAMES: [&str; 6] = [
    "arn prefix",
    "partition",
    "service",
    "region",
    "account",
    "resource",
];

impl<'a> ResourceFields<'a> {
    /// Splits `resource`.
    pub fn split(resource: &'a str) -> Self {
        ResourceFields {
            fields: resource.splitn(6, ':').collect(),
        }
    }

    /// Whether the entry can match anything at all by its shape alone: a short entry must end
    /// in an absorbing `*`, and the service field takes no wildcard unless it is that `*`.
    pub fn shape_ok(&self) -> bool {
        let n = self.fields.len();
        if n < 6 && !self.fields[n - 1].ends_with('*') {
            return false;
        }
        match self.fields.get(2) {
            Some(svc) if svc.contains(['*', '?']) => n == 3 && *svc == "*",
            _ => true,
        }
    }
}

/// Whether a policy Resource entry matches a concrete method ARN.
///
/// ```
/// use policy_check::arn::resource_matches;
/// let arn = "arn:aws:execute-api:us-east-1:1:abc/prod/GET/things".parse().unwrap();
/// assert!(resource_matches("*", &arn));
/// assert!(resource_matches("arn:aws:execute-api:*", &arn));
/// assert!(resource_matches("arn:aws:execute-api:*:*:abc/*/GET/things", &arn));
/// assert!(!resource_matches("arn:aws:execute-api:us-*/prod/GET/things", &arn));
/// assert!(!resource_matches("arn:aws:*-api:us-east-1:1:abc/prod/GET/things", &arn));
/// ```
pub fn resource_matches(resource: &str, arn: &MethodArn) -> bool {
    if resource == "*" {
        return true;
    }
    let rf = ResourceFields::split(resource);
    if !rf.shape_ok() {
        return false;
    }
    let resource_field = format!("{}/{}/{}", arn.api_id, arn.stage, arn.route);
    let target = [
        "arn",
        &arn.partition,
        "execute-api",
        &arn.region,
        &arn.account,
        &resource_field,
    ];
    // In a short entry the last field's final `*` absorbs the rest of the ARN; matching that
    // field against its own ARN field (which it ends in `*` for) is then all that is left.
    rf.fields
        .iter()
        .zip(target)
        .all(|(p, t)| pattern::matches(p, t))
}

/// A request ARN whose parts may be unknown: the text of each ARN field with holes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnTemplate {
    fields: [Vec<Piece>; 6],
}

impl ArnTemplate {
    /// Builds the template; `None` parts become holes numbered by [`Part`] order.
    pub fn new(parts: [Option<&str>; 5], route: &str) -> Self {
        let piece = |p: Part| match parts[p.index()] {
            Some(v) => Piece::Lit(v.to_string()),
            None => Piece::Var(p.index()),
        };
        ArnTemplate {
            fields: [
                vec![Piece::Lit("arn".into())],
                vec![piece(Part::Partition)],
                vec![Piece::Lit("execute-api".into())],
                vec![piece(Part::Region)],
                vec![piece(Part::Account)],
                vec![
                    piece(Part::ApiId),
                    Piece::Lit("/".into()),
                    piece(Part::Stage),
                    Piece::Lit(format!("/{route}")),
                ],
            ],
        }
    }

    /// The values of the unknown parts for which `resource` matches: a union of
    /// assignments (empty: never; one empty assignment: always).
    pub fn constraints(&self, resource: &str) -> Vec<Assignment> {
        if resource == "*" {
            return vec![Vec::new()];
        }
        let rf = ResourceFields::split(resource);
        if !rf.shape_ok() {
            return Vec::new();
        }
        let mut ways: Vec<Assignment> = vec![Vec::new()];
        for (p, field) in rf.fields.iter().zip(&self.fields) {
            let per_field = pattern::solve(&Glob::new(p), field);
            if per_field.is_empty() {
                return Vec::new();
            }
            let mut next = Vec::with_capacity(ways.len() * per_field.len());
            for w in &ways {
                for f in &per_field {
                    let mut a = w.clone();
                    a.extend(f.iter().cloned());
                    next.push(a);
                }
            }
            ways = next;
        }
        ways
    }
}

/// Where a Resource entry first disagrees with a concrete ARN.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Miss {
    /// The ARN part that differs: `partition`, `region`, `account`, `api-id`, `stage`,
    /// `method`, `path`, `route`, `service`, `arn prefix`, `resource` or `shape`.
    pub part: String,
    /// What the policy has there.
    pub policy: String,
    /// What the request has there.
    pub request: String,
    /// How many parts matched before this one; higher is nearer.
    pub score: usize,
}

/// Explains why `resource` does not match `arn` (or `None` if it does).
///
/// ```
/// use policy_check::arn::explain_miss;
/// let arn = "arn:aws:execute-api:us-east-1:1:abc/prod/GET/things".parse().unwrap();
/// let miss = explain_miss("arn:aws:execute-api:us-east-1:1:abc/test/GET/things", &arn).unwrap();
/// assert_eq!((miss.part.as_str(), miss.policy.as_str(), miss.request.as_str()), ("stage", "test", "prod"));
/// ```
pub fn explain_miss(resource: &str, arn: &MethodArn) -> Option<Miss> {
    if resource_matches(resource, arn) {
        return None;
    }
    let miss = |part: &str, policy: &str, request: &str, score: usize| {
        Some(Miss {
            part: part.to_string(),
            policy: policy.to_string(),
            request: request.to_string(),
            score,
        })
    };
    let rf = ResourceFields::split(resource);
    let n = rf.fields.len();
    let resource_field = format!("{}/{}/{}", arn.api_id, arn.stage, arn.route);
    let target = [
        "arn",
        arn.partition.as_str(),
        "execute-api",
        arn.region.as_str(),
        arn.account.as_str(),
        resource_field.as_str(),
    ];
    for (i, (p, t)) in rf.fields.iter().zip(target).enumerate() {
        let last_short = i == n - 1 && n < 6;
        if last_short && !p.ends_with('*') {
            return miss(
                "shape",
                resource,
                &arn.to_string(),
                i,
            );
        }
        if i == 2 && p.contains(['*', '?']) && !(last_short && *p == "*") {
            return miss("service", p, t, i);
        }
        if i < 5 && !pattern::matches(p, t) {
            return miss(FIELD_NAMES[i], p, t, i);
        }
        if i == 5 {
            return resource_field_miss(p, arn, 5);
        }
    }
    miss("resource", resource, &arn.to_string(), 0)
}

/// Compares the resource field slash by slash while the policy side has no `*` (a `*` may
/// span slashes, so past it the parts no longer line up).
fn resource_field_miss(p: &str, arn: &MethodArn, base: usize) -> Option<Miss> {
    let (verb, path) = match arn.route.split_once('/') {
        Some((v, rest)) => (Some(v), format!("/{rest}")),
        None => (None, arn.route.clone()),
    };
    let mut names: Vec<(&str, String)> = vec![
        ("api-id", arn.api_id.clone()),
        ("stage", arn.stage.clone()),
    ];
    match verb {
        Some(v) => {
            names.push(("method", v.to_string()));
            names.push(("path", path.clone()));
        }
        None => names.push(("route", path.clone())),
    }
    let mut rest = p;
    for (k, (name, value)) in names.iter().enumerate() {
        let last = k == names.len() - 1;
        let (seg, tail) = if last {
            (rest, "")
        } else {
            match rest.split_once('/') {
                Some((s, t)) => (s, t),
                None => (rest, ""),
            }
        };
        if seg.contains('*') {
            let req_rest = names[k..]
                .iter()
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join("/")
                .replace("//", "/");
            let prefix = if *name == "path" { "/" } else { "" };
            return Some(Miss {
                part: name.to_string(),
                policy: format!("{prefix}{rest}"),
                request: req_rest,
                score: base + k,
            });
        }
        let want = if *name == "path" {
            format!("/{seg}")
        } else {
            seg.to_string()
        };
        let (want, value) = if *name == "path" {
            (format!("/{}", rest), value.clone())
        } else {
            (want, value.clone())
        };
        if !pattern::matches(&want, &value) || (last && !tail.is_empty()) {
            return Some(Miss {
                part: name.to_string(),
                policy: if *name == "path" { want } else { seg.to_string() },
                request: value,
                score: base + k,
            });
        }
        if *name == "path" {
            break;
        }
        rest = tail;
    }
    Some(Miss {
        part: "resource".to_string(),
        policy: p.to_string(),
        request: format!("{}/{}/{}", arn.api_id, arn.stage, arn.route),
        score: base,
    })
}
