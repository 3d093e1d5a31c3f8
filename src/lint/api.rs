//! Rules that need the API definition (`policy-check lint --api API_FILE`): authorizer
//! outputs read against the API's routes and authorizers ([`lint_with_api`]), and the
//! definition itself ([`lint_definition`], findings whose spans point into the definition).
//! The facts behind each rule are in reference/pipeline.md §2 and §5.8.
//!
//! The table is declared here whatever the features, so the rule list and docs/lint.md do
//! not change with them; the checks need `apidef` (feature `api`).

#[cfg(feature = "api")]
mod definition;
#[cfg(feature = "api")]
mod output;

#[cfg(feature = "api")]
pub use definition::lint_definition;
#[cfg(feature = "api")]
pub use output::lint_with_api;

rules! {
    family: Api;

    /// ## What it does
    /// With `--api`, reports a Resource entry of the authorizer's policy that no route of
    /// the API can produce: for the API id it names (when the definition carries the API id
    /// and the entry names another, or a part of the routes is unknown offline, nothing is
    /// claimed).
    ///
    /// ## Why it matters
    /// Method ARNs carry the verb and path of a real route. An entry that matches none of
    /// them allows (or denies) nothing: usually a path renamed in the API and not in the
    /// authorizer, or a typo.
    ///
    /// ## Example
    /// The definition:
    /// ```yaml
    /// openapi: 3.0.1
    /// paths:
    ///   /things:
    ///     get:
    ///       security: [{MyAuth: []}]
    /// components:
    ///   securitySchemes:
    ///     MyAuth: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom,
    ///       x-amazon-apigateway-authorizer: {type: token, authorizerResultTtlInSeconds: 0}}
    /// ```
    /// and an output of its authorizer:
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/thing"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Use the route's path (`…/prod/GET/things`), with `*` for path parameters.
    pub static POLICY_MATCHES_NO_ROUTE = ("PC060", "policy-matches-no-route", Warning, "a Resource entry that matches no route of the API");

    /// ## What it does
    /// With `--api`, reports an output that allows only the exact method ARN of the request
    /// when the API's Lambda authorizers cache their result (TTL above 0; an absent TTL is
    /// 300 s on a REST API), and names a second request that the cached policy refuses.
    /// It replaces PC054 (single-method-arn) when the definition is known; with every TTL at
    /// 0 neither is reported.
    ///
    /// ## Why it matters
    /// API Gateway reuses the cached policy for the same token on every route behind the
    /// authorizer; the single ARN matches none but the first, and the caller gets 403 "User
    /// is not authorized to access this resource" until the TTL ends (AWS Knowledge Center).
    /// Local emulators re-invoke the authorizer per request, so it never shows locally.
    ///
    /// ## Example
    /// The definition:
    /// ```yaml
    /// openapi: 3.0.1
    /// paths:
    ///   /things:
    ///     get:
    ///       security: [{MyAuth: []}]
    ///     post:
    ///       security: [{MyAuth: []}]
    /// components:
    ///   securitySchemes:
    ///     MyAuth: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom,
    ///       x-amazon-apigateway-authorizer: {type: token}}
    /// ```
    /// and an output of its authorizer:
    /// ```json
    /// {"principalId": "user", "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/things"}
    /// ]}}
    /// ```
    ///
    /// ## Fix
    /// Allow every route the caller may use (`…:abc123/prod/*`), or set the authorizer's
    /// `authorizerResultTtlInSeconds` to 0.
    pub static CACHE_TRAP = ("PC061", "cache-trap", Warning, "the output allows only the exact method ARN while the authorizer caches it");

    /// ## What it does
    /// Reports a REST API with a `/{proxy+}` resource and no method on `/`.
    ///
    /// ## Why it matters
    /// `/{proxy+}` never matches the root path: `GET /` gets 403 "Missing Authentication
    /// Token" although the proxy looks like a catch-all.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.1
    /// paths:
    ///   /{proxy+}:
    ///     x-amazon-apigateway-any-method: {}
    /// ```
    ///
    /// ## Fix
    /// Add the same method on `/` (in SAM, a second event with `Path: /`).
    pub static PROXY_WITHOUT_ROOT = ("PC062", "proxy-without-root", Warning, "/{proxy+} without a method on /, which it never matches");

    /// ## What it does
    /// Reports a CORS preflight that has to pass an authorizer: an `OPTIONS` method with
    /// authorization (as SAM creates when `AddDefaultAuthorizerToCorsPreflight` is left at
    /// its default), or an HTTP API `$default` route with an authorizer and neither CORS
    /// configuration nor an `OPTIONS /{proxy+}` route.
    ///
    /// ## Why it matters
    /// Browsers send preflights without credentials, so the authorizer answers 401 and the
    /// browser reports a CORS error for every cross-origin call.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.1
    /// paths:
    ///   /things:
    ///     options:
    ///       security: [{MyAuth: []}]
    /// components:
    ///   securitySchemes:
    ///     MyAuth: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom,
    ///       x-amazon-apigateway-authorizer: {type: token}}
    /// ```
    ///
    /// ## Fix
    /// Make `OPTIONS` methods open (`security: []`; in SAM `AddDefaultAuthorizerToCorsPreflight:
    /// false`), or for an HTTP API configure CORS or add an open `OPTIONS /{proxy+}` route.
    pub static PREFLIGHT_BEHIND_AUTHORIZER = ("PC063", "preflight-behind-authorizer", Warning, "a CORS preflight (OPTIONS) that must pass an authorizer");

    /// ## What it does
    /// Reports a REST API that uses CORS while its gateway responses carry no
    /// `Access-Control-Allow-Origin` header: `DEFAULT_4XX` absent or without it, or a
    /// customised response without it.
    ///
    /// ## Why it matters
    /// Gateway responses (401, 403, 500 from API Gateway itself) do not get the methods'
    /// CORS headers, so the browser hides the real error behind a "CORS error".
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.1
    /// paths:
    ///   /things:
    ///     options: {}
    ///     get: {}
    /// x-amazon-apigateway-gateway-responses:
    ///   UNAUTHORIZED:
    ///     statusCode: 401
    /// ```
    ///
    /// ## Fix
    /// Add `gatewayresponse.header.Access-Control-Allow-Origin` to `DEFAULT_4XX` and
    /// `DEFAULT_5XX`, and to every customised response.
    pub static GATEWAY_RESPONSES_MISSING_CORS = ("PC064", "gateway-responses-missing-cors", Warning, "gateway responses without CORS headers on an API that uses CORS");

    /// ## What it does
    /// Reports an OpenAPI root-level `security` in a REST API definition.
    ///
    /// ## Why it matters
    /// REST API import ignores it: the methods get no authorizer and are open to anyone.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.1
    /// security: [{MyAuth: []}]
    /// paths:
    ///   /things:
    ///     get: {}
    /// components:
    ///   securitySchemes:
    ///     MyAuth: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom,
    ///       x-amazon-apigateway-authorizer: {type: token}}
    /// ```
    ///
    /// ## Fix
    /// Put `security` on each operation.
    pub static ROOT_SECURITY_IGNORED = ("PC065", "root-security-ignored", Warning, "root-level security, which REST APIs ignore");

    /// ## What it does
    /// Reports a method that requires an API key while the API reads keys from the
    /// authorizer (`x-amazon-apigateway-api-key-source: AUTHORIZER`) and the method has no
    /// Lambda authorizer.
    ///
    /// ## Why it matters
    /// With the AUTHORIZER source the key is the authorizer output's `usageIdentifierKey`;
    /// without an authorizer no key can arrive, and every request gets 403 Forbidden.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.1
    /// x-amazon-apigateway-api-key-source: AUTHORIZER
    /// paths:
    ///   /things:
    ///     get:
    ///       security: [{api_key: []}]
    /// components:
    ///   securitySchemes:
    ///     api_key: {type: apiKey, name: x-api-key, in: header}
    /// ```
    ///
    /// ## Fix
    /// Give the method a Lambda authorizer that returns `usageIdentifierKey`, or use the
    /// `HEADER` key source.
    pub static API_KEY_SOURCE_WITHOUT_AUTHORIZER = ("PC066", "api-key-source-authorizer-without-authorizer", Error, "an API key required from the authorizer on a method without one");

    /// ## What it does
    /// Reports a TOKEN authorizer's `identityValidationExpression` that is not anchored as
    /// `^…$`.
    ///
    /// ## Why it matters
    /// Whether API Gateway requires the regex to match the whole header value or only part
    /// of it is undocumented; an unanchored expression makes the answer (401 without
    /// invoking the authorizer, or not) depend on it.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.1
    /// paths:
    ///   /things:
    ///     get:
    ///       security: [{MyAuth: []}]
    /// components:
    ///   securitySchemes:
    ///     MyAuth: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom,
    ///       x-amazon-apigateway-authorizer: {type: token, identityValidationExpression: "Bearer .+"}}
    /// ```
    ///
    /// ## Fix
    /// Anchor it: `^Bearer .+$`.
    pub static IDENTITY_REGEX_ANCHORING = ("PC067", "identity-regex-anchoring", Warning, "an identity validation regex without ^…$, whose anchoring is undocumented");

    /// ## What it does
    /// Reports gateway responses or a resource policy in an HTTP API definition.
    ///
    /// ## Why it matters
    /// HTTP APIs support neither: API Gateway ignores them, so the customised answers and the
    /// access restrictions the file seems to set do not exist.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.1
    /// x-amazon-apigateway-importexport-version: "1.0"
    /// paths:
    ///   /things:
    ///     get: {}
    /// x-amazon-apigateway-policy:
    ///   Version: "2012-10-17"
    ///   Statement: []
    /// ```
    ///
    /// ## Fix
    /// Remove them; restrict access with an authorizer, and shape errors in it or in the
    /// integration.
    pub static HTTP_API_UNSUPPORTED_EXTENSION = ("PC068", "http-api-unsupported-extension", Warning, "gateway responses or a resource policy in an HTTP API");
}
