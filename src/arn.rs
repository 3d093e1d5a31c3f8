//! The execute-api ARN: `arn:PARTITION:execute-api:REGION:ACCOUNT:API/STAGE/ROUTE`, where
//! ROUTE is `VERB/PATH` (`GET/things`, `GET/` for the root) or a WebSocket route key
//! (`$connect`). Parsing it, naming its parts, and matching policy Resources against it
//! under the IAM ARN rules in DESIGN.md.

use std::fmt;

use crate::pattern::{self, Assignment, Glob, Piece, TooComplex};

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
        let f = ResourceFields::split(s);
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
        // A request ARN names one real request: what no request can produce is refused here
        // rather than answered (an empty verb would otherwise be "allowed" by `…/*`).
        if s.contains(['*', '?']) {
            return Err(err(
                "a request ARN has no wildcards (`*`, `?`); to ask about many requests, give METHOD PATH and leave ARN parts unpinned",
            ));
        }
        if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(err(&format!(
                "it holds {c:?}; no request ARN has whitespace or control characters"
            )));
        }
        for (name, v) in [("partition", f[1]), ("region", f[3]), ("account", f[4])] {
            if v.contains('/') {
                return Err(err(&format!("the {name} `{v}` holds a `/`")));
            }
        }
        if let Some((verb, _)) = route.split_once('/')
            && !verb.starts_with('$')
            && (verb.is_empty() || !verb.chars().all(is_token_char))
        {
            if verb.is_empty() {
                return Err(err(
                    "the HTTP verb is empty (`//` after the stage; e.g. GET/things)",
                ));
            }
            return Err(err(&format!(
                "the HTTP method `{verb}` after the stage is not a method (e.g. GET/things)"
            )));
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

/// An HTTP token character (RFC 9110 `tchar`), the characters a method name is made of.
pub(crate) fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// A policy Resource entry (or an ARN) split into ARN fields at its first five colons (the
/// sixth field keeps any further colons). The one way this crate splits ARN text; it
/// allocates nothing, and derefs to the fields (one to six of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceFields<'a> {
    fields: [&'a str; 6],
    len: usize,
}

impl<'a> ResourceFields<'a> {
    /// Splits `resource`.
    pub fn split(resource: &'a str) -> Self {
        let mut fields = [""; 6];
        let mut len = 0;
        for f in resource.splitn(6, ':') {
            fields[len] = f;
            len += 1;
        }
        ResourceFields { fields, len }
    }

    /// Whether the entry can match anything at all by its shape alone: a short entry must end
    /// in an absorbing `*`, and the service field takes no wildcard unless it is that `*`.
    pub fn shape_ok(&self) -> bool {
        let n = self.len;
        if n < 6 && !self.fields[n - 1].ends_with('*') {
            return false;
        }
        match self.get(2) {
            Some(svc) if svc.contains(['*', '?']) => n == 3 && *svc == "*",
            _ => true,
        }
    }
}

impl<'a> std::ops::Deref for ResourceFields<'a> {
    type Target = [&'a str];

    fn deref(&self) -> &[&'a str] {
        &self.fields[..self.len]
    }
}

/// Whether a policy Resource entry matches a concrete method ARN.
///
/// ```
/// use policy_check::resource_matches;
/// let arn = "arn:aws:execute-api:us-east-1:1:abc/prod/GET/things".parse().unwrap();
/// assert!(resource_matches("*", &arn));
/// assert!(resource_matches("arn:aws:execute-api:*", &arn));
/// assert!(resource_matches("arn:aws:execute-api:*:*:abc/*/GET/things", &arn));
/// assert!(!resource_matches("arn:aws:execute-api:us-*/prod/GET/things", &arn));
/// assert!(!resource_matches("arn:aws:*-api:us-east-1:1:abc/prod/GET/things", &arn));
/// ```
pub fn resource_matches(resource: &str, arn: &MethodArn) -> bool {
    Target::new(arn).matches(resource)
}

/// A concrete ARN split into its six fields once, so that matching many Resource entries
/// against it allocates nothing.
#[derive(Debug, Clone)]
pub struct Target {
    fields: [String; 6],
    full: String,
}

impl Target {
    /// Prepares `arn` for matching.
    pub fn new(arn: &MethodArn) -> Target {
        Target {
            fields: [
                "arn".to_string(),
                arn.partition.clone(),
                "execute-api".to_string(),
                arn.region.clone(),
                arn.account.clone(),
                format!("{}/{}/{}", arn.api_id, arn.stage, arn.route),
            ],
            full: arn.to_string(),
        }
    }

    /// Whether `resource` matches (same answer as [`resource_matches`]).
    pub fn matches(&self, resource: &str) -> bool {
        if resource == "*" {
            return true;
        }
        // Quick reject: the text before the first wildcard is literal, and fields line up at
        // colons, so it must be a prefix of the ARN itself. Most entries of a large policy
        // fail here with one memcmp.
        let literal = resource.find(['*', '?']).unwrap_or(resource.len());
        if !self.full.starts_with(&resource[..literal]) {
            return false;
        }
        if literal == resource.len() {
            return resource.len() == self.full.len();
        }
        let fields = ResourceFields::split(resource);
        if !fields.shape_ok() {
            return false;
        }
        // In a short entry the last field's final `*` absorbs the rest of the ARN; matching
        // that field against its own ARN field (which it ends in `*` for) is all that is left.
        fields
            .iter()
            .zip(&self.fields)
            .all(|(p, t)| pattern::matches(p, t))
    }
}

/// A request ARN whose parts may be unknown: the text of each ARN field with holes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnTemplate {
    fields: [Vec<Piece>; 6],
    /// The ARN text up to the first unknown part.
    known_prefix: String,
    /// The end of the last field after its last unknown part (`/GET/things` with the stage
    /// unknown).
    known_suffix: String,
}

impl ArnTemplate {
    /// Builds the template; `None` parts become holes numbered by [`Part`] order.
    pub fn new(parts: [Option<&str>; 5], route: &str) -> Self {
        let piece = |p: Part| match parts[p.index()] {
            Some(v) => Piece::Lit(v.to_string()),
            None => Piece::Var(p.index()),
        };
        let mut known_prefix = String::new();
        for (i, field) in [
            vec![Piece::Lit("arn".into())],
            vec![piece(Part::Partition)],
            vec![Piece::Lit("execute-api".into())],
            vec![piece(Part::Region)],
            vec![piece(Part::Account)],
            vec![
                piece(Part::ApiId),
                Piece::Lit("/".into()),
                piece(Part::Stage),
            ],
        ]
        .iter()
        .enumerate()
        {
            let mut complete = true;
            for p in field {
                match p {
                    Piece::Lit(t) => known_prefix.push_str(t),
                    Piece::Var(_) => {
                        complete = false;
                        break;
                    }
                }
            }
            if !complete {
                break;
            }
            known_prefix.push(if i < 5 { ':' } else { '/' });
        }
        let last = [
            piece(Part::ApiId),
            Piece::Lit("/".into()),
            piece(Part::Stage),
            Piece::Lit(format!("/{route}")),
        ];
        let mut known_suffix = String::new();
        for p in last.iter().rev() {
            match p {
                Piece::Lit(t) => known_suffix.insert_str(0, t),
                Piece::Var(_) => break,
            }
        }
        ArnTemplate {
            known_prefix,
            known_suffix,
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
    /// assignments (empty: never; one empty assignment: always). The work is taken from
    /// `work`, as in [`pattern::solve`].
    pub fn constraints(
        &self,
        resource: &str,
        work: &mut usize,
    ) -> Result<Vec<Assignment>, TooComplex> {
        if resource == "*" {
            return Ok(vec![Vec::new()]);
        }
        // Quick reject, as in `Target::matches`: the entry's literal start must agree with
        // the known start of the ARN as far as both go.
        let literal = &resource[..resource.find(['*', '?']).unwrap_or(resource.len())];
        let n = literal.len().min(self.known_prefix.len());
        if literal.as_bytes()[..n] != self.known_prefix.as_bytes()[..n] {
            return Ok(Vec::new());
        }
        let rf = ResourceFields::split(resource);
        if !rf.shape_ok() {
            return Ok(Vec::new());
        }
        // The same at the other end: the text after the last wildcard of the entry's last
        // field ends the ARN's last field, as the known end does. Fifty thousand literal
        // entries used to spend the whole budget on solving (exit 2); now they cost a compare.
        if let [.., last] = rf[..]
            && rf.len() == 6
        {
            let tail = &last[last.rfind(['*', '?']).map_or(0, |i| i + 1)..];
            let n = tail.len().min(self.known_suffix.len());
            if tail.as_bytes()[tail.len() - n..]
                != self.known_suffix.as_bytes()[self.known_suffix.len() - n..]
            {
                return Ok(Vec::new());
            }
        }
        let mut ways: Vec<Assignment> = vec![Vec::new()];
        for (p, field) in rf.iter().zip(&self.fields) {
            let per_field = pattern::solve(&Glob::new(p), field, work)?;
            if per_field.is_empty() {
                return Ok(Vec::new());
            }
            let mut next = Vec::with_capacity(ways.len().min(1024) * per_field.len());
            for w in &ways {
                for f in &per_field {
                    // The ways multiply across fields: pay for each one built.
                    pattern::spend(work, 1 + w.len() + f.len(), pattern::WORK_LIMIT)?;
                    let mut a = w.clone();
                    a.extend(f.iter().cloned());
                    next.push(a);
                }
            }
            ways = next;
        }
        Ok(ways)
    }
}

/// The part of the ARN a [`Miss`] is about. Serialized as the names in messages
/// (`api-id`, `arn prefix`…), which [`MissPart::as_str`] gives too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum MissPart {
    /// The `arn` prefix.
    #[serde(rename = "arn prefix")]
    ArnPrefix,
    /// The partition field.
    #[serde(rename = "partition")]
    Partition,
    /// The service field.
    #[serde(rename = "service")]
    Service,
    /// The region field.
    #[serde(rename = "region")]
    Region,
    /// The account field.
    #[serde(rename = "account")]
    Account,
    /// The API id.
    #[serde(rename = "api-id")]
    ApiId,
    /// The stage.
    #[serde(rename = "stage")]
    Stage,
    /// The HTTP verb.
    #[serde(rename = "method")]
    Method,
    /// The path after the verb.
    #[serde(rename = "path")]
    Path,
    /// A WebSocket route key.
    #[serde(rename = "route")]
    Route,
    /// The resource field as a whole (where the two differ is not one segment).
    #[serde(rename = "resource")]
    Resource,
    /// The entry's shape: too few fields without a final `*`.
    #[serde(rename = "shape")]
    Shape,
}

impl MissPart {
    /// The six ARN fields, in order.
    const FIELDS: [MissPart; 6] = [
        MissPart::ArnPrefix,
        MissPart::Partition,
        MissPart::Service,
        MissPart::Region,
        MissPart::Account,
        MissPart::Resource,
    ];

    /// The name in messages and JSON: `api-id`, `arn prefix`, `shape`…
    pub fn as_str(self) -> &'static str {
        match self {
            MissPart::ArnPrefix => "arn prefix",
            MissPart::Partition => "partition",
            MissPart::Service => "service",
            MissPart::Region => "region",
            MissPart::Account => "account",
            MissPart::ApiId => "api-id",
            MissPart::Stage => "stage",
            MissPart::Method => "method",
            MissPart::Path => "path",
            MissPart::Route => "route",
            MissPart::Resource => "resource",
            MissPart::Shape => "shape",
        }
    }
}

impl fmt::Display for MissPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a Resource entry first disagrees with a concrete ARN.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Miss {
    /// The ARN part that differs.
    pub part: MissPart,
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
/// use policy_check::{MissPart, explain_miss};
/// let arn = "arn:aws:execute-api:us-east-1:1:abc/prod/GET/things".parse().unwrap();
/// let miss = explain_miss("arn:aws:execute-api:us-east-1:1:abc/test/GET/things", &arn).unwrap();
/// assert_eq!(miss.part, MissPart::Stage);
/// assert_eq!((miss.part.as_str(), miss.policy.as_str(), miss.request.as_str()), ("stage", "test", "prod"));
/// ```
pub fn explain_miss(resource: &str, arn: &MethodArn) -> Option<Miss> {
    if resource_matches(resource, arn) {
        return None;
    }
    let miss = |part: MissPart, policy: &str, request: &str, score: usize| {
        Some(Miss {
            part,
            policy: policy.to_string(),
            request: request.to_string(),
            score,
        })
    };
    let rf = ResourceFields::split(resource);
    let n = rf.len();
    let resource_field = format!("{}/{}/{}", arn.api_id, arn.stage, arn.route);
    let target = [
        "arn",
        arn.partition.as_str(),
        "execute-api",
        arn.region.as_str(),
        arn.account.as_str(),
        resource_field.as_str(),
    ];
    for (i, (p, t)) in rf.iter().zip(target).enumerate() {
        let last_short = i == n - 1 && n < 6;
        if last_short && !p.ends_with('*') {
            return miss(MissPart::Shape, resource, &arn.to_string(), i);
        }
        if i == 2 && p.contains(['*', '?']) && !(last_short && *p == "*") {
            return miss(MissPart::Service, p, t, i);
        }
        if i < 5 && !pattern::matches(p, t) {
            return miss(MissPart::FIELDS[i], p, t, i);
        }
        if i == 5 {
            return resource_field_miss(p, arn, 5);
        }
    }
    miss(MissPart::Resource, resource, &arn.to_string(), 0)
}

/// Compares the resource field slash by slash: from the left while the policy has no `*`,
/// then from the right (a `*` may span slashes, so only the ends line up).
fn resource_field_miss(p: &str, arn: &MethodArn, base: usize) -> Option<Miss> {
    let http = !arn.route.starts_with('$');
    let mut req: Vec<&str> = vec![arn.api_id.as_str(), arn.stage.as_str()];
    req.extend(arn.route.split('/'));
    let pat: Vec<&str> = p.split('/').collect();
    let name = |i: usize| match i {
        0 => MissPart::ApiId,
        1 => MissPart::Stage,
        2 if http => MissPart::Method,
        _ if http => MissPart::Path,
        _ => MissPart::Route,
    };
    let path_of = |segs: &[&str]| format!("/{}", segs.join("/"));
    let miss = |i: usize, policy: String, request: String| {
        Some(Miss {
            part: name(i),
            policy,
            request,
            score: base + i,
        })
    };
    // A path mismatch shows whole paths: `/users` vs `/users/42` says more than one segment.
    let at = |i: usize| -> Option<Miss> {
        if http && i >= 3 {
            let pp = if pat.len() > 3 {
                path_of(&pat[3..])
            } else {
                String::new()
            };
            return miss(i, pp, path_of(&req[3..]));
        }
        miss(
            i,
            pat.get(i).copied().unwrap_or("").to_string(),
            req.get(i).copied().unwrap_or("").to_string(),
        )
    };
    let mut i = 0;
    while i < pat.len() && !pat[i].contains('*') {
        if i >= req.len() || !pattern::matches(pat[i], req[i]) {
            return at(i);
        }
        i += 1;
    }
    if i == pat.len() {
        // Every policy segment matched, so the request has more.
        return at(i.min(req.len() - 1));
    }
    let (mut j, mut k) = (pat.len(), req.len());
    while j > i + 1 && k > i {
        j -= 1;
        k -= 1;
        if pat[j].contains('*') {
            break;
        }
        if !pattern::matches(pat[j], req[k]) {
            return at(k);
        }
    }
    Some(Miss {
        part: MissPart::Resource,
        policy: p.to_string(),
        request: req.join("/"),
        score: base,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(s: &str) -> MethodArn {
        s.parse().expect("valid ARN")
    }

    #[test]
    fn parses_parts_and_keeps_colons_in_the_route() {
        let a = arn("arn:aws-cn:execute-api:cn-north-1:1:api/$default/GET/a:b/c");
        assert_eq!(a.partition, "aws-cn");
        assert_eq!(a.stage, "$default");
        assert_eq!(a.route, "GET/a:b/c");
        let ws = arn("arn:aws:execute-api:us-east-1:1:ws/prod/$connect");
        assert_eq!(ws.route, "$connect");
    }

    #[test]
    fn rejects_what_is_not_a_method_arn() {
        for bad in [
            "arn:aws:execute-api:us-east-1:1",
            "arm:aws:execute-api:us-east-1:1:a/b/GET/",
            "arn:aws:s3:us-east-1:1:a/b/GET/",
            "arn:aws:execute-api::1:a/b/GET/",
            "arn:aws:execute-api:us-east-1:1:a/b",
            "arn:aws:execute-api:us-east-1:1:a//GET/",
            // Issue 11, finding 11: ARNs no request can have.
            "arn:aws:execute-api:us-east-1:1:a/prod//things",
            "arn:aws:execute-api:us-east-1:1:a/prod/G ET/things",
            "arn:aws:execute-api:us-east-1:1:a/prod/GET/th ings",
            "arn:aws:execute-api:us-east-1:1:a/prod/GET/x\n",
            "arn:aws:execute-api:us-east-1:1:a/prod/GET/*",
            "arn:aws:execute-api:us-east-1:1:a/pr?d/GET/x",
            "arn:aws:execute-api:us/east-1:1:a/prod/GET/x",
            "arn:aws:execute-api:us-east-1:1/2:a/prod/GET/x",
            "arn:aws:execute-api:us-east-1:1:a/prod/G{T/x",
        ] {
            assert!(bad.parse::<MethodArn>().is_err(), "{bad}");
        }
    }

    #[test]
    fn aws_semantics_worked_examples() {
        // reference/aws-semantics.md §3.2, request GET /users/42.
        let a = arn("arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/users/42");
        let p = "arn:aws:execute-api:us-east-1:111122223333:abc123";
        for (tail, expected) in [
            ("/prod/GET/users/42", true),
            ("/prod/GET/users", false),
            ("/prod/GET/users/*", true),
            ("/prod/*/users/*", true),
            ("/*/GET/*", true),
            ("/prod/*/42", true),
            ("/prod/GET/users/{id}", false),
            ("/prod/ANY/users/*", false),
            ("/prod/get/users/*", false),
            ("/prod/GET/users/4?", true),
        ] {
            assert_eq!(
                resource_matches(&format!("{p}{tail}"), &a),
                expected,
                "{tail}"
            );
        }
        assert!(resource_matches("arn:aws:execute-api:*", &a));
        assert!(resource_matches("*", &a));
    }

    #[test]
    fn short_patterns_need_a_final_absorbing_star() {
        let a = arn("arn:aws:execute-api:us-east-1:1:abc/prod/GET/");
        assert!(resource_matches("arn:*", &a));
        assert!(resource_matches("arn:aws:*", &a));
        assert!(resource_matches("arn:aws:execute-api:us-east-1:*", &a));
        assert!(!resource_matches("arn:aws:execute-api:us-*/prod/GET/", &a));
        assert!(!resource_matches("arn:aws:execute-*", &a));
        assert!(!resource_matches("arn:aws:*:us-east-1:1:abc/prod/GET/", &a));
        // Root: trailing slash after the verb.
        assert!(resource_matches(
            "arn:aws:execute-api:us-east-1:1:abc/prod/GET/",
            &a
        ));
        assert!(!resource_matches(
            "arn:aws:execute-api:us-east-1:1:abc/prod/GET",
            &a
        ));
        assert!(resource_matches(
            "arn:aws:execute-api:us-east-1:1:abc/prod/*/*",
            &a
        ));
    }

    #[test]
    fn wildcards_in_region_do_not_cross_colons() {
        let a = arn("arn:aws:execute-api:us-east-1:1:abc/prod/GET/x");
        assert!(!resource_matches(
            "arn:aws:execute-api:*1:abc/prod/GET/x",
            &a
        ));
        assert!(resource_matches(
            "arn:aws:execute-api:*:*:abc/prod/GET/x",
            &a
        ));
    }

    #[test]
    fn misses_name_the_part() {
        let a = arn("arn:aws:execute-api:us-east-1:1:abc/prod/GET/things");
        let m = |r: &str| explain_miss(r, &a).expect("a miss");
        assert_eq!(
            m("arn:aws:execute-api:eu-west-1:1:abc/prod/GET/things")
                .part
                .as_str(),
            "region"
        );
        assert_eq!(
            m("arn:aws:execute-api:us-east-1:2:abc/prod/GET/things")
                .part
                .as_str(),
            "account"
        );
        assert_eq!(
            m("arn:aws:execute-api:us-east-1:1:xyz/prod/GET/things")
                .part
                .as_str(),
            "api-id"
        );
        assert_eq!(
            m("arn:aws:execute-api:us-east-1:1:abc/prod/POST/things")
                .part
                .as_str(),
            "method"
        );
        let p = m("arn:aws:execute-api:us-east-1:1:abc/prod/GET/thing");
        assert_eq!(
            (p.part.as_str(), p.policy.as_str(), p.request.as_str()),
            ("path", "/thing", "/things")
        );
        assert_eq!(
            m("arn:aws:execute-api:us-*/prod/GET/things").part.as_str(),
            "shape"
        );
        assert_eq!(
            m("arn:aws:execute-*:us-east-1:1:abc/prod/GET/things")
                .part
                .as_str(),
            "service"
        );
        assert!(explain_miss("*", &a).is_none());
    }

    #[test]
    fn template_constraints_name_unknown_parts() {
        let t = ArnTemplate::new([Some("aws"), None, Some("1"), Some("abc"), None], "GET/x");
        let mut work = pattern::WORK_LIMIT;
        let ways = t
            .constraints("arn:aws:execute-api:us-*:1:abc/prod/GET/x", &mut work)
            .unwrap();
        assert_eq!(ways.len(), 1);
        let names: Vec<(usize, &str)> = ways[0].iter().map(|(v, g)| (*v, g.as_str())).collect();
        assert_eq!(
            names,
            vec![
                (Part::Region.index(), "us-*"),
                (Part::Stage.index(), "prod")
            ]
        );
        assert!(
            t.constraints("arn:aws:execute-api:*:1:abc/*/POST/x", &mut work)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            t.constraints("arn:aws:execute-api:*", &mut work),
            Ok(vec![Vec::new()])
        );
    }
}
