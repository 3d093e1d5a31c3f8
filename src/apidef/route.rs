//! Routing a request path (relative to the stage) to a route, as API Gateway does.
//!
//! REST (pipeline.md §2.3): whole segments, literal > `{param}` > `{proxy+}`; the pair
//! (resource, method) is matched, falling back to a less specific resource that has the
//! method or `ANY`; `{proxy+}` needs at least one segment (it never matches `/`); a
//! trailing slash and a leading `//` are ignored. HTTP APIs (§2.4): the same precedence on
//! route and method, then `$default`; a trailing slash is significant.
//!
//! The routes live in a trie with one map per segment, so a lookup costs the path's depth,
//! not the number of routes. Only a miss looks at every route, to name the closest ones.

use std::collections::HashMap;

use super::model::{ApiKind, ApiModel, AuthType, Field};
use crate::span::Span;

/// The verbs `ANY` stands for.
const ANY_VERBS: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

#[derive(Debug, Default)]
struct Node {
    literal: HashMap<String, usize>,
    param: Option<(String, usize)>,
    greedy: Option<(String, usize)>,
    /// Method (upper case, `ANY` included) → route index.
    methods: HashMap<String, usize>,
    /// The path template of this node (`/things/{id}`).
    template: String,
}

/// The route table of one API, ready to match requests.
#[derive(Debug)]
pub struct Router<'a> {
    api: &'a ApiModel,
    nodes: Vec<Node>,
    default_route: Option<usize>,
}

/// A matched route.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Index into [`ApiModel::routes`].
    pub route: usize,
    /// Path parameters: `{id}` → `42`, `{proxy+}` → `a/b`.
    pub params: Vec<(String, String)>,
    /// Assumptions the match rests on (the REST method fallback), to show the user.
    pub assumptions: Vec<String>,
}

/// No route: what came closest.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    /// Up to three route indices, closest first (same path with another method first).
    pub closest: Vec<usize>,
    /// True when routes hidden behind unknown values ([`ApiModel::unknown_routes`]) might
    /// have matched: the miss is then not certain.
    pub incomplete: bool,
}

/// The outcome of [`Router::find`].
#[derive(Debug, Clone, PartialEq)]
pub enum RouteMatch {
    /// A route serves the request.
    Found(Found),
    /// No route does.
    Miss(Miss),
}

impl<'a> Router<'a> {
    /// Builds the trie of `api`'s routes.
    pub fn new(api: &'a ApiModel) -> Router<'a> {
        let mut r = Router {
            api,
            nodes: vec![Node {
                template: "/".into(),
                ..Node::default()
            }],
            default_route: None,
        };
        for (i, route) in api.routes.iter().enumerate() {
            if route.path == "$default" {
                r.default_route.get_or_insert(i);
                continue;
            }
            let mut at = 0;
            for seg in segments_of_template(&route.path) {
                at = r.child(at, seg);
            }
            r.nodes[at].methods.entry(route.method.clone()).or_insert(i);
        }
        r
    }

    fn child(&mut self, at: usize, seg: &str) -> usize {
        let template = format!("{}/{seg}", self.nodes[at].template.trim_end_matches('/'));
        let next = self.nodes.len();
        let existing = match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if name.ends_with('+') => self.nodes[at].greedy.as_ref().map(|g| g.1),
            Some(_) => self.nodes[at].param.as_ref().map(|p| p.1),
            None => self.nodes[at].literal.get(seg).copied(),
        };
        if let Some(n) = existing {
            return n;
        }
        let node = &mut self.nodes[at];
        match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if name.ends_with('+') => {
                node.greedy = Some((name.trim_end_matches('+').to_string(), next))
            }
            Some(name) => node.param = Some((name.to_string(), next)),
            None => {
                node.literal.insert(seg.to_string(), next);
            }
        }
        self.nodes.push(Node {
            template,
            ..Node::default()
        });
        next
    }

    /// Routes `METHOD path` (the path after the stage, without the query string).
    pub fn find(&self, method: &str, path: &str) -> RouteMatch {
        let method = method.to_ascii_uppercase();
        let path = path.split('?').next().unwrap_or("");
        let segs = request_segments(path, self.api.kind);
        let mut ctx = Search {
            method: &method,
            segs: &segs,
            first_path_match: None,
            found: None,
        };
        self.search(0, 0, &mut Vec::new(), &mut ctx);
        if let Some((node, route, params)) = ctx.found {
            let mut assumptions = Vec::new();
            if let Some(first) = ctx.first_path_match.filter(|f| *f != node)
                && self.api.kind == ApiKind::Rest
            {
                assumptions.push(format!(
                        "`{method} {path}`: `{}` has no {method} method, so the request falls back to `{}`; \
                         AWS-backed observations show this fallback, the developer guide says otherwise",
                        self.nodes[first].template, self.nodes[node].template
                    ));
            }
            return RouteMatch::Found(Found {
                route,
                params,
                assumptions,
            });
        }
        if let Some(d) = self
            .default_route
            .filter(|_| self.api.kind == ApiKind::Http)
        {
            return RouteMatch::Found(Found {
                route: d,
                params: Vec::new(),
                assumptions: Vec::new(),
            });
        }
        RouteMatch::Miss(Miss {
            closest: self.closest(&method, path),
            incomplete: !self.api.unknown_routes.is_empty(),
        })
    }

    /// Depth-first in precedence order (literal, then parameter, then greedy); the first
    /// node that serves the method wins. Each trie node is reached through one parent, so a
    /// lookup visits at most the nodes along the path's matching prefixes.
    fn search(&self, at: usize, i: usize, params: &mut Vec<(String, String)>, s: &mut Search) {
        if s.found.is_some() {
            return;
        }
        let node = &self.nodes[at];
        if i == s.segs.len() {
            // `/{proxy+}` is not the root: the root node is only matched by `/` itself.
            if !node.methods.is_empty() {
                s.first_path_match.get_or_insert(at);
            }
            if let Some(route) = node_method(node, s.method) {
                s.found = Some((at, route, params.clone()));
            }
            return;
        }
        let seg = s.segs[i];
        if let Some(&n) = node.literal.get(seg) {
            self.search(n, i + 1, params, s);
        }
        if let Some((name, n)) = &node.param
            && !seg.is_empty()
        {
            params.push((name.clone(), seg.to_string()));
            self.search(*n, i + 1, params, s);
            params.pop();
        }
        if s.found.is_some() {
            return;
        }
        if let Some((name, n)) = &node.greedy {
            let rest = s.segs[i..].join("/");
            if !rest.is_empty() {
                let greedy = &self.nodes[*n];
                if !greedy.methods.is_empty() {
                    s.first_path_match.get_or_insert(*n);
                }
                if let Some(route) = node_method(greedy, s.method) {
                    let mut p = params.clone();
                    p.push((name.clone(), rest));
                    s.found = Some((*n, route, p));
                }
            }
        }
    }

    /// The routes nearest to the request: the same path with another method first, then by
    /// edit distance of `METHOD /path`.
    fn closest(&self, method: &str, path: &str) -> Vec<usize> {
        let trimmed = path.trim_end_matches('/');
        let wanted = format!(
            "{method} {}",
            if trimmed.is_empty() { "/" } else { trimmed }
        );
        let same_path = |p: &str| p.trim_end_matches('/') == path.trim_end_matches('/');
        let mut scored: Vec<(usize, usize, usize)> = self
            .api
            .routes
            .iter()
            .enumerate()
            .filter(|(_, r)| r.path != "$default")
            .map(|(i, r)| {
                let rank = usize::from(!same_path(&r.path));
                (rank, distance(&wanted, &r.key()), i)
            })
            .collect();
        scored.sort();
        scored.into_iter().take(3).map(|(_, _, i)| i).collect()
    }
}

type Hit = (usize, usize, Vec<(String, String)>);

struct Search<'s> {
    method: &'s str,
    segs: &'s [&'s str],
    first_path_match: Option<usize>,
    /// (trie node, route, path parameters) of the winner.
    found: Option<Hit>,
}

/// The route of `method` on a node: the explicit method, else `ANY` for its seven verbs.
fn node_method(node: &Node, method: &str) -> Option<usize> {
    node.methods.get(method).copied().or_else(|| {
        ANY_VERBS
            .contains(&method)
            .then(|| node.methods.get("ANY").copied())
            .flatten()
    })
}

fn segments_of_template(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// REST ignores a trailing slash and a leading `//`; HTTP APIs keep a trailing slash as an
/// empty last segment, which no route matches.
fn request_segments(path: &str, kind: ApiKind) -> Vec<&str> {
    let trimmed = path.trim_start_matches('/');
    let trimmed = match kind {
        ApiKind::Rest => trimmed.trim_end_matches('/'),
        ApiKind::Http => trimmed,
    };
    if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed.split('/').collect()
    }
}

/// Levenshtein distance over characters; hand-written because it is ten lines and only
/// ranks suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// One row of `policy-check routes`.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteRow {
    /// `GET`, …, `ANY`.
    pub method: String,
    /// The path template, or `$default`.
    pub path: String,
    /// `NONE`, `CUSTOM`, `AWS_IAM`, `COGNITO_USER_POOLS`, `JWT`; `None` when unknown.
    pub auth: Option<AuthType>,
    /// The authorizer's name.
    pub authorizer: Option<String>,
    /// Whether an API key is required; `None` when unknown.
    pub api_key_required: Option<bool>,
    /// Where the route is defined.
    pub span: Span,
}

/// The route table of `api`, sorted by path then method, as `policy-check routes` lists it.
pub fn routes(api: &ApiModel) -> Vec<RouteRow> {
    let mut rows: Vec<RouteRow> = api
        .routes
        .iter()
        .map(|r| RouteRow {
            method: r.method.clone(),
            path: r.path.clone(),
            auth: r.auth.value().copied(),
            authorizer: r.authorizer.as_ref().map(|a| a.name.clone()),
            api_key_required: match &r.api_key_required {
                Field::Known { value, .. } => Some(*value),
                Field::Unknown(_) => None,
            },
            span: r.span,
        })
        .collect();
    rows.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
    rows
}
