//! API definitions: OpenAPI / Swagger exports, CloudFormation (incl. `cdk synth`) and SAM
//! templates, read into one [`ApiModel`] whose every element keeps its span in the file.

mod model;
mod tree;

pub use model::{
    ApiKey, ApiKeySource, ApiKind, ApiModel, AuthType, Authorizer, AuthorizerKind, AuthorizerRef,
    CorsFrom, CorsHint, EndpointType, Field, Format, GatewayResponse, IdentitySource, Note,
    ResourcePolicy, ResponseParameter, ResponseTemplate, Route, Severity, SourceKind, Stage,
    StageVariable, Unknown, UsagePlan,
};
