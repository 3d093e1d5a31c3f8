//! Gateway responses (REST only; pipeline.md §2.11): a customised response type changes the
//! status, adds headers and rewrites the body; `x-amzn-ErrorType` stays. Unconfigured types
//! fall back to DEFAULT_4XX / DEFAULT_5XX, except UNAUTHORIZED, whose documented row lacks
//! the fallback sentence: there the answer forks.
//!
//! Templates are not run through a VTL engine: a simple replacer substitutes `$ref` /
//! `${ref}` / `$!ref` references to `$context.error.*`, `$context.authorizer.*`,
//! `$stageVariables.*`, `$method.request.*` and the request's known `$context.*` values.
//! Directives (`#if`, `#set`) and method calls are left as written, like unknown references
//! (which is what VTL prints for an undefined reference); the notes say so.

use std::collections::BTreeMap;

use super::answer::{Answer, MadeBy, ResponseType};
use super::{Evidence, ForkKind, Forks, HttpRequest};

/// One configured gateway response.
#[derive(Debug, Clone, Default)]
pub(crate) struct GatewayResponse {
    pub(crate) status: Option<u16>,
    /// `gatewayresponse.header.X` → expression (`'literal'`, `method.request.header.Y`…).
    pub(crate) headers: Vec<(String, String)>,
    /// Content type → template.
    pub(crate) templates: BTreeMap<String, String>,
    pub(crate) span: Option<Evidence>,
}

/// The API's gateway responses by type name (`UNAUTHORIZED`, `DEFAULT_4XX`…).
pub(crate) type GatewayResponses = BTreeMap<String, GatewayResponse>;

/// What templates and parameters can refer to.
pub(crate) struct RenderContext<'a> {
    pub(crate) request: &'a HttpRequest,
    pub(crate) path_params: &'a BTreeMap<String, String>,
    pub(crate) stage_variables: Option<&'a BTreeMap<String, String>>,
    /// `$context.authorizer.*`: the authorizer's context, and `principalId`.
    pub(crate) authorizer: &'a BTreeMap<String, String>,
    pub(crate) resource_path: &'a str,
}

/// The gateway response that rewrote an answer.
pub(crate) struct Applied {
    pub(crate) detail: String,
    pub(crate) span: Option<Evidence>,
}

/// Rewrites `answer` by the API's gateway responses.
pub(crate) fn apply(
    answer: &mut Answer,
    responses: &GatewayResponses,
    ctx: &RenderContext,
    forks: &mut Forks,
    notes: &mut Vec<String>,
) -> Option<Applied> {
    let rt = answer.response_type?;
    if answer.made_by != MadeBy::ApiGateway || responses.is_empty() {
        return None;
    }
    let (name, gr) = match responses.get(rt.name()) {
        Some(gr) => (rt.name(), gr),
        None => {
            let class = if answer.status >= 500 {
                "DEFAULT_5XX"
            } else {
                "DEFAULT_4XX"
            };
            let gr = responses.get(class)?;
            if rt == ResponseType::Unauthorized {
                let r = forks.choose(
                    ForkKind::Undocumented,
                    answer.step,
                    "whether the UNAUTHORIZED response falls back to DEFAULT_4XX (its documented row, unlike the others, does not say so)",
                    vec![
                        "UNAUTHORIZED does not fall back to DEFAULT_4XX".into(),
                        "UNAUTHORIZED falls back to DEFAULT_4XX".into(),
                    ],
                );
                if r == 0 {
                    return None;
                }
            }
            (class, gr)
        }
    };
    if answer.error_type.as_deref() == Some("IncompleteSignatureException") {
        notes.push("IncompleteSignature is taken to use the MISSING_AUTHENTICATION_TOKEN gateway response [I]".into());
    }
    let mut refs = Refs {
        answer,
        rt,
        ctx,
        notes: Vec::new(),
    };
    let status = gr.status.unwrap_or(answer.status);
    let mut headers = BTreeMap::new();
    for (header, expr) in &gr.headers {
        match refs.parameter(expr) {
            Some(v) => {
                headers.insert(header.clone(), v);
            }
            None => refs.notes.push(format!(
                "the gateway response header `{header}` = `{expr}` has no value for this request and is left out"
            )),
        }
    }
    let template = gr
        .templates
        .get_key_value("application/json")
        .or_else(|| gr.templates.iter().next());
    let body = template.map(|(ct, t)| (ct.clone(), refs.render(t)));
    notes.append(&mut refs.notes);
    answer.status = status;
    answer.headers.extend(headers);
    if let Some((ct, body)) = body {
        answer.headers.insert("content-type".into(), ct);
        answer.body = Some(body);
    }
    answer.gateway_response = Some(name.to_string());
    Some(Applied {
        detail: format!(
            "the {name} gateway response rewrote the answer ({})",
            rt.name()
        ),
        span: gr.span.clone(),
    })
}

struct Refs<'a> {
    answer: &'a Answer,
    rt: ResponseType,
    ctx: &'a RenderContext<'a>,
    notes: Vec<String>,
}

impl Refs<'_> {
    /// A `responseParameters` value.
    fn parameter(&mut self, expr: &str) -> Option<String> {
        let expr = expr.trim();
        if let Some(lit) = expr.strip_prefix('\'').and_then(|e| e.strip_suffix('\'')) {
            return Some(lit.to_string());
        }
        self.lookup(expr)
    }

    /// The value of a reference (without `$`), when known.
    fn lookup(&mut self, name: &str) -> Option<String> {
        let req = self.ctx.request;
        let m = &self.answer.message;
        if let Some(rest) = name.strip_prefix("method.request.") {
            let (kind, n) = rest.split_once('.')?;
            return match kind {
                "header" => req.header_value(n).map(str::to_string),
                "querystring" => req.query_param(n).map(str::to_string),
                "path" => self.ctx.path_params.get(n).cloned(),
                _ => None,
            };
        }
        if let Some(n) = name.strip_prefix("stageVariables.") {
            let Some(vars) = self.ctx.stage_variables else {
                self.notes.push(format!("`$stageVariables.{n}` is left as written: the stage's variables are not known (facts file stage_variables)"));
                return None;
            };
            return vars.get(n).cloned();
        }
        if let Some(n) = name.strip_prefix("context.authorizer.") {
            return self.ctx.authorizer.get(n).cloned();
        }
        Some(match name {
            "context.error.message" => m.clone().unwrap_or_else(|| "null".into()),
            "context.error.messageString" => m.as_ref().map_or_else(
                || "null".into(),
                |s| serde_json::Value::from(s.as_str()).to_string(),
            ),
            "context.error.responseType" => self.rt.name().to_string(),
            "context.httpMethod" => req.method.clone(),
            "context.resourcePath" => self.ctx.resource_path.to_string(),
            "context.stage" => req.stage.clone()?,
            "context.apiId" => req.api_id.clone()?,
            "context.accountId" => req.account.clone()?,
            "context.identity.sourceIp" => req.source_ip?.to_string(),
            "context.path" => format!("/{}{}", req.stage.clone()?, req.path),
            _ => {
                self.notes.push(format!(
                    "`${name}` is a per-request value the tool does not know; it is left as written"
                ));
                return None;
            }
        })
    }

    /// Substitutes the references of a template.
    fn render(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        if template.contains('#') {
            self.notes.push("VTL directives (#if, #set…) in the template are not evaluated; they are left as written".into());
        }
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let (quiet, after) = match after.strip_prefix('!') {
                Some(a) => (true, a),
                None => (false, after),
            };
            let (name, len, braced) = match after.strip_prefix('{') {
                Some(b) => match b.find('}') {
                    Some(end) => (&b[..end], end + 2, true),
                    None => ("", 0, true),
                },
                None => {
                    let end = after
                        .find(|c: char| {
                            !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                        })
                        .unwrap_or(after.len());
                    let name = after[..end].trim_end_matches('.');
                    (name, name.len(), false)
                }
            };
            let consumed = 1 + usize::from(quiet) + len;
            let method_call = !braced && after[len..].starts_with('(');
            if name.is_empty() || method_call {
                if method_call {
                    self.notes.push(format!(
                        "`${name}(…)` is a VTL method call; it is left as written"
                    ));
                }
                out.push('$');
                rest = &rest[i + 1..];
                continue;
            }
            match self.lookup(name) {
                Some(v) => out.push_str(&v),
                None if quiet => {}
                None => out.push_str(&rest[i..i + consumed]),
            }
            rest = &rest[i + consumed..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Step;
    use crate::pipeline::answer::{ApiKind, Outcome, answer};

    fn responses(entries: &[Entry]) -> GatewayResponses {
        entries
            .iter()
            .map(|(t, status, headers, template)| {
                (
                    t.to_string(),
                    GatewayResponse {
                        status: *status,
                        headers: headers
                            .iter()
                            .map(|(a, b)| (a.to_string(), b.to_string()))
                            .collect(),
                        templates: template
                            .map(|t| [("application/json".to_string(), t.to_string())].into())
                            .unwrap_or_default(),
                        span: None,
                    },
                )
            })
            .collect()
    }

    /// Status, x-amzn-ErrorType, body and headers of one reading.
    type Rendered = (
        u16,
        Option<String>,
        Option<String>,
        BTreeMap<String, String>,
    );
    /// A gateway response entry: type, status, headers, template.
    type Entry<'a> = (
        &'a str,
        Option<u16>,
        &'a [(&'a str, &'a str)],
        Option<&'a str>,
    );

    fn render(o: Outcome, grs: &GatewayResponses) -> Vec<Rendered> {
        let req = HttpRequest::new("GET", "/things/7?q=x")
            .header("Origin", "https://app.example")
            .header("Authorization", "Bearer t");
        let mut req = req;
        req.stage = Some("prod".into());
        let params: BTreeMap<String, String> = [("id".to_string(), "7".to_string())].into();
        let vars: BTreeMap<String, String> = [("env".to_string(), "prod".to_string())].into();
        let auth: BTreeMap<String, String> = [("reason".to_string(), "expired".to_string())].into();
        let ctx = RenderContext {
            request: &req,
            path_params: &params,
            stage_variables: Some(&vars),
            authorizer: &auth,
            resource_path: "/things/{id}",
        };
        super::super::explore(|f| {
            let mut a = answer(&o, ApiKind::Rest, Step::Route);
            apply(&mut a, grs, &ctx, f, &mut Vec::new());
            (a.status, a.error_type, a.body, a.headers)
        })
        .0
        .into_iter()
        .map(|r| r.1)
        .collect()
    }

    #[test]
    fn custom_status_keeps_the_error_type() {
        let grs = responses(&[("MISSING_AUTHENTICATION_TOKEN", Some(404), &[], None)]);
        let r = &render(Outcome::MissingAuthenticationToken, &grs)[0];
        assert_eq!(r.0, 404);
        assert_eq!(r.1.as_deref(), Some("MissingAuthenticationTokenException"));
        assert_eq!(
            r.2.as_deref(),
            Some(r#"{"message":"Missing Authentication Token"}"#)
        );
        assert_eq!(
            r.3["x-amzn-ErrorType"],
            "MissingAuthenticationTokenException"
        );
    }

    #[test]
    fn templates_and_parameters() {
        let grs = responses(&[(
            "ACCESS_DENIED",
            Some(401),
            &[
                (
                    "Access-Control-Allow-Origin",
                    "method.request.header.Origin",
                ),
                ("X-Env", "stageVariables.env"),
                ("X-Static", "'yes'"),
                ("X-Missing", "method.request.header.Nope"),
            ],
            Some(
                r#"{"msg":$context.error.messageString,"raw":"$context.error.message","type":"$context.error.responseType","why":"$context.authorizer.reason","env":"${stageVariables.env}","id":"$method.request.path.id","rid":"$context.requestId","q":"$!context.authorizer.none"}"#,
            ),
        )]);
        let r = &render(
            Outcome::PolicyDeny(crate::eval::Decision::ExplicitDeny),
            &grs,
        )[0];
        assert_eq!(r.0, 401);
        assert_eq!(r.1.as_deref(), Some("AccessDeniedException"));
        assert_eq!(
            r.2.as_deref(),
            Some(
                r#"{"msg":"User is not authorized to access this resource with an explicit deny","raw":"User is not authorized to access this resource with an explicit deny","type":"ACCESS_DENIED","why":"expired","env":"prod","id":"7","rid":"$context.requestId","q":""}"#
            )
        );
        assert_eq!(r.3["Access-Control-Allow-Origin"], "https://app.example");
        assert_eq!(r.3["X-Env"], "prod");
        assert_eq!(r.3["X-Static"], "yes");
        assert!(!r.3.contains_key("X-Missing"));
    }

    #[test]
    fn seed_missing_or_invalid_token() {
        // The seed guide's 400 "Missing or invalid token": a customised DEFAULT_4XX.
        let grs = responses(&[(
            "DEFAULT_4XX",
            Some(400),
            &[],
            Some(r#"{"message":"Missing or invalid token"}"#),
        )]);
        let r = &render(Outcome::MissingAuthenticationToken, &grs)[0];
        assert_eq!(
            (r.0, r.2.as_deref()),
            (400, Some(r#"{"message":"Missing or invalid token"}"#))
        );
        // The 5XX class is untouched by DEFAULT_4XX.
        let r = &render(Outcome::AuthorizerError, &grs)[0];
        assert_eq!((r.0, r.2.as_deref()), (500, Some(r#"{"message": null}"#)));
    }

    #[test]
    fn unauthorized_fallback_is_contested() {
        let grs = responses(&[("DEFAULT_4XX", Some(400), &[], None)]);
        let runs = render(Outcome::Unauthorized, &grs);
        assert_eq!(runs.iter().map(|r| r.0).collect::<Vec<_>>(), [401, 400]);
        let grs = responses(&[(
            "UNAUTHORIZED",
            Some(418),
            &[],
            Some("{\"m\":$context.error.messageString}"),
        )]);
        let runs = render(Outcome::Unauthorized, &grs);
        assert_eq!(runs.len(), 1);
        assert_eq!(
            (runs[0].0, runs[0].2.as_deref()),
            (418, Some(r#"{"m":"Unauthorized"}"#))
        );
        // null message.
        let grs = responses(&[(
            "DEFAULT_5XX",
            None,
            &[],
            Some("{\"m\":$context.error.messageString}"),
        )]);
        assert_eq!(
            render(Outcome::AuthorizerError, &grs)[0].2.as_deref(),
            Some(r#"{"m":null}"#)
        );
    }
}
