//! CloudFormation templates (JSON or YAML, `cdk synth` output included): a REST API from its
//! `Body` or its Resource/Method graph, an HTTP API from its `Body` or its Routes, and the
//! Authorizer, GatewayResponse, Stage, UsagePlan and ApiKey resources around it.
//!
//! Intrinsics are evaluated where the template alone decides them (parameters with a
//! `Default`, `Fn::Sub` / `Fn::Join` / `Fn::Select` / `Fn::Split` / `Fn::FindInMap`, `Fn::If`
//! on evaluable conditions); everything else (pseudo parameters, `Fn::ImportValue`, resource
//! attributes) is unknown, with the span of the expression.

use std::cell::Cell;
use std::collections::HashMap;

use super::model::{
    ApiKey, ApiKind, ApiModel, AuthType, Authorizer, AuthorizerKind, AuthorizerRef, CorsFrom,
    CorsHint, Field, Format, ResourcePolicy, Route, Severity, Stage, StageVariable, Unknown,
    UsagePlan,
};
use super::openapi;
use super::read::{Ctx, Resolve, invalid};
use super::tree::{Entry, V, Val};
use crate::source::{InputError, Source};
use crate::span::Span;

const REST_API: &str = "AWS::ApiGateway::RestApi";
const HTTP_API: &str = "AWS::ApiGatewayV2::Api";

/// Evaluates intrinsics against one template.
pub(crate) struct Template<'a> {
    root: &'a Val,
    params: HashMap<&'a str, &'a Val>,
    resources: HashMap<&'a str, &'a Val>,
    /// Guards `Condition` chains (which could be circular).
    depth: Cell<usize>,
}

impl<'a> Template<'a> {
    pub fn new(root: &'a Val) -> Template<'a> {
        let map = |k: &str| -> HashMap<&'a str, &'a Val> {
            root.get(k)
                .map(|r| {
                    r.entries()
                        .iter()
                        .map(|e| (e.key.as_str(), &e.value))
                        .collect()
                })
                .unwrap_or_default()
        };
        Template {
            root,
            params: map("Parameters"),
            resources: map("Resources"),
            depth: Cell::new(0),
        }
    }

    /// `(logical id, resource)` pairs of `type_name`, in file order.
    pub fn of_type(&self, type_name: &str) -> Vec<(&'a Entry, &'a Val)> {
        self.root
            .get("Resources")
            .map(|r| {
                r.entries()
                    .iter()
                    .filter(|e| e.value.get("Type").and_then(Val::as_str) == Some(type_name))
                    .map(|e| (e, &e.value))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn resource_type(&self, id: &str) -> Option<&'a str> {
        self.resources.get(id)?.get("Type")?.as_str()
    }

    fn intrinsic(v: &Val) -> Option<(&str, &Val)> {
        match &v.v {
            V::Map(m) if m.len() == 1 && (m[0].key == "Ref" || m[0].key.starts_with("Fn::")) => {
                Some((m[0].key.as_str(), &m[0].value))
            }
            V::Map(m) if m.len() == 1 && m[0].key == "Condition" => None,
            _ => None,
        }
    }

    fn str_of(&self, v: &Val) -> Result<String, String> {
        let r = self.resolve(v)?;
        r.scalar_text()
            .ok_or_else(|| format!("expected a string, found {}", r.type_name()))
    }

    fn reference(&self, name: &str, span: Span) -> Result<Val, String> {
        if name == "AWS::NoValue" {
            return Ok(Val { span, v: V::Null });
        }
        if name.starts_with("AWS::") {
            return Err(format!(
                "the pseudo parameter {name} is known only at deploy time"
            ));
        }
        if let Some(p) = self.params.get(name) {
            let Some(d) = p.get("Default") else {
                return Err(format!("the parameter {name} has no Default"));
            };
            let list = p
                .get("Type")
                .and_then(Val::as_str)
                .is_some_and(|t| t.contains("List"));
            return match (list, d.scalar_text()) {
                (true, Some(s)) => Ok(Val {
                    span: d.span,
                    v: V::Seq(
                        s.split(',')
                            .map(|x| Val {
                                span: d.span,
                                v: V::Str(x.trim().to_string()),
                            })
                            .collect(),
                    ),
                }),
                _ => Ok(d.clone()),
            };
        }
        if self.resources.contains_key(name) {
            return Err(format!(
                "the id of resource {name} is generated at deploy time"
            ));
        }
        Err(format!(
            "`{name}` is neither a parameter nor a resource of this template"
        ))
    }

    fn sub(&self, arg: &Val) -> Result<String, String> {
        let (text, vars) = match &arg.v {
            V::Seq(items) if items.len() == 2 => (self.str_of(&items[0])?, Some(&items[1])),
            _ => (self.str_of(arg)?, None),
        };
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[i..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            if let Some(lit) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(lit);
                out.push('}');
            } else if let Some(v) = vars.and_then(|m| m.get(name)) {
                out.push_str(&self.str_of(v)?);
            } else if name.contains('.') {
                return Err(format!("`${{{name}}}` is known only at deploy time"));
            } else {
                let r = self.reference(name, arg.span)?;
                out.push_str(
                    &r.scalar_text()
                        .ok_or_else(|| format!("`${{{name}}}` is not a string"))?,
                );
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn condition(&self, v: &Val) -> Result<bool, String> {
        let d = self.depth.get();
        if d > 64 {
            return Err("conditions nest too deeply (a cycle?)".into());
        }
        self.depth.set(d + 1);
        let r = self.condition_inner(v);
        self.depth.set(d);
        r
    }

    fn condition_inner(&self, v: &Val) -> Result<bool, String> {
        if let Some(name) = v.as_str() {
            let c = self
                .root
                .get("Conditions")
                .and_then(|c| c.get(name))
                .ok_or_else(|| format!("no condition named {name}"))?;
            return self.condition(c);
        }
        if let Some(name) = v.get("Condition").and_then(Val::as_str) {
            return self.condition(&Val {
                span: v.span,
                v: V::Str(name.to_string()),
            });
        }
        let (f, arg) = Self::intrinsic(v).ok_or("not a condition")?;
        let items = arg.items();
        match f {
            "Fn::Equals" if items.len() == 2 => {
                Ok(self.resolve(&items[0])?.to_json() == self.resolve(&items[1])?.to_json())
            }
            "Fn::Not" if items.len() == 1 => Ok(!self.condition(&items[0])?),
            "Fn::And" => items
                .iter()
                .try_fold(true, |acc, c| Ok(acc && self.condition(c)?)),
            "Fn::Or" => items
                .iter()
                .try_fold(false, |acc, c| Ok(acc || self.condition(c)?)),
            _ => Err(format!("`{f}` is not a condition function")),
        }
    }

    /// The logical id a `Ref` (or `Fn::GetAtt`) names, and the attribute for `GetAtt`.
    pub fn target(v: &Val) -> Option<(String, Option<String>)> {
        match Self::intrinsic(v)? {
            ("Ref", t) => Some((t.scalar_text()?, None)),
            ("Fn::GetAtt", t) => {
                let items = t.items();
                Some((items.first()?.scalar_text()?, items.get(1)?.scalar_text()))
            }
            _ => None,
        }
    }
}

impl Resolve for Template<'_> {
    fn resolve(&self, v: &Val) -> Result<Val, String> {
        let Some((f, arg)) = Self::intrinsic(v) else {
            return Ok(match &v.v {
                V::Seq(items) => Val {
                    span: v.span,
                    v: V::Seq(
                        items
                            .iter()
                            .map(|i| self.resolve(i))
                            .collect::<Result<_, _>>()?,
                    ),
                },
                V::Map(entries) => Val {
                    span: v.span,
                    v: V::Map(
                        entries
                            .iter()
                            .map(|e| {
                                Ok(Entry {
                                    key: e.key.clone(),
                                    key_span: e.key_span,
                                    value: self.resolve(&e.value)?,
                                })
                            })
                            .collect::<Result<_, String>>()?,
                    ),
                },
                _ => v.clone(),
            });
        };
        let s = |text: String| Val {
            span: v.span,
            v: V::Str(text),
        };
        let items = arg.items();
        match f {
            "Ref" => {
                let name = arg.scalar_text().ok_or("Ref takes a name")?;
                self.reference(&name, v.span)
            }
            "Fn::Sub" => Ok(s(self.sub(arg)?)),
            "Fn::Join" if items.len() == 2 => {
                let sep = self.str_of(&items[0])?;
                let list = self.resolve(&items[1])?;
                let parts = list
                    .items()
                    .iter()
                    .map(|p| p.scalar_text().ok_or("Fn::Join takes strings"))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(s(parts.join(&sep)))
            }
            "Fn::Select" if items.len() == 2 => {
                let i: usize = self
                    .str_of(&items[0])?
                    .parse()
                    .map_err(|_| "Fn::Select takes an index")?;
                let list = self.resolve(&items[1])?;
                list.items()
                    .get(i)
                    .cloned()
                    .ok_or_else(|| "Fn::Select index out of range".to_string())
            }
            "Fn::Split" if items.len() == 2 => {
                let sep = self.str_of(&items[0])?;
                let text = self.str_of(&items[1])?;
                Ok(Val {
                    span: v.span,
                    v: V::Seq(text.split(sep.as_str()).map(|p| s(p.to_string())).collect()),
                })
            }
            "Fn::FindInMap" if items.len() >= 3 => {
                let keys = items[..3]
                    .iter()
                    .map(|k| self.str_of(k))
                    .collect::<Result<Vec<_>, _>>()?;
                self.root
                    .get("Mappings")
                    .and_then(|m| m.get(&keys[0]))
                    .and_then(|m| m.get(&keys[1]))
                    .and_then(|m| m.get(&keys[2]))
                    .map(|x| self.resolve(x))
                    .unwrap_or_else(|| {
                        Err(format!("no mapping {}.{}.{}", keys[0], keys[1], keys[2]))
                    })
            }
            "Fn::If" if items.len() == 3 => {
                if self.condition(&items[0])? {
                    self.resolve(&items[1])
                } else {
                    self.resolve(&items[2])
                }
            }
            "Fn::GetAtt" => {
                let (id, attr) =
                    Self::target(v).ok_or("Fn::GetAtt takes a resource and an attribute")?;
                Err(format!(
                    "{id}.{} is known only at deploy time",
                    attr.unwrap_or_default()
                ))
            }
            "Fn::ImportValue" => Err("Fn::ImportValue reads another stack's export".into()),
            _ => Err(format!("`{f}` is not evaluated offline")),
        }
    }
}

/// Whether `v` refers to the resource `id` (`Ref` or `Fn::GetAtt`).
fn refers_to(v: Option<&Val>, id: &str) -> bool {
    v.and_then(Template::target).is_some_and(|(t, _)| t == id)
}

/// The logical ids of the APIs a template holds (REST and HTTP).
pub(crate) fn api_ids(t: &Template) -> Vec<String> {
    let mut out: Vec<String> = t
        .of_type(REST_API)
        .iter()
        .map(|(e, _)| e.key.clone())
        .collect();
    for (e, r) in t.of_type(HTTP_API) {
        let ws = r
            .get("Properties")
            .and_then(|p| p.get("ProtocolType"))
            .and_then(Val::as_str)
            .is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET"));
        if !ws {
            out.push(e.key.clone());
        }
    }
    out
}

/// Picks the API named `name`, or the only one; else an error listing them.
pub(crate) fn choose(
    source: &Source,
    root: &Val,
    ids: Vec<String>,
    name: Option<&str>,
) -> Result<String, InputError> {
    let span = root.entry("Resources").map_or(root.span, |e| e.key_span);
    match (name, ids.len()) {
        (Some(n), _) if ids.iter().any(|i| i == n) => Ok(n.to_string()),
        (Some(n), _) => Err(invalid(
            source,
            span,
            format!(
                "the template has no API named `{n}`; its APIs: {}",
                list(&ids)
            ),
            "pass one of those logical ids to --api-name",
        )),
        (None, 1) => Ok(ids[0].clone()),
        (None, 0) => Err(invalid(
            source,
            span,
            "not an API definition: the template holds no REST or HTTP API".into(),
            "pass a template with an AWS::ApiGateway::RestApi, AWS::ApiGatewayV2::Api or AWS::Serverless::Api",
        )),
        (None, _) => Err(invalid(
            source,
            span,
            format!("the template holds several APIs: {}", list(&ids)),
            "choose one with --api-name LogicalId",
        )),
    }
}

fn list(ids: &[String]) -> String {
    ids.join(", ")
}

/// Reads the template's API `id` (a REST or HTTP API resource).
pub(crate) fn read(source: &Source, t: &Template, id: &str) -> Result<ApiModel, InputError> {
    let ctx = Ctx {
        resolver: t,
        source,
    };
    let api = t.resources[id];
    let props = api.get("Properties");
    let kind = if t.resource_type(id) == Some(HTTP_API) {
        ApiKind::Http
    } else {
        ApiKind::Rest
    };
    let mut model = ApiModel::empty(source.clone(), Format::CloudFormation, kind);
    model.name = Some(id.to_string());
    let prop = |k: &str| props.and_then(|p| p.entry(k));
    if let Some(body) = prop("Body") {
        openapi::read_into(&body.value, &ctx, &mut model)?;
        model.name = Some(id.to_string());
    }
    if let Some(s3) = prop("BodyS3Location") {
        model.unknown_routes.push(Unknown {
            field: "BodyS3Location".into(),
            reason: "the definition is in S3, which is not read offline".into(),
            span: s3.value.span,
        });
    }
    match kind {
        ApiKind::Rest => read_rest(&ctx, t, id, &mut model)?,
        ApiKind::Http => read_http(&ctx, t, id, &mut model)?,
    }
    check_usage(&ctx, t, id, &mut model);
    Ok(model)
}

fn read_rest(ctx: &Ctx, t: &Template, id: &str, model: &mut ApiModel) -> Result<(), InputError> {
    let props = t.resources[id].get("Properties");
    let prop = |k: &str| props.and_then(|p| p.get(k));
    if let Some(v) = prop("ApiKeySourceType") {
        model.api_key_source = Some(openapi::api_key_source(ctx, v));
    }
    if let Some(v) = prop("EndpointConfiguration").and_then(|e| e.get("Types")) {
        model.endpoint_type = Some(openapi::endpoint_types(ctx, v));
    }
    if let Some(v) = prop("Policy") {
        model.resource_policy = Some(ResourcePolicy {
            document: ctx.json(v, "RestApi.Policy"),
            span: v.span,
        });
    }
    let mine = |r: &Val| refers_to(r.get("Properties").and_then(|p| p.get("RestApiId")), id);

    for (e, r) in t.of_type("AWS::ApiGateway::Authorizer") {
        if !mine(r) {
            continue;
        }
        let p = r.get("Properties").unwrap_or(r);
        let kind = p
            .get("Type")
            .map(|v| match ctx.string(v, "Authorizer.Type") {
                Field::Known { value, span } => match value.to_ascii_uppercase().as_str() {
                    "TOKEN" => Field::known(AuthorizerKind::Token, span),
                    "REQUEST" => Field::known(AuthorizerKind::Request, span),
                    "COGNITO_USER_POOLS" => Field::known(AuthorizerKind::Cognito, span),
                    _ => ctx.unknown(
                        "Authorizer.Type",
                        format!("`{value}` is not an authorizer type"),
                        span,
                    ),
                },
                Field::Unknown(u) => Field::Unknown(u),
            });
        model.authorizers.push(Authorizer {
            name: e.key.clone(),
            span: r.span,
            kind: kind.unwrap_or_else(|| {
                ctx.unknown("Authorizer.Type", "Type is required".into(), r.span)
            }),
            identity_sources: p
                .get("IdentitySource")
                .map(|v| ctx.identity_sources(v, "Authorizer.IdentitySource")),
            validation_expression: p
                .get("IdentityValidationExpression")
                .map(|v| ctx.string(v, "Authorizer.IdentityValidationExpression")),
            ttl: p
                .get("AuthorizerResultTtlInSeconds")
                .map(|v| ctx.number(v, "Authorizer.AuthorizerResultTtlInSeconds")),
            simple_responses: None,
            payload_format: None,
        });
    }

    // Resource paths, from the root down; a cycle or an unknown PathPart hides a subtree.
    let resources: Vec<(&Entry, &Val)> = t
        .of_type("AWS::ApiGateway::Resource")
        .into_iter()
        .filter(|(_, r)| mine(r))
        .collect();
    let mut paths: HashMap<String, Result<(String, Span), Unknown>> = HashMap::new();
    for _ in 0..=resources.len() {
        let mut progressed = false;
        for (e, r) in &resources {
            if paths.contains_key(&e.key) {
                continue;
            }
            let p = r.get("Properties").unwrap_or(r);
            let parent = match p.get("ParentId").and_then(Template::target) {
                Some((pid, Some(attr))) if pid == id && attr == "RootResourceId" => {
                    Some(Ok(("".to_string(), r.span)))
                }
                Some((pid, None)) => paths.get(&pid).cloned(),
                _ => Some(Err(Unknown {
                    field: "Resource.ParentId".into(),
                    reason: "the parent is not a resource of this API".into(),
                    span: p.get("ParentId").map_or(r.span, |v| v.span),
                })),
            };
            let Some(parent) = parent else { continue };
            let part = p
                .get("PathPart")
                .map(|v| ctx.string(v, "Resource.PathPart"));
            let path = match (parent, part) {
                (Err(u), _) => Err(u),
                (Ok((pp, _)), Some(Field::Known { value, span })) => {
                    Ok((format!("{pp}/{value}"), span))
                }
                (Ok(_), Some(Field::Unknown(u))) => Err(u),
                (Ok(_), None) => Err(Unknown {
                    field: "Resource.PathPart".into(),
                    reason: "PathPart is required".into(),
                    span: r.span,
                }),
            };
            paths.insert(e.key.clone(), path);
            progressed = true;
        }
        if !progressed {
            break;
        }
    }

    for (e, r) in t.of_type("AWS::ApiGateway::Method") {
        if !mine(r) {
            continue;
        }
        let p = r.get("Properties").unwrap_or(r);
        let (path, path_span) = match p.get("ResourceId").and_then(Template::target) {
            Some((rid, Some(attr))) if rid == id && attr == "RootResourceId" => (
                "/".to_string(),
                p.get("ResourceId").map_or(r.span, |v| v.span),
            ),
            Some((rid, None)) => match paths.get(&rid) {
                Some(Ok((path, span))) => (path.clone(), *span),
                Some(Err(u)) => {
                    model.unknown_routes.push(u.clone());
                    continue;
                }
                None => {
                    return Err(invalid(
                        ctx.source,
                        p.get("ResourceId").map_or(r.span, |v| v.span),
                        format!(
                            "`{rid}` is not an AWS::ApiGateway::Resource of {id} (or its parents loop)"
                        ),
                        "point ResourceId at a Resource of this API or at its RootResourceId",
                    ));
                }
            },
            _ => {
                model.unknown_routes.push(Unknown {
                    field: "Method.ResourceId".into(),
                    reason: "the resource is not named by Ref or Fn::GetAtt in this template"
                        .into(),
                    span: p.get("ResourceId").map_or(r.span, |v| v.span),
                });
                continue;
            }
        };
        let method = match p
            .get("HttpMethod")
            .map(|v| ctx.string(v, "Method.HttpMethod"))
        {
            Some(Field::Known { value, .. }) => value.to_ascii_uppercase(),
            Some(Field::Unknown(u)) => {
                model.unknown_routes.push(u);
                continue;
            }
            None => {
                return Err(invalid(
                    ctx.source,
                    e.key_span,
                    format!("the method {} has no HttpMethod", e.key),
                    "set HttpMethod (GET, POST, …, ANY)",
                ));
            }
        };
        let authorizer = authorizer_ref(
            ctx,
            model,
            p.get("AuthorizerId"),
            "AWS::ApiGateway::Authorizer",
        )?;
        let auth = auth_type(ctx, p.get("AuthorizationType"), r.span);
        model.routes.push(Route {
            method,
            path,
            path_span,
            span: r.span,
            auth,
            authorizer,
            api_key_required: p
                .get("ApiKeyRequired")
                .map_or(Field::known(false, r.span), |v| {
                    ctx.boolean(v, "Method.ApiKeyRequired")
                }),
            integration: p.get("Integration").is_some(),
        });
        if model.routes.last().is_some_and(|r| r.method == "OPTIONS")
            && !model
                .cors
                .iter()
                .any(|c| c.from == CorsFrom::OptionsMethods)
        {
            model.cors.push(CorsHint {
                from: CorsFrom::OptionsMethods,
                span: r.span,
            });
        }
    }
    for u in paths.values() {
        if let Err(u) = u
            && !model.unknown_routes.contains(u)
        {
            model.unknown_routes.push(u.clone());
        }
    }

    for (e, r) in t.of_type("AWS::ApiGateway::GatewayResponse") {
        if !mine(r) {
            continue;
        }
        let p = r.get("Properties").unwrap_or(r);
        let rt = p.get("ResponseType").map_or_else(
            || {
                ctx.unknown(
                    "GatewayResponse.ResponseType",
                    "ResponseType is required".into(),
                    e.key_span,
                )
            },
            |v| ctx.string(v, "GatewayResponse.ResponseType"),
        );
        let gr = openapi::gateway_response(
            ctx,
            rt,
            r.span,
            p.get("StatusCode"),
            p.get("ResponseParameters"),
            p.get("ResponseTemplates"),
        );
        model.gateway_responses.push(gr);
    }

    for ty in ["AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment"] {
        for (_, r) in t.of_type(ty) {
            if !mine(r) {
                continue;
            }
            let p = r.get("Properties").unwrap_or(r);
            let Some(name) = p.get("StageName") else {
                continue;
            };
            model.stages.push(Stage {
                name: ctx.string(name, "Stage.StageName"),
                variables: variables(ctx, p.get("Variables")),
                span: r.span,
                hint: false,
            });
        }
    }
    Ok(())
}

fn variables(ctx: &Ctx, v: Option<&Val>) -> Vec<StageVariable> {
    v.map(|m| {
        m.entries()
            .iter()
            .map(|e| StageVariable {
                name: e.key.clone(),
                value: ctx.string(&e.value, "Stage.Variables"),
            })
            .collect()
    })
    .unwrap_or_default()
}

fn auth_type(ctx: &Ctx, v: Option<&Val>, default_span: Span) -> Field<AuthType> {
    match v.map(|v| ctx.string(v, "AuthorizationType")) {
        None => Field::known(AuthType::None, default_span),
        Some(Field::Known { value, span }) => match AuthType::parse(&value) {
            Some(a) => Field::known(a, span),
            None => ctx.unknown(
                "AuthorizationType",
                format!("`{value}` is not an authorization type"),
                span,
            ),
        },
        Some(Field::Unknown(u)) => Field::Unknown(u),
    }
}

/// `AuthorizerId: {Ref: X}` → the authorizer X of this API; anything else is an error.
fn authorizer_ref(
    ctx: &Ctx,
    model: &ApiModel,
    v: Option<&Val>,
    ty: &str,
) -> Result<Option<AuthorizerRef>, InputError> {
    let Some(v) = v else { return Ok(None) };
    let Some((name, None)) = Template::target(v) else {
        return Ok(Some(AuthorizerRef {
            name: "?".into(),
            span: v.span,
            index: None,
        }));
    };
    match model.authorizers.iter().position(|a| a.name == name) {
        Some(i) => Ok(Some(AuthorizerRef {
            name,
            span: v.span,
            index: Some(i),
        })),
        None => Err(invalid(
            ctx.source,
            v.span,
            format!("`{name}` is not an {ty} of this API"),
            "point AuthorizerId at an authorizer defined for this API",
        )),
    }
}

fn read_http(ctx: &Ctx, t: &Template, id: &str, model: &mut ApiModel) -> Result<(), InputError> {
    let props = t.resources[id].get("Properties");
    if let Some(c) = props.and_then(|p| p.get("CorsConfiguration")) {
        model.cors.push(CorsHint {
            from: CorsFrom::HttpApiConfig,
            span: c.span,
        });
    }
    if let Some(target) = props.and_then(|p| p.get("Target")) {
        // Quick create: a `$default` route to the target.
        model.routes.push(Route {
            method: "ANY".into(),
            path: "$default".into(),
            path_span: target.span,
            span: target.span,
            auth: Field::known(AuthType::None, target.span),
            authorizer: None,
            api_key_required: Field::known(false, target.span),
            integration: true,
        });
    }
    let mine = |r: &Val| refers_to(r.get("Properties").and_then(|p| p.get("ApiId")), id);
    for (e, r) in t.of_type("AWS::ApiGatewayV2::Authorizer") {
        if !mine(r) {
            continue;
        }
        let p = r.get("Properties").unwrap_or(r);
        let kind = match p
            .get("AuthorizerType")
            .map(|v| ctx.string(v, "AuthorizerType"))
        {
            Some(Field::Known { value, span }) => match value.to_ascii_uppercase().as_str() {
                "REQUEST" => Field::known(AuthorizerKind::Request, span),
                "JWT" => Field::known(AuthorizerKind::Jwt, span),
                _ => ctx.unknown(
                    "AuthorizerType",
                    format!("`{value}` is not REQUEST or JWT"),
                    span,
                ),
            },
            Some(Field::Unknown(u)) => Field::Unknown(u),
            None => ctx.unknown(
                "AuthorizerType",
                "AuthorizerType is required".into(),
                r.span,
            ),
        };
        model.authorizers.push(Authorizer {
            name: e.key.clone(),
            span: r.span,
            kind,
            identity_sources: p
                .get("IdentitySource")
                .map(|v| ctx.identity_sources(v, "Authorizer.IdentitySource")),
            validation_expression: None,
            ttl: p
                .get("AuthorizerResultTtlInSeconds")
                .map(|v| ctx.number(v, "AuthorizerResultTtlInSeconds")),
            simple_responses: p
                .get("EnableSimpleResponses")
                .map(|v| ctx.boolean(v, "EnableSimpleResponses")),
            payload_format: p
                .get("AuthorizerPayloadFormatVersion")
                .map(|v| ctx.string(v, "AuthorizerPayloadFormatVersion")),
        });
    }
    for (_, r) in t.of_type("AWS::ApiGatewayV2::Route") {
        if !mine(r) {
            continue;
        }
        let p = r.get("Properties").unwrap_or(r);
        let Some(key) = p.get("RouteKey") else {
            continue;
        };
        let (method, path) = match ctx.string(key, "Route.RouteKey") {
            Field::Known { value, .. } if value == "$default" => ("ANY".to_string(), value),
            Field::Known { value, span } => match value.split_once(' ') {
                Some((m, p)) => (m.to_ascii_uppercase(), p.to_string()),
                None => {
                    return Err(invalid(
                        ctx.source,
                        span,
                        format!("`{value}` is not a route key (`METHOD /path` or `$default`)"),
                        "write the route key as `GET /things`",
                    ));
                }
            },
            Field::Unknown(u) => {
                model.unknown_routes.push(u);
                continue;
            }
        };
        let authorizer = authorizer_ref(
            ctx,
            model,
            p.get("AuthorizerId"),
            "AWS::ApiGatewayV2::Authorizer",
        )?;
        model.routes.push(Route {
            method,
            path,
            path_span: key.span,
            span: r.span,
            auth: auth_type(ctx, p.get("AuthorizationType"), r.span),
            authorizer,
            api_key_required: Field::known(false, r.span),
            integration: p.get("Target").is_some(),
        });
    }
    for (_, r) in t.of_type("AWS::ApiGatewayV2::Stage") {
        if !mine(r) {
            continue;
        }
        let p = r.get("Properties").unwrap_or(r);
        let Some(name) = p.get("StageName") else {
            continue;
        };
        model.stages.push(Stage {
            name: ctx.string(name, "Stage.StageName"),
            variables: variables(ctx, p.get("StageVariables")),
            span: r.span,
            hint: false,
        });
    }
    Ok(())
}

/// Usage plans that cover this API, their keys, and the keys' state.
fn check_usage(ctx: &Ctx, t: &Template, id: &str, model: &mut ApiModel) {
    if model.kind != ApiKind::Rest {
        return;
    }
    let plan_keys: Vec<(String, String)> = t
        .of_type("AWS::ApiGateway::UsagePlanKey")
        .iter()
        .filter_map(|(_, r)| {
            let p = r.get("Properties")?;
            let key = Template::target(p.get("KeyId")?)?.0;
            let plan = Template::target(p.get("UsagePlanId")?)?.0;
            Some((plan, key))
        })
        .collect();
    for (e, r) in t.of_type("AWS::ApiGateway::UsagePlan") {
        let p = r.get("Properties").unwrap_or(r);
        let stages: Vec<(Field<String>, Field<String>)> = p
            .get("ApiStages")
            .map(|s| s.items())
            .unwrap_or_default()
            .iter()
            .filter(|s| refers_to(s.get("ApiId"), id))
            .map(|s| {
                let api = s.get("ApiId").expect("filtered on ApiId");
                let stage = s.get("Stage").map_or_else(
                    || {
                        ctx.unknown(
                            "UsagePlan.ApiStages.Stage",
                            "Stage is missing".into(),
                            s.span,
                        )
                    },
                    |v| stage_name(ctx, t, v),
                );
                (Field::known(id.to_string(), api.span), stage)
            })
            .collect();
        if stages.is_empty() {
            continue;
        }
        model.usage_plans.push(UsagePlan {
            name: e.key.clone(),
            stages,
            keys: plan_keys
                .iter()
                .filter(|(plan, _)| *plan == e.key)
                .map(|(_, k)| k.clone())
                .collect(),
            span: r.span,
        });
    }
    for (e, r) in t.of_type("AWS::ApiGateway::ApiKey") {
        let p = r.get("Properties");
        model.api_keys.push(ApiKey {
            name: e.key.clone(),
            enabled: p
                .and_then(|p| p.get("Enabled"))
                .map(|v| ctx.boolean(v, "ApiKey.Enabled")),
            value: p
                .and_then(|p| p.get("Value"))
                .map(|v| ctx.string(v, "ApiKey.Value")),
            span: r.span,
        });
    }
    if model.api_keys.iter().any(|k| k.value.is_none()) {
        let span = model
            .api_keys
            .iter()
            .find(|k| k.value.is_none())
            .map(|k| k.span);
        model.note(
            "api-key-value-generated",
            Severity::Info,
            "an ApiKey without Value gets a generated value at deploy time: give it in the facts file",
            span,
        );
    }
}

/// A usage plan's stage: a name, or `Ref` to a Stage resource (its StageName).
fn stage_name(ctx: &Ctx, t: &Template, v: &Val) -> Field<String> {
    if let Some((sid, None)) = Template::target(v)
        && t.resource_type(&sid) == Some("AWS::ApiGateway::Stage")
        && let Some(n) = t.resources[sid.as_str()]
            .get("Properties")
            .and_then(|p| p.get("StageName"))
    {
        return ctx.string(n, "Stage.StageName");
    }
    ctx.string(v, "UsagePlan.ApiStages.Stage")
}
