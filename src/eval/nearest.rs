//! The explanation of an implicit deny: the Allow Resource entry that came nearest, every
//! part where it fails the request, and a Resource string that would allow the request.
//!
//! Parts the user did not pin are never compared (the request has no value there) and never
//! filled in from the policy in messages; the suggested Resource keeps the policy's own
//! value in those places and takes the request's value where the policy fails.

use serde::Serialize;

use crate::arn::{Part, ResourceFields};
use crate::authorizer::{Effect, Statement};
use crate::pattern;
use crate::request::Request;

/// One part of the ARN where a Resource entry fails the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartMiss {
    /// `partition`, `region`, `account`, `api-id`, `stage`, `method`, `path`, `route`,
    /// `service`, `arn prefix` or `shape`.
    pub part: &'static str,
    /// What the policy has there.
    pub policy: String,
    /// What the request has there.
    pub request: String,
}

/// The nearest Allow entry to an implicitly denied request, and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Nearest {
    /// The statement's index.
    pub statement: usize,
    /// The Resource entry's index (absent when no Allow statement has a Resource entry).
    pub resource: Option<usize>,
    /// Every part where that entry fails the request, in ARN order.
    pub misses: Vec<PartMiss>,
    /// A Resource entry that allows the request: the nearest entry with its failing parts
    /// replaced by the request's values (unpinned parts keep the policy's value, or `*`).
    pub fix: String,
}

/// The request's value of each field, `None` where unpinned.
struct Target<'r> {
    partition: Option<&'r str>,
    region: Option<&'r str>,
    account: Option<&'r str>,
    api_id: Option<&'r str>,
    stage: Option<&'r str>,
    /// `GET` (None for WebSocket routes).
    verb: Option<&'r str>,
    /// The path without its leading `/`, or the WebSocket route key.
    rest: &'r str,
}

impl<'r> Target<'r> {
    fn new(r: &'r Request) -> Target<'r> {
        let (verb, rest) = match r.method() {
            Some(m) => (Some(m), r.path().unwrap_or("/").trim_start_matches('/')),
            None => (None, r.route()),
        };
        Target {
            partition: r.get(Part::Partition),
            region: r.get(Part::Region),
            account: r.get(Part::Account),
            api_id: r.get(Part::ApiId),
            stage: r.get(Part::Stage),
            verb,
            rest,
        }
    }
}

/// The fields of an entry compared with the request, with the text to put back in a fix.
fn compare(entry: &str, t: &Target<'_>) -> (Vec<PartMiss>, String) {
    let mut misses = Vec::new();
    // Compares one field; a failing one is recorded and replaced by the request's value.
    fn check(
        misses: &mut Vec<PartMiss>,
        part: &'static str,
        pat: &str,
        value: Option<&str>,
    ) -> String {
        match value {
            Some(v) if !pattern::matches(pat, v) => {
                misses.push(PartMiss {
                    part,
                    policy: pat.to_string(),
                    request: v.to_string(),
                });
                v.to_string()
            }
            _ => pat.to_string(),
        }
    }
    let f = ResourceFields::split(entry);
    if entry == "*" {
        return (misses, entry.to_string());
    }
    if f.len() < 6 {
        // A short entry matches only with a final absorbing `*`.
        let fix = whole(t, f.get(1).copied());
        misses.push(PartMiss {
            part: "shape",
            policy: entry.to_string(),
            request: "a six-field ARN".to_string(),
        });
        return (misses, fix);
    }
    let prefix = check(&mut misses, "arn prefix", f[0], Some("arn"));
    let partition = check(&mut misses, "partition", f[1], t.partition);
    let service = if f[2] == "execute-api" {
        f[2].to_string()
    } else {
        misses.push(PartMiss {
            part: "service",
            policy: f[2].to_string(),
            request: "execute-api".to_string(),
        });
        "execute-api".to_string()
    };
    let region = check(&mut misses, "region", f[3], t.region);
    let account = check(&mut misses, "account", f[4], t.account);
    let mut segs = f[5].splitn(3, '/');
    let api = check(&mut misses, "api-id", segs.next().unwrap_or(""), t.api_id);
    let stage = check(&mut misses, "stage", segs.next().unwrap_or(""), t.stage);
    let route_pat = segs.next().unwrap_or("");
    let route = match t.verb {
        Some(verb) => {
            let (vp, pp) = route_pat.split_once('/').unwrap_or((route_pat, ""));
            // A `*` verb may span into the path (`*` alone matches `GET/things`).
            if vp.contains('*') && pattern::matches(route_pat, &format!("{verb}/{}", t.rest)) {
                route_pat.to_string()
            } else {
                let v = check(&mut misses, "method", vp, Some(verb));
                let p = check(&mut misses, "path", pp, Some(t.rest));
                format!("{v}/{p}")
            }
        }
        None => check(&mut misses, "route", route_pat, Some(t.rest)),
    };
    let fix = format!("{prefix}:{partition}:{service}:{region}:{account}:{api}/{stage}/{route}");
    (misses, fix)
}

/// A Resource covering exactly the request: its pinned parts, `*` elsewhere (the partition
/// from the policy when it has one).
fn whole(t: &Target<'_>, policy_partition: Option<&str>) -> String {
    let v = |x: Option<&str>| x.unwrap_or("*").to_string();
    let partition = t.partition.or(policy_partition).unwrap_or("*");
    let route = match t.verb {
        Some(verb) => format!("{verb}/{}", t.rest),
        None => t.rest.to_string(),
    };
    format!(
        "arn:{partition}:execute-api:{}:{}:{}/{}/{route}",
        v(t.region),
        v(t.account),
        v(t.api_id),
        v(t.stage)
    )
}

/// The nearest Allow entry for `request` (fewest failing parts; the first on ties), or a
/// whole-ARN fix when no Allow statement has a Resource entry.
pub(crate) fn nearest(statements: &[Statement], request: &Request) -> Option<Nearest> {
    let t = Target::new(request);
    let mut best: Option<Nearest> = None;
    for s in statements
        .iter()
        .filter(|s| s.effect.value == Effect::Allow)
    {
        if s.resource.negated {
            continue;
        }
        for (i, e) in s.resource.entries.iter().enumerate() {
            let (misses, fix) = compare(&e.value, &t);
            if misses.is_empty() {
                // Matches by every part alone, yet not as a whole (a `*` spanning
                // segments, or a Condition-free subtlety): not a useful nearest miss.
                continue;
            }
            if best.as_ref().is_none_or(|b| misses.len() < b.misses.len()) {
                best = Some(Nearest {
                    statement: s.index,
                    resource: Some(i),
                    misses,
                    fix,
                });
            }
        }
    }
    best.or_else(|| {
        let statement = statements.first()?.index;
        Some(Nearest {
            statement,
            resource: None,
            misses: Vec::new(),
            fix: whole(&t, None),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix_for(entry: &str, req: &Request) -> (Vec<PartMiss>, String) {
        compare(entry, &Target::new(req))
    }

    #[test]
    fn lists_every_failing_part_and_never_fills_unpinned_parts() {
        let req = Request::new("GET", "/things");
        let (m, fix) = fix_for(
            "arn:aws:execute-api:us-east-1:1:test/test/POST/stuff-is-not-things*",
            &req,
        );
        let parts: Vec<_> = m
            .iter()
            .map(|x| (x.part, x.policy.as_str(), x.request.as_str()))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("method", "POST", "GET"),
                ("path", "stuff-is-not-things*", "things")
            ]
        );
        assert_eq!(fix, "arn:aws:execute-api:us-east-1:1:test/test/GET/things");
    }

    #[test]
    fn pinned_parts_are_compared() {
        let req = Request::new("GET", "/things")
            .stage("prod")
            .region("eu-west-1");
        let (m, fix) = fix_for("arn:aws:execute-api:us-east-1:*:*/test/GET/things", &req);
        assert_eq!(
            m.iter().map(|x| x.part).collect::<Vec<_>>(),
            vec!["region", "stage"]
        );
        assert_eq!(fix, "arn:aws:execute-api:eu-west-1:*:*/prod/GET/things");
    }
}
