//! An authorizer output read against the API definition: Resource entries that match no
//! route (PC060), and the caching trap with the authorizer's real TTL (PC061, which takes
//! PC054's place once the TTL is known).

use super::{CACHE_TRAP, POLICY_MATCHES_NO_ROUTE};
use crate::Checked;
use crate::apidef::{ApiKind, ApiModel, AuthType, AuthorizerKind, Route};
use crate::arn::ResourceFields;
use crate::denote::{VERBS, is_dead};
use crate::eval::covers_invoke;
use crate::lint::cross_statement::{SINGLE_METHOD_ARN, single_method_arn};
use crate::lint::{Ctx, Finding, lint_default, resource::sub_span, suggest};
use crate::pattern::Glob;

/// Lints `checked` with every rule, knowing the API it answers for: [`lint_default`], plus
/// PC060 and PC061, with PC054 dropped where the definition tells the authorizers' TTLs
/// (PC061 then says it with the real TTL, or nothing is wrong because none caches).
///
/// ```
/// use policy_check::{Checked, Source, apidef, lint};
/// let api = apidef::load(Source::new("api.yaml", "openapi: 3.0.1\npaths:\n  /things:\n    get: {}\n"), None).unwrap();
/// let out = Checked::from_str("out.json", r#"{"principalId": "u", "policyDocument": {"Version": "2012-10-17",
///   "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke",
///   "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/thing"}]}}"#).unwrap();
/// let codes: Vec<_> = lint::api::lint_with_api(&out, &api).iter().map(|f| f.rule.code).collect();
/// assert!(codes.contains(&"PC060"));
/// ```
pub fn lint_with_api(checked: &Checked, api: &ApiModel) -> Vec<Finding> {
    let mut out = lint_default(checked);
    let cx = Ctx::new(checked);
    no_route(&cx, api, &mut out);
    if let Some(verdict) = caching(api) {
        out.retain(|f| f.rule != &SINGLE_METHOD_ARN);
        if let Some(ttl) = verdict {
            cache_trap(&cx, api, ttl, &mut out);
        }
    }
    out.sort_by(|a, b| {
        (a.span.offset(), a.rule.code, a.span.len()).cmp(&(
            b.span.offset(),
            b.rule.code,
            b.span.len(),
        ))
    });
    out
}

/// What the definition says about caching: `None` when it cannot tell (no Lambda
/// authorizer, or a TTL unknown offline or unstated on an HTTP API); `Some(None)` when no
/// Lambda authorizer caches; `Some(Some((name, ttl, defaulted)))` when every one caches
/// (the first one named).
#[allow(clippy::option_option)] // three answers: cannot tell, none caches, all cache
fn caching(api: &ApiModel) -> Option<Option<(&str, u64, bool)>> {
    let lambdas: Vec<_> = api
        .authorizers
        .iter()
        .filter(|a| {
            matches!(
                a.kind.value(),
                Some(AuthorizerKind::Token | AuthorizerKind::Request)
            )
        })
        .collect();
    let ttls: Vec<u64> = lambdas
        .iter()
        .map(|a| a.ttl_seconds(api.kind))
        .collect::<Option<_>>()?;
    match ttls.iter().position(|&t| t > 0) {
        _ if lambdas.is_empty() => None,
        None => Some(None),
        Some(_) if ttls.contains(&0) => None,
        Some(i) => Some(Some((
            lambdas[i].name.as_str(),
            ttls[i],
            lambdas[i].ttl.is_none(),
        ))),
    }
}

fn cache_trap(
    cx: &Ctx<'_>,
    api: &ApiModel,
    (name, ttl, defaulted): (&str, u64, bool),
    out: &mut Vec<Finding>,
) {
    let Some(policy) = &cx.auth.policy else {
        return;
    };
    if cx.auth.is_malformed() {
        return;
    }
    let Some((arn, span)) = single_method_arn(&policy.statements) else {
        return;
    };
    let f = ResourceFields::split(arn);
    let mut segs = f[5].splitn(4, '/');
    let (Some(api_id), Some(stage), Some(verb), Some(path)) =
        (segs.next(), segs.next(), segs.next(), segs.next())
    else {
        return;
    };
    // Another route behind a caching authorizer, as a concrete request.
    let second = api
        .routes
        .iter()
        .filter(|r| r.auth.value() == Some(&AuthType::Custom) && r.path != "$default")
        .map(|r| concrete(r, verb))
        .find(|(v, p)| (v.as_str(), p.as_str()) != (verb, path));
    let Some((v2, p2)) = second else {
        return;
    };
    let arn2 = format!(
        "{}:{}:{}:{}:{}:{api_id}/{stage}/{v2}/{p2}",
        f[0], f[1], f[2], f[3], f[4]
    );
    let ttl_text = if defaulted {
        format!("{ttl} s (no authorizerResultTtlInSeconds: the REST default)")
    } else {
        format!("{ttl} s")
    };
    out.push(Finding::new(
        &CACHE_TRAP,
        span,
        format!(
            "the output allows only this method ARN and authorizer `{name}` caches it for {ttl_text}: a second request with the same token, `{v2} /{p2}` ({arn2}), gets 403 from the cached policy"
        ),
        "the only ARN allowed",
        format!("allow every route the caller may use (e.g. …:{api_id}/{stage}/*), or set `{name}`'s authorizerResultTtlInSeconds to 0"),
    ));
}

/// A request `route` serves, as (verb, path without the leading `/`): a parameter becomes
/// `1`, a greedy one `x`; `ANY` becomes a verb other than `avoid`.
fn concrete(route: &Route, avoid: &str) -> (String, String) {
    let verb = if route.method == "ANY" {
        if avoid == "GET" { "POST" } else { "GET" }.to_string()
    } else {
        route.method.clone()
    };
    let path = route
        .path
        .trim_start_matches('/')
        .split('/')
        .map(|s| match (s.starts_with('{'), s.ends_with("+}")) {
            (true, true) => "x",
            (true, false) => "1",
            _ => s,
        })
        .collect::<Vec<_>>()
        .join("/");
    (verb, path)
}

/// The `VERB/path` globs of every route, matched against the part of a method ARN after
/// the stage; `None` when a route can match anything (`$default`) or some are unknown.
/// Over-approximate on purpose (a parameter's `*` also spans `/`): a finding is only ever
/// claimed when no route can match.
fn route_globs(api: &ApiModel) -> Option<Vec<(Glob, &Route)>> {
    if api.routes.is_empty()
        || !api.unknown_routes.is_empty()
        || api.routes.iter().any(|r| r.path == "$default")
    {
        return None;
    }
    let mut out = Vec::new();
    for r in &api.routes {
        let path: Vec<&str> = r
            .path
            .trim_start_matches('/')
            .split('/')
            .map(|s| if s.starts_with('{') { "?*" } else { s })
            .collect();
        let path = path.join("/");
        let verbs: Vec<&str> = if r.method == "ANY" {
            VERBS.to_vec()
        } else {
            vec![r.method.as_str()]
        };
        for v in verbs {
            out.push((Glob::new(&format!("{v}/{path}")), r));
            // REST ignores a trailing slash when routing; the ARN keeps it.
            if api.kind == ApiKind::Rest && !path.is_empty() {
                out.push((Glob::new(&format!("{v}/{path}/")), r));
            }
        }
    }
    Some(out)
}

fn no_route(cx: &Ctx<'_>, api: &ApiModel, out: &mut Vec<Finding>) {
    let Some(routes) = route_globs(api) else {
        return;
    };
    let api_id = api.api_id.as_ref().and_then(|f| f.value());
    let text = cx.doc.source.text();
    let typed = cx.auth.policy.as_ref();
    for s in &cx.statements {
        let Some(el) = s.resource() else { continue };
        if el.negated {
            continue;
        }
        // Only statements that act on requests (Action covers execute-api:Invoke).
        let invoke = typed
            .and_then(|p| p.statements.iter().find(|t| t.index == s.index))
            .is_none_or(|t| covers_invoke(&t.action));
        if !invoke {
            continue;
        }
        for (entry, span) in &el.entries {
            if *entry == "*" || is_dead(entry) {
                continue;
            }
            let f = ResourceFields::split(entry);
            if f.len() != 6 {
                continue;
            }
            let res = f[5];
            let parts: Vec<&str> = res.splitn(3, '/').collect();
            let literal_head = parts.len() == 3 && !parts[..2].concat().contains(['*', '?']);
            let (entry_glob, at) = if literal_head {
                if api_id.is_some_and(|id| id != parts[0]) {
                    continue; // another API's entry
                }
                (Glob::new(parts[2]), parts[0].len() + parts[1].len() + 2)
            } else {
                (Glob::new(res), 0)
            };
            let matched = routes.iter().any(|(g, _)| {
                if literal_head {
                    g.intersects(&entry_glob)
                } else {
                    Glob::new(&format!("*/*/{g}")).intersects(&entry_glob)
                }
            });
            if matched {
                continue;
            }
            let route_part = &res[at..];
            let keys: Vec<String> = api.routes.iter().map(Route::key).collect();
            let wanted = route_part.replacen('/', " /", 1);
            let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
            let near = suggest(&wanted, &key_refs, wanted.len().max(3));
            let help = match near.and_then(|k| api.routes.iter().find(|r| r.key() == k)) {
                Some(r) if literal_head => {
                    let (v, p) = (&r.method, route_glob_text(r));
                    let v = if v == "ANY" { "*" } else { v.as_str() };
                    let prefix = &entry[..entry.len() - route_part.len()];
                    format!("the closest route is `{}`: `{prefix}{v}/{p}`", r.key())
                }
                Some(r) => format!("the closest route is `{}`", r.key()),
                None => "use the verb and path of one of the API's routes".to_string(),
            };
            let shown: Vec<&str> = key_refs.iter().take(5).copied().collect();
            let more = if keys.len() > 5 {
                format!(" and {} more", keys.len() - 5)
            } else {
                String::new()
            };
            out.push(
                Finding::new(
                    &POLICY_MATCHES_NO_ROUTE,
                    sub_span(
                        text,
                        *span,
                        entry,
                        Some((
                            f[..5].iter().map(|x| x.len() + 1).sum::<usize>() + at,
                            route_part.len(),
                        )),
                    ),
                    format!(
                        "`{wanted}` matches no route of the API in {}: its routes are {}{more}",
                        api.source.name(),
                        shown.join(", ")
                    ),
                    "no route has this verb and path",
                    help,
                )
                .in_statement(s.index),
            );
        }
    }
}

/// A route's path as it goes in a Resource: parameters become `*`.
fn route_glob_text(r: &Route) -> String {
    r.path
        .trim_start_matches('/')
        .split('/')
        .map(|s| if s.starts_with('{') { "*" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}
