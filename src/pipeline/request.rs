//! The whole HTTP request: method, path, query, headers, body, source IP, and the ARN
//! parts the URL or the options pin.

use std::net::IpAddr;

use crate::arn::Part;
use crate::request::Request;

/// An HTTP request to an API, as a client sends it.
///
/// ```
/// use policy_check::pipeline::HttpRequest;
/// let r = HttpRequest::from_target(
///     "get",
///     "https://abc123.execute-api.us-east-1.amazonaws.com/prod/things?x=1",
/// ).unwrap().header("Authorization", "Bearer t");
/// assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/things"));
/// assert_eq!(r.stage.as_deref(), Some("prod"));
/// assert_eq!(r.header_value("authorization"), Some("Bearer t"));
/// assert_eq!(r.query_param("x"), Some("1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpRequest {
    /// The upper-cased method.
    pub method: String,
    /// The path after the stage, starting with `/` (nothing decoded or trimmed).
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    /// Headers in the order given (names as given; lookups ignore case).
    pub headers: Vec<(String, String)>,
    /// The body, if one is sent.
    pub body: Option<String>,
    /// The client's IP address (`--source-ip`).
    pub source_ip: Option<IpAddr>,
    /// The stage.
    pub stage: Option<String>,
    /// The API id.
    pub api_id: Option<String>,
    /// The region.
    pub region: Option<String>,
    /// The account id.
    pub account: Option<String>,
    /// The partition (`aws` when not given: see DESIGN.md).
    pub partition: Option<String>,
}

impl HttpRequest {
    /// `METHOD PATH[?QUERY]` (the path is after the stage).
    pub fn new(method: &str, target: &str) -> HttpRequest {
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p, Some(q.to_string())),
            None => (target, None),
        };
        HttpRequest {
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            query,
            ..HttpRequest::default()
        }
    }

    /// `METHOD TARGET` where TARGET is a path or a full invoke URL
    /// `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/{path}[?query]`, whose
    /// api id, region and stage are pinned.
    pub fn from_target(method: &str, target: &str) -> Result<HttpRequest, String> {
        let Some(url) = crate::request::invoke_url(target) else {
            if !target.starts_with('/') {
                return Err(format!(
                    "`{target}` is neither a path (starting with `/`) nor an https:// invoke URL"
                ));
            }
            return Ok(HttpRequest::new(method, target));
        };
        let url = url?;
        let mut r = HttpRequest::new(method, &url.target);
        r.api_id = Some(url.api_id);
        r.region = Some(url.region);
        r.stage = Some(url.stage.to_string());
        r.partition = Some(url.partition.to_string());
        Ok(r)
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> HttpRequest {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of query parameter `name` (case-sensitive, not decoded).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query_pairs().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The query string's `name=value` pairs (a bare `name` has an empty value).
    pub fn query_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query
            .as_deref()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap_or((p, "")))
    }

    /// `GET /things`, for messages.
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// The request the policy evaluator decides (the method ARN with the pinned parts).
    pub fn arn_request(&self) -> Request {
        let mut r = Request::new(&self.method, &self.path);
        let parts = [
            (Part::Partition, &self.partition),
            (Part::Region, &self.region),
            (Part::Account, &self.account),
            (Part::ApiId, &self.api_id),
            (Part::Stage, &self.stage),
        ];
        for (part, v) in parts {
            if let Some(v) = v {
                r = r.with(part, v);
            }
        }
        if r.get(Part::Partition).is_none() {
            let partition = match self.region.as_deref() {
                Some(r) if r.starts_with("cn-") => "aws-cn",
                Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
                _ => "aws",
            };
            r = r.partition(partition);
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let r =
            HttpRequest::from_target("GET", "https://a1.execute-api.eu-west-1.amazonaws.com/prod")
                .unwrap();
        assert_eq!((r.path.as_str(), r.stage.as_deref()), ("/", Some("prod")));
        let r = HttpRequest::from_target(
            "GET",
            "https://a1.execute-api.eu-west-1.amazonaws.com/prod?a=b",
        )
        .unwrap();
        assert_eq!((r.path.as_str(), r.query.as_deref()), ("/", Some("a=b")));
        let r = HttpRequest::from_target("post", "/things/1?a").unwrap();
        assert_eq!((r.method.as_str(), r.stage.as_deref()), ("POST", None));
        assert_eq!(r.query_param("a"), Some(""));
        assert!(HttpRequest::from_target("GET", "https://example.com/prod/x").is_err());
        assert!(HttpRequest::from_target("GET", "things").is_err());
        assert!(
            HttpRequest::from_target("GET", "https://a1.execute-api.eu-west-1.amazonaws.com/")
                .is_err()
        );
        let r = HttpRequest::new("GET", "/x").header("X-Api-Key", "k");
        assert_eq!(r.header_value("x-api-key"), Some("k"));
        assert_eq!(r.query_param("X"), None);
        let arn = HttpRequest::from_target(
            "GET",
            "https://a1.execute-api.cn-north-1.amazonaws.com.cn/p/x",
        )
        .unwrap();
        assert_eq!(
            arn.arn_request().arn_display(),
            "arn:aws-cn:execute-api:cn-north-1:{account}:a1/p/GET/x"
        );
    }
}
