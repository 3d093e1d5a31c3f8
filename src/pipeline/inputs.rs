//! The pipeline's inputs as the command line spells them, shared by the subcommands that
//! run it (`request`, `explain`): a request as `METHOD TARGET`, headers as curl's
//! `Name: value`, and the files behind `--api`, `--authorizer-output`,
//! `--authorizer-throws` and `--facts`, each read through the capped reader.

use std::path::Path;

use super::{AuthorizerBehaviour, Facts, HttpRequest};
use crate::apidef::{self, ApiModel};
use crate::source::{ErrorKind, InputError, Source};
use crate::{Checked, InputKind};

impl HttpRequest {
    /// A request written as one argument, `METHOD TARGET` (`--request 'GET /things'`),
    /// where TARGET is a path after the stage or an invoke URL (see
    /// [`HttpRequest::from_target`]).
    ///
    /// ```
    /// use policy_check::pipeline::HttpRequest;
    /// let r = HttpRequest::from_line("get https://abc123.execute-api.us-east-1.amazonaws.com/prod/things").unwrap();
    /// assert_eq!((r.method.as_str(), r.path.as_str(), r.stage.as_deref()), ("GET", "/things", Some("prod")));
    /// assert!(HttpRequest::from_line("/things").is_err());
    /// ```
    pub fn from_line(line: &str) -> Result<HttpRequest, String> {
        let mut words = line.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some(method), Some(target), None)
                if method.bytes().all(|b| b.is_ascii_alphabetic()) =>
            {
                HttpRequest::from_target(method, target)
            }
            _ => Err(format!(
                "`{line}` is not `METHOD TARGET`: give the method and the path (or invoke URL), e.g. 'GET /things'"
            )),
        }
    }

    /// Adds a header written as curl's `-H` takes it: `Name: value` (the value may be
    /// empty; spaces after the colon are dropped).
    ///
    /// ```
    /// use policy_check::pipeline::HttpRequest;
    /// let r = HttpRequest::new("GET", "/").with_header_line("Authorization: Bearer t").unwrap();
    /// assert_eq!(r.header_value("authorization"), Some("Bearer t"));
    /// assert!(HttpRequest::new("GET", "/").with_header_line("Authorization").is_err());
    /// ```
    pub fn with_header_line(self, line: &str) -> Result<HttpRequest, String> {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!(
                "header `{line}` has no `:`: write it as 'Name: value'"
            ));
        };
        let name = name.trim();
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(format!(
                "header `{line}`: `{name}` is not a header name (letters, digits and !#$%&'*+-.^_`|~)"
            ));
        }
        Ok(self.header(name, value.trim_start_matches([' ', '\t'])))
    }
}

/// RFC 9110 `tchar`: the bytes a header name is made of.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Reads and loads the API definition at `path` (`-` is standard input).
// Only the CLI reads files; a library user builds these values directly.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) fn load_api(path: &Path, api_name: Option<&str>) -> Result<ApiModel, InputError> {
    let (name, bytes) = crate::input::read_input(path)?;
    apidef::load(Source::from_bytes(&name, bytes)?, api_name)
}

/// The authorizer's behaviour from `--authorizer-output FILE` or `--authorizer-throws
/// MESSAGE` (at most one is given; neither is [`AuthorizerBehaviour::Unknown`]).
// Only the CLI reads files; a library user builds these values directly.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) fn load_behaviour(
    output: Option<&Path>,
    throws: Option<&str>,
) -> Result<AuthorizerBehaviour, InputError> {
    match (output, throws) {
        (Some(_), Some(_)) => Err(InputError::plain(
            ErrorKind::Invalid,
            "give the authorizer's output or the message it throws, not both".to_string(),
        )),
        (Some(path), None) => {
            let (name, bytes) = crate::input::read_input(path)?;
            Checked::from_bytes(&name, bytes, InputKind::Auto).map(AuthorizerBehaviour::Output)
        }
        (None, Some(message)) => Ok(AuthorizerBehaviour::Throws(message.to_string())),
        (None, None) => Ok(AuthorizerBehaviour::Unknown),
    }
}

/// The facts file, when one is given.
// Only the CLI reads files; a library user builds these values directly.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) fn load_facts(path: Option<&Path>) -> Result<Facts, InputError> {
    let Some(path) = path else {
        return Ok(Facts::default());
    };
    let (name, bytes) = crate::input::read_input(path)?;
    Facts::from_source(Source::from_bytes(&name, bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_and_headers() {
        let r = HttpRequest::from_line("  POST   /things?x=1 ").unwrap();
        assert_eq!(
            (r.method.as_str(), r.path.as_str(), r.query.as_deref()),
            ("POST", "/things", Some("x=1"))
        );
        for bad in ["", "GET", "GET /a /b", "G3T /a", "GET things"] {
            assert!(HttpRequest::from_line(bad).is_err(), "{bad:?}");
        }
        let r = HttpRequest::new("GET", "/")
            .with_header_line("X-Empty:")
            .unwrap()
            .with_header_line("Authorization:Bearer a:b ")
            .unwrap();
        assert_eq!(r.header_value("x-empty"), Some(""));
        assert_eq!(r.header_value("authorization"), Some("Bearer a:b "));
        for bad in [": v", "Bad Name: v", "nocolon"] {
            assert!(
                HttpRequest::new("GET", "/").with_header_line(bad).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn behaviour_is_one_of_output_throws_unknown() {
        assert!(matches!(
            load_behaviour(None, Some("Unauthorized")),
            Ok(AuthorizerBehaviour::Throws(m)) if m == "Unauthorized"
        ));
        assert!(matches!(
            load_behaviour(None, None),
            Ok(AuthorizerBehaviour::Unknown)
        ));
        assert!(load_behaviour(Some(Path::new("x.json")), Some("boom")).is_err());
        let missing = load_facts(Some(Path::new("/nonexistent/facts.json"))).unwrap_err();
        assert_eq!(missing.kind, ErrorKind::Io);
    }
}
