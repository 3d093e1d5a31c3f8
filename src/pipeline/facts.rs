//! The facts file: what no API definition carries (API key values and plans, stage
//! variables, endpoint type, cross-account, account, region).
//!
//! ```json
//! {"api_keys": [{"value": "k-1", "enabled": true, "stages": ["abc123/prod"]}],
//!  "stage_variables": {"env": "prod"}, "endpoint_type": "REGIONAL",
//!  "cross_account": false, "account": "111122223333", "region": "us-east-1"}
//! ```
//!
//! Every key is optional; an absent key means "unknown", and the pipeline answers `depends`
//! where the answer hangs on it. Unknown keys and wrong types are errors with a span.
//! The same keys may be written in YAML (a file that does not start with `{`), read by the
//! API definitions' YAML reader.

use std::collections::BTreeMap;

pub use crate::apidef::EndpointType;
use crate::source::{Document, ErrorKind, InputError, Json, Node, Source};
use crate::span::Span;

/// One API key the account holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyFact {
    /// The key's value (what clients send in `x-api-key`).
    pub value: String,
    /// Whether the key is enabled.
    pub enabled: bool,
    /// `{api-id}/{stage}` entries of the usage plans the key belongs to.
    pub stages: Vec<String>,
    /// The entry in the facts file.
    pub span: Span,
}

/// The facts file's content; `Facts::default()` knows nothing.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Every API key (the list is taken as complete: a key not in it does not exist).
    pub api_keys: Option<Vec<ApiKeyFact>>,
    /// The stage's variables (the list is taken as complete).
    pub stage_variables: Option<BTreeMap<String, String>>,
    /// The endpoint type.
    pub endpoint_type: Option<EndpointType>,
    /// Whether the caller is in another account than the API (Table B).
    pub cross_account: Option<bool>,
    /// The API's account id.
    pub account: Option<String>,
    /// The API's region.
    pub region: Option<String>,
    /// The file, for labels.
    pub source: Option<Source>,
}

const KEYS: &[&str] = &[
    "api_keys",
    "stage_variables",
    "endpoint_type",
    "cross_account",
    "account",
    "region",
];
const KEY_KEYS: &[&str] = &["value", "enabled", "stages"];

struct Reader<'a> {
    src: &'a Source,
}

impl Reader<'_> {
    fn err(&self, span: Span, message: String, help: &str) -> InputError {
        InputError::at(ErrorKind::Invalid, self.src, span, &message, help)
    }

    fn keys(&self, node: &Node, allowed: &[&str], what: &str) -> Result<(), InputError> {
        if !matches!(node.value, Json::Object(_)) {
            return Err(self.err(
                node.span,
                format!("{what} is {}, not an object", node.type_name()),
                "write it as an object (a JSON object or a YAML mapping)",
            ));
        }
        match node
            .members()
            .iter()
            .find(|m| !allowed.contains(&m.key.value.as_str()))
        {
            Some(m) => Err(self.err(
                m.key.span,
                format!("unknown key `{}` in {what}", m.key.value),
                &format!("the keys allowed here are: {}", allowed.join(", ")),
            )),
            None => Ok(()),
        }
    }

    fn string(&self, node: &Node, what: &str) -> Result<String, InputError> {
        node.as_str().map(str::to_string).ok_or_else(|| {
            self.err(
                node.span,
                format!("{what} is {}, not a string", node.type_name()),
                "write it as a string, in quotes (YAML reads an unquoted 111122223333 as a number)",
            )
        })
    }

    fn bool(&self, node: &Node, what: &str) -> Result<bool, InputError> {
        match node.value {
            Json::Bool(b) => Ok(b),
            _ => Err(self.err(
                node.span,
                format!("{what} is {}, not a boolean", node.type_name()),
                "write true or false",
            )),
        }
    }

    fn required<'n>(&self, obj: &'n Node, key: &str, what: &str) -> Result<&'n Node, InputError> {
        obj.get(key).ok_or_else(|| {
            self.err(
                obj.span,
                format!("{what} has no `{key}`"),
                "each API key needs value, enabled and stages",
            )
        })
    }

    fn api_key(&self, node: &Node) -> Result<ApiKeyFact, InputError> {
        self.keys(node, KEY_KEYS, "an API key")?;
        let stages_node = self.required(node, "stages", "the API key")?;
        let Json::Array(items) = &stages_node.value else {
            return Err(self.err(
                stages_node.span,
                format!("`stages` is {}, not an array", stages_node.type_name()),
                "list the usage plans' stages as [\"{api-id}/{stage}\", …]",
            ));
        };
        let mut stages = Vec::new();
        for item in items {
            let s = self.string(item, "a stage")?;
            if s.split('/').count() != 2 || s.starts_with('/') || s.ends_with('/') {
                return Err(self.err(
                    item.span,
                    format!("`{s}` is not of the form {{api-id}}/{{stage}}"),
                    "write the API id and the stage name, e.g. \"abc123/prod\"",
                ));
            }
            stages.push(s);
        }
        Ok(ApiKeyFact {
            value: self.string(self.required(node, "value", "the API key")?, "`value`")?,
            enabled: self.bool(self.required(node, "enabled", "the API key")?, "`enabled`")?,
            stages,
            span: node.span,
        })
    }
}

impl Facts {
    /// Parses a facts file (JSON, or YAML when it does not start with `{`).
    ///
    /// ```
    /// use policy_check::pipeline::Facts;
    /// let f = Facts::from_str("facts.json", r#"{"cross_account": true,
    ///     "api_keys": [{"value": "k1", "enabled": true, "stages": ["abc123/prod"]}]}"#).unwrap();
    /// assert_eq!(f.cross_account, Some(true));
    /// assert_eq!(f.api_keys.unwrap()[0].stages, ["abc123/prod"]);
    /// let err = Facts::from_str("facts.json", r#"{"apiKeys": []}"#).unwrap_err();
    /// assert_eq!(err.message, "unknown key `apiKeys` in the facts file");
    /// let yaml = Facts::from_str("facts.yaml", "endpoint_type: EDGE\ncross_account: false\n").unwrap();
    /// assert_eq!(yaml.cross_account, Some(false));
    /// ```
    pub fn from_str(name: &str, text: &str) -> Result<Facts, InputError> {
        Facts::from_source(Source::new(name, text))
    }

    /// Parses a facts file from a [`Source`].
    pub fn from_source(source: Source) -> Result<Facts, InputError> {
        let text = source.text().trim_start();
        let root = if text.is_empty() || text.starts_with('{') || text.starts_with('[') {
            Document::parse(source.clone())?.root
        } else {
            crate::apidef::parse_yaml_node(&source)?
        };
        let r = Reader { src: &source };
        let root = &root;
        r.keys(root, KEYS, "the facts file")?;
        let mut f = Facts {
            source: Some(source.clone()),
            ..Facts::default()
        };
        if let Some(n) = root.get("api_keys") {
            let Json::Array(items) = &n.value else {
                return Err(r.err(
                    n.span,
                    format!("`api_keys` is {}, not an array", n.type_name()),
                    "list the keys as [{\"value\": …, \"enabled\": …, \"stages\": […]}]",
                ));
            };
            f.api_keys = Some(
                items
                    .iter()
                    .map(|i| r.api_key(i))
                    .collect::<Result<_, _>>()?,
            );
        }
        if let Some(n) = root.get("stage_variables") {
            if !matches!(n.value, Json::Object(_)) {
                return Err(r.err(
                    n.span,
                    format!("`stage_variables` is {}, not an object", n.type_name()),
                    "write the stage's variables as {\"name\": \"value\"}",
                ));
            }
            let mut vars = BTreeMap::new();
            for m in n.members() {
                vars.insert(
                    m.key.value.to_string(),
                    r.string(&m.value, &format!("stage variable `{}`", m.key.value))?,
                );
            }
            f.stage_variables = Some(vars);
        }
        if let Some(n) = root.get("endpoint_type") {
            let s = r.string(n, "`endpoint_type`")?;
            f.endpoint_type = Some(EndpointType::parse(&s).ok_or_else(|| {
                r.err(
                    n.span,
                    format!("`{s}` is not an endpoint type"),
                    "use EDGE, REGIONAL or PRIVATE",
                )
            })?);
        }
        if let Some(n) = root.get("cross_account") {
            f.cross_account = Some(r.bool(n, "`cross_account`")?);
        }
        if let Some(n) = root.get("account") {
            f.account = Some(r.string(n, "`account`")?);
        }
        if let Some(n) = root.get("region") {
            f.region = Some(r.string(n, "`region`")?);
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (String, String) {
        let e = Facts::from_str("f.json", text).unwrap_err();
        let span = e.span.unwrap();
        (e.message, text[span.range()].to_string())
    }

    #[test]
    fn reads_every_key() {
        let f = Facts::from_str(
            "f.json",
            r#"{"api_keys": [{"value": "k", "enabled": false, "stages": []}],
                "stage_variables": {"env": "prod"}, "endpoint_type": "PRIVATE",
                "cross_account": false, "account": "1", "region": "eu-west-1"}"#,
        )
        .unwrap();
        assert!(!f.api_keys.unwrap()[0].enabled);
        assert_eq!(f.stage_variables.unwrap()["env"], "prod");
        assert_eq!(f.endpoint_type, Some(EndpointType::Private));
        assert_eq!(f.cross_account, Some(false));
        assert_eq!(
            (f.account.as_deref(), f.region.as_deref()),
            (Some("1"), Some("eu-west-1"))
        );
        let empty = Facts::from_str("f.json", "{}").unwrap();
        assert!(empty.api_keys.is_none() && empty.stage_variables.is_none());
    }

    #[test]
    fn yaml_reads_the_same_keys_and_points_at_yaml_spans() {
        let text = "api_keys:\n  - value: k\n    enabled: true\n    stages: [abc123/prod]\nstage_variables:\n  env: prod\nregion: eu-west-1\n";
        let f = Facts::from_str("f.yaml", text).unwrap();
        assert_eq!(f.api_keys.unwrap()[0].stages, ["abc123/prod"]);
        assert_eq!(f.stage_variables.unwrap()["env"], "prod");
        let bad = "region: eu-west-1\naccount: 111122223333\n";
        let e = Facts::from_str("f.yaml", bad).unwrap_err();
        assert_eq!(e.message, "`account` is a number, not a string");
        assert_eq!(&bad[e.span.unwrap().range()], "111122223333");
        let e = Facts::from_str("f.yaml", "regoin: x\n").unwrap_err();
        assert_eq!(e.message, "unknown key `regoin` in the facts file");
        let e = Facts::from_str("f.yaml", "a: [\n").unwrap_err();
        assert!(e.span.is_some(), "{e:?}");
    }

    #[test]
    fn errors_point_at_the_culprit() {
        assert_eq!(
            err(r#"{"region": 1}"#),
            ("`region` is a number, not a string".into(), "1".into())
        );
        assert_eq!(
            err(r#"{"api_keys": [{"value": "k", "enabled": true, "stages": ["prod"]}]}"#),
            (
                "`prod` is not of the form {api-id}/{stage}".into(),
                "\"prod\"".into()
            )
        );
        assert_eq!(
            err(r#"{"api_keys": [{"value": "k", "stages": []}]}"#).0,
            "the API key has no `enabled`"
        );
        assert_eq!(
            err(r#"{"api_keys": [{"value": "k", "enabled": true, "stages": [], "plan": 1}]}"#),
            ("unknown key `plan` in an API key".into(), "\"plan\"".into())
        );
        assert_eq!(
            err(r#"{"endpoint_type": "EDGY"}"#).0,
            "`EDGY` is not an endpoint type"
        );
        assert_eq!(
            err(r#"{"stage_variables": {"a": 1}}"#).0,
            "stage variable `a` is a number, not a string"
        );
        assert_eq!(
            err(r#"{"stage_variables": []}"#).0,
            "`stage_variables` is an array, not an object"
        );
        assert!(Facts::from_str("f.json", "[").is_err());
    }
}
