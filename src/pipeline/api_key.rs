//! API keys (REST only; pipeline.md §2.10): the key comes from the `x-api-key` header
//! (HEADER source; the name is case-insensitive [I]) or from the authorizer's
//! `usageIdentifierKey` (AUTHORIZER source). It must exist, be enabled and belong to a usage
//! plan that includes this stage, else 403 ForbiddenException. Key values and plans are in
//! no definition: they come from the facts file, and without it the answer forks.

use super::facts::ApiKeyFact;
use super::{ForkKind, Forks, Step};
use crate::apidef::ApiKeySource as KeySource;

/// What the key check sees.
pub(crate) struct KeyInput<'a> {
    pub(crate) source: KeySource,
    /// The `x-api-key` header.
    pub(crate) header: Option<&'a str>,
    /// Whether the method has a Lambda authorizer at all.
    pub(crate) has_authorizer: bool,
    /// The authorizer's `usageIdentifierKey`.
    pub(crate) usage_identifier_key: Option<&'a str>,
    /// `{api-id}/{stage}`, when both are known.
    pub(crate) api_stage: Option<String>,
    /// The stage alone (when the API id is not known).
    pub(crate) stage: Option<&'a str>,
}

/// `Ok(detail)` when the key passes, `Err(why)` for 403.
pub(crate) fn check(
    input: &KeyInput,
    facts: Option<&[ApiKeyFact]>,
    forks: &mut Forks,
    notes: &mut Vec<String>,
) -> Result<String, String> {
    let key = match input.source {
        KeySource::Header => input
            .header
            .ok_or("the request has no `x-api-key` header")?,
        KeySource::Authorizer if !input.has_authorizer => {
            notes.push("apiKeySource AUTHORIZER on a method without a Lambda authorizer: no key can arrive [I]".into());
            return Err(
                "the API key source is AUTHORIZER but the method has no Lambda authorizer".into(),
            );
        }
        KeySource::Authorizer => input.usage_identifier_key.ok_or(
            "the authorizer's output has no `usageIdentifierKey` (apiKeySource is AUTHORIZER)",
        )?,
    };
    let place = input
        .api_stage
        .clone()
        .unwrap_or_else(|| format!("{{api-id}}/{}", input.stage.unwrap_or("{stage}")));
    let Some(keys) = facts else {
        let r = forks.choose(
            ForkKind::Unknown,
            Step::ApiKey,
            format!("whether the API key `{key}` exists, is enabled and is in a usage plan for {place} (list api_keys in the facts file)"),
            vec![
                format!("the API key `{key}` is valid, enabled and in a usage plan for {place}"),
                format!("the API key `{key}` is unknown, disabled or in no usage plan for {place}"),
            ],
        );
        return if r == 0 {
            Ok(format!("the API key `{key}` is assumed valid for {place}"))
        } else {
            Err(format!("the API key `{key}` is not valid for {place}"))
        };
    };
    let Some(k) = keys.iter().find(|k| k.value == key) else {
        return Err(format!(
            "the API key `{key}` is not in the facts file's api_keys"
        ));
    };
    if !k.enabled {
        return Err(format!("the API key `{key}` is disabled"));
    }
    let in_plan = match (&input.api_stage, input.stage) {
        (Some(full), _) => k.stages.iter().any(|s| s == full),
        (None, Some(stage)) => {
            notes.push(
                "the API id is not pinned: usage plans were matched on the stage name alone".into(),
            );
            k.stages.iter().any(|s| s.rsplit('/').next() == Some(stage))
        }
        (None, None) => !k.stages.is_empty(),
    };
    if in_plan {
        Ok(format!(
            "the API key `{key}` is enabled and in a usage plan for {place}"
        ))
    } else {
        Err(format!(
            "the API key `{key}` is in no usage plan for {place}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn fact(value: &str, enabled: bool, stages: &[&str]) -> ApiKeyFact {
        ApiKeyFact {
            value: value.into(),
            enabled,
            stages: stages.iter().map(|s| s.to_string()).collect(),
            span: Span::default(),
        }
    }

    fn input(
        source: KeySource,
        header: Option<&'static str>,
        uik: Option<&'static str>,
    ) -> KeyInput<'static> {
        KeyInput {
            source,
            header,
            has_authorizer: true,
            usage_identifier_key: uik,
            api_stage: Some("abc123/prod".into()),
            stage: Some("prod"),
        }
    }

    fn one(i: &KeyInput, facts: Option<&[ApiKeyFact]>) -> Vec<Result<String, String>> {
        super::super::explore(|f| check(i, facts, f, &mut Vec::new()))
            .0
            .into_iter()
            .map(|r| r.1)
            .collect()
    }

    #[test]
    fn header_keys() {
        let facts = [
            fact("k1", true, &["abc123/prod"]),
            fact("k2", false, &["abc123/prod"]),
            fact("k3", true, &["abc123/dev"]),
        ];
        let f = Some(&facts[..]);
        assert!(one(&input(KeySource::Header, Some("k1"), None), f)[0].is_ok());
        assert_eq!(
            one(&input(KeySource::Header, Some("k2"), None), f)[0],
            Err("the API key `k2` is disabled".into())
        );
        assert_eq!(
            one(&input(KeySource::Header, Some("k3"), None), f)[0],
            Err("the API key `k3` is in no usage plan for abc123/prod".into())
        );
        assert!(one(&input(KeySource::Header, Some("nope"), None), f)[0].is_err());
        assert_eq!(
            one(&input(KeySource::Header, None, None), None),
            [Err("the request has no `x-api-key` header".into())]
        );
        // Unknown facts: both cases.
        let r = one(&input(KeySource::Header, Some("k1"), None), None);
        assert_eq!(r.len(), 2);
        assert!(r[0].is_ok() && r[1].is_err());
    }

    #[test]
    fn authorizer_keys() {
        let facts = [fact("k1", true, &["abc123/prod"])];
        assert!(
            one(
                &input(KeySource::Authorizer, None, Some("k1")),
                Some(&facts)
            )[0]
            .is_ok()
        );
        assert!(
            one(
                &input(KeySource::Authorizer, Some("k1"), None),
                Some(&facts)
            )[0]
            .is_err()
        );
        let mut no_auth = input(KeySource::Authorizer, None, Some("k1"));
        no_auth.has_authorizer = false;
        assert!(one(&no_auth, Some(&facts))[0].is_err());
    }
}
