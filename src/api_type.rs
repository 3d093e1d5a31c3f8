//! The kind of API an answer is for (REST, HTTP, WebSocket): it decides the response bodies.
//! Below `request` and `response`, which both use it.

use serde::Serialize;

use crate::authorizer::Shape;

/// The kind of API the answer is for; it decides the response bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiType {
    /// A REST API (API Gateway v1).
    Rest,
    /// An HTTP API (v2).
    Http,
    /// A WebSocket API (v2).
    Websocket,
}

impl ApiType {
    /// The type when the user did not say: an HTTP simple response or a `$default` stage
    /// means an HTTP API; a WebSocket route key (`$connect`, `$disconnect`, `$default` as the
    /// route) a WebSocket API; anything else a REST API.
    ///
    /// `stage` is the request's stage if pinned; `route_key` its WebSocket route key
    /// (`$connect`…), if it has one instead of METHOD PATH.
    ///
    /// ```
    /// use policy_check::{ApiType, Shape};
    /// assert_eq!(ApiType::infer(Shape::Rest, Some("prod"), None), ApiType::Rest);
    /// assert_eq!(ApiType::infer(Shape::Http, None, None), ApiType::Http);
    /// assert_eq!(ApiType::infer(Shape::Rest, Some("$default"), None), ApiType::Http);
    /// assert_eq!(ApiType::infer(Shape::Rest, Some("prod"), Some("$connect")), ApiType::Websocket);
    /// ```
    pub fn infer(shape: Shape, stage: Option<&str>, route_key: Option<&str>) -> ApiType {
        if route_key.is_some_and(|r| r.starts_with('$')) {
            ApiType::Websocket
        } else if shape == Shape::Http || stage == Some("$default") {
            ApiType::Http
        } else {
            ApiType::Rest
        }
    }

    /// `REST API`, `HTTP API`, `WebSocket API`.
    pub fn name(self) -> &'static str {
        match self {
            ApiType::Rest => "REST API",
            ApiType::Http => "HTTP API",
            ApiType::Websocket => "WebSocket API",
        }
    }

    /// Parses `rest`, `http`, `websocket`.
    pub fn parse(s: &str) -> Option<ApiType> {
        match s.to_ascii_lowercase().as_str() {
            "rest" => Some(ApiType::Rest),
            "http" => Some(ApiType::Http),
            "websocket" => Some(ApiType::Websocket),
            _ => None,
        }
    }
}
