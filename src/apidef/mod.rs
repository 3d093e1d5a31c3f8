//! API definitions: OpenAPI / Swagger exports, CloudFormation (incl. `cdk synth`) and SAM
//! templates, read into one [`ApiModel`] whose every element keeps its span in the file,
//! and the routing API Gateway does over it ([`Router`]).
//!
//! ```
//! use policy_check::Source;
//! use policy_check::apidef::{self, RouteMatch};
//! let text = r#"{"openapi": "3.0.1", "paths": {"/things/{id}": {"get": {}}}}"#;
//! let api = apidef::load(Source::new("api.json", text), None).unwrap();
//! let router = apidef::Router::new(&api);
//! match router.find("GET", "/things/42") {
//!     RouteMatch::Found(m) => assert_eq!(api.routes[m.route].path, "/things/{id}"),
//!     other => panic!("{other:?}"),
//! }
//! ```

mod cfn;
mod model;
mod openapi;
mod read;
mod route;
mod sam;
mod tree;

/// Reads a YAML (or JSON) document into a spanned JSON [`Node`](crate::source::Node), with
/// the definitions' limits on nesting and aliases: for small side files such as facts.
pub(crate) fn parse_yaml_node(source: &Source) -> Result<crate::source::Node, InputError> {
    tree::parse(source).map(|v| v.to_node())
}

pub use model::{
    ApiKey, ApiKeySource, ApiKind, ApiModel, AuthType, Authorizer, AuthorizerKind, AuthorizerRef,
    CorsFrom, CorsHint, EndpointType, Field, Format, GatewayResponse, IdentitySource, Note,
    ResourcePolicy, ResponseParameter, ResponseTemplate, Route, Severity, SourceKind, Stage,
    StageVariable, Unknown, UsagePlan,
};
pub use route::{Found, Miss, RouteMatch, RouteRow, Router, routes};

use crate::source::{InputError, Source};

/// Which format a definition is in, decided from its content: `openapi` / `swagger` keys →
/// OpenAPI; `Transform: AWS::Serverless-2016-10-31` → SAM; `Resources` → CloudFormation.
///
/// ```
/// use policy_check::Source;
/// use policy_check::apidef::{detect, Format};
/// let src = Source::new("t.yaml", "Transform: AWS::Serverless-2016-10-31\nResources: {}\n");
/// assert_eq!(detect(&src).unwrap(), Format::Sam);
/// ```
pub fn detect(source: &Source) -> Result<Format, InputError> {
    let root = tree::parse(source)?;
    format_of(source, &root)
}

fn format_of(source: &Source, root: &tree::Val) -> Result<Format, InputError> {
    if let Some(f) = openapi::format_of(root) {
        Ok(f)
    } else if sam::is_sam(root) {
        Ok(Format::Sam)
    } else if root.get("Resources").is_some_and(tree::Val::is_map) {
        Ok(Format::CloudFormation)
    } else {
        let span = root.entries().first().map_or(root.span, |e| e.key_span);
        Err(read::invalid(
            source,
            span,
            "not an API definition: no `openapi` / `swagger` key and no CloudFormation `Resources`"
                .into(),
            "pass an OpenAPI / Swagger document or a CloudFormation / SAM template",
        ))
    }
}

/// Reads an API definition (JSON or YAML; OpenAPI, CloudFormation or SAM) into an
/// [`ApiModel`]. `api_name` picks the API of a template holding several (its logical id);
/// without it such a template is an error listing them. Errors are exit-2 material with a
/// span into the file.
pub fn load(source: Source, api_name: Option<&str>) -> Result<ApiModel, InputError> {
    let root = tree::parse(&source)?;
    match format_of(&source, &root)? {
        format @ (Format::OpenApi3 | Format::Swagger2) => {
            let mut model = ApiModel::empty(source.clone(), format, openapi::kind_of(&root));
            let ctx = read::Ctx {
                resolver: &read::Plain,
                source: &source,
            };
            openapi::read_into(&root, &ctx, &mut model)?;
            Ok(model)
        }
        Format::Sam => {
            let t = cfn::Template::new(&root);
            let id = cfn::choose(&source, &root, sam::api_ids(&t), api_name)?;
            sam::read(&source, &root, &t, &id)
        }
        Format::CloudFormation => {
            let t = cfn::Template::new(&root);
            let id = cfn::choose(&source, &root, cfn::api_ids(&t), api_name)?;
            cfn::read(&source, &t, &id)
        }
    }
}

#[cfg(test)]
mod tests;
