//! The one model every API-definition reader produces (OpenAPI, CloudFormation, SAM).
//!
//! Every element keeps the [`Span`] of where it was read in the definition file, so the
//! pipeline and lint can label the route, the authorizer's identity source or the gateway
//! response that decided an answer. A value the reader could not know offline (a parameter
//! without a default, `Fn::ImportValue`, an S3 body) is a [`Field::Unknown`] with the span of
//! the expression: never a guess.

use crate::source::Source;
use crate::span::Span;

/// A value read from the definition: known, or unknown offline (with why and where).
#[derive(Debug, Clone, PartialEq)]
pub enum Field<T> {
    /// The value, with the span of the node it came from.
    Known {
        /// The value.
        value: T,
        /// Where it was read.
        span: Span,
    },
    /// A value that depends on something the file does not say.
    Unknown(Unknown),
}

impl<T> Field<T> {
    /// A known value at `span`.
    pub fn known(value: T, span: Span) -> Self {
        Field::Known { value, span }
    }

    /// The value, when known.
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Known { value, .. } => Some(value),
            Field::Unknown(_) => None,
        }
    }

    /// Where the value (or the expression that hides it) is.
    pub fn span(&self) -> Span {
        match self {
            Field::Known { span, .. } => *span,
            Field::Unknown(u) => u.span,
        }
    }

    /// Why the value is unknown, when it is.
    pub fn unknown(&self) -> Option<&Unknown> {
        match self {
            Field::Known { .. } => None,
            Field::Unknown(u) => Some(u),
        }
    }

    /// Applies `f` to a known value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Known { value, span } => Field::Known {
                value: f(value),
                span,
            },
            Field::Unknown(u) => Field::Unknown(u),
        }
    }
}

/// Why a field's value cannot be known offline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// The field, as the user would name it (`Stage.StageName`, `Authorizer.IdentitySource`).
    pub field: String,
    /// What hides it (`Ref to parameter Stage, which has no Default`, `Fn::ImportValue`).
    pub reason: String,
    /// The expression in the file.
    pub span: Span,
}

/// Which API Gateway product the definition describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKind {
    /// A REST API (API Gateway v1).
    Rest,
    /// An HTTP API (API Gateway v2, `ProtocolType: HTTP`).
    Http,
}

/// The format the definition was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// OpenAPI 3.0 / 3.1.
    OpenApi3,
    /// Swagger 2.0.
    Swagger2,
    /// A CloudFormation template (including `cdk synth` output).
    CloudFormation,
    /// A SAM template (`Transform: AWS::Serverless-2016-10-31`).
    Sam,
}

/// The endpoint type, which decides whether CloudFront sits in front (edge-optimized).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndpointType {
    /// Edge-optimized (the REST default when nothing says otherwise).
    Edge,
    /// Regional.
    Regional,
    /// Private (reached through a VPC endpoint).
    Private,
}

impl EndpointType {
    /// Parses `EDGE` / `REGIONAL` / `PRIVATE` (case-insensitive).
    pub fn parse(s: &str) -> Option<EndpointType> {
        match s.to_ascii_uppercase().as_str() {
            "EDGE" => Some(EndpointType::Edge),
            "REGIONAL" => Some(EndpointType::Regional),
            "PRIVATE" => Some(EndpointType::Private),
            _ => None,
        }
    }
}

/// A method's authorization type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthType {
    /// Open (`NONE`).
    None,
    /// A Lambda authorizer (`CUSTOM`).
    Custom,
    /// SigV4 (`AWS_IAM`).
    AwsIam,
    /// A Cognito user pool authorizer (REST).
    CognitoUserPools,
    /// A JWT authorizer (HTTP API).
    Jwt,
}

impl AuthType {
    /// The name API Gateway uses (`NONE`, `CUSTOM`, `AWS_IAM`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            AuthType::None => "NONE",
            AuthType::Custom => "CUSTOM",
            AuthType::AwsIam => "AWS_IAM",
            AuthType::CognitoUserPools => "COGNITO_USER_POOLS",
            AuthType::Jwt => "JWT",
        }
    }

    /// Parses an `AuthorizationType` value (case-insensitive).
    pub fn parse(s: &str) -> Option<AuthType> {
        match s.to_ascii_uppercase().as_str() {
            "NONE" => Some(AuthType::None),
            "CUSTOM" => Some(AuthType::Custom),
            "AWS_IAM" => Some(AuthType::AwsIam),
            "COGNITO_USER_POOLS" => Some(AuthType::CognitoUserPools),
            "JWT" => Some(AuthType::Jwt),
            _ => None,
        }
    }
}

/// Where a REST API reads the API key from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKeySource {
    /// The `X-API-Key` header (the default).
    Header,
    /// The authorizer output's `usageIdentifierKey`.
    Authorizer,
}

/// One route: a method on a path template (REST resource + method, or an HTTP API route).
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The method, upper case: `GET`, …, or `ANY`.
    pub method: String,
    /// The path template (`/things/{id}`, `/{proxy+}`, `/`), or `$default` for the HTTP API
    /// default route.
    pub path: String,
    /// Where the path (resource, `PathPart`, route key) is written.
    pub path_span: Span,
    /// The whole operation / Method resource / Route resource.
    pub span: Span,
    /// The authorization type.
    pub auth: Field<AuthType>,
    /// The authorizer the route names, when it names one.
    pub authorizer: Option<AuthorizerRef>,
    /// Whether the method requires an API key (REST only; `false` when unstated).
    pub api_key_required: Field<bool>,
    /// Whether the file gives the route an integration (`x-amazon-apigateway-integration`,
    /// `Integration`, `Target`, a SAM function event).
    pub integration: bool,
}

impl Route {
    /// `GET /things/{id}`, or `$default`.
    pub fn key(&self) -> String {
        if self.path == "$default" {
            "$default".to_string()
        } else {
            format!("{} {}", self.method, self.path)
        }
    }
}

/// A route's reference to an authorizer.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorizerRef {
    /// The name (OpenAPI scheme, logical id, SAM authorizer name).
    pub name: String,
    /// Where the reference is written.
    pub span: Span,
    /// The index into [`ApiModel::authorizers`]; `None` when the reference is unresolved
    /// (a note says so) or unknown offline.
    pub index: Option<usize>,
}

/// What kind of authorizer it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthorizerKind {
    /// REST Lambda TOKEN authorizer.
    Token,
    /// Lambda REQUEST authorizer (REST, or an HTTP API Lambda authorizer).
    Request,
    /// HTTP API JWT authorizer.
    Jwt,
    /// REST Cognito user pool authorizer.
    Cognito,
}

/// Where an identity source reads its value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// A request header (names compared case-insensitively).
    Header(String),
    /// A query-string parameter (case-sensitive).
    Query(String),
    /// A stage variable.
    StageVariable(String),
    /// A context variable (`identity.sourceIp`, `routeKey`, …).
    Context(String),
}

/// One parsed identity source.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentitySource {
    /// What it reads.
    pub kind: SourceKind,
    /// The expression as written (`method.request.header.Authorization`,
    /// `$request.header.Authorization`).
    pub raw: String,
    /// Where it is written (the whole string when the span of one item is not exact).
    pub span: Span,
}

impl IdentitySource {
    /// Parses one REST (`method.request.header.X`, `method.request.querystring.X`,
    /// `stageVariables.X`, `context.X`) or HTTP API (`$request.header.X`,
    /// `$request.querystring.X`, `$stageVariables.X`, `$context.X`) expression.
    ///
    /// ```
    /// use policy_check::apidef::{IdentitySource, SourceKind};
    /// use policy_check::Span;
    /// let s = IdentitySource::parse("$request.header.Authorization", Span::default()).unwrap();
    /// assert_eq!(s.kind, SourceKind::Header("Authorization".into()));
    /// assert!(IdentitySource::parse("header.X", Span::default()).is_none());
    /// ```
    pub fn parse(raw: &str, span: Span) -> Option<IdentitySource> {
        let t = raw.trim();
        type Make = fn(String) -> SourceKind;
        let prefixes: [(&str, Make); 8] = [
            ("method.request.header.", SourceKind::Header),
            ("method.request.querystring.", SourceKind::Query),
            ("stageVariables.", SourceKind::StageVariable),
            ("context.", SourceKind::Context),
            ("$request.header.", SourceKind::Header),
            ("$request.querystring.", SourceKind::Query),
            ("$stageVariables.", SourceKind::StageVariable),
            ("$context.", SourceKind::Context),
        ];
        prefixes.iter().find_map(|(p, make)| {
            let name = t.strip_prefix(p)?;
            (!name.is_empty()).then(|| IdentitySource {
                kind: make(name.to_string()),
                raw: t.to_string(),
                span,
            })
        })
    }
}

/// A Lambda (or JWT / Cognito) authorizer.
#[derive(Debug, Clone, PartialEq)]
pub struct Authorizer {
    /// Its name (OpenAPI scheme name, logical id, SAM name).
    pub name: String,
    /// The whole definition.
    pub span: Span,
    /// Token, request, JWT or Cognito.
    pub kind: Field<AuthorizerKind>,
    /// The identity sources, in order; `None` when none are configured (a REQUEST
    /// authorizer with TTL 0 may have none).
    pub identity_sources: Option<Field<Vec<IdentitySource>>>,
    /// TOKEN `identityValidationExpression`.
    pub validation_expression: Option<Field<String>>,
    /// `authorizerResultTtlInSeconds` as written; see [`Authorizer::ttl_seconds`].
    pub ttl: Option<Field<u64>>,
    /// HTTP API `enableSimpleResponses`.
    pub simple_responses: Option<Field<bool>>,
    /// HTTP API `authorizerPayloadFormatVersion` (`1.0` / `2.0`).
    pub payload_format: Option<Field<String>>,
}

impl Authorizer {
    /// The effective TTL: as written; absent means 300 on REST; absent is not documented
    /// for HTTP APIs (`None`). An unknown value gives `None` too.
    pub fn ttl_seconds(&self, kind: ApiKind) -> Option<u64> {
        match (&self.ttl, kind) {
            (Some(f), _) => f.value().copied(),
            (None, ApiKind::Rest) => Some(300),
            (None, ApiKind::Http) => None,
        }
    }
}

/// A stage, with its variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// Its name (`prod`, `$default`).
    pub name: Field<String>,
    /// Stage variables, in file order.
    pub variables: Vec<StageVariable>,
    /// Where the stage is defined.
    pub span: Span,
    /// True when only an OpenAPI export's `servers` / `basePath` suggests it (a hint: on
    /// import the base path is ignored by default).
    pub hint: bool,
}

/// One stage variable.
#[derive(Debug, Clone, PartialEq)]
pub struct StageVariable {
    /// The name.
    pub name: String,
    /// The value.
    pub value: Field<String>,
}

/// A customised gateway response (REST).
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayResponse {
    /// `DEFAULT_4XX`, `UNAUTHORIZED`, `ACCESS_DENIED`, …
    pub response_type: Field<String>,
    /// The status code, when customised (a string of digits).
    pub status: Option<Field<String>>,
    /// `responseParameters` (`gatewayresponse.header.X` → `'value'` or a request parameter).
    pub parameters: Vec<ResponseParameter>,
    /// `responseTemplates`: content type → template.
    pub templates: Vec<ResponseTemplate>,
    /// The whole definition.
    pub span: Span,
}

/// One `responseParameters` entry of a gateway response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseParameter {
    /// The target as written (`gatewayresponse.header.Access-Control-Allow-Origin`).
    pub target: String,
    /// The mapping expression (`'*'`, `method.request.header.Origin`).
    pub value: Field<String>,
    /// Where the entry is.
    pub span: Span,
}

impl ResponseParameter {
    /// The header name when the target is `gatewayresponse.header.X`.
    pub fn header(&self) -> Option<&str> {
        self.target.strip_prefix("gatewayresponse.header.")
    }
}

/// One `responseTemplates` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseTemplate {
    /// The content type (`application/json`).
    pub content_type: String,
    /// The template text.
    pub template: Field<String>,
    /// Where the entry is.
    pub span: Span,
}

/// The API's resource policy (REST), as JSON, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourcePolicy {
    /// The policy document. SAM's `Auth.ResourcePolicy` shorthand (accounts, IP ranges, VPCs)
    /// is lowered into statements the way the SAM translator does. Resources may use API
    /// Gateway's `execute-api:/stage/METHOD/path` short form, which API Gateway expands to
    /// the API's ARN on import.
    pub document: Field<serde_json::Value>,
    /// Where it is written.
    pub span: Span,
}

/// How the definition configures CORS, a hint for preflight and gateway-response lints.
#[derive(Debug, Clone, PartialEq)]
pub struct CorsHint {
    /// Where it is configured.
    pub from: CorsFrom,
    /// The configuration.
    pub span: Span,
}

/// Where a CORS configuration comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorsFrom {
    /// HTTP API `x-amazon-apigateway-cors` / `CorsConfiguration` / SAM `CorsConfiguration`:
    /// API Gateway answers preflights itself.
    HttpApiConfig,
    /// SAM `Cors` on a REST API (the translator adds `OPTIONS` methods).
    SamRestCors,
    /// `OPTIONS` methods written in the definition.
    OptionsMethods,
}

/// A usage plan (REST): which stages it covers, and which keys it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct UsagePlan {
    /// Logical id or name.
    pub name: String,
    /// `ApiStages` as (api, stage); an entry can be unknown.
    pub stages: Vec<(Field<String>, Field<String>)>,
    /// Logical ids of the API keys attached through `UsagePlanKey`.
    pub keys: Vec<String>,
    /// Where it is defined.
    pub span: Span,
}

/// An API key resource (REST). Its value is usually generated at deploy time: unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKey {
    /// Logical id.
    pub name: String,
    /// `Enabled` as written (`None`: absent).
    pub enabled: Option<Field<bool>>,
    /// `Value` as written (`None`: absent, generated by AWS).
    pub value: Option<Field<String>>,
    /// Where it is defined.
    pub span: Span,
}

/// How serious a reader's note is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Context for the user.
    Info,
    /// Something that changes or may change the answer.
    Warning,
}

/// Something the reader noticed: ignored fields, unknown values, unresolved references.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// A stable kebab-case code (`root-security-ignored`, `unknown-value`,
    /// `missing-authorizer`, `http-api-unsupported-extension`, …).
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// One line.
    pub message: String,
    /// Where, when anywhere.
    pub span: Option<Span>,
}

/// One API definition, whatever format it came from.
#[derive(Debug, Clone)]
pub struct ApiModel {
    /// The file (for miette labels).
    pub source: Source,
    /// The format it was read from.
    pub format: Format,
    /// The logical id in a template, or the OpenAPI `info.title`.
    pub name: Option<String>,
    /// REST or HTTP API.
    pub kind: ApiKind,
    /// The endpoint type when the file states it (REST default: edge-optimized).
    pub endpoint_type: Option<Field<EndpointType>>,
    /// The API id, when the file carries it (an export's server URL).
    pub api_id: Option<Field<String>>,
    /// The region, when the file carries it.
    pub region: Option<Field<String>>,
    /// Stages (from `Stage` resources, `StageName`, or an export's base path).
    pub stages: Vec<Stage>,
    /// Every route (method on a path), in file order.
    pub routes: Vec<Route>,
    /// Authorizers, referenced by [`AuthorizerRef::index`].
    pub authorizers: Vec<Authorizer>,
    /// Where the API key comes from (`None`: unstated, which means `HEADER`).
    pub api_key_source: Option<Field<ApiKeySource>>,
    /// Customised gateway responses.
    pub gateway_responses: Vec<GatewayResponse>,
    /// The resource policy.
    pub resource_policy: Option<ResourcePolicy>,
    /// CORS configuration hints.
    pub cors: Vec<CorsHint>,
    /// Usage plans.
    pub usage_plans: Vec<UsagePlan>,
    /// API keys.
    pub api_keys: Vec<ApiKey>,
    /// Unknown values that hide routes (a `PathPart` or route key behind an unresolvable
    /// intrinsic): a routing miss is then not certain.
    pub unknown_routes: Vec<Unknown>,
    /// Notes and warnings from reading.
    pub notes: Vec<Note>,
}

impl ApiModel {
    /// An empty model of `kind` read from `source` (readers fill it in).
    pub(crate) fn empty(source: Source, format: Format, kind: ApiKind) -> ApiModel {
        ApiModel {
            source,
            format,
            name: None,
            kind,
            endpoint_type: None,
            api_id: None,
            region: None,
            stages: Vec::new(),
            routes: Vec::new(),
            authorizers: Vec::new(),
            api_key_source: None,
            gateway_responses: Vec::new(),
            resource_policy: None,
            cors: Vec::new(),
            usage_plans: Vec::new(),
            api_keys: Vec::new(),
            unknown_routes: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The effective endpoint type: as stated, else edge-optimized for REST (the documented
    /// default) and regional for HTTP APIs (the only kind they have). `None` when the file
    /// states it through an unknown value.
    pub fn effective_endpoint_type(&self) -> Option<EndpointType> {
        match (&self.endpoint_type, self.kind) {
            (Some(f), _) => f.value().copied(),
            (None, ApiKind::Rest) => Some(EndpointType::Edge),
            (None, ApiKind::Http) => Some(EndpointType::Regional),
        }
    }

    /// The authorizer a route uses, when it names a resolved one.
    pub fn authorizer_of(&self, route: &Route) -> Option<&Authorizer> {
        self.authorizers.get(route.authorizer.as_ref()?.index?)
    }

    /// The gateway response of `response_type`, when customised.
    pub fn gateway_response(&self, response_type: &str) -> Option<&GatewayResponse> {
        self.gateway_responses
            .iter()
            .find(|g| g.response_type.value().is_some_and(|t| t == response_type))
    }

    /// The stage named `name`.
    pub fn stage(&self, name: &str) -> Option<&Stage> {
        self.stages
            .iter()
            .find(|s| s.name.value().is_some_and(|n| n == name))
    }

    /// Adds a note.
    pub(crate) fn note(
        &mut self,
        code: &'static str,
        severity: Severity,
        message: impl Into<String>,
        span: Option<Span>,
    ) {
        self.notes.push(Note {
            code,
            severity,
            message: message.into(),
            span,
        });
    }
}
